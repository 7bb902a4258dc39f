//! Booking a session from a therapist's card (R-CLI-5, R-PAY-1, R-PRICE-3, R-CAN-3, R-CAN-4):
//! a calendar of the next 30 days where only days with free times can be pressed, the free
//! times of the day, a confirmation with the price and the cancellation rule, then the booking
//! (the database refuses double booking) and its payment link; free sessions are confirmed at
//! once. A move (R-CAN-4) runs the same flow for the old booking's therapist and kind, makes
//! the new booking first and then cancels the old one. Buttons carry "cb:" data ([`CbPress`]),
//! re-checked on every press.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::mybookings;
use crate::bot::html::escape;
use crate::bot::notices::{kind_name, money};
use crate::bot::therapist::calendar::{day_label, slot_when};
use crate::bot::therapist::datepicker::{self, PickerPress, Range};
use crate::bot::therapist::Press;
use crate::bot::{timefmt, BotError, Cx, HandlerResult};
use crate::domain::{
    free_cancellation_ends_at, payment_deadline, quote_client_price, Money, PriceBasis, PriceKind, SessionKind,
};
use crate::store::bookings::Bookings;
use crate::store::client_booking::{ClientBooking, ClientBookings, PriceLocks};
use crate::store::outbox::OutboxMessage;
use crate::store::packages::Packages;
use crate::store::pay_messages::PayOwner;
use crate::store::profiles::Profiles;
use crate::store::slots::{Slot, Slots};
use crate::store::therapists::{Therapist, TherapistStatus, Therapists};
use crate::store::StoreError;
use crate::tr;

/// How far ahead clients book.
pub const BOOKING_DAYS: i64 = 30;

/// What a booking is for: a new booking of a therapist's session kind, or a move of an
/// existing booking (R-CAN-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    New {
        therapist: i64,
        kind: SessionKind,
    },
    Move(i64),
    /// A meeting of a published group program the client is enrolled in (R-GRP-2, R-GRP-3).
    Program(i64),
}

impl Target {
    fn encode(&self) -> String {
        match self {
            Target::New { therapist, kind } => format!(
                "n{therapist}{}",
                match kind {
                    SessionKind::Individual => 'i',
                    SessionKind::Consultation => 'c',
                    SessionKind::Group => 'g',
                }
            ),
            Target::Move(b) => format!("v{b}"),
            Target::Program(p) => format!("g{p}"),
        }
    }

    fn decode(s: &str) -> Option<Self> {
        if let Some(b) = s.strip_prefix('v') {
            return Some(Target::Move(id(b)?));
        }
        if let Some(p) = s.strip_prefix('g') {
            return Some(Target::Program(id(p)?));
        }
        let rest = s.strip_prefix('n')?;
        let (num, k) = rest.split_at(rest.len().checked_sub(1)?);
        let kind = match k {
            "i" => SessionKind::Individual,
            "c" => SessionKind::Consultation,
            _ => return None,
        };
        Some(Target::New {
            therapist: id(num)?,
            kind,
        })
    }
}

fn id(s: &str) -> Option<i64> {
    (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The client booking buttons (prefix "cb:").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CbPress {
    /// A therapist's card (also the catalogue's button `cb:c:<id>`).
    Card(i64),
    /// Send the therapist's materials.
    Materials(i64),
    /// Open the calendar (the first month).
    Start(Target),
    /// Calendar navigation or a label.
    Picker(Target, PickerPress),
    /// A time was picked: show the confirmation.
    Slot(Target, i64),
    /// Confirm the booking of a slot.
    Confirm(Target, i64),
    /// /mybookings again.
    List,
    /// Ask to cancel a booking (the consequence first).
    Cancel(i64),
    /// Cancel it.
    CancelYes(i64),
    /// A group program's card (R-GRP-2): `g:<id>`.
    Program(i64),
    /// Enrol in a group program (R-GRP-3): `e:<id>`.
    Enrol(i64),
    /// Ask to leave a group program (the consequences first): `w:<id>`.
    Leave(i64),
    /// Leave it: `wy:<id>`.
    LeaveYes(i64),
    /// "Buy a package" of a therapist's sessions (R-PAY-1): the sizes.
    Pkg(i64),
    /// A package size picked (therapist, size): the confirmation.
    PkgSize(i64, u32),
    /// Buy it (therapist, size).
    PkgBuy(i64, u32),
    /// The payment link of the client's package awaiting payment.
    PkgPay(i64),
}

impl CbPress {
    pub fn encode(&self) -> String {
        match self {
            CbPress::Card(t) => format!("c:{t}"),
            CbPress::Materials(t) => format!("m:{t}"),
            CbPress::Start(t) => format!("k:{}", t.encode()),
            CbPress::Picker(t, p) => format!("p:{}:{}", t.encode(), p.encode()),
            CbPress::Slot(t, s) => format!("s:{}:{s}", t.encode()),
            CbPress::Confirm(t, s) => format!("y:{}:{s}", t.encode()),
            CbPress::List => "l".into(),
            CbPress::Cancel(b) => format!("x:{b}"),
            CbPress::CancelYes(b) => format!("xy:{b}"),
            CbPress::Program(p) => format!("g:{p}"),
            CbPress::Enrol(p) => format!("e:{p}"),
            CbPress::Leave(p) => format!("w:{p}"),
            CbPress::LeaveYes(p) => format!("wy:{p}"),
            CbPress::Pkg(t) => format!("pk:{t}"),
            CbPress::PkgSize(t, n) => format!("ps:{t}:{n}"),
            CbPress::PkgBuy(t, n) => format!("pb:{t}:{n}"),
            CbPress::PkgPay(k) => format!("pl:{k}"),
        }
    }

    /// The part after "cb:"; `None` for anything [`CbPress::encode`] does not produce.
    pub fn decode(s: &str) -> Option<Self> {
        let (op, rest) = s.split_once(':').unwrap_or((s, ""));
        Some(match op {
            "c" => CbPress::Card(id(rest)?),
            "m" => CbPress::Materials(id(rest)?),
            "k" => CbPress::Start(Target::decode(rest)?),
            "p" => {
                let (t, p) = rest.split_once(':')?;
                CbPress::Picker(Target::decode(t)?, PickerPress::decode(p)?)
            }
            "s" | "y" => {
                let (t, slot) = rest.split_once(':')?;
                let (t, slot) = (Target::decode(t)?, id(slot)?);
                if op == "s" {
                    CbPress::Slot(t, slot)
                } else {
                    CbPress::Confirm(t, slot)
                }
            }
            "l" if rest.is_empty() => CbPress::List,
            "x" => CbPress::Cancel(id(rest)?),
            "xy" => CbPress::CancelYes(id(rest)?),
            "g" => CbPress::Program(id(rest)?),
            "e" => CbPress::Enrol(id(rest)?),
            "w" => CbPress::Leave(id(rest)?),
            "wy" => CbPress::LeaveYes(id(rest)?),
            "pk" => CbPress::Pkg(id(rest)?),
            "ps" | "pb" => {
                let (t, n) = rest.split_once(':')?;
                let n = u32::try_from(id(n)?).ok().filter(|n| *n <= 1000)?;
                if op == "ps" {
                    CbPress::PkgSize(id(t)?, n)
                } else {
                    CbPress::PkgBuy(id(t)?, n)
                }
            }
            "pl" => CbPress::PkgPay(id(rest)?),
            _ => return None,
        })
    }

    /// The full callback data.
    pub fn data(&self) -> String {
        crate::bot::callback::Action::Book(*self).encode()
    }
}

fn button(text: String, p: CbPress) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, p.data())
}

/// A press of a "cb:" button.
pub async fn on_press(cx: &Cx, press: &Press<'_>, p: CbPress) -> HandlerResult {
    match p {
        CbPress::Card(t) => {
            press.answer(cx).await?;
            super::card::show(cx, t).await
        }
        CbPress::Materials(t) => super::card::materials(cx, press, t).await,
        CbPress::Program(p) => {
            press.answer(cx).await?;
            super::programs::show(cx, p).await
        }
        CbPress::Enrol(p) => super::programs::enrol(cx, press, p).await,
        CbPress::Leave(p) => super::programs::ask_leave(cx, press, p).await,
        CbPress::LeaveYes(p) => super::programs::leave(cx, press, p).await,
        CbPress::Start(target) => {
            let Some(flow) = resolve(cx, press, target).await? else {
                return Ok(());
            };
            press.answer(cx).await?;
            if flow.program.is_some() {
                return super::programs::meetings(cx, Some(press), &flow).await;
            }
            show_month(cx, press, &flow, None).await
        }
        CbPress::Picker(target, PickerPress::Noop) => {
            let _ = target;
            press.answer(cx).await
        }
        CbPress::Picker(target, PickerPress::Month(m)) => {
            let Some(flow) = resolve(cx, press, target).await? else {
                return Ok(());
            };
            press.answer(cx).await?;
            show_month(cx, press, &flow, Some(m)).await
        }
        CbPress::Picker(target, PickerPress::Day(d)) => {
            let Some(flow) = resolve(cx, press, target).await? else {
                return Ok(());
            };
            press.answer(cx).await?;
            show_day(cx, press, &flow, d).await
        }
        CbPress::Slot(target, slot) => {
            let Some(flow) = resolve(cx, press, target).await? else {
                return Ok(());
            };
            show_confirmation(cx, press, &flow, slot).await
        }
        CbPress::Confirm(target, slot) => {
            let Some(flow) = resolve(cx, press, target).await? else {
                return Ok(());
            };
            confirm(cx, press, &flow, slot).await
        }
        CbPress::List => {
            press.answer(cx).await?;
            mybookings::show(cx).await
        }
        CbPress::Cancel(b) => mybookings::ask_cancel(cx, press, b).await,
        CbPress::CancelYes(b) => mybookings::cancel(cx, press, b).await,
        CbPress::Pkg(t) => super::packages::offer(cx, press, t).await,
        CbPress::PkgSize(t, n) => super::packages::ask(cx, press, t, n).await,
        CbPress::PkgBuy(t, n) => super::packages::buy(cx, press, t, n).await,
        CbPress::PkgPay(k) => super::packages::pay_again(cx, press, k).await,
    }
}

/// A booking flow resolved against the database.
pub struct Flow {
    pub target: Target,
    pub therapist: Therapist,
    pub kind: SessionKind,
    /// The booking being moved (R-CAN-4).
    pub moving: Option<ClientBooking>,
    /// The group program whose meetings are booked (R-GRP-2).
    pub program: Option<crate::store::programs::Program>,
}

/// Re-checks a press's target: the therapist is active, the kind is offered, a moved booking
/// is this client's and still live. Refusals are answered here.
async fn resolve(cx: &Cx, press: &Press<'_>, target: Target) -> Result<Option<Flow>, BotError> {
    let mut program = None;
    let (therapist_id, kind, moving) = match target {
        Target::New { therapist, kind } => (therapist, kind, None),
        Target::Program(p) => {
            let Some(p) = super::programs::bookable_program(cx, press, p).await? else {
                return Ok(None);
            };
            let therapist = p.therapist_id;
            program = Some(p);
            (therapist, SessionKind::Group, None)
        }
        Target::Move(b) => {
            let own = ClientBookings(&cx.app.db).get(cx.actor.user.telegram_id, b).await?;
            let Some(own) = own.filter(|o| o.state.holds_slot() && o.starts_at > cx.app.clock.now()) else {
                press.alert(cx, tr!(cx.l(), cx.lang(), "my-not-cancellable")).await?;
                return Ok(None);
            };
            (own.therapist_id, own.kind, Some(own))
        }
    };
    let therapist = Therapists(&cx.app.db).get(therapist_id).await?;
    let Some(therapist) = therapist.filter(|t| t.status == TherapistStatus::Active) else {
        press.alert(cx, tr!(cx.l(), cx.lang(), "card-not-available")).await?;
        return Ok(None);
    };
    // Group slots are booked only as meetings of a published program (R-GRP-2).
    if kind == SessionKind::Group && program.is_none() {
        press.stale(cx).await?;
        return Ok(None);
    }
    Ok(Some(Flow {
        target,
        therapist,
        kind,
        moving,
        program,
    }))
}

/// The therapist's free slots of `kind` in the next 30 days (a moved booking's own slot
/// excluded).
pub async fn free_slots(cx: &Cx, therapist_id: i64, kind: Option<SessionKind>) -> Result<Vec<Slot>, BotError> {
    let now = cx.app.clock.now();
    let slots = Slots(&cx.app.db)
        .open_of_therapist(therapist_id, now, now + TimeDelta::days(BOOKING_DAYS))
        .await?;
    Ok(slots
        .into_iter()
        .filter(|s| s.free_seats() > 0 && s.starts_at > now && s.kind != SessionKind::Group)
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .collect())
}

fn local_day(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

async fn show_month(cx: &Cx, press: &Press<'_>, flow: &Flow, month: Option<NaiveDate>) -> HandlerResult {
    let tz = cx.tz();
    let l = cx.l();
    let lang = cx.lang();
    let slots = free_slots(cx, flow.therapist.id, Some(flow.kind)).await?;
    let back = InlineKeyboardMarkup::new(vec![vec![button(
        tr!(l, lang, "book-btn-back"),
        CbPress::Card(flow.therapist.id),
    )]]);
    if slots.is_empty() {
        return press.show(cx, tr!(l, lang, "book-no-times"), back).await;
    }
    let days: std::collections::BTreeSet<NaiveDate> = slots.iter().map(|s| local_day(s.starts_at, tz)).collect();
    let today = local_day(cx.app.clock.now(), tz);
    let range = Range {
        first: today,
        last: today + TimeDelta::days(BOOKING_DAYS),
    };
    let first_free = days.iter().next().copied().unwrap_or(today);
    let target = flow.target;
    let kb = datepicker::keyboard(l, lang, month.unwrap_or(first_free), &range, &|p| {
        CbPress::Picker(target, p).data()
    });
    // Only days with free times can be pressed.
    let rows = kb
        .inline_keyboard
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|b| {
                    let day = match &b.kind {
                        teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => {
                            d.strip_prefix("cb:").and_then(CbPress::decode).and_then(|p| match p {
                                CbPress::Picker(_, PickerPress::Day(d)) => Some(d),
                                _ => None,
                            })
                        }
                        _ => None,
                    };
                    match day {
                        Some(d) if !days.contains(&d) => button("·".into(), CbPress::Picker(target, PickerPress::Noop)),
                        _ => b,
                    }
                })
                .collect::<Vec<_>>()
        })
        .chain(std::iter::once(vec![button(
            tr!(l, lang, "book-btn-back"),
            CbPress::Card(flow.therapist.id),
        )]))
        .collect::<Vec<_>>();
    let text = tr!(
        l,
        lang,
        "book-pick-day",
        therapist = escape(&flow.therapist.full_name),
        kind = kind_name(l, lang, flow.kind),
        zone = tz.name()
    );
    press.show(cx, text, InlineKeyboardMarkup::new(rows)).await
}

async fn show_day(cx: &Cx, press: &Press<'_>, flow: &Flow, day: NaiveDate) -> HandlerResult {
    let tz = cx.tz();
    let (l, lang) = (cx.l(), cx.lang());
    let slots: Vec<Slot> = free_slots(cx, flow.therapist.id, Some(flow.kind))
        .await?
        .into_iter()
        .filter(|s| local_day(s.starts_at, tz) == day)
        .collect();
    if slots.is_empty() {
        return show_month(cx, press, flow, Some(day)).await;
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = slots
        .chunks(4)
        .map(|c| {
            c.iter()
                .map(|s| {
                    button(
                        s.starts_at.with_timezone(&tz).format("%H:%M").to_string(),
                        CbPress::Slot(flow.target, s.id),
                    )
                })
                .collect()
        })
        .collect();
    rows.push(vec![button(
        tr!(l, lang, "book-btn-back"),
        CbPress::Picker(flow.target, PickerPress::Month(datepicker::first_of_month(day))),
    )]);
    let text = tr!(
        l,
        lang,
        "book-pick-time",
        therapist = escape(&flow.therapist.full_name),
        kind = kind_name(l, lang, flow.kind),
        day = day_label(l, lang, day),
        zone = tz.name()
    );
    press.show(cx, text, InlineKeyboardMarkup::new(rows)).await
}

/// What this client pays for a session of this kind with this therapist now (R-PRICE-3):
/// `None` when it is free (a consultation, or a free session the therapist owes, `owed`).
pub struct Price {
    pub amount: Option<Money>,
    pub owed: Option<i64>,
    /// Until when the lock keeps this price, when the lock made it lower (R-PRICE-3).
    pub locked_until: Option<DateTime<Utc>>,
}

pub async fn client_price(cx: &Cx, therapist_id: i64, kind: SessionKind) -> Result<Option<Price>, BotError> {
    if kind == SessionKind::Consultation {
        return Ok(Some(Price {
            amount: None,
            owed: None,
            locked_until: None,
        }));
    }
    let client = cx.actor.user.telegram_id;
    if let Some(owed) = ClientBookings(&cx.app.db)
        .owed_free_session(client, therapist_id)
        .await?
    {
        return Ok(Some(Price {
            amount: None,
            owed: Some(owed),
            locked_until: None,
        }));
    }
    let prices = Profiles(&cx.app.db).prices(therapist_id).await?;
    let Some((_, current)) = prices.into_iter().find(|(k, _)| *k == PriceKind::Individual) else {
        return Ok(None);
    };
    let lock = PriceLocks(&cx.app.db)
        .get(client, therapist_id, PriceKind::Individual)
        .await?;
    let quote = quote_client_price(current.amount, lock.as_ref(), cx.app.clock.now(), &cx.app.settings);
    Ok(Some(Price {
        amount: Some(quote.amount),
        owed: None,
        locked_until: (quote.basis == PriceBasis::Locked).then(|| quote.lock.ends_at(&cx.app.settings)),
    }))
}

/// What this client pays in this flow: a program meeting costs the program's price per
/// participant ([`super::programs::program_price`]); otherwise [`client_price`].
async fn flow_price(cx: &Cx, flow: &Flow) -> Result<Option<Price>, BotError> {
    let Some(p) = &flow.program else {
        return client_price(cx, flow.therapist.id, flow.kind).await;
    };
    Ok(Some(super::programs::program_price(cx, p).await?))
}

/// The free times the flow offers: a program's meetings with a free seat, or the therapist's
/// free slots of the kind.
async fn flow_slots(cx: &Cx, flow: &Flow) -> Result<Vec<Slot>, BotError> {
    match &flow.program {
        Some(p) => {
            let now = cx.app.clock.now();
            Ok(crate::store::programs::Programs(&cx.app.db)
                .meetings(p.id, now)
                .await?
                .into_iter()
                .filter(|s| s.free_seats() > 0 && s.starts_at > now)
                .collect())
        }
        None => free_slots(cx, flow.therapist.id, Some(flow.kind)).await,
    }
}

/// A slot the flow may book now, or `None` (closed, taken, past, another therapist's or kind,
/// a group slot that is not this program's meeting).
async fn bookable(cx: &Cx, flow: &Flow, slot_id: i64) -> Result<Option<Slot>, BotError> {
    let slot = Slots(&cx.app.db).get(slot_id).await?;
    let program_of_slot = match &slot {
        Some(s) if s.kind == SessionKind::Group => crate::store::programs::Programs(&cx.app.db).of_slot(s.id).await?,
        _ => None,
    };
    if program_of_slot != flow.program.as_ref().map(|p| p.id) {
        return Ok(None);
    }
    let horizon = if flow.program.is_some() {
        TimeDelta::weeks(110)
    } else {
        TimeDelta::days(BOOKING_DAYS)
    };
    Ok(slot.filter(|s| {
        s.therapist_id == flow.therapist.id
            && s.kind == flow.kind
            && s.open
            && s.starts_at > cx.app.clock.now()
            && s.starts_at <= cx.app.clock.now() + horizon
    }))
}

async fn show_confirmation(cx: &Cx, press: &Press<'_>, flow: &Flow, slot_id: i64) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let Some(slot) = bookable(cx, flow, slot_id).await?.filter(|s| s.free_seats() > 0) else {
        return slot_gone(cx, press, flow).await;
    };
    let Some(price) = flow_price(cx, flow).await? else {
        press.alert(cx, tr!(l, lang, "card-not-available")).await?;
        return Ok(());
    };
    press.answer(cx).await?;
    let when = slot_when(l, lang, tz, slot.starts_at, slot.ends_at);
    let therapist = escape(&flow.therapist.full_name);
    let kind = kind_name(l, lang, flow.kind);
    let credit = match price.amount {
        Some(_) if flow.kind == SessionKind::Individual => {
            Packages(&cx.app.db)
                .with_credit(cx.actor.user.telegram_id, flow.therapist.id)
                .await?
        }
        _ => None,
    };
    let mut text = match price.amount {
        // R-PAY-1: a package credit pays for it; no payment.
        Some(_) if credit.is_some() => {
            let until = timefmt::local_time(free_cancellation_ends_at(slot.starts_at, &cx.app.settings), tz, lang);
            tr!(
                l,
                lang,
                "book-confirm-credit",
                kind = kind,
                therapist = therapist,
                when = when,
                left = credit.as_ref().map_or(0, |k| k.available()),
                until = until
            )
        }
        Some(amount) => {
            let until = timefmt::local_time(free_cancellation_ends_at(slot.starts_at, &cx.app.settings), tz, lang);
            tr!(
                l,
                lang,
                "book-confirm",
                kind = kind,
                therapist = therapist,
                when = when,
                amount = money(lang, amount),
                until = until
            )
        }
        None => tr!(
            l,
            lang,
            "book-confirm-free",
            kind = kind,
            therapist = therapist,
            when = when
        ),
    };
    if let Some(old) = &flow.moving {
        let consequence = mybookings::consequence(cx, old).await?;
        text.push_str("\n\n");
        text.push_str(&tr!(
            l,
            lang,
            "book-move-note",
            old = slot_when(l, lang, tz, old.starts_at, old.ends_at),
            consequence = consequence.map(|c| c.text).unwrap_or_default()
        ));
    }
    let kb = InlineKeyboardMarkup::new(vec![
        vec![button(
            tr!(l, lang, "book-btn-confirm"),
            CbPress::Confirm(flow.target, slot.id),
        )],
        vec![button(
            tr!(l, lang, "book-btn-back"),
            if flow.program.is_some() {
                CbPress::Start(flow.target)
            } else {
                CbPress::Picker(flow.target, PickerPress::Day(local_day(slot.starts_at, tz)))
            },
        )],
    ]);
    press.show(cx, text, kb).await
}

/// Where "Back" leads when nothing is left to pick: the program's or the therapist's card.
fn back_to(flow: &Flow) -> CbPress {
    match &flow.program {
        Some(p) => CbPress::Program(p.id),
        None => CbPress::Card(flow.therapist.id),
    }
}

/// The slot was just taken, closed or is past: say so and show the next free times.
async fn slot_gone(cx: &Cx, press: &Press<'_>, flow: &Flow) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let slots = flow_slots(cx, flow).await?;
    press.answer(cx).await?;
    if slots.is_empty() {
        let kb = InlineKeyboardMarkup::new(vec![vec![button(tr!(l, lang, "book-btn-back"), back_to(flow))]]);
        cx.send_with(tr!(l, lang, "book-slot-gone-none"), kb).await?;
        return Ok(());
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = slots
        .iter()
        .take(6)
        .map(|s| {
            vec![button(
                slot_when(l, lang, tz, s.starts_at, s.ends_at),
                CbPress::Slot(flow.target, s.id),
            )]
        })
        .collect();
    rows.push(vec![button(tr!(l, lang, "book-btn-back"), CbPress::Start(flow.target))]);
    // A new message: the pressed one may be stale or forged (never an identical edit).
    cx.send_with(tr!(l, lang, "book-slot-gone"), InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

async fn confirm(cx: &Cx, press: &Press<'_>, flow: &Flow, slot_id: i64) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let client = cx.actor.user.telegram_id;
    let now = cx.app.clock.now();
    // A second tap: show the booking that exists.
    if let Some(existing) = ClientBookings(&cx.app.db).live_of_slot(client, slot_id).await? {
        press.answer(cx).await?;
        return show_booked(cx, None, &existing).await;
    }
    let Some(slot) = bookable(cx, flow, slot_id).await? else {
        return slot_gone(cx, press, flow).await;
    };
    let Some(price) = flow_price(cx, flow).await? else {
        press.alert(cx, tr!(l, lang, "card-not-available")).await?;
        return Ok(());
    };
    let credit = match price.amount {
        Some(_) if flow.kind == SessionKind::Individual => {
            Packages(&cx.app.db).with_credit(client, flow.therapist.id).await?
        }
        _ => None,
    };
    let created = match (price.amount, credit) {
        // R-PAY-1: a credit instead of a payment, confirmed at once; the credit is taken in the
        // booking's transaction, so the same credit never pays twice.
        (Some(_), Some(k)) => {
            let notices = therapist_notice(cx, flow, &slot, true).await?;
            match Packages(&cx.app.db)
                .book_with_credit(slot.id, client, k.id, &notices, now)
                .await
            {
                // The last credit went meanwhile: the booking is paid as usual.
                Err(StoreError::Conflict) => {
                    let amount = price.amount.unwrap_or(k.package.per_session_price());
                    Bookings(&cx.app.db).create(slot.id, client, amount, now).await
                }
                other => other,
            }
        }
        (Some(amount), None) => Bookings(&cx.app.db).create(slot.id, client, amount, now).await,
        (None, _) => {
            let notices = therapist_notice(cx, flow, &slot, false).await?;
            ClientBookings(&cx.app.db)
                .book_free(slot.id, client, price.owed, &notices, now)
                .await
        }
    };
    let booking_id = match created {
        Ok(id) => id,
        Err(StoreError::SlotTaken | StoreError::SlotFull | StoreError::SlotClosed | StoreError::NotFound) => {
            return slot_gone(cx, press, flow).await;
        }
        // R-GRP-2, R-GRP-3: the database's own refusal (enrolment changed meanwhile).
        Err(StoreError::NotEnrolled) => {
            return press.alert(cx, tr!(l, lang, "enrol-not-enrolled")).await;
        }
        Err(StoreError::AlreadyBooked | StoreError::Conflict) => {
            if let Some(existing) = ClientBookings(&cx.app.db).live_of_slot(client, slot_id).await? {
                press.answer(cx).await?;
                return show_booked(cx, None, &existing).await;
            }
            return slot_gone(cx, press, flow).await;
        }
        Err(e) => return Err(e.into()),
    };
    press.answer(cx).await?;
    let Some(booking) = ClientBookings(&cx.app.db).get(client, booking_id).await? else {
        return Ok(());
    };
    // R-CAN-4: the new booking exists; now the old one is cancelled.
    if let Some(old) = &flow.moving {
        if let Some(done) = mybookings::cancel_booking(cx, old).await? {
            cx.send(tr!(
                l,
                lang,
                "book-moved-done",
                old = slot_when(l, lang, tz, old.starts_at, old.ends_at),
                consequence = done
            ))
            .await?;
        }
    }
    show_booked(cx, Some(press), &booking).await
}

/// The therapist's notice of a free booking (paid ones are told by the payment service).
async fn therapist_notice(cx: &Cx, flow: &Flow, slot: &Slot, credit: bool) -> Result<Vec<OutboxMessage>, BotError> {
    let Some(tg) = flow.therapist.telegram_id else {
        return Ok(vec![]);
    };
    let user = crate::store::users::Users(&cx.app.db).get(tg).await?;
    let lang = user.as_ref().map(|u| u.language).unwrap_or(cx.app.default_lang);
    let tz = crate::store::calendar::therapist_zone(&cx.app.db, flow.therapist.id)
        .await?
        .unwrap_or(cx.app.default_tz);
    let l = cx.l();
    Ok(vec![OutboxMessage::new(
        tg,
        if credit {
            tr!(
                l,
                lang,
                "book-therapist-credit",
                client = escape(&cx.actor.user.first_name),
                kind = kind_name(l, lang, flow.kind),
                when = slot_when(l, lang, tz, slot.starts_at, slot.ends_at)
            )
        } else {
            tr!(
                l,
                lang,
                "book-therapist-free",
                client = escape(&cx.actor.user.first_name),
                kind = kind_name(l, lang, flow.kind),
                when = slot_when(l, lang, tz, slot.starts_at, slot.ends_at)
            )
        },
    )])
}

/// A booking just made (shown in place of the pressed message) or found again on a second tap
/// (a new message: the pressed one already shows it): the payment link while it awaits
/// payment, else the confirmation.
async fn show_booked(cx: &Cx, press: Option<&Press<'_>>, b: &ClientBooking) -> HandlerResult {
    let show = |text: String, kb: InlineKeyboardMarkup| async move {
        match press {
            Some(p) => p.show(cx, text, kb).await,
            None => cx.send_with(text, kb).await.map(|_| ()),
        }
    };
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let when = slot_when(l, lang, tz, b.starts_at, b.ends_at);
    let therapist = escape(&b.therapist_name);
    let kind = kind_name(l, lang, b.kind);
    let list = vec![button(tr!(l, lang, "cmd-mybookings"), CbPress::List)];
    if b.state == crate::domain::BookingState::AwaitingPayment {
        let description = format!("{kind}, {}", b.therapist_name);
        return match cx.app.payments.start_for_booking(b.id, &description).await {
            Ok(record) => {
                let Some(url) = record.confirmation_url.as_deref().and_then(|u| u.parse().ok()) else {
                    return show(
                        tr!(l, lang, "book-payment-error"),
                        InlineKeyboardMarkup::new(vec![list]),
                    )
                    .await;
                };
                let booked_at = Bookings(&cx.app.db)
                    .get(b.id)
                    .await?
                    .map(|x| x.created_at)
                    .unwrap_or(b.starts_at);
                let deadline = payment_deadline(booked_at, &cx.app.settings);
                let text = tr!(
                    l,
                    lang,
                    "book-pay",
                    kind = kind,
                    therapist = therapist,
                    when = when,
                    deadline = timefmt::local_time(deadline, tz, lang)
                );
                let kb = InlineKeyboardMarkup::new(vec![
                    vec![InlineKeyboardButton::url(
                        tr!(l, lang, "book-btn-pay", amount = money(lang, b.price)),
                        url,
                    )],
                    list,
                ]);
                super::pay_message::show_pay(cx, press, PayOwner::Booking(b.id), text, kb).await
            }
            Err(e) => {
                tracing::warn!(booking = b.id, error = %e, "payment link not created");
                show(
                    tr!(l, lang, "book-payment-error"),
                    InlineKeyboardMarkup::new(vec![list]),
                )
                .await
            }
        };
    }
    let text = if b.state == crate::domain::BookingState::Confirmed && b.credit {
        tr!(
            l,
            lang,
            "book-confirmed-credit",
            kind = kind,
            therapist = therapist,
            when = when
        )
    } else if b.state == crate::domain::BookingState::Confirmed && b.price.is_zero() {
        tr!(
            l,
            lang,
            "book-confirmed-free",
            kind = kind,
            therapist = therapist,
            when = when
        )
    } else {
        tr!(l, lang, "book-already", kind = kind, therapist = therapist, when = when)
    };
    show(text, InlineKeyboardMarkup::new(vec![list])).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn presses_round_trip_within_64_bytes() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let big = i64::MAX;
        let t = Target::New {
            therapist: big,
            kind: SessionKind::Consultation,
        };
        for p in [
            CbPress::Card(big),
            CbPress::Materials(7),
            CbPress::Start(t),
            CbPress::Start(Target::Move(big)),
            CbPress::Picker(t, PickerPress::Day(d)),
            CbPress::Picker(Target::Move(3), PickerPress::Month(d.with_day(1).unwrap())),
            CbPress::Picker(t, PickerPress::Noop),
            CbPress::Slot(t, big),
            CbPress::Confirm(t, big),
            CbPress::Confirm(Target::Move(big), big),
            CbPress::List,
            CbPress::Cancel(big),
            CbPress::CancelYes(1),
            CbPress::Program(big),
            CbPress::Enrol(big),
            CbPress::Leave(big),
            CbPress::LeaveYes(big),
            CbPress::Start(Target::Program(big)),
            CbPress::Confirm(Target::Program(big), big),
            CbPress::Pkg(big),
            CbPress::PkgSize(big, 8),
            CbPress::PkgBuy(big, 1000),
            CbPress::PkgPay(big),
        ] {
            let data = p.data();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(
                crate::bot::callback::Action::decode(&data),
                Some(crate::bot::callback::Action::Book(p))
            );
        }
        assert_eq!(CbPress::Card(12).data(), "cb:c:12", "the catalogue's card button");
    }

    #[test]
    fn forgeries_decode_to_nothing() {
        for s in [
            "c:",
            "c:-1",
            "c:1a",
            "k:n1g",
            "k:n1",
            "k:x1i",
            "s:n1i:",
            "y:v:1",
            "p:n1i:d:2026",
            "l:1",
            "xy:",
            "zz:1",
            "c:99999999999999999999",
            "g:",
            "e:x",
            "k:g",
            "y:g-1:2",
            "w:",
            "wy:1x",
            "w:-3",
            "pk:",
            "ps:1",
            "ps:1:1001",
            "pb:1:-4",
            "pl:x",
        ] {
            assert_eq!(CbPress::decode(s), None, "{s}");
        }
    }
}
