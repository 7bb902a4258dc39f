//! `/prices` for active therapists (R-PRICE-1..3): the current individual and group prices,
//! when each last changed and from when it may change again (in the therapist's zone, named),
//! how many clients keep a locked price; changing a price typed as a person types it.
//!
//! A change before the allowed date is refused with that date, below the floor with the floor
//! (R-PRICE-1); an allowed change is stored only if nobody changed the price meanwhile (the
//! store's conditional update), and the screen shows the new dates. Clients with an active
//! lock keep `min(lock, current)` (R-PRICE-3): their lock rows are not touched; new clients pay
//! the new price.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::{me, Press};
use crate::bot::notices::money;
use crate::bot::timefmt::local_time;
use crate::bot::{BotError, ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{next_price_change_allowed_at, validate_price, Money, PriceError, PriceKind, PriceState};
use crate::store::calendar::therapist_zone;
use crate::store::client_booking::PriceLocks;
use crate::store::profiles::Profiles;
use crate::store::therapists::{Therapist, TherapistStatus};
use crate::store::StoreError;
use crate::tr;

/// The price buttons (callback data `pr:...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricePress {
    /// The screen again: `s`.
    Show,
    /// Change one price: `c:individual` / `c:group`.
    Change(PriceKind),
}

impl PricePress {
    pub fn encode(&self) -> String {
        match self {
            PricePress::Show => "s".to_owned(),
            PricePress::Change(k) => format!("c:{}", k.as_str()),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        match s.split_once(':') {
            None if s == "s" => Some(PricePress::Show),
            Some(("c", k)) => k.parse().ok().map(PricePress::Change),
            _ => None,
        }
    }

    pub fn data(self) -> String {
        crate::bot::callback::Action::Prices(self).encode()
    }
}

const KINDS: [PriceKind; 2] = [PriceKind::Individual, PriceKind::Group];

async fn zone(cx: &Cx, therapist_id: i64) -> Result<Tz, BotError> {
    Ok(therapist_zone(&cx.app.db, therapist_id)
        .await?
        .unwrap_or_else(|| cx.tz()))
}

fn kind_name(cx: &Cx, kind: PriceKind) -> String {
    match kind {
        PriceKind::Individual => tr!(cx.l(), cx.lang(), "prices-kind-individual"),
        PriceKind::Group => tr!(cx.l(), cx.lang(), "prices-kind-group"),
    }
}

/// The price screen of an active therapist, with a header line on top if given.
pub async fn view(cx: &Cx, t: &Therapist, header: Option<String>) -> Result<(String, InlineKeyboardMarkup), BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let tz = zone(cx, t.id).await?;
    let now = cx.app.clock.now();
    let prices = Profiles(&cx.app.db).prices(t.id).await?;
    let locks = PriceLocks(&cx.app.db);
    let mut blocks = Vec::new();
    if let Some(h) = header {
        blocks.push(h);
    }
    blocks.push(tr!(l, lang, "prices-title", zone = tz.name()));
    let mut rows = Vec::new();
    for kind in KINDS {
        let name = kind_name(cx, kind);
        let Some(state) = prices.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s) else {
            blocks.push(tr!(l, lang, "prices-line-unset", kind = name.clone()));
            rows.push(vec![InlineKeyboardButton::callback(
                tr!(l, lang, "prices-btn-change", kind = name),
                PricePress::Change(kind).data(),
            )]);
            continue;
        };
        let mut lines = vec![tr!(
            l,
            lang,
            "prices-line",
            kind = name.clone(),
            amount = money(lang, state.amount)
        )];
        lines.push(match (state.last_change_at, state.activated_at) {
            (Some(at), _) => tr!(l, lang, "prices-last-change", at = local_time(at, tz, lang)),
            (None, Some(at)) => tr!(l, lang, "prices-since-activation", at = local_time(at, tz, lang)),
            (None, None) => tr!(l, lang, "prices-not-public-yet"),
        });
        lines.push(match next_price_change_allowed_at(&state, tz, &cx.app.settings) {
            Some(next) if next > now => tr!(l, lang, "prices-next-change", at = local_time(next, tz, lang)),
            _ => tr!(l, lang, "prices-next-change-now"),
        });
        let locked = locks
            .count_active_of_therapist(t.id, kind, now, cx.app.settings.price_lock)
            .await?;
        lines.push(tr!(l, lang, "prices-locked-clients", count = locked));
        blocks.push(lines.join("\n"));
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "prices-btn-change", kind = name),
            PricePress::Change(kind).data(),
        )]);
    }
    blocks.push(tr!(l, lang, "prices-rules"));
    Ok((blocks.join("\n\n"), InlineKeyboardMarkup::new(rows)))
}

/// Who may use /prices: active therapists. Others are told where they stand; `None` then.
async fn active_me(cx: &Cx, t: Therapist) -> Result<Option<Therapist>, BotError> {
    let key = match t.status {
        TherapistStatus::Active => return Ok(Some(t)),
        TherapistStatus::Onboarding | TherapistStatus::Rejected | TherapistStatus::Invited => "prices-use-checklist",
        TherapistStatus::PendingModeration => "onb-status-pending",
        TherapistStatus::Suspended => "prices-suspended",
    };
    cx.send(cx.l().text(cx.lang(), key, None)).await?;
    Ok(None)
}

/// `/prices`.
pub async fn open(cx: &Cx) -> HandlerResult {
    let Some(t) = me(cx).await? else { return Ok(()) };
    let Some(t) = active_me(cx, t).await? else {
        return Ok(());
    };
    let (text, kb) = view(cx, &t, None).await?;
    cx.send_with(text, kb).await?;
    Ok(())
}

/// The first instant the price of `kind` may change, if it is still in the future.
fn too_soon(cx: &Cx, state: &PriceState, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    next_price_change_allowed_at(state, tz, &cx.app.settings).filter(|next| *next > now)
}

async fn current(cx: &Cx, t: &Therapist, kind: PriceKind) -> Result<Option<PriceState>, BotError> {
    Ok(Profiles(&cx.app.db)
        .prices(t.id)
        .await?
        .into_iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, s)| s))
}

/// A press on the price screen.
pub async fn on_press(cx: &Cx, press: &Press<'_>, dialogue: &ChatDialogue, p: PricePress) -> HandlerResult {
    let Some(t) = super::me_for_press(cx, press).await? else {
        return Ok(());
    };
    let (l, lang) = (cx.l(), cx.lang());
    if t.status != TherapistStatus::Active {
        return press.alert(cx, tr!(l, lang, "prices-only-active")).await;
    }
    match p {
        PricePress::Show => {
            dialogue.exit().await?;
            press.answer(cx).await?;
            let (text, kb) = view(cx, &t, None).await?;
            press.show(cx, text, kb).await
        }
        PricePress::Change(kind) => {
            let tz = zone(cx, t.id).await?;
            let now = cx.app.clock.now();
            if let Some(state) = current(cx, &t, kind).await? {
                // R-PRICE-2: refused at once, with the date, before anything is typed.
                if let Some(next) = too_soon(cx, &state, tz, now) {
                    let text = tr!(
                        l,
                        lang,
                        "price-error-too-soon",
                        next_allowed_at = local_time(next, tz, lang)
                    );
                    return press.alert(cx, text).await;
                }
            }
            dialogue.update(State::PriceChange { kind }).await?;
            press.answer(cx).await?;
            let floor = money(lang, cx.app.settings.price_floor(kind));
            let text = tr!(l, lang, "prices-ask", kind = kind_name(cx, kind), floor = floor);
            let kb = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
                tr!(l, lang, "prices-btn-back"),
                PricePress::Show.data(),
            )]]);
            press.show(cx, text, kb).await
        }
    }
}

/// A typed price while `State::PriceChange` waits. Bad input changes nothing and keeps waiting.
pub async fn on_text(cx: &Cx, text: &str, dialogue: &ChatDialogue, kind: PriceKind) -> HandlerResult {
    let Some(t) = me(cx).await? else {
        dialogue.exit().await?;
        return Ok(());
    };
    let (l, lang) = (cx.l(), cx.lang());
    if t.status != TherapistStatus::Active {
        dialogue.exit().await?;
        cx.send(tr!(l, lang, "prices-only-active")).await?;
        return Ok(());
    }
    let amount = match Money::parse(text) {
        Ok(m) => m,
        Err(e) => {
            cx.send(l.text(lang, e.key(), None)).await?;
            return Ok(());
        }
    };
    let settings = &cx.app.settings;
    // R-PRICE-1: the floor, named.
    if let Err(PriceError::BelowFloor { floor, .. }) = validate_price(kind, amount, settings) {
        cx.send(tr!(l, lang, "price-error-below-floor", floor = money(lang, floor)))
            .await?;
        return Ok(());
    }
    let tz = zone(cx, t.id).await?;
    let now = cx.app.clock.now();
    let profiles = Profiles(&cx.app.db);
    let Some(old) = current(cx, &t, kind).await? else {
        // A price list the therapist never set (e.g. the group price of someone who did not
        // offer groups at activation): it becomes public now, and this is its activation.
        let state = PriceState::draft(amount).activate(now);
        profiles.set_price(t.id, kind, &state, now).await?;
        return done(cx, dialogue, &t, kind, amount).await;
    };
    let update = match old.change(kind, amount, now, tz, settings) {
        Ok(u) => u,
        Err(PriceError::TooSoon { next_allowed_at }) => {
            dialogue.exit().await?;
            let at = local_time(next_allowed_at, tz, lang);
            cx.send(tr!(l, lang, "price-error-too-soon", next_allowed_at = at))
                .await?;
            return Ok(());
        }
        Err(PriceError::BelowFloor { floor, .. }) => {
            cx.send(tr!(l, lang, "price-error-below-floor", floor = money(lang, floor)))
                .await?;
            return Ok(());
        }
    };
    if !update.counted {
        dialogue.exit().await?;
        cx.send(tr!(l, lang, "prices-unchanged", amount = money(lang, amount)))
            .await?;
        return Ok(());
    }
    match profiles.change_price(t.id, kind, &old, &update.state, now).await {
        Ok(()) => done(cx, dialogue, &t, kind, amount).await,
        Err(StoreError::Conflict) => {
            dialogue.exit().await?;
            let (text, kb) = view(cx, &t, Some(tr!(l, lang, "prices-changed-meanwhile"))).await?;
            cx.send_with(text, kb).await?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

async fn done(cx: &Cx, dialogue: &ChatDialogue, t: &Therapist, kind: PriceKind, amount: Money) -> HandlerResult {
    dialogue.exit().await?;
    tracing::info!(therapist = t.id, kind = kind.as_str(), "price changed");
    let header = tr!(
        cx.l(),
        cx.lang(),
        "prices-changed",
        kind = kind_name(cx, kind),
        amount = money(cx.lang(), amount)
    );
    let (text, kb) = view(cx, t, Some(header)).await?;
    cx.send_with(text, kb).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::callback::Action;

    #[test]
    fn price_buttons_round_trip_and_refuse_forgeries() {
        for p in [
            PricePress::Show,
            PricePress::Change(PriceKind::Individual),
            PricePress::Change(PriceKind::Group),
        ] {
            let data = p.data();
            assert!(data.len() <= 64);
            assert_eq!(Action::decode(&data), Some(Action::Prices(p)));
        }
        for bad in ["pr:", "pr:c:", "pr:c:vip", "pr:s:1", "pr:x"] {
            assert_eq!(Action::decode(bad), None, "{bad}");
        }
    }
}
