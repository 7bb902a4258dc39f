//! Bookings of slots. The database guarantees that an individual slot or consultation never
//! has two live bookings (a partial unique index) and that a group slot never has more live
//! bookings than seats (the seat counter maintained by a trigger under a CHECK), also under
//! concurrent booking.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use chrono_tz::Tz;

use super::tx::Tx;
use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::domain::{BookingState, Money, SessionKind};
use crate::i18n::Lang;
use crate::{db_run, tx_run};

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

    /// How many bookings a client has made, in any state.
    pub async fn count_for_client(&self, client_id: i64) -> StoreResult<i64> {
        let (n,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM bookings WHERE client_id = $1"
        )
        .bind(client_id)
        .fetch_one(p)
        .await?);
        Ok(n)
    }

    /// Moves a booking in the caller's transaction, only if it is still in `from`.
    pub async fn transition_in(
        tx: &mut Tx,
        id: i64,
        from: BookingState,
        to: BookingState,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = tx_run!(tx, |c| sqlx::query(
            "UPDATE bookings SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2"
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        Ok(n == 1)
    }

    /// Everything a notification about the booking needs: who, with whom, when.
    pub async fn details(&self, id: i64) -> StoreResult<Option<BookingDetails>> {
        let row: Option<DetailsRow> = db_run!(self.0, |p| {
            sqlx::query_as(
            "SELECT b.id, b.state, b.price_kopecks, b.client_id, c.first_name AS client_name, c.language AS client_language,
                    c.time_zone AS client_tz, s.kind, s.starts_at, s.ends_at, t.id AS therapist_id, t.full_name AS therapist_name,
                    t.telegram_id AS therapist_telegram_id, tu.language AS therapist_language, tu.time_zone AS therapist_tz
             FROM bookings b
             JOIN users c ON c.telegram_id = b.client_id
             JOIN slots s ON s.id = b.slot_id
             JOIN therapists t ON t.id = s.therapist_id
             LEFT JOIN users tu ON tu.telegram_id = t.telegram_id
             WHERE b.id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?
        });
        row.map(BookingDetails::try_from).transpose()
    }
}

/// A booking with its client, slot and therapist.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingDetails {
    pub id: i64,
    pub state: BookingState,
    pub price: Money,
    pub client_id: i64,
    pub client_name: String,
    pub client_language: Lang,
    pub client_tz: Option<Tz>,
    pub kind: SessionKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub therapist_id: i64,
    pub therapist_name: String,
    pub therapist_telegram_id: Option<i64>,
    pub therapist_language: Option<Lang>,
    pub therapist_tz: Option<Tz>,
}

#[derive(FromRow)]
struct DetailsRow {
    id: i64,
    state: String,
    price_kopecks: i64,
    client_id: i64,
    client_name: String,
    client_language: String,
    client_tz: Option<String>,
    kind: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    therapist_id: i64,
    therapist_name: String,
    therapist_telegram_id: Option<i64>,
    therapist_language: Option<String>,
    therapist_tz: Option<String>,
}

impl TryFrom<DetailsRow> for BookingDetails {
    type Error = StoreError;
    fn try_from(r: DetailsRow) -> StoreResult<Self> {
        Ok(BookingDetails {
            id: r.id,
            state: parse_col(&r.state, "bookings.state")?,
            price: Money::from_kopecks(r.price_kopecks)
                .map_err(|_| StoreError::Corrupt(format!("bookings.price_kopecks = {}", r.price_kopecks)))?,
            client_id: r.client_id,
            client_name: r.client_name,
            client_language: parse_col(&r.client_language, "users.language")?,
            client_tz: r
                .client_tz
                .as_deref()
                .map(|z| parse_col(z, "users.time_zone"))
                .transpose()?,
            kind: parse_col(&r.kind, "slots.kind")?,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            therapist_id: r.therapist_id,
            therapist_name: r.therapist_name,
            therapist_telegram_id: r.therapist_telegram_id,
            therapist_language: r
                .therapist_language
                .as_deref()
                .map(|l| parse_col(l, "users.language"))
                .transpose()?,
            therapist_tz: r
                .therapist_tz
                .as_deref()
                .map(|z| parse_col(z, "users.time_zone"))
                .transpose()?,
        })
    }
}
