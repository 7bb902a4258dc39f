-- Client intake (R-CLI-1..3, R-CLI-7): consent, questionnaire answers, test results, risk
-- flags. Health data: stored only after consent, deleted at once on request.

CREATE TABLE consents (
    client_id    BIGINT NOT NULL REFERENCES users (telegram_id),
    document     TEXT NOT NULL CHECK (document IN ('health_data')),
    version      INTEGER NOT NULL CHECK (version >= 1),
    accepted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, document)
);

-- One row per client: the answers in progress or complete, with the questionnaire version.
CREATE TABLE intake_answers (
    client_id    BIGINT PRIMARY KEY REFERENCES users (telegram_id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    progress     TEXT NOT NULL,
    completed_at TIMESTAMPTZ,
    risk         BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE test_results (
    id           BIGSERIAL PRIMARY KEY,
    client_id    BIGINT NOT NULL REFERENCES users (telegram_id),
    kind         TEXT NOT NULL CHECK (kind IN ('phq9', 'gad7')),
    answers      TEXT NOT NULL,
    total        INTEGER NOT NULL CHECK (total BETWEEN 0 AND 27),
    band         TEXT NOT NULL,
    risk         BOOLEAN NOT NULL,
    taken_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX test_results_client ON test_results (client_id, taken_at);

-- Risk signals flagged to the admins (without the answers).
CREATE TABLE risk_flags (
    id           BIGSERIAL PRIMARY KEY,
    client_id    BIGINT NOT NULL REFERENCES users (telegram_id),
    source       TEXT NOT NULL CHECK (source IN ('questionnaire', 'phq9')),
    flagged_at   TIMESTAMPTZ NOT NULL
);
