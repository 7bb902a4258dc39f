-- Therapist calendar, bookings and group programs (issue 4; SQLite). Same meaning as
-- migrations/postgres/0003_programs.sql. Instants are UTC text, money integer kopecks.

-- R-CAN-3: what a cancellation decided (domain::decide_cancellation), recorded once per
-- booking; the money movement (release, refund) is done later from this row.
CREATE TABLE booking_cancellations (
    booking_id   INTEGER PRIMARY KEY REFERENCES bookings (id),
    cancelled_by TEXT NOT NULL CHECK (cancelled_by IN ('client', 'therapist', 'admin')),
    timing       TEXT NOT NULL CHECK (timing IN ('timely', 'late')),
    money_action TEXT NOT NULL CHECK (money_action IN
                 ('nothing', 'release_hold', 'refund', 'capture_hold', 'keep_captured',
                  'return_credit', 'keep_credit', 'return_free_session', 'keep_free_session')),
    therapist_paid INTEGER NOT NULL CHECK (therapist_paid IN (0, 1)),
    therapist_owes_free_session INTEGER NOT NULL CHECK (therapist_owes_free_session IN (0, 1)),
    decided_at   TEXT NOT NULL
);

-- R-CAN-3: a late therapist cancellation may be excused by a force-majeure document that an
-- admin accepts (pending -> accepted or rejected); one case per cancelled booking.
CREATE TABLE force_majeure_cases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id   INTEGER NOT NULL UNIQUE REFERENCES booking_cancellations (booking_id),
    therapist_id INTEGER NOT NULL REFERENCES therapists (id),
    document_file_id TEXT NOT NULL CHECK (length(document_file_id) BETWEEN 1 AND 512),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- R-GRP-1..4: a group program written by a therapist, published by the admins.
CREATE TABLE group_programs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    therapist_id INTEGER NOT NULL REFERENCES therapists (id),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description  TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 3000),
    approach     TEXT NOT NULL CHECK (length(approach) BETWEEN 1 AND 64),
    topic        TEXT NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
    meetings     INTEGER NOT NULL CHECK (meetings BETWEEN 1 AND 52),
    meeting_minutes INTEGER NOT NULL CHECK (meeting_minutes = 90),
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    local_time   TEXT NOT NULL CHECK (length(local_time) = 5),
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 5 AND 12),
    price_kopecks INTEGER NOT NULL CHECK (price_kopecks >= 0),
    presentation_file_id TEXT,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
                 ('draft', 'submitted', 'returned', 'published', 'archived')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (status = 'draft' OR presentation_file_id IS NOT NULL)
);
CREATE INDEX group_programs_therapist ON group_programs (therapist_id);
