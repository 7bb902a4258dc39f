//! The teloxide adapter: one [`schema`] returns the whole handler tree, with a branch per
//! role (client/, therapist/, admin/). Handlers ask the domain and the store, and answer in
//! the user's language from `locales/`.

pub mod actor;
pub mod admin;
pub mod callback;
pub mod client;
pub mod commands;
pub mod common;
pub mod html;
pub mod menus;
pub mod notices;
pub mod state;
pub mod therapist;
pub mod timefmt;

use std::sync::Arc;
use std::time::Instant;

use chrono_tz::Tz;
use teloxide::adaptors::{DefaultParseMode, Throttle};
use teloxide::dispatching::dialogue::ErasedStorage;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, ParseMode};

pub use actor::Actor;
pub use state::State;

use crate::catalog::Catalog;
use crate::domain::clock::Clock;
use crate::i18n::{Lang, Locales};
use crate::roles::Role;
use crate::store::Db;
use crate::tr;

/// The Bot API client every handler uses: HTML by default, Telegram's rate limits kept.
pub type BotApi = DefaultParseMode<Throttle<Bot>>;

/// The dialogue of a chat.
pub type ChatDialogue = Dialogue<State, ErasedStorage<State>>;

/// What a handler returns; errors are reported to the user by [`Cx::guard`].
pub type HandlerResult = Result<(), BotError>;

/// Errors inside handlers. The user never sees their text, only an id to quote.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("telegram: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("store: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("dialogue storage: {0}")]
    Dialogue(String),
    #[error("payment: {0}")]
    Payment(#[from] crate::payments::service::PaymentFailure),
}

impl From<teloxide::dispatching::dialogue::InMemStorageError> for BotError {
    fn from(e: teloxide::dispatching::dialogue::InMemStorageError) -> Self {
        Self::Dialogue(e.to_string())
    }
}

impl From<Box<dyn std::error::Error + Send + Sync>> for BotError {
    fn from(e: Box<dyn std::error::Error + Send + Sync>) -> Self {
        Self::Dialogue(e.to_string())
    }
}

/// Everything the handlers share, built once at start-up.
pub struct AppState {
    pub db: Db,
    pub locales: Arc<Locales>,
    pub catalog: Catalog,
    pub clock: Arc<dyn Clock>,
    pub admin_ids: Vec<u64>,
    pub admin_chat_id: i64,
    pub default_lang: Lang,
    pub default_tz: Tz,
    /// The bot's @username without '@' (commands may be addressed to it).
    pub bot_username: String,
    /// Seals payout details at rest (R-ONB-7).
    pub data_key: crate::crypto::DataKey,
    /// Payments: links for bookings, the provider's word, late money.
    pub payments: Arc<crate::payments::service::PaymentService>,
    /// The numbers of the rules (floors, windows, commission rates).
    pub settings: crate::domain::DomainSettings,
}

impl AppState {
    pub fn is_admin(&self, user_id: u64) -> bool {
        self.admin_ids.contains(&user_id)
    }
}

/// One update's context: who is talking, where, and the shared state.
#[derive(Clone)]
pub struct Cx {
    pub bot: BotApi,
    pub app: Arc<AppState>,
    pub actor: Actor,
    pub chat_id: ChatId,
}

impl Cx {
    pub fn lang(&self) -> Lang {
        self.actor.user.language
    }

    pub fn tz(&self) -> Tz {
        self.actor.user.zone_or(self.app.default_tz)
    }

    pub fn l(&self) -> &Locales {
        &self.app.locales
    }

    /// Sends an HTML message to this chat.
    pub async fn send(&self, text: String) -> Result<Message, BotError> {
        Ok(self.bot.send_message(self.chat_id, text).await?)
    }

    /// Sends an HTML message with inline buttons.
    pub async fn send_with(&self, text: String, keyboard: InlineKeyboardMarkup) -> Result<Message, BotError> {
        Ok(self.bot.send_message(self.chat_id, text).reply_markup(keyboard).await?)
    }

    /// Runs a handler body; on error, logs it with an id and tells the user politely.
    /// Also measures the handler for `/metrics`.
    pub async fn guard<F>(&self, kind: &'static str, body: F) -> HandlerResult
    where
        F: std::future::Future<Output = HandlerResult>,
    {
        let started = Instant::now();
        let result = body.await;
        let elapsed = started.elapsed().as_secs_f64();
        crate::telemetry::record_update(kind, elapsed, result.is_err());
        if let Err(e) = result {
            let id = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
            tracing::error!(error_id = %id, kind, error = %e, "handler failed");
            let text = tr!(self.l(), self.lang(), "error-internal", id = id.as_str());
            if let Err(e2) = self.bot.send_message(self.chat_id, text).await {
                tracing::warn!(error_id = %id, error = %e2, "could not tell the user about an error");
            }
        }
        Ok(())
    }
}

/// The whole handler tree.
pub fn schema() -> teloxide::dispatching::UpdateHandler<BotError> {
    dptree::entry()
        .inspect(|_: Update| crate::telemetry::record_received())
        .filter_map_async(actor::resolve)
        .branch(
            Update::filter_message()
                .branch(
                    dptree::filter(|m: Message| m.chat.is_private())
                        .enter_dialogue::<Message, ErasedStorage<State>, State>()
                        .branch(dptree::filter(|a: Actor| a.role == Role::Admin).endpoint(admin::private_message))
                        .branch(
                            dptree::filter(|a: Actor| a.role == Role::Therapist).endpoint(therapist::private_message),
                        )
                        .endpoint(client::private_message),
                )
                .branch(
                    dptree::filter(|m: Message| !m.chat.is_private())
                        .enter_dialogue::<Message, ErasedStorage<State>, State>()
                        .endpoint(common::group_message),
                ),
        )
        .branch(
            Update::filter_callback_query()
                .enter_dialogue::<CallbackQuery, ErasedStorage<State>, State>()
                .endpoint(common::callback),
        )
}

/// The parse mode every message uses.
pub const PARSE_MODE: ParseMode = ParseMode::Html;
