-- Packages of sessions paid up front (R-PAY-1, R-CAN-2..3). Same meaning as
-- migrations/postgres/0012_packages.sql.
--
-- A package of `size` sessions with one therapist at a per-session price, paid size × price at
-- once (captured as soon as it is held). Credits: used (taken by bookings, live or past,
-- including late-cancelled ones) + refunded_credits + available = size; the CHECK makes
-- "used credits <= size" an invariant the database keeps, also under concurrent bookings.
CREATE TABLE packages (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id           INTEGER NOT NULL REFERENCES users (telegram_id),
    therapist_id        INTEGER NOT NULL REFERENCES therapists (id),
    size                INTEGER NOT NULL CHECK (size > 0),
    per_session_kopecks INTEGER NOT NULL CHECK (per_session_kopecks > 0),
    paid_kopecks        INTEGER NOT NULL CHECK (paid_kopecks = size * per_session_kopecks),
    state               TEXT NOT NULL CHECK (state IN ('awaiting_payment', 'active', 'expired')),
    used                INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0),
    refunded_credits    INTEGER NOT NULL DEFAULT 0 CHECK (refunded_credits >= 0),
    refunded_kopecks    INTEGER NOT NULL DEFAULT 0 CHECK (refunded_kopecks >= 0 AND refunded_kopecks <= paid_kopecks),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (used + refunded_credits <= size),
    -- Credits are taken only from a paid package.
    CHECK (state = 'active' OR (used = 0 AND refunded_credits = 0))
);
CREATE INDEX packages_client ON packages (client_id, therapist_id);
CREATE INDEX packages_awaiting ON packages (created_at) WHERE state = 'awaiting_payment';

-- Which booking took which credit: a booking takes at most one (primary key); a timely
-- cancellation deletes the row and gives the credit back, a late one keeps it.
CREATE TABLE package_credit_uses (
    booking_id  INTEGER PRIMARY KEY REFERENCES bookings (id),
    package_id  INTEGER NOT NULL REFERENCES packages (id),
    used_at     TEXT NOT NULL
);
CREATE INDEX package_credit_uses_package ON package_credit_uses (package_id);

-- A payment belongs to exactly one booking or one package.
ALTER TABLE payments ADD COLUMN package_id INTEGER REFERENCES packages (id);
CREATE UNIQUE INDEX payments_one_live_per_package ON payments (package_id)
    WHERE state IN ('pending', 'held', 'captured', 'partially_refunded');
CREATE TRIGGER payments_one_owner_insert BEFORE INSERT ON payments
WHEN (NEW.booking_id IS NULL) = (NEW.package_id IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'payment_owner');
END;
CREATE TRIGGER payments_one_owner_update BEFORE UPDATE OF booking_id, package_id ON payments
WHEN (NEW.booking_id IS NULL) = (NEW.package_id IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'payment_owner');
END;
