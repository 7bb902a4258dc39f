//! The therapist's side of payouts (R-PAY-2..4, R-PAY-3, R-CAN-3): their sessions awaiting
//! payout and paid out, with the receipt of each; filing or replacing a receipt (only for a
//! paid session of their own); the payouts whose receipt is still missing after payout, for
//! the weekly reminder; and the free sessions a therapist owes, seen from both sides.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{parse_col, Db, StoreError, StoreResult};
use crate::db_run;
use crate::domain::SessionKind;

/// What a therapist filed as the receipt of a session (R-PAY-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptKind {
    /// An https link (from "Мой налог", lknpd.nalog.ru).
    Link,
    /// The receipt's number as typed.
    Number,
    /// A PDF document (its Telegram file).
    Document,
    /// A photo of the receipt (its Telegram file).
    Photo,
}

impl ReceiptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptKind::Link => "link",
            ReceiptKind::Number => "number",
            ReceiptKind::Document => "document",
            ReceiptKind::Photo => "photo",
        }
    }

    pub fn has_file(self) -> bool {
        matches!(self, ReceiptKind::Document | ReceiptKind::Photo)
    }
}

impl std::str::FromStr for ReceiptKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "link" => ReceiptKind::Link,
            "number" => ReceiptKind::Number,
            "document" => ReceiptKind::Document,
            "photo" => ReceiptKind::Photo,
            other => return Err(format!("unknown receipt kind {other}")),
        })
    }
}

/// A receipt as filed.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub kind: ReceiptKind,
    /// The link, the number, or the document's name (a photo: empty).
    pub reference: String,
    pub file_id: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// One session of a therapist with a payout: amounts to the kopeck, due date, payout made or
/// not, and its receipt.
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutLine {
    pub booking_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: SessionKind,
    pub client_first_name: String,
    pub paid_kopecks: i64,
    pub commission_kopecks: i64,
    pub payout_kopecks: i64,
    pub due_at: DateTime<Utc>,
    pub paid_out_at: Option<DateTime<Utc>>,
    pub reference: Option<String>,
    pub receipt: Option<Receipt>,
}

impl PayoutLine {
    /// A receipt is asked for every session the client paid for (a free session pays nothing
    /// and needs none, R-PAY-2).
    pub fn needs_receipt(&self) -> bool {
        self.paid_kopecks > 0
    }

    pub fn receipt_missing(&self) -> bool {
        self.needs_receipt() && self.receipt.is_none()
    }
}

#[derive(FromRow)]
struct LineRow {
    booking_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    kind: String,
    client_first_name: Option<String>,
    paid_kopecks: i64,
    commission_kopecks: i64,
    payout_kopecks: i64,
    due_at: DateTime<Utc>,
    paid_out_at: Option<DateTime<Utc>>,
    reference: Option<String>,
    receipt_kind: Option<String>,
    receipt_ref: Option<String>,
    receipt_file_id: Option<String>,
    receipt_at: Option<DateTime<Utc>>,
}

impl TryFrom<LineRow> for PayoutLine {
    type Error = StoreError;
    fn try_from(r: LineRow) -> StoreResult<Self> {
        let receipt = match (r.receipt_kind, r.receipt_ref, r.receipt_at) {
            (Some(k), Some(reference), Some(recorded_at)) => Some(Receipt {
                kind: parse_col(&k, "payout_receipts.kind")?,
                reference,
                file_id: r.receipt_file_id,
                recorded_at,
            }),
            _ => None,
        };
        Ok(PayoutLine {
            booking_id: r.booking_id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            kind: parse_col(&r.kind, "slots.kind")?,
            client_first_name: r.client_first_name.unwrap_or_default(),
            paid_kopecks: r.paid_kopecks,
            commission_kopecks: r.commission_kopecks,
            payout_kopecks: r.payout_kopecks,
            due_at: r.due_at,
            paid_out_at: r.paid_out_at,
            reference: r.reference,
            receipt,
        })
    }
}

const LINES: &str = "SELECT po.booking_id, s.starts_at, s.ends_at, s.kind, u.first_name AS client_first_name,
        po.paid_kopecks, po.commission_kopecks, po.payout_kopecks, po.due_at, po.paid_out_at, po.reference,
        r.kind AS receipt_kind, r.receipt_ref, r.file_id AS receipt_file_id,
        COALESCE(r.updated_at, r.recorded_at) AS receipt_at
     FROM payouts po
     JOIN bookings b ON b.id = po.booking_id
     JOIN slots s ON s.id = b.slot_id
     LEFT JOIN users u ON u.telegram_id = b.client_id
     LEFT JOIN payout_receipts r ON r.booking_id = po.booking_id";

/// A payout made whose receipt is still missing (R-PAY-3 reminders).
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct MissingReceipt {
    pub booking_id: i64,
    pub therapist_id: i64,
    pub paid_out_at: DateTime<Utc>,
}

/// A free session a therapist owes a client after a late cancellation (R-CAN-3).
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct FreeSessionDebt {
    /// The cancelled booking that created the debt.
    pub cancelled_booking_id: i64,
    pub therapist_id: i64,
    pub therapist_name: String,
    pub client_id: i64,
    pub client_first_name: Option<String>,
    /// When the cancelled session was to start, and when it was cancelled.
    pub cancelled_starts_at: DateTime<Utc>,
    pub cancelled_at: DateTime<Utc>,
    /// The free booking that uses it, once booked.
    pub used_by_booking_id: Option<i64>,
    pub used_starts_at: Option<DateTime<Utc>>,
    /// A force-majeure case under review ('pending'), or refused ('rejected').
    pub force_majeure: Option<String>,
}

const DEBTS: &str = "SELECT c.booking_id AS cancelled_booking_id, t.id AS therapist_id, t.full_name AS therapist_name,
        b.client_id, u.first_name AS client_first_name, s.starts_at AS cancelled_starts_at,
        c.decided_at AS cancelled_at, fu.booking_id AS used_by_booking_id, us.starts_at AS used_starts_at,
        f.status AS force_majeure
     FROM booking_cancellations c
     JOIN bookings b ON b.id = c.booking_id
     JOIN slots s ON s.id = b.slot_id
     JOIN therapists t ON t.id = s.therapist_id
     LEFT JOIN users u ON u.telegram_id = b.client_id
     LEFT JOIN free_session_uses fu ON fu.owed_by_booking_id = c.booking_id
     LEFT JOIN bookings ub ON ub.id = fu.booking_id
     LEFT JOIN slots us ON us.id = ub.slot_id
     LEFT JOIN force_majeure_cases f ON f.booking_id = c.booking_id
     WHERE c.therapist_owes_free_session AND (f.status IS NULL OR f.status <> 'accepted')";

/// The therapist's payouts and receipts.
#[derive(Debug, Clone)]
pub struct Receipts<'a>(pub &'a Db);

impl Receipts<'_> {
    /// The therapist's sessions with a payout that matter now: every one awaiting payout, every
    /// one whose receipt is missing, and those paid out since `paid_since`; due date order, at
    /// most 100.
    pub async fn lines(&self, therapist_id: i64, paid_since: DateTime<Utc>) -> StoreResult<Vec<PayoutLine>> {
        let sql = format!(
            "{LINES} WHERE po.therapist_id = $1
               AND (po.paid_out_at IS NULL OR po.paid_out_at >= $2 OR (r.booking_id IS NULL AND po.paid_kopecks > 0))
             ORDER BY po.due_at, po.booking_id LIMIT 100"
        );
        let rows: Vec<LineRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(paid_since)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(PayoutLine::try_from).collect()
    }

    /// One session's payout line, only if it is this therapist's (another's reads as `None`).
    pub async fn line(&self, therapist_id: i64, booking_id: i64) -> StoreResult<Option<PayoutLine>> {
        let sql = format!("{LINES} WHERE po.therapist_id = $1 AND po.booking_id = $2");
        let row: Option<LineRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(booking_id)
            .fetch_optional(p)
            .await?);
        row.map(PayoutLine::try_from).transpose()
    }

    /// Files (or replaces) the receipt of a paid session of this therapist (R-PAY-3). `false`
    /// when the session is not theirs, has no payout, or paid nothing: nothing changes then.
    pub async fn file(
        &self,
        therapist_id: i64,
        booking_id: i64,
        kind: ReceiptKind,
        reference: &str,
        file_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let file_id = file_id.filter(|_| kind.has_file());
        let n = db_run!(self.0, |p| sqlx::query(
            "INSERT INTO payout_receipts (booking_id, receipt_ref, recorded_at, kind, file_id, updated_at)
             SELECT po.booking_id, $3, $6, $4, $5, $6 FROM payouts po
             WHERE po.booking_id = $2 AND po.therapist_id = $1 AND po.paid_kopecks > 0
             ON CONFLICT (booking_id) DO UPDATE
               SET receipt_ref = excluded.receipt_ref, kind = excluded.kind, file_id = excluded.file_id,
                   updated_at = excluded.updated_at"
        )
        .bind(therapist_id)
        .bind(booking_id)
        .bind(reference)
        .bind(kind.as_str())
        .bind(file_id)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Payouts made at or before `paid_out_by` whose paid session still has no receipt, the
    /// oldest first (at most 500 per pass).
    pub async fn missing_after_payout(&self, paid_out_by: DateTime<Utc>) -> StoreResult<Vec<MissingReceipt>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT po.booking_id, po.therapist_id, po.paid_out_at
             FROM payouts po LEFT JOIN payout_receipts r ON r.booking_id = po.booking_id
             WHERE po.paid_out_at IS NOT NULL AND po.paid_out_at <= $1 AND po.paid_kopecks > 0
               AND r.booking_id IS NULL
             ORDER BY po.paid_out_at, po.booking_id LIMIT 500"
        )
        .bind(paid_out_by)
        .fetch_all(p)
        .await?))
    }

    /// R-CAN-3: the free sessions this therapist owes (used or not; excused ones left out),
    /// the latest cancellation first, at most 30.
    pub async fn debts_of_therapist(&self, therapist_id: i64) -> StoreResult<Vec<FreeSessionDebt>> {
        let sql = format!("{DEBTS} AND s.therapist_id = $1 ORDER BY c.decided_at DESC, c.booking_id DESC LIMIT 30");
        Ok(db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .fetch_all(p)
            .await?))
    }

    /// R-CAN-3: the free sessions owed to this client and not booked yet, oldest first.
    pub async fn debts_to_client(&self, client_id: i64) -> StoreResult<Vec<FreeSessionDebt>> {
        let sql = format!("{DEBTS} AND b.client_id = $1 AND fu.booking_id IS NULL ORDER BY c.decided_at, c.booking_id");
        Ok(db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(client_id)
            .fetch_all(p)
            .await?))
    }
}
