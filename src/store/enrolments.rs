//! Group program enrolment (R-GRP-2, R-GRP-3, R-SES-1): one live row per program and client.
//! Psychodynamic and existential programs: `awaiting_consultation` until the program's
//! therapist, after the free preliminary consultation, admits or declines; an admitted client
//! then enrols. Other programs: enrolled at once. The database refuses enrolment in an
//! unpublished program, an enrolment without admission where it is required, a decision by
//! another therapist, and a seat in a program's meeting for anyone not enrolled.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::{db_run, tx_run};

/// Where a client stands with a program, stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnrolmentStatus {
    /// Psychodynamic or existential program: the consultation and the therapist's decision
    /// are pending (R-GRP-3).
    AwaitingConsultation,
    /// The therapist admitted the client; they may enrol.
    Admitted,
    /// The therapist declined the client.
    Declined,
    /// Enrolled: may book the program's meetings.
    Enrolled,
    /// No longer live.
    Withdrawn,
}

impl EnrolmentStatus {
    pub const ALL: [EnrolmentStatus; 5] = [
        EnrolmentStatus::AwaitingConsultation,
        EnrolmentStatus::Admitted,
        EnrolmentStatus::Declined,
        EnrolmentStatus::Enrolled,
        EnrolmentStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::AwaitingConsultation => "awaiting_consultation",
            EnrolmentStatus::Admitted => "admitted",
            EnrolmentStatus::Declined => "declined",
            EnrolmentStatus::Enrolled => "enrolled",
            EnrolmentStatus::Withdrawn => "withdrawn",
        }
    }
}

impl std::str::FromStr for EnrolmentStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        EnrolmentStatus::ALL.into_iter().find(|v| v.as_str() == s).ok_or(())
    }
}

/// A stored enrolment.
#[derive(Debug, Clone, PartialEq)]
pub struct Enrolment {
    pub id: i64,
    pub program_id: i64,
    pub client_id: i64,
    pub status: EnrolmentStatus,
    /// The therapist who decided (R-GRP-3).
    pub decided_by: Option<i64>,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    program_id: i64,
    client_id: i64,
    status: String,
    decided_by: Option<i64>,
}

impl TryFrom<Row> for Enrolment {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(Enrolment {
            id: r.id,
            program_id: r.program_id,
            client_id: r.client_id,
            status: parse_col(&r.status, "program_enrolments.status")?,
            decided_by: r.decided_by,
        })
    }
}

const COLUMNS: &str = "id, program_id, client_id, status, decided_by";

/// A client waiting for the therapist's decision after the consultation (R-GRP-3).
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct AwaitingDecision {
    pub enrolment_id: i64,
    pub program_id: i64,
    pub client_id: i64,
    pub first_name: String,
}

/// The client's preliminary consultation with a therapist (R-GRP-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consultation {
    /// None booked.
    None,
    /// Booked (live) and not yet begun.
    Booked,
    /// Held (completed) or its start is past while confirmed.
    Done,
}

/// The database's refusals of an enrolment change, as `Conflict`.
fn refused(e: sqlx::Error) -> StoreError {
    match classify(e) {
        StoreError::Db(sqlx::Error::Database(d)) if d.message().contains("program_") => StoreError::Conflict,
        StoreError::Db(sqlx::Error::Database(d)) if d.is_unique_violation() => StoreError::Conflict,
        other => other,
    }
}

/// "Consultation done" in SQL, for client `$c`, therapist `$t` at `$now`.
const CONSULTATION_DONE: &str = "EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id
     WHERE b.client_id = {c} AND s.therapist_id = {t} AND s.kind = 'consultation'
       AND (b.state = 'completed' OR (b.state = 'confirmed' AND s.starts_at <= {now})))";

fn consultation_done(c: &str, t: &str, now: &str) -> String {
    CONSULTATION_DONE
        .replace("{c}", c)
        .replace("{t}", t)
        .replace("{now}", now)
}

/// Enrolments repository.
#[derive(Debug, Clone)]
pub struct Enrolments<'a>(pub &'a Db);

impl Enrolments<'_> {
    pub async fn get(&self, id: i64) -> StoreResult<Option<Enrolment>> {
        let sql = format!("SELECT {COLUMNS} FROM program_enrolments WHERE id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(Enrolment::try_from).transpose()
    }

    /// The client's live enrolment in a program, if any.
    pub async fn live(&self, program_id: i64, client_id: i64) -> StoreResult<Option<Enrolment>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM program_enrolments WHERE program_id = $1 AND client_id = $2 AND status <> 'withdrawn'"
        );
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(program_id)
            .bind(client_id)
            .fetch_optional(p)
            .await?);
        row.map(Enrolment::try_from).transpose()
    }

    /// The client asks to enrol (R-GRP-3): with no live row, one is made, `enrolled` or (when
    /// the program needs admission) `awaiting_consultation`; an admitted client becomes
    /// enrolled; any other live row is returned as it is. `Conflict` when the database refuses
    /// (the program is not published, admission required).
    pub async fn enrol(
        &self,
        program_id: i64,
        client_id: i64,
        needs_admission: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Enrolment> {
        if let Some(e) = self.live(program_id, client_id).await? {
            if e.status == EnrolmentStatus::Admitted {
                db_run!(self.0, |p| {
                    sqlx::query(
                    "UPDATE program_enrolments SET status = 'enrolled', updated_at = $2 WHERE id = $1 AND status = 'admitted'"
                )
                .bind(e.id)
                .bind(now)
                .execute(p)
                .await
                .map_err(refused)?
                .rows_affected()
                });
                return self.get(e.id).await?.ok_or(StoreError::NotFound);
            }
            return Ok(e);
        }
        let status = if needs_admission {
            EnrolmentStatus::AwaitingConsultation
        } else {
            EnrolmentStatus::Enrolled
        };
        let res: Result<(i64,), sqlx::Error> = db_run!(self.0, |p| sqlx::query_as(
            "INSERT INTO program_enrolments (program_id, client_id, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4) RETURNING id"
        )
        .bind(program_id)
        .bind(client_id)
        .bind(status.as_str())
        .bind(now)
        .fetch_one(p)
        .await);
        match res.map_err(refused) {
            Ok((id,)) => self.get(id).await?.ok_or(StoreError::NotFound),
            // Two taps at once: the other made the row.
            Err(StoreError::Conflict) => self.live(program_id, client_id).await?.ok_or(StoreError::Conflict),
            Err(e) => Err(e),
        }
    }

    /// R-GRP-3: the client asks to join a program that needs admission: a new
    /// `awaiting_consultation` row, with the therapist's `notice` (an admission request)
    /// enqueued in the same transaction; an existing live row is returned unchanged (no second
    /// notice). `Conflict` when the database refuses (the program is not published).
    pub async fn ask_admission(
        &self,
        program_id: i64,
        client_id: i64,
        notice: Option<&OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Enrolment> {
        if let Some(e) = self.live(program_id, client_id).await? {
            return Ok(e);
        }
        let mut tx = self.0.begin().await?;
        let res: Result<(i64,), StoreError> = tx_run!(&mut tx, |c| sqlx::query_as(
            "INSERT INTO program_enrolments (program_id, client_id, status, created_at, updated_at)
             VALUES ($1, $2, 'awaiting_consultation', $3, $3) RETURNING id"
        )
        .bind(program_id)
        .bind(client_id)
        .bind(now)
        .fetch_one(c)
        .await
        .map_err(refused));
        let id = match res {
            Ok((id,)) => id,
            Err(StoreError::Conflict) => {
                drop(tx);
                return self.live(program_id, client_id).await?.ok_or(StoreError::Conflict);
            }
            Err(e) => return Err(e),
        };
        if let Some(m) = notice {
            Outbox::enqueue_in(&mut tx, &m.clone().dedupe(format!("enrolment:{id}:requested")), now).await?;
        }
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound)
    }

    /// The program's therapist admits or declines a client after the consultation (R-GRP-3),
    /// only while the row awaits a decision, the program is this therapist's and the
    /// consultation is done (`Conflict` otherwise: nothing changes). The client's `notice` is
    /// enqueued in the same transaction.
    pub async fn decide(
        &self,
        enrolment_id: i64,
        therapist_id: i64,
        admit: bool,
        notice: Option<&OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Enrolment> {
        let to = if admit {
            EnrolmentStatus::Admitted
        } else {
            EnrolmentStatus::Declined
        };
        let sql = format!(
            "UPDATE program_enrolments SET status = $3, decided_by = $2, decided_at = $4, updated_at = $4
             WHERE id = $1 AND status = 'awaiting_consultation'
               AND program_id IN (SELECT id FROM group_programs WHERE therapist_id = $2 AND status = 'published')
               AND {}",
            consultation_done("program_enrolments.client_id", "$2", "$4")
        );
        let mut tx = self.0.begin().await?;
        let n = tx_run!(&mut tx, |c| sqlx::query(&sql)
            .bind(enrolment_id)
            .bind(therapist_id)
            .bind(to.as_str())
            .bind(now)
            .execute(c)
            .await
            .map_err(refused)?
            .rows_affected());
        if n != 1 {
            return Err(StoreError::Conflict);
        }
        if let Some(m) = notice {
            Outbox::enqueue_in(
                &mut tx,
                &m.clone().dedupe(format!("enrolment:{enrolment_id}:decided")),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.get(enrolment_id).await?.ok_or(StoreError::NotFound)
    }

    /// The client leaves a program (issue 6 follow-up; R-GRP-3): their live row (awaiting the
    /// consultation, admitted or enrolled; not declined) becomes `withdrawn`, with the
    /// therapist's `notice` enqueued in the same transaction. From then on the database refuses
    /// the client a seat in the program's meetings. A later enrolment starts a new row: in a
    /// psychodynamic or existential program it waits for a new admission (the consultation
    /// already held still counts). `Conflict` when there is no such live row (nothing changes).
    pub async fn withdraw(
        &self,
        program_id: i64,
        client_id: i64,
        notice: Option<&OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Enrolment> {
        let mut tx = self.0.begin().await?;
        let row: Option<(i64,)> = tx_run!(&mut tx, |c| sqlx::query_as(
            "UPDATE program_enrolments SET status = 'withdrawn', updated_at = $3
             WHERE program_id = $1 AND client_id = $2 AND status IN ('awaiting_consultation', 'admitted', 'enrolled')
             RETURNING id"
        )
        .bind(program_id)
        .bind(client_id)
        .bind(now)
        .fetch_optional(c)
        .await
        .map_err(refused)?);
        let Some((id,)) = row else {
            return Err(StoreError::Conflict);
        };
        if let Some(m) = notice {
            Outbox::enqueue_in(&mut tx, &m.clone().dedupe(format!("enrolment:{id}:withdrawn")), now).await?;
        }
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound)
    }

    /// The clients of this therapist's published programs whose consultation is done and who
    /// await the decision (R-GRP-3), oldest request first.
    pub async fn awaiting_decision(&self, therapist_id: i64, now: DateTime<Utc>) -> StoreResult<Vec<AwaitingDecision>> {
        let sql = format!(
            "SELECT e.id AS enrolment_id, e.program_id, e.client_id, u.first_name
             FROM program_enrolments e JOIN group_programs g ON g.id = e.program_id
             JOIN users u ON u.telegram_id = e.client_id
             WHERE g.therapist_id = $1 AND g.status = 'published' AND e.status = 'awaiting_consultation'
               AND {}
             ORDER BY e.id",
            consultation_done("e.client_id", "$1", "$2")
        );
        Ok(db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(now)
            .fetch_all(p)
            .await?))
    }

    /// Enrolled clients per program of this therapist.
    pub async fn enrolled_counts(&self, therapist_id: i64) -> StoreResult<HashMap<i64, i64>> {
        let rows: Vec<(i64, i64)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT e.program_id, COUNT(*) FROM program_enrolments e JOIN group_programs g ON g.id = e.program_id
             WHERE g.therapist_id = $1 AND e.status = 'enrolled' GROUP BY e.program_id"
        )
        .bind(therapist_id)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().collect())
    }

    /// The client's preliminary consultation with the therapist at `now` (R-GRP-3).
    pub async fn consultation(
        &self,
        client_id: i64,
        therapist_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Consultation> {
        let sql = format!(
            "SELECT CASE WHEN {} THEN 2
                 WHEN EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id
                      WHERE b.client_id = $1 AND s.therapist_id = $2 AND s.kind = 'consultation'
                        AND b.state IN ('awaiting_payment', 'confirmed')) THEN 1
                 ELSE 0 END",
            consultation_done("$1", "$2", "$3")
        );
        let (n,): (i32,) = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(client_id)
            .bind(therapist_id)
            .bind(now)
            .fetch_one(p)
            .await?);
        Ok(match n {
            2 => Consultation::Done,
            1 => Consultation::Booked,
            _ => Consultation::None,
        })
    }
}
