## Выплаты и чеки специалиста (R-PAY-2..4, R-PAY-3) и бесплатные сессии (R-CAN-3)

cmd-payouts-therapist = Выплаты и чеки
receipts-title = <b>Выплаты и чеки</b> (время: { $zone })
receipts-empty = Выплат пока нет: они появляются после проведённых сессий.
receipts-due-title = <b>Ожидают выплаты</b>
receipts-paid-title = <b>Выплачено</b>
receipts-line = { $when } — <b>{ $client }</b>, { $kind }
    Клиент оплатил { $paid } · комиссия { $commission } · к выплате { $payout }
receipts-line-due = выплата до { $due }
receipts-line-paid = выплачено { $at }, платёж { $reference }
receipts-state-not-needed = чек не нужен (бесплатная сессия)
receipts-state-missing = чека нет
receipts-state-present = чек: { $what }, { $at }
receipts-kind-link = ссылка
receipts-kind-number = номер { $number }
receipts-kind-document = документ
receipts-kind-photo = фото
receipts-totals = Итого: { $sessions } сесс. · оплачено { $paid } · комиссия { $commission } · выплата { $payout }
receipts-more = …и ещё { $count }
receipts-missing-none = Все чеки на месте.
receipts-missing-title = <b>Нет чеков: { $count }</b>
receipts-how = Нажмите кнопку сессии ниже и пришлите ссылку на чек из «Мой налог» (lknpd.nalog.ru), номер чека, PDF до 20 МБ или фото чека.
receipts-btn-file = Чек: { $session }
receipts-btn-replace = Заменить чек: { $session }
receipts-btn-list = К выплатам
receipts-not-yours = Это не ваша сессия: ничего не изменено.
receipts-not-needed = За эту сессию чек не нужен: клиент ничего не платил.
receipts-ask = Чек за сессию { $when } с клиентом { $client } (оплачено { $paid }).
    Пришлите ссылку на чек из «Мой налог» (https://lknpd.nalog.ru/…), номер чека, PDF-документ до 20 МБ или фото чека. Чтобы выйти, отправьте /cancel.
receipts-ask-replace = Сейчас сохранён { $current }. Новый чек заменит его.
receipts-saved = Чек за сессию { $when } сохранён. Спасибо!
receipts-replaced = Чек за сессию { $when } заменён.
receipts-bad-link = Ссылка не подходит: нужна полная ссылка https://… на чек (например, из «Мой налог», lknpd.nalog.ru), без пробелов. Пришлите её ещё раз, номер чека или документ; выйти — /cancel.
receipts-bad-text = Это не похоже ни на ссылку, ни на номер чека. Номер — от 3 до 64 букв и цифр (хотя бы одна цифра). Пришлите ссылку https://…, номер, PDF или фото; выйти — /cancel.
receipts-bad-file-type = Этот файл не PDF. Пришлите чек PDF-документом или фотографией.
receipts-bad-file-size = Файл больше 20 МБ. Пришлите файл поменьше (например, сожмите PDF) или фото чека.
receipts-reminder = Напоминание: нет чека за сессию { $when } с клиентом { $client }. Выплата { $payout } отправлена { $paid_out }. Пришлите чек (ссылку из «Мой налог», номер, PDF или фото): /payouts

debts-therapist-title = <b>Бесплатные сессии, которые вы должны</b> (поздняя отмена)
debts-therapist-line = • { $client } (отмена { $cancelled }): { $state }
debts-state-open = ещё не использована
debts-state-booked = записан(а) на { $at }
debts-state-used = использована { $at }
debts-state-fm-pending = документ о форс-мажоре на рассмотрении
debts-client-title = <b>Вам положена бесплатная сессия</b>
debts-client-line = • { $therapist } должен(на) вам бесплатную сессию (отмена { $cancelled })
debts-client-btn = Записаться бесплатно: { $therapist }
