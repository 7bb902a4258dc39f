# proEgo bot: the foundation's words (English).
# Texts are sent with parse_mode=HTML: only Telegram's tags; user-provided values arrive escaped.

## Greetings and help, per role

start-greeting-client =
    Hello, { $name }! I am the bot of <b>proEgo.online</b>: I help you find a psychotherapist or a therapy group, book an online session and pay for it.
start-greeting-therapist =
    Hello, { $name }! This is your therapist's office at <b>proEgo.online</b>.
start-greeting-admin =
    Hello, { $name }! You are an administrator of <b>proEgo.online</b>. Admin work happens in the admins' chat.
start-what-you-can-do = What you can do:
help-client =
    /start — start over
    /therapists — the catalogue of therapists and groups
    /programs_list — group programs
    /recommend — matches for your questionnaire
    /questionnaire — the questionnaire to find a therapist
    /tests — the PHQ-9 and GAD-7 tests
    /mybookings — your sessions: pay, cancel, move
    /mydata — your data, and deleting it
    /timezone — your time zone (now: { $tz })
    /language — the bot's language
    /cancel — leave the current step
    /help — this help
help-therapist =
    /start — your therapist's office
    /profile — your profile and the card clients see: edit any field
    /prices — your prices, when they may change, clients with a locked price
    /calendar — calendar: open times, the week ahead
    /bookings — clients' bookings: cancel, mark held
    /programs — group programs
    /payouts — payouts, receipts, free sessions owed
    /timezone — your time zone (now: { $tz })
    /language — the bot's language
    /cancel — leave the current step
    /help — this help
help-admin =
    /invite — invite a therapist (a link valid 7 days)
    /invites — pending invites, revoke
    /queue — profiles waiting for moderation
    /payouts — payouts due, mark paid
    /export 2026-11-01 2026-11-30 — the accountant's CSV of a period
    /stats — therapists, bookings, revenue, commission, payouts due
    /audit therapist 7 (or booking 12) — admin actions recorded
    /booking 12 — a booking: money history, refund, cancel
    /client 123456789 — a client's bookings
    /cases — force-majeure cases waiting for a decision
    /help — this help
    /language — the bot's language
    /timezone — your time zone (now: { $tz })
    /cancel — leave the current step
help-footer = If something goes wrong, send /cancel and we start afresh.

## Commands in the Telegram menu (at most 256 characters each)

cmd-start = Start
cmd-help = What the bot can do
cmd-language = Language / Язык
cmd-timezone = Time zone
cmd-cancel = Leave the current step
cmd-mybookings = My sessions: pay, cancel, move

## Language

language-choose = Choose the bot's language:
language-button-ru = Русский
language-button-en = English
language-set = Done: I speak English now.
language-same = The bot already speaks English.

## Time zone

timezone-ask =
    Your time zone now: <b>{ $tz }</b> (it is { $now } there).
    Pick a zone with a button, or type a city (e.g. "Novosibirsk"), an offset from UTC ("UTC+7") or a zone name ("Asia/Novosibirsk").
timezone-set = Time zone saved: <b>{ $tz }</b>. It is { $now } there. I will show every time in this zone.
timezone-not-understood = I could not find a time zone in "{ $input }". Type a city from the buttons, an offset like "UTC+3" or a zone like "Europe/Moscow", or send /cancel.
timezone-not-understood-long = I could not find a time zone in that text. Type a city, an offset like "UTC+3" or a zone like "Europe/Moscow", or send /cancel.

## Leaving a dialogue and unexpected input

cancel-done = OK, we left that step. Nothing unfinished was saved. What next: /help.
cancel-nothing = There is nothing to cancel right now. What you can do: /help.
unexpected-text = I am not expecting text right now. Pick a command in the menu or send /help to see everything I can do.
unexpected-command = I do not know that command. The list of commands: /help.
unexpected-media = Here I understand only text and buttons. What you can do: /help.
expected-text-or-button = I am waiting for a text answer or a tap on a button under my previous message. To leave, send /cancel.
stale-button = This button no longer works. Open the section again from /help.
group-not-admin-chat = I work in private messages. Please write to me directly.
admin-only = This action is for the platform's administrators only.
error-internal = Something went wrong on our side and your action was not done. Please try again in a minute. If it happens again, tell us the error number: <code>{ $id }</code>.

## Shared words

sessions-count = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
