//! R-CLI-7: deleting what is kept about a client. Health data (consent, answers, test scores,
//! risk flags) is erased at once (`Intake::delete_health_data`). The account is anonymised when
//! the client has no upcoming live booking (they cancel those first, under the usual rules):
//! the name is blanked (and not stored again), their dialogue, price locks and the messages
//! to them are removed, their name is taken out of messages to others, their group program
//! enrolments are withdrawn, and the user is marked deleted. Bookings and payments stay for accounting (amounts, dates, payment ids) under the
//! Telegram id, with no name attached; therapists see "deleted client".

use chrono::{DateTime, Utc};

use super::{Db, StoreResult};
use crate::db_run;

/// What the anonymisation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erased {
    /// The account is anonymised.
    Done,
    /// Not anonymised: the client has this many upcoming bookings (awaiting payment or
    /// confirmed, not yet over). Nothing changed.
    Upcoming(i64),
}

const UPCOMING: &str = "SELECT COUNT(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
     WHERE b.client_id = $1 AND b.state IN ('awaiting_payment', 'confirmed') AND s.ends_at > $2";

/// The client's upcoming live bookings (they block the anonymisation).
pub async fn upcoming(db: &Db, client_id: i64, now: DateTime<Utc>) -> StoreResult<i64> {
    let (n,): (i64,) = db_run!(db, |p| sqlx::query_as(UPCOMING)
        .bind(client_id)
        .bind(now)
        .fetch_one(p)
        .await?);
    Ok(n)
}

/// Whether the user had their data deleted.
pub async fn is_deleted(db: &Db, telegram_id: i64) -> StoreResult<bool> {
    let row: Option<(Option<DateTime<Utc>>,)> = db_run!(db, |p| sqlx::query_as(
        "SELECT deleted_at FROM users WHERE telegram_id = $1"
    )
    .bind(telegram_id)
    .fetch_optional(p)
    .await?);
    Ok(row.and_then(|(d,)| d).is_some())
}

fn html_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Erases the health data and anonymises the account, in one transaction, unless the client
/// has an upcoming live booking (then nothing changes).
pub async fn anonymise(db: &Db, client_id: i64, now: DateTime<Utc>) -> StoreResult<Erased> {
    db_run!(db, |p| {
        let mut tx = p.begin().await?;
        let (n,): (i64,) = sqlx::query_as(UPCOMING)
            .bind(client_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 {
            return Ok(Erased::Upcoming(n));
        }
        let name: Option<(String,)> = sqlx::query_as("SELECT first_name FROM users WHERE telegram_id = $1")
            .bind(client_id)
            .fetch_optional(&mut *tx)
            .await?;
        for sql in [
            "DELETE FROM test_results WHERE client_id = $1",
            "DELETE FROM intake_answers WHERE client_id = $1",
            "DELETE FROM risk_flags WHERE client_id = $1",
            "DELETE FROM consents WHERE client_id = $1",
            "DELETE FROM price_locks WHERE client_id = $1",
            "DELETE FROM dialogues WHERE chat_id = $1",
            "DELETE FROM outbox WHERE chat_id = $1",
        ] {
            sqlx::query(sql).bind(client_id).execute(&mut *tx).await?;
        }
        // The name in messages to others (a therapist's "new booking"): a name of one letter
        // is left, as replacing it would garble the texts.
        if let Some((name,)) = name.filter(|(n,)| n.trim().chars().count() >= 2) {
            let mut forms = vec![name.clone()];
            let escaped = html_escaped(&name);
            if escaped != name {
                forms.push(escaped);
            }
            for form in forms {
                sqlx::query(
                    "UPDATE outbox SET text = REPLACE(text, $1, '—') WHERE chat_id <> $2 AND text LIKE '%' || $1 || '%'",
                )
                .bind(&form)
                .bind(client_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        // A deleted account takes part in no group program any more (R-GRP-3 decisions
        // included); the rows stay, withdrawn, with no name.
        sqlx::query("UPDATE program_enrolments SET status = 'withdrawn', updated_at = $2 WHERE client_id = $1 AND status <> 'withdrawn'")
            .bind(client_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET first_name = '', time_zone = NULL, deleted_at = $2, updated_at = $2 WHERE telegram_id = $1")
            .bind(client_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(Erased::Done)
}
