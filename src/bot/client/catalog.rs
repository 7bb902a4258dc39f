//! The catalogue (`/therapists`): ACTIVE therapists, one line each (name, the price for this
//! client, the nearest free time in the client's zone with the zone named) and a button to the
//! card (`cb:c:<id>`); filters as toggle buttons (topic, modality, format, price band) and
//! pages, each press answered by editing the same message (never with identical content).
//! Published group programs under `/programs_list` or the "Group programs" button. Open
//! without consent: it is not health data. Buttons are `ct:<page>.<topic>.<modality>.<format>.<price>`,
//! `ct:n` (a fresh first page) and `ct:g` (programs); never trusted: out of range is stale.

use chrono::{DateTime, TimeDelta, Utc};
use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use crate::bot::callback::Action;
use crate::bot::html::escape;
use crate::bot::notices::money;
use crate::bot::timefmt::local_time;
use crate::bot::{BotError, Cx, HandlerResult};
use std::collections::HashMap;

use crate::domain::{quote_client_price, Money, PriceKind, PriceLock};
use crate::store::catalog::{ListedTherapist, Listings};
use crate::store::client_booking::PriceLocks;
use crate::tr;

/// Therapists per page.
const PER_PAGE: usize = 5;
/// Price bands of the filter, in rubles (0 = any).
const PRICE_BANDS: [u32; 3] = [2500, 4000, 6000];

/// The specialisation groups that are filters, in button order.
const FILTER_GROUPS: [&str; 3] = ["topics", "modalities", "formats"];

/// A catalogue view: page and filters (for each of `FILTER_GROUPS`: 0 any, else 1 + the index
/// of the item in that group; price: 0 any, else 1 + the index in `PRICE_BANDS`). `fresh`: the
/// first page in a new message; `programs`: the list of published group programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogPress {
    pub fresh: bool,
    pub programs: bool,
    pub page: u8,
    pub filters: [u8; 3],
    pub price: u8,
}

impl CatalogPress {
    pub fn encode(&self) -> String {
        if self.programs {
            return "g".to_owned();
        }
        if self.fresh {
            return "n".to_owned();
        }
        let [t, m, f] = self.filters;
        format!("{}.{t}.{m}.{f}.{}", self.page, self.price)
    }

    pub fn decode(s: &str) -> Option<Self> {
        match s {
            "n" => {
                return Some(Self {
                    fresh: true,
                    ..Self::default()
                })
            }
            "g" => {
                return Some(Self {
                    programs: true,
                    ..Self::default()
                })
            }
            _ => {}
        }
        let nums: Vec<u8> = s
            .split('.')
            .map(|p| {
                if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    p.parse().ok()
                }
            })
            .collect::<Option<_>>()?;
        match nums[..] {
            [page, t, m, f, price] => Some(Self {
                page,
                filters: [t, m, f],
                price,
                ..Self::default()
            }),
            _ => None,
        }
    }
}

fn press_button(text: String, p: CatalogPress) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, Action::Catalog(p).encode())
}

/// "Whole catalogue", without filters, in a new message.
pub fn catalogue_button(cx: &Cx) -> InlineKeyboardButton {
    press_button(
        tr!(cx.l(), cx.lang(), "rec-btn-catalogue"),
        CatalogPress {
            fresh: true,
            ..CatalogPress::default()
        },
    )
}

/// The client's price locks by therapist (R-PRICE-3), read once for a list.
pub async fn client_locks(cx: &Cx) -> Result<HashMap<i64, PriceLock>, BotError> {
    Ok(PriceLocks(&cx.app.db)
        .of_client(cx.actor.user.telegram_id, PriceKind::Individual)
        .await?)
}

/// What this client would pay this therapist now (R-PRICE-3: the lower of a live lock and the
/// current price).
pub fn client_price(
    cx: &Cx,
    locks: &HashMap<i64, PriceLock>,
    therapist_id: i64,
    current: Money,
    now: DateTime<Utc>,
) -> Money {
    quote_client_price(current, locks.get(&therapist_id), now, &cx.app.settings).amount
}

/// (id, label) of the items of a specialisation group.
fn items(cx: &Cx, group: &str) -> Vec<(String, String)> {
    cx.app
        .catalog
        .specializations
        .groups()
        .iter()
        .find(|g| g.id == group)
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
    let groups: Vec<Vec<(String, String)>> = FILTER_GROUPS.iter().map(|g| items(cx, g)).collect();
    let in_range = groups.iter().zip(p.filters).all(|(g, f)| usize::from(f) <= g.len());
    if !in_range || usize::from(p.price) > PRICE_BANDS.len() {
        return Ok(None);
    }
    let now = cx.app.clock.now();
    let (l, lang) = (cx.l(), cx.lang());
    let all = Listings(&cx.app.db)
        .active_therapists(now, now + TimeDelta::days(14))
        .await?;
    let locks = client_locks(cx).await?;
    let fits = |t: &ListedTherapist| -> bool {
        let specs_ok = groups
            .iter()
            .zip(p.filters)
            .all(|(g, f)| f == 0 || t.specializations.contains(&g[usize::from(f) - 1].0));
        let price_ok = match (p.price, t.individual_price) {
            (0, _) => true,
            (_, None) => false,
            (b, Some(m)) => client_price(cx, &locks, t.id, m, now) <= Money::rubles(PRICE_BANDS[usize::from(b) - 1]),
        };
        specs_ok && price_ok
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
    for t in listed.iter().skip(usize::from(p.page) * PER_PAGE).take(PER_PAGE) {
        let price = t.individual_price.map_or_else(
            || tr!(l, lang, "cat-no-price"),
            |m| money(lang, client_price(cx, &locks, t.id, m, now)),
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
    // One toggle per filter: a press moves to the next value (and back to "any").
    let mut filter_row = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let f = p.filters[i];
        let value = if f == 0 {
            tr!(l, lang, "cat-any")
        } else {
            g[usize::from(f) - 1].1.clone()
        };
        let label = match i {
            0 => tr!(l, lang, "cat-filter-topic", value = value),
            1 => tr!(l, lang, "cat-filter-modality", value = value),
            _ => tr!(l, lang, "cat-filter-format", value = value),
        };
        let mut next = p;
        next.page = 0;
        next.filters[i] = ((usize::from(f) + 1) % (g.len() + 1)) as u8;
        filter_row.push(press_button(label, next));
    }
    let price_label = if p.price == 0 {
        tr!(l, lang, "cat-any-price")
    } else {
        tr!(
            l,
            lang,
            "cat-price-up-to",
            price = money(lang, Money::rubles(PRICE_BANDS[usize::from(p.price) - 1]))
        )
    };
    filter_row.push(press_button(
        tr!(l, lang, "cat-filter-price", value = price_label),
        CatalogPress {
            page: 0,
            price: (p.price + 1) % (PRICE_BANDS.len() as u8 + 1),
            ..p
        },
    ));
    let (first, second) = filter_row.split_at(2);
    rows.push(first.to_vec());
    rows.push(second.to_vec());
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
    rows.push(vec![press_button(
        tr!(l, lang, "cat-btn-programs"),
        CatalogPress {
            programs: true,
            ..CatalogPress::default()
        },
    )]);
    Ok(Some((lines.join("\n\n"), InlineKeyboardMarkup::new(rows))))
}

/// `/programs_list` and the "Group programs" button: the published programs of active
/// therapists, each with its approach, the next weekly meeting in the client's zone (zone
/// named), the price and the free places.
pub async fn programs(cx: &Cx) -> HandlerResult {
    let now = cx.app.clock.now();
    let (l, lang) = (cx.l(), cx.lang());
    let listings = Listings(&cx.app.db);
    let programs = listings.published_programs().await?;
    let places = listings.free_places(now).await?;
    let mut lines = vec![tr!(l, lang, "cat-programs-title")];
    let mut rows = Vec::new();
    let meetings = crate::store::programs::Programs(&cx.app.db);
    for p in &programs {
        let next = meetings
            .meetings(p.id, now)
            .await?
            .into_iter()
            .find(|s| s.starts_at > now)
            .map_or_else(
                || tr!(l, lang, "cat-no-times"),
                |s| local_time(s.starts_at, cx.tz(), lang),
            );
        let approach = cx
            .app
            .catalog
            .specializations
            .item(&p.fields.approach)
            .map_or_else(|| p.fields.approach.clone(), |i| i.label(lang).to_owned());
        let price = super::programs::program_price(cx, p)
            .await?
            .amount
            .unwrap_or(p.fields.price);
        lines.push(tr!(
            l,
            lang,
            "cat-program",
            title = escape(&p.fields.title),
            approach = escape(&approach),
            next = next,
            price = money(lang, price),
            places = i64::from(places.get(&p.id).copied().unwrap_or(0))
        ));
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(
                l,
                lang,
                "enrol-btn-open-program",
                title = crate::bot::html::truncate(&p.fields.title, 40)
            ),
            crate::bot::client::booking::CbPress::Program(p.id).data(),
        )]);
    }
    if programs.is_empty() {
        lines.push(tr!(l, lang, "cat-programs-empty"));
        cx.send(lines.join("\n\n")).await?;
    } else {
        cx.send_with(lines.join("\n\n"), InlineKeyboardMarkup::new(rows))
            .await?;
    }
    Ok(())
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
    if press.programs {
        cx.bot.answer_callback_query(q.id.clone()).await?;
        return programs(cx).await;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_round_trip_and_fit_telegram() {
        for p in [
            CatalogPress::default(),
            CatalogPress {
                fresh: true,
                ..CatalogPress::default()
            },
            CatalogPress {
                programs: true,
                ..CatalogPress::default()
            },
            CatalogPress {
                page: 255,
                filters: [255, 255, 255],
                price: 255,
                ..CatalogPress::default()
            },
        ] {
            let data = Action::Catalog(p).encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Action::decode(&data), Some(Action::Catalog(p)));
        }
    }

    #[test]
    fn forgeries_do_not_decode() {
        for s in [
            "",
            "x",
            "1.2.3.4",
            "1.2.3.4.5.6",
            "1..3.4.5",
            "256.0.0.0.0",
            "-1.0.0.0.0",
            "1.0.0.0.a",
            "nn",
        ] {
            assert_eq!(CatalogPress::decode(s), None, "{s}");
        }
    }
}
