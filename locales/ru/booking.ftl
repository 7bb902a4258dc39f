# Запись клиента (R-CLI-5, R-CLI-6, R-PRICE-3, R-CAN-2..4, R-SES-1).

card-not-available = Профиль этого специалиста сейчас недоступен. Выберите другого в каталоге.
card-education = <b>Образование:</b> { $text }
card-years = <b>Лет практики:</b> { $years }
card-languages = <b>Языки:</b> { $languages }
card-specializations = <b>Работает с:</b> { $items }
card-price = <b>Ваша цена:</b> { $amount } за сессию
card-price-locked = <b>Ваша цена:</b> { $amount } за сессию (сохраняется для вас до { $until })
card-free-owed = Специалист должен вам бесплатную сессию: следующая индивидуальная сессия бесплатна.
card-next-times = <b>Ближайшее свободное время</b> ({ $zone }):
card-next-time-line = { $when } — { $kind }
card-no-times = Свободного времени на ближайшие 30 дней пока нет.
card-btn-book-individual = Записаться на индивидуальную сессию
card-btn-book-consultation = Записаться на бесплатную консультацию
card-btn-materials = Материалы ({ $count })
card-no-materials = У специалиста нет материалов.

book-pick-day = <b>{ $therapist }</b>, { $kind }. Выберите день (время в { $zone }); нажимаются только дни со свободным временем.
book-pick-time = <b>{ $therapist }</b>, { $kind }, { $day }. Выберите время ({ $zone }):
book-no-times = Свободного времени на ближайшие 30 дней нет. Загляните позже или выберите другого специалиста.
book-btn-back = ◀ Назад
book-confirm =
    <b>Проверьте запись</b>
    { $kind }, специалист: { $therapist }
    { $when }
    Цена: <b>{ $amount }</b>
    Бесплатная отмена до { $until }; позже сессия оплачивается полностью.
book-confirm-free =
    <b>Проверьте запись</b>
    { $kind }, специалист: { $therapist }
    { $when }
    Цена: <b>бесплатно</b>
book-move-note = Текущая запись ({ $old }) будет отменена, как только появится новая. { $consequence }
book-btn-confirm = Подтвердить
book-slot-gone = Это время только что заняли или оно закрыто. Ближайшее свободное время:
book-slot-gone-none = Это время только что заняли или оно закрыто, и другого свободного времени сейчас нет.
book-pay =
    <b>Запись создана:</b> { $kind }, специалист: { $therapist }, { $when }.
    Оплатите в течение 15 минут (до { $deadline }), иначе время освободится. Сумма удерживается на карте и списывается за 24 часа до сессии.
book-btn-pay = Оплатить { $amount }
# R-PAY-1: the payment-link message, edited in place once the booking is paid or expired.
book-pay-closed-paid = <b>Оплачено ✓</b> { $kind }, специалист: { $therapist }, { $when }. Запись подтверждена, платить больше ничего не нужно.
book-pay-closed-expired = <b>Время оплаты истекло.</b> Бронь ({ $kind }, { $when }) снята, время снова свободно. Ссылка на оплату больше не действует.
book-confirmed-free = <b>Запись подтверждена:</b> { $kind }, специалист: { $therapist }, { $when }. Это бесплатно, платить ничего не нужно.
book-already = У вас уже есть эта запись: { $kind }, специалист: { $therapist }, { $when }.
book-payment-error = Запись создана, но ссылку на оплату получить не удалось. Откройте /mybookings через минуту.
book-therapist-free = Новая запись: { $client }, { $kind }, { $when }. Бесплатная сессия (оплаты нет).
book-moved-done = Прежняя запись ({ $old }) отменена. { $consequence }

my-title = <b>Ваши сессии</b> (время в { $zone }):
my-empty = Сессий пока нет. Откройте карточку специалиста, чтобы записаться.
my-line = { $when } — { $kind }, { $therapist }: { $state }, { $payment }
my-room = Ссылка на комнату: { $link }
my-btn-cancel = Отменить { $n }
my-btn-move = Перенести { $n }
my-btn-pay = Оплатить { $n }: { $amount }
my-state-awaiting_payment = ждёт оплаты
my-state-confirmed = подтверждена
my-state-cancelled_by_client = отменена вами
my-state-cancelled_by_therapist = отменена специалистом
my-state-cancelled_by_admin = отменена платформой
my-state-expired = истекла
my-state-completed = состоялась
my-state-no_show = пропущена
my-pay-none = не оплачена
my-pay-free = бесплатно
my-pay-pending = ожидается оплата
my-pay-held = { $amount } удержано на карте
my-pay-captured = { $amount } оплачено
my-pay-released = удержание снято
my-pay-refunded = деньги возвращены
my-pay-failed = оплата не прошла
my-not-yours = Это не ваша запись, или её больше нет.
my-not-cancellable = Эту сессию уже нельзя отменить (она началась, прошла или уже отменена).

cancel-ask = Отменить: { $kind }, специалист: { $therapist }, { $when }? { $consequence }
cancel-consequence-release = Вам вернётся { $amount }: удержание на карте будет снято.
cancel-consequence-refund = Вам вернётся { $amount }: деньги вернутся на карту.
cancel-consequence-free = Бесплатная сессия вернётся к вам.
cancel-consequence-nothing = Оплаты не было, поэтому ничего не списывается.
cancel-consequence-late = До начала меньше 24 часов, поэтому сессия остаётся оплаченной полностью ({ $amount }).
cancel-consequence-late-free = До начала меньше 24 часов, поэтому бесплатная сессия считается использованной.
cancel-btn-yes = Да, отменить
cancel-btn-no = Нет, оставить
mycancel-done = Отменено: { $kind }, специалист: { $therapist }, { $when }. { $consequence }
mycancel-kept = Запись сохранена.
cancel-therapist = Клиент { $client } отменил запись: { $kind }, { $when }.

link-client = Ваша { $kind } со специалистом { $therapist } начинается в { $when }. Ссылка: { $link }
link-therapist = Ваша { $kind } начинается в { $when }. Комната: { $link }
link-therapist-client = Ваша { $kind } с клиентом { $client } начинается в { $when }. Комната: { $link }
