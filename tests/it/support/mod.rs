//! Shared test support.
#![allow(dead_code)]

pub mod app;
pub mod db;
pub mod fake_bot_api;
