//! `/payouts` for therapists (R-PAY-2..4, R-PAY-3, R-CAN-3): the sessions awaiting payout with
//! what the client paid, the commission, the payout and the due date (the therapist's zone,
//! named), with totals; the payouts made (date, reference); the receipt state of each session
//! and the missing receipts listed plainly; a button per session to file its receipt (a link
//! from "Мой налог", a receipt number, a PDF up to 20 MB or a photo), or to replace it; and the
//! free sessions the therapist owes after late cancellations. Every press is re-checked: a
//! session of another therapist is refused and nothing changes.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::calendar::slot_when;
use super::onboarding_input::DOCUMENT_MAX_BYTES;
use super::{me, me_for_press, Press};
use crate::bot::html::{escape, truncate};
use crate::bot::notices::kind_name;
use crate::bot::{timefmt, BotError, ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{Money, MoneyLocale};
use crate::i18n::{Lang, Locales};
use crate::store::calendar::therapist_zone;
use crate::store::receipts::{FreeSessionDebt, PayoutLine, ReceiptKind, Receipts};
use crate::store::therapists::Therapist;
use crate::tr;

/// Payouts made longer ago than this are left out of the list (their receipts are not).
pub const PAID_SHOWN_DAYS: i64 = 90;
/// The most sessions shown in detail per section (totals always count all).
const MAX_DETAILED: usize = 6;
/// The most missing receipts and debts listed by name.
const MAX_NAMED: usize = 15;
/// The most receipt buttons under the list.
const MAX_BUTTONS: usize = 12;

/// The payouts buttons (callback data `po:...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayPress {
    /// The list again: `l`.
    List,
    /// File or replace the receipt of a session: `r:<booking>`.
    Receipt(i64),
}

impl PayPress {
    pub fn encode(&self) -> String {
        match self {
            PayPress::List => "l".to_owned(),
            PayPress::Receipt(id) => format!("r:{id}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        if s == "l" {
            return Some(PayPress::List);
        }
        let id = s.strip_prefix("r:")?;
        if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        id.parse().ok().map(PayPress::Receipt)
    }
}

fn data(p: PayPress) -> String {
    crate::bot::callback::Action::Payouts(p).encode()
}

fn money(lang: Lang, kopecks: i64) -> String {
    Money::from_kopecks(kopecks)
        .map(|m| {
            m.format(match lang {
                Lang::Ru => MoneyLocale::Ru,
                Lang::En => MoneyLocale::En,
            })
        })
        .unwrap_or_default()
}

async fn zone(cx: &Cx, therapist_id: i64) -> Result<Tz, BotError> {
    Ok(therapist_zone(&cx.app.db, therapist_id)
        .await?
        .unwrap_or_else(|| cx.tz()))
}

/// What a therapist typed as a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptText {
    Link(String),
    Number(String),
}

/// Why a typed receipt was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptRefusal {
    /// It looks like a link but is not a valid https link.
    BadLink,
    /// Neither a link nor a receipt number.
    BadNumber,
}

/// A link (https with a host, at most 500 characters, no spaces) or a receipt number (3..64
/// letters, digits and `-/#№_.` with at least one digit), R-PAY-3.
pub fn parse_receipt_text(text: &str) -> Result<ReceiptText, ReceiptRefusal> {
    let t = text.trim();
    let lower = t.to_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || lower.starts_with("lknpd.") {
        if t.chars().count() > 500 || t.contains(char::is_whitespace) {
            return Err(ReceiptRefusal::BadLink);
        }
        let url = url::Url::parse(t).map_err(|_| ReceiptRefusal::BadLink)?;
        let host_ok = url.host_str().is_some_and(|h| h.contains('.') && !h.ends_with('.'));
        if url.scheme() != "https" || !host_ok || !url.username().is_empty() || url.password().is_some() {
            return Err(ReceiptRefusal::BadLink);
        }
        return Ok(ReceiptText::Link(url.to_string()));
    }
    let n = t.chars().count();
    let allowed = |c: char| c.is_alphanumeric() || " -/#№_.".contains(c);
    if (3..=64).contains(&n) && t.chars().all(allowed) && t.chars().any(|c| c.is_ascii_digit()) {
        return Ok(ReceiptText::Number(t.to_owned()));
    }
    Err(ReceiptRefusal::BadNumber)
}

fn short_label(b: &PayoutLine, tz: Tz) -> String {
    format!(
        "{}, {}",
        b.starts_at.with_timezone(&tz).format("%d.%m %H:%M"),
        b.client_first_name.chars().take(16).collect::<String>()
    )
}

fn receipt_state(l: &Locales, lang: Lang, tz: Tz, b: &PayoutLine) -> String {
    if !b.needs_receipt() {
        return tr!(l, lang, "receipts-state-not-needed");
    }
    match &b.receipt {
        None => tr!(l, lang, "receipts-state-missing"),
        Some(r) => {
            let what = match r.kind {
                ReceiptKind::Link => tr!(l, lang, "receipts-kind-link"),
                ReceiptKind::Number => tr!(l, lang, "receipts-kind-number", number = escape(&r.reference)),
                ReceiptKind::Document => tr!(l, lang, "receipts-kind-document"),
                ReceiptKind::Photo => tr!(l, lang, "receipts-kind-photo"),
            };
            tr!(
                l,
                lang,
                "receipts-state-present",
                what = what,
                at = timefmt::local_time(r.recorded_at, tz, lang)
            )
        }
    }
}

fn session_lines(l: &Locales, lang: Lang, tz: Tz, b: &PayoutLine) -> String {
    let head = tr!(
        l,
        lang,
        "receipts-line",
        when = slot_when(l, lang, tz, b.starts_at, b.ends_at),
        client = escape(&b.client_first_name),
        kind = kind_name(l, lang, b.kind),
        paid = money(lang, b.paid_kopecks),
        commission = money(lang, b.commission_kopecks),
        payout = money(lang, b.payout_kopecks)
    );
    let status = match (b.paid_out_at, &b.reference) {
        (Some(at), reference) => tr!(
            l,
            lang,
            "receipts-line-paid",
            at = timefmt::local_time(at, tz, lang),
            reference = escape(reference.as_deref().unwrap_or("—"))
        ),
        (None, _) => tr!(
            l,
            lang,
            "receipts-line-due",
            due = timefmt::local_time(b.due_at, tz, lang)
        ),
    };
    format!("{head}\n   {status} · {}", receipt_state(l, lang, tz, b))
}

fn totals(l: &Locales, lang: Lang, lines: &[&PayoutLine]) -> String {
    let (p, c, o) = lines.iter().fold((0, 0, 0), |(p, c, o), b| {
        (p + b.paid_kopecks, c + b.commission_kopecks, o + b.payout_kopecks)
    });
    tr!(
        l,
        lang,
        "receipts-totals",
        sessions = lines.len(),
        paid = money(lang, p),
        commission = money(lang, c),
        payout = money(lang, o)
    )
}

/// R-CAN-3: the free sessions the therapist owes, as lines (empty when none).
pub async fn debt_lines(cx: &Cx, therapist_id: i64, tz: Tz) -> Result<Vec<String>, BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let now = cx.app.clock.now();
    let debts = Receipts(&cx.app.db).debts_of_therapist(therapist_id).await?;
    Ok(debts
        .iter()
        .take(MAX_NAMED)
        .map(|d| therapist_debt_line(l, lang, tz, d, now))
        .collect())
}

fn therapist_debt_line(l: &Locales, lang: Lang, tz: Tz, d: &FreeSessionDebt, now: DateTime<Utc>) -> String {
    let state = match (d.used_starts_at, d.force_majeure.as_deref()) {
        (Some(at), _) if at <= now => tr!(l, lang, "debts-state-used", at = timefmt::local_time(at, tz, lang)),
        (Some(at), _) => tr!(l, lang, "debts-state-booked", at = timefmt::local_time(at, tz, lang)),
        (None, Some("pending")) => tr!(l, lang, "debts-state-fm-pending"),
        (None, _) => tr!(l, lang, "debts-state-open"),
    };
    tr!(
        l,
        lang,
        "debts-therapist-line",
        client = escape(d.client_first_name.as_deref().unwrap_or("—")),
        cancelled = timefmt::local_time(d.cancelled_at, tz, lang),
        state = state
    )
}

async fn view(cx: &Cx, t: &Therapist) -> Result<(String, InlineKeyboardMarkup), BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let tz = zone(cx, t.id).await?;
    let now = cx.app.clock.now();
    let lines = Receipts(&cx.app.db)
        .lines(t.id, now - TimeDelta::days(PAID_SHOWN_DAYS))
        .await?;
    let mut text = vec![tr!(l, lang, "receipts-title", zone = tz.name())];
    let (due, paid): (Vec<&PayoutLine>, Vec<&PayoutLine>) = lines.iter().partition(|b| b.paid_out_at.is_none());
    if lines.is_empty() {
        text.push(tr!(l, lang, "receipts-empty"));
    }
    for (title, group) in [("receipts-due-title", &due), ("receipts-paid-title", &paid)] {
        if group.is_empty() {
            continue;
        }
        let mut s = match title {
            "receipts-due-title" => tr!(l, lang, "receipts-due-title"),
            _ => tr!(l, lang, "receipts-paid-title"),
        };
        for b in group.iter().take(MAX_DETAILED) {
            s.push_str("\n• ");
            s.push_str(&session_lines(l, lang, tz, b));
        }
        if group.len() > MAX_DETAILED {
            s.push('\n');
            s.push_str(&tr!(l, lang, "receipts-more", count = group.len() - MAX_DETAILED));
        }
        s.push('\n');
        s.push_str(&totals(l, lang, group));
        text.push(s);
    }
    let missing: Vec<&PayoutLine> = lines.iter().filter(|b| b.receipt_missing()).collect();
    if !lines.is_empty() {
        if missing.is_empty() {
            text.push(tr!(l, lang, "receipts-missing-none"));
        } else {
            let mut list = missing
                .iter()
                .take(MAX_NAMED)
                .map(|b| format!("• {}", escape(&short_label(b, tz))))
                .collect::<Vec<_>>()
                .join("\n");
            if missing.len() > MAX_NAMED {
                list.push('\n');
                list.push_str(&tr!(l, lang, "receipts-more", count = missing.len() - MAX_NAMED));
            }
            text.push(format!(
                "{}\n{list}\n{}",
                tr!(l, lang, "receipts-missing-title", count = missing.len()),
                tr!(l, lang, "receipts-how")
            ));
        }
    }
    let debts = debt_lines(cx, t.id, tz).await?;
    if !debts.is_empty() {
        text.push(format!(
            "{}\n{}",
            tr!(l, lang, "debts-therapist-title"),
            debts.join("\n")
        ));
    }
    // A button per session lacking a receipt first, then "replace" for the filed ones.
    let mut rows = Vec::new();
    for b in missing.iter().take(MAX_BUTTONS) {
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "receipts-btn-file", session = short_label(b, tz)),
            data(PayPress::Receipt(b.booking_id)),
        )]);
    }
    for b in lines
        .iter()
        .filter(|b| b.receipt.is_some())
        .take(MAX_BUTTONS.saturating_sub(rows.len()))
    {
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "receipts-btn-replace", session = short_label(b, tz)),
            data(PayPress::Receipt(b.booking_id)),
        )]);
    }
    Ok((text.join("\n\n"), InlineKeyboardMarkup::new(rows)))
}

/// `/payouts` (a therapist's).
pub async fn open(cx: &Cx) -> HandlerResult {
    let Some(t) = me(cx).await? else { return Ok(()) };
    let (text, kb) = view(cx, &t).await?;
    if kb.inline_keyboard.is_empty() {
        cx.send(text).await?;
    } else {
        cx.send_with(text, kb).await?;
    }
    Ok(())
}

/// A press of a payouts button, re-checked against the presser and the database.
pub async fn on_press(cx: &Cx, press: &Press<'_>, dialogue: &ChatDialogue, p: PayPress) -> HandlerResult {
    let Some(t) = me_for_press(cx, press).await? else {
        return Ok(());
    };
    let (l, lang) = (cx.l(), cx.lang());
    match p {
        PayPress::List => {
            press.answer(cx).await?;
            let (text, kb) = view(cx, &t).await?;
            press.show(cx, text, kb).await
        }
        PayPress::Receipt(id) => {
            let Some(b) = Receipts(&cx.app.db).line(t.id, id).await? else {
                return press.alert(cx, tr!(l, lang, "receipts-not-yours")).await;
            };
            if !b.needs_receipt() {
                return press.alert(cx, tr!(l, lang, "receipts-not-needed")).await;
            }
            let tz = zone(cx, t.id).await?;
            dialogue.update(State::Receipt { booking_id: id }).await?;
            press.answer(cx).await?;
            let mut text = tr!(
                l,
                lang,
                "receipts-ask",
                when = slot_when(l, lang, tz, b.starts_at, b.ends_at),
                client = escape(&b.client_first_name),
                paid = money(lang, b.paid_kopecks)
            );
            if b.receipt.is_some() {
                text.push_str("\n\n");
                text.push_str(&tr!(
                    l,
                    lang,
                    "receipts-ask-replace",
                    current = receipt_state(l, lang, tz, &b)
                ));
            }
            cx.send(text).await?;
            Ok(())
        }
    }
}

/// Stores the receipt and says so; a session that stopped being this therapist's (or never
/// was) changes nothing.
async fn save(
    cx: &Cx,
    dialogue: &ChatDialogue,
    booking_id: i64,
    kind: ReceiptKind,
    reference: &str,
    file_id: Option<&str>,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(t) = me(cx).await? else { return Ok(()) };
    dialogue.exit().await?;
    let store = Receipts(&cx.app.db);
    let Some(b) = store.line(t.id, booking_id).await? else {
        cx.send(tr!(l, lang, "receipts-not-yours")).await?;
        return Ok(());
    };
    let replaced = b.receipt.is_some();
    if !store
        .file(t.id, booking_id, kind, reference, file_id, cx.app.clock.now())
        .await?
    {
        cx.send(tr!(l, lang, "receipts-not-needed")).await?;
        return Ok(());
    }
    let tz = zone(cx, t.id).await?;
    let key = if replaced {
        "receipts-replaced"
    } else {
        "receipts-saved"
    };
    let when = slot_when(l, lang, tz, b.starts_at, b.ends_at);
    let text = match key {
        "receipts-replaced" => tr!(l, lang, "receipts-replaced", when = when),
        _ => tr!(l, lang, "receipts-saved", when = when),
    };
    let kb = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
        tr!(l, lang, "receipts-btn-list"),
        data(PayPress::List),
    )]]);
    cx.send_with(text, kb).await?;
    Ok(())
}

/// A typed answer while a receipt is awaited: a link or a number.
pub async fn on_text(cx: &Cx, text: &str, dialogue: &ChatDialogue, booking_id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    match parse_receipt_text(text) {
        Ok(ReceiptText::Link(url)) => save(cx, dialogue, booking_id, ReceiptKind::Link, &url, None).await,
        Ok(ReceiptText::Number(n)) => save(cx, dialogue, booking_id, ReceiptKind::Number, &n, None).await,
        Err(ReceiptRefusal::BadLink) => {
            cx.send(tr!(l, lang, "receipts-bad-link")).await?;
            Ok(())
        }
        Err(ReceiptRefusal::BadNumber) => {
            cx.send(tr!(l, lang, "receipts-bad-text")).await?;
            Ok(())
        }
    }
}

/// A document while a receipt is awaited: a PDF up to 20 MB.
pub async fn on_document(
    cx: &Cx,
    dialogue: &ChatDialogue,
    booking_id: i64,
    doc: &teloxide::types::Document,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let is_pdf = doc
        .mime_type
        .as_ref()
        .is_some_and(|m| m.essence_str() == "application/pdf")
        || doc
            .file_name
            .as_deref()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".pdf"));
    if !is_pdf {
        cx.send(tr!(l, lang, "receipts-bad-file-type")).await?;
        return Ok(());
    }
    if doc.file.size > DOCUMENT_MAX_BYTES {
        cx.send(tr!(l, lang, "receipts-bad-file-size")).await?;
        return Ok(());
    }
    let name = doc
        .file_name
        .as_deref()
        .map(|n| truncate(n.trim(), 200))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "receipt.pdf".to_owned());
    save(
        cx,
        dialogue,
        booking_id,
        ReceiptKind::Document,
        &name,
        Some(&doc.file.id.0),
    )
    .await
}

/// A photo while a receipt is awaited.
pub async fn on_photo(cx: &Cx, dialogue: &ChatDialogue, booking_id: i64, file_id: &str) -> HandlerResult {
    save(cx, dialogue, booking_id, ReceiptKind::Photo, "photo", Some(file_id)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_round_trip() {
        for p in [PayPress::List, PayPress::Receipt(7), PayPress::Receipt(i64::MAX)] {
            let s = data(p);
            assert!(s.len() <= 64);
            assert_eq!(PayPress::decode(s.strip_prefix("po:").unwrap()), Some(p));
        }
        for bad in ["r:", "r:-1", "x:1", "r:1a", "l:1", "r:99999999999999999999"] {
            assert_eq!(PayPress::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn receipt_text_is_a_link_or_a_number() {
        assert_eq!(
            parse_receipt_text(" https://lknpd.nalog.ru/api/v1/receipt/771234567890/20abc1def2/print "),
            Ok(ReceiptText::Link(
                "https://lknpd.nalog.ru/api/v1/receipt/771234567890/20abc1def2/print".into()
            ))
        );
        assert_eq!(
            parse_receipt_text("20abc1def2"),
            Ok(ReceiptText::Number("20abc1def2".into()))
        );
        assert_eq!(
            parse_receipt_text("№ 123-45"),
            Ok(ReceiptText::Number("№ 123-45".into()))
        );
        for bad in [
            "http://lknpd.nalog.ru/x",
            "https://localhost/x",
            "https://user:pw@lknpd.nalog.ru/x",
            "https://lknpd.nalog.ru/a b",
            "ftp://lknpd.nalog.ru/x",
            "www.nalog.ru",
        ] {
            assert_eq!(parse_receipt_text(bad), Err(ReceiptRefusal::BadLink), "{bad}");
        }
        for bad in [
            "",
            "ab",
            "no digits here",
            "<script>1</script>",
            &"1".repeat(65),
            "чек\n123",
        ] {
            assert_eq!(parse_receipt_text(bad), Err(ReceiptRefusal::BadNumber), "{bad}");
        }
    }
}
