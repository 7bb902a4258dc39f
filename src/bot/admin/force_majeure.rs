//! R-CAN-3: a therapist's force-majeure document for a late cancellation arrives in the admin
//! chat as a case card (posted when filed; `/cases` lists what waits) with Accept (the
//! free-session debt is cancelled) and Refuse (the debt stays). Decided once: of two admins the
//! second is told who decided; the card is edited into the record; the therapist told.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId};

use super::AdmAction;
use crate::bot::callback::Action;
use crate::bot::html::escape;
use crate::bot::{timefmt, Cx, HandlerResult};
use crate::i18n::Lang;
use crate::store::force_majeure::{Case, ForceMajeure};
use crate::store::outbox::OutboxMessage;
use crate::store::users::Users;
use crate::tr;

fn card_text(cx: &Cx, c: &Case, lang: Lang, tz: Tz) -> String {
    tr!(
        cx.l(),
        lang,
        "fm-card",
        id = c.id,
        therapist = escape(&c.therapist_name),
        client = escape(&crate::bot::notices::client_label(cx.l(), lang, &c.client_name)),
        booking = c.booking_id,
        when = timefmt::local_time(c.starts_at, tz, lang)
    )
}

fn buttons(cx: &Cx, lang: Lang, id: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::callback(
            tr!(cx.l(), lang, "fm-accept-button"),
            Action::Adm(AdmAction::FmAccept(id)).encode(),
        ),
        InlineKeyboardButton::callback(
            tr!(cx.l(), lang, "fm-refuse-button"),
            Action::Adm(AdmAction::FmRefuse(id)).encode(),
        ),
    ]])
}

/// Posts a case card and its document (a file, or a photographed scan) into `chat`.
async fn post(cx: &Cx, chat: ChatId, c: &Case, lang: Lang, tz: Tz) -> HandlerResult {
    cx.bot
        .send_message(chat, card_text(cx, c, lang, tz))
        .reply_markup(buttons(cx, lang, c.id))
        .await?;
    let caption = tr!(cx.l(), lang, "fm-document", id = c.id);
    let file = || InputFile::file_id(c.document_file_id.clone().into());
    if cx
        .bot
        .send_document(chat, file())
        .caption(caption.clone())
        .await
        .is_err()
    {
        cx.bot.send_photo(chat, file()).caption(caption).await?;
    }
    Ok(())
}

/// Called by the therapist side when a document was filed for a cancelled session: the new
/// cases go to the admin chat.
pub async fn post_filed(cx: &Cx, slot_id: i64) -> HandlerResult {
    let chat = ChatId(cx.app.admin_chat_id);
    for c in ForceMajeure(&cx.app.db).pending_for_slot(slot_id).await? {
        post(cx, chat, &c, cx.app.default_lang, cx.app.default_tz).await?;
    }
    Ok(())
}

/// `/cases`: the pending cases, each as a card here.
pub async fn list(cx: &Cx) -> HandlerResult {
    let cases = ForceMajeure(&cx.app.db).pending().await?;
    if cases.is_empty() {
        cx.send(tr!(cx.l(), cx.lang(), "fm-none")).await?;
        return Ok(());
    }
    for c in &cases {
        post(cx, cx.chat_id, c, cx.lang(), cx.tz()).await?;
    }
    Ok(())
}

fn at(cx: &Cx, t: Option<DateTime<Utc>>) -> String {
    t.map(|t| timefmt::local_time(t, cx.tz(), cx.lang()))
        .unwrap_or_default()
}

/// Accept or Refuse pressed.
pub async fn decide(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>, id: i64, accept: bool) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let store = ForceMajeure(&cx.app.db);
    let Some(case) = store.get(id).await? else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(l, lang, "stale-button"))
            .await?;
        return Ok(());
    };
    let now = cx.app.clock.now();
    let notice = match case.therapist_telegram_id {
        Some(tg) => {
            let tl = Users(&cx.app.db)
                .get(tg)
                .await?
                .map(|u| u.language)
                .unwrap_or(cx.app.default_lang);
            let when = timefmt::local_time(case.starts_at, cx.app.default_tz, tl);
            let text = if accept {
                tr!(l, tl, "fm-accepted-therapist", when = when)
            } else {
                tr!(l, tl, "fm-refused-therapist", when = when)
            };
            Some(OutboxMessage::new(tg, text).dedupe(format!("force-majeure:{id}")))
        }
        None => None,
    };
    let name = cx.actor.user.first_name.clone();
    match store
        .decide(id, accept, cx.actor.user.telegram_id, &name, notice.as_ref(), now)
        .await?
    {
        Ok(()) => {}
        Err(done) => {
            let (by, when) = done
                .map(|c| (c.decided_by_name.unwrap_or_default(), c.decided_at))
                .unwrap_or_default();
            cx.bot
                .answer_callback_query(q.id.clone())
                .text(tr!(l, lang, "fm-already-decided", by = escape(&by), at = at(cx, when)))
                .show_alert(true)
                .await?;
            return Ok(());
        }
    }
    cx.bot
        .answer_callback_query(q.id.clone())
        .text(tr!(l, lang, "fm-decided-answer"))
        .await?;
    let line = if accept {
        tr!(l, lang, "fm-accepted-by", by = escape(&name), at = at(cx, Some(now)))
    } else {
        tr!(l, lang, "fm-refused-by", by = escape(&name), at = at(cx, Some(now)))
    };
    if let Some(mid) = mid {
        cx.bot
            .edit_message_text(
                cx.chat_id,
                mid,
                format!("{}\n\n{line}", card_text(cx, &case, lang, cx.tz())),
            )
            .reply_markup(InlineKeyboardMarkup::default())
            .await?;
    }
    Ok(())
}
