//! R-CAN-2, R-CAN-3: money a cancellation decided to give back (a hold released, captured money
//! refunded) whose provider call failed is retried here with back-off: 1, 2, 4 ... minutes, at
//! most an hour apart. Each attempt reuses the operation's idempotence key (an unfinished
//! operation of the same kind and amount keeps its key, `Payments::operation_key`), so a retry
//! of a call that did reach the provider never returns the money twice. After
//! [`TELL_ADMINS_AFTER`] failures the admins are told once, through the outbox; the retries go on.

use chrono::{DateTime, Duration, Utc};

use crate::bot::AppState;
use crate::store::money_returns;
use crate::store::outbox::{Outbox, OutboxMessage};
use crate::store::payments::Payments;
use crate::store::StoreResult;
use crate::tr;

/// Failures after which the admins are told (once).
pub const TELL_ADMINS_AFTER: i32 = 5;
/// The cancelling handler calls the provider itself right after the cancellation; the job
/// leaves a return alone for this long after the decision.
pub const GRACE: Duration = Duration::minutes(1);
/// How long one attempt may take before another worker may try again.
const LEASE: Duration = Duration::minutes(5);

/// The wait after the `failures`-th failure: 1 minute doubled each time, at most an hour.
pub fn backoff(failures: i32) -> Duration {
    let exp = failures.clamp(1, 7) - 1;
    Duration::minutes(1 << exp).min(Duration::hours(1))
}

/// One pass: every owed return that is due is tried once. Returns how many went back.
pub async fn retry_due(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut done = 0;
    for owed in money_returns::owed(&app.db, now, now - GRACE).await? {
        if !money_returns::claim(&app.db, owed.booking_id, now, now + LEASE).await? {
            continue;
        }
        let Some(record) = Payments(&app.db).get(owed.payment_id).await? else {
            continue;
        };
        match app.payments.return_money_and_sync(&record).await {
            Ok(_) => {
                money_returns::done(&app.db, owed.booking_id, now).await?;
                tracing::info!(
                    booking = owed.booking_id,
                    payment = record.id,
                    "owed money returned on retry"
                );
                done += 1;
            }
            Err(e) => {
                let failures = owed.attempts + 1;
                let n =
                    money_returns::failed(&app.db, owed.booking_id, &e.to_string(), now + backoff(failures)).await?;
                tracing::warn!(booking = owed.booking_id, payment = record.id, failures = n, error = %e, "money return failed; retried later");
                if n >= TELL_ADMINS_AFTER {
                    let mut tx = app.db.begin().await?;
                    if money_returns::mark_admins_told_in(&mut tx, owed.booking_id, now).await? {
                        let text = tr!(
                            app.locales,
                            app.default_lang,
                            "admin-money-return-failed",
                            booking = owed.booking_id,
                            payment = record.id,
                            attempts = n
                        );
                        Outbox::enqueue_in(
                            &mut tx,
                            &OutboxMessage::new(app.admin_chat_id, text)
                                .dedupe(format!("money-return-failed:booking:{}", owed.booking_id)),
                            now,
                        )
                        .await?;
                    }
                    tx.commit().await?;
                }
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let mins: Vec<i64> = (1..=9).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(mins, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
