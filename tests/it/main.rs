//! One integration-test binary (one link step): storage on both databases, dialogue state,
//! and the end-to-end tests through the fake Telegram Bot API.

mod support;

mod dialogue_storage;
mod e2e_calendar;
mod e2e_foundation;
mod locale_keys;
mod store_calendar;
mod store_core;
