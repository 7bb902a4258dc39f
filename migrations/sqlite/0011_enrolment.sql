-- Group program enrolment (R-GRP-1..4, R-SES-1; issue 6 step 6, issue 4 admit/decline, issue 5
-- publish/return). Same meaning as migrations/postgres/0011_enrolment.sql.

-- R-GRP-1/2: a program's meetings are group slots linked to it, made when it is published.
ALTER TABLE slots ADD COLUMN program_id INTEGER REFERENCES group_programs (id);
CREATE INDEX slots_program ON slots (program_id, starts_at) WHERE program_id IS NOT NULL;

-- Only group slots belong to a program (SQLite cannot add a CHECK to an existing table).
CREATE TRIGGER slots_program_is_group_insert BEFORE INSERT ON slots
WHEN NEW.program_id IS NOT NULL AND NEW.kind <> 'group'
BEGIN
    SELECT RAISE(ABORT, 'slots_program_is_group');
END;
CREATE TRIGGER slots_program_is_group_update BEFORE UPDATE OF program_id, kind ON slots
WHEN NEW.program_id IS NOT NULL AND NEW.kind <> 'group'
BEGIN
    SELECT RAISE(ABORT, 'slots_program_is_group');
END;

-- R-GRP-2: the admins' comments when they return a program, shown to the therapist.
ALTER TABLE group_programs ADD COLUMN return_comment TEXT CHECK (return_comment IS NULL OR length(return_comment) BETWEEN 1 AND 2000);
ALTER TABLE group_programs ADD COLUMN reviewed_by INTEGER;
ALTER TABLE group_programs ADD COLUMN reviewed_at TEXT;

-- R-GRP-3: where a client stands with a program. Psychodynamic and existential programs:
-- awaiting_consultation -> admitted | declined (the therapist decides) -> enrolled (the client
-- confirms); others: enrolled directly. withdrawn: no longer live (a new row may start over).
CREATE TABLE program_enrolments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id   INTEGER NOT NULL REFERENCES group_programs (id),
    client_id    INTEGER NOT NULL REFERENCES users (telegram_id),
    status       TEXT NOT NULL CHECK (status IN
                 ('awaiting_consultation', 'admitted', 'declined', 'enrolled', 'withdrawn')),
    -- the therapist's decision (R-GRP-3): who and when
    decided_by   INTEGER REFERENCES therapists (id),
    decided_at   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    -- admitted and declined are always the therapist's decision
    CHECK (status NOT IN ('admitted', 'declined') OR decided_by IS NOT NULL)
);
-- One live row per program and client.
CREATE UNIQUE INDEX program_enrolments_one_live ON program_enrolments (program_id, client_id)
    WHERE status <> 'withdrawn';
CREATE INDEX program_enrolments_client ON program_enrolments (client_id);

-- R-GRP-2: enrolment only in a published program.
CREATE TRIGGER program_enrolments_published BEFORE INSERT ON program_enrolments
BEGIN
    SELECT RAISE(ABORT, 'program_not_published')
    WHERE (SELECT status FROM group_programs WHERE id = NEW.program_id) IS NOT 'published';
END;

-- R-GRP-3: in a psychodynamic or existential program nobody is enrolled without the
-- therapist's admission, and the decision is the program's own therapist's.
CREATE TRIGGER program_enrolments_admission_insert BEFORE INSERT ON program_enrolments
BEGIN
    SELECT RAISE(ABORT, 'program_admission_required')
    WHERE NEW.status = 'enrolled' AND NEW.decided_by IS NULL
      AND (SELECT approach FROM group_programs WHERE id = NEW.program_id) IN ('psychodynamic', 'existential');
    SELECT RAISE(ABORT, 'program_decider_not_its_therapist')
    WHERE NEW.decided_by IS NOT NULL
      AND NEW.decided_by IS NOT (SELECT therapist_id FROM group_programs WHERE id = NEW.program_id);
END;
CREATE TRIGGER program_enrolments_admission_update BEFORE UPDATE ON program_enrolments
BEGIN
    SELECT RAISE(ABORT, 'program_enrolment_fixed')
    WHERE NEW.program_id <> OLD.program_id OR NEW.client_id <> OLD.client_id;
    SELECT RAISE(ABORT, 'program_admission_required')
    WHERE NEW.status = 'enrolled' AND NEW.decided_by IS NULL
      AND (SELECT approach FROM group_programs WHERE id = NEW.program_id) IN ('psychodynamic', 'existential');
    SELECT RAISE(ABORT, 'program_decider_not_its_therapist')
    WHERE NEW.decided_by IS NOT NULL
      AND NEW.decided_by IS NOT (SELECT therapist_id FROM group_programs WHERE id = NEW.program_id);
    -- a declined client is not enrolled afterwards (R-GRP-3; the therapist may still admit)
    SELECT RAISE(ABORT, 'program_declined')
    WHERE OLD.status = 'declined' AND NEW.status = 'enrolled';
END;

-- R-GRP-2, R-GRP-3: a seat in a program's meeting only for an enrolled client of a published
-- program (a forged button changes nothing even if the code forgot to check).
CREATE TRIGGER bookings_program_enrolled BEFORE INSERT ON bookings
WHEN (SELECT program_id FROM slots WHERE id = NEW.slot_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'program_not_enrolled') WHERE NOT EXISTS (
        SELECT 1 FROM slots s
        JOIN group_programs g ON g.id = s.program_id AND g.status = 'published'
        JOIN program_enrolments e ON e.program_id = g.id AND e.client_id = NEW.client_id AND e.status = 'enrolled'
        WHERE s.id = NEW.slot_id);
END;
