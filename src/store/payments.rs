//! Our record of payments: one row per payment with the provider, every state change in
//! `payment_events` (an admin can read a booking's money history), idempotence keys stored
//! before each provider call, and provider notifications de-duplicated.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::tx::Tx;
use super::{parse_col, Db, StoreError, StoreResult};
use crate::domain::{Money, PaymentState};
use crate::{db_run, tx_run};

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRecord {
    pub id: i64,
    pub booking_id: Option<i64>,
    /// The package it pays for (R-PAY-1); exactly one of `booking_id` and `package_id` is set.
    pub package_id: Option<i64>,
    pub provider: String,
    pub provider_payment_id: Option<String>,
    pub idempotence_key: String,
    pub amount: Money,
    pub refunded: Money,
    pub state: PaymentState,
    pub confirmation_url: Option<String>,
    pub foreign: bool,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    booking_id: Option<i64>,
    package_id: Option<i64>,
    provider: String,
    provider_payment_id: Option<String>,
    idempotence_key: String,
    amount_kopecks: i64,
    refunded_kopecks: i64,
    state: String,
    confirmation_url: Option<String>,
    foreign_card: bool,
}

impl TryFrom<Row> for PaymentRecord {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        let money = |k: i64, col: &str| Money::from_kopecks(k).map_err(|_| StoreError::Corrupt(format!("{col} = {k}")));
        Ok(PaymentRecord {
            id: r.id,
            booking_id: r.booking_id,
            package_id: r.package_id,
            provider: r.provider,
            provider_payment_id: r.provider_payment_id,
            idempotence_key: r.idempotence_key,
            amount: money(r.amount_kopecks, "payments.amount_kopecks")?,
            refunded: money(r.refunded_kopecks, "payments.refunded_kopecks")?,
            state: parse_col(&r.state, "payments.state")?,
            confirmation_url: r.confirmation_url,
            foreign: r.foreign_card,
        })
    }
}

/// One entry of a payment's history.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct PaymentEventRow {
    pub event: String,
    pub from_state: String,
    pub to_state: String,
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

const COLUMNS: &str = "id, booking_id, package_id, provider, provider_payment_id, idempotence_key, amount_kopecks, \
                       refunded_kopecks, state, confirmation_url, foreign_card";

/// Payments repository.
#[derive(Debug, Clone)]
pub struct Payments<'a>(pub &'a Db);

impl Payments<'_> {
    /// A new pending payment for a booking, its idempotence key derived from our ids. Fails
    /// (unique index) when the booking already has a live payment.
    pub async fn create_for_booking(
        &self,
        booking_id: i64,
        provider: &str,
        amount: Money,
        now: DateTime<Utc>,
    ) -> StoreResult<PaymentRecord> {
        self.create_for("booking", booking_id, provider, amount, now).await
    }

    /// A new pending payment for a package (R-PAY-1), its idempotence key derived from our
    /// ids. Fails (unique index) when the package already has a live payment.
    pub async fn create_for_package(
        &self,
        package_id: i64,
        provider: &str,
        amount: Money,
        now: DateTime<Utc>,
    ) -> StoreResult<PaymentRecord> {
        self.create_for("package", package_id, provider, amount, now).await
    }

    /// A new pending payment of what `owner` ("booking" or "package") names, the
    /// idempotence key `proego-<owner>-<id>-payment-<n>` stored before any provider call.
    async fn create_for(
        &self,
        owner: &'static str,
        owner_id: i64,
        provider: &str,
        amount: Money,
        now: DateTime<Utc>,
    ) -> StoreResult<PaymentRecord> {
        let mut tx = self.0.begin().await?;
        let count = format!("SELECT COUNT(*) FROM payments WHERE {owner}_id = $1");
        let (n,): (i64,) = tx_run!(&mut tx, |c| sqlx::query_as(&count).bind(owner_id).fetch_one(c).await?);
        let key = format!("proego-{owner}-{owner_id}-payment-{}", n + 1);
        let sql = format!(
            "INSERT INTO payments ({owner}_id, provider, idempotence_key, amount_kopecks, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $5) RETURNING {COLUMNS}"
        );
        let row: Row = tx_run!(&mut tx, |c| sqlx::query_as(&sql)
            .bind(owner_id)
            .bind(provider)
            .bind(&key)
            .bind(amount.kopecks())
            .bind(now)
            .fetch_one(c)
            .await?);
        tx.commit().await?;
        row.try_into()
    }

    /// The package's payments, newest first.
    pub async fn for_package(&self, package_id: i64) -> StoreResult<Vec<PaymentRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM payments WHERE package_id = $1 ORDER BY id DESC");
        let rows: Vec<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(package_id).fetch_all(p).await?);
        rows.into_iter().map(PaymentRecord::try_from).collect()
    }

    /// Remembers the provider's id and payment link.
    pub async fn set_provider_ref(
        &self,
        id: i64,
        provider_payment_id: &str,
        url: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE payments SET provider_payment_id = $2, confirmation_url = $3, updated_at = $4 WHERE id = $1"
        )
        .bind(id)
        .bind(provider_payment_id)
        .bind(url)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<PaymentRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM payments WHERE id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(PaymentRecord::try_from).transpose()
    }

    pub async fn by_provider_id(
        &self,
        provider: &str,
        provider_payment_id: &str,
    ) -> StoreResult<Option<PaymentRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM payments WHERE provider = $1 AND provider_payment_id = $2");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(provider)
            .bind(provider_payment_id)
            .fetch_optional(p)
            .await?);
        row.map(PaymentRecord::try_from).transpose()
    }

    /// The booking's payments, newest first.
    pub async fn for_booking(&self, booking_id: i64) -> StoreResult<Vec<PaymentRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM payments WHERE booking_id = $1 ORDER BY id DESC");
        let rows: Vec<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(booking_id).fetch_all(p).await?);
        rows.into_iter().map(PaymentRecord::try_from).collect()
    }

    /// Moves a payment from `from` to `to` (with its refunded total and foreign flag) in the
    /// caller's transaction, only if it is still in `from`, and records the event. `false`
    /// when someone else moved it first.
    #[allow(clippy::too_many_arguments)]
    pub async fn transition_in(
        tx: &mut Tx,
        id: i64,
        from: PaymentState,
        to: PaymentState,
        refunded: Money,
        foreign: bool,
        event: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = tx_run!(tx, |c| sqlx::query(
            "UPDATE payments SET state = $3, refunded_kopecks = $4, foreign_card = $5, updated_at = $6
             WHERE id = $1 AND state = $2"
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(refunded.kopecks())
        .bind(foreign)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
        if n != 1 {
            return Ok(false);
        }
        tx_run!(tx, |c| {
            sqlx::query(
            "INSERT INTO payment_events (payment_id, event, from_state, to_state, detail, at) VALUES ($1, $2, $3, $4, NULL, $5)"
        )
        .bind(id)
        .bind(event)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now)
        .execute(c)
        .await?
        .rows_affected()
        });
        Ok(true)
    }

    /// The payment's history, oldest first.
    pub async fn events(&self, id: i64) -> StoreResult<Vec<PaymentEventRow>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT event, from_state, to_state, detail, at FROM payment_events WHERE payment_id = $1 ORDER BY id"
        )
        .bind(id)
        .fetch_all(p)
        .await?))
    }

    /// The idempotence key of a money-moving call, stored before the call: the same
    /// operation (payment, kind, amount, attempt number) always gets the same key.
    pub async fn operation_key(
        &self,
        payment_id: i64,
        kind: &str,
        amount: Money,
        now: DateTime<Utc>,
    ) -> StoreResult<String> {
        // An unfinished operation of the same kind and amount is retried under its own key.
        let open: Option<(String,)> = db_run!(self.0, |p| {
            sqlx::query_as(
            "SELECT idempotence_key FROM payment_operations
             WHERE payment_id = $1 AND kind = $2 AND amount_kopecks = $3 AND done_at IS NULL ORDER BY created_at LIMIT 1"
        )
        .bind(payment_id)
        .bind(kind)
        .bind(amount.kopecks())
        .fetch_optional(p)
        .await?
        });
        if let Some((key,)) = open {
            return Ok(key);
        }
        let (n,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM payment_operations WHERE payment_id = $1"
        )
        .bind(payment_id)
        .fetch_one(p)
        .await?);
        let key = format!("proego-payment-{payment_id}-{kind}-{}", n + 1);
        db_run!(self.0, |p| {
            sqlx::query(
            "INSERT INTO payment_operations (idempotence_key, payment_id, kind, amount_kopecks, created_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(&key)
        .bind(payment_id)
        .bind(kind)
        .bind(amount.kopecks())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected()
        });
        Ok(key)
    }

    pub async fn operation_done(&self, key: &str, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE payment_operations SET done_at = $2 WHERE idempotence_key = $1"
        )
        .bind(key)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Whether a provider notification (object id, event) was handled before.
    pub async fn notification_seen(&self, provider: &str, object_id: &str, event: &str) -> StoreResult<bool> {
        // COUNT(*) decodes as a 64-bit integer on both backends (a bare 1 is INT4 on PostgreSQL).
        let (n,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM provider_notifications WHERE provider = $1 AND object_id = $2 AND event = $3"
        )
        .bind(provider)
        .bind(object_id)
        .bind(event)
        .fetch_one(p)
        .await?);
        Ok(n > 0)
    }

    /// Marks a notification handled; `false` when it already was.
    pub async fn mark_notification(
        &self,
        provider: &str,
        object_id: &str,
        event: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = db_run!(self.0, |p| sqlx::query(
            "INSERT INTO provider_notifications (provider, object_id, event, received_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (provider, object_id, event) DO NOTHING"
        )
        .bind(provider)
        .bind(object_id)
        .bind(event)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }
}
