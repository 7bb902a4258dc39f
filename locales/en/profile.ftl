# /profile, /prices, the intake summary in /bookings, the therapist's gender, a suspended
# therapist's limits (issue 4 "Profile and public page", "Prices", "Bookings"; issue 6 step 4).

cmd-profile = Profile and the card clients see
cmd-prices = Prices: current and when they may change

## /profile
profile-preview-intro = This is how clients see your card (the price is for new clients):
profile-menu =
    <b>Profile</b>
    Choose what to change. Clients see a new name, photo and bio at once and the admins are informed; no new moderation is needed. Prices change in /prices.
profile-suspended = Your profile is suspended by an admin: clients cannot see it now and it cannot be edited. Below is how the card looked. Your clients' bookings are in /bookings.
profile-already-active = Your profile is already active: the documents are accepted, nothing to submit.
profile-prices-elsewhere = The prices of an active profile change in /prices (at most once in six months).
profile-btn-gender = Gender (optional)
profile-ask-gender = Say your gender if you wish. It counts only when a client chose a preference themselves; without it you lose no recommendations.
profile-gender-female = Woman
profile-gender-male = Man
profile-gender-unsaid = Do not say
profile-saved-gender = ✅ Saved.
profile-admin-edited-name = ✏️ Therapist { $name } (id { $id }) changed the name on the public profile: <b>{ $value }</b>. No new moderation is needed; suspend the profile if it breaks the rules.
profile-admin-edited-bio =
    ✏️ Therapist { $name } (id { $id }) changed the bio on the public profile. No new moderation is needed; suspend the profile if it breaks the rules.
    
    { $value }
profile-admin-edited-photo = ✏️ Therapist { $name } (id { $id }) changed the photo on the public profile. See it on the card link t_{ $id }.

## /prices (R-PRICE-1..3)
prices-title = <b>Your prices</b> (dates in { $zone })
prices-kind-individual = Individual session
prices-kind-group = Group session (per participant)
prices-line = <b>{ $kind }:</b> { $amount }
prices-line-unset = <b>{ $kind }:</b> not set
prices-last-change = Last change: { $at }
prices-since-activation = In force since the profile was activated: { $at }
prices-not-public-yet = Not published yet
prices-next-change = Next change possible from { $at }
prices-next-change-now = You can change it now
prices-locked-clients = Clients with a locked price: { $count }
prices-rules = The price for new clients can change at most once in six months. Clients who already booked you pay their old price for 365 days from their first booking, or the new one if it is lower.
prices-btn-change = Change: { $kind }
prices-btn-back = « Back to prices
prices-ask = { $kind }: type the new price in roubles, for example "3500" or "3,500 RUB". The minimum is { $floor }.
prices-changed = ✅ { $kind }: the new price is { $amount }. New clients pay it; clients with a locked price keep theirs.
prices-unchanged = That is the current price ({ $amount }); nothing changed.
prices-changed-meanwhile = The price was just changed elsewhere; below is where it stands now. Nothing was changed.
prices-use-checklist = Prices are set in the profile checklist: /start.
prices-suspended = Your profile is suspended: prices cannot change now.
prices-only-active = Prices can be changed only on an active profile.

## A suspended therapist (decided)
suspended-what-you-can = What you can do now: see and cancel bookings in /bookings (clients are refunded under the cancellation rules), see the calendar in /calendar and close free times. New times and programs cannot be opened while the profile is suspended.
suspended-no-new-slots = Your profile is suspended: new times cannot be opened. Your clients' bookings are in /bookings.
suspended-no-new-programs = Your profile is suspended: programs cannot be created or submitted.

## The client's intake summary in /bookings
bookings-intake-button = 📋 Intake: { $who }
bookings-intake-title = <b>Intake of { $name }</b> (for you only, as this client's therapist)
bookings-intake-partial = <i>The questionnaire is not finished.</i>
bookings-intake-risk = ⚠️ The client gave a risk answer; the admins were told.
bookings-intake-no-answers = The client has not filled in the questionnaire.
bookings-intake-no-tests = The client has not taken PHQ-9 or GAD-7.
bookings-intake-no-consent = The client did not consent to the processing of health data: there is no intake.
bookings-intake-not-available = This booking was cancelled or expired: the client's intake is not available.
bookings-intake-back = « Back to bookings

## Recommendations: the gender the client asked for
rec-why-gender-female = a woman therapist, as you asked
rec-why-gender-male = a man therapist, as you asked
