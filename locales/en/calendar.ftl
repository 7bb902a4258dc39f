# The therapist's calendar and bookings (/calendar, /bookings). HTML; user values arrive escaped.

cmd-calendar = Calendar: open times, the week
cmd-bookings = Clients' bookings
cmd-programs = Group programs
therapist-only-button = This button is for the platform's therapists. Nothing changed. What you can do: /help.

## Date picker

datepicker-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
datepicker-weekdays = Mo Tu We Th Fr Sa Su
calendar-weekday = { $day ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
calendar-weekday-long = { $day ->
    [1] Monday
    [2] Tuesday
    [3] Wednesday
    [4] Thursday
    [5] Friday
    [6] Saturday
   *[7] Sunday
}

## Kinds of slots

calendar-kind = { $kind ->
    [i50] individual session, 50 min
    [i60] individual session, 60 min
    [g90] group, 90 min
   *[c15] preliminary consultation, 15 min
}

## The week

calendar-week-title =
    <b>Your calendar: { $from } – { $to }</b>
    Times are in { $zone }.
calendar-week-empty = No open times on these days. Open some with the buttons below.
calendar-free = free
calendar-booked = booked
calendar-seats = { $booked } of { $capacity } seats taken
calendar-close-hint = "Close" removes a free time. A booked time cannot be closed: cancel it through the booking in /bookings.
calendar-close-button = Close { $when }
calendar-prev-week = ◀ Previous week
calendar-next-week = Next week ▶
calendar-open-one = ➕ Open a time
calendar-open-weekly = 🔁 Weekly times
calendar-show-week = 📅 The week ahead

## Opening a time

calendar-pick-date =
    <b>New time.</b> Pick the day (times in { $zone }).
    Past days cannot be picked. To leave: /cancel.
calendar-pick-first-date =
    <b>Weekly times.</b> Pick the first day: the times repeat on that weekday (times in { $zone }).
    To leave: /cancel.
calendar-pick-time =
    Day: <b>{ $date }</b>. When does it start? Pick a time or type one, e.g. 9:15 ({ $zone }).
calendar-pick-time-weekly =
    Every <b>{ $weekday }</b>, starting { $date }. When does it start? Pick a time or type one, e.g. 9:15 ({ $zone }).
calendar-later-times = Later: 15:00–21:30 ▶
calendar-earlier-times = ◀ Earlier: 08:00–14:30
calendar-pick-kind = <b>{ $date }, { $time }</b> ({ $zone }). What is this time for?
calendar-pick-capacity = How many participants can the group have? From 5 to 12.
calendar-pick-weeks = For how many weeks in a row? From 1 to { $max }.
calendar-date-past = That day is over. Pick today or a later day.
calendar-date-too-far = That is too far ahead: at most a year. Pick another day.
calendar-time-past = That time is already over. Pick a later time.
calendar-time-not-understood = I did not understand the time. Type hours and minutes, e.g. 10:00 or 9.30, or pick a button.
calendar-use-buttons = Please tap a button under my last message. To leave: /cancel.
calendar-opened-one = Done: the time is open — <b>{ $when }</b>, { $kind }.
calendar-moved-gap = The clocks change that day and the time you picked does not exist, so it starts at { $time }.
calendar-moved-ambiguous = The clocks change that day and this time happens twice: it starts at the first one, { $time } summer time.
calendar-overlap = Not opened: it overlaps your time <b>{ $when }</b> ({ $kind }). Pick another time.
calendar-overlap-gone = Not opened: another time of yours was in the way. Pick another time.
calendar-series-report =
    <b>Weekly times</b>: { $kind }, every { $weekday } at { $time } ({ $zone }).
    Opened: { $opened }. Skipped: { $skipped }.
calendar-series-opened = Opened:
calendar-series-skipped = Skipped (the others are open):
calendar-series-overlap = overlaps your time { $when } ({ $kind })
calendar-closed = Closed: { $when }.
calendar-close-not-yours = This time is not in your calendar. Nothing changed.
calendar-close-already-closed = This time is already closed.
calendar-close-booked = Someone has booked this time, so it cannot be closed. Cancel the booking in /bookings — the client gets their money back.

## Bookings (/bookings)

bookings-title = <b>Your bookings</b> (times in { $zone })
bookings-empty = No upcoming bookings.
bookings-more = And { $count } more — they appear here as the nearest ones pass.
bookings-paid = paid
bookings-awaiting-payment = awaiting payment
bookings-cancel-button = Cancel: { $who }
bookings-held-button = ✓ Held: { $who }
bookings-no-show-button = ✗ Client did not come
bookings-not-yours = This booking is not one of yours. Nothing changed.
bookings-not-started = The session has not started yet: mark it after it starts.
bookings-not-paid-yet = The booking is not paid, so the session cannot be marked.
bookings-already-settled = Nothing more can be done with this booking: it is cancelled, expired or already marked.
bookings-changed = The booking has just changed. Open /bookings again.
bookings-cancel-started = The session has started and can no longer be cancelled.
bookings-cancel-group-button = Cancel the group: { $when } ({ $count })
bookings-confirm = Cancel the session <b>{ $when }</b> ({ $kind }) — { $clients }?
bookings-effect-refund = Clients who paid get their money back in full.
bookings-effect-nothing-paid = Nothing was paid: there is nothing to refund.
bookings-effect-late = It is less than 24 hours before the start: the clients get their money back in full and your next session with each client who paid is free. If it is force majeure, attach a document: if an admin accepts it, the free session is not owed.
bookings-effect-closed = The time will be closed in your calendar so that nobody books it.
bookings-effect-closed-done = The time is closed in your calendar; we told the clients.
bookings-cancelled = The session <b>{ $when }</b> is cancelled — { $clients }.
bookings-fm-ask = Send the force-majeure document (as a file: PDF or a scan) for the cancelled session { $when }. To leave: /cancel.
bookings-confirm-yes = Yes, cancel
bookings-confirm-no = No, keep it
bookings-back = ◀ Back to bookings
bookings-fm-button = 📎 Attach a force-majeure document
bookings-fm-send-document = Please send the document as a file (paperclip → File). To leave: /cancel.
bookings-fm-received = Document received and passed to the admins. Until they accept it, the next session with the client(s) stays free.
bookings-fm-exists = The document for this cancellation has already been sent to the admins.
bookings-marked-held = Marked: the session with { $client } took place.
bookings-marked-no-show = Marked: { $client } did not come.
bookings-client-cancelled = Your therapist { $therapist } cancelled your session <b>{ $when }</b>. We are sorry.
bookings-client-refund = You get your money for the session back in full.
bookings-client-nothing-paid = Nothing was paid, so nothing was charged.
bookings-client-free-next = Your next session with { $therapist } is free.
