# Payments (R-PAY-1): notifications and the sandbox payment page.

session-kind-individual = individual session
session-kind-group = group session
session-kind-consultation = preliminary consultation

payment-paid-client = Payment received: your { $kind } with { $therapist }, { $when }, is confirmed. { $amount } is held on your card and taken 24 hours before the start; until then you can cancel for free.
payment-paid-therapist = New booking: { $client }, { $kind }, { $when }. Paid ({ $amount } is held on the client's card).
payment-late-returned = Your payment arrived after the booking had expired, so we returned it at once: { $amount } stays on your card. Please choose another time.

## The sandbox payment page (a test provider: no real money moves)

pay-title = Session payment — proEgo.online
pay-sandbox-note = Test payment: no real money is taken.
pay-for = Payment for: { $description }
pay-amount = Amount: <b>{ $amount }</b>
pay-hold-rule = The amount is held on your card and taken 24 hours before the session. If you cancel before then, the hold is released and the money stays with you.
pay-authorize = Pay (hold { $amount })
pay-decline = Decline
pay-held = Done: the amount is held on your card. Go back to Telegram: the bot has sent the confirmation.
pay-declined = The payment was cancelled. You can return to your booking in Telegram.
pay-status-pending = Waiting for payment.
pay-status-held = The amount is held on the card.
pay-status-paid = Paid.
pay-status-canceled = The payment is cancelled.
pay-not-found = No such payment. Check the link or go back to Telegram.
pay-back = Back to Telegram
