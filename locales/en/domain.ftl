# proEgo bot: the words of the domain core (src/domain), one message for every id in
# proego::domain::LOCALE_KEYS (English).
# Texts are sent with parse_mode=HTML; these use no tags, so they also fit plain-text places
# such as a button's pop-up answer.
# Variables (see the key() docs in src/domain):
#   $floor            a formatted amount (Money::format), e.g. "RUB 2,500"
#   $next_allowed_at  a formatted date and time in the therapist's zone
#   $size             a number of sessions (package-error-invalid-size)
#   $max, $min        numbers of weeks or participants
#   $minutes          a number of minutes
# Numbers must be passed as numbers (not text) so that the plural forms work.

## Errors of the domain module

domain-error-unknown-value = Something went wrong on our side: we could not read the saved data. Please try again later. If it happens again, please contact support.

## Amounts of money typed by a person

money-error-empty = You did not enter an amount. Please type it as a number, for example 2500.
money-error-not-a-number = I could not read that amount. Please type it as a number, for example 2500 or 2500.50.
money-error-negative = An amount cannot be negative. Please type it without the minus, for example 2500.
money-error-too-many-decimals = Please use at most two digits after the decimal point (kopecks), for example 2500.50.
money-error-too-large = That amount is too large. Please check it and type it again.
money-error-ambiguous = I cannot tell whether that means thousands or a fraction. Please type the amount without a separator, for example 2500, or with two digits after the point, for example 2.50.

## Prices

price-error-below-floor = The price is below the minimum for this kind of session: { $floor }. Please enter at least that.
price-error-too-soon = The price for new clients can change at most once in six months. The next change is possible from { $next_allowed_at }. Until then the current price stays.

## Packages of sessions

package-error-invalid-size = { $size ->
    [one] There is no package of { $size } session. Please choose one of the packages offered.
   *[other] There is no package of { $size } sessions. Please choose one of the packages offered.
}
package-error-too-large = The price of this package is too large. Please choose another package.
package-error-no-credits-left = There are no sessions left in your package. To book, pay for a single session or buy a new package.
package-error-nothing-to-return = There is nothing to return to the package: none of its sessions has been used.
package-error-nothing-to-refund = The package has no unused sessions, so there is nothing to refund.
package-error-inconsistent = Something is wrong with this package's data on our side. Please try again later. If it happens again, please contact support.

## Bookings

booking-error-not-confirmed = This booking is not paid yet. Please pay for it, and then you can continue.
booking-error-expired = The time to pay for this booking ran out, so it was released. Please pick a time and book again.
booking-error-cancelled = This booking has already been cancelled. If you would like to attend, please book again.
booking-error-finished = This session is already over, so the booking cannot be changed.

## Payments (internal inconsistencies; an admin looks at them)

payment-error-forbidden = Something went wrong with the payment. An administrator will check it and get in touch with you.
payment-error-refund-exceeds-captured = Something went wrong with the refund for this payment. An administrator will check it and get in touch with you.

## Cancellations

cancel-error-already-started = The session has already started, so it cannot be cancelled. If something has happened, please contact support.
cancel-error-not-cancellable = This booking can no longer be cancelled: it was already cancelled, not paid in time, or the session is over. Open your bookings again to see where they stand.

## Times, intervals and zones

schedule-error-empty-interval = The end time must be later than the start time. Please enter the time again.
schedule-error-unknown-zone = I do not know that time zone. Please pick one from the list or type its name, for example Europe/Moscow.
schedule-error-too-many-weeks = { $max ->
    [one] You can open at most { $max } week at once. Please choose a shorter period.
   *[other] You can open at most { $max } weeks at once. Please choose a shorter period.
}
schedule-error-out-of-range = That date is too far away. Please choose a closer date.
schedule-error-bad-duration = { $minutes ->
    [one] A session of this kind cannot last { $minutes } minute. Please choose one of the lengths offered.
   *[other] A session of this kind cannot last { $minutes } minutes. Please choose one of the lengths offered.
}
schedule-error-nonexistent-local-time = That time does not exist on this day because the clocks change. Please choose another time.

## Group programs

group-error-capacity-too-small = { $min ->
    [one] A group needs room for at least { $min } participant. Please enter a larger number.
   *[other] A group needs room for at least { $min } participants. Please enter a larger number.
}
group-error-capacity-too-large = { $max ->
    [one] A group can have at most { $max } participant. Please enter a smaller number.
   *[other] A group can have at most { $max } participants. Please enter a smaller number.
}
group-error-price-below-floor = The price per participant is below the minimum: { $floor }. Please enter at least that.
group-error-no-meetings = The program needs at least one meeting. Please enter the number of meetings.

## Enrolment in a group

enrol-error-not-published = Enrolment in this group is not open yet. Please check back later or choose another group.
enrol-error-consultation-required = To join this group, first have the free preliminary consultation with its facilitator (15 minutes). After it, the facilitator decides whether the group suits you.
enrol-error-awaiting-admission = The consultation has taken place and the group's facilitator is still deciding. Please wait for their answer.
enrol-error-not-admitted = Unfortunately, the facilitator did not confirm your place in this group. You can choose another group or an individual session.
enrol-error-full = This group has no free places left. Please choose another group.

## Tests (PHQ-9, GAD-7)

test-error-wrong-answer-count = Not every question of the test has an answer. Please take the test again.
test-error-answer-out-of-range = One of the answers does not match the options offered. Please take the test again.

# Severity bands, shown to the client in plain words (not a diagnosis); lower case, as they
# may be put inside a sentence.
test-band-minimal = minimal symptoms
test-band-mild = mild symptoms
test-band-moderate = moderate symptoms
test-band-moderately-severe = moderately severe symptoms
test-band-severe = severe symptoms

## The therapist's onboarding checklist (short labels)

readiness-full-name = Full name
readiness-photo = Photo
readiness-bio = Short bio
readiness-education = Education
readiness-years-of-practice = Years of practice
readiness-languages = Languages
readiness-time-zone = Time zone
readiness-video-room = Video room link
readiness-topics = Topics you work with
readiness-modalities = Approaches and methods
readiness-client-types = Client types
readiness-formats = Formats: individual or group
readiness-prices = Prices
readiness-calendar = Open times in the calendar
readiness-presentations = Presentations and materials
readiness-payout-details = Payout details
readiness-tax-certificate = Tax status and tax office certificate
readiness-offer-accepted = Agreement to the public offer
readiness-privacy-accepted = Agreement to the privacy policy
readiness-ethics-accepted = Agreement to the rules and ethics of sessions

## Settings (read by operators)

settings-error-non-positive-duration = A duration setting must be above zero, and the capture safety margin shorter than the card hold lifetime.
settings-error-bad-percent = A commission setting must be between 0 and 100 percent.
settings-error-bad-capacity = Group capacity settings must satisfy 1 ≤ minimum ≤ small-group limit ≤ maximum.
settings-error-bad-package-sizes = Package sizes must be a non-empty list of positive numbers.
settings-error-bad-months = The price change interval must be at least one month.
