//! Bookings of slots. The database guarantees that an individual slot or consultation never
//! has two live bookings (a partial unique index) and that a group slot never has more live
//! bookings than seats (the seat counter maintained by a trigger under a CHECK), also under
//! concurrent booking.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::db_run;
use crate::domain::{BookingState, Money};

#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub id: i64,
    pub slot_id: i64,
    pub client_id: i64,
    pub state: BookingState,
    pub price: Money,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    slot_id: i64,
    client_id: i64,
    state: String,
    price_kopecks: i64,
    created_at: DateTime<Utc>,
}

impl TryFrom<Row> for Booking {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(Booking {
            id: r.id,
            slot_id: r.slot_id,
            client_id: r.client_id,
            state: parse_col(&r.state, "bookings.state")?,
            price: Money::from_kopecks(r.price_kopecks)
                .map_err(|_| StoreError::Corrupt(format!("bookings.price_kopecks = {}", r.price_kopecks)))?,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str = "id, slot_id, client_id, state, price_kopecks, created_at";

/// Bookings repository.
#[derive(Debug, Clone)]
pub struct Bookings<'a>(pub &'a Db);

impl Bookings<'_> {
    /// Takes a seat: the booking starts awaiting payment (R-PAY-1). Refusals:
    /// `SlotTaken` (individual slot already booked), `SlotFull` (no group seat left),
    /// `AlreadyBooked` (this client already holds a seat there), `SlotClosed`, `NotFound`.
    pub async fn create(&self, slot_id: i64, client_id: i64, price: Money, now: DateTime<Utc>) -> StoreResult<i64> {
        let res: Result<Option<(i64,)>, sqlx::Error> = db_run!(self.0, |p| sqlx::query_as(
            "INSERT INTO bookings (slot_id, slot_kind, client_id, state, price_kopecks, created_at, updated_at)
             SELECT s.id, s.kind, $2, 'awaiting_payment', $3, $4, $4 FROM slots s WHERE s.id = $1
             RETURNING id"
        )
        .bind(slot_id)
        .bind(client_id)
        .bind(price.kopecks())
        .bind(now)
        .fetch_optional(p)
        .await);
        match res.map_err(classify)? {
            Some((id,)) => Ok(id),
            None => Err(StoreError::NotFound),
        }
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<Booking>> {
        let sql = format!("SELECT {COLUMNS} FROM bookings WHERE id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(Booking::try_from).transpose()
    }

    /// Moves a booking from `from` to `to`, only if it is still in `from` (so two racing
    /// changes cannot both win). Leaving a live state frees the seat (trigger).
    pub async fn transition(
        &self,
        id: i64,
        from: BookingState,
        to: BookingState,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = db_run!(self.0, |p| sqlx::query(
            "UPDATE bookings SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2"
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now)
        .execute(p)
        .await
        .map_err(classify)?
        .rows_affected());
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    /// Live bookings of a slot.
    pub async fn live_count(&self, slot_id: i64) -> StoreResult<i64> {
        let (n,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM bookings WHERE slot_id = $1 AND state IN ('awaiting_payment', 'confirmed')"
        )
        .bind(slot_id)
        .fetch_one(p)
        .await?);
        Ok(n)
    }
}
