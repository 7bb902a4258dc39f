//! Group programs (R-GRP-1..4): written by a therapist as a draft, submitted for publication,
//! published by the admins. The database keeps capacity in 5..12, the price non-negative,
//! meetings of 90 minutes, the status one of the known values, and no submission without a
//! presentation.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::db_run;
use crate::domain::Money;

/// Where a group program stands (R-GRP-2), stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgramStatus {
    /// Being written by the therapist.
    Draft,
    /// Sent to the admins for publication.
    Submitted,
    /// Returned by the admins for changes.
    Returned,
    /// Published: enrolment open.
    Published,
    /// No longer offered.
    Archived,
}

impl ProgramStatus {
    pub const ALL: [ProgramStatus; 5] = [
        ProgramStatus::Draft,
        ProgramStatus::Submitted,
        ProgramStatus::Returned,
        ProgramStatus::Published,
        ProgramStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProgramStatus::Draft => "draft",
            ProgramStatus::Submitted => "submitted",
            ProgramStatus::Returned => "returned",
            ProgramStatus::Published => "published",
            ProgramStatus::Archived => "archived",
        }
    }
}

impl std::str::FromStr for ProgramStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ProgramStatus::ALL.into_iter().find(|v| v.as_str() == s).ok_or(())
    }
}

/// A stored program.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub id: i64,
    pub therapist_id: i64,
    pub fields: NewProgram,
    pub presentation_file_id: Option<String>,
    pub status: ProgramStatus,
}

/// What the therapist wrote (R-GRP-1).
#[derive(Debug, Clone, PartialEq)]
pub struct NewProgram {
    pub title: String,
    pub description: String,
    /// An approach id of the catalogue (`psychodynamic`, `existential`, `cbt`, ...).
    pub approach: String,
    pub topic: String,
    pub meetings: i32,
    pub meeting_minutes: i32,
    /// ISO weekday, 1 = Monday.
    pub weekday: i32,
    /// "HH:MM" in the therapist's zone.
    pub local_time: String,
    pub capacity: i32,
    pub price: Money,
}

#[derive(FromRow)]
pub(super) struct Row {
    id: i64,
    therapist_id: i64,
    title: String,
    description: String,
    approach: String,
    topic: String,
    meetings: i32,
    meeting_minutes: i32,
    weekday: i32,
    local_time: String,
    capacity: i32,
    price_kopecks: i64,
    presentation_file_id: Option<String>,
    status: String,
}

impl TryFrom<Row> for Program {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(Program {
            id: r.id,
            therapist_id: r.therapist_id,
            fields: NewProgram {
                title: r.title,
                description: r.description,
                approach: r.approach,
                topic: r.topic,
                meetings: r.meetings,
                meeting_minutes: r.meeting_minutes,
                weekday: r.weekday,
                local_time: r.local_time,
                capacity: r.capacity,
                price: Money::from_kopecks(r.price_kopecks)
                    .map_err(|_| StoreError::Corrupt(format!("group_programs.price_kopecks = {}", r.price_kopecks)))?,
            },
            presentation_file_id: r.presentation_file_id,
            status: parse_col(&r.status, "group_programs.status")?,
        })
    }
}

pub(super) const COLUMNS: &str =
    "id, therapist_id, title, description, approach, topic, meetings, meeting_minutes, weekday,
    local_time, capacity, price_kopecks, presentation_file_id, status";

/// Group programs repository.
#[derive(Debug, Clone)]
pub struct Programs<'a>(pub &'a Db);

impl Programs<'_> {
    /// Stores a draft; the database refuses values out of range (`Db` error).
    pub async fn create(&self, therapist_id: i64, p: &NewProgram, now: DateTime<Utc>) -> StoreResult<i64> {
        const SQL: &str = "INSERT INTO group_programs (therapist_id, title, description, approach, topic, meetings,
                meeting_minutes, weekday, local_time, capacity, price_kopecks, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $12) RETURNING id";
        let res: Result<(i64,), sqlx::Error> = db_run!(self.0, |pool| sqlx::query_as(SQL)
            .bind(therapist_id)
            .bind(&p.title)
            .bind(&p.description)
            .bind(&p.approach)
            .bind(&p.topic)
            .bind(p.meetings)
            .bind(p.meeting_minutes)
            .bind(p.weekday)
            .bind(&p.local_time)
            .bind(p.capacity)
            .bind(p.price.kopecks())
            .bind(now)
            .fetch_one(pool)
            .await);
        res.map(|(id,)| id).map_err(classify)
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<Program>> {
        let sql = format!("SELECT {COLUMNS} FROM group_programs WHERE id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(Program::try_from).transpose()
    }

    /// The therapist's programs, newest first.
    pub async fn of_therapist(&self, therapist_id: i64) -> StoreResult<Vec<Program>> {
        let sql = format!("SELECT {COLUMNS} FROM group_programs WHERE therapist_id = $1 ORDER BY id DESC");
        let rows: Vec<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(therapist_id).fetch_all(p).await?);
        rows.into_iter().map(Program::try_from).collect()
    }

    /// Attaches (or replaces) the presentation of the therapist's program while it is a draft
    /// or returned; `Conflict` otherwise (another therapist's program, already submitted).
    pub async fn attach_presentation(
        &self,
        id: i64,
        therapist_id: i64,
        file_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = db_run!(self.0, |p| sqlx::query(
            "UPDATE group_programs SET presentation_file_id = $3, updated_at = $4
             WHERE id = $1 AND therapist_id = $2 AND status IN ('draft', 'returned')"
        )
        .bind(id)
        .bind(therapist_id)
        .bind(file_id)
        .bind(now)
        .execute(p)
        .await
        .map_err(classify)?
        .rows_affected());
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    /// Submits the therapist's draft (or returned) program for publication (R-GRP-2); only
    /// with a presentation. `Conflict` when it is not this therapist's, has no presentation or
    /// was submitted already.
    pub async fn submit(&self, id: i64, therapist_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let n = db_run!(self.0, |p| sqlx::query(
            "UPDATE group_programs SET status = 'submitted', updated_at = $3
             WHERE id = $1 AND therapist_id = $2 AND status IN ('draft', 'returned')
               AND presentation_file_id IS NOT NULL"
        )
        .bind(id)
        .bind(therapist_id)
        .bind(now)
        .execute(p)
        .await
        .map_err(classify)?
        .rows_affected());
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    /// The admins' decision on a submitted program (R-GRP-2): published or returned for
    /// changes; only while it is still submitted (`Conflict` otherwise: decided already).
    pub async fn review(&self, id: i64, publish: bool, now: DateTime<Utc>) -> StoreResult<ProgramStatus> {
        let to = if publish {
            ProgramStatus::Published
        } else {
            ProgramStatus::Returned
        };
        let n = db_run!(self.0, |p| sqlx::query(
            "UPDATE group_programs SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'submitted'"
        )
        .bind(id)
        .bind(to.as_str())
        .bind(now)
        .execute(p)
        .await
        .map_err(classify)?
        .rows_affected());
        if n == 1 {
            Ok(to)
        } else {
            Err(StoreError::Conflict)
        }
    }
}
