//! `/bookings` for therapists (R-SES-1, R-CAN-3): the upcoming sessions with the client's
//! first name, kind, time in the therapist's zone and whether paid; cancelling one under
//! R-CAN-3 (the decision recorded for the money movement that follows, the client told in
//! their language); marking a session that started as held or a no-show; and the
//! force-majeure document for a late cancellation.
//!
//! **Decided** until payments exist: a confirmed paid booking counts as a card hold before
//! the free cancellation window closes and as captured money after it (R-PAY-1 captures the
//! hold when the window closes), a consultation or a zero price as free of charge.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::calendar::{slot_when, SlotChoice};
use super::{me, Press};
use crate::bot::{BotError, ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{
    decide_cancellation, BookingError, BookingEvent, BookingState, CancellationError, CancellationOutcome,
    CancellationRequest, Canceller, DomainSettings, Funding, MoneyAction, PaymentState, SessionKind,
};
use crate::i18n::{Lang, Locales};
use crate::store::bookings::Bookings;
use crate::store::calendar::{therapist_zone, TherapistBooking, TherapistBookings};
use crate::store::payments::Payments;
use crate::store::therapists::Therapist;
use crate::store::users::Users;
use crate::store::StoreError;
use crate::tr;

/// The most bookings listed with buttons at once.
const MAX_LISTED: usize = 20;

/// The bookings buttons (callback data `bk:...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookPress {
    /// Show the list again: `l`.
    List,
    /// Ask to confirm cancelling: `c:<booking>`.
    Cancel(i64),
    /// Cancel, confirmed: `cy:<booking>`.
    ConfirmCancel(i64),
    /// The session took place: `h:<booking>`.
    Held(i64),
    /// The client did not come: `n:<booking>`.
    NoShow(i64),
    /// Attach a force-majeure document to a late cancellation: `fm:<booking>`.
    ForceMajeure(i64),
    /// The client's intake summary and latest test scores: `i:<booking>`.
    Intake(i64),
}

impl BookPress {
    pub fn encode(&self) -> String {
        match self {
            BookPress::List => "l".to_owned(),
            BookPress::Cancel(id) => format!("c:{id}"),
            BookPress::ConfirmCancel(id) => format!("cy:{id}"),
            BookPress::Held(id) => format!("h:{id}"),
            BookPress::NoShow(id) => format!("n:{id}"),
            BookPress::ForceMajeure(id) => format!("fm:{id}"),
            BookPress::Intake(id) => format!("i:{id}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        if s == "l" {
            return Some(BookPress::List);
        }
        let (kind, id) = s.split_once(':')?;
        if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id: i64 = id.parse().ok()?;
        match kind {
            "c" => Some(BookPress::Cancel(id)),
            "cy" => Some(BookPress::ConfirmCancel(id)),
            "h" => Some(BookPress::Held(id)),
            "n" => Some(BookPress::NoShow(id)),
            "fm" => Some(BookPress::ForceMajeure(id)),
            "i" => Some(BookPress::Intake(id)),
            _ => None,
        }
    }
}

fn data(p: BookPress) -> String {
    crate::bot::callback::Action::Bookings(p).encode()
}

async fn zone(cx: &Cx, therapist_id: i64) -> Result<Tz, BotError> {
    Ok(therapist_zone(&cx.app.db, therapist_id)
        .await?
        .unwrap_or_else(|| cx.tz()))
}

fn kind_label(l: &Locales, lang: Lang, b: &TherapistBooking) -> String {
    let choice = match b.kind {
        SessionKind::Group => SlotChoice::G90,
        SessionKind::Consultation => SlotChoice::C15,
        SessionKind::Individual if (b.ends_at - b.starts_at).num_minutes() <= 50 => SlotChoice::I50,
        SessionKind::Individual => SlotChoice::I60,
    };
    choice.label(l, lang)
}

/// How the booking is paid for now: by its live payment (a hold, or captured money), or not
/// at all (awaiting payment; a free session or consultation with no payment).
async fn funding_of(cx: &Cx, b: &TherapistBooking) -> Result<Funding, BotError> {
    if b.state == BookingState::AwaitingPayment {
        return Ok(Funding::Unpaid);
    }
    if crate::store::packages::Packages(&cx.app.db)
        .credit_of_booking(b.booking_id)
        .await?
        .is_some()
    {
        return Ok(Funding::PackageCredit);
    }
    let live = Payments(&cx.app.db)
        .for_booking(b.booking_id)
        .await?
        .into_iter()
        .map(|p| p.state)
        .find(|s| {
            matches!(
                s,
                PaymentState::Held | PaymentState::Captured | PaymentState::PartiallyRefunded
            )
        });
    Ok(match live {
        Some(PaymentState::Held) => Funding::Held,
        Some(_) => Funding::Captured,
        None => Funding::NoCharge,
    })
}

fn decide(
    b: &TherapistBooking,
    funding: Funding,
    now: DateTime<Utc>,
    settings: &DomainSettings,
) -> Result<CancellationOutcome, CancellationError> {
    decide_cancellation(
        &CancellationRequest {
            booking: b.state,
            by: Canceller::Therapist,
            session_start: b.starts_at,
            now,
            funding,
            force_majeure_accepted: false,
        },
        settings,
    )
}

/// `/bookings`.
pub async fn open(cx: &Cx) -> HandlerResult {
    let Some(t) = me(cx).await? else { return Ok(()) };
    let (text, kb) = list_view(cx, &t).await?;
    if kb.inline_keyboard.is_empty() {
        cx.send(text).await?;
    } else {
        cx.send_with(text, kb).await?;
    }
    Ok(())
}

async fn list_view(cx: &Cx, t: &Therapist) -> Result<(String, InlineKeyboardMarkup), BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let tz = zone(cx, t.id).await?;
    let now = cx.app.clock.now();
    let bookings = TherapistBookings(&cx.app.db)
        .live(t.id, now - chrono::TimeDelta::days(14))
        .await?;
    let mut text = tr!(l, lang, "bookings-title", zone = tz.name());
    if bookings.is_empty() {
        text.push_str("\n\n");
        text.push_str(&tr!(l, lang, "bookings-empty"));
    }
    let mut rows = Vec::new();
    let mut seats: HashMap<i64, usize> = HashMap::new();
    for b in &bookings {
        *seats.entry(b.slot_id).or_default() += 1;
    }
    let mut cancel_offered = HashSet::new();
    let mut intake_offered = HashSet::new();
    for b in bookings.iter().take(MAX_LISTED) {
        // R-CLI-7: a client who had their data deleted shows as "deleted client".
        let label = crate::bot::notices::client_label(l, lang, &b.client_first_name);
        let name = crate::bot::html::escape(&label);
        let paid = if b.state == BookingState::Confirmed {
            tr!(l, lang, "bookings-paid")
        } else {
            tr!(l, lang, "bookings-awaiting-payment")
        };
        text.push_str(&format!(
            "\n\n• {} — <b>{}</b>\n{} · {}",
            slot_when(l, lang, tz, b.starts_at, b.ends_at),
            name,
            kind_label(l, lang, b),
            paid
        ));
        let short = format!(
            "{}, {}",
            label.chars().take(20).collect::<String>(),
            b.starts_at.with_timezone(&tz).format("%d.%m %H:%M")
        );
        if b.starts_at > now && intake_offered.insert(b.client_id) {
            rows.push(vec![InlineKeyboardButton::callback(
                tr!(l, lang, "bookings-intake-button", who = short.as_str()),
                data(BookPress::Intake(b.booking_id)),
            )]);
        }
        if b.starts_at > now {
            // A session is cancelled as a whole: a group once, for all its participants.
            if cancel_offered.insert(b.slot_id) {
                let label = if b.kind == SessionKind::Group {
                    tr!(
                        l,
                        lang,
                        "bookings-cancel-group-button",
                        when = b.starts_at.with_timezone(&tz).format("%d.%m %H:%M").to_string(),
                        count = seats.get(&b.slot_id).copied().unwrap_or(1)
                    )
                } else {
                    tr!(l, lang, "bookings-cancel-button", who = short.as_str())
                };
                rows.push(vec![InlineKeyboardButton::callback(
                    label,
                    data(BookPress::Cancel(b.booking_id)),
                )]);
            }
        } else if b.state == BookingState::Confirmed {
            rows.push(vec![
                InlineKeyboardButton::callback(
                    tr!(l, lang, "bookings-held-button", who = short.as_str()),
                    data(BookPress::Held(b.booking_id)),
                ),
                InlineKeyboardButton::callback(
                    tr!(l, lang, "bookings-no-show-button"),
                    data(BookPress::NoShow(b.booking_id)),
                ),
            ]);
        }
    }
    if bookings.len() > MAX_LISTED {
        text.push_str("\n\n");
        text.push_str(&tr!(l, lang, "bookings-more", count = bookings.len() - MAX_LISTED));
    }
    // R-CAN-3: the free sessions this therapist owes after late cancellations.
    let debts = super::payouts::debt_lines(cx, t.id, tz).await?;
    if !debts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&tr!(l, lang, "debts-therapist-title"));
        text.push('\n');
        text.push_str(&debts.join("\n"));
    }
    Ok((text, InlineKeyboardMarkup::new(rows)))
}

/// A press of a bookings button: re-checked against the therapist and the database.
pub async fn on_press(cx: &Cx, press: &Press<'_>, dialogue: &ChatDialogue, p: BookPress) -> HandlerResult {
    let Some(t) = super::me_for_press(cx, press).await? else {
        return Ok(());
    };
    let (l, lang) = (cx.l(), cx.lang());
    let now = cx.app.clock.now();
    let store = TherapistBookings(&cx.app.db);
    let id = match p {
        BookPress::List => {
            press.answer(cx).await?;
            let (text, kb) = list_view(cx, &t).await?;
            return press.show(cx, text, kb).await;
        }
        BookPress::Cancel(id)
        | BookPress::ConfirmCancel(id)
        | BookPress::Held(id)
        | BookPress::NoShow(id)
        | BookPress::ForceMajeure(id)
        | BookPress::Intake(id) => id,
    };
    let Some(b) = store.get(t.id, id).await? else {
        return press.alert(cx, tr!(l, lang, "bookings-not-yours")).await;
    };
    let tz = zone(cx, t.id).await?;
    let when = slot_when(l, lang, tz, b.starts_at, b.ends_at);
    match p {
        BookPress::Intake(_) => intake_summary(cx, press, &b, tz).await,
        BookPress::Cancel(_) | BookPress::ConfirmCancel(_) => {
            let session = store.live_of_slot(t.id, b.slot_id).await?;
            if session.is_empty() || !session.iter().any(|x| x.booking_id == b.booking_id) {
                return press.alert(cx, tr!(l, lang, "bookings-already-settled")).await;
            }
            let mut decisions = Vec::with_capacity(session.len());
            for x in &session {
                let funding = funding_of(cx, x).await?;
                match decide(x, funding, now, &cx.app.settings) {
                    Ok(o) => decisions.push((x.booking_id, x.state, o)),
                    Err(e) => return press.alert(cx, cancel_error(l, lang, &e)).await,
                }
            }
            let outcomes: Vec<CancellationOutcome> = decisions.iter().map(|d| d.2).collect();
            let clients = session
                .iter()
                .map(|x| crate::bot::html::escape(&crate::bot::notices::client_label(l, lang, &x.client_first_name)))
                .collect::<Vec<_>>()
                .join(", ");
            if matches!(p, BookPress::Cancel(_)) {
                let text = format!(
                    "{}\n\n{}",
                    tr!(
                        l,
                        lang,
                        "bookings-confirm",
                        when = when.as_str(),
                        kind = kind_label(l, lang, &b),
                        clients = clients.as_str()
                    ),
                    effect_text(l, lang, &outcomes, false)
                );
                let kb = InlineKeyboardMarkup::new(vec![vec![
                    InlineKeyboardButton::callback(
                        tr!(l, lang, "bookings-confirm-yes"),
                        data(BookPress::ConfirmCancel(id)),
                    ),
                    InlineKeyboardButton::callback(tr!(l, lang, "bookings-confirm-no"), data(BookPress::List)),
                ]]);
                press.answer(cx).await?;
                return press.show(cx, text, kb).await;
            }
            match store.cancel_session(t.id, b.slot_id, &decisions, now).await {
                Ok(()) => {}
                Err(StoreError::Conflict) => return press.alert(cx, tr!(l, lang, "bookings-changed")).await,
                Err(e) => return Err(e.into()),
            }
            press.answer(cx).await?;
            for (x, (_, _, outcome)) in session.iter().zip(&decisions) {
                // R-CAN-3: the client gets everything back (a hold released, captured money
                // refunded). A provider failure is logged for the admins; the decision stands.
                if outcome.money != MoneyAction::Nothing {
                    if let Err(e) = cx.app.payments.give_back_for_booking(x.booking_id).await {
                        tracing::error!(booking = x.booking_id, error = %e, "could not give the money back after a therapist's cancellation");
                    }
                }
                notify_client(cx, &t, x, outcome).await;
            }
            let text = format!(
                "{}\n\n{}",
                tr!(
                    l,
                    lang,
                    "bookings-cancelled",
                    when = when.as_str(),
                    clients = clients.as_str()
                ),
                effect_text(l, lang, &outcomes, true)
            );
            let mut rows = Vec::new();
            if outcomes.iter().any(|o| o.therapist_owes_free_session) {
                rows.push(vec![InlineKeyboardButton::callback(
                    tr!(l, lang, "bookings-fm-button"),
                    data(BookPress::ForceMajeure(id)),
                )]);
            }
            rows.push(vec![InlineKeyboardButton::callback(
                tr!(l, lang, "bookings-back"),
                data(BookPress::List),
            )]);
            press.show(cx, text, InlineKeyboardMarkup::new(rows)).await
        }
        BookPress::Held(_) | BookPress::NoShow(_) => {
            if b.starts_at > now {
                return press.alert(cx, tr!(l, lang, "bookings-not-started")).await;
            }
            let event = if matches!(p, BookPress::Held(_)) {
                BookingEvent::SessionHeld
            } else {
                BookingEvent::ClientNoShow
            };
            let transition = match b.state.apply(event) {
                Ok(tr) if tr.changed => tr,
                Ok(_) => return press.alert(cx, tr!(l, lang, "bookings-already-settled")).await,
                Err(BookingError::NotConfirmed { .. }) => {
                    return press.alert(cx, tr!(l, lang, "bookings-not-paid-yet")).await
                }
                Err(_) => return press.alert(cx, tr!(l, lang, "bookings-already-settled")).await,
            };
            match Bookings(&cx.app.db)
                .transition(b.booking_id, b.state, transition.to, now)
                .await
            {
                Ok(()) => {}
                Err(StoreError::Conflict) => return press.alert(cx, tr!(l, lang, "bookings-changed")).await,
                Err(e) => return Err(e.into()),
            }
            let done = if transition.to == BookingState::Completed {
                tr!(
                    l,
                    lang,
                    "bookings-marked-held",
                    client = crate::bot::notices::client_label(l, lang, &b.client_first_name)
                )
            } else {
                tr!(
                    l,
                    lang,
                    "bookings-marked-no-show",
                    client = crate::bot::notices::client_label(l, lang, &b.client_first_name)
                )
            };
            press.answer_text(cx, done).await?;
            let (text, kb) = list_view(cx, &t).await?;
            press.show(cx, text, kb).await
        }
        BookPress::ForceMajeure(_) => {
            let owes = store.cancellation(b.booking_id).await?.is_some_and(|(_, _, owes)| owes);
            if !owes {
                return press.stale(cx).await;
            }
            if store.force_majeure(b.booking_id).await?.is_some() {
                return press.alert(cx, tr!(l, lang, "bookings-fm-exists")).await;
            }
            dialogue
                .update(State::ForceMajeureDocument { slot_id: b.slot_id })
                .await?;
            press.answer(cx).await?;
            cx.send(tr!(l, lang, "bookings-fm-ask", when = when.as_str())).await?;
            Ok(())
        }
        BookPress::List => Ok(()),
    }
}

/// What the cancellation means for the clients (before: a question; after: done).
fn effect_text(l: &Locales, lang: Lang, outcomes: &[CancellationOutcome], done: bool) -> String {
    let effect = if outcomes.iter().any(|o| o.therapist_owes_free_session) {
        tr!(l, lang, "bookings-effect-late")
    } else if outcomes.iter().any(|o| o.money != MoneyAction::Nothing) {
        tr!(l, lang, "bookings-effect-refund")
    } else {
        tr!(l, lang, "bookings-effect-nothing-paid")
    };
    let after = if done {
        tr!(l, lang, "bookings-effect-closed-done")
    } else {
        tr!(l, lang, "bookings-effect-closed")
    };
    format!("{effect}\n{after}")
}

fn cancel_error(l: &Locales, lang: Lang, e: &CancellationError) -> String {
    match e {
        CancellationError::AlreadyStarted => tr!(l, lang, "bookings-cancel-started"),
        CancellationError::NotCancellable(_) => tr!(l, lang, "bookings-already-settled"),
    }
}

/// Tells the client, in their language and zone, that the therapist cancelled and what they
/// get. A client who blocked the bot is logged, not an error for the therapist.
async fn notify_client(cx: &Cx, t: &Therapist, b: &TherapistBooking, outcome: &CancellationOutcome) {
    let l = cx.l();
    let (lang, tz) = match Users(&cx.app.db).get(b.client_id).await {
        Ok(Some(u)) => (u.language, u.zone_or(cx.app.default_tz)),
        _ => (b.client_language, cx.app.default_tz),
    };
    let when = slot_when(l, lang, tz, b.starts_at, b.ends_at);
    let therapist = crate::bot::html::escape(&t.full_name);
    let mut text = tr!(
        l,
        lang,
        "bookings-client-cancelled",
        therapist = therapist.as_str(),
        when = when.as_str()
    );
    text.push_str("\n\n");
    // R-PAY-1: a released hold was never taken; captured money is refunded to the card; a
    // package session comes back to the package.
    text.push_str(&match outcome.money {
        MoneyAction::Nothing => tr!(l, lang, "bookings-client-nothing-paid"),
        MoneyAction::ReleaseHold => tr!(l, lang, "bookings-client-hold-released"),
        MoneyAction::Refund => tr!(l, lang, "bookings-client-refunded-to-card"),
        MoneyAction::ReturnCredit => tr!(l, lang, "cancel-consequence-credit-back"),
        _ => tr!(l, lang, "bookings-client-refund"),
    });
    if outcome.therapist_owes_free_session {
        text.push('\n');
        text.push_str(&tr!(
            l,
            lang,
            "bookings-client-free-next",
            therapist = therapist.as_str()
        ));
    }
    if let Err(e) = cx.bot.send_message(ChatId(b.client_id), text).await {
        tracing::warn!(error = %e, booking = b.booking_id, "could not tell the client about the cancellation");
    }
}

/// The force-majeure document (a file or a photographed scan) arrived: a pending case for the admins' review, for each
/// booking of the cancelled session that left a free session owed.
pub async fn on_document(cx: &Cx, dialogue: &ChatDialogue, slot_id: i64, file_id: &str) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(t) = me(cx).await? else { return Ok(()) };
    dialogue.exit().await?;
    let filed = TherapistBookings(&cx.app.db)
        .file_force_majeure(t.id, slot_id, file_id, cx.app.clock.now())
        .await?;
    let text = if filed > 0 {
        tr!(l, lang, "bookings-fm-received")
    } else {
        tr!(l, lang, "bookings-fm-exists")
    };
    cx.send(text).await?;
    if filed > 0 {
        // R-CAN-3: the new cases go to the admins' chat for a decision (and stay in /cases
        // should the chat be unreachable now).
        if let Err(e) = crate::bot::admin::force_majeure::post_filed(cx, slot_id).await {
            tracing::warn!(error = %e, slot = slot_id, "could not post the force-majeure case to the admin chat");
        }
    }
    Ok(())
}

/// The intake summary of the client of one of THIS therapist's bookings (issue 4, Bookings):
/// their questionnaire answers in words and their latest PHQ-9 and GAD-7 scores with bands.
/// Only for a booking that is live or took place (not cancelled or expired), and only if the
/// client consented to the processing of their health data (R-CLI-1). The booking was already
/// looked up with this therapist's id, so a forged id of another therapist's booking never
/// gets here. Sent as a message of its own; nothing of it is logged.
async fn intake_summary(cx: &Cx, press: &Press<'_>, b: &TherapistBooking, tz: Tz) -> HandlerResult {
    use crate::bot::client::intake::describe_answer;
    use crate::catalog::questionnaire::question_key;
    use crate::domain::TestKind;
    use crate::store::intake::Intake;

    let (l, lang) = (cx.l(), cx.lang());
    let shared = matches!(
        b.state,
        BookingState::AwaitingPayment | BookingState::Confirmed | BookingState::Completed | BookingState::NoShow
    );
    if !shared {
        return press.alert(cx, tr!(l, lang, "bookings-intake-not-available")).await;
    }
    let intake = Intake(&cx.app.db);
    if intake.consent(b.client_id).await?.is_none() {
        return press.alert(cx, tr!(l, lang, "bookings-intake-no-consent")).await;
    }
    press.answer(cx).await?;
    let name = crate::bot::html::escape(&b.client_first_name);
    let mut parts = vec![tr!(l, lang, "bookings-intake-title", name = name)];
    match intake.get(b.client_id).await? {
        Some(r) if !r.progress.answers.is_empty() => {
            let mut lines = Vec::new();
            if r.completed_at.is_none() {
                lines.push(tr!(l, lang, "bookings-intake-partial"));
            }
            for q in &cx.app.catalog.questionnaire.questions {
                if let Some(a) = r.progress.answers.get(&q.id) {
                    lines.push(format!(
                        "• {}\n  <i>{}</i>",
                        l.text(lang, &question_key(&q.id), None),
                        describe_answer(l, lang, &q.id, a)
                    ));
                }
            }
            if r.risk {
                lines.push(tr!(l, lang, "bookings-intake-risk"));
            }
            parts.push(lines.join("\n"));
        }
        _ => parts.push(tr!(l, lang, "bookings-intake-no-answers")),
    }
    // Newest first: the latest of each kind.
    let tests = intake.tests(b.client_id).await?;
    let latest: Vec<String> = [TestKind::Phq9, TestKind::Gad7]
        .into_iter()
        .filter_map(|k| tests.iter().find(|t| t.kind == k))
        .map(|t| {
            tr!(
                l,
                lang,
                "mydata-test-line",
                test = crate::bot::client::screening::test_name(cx, t.kind),
                score = u32::from(t.total),
                max = u32::from(t.kind.max_score()),
                band = l.text(lang, t.band.key(), None),
                at = crate::bot::timefmt::local_time(t.taken_at, tz, lang)
            )
        })
        .collect();
    parts.push(if latest.is_empty() {
        tr!(l, lang, "bookings-intake-no-tests")
    } else {
        latest.join("\n")
    });
    // Not cut: cutting HTML could split an entity or a tag. The questionnaire bounds it (ten
    // questions, free text at most `max_len` characters), well under Telegram's 4096.
    let text = parts.join("\n\n");
    let kb = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
        tr!(l, lang, "bookings-intake-back"),
        data(BookPress::List),
    )]]);
    cx.send_with(text, kb).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_round_trip() {
        for p in [
            BookPress::List,
            BookPress::Cancel(7),
            BookPress::ConfirmCancel(i64::MAX),
            BookPress::Held(1),
            BookPress::NoShow(2),
            BookPress::ForceMajeure(3),
            BookPress::Intake(4),
        ] {
            let s = data(p);
            assert!(s.len() <= 64);
            assert_eq!(BookPress::decode(s.strip_prefix("bk:").unwrap()), Some(p));
        }
        for bad in ["c:", "c:-1", "x:1", "h:1a", "l:1", "c:9999999999999999999"] {
            assert_eq!(BookPress::decode(bad), None, "{bad}");
        }
    }
}
