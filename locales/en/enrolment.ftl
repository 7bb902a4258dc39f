# Enrolment in group programs (R-GRP-2, R-GRP-3, R-SES-1).

## The program's card for clients
enrol-card =
    <b>{ $title }</b>
    Approach: { $approach }. Facilitator: { $therapist }.
    { $weekly }
    Meetings: { $meetings } of { $minutes } min ({ $ahead } ahead).
    Your price per meeting: { $price }. Free places: { $places } of { $capacity }.
enrol-card-weekly = Weekly: { $weekday } at { $time } ({ $zone }). Next meeting: { $next }.
enrol-card-no-meetings = No meetings ahead.
enrol-card-consultation-required = This group admits members after a free 15-minute consultation with the facilitator, who decides whether the group suits you.
enrol-card-enrolled = ✅ You are enrolled. Choose your meetings.
enrol-presentation = Presentation of the program "{ $title }"
enrol-btn-enrol = ✍️ Enrol
enrol-btn-meetings = 📅 Program meetings
enrol-btn-therapist = 👤 About the facilitator
enrol-btn-open = Open the program
enrol-btn-open-program = Program: { $title }
enrol-btn-book-consultation = 📅 Book the free consultation
enrol-consultation-booked = Your consultation with the facilitator ({ $therapist }) is booked. After it the facilitator decides whether the group suits you, and I will tell you.
enrol-enrolled = You are enrolled in "{ $title }". Each meeting is paid separately; choose your meetings below.
enrol-enrolled-short = You are enrolled.
enrol-not-enrolled = You can book the program's meetings once you are enrolled. Open the program and press "Enrol".

## The program's meetings
enrol-meetings-title = <b>Meetings of "{ $title }"</b> (times in { $zone }):
enrol-meeting-free = • { $when } — free places: { $places }
enrol-meeting-full = • { $when } — full
enrol-meeting-booked = • { $when } — ✅ booked

## Therapist: the decision after the consultation
enrol-therapist-counts = Enrolled: { $enrolled }. Meetings ahead: { $meetings }.
enrol-therapist-awaiting = • { $client } — consultation done, awaiting your decision
enrol-btn-admit = ✅ Admit: { $client }
enrol-btn-decline = ✖️ Decline: { $client }
enrol-admitted-short = Admitted; I told the client.
enrol-declined-short = The client has been told.
enrol-decision-stale = This decision is already made or not yours to make. Nothing changed.
enrol-admitted-client = The facilitator admitted you to "{ $title }". Open it to enrol and choose your meetings.
enrol-declined-client = Thank you for coming to the consultation. The facilitator thinks "{ $title }" is not the right group for you now. You can choose another group or an individual session: /therapists, /programs_list.

## Admins: publication and return
enrol-published-therapist = Your program "{ $title }" is published: clients can enrol. Its { $meetings } meetings are in your calendar, the first on { $first }.
enrol-publish-overlap = The program cannot be published: the meeting { $meeting } overlaps the therapist's open slot { $slot } ({ $kind }). Nothing changed; the therapist can close that slot or change the program's time.
enrol-publish-overlap-gone = The program cannot be published: the meeting { $meeting } overlaps another slot of the therapist. Nothing changed.
enrol-publish-refused-short = Not published: a calendar overlap.
enrol-ask-return-comment = { $admin }, reply with your comments on "{ $title }" for the therapist (3 to 2000 characters). Cancel: /cancel.
enrol-bad-return-comment = Please write a comment of 3 to 2000 characters, or /cancel.
enrol-returned-by = Returned for changes ({ $admin }). Comments: { $comment }
enrol-returned-done = The program is returned; the therapist gets your comments.
enrol-returned-therapist = The admins returned your program "{ $title }" for changes. Comments: { $comment }
    After the changes attach the presentation and submit the program again in /programs.
enrol-return-comment = The admins' comments: { $comment }
enrol-request-therapist = { $client } would like to join "{ $title }". After the preliminary consultation, decide in /programs.
