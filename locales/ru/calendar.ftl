# Календарь и записи терапевта (/calendar, /bookings). HTML; значения пользователей экранированы.

cmd-calendar = Календарь: открыть время, неделя
cmd-bookings = Записи клиентов
cmd-programs = Групповые программы
therapist-only-button = Эта кнопка — для терапевтов платформы. Ничего не изменилось. Что вы можете сделать: /help.

## Выбор даты

datepicker-month = { $month ->
    [1] Январь
    [2] Февраль
    [3] Март
    [4] Апрель
    [5] Май
    [6] Июнь
    [7] Июль
    [8] Август
    [9] Сентябрь
    [10] Октябрь
    [11] Ноябрь
   *[12] Декабрь
} { $year }
datepicker-weekdays = Пн Вт Ср Чт Пт Сб Вс
calendar-weekday = { $day ->
    [1] Пн
    [2] Вт
    [3] Ср
    [4] Чт
    [5] Пт
    [6] Сб
   *[7] Вс
}
calendar-weekday-long = { $day ->
    [1] понедельник
    [2] вторник
    [3] среда
    [4] четверг
    [5] пятница
    [6] суббота
   *[7] воскресенье
}

## Виды окон

calendar-kind = { $kind ->
    [i50] индивидуальная сессия, 50 мин
    [i60] индивидуальная сессия, 60 мин
    [g90] группа, 90 мин
   *[c15] предварительная консультация, 15 мин
}

## Неделя

calendar-week-title =
    <b>Ваш календарь: { $from } – { $to }</b>
    Время указано в поясе { $zone }.
calendar-week-empty = На эти дни окон нет. Откройте время кнопками ниже.
calendar-free = свободно
calendar-booked = занято
calendar-seats = записано { $booked } из { $capacity }
calendar-close-hint = Кнопка «Закрыть» убирает свободное окно. Занятое окно закрыть нельзя: его отменяют через запись в /bookings.
calendar-close-button = Закрыть { $when }
calendar-prev-week = ◀ Предыдущая неделя
calendar-next-week = Следующая неделя ▶
calendar-open-one = ➕ Открыть окно
calendar-open-weekly = 🔁 Еженедельные окна
calendar-show-week = 📅 Неделя вперёд

## Открытие окна

calendar-pick-date =
    <b>Новое окно.</b> Выберите день (время — в поясе { $zone }).
    Прошедшие дни выбрать нельзя. Выйти: /cancel.
calendar-pick-first-date =
    <b>Еженедельные окна.</b> Выберите первый день: окна будут в этот день недели (время — в поясе { $zone }).
    Выйти: /cancel.
calendar-pick-time =
    День: <b>{ $date }</b>. Во сколько начало? Выберите время кнопкой или напишите, например, 9:15 (пояс { $zone }).
calendar-pick-time-weekly =
    Каждую неделю: <b>{ $weekday }</b>, начиная с { $date }. Во сколько начало? Выберите время кнопкой или напишите, например, 9:15 (пояс { $zone }).
calendar-later-times = Позже: 15:00–21:30 ▶
calendar-earlier-times = ◀ Раньше: 08:00–14:30
calendar-pick-kind = <b>{ $date }, { $time }</b> ({ $zone }). Для чего это окно?
calendar-pick-capacity = Сколько участников может быть в группе? От 5 до 12.
calendar-pick-weeks = Сколько недель подряд открыть? От 1 до { $max }.
calendar-date-past = Этот день уже прошёл. Выберите сегодняшний или более поздний день.
calendar-date-too-far = Так далеко вперёд открыть окно нельзя: не дальше чем на год. Выберите другой день.
calendar-time-past = Это время уже прошло. Выберите более позднее время.
calendar-time-not-understood = Не понял время. Напишите часы и минуты, например 10:00 или 9.30, или выберите кнопку.
calendar-use-buttons = Сейчас нужно нажать кнопку под последним сообщением. Выйти: /cancel.
calendar-opened-one = Готово: окно открыто — <b>{ $when }</b>, { $kind }.
calendar-moved-gap = В этот день переводят часы: времени, которое вы выбрали, нет, поэтому окно начнётся в { $time }.
calendar-moved-ambiguous = В этот день переводят часы и это время бывает дважды: окно начнётся в первое из них, { $time } по летнему времени.
calendar-overlap = Окно не открыто: оно пересекается с вашим окном <b>{ $when }</b> ({ $kind }). Выберите другое время.
calendar-overlap-gone = Окно не открыто: в это время уже было другое окно. Выберите другое время.
calendar-series-report =
    <b>Еженедельные окна</b>: { $kind }, каждый { $weekday } в { $time } ({ $zone }).
    Открыто: { $opened }. Пропущено: { $skipped }.
calendar-series-opened = Открыты:
calendar-series-skipped = Пропущены (остальные открыты):
calendar-series-overlap = пересекается с окном { $when } ({ $kind })
calendar-closed = Окно закрыто: { $when }.
calendar-close-not-yours = Этого окна нет в вашем календаре. Ничего не изменилось.
calendar-close-already-closed = Это окно уже закрыто.
calendar-close-booked = На это окно уже записались, поэтому закрыть его нельзя. Отмените запись в /bookings — клиент получит деньги обратно.

## Записи (/bookings)

bookings-title = <b>Ваши записи</b> (время — в поясе { $zone })
bookings-empty = Предстоящих записей нет.
bookings-more = И ещё { $count } — они появятся здесь, когда пройдут ближайшие.
bookings-paid = оплачено
bookings-awaiting-payment = ждёт оплаты
bookings-cancel-button = Отменить: { $who }
bookings-held-button = ✓ Состоялась: { $who }
bookings-no-show-button = ✗ Клиент не пришёл
bookings-not-yours = Этой записи нет среди ваших. Ничего не изменилось.
bookings-not-started = Сессия ещё не началась: отметить её можно после начала.
bookings-not-paid-yet = Запись не оплачена, поэтому отметить сессию нельзя.
bookings-already-settled = С этой записью уже ничего сделать нельзя: она отменена, истекла или уже отмечена.
bookings-changed = Запись только что изменилась. Откройте /bookings ещё раз.
bookings-cancel-started = Сессия уже началась, отменить её нельзя.
bookings-cancel-group-button = Отменить группу: { $when } ({ $count })
bookings-confirm = Отменить сессию <b>{ $when }</b> ({ $kind }) — { $clients }?
bookings-effect-refund = Оплатившие клиенты получат деньги полностью.
bookings-effect-nothing-paid = Оплаты не было: возвращать нечего.
bookings-effect-late = До начала меньше 24 часов: деньги вернутся клиентам полностью, а следующая ваша сессия с каждым оплатившим клиентом будет бесплатной. Если причина — форс-мажор, приложите документ: если администратор его примет, бесплатная сессия не понадобится.
bookings-effect-closed = Это время закроется в календаре, чтобы на него никто не записался.
bookings-effect-closed-done = Время закрыто в календаре; клиентам мы сообщили.
bookings-cancelled = Сессия <b>{ $when }</b> отменена — { $clients }.
bookings-fm-ask = Пришлите документ о форс-мажоре (файлом: PDF или скан) по отменённой сессии { $when }. Выйти: /cancel.
bookings-confirm-yes = Да, отменить
bookings-confirm-no = Нет, оставить
bookings-back = ◀ К записям
bookings-fm-button = 📎 Приложить документ о форс-мажоре
bookings-fm-send-document = Пришлите документ файлом (скрепка → Файл). Выйти: /cancel.
bookings-fm-received = Документ получен и передан администраторам. Пока они его не приняли, следующая сессия с этим клиентом (клиентами) остаётся бесплатной.
bookings-fm-exists = Документ по этой отмене уже отправлен администраторам.
bookings-marked-held = Отмечено: сессия с { $client } состоялась.
bookings-marked-no-show = Отмечено: { $client } не пришёл(-ла).
bookings-client-cancelled = Терапевт { $therapist } отменил(а) вашу сессию <b>{ $when }</b>. Нам очень жаль.
bookings-client-refund = Деньги за сессию вернутся вам полностью.
bookings-client-nothing-paid = Оплаты не было, поэтому ничего не списано.
bookings-client-free-next = Следующая сессия с терапевтом { $therapist } для вас будет бесплатной.
