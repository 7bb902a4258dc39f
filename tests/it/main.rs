//! One integration-test binary (one link step): storage on both databases, dialogue state,
//! and the end-to-end tests through the fake Telegram Bot API.

mod support;

mod cli;
mod dialogue_storage;
mod e2e_admin;
mod e2e_admin_more;
mod e2e_booking;
mod e2e_calendar;
mod e2e_catalog;
mod e2e_foundation;
mod e2e_intake;
mod e2e_journey;
mod e2e_onboarding;
mod e2e_packages;
mod e2e_payouts;
mod e2e_profile;
mod e2e_programs;
mod e2e_programs2;
mod jobs;
mod jobs_money_returns;
mod jobs_receipts;
mod locale_keys;
mod outbox;
mod outbox_crash;
mod payments;
mod payments_property;
mod store_admin;
mod store_booking;
mod store_calendar;
mod store_catalog;
mod store_core;
mod store_enrolment;
mod store_enrolment2;
mod store_erasure;
mod store_intake;
mod store_late_payout;
mod store_onboarding;
mod store_packages;
mod store_profile_edit;
mod store_receipts;
