//! Refunds and disputes: `/booking <id>` shows a booking with its money history and the
//! buttons "Refund in full", "Refund part" (asks the amount) and "Cancel on the platform's
//! side" (R-CAN: an admin cancellation refunds the client in full and charges nobody);
//! `/client <telegram id>` lists a client's bookings. Every action asks the pressing admin for
//! a reason first (a reply to the bot's question; "Refund part": the amount, then the reason;
//! /cancel leaves without acting), then acts, conditionally: of two admins the second is told.
//! Each action is audited on `booking:<id>` with its reason, the client (and for a
//! cancellation the therapist) told through the outbox, the card edited in place.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::payouts::money;
use super::{AdmAction, AdminStep};
use crate::bot::callback::Action;
use crate::bot::html::escape;
use crate::bot::{timefmt, BotError, ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{
    decide_cancellation, BookingState, CancellationRequest, Canceller, Funding, Money, MoneyAction, PaymentState,
};
use crate::i18n::Lang;
use crate::payments::service::PaymentFailure;
use crate::store::bookings::{BookingDetails, Bookings};
use crate::store::outbox::{Outbox, OutboxMessage};
use crate::store::packages::Packages;
use crate::store::payments::{PaymentRecord, Payments};
use crate::store::payouts::audit_in;
use crate::store::users::Users;
use crate::tr;

/// The payment of a booking that still holds or took money (or waits for it).
async fn live_payment(cx: &Cx, booking_id: i64) -> Result<Option<PaymentRecord>, crate::store::StoreError> {
    Ok(Payments(&cx.app.db)
        .for_booking(booking_id)
        .await?
        .into_iter()
        .find(|p| {
            matches!(
                p.state,
                PaymentState::Pending | PaymentState::Held | PaymentState::Captured | PaymentState::PartiallyRefunded
            )
        }))
}

fn refundable(p: &PaymentRecord) -> Money {
    match p.state {
        PaymentState::Captured | PaymentState::PartiallyRefunded => p.amount.saturating_sub(p.refunded),
        _ => Money::ZERO,
    }
}

fn parse_id(args: &str) -> Option<i64> {
    let a = args.trim();
    (!a.is_empty() && a.len() <= 18 && a.bytes().all(|b| b.is_ascii_digit()))
        .then(|| a.parse().ok())
        .flatten()
}

/// The card of a booking and its buttons, in the viewer's language.
async fn card(cx: &Cx, b: &BookingDetails) -> Result<(String, InlineKeyboardMarkup), crate::store::StoreError> {
    let (l, lang) = (cx.l(), cx.lang());
    let mut history = String::new();
    let payments = Payments(&cx.app.db);
    for p in payments.for_booking(b.id).await? {
        for e in payments.events(p.id).await? {
            history.push_str(&format!(
                "\n• {}: {} → {} ({})",
                timefmt::local_time(e.at, cx.tz(), lang),
                escape(&e.from_state),
                escape(&e.to_state),
                escape(&e.event)
            ));
        }
        if !p.refunded.is_zero() {
            history.push_str(&format!(
                "\n{}",
                tr!(
                    l,
                    lang,
                    "dispute-refunded-so-far",
                    amount = money(p.refunded.kopecks(), lang)
                )
            ));
        }
    }
    if history.is_empty() {
        history = format!("\n{}", tr!(l, lang, "dispute-no-payments"));
    }
    let text = tr!(
        l,
        lang,
        "dispute-card",
        id = b.id,
        client = escape(&crate::bot::notices::client_label(l, lang, &b.client_name)),
        client_id = b.client_id,
        therapist = escape(&b.therapist_name),
        when = timefmt::local_time(b.starts_at, cx.tz(), lang),
        state = b.state.as_str(),
        price = money(b.price.kopecks(), lang),
        history = history
    );
    let live = live_payment(cx, b.id).await?;
    let mut row = Vec::new();
    let button = |text: String, a: AdmAction| vec![InlineKeyboardButton::callback(text, Action::Adm(a).encode())];
    if let Some(p) = &live {
        if matches!(p.state, PaymentState::Held) || !refundable(p).is_zero() {
            row.push(button(
                tr!(l, lang, "dispute-refund-full-button"),
                AdmAction::RefundFull(b.id),
            ));
        }
        if !refundable(p).is_zero() {
            row.push(button(
                tr!(l, lang, "dispute-refund-part-button"),
                AdmAction::RefundPart(b.id),
            ));
        }
    }
    if matches!(b.state, BookingState::AwaitingPayment | BookingState::Confirmed) && b.starts_at > cx.app.clock.now() {
        row.push(button(
            tr!(l, lang, "dispute-cancel-button"),
            AdmAction::AdminCancel(b.id),
        ));
    }
    Ok((text, InlineKeyboardMarkup::new(row)))
}

/// `/booking <id>`.
pub async fn show(cx: &Cx, args: &str) -> HandlerResult {
    let Some(id) = parse_id(args) else {
        cx.send(tr!(cx.l(), cx.lang(), "dispute-booking-usage")).await?;
        return Ok(());
    };
    let Some(b) = Bookings(&cx.app.db).details(id).await? else {
        cx.send(tr!(cx.l(), cx.lang(), "dispute-no-booking", id = id)).await?;
        return Ok(());
    };
    let (text, kb) = card(cx, &b).await?;
    cx.send_with(text, kb).await?;
    Ok(())
}

/// `/client <telegram id>`: the client's bookings, with their ids for `/booking`.
pub async fn client(cx: &Cx, args: &str) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(id) = parse_id(args) else {
        cx.send(tr!(l, lang, "dispute-client-usage")).await?;
        return Ok(());
    };
    let rows = crate::store::lookup::client_bookings(&cx.app.db, id).await?;
    // R-PAY-1: the client's packages, each with its refund button while credits are unused.
    for k in Packages(&cx.app.db).of_client(id).await? {
        let owed = refund_owed(cx, &k).await?;
        let (text, kb) = package_card(cx, &k, owed);
        cx.send_with(text, kb).await?;
    }
    if rows.is_empty() {
        cx.send(tr!(l, lang, "dispute-client-none", id = id)).await?;
        return Ok(());
    }
    let mut text = tr!(l, lang, "dispute-client-title", id = id);
    for r in rows {
        text.push_str(&format!(
            "\n/booking {} — {}, {}, {}",
            r.id,
            timefmt::local_time(r.starts_at, cx.tz(), lang),
            escape(&r.therapist),
            escape(&r.state)
        ));
    }
    cx.send(text).await?;
    Ok(())
}

async fn alert(cx: &Cx, q: &CallbackQuery, text: String) -> HandlerResult {
    cx.bot
        .answer_callback_query(q.id.clone())
        .text(text)
        .show_alert(true)
        .await?;
    Ok(())
}

/// Re-renders the card in place after a change (with the line saying who did what).
async fn refresh(cx: &Cx, mid: Option<MessageId>, booking_id: i64, line: String) -> HandlerResult {
    let (Some(mid), Some(b)) = (mid, Bookings(&cx.app.db).details(booking_id).await?) else {
        return Ok(());
    };
    let (text, kb) = card(cx, &b).await?;
    cx.bot
        .edit_message_text(cx.chat_id, mid, format!("{text}\n\n{line}"))
        .reply_markup(kb)
        .await?;
    Ok(())
}

fn client_lang(b: &BookingDetails) -> Lang {
    b.client_language
}

fn client_when(cx: &Cx, b: &BookingDetails) -> String {
    timefmt::local_time(b.starts_at, b.client_tz.unwrap_or(cx.app.default_tz), b.client_language)
}

/// An admin reason: 3 to 1000 characters once trimmed.
fn valid_reason(text: &str) -> Option<&str> {
    let r = text.trim();
    (3..=1000).contains(&r.chars().count()).then_some(r)
}

/// Another admin's question waiting in this chat (the admin chat's one dialogue is shared):
/// their name. Nothing of theirs is overwritten; they answer or /cancel first.
async fn busy(cx: &Cx, dialogue: &ChatDialogue) -> Result<Option<String>, BotError> {
    match dialogue.get().await? {
        Some(State::Admin(step)) if step.by() != cx.actor.user.telegram_id => {
            let name = Users(&cx.app.db)
                .get(step.by())
                .await?
                .map(|u| u.first_name)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| step.by().to_string());
            Ok(Some(name))
        }
        _ => Ok(None),
    }
}

/// Puts this admin's question (`step`) to the chat, unless another admin's question is still
/// waiting there (then the presser is told whose, and nothing changes).
async fn ask(cx: &Cx, q: &CallbackQuery, dialogue: &ChatDialogue, step: AdminStep, question: String) -> HandlerResult {
    if let Some(other) = busy(cx, dialogue).await? {
        return alert(cx, q, tr!(cx.l(), cx.lang(), "dispute-busy", admin = other)).await;
    }
    dialogue.update(State::Admin(step)).await?;
    cx.bot.answer_callback_query(q.id.clone()).await?;
    cx.send(question).await?;
    Ok(())
}

/// Audits the refund (amount and reason) and tells the client, in one transaction. A
/// released hold says so: the money was never taken (R-PAY-1); captured money is returned.
async fn record(
    cx: &Cx,
    b: &BookingDetails,
    action: &str,
    amount: Money,
    released: bool,
    reason: &str,
) -> HandlerResult {
    let now = cx.app.clock.now();
    let lang = client_lang(b);
    let (l, amount_text, therapist, when, why) = (
        cx.l(),
        money(amount.kopecks(), lang),
        escape(&b.therapist_name),
        client_when(cx, b),
        escape(reason),
    );
    let text = if released {
        tr!(
            l,
            lang,
            "dispute-release-client",
            amount = amount_text,
            therapist = therapist,
            when = when,
            reason = why
        )
    } else {
        tr!(
            l,
            lang,
            "dispute-refund-client-reason",
            amount = amount_text,
            therapist = therapist,
            when = when,
            reason = why
        )
    };
    let mut tx = cx.app.db.begin().await?;
    audit_in(
        &mut tx,
        cx.actor.user.telegram_id,
        action,
        &format!("booking:{}", b.id),
        Some(&format!("{} — {reason}", money(amount.kopecks(), Lang::En))),
        now,
    )
    .await?;
    let msg = OutboxMessage::new(b.client_id, text).dedupe(format!("refund:{}:{action}:{}", b.id, now.timestamp()));
    Outbox::enqueue_in(&mut tx, &msg, now).await?;
    tx.commit().await?;
    Ok(())
}

fn stamp(cx: &Cx) -> String {
    timefmt::local_time(cx.app.clock.now(), cx.tz(), cx.lang())
}

/// What "Refund in full" gives back now: (amount, whether it is a hold being released).
fn full_return(p: &PaymentRecord) -> Option<(Money, bool)> {
    match p.state {
        PaymentState::Held => Some((p.amount, true)),
        _ => Some((refundable(p), false)).filter(|(a, _)| !a.is_zero()),
    }
}

/// "Refund in full" pressed: asks this admin for the reason.
pub async fn ask_refund_reason(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    booking_id: i64,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some((amount, _)) = live_payment(cx, booking_id).await?.as_ref().and_then(full_return) else {
        return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await;
    };
    let step = AdminStep::RefundReason {
        by: cx.actor.user.telegram_id,
        booking_id,
        card: mid.map(|m| m.0),
        amount: None,
    };
    let question = tr!(
        l,
        lang,
        "dispute-ask-refund-reason",
        admin = escape(&cx.actor.user.first_name),
        id = booking_id,
        amount = money(amount.kopecks(), lang)
    );
    ask(cx, q, dialogue, step, question).await
}

/// "Refund part": asks this admin for the amount.
pub async fn ask_amount(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    booking_id: i64,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(p) = live_payment(cx, booking_id).await?.filter(|p| !refundable(p).is_zero()) else {
        return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await;
    };
    let step = AdminStep::RefundAmount {
        by: cx.actor.user.telegram_id,
        booking_id,
        card: mid.map(|m| m.0),
    };
    let question = tr!(
        l,
        lang,
        "dispute-ask-amount",
        admin = escape(&cx.actor.user.first_name),
        id = booking_id,
        max = money(refundable(&p).kopecks(), lang)
    );
    ask(cx, q, dialogue, step, question).await
}

/// The amount typed: if it is at most what is left, the reason is asked next.
pub async fn on_amount(
    cx: &Cx,
    text: &str,
    dialogue: &ChatDialogue,
    booking_id: i64,
    card: Option<i32>,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let amount = match Money::parse(text) {
        Ok(a) if !a.is_zero() => a,
        Ok(_) => {
            cx.send(tr!(l, lang, "dispute-amount-zero")).await?;
            return Ok(());
        }
        Err(e) => {
            cx.send(format!(
                "{}\n{}",
                l.text(lang, e.key(), None),
                tr!(l, lang, "dispute-amount-again")
            ))
            .await?;
            return Ok(());
        }
    };
    let max = live_payment(cx, booking_id)
        .await?
        .map(|p| refundable(&p))
        .unwrap_or(Money::ZERO);
    if max.is_zero() {
        dialogue.exit().await?;
        cx.send(tr!(l, lang, "dispute-nothing-to-refund")).await?;
        return Ok(());
    }
    if amount > max {
        cx.send(tr!(
            l,
            lang,
            "dispute-amount-too-much",
            max = money(max.kopecks(), lang)
        ))
        .await?;
        return Ok(());
    }
    dialogue
        .update(State::Admin(AdminStep::RefundReason {
            by: cx.actor.user.telegram_id,
            booking_id,
            card,
            amount: Some(amount.kopecks()),
        }))
        .await?;
    cx.send(tr!(
        l,
        lang,
        "dispute-ask-part-reason",
        admin = escape(&cx.actor.user.first_name),
        amount = money(amount.kopecks(), lang)
    ))
    .await?;
    Ok(())
}

/// The refund's reason typed: the money goes back (in full, or the amount typed before),
/// audited with the reason, the client told, the card edited. Whatever changed meanwhile
/// (another admin refunded) is re-checked against the payment and said.
pub async fn on_refund_reason(
    cx: &Cx,
    text: &str,
    dialogue: &ChatDialogue,
    booking_id: i64,
    card: Option<i32>,
    amount: Option<i64>,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(reason) = valid_reason(text) else {
        cx.send(tr!(l, lang, "dispute-bad-reason")).await?;
        return Ok(());
    };
    dialogue.exit().await?;
    let (Some(b), Some(p)) = (
        Bookings(&cx.app.db).details(booking_id).await?,
        live_payment(cx, booking_id).await?,
    ) else {
        cx.send(tr!(l, lang, "dispute-nothing-to-refund")).await?;
        return Ok(());
    };
    let (action, amount, released) = match amount {
        None => {
            let Some((amount, released)) = full_return(&p) else {
                cx.send(tr!(l, lang, "dispute-nothing-to-refund")).await?;
                return Ok(());
            };
            match cx.app.payments.return_money_and_sync(&p).await {
                Ok(true) => {}
                Ok(false) => {
                    cx.send(tr!(l, lang, "dispute-nothing-to-refund")).await?;
                    return Ok(());
                }
                Err(e) => {
                    tracing::error!(booking = booking_id, error = %e, "an admin's full refund failed at the provider");
                    cx.send(tr!(l, lang, "dispute-provider-failed")).await?;
                    return Ok(());
                }
            }
            ("refund_full", amount, released)
        }
        Some(k) => {
            let amount = Money::from_kopecks(k).unwrap_or(Money::ZERO);
            match cx.app.payments.refund_part(&p, amount).await {
                Ok(_) => {}
                Err(PaymentFailure::TooMuch(max)) if !max.is_zero() => {
                    cx.send(tr!(l, lang, "dispute-amount-changed", max = money(max.kopecks(), lang)))
                        .await?;
                    return Ok(());
                }
                Err(PaymentFailure::TooMuch(_)) => {
                    cx.send(tr!(l, lang, "dispute-nothing-to-refund")).await?;
                    return Ok(());
                }
                Err(e) => {
                    tracing::error!(booking = booking_id, error = %e, "an admin's partial refund failed at the provider");
                    cx.send(tr!(l, lang, "dispute-provider-failed")).await?;
                    return Ok(());
                }
            }
            ("refund_part", amount, false)
        }
    };
    record(cx, &b, action, amount, released, reason).await?;
    let (by, at, amount_text, why) = (
        escape(&cx.actor.user.first_name),
        stamp(cx),
        money(amount.kopecks(), lang),
        escape(reason),
    );
    let line = if released {
        tr!(
            l,
            lang,
            "dispute-released-by-reason",
            by = by,
            at = at,
            amount = amount_text,
            reason = why
        )
    } else {
        tr!(
            l,
            lang,
            "dispute-refunded-by-reason",
            by = by,
            at = at,
            amount = amount_text,
            reason = why
        )
    };
    refresh(cx, card.map(MessageId), booking_id, line).await?;
    let done = if released {
        tr!(l, lang, "dispute-released-answer")
    } else {
        tr!(l, lang, "dispute-refunded-answer")
    };
    cx.send(done).await?;
    Ok(())
}

/// The domain's decision for an admin cancellation of the booking now (R-CAN, Canceller::Admin).
async fn admin_decision(
    cx: &Cx,
    b: &BookingDetails,
) -> Result<
    (
        Result<crate::domain::CancellationOutcome, String>,
        Option<PaymentRecord>,
    ),
    BotError,
> {
    let (l, lang) = (cx.l(), cx.lang());
    let payment = live_payment(cx, b.id).await?;
    let credit = Packages(&cx.app.db).credit_of_booking(b.id).await?.is_some();
    let funding = match payment.as_ref().map(|p| p.state) {
        _ if credit => Funding::PackageCredit,
        Some(PaymentState::Held) => Funding::Held,
        Some(PaymentState::Captured | PaymentState::PartiallyRefunded) => Funding::Captured,
        _ if b.state == BookingState::AwaitingPayment => Funding::Unpaid,
        _ => Funding::NoCharge,
    };
    let decision = decide_cancellation(
        &CancellationRequest {
            booking: b.state,
            by: Canceller::Admin,
            session_start: b.starts_at,
            now: cx.app.clock.now(),
            funding,
            force_majeure_accepted: false,
        },
        &cx.app.settings,
    );
    let outcome = match decision {
        Ok(o) if !o.repeated => Ok(o),
        Ok(_) => Err(tr!(l, lang, "dispute-already-cancelled")),
        Err(e) => Err(l.text(lang, e.key(), None)),
    };
    Ok((outcome, payment))
}

/// "Cancel on the platform's side" pressed: if the booking can be cancelled, asks this admin
/// for the reason.
pub async fn ask_cancel_reason(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    booking_id: i64,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(b) = Bookings(&cx.app.db).details(booking_id).await? else {
        return alert(cx, q, tr!(l, lang, "stale-button")).await;
    };
    if let (Err(why), _) = admin_decision(cx, &b).await? {
        return alert(cx, q, why).await;
    }
    let step = AdminStep::CancelReason {
        by: cx.actor.user.telegram_id,
        booking_id,
        card: mid.map(|m| m.0),
    };
    let question = tr!(
        l,
        lang,
        "dispute-ask-cancel-reason",
        admin = escape(&cx.actor.user.first_name),
        id = booking_id
    );
    ask(cx, q, dialogue, step, question).await
}

/// The cancellation's reason typed (R-CAN, Canceller::Admin): the booking cancelled with the
/// decision recorded, the notices to client and therapist and the audit in one transaction;
/// then the money returned in full. A provider failure is retried by `jobs::money_returns`
/// (the recorded decision says the money is owed). Of two admins, the second is told it is
/// already cancelled.
pub async fn on_cancel_reason(
    cx: &Cx,
    text: &str,
    dialogue: &ChatDialogue,
    booking_id: i64,
    card: Option<i32>,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(reason) = valid_reason(text) else {
        cx.send(tr!(l, lang, "dispute-bad-reason")).await?;
        return Ok(());
    };
    dialogue.exit().await?;
    let Some(b) = Bookings(&cx.app.db).details(booking_id).await? else {
        cx.send(tr!(l, lang, "stale-button")).await?;
        return Ok(());
    };
    let now = cx.app.clock.now();
    let (outcome, payment) = admin_decision(cx, &b).await?;
    let outcome = match outcome {
        Ok(o) => o,
        Err(why) => {
            cx.send(why).await?;
            return Ok(());
        }
    };
    let mut tx = cx.app.db.begin().await?;
    if !Bookings::transition_in(&mut tx, booking_id, b.state, outcome.new_state, now).await? {
        drop(tx);
        cx.send(tr!(l, lang, "dispute-already-cancelled")).await?;
        return Ok(());
    }
    crate::store::money_returns::record_admin_cancellation_in(&mut tx, booking_id, &outcome, now).await?;
    // A package credit comes back to the client (R-PAY-1).
    if outcome.money == MoneyAction::ReturnCredit {
        Packages::return_credit_in(&mut tx, booking_id, now).await?;
    }
    audit_in(
        &mut tx,
        cx.actor.user.telegram_id,
        "admin_cancel",
        &format!("booking:{booking_id}"),
        Some(reason),
        now,
    )
    .await?;
    let cl = b.client_language;
    let money_line = match payment.as_ref().map(|p| p.state) {
        _ if outcome.money == MoneyAction::ReturnCredit => tr!(l, cl, "cancel-consequence-credit-back"),
        Some(PaymentState::Held) => tr!(l, cl, "dispute-cancelled-money-released"),
        Some(PaymentState::Captured | PaymentState::PartiallyRefunded) => {
            tr!(l, cl, "dispute-cancelled-money-refunded")
        }
        _ => tr!(l, cl, "dispute-cancelled-money-nothing"),
    };
    let client_text = tr!(
        l,
        cl,
        "dispute-cancelled-client-reason",
        therapist = escape(&b.therapist_name),
        when = client_when(cx, &b),
        reason = escape(reason),
        money = money_line
    );
    let key = format!("admin-cancel:{booking_id}");
    Outbox::enqueue_in(
        &mut tx,
        &OutboxMessage::new(b.client_id, client_text).dedupe(format!("{key}:client")),
        now,
    )
    .await?;
    if let Some(tg) = b.therapist_telegram_id {
        let tl = b.therapist_language.unwrap_or(cx.app.default_lang);
        let text = tr!(
            l,
            tl,
            "dispute-cancelled-therapist",
            client = escape(&crate::bot::notices::client_label(l, tl, &b.client_name)),
            when = timefmt::local_time(b.starts_at, b.therapist_tz.unwrap_or(cx.app.default_tz), tl)
        );
        Outbox::enqueue_in(
            &mut tx,
            &OutboxMessage::new(tg, text).dedupe(format!("{key}:therapist")),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    // The money, after the cancellation is recorded.
    let mut retried = false;
    if let Some(p) = payment {
        let result = if p.state == PaymentState::Pending {
            cx.app.payments.cancel_pending(&p).await
        } else {
            cx.app.payments.return_money_and_sync(&p).await.map(|_| ())
        };
        if let Err(e) = result {
            tracing::error!(booking = booking_id, error = %e, "the money of an admin cancellation not returned yet; retried by the job");
            retried = true;
        }
    }
    let line = tr!(
        l,
        lang,
        "dispute-cancelled-by-reason",
        by = escape(&cx.actor.user.first_name),
        at = stamp(cx),
        reason = escape(reason)
    );
    refresh(cx, card.map(MessageId), booking_id, line).await?;
    let done = if retried {
        tr!(l, lang, "dispute-cancelled-money-later")
    } else {
        tr!(l, lang, "dispute-cancelled-answer")
    };
    cx.send(done).await?;
    Ok(())
}

/// A package as the admins see it, with "Refund unused credits" while some are unused (or a
/// refund is still owed after a provider failure).
fn package_card(cx: &Cx, k: &crate::store::packages::PackageRecord, owed: Money) -> (String, InlineKeyboardMarkup) {
    let (l, lang) = (cx.l(), cx.lang());
    let p = &k.package;
    let text = tr!(
        l,
        lang,
        "package-admin-card",
        id = k.id,
        therapist = escape(&k.therapist_name),
        state = k.state.as_str(),
        size = p.size(),
        used = p.used(),
        left = k.available(),
        refunded = p.refunded_credits(),
        price = money(p.per_session_price().kopecks(), lang),
        paid = money(p.paid().kopecks(), lang),
        refunded_amount = money(p.refunded_amount().kopecks(), lang)
    );
    let mut rows = Vec::new();
    if k.available() > 0 || !owed.is_zero() {
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "package-admin-refund-button"),
            Action::Adm(AdmAction::PkgRefund(k.id)).encode(),
        )]);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

/// What the provider still has to refund for credits already marked refunded (non-zero only
/// after a provider failure).
async fn refund_owed(cx: &Cx, k: &crate::store::packages::PackageRecord) -> Result<Money, crate::store::StoreError> {
    let refunded = Payments(&cx.app.db)
        .for_package(k.id)
        .await?
        .into_iter()
        .find(|p| matches!(p.state, PaymentState::Captured | PaymentState::PartiallyRefunded))
        .map(|p| p.refunded);
    Ok(refunded.map_or(Money::ZERO, |r| k.package.refunded_amount().saturating_sub(r)))
}

/// "Refund unused credits" (R-PAY-1): the unused credits are first marked refunded (so no
/// booking can take them any more), audited and the client's notice enqueued, in one
/// transaction; then the money owed (refunded credits × per-session price, less what the
/// provider already refunded) goes back through [`crate::payments::service::PaymentService::refund_part`],
/// whose idempotence key is stored before the call. A press after a provider failure
/// refunds what is still owed, under the same key.
pub async fn refund_package(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>, package_id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(k) = Packages(&cx.app.db).get(package_id).await? else {
        return alert(cx, q, tr!(l, lang, "stale-button")).await;
    };
    let payment = Payments(&cx.app.db)
        .for_package(package_id)
        .await?
        .into_iter()
        .find(|p| matches!(p.state, PaymentState::Captured | PaymentState::PartiallyRefunded));
    let Some(payment) = payment else {
        return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await;
    };
    let now = cx.app.clock.now();
    let mut after = k.package;
    let mut marked = None;
    if k.available() > 0 {
        let amount = match after.refund_unused() {
            Ok(a) => a,
            Err(_) => return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await,
        };
        let mut tx = cx.app.db.begin().await?;
        if !Packages::mark_refunded_in(&mut tx, k.id, &k.package, &after, now).await? {
            drop(tx);
            return alert(cx, q, tr!(l, lang, "package-admin-changed")).await;
        }
        let credits = after.refunded_credits() - k.package.refunded_credits();
        audit_in(
            &mut tx,
            cx.actor.user.telegram_id,
            "package_refund",
            &format!("package:{}", k.id),
            Some(&format!(
                "{credits} × {}",
                money(k.package.per_session_price().kopecks(), Lang::En)
            )),
            now,
        )
        .await?;
        let cl = k.client_language;
        let text = tr!(
            l,
            cl,
            "package-refund-client",
            count = credits,
            therapist = escape(&k.therapist_name),
            amount = money(amount.kopecks(), cl)
        );
        Outbox::enqueue_in(
            &mut tx,
            &OutboxMessage::new(k.client_id, text).dedupe(format!(
                "package-refund:{}:{}",
                k.id,
                after.refunded_credits()
            )),
            now,
        )
        .await?;
        tx.commit().await?;
        marked = Some(credits);
    }
    // What the provider still has to give back for the credits marked refunded.
    let owed = after.refunded_amount().saturating_sub(payment.refunded);
    if !owed.is_zero() {
        cx.app.payments.refund_part(&payment, owed).await?;
    } else if marked.is_none() {
        return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await;
    }
    cx.bot
        .answer_callback_query(q.id.clone())
        .text(tr!(l, lang, "dispute-refunded-answer"))
        .await?;
    if let (Some(mid), Some(k)) = (mid, Packages(&cx.app.db).get(package_id).await?) {
        let still = refund_owed(cx, &k).await?;
        let (text, kb) = package_card(cx, &k, still);
        let line = tr!(
            l,
            lang,
            "dispute-refunded-by",
            by = escape(&cx.actor.user.first_name),
            at = stamp(cx),
            amount = money(owed.kopecks(), lang)
        );
        cx.bot
            .edit_message_text(cx.chat_id, mid, format!("{text}\n\n{line}"))
            .reply_markup(kb)
            .await?;
    }
    Ok(())
}
