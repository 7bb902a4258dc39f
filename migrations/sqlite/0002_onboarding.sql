-- Onboarding and moderation (R-ONB-1..10, R-PRICE-1/2). Same meaning as
-- migrations/postgres/0002_onboarding.sql. Instants are UTC, money integer kopecks.

-- R-ONB-1: one-time invites; only the sha256 of the code is kept.
CREATE TABLE invites (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    therapist_id INTEGER NOT NULL REFERENCES therapists (id),
    code_hash    TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
    created_by   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    used_by      INTEGER,
    revoked_at   TEXT,
    CHECK (used_at IS NULL OR revoked_at IS NULL),
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX invites_therapist ON invites (therapist_id);

-- Every admin action: who, what, on whom, why, when.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id     INTEGER NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    reason       TEXT,
    at           TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject);

-- R-ONB-2, R-ONB-7, R-ONB-8, R-ONB-10: the profile beside the account (full name and time zone
-- live on therapists).
CREATE TABLE therapist_profiles (
    therapist_id      INTEGER PRIMARY KEY REFERENCES therapists (id),
    photo_file_id     TEXT,
    bio               TEXT CHECK (length(bio) <= 1000),
    education         TEXT CHECK (length(education) <= 1000),
    years_of_practice INTEGER CHECK (years_of_practice BETWEEN 0 AND 70),
    languages         TEXT NOT NULL DEFAULT '',
    video_room_link   TEXT CHECK (video_room_link LIKE 'https://%'),
    -- R-ONB-7: AES-GCM sealed payout details (base64 of nonce || ciphertext) and their mask
    payout_sealed     TEXT,
    payout_masked     TEXT,
    tax_status        TEXT CHECK (tax_status IN ('self_employed', 'individual_entrepreneur')),
    tax_cert_file_id  TEXT,
    tax_cert_kind     TEXT CHECK (tax_cert_kind IN ('document', 'photo')),
    -- R-ONB-10: moderation
    submitted_at      TEXT,
    rejection_reason  TEXT,
    moderated_by      INTEGER,
    moderated_by_name TEXT,
    moderated_at      TEXT,
    card_message_id   INTEGER,
    -- the one onboarding checklist message in the therapist's chat (older ones are deleted)
    checklist_message_id INTEGER,
    updated_at        TEXT NOT NULL,
    CHECK ((payout_sealed IS NULL) = (payout_masked IS NULL))
);

-- R-ONB-3: ticked catalogue items (ids of dialogues/specializations.toml).
CREATE TABLE therapist_specializations (
    therapist_id INTEGER NOT NULL REFERENCES therapists (id),
    item_id      TEXT NOT NULL,
    PRIMARY KEY (therapist_id, item_id)
);

-- R-PRICE-1, R-PRICE-2: the price for new clients per price list, with what the six-month
-- rule needs (activation and the last counted change).
CREATE TABLE therapist_prices (
    therapist_id   INTEGER NOT NULL REFERENCES therapists (id),
    kind           TEXT NOT NULL CHECK (kind IN ('individual', 'group')),
    amount_kopecks INTEGER NOT NULL CHECK (amount_kopecks > 0),
    activated_at   TEXT,
    last_change_at TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (therapist_id, kind)
);

-- R-ONB-6: presentations and materials (Telegram file ids).
CREATE TABLE therapist_materials (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    therapist_id INTEGER NOT NULL REFERENCES therapists (id),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    file_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('document', 'photo')),
    created_at   TEXT NOT NULL
);
CREATE INDEX therapist_materials_therapist ON therapist_materials (therapist_id);

-- R-ONB-9: accepted documents, with version and time.
CREATE TABLE therapist_agreements (
    therapist_id INTEGER NOT NULL REFERENCES therapists (id),
    document     TEXT NOT NULL CHECK (document IN ('offer', 'privacy', 'ethics')),
    version      TEXT NOT NULL,
    accepted_at  TEXT NOT NULL,
    PRIMARY KEY (therapist_id, document, version)
);
