# /profile, /prices, the intake summary in /bookings, the therapist's gender, a suspended
# therapist's limits (issue 4 "Profile and public page", "Prices", "Bookings"; issue 6 step 4).

cmd-profile = Профиль и карточка для клиентов
cmd-prices = Цены: текущие и когда можно менять

## /profile
profile-preview-intro = Так вашу карточку видят клиенты (цена — для новых клиентов):
profile-menu =
    <b>Профиль</b>
    Выберите, что изменить. Имя, фото и описание клиенты увидят сразу, администраторы получат уведомление; повторная модерация не нужна. Цены меняются в /prices.
profile-suspended = Ваш профиль приостановлен администратором, клиенты его сейчас не видят, и править его нельзя. Ниже — как выглядела карточка. Записи клиентов — в /bookings.
profile-already-active = Профиль уже активен: документы приняты, отправлять на модерацию не нужно.
profile-prices-elsewhere = Цены активного профиля меняются в /prices (не чаще раза в полгода).
profile-btn-gender = Пол (необязательно)
profile-ask-gender = Укажите ваш пол, если хотите. Он учитывается, только когда клиент сам выбрал предпочтение; без указания вы не теряете рекомендации.
profile-gender-female = Женщина
profile-gender-male = Мужчина
profile-gender-unsaid = Не указывать
profile-saved-gender = ✅ Сохранено.
profile-admin-edited-name = ✏️ Специалист { $name } (id { $id }) изменил(а) имя в публичном профиле: <b>{ $value }</b>. Повторная модерация не требуется; при нарушении профиль можно приостановить.
profile-admin-edited-bio =
    ✏️ Специалист { $name } (id { $id }) изменил(а) описание в публичном профиле. Повторная модерация не требуется; при нарушении профиль можно приостановить.
    
    { $value }
profile-admin-edited-photo = ✏️ Специалист { $name } (id { $id }) сменил(а) фото в публичном профиле. Посмотреть его можно по ссылке на карточку t_{ $id }.

## /prices (R-PRICE-1..3)
prices-title = <b>Ваши цены</b> (даты — { $zone })
prices-kind-individual = Индивидуальная сессия
prices-kind-group = Групповая сессия (с участника)
prices-line = <b>{ $kind }:</b> { $amount }
prices-line-unset = <b>{ $kind }:</b> не задана
prices-last-change = Последнее изменение: { $at }
prices-since-activation = Действует с активации профиля: { $at }
prices-not-public-yet = Ещё не опубликована
prices-next-change = Следующее изменение возможно с { $at }
prices-next-change-now = Изменить можно сейчас
prices-locked-clients = Клиентов с закреплённой ценой: { $count }
prices-rules = Цену для новых клиентов можно менять не чаще раза в полгода. Клиенты, которые уже записывались к вам, 365 дней с первой записи платят прежнюю цену, а если новая ниже — новую.
prices-btn-change = Изменить: { $kind }
prices-btn-back = « Назад к ценам
prices-ask = { $kind }: напишите новую цену в рублях, например «3 500» или «3500 ₽». Минимум — { $floor }.
prices-changed = ✅ { $kind }: новая цена { $amount }. Новые клиенты платят её; клиенты с закреплённой ценой сохраняют свою.
prices-unchanged = Это и есть текущая цена ({ $amount }), ничего не изменилось.
prices-changed-meanwhile = Цену только что изменили в другом окне; ниже — актуальные данные. Ничего не изменено.
prices-use-checklist = Цены задаются в анкете профиля: /start.
prices-suspended = Ваш профиль приостановлен: цены сейчас менять нельзя.
prices-only-active = Цены можно менять только в активном профиле.

## A suspended therapist (decided)
suspended-what-you-can = Что можно сейчас: видеть и отменять записи в /bookings (клиенты получат деньги по правилам отмены), смотреть календарь /calendar и закрывать свободное время. Открывать новое время и программы нельзя, пока профиль приостановлен.
suspended-no-new-slots = Профиль приостановлен: новое время открыть нельзя. Записи клиентов — в /bookings.
suspended-no-new-programs = Профиль приостановлен: создавать и отправлять программы нельзя.

## The client's intake summary in /bookings
bookings-intake-button = 📋 Анкета: { $who }
bookings-intake-title = <b>Анкета клиента { $name }</b> (только для вас как специалиста этого клиента)
bookings-intake-partial = <i>Анкета заполнена не до конца.</i>
bookings-intake-risk = ⚠️ Клиент отметил ответ о риске — администраторы уведомлены.
bookings-intake-no-answers = Клиент не заполнял анкету.
bookings-intake-no-tests = Тесты PHQ-9 и GAD-7 клиент не проходил.
bookings-intake-no-consent = Клиент не давал согласия на обработку данных о здоровье — анкеты нет.
bookings-intake-not-available = Эта запись отменена или истекла: анкета клиента недоступна.
bookings-intake-back = « К записям

## Recommendations: the gender the client asked for
rec-why-gender-female = специалист — женщина, как вы хотели
rec-why-gender-male = специалист — мужчина, как вы хотели
