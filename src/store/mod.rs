//! Storage: sqlx repositories over one [`Db`] that is SQLite (the embedded default) or
//! PostgreSQL (production, several instances). Each query is written once with `$N`
//! placeholders and compiled for both pools by [`db_run!`]; SQL differs per dialect only
//! where it must. The invariants that protect people live in the migrations (constraints,
//! triggers), so the database refuses what the code might get wrong.

pub mod bookings;
pub mod calendar;
pub mod catalog;
pub mod client_booking;
pub mod dialogue;
pub mod due;
pub mod enrolments;
pub mod erasure;
pub mod force_majeure;
pub mod intake;
pub mod invites;
pub mod lookup;
pub mod money_returns;
pub mod outbox;
pub mod packages;
pub mod pay_messages;
pub mod payments;
pub mod payouts;
pub mod profiles;
pub mod programs;
pub mod receipts;
pub mod slots;
pub mod stats;
pub mod therapists;
pub mod tx;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::config::DatabaseUrl;

/// One pool, of either backend.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body against whichever pool `$db` holds; `$pool` names the pool inside.
#[macro_export]
macro_rules! db_run {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}

/// What can go wrong in storage, with the refusals the database makes on people's behalf.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The slot overlaps another open slot of the same therapist.
    #[error("the slot overlaps another slot of this therapist")]
    SlotOverlap,
    /// An individual slot or consultation already has a live booking.
    #[error("the slot is already booked")]
    SlotTaken,
    /// A group slot has no free seat left.
    #[error("the slot has no free seat")]
    SlotFull,
    /// This client already holds a seat in that slot.
    #[error("the client already has a booking in this slot")]
    AlreadyBooked,
    /// The slot is closed.
    #[error("the slot is closed")]
    SlotClosed,
    /// A seat in a program's meeting for a client who is not enrolled in the published
    /// program (R-GRP-2, R-GRP-3).
    #[error("the client is not enrolled in this program")]
    NotEnrolled,
    #[error("not found")]
    NotFound,
    /// The row was not in the state the change expected (someone else changed it first).
    #[error("the record changed in the meantime")]
    Conflict,
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored value is not valid: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Turns the database's refusals into [`StoreError`] variants the callers can act on.
pub(crate) fn classify(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        let msg = db.message();
        let constraint = db.constraint().unwrap_or("");
        let code = db.code().unwrap_or_default();
        if msg.contains("slot_overlap") || constraint == "slots_no_overlap" || code == "23P01" {
            return StoreError::SlotOverlap;
        }
        if msg.contains("program_not_enrolled") {
            return StoreError::NotEnrolled;
        }
        if msg.contains("slot_closed") {
            return StoreError::SlotClosed;
        }
        if msg.contains("slots_seats") || constraint == "slots_seats" {
            return StoreError::SlotFull;
        }
        if msg.contains("bookings_one_live_per_single_slot")
            || constraint == "bookings_one_live_per_single_slot"
            || (code == "2067" && msg.contains("bookings.slot_id") && !msg.contains("client_id"))
        {
            return StoreError::SlotTaken;
        }
        if msg.contains("bookings_one_live_seat_per_client")
            || constraint == "bookings_one_live_seat_per_client"
            || (code == "2067" && msg.contains("bookings.client_id"))
        {
            return StoreError::AlreadyBooked;
        }
    }
    StoreError::Db(err)
}

impl Db {
    /// Opens the database (creating a SQLite file if needed). Does not migrate.
    pub async fn connect(url: &DatabaseUrl) -> StoreResult<Self> {
        match url {
            DatabaseUrl::Sqlite(u) => {
                let opts = SqliteConnectOptions::from_str(u)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
                Ok(Db::Sqlite(pool))
            }
            DatabaseUrl::Postgres(u) => {
                let opts = PgConnectOptions::from_str(u)?;
                Self::connect_postgres(opts).await
            }
        }
    }

    /// PostgreSQL with explicit options (tests use a schema per test through `options`).
    pub async fn connect_postgres(opts: PgConnectOptions) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        Ok(Db::Postgres(pool))
    }

    /// Applies the migrations of this backend.
    pub async fn migrate(&self) -> StoreResult<()> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> StoreResult<()> {
        db_run!(self, |p| {
            sqlx::query("SELECT 1").execute(p).await?;
        });
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        db_run!(self, |p| p.close().await)
    }
}

/// Parses a stored enum text, naming the column on failure.
pub(crate) fn parse_col<T: FromStr>(value: &str, column: &str) -> StoreResult<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} = {value:?}")))
}
