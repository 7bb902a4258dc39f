# Client intake: consent (R-CLI-1), questionnaire (R-CLI-2), tests (R-CLI-3), my data (R-CLI-7).

## Consent

intake-consent =
    I will help you choose a therapist or a group: a few questions about what brings you here and your preferences, two short optional tests, and I will explain why I recommend each therapist.
    Answers about how you feel are health data. We keep them protected, show them only to the therapist you book, and delete them when you ask (/mydata). Details: the <a href="https://proego.online/privacy">privacy policy</a>.

    Do you consent to the processing of your health data?
intake-consent-accept = I agree
intake-consent-decline = Not now
intake-consent-given = Thank you! Your consent is recorded ({ $at }). You can withdraw it and delete your data at any time: /mydata.
intake-consent-declined = All right. I will not ask about or keep anything about how you feel. If you change your mind: /questionnaire.
intake-needs-consent = To ask about how you feel, I need your consent to process health data.

## Questionnaire

intake-start-button = Fill in the questionnaire
intake-continue-button = Continue the questionnaire
intake-invite = The questionnaire takes 3–5 minutes. You can go back a step, skip optional questions and continue later: your answers are saved.
intake-progress = Question { $n } of { $total }
intake-multi-hint = Tick everything that applies, then tap "Done".
intake-scale-hint = 0 is very bad, 10 is excellent.
intake-text-hint = Type your answer as a message (up to { $max } characters).
intake-done-button = Done ✓
intake-back-button = ← Back
intake-skip-button = Skip
intake-error-nothing-ticked = Tick at least one option, then tap "Done".
intake-error-too-long = The answer is longer than { $max } characters ({ $len } now). Please shorten it.
intake-error-empty = The answer is empty. Write a few words or tap "Skip".
intake-error-use-buttons = This question is answered with the buttons under it. To pause, send /cancel: your answers are kept.
intake-paused = The questionnaire is saved. Continue any time: /questionnaire.
intake-complete = Thank you, the questionnaire is complete! I will show session times in { $tz } (change: /timezone).
intake-already-complete = The questionnaire is already complete. You can fill it in again: your earlier answers will be replaced.
intake-restart-button = Fill in again
intake-your-answer = Your answer: { $answer }
intake-skipped = skipped

## The questions (dialogues/questionnaire.toml)

quiz-request = What would you like to work on? You can choose several.
quiz-request-anxiety = Anxiety, worry
quiz-request-low-mood = Low mood
quiz-request-relationships = Relationships
quiz-request-family = Family, children
quiz-request-burnout = Burnout, work
quiz-request-grief = Loss, grief
quiz-request-trauma = Traumatic experience
quiz-request-self-esteem = Self-esteem
quiz-request-life-changes = Life changes, crisis
quiz-request-other = Something else
quiz-details = If you like, describe it in your own words: what is happening and what you hope for from therapy.
quiz-state = How would you rate how you have felt over the last two weeks, from 0 to 10?
quiz-risk = Over the last two weeks, have you had thoughts of harming yourself or that you would be better off dead?
quiz-risk-never = No
quiz-risk-sometimes = Sometimes
quiz-risk-often = Often
quiz-format = Which format suits you better?
quiz-format-individual = Individual sessions
quiz-format-group = A therapy group
quiz-format-either = Either
quiz-group-ready = Are you ready to talk about your experience in a group of 5–12 people?
quiz-group-ready-yes = Yes
quiz-group-ready-unsure = Not sure
quiz-group-ready-no = Rather not
quiz-budget = What budget per session is comfortable for you?
quiz-budget-up-to-2500 = Up to RUB 2,500
quiz-budget-up-to-4000 = Up to RUB 4,000
quiz-budget-up-to-6000 = Up to RUB 6,000
quiz-budget-any = Does not matter
quiz-time-of-day = When are you usually free?
quiz-time-of-day-morning = Mornings
quiz-time-of-day-afternoon = Afternoons
quiz-time-of-day-evening = Evenings
quiz-time-of-day-weekend = Weekends
quiz-gender = Do you prefer a therapist of a particular gender?
quiz-gender-female = A woman
quiz-gender-male = A man
quiz-gender-any = Does not matter
quiz-language = In which language would you like to have sessions?
quiz-language-ru = Russian
quiz-language-en = English
quiz-language-any = Does not matter

## Tests (PHQ-9, GAD-7)

tests-offer =
    If you like, two short tests used by clinicians worldwide: PHQ-9 (mood, 9 questions) and GAD-7 (anxiety, 7 questions). They are not a diagnosis but a guide for you and your therapist.
tests-phq9-button = Take PHQ-9
tests-gad7-button = Take GAD-7
tests-skip-button = Not now
tests-skipped = All right, you can take the tests later: /tests.
test-name-phq9 = PHQ-9 (mood)
test-name-gad7 = GAD-7 (anxiety)
tests-intro = Over the last 2 weeks, how often have you been bothered by the following?
tests-question = { $test }, question { $n } of { $total }
test-answer-0 = Not at all
test-answer-1 = Several days
test-answer-2 = More than half the days
test-answer-3 = Nearly every day
phq9-item-1 = Little interest or pleasure in doing things
phq9-item-2 = Feeling down, depressed, or hopeless
phq9-item-3 = Trouble falling or staying asleep, or sleeping too much
phq9-item-4 = Feeling tired or having little energy
phq9-item-5 = Poor appetite or overeating
phq9-item-6 = Feeling bad about yourself, or that you are a failure or have let yourself or your family down
phq9-item-7 = Trouble concentrating on things, such as reading or watching television
phq9-item-8 = Moving or speaking so slowly that other people could have noticed, or being so fidgety or restless that you have been moving around a lot more than usual
phq9-item-9 = Thoughts that you would be better off dead, or of hurting yourself
gad7-item-1 = Feeling nervous, anxious, or on edge
gad7-item-2 = Not being able to stop or control worrying
gad7-item-3 = Worrying too much about different things
gad7-item-4 = Trouble relaxing
gad7-item-5 = Being so restless that it is hard to sit still
gad7-item-6 = Becoming easily annoyed or irritable
gad7-item-7 = Feeling afraid, as if something awful might happen
tests-result = <b>{ $test }</b>: { $score } of { $max }, { $band }.
tests-result-note = This is not a diagnosis. It helps your therapist understand what brings you; you can discuss it at your first session.
tests-not-saved = The result was not saved: there is no consent to process health data.

## Crisis help (R-CLI-3)

crisis-help =
    <b>If things are very hard right now, you are not alone.</b> Free, day and night (Russia):
    • 112: emergency services;
    • 8-800-2000-122: helpline for children, teenagers and parents;
    • +7 (495) 989-50-50: emergency psychological help of the Ministry of Emergency Situations;
    • 051 (from a mobile +7 (495) 051): psychological help in Moscow.
    If a life is in danger, call 112. You can book an individual session with a therapist at any time; we will help you choose.
admin-risk-flag = ⚠️ Risk signal: client { $name } ({ $source }). Answers are not shown; please contact the client with care.
admin-risk-source-questionnaire = a questionnaire answer
admin-risk-source-phq9 = PHQ-9, question 9
admin-risk-contact = Message the client

## My data (R-CLI-7)

mydata-title = <b>Your data</b>
mydata-consent = Consent to process health data: given { $at }.
mydata-no-consent = No consent to process health data: nothing about how you feel is kept.
mydata-questionnaire-complete = Questionnaire (version { $version }) completed { $at }:
mydata-questionnaire-partial = Questionnaire (version { $version }), not finished:
mydata-questionnaire-none = No questionnaire filled in.
mydata-tests-none = No tests taken.
mydata-test-line = { $test }: { $score } of { $max }, { $band } ({ $at })
mydata-bookings = Session bookings: { $count }. Bookings and payments are kept as long as accounting requires and are anonymised on deletion.
mydata-delete-button = Delete my health data
mydata-delete-confirm = Delete your consent, questionnaire answers and test results? This happens at once and cannot be undone.
mydata-delete-yes = Yes, delete
mydata-delete-no = No, keep them
mydata-deleted = Done: your health data is deleted. Bookings and payments are kept only for accounting.
mydata-kept = All right, nothing was deleted.

## Menu

cmd-questionnaire = Questionnaire to find a therapist
cmd-tests = PHQ-9 and GAD-7 tests
cmd-mydata = My data
