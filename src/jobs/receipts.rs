//! R-PAY-3: a session paid out whose receipt is still missing 3 days after the payout is
//! reminded to the therapist, then once a week while it is still missing. Each reminder goes
//! through the outbox keyed by the session and the week (`receipt-reminder:<booking>:<week>`),
//! so a rerun after a crash, or a second instance, sends it once; a receipt filed stops them.

use chrono::{DateTime, Duration, Utc};

use crate::bot::html::escape;
use crate::bot::therapist::calendar::slot_when;
use crate::bot::therapist::payouts::PayPress;
use crate::bot::{timefmt, AppState};
use crate::domain::{Money, MoneyLocale};
use crate::i18n::Lang;
use crate::store::bookings::Bookings;
use crate::store::calendar::therapist_zone;
use crate::store::outbox::{Outbox, OutboxMessage};
use crate::store::receipts::Receipts;
use crate::store::StoreResult;
use crate::tr;

/// The first reminder comes this long after the payout.
pub const FIRST_REMINDER: Duration = Duration::days(3);
/// Then again every this long.
pub const REMINDER_EVERY: Duration = Duration::days(7);

/// Which reminder is due for a payout made at `paid_out_at` (0 the first, 1 a week later ...),
/// `None` before the first.
pub fn reminder_number(paid_out_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<i64> {
    let since = now - (paid_out_at + FIRST_REMINDER);
    (since >= Duration::zero()).then(|| since.num_seconds() / REMINDER_EVERY.num_seconds())
}

/// One pass: enqueues the reminders due now; returns how many were new.
pub async fn remind_missing(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut done = 0;
    for m in Receipts(&app.db).missing_after_payout(now - FIRST_REMINDER).await? {
        let Some(n) = reminder_number(m.paid_out_at, now) else {
            continue;
        };
        let Some(b) = Bookings(&app.db).details(m.booking_id).await? else {
            continue;
        };
        let Some(chat) = b.therapist_telegram_id else {
            continue;
        };
        let Some(line) = Receipts(&app.db).line(m.therapist_id, m.booking_id).await? else {
            continue;
        };
        let lang = b.therapist_language.unwrap_or(app.default_lang);
        let tz = therapist_zone(&app.db, m.therapist_id)
            .await?
            .or(b.therapist_tz)
            .unwrap_or(app.default_tz);
        let l = &app.locales;
        let payout = Money::from_kopecks(line.payout_kopecks)
            .map(|k| {
                k.format(match lang {
                    Lang::Ru => MoneyLocale::Ru,
                    Lang::En => MoneyLocale::En,
                })
            })
            .unwrap_or_default();
        let text = tr!(
            l,
            lang,
            "receipts-reminder",
            when = slot_when(l, lang, tz, b.starts_at, b.ends_at),
            client = escape(&b.client_name),
            payout = payout,
            paid_out = timefmt::local_time(m.paid_out_at, tz, lang)
        );
        let session = format!(
            "{}, {}",
            b.starts_at.with_timezone(&tz).format("%d.%m %H:%M"),
            b.client_name.chars().take(16).collect::<String>()
        );
        let kb =
            teloxide::types::InlineKeyboardMarkup::new(vec![vec![teloxide::types::InlineKeyboardButton::callback(
                tr!(l, lang, "receipts-btn-file", session = session),
                crate::bot::callback::Action::Payouts(PayPress::Receipt(m.booking_id)).encode(),
            )]]);
        let msg = OutboxMessage::new(chat, text)
            .keyboard(kb)
            .dedupe(format!("receipt-reminder:{}:{n}", m.booking_id));
        if Outbox(&app.db).enqueue(&msg, now).await? {
            done += 1;
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn three_days_then_weekly() {
        let paid = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let s = Duration::seconds(1);
        assert_eq!(reminder_number(paid, paid + FIRST_REMINDER - s), None);
        assert_eq!(reminder_number(paid, paid + FIRST_REMINDER), Some(0));
        assert_eq!(
            reminder_number(paid, paid + FIRST_REMINDER + REMINDER_EVERY - s),
            Some(0)
        );
        assert_eq!(reminder_number(paid, paid + FIRST_REMINDER + REMINDER_EVERY), Some(1));
        assert_eq!(
            reminder_number(paid, paid + FIRST_REMINDER + REMINDER_EVERY * 2),
            Some(2)
        );
    }
}
