//! The chat messages that carry a booking's payment link (migrations/*/0017_pay_messages.sql).
//! R-PAY-1: when the booking is paid or expires, each is edited (through the outbox, in the
//! same transaction as the change) to a short final text without the pay button.

use chrono::{DateTime, Utc};

use super::outbox::{Outbox, OutboxMessage};
use super::tx::Tx;
use super::{Db, StoreResult};
use crate::{db_run, tx_run};

/// Pay-link messages repository.
#[derive(Debug, Clone)]
pub struct PayMessages<'a>(pub &'a Db);

impl PayMessages<'_> {
    /// Remembers that `message_id` in `chat_id` shows the payment link of `booking_id` (a second
    /// record of the same message changes nothing).
    pub async fn record(&self, booking_id: i64, chat_id: i64, message_id: i32, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "INSERT INTO booking_pay_messages (booking_id, chat_id, message_id, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING"
        )
        .bind(booking_id)
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
        Ok(db_run!(self.0, |p| {
            sqlx::query_as(
            "SELECT chat_id, message_id FROM booking_pay_messages WHERE booking_id = $1 ORDER BY created_at, message_id"
        )
        .bind(booking_id)
        .fetch_all(p)
        .await?
        }))
    }

    /// Inside the caller's transaction (the one that pays or expires the booking): enqueues an
    /// edit of every pay-link message of the booking to `text`, without buttons. Each edit
    /// happens at most once. Returns how many were enqueued.
    pub async fn close_in(tx: &mut Tx, booking_id: i64, text: &str, now: DateTime<Utc>) -> StoreResult<usize> {
        let rows: Vec<(i64, i32)> = tx_run!(tx, |c| {
            sqlx::query_as(
            "SELECT chat_id, message_id FROM booking_pay_messages WHERE booking_id = $1 ORDER BY created_at, message_id"
        )
        .bind(booking_id)
        .fetch_all(c)
        .await?
        });
        let mut n = 0;
        for (chat_id, message_id) in rows {
            let m = OutboxMessage::new(chat_id, text.to_owned())
                .edit(message_id)
                .dedupe(format!("pay-msg:closed:{booking_id}:{chat_id}:{message_id}"));
            if Outbox::enqueue_in(tx, &m, now).await? {
                n += 1;
            }
        }
        Ok(n)
    }
}
