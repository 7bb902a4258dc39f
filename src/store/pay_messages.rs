//! The chat messages that carry a payment link: a booking's (migrations/*/0017_pay_messages.sql)
//! or a package's (0018_package_pay_messages.sql).
//! R-PAY-1: when the booking or package is paid or expires, each is edited (through the outbox,
//! in the same transaction as the change) to a short final text without the pay button.

use chrono::{DateTime, Utc};

use super::outbox::{Outbox, OutboxMessage};
use super::tx::Tx;
use super::{Db, StoreResult};
use crate::{db_run, tx_run};

/// What a payment link pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayOwner {
    Booking(i64),
    Package(i64),
}

impl PayOwner {
    fn id(self) -> i64 {
        match self {
            Self::Booking(id) | Self::Package(id) => id,
        }
    }

    /// The owner's table and key column (fixed names, never user input).
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Self::Booking(_) => ("booking_pay_messages", "booking_id"),
            Self::Package(_) => ("package_pay_messages", "package_id"),
        }
    }

    /// The outbox dedupe key of the edit of one message (bookings keep their 0017 keys).
    fn dedupe(self, chat_id: i64, message_id: i32) -> String {
        match self {
            Self::Booking(id) => format!("pay-msg:closed:{id}:{chat_id}:{message_id}"),
            Self::Package(id) => format!("pay-msg:closed:pkg:{id}:{chat_id}:{message_id}"),
        }
    }

    fn select_sql(self) -> String {
        let (table, col) = self.table();
        format!("SELECT chat_id, message_id FROM {table} WHERE {col} = $1 ORDER BY created_at, message_id")
    }
}

/// Pay-link messages repository.
#[derive(Debug, Clone)]
pub struct PayMessages<'a>(pub &'a Db);

impl PayMessages<'_> {
    /// Remembers that `message_id` in `chat_id` shows the payment link of `booking_id` (a second
    /// record of the same message changes nothing).
    pub async fn record(&self, booking_id: i64, chat_id: i64, message_id: i32, now: DateTime<Utc>) -> StoreResult<()> {
        self.record_for(PayOwner::Booking(booking_id), chat_id, message_id, now)
            .await
    }

    /// Remembers that `message_id` in `chat_id` shows the payment link of `owner` (a second
    /// record of the same message changes nothing).
    pub async fn record_for(
        &self,
        owner: PayOwner,
        chat_id: i64,
        message_id: i32,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (table, col) = owner.table();
        let sql = format!(
            "INSERT INTO {table} ({col}, chat_id, message_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
        );
        db_run!(self.0, |p| sqlx::query(&sql)
            .bind(owner.id())
            .bind(chat_id)
            .bind(message_id)
            .bind(now)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// The (chat, message) pairs of a booking, oldest first.
    pub async fn of_booking(&self, booking_id: i64) -> StoreResult<Vec<(i64, i32)>> {
        self.of(PayOwner::Booking(booking_id)).await
    }

    /// The (chat, message) pairs of `owner`, oldest first.
    pub async fn of(&self, owner: PayOwner) -> StoreResult<Vec<(i64, i32)>> {
        let sql = owner.select_sql();
        Ok(db_run!(self.0, |p| {
            sqlx::query_as(&sql).bind(owner.id()).fetch_all(p).await?
        }))
    }

    /// Inside the caller's transaction (the one that pays or expires the booking): enqueues an
    /// edit of every pay-link message of the booking to `text`, without buttons. Each edit
    /// happens at most once. Returns how many were enqueued.
    pub async fn close_in(tx: &mut Tx, booking_id: i64, text: &str, now: DateTime<Utc>) -> StoreResult<usize> {
        Self::close_owner_in(tx, PayOwner::Booking(booking_id), text, now).await
    }

    /// [`Self::close_in`] for any owner (a booking or a package), inside the transaction that
    /// pays or expires it.
    pub async fn close_owner_in(tx: &mut Tx, owner: PayOwner, text: &str, now: DateTime<Utc>) -> StoreResult<usize> {
        let sql = owner.select_sql();
        let rows: Vec<(i64, i32)> = tx_run!(tx, |c| sqlx::query_as(&sql).bind(owner.id()).fetch_all(c).await?);
        let mut n = 0;
        for (chat_id, message_id) in rows {
            let m = OutboxMessage::new(chat_id, text.to_owned())
                .edit(message_id)
                .dedupe(owner.dedupe(chat_id, message_id));
            if Outbox::enqueue_in(tx, &m, now).await? {
                n += 1;
            }
        }
        Ok(n)
    }
}
