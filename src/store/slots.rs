//! Open times in therapists' calendars. The database refuses overlapping open slots of one
//! therapist (an exclusion constraint on PostgreSQL, a trigger on SQLite) and keeps the seat
//! counter (`booked`) within the capacity.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::db_run;

/// What a slot is for: the domain's session kinds (R-SES-1, R-GRP-3).
pub use crate::domain::SessionKind as SlotKind;

#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub id: i64,
    pub therapist_id: i64,
    pub kind: SlotKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    pub booked: i32,
    pub open: bool,
}

impl Slot {
    pub fn free_seats(&self) -> i32 {
        if self.open {
            (self.capacity - self.booked).max(0)
        } else {
            0
        }
    }
}

/// A slot to open.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSlot {
    pub therapist_id: i64,
    pub kind: SlotKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
}

#[derive(FromRow)]
pub(super) struct Row {
    id: i64,
    therapist_id: i64,
    kind: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: i32,
    booked: i32,
    status: String,
}

impl TryFrom<Row> for Slot {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(Slot {
            id: r.id,
            therapist_id: r.therapist_id,
            kind: parse_col(&r.kind, "slots.kind")?,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            capacity: r.capacity,
            booked: r.booked,
            open: r.status == "open",
        })
    }
}

pub(super) const COLUMNS: &str = "id, therapist_id, kind, starts_at, ends_at, capacity, booked, status";

/// Slots repository.
#[derive(Debug, Clone)]
pub struct Slots<'a>(pub &'a Db);

impl Slots<'_> {
    /// Opens a slot; `SlotOverlap` when it overlaps another open slot of the therapist.
    pub async fn create(&self, s: &NewSlot, now: DateTime<Utc>) -> StoreResult<i64> {
        let res: Result<(i64,), sqlx::Error> = db_run!(self.0, |p| sqlx::query_as(
            "INSERT INTO slots (therapist_id, kind, starts_at, ends_at, capacity, booked, status, created_at)
             VALUES ($1, $2, $3, $4, $5, 0, 'open', $6) RETURNING id"
        )
        .bind(s.therapist_id)
        .bind(s.kind.as_str())
        .bind(s.starts_at)
        .bind(s.ends_at)
        .bind(s.capacity)
        .bind(now)
        .fetch_one(p)
        .await);
        res.map(|(id,)| id).map_err(classify)
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<Slot>> {
        let sql = format!("SELECT {COLUMNS} FROM slots WHERE id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(Slot::try_from).transpose()
    }

    /// A therapist's slots that start in `[from, to)`, in time order.
    pub async fn of_therapist(
        &self,
        therapist_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Slot>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM slots WHERE therapist_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at"
        );
        let rows: Vec<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Slot::try_from).collect()
    }

    /// Closes a free slot of this therapist. A slot with live bookings cannot be closed
    /// (`Conflict`): it is cancelled through its bookings. Nor can a meeting of a published
    /// group program (`Conflict`): its schedule was published to clients (R-GRP-2).
    pub async fn close_free(&self, therapist_id: i64, slot_id: i64) -> StoreResult<()> {
        let n = db_run!(self.0, |p| {
            sqlx::query(
            "UPDATE slots SET status = 'closed' WHERE id = $1 AND therapist_id = $2 AND status = 'open' AND booked = 0
               AND NOT EXISTS (SELECT 1 FROM group_programs g WHERE g.id = slots.program_id AND g.status = 'published')"
        )
        .bind(slot_id)
        .bind(therapist_id)
        .execute(p)
        .await?
        .rows_affected()
        });
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }
}
