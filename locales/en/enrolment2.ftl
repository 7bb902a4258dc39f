# Group programs: leaving a program, the recommended consultation, program meetings in the
# therapist's calendar, programs in the admins' /queue (R-GRP-2, R-GRP-3, R-CAN-2).

## The client's card: the recommended consultation (R-GRP-3)
enrol2-card-consultation-recommended = Not required, but recommended: a free 15-minute consultation with the facilitator ({ $therapist }) helps you see whether this group suits you.
enrol2-btn-consultation-recommended = 📅 Free consultation (recommended)

## The client leaves a program
enrol2-btn-leave = 🚪 Leave the program
enrol2-leave-not-enrolled = You are not in this program (or have left it already). Nothing changed.
enrol2-leave-ask = Leave the program "{ $title }"?
enrol2-leave-no-meetings = You have no booked meetings ahead.
enrol2-leave-meetings = Your booked meetings ahead are cancelled under the usual rules:
enrol2-leave-meeting = • { $when }: { $consequence }
enrol2-leave-consultation-stays = Your booked consultation with the facilitator stays; cancel it in /mybookings if you no longer need it.
enrol2-leave-return-admission = To come back later you will need the facilitator's admission again (the consultation you had counts, a new one is not needed).
enrol2-leave-return-free = You can enrol again later while places are free.
enrol2-btn-leave-yes = Yes, leave
enrol2-btn-leave-no = No, stay
enrol2-left-short = You have left the program.
enrol2-left = You have left the program "{ $title }". The facilitator is told.
enrol2-left-meeting = • Cancelled { $when }. { $consequence }
enrol2-left-meeting-kept = • { $when }: could not be cancelled now; see /mybookings.
enrol2-left-therapist = { $client } has left your program "{ $title }". Their booked meetings cancelled: { $meetings }; those seats are free again.

## The therapist's calendar (R-GRP-2)
enrol2-calendar-meeting = { " " }· program "{ $title }"
enrol2-calendar-close-program = This is a meeting of the published program "{ $title }": clients enrol for its schedule, so it cannot be closed. Nothing changed.

## The admins' /queue (R-GRP-2)
enrol2-queue-programs-empty = No programs wait for publication.
enrol2-queue-programs-title = <b>Programs waiting for publication</b>
enrol2-queue-program = "{ $title }" by { $therapist } — submitted { $at }
enrol2-queue-btn-open = Open: { $title }
