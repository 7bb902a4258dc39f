-- proego core schema (PostgreSQL). Same meaning as migrations/sqlite/0001_core.sql.
-- Instants are timestamptz (UTC); money is integer kopecks (R-PAY-2).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE users (
    telegram_id  BIGINT PRIMARY KEY,
    first_name   TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL CHECK (language IN ('ru', 'en')),
    language_chosen BOOLEAN NOT NULL DEFAULT FALSE,
    time_zone    TEXT,
    role         TEXT NOT NULL DEFAULT 'client' CHECK (role IN ('client', 'therapist', 'admin')),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- R-ONB-1..10: a therapist's account, created by an admin, bound to a Telegram account by the
-- invite link, moved through moderation.
CREATE TABLE therapists (
    id           BIGSERIAL PRIMARY KEY,
    telegram_id  BIGINT UNIQUE REFERENCES users (telegram_id),
    full_name    TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    email        TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    status       TEXT NOT NULL DEFAULT 'invited' CHECK (status IN
                 ('invited', 'onboarding', 'pending_moderation', 'active', 'rejected', 'suspended')),
    time_zone    TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK (status = 'invited' OR telegram_id IS NOT NULL)
);

CREATE TABLE slots (
    id           BIGSERIAL PRIMARY KEY,
    therapist_id BIGINT NOT NULL REFERENCES therapists (id),
    kind         TEXT NOT NULL CHECK (kind IN ('individual', 'group', 'consultation')),
    starts_at    TIMESTAMPTZ NOT NULL,
    ends_at      TIMESTAMPTZ NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 12),
    booked       INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (kind = 'group' OR capacity = 1),
    CONSTRAINT slots_seats CHECK (booked BETWEEN 0 AND capacity),
    UNIQUE (id, kind),
    -- A therapist's open slots never overlap (half-open ranges: touching is fine); race-free.
    CONSTRAINT slots_no_overlap EXCLUDE USING gist (
        therapist_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status = 'open')
);
CREATE INDEX slots_start ON slots (starts_at);

CREATE TABLE bookings (
    id           BIGSERIAL PRIMARY KEY,
    slot_id      BIGINT NOT NULL,
    slot_kind    TEXT NOT NULL,
    client_id    BIGINT NOT NULL REFERENCES users (telegram_id),
    state        TEXT NOT NULL CHECK (state IN
                 ('awaiting_payment', 'confirmed', 'cancelled_by_client', 'cancelled_by_therapist',
                  'cancelled_by_admin', 'expired', 'completed', 'no_show')),
    price_kopecks BIGINT NOT NULL CHECK (price_kopecks >= 0),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (slot_id, slot_kind) REFERENCES slots (id, kind)
);
CREATE INDEX bookings_client ON bookings (client_id);
CREATE UNIQUE INDEX bookings_one_live_per_single_slot ON bookings (slot_id)
    WHERE slot_kind <> 'group' AND state IN ('awaiting_payment', 'confirmed');
CREATE UNIQUE INDEX bookings_one_live_seat_per_client ON bookings (slot_id, client_id)
    WHERE state IN ('awaiting_payment', 'confirmed');

-- The seat counter follows the live bookings; the CHECK on slots.booked refuses the one too
-- many. The UPDATE takes the slot's row lock, so concurrent bookings of one slot serialise.
CREATE FUNCTION bookings_count_seats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_live BOOLEAN := TG_OP = 'UPDATE' AND OLD.state IN ('awaiting_payment', 'confirmed');
    is_live  BOOLEAN := NEW.state IN ('awaiting_payment', 'confirmed');
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.slot_id <> OLD.slot_id OR NEW.slot_kind <> OLD.slot_kind) THEN
        RAISE EXCEPTION 'booking_slot_is_fixed';
    END IF;
    IF is_live AND NOT was_live THEN
        UPDATE slots SET booked = booked + 1 WHERE id = NEW.slot_id AND status = 'open';
        IF NOT FOUND THEN
            RAISE EXCEPTION 'slot_closed';
        END IF;
    ELSIF was_live AND NOT is_live THEN
        UPDATE slots SET booked = booked - 1 WHERE id = NEW.slot_id;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER bookings_count_seats AFTER INSERT OR UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_count_seats();

-- teloxide dialogue state, one row per chat (used when REDIS_URL is unset).
CREATE TABLE dialogues (
    chat_id      BIGINT PRIMARY KEY,
    state        TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
