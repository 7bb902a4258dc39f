//! `/audit therapist <id>`, `/audit booking <id>`, `/audit program <id>` and `/audit package <id>`:
//! the recorded admin actions about one therapist, booking, group program or package (who, what,
//! why, when), oldest first.

use crate::bot::html::{escape, truncate};
use crate::bot::{timefmt, Cx, HandlerResult};
use crate::store::invites::AuditLog;
use crate::store::users::Users;
use crate::tr;

/// The most entries one answer shows (the newest ones).
const SHOWN: usize = 30;

/// `therapist 7` -> `therapist:7`; anything else -> None.
pub fn subject(args: &str) -> Option<String> {
    let mut it = args.split_whitespace();
    let (kind, id) = (it.next()?.to_ascii_lowercase(), it.next()?);
    if it.next().is_some() || id.len() > 18 || id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match kind.as_str() {
        "therapist" | "booking" | "program" | "package" => Some(format!("{kind}:{}", id.parse::<i64>().ok()?)),
        _ => None,
    }
}

pub async fn show(cx: &Cx, args: &str) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(subject) = subject(args) else {
        cx.send(tr!(l, lang, "audit-usage")).await?;
        return Ok(());
    };
    let entries = AuditLog(&cx.app.db).about(&subject).await?;
    if entries.is_empty() {
        cx.send(tr!(l, lang, "audit-empty", subject = subject)).await?;
        return Ok(());
    }
    let mut text = tr!(l, lang, "audit-title", subject = subject.clone(), count = entries.len());
    let skip = entries.len().saturating_sub(SHOWN);
    for e in entries.iter().skip(skip) {
        let who = Users(&cx.app.db)
            .get(e.actor_id)
            .await?
            .map(|u| u.first_name)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| e.actor_id.to_string());
        let at = timefmt::local_time(e.at, cx.tz(), lang);
        let reason = e
            .reason
            .as_deref()
            .map(|r| format!(" — {}", escape(&truncate(r, 200))))
            .unwrap_or_default();
        text.push_str(&format!("\n• {at}: {} ({}){reason}", escape(&e.action), escape(&who)));
    }
    cx.send(text).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::subject;

    #[test]
    fn audit_subjects() {
        assert_eq!(subject("therapist 7").as_deref(), Some("therapist:7"));
        assert_eq!(subject("Booking  12").as_deref(), Some("booking:12"));
        assert_eq!(subject("program 3").as_deref(), Some("program:3"));
        for bad in ["", "therapist", "therapist x", "invite 3", "booking 1 2", "booking -1"] {
            assert!(subject(bad).is_none(), "{bad}");
        }
    }
}
