//! `/programs` for therapists (R-GRP-1..4): write a group program step by step (title,
//! description, approach, topic, number of meetings of 90 minutes, weekly day and time,
//! capacity 5..12, price per participant at least the group floor), attach its presentation,
//! submit it for publication, and see each program's state. The admins publish (R-GRP-2).

use chrono::NaiveTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use teloxide::prelude::*;
use teloxide::types::{Document, FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ReplyParameters};

use super::calendar::parse_time;
use super::{me, Press};
use crate::bot::html::{escape, truncate};
use crate::bot::therapist::calendar::slot_when;
use crate::bot::{BotError, ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{validate_program, GroupError, GroupProgramDraft, Money, MoneyLocale};
use crate::i18n::{Lang, Locales};
use crate::roles::Role;
use crate::store::calendar::therapist_zone;
use crate::store::enrolments::Enrolments;
use crate::store::outbox::OutboxMessage;
use crate::store::programs::{NewProgram, Program, ProgramStatus, Programs, Publication};
use crate::store::therapists::{Therapist, Therapists};
use crate::store::users::Users;
use crate::store::StoreError;
use crate::tr;

/// The approaches a program may follow (ids of the specialisation catalogue).
pub const APPROACHES: [&str; 5] = ["psychodynamic", "existential", "cbt", "gestalt", "other"];
/// Every meeting of a group program lasts 90 minutes (R-PRICE-1).
const MEETING_MINUTES: i32 = 90;
const MAX_MEETINGS: u32 = 52;
/// Documents up to 20 MB (what the bot may download).
const MAX_DOCUMENT_BYTES: u32 = 20 * 1024 * 1024;

/// A program being written; the first missing field is the step. After saving, `program_id`
/// is set and the step is the presentation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramDraft {
    pub title: Option<String>,
    pub description: Option<String>,
    pub approach: Option<String>,
    pub topic: Option<String>,
    pub meetings: Option<u32>,
    pub weekday: Option<u8>,
    pub time: Option<NaiveTime>,
    pub capacity: Option<u8>,
    pub program_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Title,
    Description,
    Approach,
    Topic,
    Meetings,
    Weekday,
    Time,
    Capacity,
    Price,
    Presentation,
}

impl ProgramDraft {
    fn step(&self) -> Step {
        if self.program_id.is_some() {
            Step::Presentation
        } else if self.title.is_none() {
            Step::Title
        } else if self.description.is_none() {
            Step::Description
        } else if self.approach.is_none() {
            Step::Approach
        } else if self.topic.is_none() {
            Step::Topic
        } else if self.meetings.is_none() {
            Step::Meetings
        } else if self.weekday.is_none() {
            Step::Weekday
        } else if self.time.is_none() {
            Step::Time
        } else if self.capacity.is_none() {
            Step::Capacity
        } else {
            Step::Price
        }
    }
}

/// The programs buttons (callback data `pg:...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgPress {
    /// Start a new program: `new`.
    New,
    /// The approach: `a:<id>`.
    Approach(String),
    /// The weekday, 1 = Monday: `wd:n`.
    Weekday(u8),
    /// Seats: `c:n`, 5..=12.
    Capacity(u8),
    /// Attach or replace the presentation of a program: `p:<id>`.
    Presentation(i64),
    /// Submit a program for publication: `s:<id>`.
    Submit(i64),
    /// An admin publishes a submitted program: `pub:<id>`.
    Publish(i64),
    /// An admin returns a submitted program for changes: `ret:<id>`.
    Return(i64),
    /// The therapist admits a client after the consultation (R-GRP-3): `ad:<enrolment id>`.
    Admit(i64),
    /// The therapist declines a client: `dc:<enrolment id>`.
    Decline(i64),
    /// An admin opens a submitted program's card from `/queue`: `op:<id>`.
    Open(i64),
}

impl ProgPress {
    pub fn encode(&self) -> String {
        match self {
            ProgPress::New => "new".to_owned(),
            ProgPress::Approach(a) => format!("a:{a}"),
            ProgPress::Weekday(n) => format!("wd:{n}"),
            ProgPress::Capacity(n) => format!("c:{n}"),
            ProgPress::Presentation(id) => format!("p:{id}"),
            ProgPress::Submit(id) => format!("s:{id}"),
            ProgPress::Publish(id) => format!("pub:{id}"),
            ProgPress::Return(id) => format!("ret:{id}"),
            ProgPress::Admit(id) => format!("ad:{id}"),
            ProgPress::Decline(id) => format!("dc:{id}"),
            ProgPress::Open(id) => format!("op:{id}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        if s == "new" {
            return Some(ProgPress::New);
        }
        let (kind, rest) = s.split_once(':')?;
        let num = |v: &str| -> Option<i64> {
            (!v.is_empty() && v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit()))
                .then(|| v.parse().ok())
                .flatten()
        };
        match kind {
            "a" => APPROACHES.contains(&rest).then(|| ProgPress::Approach(rest.to_owned())),
            "wd" => num(rest)
                .filter(|n| (1..=7).contains(n))
                .map(|n| ProgPress::Weekday(n as u8)),
            "c" => num(rest)
                .filter(|n| (5..=12).contains(n))
                .map(|n| ProgPress::Capacity(n as u8)),
            "p" => num(rest).map(ProgPress::Presentation),
            "s" => num(rest).map(ProgPress::Submit),
            "pub" => num(rest).map(ProgPress::Publish),
            "ret" => num(rest).map(ProgPress::Return),
            "ad" => num(rest).map(ProgPress::Admit),
            "dc" => num(rest).map(ProgPress::Decline),
            "op" => num(rest).map(ProgPress::Open),
            _ => None,
        }
    }
}

fn data(p: ProgPress) -> String {
    crate::bot::callback::Action::Programs(p).encode()
}

fn money_locale(lang: Lang) -> MoneyLocale {
    match lang {
        Lang::Ru => MoneyLocale::Ru,
        Lang::En => MoneyLocale::En,
    }
}

fn approach_label(l: &Locales, lang: Lang, id: &str) -> String {
    tr!(l, lang, "programs-approach", id = id)
}

fn status_label(l: &Locales, lang: Lang, s: ProgramStatus) -> String {
    tr!(l, lang, "programs-status", status = s.as_str())
}

/// `/programs`: the therapist's programs with their state, and what can be done next.
pub async fn open(cx: &Cx) -> HandlerResult {
    let Some(t) = me(cx).await? else { return Ok(()) };
    let (text, kb) = list_view(cx, &t).await?;
    cx.send_with(text, kb).await?;
    Ok(())
}

async fn list_view(cx: &Cx, t: &Therapist) -> Result<(String, InlineKeyboardMarkup), BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let programs = Programs(&cx.app.db).of_therapist(t.id).await?;
    let mut text = tr!(l, lang, "programs-title");
    if programs.is_empty() {
        text.push_str("\n\n");
        text.push_str(&tr!(l, lang, "programs-empty"));
    }
    let mut rows = Vec::new();
    let now = cx.app.clock.now();
    let enrolments = Enrolments(&cx.app.db);
    let enrolled = enrolments.enrolled_counts(t.id).await?;
    let awaiting = enrolments.awaiting_decision(t.id, now).await?;
    for p in programs.iter().take(20) {
        text.push_str("\n\n");
        text.push_str(&card(l, lang, p));
        let short = truncate(&p.fields.title, 30);
        if p.status == ProgramStatus::Returned {
            if let Some(c) = &p.return_comment {
                text.push('\n');
                text.push_str(&tr!(l, lang, "enrol-return-comment", comment = escape(c)));
            }
        }
        if p.status == ProgramStatus::Published {
            let ahead = Programs(&cx.app.db).meetings(p.id, now).await?.len();
            text.push('\n');
            text.push_str(&tr!(
                l,
                lang,
                "enrol-therapist-counts",
                enrolled = enrolled.get(&p.id).copied().unwrap_or(0),
                meetings = ahead as i64
            ));
            // R-GRP-3: the clients whose consultation is done, awaiting the decision.
            for a in awaiting.iter().filter(|a| a.program_id == p.id).take(10) {
                let name = truncate(&a.first_name, 20);
                text.push('\n');
                text.push_str(&tr!(
                    l,
                    lang,
                    "enrol-therapist-awaiting",
                    client = escape(&a.first_name)
                ));
                rows.push(vec![
                    InlineKeyboardButton::callback(
                        tr!(l, lang, "enrol-btn-admit", client = name.as_str()),
                        data(ProgPress::Admit(a.enrolment_id)),
                    ),
                    InlineKeyboardButton::callback(
                        tr!(l, lang, "enrol-btn-decline", client = name.as_str()),
                        data(ProgPress::Decline(a.enrolment_id)),
                    ),
                ]);
            }
        }
        if matches!(p.status, ProgramStatus::Draft | ProgramStatus::Returned) {
            let mut row = vec![InlineKeyboardButton::callback(
                tr!(l, lang, "programs-attach-button", title = short.as_str()),
                data(ProgPress::Presentation(p.id)),
            )];
            if p.presentation_file_id.is_some() {
                row.push(InlineKeyboardButton::callback(
                    tr!(l, lang, "programs-submit-button"),
                    data(ProgPress::Submit(p.id)),
                ));
            }
            rows.push(row);
        }
    }
    rows.push(vec![InlineKeyboardButton::callback(
        tr!(l, lang, "programs-new-button"),
        data(ProgPress::New),
    )]);
    Ok((text, InlineKeyboardMarkup::new(rows)))
}

fn card(l: &Locales, lang: Lang, p: &Program) -> String {
    let f = &p.fields;
    tr!(
        l,
        lang,
        "programs-card",
        title = escape(&f.title),
        status = status_label(l, lang, p.status),
        approach = approach_label(l, lang, &f.approach),
        topic = escape(&f.topic),
        meetings = f.meetings,
        minutes = f.meeting_minutes,
        weekday = tr!(l, lang, "calendar-weekday-long", day = f.weekday),
        time = f.local_time.as_str(),
        capacity = f.capacity,
        price = f.price.format(money_locale(lang)),
        presentation = if p.presentation_file_id.is_some() {
            tr!(l, lang, "programs-presentation-yes")
        } else {
            tr!(l, lang, "programs-presentation-no")
        }
    )
}

fn prompt(cx: &Cx, tz: Tz, draft: &ProgramDraft) -> (String, Option<InlineKeyboardMarkup>) {
    let (l, lang) = (cx.l(), cx.lang());
    match draft.step() {
        Step::Title => (tr!(l, lang, "programs-ask-title"), None),
        Step::Description => (tr!(l, lang, "programs-ask-description"), None),
        Step::Approach => (
            tr!(l, lang, "programs-ask-approach"),
            Some(InlineKeyboardMarkup::new(
                APPROACHES
                    .iter()
                    .map(|a| {
                        vec![InlineKeyboardButton::callback(
                            approach_label(l, lang, a),
                            data(ProgPress::Approach((*a).to_owned())),
                        )]
                    })
                    .collect::<Vec<_>>(),
            )),
        ),
        Step::Topic => (tr!(l, lang, "programs-ask-topic"), None),
        Step::Meetings => (tr!(l, lang, "programs-ask-meetings", max = MAX_MEETINGS), None),
        Step::Weekday => {
            let buttons: Vec<InlineKeyboardButton> = (1u8..=7)
                .map(|d| {
                    InlineKeyboardButton::callback(
                        tr!(l, lang, "calendar-weekday", day = d),
                        data(ProgPress::Weekday(d)),
                    )
                })
                .collect();
            (
                tr!(l, lang, "programs-ask-weekday"),
                Some(InlineKeyboardMarkup::new(vec![buttons])),
            )
        }
        Step::Time => (tr!(l, lang, "programs-ask-time", zone = tz.name()), None),
        Step::Capacity => {
            let buttons: Vec<InlineKeyboardButton> = (5u8..=12)
                .map(|n| InlineKeyboardButton::callback(n.to_string(), data(ProgPress::Capacity(n))))
                .collect();
            (
                tr!(l, lang, "programs-ask-capacity"),
                Some(InlineKeyboardMarkup::new(
                    buttons.chunks(4).map(<[_]>::to_vec).collect::<Vec<_>>(),
                )),
            )
        }
        Step::Price => {
            let floor = cx.app.settings.group_price_floor.format(money_locale(lang));
            (tr!(l, lang, "programs-ask-price", floor = floor), None)
        }
        Step::Presentation => (tr!(l, lang, "programs-ask-presentation"), None),
    }
}

async fn ask(cx: &Cx, therapist_id: i64, draft: &ProgramDraft) -> HandlerResult {
    let tz = therapist_zone(&cx.app.db, therapist_id)
        .await?
        .unwrap_or_else(|| cx.tz());
    match prompt(cx, tz, draft) {
        (text, Some(kb)) => cx.send_with(text, kb).await?,
        (text, None) => cx.send(text).await?,
    };
    Ok(())
}

/// Text typed while writing a program.
pub async fn on_text(cx: &Cx, text: &str, dialogue: &ChatDialogue, mut draft: ProgramDraft) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(t) = me(cx).await? else { return Ok(()) };
    let text = text.trim();
    let too_long = |max: usize| text.chars().count() > max;
    let problem = match draft.step() {
        Step::Title if text.is_empty() || too_long(200) => Some(tr!(l, lang, "programs-too-long", max = 200)),
        Step::Title => {
            draft.title = Some(text.to_owned());
            None
        }
        Step::Description if text.is_empty() || too_long(3000) => Some(tr!(l, lang, "programs-too-long", max = 3000)),
        Step::Description => {
            draft.description = Some(text.to_owned());
            None
        }
        Step::Topic if text.is_empty() || too_long(200) => Some(tr!(l, lang, "programs-too-long", max = 200)),
        Step::Topic => {
            draft.topic = Some(text.to_owned());
            None
        }
        Step::Meetings => match text.parse::<u32>() {
            Ok(n) if (1..=MAX_MEETINGS).contains(&n) => {
                draft.meetings = Some(n);
                None
            }
            _ => Some(tr!(l, lang, "programs-bad-meetings", max = MAX_MEETINGS)),
        },
        Step::Time => match parse_time(text) {
            Some(time) => {
                draft.time = Some(time);
                None
            }
            None => Some(tr!(l, lang, "calendar-time-not-understood")),
        },
        Step::Price => match Money::parse(text) {
            Ok(price) => return save(cx, dialogue, &t, draft, price).await,
            Err(_) => Some(tr!(l, lang, "programs-bad-price")),
        },
        Step::Approach | Step::Weekday | Step::Capacity => Some(tr!(l, lang, "calendar-use-buttons")),
        Step::Presentation => Some(tr!(l, lang, "programs-ask-presentation")),
    };
    if let Some(p) = problem {
        cx.send(p).await?;
        return Ok(());
    }
    dialogue.update(State::Program { draft: draft.clone() }).await?;
    ask(cx, t.id, &draft).await
}

/// Checks the program with the domain's rules (R-GRP-4 capacity, R-PRICE-1 floor) and stores
/// the draft; then asks for the presentation.
async fn save(cx: &Cx, dialogue: &ChatDialogue, t: &Therapist, mut draft: ProgramDraft, price: Money) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let settings = &cx.app.settings;
    let (
        Some(title),
        Some(description),
        Some(approach),
        Some(topic),
        Some(meetings),
        Some(weekday),
        Some(time),
        Some(capacity),
    ) = (
        draft.title.clone(),
        draft.description.clone(),
        draft.approach.clone(),
        draft.topic.clone(),
        draft.meetings,
        draft.weekday,
        draft.time,
        draft.capacity,
    )
    else {
        return ask(cx, t.id, &draft).await;
    };
    let check = GroupProgramDraft {
        capacity: u32::from(capacity),
        price_per_participant: price,
        meetings,
    };
    if let Err(e) = validate_program(&check, settings) {
        let text = match e {
            GroupError::PriceBelowFloor { floor } => {
                tr!(
                    l,
                    lang,
                    "programs-price-below-floor",
                    floor = floor.format(money_locale(lang))
                )
            }
            GroupError::CapacityTooSmall { .. } | GroupError::CapacityTooLarge { .. } => {
                tr!(l, lang, "programs-ask-capacity")
            }
            GroupError::NoMeetings => tr!(l, lang, "programs-bad-meetings", max = MAX_MEETINGS),
        };
        cx.send(text).await?;
        return Ok(());
    }
    let new = NewProgram {
        title,
        description,
        approach,
        topic,
        meetings: meetings as i32,
        meeting_minutes: MEETING_MINUTES,
        weekday: i32::from(weekday),
        local_time: time.format("%H:%M").to_string(),
        capacity: i32::from(capacity),
        price,
    };
    let id = Programs(&cx.app.db).create(t.id, &new, cx.app.clock.now()).await?;
    draft.program_id = Some(id);
    dialogue.update(State::Program { draft }).await?;
    cx.send(tr!(l, lang, "programs-saved")).await?;
    cx.send(tr!(l, lang, "programs-ask-presentation")).await?;
    Ok(())
}

/// A document sent while writing a program: the presentation, at the presentation step.
pub async fn on_document(cx: &Cx, dialogue: &ChatDialogue, draft: ProgramDraft, doc: &Document) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(t) = me(cx).await? else { return Ok(()) };
    let Some(id) = draft.program_id else {
        cx.send(tr!(l, lang, "programs-not-now-document")).await?;
        return ask(cx, t.id, &draft).await;
    };
    if doc.file.size > MAX_DOCUMENT_BYTES {
        cx.send(tr!(l, lang, "programs-document-too-big")).await?;
        return Ok(());
    }
    match Programs(&cx.app.db)
        .attach_presentation(id, t.id, &doc.file.id.0, cx.app.clock.now())
        .await
    {
        Ok(()) => {
            dialogue.exit().await?;
            let program = Programs(&cx.app.db).get(id).await?;
            let text = match &program {
                Some(p) => format!(
                    "{}\n\n{}",
                    tr!(l, lang, "programs-presentation-saved"),
                    card(l, lang, p)
                ),
                None => tr!(l, lang, "programs-presentation-saved"),
            };
            let kb = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
                tr!(l, lang, "programs-submit-button"),
                data(ProgPress::Submit(id)),
            )]]);
            cx.send_with(text, kb).await?;
            Ok(())
        }
        Err(StoreError::Conflict) => {
            dialogue.exit().await?;
            cx.send(tr!(l, lang, "programs-not-editable")).await?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// A press of a programs button: re-checked against the therapist and the database.
pub async fn on_press(cx: &Cx, press: &Press<'_>, dialogue: &ChatDialogue, p: ProgPress) -> HandlerResult {
    match p {
        ProgPress::Publish(id) => return publish(cx, press, id).await,
        ProgPress::Return(id) => return ask_return_comment(cx, press, id, dialogue).await,
        ProgPress::Open(id) => return admin_open(cx, press, id).await,
        _ => {}
    }
    let Some(t) = super::me_for_press(cx, press).await? else {
        return Ok(());
    };
    let (l, lang) = (cx.l(), cx.lang());
    // Decided: a suspended therapist starts and submits no programs.
    if t.status == crate::store::therapists::TherapistStatus::Suspended
        && matches!(p, ProgPress::New | ProgPress::Submit(_))
    {
        return press.alert(cx, tr!(l, lang, "suspended-no-new-programs")).await;
    }
    let state = dialogue.get().await?.unwrap_or_default();
    let draft = match state {
        State::Program { draft } => Some(draft),
        _ => None,
    };
    match p {
        ProgPress::New => {
            let draft = ProgramDraft::default();
            dialogue.update(State::Program { draft: draft.clone() }).await?;
            press.answer(cx).await?;
            cx.send(tr!(l, lang, "programs-intro")).await?;
            ask(cx, t.id, &draft).await
        }
        ProgPress::Presentation(id) => {
            match Programs(&cx.app.db).get(id).await? {
                Some(p)
                    if p.therapist_id == t.id && matches!(p.status, ProgramStatus::Draft | ProgramStatus::Returned) => {
                }
                Some(p) if p.therapist_id == t.id => {
                    return press.alert(cx, tr!(l, lang, "programs-not-editable")).await
                }
                _ => return press.alert(cx, tr!(l, lang, "programs-not-yours")).await,
            }
            let draft = ProgramDraft {
                program_id: Some(id),
                ..ProgramDraft::default()
            };
            dialogue.update(State::Program { draft }).await?;
            press.answer(cx).await?;
            cx.send(tr!(l, lang, "programs-ask-presentation")).await?;
            Ok(())
        }
        ProgPress::Submit(id) => match Programs(&cx.app.db).submit(id, t.id, cx.app.clock.now()).await {
            Ok(()) => {
                press.answer_text(cx, tr!(l, lang, "programs-submitted-short")).await?;
                let program = Programs(&cx.app.db).get(id).await?;
                if let Some(p) = &program {
                    post_to_admins(cx, &t, p).await;
                }
                let text = match &program {
                    Some(p) => format!("{}\n\n{}", tr!(l, lang, "programs-submitted"), card(l, lang, p)),
                    None => tr!(l, lang, "programs-submitted"),
                };
                press
                    .show(
                        cx,
                        text,
                        InlineKeyboardMarkup::new(Vec::<Vec<InlineKeyboardButton>>::new()),
                    )
                    .await
            }
            Err(StoreError::Conflict) => {
                let why = match Programs(&cx.app.db).get(id).await? {
                    Some(p) if p.therapist_id != t.id => tr!(l, lang, "programs-not-yours"),
                    None => tr!(l, lang, "programs-not-yours"),
                    Some(p) if p.presentation_file_id.is_none() => tr!(l, lang, "programs-needs-presentation"),
                    Some(_) => tr!(l, lang, "programs-not-editable"),
                };
                press.alert(cx, why).await
            }
            Err(e) => Err(e.into()),
        },
        ProgPress::Publish(_) | ProgPress::Return(_) | ProgPress::Open(_) => Ok(()),
        ProgPress::Admit(e) => decide(cx, press, &t, e, true).await,
        ProgPress::Decline(e) => decide(cx, press, &t, e, false).await,
        ProgPress::Approach(_) | ProgPress::Weekday(_) | ProgPress::Capacity(_) => {
            let Some(mut draft) = draft else {
                return press.stale(cx).await;
            };
            let ok = match (&p, draft.step()) {
                (ProgPress::Approach(a), Step::Approach) => {
                    draft.approach = Some(a.clone());
                    true
                }
                (ProgPress::Weekday(d), Step::Weekday) => {
                    draft.weekday = Some(*d);
                    true
                }
                (ProgPress::Capacity(n), Step::Capacity) => {
                    draft.capacity = Some(*n);
                    true
                }
                _ => false,
            };
            if !ok {
                return press.stale(cx).await;
            }
            dialogue.update(State::Program { draft: draft.clone() }).await?;
            press.answer(cx).await?;
            ask(cx, t.id, &draft).await
        }
    }
}

/// The card the admins review in their chat (in the bot's default language).
fn admin_card(cx: &Cx, therapist: &Therapist, p: &Program) -> String {
    let (l, lang) = (cx.l(), cx.app.default_lang);
    format!(
        "{}\n\n{}\n\n{}",
        tr!(l, lang, "programs-admin-card", therapist = escape(&therapist.full_name)),
        card(l, lang, p),
        escape(&truncate(&p.fields.description, 2500))
    )
}

/// Posts a submitted program to the admin chat with Publish / Return buttons, then its
/// presentation. A failure is logged: the submission is stored and the admins see it there.
async fn post_to_admins(cx: &Cx, therapist: &Therapist, p: &Program) {
    post_card(cx, ChatId(cx.app.admin_chat_id), therapist, p).await;
}

/// Posts a submitted program's card with Publish / Return buttons, then its presentation,
/// into `chat`; a failure is logged.
async fn post_card(cx: &Cx, chat: ChatId, therapist: &Therapist, p: &Program) {
    let (l, lang) = (cx.l(), cx.app.default_lang);
    let kb = InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::callback(tr!(l, lang, "programs-admin-publish"), data(ProgPress::Publish(p.id))),
        InlineKeyboardButton::callback(tr!(l, lang, "programs-admin-return"), data(ProgPress::Return(p.id))),
    ]]);
    let sent = cx
        .bot
        .send_message(chat, admin_card(cx, therapist, p))
        .reply_markup(kb)
        .await;
    let result = match (sent, &p.presentation_file_id) {
        (Ok(card), Some(file)) => cx
            .bot
            .send_document(chat, InputFile::file_id(FileId(file.clone())))
            .caption(tr!(
                l,
                lang,
                "programs-admin-presentation",
                title = escape(&p.fields.title)
            ))
            .reply_parameters(ReplyParameters::new(card.id))
            .await
            .map(|_| ()),
        (Ok(_), None) => Ok(()),
        (Err(e), _) => Err(e),
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, program = p.id, "could not post the program to the admin chat");
    }
}

/// The programs part of the admins' `/queue` (R-GRP-2): the submitted programs, oldest first,
/// each with a button that posts its card (Publish / Return) again where the admin is.
pub async fn queue_section(cx: &Cx) -> Result<(String, Vec<Vec<InlineKeyboardButton>>), BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let waiting = Programs(&cx.app.db).submitted().await?;
    if waiting.is_empty() {
        return Ok((tr!(l, lang, "enrol2-queue-programs-empty"), Vec::new()));
    }
    let mut text = tr!(l, lang, "enrol2-queue-programs-title");
    let mut rows = Vec::new();
    for (n, p) in waiting.iter().enumerate() {
        text.push_str(&format!(
            "\n{}. {}",
            n + 1,
            tr!(
                l,
                lang,
                "enrol2-queue-program",
                title = escape(&p.title),
                therapist = escape(&p.therapist_name),
                at = crate::bot::timefmt::local_time(p.submitted_at, cx.tz(), lang)
            )
        ));
        if rows.len() < 30 {
            rows.push(vec![InlineKeyboardButton::callback(
                tr!(l, lang, "enrol2-queue-btn-open", title = truncate(&p.title, 40)),
                data(ProgPress::Open(p.id)),
            )]);
        }
    }
    Ok((text, rows))
}

/// An admin opens a submitted program from `/queue`: its card with Publish / Return is
/// posted again in this chat. Anyone else, or a program no longer submitted: nothing changes.
async fn admin_open(cx: &Cx, press: &Press<'_>, id: i64) -> HandlerResult {
    if cx.actor.role != Role::Admin {
        return press.alert(cx, tr!(cx.l(), cx.lang(), "admin-only")).await;
    }
    let Some(p) = Programs(&cx.app.db).get(id).await? else {
        return press.stale(cx).await;
    };
    if p.status != ProgramStatus::Submitted {
        return already_decided(cx, press, id).await;
    }
    let Some(therapist) = Therapists(&cx.app.db).get(p.therapist_id).await? else {
        return press.stale(cx).await;
    };
    press.answer(cx).await?;
    post_card(cx, cx.chat_id, &therapist, &p).await;
    Ok(())
}

/// The therapist's language and Telegram id, for notices.
async fn therapist_chat(cx: &Cx, therapist: &Therapist) -> Result<Option<(i64, Lang)>, BotError> {
    let Some(tg) = therapist.telegram_id else {
        return Ok(None);
    };
    let lang = Users(&cx.app.db)
        .get(tg)
        .await?
        .map_or(cx.app.default_lang, |u| u.language);
    Ok(Some((tg, lang)))
}

/// The answer to a press on a program that is no longer submitted.
async fn already_decided(cx: &Cx, press: &Press<'_>, id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let now = Programs(&cx.app.db)
        .get(id)
        .await?
        .map(|p| status_label(l, lang, p.status));
    let text = match now {
        Some(s) => tr!(l, lang, "programs-admin-decided", status = s),
        None => tr!(l, lang, "stale-button"),
    };
    press.alert(cx, text).await
}

/// An admin publishes a submitted program (R-GRP-2): its meetings become group slots in the
/// therapist's calendar in the same transaction (weekly at the program's local time in the
/// therapist's zone, the first at least two days ahead); a meeting in the way of another open
/// slot refuses the publication and names that slot. The therapist is told through the outbox.
async fn publish(cx: &Cx, press: &Press<'_>, id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    if cx.actor.role != Role::Admin {
        return press.alert(cx, tr!(l, lang, "admin-only")).await;
    }
    let programs = Programs(&cx.app.db);
    let Some(p) = programs.get(id).await? else {
        return press.stale(cx).await;
    };
    if p.status != ProgramStatus::Submitted {
        return already_decided(cx, press, id).await;
    }
    let Some(therapist) = Therapists(&cx.app.db).get(p.therapist_id).await? else {
        return press.stale(cx).await;
    };
    let tz = therapist_zone(&cx.app.db, therapist.id)
        .await?
        .unwrap_or(cx.app.default_tz);
    let now = cx.app.clock.now();
    let meetings: Vec<_> = match (
        NaiveTime::parse_from_str(&p.fields.local_time, "%H:%M"),
        u32::try_from(p.fields.weekday),
        u32::try_from(p.fields.meetings),
    ) {
        (Ok(time), Ok(weekday), Ok(n)) => crate::domain::program_meetings(
            weekday,
            time,
            chrono::TimeDelta::minutes(i64::from(p.fields.meeting_minutes)),
            n,
            tz,
            now,
        )
        .map(|m| m.iter().map(|o| (o.interval.start(), o.interval.end())).collect())
        .unwrap_or_default(),
        _ => Vec::new(),
    };
    if meetings.is_empty() {
        return press.stale(cx).await;
    }
    let notice = match therapist_chat(cx, &therapist).await? {
        Some((tg, tlang)) => {
            let first = meetings[0].0;
            Some(OutboxMessage::new(
                tg,
                tr!(
                    l,
                    tlang,
                    "enrol-published-therapist",
                    title = escape(&p.fields.title),
                    meetings = meetings.len() as i64,
                    first = crate::bot::timefmt::local_time(first, tz, tlang)
                ),
            ))
        }
        None => None,
    };
    let admin = cx.actor.user.telegram_id;
    match programs.publish(id, admin, &meetings, notice.as_ref(), now).await? {
        Publication::Published { .. } => {}
        Publication::Decided(_) => return already_decided(cx, press, id).await,
        Publication::InTheWay { meeting, slot } => {
            let dl = cx.app.default_lang;
            let meeting = slot_when(l, dl, tz, meeting.0, meeting.1);
            let text = match slot {
                Some(s) => tr!(
                    l,
                    dl,
                    "enrol-publish-overlap",
                    meeting = meeting,
                    slot = slot_when(l, dl, tz, s.starts_at, s.ends_at),
                    kind = crate::bot::notices::kind_name(l, dl, s.kind)
                ),
                None => tr!(l, dl, "enrol-publish-overlap-gone", meeting = meeting),
            };
            press
                .answer_text(cx, tr!(l, lang, "enrol-publish-refused-short"))
                .await?;
            cx.send(text).await?;
            return Ok(());
        }
    }
    press.answer(cx).await?;
    let decided = tr!(
        l,
        cx.app.default_lang,
        "programs-admin-decision",
        status = status_label(l, cx.app.default_lang, ProgramStatus::Published),
        admin = escape(&cx.actor.user.first_name)
    );
    let p = programs.get(id).await?.unwrap_or(p);
    press
        .show(
            cx,
            format!("{}\n\n{decided}", admin_card(cx, &therapist, &p)),
            InlineKeyboardMarkup::new(Vec::<Vec<InlineKeyboardButton>>::new()),
        )
        .await
}

/// "Return" on a submitted program: asks the admin for comments (a reply to the bot's
/// question, like a moderation rejection's reason).
async fn ask_return_comment(cx: &Cx, press: &Press<'_>, id: i64, dialogue: &ChatDialogue) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    if cx.actor.role != Role::Admin {
        return press.alert(cx, tr!(l, lang, "admin-only")).await;
    }
    let Some(p) = Programs(&cx.app.db).get(id).await? else {
        return press.stale(cx).await;
    };
    if p.status != ProgramStatus::Submitted {
        return already_decided(cx, press, id).await;
    }
    dialogue
        .update(State::Admin(crate::bot::admin::AdminStep::ProgramReturn {
            by: cx.actor.user.telegram_id,
            program_id: id,
            card: press.message_id.map(|m| m.0),
        }))
        .await?;
    press.answer(cx).await?;
    cx.send(tr!(
        l,
        lang,
        "enrol-ask-return-comment",
        admin = escape(&cx.actor.user.first_name),
        title = escape(&p.fields.title)
    ))
    .await?;
    Ok(())
}

/// The admin's comments on a returned program (R-GRP-2): stored, audited, sent to the
/// therapist (outbox), the card edited.
pub async fn on_return_comment(
    cx: &Cx,
    text: &str,
    dialogue: &ChatDialogue,
    program_id: i64,
    card: Option<i32>,
) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let comment = text.trim();
    if !(3..=2000).contains(&comment.chars().count()) {
        cx.send(tr!(l, lang, "enrol-bad-return-comment")).await?;
        return Ok(());
    }
    dialogue.exit().await?;
    let programs = Programs(&cx.app.db);
    let Some(p) = programs.get(program_id).await? else {
        cx.send(tr!(l, lang, "stale-button")).await?;
        return Ok(());
    };
    let Some(therapist) = Therapists(&cx.app.db).get(p.therapist_id).await? else {
        cx.send(tr!(l, lang, "stale-button")).await?;
        return Ok(());
    };
    let notice = therapist_chat(cx, &therapist).await?.map(|(tg, tlang)| {
        OutboxMessage::new(
            tg,
            tr!(
                l,
                tlang,
                "enrol-returned-therapist",
                title = escape(&p.fields.title),
                comment = escape(comment)
            ),
        )
    });
    let now = cx.app.clock.now();
    match programs
        .return_with_comment(program_id, cx.actor.user.telegram_id, comment, notice.as_ref(), now)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            let status = programs.get(program_id).await?.map(|p| status_label(l, lang, p.status));
            cx.send(tr!(
                l,
                lang,
                "programs-admin-decided",
                status = status.unwrap_or_default()
            ))
            .await?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(card) = card {
        let dl = cx.app.default_lang;
        let p = programs.get(program_id).await?.unwrap_or(p);
        let decided = tr!(
            l,
            dl,
            "enrol-returned-by",
            admin = escape(&cx.actor.user.first_name),
            comment = escape(comment)
        );
        let edited = cx
            .bot
            .edit_message_text(
                cx.chat_id,
                teloxide::types::MessageId(card),
                format!("{}\n\n{decided}", admin_card(cx, &therapist, &p)),
            )
            .reply_markup(InlineKeyboardMarkup::new(Vec::<Vec<InlineKeyboardButton>>::new()))
            .await;
        if let Err(e) = edited {
            tracing::warn!(error = %e, program = program_id, "could not edit the program card");
        }
    }
    cx.send(tr!(l, lang, "enrol-returned-done")).await?;
    Ok(())
}

/// Admit or Decline pressed by a therapist (R-GRP-3): only for a client of this therapist's
/// published program whose consultation is done and who awaits the decision; the client is
/// told in their language (admitted: with a button to the program).
async fn decide(cx: &Cx, press: &Press<'_>, t: &Therapist, enrolment_id: i64, admit: bool) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let enrolments = Enrolments(&cx.app.db);
    let Some(e) = enrolments.get(enrolment_id).await? else {
        return press.alert(cx, tr!(l, lang, "programs-not-yours")).await;
    };
    let Some(p) = Programs(&cx.app.db)
        .get(e.program_id)
        .await?
        .filter(|p| p.therapist_id == t.id)
    else {
        return press.alert(cx, tr!(l, lang, "programs-not-yours")).await;
    };
    let client_lang = Users(&cx.app.db)
        .get(e.client_id)
        .await?
        .map_or(cx.app.default_lang, |u| u.language);
    let title = escape(&p.fields.title);
    let notice = if admit {
        OutboxMessage::new(
            e.client_id,
            tr!(l, client_lang, "enrol-admitted-client", title = title.clone()),
        )
        .keyboard(InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
            tr!(l, client_lang, "enrol-btn-open"),
            crate::bot::client::booking::CbPress::Program(p.id).data(),
        )]]))
    } else {
        OutboxMessage::new(
            e.client_id,
            tr!(l, client_lang, "enrol-declined-client", title = title.clone()),
        )
    };
    match enrolments
        .decide(enrolment_id, t.id, admit, Some(&notice), cx.app.clock.now())
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict) => return press.alert(cx, tr!(l, lang, "enrol-decision-stale")).await,
        Err(e) => return Err(e.into()),
    }
    press
        .answer_text(
            cx,
            if admit {
                tr!(l, lang, "enrol-admitted-short")
            } else {
                tr!(l, lang, "enrol-declined-short")
            },
        )
        .await?;
    let (text, kb) = list_view(cx, t).await?;
    press.show(cx, text, kb).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_round_trip() {
        for p in [
            ProgPress::New,
            ProgPress::Approach("psychodynamic".into()),
            ProgPress::Weekday(7),
            ProgPress::Capacity(12),
            ProgPress::Presentation(i64::MAX),
            ProgPress::Submit(1),
            ProgPress::Publish(2),
            ProgPress::Open(i64::MAX),
            ProgPress::Return(3),
            ProgPress::Admit(i64::MAX),
            ProgPress::Decline(4),
        ] {
            let s = data(p.clone());
            assert!(s.len() <= 64);
            assert_eq!(ProgPress::decode(s.strip_prefix("pg:").unwrap()), Some(p));
        }
        for bad in ["a:freud", "wd:0", "wd:8", "c:4", "c:13", "s:", "s:-1", "x"] {
            assert_eq!(ProgPress::decode(bad), None, "{bad}");
        }
    }
}
