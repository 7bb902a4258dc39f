-- Payouts (R-PAY-2, R-PAY-4): what each session that took place pays the therapist, due 24
-- hours after the session (14 days for foreign payments). paid = commission + payout, always.

CREATE TABLE payouts (
    booking_id        INTEGER PRIMARY KEY REFERENCES bookings (id),
    therapist_id      INTEGER NOT NULL REFERENCES therapists (id),
    paid_kopecks      INTEGER NOT NULL CHECK (paid_kopecks >= 0),
    commission_kopecks INTEGER NOT NULL CHECK (commission_kopecks >= 0),
    payout_kopecks    INTEGER NOT NULL CHECK (payout_kopecks >= 0),
    tier              TEXT NOT NULL,
    foreign_payment   INTEGER NOT NULL CHECK (foreign_payment IN (0, 1)),
    due_at            TEXT NOT NULL,
    paid_out_at       TEXT,
    reference         TEXT,
    created_at        TEXT NOT NULL,
    CHECK (paid_kopecks = commission_kopecks + payout_kopecks)
);
CREATE INDEX payouts_therapist ON payouts (therapist_id, due_at);
