-- Onboarding and moderation (R-ONB-1..10, R-PRICE-1/2), PostgreSQL. Same meaning as
-- migrations/sqlite/0002_onboarding.sql. Instants are UTC, money integer kopecks.

-- R-ONB-1: one-time invites; only the sha256 of the code is kept.
CREATE TABLE invites (
    id           BIGSERIAL PRIMARY KEY,
    therapist_id BIGINT NOT NULL REFERENCES therapists (id),
    code_hash    TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
    created_by   BIGINT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ,
    used_by      BIGINT,
    revoked_at   TIMESTAMPTZ,
    CHECK (used_at IS NULL OR revoked_at IS NULL),
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX invites_therapist ON invites (therapist_id);

-- Every admin action: who, what, on whom, why, when.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    actor_id     BIGINT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    reason       TEXT,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject);

-- R-ONB-2, R-ONB-7, R-ONB-8, R-ONB-10: the profile beside the account (full name and time zone
-- live on therapists).
CREATE TABLE therapist_profiles (
    therapist_id      BIGINT PRIMARY KEY REFERENCES therapists (id),
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
    submitted_at      TIMESTAMPTZ,
    rejection_reason  TEXT,
    moderated_by      BIGINT,
    moderated_by_name TEXT,
    moderated_at      TIMESTAMPTZ,
    card_message_id   INTEGER,
    -- the one onboarding checklist message in the therapist's chat (older ones are deleted)
    checklist_message_id INTEGER,
    updated_at        TIMESTAMPTZ NOT NULL,
    CHECK ((payout_sealed IS NULL) = (payout_masked IS NULL))
);

-- R-ONB-3: ticked catalogue items (ids of dialogues/specializations.toml).
CREATE TABLE therapist_specializations (
    therapist_id BIGINT NOT NULL REFERENCES therapists (id),
    item_id      TEXT NOT NULL,
    PRIMARY KEY (therapist_id, item_id)
);

-- R-PRICE-1, R-PRICE-2: the price for new clients per price list, with what the six-month
-- rule needs (activation and the last counted change).
CREATE TABLE therapist_prices (
    therapist_id   BIGINT NOT NULL REFERENCES therapists (id),
    kind           TEXT NOT NULL CHECK (kind IN ('individual', 'group')),
    amount_kopecks BIGINT NOT NULL CHECK (amount_kopecks > 0),
    activated_at   TIMESTAMPTZ,
    last_change_at TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (therapist_id, kind)
);

-- R-ONB-6: presentations and materials (Telegram file ids).
CREATE TABLE therapist_materials (
    id           BIGSERIAL PRIMARY KEY,
    therapist_id BIGINT NOT NULL REFERENCES therapists (id),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    file_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('document', 'photo')),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX therapist_materials_therapist ON therapist_materials (therapist_id);

-- R-ONB-9: accepted documents, with version and time.
CREATE TABLE therapist_agreements (
    therapist_id BIGINT NOT NULL REFERENCES therapists (id),
    document     TEXT NOT NULL CHECK (document IN ('offer', 'privacy', 'ethics')),
    version      TEXT NOT NULL,
    accepted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (therapist_id, document, version)
);
