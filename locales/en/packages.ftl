## Packages of sessions (R-PAY-1): buying, paying, credits, refunds.

card-btn-package = Buy a package of sessions
package-unavailable = Packages with this therapist cannot be bought right now.
package-offer =
    <b>A package of sessions with { $therapist }</b>
    Each session of the package costs { $price } (your price). The package is paid in full at once; each booking with this therapist then uses one session of it. Cancel at least 24 hours before and the session is given back; later, it is used. Unused sessions can be refunded.
    Choose the size:
package-btn-size = { $size } sessions — { $total }
package-confirm =
    <b>Check your package</b>
    { $size } individual sessions with { $therapist }
    Price per session: { $price }
    Total, paid now: { $total }
package-description = Package of { $size } sessions, { $therapist }
package-pay =
    <b>Package reserved:</b> { $size } sessions with { $therapist }, { $price } each.
    Pay { $total } by { $deadline }; the amount is taken as soon as the payment goes through, and the sessions become yours.
package-payment-error = The package is reserved, but the payment link could not be created. Open /mybookings in a minute to get it.
package-paid-client = Your package is paid: { $size } sessions with { $therapist } ({ $amount }). Book a time on the therapist's card; each booking uses one session.
package-late-returned = The payment for the package with { $therapist } came after it had expired; the money ({ $amount }) is returned to your card.
package-expired = The package of { $size } sessions with { $therapist } was not paid in time and is cancelled.
package-not-yours = This package is not yours.
package-not-payable = This package is no longer waiting for payment.
package-line-active = Package: { $left } of { $size } sessions left with { $therapist }
package-line-awaiting = Package of { $size } sessions with { $therapist }: waiting for payment ({ $total })
package-btn-pay = Pay for the package ({ $size } sessions)
book-confirm-credit =
    <b>Check your booking</b>
    { $kind } with { $therapist }
    { $when }
    Paid with a session of your package ({ $left } left); nothing to pay now.
    Free cancellation until { $until } gives the session back.
book-confirmed-credit = <b>Booked and confirmed:</b> { $kind } with { $therapist }, { $when }. One session of your package is used.
book-therapist-credit = New booking: { $client }, { $kind }, { $when }. Paid with a session of a package.
my-pay-credit = paid with a package session
cancel-consequence-credit-back = The package session is given back to you.
cancel-consequence-credit-kept = It is less than 24 hours before the start, so the package session is used.
package-admin-card =
    <b>Package { $id }</b> with { $therapist }: { $state }
    { $size } sessions at { $price } (paid { $paid }); used { $used }, left { $left }, refunded { $refunded } ({ $refunded_amount })
package-admin-refund-button = Refund unused sessions
package-admin-changed = The package changed meanwhile. Open /client again.
package-refund-client = { $count } unused sessions of your package with { $therapist } are refunded: { $amount } goes back to your card.
# R-PAY-1: the package's payment-link message once paid or expired (edited in place, no buttons).
package-pay-closed-paid = <b>Paid ✓</b> Package: { $size } sessions with { $therapist }. There is nothing more to pay; book a time on the therapist's card.
package-pay-closed-expired = <b>The time to pay has run out.</b> The package of { $size } sessions with { $therapist } is cancelled. The payment link no longer works.
