# Групповые программы терапевта (/programs). HTML; значения пользователей экранированы.

programs-title = <b>Ваши групповые программы</b>
programs-empty = Программ пока нет. Создайте первую: администраторы проверят её и опубликуют.
programs-new-button = ➕ Новая программа
programs-attach-button = 📎 Презентация: { $title }
programs-submit-button = 📤 Отправить на публикацию
programs-approach = { $id ->
    [psychodynamic] психодинамический подход
    [existential] экзистенциальный подход
    [cbt] когнитивно-поведенческая терапия
    [gestalt] гештальт-терапия
   *[other] другой подход
}
programs-status = { $status ->
    [draft] черновик
    [submitted] отправлена на публикацию
    [returned] возвращена на доработку
    [published] опубликована
   *[archived] в архиве
}
programs-card =
    <b>{ $title }</b> — { $status }
    { $approach }; тема: { $topic }
    { $meetings } встреч по { $minutes } мин, { $weekday } в { $time }
    До { $capacity } участников, { $price } с участника за встречу
    Презентация: { $presentation }
programs-presentation-yes = приложена
programs-presentation-no = нет
programs-intro = <b>Новая групповая программа.</b> Я спрошу по очереди: название, описание, подход, тему, число встреч (каждая — 90 минут), день и время, число мест и цену. Выйти: /cancel.
programs-ask-title = Как называется программа? (до 200 символов)
programs-ask-description = Опишите программу: для кого она, как устроены встречи, чего ждать участникам (до 3000 символов).
programs-ask-approach = В каком подходе программа?
programs-ask-topic = Тема программы, коротко (например, «тревога», «отношения»).
programs-ask-meetings = Сколько встреч в программе? Напишите число от 1 до { $max }. Каждая встреча — 90 минут.
programs-ask-weekday = В какой день недели встречи?
programs-ask-time = Во сколько начинаются встречи? Например, 19:00 (пояс { $zone }).
programs-ask-capacity = Сколько участников в группе? От 5 до 12.
programs-ask-price = Цена одной встречи для одного участника, в рублях (не меньше { $floor }). Например, 1800.
programs-ask-presentation = Пришлите презентацию программы файлом (PDF, до 20 МБ).
programs-too-long = Нужен непустой текст не длиннее { $max } символов. Попробуйте ещё раз.
programs-bad-meetings = Напишите число встреч от 1 до { $max }.
programs-bad-price = Не понял сумму. Напишите цену в рублях, например 1800 или 1 800,50.
programs-price-below-floor = Цена групповой встречи — не меньше { $floor } с участника. Напишите другую цену.
programs-saved = Черновик программы сохранён.
programs-presentation-saved = Презентация приложена.
programs-document-too-big = Файл больше 20 МБ. Пришлите файл поменьше.
programs-not-now-document = Файл сейчас не нужен — сначала ответьте на вопрос.
programs-not-editable = Эту программу уже нельзя менять: она отправлена или опубликована.
programs-not-yours = Этой программы нет среди ваших. Ничего не изменилось.
programs-needs-presentation = Сначала приложите презентацию.
programs-submitted = Программа отправлена на публикацию. Администраторы проверят её и опубликуют; до публикации записаться на неё нельзя.
programs-submitted-short = Отправлено на публикацию.
programs-admin-card = <b>Групповая программа на публикацию</b> от терапевта { $therapist }
programs-admin-publish = ✅ Опубликовать
programs-admin-return = ↩️ Вернуть на доработку
programs-admin-presentation = Презентация программы «{ $title }»
programs-admin-decision = Решение: { $status } ({ $admin }).
programs-admin-decided = По этой программе уже решено: { $status }.
programs-published-therapist = Ваша программа «{ $title }» опубликована: клиенты могут на неё записаться.
programs-returned-therapist = Администраторы вернули программу «{ $title }» на доработку. Они свяжутся с вами; после правок приложите презентацию и отправьте программу снова в /programs.
