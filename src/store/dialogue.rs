//! Dialogue state for teloxide, kept where the rest of the data is (the SQL database) or in
//! Redis when REDIS_URL is set, so a dialogue survives a restart of the bot.
//!
//! States are JSON. A stored state that no longer deserialises (after an upgrade changed the
//! state enum) is treated as no state, so the user starts afresh instead of being stuck; the
//! bot notices the reset (see `bot::dialogue`) and tells them.

use std::marker::PhantomData;
use std::sync::Arc;

use chrono::Utc;
use futures::future::BoxFuture;
use redis::AsyncCommands;
use serde::de::DeserializeOwned;
use serde::Serialize;
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

use super::{Db, StoreError};
use crate::db_run;

/// What may go wrong when reading or writing dialogue state.
#[derive(Debug, thiserror::Error)]
pub enum DialogueStoreError {
    #[error("dialogue storage: {0}")]
    Store(#[from] StoreError),
    #[error("dialogue storage (redis): {0}")]
    Redis(#[from] redis::RedisError),
    #[error("dialogue state could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
}

impl From<sqlx::Error> for DialogueStoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Db(e))
    }
}

/// Decodes a stored state; an undecodable one reads as "no state" (logged without content).
fn decode<D: DeserializeOwned>(chat_id: ChatId, raw: &str) -> Option<D> {
    match serde_json::from_str(raw) {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::warn!(chat_id = chat_id.0, error = %e, "stored dialogue state no longer decodes; resetting it");
            None
        }
    }
}

/// Dialogue state in the `dialogues` table of our own database.
pub struct SqlDialogueStorage<D> {
    db: Db,
    _d: PhantomData<fn() -> D>,
}

impl<D> SqlDialogueStorage<D> {
    pub fn new(db: Db) -> Arc<Self> {
        Arc::new(Self { db, _d: PhantomData })
    }
}

impl<D> Storage<D> for SqlDialogueStorage<D>
where
    D: Serialize + DeserializeOwned + Send + 'static,
{
    type Error = DialogueStoreError;

    fn remove_dialogue(self: Arc<Self>, chat_id: ChatId) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            db_run!(&self.db, |p| sqlx::query("DELETE FROM dialogues WHERE chat_id = $1")
                .bind(chat_id.0)
                .execute(p)
                .await?
                .rows_affected());
            Ok(())
        })
    }

    fn update_dialogue(self: Arc<Self>, chat_id: ChatId, dialogue: D) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            let state = serde_json::to_string(&dialogue)?;
            db_run!(&self.db, |p| sqlx::query(
                "INSERT INTO dialogues (chat_id, state, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at"
            )
            .bind(chat_id.0)
            .bind(state)
            .bind(Utc::now())
            .execute(p)
            .await?
            .rows_affected());
            Ok(())
        })
    }

    fn get_dialogue(self: Arc<Self>, chat_id: ChatId) -> BoxFuture<'static, Result<Option<D>, Self::Error>> {
        Box::pin(async move {
            let row: Option<(String,)> = db_run!(&self.db, |p| sqlx::query_as(
                "SELECT state FROM dialogues WHERE chat_id = $1"
            )
            .bind(chat_id.0)
            .fetch_optional(p)
            .await?);
            Ok(row.and_then(|(raw,)| decode(chat_id, &raw)))
        })
    }
}

/// Dialogue state in Redis (shared by several bot instances), one key per chat.
pub struct RedisDialogueStorage<D> {
    conn: redis::aio::ConnectionManager,
    prefix: String,
    _d: PhantomData<fn() -> D>,
}

impl<D> RedisDialogueStorage<D> {
    /// Connects; `prefix` namespaces the keys (tests use a unique one).
    pub async fn open(url: &str, prefix: &str) -> Result<Arc<Self>, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let conn = redis::aio::ConnectionManager::new(client).await?;
        Ok(Arc::new(Self {
            conn,
            prefix: prefix.to_owned(),
            _d: PhantomData,
        }))
    }

    fn key(&self, chat_id: ChatId) -> String {
        format!("{}dialogue:{}", self.prefix, chat_id.0)
    }
}

impl<D> Storage<D> for RedisDialogueStorage<D>
where
    D: Serialize + DeserializeOwned + Send + 'static,
{
    type Error = DialogueStoreError;

    fn remove_dialogue(self: Arc<Self>, chat_id: ChatId) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            let mut c = self.conn.clone();
            let _: () = c.del(self.key(chat_id)).await?;
            Ok(())
        })
    }

    fn update_dialogue(self: Arc<Self>, chat_id: ChatId, dialogue: D) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            let state = serde_json::to_string(&dialogue)?;
            let mut c = self.conn.clone();
            let _: () = c.set(self.key(chat_id), state).await?;
            Ok(())
        })
    }

    fn get_dialogue(self: Arc<Self>, chat_id: ChatId) -> BoxFuture<'static, Result<Option<D>, Self::Error>> {
        Box::pin(async move {
            let mut c = self.conn.clone();
            let raw: Option<String> = c.get(self.key(chat_id)).await?;
            Ok(raw.and_then(|r| decode(chat_id, &r)))
        })
    }
}
