//! R-ONB-10: moderation from the admin chat. A submitted profile arrives as a card (profile,
//! specialisations, prices, materials, certificate, payout details masked, checklist) with
//! Approve / Reject; the decision is conditional, so of two admins pressing at once one wins
//! and the other is told who decided; the card is edited in place into a record of it.

use chrono::{DateTime, Utc};
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId};

use super::{AdmAction, AdminStep};
use crate::bot::callback::Action;
use crate::bot::html::{escape, truncate};
use crate::bot::therapist::onboarding::{checklist_lines, Snapshot};
use crate::bot::{timefmt, ChatDialogue, Cx, HandlerResult, State};
use crate::domain::readiness::TaxStatus;
use crate::domain::{MoneyLocale, PriceKind};
use crate::i18n::Lang;
use crate::store::outbox::OutboxMessage;
use crate::store::profiles::{Decided, Decision, FileKind, Profiles};
use crate::store::therapists::{TherapistStatus, Therapists};
use crate::store::users::Users;
use crate::tr;

fn admin_chat(cx: &Cx) -> ChatId {
    ChatId(cx.app.admin_chat_id)
}

/// The card's body, in the admin chat's language.
fn card_body(cx: &Cx, snap: &Snapshot, lang: Lang) -> String {
    let (l, p, t) = (cx.l(), &snap.profile, &snap.therapist);
    let cat = &cx.app.catalog.specializations;
    let none = || tr!(l, lang, "onb-not-set");
    let specs = snap
        .specs
        .iter()
        .filter_map(|id| cat.item(id).map(|i| i.label(lang).to_owned()))
        .collect::<Vec<_>>()
        .join(", ");
    let money_locale = match lang {
        Lang::Ru => MoneyLocale::Ru,
        Lang::En => MoneyLocale::En,
    };
    let price = |k: PriceKind| {
        snap.price(k)
            .map(|s| s.amount.format(money_locale))
            .unwrap_or_else(|| tr!(l, lang, "moderation-price-not-set"))
    };
    let tax = match p.tax_status {
        Some(TaxStatus::SelfEmployed) => tr!(l, lang, "onb-btn-tax-npd"),
        Some(TaxStatus::IndividualEntrepreneur) => tr!(l, lang, "onb-btn-tax-ip"),
        None => none(),
    };
    // At most 20 materials, titles shortened: the card stays within one message.
    let materials = snap
        .materials
        .iter()
        .map(|m| escape(&truncate(&m.title, 60)))
        .collect::<Vec<_>>()
        .join(", ");
    tr!(
        l,
        lang,
        "moderation-card",
        name = escape(&t.full_name),
        email = escape(&t.email),
        bio = escape(&truncate(p.bio.as_deref().unwrap_or("—"), 600)),
        education = escape(&truncate(p.education.as_deref().unwrap_or("—"), 300)),
        years = p.years_of_practice.map(|y| y.to_string()).unwrap_or_else(none),
        languages = if p.languages.is_empty() {
            none()
        } else {
            // Named as the therapist chose them, not as stored codes ("ru").
            p.languages
                .iter()
                .map(|id| match id.as_str() {
                    "ru" => tr!(l, lang, "onb-lang-ru"),
                    "en" => tr!(l, lang, "onb-lang-en"),
                    _ => tr!(l, lang, "onb-lang-other"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        },
        tz = snap.time_zone.clone().unwrap_or_else(none),
        link = escape(p.video_room_link.as_deref().unwrap_or("—")),
        specs = if specs.is_empty() { none() } else { escape(&specs) },
        individual = price(PriceKind::Individual),
        group = price(PriceKind::Group),
        materials = if materials.is_empty() { none() } else { materials },
        payout = p.payout_masked.clone().unwrap_or_else(none),
        tax = tax,
        checklist = checklist_lines(cx, &snap.facts(cx), lang)
    )
}

fn card_buttons(cx: &Cx, lang: Lang, therapist_id: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::callback(
            tr!(cx.l(), lang, "moderation-approve-button"),
            Action::Adm(AdmAction::Approve(therapist_id)).encode(),
        ),
        InlineKeyboardButton::callback(
            tr!(cx.l(), lang, "moderation-reject-button"),
            Action::Adm(AdmAction::Reject(therapist_id)).encode(),
        ),
    ]])
}

/// Posts the card of a just-submitted profile in the admin chat, with its files.
pub async fn post_card(cx: &Cx, therapist_id: i64) -> HandlerResult {
    let Some(t) = Therapists(&cx.app.db).get(therapist_id).await? else {
        return Ok(());
    };
    let lang = cx.app.default_lang;
    let snap = Snapshot::load(cx, t).await?;
    let text = card_body(cx, &snap, lang);
    let chat = admin_chat(cx);
    let card = cx
        .bot
        .send_message(chat, text)
        .reply_markup(card_buttons(cx, lang, therapist_id))
        .await?;
    Profiles(&cx.app.db).set_card_message(therapist_id, card.id.0).await?;
    let name = escape(&snap.therapist.full_name);
    if let Some(photo) = &snap.profile.photo_file_id {
        let caption = tr!(cx.l(), lang, "moderation-file-photo", name = name.clone());
        cx.bot
            .send_photo(chat, InputFile::file_id(photo.clone().into()))
            .caption(caption)
            .await?;
    }
    let mut files: Vec<(String, FileKind, String)> = snap
        .materials
        .iter()
        .map(|m| {
            let caption = tr!(
                cx.l(),
                lang,
                "moderation-file-material",
                name = name.clone(),
                title = escape(&m.title)
            );
            (m.file_id.clone(), m.kind, caption)
        })
        .collect();
    if let (Some(f), Some(k)) = (&snap.profile.tax_cert_file_id, snap.profile.tax_cert_kind) {
        files.push((
            f.clone(),
            k,
            tr!(cx.l(), lang, "moderation-file-certificate", name = name.clone()),
        ));
    }
    for (file_id, kind, caption) in files {
        let file = InputFile::file_id(file_id.into());
        match kind {
            FileKind::Photo => {
                cx.bot.send_photo(chat, file).caption(caption).await?;
            }
            FileKind::Document => {
                cx.bot.send_document(chat, file).caption(caption).await?;
            }
        }
    }
    Ok(())
}

fn decided_text(cx: &Cx, d: &Decided) -> String {
    let by = escape(d.by.as_deref().unwrap_or("—"));
    let at =
        d.at.map(|a| timefmt::local_time(a, cx.tz(), cx.lang()))
            .unwrap_or_default();
    match d.status {
        TherapistStatus::Active => tr!(cx.l(), cx.lang(), "moderation-already-approved", by = by, at = at),
        TherapistStatus::Rejected => tr!(cx.l(), cx.lang(), "moderation-already-rejected", by = by, at = at),
        _ => tr!(cx.l(), cx.lang(), "moderation-not-pending"),
    }
}

/// Edits the card into the record of the decision.
async fn close_card(cx: &Cx, therapist_id: i64, outcome: String) -> HandlerResult {
    update_card(cx, therapist_id, outcome, InlineKeyboardMarkup::default()).await
}

/// Edits the card into its current state, with the buttons that state allows.
async fn update_card(cx: &Cx, therapist_id: i64, outcome: String, kb: InlineKeyboardMarkup) -> HandlerResult {
    let Some(t) = Therapists(&cx.app.db).get(therapist_id).await? else {
        return Ok(());
    };
    let snap = Snapshot::load(cx, t).await?;
    let Some(card) = snap.profile.card_message_id else {
        return Ok(());
    };
    let text = format!("{}\n\n{outcome}", card_body(cx, &snap, cx.app.default_lang));
    cx.bot
        .edit_message_text(admin_chat(cx), MessageId(card), text)
        .reply_markup(kb)
        .await?;
    Ok(())
}

/// What the therapist is told about a decision.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Approved,
    Rejected,
    Suspended,
    Reinstated,
}

/// The therapist's notice, in their language, for the outbox (enqueued with the decision, so
/// it is delivered even after a restart).
async fn notice(
    cx: &Cx,
    therapist_id: i64,
    outcome: Outcome,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Option<OutboxMessage>, crate::store::StoreError> {
    let Some(tg) = Therapists(&cx.app.db)
        .get(therapist_id)
        .await?
        .and_then(|t| t.telegram_id)
    else {
        return Ok(None);
    };
    let lang = Users(&cx.app.db)
        .get(tg)
        .await?
        .map(|u| u.language)
        .unwrap_or(cx.app.default_lang);
    let (l, reason) = (cx.l(), escape(reason));
    let (key, text) = match outcome {
        Outcome::Approved => ("approved", tr!(l, lang, "moderation-approved-therapist")),
        Outcome::Rejected => (
            "rejected",
            tr!(l, lang, "moderation-rejected-therapist", reason = reason),
        ),
        Outcome::Suspended => (
            "suspended",
            tr!(l, lang, "moderation-suspended-therapist", reason = reason),
        ),
        Outcome::Reinstated => (
            "reinstated",
            tr!(l, lang, "moderation-reinstated-therapist", reason = reason),
        ),
    };
    let dedupe = format!("therapist:{therapist_id}:{key}:{}", now.timestamp());
    Ok(Some(OutboxMessage::new(tg, text).dedupe(dedupe)))
}

fn stamp(cx: &Cx, at: DateTime<Utc>) -> String {
    timefmt::local_time(at, cx.tz(), cx.app.default_lang)
}

pub async fn approve(cx: &Cx, q: &CallbackQuery, _mid: Option<MessageId>, therapist_id: i64) -> HandlerResult {
    let now = cx.app.clock.now();
    let name = cx.actor.user.first_name.clone();
    let told = notice(cx, therapist_id, Outcome::Approved, "", now).await?;
    let outcome = Profiles(&cx.app.db)
        .decide(
            &Decision {
                therapist_id,
                approve: true,
                admin_id: cx.actor.user.telegram_id,
                admin_name: &name,
                reason: None,
                notice: told.as_ref(),
            },
            now,
        )
        .await?;
    if let Err(d) = outcome {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(decided_text(cx, &d))
            .show_alert(true)
            .await?;
        return Ok(());
    }
    cx.bot
        .answer_callback_query(q.id.clone())
        .text(tr!(cx.l(), cx.lang(), "moderation-approved-answer"))
        .await?;
    let line = tr!(
        cx.l(),
        cx.app.default_lang,
        "moderation-approved-by",
        by = escape(&name),
        at = stamp(cx, now)
    );
    let kb = status_button(cx, therapist_id, true);
    update_card(cx, therapist_id, line, kb).await
}

/// The card's button for an active (Suspend) or suspended (Reinstate) therapist.
fn status_button(cx: &Cx, therapist_id: i64, active: bool) -> InlineKeyboardMarkup {
    let lang = cx.app.default_lang;
    let (text, action) = if active {
        (
            tr!(cx.l(), lang, "moderation-suspend-button"),
            AdmAction::Suspend(therapist_id),
        )
    } else {
        (
            tr!(cx.l(), lang, "moderation-reinstate-button"),
            AdmAction::Reinstate(therapist_id),
        )
    };
    InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
        text,
        Action::Adm(action).encode(),
    )]])
}

/// Suspend or Reinstate pressed: asks the admin for the reason.
pub async fn ask_status_reason(
    cx: &Cx,
    q: &CallbackQuery,
    therapist_id: i64,
    suspend: bool,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let expected = if suspend {
        TherapistStatus::Active
    } else {
        TherapistStatus::Suspended
    };
    let Some(t) = Therapists(&cx.app.db)
        .get(therapist_id)
        .await?
        .filter(|t| t.status == expected)
    else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "moderation-status-stale"))
            .show_alert(true)
            .await?;
        return Ok(());
    };
    dialogue
        .update(State::Admin(AdminStep::StatusReason {
            by: cx.actor.user.telegram_id,
            therapist_id,
            suspend,
        }))
        .await?;
    cx.bot.answer_callback_query(q.id.clone()).await?;
    let (admin, name) = (escape(&cx.actor.user.first_name), escape(&t.full_name));
    let text = if suspend {
        tr!(
            cx.l(),
            cx.lang(),
            "moderation-ask-suspend-reason",
            admin = admin,
            name = name
        )
    } else {
        tr!(
            cx.l(),
            cx.lang(),
            "moderation-ask-reinstate-reason",
            admin = admin,
            name = name
        )
    };
    cx.send(text).await?;
    Ok(())
}

/// The reason for a suspension or reinstatement: applied conditionally, audited, the therapist
/// told, the card edited.
pub async fn on_status_reason(
    cx: &Cx,
    text: &str,
    dialogue: &ChatDialogue,
    therapist_id: i64,
    suspend: bool,
) -> HandlerResult {
    let reason = text.trim();
    if !(3..=1000).contains(&reason.chars().count()) {
        cx.send(tr!(cx.l(), cx.lang(), "moderation-bad-reason")).await?;
        return Ok(());
    }
    dialogue.exit().await?;
    let now = cx.app.clock.now();
    let admin = cx.actor.user.telegram_id;
    let outcome = if suspend {
        Outcome::Suspended
    } else {
        Outcome::Reinstated
    };
    let told = notice(cx, therapist_id, outcome, reason, now).await?;
    match Profiles(&cx.app.db)
        .set_suspended(therapist_id, suspend, admin, reason, told.as_ref(), now)
        .await
    {
        Ok(()) => {}
        Err(crate::store::StoreError::Conflict) => {
            cx.send(tr!(cx.l(), cx.lang(), "moderation-status-stale")).await?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }
    let lang = cx.app.default_lang;
    let (by, at, why) = (escape(&cx.actor.user.first_name), stamp(cx, now), escape(reason));
    let line = if suspend {
        tr!(cx.l(), lang, "moderation-suspended-by", by = by, at = at, reason = why)
    } else {
        tr!(cx.l(), lang, "moderation-reinstated-by", by = by, at = at, reason = why)
    };
    update_card(cx, therapist_id, line, status_button(cx, therapist_id, !suspend)).await?;
    let done = if suspend {
        tr!(cx.l(), cx.lang(), "moderation-suspended-done")
    } else {
        tr!(cx.l(), cx.lang(), "moderation-reinstated-done")
    };
    cx.send(done).await?;
    Ok(())
}

pub async fn ask_reason(cx: &Cx, q: &CallbackQuery, therapist_id: i64, dialogue: &ChatDialogue) -> HandlerResult {
    let Some(t) = Therapists(&cx.app.db).get(therapist_id).await? else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "stale-button"))
            .await?;
        return Ok(());
    };
    if t.status != TherapistStatus::PendingModeration {
        let p = Profiles(&cx.app.db).get(therapist_id).await?;
        let d = Decided {
            status: t.status,
            by: p.moderated_by_name,
            at: p.moderated_at,
        };
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(decided_text(cx, &d))
            .show_alert(true)
            .await?;
        return Ok(());
    }
    dialogue
        .update(State::Admin(AdminStep::RejectReason {
            by: cx.actor.user.telegram_id,
            therapist_id,
        }))
        .await?;
    cx.bot.answer_callback_query(q.id.clone()).await?;
    cx.send(tr!(
        cx.l(),
        cx.lang(),
        "moderation-ask-reason",
        admin = escape(&cx.actor.user.first_name),
        name = escape(&t.full_name)
    ))
    .await?;
    Ok(())
}

pub async fn on_reason(cx: &Cx, text: &str, dialogue: &ChatDialogue, therapist_id: i64) -> HandlerResult {
    let reason = text.trim();
    let n = reason.chars().count();
    if !(3..=1000).contains(&n) {
        cx.send(tr!(cx.l(), cx.lang(), "moderation-bad-reason")).await?;
        return Ok(());
    }
    dialogue.exit().await?;
    let now = cx.app.clock.now();
    let name = cx.actor.user.first_name.clone();
    let told = notice(cx, therapist_id, Outcome::Rejected, reason, now).await?;
    let outcome = Profiles(&cx.app.db)
        .decide(
            &Decision {
                therapist_id,
                approve: false,
                admin_id: cx.actor.user.telegram_id,
                admin_name: &name,
                reason: Some(reason),
                notice: told.as_ref(),
            },
            now,
        )
        .await?;
    if let Err(d) = outcome {
        cx.send(decided_text(cx, &d)).await?;
        return Ok(());
    }
    let line = tr!(
        cx.l(),
        cx.app.default_lang,
        "moderation-rejected-by",
        by = escape(&name),
        at = stamp(cx, now),
        reason = escape(reason)
    );
    close_card(cx, therapist_id, line).await?;
    cx.send(tr!(cx.l(), cx.lang(), "moderation-rejected-done")).await?;
    Ok(())
}

/// `/queue`: the profiles waiting for moderation.
/// Beside them, the group programs waiting for publication (R-GRP-2), each with a button that
/// opens its card.
pub async fn queue(cx: &Cx) -> HandlerResult {
    let q = Profiles(&cx.app.db).queue().await?;
    let mut text = if q.is_empty() {
        tr!(cx.l(), cx.lang(), "moderation-queue-empty")
    } else {
        tr!(cx.l(), cx.lang(), "moderation-queue-title")
    };
    for (n, p) in q.iter().enumerate() {
        let at = p
            .submitted_at
            .map(|a| timefmt::local_time(a, cx.tz(), cx.lang()))
            .unwrap_or_default();
        text.push_str(&format!("\n{}. {} — {at}", n + 1, escape(&p.full_name)));
    }
    let (programs, rows) = crate::bot::therapist::programs::queue_section(cx).await?;
    text.push_str("\n\n");
    text.push_str(&programs);
    if rows.is_empty() {
        cx.send(text).await?;
    } else {
        cx.send_with(text, teloxide::types::InlineKeyboardMarkup::new(rows))
            .await?;
    }
    Ok(())
}
