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

audit-usage = Please say whose actions to show: /audit therapist 7 or /audit booking 12.
audit-empty = No admin actions are recorded about { $subject }.
audit-title = <b>Admin actions about { $subject }</b> ({ $count }):
