-- proego core schema (SQLite). Same meaning as migrations/postgres/0001_core.sql.
-- Instants are bound from Rust as UTC RFC 3339 text truncated to whole seconds, so text order
-- is time order; triggers compare through unixepoch() to be safe either way.
-- Money is integer kopecks (R-PAY-2).

CREATE TABLE users (
    telegram_id  INTEGER PRIMARY KEY,
    first_name   TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL CHECK (language IN ('ru', 'en')),
    language_chosen INTEGER NOT NULL DEFAULT 0 CHECK (language_chosen IN (0, 1)),
    time_zone    TEXT,
    role         TEXT NOT NULL DEFAULT 'client' CHECK (role IN ('client', 'therapist', 'admin')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- R-ONB-1..10: a therapist's account, created by an admin, bound to a Telegram account by the
-- invite link, moved through moderation.
CREATE TABLE therapists (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    telegram_id  INTEGER UNIQUE REFERENCES users (telegram_id),
    full_name    TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    email        TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    status       TEXT NOT NULL DEFAULT 'invited' CHECK (status IN
                 ('invited', 'onboarding', 'pending_moderation', 'active', 'rejected', 'suspended')),
    time_zone    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- an account past the invite is always bound to a Telegram account
    CHECK (status = 'invited' OR telegram_id IS NOT NULL)
);

CREATE TABLE slots (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    therapist_id INTEGER NOT NULL REFERENCES therapists (id),
    kind         TEXT NOT NULL CHECK (kind IN ('individual', 'group', 'consultation')),
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 12),
    booked       INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at   TEXT NOT NULL,
    CHECK (unixepoch(ends_at) > unixepoch(starts_at)),
    -- one client at a time in individual sessions and consultations (R-SES-1, R-GRP-3)
    CHECK (kind = 'group' OR capacity = 1),
    -- never more live bookings than seats (R-GRP-4); kept by the triggers below
    CONSTRAINT slots_seats CHECK (booked BETWEEN 0 AND capacity),
    UNIQUE (id, kind)
);
CREATE INDEX slots_therapist_start ON slots (therapist_id, starts_at);
CREATE INDEX slots_start ON slots (starts_at);

-- A therapist's open slots never overlap (half-open intervals: touching is fine).
-- SQLite serialises writers, so a check in a trigger is race-free.
CREATE TRIGGER slots_no_overlap_insert BEFORE INSERT ON slots
WHEN NEW.status = 'open'
BEGIN
    SELECT RAISE(ABORT, 'slot_overlap') WHERE EXISTS (
        SELECT 1 FROM slots s
        WHERE s.therapist_id = NEW.therapist_id AND s.status = 'open'
          AND unixepoch(s.starts_at) < unixepoch(NEW.ends_at)
          AND unixepoch(NEW.starts_at) < unixepoch(s.ends_at));
END;

CREATE TRIGGER slots_no_overlap_update BEFORE UPDATE OF starts_at, ends_at, status, therapist_id ON slots
WHEN NEW.status = 'open'
BEGIN
    SELECT RAISE(ABORT, 'slot_overlap') WHERE EXISTS (
        SELECT 1 FROM slots s
        WHERE s.id <> NEW.id AND s.therapist_id = NEW.therapist_id AND s.status = 'open'
          AND unixepoch(s.starts_at) < unixepoch(NEW.ends_at)
          AND unixepoch(NEW.starts_at) < unixepoch(s.ends_at));
END;

CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    slot_id      INTEGER NOT NULL,
    slot_kind    TEXT NOT NULL,
    client_id    INTEGER NOT NULL REFERENCES users (telegram_id),
    state        TEXT NOT NULL CHECK (state IN
                 ('awaiting_payment', 'confirmed', 'cancelled_by_client', 'cancelled_by_therapist',
                  'cancelled_by_admin', 'expired', 'completed', 'no_show')),
    price_kopecks INTEGER NOT NULL CHECK (price_kopecks >= 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- slot_kind is the slot's own kind: the pair must exist in slots
    FOREIGN KEY (slot_id, slot_kind) REFERENCES slots (id, kind)
);
CREATE INDEX bookings_client ON bookings (client_id);
-- An individual slot or a consultation never has two live bookings.
CREATE UNIQUE INDEX bookings_one_live_per_single_slot ON bookings (slot_id)
    WHERE slot_kind <> 'group' AND state IN ('awaiting_payment', 'confirmed');
-- A client holds at most one live seat in a group slot.
CREATE UNIQUE INDEX bookings_one_live_seat_per_client ON bookings (slot_id, client_id)
    WHERE state IN ('awaiting_payment', 'confirmed');

-- The seat counter follows the live bookings; the CHECK on slots.booked refuses the one too many.
CREATE TRIGGER bookings_count_insert AFTER INSERT ON bookings
WHEN NEW.state IN ('awaiting_payment', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'slot_closed') WHERE (SELECT status FROM slots WHERE id = NEW.slot_id) <> 'open';
    UPDATE slots SET booked = booked + 1 WHERE id = NEW.slot_id;
END;

CREATE TRIGGER bookings_count_update AFTER UPDATE OF state ON bookings
WHEN (OLD.state IN ('awaiting_payment', 'confirmed')) <> (NEW.state IN ('awaiting_payment', 'confirmed'))
BEGIN
    UPDATE slots SET booked = booked
        + (CASE WHEN NEW.state IN ('awaiting_payment', 'confirmed') THEN 1 ELSE -1 END)
    WHERE id = NEW.slot_id;
END;

CREATE TRIGGER bookings_no_slot_move BEFORE UPDATE OF slot_id, slot_kind ON bookings
BEGIN
    SELECT RAISE(ABORT, 'booking_slot_is_fixed');
END;

-- teloxide dialogue state, one row per chat (used when REDIS_URL is unset).
CREATE TABLE dialogues (
    chat_id      INTEGER PRIMARY KEY,
    state        TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
