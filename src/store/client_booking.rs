//! The client's side of booking (R-CLI-5, R-CLI-6, R-PRICE-3, R-CAN-2..4): price locks, free
//! sessions a therapist owes, free bookings confirmed at once, the client's own bookings and
//! their cancellation in one transaction with the therapist's notice.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::tx::Tx;
use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::domain::{
    quote_client_price, BookingEvent, BookingState, CancellationOutcome, DomainSettings, Money, MoneyAction, PriceKind,
    PriceLock, SessionKind,
};
use crate::{db_run, tx_run};

/// R-PRICE-3: the client's locked prices.
#[derive(Debug, Clone)]
pub struct PriceLocks<'a>(pub &'a Db);

impl PriceLocks<'_> {
    /// The client's lock with this therapist's price list, active or not.
    pub async fn get(&self, client_id: i64, therapist_id: i64, kind: PriceKind) -> StoreResult<Option<PriceLock>> {
        let row: Option<(i64, DateTime<Utc>)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT price_kopecks, since FROM price_locks WHERE client_id = $1 AND therapist_id = $2 AND kind = $3"
        )
        .bind(client_id)
        .bind(therapist_id)
        .bind(kind.as_str())
        .fetch_optional(p)
        .await?);
        row.map(|(k, since)| {
            Money::from_kopecks(k)
                .map(|m| PriceLock::new(m, since))
                .map_err(|_| StoreError::Corrupt(format!("price_locks.price_kopecks = {k}")))
        })
        .transpose()
    }

    /// All the client's locks for one kind of session, by therapist (for lists that show many
    /// therapists' prices at once).
    pub async fn of_client(
        &self,
        client_id: i64,
        kind: PriceKind,
    ) -> StoreResult<std::collections::HashMap<i64, PriceLock>> {
        let rows: Vec<(i64, i64, DateTime<Utc>)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT therapist_id, price_kopecks, since FROM price_locks WHERE client_id = $1 AND kind = $2"
        )
        .bind(client_id)
        .bind(kind.as_str())
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .map(|(t, k, since)| {
                Money::from_kopecks(k)
                    .map(|m| (t, PriceLock::new(m, since)))
                    .map_err(|_| StoreError::Corrupt(format!("price_locks.price_kopecks = {k}")))
            })
            .collect()
    }

    /// How many clients hold a lock with this therapist's price list that is still active at
    /// `now` (R-PRICE-3: started less than `lock` ago), for the therapist's /prices screen.
    pub async fn count_active_of_therapist(
        &self,
        therapist_id: i64,
        kind: PriceKind,
        now: DateTime<Utc>,
        lock: chrono::TimeDelta,
    ) -> StoreResult<i64> {
        let n: i64 = db_run!(self.0, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM price_locks WHERE therapist_id = $1 AND kind = $2 AND since > $3"
        )
        .bind(therapist_id)
        .bind(kind.as_str())
        .bind(now - lock)
        .fetch_one(p)
        .await?);
        Ok(n)
    }

    /// Called in the transaction that confirms a booking: keeps the lock the domain's quote
    /// names (the active one, or a new one at the current price from this booking).
    pub async fn on_confirmed_in(tx: &mut Tx, booking_id: i64, settings: &DomainSettings) -> StoreResult<()> {
        type R = (
            i64,
            i64,
            String,
            DateTime<Utc>,
            Option<i64>,
            Option<i64>,
            Option<DateTime<Utc>>,
        );
        let row: Option<R> = tx_run!(tx, |c| {
            sqlx::query_as(
            "SELECT b.client_id, s.therapist_id, s.kind, b.created_at, tp.amount_kopecks, l.price_kopecks, l.since
             FROM bookings b JOIN slots s ON s.id = b.slot_id
             LEFT JOIN therapist_prices tp ON tp.therapist_id = s.therapist_id AND tp.kind = s.kind
             LEFT JOIN price_locks l ON l.client_id = b.client_id AND l.therapist_id = s.therapist_id AND l.kind = s.kind
             WHERE b.id = $1"
        )
        .bind(booking_id)
        .fetch_optional(c)
        .await?
        });
        let Some((client, therapist, kind, at, Some(current), locked, since)) = row else {
            return Ok(());
        };
        let Ok(kind) = kind.parse::<PriceKind>() else {
            return Ok(());
        };
        let money = |k: i64| Money::from_kopecks(k).map_err(|_| StoreError::Corrupt(format!("price {k}")));
        let existing = match (locked, since) {
            (Some(k), Some(s)) => Some(PriceLock::new(money(k)?, s)),
            _ => None,
        };
        let quote = quote_client_price(money(current)?, existing.as_ref(), at, settings);
        if existing == Some(quote.lock) {
            return Ok(());
        }
        tx_run!(tx, |c| sqlx::query(
            "INSERT INTO price_locks (client_id, therapist_id, kind, price_kopecks, since) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (client_id, therapist_id, kind) DO UPDATE SET price_kopecks = $4, since = $5"
        )
        .bind(client)
        .bind(therapist)
        .bind(kind.as_str())
        .bind(quote.lock.price.kopecks())
        .bind(quote.lock.since)
        .execute(c)
        .await?
        .rows_affected());
        Ok(())
    }
}

/// One of the client's bookings, as /mybookings shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientBooking {
    pub id: i64,
    pub state: BookingState,
    pub price: Money,
    pub slot_id: i64,
    pub kind: SessionKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub therapist_id: i64,
    pub therapist_name: String,
    pub video_room_link: Option<String>,
    /// Paid with a free session the therapist owed (R-CAN-3).
    pub owed_free: bool,
    /// Paid with a package credit (R-PAY-1).
    pub credit: bool,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    state: String,
    price_kopecks: i64,
    slot_id: i64,
    kind: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    therapist_id: i64,
    full_name: String,
    video_room_link: Option<String>,
    owed_free: i64,
    credit: i64,
}

impl TryFrom<Row> for ClientBooking {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(ClientBooking {
            id: r.id,
            state: parse_col(&r.state, "bookings.state")?,
            price: Money::from_kopecks(r.price_kopecks)
                .map_err(|_| StoreError::Corrupt(format!("bookings.price_kopecks = {}", r.price_kopecks)))?,
            slot_id: r.slot_id,
            kind: parse_col(&r.kind, "slots.kind")?,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            therapist_id: r.therapist_id,
            therapist_name: r.full_name,
            video_room_link: r.video_room_link,
            owed_free: r.owed_free != 0,
            credit: r.credit != 0,
        })
    }
}

const SELECT: &str = "SELECT b.id, b.state, b.price_kopecks, s.id AS slot_id, s.kind, s.starts_at, s.ends_at,
        t.id AS therapist_id, t.full_name, pr.video_room_link,
        (SELECT COUNT(*) FROM free_session_uses u WHERE u.booking_id = b.id) AS owed_free,
        (SELECT COUNT(*) FROM package_credit_uses pu WHERE pu.booking_id = b.id) AS credit
     FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN therapists t ON t.id = s.therapist_id
     LEFT JOIN therapist_profiles pr ON pr.therapist_id = t.id";

/// The client's bookings.
#[derive(Debug, Clone)]
pub struct ClientBookings<'a>(pub &'a Db);

impl ClientBookings<'_> {
    /// The client's bookings except expired ones, the latest 30 by start (newest first).
    pub async fn list(&self, client_id: i64) -> StoreResult<Vec<ClientBooking>> {
        let sql = format!(
            "{SELECT} WHERE b.client_id = $1 AND b.state <> 'expired' ORDER BY s.starts_at DESC, b.id DESC LIMIT 30"
        );
        let rows: Vec<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(client_id).fetch_all(p).await?);
        rows.into_iter().map(ClientBooking::try_from).collect()
    }

    /// One booking, only if it is this client's (another client's id reads as `None`).
    pub async fn get(&self, client_id: i64, booking_id: i64) -> StoreResult<Option<ClientBooking>> {
        let sql = format!("{SELECT} WHERE b.client_id = $1 AND b.id = $2");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(client_id)
            .bind(booking_id)
            .fetch_optional(p)
            .await?);
        row.map(ClientBooking::try_from).transpose()
    }

    /// The client's live booking of a slot (a second tap on Confirm finds it).
    pub async fn live_of_slot(&self, client_id: i64, slot_id: i64) -> StoreResult<Option<ClientBooking>> {
        let sql = format!(
            "{SELECT} WHERE b.client_id = $1 AND b.slot_id = $2 AND b.state IN ('awaiting_payment', 'confirmed')"
        );
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(client_id)
            .bind(slot_id)
            .fetch_optional(p)
            .await?);
        row.map(ClientBooking::try_from).transpose()
    }

    /// The client's live bookings (awaiting payment or confirmed) of a program's meetings that
    /// start after `now`, soonest first: what leaving the program cancels.
    pub async fn live_of_program(
        &self,
        client_id: i64,
        program_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ClientBooking>> {
        let sql = format!(
            "{SELECT} WHERE b.client_id = $1 AND s.program_id = $2 AND b.state IN ('awaiting_payment', 'confirmed')
               AND s.starts_at > $3 ORDER BY s.starts_at, b.id"
        );
        let rows: Vec<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(client_id)
            .bind(program_id)
            .bind(now)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(ClientBooking::try_from).collect()
    }

    /// R-CAN-3: a free session this therapist owes the client and that is not used (nor
    /// excused by accepted force majeure): the cancelled booking that owes it.
    pub async fn owed_free_session(&self, client_id: i64, therapist_id: i64) -> StoreResult<Option<i64>> {
        let row: Option<(i64,)> = db_run!(self.0, |p| {
            sqlx::query_as(
            "SELECT c.booking_id FROM booking_cancellations c
             JOIN bookings b ON b.id = c.booking_id JOIN slots s ON s.id = b.slot_id
             WHERE b.client_id = $1 AND s.therapist_id = $2 AND c.therapist_owes_free_session
               AND NOT EXISTS (SELECT 1 FROM force_majeure_cases f WHERE f.booking_id = c.booking_id AND f.status = 'accepted')
               AND NOT EXISTS (SELECT 1 FROM free_session_uses u WHERE u.owed_by_booking_id = c.booking_id)
             ORDER BY c.booking_id LIMIT 1"
        )
        .bind(client_id)
        .bind(therapist_id)
        .fetch_optional(p)
        .await?
        });
        Ok(row.map(|(id,)| id))
    }

    /// A booking that needs no payment (a free session owed, `owed`, or a free consultation),
    /// confirmed at once in one transaction with the debt marked used and the notices
    /// enqueued. Refusals as [`super::bookings::Bookings::create`]; `Conflict` when the owed
    /// session was used meanwhile.
    pub async fn book_free(
        &self,
        slot_id: i64,
        client_id: i64,
        owed: Option<i64>,
        notices: &[OutboxMessage],
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let state = BookingState::AwaitingPayment
            .apply(BookingEvent::PaymentSecured)
            .map(|t| t.to)
            .unwrap_or(BookingState::Confirmed);
        let mut tx = self.0.begin().await?;
        let id: Option<(i64,)> = tx_run!(&mut tx, |c| sqlx::query_as(
            "INSERT INTO bookings (slot_id, slot_kind, client_id, state, price_kopecks, created_at, updated_at)
             SELECT s.id, s.kind, $2, $3, 0, $4, $4 FROM slots s WHERE s.id = $1 RETURNING id"
        )
        .bind(slot_id)
        .bind(client_id)
        .bind(state.as_str())
        .bind(now)
        .fetch_optional(c)
        .await
        .map_err(classify)?);
        let Some((id,)) = id else {
            return Err(StoreError::NotFound);
        };
        if let Some(owed) = owed {
            let n = tx_run!(&mut tx, |c| sqlx::query(
                "INSERT INTO free_session_uses (owed_by_booking_id, booking_id, used_at) VALUES ($1, $2, $3)
                 ON CONFLICT (owed_by_booking_id) DO NOTHING"
            )
            .bind(owed)
            .bind(id)
            .bind(now)
            .execute(c)
            .await
            .map_err(classify)?
            .rows_affected());
            if n != 1 {
                return Err(StoreError::Conflict);
            }
        }
        for (i, m) in notices.iter().enumerate() {
            let m = m.clone().dedupe(format!("booked-free:{id}:{i}"));
            Outbox::enqueue_in(&mut tx, &m, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// R-CAN-2: the client cancels, in one transaction: the booking moves (only if it is this
    /// client's and still in `from`), the decision is recorded, a free session returned when the
    /// domain says so, and the therapist's notices enqueued. `Ok(false)`: changed meanwhile.
    pub async fn cancel(
        &self,
        client_id: i64,
        booking_id: i64,
        from: BookingState,
        outcome: &CancellationOutcome,
        notices: &[OutboxMessage],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        let moved = tx_run!(&mut tx, |c| sqlx::query(
            "UPDATE bookings SET state = $4, updated_at = $5 WHERE id = $1 AND client_id = $2 AND state = $3"
        )
        .bind(booking_id)
        .bind(client_id)
        .bind(from.as_str())
        .bind(outcome.new_state.as_str())
        .bind(now)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        if moved != 1 {
            return Ok(false);
        }
        tx_run!(&mut tx, |c| sqlx::query(
            "INSERT INTO booking_cancellations
               (booking_id, cancelled_by, timing, money_action, therapist_paid, therapist_owes_free_session, decided_at)
             VALUES ($1, 'client', $2, $3, $4, $5, $6)"
        )
        .bind(booking_id)
        .bind(outcome.timing.as_str())
        .bind(outcome.money.as_str())
        .bind(outcome.therapist_paid)
        .bind(outcome.therapist_owes_free_session)
        .bind(now)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        // R-CAN-2: a timely cancellation gives the package credit back; a late one keeps it used.
        if outcome.money == MoneyAction::ReturnCredit {
            super::packages::Packages::return_credit_in(&mut tx, booking_id, now).await?;
        }
        if outcome.money == MoneyAction::ReturnFreeSession {
            tx_run!(&mut tx, |c| sqlx::query(
                "DELETE FROM free_session_uses WHERE booking_id = $1"
            )
            .bind(booking_id)
            .execute(c)
            .await?
            .rows_affected());
        }
        for (i, m) in notices.iter().enumerate() {
            let m = m.clone().dedupe(format!("cancelled:client:{booking_id}:{i}"));
            Outbox::enqueue_in(&mut tx, &m, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// R-SES-1: a confirmed session starting in `(from, to]` whose room link is known.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct DueLink {
    pub booking_id: i64,
    pub slot_id: i64,
    pub client_id: i64,
    pub therapist_telegram_id: Option<i64>,
    pub video_room_link: String,
}

pub async fn links_due(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<DueLink>> {
    Ok(db_run!(db, |p| sqlx::query_as(
        "SELECT b.id AS booking_id, s.id AS slot_id, b.client_id, t.telegram_id AS therapist_telegram_id,
                pr.video_room_link
         FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN therapists t ON t.id = s.therapist_id
         JOIN therapist_profiles pr ON pr.therapist_id = t.id
         WHERE b.state = 'confirmed' AND s.starts_at > $1 AND s.starts_at <= $2 AND pr.video_room_link IS NOT NULL
         ORDER BY s.starts_at, b.id LIMIT 500"
    )
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await?))
}
