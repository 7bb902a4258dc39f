//! One integration-test binary (one link step): storage on both databases, dialogue state,
//! and the end-to-end tests through the fake Telegram Bot API.

mod support;

mod dialogue_storage;
mod store_core;
