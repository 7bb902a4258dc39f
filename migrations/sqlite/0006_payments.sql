-- Payments (R-PAY-1, R-CAN-2..3): our record of every payment with the provider, its state
-- history, de-duplicated provider notifications, idempotency keys of provider calls, and the
-- sandbox provider's own book of payments. Money is integer kopecks.

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id      INTEGER REFERENCES bookings (id),
    provider        TEXT NOT NULL CHECK (provider IN ('sandbox', 'yookassa')),
    provider_payment_id TEXT UNIQUE,
    -- Derived from our ids and stored before the provider is called: a retry repeats.
    idempotence_key TEXT NOT NULL UNIQUE,
    amount_kopecks  INTEGER NOT NULL CHECK (amount_kopecks > 0),
    refunded_kopecks INTEGER NOT NULL DEFAULT 0 CHECK (refunded_kopecks >= 0),
    state           TEXT NOT NULL CHECK (state IN
                    ('pending', 'held', 'captured', 'released', 'partially_refunded', 'refunded', 'failed')),
    confirmation_url TEXT,
    foreign_card    INTEGER NOT NULL DEFAULT 0 CHECK (foreign_card IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (refunded_kopecks <= amount_kopecks)
);
-- A booking has at most one payment that is still alive.
CREATE UNIQUE INDEX payments_one_live_per_booking ON payments (booking_id)
    WHERE state IN ('pending', 'held', 'captured', 'partially_refunded');

CREATE TABLE payment_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id      INTEGER NOT NULL REFERENCES payments (id),
    event           TEXT NOT NULL,
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    detail          TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, id);

-- Provider calls that move money (capture, cancel, refund), keyed before the call.
CREATE TABLE payment_operations (
    idempotence_key TEXT PRIMARY KEY,
    payment_id      INTEGER NOT NULL REFERENCES payments (id),
    kind            TEXT NOT NULL CHECK (kind IN ('capture', 'cancel', 'refund')),
    amount_kopecks  INTEGER NOT NULL CHECK (amount_kopecks >= 0),
    created_at      TEXT NOT NULL,
    done_at         TEXT
);

-- Notifications seen, so the same one is handled once.
CREATE TABLE provider_notifications (
    provider        TEXT NOT NULL,
    object_id       TEXT NOT NULL,
    event           TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (provider, object_id, event)
);

-- The sandbox provider's own book: behaves like a real provider, with no account.
CREATE TABLE sandbox_payments (
    id              TEXT PRIMARY KEY,
    idempotence_key TEXT NOT NULL UNIQUE,
    amount_kopecks  INTEGER NOT NULL CHECK (amount_kopecks > 0),
    refunded_kopecks INTEGER NOT NULL DEFAULT 0 CHECK (refunded_kopecks >= 0),
    description     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'waiting_for_capture', 'succeeded', 'canceled')),
    metadata        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    CHECK (refunded_kopecks <= amount_kopecks)
);
CREATE TABLE sandbox_operations (
    idempotence_key TEXT PRIMARY KEY,
    payment_id      TEXT NOT NULL REFERENCES sandbox_payments (id),
    kind            TEXT NOT NULL,
    amount_kopecks  INTEGER NOT NULL
);
