//! The figures of `/stats`: therapists by status, bookings and revenue over a period,
//! commission earned, payouts due.

use chrono::{DateTime, Utc};

use super::{Db, StoreResult};
use crate::db_run;

/// Figures since a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    /// Bookings made (paid or being paid for; expired ones left out).
    pub bookings: i64,
    /// Captured payments, less what was refunded of them.
    pub revenue_kopecks: i64,
    /// The platform's commission of the payouts recorded.
    pub commission_kopecks: i64,
}

#[derive(Debug, Clone)]
pub struct Stats<'a>(pub &'a Db);

impl Stats<'_> {
    /// (status, count) for every status that has therapists.
    pub async fn therapists_by_status(&self) -> StoreResult<Vec<(String, i64)>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT status, COUNT(*) FROM therapists GROUP BY status ORDER BY status"
        )
        .fetch_all(p)
        .await?))
    }

    pub async fn since(&self, since: DateTime<Utc>) -> StoreResult<Period> {
        let (bookings,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM bookings WHERE created_at >= $1 AND state NOT IN ('expired', 'awaiting_payment')"
        )
        .bind(since)
        .fetch_one(p)
        .await?);
        let (revenue_kopecks,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(amount_kopecks - refunded_kopecks), 0) AS BIGINT) FROM payments
             WHERE id IN (SELECT payment_id FROM payment_events WHERE to_state = 'captured' AND at >= $1)"
        )
        .bind(since)
        .fetch_one(p)
        .await?);
        let (commission_kopecks,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(commission_kopecks), 0) AS BIGINT) FROM payouts WHERE created_at >= $1"
        )
        .bind(since)
        .fetch_one(p)
        .await?);
        Ok(Period {
            bookings,
            revenue_kopecks,
            commission_kopecks,
        })
    }

    /// (sessions, kopecks) of the payouts not yet paid.
    pub async fn payouts_due(&self) -> StoreResult<(i64, i64)> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(payout_kopecks), 0) AS BIGINT) FROM payouts WHERE paid_out_at IS NULL"
        )
        .fetch_one(p)
        .await?))
    }
}
