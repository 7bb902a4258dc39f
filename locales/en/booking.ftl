# Client booking (R-CLI-5, R-CLI-6, R-PRICE-3, R-CAN-2..4, R-SES-1).

card-not-available = This therapist's profile is not available now. Choose another one in the catalogue.
card-education = <b>Education:</b> { $text }
card-years = <b>Years of practice:</b> { $years }
card-languages = <b>Languages:</b> { $languages }
card-specializations = <b>Works with:</b> { $items }
card-price = <b>Your price:</b> { $amount } per session
card-price-locked = <b>Your price:</b> { $amount } per session (kept for you until { $until })
card-free-owed = The therapist owes you a free session: your next individual session is free.
card-next-times = <b>Next free times</b> ({ $zone }):
card-next-time-line = { $when } — { $kind }
card-no-times = No free times in the next 30 days yet.
card-btn-book-individual = Book an individual session
card-btn-book-consultation = Book a free consultation
card-btn-materials = Materials ({ $count })
card-no-materials = This therapist has no materials.

book-pick-day = <b>{ $therapist }</b>, { $kind }. Pick a day (times in { $zone }); only days with free times can be pressed.
book-pick-time = <b>{ $therapist }</b>, { $kind }, { $day }. Pick a time ({ $zone }):
book-no-times = No free times in the next 30 days. Please look again later or choose another therapist.
book-btn-back = ◀ Back
book-confirm =
    <b>Check your booking</b>
    { $kind } with { $therapist }
    { $when }
    Price: <b>{ $amount }</b>
    Free cancellation until { $until }; later the session is paid in full.
book-confirm-free =
    <b>Check your booking</b>
    { $kind } with { $therapist }
    { $when }
    Price: <b>free</b>
book-move-note = Your current booking ({ $old }) will be cancelled once the new one is made. { $consequence }
book-btn-confirm = Confirm
book-slot-gone = This time was just taken or is no longer open. Next free times:
book-slot-gone-none = This time was just taken or is no longer open, and there are no other free times now.
book-pay =
    <b>Booked:</b> { $kind } with { $therapist }, { $when }.
    Pay within 15 minutes (until { $deadline }), or the time is released. The amount is held on your card and taken 24 hours before the session.
book-btn-pay = Pay { $amount }
# R-PAY-1: the payment-link message, edited in place once the booking is paid or expired.
book-pay-closed-paid = <b>Paid ✓</b> { $kind } with { $therapist }, { $when }. The booking is confirmed; there is nothing more to pay.
book-pay-closed-expired = <b>The time to pay has run out.</b> The booking ({ $kind }, { $when }) is released and the time is free again. The payment link no longer works.
book-confirmed-free = <b>Booked and confirmed:</b> { $kind } with { $therapist }, { $when }. It is free; nothing to pay.
book-already = You already have this booking: { $kind } with { $therapist }, { $when }.
book-payment-error = The booking is made, but the payment link could not be created. Open /mybookings in a minute to get it.
book-therapist-free = New booking: { $client }, { $kind }, { $when }. Free session (nothing to pay).
book-moved-done = Your earlier booking ({ $old }) is cancelled. { $consequence }

my-title = <b>Your sessions</b> (times in { $zone }):
my-empty = You have no sessions yet. Open a therapist's card to book one.
my-line = { $when } — { $kind } with { $therapist }: { $state }, { $payment }
my-room = Room link: { $link }
my-btn-cancel = Cancel { $n }
my-btn-move = Move { $n }
my-btn-pay = Pay { $n }: { $amount }
my-state-awaiting_payment = awaiting payment
my-state-confirmed = confirmed
my-state-cancelled_by_client = cancelled by you
my-state-cancelled_by_therapist = cancelled by the therapist
my-state-cancelled_by_admin = cancelled by the platform
my-state-expired = expired
my-state-completed = took place
my-state-no_show = missed
my-pay-none = not paid
my-pay-free = free
my-pay-pending = payment pending
my-pay-held = { $amount } held on the card
my-pay-captured = { $amount } paid
my-pay-released = hold released
my-pay-refunded = refunded
my-pay-failed = payment failed
my-not-yours = This booking is not yours or no longer exists.
my-not-cancellable = This session can no longer be cancelled (it has started, is over or is already cancelled).

cancel-ask = Cancel { $kind } with { $therapist }, { $when }? { $consequence }
cancel-consequence-release = You get { $amount } back: the hold on your card is released.
cancel-consequence-refund = You get { $amount } back: it is refunded to your card.
cancel-consequence-free = The free session is given back to you.
cancel-consequence-nothing = Nothing has been paid, so nothing is charged.
cancel-consequence-late = It is less than 24 hours before the start, so the session stays paid in full ({ $amount }).
cancel-consequence-late-free = It is less than 24 hours before the start, so the free session is used up.
cancel-btn-yes = Yes, cancel
cancel-btn-no = No, keep it
mycancel-done = Cancelled: { $kind } with { $therapist }, { $when }. { $consequence }
mycancel-kept = The booking is kept.
cancel-therapist = The client { $client } cancelled: { $kind }, { $when }.

link-client = Your { $kind } with { $therapist } starts at { $when }. Join here: { $link }
link-therapist = Your { $kind } starts at { $when }. Room: { $link }
link-therapist-client = Your { $kind } with { $client } starts at { $when }. Room: { $link }
