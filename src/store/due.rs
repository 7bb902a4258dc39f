//! Queries for the time-driven jobs: what is due now. Each returns ids or details; the jobs
//! change things with conditional updates, so two instances never do the same thing twice.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::tx::Tx;
use super::{Db, StoreResult};
use crate::domain::{CommissionTier, Split};
use crate::{db_run, tx_run};

/// Bookings still awaiting payment that were made before `cutoff` (R-PAY-1 expiry).
pub async fn unpaid_booked_before(db: &Db, cutoff: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> = db_run!(db, |p| sqlx::query_as(
        "SELECT id FROM bookings WHERE state = 'awaiting_payment' AND created_at <= $1 ORDER BY id LIMIT 500"
    )
    .bind(cutoff)
    .fetch_all(p)
    .await?);
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Confirmed bookings whose session starts in `(from, to]`.
pub async fn confirmed_starting_between(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> = db_run!(db, |p| sqlx::query_as(
        "SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.state = 'confirmed' AND s.starts_at > $1 AND s.starts_at <= $2 ORDER BY s.starts_at, b.id LIMIT 1000"
    )
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await?);
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Confirmed bookings whose session ended at or before `t`.
pub async fn confirmed_ended_by(db: &Db, t: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> = db_run!(db, |p| sqlx::query_as(
        "SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.state = 'confirmed' AND s.ends_at <= $1 ORDER BY s.ends_at, b.id LIMIT 500"
    )
    .bind(t)
    .fetch_all(p)
    .await?);
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Bookings that took place or were missed by the client (completed or no-show), or that the
/// client cancelled late (R-CAN-2: charged 100%, the therapist paid as if held), whose session
/// ended by `t`, with no payout recorded yet.
pub async fn without_payout_ended_by(db: &Db, t: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> = db_run!(db, |p| sqlx::query_as(
        "SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id LEFT JOIN payouts po ON po.booking_id = b.id
         WHERE (b.state IN ('completed', 'no_show')
                OR (b.state = 'cancelled_by_client' AND EXISTS (
                      SELECT 1 FROM booking_cancellations c WHERE c.booking_id = b.id AND c.therapist_paid)))
           AND s.ends_at <= $1 AND po.booking_id IS NULL
         ORDER BY s.ends_at, b.id LIMIT 500"
    )
    .bind(t)
    .fetch_all(p)
    .await?);
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A held payment of a confirmed booking, with when the hold began and when the session starts.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct HeldPayment {
    pub payment_id: i64,
    pub held_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
}

pub async fn held_payments(db: &Db) -> StoreResult<Vec<HeldPayment>> {
    Ok(db_run!(db, |p| sqlx::query_as(
        "SELECT p.id AS payment_id, MIN(e.at) AS held_at, s.starts_at
         FROM payments p
         JOIN payment_events e ON e.payment_id = p.id AND e.to_state = 'held'
         JOIN bookings b ON b.id = p.booking_id
         JOIN slots s ON s.id = b.slot_id
         WHERE p.state = 'held' AND b.state IN ('confirmed', 'completed', 'no_show', 'cancelled_by_client')
           -- R-CAN-2: a timely cancellation owes the hold back (its release is retried by
           -- jobs::money_returns); only a late one is captured.
           AND NOT EXISTS (SELECT 1 FROM booking_cancellations c
                           WHERE c.booking_id = b.id AND c.money_action IN ('release_hold', 'refund'))
         GROUP BY p.id, s.starts_at ORDER BY s.starts_at LIMIT 500"
    )
    .fetch_all(p)
    .await?))
}

/// How many bookings of the same slot are paying (for the group commission tier, R-GRP-4).
pub async fn paying_in_slot(db: &Db, booking_id: i64) -> StoreResult<i64> {
    let (n,): (i64,) = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT COUNT(*) FROM bookings b2 JOIN bookings b ON b.slot_id = b2.slot_id
         WHERE b.id = $1 AND b2.price_kopecks > 0 AND b2.state IN ('confirmed', 'completed', 'no_show', 'cancelled_by_client')"
    )
    .bind(booking_id)
    .fetch_one(p)
    .await?
    });
    Ok(n)
}

/// Records the payout of a session in the caller's transaction (once per booking).
#[allow(clippy::too_many_arguments)]
pub async fn record_payout_in(
    tx: &mut Tx,
    booking_id: i64,
    therapist_id: i64,
    split: &Split,
    tier: CommissionTier,
    foreign: bool,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = tx_run!(tx, |c| sqlx::query(
        "INSERT INTO payouts (booking_id, therapist_id, paid_kopecks, commission_kopecks, payout_kopecks, tier,
                              foreign_payment, due_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (booking_id) DO NOTHING"
    )
    .bind(booking_id)
    .bind(therapist_id)
    .bind(split.paid.kopecks())
    .bind(split.commission.kopecks())
    .bind(split.payout.kopecks())
    .bind(tier.as_str())
    .bind(foreign)
    .bind(due_at)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// A payout as stored.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct PayoutRow {
    pub booking_id: i64,
    pub therapist_id: i64,
    pub paid_kopecks: i64,
    pub commission_kopecks: i64,
    pub payout_kopecks: i64,
    pub tier: String,
    pub foreign_payment: bool,
    pub due_at: DateTime<Utc>,
}

pub async fn payouts_of(db: &Db, therapist_id: i64) -> StoreResult<Vec<PayoutRow>> {
    Ok(db_run!(db, |p| {
        sqlx::query_as(
        "SELECT booking_id, therapist_id, paid_kopecks, commission_kopecks, payout_kopecks, tier, foreign_payment, due_at
         FROM payouts WHERE therapist_id = $1 ORDER BY due_at, booking_id"
    )
    .bind(therapist_id)
    .fetch_all(p)
    .await?
    }))
}
