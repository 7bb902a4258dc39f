//! R-CAN-3 from the admin side: force-majeure cases filed by therapists (a document for a late
//! cancellation), decided once by an admin: accepted (the free-session debt is cancelled) or
//! refused (the debt stays); audited, the therapist told in the same transaction.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::payouts::audit_in;
use super::{Db, StoreResult};
use crate::{db_run, tx_run};

/// A case with what its card shows.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Case {
    pub id: i64,
    pub booking_id: i64,
    pub therapist_id: i64,
    pub therapist_name: String,
    pub therapist_telegram_id: Option<i64>,
    pub client_name: String,
    pub starts_at: DateTime<Utc>,
    pub document_file_id: String,
    pub status: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT f.id, f.booking_id, f.therapist_id, t.full_name AS therapist_name,
        t.telegram_id AS therapist_telegram_id, u.first_name AS client_name, s.starts_at,
        f.document_file_id, f.status, f.decided_by_name, f.decided_at
     FROM force_majeure_cases f
     JOIN therapists t ON t.id = f.therapist_id
     JOIN bookings b ON b.id = f.booking_id
     JOIN slots s ON s.id = b.slot_id
     JOIN users u ON u.telegram_id = b.client_id";

#[derive(Debug, Clone)]
pub struct ForceMajeure<'a>(pub &'a Db);

impl ForceMajeure<'_> {
    /// The cases waiting for a decision, oldest first.
    pub async fn pending(&self) -> StoreResult<Vec<Case>> {
        let sql = format!("{SELECT} WHERE f.status = 'pending' ORDER BY f.id LIMIT 50");
        Ok(db_run!(self.0, |p| sqlx::query_as(&sql).fetch_all(p).await?))
    }

    /// The pending cases of one cancelled session (just filed).
    pub async fn pending_for_slot(&self, slot_id: i64) -> StoreResult<Vec<Case>> {
        let sql = format!("{SELECT} WHERE f.status = 'pending' AND s.id = $1 ORDER BY f.id");
        Ok(db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(slot_id)
            .fetch_all(p)
            .await?))
    }

    pub async fn get(&self, id: i64) -> StoreResult<Option<Case>> {
        let sql = format!("{SELECT} WHERE f.id = $1");
        Ok(db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(p)
            .await?))
    }

    /// Accepts or refuses a pending case, once. `Err(case)` when it was already decided (the
    /// case says by whom and when).
    pub async fn decide(
        &self,
        id: i64,
        accept: bool,
        admin_id: i64,
        admin_name: &str,
        notice: Option<&OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<(), Option<Case>>> {
        let status = if accept { "accepted" } else { "rejected" };
        let mut tx = self.0.begin().await?;
        let row: Option<(i64, i64)> = tx_run!(&mut tx, |c| sqlx::query_as(
            "UPDATE force_majeure_cases SET status = $2, decided_by = $3, decided_by_name = $4, decided_at = $5,
                    updated_at = $5
             WHERE id = $1 AND status = 'pending' RETURNING booking_id, therapist_id"
        )
        .bind(id)
        .bind(status)
        .bind(admin_id)
        .bind(admin_name)
        .bind(now)
        .fetch_optional(c)
        .await?);
        let Some((booking_id, therapist_id)) = row else {
            drop(tx);
            return Ok(Err(self.get(id).await?));
        };
        if accept {
            // R-CAN-3: force majeure proven, so the therapist owes the client no free session.
            tx_run!(&mut tx, |c| sqlx::query(
                "UPDATE booking_cancellations SET therapist_owes_free_session = $2 WHERE booking_id = $1"
            )
            .bind(booking_id)
            .bind(false)
            .execute(c)
            .await?
            .rows_affected());
        }
        let action = if accept {
            "force_majeure_accept"
        } else {
            "force_majeure_refuse"
        };
        for subject in [format!("booking:{booking_id}"), format!("therapist:{therapist_id}")] {
            audit_in(&mut tx, admin_id, action, &subject, None, now).await?;
        }
        if let Some(m) = notice {
            Outbox::enqueue_in(&mut tx, m, now).await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }
}
