//! `/profile` for active therapists (issue 4, "Profile and public page"): the card clients see
//! (the client card's own rendering, without the booking buttons) and a menu with a button per
//! field. The buttons are the onboarding steps (`o:s:<step>`), answered by the same handlers
//! and validators; for an active profile they come back to this menu instead of the checklist.
//!
//! **Decided**: editing an active profile does not send it back to moderation. The fields
//! clients see (name, photo, bio) are applied at once and the admins get an informational
//! notice (through the outbox, in the same transaction as the change) with the new text, so
//! they can suspend the profile (R-ONB-10) if something is wrong. Sending an active therapist
//! back to moderation for a typo would hide them from clients with booked sessions, which costs
//! clients more than it protects them. Prices are not edited here: `/prices` (R-PRICE-2).

use teloxide::types::InlineKeyboardMarkup;

use super::onboarding::{button, OnbAction, Step};
use super::{me, onboarding};
use crate::bot::html::{escape, truncate};
use crate::bot::{Cx, HandlerResult};
use crate::store::outbox::OutboxMessage;
use crate::store::profiles::PublicEdit;
use crate::store::therapists::{Therapist, TherapistStatus};
use crate::tr;

/// The fields an active therapist edits here, in the checklist's order.
fn steps() -> impl Iterator<Item = Step> {
    Step::ALL.into_iter().filter(|s| *s != Step::Agreements)
}

/// The edit menu (a message of its own: the card may be a photo, whose text cannot become a
/// step's prompt).
pub fn menu_view(cx: &Cx, _t: &Therapist, header: Option<String>) -> (String, InlineKeyboardMarkup) {
    let mut text = String::new();
    if let Some(h) = header {
        text.push_str(&h);
        text.push_str("\n\n");
    }
    text.push_str(&tr!(cx.l(), cx.lang(), "profile-menu"));
    let buttons: Vec<_> = steps().map(|s| button(s.label(cx), OnbAction::Step(s))).collect();
    let rows = buttons.chunks(2).map(<[_]>::to_vec).collect::<Vec<_>>();
    (text, InlineKeyboardMarkup::new(rows))
}

/// Sends the edit menu as a new message (after a typed answer).
pub async fn send_menu(cx: &Cx, t: &Therapist, header: Option<String>) -> HandlerResult {
    let (text, kb) = menu_view(cx, t, header);
    cx.send_with(text, kb).await?;
    Ok(())
}

/// `/profile`.
pub async fn open(cx: &Cx) -> HandlerResult {
    let Some(t) = me(cx).await? else { return Ok(()) };
    match t.status {
        TherapistStatus::Active => {
            cx.send(tr!(cx.l(), cx.lang(), "profile-preview-intro")).await?;
            crate::bot::client::card::preview(cx, &t).await?;
            send_menu(cx, &t, None).await
        }
        TherapistStatus::Suspended => {
            cx.send(tr!(cx.l(), cx.lang(), "profile-suspended")).await?;
            crate::bot::client::card::preview(cx, &t).await
        }
        _ => onboarding::home(cx, t).await,
    }
}

/// The admins' informational notice about an edit of a field clients see, in the default
/// language, with the new text (escaped) for name and bio.
pub fn admin_notice(cx: &Cx, t: &Therapist, edit: &PublicEdit<'_>) -> OutboxMessage {
    let (l, lang) = (cx.l(), cx.app.default_lang);
    let name = escape(&t.full_name);
    let text = match edit {
        PublicEdit::Name(v) => tr!(
            l,
            lang,
            "profile-admin-edited-name",
            name = name,
            id = t.id,
            value = escape(&truncate(v, 200))
        ),
        PublicEdit::Bio(v) => tr!(
            l,
            lang,
            "profile-admin-edited-bio",
            name = name,
            id = t.id,
            value = escape(&truncate(v, 1000))
        ),
        PublicEdit::Photo(_) => tr!(l, lang, "profile-admin-edited-photo", name = name, id = t.id),
    };
    let key = format!(
        "profile-edit:{}:{}:{}",
        t.id,
        edit.field(),
        cx.app.clock.now().timestamp_micros()
    );
    OutboxMessage::new(cx.app.admin_chat_id, text).dedupe(key)
}
