//! `/stats`: therapists by status, bookings and revenue (captured payments) in the last 7 and
//! 30 days, commission earned, payouts due.

use chrono::TimeDelta;

use super::payouts::money;
use crate::bot::{Cx, HandlerResult};
use crate::store::stats::Stats;
use crate::tr;

pub async fn show(cx: &Cx) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let stats = Stats(&cx.app.db);
    let now = cx.app.clock.now();
    let statuses = stats.therapists_by_status().await?;
    let therapists = if statuses.is_empty() {
        tr!(l, lang, "stats-no-therapists")
    } else {
        statuses
            .iter()
            .map(|(status, n)| {
                let label = match status.as_str() {
                    "invited" => tr!(l, lang, "stats-status-invited"),
                    "onboarding" => tr!(l, lang, "stats-status-onboarding"),
                    "pending_moderation" => tr!(l, lang, "stats-status-pending"),
                    "active" => tr!(l, lang, "stats-status-active"),
                    "rejected" => tr!(l, lang, "stats-status-rejected"),
                    _ => tr!(l, lang, "stats-status-suspended"),
                };
                format!("{label}: {n}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let week = stats.since(now - TimeDelta::days(7)).await?;
    let month = stats.since(now - TimeDelta::days(30)).await?;
    let (due_sessions, due_kopecks) = stats.payouts_due().await?;
    cx.send(tr!(
        l,
        lang,
        "stats-body",
        therapists = therapists,
        bookings7 = week.bookings,
        revenue7 = money(week.revenue_kopecks, lang),
        commission7 = money(week.commission_kopecks, lang),
        bookings30 = month.bookings,
        revenue30 = money(month.revenue_kopecks, lang),
        commission30 = money(month.commission_kopecks, lang),
        due_sessions = due_sessions,
        due = money(due_kopecks, lang)
    ))
    .await?;
    Ok(())
}
