//! Group programs (R-GRP-1..4): written by a therapist as a draft, submitted for publication,
//! published by the admins. The database keeps capacity in 5..12, the price non-negative,
//! meetings of 90 minutes, the status one of the known values, and no submission without a
//! presentation.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::payouts::audit_in;
use super::slots::Slot;
use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::domain::Money;
use crate::{db_run, tx_run};

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
    /// The admins' comments when they returned it (R-GRP-2).
    pub return_comment: Option<String>,
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
    return_comment: Option<String>,
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
            return_comment: r.return_comment,
        })
    }
}

pub(super) const COLUMNS: &str =
    "id, therapist_id, title, description, approach, topic, meetings, meeting_minutes, weekday,
    local_time, capacity, price_kopecks, presentation_file_id, status, return_comment";

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

    /// R-GRP-2: an admin publishes a submitted program, in one transaction: the status moves
    /// (only from `submitted`), the program's meetings (`meetings`, made by
    /// [`crate::domain::program_meetings`]) become its group slots (capacity = the program's;
    /// a free group slot of the therapist at exactly that time and not yet a program's is
    /// taken over instead of a new one), the action is audited and the therapist's `notice`
    /// enqueued. Nothing changes when a meeting overlaps another open slot of the therapist
    /// ([`Publication::InTheWay`] names it) or the program was decided meanwhile
    /// ([`Publication::Decided`]).
    pub async fn publish(
        &self,
        id: i64,
        admin_id: i64,
        meetings: &[(DateTime<Utc>, DateTime<Utc>)],
        notice: Option<&OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Publication> {
        let Some(program) = self.get(id).await? else {
            return Err(StoreError::NotFound);
        };
        let mut tx = self.0.begin().await?;
        let n = tx_run!(&mut tx, |c| sqlx::query(
            "UPDATE group_programs SET status = 'published', updated_at = $2, reviewed_by = $3, reviewed_at = $2,
                    return_comment = NULL
             WHERE id = $1 AND status = 'submitted'"
        )
        .bind(id)
        .bind(now)
        .bind(admin_id)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        if n != 1 {
            drop(tx);
            let status = self.get(id).await?.map(|p| p.status).ok_or(StoreError::NotFound)?;
            return Ok(Publication::Decided(status));
        }
        let mut slot_ids = Vec::with_capacity(meetings.len());
        for &(starts_at, ends_at) in meetings {
            let adopted: Option<(i64,)> = tx_run!(&mut tx, |c| sqlx::query_as(
                "UPDATE slots SET program_id = $2, capacity = $3
                 WHERE id = (SELECT id FROM slots WHERE therapist_id = $1 AND kind = 'group' AND status = 'open'
                               AND program_id IS NULL AND booked = 0 AND starts_at = $4 AND ends_at = $5 LIMIT 1)
                 RETURNING id"
            )
            .bind(program.therapist_id)
            .bind(id)
            .bind(program.fields.capacity)
            .bind(starts_at)
            .bind(ends_at)
            .fetch_optional(c)
            .await
            .map_err(classify)?);
            if let Some((sid,)) = adopted {
                slot_ids.push(sid);
                continue;
            }
            let inserted: Result<(i64,), StoreError> = tx_run!(&mut tx, |c| {
                sqlx::query_as(
                "INSERT INTO slots (therapist_id, kind, starts_at, ends_at, capacity, booked, status, created_at, program_id)
                 VALUES ($1, 'group', $2, $3, $4, 0, 'open', $5, $6) RETURNING id"
            )
            .bind(program.therapist_id)
            .bind(starts_at)
            .bind(ends_at)
            .bind(program.fields.capacity)
            .bind(now)
            .bind(id)
            .fetch_one(c)
            .await
            .map_err(classify)
            });
            match inserted {
                Ok((sid,)) => slot_ids.push(sid),
                Err(StoreError::SlotOverlap) => {
                    drop(tx);
                    let in_the_way = super::slots::Slots(self.0)
                        .first_open_overlapping(program.therapist_id, starts_at, ends_at)
                        .await?;
                    return Ok(Publication::InTheWay {
                        meeting: (starts_at, ends_at),
                        slot: in_the_way,
                    });
                }
                Err(e) => return Err(e),
            }
        }
        audit_in(
            &mut tx,
            admin_id,
            "program_publish",
            &format!("program:{id}"),
            None,
            now,
        )
        .await?;
        if let Some(m) = notice {
            Outbox::enqueue_in(&mut tx, &m.clone().dedupe(format!("program:{id}:published")), now).await?;
        }
        tx.commit().await?;
        Ok(Publication::Published { slot_ids })
    }

    /// R-GRP-2: an admin returns a submitted program with comments for the therapist (stored,
    /// audited, the therapist's `notice` enqueued in the same transaction). `Conflict` when it
    /// is not submitted any more.
    pub async fn return_with_comment(
        &self,
        id: i64,
        admin_id: i64,
        comment: &str,
        notice: Option<&OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.0.begin().await?;
        let n = tx_run!(&mut tx, |c| sqlx::query(
            "UPDATE group_programs SET status = 'returned', updated_at = $2, reviewed_by = $3, reviewed_at = $2,
                    return_comment = $4
             WHERE id = $1 AND status = 'submitted'"
        )
        .bind(id)
        .bind(now)
        .bind(admin_id)
        .bind(comment)
        .execute(c)
        .await
        .map_err(classify)?
        .rows_affected());
        if n != 1 {
            return Err(StoreError::Conflict);
        }
        audit_in(
            &mut tx,
            admin_id,
            "program_return",
            &format!("program:{id}"),
            Some(comment),
            now,
        )
        .await?;
        if let Some(m) = notice {
            let key = format!("program:{id}:returned:{}", now.timestamp());
            Outbox::enqueue_in(&mut tx, &m.clone().dedupe(key), now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The meetings of a program (its group slots), open ones, in time order from `from`.
    pub async fn meetings(&self, id: i64, from: DateTime<Utc>) -> StoreResult<Vec<Slot>> {
        let sql = format!(
            "SELECT {} FROM slots WHERE program_id = $1 AND status = 'open' AND starts_at >= $2 ORDER BY starts_at",
            super::slots::COLUMNS
        );
        let rows: Vec<super::slots::Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(id)
            .bind(from)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Slot::try_from).collect()
    }

    /// Programs submitted for publication and not yet decided, oldest submission first, with
    /// their therapist's name (the admins' `/queue`, R-GRP-2). While a program is submitted
    /// nothing else changes it, so its `updated_at` is the submission time.
    pub async fn submitted(&self) -> StoreResult<Vec<SubmittedProgram>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT g.id, g.title, t.full_name AS therapist_name, g.updated_at AS submitted_at
             FROM group_programs g JOIN therapists t ON t.id = g.therapist_id
             WHERE g.status = 'submitted' ORDER BY g.updated_at, g.id"
        )
        .fetch_all(p)
        .await?))
    }

    /// The therapist's meetings of published programs that start in `[from, to)`: slot id ->
    /// (program id, title), for the calendar's week (R-GRP-2).
    pub async fn meeting_titles(
        &self,
        therapist_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<HashMap<i64, (i64, String)>> {
        let rows: Vec<(i64, i64, String)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT s.id, g.id, g.title FROM slots s JOIN group_programs g ON g.id = s.program_id
             WHERE s.therapist_id = $1 AND g.status = 'published' AND s.starts_at >= $2 AND s.starts_at < $3"
        )
        .bind(therapist_id)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(|(s, g, t)| (s, (g, t))).collect())
    }

    /// The program a slot is a meeting of, if any.
    pub async fn of_slot(&self, slot_id: i64) -> StoreResult<Option<i64>> {
        let row: Option<(Option<i64>,)> =
            db_run!(self.0, |p| sqlx::query_as("SELECT program_id FROM slots WHERE id = $1")
                .bind(slot_id)
                .fetch_optional(p)
                .await?);
        Ok(row.and_then(|(p,)| p))
    }
}

/// A program waiting for publication, for the admins' `/queue`.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct SubmittedProgram {
    pub id: i64,
    pub title: String,
    pub therapist_name: String,
    pub submitted_at: DateTime<Utc>,
}

/// What [`Programs::publish`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Publication {
    /// Published, with the ids of its meetings.
    Published { slot_ids: Vec<i64> },
    /// Not published: this meeting overlaps the therapist's open `slot` (`None` when it was
    /// closed meanwhile).
    InTheWay {
        meeting: (DateTime<Utc>, DateTime<Utc>),
        slot: Option<Slot>,
    },
    /// Not published: the program is no longer submitted (decided by someone else).
    Decided(ProgramStatus),
}
