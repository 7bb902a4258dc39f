# proEgo bot: the foundation's words (Russian is the source language).
# Texts are sent with parse_mode=HTML: only Telegram's tags; user-provided values arrive escaped.

## Greetings and help, per role

start-greeting-client =
    Здравствуйте, { $name }! Я бот платформы <b>проЭго.онлайн</b>: помогаю найти психотерапевта или терапевтическую группу, записаться на онлайн-сессию и оплатить её.
start-greeting-therapist =
    Здравствуйте, { $name }! Это ваш кабинет специалиста на платформе <b>проЭго.онлайн</b>.
start-greeting-admin =
    Здравствуйте, { $name }! Вы администратор платформы <b>проЭго.онлайн</b>. Работа ведётся в чате администраторов.
start-what-you-can-do = Что можно сделать:
help-client =
    /start — начать сначала
    /therapists — каталог специалистов и групп
    /programs_list — групповые программы
    /recommend — подбор по вашей анкете
    /questionnaire — анкета для подбора специалиста
    /tests — тесты PHQ-9 и GAD-7
    /mybookings — ваши сессии: оплата, отмена, перенос
    /mydata — ваши данные и их удаление
    /timezone — ваш часовой пояс (сейчас: { $tz })
    /language — язык бота
    /cancel — выйти из текущего шага
    /help — эта подсказка
help-therapist =
    /start — кабинет специалиста
    /profile — ваш профиль и карточка, которую видят клиенты: правка любого поля
    /prices — ваши цены, когда их можно менять, клиенты с закреплённой ценой
    /calendar — календарь: открыть время, неделя вперёд
    /bookings — записи клиентов: отмена, отметка «состоялась»
    /programs — групповые программы
    /payouts — выплаты, чеки, бесплатные сессии
    /timezone — ваш часовой пояс (сейчас: { $tz })
    /language — язык бота
    /cancel — выйти из текущего шага
    /help — эта подсказка
help-admin =
    /invite — пригласить специалиста (ссылка на 7 дней)
    /invites — действующие приглашения, отзыв
    /queue — анкеты на модерации
    /payouts — выплаты к оплате, отметка «выплачено»
    /export 2026-11-01 2026-11-30 — CSV за период для бухгалтера
    /stats — специалисты, записи, выручка, комиссия, выплаты
    /audit therapist 7 (или booking 12) — действия администраторов
    /booking 12 — запись: история оплаты, возврат, отмена
    /client 123456789 — записи клиента
    /cases — обращения о форс-мажоре на рассмотрении
    /help — эта подсказка
    /language — язык бота
    /timezone — ваш часовой пояс (сейчас: { $tz })
    /cancel — выйти из текущего шага
help-footer = Если что-то пошло не так, напишите /cancel — и начнём с чистого листа.

## Commands in the Telegram menu (at most 256 characters each)

cmd-start = Начать
cmd-help = Что умеет бот
cmd-language = Язык / Language
cmd-timezone = Часовой пояс
cmd-cancel = Выйти из текущего шага
cmd-mybookings = Мои сессии: оплата, отмена, перенос

## Language

language-choose = Выберите язык бота:
language-button-ru = Русский
language-button-en = English
language-set = Готово: теперь я говорю по-русски.
language-same = Бот уже говорит по-русски.

## Time zone

timezone-ask =
    Ваш часовой пояс сейчас: <b>{ $tz }</b> (там сейчас { $now }).
    Выберите пояс кнопкой или напишите город (например, «Новосибирск»), смещение от UTC («UTC+7») или название зоны («Asia/Novosibirsk»).
timezone-set = Часовой пояс сохранён: <b>{ $tz }</b>. Там сейчас { $now }. Все времена я буду показывать в этом поясе.
timezone-not-understood = Не получилось узнать часовой пояс в «{ $input }». Напишите город из списка кнопок, смещение вроде «UTC+3» или зону вроде «Europe/Moscow» — или нажмите /cancel.
timezone-not-understood-long = Не получилось узнать часовой пояс в этом тексте. Напишите город, смещение вроде «UTC+3» или зону вроде «Europe/Moscow» — или нажмите /cancel.

## Leaving a dialogue and unexpected input

cancel-done = Хорошо, вышли из этого шага. Ничего не сохранено из незаконченного. Что дальше — в /help.
cancel-nothing = Сейчас нечего отменять. Что можно сделать — в /help.
unexpected-text = Я не жду сейчас текста. Выберите команду в меню или напишите /help — там всё, что я умею.
unexpected-command = Такой команды я не знаю. Список команд — в /help.
unexpected-media = Я понимаю здесь только текст и кнопки. Что можно сделать — в /help.
expected-text-or-button = Я жду ответа текстом или нажатия кнопки под предыдущим сообщением. Чтобы выйти, напишите /cancel.
stale-button = Эта кнопка больше не действует. Откройте нужный раздел заново через /help.
group-not-admin-chat = Я работаю в личных сообщениях. Напишите мне лично.
admin-only = Это действие доступно только администраторам платформы.
error-internal = Что-то пошло не так на нашей стороне, и ваше действие не выполнено. Попробуйте ещё раз через минуту. Если повторится, сообщите номер ошибки: <code>{ $id }</code>.

## Shared words

sessions-count = { $count ->
    [one] { $count } сессия
    [few] { $count } сессии
   *[many] { $count } сессий
}
