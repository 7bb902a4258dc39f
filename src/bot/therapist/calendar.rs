//! `/calendar` for therapists (R-ONB-5, R-SES-1): the week ahead with free and booked slots,
//! opening one slot (date picker, start time, kind) or a weekly series for N weeks, closing a
//! free slot. Every time is shown and typed in the therapist's zone, named, and stored in UTC;
//! the database refuses overlapping slots and closing a booked one, and the bot names the
//! slot that was in the way.
//!
//! **Decided** for weekly series: each occurrence is created on its own, so one occupied week
//! does not cost the therapist the other eleven; the answer lists what was opened and what was
//! skipped, with the slot in the way.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::datepicker::{self, PickerPress, Range};
use super::{me, Press};
use crate::bot::{ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{resolve_local, utc_offset_label, weekly_slots, LocalResolution, SessionKind};
use crate::i18n::{Lang, Locales};
use crate::store::calendar::therapist_zone;
use crate::store::slots::{NewSlot, Slot, Slots};
use crate::store::therapists::{TherapistStatus, Therapists};
use crate::store::StoreError;
use crate::tr;

/// How far ahead a slot may be opened (days).
const HORIZON_DAYS: u64 = 366;
/// The week view pages at most this many weeks ahead.
const MAX_WEEK: u8 = 52;
/// The most weeks of a weekly series.
const MAX_SERIES_WEEKS: u8 = 12;

/// What a slot is for, as the therapist picks it (the domain's kinds and lengths).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlotChoice {
    /// Individual session, 50 minutes.
    I50,
    /// Individual session, 60 minutes.
    I60,
    /// Group meeting, 90 minutes.
    G90,
    /// Preliminary consultation, 15 minutes (R-GRP-3).
    C15,
}

impl SlotChoice {
    pub const ALL: [SlotChoice; 4] = [SlotChoice::I50, SlotChoice::I60, SlotChoice::G90, SlotChoice::C15];

    pub fn code(self) -> &'static str {
        match self {
            SlotChoice::I50 => "i50",
            SlotChoice::I60 => "i60",
            SlotChoice::G90 => "g90",
            SlotChoice::C15 => "c15",
        }
    }

    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }

    pub fn kind(self) -> SessionKind {
        match self {
            SlotChoice::I50 | SlotChoice::I60 => SessionKind::Individual,
            SlotChoice::G90 => SessionKind::Group,
            SlotChoice::C15 => SessionKind::Consultation,
        }
    }

    pub fn minutes(self) -> u32 {
        match self {
            SlotChoice::I50 => 50,
            SlotChoice::I60 => 60,
            SlotChoice::G90 => 90,
            SlotChoice::C15 => 15,
        }
    }

    /// The choice a stored slot corresponds to (by kind and length).
    pub fn of_slot(slot: &Slot) -> Self {
        match slot.kind {
            SessionKind::Group => SlotChoice::G90,
            SessionKind::Consultation => SlotChoice::C15,
            SessionKind::Individual if (slot.ends_at - slot.starts_at).num_minutes() <= 50 => SlotChoice::I50,
            SessionKind::Individual => SlotChoice::I60,
        }
    }

    /// "individual session, 60 min" in the viewer's language.
    pub fn label(self, l: &Locales, lang: Lang) -> String {
        tr!(l, lang, "calendar-kind", kind = self.code())
    }
}

/// A slot (or weekly series) being opened: filled in step by step; the first missing field is
/// the step the therapist is at. Kept in the dialogue state, so it survives a restart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotDraft {
    pub weekly: bool,
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub choice: Option<SlotChoice>,
    pub capacity: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Date,
    Time,
    Kind,
    Capacity,
    Weeks,
    Done,
}

impl SlotDraft {
    fn step(&self) -> Step {
        match (self.date, self.time, self.choice, self.capacity) {
            (None, ..) => Step::Date,
            (_, None, ..) => Step::Time,
            (_, _, None, _) => Step::Kind,
            (_, _, Some(SlotChoice::G90), None) => Step::Capacity,
            _ if self.weekly => Step::Weeks,
            _ => Step::Done,
        }
    }

    /// Back to picking the time, keeping the date (after a refusal).
    fn back_to_time(&mut self) {
        self.time = None;
        self.choice = None;
        self.capacity = None;
    }
}

/// The calendar's buttons (callback data `cal:...`, at most 64 bytes; re-checked on press).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalPress {
    /// Show the week `n` weeks after this one: `wk:n`.
    Week(u8),
    /// Start opening a single slot (`new:s`) or a weekly series (`new:w`).
    New { weekly: bool },
    /// The date picker.
    Picker(PickerPress),
    /// A page of start times: `tp:n`.
    TimePage(u8),
    /// A start time: `t:HHMM`.
    Time(NaiveTime),
    /// A kind: `k:i50`.
    Kind(SlotChoice),
    /// Group seats: `c:n`, 5..=12.
    Capacity(u8),
    /// Weeks of a series: `w:n`, 1..=12.
    Weeks(u8),
    /// Close a free slot, then show week `week` again: `cl:<slot id>:<week>`.
    Close { slot: i64, week: u8 },
}

impl CalPress {
    pub fn encode(&self) -> String {
        match self {
            CalPress::Week(n) => format!("wk:{n}"),
            CalPress::New { weekly } => format!("new:{}", if *weekly { "w" } else { "s" }),
            CalPress::Picker(p) => p.encode(),
            CalPress::TimePage(n) => format!("tp:{n}"),
            CalPress::Time(t) => format!("t:{}", t.format("%H%M")),
            CalPress::Kind(c) => format!("k:{}", c.code()),
            CalPress::Capacity(n) => format!("c:{n}"),
            CalPress::Weeks(n) => format!("w:{n}"),
            CalPress::Close { slot, week } => format!("cl:{slot}:{week}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        if let Some(p) = PickerPress::decode(s) {
            return Some(CalPress::Picker(p));
        }
        let (kind, rest) = s.split_once(':')?;
        let small = |v: &str| -> Option<u8> {
            (!v.is_empty() && v.len() <= 2 && v.bytes().all(|b| b.is_ascii_digit()))
                .then(|| v.parse().ok())
                .flatten()
        };
        match kind {
            "wk" => small(rest).filter(|n| *n <= MAX_WEEK).map(CalPress::Week),
            "new" => match rest {
                "s" => Some(CalPress::New { weekly: false }),
                "w" => Some(CalPress::New { weekly: true }),
                _ => None,
            },
            "tp" => small(rest).filter(|n| *n < TIME_PAGES).map(CalPress::TimePage),
            "t" if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) => {
                NaiveTime::parse_from_str(rest, "%H%M").ok().map(CalPress::Time)
            }
            "k" => SlotChoice::from_code(rest).map(CalPress::Kind),
            "c" => small(rest).filter(|n| (5..=12).contains(n)).map(CalPress::Capacity),
            "w" => small(rest)
                .filter(|n| (1..=MAX_SERIES_WEEKS).contains(n))
                .map(CalPress::Weeks),
            "cl" => {
                let (id, week) = rest.split_once(':')?;
                let slot = (id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| id.parse::<i64>().ok())
                    .flatten()?;
                let week = small(week).filter(|n| *n <= MAX_WEEK)?;
                Some(CalPress::Close { slot, week })
            }
            _ => None,
        }
    }
}

fn data(p: CalPress) -> String {
    crate::bot::callback::Action::Calendar(p).encode()
}

/// The therapist's zone for the calendar: the profile's, else their /timezone, else the default.
async fn zone(cx: &Cx, therapist_id: i64) -> Result<Tz, crate::bot::BotError> {
    Ok(therapist_zone(&cx.app.db, therapist_id)
        .await?
        .unwrap_or_else(|| cx.tz()))
}

fn today(cx: &Cx, tz: Tz) -> NaiveDate {
    cx.app.clock.now().with_timezone(&tz).date_naive()
}

/// The zone named with its offset at `at`: "Europe/Berlin (UTC+1)".
fn zone_label(tz: Tz, at: DateTime<Utc>) -> String {
    format!("{} ({})", tz.name(), utc_offset_label(&at.with_timezone(&tz)))
}

/// "Чт 03.12" / "Thu 3 Dec".
pub fn day_label(l: &Locales, lang: Lang, d: NaiveDate) -> String {
    let wd = tr!(l, lang, "calendar-weekday", day = d.weekday().number_from_monday());
    match lang {
        Lang::Ru => format!("{wd} {}", d.format("%d.%m")),
        Lang::En => format!("{wd} {}", d.format("%-d %b")),
    }
}

/// A slot's local time with the zone named: "Чт 03.12, 10:00–11:00 (Europe/Berlin)".
pub fn slot_when(l: &Locales, lang: Lang, tz: Tz, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> String {
    let s = starts_at.with_timezone(&tz);
    let e = ends_at.with_timezone(&tz);
    format!(
        "{}, {}–{} ({})",
        day_label(l, lang, s.date_naive()),
        s.format("%H:%M"),
        e.format("%H:%M"),
        tz.name()
    )
}

// ---------------------------------------------------------------- the week ahead

/// `/calendar`: the week ahead.
pub async fn open(cx: &Cx) -> HandlerResult {
    let Some(t) = me(cx).await? else { return Ok(()) };
    let (mut text, kb) = week_view(cx, t.id, 0).await?;
    if t.status == TherapistStatus::Suspended {
        text = format!("{}\n\n{text}", tr!(cx.l(), cx.lang(), "suspended-no-new-slots"));
    }
    cx.send_with(text, kb).await?;
    Ok(())
}

/// The days `week*7 .. week*7+7` from today in the therapist's zone, the slots opened in
/// them with their state, and the buttons.
async fn week_view(
    cx: &Cx,
    therapist_id: i64,
    week: u8,
) -> Result<(String, InlineKeyboardMarkup), crate::bot::BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let tz = zone(cx, therapist_id).await?;
    let now = cx.app.clock.now();
    let first = today(cx, tz) + Days::new(7 * u64::from(week));
    let last = first + Days::new(6);
    let bound = |d: NaiveDate| resolve_local(tz, d.and_time(NaiveTime::MIN)).map(|(t, _)| t);
    let (Ok(from), Ok(to)) = (bound(first), bound(last + Days::new(1))) else {
        return Ok((tr!(l, lang, "calendar-week-empty"), InlineKeyboardMarkup::default()));
    };
    let slots = Slots(&cx.app.db).open_of_therapist(therapist_id, from, to).await?;
    // R-GRP-2: meetings of published programs are named and cannot be closed here.
    let meetings = crate::store::programs::Programs(&cx.app.db)
        .meeting_titles(therapist_id, from, to)
        .await?;

    let mut text = tr!(
        l,
        lang,
        "calendar-week-title",
        from = day_label(l, lang, first),
        to = day_label(l, lang, last),
        zone = zone_label(tz, from)
    );
    let mut close_buttons = Vec::new();
    if slots.is_empty() {
        text.push_str("\n\n");
        text.push_str(&tr!(l, lang, "calendar-week-empty"));
    }
    let mut current_day = None;
    for s in &slots {
        let start = s.starts_at.with_timezone(&tz);
        let day = start.date_naive();
        if current_day != Some(day) {
            text.push_str(&format!("\n\n<b>{}</b>", day_label(l, lang, day)));
            current_day = Some(day);
        }
        let choice = SlotChoice::of_slot(s);
        let status = if s.kind == SessionKind::Group {
            tr!(l, lang, "calendar-seats", booked = s.booked, capacity = s.capacity)
        } else if s.booked > 0 {
            tr!(l, lang, "calendar-booked")
        } else {
            tr!(l, lang, "calendar-free")
        };
        text.push_str(&format!(
            "\n{}–{} · {} · {}",
            start.format("%H:%M"),
            s.ends_at.with_timezone(&tz).format("%H:%M"),
            choice.label(l, lang),
            status
        ));
        let meeting = meetings.get(&s.id);
        if let Some((_, title)) = meeting {
            text.push_str(&tr!(
                l,
                lang,
                "enrol2-calendar-meeting",
                title = crate::bot::html::escape(title)
            ));
        }
        if s.booked == 0 && s.starts_at > now && meeting.is_none() && close_buttons.len() < 60 {
            close_buttons.push(InlineKeyboardButton::callback(
                tr!(
                    l,
                    lang,
                    "calendar-close-button",
                    when = format!("{} {}", day_label(l, lang, day), start.format("%H:%M"))
                ),
                data(CalPress::Close { slot: s.id, week }),
            ));
        }
    }
    if !close_buttons.is_empty() {
        text.push_str("\n\n");
        text.push_str(&tr!(l, lang, "calendar-close-hint"));
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = close_buttons.chunks(2).map(<[_]>::to_vec).collect();
    let mut nav = Vec::new();
    if week > 0 {
        nav.push(InlineKeyboardButton::callback(
            tr!(l, lang, "calendar-prev-week"),
            data(CalPress::Week(week - 1)),
        ));
    }
    if week < MAX_WEEK {
        nav.push(InlineKeyboardButton::callback(
            tr!(l, lang, "calendar-next-week"),
            data(CalPress::Week(week + 1)),
        ));
    }
    rows.push(nav);
    rows.push(vec![
        InlineKeyboardButton::callback(tr!(l, lang, "calendar-open-one"), data(CalPress::New { weekly: false })),
        InlineKeyboardButton::callback(
            tr!(l, lang, "calendar-open-weekly"),
            data(CalPress::New { weekly: true }),
        ),
    ]);
    Ok((text, InlineKeyboardMarkup::new(rows)))
}

// ---------------------------------------------------------------- the steps' prompts

fn range(cx: &Cx, tz: Tz) -> Range {
    let first = today(cx, tz);
    Range {
        first,
        last: first + Days::new(HORIZON_DAYS),
    }
}

fn date_prompt(cx: &Cx, tz: Tz, draft: &SlotDraft, month: NaiveDate) -> (String, InlineKeyboardMarkup) {
    let (l, lang) = (cx.l(), cx.lang());
    let key_text = if draft.weekly {
        tr!(
            l,
            lang,
            "calendar-pick-first-date",
            zone = zone_label(tz, cx.app.clock.now())
        )
    } else {
        tr!(l, lang, "calendar-pick-date", zone = zone_label(tz, cx.app.clock.now()))
    };
    let kb = datepicker::keyboard(l, lang, month, &range(cx, tz), &|p| data(CalPress::Picker(p)));
    (key_text, kb)
}

/// Start times on the buttons: every 30 minutes from 08:00 to 21:30, 14 per page.
const TIME_PAGES: u8 = 2;
const TIMES_PER_PAGE: u32 = 14;

fn time_prompt(
    cx: &Cx,
    tz: Tz,
    draft: &SlotDraft,
    page: u8,
    problem: Option<String>,
) -> (String, InlineKeyboardMarkup) {
    let (l, lang) = (cx.l(), cx.lang());
    let date = draft.date.unwrap_or_else(|| today(cx, tz));
    let mut text = problem.map(|p| format!("{p}\n\n")).unwrap_or_default();
    text.push_str(&if draft.weekly {
        tr!(
            l,
            lang,
            "calendar-pick-time-weekly",
            weekday = tr!(
                l,
                lang,
                "calendar-weekday-long",
                day = date.weekday().number_from_monday()
            ),
            date = day_label(l, lang, date),
            zone = tz.name()
        )
    } else {
        tr!(
            l,
            lang,
            "calendar-pick-time",
            date = day_label(l, lang, date),
            zone = tz.name()
        )
    });
    let start = 8 * 60 + u32::from(page) * TIMES_PER_PAGE * 30;
    let buttons: Vec<InlineKeyboardButton> = (0..TIMES_PER_PAGE)
        .filter_map(|i| NaiveTime::from_hms_opt((start + i * 30) / 60, (start + i * 30) % 60, 0))
        .map(|t| InlineKeyboardButton::callback(t.format("%H:%M").to_string(), data(CalPress::Time(t))))
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(4).map(<[_]>::to_vec).collect();
    rows.push(vec![if page == 0 {
        InlineKeyboardButton::callback(tr!(l, lang, "calendar-later-times"), data(CalPress::TimePage(1)))
    } else {
        InlineKeyboardButton::callback(tr!(l, lang, "calendar-earlier-times"), data(CalPress::TimePage(0)))
    }]);
    (text, InlineKeyboardMarkup::new(rows))
}

fn kind_prompt(cx: &Cx, tz: Tz, draft: &SlotDraft) -> (String, InlineKeyboardMarkup) {
    let (l, lang) = (cx.l(), cx.lang());
    let text = tr!(
        l,
        lang,
        "calendar-pick-kind",
        date = draft.date.map(|d| day_label(l, lang, d)).unwrap_or_default(),
        time = draft.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
        zone = tz.name()
    );
    let rows = SlotChoice::ALL
        .iter()
        .map(|c| {
            vec![InlineKeyboardButton::callback(
                c.label(l, lang),
                data(CalPress::Kind(*c)),
            )]
        })
        .collect::<Vec<_>>();
    (text, InlineKeyboardMarkup::new(rows))
}

fn capacity_prompt(cx: &Cx) -> (String, InlineKeyboardMarkup) {
    let buttons: Vec<InlineKeyboardButton> = (5u8..=12)
        .map(|n| InlineKeyboardButton::callback(n.to_string(), data(CalPress::Capacity(n))))
        .collect();
    (
        tr!(cx.l(), cx.lang(), "calendar-pick-capacity"),
        InlineKeyboardMarkup::new(buttons.chunks(4).map(<[_]>::to_vec).collect::<Vec<_>>()),
    )
}

fn weeks_prompt(cx: &Cx) -> (String, InlineKeyboardMarkup) {
    let buttons: Vec<InlineKeyboardButton> = (1u8..=MAX_SERIES_WEEKS)
        .map(|n| InlineKeyboardButton::callback(n.to_string(), data(CalPress::Weeks(n))))
        .collect();
    (
        tr!(cx.l(), cx.lang(), "calendar-pick-weeks", max = MAX_SERIES_WEEKS),
        InlineKeyboardMarkup::new(buttons.chunks(6).map(<[_]>::to_vec).collect::<Vec<_>>()),
    )
}

fn after_buttons(cx: &Cx) -> InlineKeyboardMarkup {
    let (l, lang) = (cx.l(), cx.lang());
    InlineKeyboardMarkup::new(vec![
        vec![InlineKeyboardButton::callback(
            tr!(l, lang, "calendar-show-week"),
            data(CalPress::Week(0)),
        )],
        vec![
            InlineKeyboardButton::callback(tr!(l, lang, "calendar-open-one"), data(CalPress::New { weekly: false })),
            InlineKeyboardButton::callback(
                tr!(l, lang, "calendar-open-weekly"),
                data(CalPress::New { weekly: true }),
            ),
        ],
    ])
}

// ---------------------------------------------------------------- buttons

/// A press of a calendar button. Only a therapist's presses do anything; each is re-checked
/// against the dialogue's step and the database.
pub async fn on_press(cx: &Cx, press: &Press<'_>, dialogue: &ChatDialogue, p: CalPress) -> HandlerResult {
    let Some(t) = super::me_for_press(cx, press).await? else {
        return Ok(());
    };
    // Decided: a suspended therapist sees the week and may close free times, but opens no
    // new ones (clients cannot see them anyway); their bookings stay under /bookings.
    if t.status == TherapistStatus::Suspended
        && !matches!(
            p,
            CalPress::Week(_) | CalPress::Close { .. } | CalPress::Picker(PickerPress::Noop)
        )
    {
        dialogue.exit().await?;
        return press.alert(cx, tr!(cx.l(), cx.lang(), "suspended-no-new-slots")).await;
    }
    let tz = zone(cx, t.id).await?;
    let state = dialogue.get().await?.unwrap_or_default();
    let draft = match &state {
        State::Calendar { draft } => Some(draft.clone()),
        _ => None,
    };
    match p {
        CalPress::Week(week) => {
            let (text, kb) = week_view(cx, t.id, week).await?;
            press.answer(cx).await?;
            press.show(cx, text, kb).await
        }
        CalPress::New { weekly } => {
            let draft = SlotDraft {
                weekly,
                ..SlotDraft::default()
            };
            dialogue.update(State::Calendar { draft: draft.clone() }).await?;
            press.answer(cx).await?;
            let (text, kb) = date_prompt(cx, tz, &draft, today(cx, tz));
            cx.send_with(text, kb).await?;
            Ok(())
        }
        CalPress::Close { slot, week } => close(cx, press, t.id, tz, slot, week).await,
        CalPress::Picker(PickerPress::Noop) => press.answer(cx).await,
        other => {
            let Some(mut draft) = draft else {
                return press.stale(cx).await;
            };
            match (draft.step(), other) {
                (Step::Date, CalPress::Picker(PickerPress::Month(m))) => {
                    press.answer(cx).await?;
                    let (text, kb) = date_prompt(cx, tz, &draft, m);
                    press.show(cx, text, kb).await
                }
                (Step::Date, CalPress::Picker(PickerPress::Day(d))) => {
                    if d < today(cx, tz) {
                        return press.alert(cx, tr!(cx.l(), cx.lang(), "calendar-date-past")).await;
                    }
                    if !range(cx, tz).contains(d) {
                        return press.alert(cx, tr!(cx.l(), cx.lang(), "calendar-date-too-far")).await;
                    }
                    draft.date = Some(d);
                    dialogue.update(State::Calendar { draft: draft.clone() }).await?;
                    press.answer(cx).await?;
                    let (text, kb) = time_prompt(cx, tz, &draft, 0, None);
                    press.show(cx, text, kb).await
                }
                (Step::Time, CalPress::TimePage(page)) => {
                    press.answer(cx).await?;
                    let (text, kb) = time_prompt(cx, tz, &draft, page, None);
                    press.show(cx, text, kb).await
                }
                (Step::Time, CalPress::Time(time)) => {
                    if let Some(problem) = time_problem(cx, tz, &draft, time) {
                        return press.alert(cx, problem).await;
                    }
                    draft.time = Some(time);
                    dialogue.update(State::Calendar { draft: draft.clone() }).await?;
                    press.answer(cx).await?;
                    let (text, kb) = kind_prompt(cx, tz, &draft);
                    press.show(cx, text, kb).await
                }
                (Step::Kind, CalPress::Kind(choice)) => {
                    draft.choice = Some(choice);
                    advance(cx, press, dialogue, t.id, tz, draft, None).await
                }
                (Step::Capacity, CalPress::Capacity(n)) => {
                    draft.capacity = Some(n);
                    advance(cx, press, dialogue, t.id, tz, draft, None).await
                }
                (Step::Weeks, CalPress::Weeks(n)) => advance(cx, press, dialogue, t.id, tz, draft, Some(n)).await,
                _ => press.stale(cx).await,
            }
        }
    }
}

/// After the kind, capacity or weeks: ask what is still missing, or open the slot(s).
async fn advance(
    cx: &Cx,
    press: &Press<'_>,
    dialogue: &ChatDialogue,
    therapist_id: i64,
    tz: Tz,
    draft: SlotDraft,
    weeks: Option<u8>,
) -> HandlerResult {
    press.answer(cx).await?;
    let (text, kb) = match (draft.step(), weeks) {
        (Step::Capacity, _) => {
            dialogue.update(State::Calendar { draft }).await?;
            capacity_prompt(cx)
        }
        (Step::Weeks, None) => {
            dialogue.update(State::Calendar { draft }).await?;
            weeks_prompt(cx)
        }
        (Step::Weeks, Some(n)) => {
            dialogue.exit().await?;
            (open_series(cx, therapist_id, tz, &draft, n).await?, after_buttons(cx))
        }
        (Step::Done, _) => match open_single(cx, therapist_id, tz, &draft).await? {
            Ok(text) => {
                dialogue.exit().await?;
                (text, after_buttons(cx))
            }
            Err(problem) => {
                let mut back = draft;
                back.back_to_time();
                let prompt = time_prompt(cx, tz, &back, 0, Some(problem));
                dialogue.update(State::Calendar { draft: back }).await?;
                prompt
            }
        },
        // The other steps are not reached from a kind, capacity or weeks button.
        _ => return Ok(()),
    };
    press.show(cx, text, kb).await
}

/// Why this start time cannot be taken for the draft's date, if it cannot (in the past).
fn time_problem(cx: &Cx, tz: Tz, draft: &SlotDraft, time: NaiveTime) -> Option<String> {
    let date = draft.date?;
    let start = resolve_local(tz, date.and_time(time)).ok()?.0;
    (start <= cx.app.clock.now()).then(|| tr!(cx.l(), cx.lang(), "calendar-time-past"))
}

/// A note when the wall-clock time had to be read differently (DST), else "".
fn dst_note(cx: &Cx, tz: Tz, resolution: LocalResolution, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tz).format("%H:%M").to_string();
    match resolution {
        LocalResolution::Exact => String::new(),
        LocalResolution::ShiftedOutOfGap => tr!(cx.l(), cx.lang(), "calendar-moved-gap", time = local),
        LocalResolution::FirstOfAmbiguous => tr!(cx.l(), cx.lang(), "calendar-moved-ambiguous", time = local),
    }
}

/// The open slot in the way of `[start, end)`: its local time and kind.
async fn find_conflict(
    cx: &Cx,
    therapist_id: i64,
    tz: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Option<(String, String)>, crate::bot::BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    Ok(Slots(&cx.app.db)
        .first_open_overlapping(therapist_id, start, end)
        .await?
        .map(|s| {
            (
                slot_when(l, lang, tz, s.starts_at, s.ends_at),
                SlotChoice::of_slot(&s).label(l, lang),
            )
        }))
}

fn new_slot(therapist_id: i64, choice: SlotChoice, capacity: Option<u8>, start: DateTime<Utc>) -> NewSlot {
    NewSlot {
        therapist_id,
        kind: choice.kind(),
        starts_at: start,
        ends_at: start + TimeDelta::minutes(i64::from(choice.minutes())),
        capacity: if choice.kind() == SessionKind::Group {
            i32::from(capacity.unwrap_or(12))
        } else {
            1
        },
    }
}

/// Whether the therapist is suspended now (then no new slot is opened, whatever the step).
async fn suspended(cx: &Cx, therapist_id: i64) -> Result<bool, crate::bot::BotError> {
    Ok(Therapists(&cx.app.db)
        .get(therapist_id)
        .await?
        .is_some_and(|t| t.status == TherapistStatus::Suspended))
}

/// Opens one slot: `Ok(text)` when done, `Err(problem)` when refused (past, overlap).
async fn open_single(
    cx: &Cx,
    therapist_id: i64,
    tz: Tz,
    draft: &SlotDraft,
) -> Result<Result<String, String>, crate::bot::BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let (Some(date), Some(time), Some(choice)) = (draft.date, draft.time, draft.choice) else {
        return Ok(Err(tr!(l, lang, "calendar-time-past")));
    };
    let Ok((start, resolution)) = resolve_local(tz, date.and_time(time)) else {
        return Ok(Err(tr!(l, lang, "calendar-date-too-far")));
    };
    let now = cx.app.clock.now();
    if start <= now {
        return Ok(Err(tr!(l, lang, "calendar-time-past")));
    }
    if suspended(cx, therapist_id).await? {
        return Ok(Err(tr!(l, lang, "suspended-no-new-slots")));
    }
    let slot = new_slot(therapist_id, choice, draft.capacity, start);
    match Slots(&cx.app.db).create(&slot, now).await {
        Ok(_) => {
            let mut text = tr!(
                l,
                lang,
                "calendar-opened-one",
                when = slot_when(l, lang, tz, slot.starts_at, slot.ends_at),
                kind = choice.label(l, lang)
            );
            let note = dst_note(cx, tz, resolution, start);
            if !note.is_empty() {
                text.push_str("\n\n");
                text.push_str(&note);
            }
            Ok(Ok(text))
        }
        Err(StoreError::SlotOverlap) => Ok(Err(
            match find_conflict(cx, therapist_id, tz, slot.starts_at, slot.ends_at).await? {
                Some((when, kind)) => tr!(l, lang, "calendar-overlap", when = when, kind = kind),
                None => tr!(l, lang, "calendar-overlap-gone"),
            },
        )),
        Err(e) => Err(e.into()),
    }
}

/// Opens a weekly series, each occurrence on its own; the report lists what was opened and
/// what was skipped and why.
async fn open_series(
    cx: &Cx,
    therapist_id: i64,
    tz: Tz,
    draft: &SlotDraft,
    weeks: u8,
) -> Result<String, crate::bot::BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let (Some(date), Some(time), Some(choice)) = (draft.date, draft.time, draft.choice) else {
        return Ok(tr!(l, lang, "calendar-time-past"));
    };
    let length = TimeDelta::minutes(i64::from(choice.minutes()));
    let Ok(occurrences) = weekly_slots(date, time, length, u32::from(weeks), tz) else {
        return Ok(tr!(l, lang, "calendar-date-too-far"));
    };
    if suspended(cx, therapist_id).await? {
        return Ok(tr!(l, lang, "suspended-no-new-slots"));
    }
    let now = cx.app.clock.now();
    let mut opened = Vec::new();
    let mut skipped = Vec::new();
    for o in occurrences {
        let slot = new_slot(therapist_id, choice, draft.capacity, o.interval.start());
        let when = slot_when(l, lang, tz, slot.starts_at, slot.ends_at);
        if slot.starts_at <= now {
            skipped.push(format!("• {when}: {}", tr!(l, lang, "calendar-time-past")));
            continue;
        }
        match Slots(&cx.app.db).create(&slot, now).await {
            Ok(_) => {
                let note = dst_note(cx, tz, o.resolution, slot.starts_at);
                opened.push(if note.is_empty() {
                    format!("• {when}")
                } else {
                    format!("• {when} — {note}")
                });
            }
            Err(StoreError::SlotOverlap) => {
                let why = match find_conflict(cx, therapist_id, tz, slot.starts_at, slot.ends_at).await? {
                    Some((when, kind)) => tr!(l, lang, "calendar-series-overlap", when = when, kind = kind),
                    None => tr!(l, lang, "calendar-overlap-gone"),
                };
                skipped.push(format!("• {when}: {why}"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut text = tr!(
        l,
        lang,
        "calendar-series-report",
        kind = choice.label(l, lang),
        weekday = tr!(
            l,
            lang,
            "calendar-weekday-long",
            day = date.weekday().number_from_monday()
        ),
        time = time.format("%H:%M").to_string(),
        zone = tz.name(),
        opened = opened.len(),
        skipped = skipped.len()
    );
    if !opened.is_empty() {
        text.push_str(&format!(
            "\n\n{}\n{}",
            tr!(l, lang, "calendar-series-opened"),
            opened.join("\n")
        ));
    }
    if !skipped.is_empty() {
        text.push_str(&format!(
            "\n\n{}\n{}",
            tr!(l, lang, "calendar-series-skipped"),
            skipped.join("\n")
        ));
    }
    Ok(text)
}

/// Closes a free slot of this therapist (re-checked by the database: open, not booked, theirs).
async fn close(cx: &Cx, press: &Press<'_>, therapist_id: i64, tz: Tz, slot_id: i64, week: u8) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let slots = Slots(&cx.app.db);
    match slots.close_free(therapist_id, slot_id).await {
        Ok(()) => {
            let closed = slots.get(slot_id).await?;
            let text = closed
                .map(|s| {
                    tr!(
                        l,
                        lang,
                        "calendar-closed",
                        when = slot_when(l, lang, tz, s.starts_at, s.ends_at)
                    )
                })
                .unwrap_or_default();
            press.answer_text(cx, text).await?;
            let (text, kb) = week_view(cx, therapist_id, week).await?;
            press.show(cx, text, kb).await
        }
        Err(StoreError::Conflict) => {
            let programs = crate::store::programs::Programs(&cx.app.db);
            let program = match programs.of_slot(slot_id).await? {
                Some(id) => programs
                    .get(id)
                    .await?
                    .filter(|p| p.status == crate::store::programs::ProgramStatus::Published),
                None => None,
            };
            let why = match slots.get(slot_id).await? {
                Some(s) if s.therapist_id != therapist_id => tr!(l, lang, "calendar-close-not-yours"),
                None => tr!(l, lang, "calendar-close-not-yours"),
                Some(s) if !s.open => tr!(l, lang, "calendar-close-already-closed"),
                // R-GRP-2: the meeting belongs to a published program; its clients count on it.
                Some(_) if program.is_some() => tr!(
                    l,
                    lang,
                    "enrol2-calendar-close-program",
                    title = program.map(|p| p.fields.title).unwrap_or_default()
                ),
                Some(_) => tr!(l, lang, "calendar-close-booked"),
            };
            press.alert(cx, why).await?;
            // The buttons on the message may be out of date: refresh them if they changed.
            let (text, kb) = week_view(cx, therapist_id, week).await?;
            press.show_if_buttons_changed(cx, text, kb).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- typed text

/// Text typed while opening a slot: a start time at the time step, otherwise a pointer to
/// the buttons.
pub async fn on_text(cx: &Cx, text: &str, dialogue: &ChatDialogue, mut draft: SlotDraft) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(t) = me(cx).await? else { return Ok(()) };
    let tz = zone(cx, t.id).await?;
    if draft.step() != Step::Time {
        cx.send(tr!(l, lang, "calendar-use-buttons")).await?;
        return Ok(());
    }
    let Some(time) = parse_time(text) else {
        cx.send(tr!(l, lang, "calendar-time-not-understood")).await?;
        return Ok(());
    };
    if let Some(problem) = time_problem(cx, tz, &draft, time) {
        cx.send(problem).await?;
        return Ok(());
    }
    draft.time = Some(time);
    dialogue.update(State::Calendar { draft: draft.clone() }).await?;
    let (text, kb) = kind_prompt(cx, tz, &draft);
    cx.send_with(text, kb).await?;
    Ok(())
}

/// "10:00", "10.00", "9:30", "9 30", "0930" -> a time; anything else -> `None`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    if t.len() > 5 {
        return None;
    }
    let (h, m) = match t.find([':', '.', ' ', 'h']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None if t.len() == 4 => (&t[..2], &t[2..]),
        None if t.len() <= 2 => (t, "00"),
        None => return None,
    };
    let digits = |s: &str, max: usize| !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_round_trip_within_telegrams_limit() {
        let all = [
            CalPress::Week(0),
            CalPress::Week(52),
            CalPress::New { weekly: true },
            CalPress::New { weekly: false },
            CalPress::Picker(PickerPress::Day(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap())),
            CalPress::TimePage(1),
            CalPress::Time(NaiveTime::from_hms_opt(9, 30, 0).unwrap()),
            CalPress::Kind(SlotChoice::G90),
            CalPress::Capacity(12),
            CalPress::Weeks(12),
            CalPress::Close {
                slot: i64::MAX,
                week: 52,
            },
        ];
        for p in all {
            let s = data(p);
            assert!(s.len() <= 64, "{s}");
            assert_eq!(CalPress::decode(s.strip_prefix("cal:").unwrap()), Some(p), "{s}");
        }
        for bad in [
            "wk:53", "c:4", "c:13", "w:0", "w:13", "t:2400", "k:x", "cl:1", "cl:-1:0", "cl:1:99", "tp:2", "new:x",
        ] {
            assert_eq!(CalPress::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn typed_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("10:00"), t(10, 0));
        assert_eq!(parse_time(" 10.00 "), t(10, 0));
        assert_eq!(parse_time("9:30"), t(9, 30));
        assert_eq!(parse_time("0930"), t(9, 30));
        assert_eq!(parse_time("9"), t(9, 0));
        for bad in ["24:00", "10:60", "10:5", "ten", "", "10:00:00", "-1:00"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn steps_follow_the_draft() {
        let mut d = SlotDraft::default();
        assert_eq!(d.step(), Step::Date);
        d.date = NaiveDate::from_ymd_opt(2026, 12, 3);
        assert_eq!(d.step(), Step::Time);
        d.time = NaiveTime::from_hms_opt(10, 0, 0);
        assert_eq!(d.step(), Step::Kind);
        d.choice = Some(SlotChoice::G90);
        assert_eq!(d.step(), Step::Capacity);
        d.capacity = Some(8);
        assert_eq!(d.step(), Step::Done);
        d.weekly = true;
        assert_eq!(d.step(), Step::Weeks);
    }
}
