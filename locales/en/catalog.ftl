# Recommendations (R-CLI-4) and the catalogue of therapists and group programs.
rec-title = Based on your answers, these specialists may suit you:
rec-title-gentle = Thank you for sharing. Right now it is best to start with an individual session with a specialist; these may suit you:
rec-therapist = { $n }. <b>{ $name }</b> — { $price } per session
rec-why = Why: { $reasons }
rec-why-topics = your request: { $topics }
rec-why-topic = “{ $topic }”
rec-why-format-individual = individual sessions, as you wished
rec-why-format-group = a group, as you wished
rec-why-budget = within your budget
rec-why-time = { $count ->
    [one] { $count } free time that suits you
   *[other] { $count } free times that suit you
} in the next 2 weeks
rec-why-language-ru = sessions in Russian
rec-why-language-en = sessions in English
rec-why-individual-first = individual work is the best start now
rec-programs-title = Groups that fit:
rec-program = <b>{ $title }</b> ({ $approach }) — { $price } per meeting, free places: { $places }
rec-none = Nobody fits all of your answers yet. Have a look at the whole catalogue: you can choose a topic, approach, format and price there.
rec-need-questionnaire = To match you with a specialist, please fill in the questionnaire first: /questionnaire. The whole catalogue is open without it: /therapists
rec-btn-profile = { $name }: profile and times
rec-btn-catalogue = Whole catalogue
cmd-therapists = Catalogue of therapists
cmd-recommend = Matches for your questionnaire
cat-title = <b>Therapists</b> (page { $page } of { $pages }). Prices are yours, times in your zone.
cat-line = <b>{ $name }</b> — { $price }; nearest time: { $nearest }
cat-no-price = no price yet
cat-no-times = no free times yet
cat-empty = Nobody matches these filters. Try another topic or price.
cat-any = all
cat-any-price = any
cat-price-up-to = up to { $price }
cat-filter-topic = Topic: { $value }
cat-filter-price = Price: { $value }
cat-prev = ◀ Back
cat-next = Next ▶
cat-filter-modality = Approach: { $value }
cat-filter-format = Format: { $value }
cat-btn-programs = Group programs
cat-programs-title = <b>Group programs</b> (times in your zone):
cat-program = <b>{ $title }</b> ({ $approach }) — weekly, next meeting: { $next }; { $price } per meeting; free places: { $places }
cat-programs-empty = No published programs yet.
cmd-programs-list = Group programs
