//! Real databases for tests: a fresh SQLite file per test, a fresh PostgreSQL schema per test
//! (in the database named by PROEGO_TEST_POSTGRES_URL), and Redis key prefixes per test.
//! An unreachable service fails the test loudly; nothing is skipped.

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::Connection;
use tokio::sync::OnceCell;

use proego::config::DatabaseUrl;
use proego::store::Db;

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
pub const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backend the end-to-end tests run on: PROEGO_TEST_BACKEND=postgres or sqlite (default).
pub fn e2e_backend() -> Backend {
    match std::env::var("PROEGO_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("PROEGO_TEST_BACKEND={other}: use sqlite or postgres"),
    }
}

/// Redis for dialogue state in end-to-end tests when PROEGO_TEST_REDIS_URL is set.
pub fn e2e_redis() -> Option<String> {
    std::env::var("PROEGO_TEST_REDIS_URL").ok().filter(|s| !s.is_empty())
}

pub fn postgres_url() -> String {
    std::env::var("PROEGO_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

pub fn redis_url() -> String {
    std::env::var("PROEGO_TEST_REDIS_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_REDIS_URL.to_owned())
}

/// A migrated database that lives as long as the value.
pub struct TestDb {
    pub db: Db,
    pub url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
}

static PG_READY: OnceCell<()> = OnceCell::const_new();

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await,
        }
    }

    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = DatabaseUrl::Sqlite(format!("sqlite://{}", dir.path().join("proego.db").display()));
        let db = Db::connect(&url).await.expect("open sqlite");
        db.migrate().await.expect("migrate sqlite");
        Self {
            db,
            url,
            _dir: Some(dir),
        }
    }

    /// A new schema in the test database, first on the search path.
    pub async fn postgres() -> Self {
        let base = postgres_url();
        PG_READY
            .get_or_init(|| async {
                let mut c = sqlx::PgConnection::connect(&base).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL is required for this test and is not reachable at {base}: {e}. Start it (see README.md) or set PROEGO_TEST_POSTGRES_URL.")
                });
                // The extension lives in public so every test schema sees its operator classes.
                let _ = sqlx::query("CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public").execute(&mut c).await;
            })
            .await;
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut c = sqlx::PgConnection::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut c)
            .await
            .expect("create schema");
        let opts = PgConnectOptions::from_str(&base)
            .expect("postgres url")
            .options([("search_path", format!("{schema},public"))]);
        let db = Db::connect_postgres(opts).await.expect("connect to PostgreSQL");
        db.migrate().await.expect("migrate postgres");
        let url = DatabaseUrl::Postgres(format!("{base}?options=-csearch_path%3D{schema},public"));
        Self { db, url, _dir: None }
    }
}
