//! Packages of sessions (R-PAY-1, R-PRICE-3): "Buy a package" on a therapist's card offers the
//! configured sizes at the per-session price this client pays (the price lock respected), the
//! confirmation states size, price per session and total, then the package waits for payment
//! behind the same payment link machinery as a booking; when the money is held it is captured
//! at once and the credits become active. Credits are listed in /mybookings; a package still
//! awaiting payment gets its link again from there. Every press is re-checked.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::booking::{client_price, CbPress};
use crate::bot::html::escape;
use crate::bot::notices::money;
use crate::bot::therapist::Press;
use crate::bot::{timefmt, BotError, Cx, HandlerResult};
use crate::domain::{payment_deadline, Money, Package, SessionKind};
use crate::store::packages::{PackageRecord, PackageState, Packages};
use crate::store::pay_messages::PayOwner;
use crate::store::therapists::{Therapist, TherapistStatus, Therapists};
use crate::tr;

fn button(text: String, p: CbPress) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, p.data())
}

/// The per-session price of a package with this therapist for this client, or `None` when
/// packages are not offered (no price, or a free session owed comes first).
pub async fn package_price(cx: &Cx, therapist_id: i64) -> Result<Option<Money>, BotError> {
    Ok(client_price(cx, therapist_id, SessionKind::Individual)
        .await?
        .filter(|p| p.owed.is_none())
        .and_then(|p| p.amount)
        .filter(|a| !a.is_zero()))
}

async fn active_therapist(cx: &Cx, press: &Press<'_>, therapist_id: i64) -> Result<Option<Therapist>, BotError> {
    let t = Therapists(&cx.app.db)
        .get(therapist_id)
        .await?
        .filter(|t| t.status == TherapistStatus::Active);
    if t.is_none() {
        press.alert(cx, tr!(cx.l(), cx.lang(), "card-not-available")).await?;
    }
    Ok(t)
}

/// A quote for `size`: the domain's package, or the refusal answered.
async fn quote(cx: &Cx, press: &Press<'_>, therapist_id: i64, size: u32) -> Result<Option<Package>, BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(price) = package_price(cx, therapist_id).await? else {
        press.alert(cx, tr!(l, lang, "package-unavailable")).await?;
        return Ok(None);
    };
    match Package::purchase(size, price, &cx.app.settings) {
        Ok(p) => Ok(Some(p)),
        Err(e) => {
            press.alert(cx, l.text(lang, e.key(), None)).await?;
            Ok(None)
        }
    }
}

/// "Buy a package": the sizes with their prices.
pub async fn offer(cx: &Cx, press: &Press<'_>, therapist_id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(t) = active_therapist(cx, press, therapist_id).await? else {
        return Ok(());
    };
    let Some(price) = package_price(cx, t.id).await? else {
        return press.alert(cx, tr!(l, lang, "package-unavailable")).await;
    };
    press.answer(cx).await?;
    let mut rows = Vec::new();
    for &size in &cx.app.settings.package_sizes {
        if let Ok(p) = Package::purchase(size, price, &cx.app.settings) {
            rows.push(vec![button(
                tr!(l, lang, "package-btn-size", size = size, total = money(lang, p.paid())),
                CbPress::PkgSize(t.id, size),
            )]);
        }
    }
    rows.push(vec![button(tr!(l, lang, "book-btn-back"), CbPress::Card(t.id))]);
    let text = tr!(
        l,
        lang,
        "package-offer",
        therapist = escape(&t.full_name),
        price = money(lang, price)
    );
    cx.send_with(text, InlineKeyboardMarkup::new(rows)).await?;
    Ok(())
}

/// A size picked: size, per-session price and total, and "Confirm".
pub async fn ask(cx: &Cx, press: &Press<'_>, therapist_id: i64, size: u32) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(t) = active_therapist(cx, press, therapist_id).await? else {
        return Ok(());
    };
    let Some(p) = quote(cx, press, t.id, size).await? else {
        return Ok(());
    };
    press.answer(cx).await?;
    let text = tr!(
        l,
        lang,
        "package-confirm",
        therapist = escape(&t.full_name),
        size = size,
        price = money(lang, p.per_session_price()),
        total = money(lang, p.paid())
    );
    let kb = InlineKeyboardMarkup::new(vec![
        vec![button(tr!(l, lang, "book-btn-confirm"), CbPress::PkgBuy(t.id, size))],
        vec![button(tr!(l, lang, "book-btn-back"), CbPress::Pkg(t.id))],
    ]);
    press.show(cx, text, kb).await
}

/// Confirmed: the package waits for payment and its link is shown. A second tap finds the
/// package already waiting (same therapist and size) instead of buying another one.
pub async fn buy(cx: &Cx, press: &Press<'_>, therapist_id: i64, size: u32) -> HandlerResult {
    let client = cx.actor.user.telegram_id;
    let Some(t) = active_therapist(cx, press, therapist_id).await? else {
        return Ok(());
    };
    let Some(p) = quote(cx, press, t.id, size).await? else {
        return Ok(());
    };
    let waiting = Packages(&cx.app.db)
        .of_client(client)
        .await?
        .into_iter()
        .find(|k| k.therapist_id == t.id && k.state == PackageState::AwaitingPayment && k.package.size() == size);
    let id = match waiting {
        Some(k) => k.id,
        None => {
            Packages(&cx.app.db)
                .create(client, t.id, &p, cx.app.clock.now())
                .await?
        }
    };
    press.answer(cx).await?;
    let Some(record) = Packages(&cx.app.db).get(id).await? else {
        return Ok(());
    };
    show_link(cx, Some(press), &record).await
}

/// "Pay for the package" from /mybookings: the link again, only for the client's own package
/// still awaiting payment.
pub async fn pay_again(cx: &Cx, press: &Press<'_>, package_id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let record = Packages(&cx.app.db)
        .get_of_client(cx.actor.user.telegram_id, package_id)
        .await?;
    let Some(record) = record else {
        return press.alert(cx, tr!(l, lang, "package-not-yours")).await;
    };
    if record.state != PackageState::AwaitingPayment {
        return press.alert(cx, tr!(l, lang, "package-not-payable")).await;
    }
    press.answer(cx).await?;
    show_link(cx, None, &record).await
}

async fn show_link(cx: &Cx, press: Option<&Press<'_>>, k: &PackageRecord) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let list = vec![button(tr!(l, lang, "cmd-mybookings"), CbPress::List)];
    let description = tr!(
        l,
        lang,
        "package-description",
        size = k.package.size(),
        therapist = k.therapist_name.as_str()
    );
    let (text, kb, link) = match cx.app.payments.start_for_package(k.id, &description).await {
        Ok(record) => match record.confirmation_url.as_deref().and_then(|u| u.parse().ok()) {
            Some(url) => (
                tr!(
                    l,
                    lang,
                    "package-pay",
                    therapist = escape(&k.therapist_name),
                    size = k.package.size(),
                    price = money(lang, k.package.per_session_price()),
                    total = money(lang, k.package.paid()),
                    deadline = timefmt::local_time(payment_deadline(k.created_at, &cx.app.settings), tz, lang)
                ),
                InlineKeyboardMarkup::new(vec![
                    vec![InlineKeyboardButton::url(
                        tr!(l, lang, "book-btn-pay", amount = money(lang, k.package.paid())),
                        url,
                    )],
                    list,
                ]),
                true,
            ),
            None => (
                tr!(l, lang, "package-payment-error"),
                InlineKeyboardMarkup::new(vec![list]),
                false,
            ),
        },
        Err(e) => {
            tracing::warn!(package = k.id, error = %e, "package payment link not created");
            (
                tr!(l, lang, "package-payment-error"),
                InlineKeyboardMarkup::new(vec![list]),
                false,
            )
        }
    };
    // R-PAY-1: the message with the link is remembered, to be closed in place once the package
    // is paid or expires.
    if link {
        return super::pay_message::show_pay(cx, press, PayOwner::Package(k.id), text, kb).await;
    }
    match press {
        Some(p) => p.show(cx, text, kb).await,
        None => cx.send_with(text, kb).await.map(|_| ()),
    }
}

/// The client's packages for /mybookings: a line each, and a pay button for those awaiting
/// payment.
pub async fn lines(cx: &Cx) -> Result<(Vec<String>, Vec<Vec<InlineKeyboardButton>>), BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for k in Packages(&cx.app.db).of_client(cx.actor.user.telegram_id).await? {
        let therapist = escape(&k.therapist_name);
        match k.state {
            PackageState::Active => lines.push(tr!(
                l,
                lang,
                "package-line-active",
                left = k.available(),
                size = k.package.size(),
                therapist = therapist
            )),
            PackageState::AwaitingPayment => {
                lines.push(tr!(
                    l,
                    lang,
                    "package-line-awaiting",
                    size = k.package.size(),
                    therapist = therapist,
                    total = money(lang, k.package.paid())
                ));
                rows.push(vec![button(
                    tr!(l, lang, "package-btn-pay", size = k.package.size()),
                    CbPress::PkgPay(k.id),
                )]);
            }
            PackageState::Expired => {}
        }
    }
    Ok((lines, rows))
}
