//! /mybookings (R-CLI-6): the client's sessions in their zone with therapist, kind, state and
//! payment state; the room link from 15 minutes before the start until the end (R-SES-1); a
//! pending booking's payment link again; cancel (R-CAN-2) with the consequence decided by the
//! domain and stated before the client confirms; move (R-CAN-4) through the booking flow.

use chrono::TimeDelta;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::booking::{CbPress, Target};
use crate::bot::html::escape;
use crate::bot::notices::{kind_name, money};
use crate::bot::therapist::calendar::slot_when;
use crate::bot::therapist::Press;
use crate::bot::{BotError, Cx, HandlerResult};
use crate::domain::{
    decide_cancellation, BookingState, CancellationOutcome, CancellationRequest, Canceller, Funding, MoneyAction,
    PaymentState,
};
use crate::store::client_booking::{ClientBooking, ClientBookings};
use crate::store::outbox::OutboxMessage;
use crate::store::payments::{PaymentRecord, Payments};
use crate::tr;

/// The booking's latest payment.
async fn payment(cx: &Cx, booking_id: i64) -> Result<Option<PaymentRecord>, BotError> {
    Ok(Payments(&cx.app.db)
        .for_booking(booking_id)
        .await?
        .into_iter()
        .max_by_key(|p| p.id))
}

fn state_name(cx: &Cx, s: BookingState) -> String {
    let (l, lang) = (cx.l(), cx.lang());
    match s {
        BookingState::AwaitingPayment => tr!(l, lang, "my-state-awaiting_payment"),
        BookingState::Confirmed => tr!(l, lang, "my-state-confirmed"),
        BookingState::CancelledByClient => tr!(l, lang, "my-state-cancelled_by_client"),
        BookingState::CancelledByTherapist => tr!(l, lang, "my-state-cancelled_by_therapist"),
        BookingState::CancelledByAdmin => tr!(l, lang, "my-state-cancelled_by_admin"),
        BookingState::Expired => tr!(l, lang, "my-state-expired"),
        BookingState::Completed => tr!(l, lang, "my-state-completed"),
        BookingState::NoShow => tr!(l, lang, "my-state-no_show"),
    }
}

fn payment_name(cx: &Cx, b: &ClientBooking, p: Option<&PaymentRecord>) -> String {
    let (l, lang) = (cx.l(), cx.lang());
    if b.credit {
        return tr!(l, lang, "my-pay-credit");
    }
    if b.price.is_zero() {
        return tr!(l, lang, "my-pay-free");
    }
    let amount = money(lang, b.price);
    match p.map(|p| p.state) {
        None => tr!(l, lang, "my-pay-none"),
        Some(PaymentState::Pending) => tr!(l, lang, "my-pay-pending"),
        Some(PaymentState::Held) => tr!(l, lang, "my-pay-held", amount = amount),
        Some(PaymentState::Captured) => tr!(l, lang, "my-pay-captured", amount = amount),
        Some(PaymentState::Released) => tr!(l, lang, "my-pay-released"),
        Some(PaymentState::PartiallyRefunded | PaymentState::Refunded) => tr!(l, lang, "my-pay-refunded"),
        Some(PaymentState::Failed) => tr!(l, lang, "my-pay-failed"),
    }
}

/// The list.
pub async fn show(cx: &Cx) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let now = cx.app.clock.now();
    let list = ClientBookings(&cx.app.db).list(cx.actor.user.telegram_id).await?;
    // R-CAN-3: free sessions therapists owe this client, each with a button to book it.
    let debts = crate::store::receipts::Receipts(&cx.app.db)
        .debts_to_client(cx.actor.user.telegram_id)
        .await?;
    let mut rows = Vec::new();
    let mut debt_text = Vec::new();
    if !debts.is_empty() {
        debt_text.push(tr!(l, lang, "debts-client-title"));
        let mut offered = std::collections::HashSet::new();
        for d in &debts {
            debt_text.push(tr!(
                l,
                lang,
                "debts-client-line",
                therapist = escape(&d.therapist_name),
                cancelled = crate::bot::timefmt::local_time(d.cancelled_at, tz, lang)
            ));
            // One button per therapist: the booking flow applies the oldest debt.
            if offered.insert(d.therapist_id) {
                rows.push(vec![InlineKeyboardButton::callback(
                    tr!(
                        l,
                        lang,
                        "debts-client-btn",
                        therapist = d.therapist_name.chars().take(40).collect::<String>()
                    ),
                    CbPress::Start(Target::New {
                        therapist: d.therapist_id,
                        kind: crate::domain::SessionKind::Individual,
                    })
                    .data(),
                )]);
            }
        }
    }
    // R-PAY-1: the client's packages and their credits first.
    let (package_lines, package_rows) = super::packages::lines(cx).await?;
    if list.is_empty() && package_lines.is_empty() {
        if debt_text.is_empty() {
            cx.send(tr!(l, lang, "my-empty")).await?;
        } else {
            cx.send_with(debt_text.join("\n"), InlineKeyboardMarkup::new(rows))
                .await?;
        }
        return Ok(());
    }
    let mut lines = package_lines;
    if !list.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(tr!(l, lang, "my-title", zone = tz.name()));
    }
    let mut rows = [package_rows, rows].concat();
    // Upcoming first (soonest first), then the past (latest first).
    let (mut upcoming, past): (Vec<_>, Vec<_>) = list.into_iter().partition(|b| b.ends_at > now);
    upcoming.reverse();
    for (n, b) in upcoming.iter().chain(past.iter()).enumerate() {
        let n = n + 1;
        let p = payment(cx, b.id).await?;
        lines.push(format!(
            "{n}. {}",
            tr!(
                l,
                lang,
                "my-line",
                when = slot_when(l, lang, tz, b.starts_at, b.ends_at),
                kind = kind_name(l, lang, b.kind),
                therapist = escape(&b.therapist_name),
                state = state_name(cx, b.state),
                payment = payment_name(cx, b, p.as_ref())
            )
        ));
        // R-SES-1: the room from 15 minutes before the start until the end.
        if let (BookingState::Confirmed, Some(link)) = (b.state, b.video_room_link.as_deref()) {
            if now >= b.starts_at - TimeDelta::minutes(15) && now < b.ends_at {
                lines.push(tr!(l, lang, "my-room", link = escape(link)));
            }
        }
        if b.state.holds_slot() && b.starts_at > now {
            let mut row = Vec::new();
            if let (BookingState::AwaitingPayment, Some(url)) = (
                b.state,
                p.as_ref()
                    .filter(|p| p.state == PaymentState::Pending)
                    .and_then(|p| p.confirmation_url.as_deref())
                    .and_then(|u| u.parse().ok()),
            ) {
                row.push(InlineKeyboardButton::url(
                    tr!(l, lang, "my-btn-pay", n = n, amount = money(lang, b.price)),
                    url,
                ));
            }
            row.push(InlineKeyboardButton::callback(
                tr!(l, lang, "my-btn-cancel", n = n),
                CbPress::Cancel(b.id).data(),
            ));
            // A program's meeting is at the program's time: it is cancelled, not moved.
            if b.kind != crate::domain::SessionKind::Group {
                row.push(InlineKeyboardButton::callback(
                    tr!(l, lang, "my-btn-move", n = n),
                    CbPress::Start(Target::Move(b.id)).data(),
                ));
            }
            rows.push(row);
        }
    }
    if !debt_text.is_empty() {
        lines.push(String::new());
        lines.extend(debt_text);
    }
    cx.send_with(lines.join("\n"), InlineKeyboardMarkup::new(rows)).await?;
    Ok(())
}

/// A decided cancellation and its words.
pub struct Consequence {
    pub outcome: CancellationOutcome,
    pub text: String,
    pub payment: Option<PaymentRecord>,
}

/// What cancelling `b` now would do (R-CAN-2), or `None` when it cannot be cancelled.
pub async fn consequence(cx: &Cx, b: &ClientBooking) -> Result<Option<Consequence>, BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let p = payment(cx, b.id).await?;
    let funding = if b.credit {
        Funding::PackageCredit
    } else if b.price.is_zero() {
        if b.owed_free {
            Funding::OwedFreeSession
        } else {
            Funding::NoCharge
        }
    } else {
        match p.as_ref().map(|p| p.state) {
            Some(PaymentState::Held) => Funding::Held,
            Some(PaymentState::Captured) => Funding::Captured,
            _ => Funding::Unpaid,
        }
    };
    let request = CancellationRequest {
        booking: b.state,
        by: Canceller::Client,
        session_start: b.starts_at,
        now: cx.app.clock.now(),
        funding,
        force_majeure_accepted: false,
    };
    let Ok(outcome) = decide_cancellation(&request, &cx.app.settings) else {
        return Ok(None);
    };
    if outcome.repeated {
        return Ok(None);
    }
    let amount = money(lang, b.price);
    let text = match outcome.money {
        MoneyAction::ReleaseHold => tr!(l, lang, "cancel-consequence-release", amount = amount),
        MoneyAction::Refund => tr!(l, lang, "cancel-consequence-refund", amount = amount),
        MoneyAction::ReturnFreeSession => tr!(l, lang, "cancel-consequence-free"),
        MoneyAction::ReturnCredit => tr!(l, lang, "cancel-consequence-credit-back"),
        MoneyAction::KeepCredit => tr!(l, lang, "cancel-consequence-credit-kept"),
        MoneyAction::CaptureHold | MoneyAction::KeepCaptured => {
            tr!(l, lang, "cancel-consequence-late", amount = amount)
        }
        MoneyAction::KeepFreeSession => tr!(l, lang, "cancel-consequence-late-free"),
        MoneyAction::Nothing => tr!(l, lang, "cancel-consequence-nothing"),
    };
    Ok(Some(Consequence {
        outcome,
        text,
        payment: p,
    }))
}

async fn own(cx: &Cx, press: &Press<'_>, booking_id: i64) -> Result<Option<ClientBooking>, BotError> {
    let b = ClientBookings(&cx.app.db)
        .get(cx.actor.user.telegram_id, booking_id)
        .await?;
    if b.is_none() {
        press.alert(cx, tr!(cx.l(), cx.lang(), "my-not-yours")).await?;
    }
    Ok(b)
}

/// The consequence first, then "Yes, cancel" / "No, keep it".
pub async fn ask_cancel(cx: &Cx, press: &Press<'_>, booking_id: i64) -> HandlerResult {
    let Some(b) = own(cx, press, booking_id).await? else {
        return Ok(());
    };
    let Some(c) = consequence(cx, &b).await? else {
        return press.alert(cx, tr!(cx.l(), cx.lang(), "my-not-cancellable")).await;
    };
    press.answer(cx).await?;
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let text = tr!(
        l,
        lang,
        "cancel-ask",
        kind = kind_name(l, lang, b.kind),
        therapist = escape(&b.therapist_name),
        when = slot_when(l, lang, tz, b.starts_at, b.ends_at),
        consequence = c.text
    );
    let kb = InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::callback(tr!(l, lang, "cancel-btn-yes"), CbPress::CancelYes(b.id).data()),
        InlineKeyboardButton::callback(tr!(l, lang, "cancel-btn-no"), CbPress::List.data()),
    ]]);
    cx.send_with(text, kb).await?;
    Ok(())
}

/// The client confirmed the cancellation.
pub async fn cancel(cx: &Cx, press: &Press<'_>, booking_id: i64) -> HandlerResult {
    let Some(b) = own(cx, press, booking_id).await? else {
        return Ok(());
    };
    let Some(text) = cancel_booking(cx, &b).await? else {
        return press.alert(cx, tr!(cx.l(), cx.lang(), "my-not-cancellable")).await;
    };
    press.answer(cx).await?;
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let done = tr!(
        l,
        lang,
        "mycancel-done",
        kind = kind_name(l, lang, b.kind),
        therapist = escape(&b.therapist_name),
        when = slot_when(l, lang, tz, b.starts_at, b.ends_at),
        consequence = text
    );
    press
        .show(
            cx,
            done,
            InlineKeyboardMarkup::new(Vec::<Vec<InlineKeyboardButton>>::new()),
        )
        .await
}

/// Cancels the client's booking now (R-CAN-2): decided by the domain, moved in one
/// transaction with the therapist's notice, then the money moved. Returns the consequence's
/// words, or `None` when it could not be cancelled (or was changed meanwhile).
pub async fn cancel_booking(cx: &Cx, b: &ClientBooking) -> Result<Option<String>, BotError> {
    let notices = therapist_notice(cx, b).await?;
    cancel_booking_with(cx, b, &notices).await
}

/// [`cancel_booking`] with the therapist's notices given by the caller (none when the caller
/// tells the therapist itself, as leaving a group program does).
pub async fn cancel_booking_with(
    cx: &Cx,
    b: &ClientBooking,
    notices: &[OutboxMessage],
) -> Result<Option<String>, BotError> {
    let Some(c) = consequence(cx, b).await? else {
        return Ok(None);
    };
    let now = cx.app.clock.now();
    let moved = ClientBookings(&cx.app.db)
        .cancel(cx.actor.user.telegram_id, b.id, b.state, &c.outcome, notices, now)
        .await?;
    if !moved {
        return Ok(None);
    }
    if let Some(p) = &c.payment {
        let result = match (c.outcome.money, p.state) {
            (MoneyAction::ReleaseHold | MoneyAction::Refund, _) => cx.app.payments.return_money(p).await.map(|_| ()),
            (MoneyAction::Nothing, PaymentState::Pending) => cx.app.payments.cancel_pending(p).await,
            // A late cancellation: the hold is captured by the capture job at the window's close.
            _ => Ok(()),
        };
        if let Some(pid) = p.provider_payment_id.as_deref() {
            if result.is_ok() {
                let _ = cx.app.payments.sync(pid).await;
            }
        }
        if let Err(e) = result {
            tracing::error!(booking = b.id, error = %e, "money of a cancelled booking not moved yet");
        }
    }
    Ok(Some(c.text))
}

async fn therapist_notice(cx: &Cx, b: &ClientBooking) -> Result<Vec<OutboxMessage>, BotError> {
    let Some(details) = crate::store::bookings::Bookings(&cx.app.db).details(b.id).await? else {
        return Ok(vec![]);
    };
    let Some(tg) = details.therapist_telegram_id else {
        return Ok(vec![]);
    };
    let lang = details.therapist_language.unwrap_or(cx.app.default_lang);
    let tz = crate::store::calendar::therapist_zone(&cx.app.db, details.therapist_id)
        .await?
        .or(details.therapist_tz)
        .unwrap_or(cx.app.default_tz);
    let l = cx.l();
    Ok(vec![OutboxMessage::new(
        tg,
        tr!(
            l,
            lang,
            "cancel-therapist",
            client = escape(&crate::bot::notices::client_label(l, lang, &details.client_name)),
            kind = kind_name(l, lang, details.kind),
            when = slot_when(l, lang, tz, details.starts_at, details.ends_at)
        ),
    )])
}
