//! A client's intake (R-CLI-1..3, R-CLI-7): consent to process health data, questionnaire
//! answers (in progress or complete, with the questionnaire version), PHQ-9/GAD-7 results and
//! risk flags. Nothing here is stored without consent (the bot checks `has_consent` first),
//! and `delete_health_data` erases all of it at once.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::{parse_col, Db, StoreError, StoreResult};
use crate::catalog::questionnaire::QuizProgress;
use crate::domain::{SeverityBand, TestKind, TestResult};
use crate::{db_run, tx_run};

/// The intake of one client as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeRecord {
    pub version: u32,
    pub progress: QuizProgress,
    pub completed_at: Option<DateTime<Utc>>,
    pub risk: bool,
}

/// A stored test result.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTest {
    pub kind: TestKind,
    pub total: u8,
    pub band: SeverityBand,
    pub risk: bool,
    pub taken_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct IntakeRow {
    version: i32,
    progress: String,
    completed_at: Option<DateTime<Utc>>,
    risk: bool,
}

#[derive(FromRow)]
struct TestRow {
    kind: String,
    total: i32,
    band: String,
    risk: bool,
    taken_at: DateTime<Utc>,
}

/// Intake repository.
#[derive(Debug, Clone)]
pub struct Intake<'a>(pub &'a Db);

impl Intake<'_> {
    /// Records consent to process health data (version and time, R-CLI-1).
    pub async fn give_consent(&self, client_id: i64, version: u32, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| {
            sqlx::query(
            "INSERT INTO consents (client_id, document, version, accepted_at) VALUES ($1, 'health_data', $2, $3)
             ON CONFLICT (client_id, document) DO UPDATE SET version = excluded.version, accepted_at = excluded.accepted_at"
        )
        .bind(client_id)
        .bind(version as i32)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected()
        });
        Ok(())
    }

    /// The consent's version and time, if given.
    pub async fn consent(&self, client_id: i64) -> StoreResult<Option<(u32, DateTime<Utc>)>> {
        let row: Option<(i32, DateTime<Utc>)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT version, accepted_at FROM consents WHERE client_id = $1 AND document = 'health_data'"
        )
        .bind(client_id)
        .fetch_optional(p)
        .await?);
        Ok(row.map(|(v, at)| (u32::try_from(v).unwrap_or(0), at)))
    }

    /// Saves the questionnaire as it stands (after every answer, so the client can resume).
    pub async fn save_progress(
        &self,
        client_id: i64,
        progress: &QuizProgress,
        completed: Option<DateTime<Utc>>,
        risk: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let json = serde_json::to_string(progress).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        db_run!(self.0, |p| sqlx::query(
            "INSERT INTO intake_answers (client_id, version, progress, completed_at, risk, updated_at)
             SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS
                 (SELECT 1 FROM consents WHERE client_id = $1 AND document = 'health_data')
             ON CONFLICT (client_id) DO UPDATE SET version = excluded.version, progress = excluded.progress,
                 completed_at = excluded.completed_at, risk = excluded.risk, updated_at = excluded.updated_at"
        )
        .bind(client_id)
        .bind(progress.version as i32)
        .bind(json)
        .bind(completed)
        .bind(risk)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn get(&self, client_id: i64) -> StoreResult<Option<IntakeRecord>> {
        let row: Option<IntakeRow> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT version, progress, completed_at, risk FROM intake_answers WHERE client_id = $1"
        )
        .bind(client_id)
        .fetch_optional(p)
        .await?);
        let Some(r) = row else { return Ok(None) };
        let progress: QuizProgress = serde_json::from_str(&r.progress)
            .map_err(|e| StoreError::Corrupt(format!("intake_answers.progress: {e}")))?;
        Ok(Some(IntakeRecord {
            version: u32::try_from(r.version).unwrap_or(0),
            progress,
            completed_at: r.completed_at,
            risk: r.risk,
        }))
    }

    /// Stores a test result (only with consent; without it nothing is written).
    pub async fn save_test(
        &self,
        client_id: i64,
        result: &TestResult,
        answers: &[u8],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let answers = serde_json::to_string(answers).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let n = db_run!(self.0, |p| sqlx::query(
            "INSERT INTO test_results (client_id, kind, answers, total, band, risk, taken_at)
             SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS
                 (SELECT 1 FROM consents WHERE client_id = $1 AND document = 'health_data')"
        )
        .bind(client_id)
        .bind(result.kind.as_str())
        .bind(answers)
        .bind(i32::from(result.total))
        .bind(result.band.as_str())
        .bind(result.risk)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// The client's test results, newest first.
    pub async fn tests(&self, client_id: i64) -> StoreResult<Vec<StoredTest>> {
        let rows: Vec<TestRow> = db_run!(self.0, |p| {
            sqlx::query_as(
            "SELECT kind, total, band, risk, taken_at FROM test_results WHERE client_id = $1 ORDER BY taken_at DESC, id DESC"
        )
        .bind(client_id)
        .fetch_all(p)
        .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(StoredTest {
                    kind: parse_col(&r.kind, "test_results.kind")?,
                    total: u8::try_from(r.total).map_err(|_| StoreError::Corrupt("test_results.total".into()))?,
                    band: parse_col(&r.band, "test_results.band")?,
                    risk: r.risk,
                    taken_at: r.taken_at,
                })
            })
            .collect()
    }

    /// Records a risk signal and, in the same transaction, the notice to the admins.
    pub async fn flag_risk(
        &self,
        client_id: i64,
        source: &str,
        notice: &OutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.0.begin().await?;
        tx_run!(&mut tx, |c| sqlx::query(
            "INSERT INTO risk_flags (client_id, source, flagged_at) VALUES ($1, $2, $3)"
        )
        .bind(client_id)
        .bind(source)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
        Outbox::enqueue_in(&mut tx, notice, now).await?;
        tx.commit().await
    }

    /// Erases every piece of health data of the client in one transaction (R-CLI-7):
    /// consent, answers, test results, risk flags. Returns how many rows went.
    pub async fn delete_health_data(&self, client_id: i64) -> StoreResult<u64> {
        let mut deleted = 0;
        db_run!(self.0, |p| {
            let mut tx = p.begin().await?;
            for sql in [
                "DELETE FROM test_results WHERE client_id = $1",
                "DELETE FROM intake_answers WHERE client_id = $1",
                "DELETE FROM risk_flags WHERE client_id = $1",
                "DELETE FROM consents WHERE client_id = $1",
            ] {
                deleted += sqlx::query(sql)
                    .bind(client_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(deleted)
    }
}
