//! Payouts from the admin side (R-PAY-2..4): what is due per therapist, marking payouts paid
//! with a reference (conditional, once, audited, the therapist told in the same transaction),
//! and the rows of the accountant's export.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::{Db, StoreResult};
use crate::{db_run, tx_run};

/// The unpaid payouts of one therapist, summed.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct DueGroup {
    pub therapist_id: i64,
    pub full_name: String,
    pub sessions: i64,
    pub paid_kopecks: i64,
    pub commission_kopecks: i64,
    pub payout_kopecks: i64,
    /// The earliest due date among them.
    pub first_due: DateTime<Utc>,
    /// How many of these sessions have their receipt: recorded (R-PAY-3), or not needed (a
    /// free session pays nothing, R-PAY-2).
    pub receipts: i64,
    pub payout_masked: Option<String>,
}

/// A payout marked paid: who and when (for the admin who comes second).
#[derive(Debug, Clone, PartialEq)]
pub enum MarkOutcome {
    Marked {
        count: i64,
        payout_kopecks: i64,
    },
    AlreadyPaid {
        by: Option<String>,
        at: Option<DateTime<Utc>>,
    },
}

/// One admin's "paid" for the listed payouts of a therapist.
#[derive(Debug, Clone, Copy)]
pub struct MarkPaid<'a> {
    pub therapist_id: i64,
    pub booking_ids: &'a [i64],
    pub admin_id: i64,
    pub admin_name: &'a str,
    pub reference: &'a str,
}

/// One session of the accountant's export.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ExportRow {
    pub booking_id: i64,
    pub therapist: String,
    pub starts_at: DateTime<Utc>,
    pub kind: String,
    pub paid_kopecks: i64,
    pub commission_kopecks: i64,
    pub payout_kopecks: i64,
    pub due_at: DateTime<Utc>,
    pub paid_out_at: Option<DateTime<Utc>>,
    pub reference: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Payouts<'a>(pub &'a Db);

impl Payouts<'_> {
    /// Unpaid payouts grouped per therapist, the earliest due first.
    pub async fn due_groups(&self) -> StoreResult<Vec<DueGroup>> {
        Ok(db_run!(self.0, |p| {
            sqlx::query_as(
            "SELECT po.therapist_id, t.full_name, COUNT(*) AS sessions,
                    CAST(SUM(po.paid_kopecks) AS BIGINT) AS paid_kopecks,
                    CAST(SUM(po.commission_kopecks) AS BIGINT) AS commission_kopecks,
                    CAST(SUM(po.payout_kopecks) AS BIGINT) AS payout_kopecks,
                    MIN(po.due_at) AS first_due,
                    CAST(COUNT(r.booking_id) + SUM(CASE WHEN po.paid_kopecks = 0 AND r.booking_id IS NULL THEN 1 ELSE 0 END)
                         AS BIGINT) AS receipts,
                    pr.payout_masked
             FROM payouts po
             JOIN therapists t ON t.id = po.therapist_id
             LEFT JOIN therapist_profiles pr ON pr.therapist_id = po.therapist_id
             LEFT JOIN payout_receipts r ON r.booking_id = po.booking_id
             WHERE po.paid_out_at IS NULL
             GROUP BY po.therapist_id, t.full_name, pr.payout_masked
             ORDER BY MIN(po.due_at), po.therapist_id"
        )
        .fetch_all(p)
        .await?
        }))
    }

    /// The booking ids of a therapist's unpaid payouts.
    pub async fn unpaid_of(&self, therapist_id: i64) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT booking_id FROM payouts WHERE therapist_id = $1 AND paid_out_at IS NULL ORDER BY booking_id"
        )
        .bind(therapist_id)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Marks the listed payouts paid, each only if still unpaid; audited and the therapist's
    /// notice (built from the count and total actually marked) enqueued in the same
    /// transaction. When none was unpaid, says who paid them first.
    pub async fn mark_paid(
        &self,
        m: &MarkPaid<'_>,
        notice: impl FnOnce(i64, i64) -> Option<OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<MarkOutcome> {
        let mut tx = self.0.begin().await?;
        let (mut count, mut total) = (0_i64, 0_i64);
        for &id in m.booking_ids {
            let row: Option<(i64,)> = tx_run!(&mut tx, |c| sqlx::query_as(
                "UPDATE payouts SET paid_out_at = $3, reference = $4, paid_by = $5, paid_by_name = $6
                 WHERE booking_id = $1 AND therapist_id = $2 AND paid_out_at IS NULL
                 RETURNING payout_kopecks"
            )
            .bind(id)
            .bind(m.therapist_id)
            .bind(now)
            .bind(m.reference)
            .bind(m.admin_id)
            .bind(m.admin_name)
            .fetch_optional(c)
            .await?);
            if let Some((k,)) = row {
                count += 1;
                total += k;
                audit_in(
                    &mut tx,
                    m.admin_id,
                    "payout_paid",
                    &format!("booking:{id}"),
                    Some(m.reference),
                    now,
                )
                .await?;
            }
        }
        if count == 0 {
            drop(tx);
            let first = m.booking_ids.first().copied().unwrap_or(0);
            let row: Option<(Option<String>, Option<DateTime<Utc>>)> = db_run!(self.0, |p| sqlx::query_as(
                "SELECT paid_by_name, paid_out_at FROM payouts WHERE booking_id = $1"
            )
            .bind(first)
            .fetch_optional(p)
            .await?);
            let (by, at) = row.unwrap_or((None, None));
            return Ok(MarkOutcome::AlreadyPaid { by, at });
        }
        audit_in(
            &mut tx,
            m.admin_id,
            "payout_paid",
            &format!("therapist:{}", m.therapist_id),
            Some(m.reference),
            now,
        )
        .await?;
        if let Some(msg) = notice(count, total) {
            Outbox::enqueue_in(&mut tx, &msg, now).await?;
        }
        tx.commit().await?;
        Ok(MarkOutcome::Marked {
            count,
            payout_kopecks: total,
        })
    }

    /// Records a therapist's receipt for a paid session (R-PAY-3), once.
    pub async fn record_receipt(&self, booking_id: i64, receipt_ref: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let n = db_run!(self.0, |p| sqlx::query(
            "INSERT INTO payout_receipts (booking_id, receipt_ref, recorded_at) VALUES ($1, $2, $3)
             ON CONFLICT (booking_id) DO NOTHING"
        )
        .bind(booking_id)
        .bind(receipt_ref)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// The sessions with a payout whose start is in `[from, to)`, in time order.
    pub async fn export_rows(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<ExportRow>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT po.booking_id, t.full_name AS therapist, s.starts_at, s.kind, po.paid_kopecks,
                    po.commission_kopecks, po.payout_kopecks, po.due_at, po.paid_out_at, po.reference
             FROM payouts po
             JOIN bookings b ON b.id = po.booking_id
             JOIN slots s ON s.id = b.slot_id
             JOIN therapists t ON t.id = po.therapist_id
             WHERE s.starts_at >= $1 AND s.starts_at < $2
             ORDER BY s.starts_at, po.booking_id"
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?))
    }
}

/// Records an admin action in the audit log inside a transaction.
pub(crate) async fn audit_in(
    tx: &mut super::tx::Tx,
    admin_id: i64,
    action: &str,
    subject: &str,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx_run!(tx, |c| sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, reason, at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(admin_id)
    .bind(action)
    .bind(subject)
    .bind(reason)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}
