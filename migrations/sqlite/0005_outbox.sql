-- The notification outbox: every message the product must deliver to someone other than the
-- person it is answering is written here in the same transaction as the change that causes
-- it; a relay sends it (retrying on 429 and network errors, giving up on 403) and marks it.

CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id        INTEGER NOT NULL,
    text           TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4096),
    keyboard       TEXT,
    -- A key that makes a notification happen at most once (e.g. reminder:24h:booking:42).
    dedupe_key     TEXT UNIQUE,
    created_at     TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- A relay that claimed the row owns it until then (another instance may take it after).
    claimed_until  TEXT,
    sent_at        TEXT,
    sent_message_id INTEGER,
    failed_at      TEXT,
    last_error     TEXT,
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
