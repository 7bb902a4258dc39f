//! Packages of sessions (R-PAY-1, R-CAN-2..3): bought awaiting payment, active once the money is
//! captured, expired when unpaid in time. Credits are counted in the package row under a CHECK
//! (`used + refunded_credits <= size`) and each booking that took one is in
//! `package_credit_uses`, so the same credit can never be used twice, also by two bookings at
//! once. The domain's [`Package`] decides refunds; this module stores its answers.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::tx::Tx;
use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::domain::{BookingEvent, BookingState, Money, Package, PackageParts};
use crate::i18n::Lang;
use crate::{db_run, tx_run};

/// Where a package stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackageState {
    /// Bought, not paid yet (a payment link is out).
    AwaitingPayment,
    /// Paid: its credits can be used.
    Active,
    /// Not paid in time.
    Expired,
}

impl PackageState {
    /// The text stored in the database.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            PackageState::AwaitingPayment => "awaiting_payment",
            PackageState::Active => "active",
            PackageState::Expired => "expired",
        }
    }
}

impl std::str::FromStr for PackageState {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "awaiting_payment" => Ok(PackageState::AwaitingPayment),
            "active" => Ok(PackageState::Active),
            "expired" => Ok(PackageState::Expired),
            _ => Err(()),
        }
    }
}

/// A package with its client and therapist.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageRecord {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub client_language: Lang,
    pub therapist_id: i64,
    pub therapist_name: String,
    pub state: PackageState,
    pub package: Package,
    pub created_at: DateTime<Utc>,
}

impl PackageRecord {
    /// Credits left to book with (none unless the package is paid).
    #[must_use]
    pub fn available(&self) -> u32 {
        if self.state == PackageState::Active {
            self.package.available()
        } else {
            0
        }
    }
}

#[derive(FromRow)]
struct Row {
    id: i64,
    client_id: i64,
    client_name: String,
    client_language: String,
    therapist_id: i64,
    therapist_name: String,
    state: String,
    size: i64,
    per_session_kopecks: i64,
    paid_kopecks: i64,
    used: i64,
    refunded_credits: i64,
    refunded_kopecks: i64,
    created_at: DateTime<Utc>,
}

impl TryFrom<Row> for PackageRecord {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        let corrupt = || StoreError::Corrupt(format!("packages row {}", r.id));
        let money = |k: i64| Money::from_kopecks(k).map_err(|_| corrupt());
        let count = |n: i64| u32::try_from(n).map_err(|_| corrupt());
        let package = Package::from_parts(PackageParts {
            size: count(r.size)?,
            per_session_price: money(r.per_session_kopecks)?,
            paid: money(r.paid_kopecks)?,
            used: count(r.used)?,
            refunded_credits: count(r.refunded_credits)?,
            refunded_amount: money(r.refunded_kopecks)?,
        })
        .map_err(|_| corrupt())?;
        Ok(PackageRecord {
            id: r.id,
            client_id: r.client_id,
            client_language: parse_col(&r.client_language, "users.language")?,
            client_name: r.client_name,
            therapist_id: r.therapist_id,
            therapist_name: r.therapist_name,
            state: parse_col(&r.state, "packages.state")?,
            package,
            created_at: r.created_at,
        })
    }
}

const SELECT: &str = "SELECT k.id, k.client_id, c.first_name AS client_name, c.language AS client_language,
        k.therapist_id, t.full_name AS therapist_name, k.state, CAST(k.size AS BIGINT) AS size,
        k.per_session_kopecks, k.paid_kopecks, CAST(k.used AS BIGINT) AS used,
        CAST(k.refunded_credits AS BIGINT) AS refunded_credits, k.refunded_kopecks, k.created_at
     FROM packages k JOIN users c ON c.telegram_id = k.client_id JOIN therapists t ON t.id = k.therapist_id";

/// Packages repository.
#[derive(Debug, Clone)]
pub struct Packages<'a>(pub &'a Db);

impl Packages<'_> {
    /// A package bought by `client_id` (awaiting payment); the domain checked size and price.
    pub async fn create(
        &self,
        client_id: i64,
        therapist_id: i64,
        package: &Package,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let (id,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "INSERT INTO packages (client_id, therapist_id, size, per_session_kopecks, paid_kopecks, state,
                                   created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'awaiting_payment', $6, $6) RETURNING id"
        )
        .bind(client_id)
        .bind(therapist_id)
        .bind(i64::from(package.size()))
        .bind(package.per_session_price().kopecks())
        .bind(package.paid().kopecks())
        .bind(now)
        .fetch_one(p)
        .await
        .map_err(classify)?);
        Ok(id)
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<PackageRecord>> {
        let sql = format!("{SELECT} WHERE k.id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(PackageRecord::try_from).transpose()
    }

    /// The package only if it is this client's (another client's id reads as `None`).
    pub async fn get_of_client(&self, client_id: i64, id: i64) -> StoreResult<Option<PackageRecord>> {
        let sql = format!("{SELECT} WHERE k.id = $1 AND k.client_id = $2");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(id)
            .bind(client_id)
            .fetch_optional(p)
            .await?);
        row.map(PackageRecord::try_from).transpose()
    }

    /// The client's packages that are awaiting payment or active, oldest first.
    pub async fn of_client(&self, client_id: i64) -> StoreResult<Vec<PackageRecord>> {
        let sql = format!("{SELECT} WHERE k.client_id = $1 AND k.state <> 'expired' ORDER BY k.id LIMIT 50");
        let rows: Vec<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(client_id).fetch_all(p).await?);
        rows.into_iter().map(PackageRecord::try_from).collect()
    }

    /// The client's oldest active package with this therapist that has a credit left.
    pub async fn with_credit(&self, client_id: i64, therapist_id: i64) -> StoreResult<Option<PackageRecord>> {
        let sql = format!(
            "{SELECT} WHERE k.client_id = $1 AND k.therapist_id = $2 AND k.state = 'active'
               AND k.used + k.refunded_credits < k.size ORDER BY k.id LIMIT 1"
        );
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(client_id)
            .bind(therapist_id)
            .fetch_optional(p)
            .await?);
        row.map(PackageRecord::try_from).transpose()
    }

    /// Packages awaiting payment bought at or before `cutoff` (R-PAY-1 expiry).
    pub async fn awaiting_created_before(&self, cutoff: DateTime<Utc>) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT id FROM packages WHERE state = 'awaiting_payment' AND created_at <= $1 ORDER BY id LIMIT 500"
        )
        .bind(cutoff)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Moves a package from `from` to `to` in the caller's transaction, only if it is still in
    /// `from`; `false` when someone else moved it first.
    pub async fn transition_in(
        tx: &mut Tx,
        id: i64,
        from: PackageState,
        to: PackageState,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = tx_run!(tx, |c| sqlx::query(
            "UPDATE packages SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2"
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// R-PAY-1: books `slot_id` with a credit of the client's package, in one transaction: the
    /// credit taken (only from this client's active package with one left: the CHECK keeps
    /// used credits within the size even under concurrent bookings), the booking made confirmed
    /// at once at the package's per-session price (what the therapist's payout is computed
    /// from), the use recorded, the notices enqueued. Refusals as
    /// [`super::bookings::Bookings::create`]; `Conflict` when no credit is left.
    pub async fn book_with_credit(
        &self,
        slot_id: i64,
        client_id: i64,
        package_id: i64,
        notices: &[OutboxMessage],
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let state = BookingState::AwaitingPayment
            .apply(BookingEvent::PaymentSecured)
            .map(|t| t.to)
            .unwrap_or(BookingState::Confirmed);
        let mut tx = self.0.begin().await?;
        let taken: Option<(i64,)> = tx_run!(&mut tx, |c| sqlx::query_as(
            "UPDATE packages SET used = used + 1, updated_at = $3
             WHERE id = $1 AND client_id = $2 AND state = 'active' AND used + refunded_credits < size
             RETURNING per_session_kopecks"
        )
        .bind(package_id)
        .bind(client_id)
        .bind(now)
        .fetch_optional(c)
        .await
        .map_err(classify)?);
        let Some((price,)) = taken else {
            return Err(StoreError::Conflict);
        };
        let id: Option<(i64,)> = tx_run!(&mut tx, |c| sqlx::query_as(
            "INSERT INTO bookings (slot_id, slot_kind, client_id, state, price_kopecks, created_at, updated_at)
             SELECT s.id, s.kind, $2, $3, $4, $5, $5 FROM slots s WHERE s.id = $1 RETURNING id"
        )
        .bind(slot_id)
        .bind(client_id)
        .bind(state.as_str())
        .bind(price)
        .bind(now)
        .fetch_optional(c)
        .await
        .map_err(classify)?);
        let Some((id,)) = id else {
            return Err(StoreError::NotFound);
        };
        tx_run!(&mut tx, |c| sqlx::query(
            "INSERT INTO package_credit_uses (booking_id, package_id, used_at) VALUES ($1, $2, $3)"
        )
        .bind(id)
        .bind(package_id)
        .bind(now)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        for (i, m) in notices.iter().enumerate() {
            let m = m.clone().dedupe(format!("booked-credit:{id}:{i}"));
            Outbox::enqueue_in(&mut tx, &m, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The package whose credit the booking took, if any.
    pub async fn credit_of_booking(&self, booking_id: i64) -> StoreResult<Option<i64>> {
        let row: Option<(i64,)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT package_id FROM package_credit_uses WHERE booking_id = $1"
        )
        .bind(booking_id)
        .fetch_optional(p)
        .await?);
        Ok(row.map(|(id,)| id))
    }

    /// R-CAN-2, R-CAN-3: gives the booking's credit back to its package, in the caller's
    /// transaction (the cancellation's). `false` when the booking took no credit (or it was
    /// given back already).
    pub async fn return_credit_in(tx: &mut Tx, booking_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let gone: Option<(i64,)> = tx_run!(tx, |c| sqlx::query_as(
            "DELETE FROM package_credit_uses WHERE booking_id = $1 RETURNING package_id"
        )
        .bind(booking_id)
        .fetch_optional(c)
        .await?);
        let Some((package_id,)) = gone else {
            return Ok(false);
        };
        tx_run!(tx, |c| sqlx::query(
            "UPDATE packages SET used = used - 1, updated_at = $2 WHERE id = $1"
        )
        .bind(package_id)
        .bind(now)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        Ok(true)
    }

    /// Marks `after`'s refunded credits and amount (the domain's [`Package::refund_credits`])
    /// in the caller's transaction, only if the package is still as `before` says: a credit
    /// used or refunded meanwhile makes it `false` and nothing changes.
    pub async fn mark_refunded_in(
        tx: &mut Tx,
        id: i64,
        before: &Package,
        after: &Package,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = tx_run!(tx, |c| sqlx::query(
            "UPDATE packages SET refunded_credits = $4, refunded_kopecks = $5, updated_at = $6
             WHERE id = $1 AND state = 'active' AND used = $2 AND refunded_credits = $3"
        )
        .bind(id)
        .bind(i64::from(before.used()))
        .bind(i64::from(before.refunded_credits()))
        .bind(i64::from(after.refunded_credits()))
        .bind(after.refunded_amount().kopecks())
        .bind(now)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        Ok(n == 1)
    }
}
