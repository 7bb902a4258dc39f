# Запись в групповые программы (R-GRP-2, R-GRP-3, R-SES-1).

## Карточка программы для клиента
enrol-card =
    <b>{ $title }</b>
    Подход: { $approach }. Ведущий: { $therapist }.
    { $weekly }
    Встреч: { $meetings } по { $minutes } мин (впереди: { $ahead }).
    Цена встречи для вас: { $price }. Свободных мест: { $places } из { $capacity }.
enrol-card-weekly = Раз в неделю: { $weekday } в { $time } ({ $zone }). Ближайшая встреча: { $next }.
enrol-card-no-meetings = Встреч впереди нет.
enrol-card-consultation-required = В эту группу записываются после бесплатной 15-минутной консультации с ведущим: он решает, подходит ли вам группа.
enrol-card-enrolled = ✅ Вы записаны в программу. Выберите встречи.
enrol-presentation = Презентация программы «{ $title }»
enrol-btn-enrol = ✍️ Записаться
enrol-btn-meetings = 📅 Встречи программы
enrol-btn-therapist = 👤 О ведущем
enrol-btn-open = Открыть программу
enrol-btn-open-program = Программа: { $title }
enrol-btn-book-consultation = 📅 Записаться на бесплатную консультацию
enrol-consultation-booked = Консультация с ведущим ({ $therapist }) уже назначена. После неё ведущий решит, подходит ли вам группа, и я сообщу.
enrol-enrolled = Вы записаны в программу «{ $title }». Каждая встреча оплачивается отдельно; выберите встречи ниже.
enrol-enrolled-short = Вы записаны.
enrol-not-enrolled = Записываться на встречи программы можно после записи в неё. Откройте программу и нажмите «Записаться».

## Встречи программы
enrol-meetings-title = <b>Встречи программы «{ $title }»</b> (время — { $zone }):
enrol-meeting-free = • { $when } — свободно мест: { $places }
enrol-meeting-full = • { $when } — мест нет
enrol-meeting-booked = • { $when } — ✅ вы записаны

## Терапевт: решение после консультации
enrol-therapist-counts = Записались: { $enrolled }. Встреч впереди: { $meetings }.
enrol-therapist-awaiting = • { $client } — консультация прошла, ждёт вашего решения
enrol-btn-admit = ✅ Принять: { $client }
enrol-btn-decline = ✖️ Отказать: { $client }
enrol-admitted-short = Клиент принят, я сообщил ему.
enrol-declined-short = Отказ отправлен клиенту.
enrol-decision-stale = Это решение уже принято или недоступно вам. Ничего не изменилось.
enrol-admitted-client = Ведущий принял вас в программу «{ $title }». Откройте её, чтобы записаться и выбрать встречи.
enrol-declined-client = Спасибо, что пришли на консультацию. Ведущий считает, что программа «{ $title }» сейчас вам не подходит. Вы можете выбрать другую группу или индивидуальную сессию: /therapists, /programs_list.

## Администраторы: публикация и возврат
enrol-published-therapist = Ваша программа «{ $title }» опубликована: клиенты могут на неё записаться. Встречи ({ $meetings }) добавлены в ваш календарь, первая — { $first }.
enrol-publish-overlap = Программу нельзя опубликовать: встреча { $meeting } пересекается с открытым слотом терапевта { $slot } ({ $kind }). Ничего не изменилось; пусть терапевт закроет слот или изменит время программы.
enrol-publish-overlap-gone = Программу нельзя опубликовать: встреча { $meeting } пересекается с другим слотом терапевта. Ничего не изменилось.
enrol-publish-refused-short = Не опубликовано: пересечение в календаре.
enrol-ask-return-comment = { $admin }, напишите ответом комментарии к программе «{ $title }» для терапевта (от 3 до 2000 символов). Отменить: /cancel.
enrol-bad-return-comment = Нужен комментарий от 3 до 2000 символов. Напишите ещё раз или /cancel.
enrol-returned-by = Возвращена на доработку ({ $admin }). Комментарии: { $comment }
enrol-returned-done = Программа возвращена, терапевт получит комментарии.
enrol-returned-therapist = Администраторы вернули программу «{ $title }» на доработку. Комментарии: { $comment }
    После правок приложите презентацию и отправьте программу снова в /programs.
enrol-return-comment = Комментарии администраторов: { $comment }
enrol-request-therapist = { $client } хочет в программу «{ $title }». После предварительной консультации примите решение в /programs.
