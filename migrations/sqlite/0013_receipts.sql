-- Therapists' receipts (R-PAY-3): what kind of receipt was filed (a link from "Мой налог", a
-- receipt number, a PDF document or a photo), the Telegram file of a document or photo, and
-- when it was last replaced. Same meaning as migrations/postgres/0013_receipts.sql.

ALTER TABLE payout_receipts ADD COLUMN kind TEXT NOT NULL DEFAULT 'number'
    CHECK (kind IN ('link', 'number', 'document', 'photo'));
ALTER TABLE payout_receipts ADD COLUMN file_id TEXT CHECK (file_id IS NULL OR length(file_id) BETWEEN 1 AND 512);
ALTER TABLE payout_receipts ADD COLUMN updated_at TEXT;

-- A document or photo always has its file; a link or number never has one (SQLite cannot add a
-- table CHECK to an existing table: triggers keep the rule).
CREATE TRIGGER payout_receipts_file_insert BEFORE INSERT ON payout_receipts
WHEN (NEW.kind IN ('document', 'photo')) <> (NEW.file_id IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'payout_receipts_file');
END;
CREATE TRIGGER payout_receipts_file_update BEFORE UPDATE ON payout_receipts
WHEN (NEW.kind IN ('document', 'photo')) <> (NEW.file_id IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'payout_receipts_file');
END;

-- The weekly reminder (R-PAY-3) looks for payouts made without a receipt.
CREATE INDEX payouts_paid_out ON payouts (paid_out_at) WHERE paid_out_at IS NOT NULL;
