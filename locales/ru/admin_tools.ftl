## Инструменты администраторов: выплаты, выгрузка, статистика, журнал (задача 5)

cmd-payouts = Выплаты к оплате
cmd-export = CSV за период для бухгалтера
cmd-stats = Статистика
cmd-audit = Действия администраторов по специалисту или записи

payouts-none = Выплат к оплате нет: всё начисленное выплачено.
payouts-title = К выплате: { $count ->
    [one] { $count } специалист
    [few] { $count } специалиста
   *[other] { $count } специалистов
}.
payouts-card =
    <b>{ $name }</b>
    Сессий: { $sessions }
    Оплачено клиентами: { $gross }
    Комиссия: { $commission }
    К выплате: <b>{ $payout }</b>
    Срок с: { $due }
    Чеки: { $receipts }
    Реквизиты: { $details }
payouts-receipts-present = все есть
payouts-receipts-missing = нет за { $missing ->
    [one] { $missing } сессию
    [few] { $missing } сессии
   *[other] { $missing } сессий
}
payouts-no-details = не указаны
payouts-mark-button = Отметить выплату
payouts-nothing-due = Этому специалисту сейчас ничего не причитается: возможно, выплату уже отметили. Отправьте /payouts, чтобы увидеть актуальный список.
payouts-ask-reference = { $admin }, вы отмечаете выплату за { $sessions ->
    [one] { $sessions } сессию
    [few] { $sessions } сессии
   *[other] { $sessions } сессий
} специалисту { $name } ({ $payout }). Напишите следующим сообщением номер платёжного поручения или перевода. Передумали — отправьте /cancel.
payouts-bad-reference = Номер должен быть от 3 до 200 символов. Напишите его ещё раз или отправьте /cancel.
payouts-paid-by = 💸 Выплачено: { $by }, { $at }: { $sessions ->
    [one] { $sessions } сессия
    [few] { $sessions } сессии
   *[other] { $sessions } сессий
}, { $payout }. Номер: { $reference }
payouts-paid-done = Выплата отмечена, специалист получил уведомление.
payouts-already-paid = Эти выплаты уже отметил(а) { $by }, { $at }. Ничего не изменено.
payouts-paid-therapist = 💸 Вам отправлена выплата: { $payout } за { $sessions ->
    [one] { $sessions } сессию
    [few] { $sessions } сессии
   *[other] { $sessions } сессий
}. Номер перевода: { $reference }.

export-usage = Укажите первый и последний день периода в вашем часовом поясе ({ $tz }), например: /export 2026-11-01 2026-11-30 (не больше года).
export-caption = Сессий: { $sessions }. Оплачено клиентами { $paid } = комиссия { $commission } + выплаты { $payout }. Местное время: { $tz }.

stats-body =
    <b>Статистика</b>
    Специалисты:
    { $therapists }

    За 7 дней: записей { $bookings7 }, выручка { $revenue7 }, комиссия { $commission7 }
    За 30 дней: записей { $bookings30 }, выручка { $revenue30 }, комиссия { $commission30 }

    К выплате: сессий { $due_sessions }, { $due }
stats-no-therapists = пока нет
stats-status-invited = приглашены
stats-status-onboarding = заполняют анкету
stats-status-pending = на модерации
stats-status-active = активны
stats-status-rejected = отклонены
stats-status-suspended = приостановлены

audit-usage = Укажите, чьи действия показать: /audit therapist 7, /audit booking 12 или /audit program 3.
audit-empty = По { $subject } действий администраторов не записано.
audit-title = <b>Действия администраторов: { $subject }</b> ({ $count }):

## Возвраты и споры

cmd-booking = Запись: история оплаты, возврат, отмена
cmd-client = Записи клиента по Telegram id
dispute-booking-usage = Укажите номер записи: /booking 12.
dispute-client-usage = Укажите Telegram id клиента: /client 123456789.
dispute-no-booking = Записи с номером { $id } нет.
dispute-client-none = У клиента { $id } нет записей.
dispute-client-title = <b>Записи клиента { $id }</b>:
dispute-card =
    <b>Запись { $id }</b>
    Клиент: { $client } (id { $client_id })
    Специалист: { $therapist }
    Время: { $when }
    Состояние: { $state }
    Цена: { $price }
    Деньги:{ $history }
dispute-no-payments = оплат нет
dispute-refunded-so-far = Возвращено: { $amount }
dispute-refund-full-button = Вернуть полностью
dispute-refund-part-button = Вернуть часть
dispute-cancel-button = Отменить со стороны платформы
dispute-nothing-to-refund = По этой записи возвращать больше нечего.
dispute-refunded-answer = Деньги возвращены, клиент получил уведомление.
dispute-ask-amount = { $admin }, какую сумму вернуть по записи { $id }? Не больше { $max }. Напишите сумму, например 1500 или 1 500,50. Передумали — отправьте /cancel.
dispute-amount-zero = Сумма должна быть больше нуля. Напишите её ещё раз или отправьте /cancel.
dispute-amount-again = Напишите сумму ещё раз или отправьте /cancel.
dispute-amount-too-much = Это больше, чем осталось вернуть: не больше { $max }. Напишите сумму меньше или отправьте /cancel.
dispute-already-cancelled = Эта запись уже отменена.
dispute-cancelled-answer = Запись отменена: клиенту вернутся все деньги, оба получили уведомления.
dispute-cancelled-therapist = Сессия с клиентом { $client }, { $when }, отменена администраторами платформы. Время снова свободно, вы ничего не должны.

## Форс-мажор (R-CAN-3)

cmd-cases = Обращения о форс-мажоре
fm-none = Обращений о форс-мажоре на рассмотрении нет.
fm-card =
    <b>Форс-мажор, обращение { $id }</b>
    { $therapist } поздно отменил(а) сессию с клиентом { $client } (запись { $booking }), { $when }, и прислал(а) документ (ниже).
    Принять: специалист не должен клиенту бесплатную сессию. Отклонить: бесплатная сессия остаётся за специалистом.
fm-document = Документ к обращению { $id }
fm-accept-button = Принять
fm-refuse-button = Отклонить
fm-decided-answer = Решение принято, специалист получил уведомление.
fm-accepted-by = ✅ Принято: { $by }, { $at }.
fm-refused-by = ✖️ Отклонено: { $by }, { $at }.
fm-already-decided = Уже решено: { $by }, { $at }.
fm-accepted-therapist = Ваш документ о форс-мажоре по сессии { $when } принят: бесплатную сессию клиенту вы не должны.
fm-refused-therapist = Ваш документ о форс-мажоре по сессии { $when } не принят: следующая сессия клиента с вами бесплатна, как сказано в правилах.
