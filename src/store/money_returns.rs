//! R-CAN-2, R-CAN-3 (and an admin's platform cancellation): money that a cancellation decided
//! to give back (booking_cancellations.money_action is `release_hold` or `refund`) while the
//! payment still holds or took it: the provider call failed or never happened. The retry job
//! (`jobs::money_returns`) claims each with a lease, so two instances never call at once, and
//! records the attempts, the back-off and when the admins were told (once).

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::tx::Tx;
use super::{Db, StoreResult};
use crate::domain::CancellationOutcome;
use crate::{db_run, tx_run};

/// A money return still owed.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OwedReturn {
    pub booking_id: i64,
    pub payment_id: i64,
    /// Failed attempts of the job so far.
    pub attempts: i32,
}

/// The returns owed now: decided at or before `decided_by` (the cancelling handler tries first),
/// and not waiting for their next attempt after `now`.
pub async fn owed(db: &Db, now: DateTime<Utc>, decided_by: DateTime<Utc>) -> StoreResult<Vec<OwedReturn>> {
    Ok(db_run!(db, |p| sqlx::query_as(
        "SELECT c.booking_id, p.id AS payment_id, COALESCE(r.attempts, 0) AS attempts
         FROM booking_cancellations c
         JOIN payments p ON p.booking_id = c.booking_id AND p.state IN ('held', 'captured', 'partially_refunded')
         LEFT JOIN money_return_retries r ON r.booking_id = c.booking_id
         WHERE c.money_action IN ('release_hold', 'refund') AND c.decided_at <= $2
           AND (r.booking_id IS NULL OR r.next_attempt_at <= $1)
         ORDER BY c.decided_at, c.booking_id LIMIT 200"
    )
    .bind(now)
    .bind(decided_by)
    .fetch_all(p)
    .await?))
}

/// Takes the booking's return for one attempt until `lease_until`; `false` when another worker
/// holds it (its next attempt is later than `now`).
pub async fn claim(db: &Db, booking_id: i64, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> StoreResult<bool> {
    let n = db_run!(db, |p| sqlx::query(
        "INSERT INTO money_return_retries (booking_id, attempts, next_attempt_at) VALUES ($1, 0, $3)
         ON CONFLICT (booking_id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at
         WHERE money_return_retries.next_attempt_at <= $2"
    )
    .bind(booking_id)
    .bind(now)
    .bind(lease_until)
    .execute(p)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// The attempt failed: counted, the next one at `next_at`. Returns the failures so far.
pub async fn failed(db: &Db, booking_id: i64, error: &str, next_at: DateTime<Utc>) -> StoreResult<i32> {
    let error: String = error.chars().take(500).collect();
    let (n,): (i32,) = db_run!(db, |p| {
        sqlx::query_as(
        "UPDATE money_return_retries SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, done_at = NULL
         WHERE booking_id = $1 RETURNING attempts"
    )
    .bind(booking_id)
    .bind(next_at)
    .bind(error)
    .fetch_one(p)
    .await?
    });
    Ok(n)
}

/// The money went back.
pub async fn done(db: &Db, booking_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    db_run!(db, |p| sqlx::query(
        "UPDATE money_return_retries SET done_at = $2, last_error = NULL WHERE booking_id = $1"
    )
    .bind(booking_id)
    .bind(now)
    .execute(p)
    .await?
    .rows_affected());
    Ok(())
}

/// Marks the admins told about this return; `false` when they already were (tell them once).
pub async fn mark_admins_told_in(tx: &mut Tx, booking_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = tx_run!(tx, |c| sqlx::query(
        "UPDATE money_return_retries SET admins_told_at = $2 WHERE booking_id = $1 AND admins_told_at IS NULL"
    )
    .bind(booking_id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// (attempts, admins_told_at, done_at) as stored.
type StatusRow = (i32, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The state of a booking's retries: (attempts, admins told, done).
pub async fn status(db: &Db, booking_id: i64) -> StoreResult<Option<(i32, bool, bool)>> {
    let row: Option<StatusRow> = db_run!(db, |p| sqlx::query_as(
        "SELECT attempts, admins_told_at, done_at FROM money_return_retries WHERE booking_id = $1"
    )
    .bind(booking_id)
    .fetch_optional(p)
    .await?);
    Ok(row.map(|(a, t, d)| (a, t.is_some(), d.is_some())))
}

/// Records an admin's platform cancellation (what the domain decided) next to the booking's
/// move, so that the money return it owes is retried like any other.
pub async fn record_admin_cancellation_in(
    tx: &mut Tx,
    booking_id: i64,
    outcome: &CancellationOutcome,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx_run!(tx, |c| sqlx::query(
        "INSERT INTO booking_cancellations
           (booking_id, cancelled_by, timing, money_action, therapist_paid, therapist_owes_free_session, decided_at)
         VALUES ($1, 'admin', $2, $3, $4, $5, $6)"
    )
    .bind(booking_id)
    .bind(outcome.timing.as_str())
    .bind(outcome.money.as_str())
    .bind(outcome.therapist_paid)
    .bind(outcome.therapist_owes_free_session)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}
