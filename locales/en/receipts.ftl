## A therapist's payouts and receipts (R-PAY-2..4, R-PAY-3) and free sessions owed (R-CAN-3)

cmd-payouts-therapist = Payouts and receipts
receipts-title = <b>Payouts and receipts</b> (times: { $zone })
receipts-empty = No payouts yet: they appear after sessions take place.
receipts-due-title = <b>Awaiting payout</b>
receipts-paid-title = <b>Paid out</b>
receipts-line = { $when } — <b>{ $client }</b>, { $kind }
    Client paid { $paid } · commission { $commission } · payout { $payout }
receipts-line-due = due by { $due }
receipts-line-paid = paid out { $at }, reference { $reference }
receipts-state-not-needed = no receipt needed (free session)
receipts-state-missing = receipt missing
receipts-state-present = receipt: { $what }, { $at }
receipts-kind-link = link
receipts-kind-number = number { $number }
receipts-kind-document = document
receipts-kind-photo = photo
receipts-totals = Total: { $sessions ->
        [one] 1 session
       *[other] { $sessions } sessions
    } · paid { $paid } · commission { $commission } · payout { $payout }
receipts-more = …and { $count } more
receipts-missing-none = All receipts are in.
receipts-missing-title = <b>Missing receipts: { $count }</b>
receipts-how = Press the session's button below and send the receipt link from "Мой налог" (lknpd.nalog.ru), the receipt number, a PDF up to 20 MB or a photo of the receipt.
receipts-btn-file = Receipt: { $session }
receipts-btn-replace = Replace receipt: { $session }
receipts-btn-list = Back to payouts
receipts-not-yours = This is not your session: nothing was changed.
receipts-not-needed = No receipt is needed for this session: the client paid nothing.
receipts-ask = The receipt for the session { $when } with { $client } (paid { $paid }).
    Send the receipt link from "Мой налог" (https://lknpd.nalog.ru/…), the receipt number, a PDF document up to 20 MB or a photo of the receipt. To leave, send /cancel.
receipts-ask-replace = Now on file: { $current }. The new receipt replaces it.
receipts-saved = The receipt for the session { $when } is saved. Thank you!
receipts-replaced = The receipt for the session { $when } is replaced.
receipts-bad-link = This link does not work: send the full https://… link of the receipt (for example from "Мой налог", lknpd.nalog.ru), without spaces. Send it again, the receipt number or a document; to leave, /cancel.
receipts-bad-text = This looks neither like a link nor like a receipt number. A number is 3 to 64 letters and digits (at least one digit). Send an https://… link, the number, a PDF or a photo; to leave, /cancel.
receipts-bad-file-type = This file is not a PDF. Please send the receipt as a PDF document or a photo.
receipts-bad-file-size = The file is larger than 20 MB. Please send a smaller one (for example, compress the PDF) or a photo of the receipt.
receipts-reminder = Reminder: the receipt for the session { $when } with { $client } is missing. The payout of { $payout } was sent { $paid_out }. Please send the receipt (a "Мой налог" link, the number, a PDF or a photo): /payouts

debts-therapist-title = <b>Free sessions you owe</b> (late cancellations)
debts-therapist-line = • { $client } (cancelled { $cancelled }): { $state }
debts-state-open = not used yet
debts-state-booked = booked for { $at }
debts-state-used = used { $at }
debts-state-fm-pending = force-majeure document under review
debts-client-title = <b>A free session is owed to you</b>
debts-client-line = • { $therapist } owes you a free session (cancelled { $cancelled })
debts-client-btn = Book free: { $therapist }
