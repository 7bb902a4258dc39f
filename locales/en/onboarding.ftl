# Therapist onboarding (R-ONB-1..9) and moderation (R-ONB-10). HTML; user values arrive escaped.

## Invites (R-ONB-1), the admin's side

invite-ask-name = New therapist invite. Please type the therapist's full name (for example "Anna Petrova"). To leave, type /cancel.
invite-bad-name = The name must be one line of 3 to 200 characters. Please type the therapist's full name again, or /cancel.
invite-ask-email = Name: <b>{ $name }</b>. Now type the therapist's e-mail.
invite-bad-email = "{ $input }" does not look like an e-mail address. Please type an address like name@example.org, or /cancel.
invite-created =
    Done: the therapist account of <b>{ $name }</b> ({ $email }) is created.
    One-time invite link (valid until { $expires }):
    { $link }
    Send it to the therapist: opening it in Telegram binds their account.
invites-none = There are no pending invites.
invites-title = <b>Pending invites</b>
invites-line = { $name }, { $email } — until { $expires }
invites-revoke-button = Revoke { $n }: { $name }
invites-revoked = Invite revoked: the link no longer works.
invites-revoke-stale = This invite is already used or revoked.

## Invites, the therapist's side

invite-unknown = There is no such invite link. Check that you copied all of it, or ask the admin for a new one.
invite-used = This invite link has already been used. If it was not you, please write to the platform's admin.
invite-expired = This invite link has expired (links are valid for 7 days). Please ask the admin for a new one.
invite-revoked = This invite link was revoked by an admin. Please ask for a new one.
invite-already-therapist = Your account is already linked to a therapist account; you do not need another invite link.
invite-admin-cannot-use = You are an admin: the invite link must be opened by the therapist in their own Telegram.
invite-welcome = Welcome, { $name }! Your account is linked to your therapist account. Fill in your profile step by step below; then it goes to moderation.

## Checklist

onb-checklist-title = Therapist profile
onb-checklist-intro = Tap a step to fill it in. ✅ done, ⬜ still needed.
onb-status-rejected = Moderation returned your profile with this comment: "{ $reason }". Fix it and send it again with the button below.
onb-recommended = recommended
onb-calendar-hint = open your times with /calendar
onb-not-set = not set
onb-not-now = Your profile cannot be changed now: it is in moderation or already reviewed. See /start for its status.
onb-status-pending = Your profile is in moderation. We will write as soon as an admin has reviewed it.
onb-status-suspended = Your therapist account is suspended by an admin. Clients cannot see your profile now. Please write to the platform's admin for details.
onb-btn-name = Name
onb-btn-photo = Photo
onb-btn-bio = About me
onb-btn-education = Education
onb-btn-years = Experience
onb-btn-languages = Languages
onb-btn-time-zone = Time zone
onb-btn-link = Video room link
onb-btn-specialization = Specialisation
onb-btn-prices = Prices
onb-btn-materials = Materials
onb-btn-payout = Payout details
onb-btn-tax = Tax status
onb-btn-agreements = Documents
onb-btn-submit = Send to moderation
onb-btn-back = ← Back to profile
onb-btn-prev = ← Back
onb-btn-next = Next →

## Profile fields

onb-ask-name = Now: <b>{ $current }</b>. Type your full name as clients will see it.
onb-bad-name = The name must be one line of 3 to 200 characters. Please type it again.
onb-saved-name = ✅ Name saved: { $name }.
onb-ask-photo = Send a photo for your profile (as a photo, not as a file).
onb-expected-photo = I am waiting for a photo. Send it as a photo, or tap "← Back to profile".
onb-saved-photo = ✅ Photo saved.
onb-ask-bio = Tell clients briefly about yourself: how you work and how you can help (20 to { $max } characters).
onb-bad-bio = It must be 20 to { $max } characters; this is { $length }. Please type it again.
onb-saved-bio = ✅ About me saved.
onb-ask-education = Type your education: university, retraining programmes, certificates.
onb-bad-education = Please type your education as text of 3 to 1000 characters.
onb-saved-education = ✅ Education saved.
onb-ask-years = How many years have you been practising? Type a number from 0 to 70.
onb-bad-years = Please type your experience as a whole number of years from 0 to 70, for example 7.
onb-saved-years = ✅ Experience saved: { $years }.
onb-ask-languages = Tick the languages you work in (chosen: { $count }). Tap again to untick.
onb-lang-ru = Russian
onb-lang-en = English
onb-lang-other = Other
onb-ask-time-zone = Choose your time zone with a button, or type a city, an offset ("UTC+7") or a zone ("Asia/Novosibirsk").
onb-saved-time-zone = ✅ Time zone saved: { $tz }.
onb-ask-link = Send the link to your video room (Zoom, Google Meet, Telemost, ...). It must start with https://
onb-bad-link = This is not an https://... link. Please send the full link to your video room, starting with https://
onb-saved-link = ✅ Video room link saved: { $link }
onb-expected-text = I am waiting for a text answer. To go back to your profile, tap "← Back to profile" or type /start.

## Specialisation (R-ONB-3)

onb-spec-page = <b>{ $title }</b> (step { $page } of { $pages }, ticked: { $count })
    Tick everything that fits; tap again to untick.

## Prices (R-PRICE-1)

onb-prices =
    Prices for new clients:
    individual session (50-60 minutes): <b>{ $individual }</b>
    group session (90 minutes, per participant): <b>{ $group }</b>
    Prices are needed for the formats you ticked in your specialisation.
onb-btn-price-individual = Individual
onb-btn-price-group = Group
onb-ask-price-individual = Type the price of an individual session in roubles, for example 3500. The minimum is { $floor }.
onb-ask-price-group = Type the price of a group session per participant in roubles, for example 2000. The minimum is { $floor }.
onb-saved-price = ✅ Price saved: { $amount }.

## Materials (R-ONB-6)

onb-materials-intro = Presentations, publications and materials for clients (PDF up to 20 MB, or photos):
onb-materials-none = Nothing uploaded yet.
onb-btn-material-add = Add material
onb-btn-material-delete = Delete { $n }
onb-materials-full = You can keep at most { $max } materials. Delete one to add another.
onb-material-deleted = Material deleted.
onb-ask-material-file = Send a PDF document (up to 20 MB) or a photo.
onb-ask-material-title = Got the file. Type its title for clients (up to 200 characters).
onb-bad-title = The title must be 1 to 200 characters.
onb-saved-material = ✅ Material "{ $title }" added.
onb-expected-file = I am waiting for a PDF document or a photo. Send the file, or tap "← Back to profile".
onb-bad-file-type = This file is not a PDF. Please send a PDF document or a photo.
onb-bad-file-size = The file is larger than 20 MB. Please send a smaller one (for example, compress the PDF).

## Payout details (R-ONB-7)

onb-payout-intro = Where should payouts go? Choose a card or a bank account. The details are stored encrypted and shown only masked.
onb-payout-current = Now: { $masked }. You can replace the details.
onb-btn-payout-card = Bank card
onb-btn-payout-account = Bank account
onb-ask-card = Type your bank card number (16-19 digits). I will delete the message with the number from the chat at once.
onb-bad-card = The card number did not pass the check. Please check the digits and type it again.
onb-deleted-sensitive = I deleted your message with the number from the chat, so nobody sees it.
onb-delete-sensitive-failed = I could not delete the message with the number: please delete it yourself.
onb-card-accepted-ask-inn = Card accepted. Now type your INN (12 digits).
onb-ask-bik = Type the bank's BIK (9 digits).
onb-bad-bik = A BIK is 9 digits. Please type it again.
onb-ask-account = Type the account number (20 digits). I will delete the message with the number from the chat at once.
onb-bad-account = The account number does not match the BIK (20 digits are needed). Please check it and type it again.
onb-account-accepted-ask-recipient = Account accepted. Type the recipient: full name or the entrepreneur's name, as the bank has it.
onb-bad-recipient = Please type the recipient as text of 3 to 200 characters.
onb-ask-inn = Now type your INN (10 or 12 digits).
onb-bad-inn = The INN did not pass the checksum. Please check the digits and type it again.
onb-payout-restart = I could not continue entering the payout details. Please start this step again from your profile (/start).
onb-mask-card = card •••• { $last }, INN ••••{ $inn }
onb-mask-account = account •••• { $last }, INN ••••{ $inn }
onb-saved-payout = ✅ Payout details saved: { $masked }.

## Tax status (R-ONB-8)

onb-ask-tax-status = How are you registered with the tax office?
onb-btn-tax-npd = Self-employed (NPD)
onb-btn-tax-ip = Individual entrepreneur (IP)
onb-ask-tax-certificate-npd = Send the certificate of registration as an NPD payer (from "Moi nalog"): PDF up to 20 MB, or a photo.
onb-ask-tax-certificate-ip = Send the certificate or EGRIP record of your registration as an entrepreneur: PDF up to 20 MB, or a photo.
onb-saved-tax-certificate = ✅ Tax status and certificate saved.

## Documents (R-ONB-9)

onb-doc-offer =
    <b>Public offer</b> (version { $version })
    The proEgo.online platform gives you booking and payment of sessions. You hold the sessions yourself, in your video room, and issue the client a receipt. The platform keeps a commission: 30% of an individual session, 40-50% of a group session, and pays out the rest within 24 hours after the session. Cancellation: no later than 24 hours before.
onb-doc-privacy =
    <b>Privacy policy</b> (version { $version })
    The client data you see (name, request, test results) is yours only for working with those clients. It must not be passed to anyone else or kept outside the platform longer than the work needs.
onb-doc-ethics =
    <b>Rules and ethics of sessions</b> (version { $version })
    You keep professional ethics and confidentiality, start sessions on time, enter no relationship with clients outside therapy, and refer a client at risk to emergency help.
onb-btn-accept-offer = I accept the offer
onb-btn-accept-privacy = I accept the policy
onb-btn-accept-ethics = I accept the rules and send my profile
onb-agreements-all-accepted = All documents are accepted. You can send your profile to moderation.
onb-submit-incomplete =
    The documents are accepted, but the profile cannot go to moderation yet: missing
    { $missing }
    Complete these steps, then tap "Send to moderation".
onb-submit-incomplete-alert = Not yet: missing
    { $missing }
onb-submitted = Your profile is sent to moderation. We will write as soon as an admin has reviewed it.

## Moderation (R-ONB-10)

moderation-card =
    <b>Profile for moderation</b>
    Therapist: <b>{ $name }</b> ({ $email })
    About: { $bio }
    Education: { $education }
    Experience: { $years }; languages: { $languages }; zone: { $tz }
    Video room: { $link }
    Specialisation: { $specs }
    Price of an individual session: { $individual }; of a group session (per participant): { $group }
    Materials: { $materials }
    Payout details: { $payout }
    Tax status: { $tax }

    { $checklist }
# Agrees with «цена» in the card above.
moderation-price-not-set = not set
moderation-approve-button = ✅ Approve
moderation-reject-button = ✖️ Reject
moderation-file-photo = Photo: { $name }
moderation-file-material = Material of { $name }: { $title }
moderation-file-certificate = Tax office certificate: { $name }
moderation-approved-by = ✅ Approved by { $by } at { $at }
moderation-rejected-by = ✖️ Rejected by { $by } at { $at }. Reason: { $reason }
moderation-approved-answer = Profile approved; the therapist has been told.
moderation-already-approved = Already approved by { $by } at { $at }.
moderation-already-rejected = Already rejected by { $by } at { $at }.
moderation-not-pending = This profile is not waiting for moderation now.
moderation-ask-reason = { $admin }, please type in your next message why the profile of { $name } is rejected: the therapist will see it. To change your mind, type /cancel.
moderation-bad-reason = The reason must be 3 to 1000 characters. Please type it again.
moderation-rejected-done = Profile rejected; the therapist got the reason.
moderation-approved-therapist = 🎉 Your profile is approved! It is active and visible to clients.
moderation-rejected-therapist =
    Moderation returned your profile with this comment:
    "{ $reason }"
    Fix your profile (/start) and send it again.
moderation-queue-empty = The moderation queue is empty.
moderation-queue-title = <b>Waiting for moderation</b>

## Admin menu

cmd-invite = Invite a therapist
cmd-invites = Pending invites
cmd-queue = Moderation queue

## Suspension and reinstatement (R-ONB-10)

moderation-suspend-button = ⏸ Suspend
moderation-reinstate-button = ▶️ Reinstate
moderation-status-stale = The therapist's status has already changed: this button no longer works.
moderation-ask-suspend-reason = { $admin }, please type in your next message why the account of { $name } is suspended: the therapist will see it. To change your mind, type /cancel.
moderation-ask-reinstate-reason = { $admin }, please type in your next message why the account of { $name } is reinstated: the therapist will see it. To change your mind, type /cancel.
moderation-suspended-by = ⏸ Suspended by { $by } at { $at }. Reason: { $reason }
moderation-reinstated-by = ▶️ Reinstated by { $by } at { $at }. Reason: { $reason }
moderation-suspended-therapist =
    Your therapist account is suspended by an admin. Reason: "{ $reason }"
    Clients cannot see your profile now. Please write to the platform's admin if you have questions.
moderation-reinstated-therapist = Your therapist account is active again. The admin's comment: "{ $reason }"
moderation-suspended-done = Account suspended; the therapist got the reason.
moderation-reinstated-done = Account reinstated; the therapist has been told.
