-- Group program enrolment (R-GRP-1..4, R-SES-1; issue 6 step 6, issue 4 admit/decline, issue 5
-- publish/return). Same meaning as migrations/sqlite/0011_enrolment.sql.

-- R-GRP-1/2: a program's meetings are group slots linked to it, made when it is published.
ALTER TABLE slots ADD COLUMN program_id BIGINT REFERENCES group_programs (id);
ALTER TABLE slots ADD CONSTRAINT slots_program_is_group CHECK (program_id IS NULL OR kind = 'group');
CREATE INDEX slots_program ON slots (program_id, starts_at) WHERE program_id IS NOT NULL;

-- R-GRP-2: the admins' comments when they return a program, shown to the therapist.
ALTER TABLE group_programs ADD COLUMN return_comment TEXT
    CHECK (return_comment IS NULL OR length(return_comment) BETWEEN 1 AND 2000);
ALTER TABLE group_programs ADD COLUMN reviewed_by BIGINT;
ALTER TABLE group_programs ADD COLUMN reviewed_at TIMESTAMPTZ;

-- R-GRP-3: where a client stands with a program. Psychodynamic and existential programs:
-- awaiting_consultation -> admitted | declined (the therapist decides) -> enrolled (the client
-- confirms); others: enrolled directly. withdrawn: no longer live (a new row may start over).
CREATE TABLE program_enrolments (
    id           BIGSERIAL PRIMARY KEY,
    program_id   BIGINT NOT NULL REFERENCES group_programs (id),
    client_id    BIGINT NOT NULL REFERENCES users (telegram_id),
    status       TEXT NOT NULL CHECK (status IN
                 ('awaiting_consultation', 'admitted', 'declined', 'enrolled', 'withdrawn')),
    decided_by   BIGINT REFERENCES therapists (id),
    decided_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK (status NOT IN ('admitted', 'declined') OR decided_by IS NOT NULL)
);
CREATE UNIQUE INDEX program_enrolments_one_live ON program_enrolments (program_id, client_id)
    WHERE status <> 'withdrawn';
CREATE INDEX program_enrolments_client ON program_enrolments (client_id);

-- R-GRP-2: enrolment only in a published program. R-GRP-3: in a psychodynamic or existential
-- program nobody is enrolled without the therapist's admission, the decision is the program's
-- own therapist's, and a declined client is not enrolled afterwards.
CREATE FUNCTION program_enrolments_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    g group_programs%ROWTYPE;
BEGIN
    SELECT * INTO g FROM group_programs WHERE id = NEW.program_id;
    IF TG_OP = 'INSERT' AND g.status IS DISTINCT FROM 'published' THEN
        RAISE EXCEPTION 'program_not_published';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.program_id <> OLD.program_id OR NEW.client_id <> OLD.client_id) THEN
        RAISE EXCEPTION 'program_enrolment_fixed';
    END IF;
    IF NEW.status = 'enrolled' AND NEW.decided_by IS NULL AND g.approach IN ('psychodynamic', 'existential') THEN
        RAISE EXCEPTION 'program_admission_required';
    END IF;
    IF NEW.decided_by IS NOT NULL AND NEW.decided_by IS DISTINCT FROM g.therapist_id THEN
        RAISE EXCEPTION 'program_decider_not_its_therapist';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = 'declined' AND NEW.status = 'enrolled' THEN
        RAISE EXCEPTION 'program_declined';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER program_enrolments_check BEFORE INSERT OR UPDATE ON program_enrolments
    FOR EACH ROW EXECUTE FUNCTION program_enrolments_check();

-- R-GRP-2, R-GRP-3: a seat in a program's meeting only for an enrolled client of a published
-- program (a forged button changes nothing even if the code forgot to check).
CREATE FUNCTION bookings_program_enrolled() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pid BIGINT;
BEGIN
    SELECT program_id INTO pid FROM slots WHERE id = NEW.slot_id;
    IF pid IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM group_programs g
        JOIN program_enrolments e ON e.program_id = g.id AND e.client_id = NEW.client_id AND e.status = 'enrolled'
        WHERE g.id = pid AND g.status = 'published'
    ) THEN
        RAISE EXCEPTION 'program_not_enrolled';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER bookings_program_enrolled BEFORE INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_program_enrolled();
