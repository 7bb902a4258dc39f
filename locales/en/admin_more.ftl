## Refunds and the platform's cancellation: the reason (issue 5)

dispute-busy = A question to { $admin } is already waiting for an answer here. Let them answer or type /cancel, then press the button again.
dispute-ask-refund-reason = { $admin }, why should { $amount } of booking { $id } be returned? Type the reason as your next message (3 to 1000 characters): it goes into the audit log and to the client. To change your mind, type /cancel.
dispute-ask-part-reason = { $admin }, why should { $amount } be refunded? Type the reason as your next message (3 to 1000 characters): it goes into the audit log and to the client. To change your mind, type /cancel.
dispute-ask-cancel-reason = { $admin }, why should booking { $id } be cancelled on the platform's side? The client gets all the money back and the therapist owes nothing. Type the reason as your next message (3 to 1000 characters): it goes into the audit log and to the client. To change your mind, type /cancel.
dispute-bad-reason = The reason must be 3 to 1000 characters. Please type it again, or /cancel.
dispute-provider-failed = The payment provider did not answer just now; no money moved. Please press the button again a little later.
dispute-amount-changed = While you were typing the reason, what is left to refund changed: at most { $max } now. Please press "Refund part" again.
dispute-release-client = ↩️ The hold of { $amount } on your card for the session with { $therapist } on { $when } has been released: the money was never taken and stays with you. Reason: { $reason }
dispute-refund-client-reason = ↩️ { $amount } has been returned to your card for the session with { $therapist } on { $when }. Banks usually show it within a few days. Reason: { $reason }
dispute-released-by-reason = ↩️ { $by } released the hold of { $amount } at { $at }. Reason: { $reason }
dispute-refunded-by-reason = ↩️ { $by } refunded { $amount } at { $at }. Reason: { $reason }
dispute-released-answer = Hold released; the client has been told.
dispute-cancelled-money-released = The hold on your card has been released: the money was never taken.
dispute-cancelled-money-refunded = Your payment is returned to your card in full; banks usually show it within a few days.
dispute-cancelled-money-nothing = Nothing was paid, so nothing was charged.
dispute-cancelled-client-reason = The session with { $therapist } on { $when } has been cancelled by the platform. { $money } Reason: { $reason }. We apologise for the inconvenience.
dispute-cancelled-by-reason = ✖️ Cancelled on the platform's side by { $by } at { $at }. Reason: { $reason }
dispute-cancelled-money-later = Cancelled; both have been told. The payment provider has not returned the money yet: the return is retried automatically, and the admins are told if it keeps failing.

## Retries of money returns (issue 8)

admin-money-return-failed = ⚠️ The money of cancelled booking #{ $booking } (payment #{ $payment }) could not be returned after { $attempts } attempts. It is retried every hour; please check: /booking { $booking }
payment-late-refunded = Your payment arrived after the booking had expired and had already been taken, so we refunded { $amount } to your card at once. Banks usually show it within a few days. Please choose another time.

## Roles (issue 6)

client-deleted-label = deleted client
role-client-only-button = Only clients can book sessions. You can look at the cards and the catalogue, but you cannot book from this account; please use a separate Telegram account for that.
role-client-only-command = This command is for clients. Your commands are in /help.

## /mydata: deleting the data (R-CLI-7)

mydata-erase-button = Delete my data
mydata-erase-confirm = Delete your data? At once and for good: your consent, questionnaire answers and test results are erased, and your account is anonymised: your name and time zone are removed and messages to you are deleted. Past bookings and payments stay only for accounting (amounts, dates, payment numbers) with no name attached; therapists see "deleted client".
mydata-erase-confirm-upcoming = Delete your data? Your consent, questionnaire answers and test results are erased at once and for good. You have { $count } upcoming { $count ->
        [one] session
       *[other] sessions
    }, so your name stays on { $count ->
        [one] it
       *[other] them
    } for your therapist and the account is not anonymised yet. To have it anonymised, cancel them in /mybookings first (the usual rules apply: free cancellation until 24 hours before), then delete again.
mydata-erased-all = Done: your health data is deleted and your account is anonymised. Bookings and payments are kept only for accounting, with no name attached.
mydata-erased-health-only = Done: your health data is deleted. Your account is not anonymised yet because you have { $count } upcoming { $count ->
        [one] session
       *[other] sessions
    }; cancel them in /mybookings first, then delete again.
mydata-account-deleted = Your account is anonymised: no name is kept; bookings and payments stay only for accounting.

## A therapist's cancellation, told to the client (R-PAY-1 wording)

bookings-client-hold-released = You get your money for the session back in full: the hold on your card is released, nothing was taken.
bookings-client-refunded-to-card = You get your money for the session back in full: it is refunded to your card; banks usually show it within a few days.
dispute-refunded-by = ↩️ { $by } refunded { $amount } at { $at }.
