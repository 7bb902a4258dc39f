//! A therapist's card for clients (issue 6 step 5): photo or text, name, bio, education,
//! years, languages, specialisations, the price THIS client pays (R-PRICE-3), the next free
//! times in the client's zone, materials on a button, and "Book" buttons per session kind.
//! Opened by the catalogue's `cb:c:<id>` button or the deep link `/start t_<id>`; only
//! active therapists are shown.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

use super::booking::{client_price, free_slots, CbPress, Target};
use crate::bot::html::{escape, truncate};
use crate::bot::notices::money;
use crate::bot::therapist::calendar::slot_when;
use crate::bot::therapist::Press;
use crate::bot::{Cx, HandlerResult};
use crate::domain::SessionKind;
use crate::store::profiles::{FileKind, Profiles};
use crate::store::therapists::{Therapist, TherapistStatus, Therapists};
use crate::tr;

/// The therapist id of a deep link's argument `t_<id>`.
pub fn deep_link_id(args: &str) -> Option<i64> {
    let digits = args.trim().strip_prefix("t_")?;
    (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

async fn active(cx: &Cx, therapist_id: i64) -> Result<Option<Therapist>, crate::bot::BotError> {
    Ok(Therapists(&cx.app.db)
        .get(therapist_id)
        .await?
        .filter(|t| t.status == TherapistStatus::Active))
}

fn language_name(cx: &Cx, id: &str) -> String {
    let (l, lang) = (cx.l(), cx.lang());
    match id {
        "ru" => tr!(l, lang, "onb-lang-ru"),
        "en" => tr!(l, lang, "onb-lang-en"),
        _ => tr!(l, lang, "onb-lang-other"),
    }
}

/// Sends the card as a new message.
pub async fn show(cx: &Cx, therapist_id: i64) -> HandlerResult {
    let Some(t) = active(cx, therapist_id).await? else {
        cx.send(tr!(cx.l(), cx.lang(), "card-not-available")).await?;
        return Ok(());
    };
    send_card(cx, &t, true).await
}

/// The therapist's own preview of their card (`/profile`): the same card clients see, at the
/// current price for new clients, without the booking buttons.
pub async fn preview(cx: &Cx, t: &Therapist) -> HandlerResult {
    send_card(cx, t, false).await
}

/// The card of `t` for the viewer in `cx`; `bookable`: with the client's buttons.
async fn send_card(cx: &Cx, t: &Therapist, bookable: bool) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let profile = Profiles(&cx.app.db).get(t.id).await?;
    let specs = Profiles(&cx.app.db).specializations(t.id).await?;
    let materials = Profiles(&cx.app.db).materials(t.id).await?;
    let slots = free_slots(cx, t.id, None).await?;
    let price = client_price(cx, t.id, SessionKind::Individual).await?;

    let build = |limit: usize| -> String {
        let mut parts = vec![format!("<b>{}</b>", escape(&t.full_name))];
        if let Some(bio) = profile.bio.as_deref().filter(|s| !s.is_empty()) {
            parts.push(escape(&truncate(bio, limit)));
        }
        if let Some(ed) = profile.education.as_deref().filter(|s| !s.is_empty()) {
            parts.push(tr!(l, lang, "card-education", text = escape(&truncate(ed, limit))));
        }
        if let Some(y) = profile.years_of_practice {
            parts.push(tr!(l, lang, "card-years", years = y));
        }
        if !profile.languages.is_empty() {
            let names: Vec<String> = profile.languages.iter().map(|id| language_name(cx, id)).collect();
            parts.push(tr!(l, lang, "card-languages", languages = names.join(", ")));
        }
        let labels: Vec<String> = specs
            .iter()
            .filter_map(|id| cx.app.catalog.specializations.item(id))
            .map(|i| i.label(lang).to_owned())
            .collect();
        if !labels.is_empty() {
            parts.push(tr!(
                l,
                lang,
                "card-specializations",
                items = escape(&truncate(&labels.join(", "), limit.max(100)))
            ));
        }
        parts.join("\n")
    };
    let mut tail = Vec::new();
    match &price {
        Some(p) if p.owed.is_some() => tail.push(tr!(l, lang, "card-free-owed")),
        Some(p) => match (p.amount, p.locked_until) {
            (Some(amount), Some(until)) => tail.push(tr!(
                l,
                lang,
                "card-price-locked",
                amount = money(lang, amount),
                until = crate::bot::timefmt::local_time(until, tz, lang)
            )),
            (Some(amount), None) => tail.push(tr!(l, lang, "card-price", amount = money(lang, amount))),
            _ => {}
        },
        None => {}
    }
    if slots.is_empty() {
        tail.push(tr!(l, lang, "card-no-times"));
    } else {
        let mut s = tr!(l, lang, "card-next-times", zone = tz.name());
        for slot in slots.iter().take(5) {
            s.push_str("\n• ");
            // Each time says what it is for: a 15-minute consultation is not a session.
            s.push_str(&tr!(
                l,
                lang,
                "card-next-time-line",
                when = slot_when(l, lang, tz, slot.starts_at, slot.ends_at),
                kind = crate::bot::notices::kind_name(l, lang, slot.kind)
            ));
        }
        tail.push(s);
    }
    let tail = tail.join("\n\n");

    let mut rows = Vec::new();
    // The preview (`bookable` false) has no buttons at all.
    if bookable && price.is_some() && slots.iter().any(|s| s.kind == SessionKind::Individual) {
        rows.push(vec![book_button(cx, t.id, SessionKind::Individual)]);
    }
    // R-PAY-1: a package of sessions at this client's price.
    if bookable
        && price
            .as_ref()
            .is_some_and(|p| p.owed.is_none() && p.amount.is_some_and(|a| !a.is_zero()))
    {
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "card-btn-package"),
            CbPress::Pkg(t.id).data(),
        )]);
    }
    if bookable && slots.iter().any(|s| s.kind == SessionKind::Consultation) {
        rows.push(vec![book_button(cx, t.id, SessionKind::Consultation)]);
    }
    if bookable && !materials.is_empty() {
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "card-btn-materials", count = materials.len()),
            CbPress::Materials(t.id).data(),
        )]);
    }
    let kb = InlineKeyboardMarkup::new(rows);
    match profile.photo_file_id.as_deref() {
        Some(photo) => {
            // A caption holds at most 1024 characters: shorten the long fields to fit.
            let caption = [600, 300, 120, 40]
                .into_iter()
                .map(|limit| format!("{}\n\n{tail}", build(limit)))
                .find(|c| c.chars().count() <= 1024)
                .unwrap_or_else(|| truncate(&format!("<b>{}</b>", escape(&t.full_name)), 1000));
            cx.bot
                .send_photo(cx.chat_id, InputFile::file_id(photo.to_owned().into()))
                .caption(caption)
                .reply_markup(kb)
                .await?;
        }
        None => {
            cx.send_with(format!("{}\n\n{tail}", build(1000)), kb).await?;
        }
    }
    Ok(())
}

fn book_button(cx: &Cx, therapist: i64, kind: SessionKind) -> InlineKeyboardButton {
    let text = match kind {
        SessionKind::Consultation => tr!(cx.l(), cx.lang(), "card-btn-book-consultation"),
        _ => tr!(cx.l(), cx.lang(), "card-btn-book-individual"),
    };
    InlineKeyboardButton::callback(text, CbPress::Start(Target::New { therapist, kind }).data())
}

/// Sends the therapist's materials as documents (photos as photos).
pub async fn materials(cx: &Cx, press: &Press<'_>, therapist_id: i64) -> HandlerResult {
    let Some(t) = active(cx, therapist_id).await? else {
        return press.alert(cx, tr!(cx.l(), cx.lang(), "card-not-available")).await;
    };
    let list = Profiles(&cx.app.db).materials(t.id).await?;
    if list.is_empty() {
        return press.alert(cx, tr!(cx.l(), cx.lang(), "card-no-materials")).await;
    }
    press.answer(cx).await?;
    for m in list {
        let file = InputFile::file_id(m.file_id.clone().into());
        let caption = escape(&truncate(&m.title, 200));
        match m.kind {
            FileKind::Photo => {
                cx.bot.send_photo(cx.chat_id, file).caption(caption).await?;
            }
            FileKind::Document => {
                cx.bot.send_document(cx.chat_id, file).caption(caption).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_link_ids() {
        assert_eq!(deep_link_id("t_42"), Some(42));
        for bad in ["t_", "t_-1", "t_1a", "42", "inv_x", "t_99999999999999999999"] {
            assert_eq!(deep_link_id(bad), None, "{bad}");
        }
    }
}
