//! R-PAY-2..4 from the admin side: `/payouts` lists what is due per therapist (a card each with
//! "Mark paid"); the admin who presses it is asked for the transfer reference, and the payouts
//! listed in that question are marked paid once (two admins racing: the second is told who
//! paid), the therapist told through the outbox, the card edited into the record.
//! `/export <from> <to>` sends the accountant a CSV of the sessions of a period.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId};

use super::{AdmAction, AdminStep};
use crate::bot::callback::Action;
use crate::bot::html::escape;
use crate::bot::{timefmt, ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{Money, MoneyLocale};
use crate::i18n::Lang;
use crate::store::outbox::OutboxMessage;
use crate::store::payouts::{DueGroup, ExportRow, MarkOutcome, MarkPaid, Payouts};
use crate::store::therapists::Therapists;
use crate::store::users::Users;
use crate::tr;

/// The longest period one export may cover.
const MAX_EXPORT_DAYS: i64 = 366;

pub(super) fn money(k: i64, lang: Lang) -> String {
    let locale = match lang {
        Lang::Ru => MoneyLocale::Ru,
        Lang::En => MoneyLocale::En,
    };
    Money::from_kopecks(k).map(|m| m.format(locale)).unwrap_or_default()
}

fn card_text(cx: &Cx, g: &DueGroup) -> String {
    let (l, lang) = (cx.l(), cx.lang());
    let receipts = if g.receipts >= g.sessions {
        tr!(l, lang, "payouts-receipts-present")
    } else {
        tr!(l, lang, "payouts-receipts-missing", missing = g.sessions - g.receipts)
    };
    tr!(
        l,
        lang,
        "payouts-card",
        name = escape(&g.full_name),
        sessions = g.sessions,
        gross = money(g.paid_kopecks, lang),
        commission = money(g.commission_kopecks, lang),
        payout = money(g.payout_kopecks, lang),
        due = timefmt::local_time(g.first_due, cx.tz(), lang),
        receipts = receipts,
        details = g
            .payout_masked
            .clone()
            .unwrap_or_else(|| tr!(l, lang, "payouts-no-details"))
    )
}

/// `/payouts`: one card per therapist with unpaid payouts.
pub async fn list(cx: &Cx) -> HandlerResult {
    let groups = Payouts(&cx.app.db).due_groups().await?;
    if groups.is_empty() {
        cx.send(tr!(cx.l(), cx.lang(), "payouts-none")).await?;
        return Ok(());
    }
    cx.send(tr!(cx.l(), cx.lang(), "payouts-title", count = groups.len()))
        .await?;
    for g in &groups {
        let kb = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
            tr!(cx.l(), cx.lang(), "payouts-mark-button"),
            Action::Adm(AdmAction::MarkPaid(g.therapist_id)).encode(),
        )]]);
        cx.send_with(card_text(cx, g), kb).await?;
    }
    Ok(())
}

/// "Mark paid" pressed: asks this admin for the transfer reference, naming what will be marked.
pub async fn ask_reference(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    therapist_id: i64,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let store = Payouts(&cx.app.db);
    let ids = store.unpaid_of(therapist_id).await?;
    let group = store
        .due_groups()
        .await?
        .into_iter()
        .find(|g| g.therapist_id == therapist_id);
    let (Some(g), false) = (group, ids.is_empty()) else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "payouts-nothing-due"))
            .show_alert(true)
            .await?;
        return Ok(());
    };
    dialogue
        .update(State::Admin(AdminStep::PayoutReference {
            by: cx.actor.user.telegram_id,
            therapist_id,
            booking_ids: ids,
            card: mid.map(|m| m.0),
        }))
        .await?;
    cx.bot.answer_callback_query(q.id.clone()).await?;
    cx.send(tr!(
        cx.l(),
        cx.lang(),
        "payouts-ask-reference",
        admin = escape(&cx.actor.user.first_name),
        name = escape(&g.full_name),
        sessions = g.sessions,
        payout = money(g.payout_kopecks, cx.lang())
    ))
    .await?;
    Ok(())
}

/// The therapist's Telegram id and language, for their notice.
async fn therapist_contact(cx: &Cx, therapist_id: i64) -> Result<Option<(i64, Lang)>, crate::store::StoreError> {
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
    Ok(Some((tg, lang)))
}

/// The reference typed: marks the payouts named in the question paid, once.
pub async fn on_reference(
    cx: &Cx,
    text: &str,
    dialogue: &ChatDialogue,
    therapist_id: i64,
    booking_ids: Vec<i64>,
    card: Option<i32>,
) -> HandlerResult {
    let reference = text.trim();
    if !(3..=200).contains(&reference.chars().count()) {
        cx.send(tr!(cx.l(), cx.lang(), "payouts-bad-reference")).await?;
        return Ok(());
    }
    dialogue.exit().await?;
    let now = cx.app.clock.now();
    let who = therapist_contact(cx, therapist_id).await?;
    let l = cx.l();
    let name = cx.actor.user.first_name.clone();
    let outcome = Payouts(&cx.app.db)
        .mark_paid(
            &MarkPaid {
                therapist_id,
                booking_ids: &booking_ids,
                admin_id: cx.actor.user.telegram_id,
                admin_name: &name,
                reference,
            },
            |count, total| {
                who.map(|(tg, lang)| {
                    let text = tr!(
                        l,
                        lang,
                        "payouts-paid-therapist",
                        sessions = count,
                        payout = money(total, lang),
                        reference = escape(reference)
                    );
                    OutboxMessage::new(tg, text).dedupe(format!(
                        "payout:{therapist_id}:{}:{}",
                        booking_ids.first().copied().unwrap_or(0),
                        now.timestamp()
                    ))
                })
            },
            now,
        )
        .await?;
    match outcome {
        MarkOutcome::Marked { count, payout_kopecks } => {
            let line = tr!(
                l,
                cx.lang(),
                "payouts-paid-by",
                by = escape(&name),
                at = timefmt::local_time(now, cx.tz(), cx.lang()),
                sessions = count,
                payout = money(payout_kopecks, cx.lang()),
                reference = escape(reference)
            );
            if let Some(card) = card {
                // The card is edited into the record of the payment (its old body is gone: a
                // fresh /payouts shows what is still due).
                let t = Therapists(&cx.app.db).get(therapist_id).await?;
                let head = escape(&t.map(|t| t.full_name).unwrap_or_default());
                cx.bot
                    .edit_message_text(cx.chat_id, MessageId(card), format!("<b>{head}</b>\n{line}"))
                    .reply_markup(InlineKeyboardMarkup::default())
                    .await?;
            }
            cx.send(tr!(l, cx.lang(), "payouts-paid-done")).await?;
        }
        MarkOutcome::AlreadyPaid { by, at } => {
            cx.send(tr!(
                l,
                cx.lang(),
                "payouts-already-paid",
                by = escape(by.as_deref().unwrap_or("—")),
                at = at
                    .map(|a| timefmt::local_time(a, cx.tz(), cx.lang()))
                    .unwrap_or_default()
            ))
            .await?;
        }
    }
    Ok(())
}

/// The UTC bounds of the days `from..=to` in `tz` (midnight to midnight, DST-safe).
pub fn period(args: &str, tz: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let mut it = args.split_whitespace();
    let (a, b) = (it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let from = NaiveDate::parse_from_str(a, "%Y-%m-%d").ok()?;
    let to = NaiveDate::parse_from_str(b, "%Y-%m-%d").ok()?;
    if to < from || (to - from).num_days() >= MAX_EXPORT_DAYS {
        return None;
    }
    let start = |d: NaiveDate| {
        d.and_time(NaiveTime::MIN)
            .and_local_timezone(tz)
            .earliest()
            .or_else(|| {
                (d.and_time(NaiveTime::MIN) + TimeDelta::hours(1))
                    .and_local_timezone(tz)
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
    };
    Some((start(from)?, start(to.succ_opt()?)?))
}

/// Amounts in roubles with two decimals, as accountants' tools read them.
fn rub(k: i64) -> String {
    let sign = if k < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", k.abs() / 100, k.abs() % 100)
}

/// One CSV field, quoted when needed; a leading formula sign is neutralised (a name typed by a
/// therapist must not run as a spreadsheet formula).
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The accountant's CSV: one row per session, times in UTC and in `tz`.
pub fn csv(rows: &[ExportRow], tz: Tz) -> String {
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let utc = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut out = format!(
        "booking_id,therapist,session_utc,session_local ({}),kind,paid_rub,commission_rub,payout_rub,due_utc,paid_out_utc,reference\r\n",
        tz.name()
    );
    for r in rows {
        let cols = [
            r.booking_id.to_string(),
            field(&r.therapist),
            utc(r.starts_at),
            local(r.starts_at),
            field(&r.kind),
            rub(r.paid_kopecks),
            rub(r.commission_kopecks),
            rub(r.payout_kopecks),
            utc(r.due_at),
            r.paid_out_at.map(utc).unwrap_or_default(),
            field(r.reference.as_deref().unwrap_or("")),
        ];
        out.push_str(&cols.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `/export <from> <to>`: the CSV of the sessions of those days (the admin's zone) as a document.
pub async fn export(cx: &Cx, args: &str) -> HandlerResult {
    let tz = cx.tz();
    let Some((from, to)) = period(args, tz) else {
        cx.send(tr!(cx.l(), cx.lang(), "export-usage", tz = tz.name())).await?;
        return Ok(());
    };
    let rows = Payouts(&cx.app.db).export_rows(from, to).await?;
    let body = csv(&rows, tz);
    let name = format!(
        "payouts_{}_{}.csv",
        from.with_timezone(&tz).format("%Y-%m-%d"),
        (to - TimeDelta::seconds(1)).with_timezone(&tz).format("%Y-%m-%d")
    );
    let (paid, commission, payout) = rows.iter().fold((0, 0, 0), |(a, b, c), r| {
        (a + r.paid_kopecks, b + r.commission_kopecks, c + r.payout_kopecks)
    });
    let caption = tr!(
        cx.l(),
        cx.lang(),
        "export-caption",
        sessions = rows.len(),
        paid = money(paid, cx.lang()),
        commission = money(commission, cx.lang()),
        payout = money(payout, cx.lang()),
        tz = tz.name()
    );
    cx.bot
        .send_document(cx.chat_id, InputFile::memory(body.into_bytes()).file_name(name))
        .caption(caption)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn period_is_local_midnight_to_midnight() {
        let tz: Tz = "Europe/Moscow".parse().unwrap();
        let (a, b) = period("2026-11-01 2026-11-30", tz).unwrap();
        assert_eq!(a, Utc.with_ymd_and_hms(2026, 10, 31, 21, 0, 0).unwrap());
        assert_eq!(b, Utc.with_ymd_and_hms(2026, 11, 30, 21, 0, 0).unwrap());
        for bad in [
            "",
            "2026-11-01",
            "2026-11-30 2026-11-01",
            "x y",
            "2026-11-01 2026-11-02 z",
            "2025-01-01 2026-11-01",
        ] {
            assert!(period(bad, tz).is_none(), "{bad}");
        }
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(field("Анна, Петрова"), "\"Анна, Петрова\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(rub(250_050), "2500.50");
        assert_eq!(rub(7), "0.07");
    }
}
