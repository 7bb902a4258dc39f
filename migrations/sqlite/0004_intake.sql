-- Client intake (R-CLI-1..3, R-CLI-7): consent, questionnaire answers, test results, risk
-- flags. Health data: stored only after consent, deleted at once on request.

CREATE TABLE consents (
    client_id    INTEGER NOT NULL REFERENCES users (telegram_id),
    document     TEXT NOT NULL CHECK (document IN ('health_data')),
    version      INTEGER NOT NULL CHECK (version >= 1),
    accepted_at  TEXT NOT NULL,
    PRIMARY KEY (client_id, document)
);

-- One row per client: the answers in progress or complete, with the questionnaire version.
CREATE TABLE intake_answers (
    client_id    INTEGER PRIMARY KEY REFERENCES users (telegram_id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    progress     TEXT NOT NULL,
    completed_at TEXT,
    risk         INTEGER NOT NULL DEFAULT 0 CHECK (risk IN (0, 1)),
    updated_at   TEXT NOT NULL
);

CREATE TABLE test_results (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id    INTEGER NOT NULL REFERENCES users (telegram_id),
    kind         TEXT NOT NULL CHECK (kind IN ('phq9', 'gad7')),
    answers      TEXT NOT NULL,
    total        INTEGER NOT NULL CHECK (total BETWEEN 0 AND 27),
    band         TEXT NOT NULL,
    risk         INTEGER NOT NULL CHECK (risk IN (0, 1)),
    taken_at     TEXT NOT NULL
);
CREATE INDEX test_results_client ON test_results (client_id, taken_at);

-- Risk signals flagged to the admins (without the answers).
CREATE TABLE risk_flags (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id    INTEGER NOT NULL REFERENCES users (telegram_id),
    source       TEXT NOT NULL CHECK (source IN ('questionnaire', 'phq9')),
    flagged_at   TEXT NOT NULL
);
