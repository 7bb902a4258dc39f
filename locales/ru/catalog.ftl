# Recommendations (R-CLI-4) and the catalogue of therapists and group programs.
rec-title = Вот кто может вам подойти по вашим ответам:
rec-title-gentle = Спасибо, что поделились. Сейчас лучше всего начать с индивидуальной встречи со специалистом — вот кто может подойти:
rec-therapist = { $n }. <b>{ $name }</b> — { $price } за сессию
rec-why = Почему: { $reasons }
rec-why-topics = ваш запрос: { $topics }
rec-why-topic = «{ $topic }»
rec-why-format-individual = индивидуальные сессии, как вы хотели
rec-why-format-group = группа, как вы хотели
rec-why-budget = в пределах вашего бюджета
rec-why-time = { $count ->
    [one] { $count } свободное окно
    [few] { $count } свободных окна
   *[many] { $count } свободных окон
} в удобное вам время за 2 недели
rec-why-language-ru = сессии на русском
rec-why-language-en = сессии на английском
rec-why-individual-first = с индивидуальной работы сейчас лучше начать
rec-programs-title = Группы, которые подходят:
rec-program = <b>{ $title }</b> ({ $approach }) — { $price } за встречу, свободных мест: { $places }
rec-none = Пока никто не подходит ко всем вашим ответам. Посмотрите весь каталог: в нём можно выбрать тему, подход, формат и цену.
rec-need-questionnaire = Чтобы подобрать специалиста, сначала заполните анкету: /questionnaire. Весь каталог открыт и без неё: /therapists
rec-btn-profile = { $name }: профиль и время
rec-btn-catalogue = Весь каталог
cmd-therapists = Каталог специалистов
cmd-recommend = Подбор по анкете
cat-title = <b>Специалисты</b> (страница { $page } из { $pages }). Цена — для вас, время — в вашем поясе.
cat-line = <b>{ $name }</b> — { $price }; ближайшее время: { $nearest }
cat-no-price = цена не указана
cat-no-times = свободного времени пока нет
cat-empty = С такими фильтрами никого нет. Попробуйте другую тему или цену.
cat-any = все
cat-any-price = любая
cat-price-up-to = до { $price }
cat-filter-topic = Тема: { $value }
cat-filter-price = Цена: { $value }
cat-prev = ◀ Назад
cat-next = Дальше ▶
cat-filter-modality = Подход: { $value }
cat-filter-format = Формат: { $value }
cat-btn-programs = Групповые программы
cat-programs-title = <b>Групповые программы</b> (время — в вашем поясе):
cat-program = <b>{ $title }</b> ({ $approach }) — раз в неделю, ближайшая встреча: { $next }; { $price } за встречу; свободных мест: { $places }
cat-programs-empty = Опубликованных программ пока нет.
cmd-programs-list = Групповые программы
