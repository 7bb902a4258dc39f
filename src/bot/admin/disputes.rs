//! Refunds and disputes: `/booking <id>` shows a booking with its money history and the
//! buttons "Refund in full", "Refund part" (asks the amount) and "Cancel on the platform's
//! side" (R-CAN: an admin cancellation refunds the client in full and charges nobody);
//! `/client <telegram id>` lists a client's bookings. Every action is audited on
//! `booking:<id>`, the client (and for a cancellation the therapist) told through the outbox.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::payouts::money;
use super::{AdmAction, AdminStep};
use crate::bot::callback::Action;
use crate::bot::html::escape;
use crate::bot::{timefmt, ChatDialogue, Cx, HandlerResult, State};
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
        client = escape(&b.client_name),
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

/// Audits the action and tells the client, in one transaction.
async fn record(cx: &Cx, b: &BookingDetails, action: &str, amount: Money) -> HandlerResult {
    let now = cx.app.clock.now();
    let lang = client_lang(b);
    let text = tr!(
        cx.l(),
        lang,
        "dispute-refund-client",
        amount = money(amount.kopecks(), lang),
        therapist = escape(&b.therapist_name),
        when = timefmt::local_time(b.starts_at, b.client_tz.unwrap_or(cx.app.default_tz), lang)
    );
    let mut tx = cx.app.db.begin().await?;
    audit_in(
        &mut tx,
        cx.actor.user.telegram_id,
        action,
        &format!("booking:{}", b.id),
        Some(&money(amount.kopecks(), Lang::En)),
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

/// "Refund in full": releases a hold or refunds what is left.
pub async fn refund_full(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>, booking_id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let (Some(b), Some(p)) = (
        Bookings(&cx.app.db).details(booking_id).await?,
        live_payment(cx, booking_id).await?,
    ) else {
        return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await;
    };
    let amount = match p.state {
        PaymentState::Held => p.amount,
        _ => refundable(&p),
    };
    if amount.is_zero() {
        return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await;
    }
    if !cx.app.payments.return_money_and_sync(&p).await? {
        return alert(cx, q, tr!(l, lang, "dispute-nothing-to-refund")).await;
    }
    record(cx, &b, "refund_full", amount).await?;
    cx.bot
        .answer_callback_query(q.id.clone())
        .text(tr!(l, lang, "dispute-refunded-answer"))
        .await?;
    let line = tr!(
        l,
        lang,
        "dispute-refunded-by",
        by = escape(&cx.actor.user.first_name),
        at = stamp(cx),
        amount = money(amount.kopecks(), lang)
    );
    refresh(cx, mid, booking_id, line).await
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
    dialogue
        .update(State::Admin(AdminStep::RefundAmount {
            by: cx.actor.user.telegram_id,
            booking_id,
            card: mid.map(|m| m.0),
        }))
        .await?;
    cx.bot.answer_callback_query(q.id.clone()).await?;
    cx.send(tr!(
        l,
        lang,
        "dispute-ask-amount",
        admin = escape(&cx.actor.user.first_name),
        id = booking_id,
        max = money(refundable(&p).kopecks(), lang)
    ))
    .await?;
    Ok(())
}

/// The amount typed: refunded if it is at most what is left.
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
    let (Some(b), Some(p)) = (
        Bookings(&cx.app.db).details(booking_id).await?,
        live_payment(cx, booking_id).await?,
    ) else {
        dialogue.exit().await?;
        cx.send(tr!(l, lang, "dispute-nothing-to-refund")).await?;
        return Ok(());
    };
    match cx.app.payments.refund_part(&p, amount).await {
        Ok(_) => {}
        Err(PaymentFailure::TooMuch(max)) if !max.is_zero() => {
            cx.send(tr!(
                l,
                lang,
                "dispute-amount-too-much",
                max = money(max.kopecks(), lang)
            ))
            .await?;
            return Ok(());
        }
        Err(PaymentFailure::TooMuch(_)) => {
            dialogue.exit().await?;
            cx.send(tr!(l, lang, "dispute-nothing-to-refund")).await?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }
    dialogue.exit().await?;
    record(cx, &b, "refund_part", amount).await?;
    let line = tr!(
        l,
        lang,
        "dispute-refunded-by",
        by = escape(&cx.actor.user.first_name),
        at = stamp(cx),
        amount = money(amount.kopecks(), lang)
    );
    refresh(cx, card.map(MessageId), booking_id, line).await?;
    cx.send(tr!(l, lang, "dispute-refunded-answer")).await?;
    Ok(())
}

/// "Cancel on the platform's side" (R-CAN, Canceller::Admin): the booking cancelled with the
/// notices to client and therapist and the audit in one transaction; then the money returned
/// in full. Of two admins pressing at once, the second is told it is already cancelled.
pub async fn admin_cancel(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>, booking_id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(b) = Bookings(&cx.app.db).details(booking_id).await? else {
        return alert(cx, q, tr!(l, lang, "stale-button")).await;
    };
    let now = cx.app.clock.now();
    let payment = live_payment(cx, booking_id).await?;
    let credit = Packages(&cx.app.db).credit_of_booking(booking_id).await?.is_some();
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
            now,
            funding,
            force_majeure_accepted: false,
        },
        &cx.app.settings,
    );
    let outcome = match decision {
        Ok(o) if !o.repeated => o,
        Ok(_) => return alert(cx, q, tr!(l, lang, "dispute-already-cancelled")).await,
        Err(e) => return alert(cx, q, l.text(lang, e.key(), None)).await,
    };
    let mut tx = cx.app.db.begin().await?;
    if !Bookings::transition_in(&mut tx, booking_id, b.state, outcome.new_state, now).await? {
        drop(tx);
        return alert(cx, q, tr!(l, lang, "dispute-already-cancelled")).await;
    }
    // A package credit comes back to the client (R-PAY-1).
    if outcome.money == MoneyAction::ReturnCredit {
        Packages::return_credit_in(&mut tx, booking_id, now).await?;
    }
    audit_in(
        &mut tx,
        cx.actor.user.telegram_id,
        "admin_cancel",
        &format!("booking:{booking_id}"),
        None,
        now,
    )
    .await?;
    let client_when = timefmt::local_time(b.starts_at, b.client_tz.unwrap_or(cx.app.default_tz), b.client_language);
    let client_text = if outcome.money == MoneyAction::ReturnCredit {
        tr!(
            l,
            b.client_language,
            "package-admin-cancelled-client",
            therapist = escape(&b.therapist_name),
            when = client_when
        )
    } else {
        tr!(
            l,
            b.client_language,
            "dispute-cancelled-client",
            therapist = escape(&b.therapist_name),
            when = client_when
        )
    };
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
            client = escape(&b.client_name),
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
    // The money, after the cancellation is recorded (a failure here is retried by pressing
    // "Refund in full", which stays on the card while money is left).
    if let Some(p) = payment {
        if p.state == PaymentState::Pending {
            cx.app.payments.cancel_pending(&p).await?;
        } else {
            cx.app.payments.return_money_and_sync(&p).await?;
        }
    }
    cx.bot
        .answer_callback_query(q.id.clone())
        .text(tr!(l, lang, "dispute-cancelled-answer"))
        .await?;
    let line = tr!(
        l,
        lang,
        "dispute-cancelled-by",
        by = escape(&cx.actor.user.first_name),
        at = stamp(cx)
    );
    refresh(cx, mid, booking_id, line).await
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
