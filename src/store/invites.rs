//! One-time invites (R-ONB-1) and the audit log of admin actions. An invite is created with its
//! therapist account in one transaction; only the sha256 of the code is stored; redeeming marks
//! the invite used and binds the Telegram account in one transaction, conditionally, so a double
//! tap binds once.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Db, StoreError, StoreResult};
use crate::db_run;

/// A stored invite (never the code itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Invite {
    pub id: i64,
    pub therapist_id: i64,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What an invite code is worth now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteStatus {
    Valid,
    Used,
    Revoked,
    Expired,
}

impl Invite {
    pub fn status(&self, now: DateTime<Utc>) -> InviteStatus {
        if self.used_at.is_some() {
            InviteStatus::Used
        } else if self.revoked_at.is_some() {
            InviteStatus::Revoked
        } else if self.expires_at <= now {
            InviteStatus::Expired
        } else {
            InviteStatus::Valid
        }
    }
}

/// A pending invite with its therapist's name and e-mail, for `/invites`.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct PendingInvite {
    pub id: i64,
    pub therapist_id: i64,
    pub full_name: String,
    pub email: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    therapist_id: i64,
    created_by: i64,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<Row> for Invite {
    fn from(r: Row) -> Self {
        Invite {
            id: r.id,
            therapist_id: r.therapist_id,
            created_by: r.created_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            used_at: r.used_at,
            revoked_at: r.revoked_at,
        }
    }
}

const COLUMNS: &str = "id, therapist_id, created_by, created_at, expires_at, used_at, revoked_at";

/// Invites repository.
#[derive(Debug, Clone)]
pub struct Invites<'a>(pub &'a Db);

impl Invites<'_> {
    /// Creates the therapist account (status `invited`) and its invite in one transaction, and
    /// records the admin's action. Returns (therapist id, invite id).
    pub async fn create_with_account(
        &self,
        full_name: &str,
        email: &str,
        code_hash: &str,
        admin_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<(i64, i64)> {
        db_run!(self.0, |p| {
            let mut tx = p.begin().await?;
            let (therapist_id,): (i64,) = sqlx::query_as(
                "INSERT INTO therapists (full_name, email, status, created_at, updated_at)
                 VALUES ($1, $2, 'invited', $3, $3) RETURNING id",
            )
            .bind(full_name)
            .bind(email)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let (invite_id,): (i64,) = sqlx::query_as(
                "INSERT INTO invites (therapist_id, code_hash, created_by, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(therapist_id)
            .bind(code_hash)
            .bind(admin_id)
            .bind(now)
            .bind(expires_at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO audit_log (actor_id, action, subject, reason, at) VALUES ($1, 'invite', $2, NULL, $3)",
            )
            .bind(admin_id)
            .bind(format!("therapist:{therapist_id}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok((therapist_id, invite_id))
        })
    }

    pub async fn by_hash(&self, code_hash: &str) -> StoreResult<Option<Invite>> {
        let sql = format!("SELECT {COLUMNS} FROM invites WHERE code_hash = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(code_hash)
            .fetch_optional(p)
            .await?);
        Ok(row.map(Invite::from))
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<Invite>> {
        let sql = format!("SELECT {COLUMNS} FROM invites WHERE id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        Ok(row.map(Invite::from))
    }

    /// Redeems a valid invite: marks it used and binds the Telegram account to its therapist,
    /// in one transaction. `Conflict` when the invite is no longer valid (used, revoked,
    /// expired: someone was first) or the Telegram account is already a therapist's.
    pub async fn redeem(&self, code_hash: &str, telegram_id: i64, now: DateTime<Utc>) -> StoreResult<i64> {
        db_run!(self.0, |p| {
            let mut tx = p.begin().await?;
            // The write comes first, so SQLite takes its write lock at once.
            let used: Option<(i64,)> = sqlx::query_as(
                "UPDATE invites SET used_at = $2, used_by = $3
                 WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
                 RETURNING therapist_id",
            )
            .bind(code_hash)
            .bind(now)
            .bind(telegram_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((therapist_id,)) = used else {
                return Err(StoreError::Conflict);
            };
            // The same conditional bind as `Therapists::bind_telegram`, inside this transaction.
            let bound = sqlx::query(
                "UPDATE therapists SET telegram_id = $2, status = 'onboarding', updated_at = $3
                 WHERE id = $1 AND status = 'invited' AND telegram_id IS NULL",
            )
            .bind(therapist_id)
            .bind(telegram_id)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match bound {
                Ok(r) if r.rows_affected() == 1 => {}
                Ok(_) => return Err(StoreError::Conflict),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(StoreError::Conflict),
                Err(e) => return Err(e.into()),
            }
            tx.commit().await?;
            Ok(therapist_id)
        })
    }

    /// Revokes a pending invite (conditional: a used or revoked one is left alone, `Conflict`).
    pub async fn revoke(&self, id: i64, admin_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let n = db_run!(self.0, |p| sqlx::query(
            "UPDATE invites SET revoked_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL"
        )
        .bind(id)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        if n != 1 {
            return Err(StoreError::Conflict);
        }
        AuditLog(self.0)
            .record(admin_id, "invite_revoke", &format!("invite:{id}"), None, now)
            .await
    }

    /// Invites neither used, revoked nor expired, soonest expiry first.
    pub async fn pending(&self, now: DateTime<Utc>) -> StoreResult<Vec<PendingInvite>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT i.id, i.therapist_id, t.full_name, t.email, i.expires_at
             FROM invites i JOIN therapists t ON t.id = i.therapist_id
             WHERE i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $1
             ORDER BY i.expires_at, i.id"
        )
        .bind(now)
        .fetch_all(p)
        .await?))
    }
}

/// One recorded admin action.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct AuditEntry {
    pub actor_id: i64,
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// The audit log: every admin action, who, what, on whom, why, when.
#[derive(Debug, Clone)]
pub struct AuditLog<'a>(pub &'a Db);

impl AuditLog<'_> {
    pub async fn record(
        &self,
        actor_id: i64,
        action: &str,
        subject: &str,
        reason: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "INSERT INTO audit_log (actor_id, action, subject, reason, at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(actor_id)
        .bind(action)
        .bind(subject)
        .bind(reason)
        .bind(at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The entries about one subject (`therapist:7`, `invite:3`), oldest first.
    pub async fn about(&self, subject: &str) -> StoreResult<Vec<AuditEntry>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT actor_id, action, subject, reason, at FROM audit_log WHERE subject = $1 ORDER BY id"
        )
        .bind(subject)
        .fetch_all(p)
        .await?))
    }
}
