# Payments (R-PAY-1): notifications and the sandbox payment page.

session-kind-individual = индивидуальная сессия
session-kind-group = групповая сессия
session-kind-consultation = предварительная консультация

payment-paid-client = Оплата получена: { $kind } со специалистом { $therapist }, { $when }, подтверждена. Сумма { $amount } удерживается на карте и спишется за 24 часа до начала; до этого момента отмена бесплатна.
payment-paid-therapist = Новая запись: { $client }, { $kind }, { $when }. Оплачено ({ $amount } удерживается на карте клиента).
payment-late-returned = Оплата пришла уже после того, как бронь истекла, поэтому мы сразу её вернули: { $amount } остаются на вашей карте. Выберите, пожалуйста, другое время.

## The sandbox payment page (a test provider: no real money moves)

pay-title = Оплата сессии — проЭго.онлайн
pay-sandbox-note = Тестовая оплата: настоящие деньги не списываются.
pay-for = Оплата: { $description }
pay-amount = Сумма: <b>{ $amount }</b>
pay-hold-rule = Сумма будет удержана на карте и спишется за 24 часа до начала сессии. Если отменить запись раньше, удержание снимется и деньги останутся у вас.
pay-authorize = Оплатить (удержать { $amount })
pay-decline = Отказаться
pay-held = Готово: сумма удерживается на карте. Вернитесь в Telegram — бот уже прислал подтверждение.
pay-declined = Оплата отменена. Вернуться к записи можно в Telegram.
pay-status-pending = Ожидает оплаты.
pay-status-held = Сумма удерживается на карте.
pay-status-paid = Оплачено.
pay-status-canceled = Платёж отменён.
pay-not-found = Такой платёж не найден. Проверьте ссылку или вернитесь в Telegram.
pay-back = Вернуться в Telegram
