//! R-ONB-1: `/invite` asks the therapist's full name and e-mail, creates the account and a
//! one-time link (a random 128-bit code, URL-safe, stored only as its sha256, valid 7 days,
//! single use); `/invites` lists the pending ones with a Revoke button each.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::TimeDelta;
use rand::RngCore;
use sha2::{Digest, Sha256};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::{AdmAction, AdminStep};
use crate::bot::callback::Action;
use crate::bot::html::{escape, truncate};
use crate::bot::{timefmt, ChatDialogue, Cx, HandlerResult, State};
use crate::store::invites::Invites;
use crate::store::StoreError;
use crate::tr;

/// How long an invite stays valid (R-ONB-1).
pub const INVITE_LIFETIME: TimeDelta = TimeDelta::days(7);
/// The `/start` payload prefix of invites.
pub const PAYLOAD_PREFIX: &str = "inv_";

/// A fresh code: 16 random bytes (128 bits), base64url without padding (22 characters).
pub fn new_code() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored instead of the code.
pub fn code_hash(code: &str) -> String {
    let digest = Sha256::digest(code.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A plausible e-mail address: one `@`, a local part, a dotted domain, no spaces.
pub fn valid_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    text.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
        && domain
            .split('.')
            .all(|p| !p.is_empty() && !p.starts_with('-') && p.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

pub async fn start(cx: &Cx, dialogue: &ChatDialogue) -> HandlerResult {
    dialogue
        .update(State::Admin(AdminStep::InviteName {
            by: cx.actor.user.telegram_id,
        }))
        .await?;
    cx.send(tr!(cx.l(), cx.lang(), "invite-ask-name")).await?;
    Ok(())
}

pub async fn on_text(cx: &Cx, text: &str, dialogue: &ChatDialogue, step: AdminStep) -> HandlerResult {
    let text = text.trim();
    let by = cx.actor.user.telegram_id;
    match step {
        AdminStep::InviteName { .. } => {
            let n = text.chars().count();
            if !(3..=200).contains(&n) || text.contains('\n') {
                cx.send(tr!(cx.l(), cx.lang(), "invite-bad-name")).await?;
                return Ok(());
            }
            dialogue
                .update(State::Admin(AdminStep::InviteEmail {
                    by,
                    name: text.to_owned(),
                }))
                .await?;
            cx.send(tr!(cx.l(), cx.lang(), "invite-ask-email", name = escape(text)))
                .await?;
            Ok(())
        }
        AdminStep::InviteEmail { name, .. } => {
            if !valid_email(text) {
                let input = escape(&truncate(text, 60));
                cx.send(tr!(cx.l(), cx.lang(), "invite-bad-email", input = input))
                    .await?;
                return Ok(());
            }
            let code = new_code();
            let now = cx.app.clock.now();
            let expires = now + INVITE_LIFETIME;
            Invites(&cx.app.db)
                .create_with_account(&name, text, &code_hash(&code), by, now, expires)
                .await?;
            dialogue.exit().await?;
            let link = format!("https://t.me/{}?start={PAYLOAD_PREFIX}{code}", cx.app.bot_username);
            let text = tr!(
                cx.l(),
                cx.lang(),
                "invite-created",
                name = escape(&name),
                email = escape(text),
                link = link,
                expires = timefmt::local_time(expires, cx.tz(), cx.lang())
            );
            cx.send(text).await?;
            Ok(())
        }
        AdminStep::RejectReason { .. }
        | AdminStep::StatusReason { .. }
        | AdminStep::PayoutReference { .. }
        | AdminStep::RefundAmount { .. }
        | AdminStep::ProgramReturn { .. }
        | AdminStep::RefundReason { .. }
        | AdminStep::CancelReason { .. } => Ok(()),
    }
}

fn list_view(cx: &Cx, pending: &[crate::store::invites::PendingInvite]) -> (String, InlineKeyboardMarkup) {
    if pending.is_empty() {
        return (tr!(cx.l(), cx.lang(), "invites-none"), InlineKeyboardMarkup::default());
    }
    let mut text = tr!(cx.l(), cx.lang(), "invites-title");
    let mut rows = Vec::new();
    for (n, i) in pending.iter().enumerate() {
        text.push_str(&format!(
            "\n{}. {}",
            n + 1,
            tr!(
                cx.l(),
                cx.lang(),
                "invites-line",
                name = escape(&i.full_name),
                email = escape(&i.email),
                expires = timefmt::local_time(i.expires_at, cx.tz(), cx.lang())
            )
        ));
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(
                cx.l(),
                cx.lang(),
                "invites-revoke-button",
                n = n + 1,
                name = truncate(&i.full_name, 30)
            ),
            Action::Adm(AdmAction::Revoke(i.id)).encode(),
        )]);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

pub async fn list(cx: &Cx) -> HandlerResult {
    let pending = Invites(&cx.app.db).pending(cx.app.clock.now()).await?;
    let (text, kb) = list_view(cx, &pending);
    cx.send_with(text, kb).await?;
    Ok(())
}

pub async fn revoke(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>, id: i64) -> HandlerResult {
    let now = cx.app.clock.now();
    let answer = match Invites(&cx.app.db).revoke(id, cx.actor.user.telegram_id, now).await {
        Ok(()) => tr!(cx.l(), cx.lang(), "invites-revoked"),
        Err(StoreError::Conflict) => {
            let stale = tr!(cx.l(), cx.lang(), "invites-revoke-stale");
            cx.bot.answer_callback_query(q.id.clone()).text(stale).await?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    cx.bot.answer_callback_query(q.id.clone()).text(answer.clone()).await?;
    if let Some(mid) = mid {
        let pending = Invites(&cx.app.db).pending(now).await?;
        let (text, kb) = list_view(cx, &pending);
        let text = format!("{answer}\n\n{text}");
        cx.bot.edit_message_text(cx.chat_id, mid, text).reply_markup(kb).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_fit_the_start_payload() {
        let a = new_code();
        assert_eq!(a.len(), 22);
        assert_ne!(a, new_code());
        let payload = format!("{PAYLOAD_PREFIX}{a}");
        assert!(payload.len() <= 64);
        assert!(payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        assert_eq!(code_hash("abc").len(), 64);
        assert_ne!(code_hash(&a), a);
    }

    #[test]
    fn emails() {
        for ok in ["anna@example.org", "a.b+c@mail.ru", "x@a-b.co"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "", "anna", "anna@", "@x.ru", "a@b", "a b@x.ru", "a@@x.ru", "a@x..ru", "a@-x.ru",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
