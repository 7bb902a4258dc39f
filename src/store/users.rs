//! Everyone who has written to the bot: Telegram id, first name, language, time zone and the
//! role last seen (to notice role changes and refresh command menus).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::FromRow;

use super::{parse_col, Db, StoreResult};
use crate::db_run;
use crate::i18n::Lang;
use crate::roles::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub telegram_id: i64,
    pub first_name: String,
    pub language: Lang,
    /// The user chose the language with /language (Telegram's language_code no longer applies).
    pub language_chosen: bool,
    pub time_zone: Option<Tz>,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// The zone to show times in: the user's own, or the configured default.
    pub fn zone_or(&self, default: Tz) -> Tz {
        self.time_zone.unwrap_or(default)
    }
}

#[derive(FromRow)]
struct UserRow {
    telegram_id: i64,
    first_name: String,
    language: String,
    language_chosen: bool,
    time_zone: Option<String>,
    role: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = super::StoreError;
    fn try_from(r: UserRow) -> StoreResult<Self> {
        Ok(User {
            telegram_id: r.telegram_id,
            first_name: r.first_name,
            language: parse_col(&r.language, "users.language")?,
            language_chosen: r.language_chosen,
            time_zone: r
                .time_zone
                .as_deref()
                .map(|z| parse_col(z, "users.time_zone"))
                .transpose()?,
            role: parse_col(&r.role, "users.role")?,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str = "telegram_id, first_name, language, language_chosen, time_zone, role, created_at";

/// Users repository.
#[derive(Debug, Clone)]
pub struct Users<'a>(pub &'a Db);

impl Users<'_> {
    /// Records that a user wrote: creates them with Telegram's language on first contact,
    /// keeps the first name fresh, follows Telegram's language until the user picks one.
    pub async fn seen(
        &self,
        telegram_id: i64,
        first_name: &str,
        telegram_lang: Lang,
        now: DateTime<Utc>,
    ) -> StoreResult<User> {
        let sql = format!(
            "INSERT INTO users (telegram_id, first_name, language, language_chosen, role, created_at, updated_at)
             VALUES ($1, $2, $3, FALSE, 'client', $4, $4)
             ON CONFLICT (telegram_id) DO UPDATE SET
                -- R-CLI-7: a deleted client's name is not stored again.
                first_name = CASE WHEN users.deleted_at IS NULL THEN excluded.first_name ELSE users.first_name END,
                language = CASE WHEN users.language_chosen THEN users.language ELSE excluded.language END,
                updated_at = excluded.updated_at
             RETURNING {COLUMNS}"
        );
        let row: UserRow = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(telegram_id)
            .bind(first_name)
            .bind(telegram_lang.code())
            .bind(now)
            .fetch_one(p)
            .await?);
        row.try_into()
    }

    pub async fn get(&self, telegram_id: i64) -> StoreResult<Option<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE telegram_id = $1");
        let row: Option<UserRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(telegram_id)
            .fetch_optional(p)
            .await?);
        row.map(User::try_from).transpose()
    }

    /// The user's own choice of language; Telegram's language_code is ignored from now on.
    pub async fn set_language(&self, telegram_id: i64, lang: Lang, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE users SET language = $2, language_chosen = TRUE, updated_at = $3 WHERE telegram_id = $1"
        )
        .bind(telegram_id)
        .bind(lang.code())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn set_time_zone(&self, telegram_id: i64, tz: Tz, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE users SET time_zone = $2, updated_at = $3 WHERE telegram_id = $1"
        )
        .bind(telegram_id)
        .bind(tz.name())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Stores the role resolved now; returns the previous one when it changed.
    pub async fn update_role(&self, telegram_id: i64, role: Role, now: DateTime<Utc>) -> StoreResult<Option<Role>> {
        let Some(current) = self.get(telegram_id).await?.map(|u| u.role) else {
            return Ok(None);
        };
        if current == role {
            return Ok(None);
        }
        db_run!(self.0, |p| sqlx::query(
            "UPDATE users SET role = $2, updated_at = $3 WHERE telegram_id = $1"
        )
        .bind(telegram_id)
        .bind(role.as_str())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(Some(current))
    }
}
