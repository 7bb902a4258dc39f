//! The notification outbox (see migrations/*/0005_outbox.sql): enqueue in the caller's
//! transaction, claim due rows with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
//! several instances share the work and never send the same row at once), mark the outcome.

use chrono::{DateTime, Duration, Utc};
use sqlx::FromRow;
use teloxide::types::InlineKeyboardMarkup;

use super::tx::Tx;
use super::{Db, StoreError, StoreResult};
use crate::{db_run, tx_run};

/// A message to deliver.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub chat_id: i64,
    /// HTML text, already in the recipient's language.
    pub text: String,
    pub keyboard: Option<InlineKeyboardMarkup>,
    /// Makes the notification happen at most once.
    pub dedupe_key: Option<String>,
    /// Not sent before this instant.
    pub not_before: Option<DateTime<Utc>>,
    /// Edits this message of `chat_id` (text and buttons; no keyboard removes the buttons)
    /// instead of sending a new one.
    pub edit_message_id: Option<i32>,
}

impl OutboxMessage {
    pub fn new(chat_id: i64, text: String) -> Self {
        Self {
            chat_id,
            text,
            keyboard: None,
            dedupe_key: None,
            not_before: None,
            edit_message_id: None,
        }
    }

    /// Makes the row an edit of a message already in the chat.
    pub fn edit(mut self, message_id: i32) -> Self {
        self.edit_message_id = Some(message_id);
        self
    }

    pub fn keyboard(mut self, keyboard: InlineKeyboardMarkup) -> Self {
        self.keyboard = Some(keyboard);
        self
    }

    pub fn dedupe(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }
}

/// A claimed row, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub id: i64,
    pub chat_id: i64,
    pub text: String,
    pub keyboard: Option<InlineKeyboardMarkup>,
    pub attempts: i32,
    pub edit_message_id: Option<i32>,
}

#[derive(FromRow)]
struct PendingRow {
    id: i64,
    chat_id: i64,
    text: String,
    keyboard: Option<String>,
    attempts: i32,
    edit_message_id: Option<i32>,
}

/// The state of one row, for tests and the admin's view.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub chat_id: i64,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
}

const INSERT: &str =
    "INSERT INTO outbox (chat_id, text, keyboard, dedupe_key, created_at, next_attempt_at, edit_message_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING";

fn keyboard_json(m: &OutboxMessage) -> StoreResult<Option<String>> {
    m.keyboard
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Outbox repository.
#[derive(Debug, Clone)]
pub struct Outbox<'a>(pub &'a Db);

impl Outbox<'_> {
    /// Enqueues inside the caller's transaction; `false` when the dedupe key was used before.
    pub async fn enqueue_in(tx: &mut Tx, m: &OutboxMessage, now: DateTime<Utc>) -> StoreResult<bool> {
        let keyboard = keyboard_json(m)?;
        let due = m.not_before.unwrap_or(now);
        let n = tx_run!(tx, |c| sqlx::query(INSERT)
            .bind(m.chat_id)
            .bind(&m.text)
            .bind(&keyboard)
            .bind(&m.dedupe_key)
            .bind(now)
            .bind(due)
            .bind(m.edit_message_id)
            .execute(c)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Enqueues on its own (when nothing else changes with it).
    pub async fn enqueue(&self, m: &OutboxMessage, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        let added = Self::enqueue_in(&mut tx, m, now).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Claims up to `limit` due rows for `lease`; rows claimed by another relay whose lease
    /// has not run out are skipped.
    pub async fn claim_due(&self, now: DateTime<Utc>, lease: Duration, limit: i64) -> StoreResult<Vec<Pending>> {
        let until = now + lease;
        let rows: Vec<PendingRow> = match self.0 {
            Db::Postgres(p) => {
                sqlx::query_as(
                    "UPDATE outbox SET claimed_until = $2 WHERE id IN (
                        SELECT id FROM outbox
                        WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
                          AND (claimed_until IS NULL OR claimed_until <= $1)
                        ORDER BY next_attempt_at, id LIMIT $3
                        FOR UPDATE SKIP LOCKED)
                     RETURNING id, chat_id, text, keyboard, attempts, edit_message_id",
                )
                .bind(now)
                .bind(until)
                .bind(limit)
                .fetch_all(p)
                .await?
            }
            // One writer at a time on SQLite: the UPDATE is atomic by itself.
            Db::Sqlite(p) => {
                sqlx::query_as(
                    "UPDATE outbox SET claimed_until = $2 WHERE id IN (
                        SELECT id FROM outbox
                        WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
                          AND (claimed_until IS NULL OR claimed_until <= $1)
                        ORDER BY next_attempt_at, id LIMIT $3)
                     RETURNING id, chat_id, text, keyboard, attempts, edit_message_id",
                )
                .bind(now)
                .bind(until)
                .bind(limit)
                .fetch_all(p)
                .await?
            }
        };
        let mut out: Vec<Pending> = rows
            .into_iter()
            .map(|r| {
                let keyboard = match r.keyboard {
                    Some(k) => Some(
                        serde_json::from_str(&k).map_err(|e| StoreError::Corrupt(format!("outbox.keyboard: {e}")))?,
                    ),
                    None => None,
                };
                Ok(Pending {
                    id: r.id,
                    chat_id: r.chat_id,
                    text: r.text,
                    keyboard,
                    attempts: r.attempts,
                    edit_message_id: r.edit_message_id,
                })
            })
            .collect::<StoreResult<_>>()?;
        out.sort_by_key(|p| p.id);
        Ok(out)
    }

    pub async fn mark_sent(&self, id: i64, message_id: i32, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE outbox SET sent_at = $2, sent_message_id = $3, attempts = attempts + 1, claimed_until = NULL
             WHERE id = $1 AND sent_at IS NULL"
        )
        .bind(id)
        .bind(now)
        .bind(message_id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Tries again at `at` (after a 429 or a network error).
    pub async fn retry_at(&self, id: i64, at: DateTime<Utc>, error: &str) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE outbox SET next_attempt_at = $2, last_error = $3, attempts = attempts + 1, claimed_until = NULL
             WHERE id = $1 AND sent_at IS NULL"
        )
        .bind(id)
        .bind(at)
        .bind(error)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Gives up (the user blocked the bot, or Telegram refuses the message for good).
    pub async fn mark_failed(&self, id: i64, error: &str, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE outbox SET failed_at = $2, last_error = $3, attempts = attempts + 1, claimed_until = NULL
             WHERE id = $1 AND sent_at IS NULL"
        )
        .bind(id)
        .bind(now)
        .bind(error)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Every row, oldest first (tests and diagnostics).
    pub async fn all(&self) -> StoreResult<Vec<OutboxRow>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT id, chat_id, attempts, sent_at, failed_at, last_error, next_attempt_at FROM outbox ORDER BY id"
        )
        .fetch_all(p)
        .await?))
    }
}
