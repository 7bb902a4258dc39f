# proEgo bot: the words of the domain core (src/domain), one message for every id in
# proego::domain::LOCALE_KEYS (Russian is the source language).
# Texts are sent with parse_mode=HTML; these use no tags, so they also fit plain-text places
# such as a button's pop-up answer.
# Variables (see the key() docs in src/domain):
#   $floor            a formatted amount (Money::format), e.g. "2 500 ₽"
#   $next_allowed_at  a formatted date and time in the therapist's zone
#   $size             a number of sessions (package-error-invalid-size)
#   $max, $min        numbers of weeks or participants
#   $minutes          a number of minutes
# Numbers must be passed as numbers (not text) so that the plural forms work.

## Errors of the domain module

domain-error-unknown-value = Что-то пошло не так на нашей стороне: не получилось прочитать сохранённые данные. Попробуйте ещё раз позже. Если ошибка повторится, напишите в поддержку.

## Amounts of money typed by a person

money-error-empty = Вы не указали сумму. Напишите её числом, например 2500.
money-error-not-a-number = Не получилось понять сумму. Напишите её числом, например 2500 или 2500,50.
money-error-negative = Сумма не может быть отрицательной. Напишите её без минуса, например 2500.
money-error-too-many-decimals = После запятой можно указать не больше двух цифр — копейки. Например: 2500,50.
money-error-too-large = Сумма слишком большая. Проверьте её и напишите ещё раз.
money-error-ambiguous = Не понятно, что это: тысячи или копейки. Напишите сумму без разделителя, например 2500, а копейки — двумя цифрами после запятой, например 2,50.

## Prices

price-error-below-floor = Цена ниже минимальной для этого вида сессий: { $floor }. Укажите сумму не меньше.
price-error-too-soon = Цену для новых клиентов можно менять не чаще раза в полгода. Следующее изменение возможно с { $next_allowed_at }. До тех пор действует текущая цена.

## Packages of sessions

package-error-invalid-size = { $size ->
    [one] Пакета из { $size } сессии нет. Выберите один из предложенных пакетов.
   *[other] Пакета из { $size } сессий нет. Выберите один из предложенных пакетов.
}
package-error-too-large = Стоимость такого пакета слишком большая. Выберите другой пакет.
package-error-no-credits-left = В пакете не осталось сессий. Чтобы записаться, оплатите сессию отдельно или купите новый пакет.
package-error-nothing-to-return = Вернуть в пакет нечего: в нём нет использованных сессий.
package-error-nothing-to-refund = В пакете нет неиспользованных сессий, поэтому возвращать за них нечего.
package-error-inconsistent = Что-то не так с данными пакета на нашей стороне. Попробуйте ещё раз позже. Если ошибка повторится, напишите в поддержку.

## Bookings

booking-error-not-confirmed = Эта запись ещё не оплачена. Оплатите её, и тогда можно будет продолжить.
booking-error-expired = Время на оплату этой записи истекло, и она снята. Выберите время и запишитесь заново.
booking-error-cancelled = Эта запись уже отменена. Если хотите прийти на сессию, запишитесь заново.
booking-error-finished = Эта сессия уже прошла, поэтому запись изменить нельзя.

## Payments (internal inconsistencies; an admin looks at them)

payment-error-forbidden = С оплатой что-то пошло не так. Администратор проверит платёж и свяжется с вами.
payment-error-refund-exceeds-captured = С возвратом по этому платежу что-то пошло не так. Администратор проверит платёж и свяжется с вами.

## Cancellations

cancel-error-already-started = Сессия уже началась, поэтому отменить её нельзя. Если что-то случилось, напишите в поддержку.
cancel-error-not-cancellable = Эту запись уже нельзя отменить: она отменена, не оплачена вовремя или сессия уже прошла. Откройте свои записи заново, чтобы увидеть, что с ними сейчас.

## Times, intervals and zones

schedule-error-empty-interval = Время окончания должно быть позже времени начала. Укажите время ещё раз.
schedule-error-unknown-zone = Такого часового пояса я не знаю. Выберите пояс из списка или напишите его название, например Europe/Moscow.
schedule-error-too-many-weeks = { $max ->
    [one] За один раз можно открыть не больше { $max } недели. Укажите срок покороче.
   *[other] За один раз можно открыть не больше { $max } недель. Укажите срок покороче.
}
schedule-error-out-of-range = Эта дата слишком далеко. Выберите дату поближе.
schedule-error-bad-duration = { $minutes ->
    [one] Сессия такого вида не может длиться { $minutes } минуту. Выберите одну из предложенных длительностей.
    [few] Сессия такого вида не может длиться { $minutes } минуты. Выберите одну из предложенных длительностей.
   *[other] Сессия такого вида не может длиться { $minutes } минут. Выберите одну из предложенных длительностей.
}
schedule-error-nonexistent-local-time = В этот день такого времени нет из-за перевода часов. Выберите другое время.

## Group programs

group-error-capacity-too-small = { $min ->
    [one] В группе должно быть место хотя бы для { $min } участника. Укажите число не меньше.
   *[other] В группе должно быть место хотя бы для { $min } участников. Укажите число не меньше.
}
group-error-capacity-too-large = { $max ->
    [one] В группе может быть не больше { $max } участника. Укажите число поменьше.
   *[other] В группе может быть не больше { $max } участников. Укажите число поменьше.
}
group-error-price-below-floor = Цена за участника ниже минимальной: { $floor }. Укажите сумму не меньше.
group-error-no-meetings = В программе должна быть хотя бы одна встреча. Укажите число встреч.

## Enrolment in a group

enrol-error-not-published = Запись в эту группу ещё не открыта. Загляните позже или выберите другую группу.
enrol-error-consultation-required = Чтобы записаться в эту группу, сначала пройдите бесплатную предварительную консультацию с ведущим (15 минут). После неё ведущий решит, подходит ли вам группа.
enrol-error-awaiting-admission = Консультация прошла, ведущий группы ещё принимает решение. Пожалуйста, дождитесь его ответа.
enrol-error-not-admitted = К сожалению, ведущий не подтвердил ваше участие в этой группе. Вы можете выбрать другую группу или индивидуальную сессию.
enrol-error-full = В этой группе больше нет свободных мест. Выберите другую группу.

## Tests (PHQ-9, GAD-7)

test-error-wrong-answer-count = Ответы есть не на все вопросы теста. Пожалуйста, пройдите тест заново.
test-error-answer-out-of-range = Один из ответов не совпадает с предложенными вариантами. Пожалуйста, пройдите тест заново.

# Severity bands, shown to the client in plain words (not a diagnosis); lower case, as they
# may be put inside a sentence.
test-band-minimal = минимальные симптомы
test-band-mild = лёгкие симптомы
test-band-moderate = умеренные симптомы
test-band-moderately-severe = умеренно выраженные симптомы
test-band-severe = выраженные симптомы

## The therapist's onboarding checklist (short labels)

readiness-full-name = Полное имя
readiness-photo = Фото
readiness-bio = Коротко о себе
readiness-education = Образование
readiness-years-of-practice = Стаж практики
readiness-languages = Языки
readiness-time-zone = Часовой пояс
readiness-video-room = Ссылка на видеокомнату
readiness-topics = Темы, с которыми вы работаете
readiness-modalities = Подходы и методы
readiness-client-types = Типы клиентов
readiness-formats = Форматы: индивидуально или в группе
readiness-prices = Цены
readiness-calendar = Свободное время в календаре
readiness-presentations = Презентации и материалы
readiness-payout-details = Реквизиты для выплат
readiness-tax-certificate = Налоговый статус и справка из ФНС
readiness-offer-accepted = Согласие с публичной офертой
readiness-privacy-accepted = Согласие с политикой конфиденциальности
readiness-ethics-accepted = Согласие с правилами и этикой сессий

## Settings (read by operators)

settings-error-non-positive-duration = Длительность в настройках должна быть больше нуля, а запас до списания холда — меньше срока холда.
settings-error-bad-percent = Комиссия в настройках должна быть от 0 до 100 %.
settings-error-bad-capacity = Вместимость групп в настройках должна быть такой: 1 ≤ минимум ≤ предел малой группы ≤ максимум.
settings-error-bad-package-sizes = Размеры пакетов: нужен непустой список положительных чисел.
settings-error-bad-months = Интервал смены цены должен быть не меньше одного месяца.
