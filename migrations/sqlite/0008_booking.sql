-- Client booking (R-CLI-5, R-PRICE-3, R-CAN-3). Same meaning as migrations/postgres/0008_booking.sql.

-- R-PRICE-3: a client's locked price with one therapist's price list, written when a booking
-- is confirmed (an expired booking starts no lock); replaced by a new one after 365 days.
CREATE TABLE price_locks (
    client_id     INTEGER NOT NULL REFERENCES users (telegram_id),
    therapist_id  INTEGER NOT NULL REFERENCES therapists (id),
    kind          TEXT NOT NULL CHECK (kind IN ('individual', 'group')),
    price_kopecks INTEGER NOT NULL CHECK (price_kopecks > 0),
    since         TEXT NOT NULL,
    PRIMARY KEY (client_id, therapist_id, kind)
);

-- R-CAN-3: a free session owed by a therapist (a booking_cancellations row with
-- therapist_owes_free_session) is used by at most one live booking; a timely cancellation of
-- that booking gives it back (the row is deleted).
CREATE TABLE free_session_uses (
    owed_by_booking_id INTEGER PRIMARY KEY REFERENCES booking_cancellations (booking_id),
    booking_id         INTEGER NOT NULL UNIQUE REFERENCES bookings (id),
    used_at            TEXT NOT NULL
);
