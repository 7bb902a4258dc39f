## Admin tools: payouts, export, stats, audit (issue 5)

cmd-payouts = Payouts due
cmd-export = CSV of a period for the accountant
cmd-stats = Statistics
cmd-audit = Admin actions about a therapist or booking

payouts-none = No payouts are due: everything recorded has been paid.
payouts-title = Payouts due: { $count ->
    [one] one therapist
   *[other] { $count } therapists
}.
payouts-card =
    <b>{ $name }</b>
    Sessions: { $sessions }
    Clients paid: { $gross }
    Commission: { $commission }
    To pay out: <b>{ $payout }</b>
    Due from: { $due }
    Receipts: { $receipts }
    Payout details: { $details }
payouts-receipts-present = all present
payouts-receipts-missing = missing for { $missing ->
    [one] one session
   *[other] { $missing } sessions
}
payouts-no-details = not given
payouts-mark-button = Mark paid
payouts-nothing-due = Nothing is due to this therapist now: it may have been paid already. Send /payouts for the current list.
payouts-ask-reference = { $admin }, you are marking { $sessions ->
    [one] one session
   *[other] { $sessions } sessions
} of { $name } ({ $payout }) as paid. Please type the transfer reference (the bank's payment number) in your next message. To change your mind, type /cancel.
payouts-bad-reference = The reference must be 3 to 200 characters. Please type it again, or /cancel.
payouts-paid-by = 💸 Paid by { $by } at { $at }: { $sessions ->
    [one] one session
   *[other] { $sessions } sessions
}, { $payout }. Reference: { $reference }
payouts-paid-done = Marked as paid; the therapist has been told.
payouts-already-paid = These payouts were already marked paid by { $by } at { $at }. Nothing was changed.
payouts-paid-therapist = 💸 Your payout has been sent: { $payout } for { $sessions ->
    [one] one session
   *[other] { $sessions } sessions
}. Transfer reference: { $reference }.

export-usage = Please give the first and the last day of the period, in your time zone ({ $tz }), like this: /export 2026-11-01 2026-11-30 (at most a year).
export-caption = Sessions: { $sessions }. Clients paid { $paid } = commission { $commission } + payouts { $payout }. Local times in { $tz }.

stats-body =
    <b>Statistics</b>
    Therapists:
    { $therapists }

    Last 7 days: bookings { $bookings7 }, revenue { $revenue7 }, commission { $commission7 }
    Last 30 days: bookings { $bookings30 }, revenue { $revenue30 }, commission { $commission30 }

    Payouts due: { $due_sessions } sessions, { $due }
stats-no-therapists = none yet
stats-status-invited = invited
stats-status-onboarding = filling in the profile
stats-status-pending = waiting for moderation
stats-status-active = active
stats-status-rejected = rejected
stats-status-suspended = suspended

audit-usage = Please say whose actions to show: /audit therapist 7, /audit booking 12 or /audit program 3.
audit-empty = No admin actions are recorded about { $subject }.
audit-title = <b>Admin actions about { $subject }</b> ({ $count }):

## Refunds and disputes

cmd-booking = A booking: money history, refunds, cancel
cmd-client = A client's bookings by Telegram id
dispute-booking-usage = Please give the booking number: /booking 12.
dispute-client-usage = Please give the client's Telegram id: /client 123456789.
dispute-no-booking = There is no booking number { $id }.
dispute-client-none = The client { $id } has no bookings.
dispute-client-title = <b>Bookings of client { $id }</b>:
dispute-card =
    <b>Booking { $id }</b>
    Client: { $client } (id { $client_id })
    Therapist: { $therapist }
    Time: { $when }
    State: { $state }
    Price: { $price }
    Money:{ $history }
dispute-no-payments = no payments
dispute-refunded-so-far = Refunded so far: { $amount }
dispute-refund-full-button = Refund in full
dispute-refund-part-button = Refund part
dispute-cancel-button = Cancel on the platform's side
dispute-nothing-to-refund = There is nothing left to refund on this booking.
dispute-refunded-answer = Refunded; the client has been told.
dispute-ask-amount = { $admin }, how much of booking { $id } should be refunded? At most { $max }. Type the amount, for example 1500 or 1 500,50. To change your mind, type /cancel.
dispute-amount-zero = The amount must be more than zero. Please type it again, or /cancel.
dispute-amount-again = Please type the amount again, or /cancel.
dispute-amount-too-much = That is more than is left to refund: at most { $max }. Please type a smaller amount, or /cancel.
dispute-already-cancelled = This booking is already cancelled.
dispute-cancelled-answer = Cancelled; the client gets the money back in full and both have been told.
dispute-cancelled-therapist = The session with { $client } on { $when } has been cancelled by the platform's administrators. The time is free again; you owe nothing for it.

## Force majeure (R-CAN-3)

cmd-cases = Force-majeure cases
fm-none = No force-majeure cases are waiting.
fm-card =
    <b>Force majeure, case { $id }</b>
    { $therapist } cancelled late the session with { $client } (booking { $booking }) on { $when } and sent a document (below).
    Accept: the therapist owes the client no free session. Refuse: the free session stays owed.
fm-document = The document of case { $id }
fm-accept-button = Accept
fm-refuse-button = Refuse
fm-decided-answer = Decided; the therapist has been told.
fm-accepted-by = ✅ Accepted by { $by } at { $at }.
fm-refused-by = ✖️ Refused by { $by } at { $at }.
fm-already-decided = Already decided by { $by } at { $at }.
fm-accepted-therapist = Your force-majeure document for the session on { $when } was accepted: you do not owe the client a free session.
fm-refused-therapist = Your force-majeure document for the session on { $when } was not accepted: the client's next session with you is free, as the rules say.
