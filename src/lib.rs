//! proego: the booking bot of proEgo.online (see README.md).
//!
//! Data flows one way: Telegram update -> handler tree (`bot`) -> the role's dialogue -> a
//! domain decision (`domain`, pure) -> one store transaction (`store`) -> reply.

pub mod app;
pub mod bot;
pub mod catalog;
pub mod config;
pub mod http;
pub mod i18n;
pub mod roles;
pub mod store;
pub mod telemetry;

/// The platform's rules as pure types and functions (issue 3 is filling it in).
pub mod domain {
    #[path = "clock.rs"]
    pub mod clock;
}
