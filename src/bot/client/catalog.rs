//! The catalogue (`/therapists`): ACTIVE therapists, one line each (name, the price for this
//! client, the nearest free time in the client's zone with the zone named) and a button to the
//! card (`cb:c:<id>`); filters as toggle buttons (topic, price band) and pages, each press
//! answered by editing the same message. Open without consent: it is not health data.
//! Buttons are `ct:<page>.<topic>.<price>` (never trusted: out of range is a stale button).

use chrono::{DateTime, TimeDelta, Utc};
use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use crate::bot::callback::Action;
use crate::bot::html::escape;
use crate::bot::notices::money;
use crate::bot::timefmt::local_time;
use crate::bot::{BotError, Cx, HandlerResult};
use crate::domain::{quote_client_price, Money};
use crate::store::catalog::{ListedTherapist, Listings};
use crate::tr;

/// Therapists per page.
const PER_PAGE: usize = 5;
/// Price bands of the filter, in rubles (0 = any).
const PRICE_BANDS: [u32; 3] = [2500, 4000, 6000];

/// A catalogue view: page and filters (topic: 0 any, else 1 + index in the topics group;
/// price: 0 any, else 1 + index in `PRICE_BANDS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogPress {
    /// From another message (the recommendation): open a fresh catalogue message.
    pub fresh: bool,
    pub page: u8,
    pub topic: u8,
    pub price: u8,
}

impl CatalogPress {
    pub fn encode(&self) -> String {
        if self.fresh {
            return "n".to_owned();
        }
        format!("{}.{}.{}", self.page, self.topic, self.price)
    }

    pub fn decode(s: &str) -> Option<Self> {
        if s == "n" {
            return Some(Self {
                fresh: true,
                ..Self::default()
            });
        }
        let mut it = s.split('.');
        let mut num = || -> Option<u8> {
            let p = it.next()?;
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        let v = Self {
            fresh: false,
            page: num()?,
            topic: num()?,
            price: num()?,
        };
        it.next().is_none().then_some(v)
    }
}

fn press_button(text: String, p: CatalogPress) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, Action::Catalog(p).encode())
}

/// "Whole catalogue", without filters.
pub fn catalogue_button(cx: &Cx) -> InlineKeyboardButton {
    press_button(
        tr!(cx.l(), cx.lang(), "rec-btn-catalogue"),
        CatalogPress {
            fresh: true,
            ..CatalogPress::default()
        },
    )
}

/// What this client would pay now (R-PRICE-3; price locks are not stored yet, so the current
/// price).
pub fn client_price(cx: &Cx, current: Money, now: DateTime<Utc>) -> Money {
    quote_client_price(current, None, now, &cx.app.settings).amount
}

fn topics(cx: &Cx) -> Vec<(String, String)> {
    cx.app
        .catalog
        .specializations
        .groups()
        .iter()
        .find(|g| g.id == "topics")
        .map(|g| {
            g.items
                .iter()
                .map(|i| (i.id.clone(), i.label(cx.lang()).to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// The text and keyboard of a view; `None` when the view is out of range (forged).
async fn view(cx: &Cx, press: CatalogPress) -> Result<Option<(String, InlineKeyboardMarkup)>, BotError> {
    let p = CatalogPress { fresh: false, ..press };
    let topics = topics(cx);
    if usize::from(p.topic) > topics.len() || usize::from(p.price) > PRICE_BANDS.len() {
        return Ok(None);
    }
    let now = cx.app.clock.now();
    let (l, lang) = (cx.l(), cx.lang());
    let all = Listings(&cx.app.db)
        .active_therapists(now, now + TimeDelta::days(14))
        .await?;
    let fits = |t: &ListedTherapist| -> bool {
        let topic_ok = p.topic == 0 || t.specializations.contains(&topics[usize::from(p.topic) - 1].0);
        let price_ok = match (p.price, t.individual_price) {
            (0, _) => true,
            (_, None) => false,
            (b, Some(m)) => client_price(cx, m, now) <= Money::rubles(PRICE_BANDS[usize::from(b) - 1]),
        };
        topic_ok && price_ok
    };
    let listed: Vec<&ListedTherapist> = all.iter().filter(|t| fits(t)).collect();
    let pages = listed.len().div_ceil(PER_PAGE).max(1);
    if usize::from(p.page) >= pages {
        return Ok(None);
    }
    let mut lines = vec![tr!(
        l,
        lang,
        "cat-title",
        page = i64::from(p.page) + 1,
        pages = pages as i64
    )];
    let mut rows = Vec::new();
    let shown = listed.iter().skip(usize::from(p.page) * PER_PAGE).take(PER_PAGE);
    for t in shown {
        let price = t.individual_price.map_or_else(
            || tr!(l, lang, "cat-no-price"),
            |m| money(lang, client_price(cx, m, now)),
        );
        let nearest = t
            .free_starts
            .first()
            .map_or_else(|| tr!(l, lang, "cat-no-times"), |&at| local_time(at, cx.tz(), lang));
        lines.push(tr!(
            l,
            lang,
            "cat-line",
            name = escape(&t.full_name),
            price = price,
            nearest = nearest
        ));
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "rec-btn-profile", name = t.full_name.clone()),
            format!("cb:c:{}", t.id),
        )]);
    }
    if listed.is_empty() {
        lines.push(tr!(l, lang, "cat-empty"));
    }
    let topic_label = if p.topic == 0 {
        tr!(l, lang, "cat-any")
    } else {
        topics[usize::from(p.topic) - 1].1.clone()
    };
    let price_label = if p.price == 0 {
        tr!(l, lang, "cat-any")
    } else {
        tr!(
            l,
            lang,
            "cat-price-up-to",
            price = money(lang, Money::rubles(PRICE_BANDS[usize::from(p.price) - 1]))
        )
    };
    let next_topic = (p.topic + 1) % (topics.len() as u8 + 1);
    let next_price = (p.price + 1) % (PRICE_BANDS.len() as u8 + 1);
    rows.push(vec![
        press_button(
            tr!(l, lang, "cat-filter-topic", value = topic_label),
            CatalogPress {
                page: 0,
                topic: next_topic,
                ..p
            },
        ),
        press_button(
            tr!(l, lang, "cat-filter-price", value = price_label),
            CatalogPress {
                page: 0,
                price: next_price,
                ..p
            },
        ),
    ]);
    let mut nav = Vec::new();
    if p.page > 0 {
        nav.push(press_button(
            tr!(l, lang, "cat-prev"),
            CatalogPress { page: p.page - 1, ..p },
        ));
    }
    if usize::from(p.page) + 1 < pages {
        nav.push(press_button(
            tr!(l, lang, "cat-next"),
            CatalogPress { page: p.page + 1, ..p },
        ));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    Ok(Some((lines.join("\n\n"), InlineKeyboardMarkup::new(rows))))
}

/// `/therapists`: the first page without filters.
pub async fn open(cx: &Cx) -> HandlerResult {
    if let Some((text, kb)) = view(cx, CatalogPress::default()).await? {
        cx.send_with(text, kb).await?;
    }
    Ok(())
}

/// A filter or page button: the same message is edited; a forged or stale view is refused.
pub async fn on_press(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>, press: CatalogPress) -> HandlerResult {
    let (p, open_new) = (press, press.fresh);
    let Some((text, kb)) = view(cx, p).await? else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "stale-button"))
            .await?;
        return Ok(());
    };
    cx.bot.answer_callback_query(q.id.clone()).await?;
    let shown = q.regular_message().and_then(|m| m.reply_markup());
    match (mid, shown, open_new) {
        // A second tap on a button whose view is already shown: nothing to change.
        (Some(_), Some(current), false) if *current == kb => {}
        (Some(m), Some(_), false) => {
            cx.bot.edit_message_text(cx.chat_id, m, text).reply_markup(kb).await?;
        }
        // From the recommendation, or a message whose buttons we cannot see: a fresh page.
        _ => {
            cx.send_with(text, kb).await?;
        }
    }
    Ok(())
}
