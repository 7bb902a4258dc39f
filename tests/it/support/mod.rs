//! Shared test support.
#![allow(dead_code)]

pub mod app;
pub mod db;
pub mod fake_bot_api;
pub mod fake_yookassa;

/// Generates `mod $name { sqlite(), postgres() }` tests that run `async fn $name(&Db)` on a
/// fresh database of each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let t = $crate::support::db::TestDb::new($crate::support::db::Backend::Sqlite).await;
                super::$name(&t.db).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let t = $crate::support::db::TestDb::new($crate::support::db::Backend::Postgres).await;
                super::$name(&t.db).await;
            }
        }
    )*};
}
