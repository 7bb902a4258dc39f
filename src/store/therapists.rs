//! Therapist accounts (R-ONB-1..10): created by an admin, bound to a Telegram account by the
//! invite link, moved through onboarding and moderation. This issue holds the core record;
//! profiles, invites and moderation add their own tables.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{parse_col, Db, StoreError, StoreResult};
use crate::db_run;

/// The lifecycle of a therapist's account (R-ONB-1, R-ONB-9, R-ONB-10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TherapistStatus {
    Invited,
    Onboarding,
    PendingModeration,
    Active,
    Rejected,
    Suspended,
}

impl TherapistStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Onboarding => "onboarding",
            Self::PendingModeration => "pending_moderation",
            Self::Active => "active",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// The moves the lifecycle allows: invite opened, submitted to moderation, approved or
    /// rejected (R-ONB-10), fixed and resubmitted, suspended and reinstated.
    pub fn can_become(self, next: Self) -> bool {
        use TherapistStatus::*;
        matches!(
            (self, next),
            (Invited, Onboarding)
                | (Onboarding, PendingModeration)
                | (PendingModeration, Active)
                | (PendingModeration, Rejected)
                | (Rejected, PendingModeration)
                | (Active, Suspended)
                | (Suspended, Active)
        )
    }
}

impl FromStr for TherapistStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Ok(match s {
            "invited" => Self::Invited,
            "onboarding" => Self::Onboarding,
            "pending_moderation" => Self::PendingModeration,
            "active" => Self::Active,
            "rejected" => Self::Rejected,
            "suspended" => Self::Suspended,
            _ => return Err(()),
        })
    }
}

impl fmt::Display for TherapistStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Therapist {
    pub id: i64,
    pub telegram_id: Option<i64>,
    pub full_name: String,
    pub email: String,
    pub status: TherapistStatus,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    telegram_id: Option<i64>,
    full_name: String,
    email: String,
    status: String,
}

impl TryFrom<Row> for Therapist {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(Therapist {
            id: r.id,
            telegram_id: r.telegram_id,
            full_name: r.full_name,
            email: r.email,
            status: parse_col(&r.status, "therapists.status")?,
        })
    }
}

const COLUMNS: &str = "id, telegram_id, full_name, email, status";

/// Therapists repository.
#[derive(Debug, Clone)]
pub struct Therapists<'a>(pub &'a Db);

impl Therapists<'_> {
    /// A new account in status `invited` (R-ONB-1).
    pub async fn create_invited(&self, full_name: &str, email: &str, now: DateTime<Utc>) -> StoreResult<i64> {
        let (id,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "INSERT INTO therapists (full_name, email, status, created_at, updated_at)
             VALUES ($1, $2, 'invited', $3, $3) RETURNING id"
        )
        .bind(full_name)
        .bind(email)
        .bind(now)
        .fetch_one(p)
        .await?);
        Ok(id)
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<Therapist>> {
        let sql = format!("SELECT {COLUMNS} FROM therapists WHERE id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(Therapist::try_from).transpose()
    }

    /// The therapist record bound to a Telegram account, if any.
    pub async fn by_telegram(&self, telegram_id: i64) -> StoreResult<Option<Therapist>> {
        let sql = format!("SELECT {COLUMNS} FROM therapists WHERE telegram_id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(telegram_id)
            .fetch_optional(p)
            .await?);
        row.map(Therapist::try_from).transpose()
    }

    /// Binds an invited account to a Telegram account and starts onboarding. Fails with
    /// `Conflict` when the account is no longer `invited` or the Telegram account is taken.
    pub async fn bind_telegram(&self, id: i64, telegram_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let res = db_run!(self.0, |p| sqlx::query(
            "UPDATE therapists SET telegram_id = $2, status = 'onboarding', updated_at = $3
             WHERE id = $1 AND status = 'invited' AND telegram_id IS NULL"
        )
        .bind(id)
        .bind(telegram_id)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()));
        match res {
            Ok(1) => Ok(()),
            Ok(_) => Err(StoreError::Conflict),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict),
            Err(e) => Err(e.into()),
        }
    }

    /// Moves the status from `from` to `to` if the lifecycle allows it and nobody moved it
    /// first (the update is conditional on `from`).
    pub async fn transition(
        &self,
        id: i64,
        from: TherapistStatus,
        to: TherapistStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        if !from.can_become(to) {
            return Err(StoreError::Conflict);
        }
        let n = db_run!(self.0, |p| sqlx::query(
            "UPDATE therapists SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2"
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }
}
