//! R-ONB-1: opening an invite link (`/start inv_<code>`). An unknown, used, expired or revoked
//! code gets a clear answer and binds nothing; a valid one binds this Telegram account to the
//! therapist account (once, even under a double tap), refreshes the menu and shows the
//! onboarding checklist.

use crate::bot::admin::invites::{code_hash, PAYLOAD_PREFIX};
use crate::bot::{actor, Cx, HandlerResult};
use crate::roles::Role;
use crate::store::invites::{InviteStatus, Invites};
use crate::store::therapists::Therapists;
use crate::store::users::Users;
use crate::store::StoreError;
use crate::tr;

/// The code of an invite payload, if `args` is one.
pub fn invite_code(args: &str) -> Option<&str> {
    let code = args.strip_prefix(PAYLOAD_PREFIX)?;
    let ok = !code.is_empty()
        && code.len() <= 60
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    Some(if ok { code } else { "" })
}

/// A client opened an invite link.
pub async fn open(cx: &Cx, code: &str) -> HandlerResult {
    let now = cx.app.clock.now();
    let hash = code_hash(code);
    let invites = Invites(&cx.app.db);
    let found = if code.is_empty() {
        None
    } else {
        invites.by_hash(&hash).await?
    };
    let refusal = match found.as_ref().map(|i| i.status(now)) {
        None => Some(tr!(cx.l(), cx.lang(), "invite-unknown")),
        Some(InviteStatus::Used) => Some(tr!(cx.l(), cx.lang(), "invite-used")),
        Some(InviteStatus::Revoked) => Some(tr!(cx.l(), cx.lang(), "invite-revoked")),
        Some(InviteStatus::Expired) => Some(tr!(cx.l(), cx.lang(), "invite-expired")),
        Some(InviteStatus::Valid) => None,
    };
    if let Some(text) = refusal {
        cx.send(text).await?;
        return Ok(());
    }
    let therapist_id = match invites.redeem(&hash, cx.actor.user.telegram_id, now).await {
        Ok(id) => id,
        Err(StoreError::Conflict) => {
            // Someone (or a second tap) was first.
            let text = match Therapists(&cx.app.db).by_telegram(cx.actor.user.telegram_id).await? {
                Some(_) => tr!(cx.l(), cx.lang(), "invite-already-therapist"),
                None => tr!(cx.l(), cx.lang(), "invite-used"),
            };
            cx.send(text).await?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let users = Users(&cx.app.db);
    users
        .update_role(cx.actor.user.telegram_id, Role::Therapist, now)
        .await?;
    if let Some(user) = users.get(cx.actor.user.telegram_id).await? {
        actor::refresh_menu(&cx.bot, &cx.app, &user, Role::Therapist).await;
    }
    let Some(t) = Therapists(&cx.app.db).get(therapist_id).await? else {
        return Ok(());
    };
    let welcome = tr!(
        cx.l(),
        cx.lang(),
        "invite-welcome",
        name = crate::bot::html::escape(&t.full_name)
    );
    super::onboarding::send_checklist(cx, t, Some(welcome)).await
}
