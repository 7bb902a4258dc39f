-- Admin tools (issue 5): who marked a payout paid (R-PAY-2), and the therapists' receipts per
-- paid session (R-PAY-3; filed by therapists in a later issue, so a payout without a row here
-- shows its receipt as missing).

ALTER TABLE payouts ADD COLUMN paid_by INTEGER;
ALTER TABLE payouts ADD COLUMN paid_by_name TEXT;
-- A payout marked paid always says when, by whom and with which reference (SQLite cannot add a
-- CHECK to an existing table: a trigger keeps the same rule).
CREATE TRIGGER payouts_paid_complete BEFORE UPDATE ON payouts
WHEN (NEW.paid_out_at IS NULL) <> (NEW.reference IS NULL) OR (NEW.paid_out_at IS NULL) <> (NEW.paid_by IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'payouts_paid_complete');
END;

CREATE TABLE payout_receipts (
    booking_id   INTEGER PRIMARY KEY REFERENCES payouts (booking_id),
    receipt_ref  TEXT NOT NULL CHECK (length(receipt_ref) BETWEEN 1 AND 500),
    recorded_at  TEXT NOT NULL
);

CREATE INDEX payouts_unpaid ON payouts (therapist_id) WHERE paid_out_at IS NULL;
CREATE INDEX audit_log_at ON audit_log (at);

-- R-CAN-3: who decided a force-majeure case and when.
ALTER TABLE force_majeure_cases ADD COLUMN decided_by INTEGER;
ALTER TABLE force_majeure_cases ADD COLUMN decided_by_name TEXT;
ALTER TABLE force_majeure_cases ADD COLUMN decided_at TEXT;
