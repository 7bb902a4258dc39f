//! proego: the booking bot of proEgo.online (see README.md).
//!
//! Data flows one way: Telegram update -> handler tree (`bot`) -> the role's dialogue -> a
//! domain decision (`domain`, pure) -> one store transaction (`store`) -> reply.

pub mod app;
pub mod bot;
pub mod catalog;
pub mod config;
pub mod crypto;
pub mod domain;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod payments;
pub mod payout;
pub mod roles;
pub mod store;
pub mod telemetry;
