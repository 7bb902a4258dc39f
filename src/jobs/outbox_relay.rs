//! Delivers the outbox through the Bot API client (the Throttle adaptor keeps Telegram's
//! limits): 429 is retried after Telegram's retry_after, network and server errors with
//! back-off, 403 (the user blocked the bot or never started it) gives up with the row marked,
//! other refusals are marked failed and logged. A row is sent at least once: a crash between
//! sending and marking can repeat that one message, nothing is ever lost.

use chrono::{DateTime, Duration, Utc};
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};

use crate::bot::BotApi;
use crate::store::outbox::{Outbox, Pending};
use crate::store::{Db, StoreResult};

/// How long a claimed row belongs to this relay.
const LEASE_SECONDS: i64 = 60;
const BATCH: i64 = 50;

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent(i32),
    RetryIn(Duration, String),
    GiveUp(String),
}

/// Classifies a Bot API error.
pub fn classify(err: &RequestError, attempts: i32) -> Outcome {
    match err {
        RequestError::RetryAfter(s) => Outcome::RetryIn(
            Duration::seconds(i64::from(s.seconds()).max(1)),
            "429 retry after".into(),
        ),
        RequestError::Api(api) => match api {
            ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::CantInitiateConversation => {
                Outcome::GiveUp(format!("403 {api}"))
            }
            ApiError::Unknown(text) if text.starts_with("Forbidden") => Outcome::GiveUp(format!("403 {text}")),
            ApiError::Unknown(text) if !text.starts_with("Bad Request") => {
                Outcome::RetryIn(backoff(attempts), text.clone())
            }
            other => Outcome::GiveUp(other.to_string()),
        },
        RequestError::Network(_) | RequestError::Io(_) => Outcome::RetryIn(backoff(attempts), "network".into()),
        other => Outcome::RetryIn(backoff(attempts), other.to_string()),
    }
}

/// 5 s, 10 s, 20 s ... up to 10 minutes.
fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(0, 7) as u32;
    Duration::seconds((5_i64 << exp).min(600))
}

async fn send(bot: &BotApi, p: &Pending) -> Result<i32, RequestError> {
    if let Some(mid) = p.edit_message_id {
        return edit(bot, p, mid).await;
    }
    let mut req = bot.send_message(ChatId(p.chat_id), p.text.clone());
    if let Some(kb) = &p.keyboard {
        req = req.reply_markup(kb.clone());
    }
    Ok(req.await?.id.0)
}

/// Edits a message already in the chat. Without a keyboard the buttons go. Telegram's
/// "message is not modified" means the message already reads so: done.
async fn edit(bot: &BotApi, p: &Pending, mid: i32) -> Result<i32, RequestError> {
    let mut req = bot.edit_message_text(ChatId(p.chat_id), teloxide::types::MessageId(mid), p.text.clone());
    if let Some(kb) = &p.keyboard {
        req = req.reply_markup(kb.clone());
    }
    match req.await {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(mid),
        Err(e) => Err(e),
    }
}

/// Sends what is due now; returns how many rows were settled (sent or given up).
pub async fn relay_once(db: &Db, bot: &BotApi, now: DateTime<Utc>) -> StoreResult<usize> {
    let outbox = Outbox(db);
    let due = outbox.claim_due(now, Duration::seconds(LEASE_SECONDS), BATCH).await?;
    let mut settled = 0;
    for p in due {
        let outcome = match send(bot, &p).await {
            Ok(id) => Outcome::Sent(id),
            Err(e) => classify(&e, p.attempts),
        };
        match outcome {
            Outcome::Sent(message_id) => {
                outbox.mark_sent(p.id, message_id, now).await?;
                settled += 1;
            }
            Outcome::RetryIn(after, why) => {
                tracing::warn!(outbox_id = p.id, attempts = p.attempts + 1, reason = %why, "notification will be retried");
                outbox.retry_at(p.id, now + after, &why).await?;
            }
            Outcome::GiveUp(why) => {
                tracing::warn!(outbox_id = p.id, reason = %why, "notification given up");
                outbox.mark_failed(p.id, &why, now).await?;
                settled += 1;
            }
        }
    }
    Ok(settled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified() {
        use teloxide::types::Seconds;
        assert_eq!(
            classify(&RequestError::RetryAfter(Seconds::from_seconds(7)), 0),
            Outcome::RetryIn(Duration::seconds(7), "429 retry after".into())
        );
        assert!(matches!(
            classify(&RequestError::Api(ApiError::BotBlocked), 0),
            Outcome::GiveUp(_)
        ));
        assert!(matches!(
            classify(
                &RequestError::Api(ApiError::Unknown(
                    "Forbidden: bot can't initiate conversation with a user".into()
                )),
                0
            ),
            Outcome::GiveUp(_)
        ));
        assert!(
            matches!(classify(&RequestError::Api(ApiError::Unknown("Internal Server Error".into())), 2), Outcome::RetryIn(d, _) if d == Duration::seconds(20))
        );
        assert!(matches!(
            classify(&RequestError::Api(ApiError::MessageTextIsEmpty), 0),
            Outcome::GiveUp(_)
        ));
    }

    #[test]
    fn backoff_is_capped() {
        assert_eq!(backoff(0), Duration::seconds(5));
        assert_eq!(backoff(3), Duration::seconds(40));
        assert_eq!(backoff(50), Duration::seconds(600));
    }
}
