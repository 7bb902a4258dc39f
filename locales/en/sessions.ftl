# Time-driven messages (R-PAY-1, R-SES-1).

booking-expired = Your booking of a { $kind } on { $when } was not paid within 15 minutes, so the time is free again. If you like, choose a time once more.
reminder-24h = Reminder: your { $kind } with { $therapist } is tomorrow, { $when }. You can cancel or move it for free only until now; after this, the session is paid in full.
reminder-24h-free = Reminder: your { $kind } with { $therapist } is tomorrow, { $when }. If you cannot come, cancel or move it in /mybookings so that someone else can have the time.
reminder-1h = In one hour: your { $kind } with { $therapist }, { $when }. I will send the room link 15 minutes before the start.
admin-capture-failed = ⚠️ A held payment #{ $payment } (booking #{ $booking }) could not be captured and the hold has lapsed. Please check.
