-- Admin follow-ups (issues 5, 6, 8; SQLite). Same meaning as migrations/postgres/0014_admin_more.sql.

-- R-CAN-2, R-CAN-3: a money return that a cancellation decided (booking_cancellations says
-- release_hold or refund) and whose provider call failed is retried by a job with back-off;
-- one row per booking records the attempts, and when the admins were told (once).
CREATE TABLE money_return_retries (
    booking_id      INTEGER PRIMARY KEY REFERENCES bookings (id),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT CHECK (last_error IS NULL OR length(last_error) <= 500),
    admins_told_at  TEXT,
    done_at         TEXT
);
CREATE INDEX money_return_retries_open ON money_return_retries (next_attempt_at) WHERE done_at IS NULL;

-- R-CLI-7: a client who had their data deleted. Their bookings and payments stay for accounting
-- (amounts, dates, payment ids), anonymised: the name stays blank (Telegram's name is not
-- stored again when they write later).
ALTER TABLE users ADD COLUMN deleted_at TEXT;
CREATE TRIGGER users_deleted_anonymous BEFORE UPDATE ON users
WHEN NEW.deleted_at IS NOT NULL AND NEW.first_name <> ''
BEGIN
    SELECT RAISE(ABORT, 'users_deleted_anonymous');
END;
