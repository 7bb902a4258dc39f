//! Admin look-ups: a client's bookings (for `/client`), newest session first.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Db, StoreResult};
use crate::db_run;

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ClientBooking {
    pub id: i64,
    pub state: String,
    pub starts_at: DateTime<Utc>,
    pub therapist: String,
}

/// At most the 20 latest sessions of a client.
pub async fn client_bookings(db: &Db, client_id: i64) -> StoreResult<Vec<ClientBooking>> {
    Ok(db_run!(db, |p| sqlx::query_as(
        "SELECT b.id, b.state, s.starts_at, t.full_name AS therapist
         FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN therapists t ON t.id = s.therapist_id
         WHERE b.client_id = $1 ORDER BY s.starts_at DESC, b.id DESC LIMIT 20"
    )
    .bind(client_id)
    .fetch_all(p)
    .await?))
}
