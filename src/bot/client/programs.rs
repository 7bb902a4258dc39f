//! A group program for clients (issue 6 step 6; R-GRP-2, R-GRP-3, R-SES-1): the card
//! (title, description, approach, therapist, the weekly time in the client's zone with the zone
//! named, meetings, the price this client pays per meeting, free places, the presentation), the
//! Enrol button, and the program's meetings to book one by one through the ordinary booking and
//! payment flow (`cb:k:g<id>` lists them, `cb:s:g<id>:<slot>` / `cb:y:g<id>:<slot>` confirm).
//!
//! Psychodynamic and existential programs (R-GRP-3): Enrol records the request
//! (`awaiting_consultation`) and offers the free 15-minute consultation with the program's
//! therapist; the therapist admits or declines afterwards, and only an admitted client enrols.
//! Other programs: enrolled at once while places are free. Every press is re-checked.

use chrono::Datelike;
use teloxide::prelude::*;
use teloxide::types::{FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

use super::booking::{CbPress, Flow, Price, Target};
use crate::bot::html::{escape, truncate};
use crate::bot::notices::money;
use crate::bot::therapist::calendar::slot_when;
use crate::bot::therapist::Press;
use crate::bot::{BotError, Cx, HandlerResult};
use crate::domain::{consultation_policy, ConsultationPolicy, SessionKind};
use crate::store::client_booking::ClientBookings;
use crate::store::enrolments::{Consultation, EnrolmentStatus, Enrolments};
use crate::store::programs::{Program, ProgramStatus, Programs};
use crate::store::therapists::{Therapist, TherapistStatus, Therapists};
use crate::tr;

/// How many meetings the list shows at once.
const MEETINGS_SHOWN: usize = 12;

fn button(text: String, p: CbPress) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, p.data())
}

/// A published program of an active therapist, with that therapist.
async fn open_program(cx: &Cx, program_id: i64) -> Result<Option<(Program, Therapist)>, BotError> {
    let Some(p) = Programs(&cx.app.db)
        .get(program_id)
        .await?
        .filter(|p| p.status == ProgramStatus::Published)
    else {
        return Ok(None);
    };
    let t = Therapists(&cx.app.db)
        .get(p.therapist_id)
        .await?
        .filter(|t| t.status == TherapistStatus::Active);
    Ok(t.map(|t| (p, t)))
}

fn needs_admission(p: &Program) -> bool {
    consultation_policy(&p.fields.approach) == ConsultationPolicy::Required
}

/// What this client pays per meeting: the program's price per participant (R-PRICE-1).
/// **Decided** (R-PRICE-3): a published program cannot be edited, so its price is fixed for
/// everyone for its whole run; the client's group price lock with the therapist is a lock on
/// the therapist's price list (the price of the first booking), not on a program's price, so
/// it is not applied here (it could otherwise make one program's meetings cost another price).
pub async fn program_price(_cx: &Cx, p: &Program) -> Result<Price, BotError> {
    Ok(Price {
        amount: Some(p.fields.price),
        owed: None,
        locked_until: None,
    })
}

/// For the booking flow: the program, if its meetings may be booked by this client now
/// (published, the therapist active, the client enrolled); refusals are answered here.
pub async fn bookable_program(cx: &Cx, press: &Press<'_>, program_id: i64) -> Result<Option<Program>, BotError> {
    let (l, lang) = (cx.l(), cx.lang());
    let Some((p, _)) = open_program(cx, program_id).await? else {
        press.alert(cx, tr!(l, lang, "enrol-error-not-published")).await?;
        return Ok(None);
    };
    let live = Enrolments(&cx.app.db).live(p.id, cx.actor.user.telegram_id).await?;
    if live.map(|e| e.status) != Some(EnrolmentStatus::Enrolled) {
        press.alert(cx, tr!(l, lang, "enrol-not-enrolled")).await?;
        return Ok(None);
    }
    Ok(Some(p))
}

/// The program's card as a new message, then its presentation.
pub async fn show(cx: &Cx, program_id: i64) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let Some((p, t)) = open_program(cx, program_id).await? else {
        cx.send(tr!(l, lang, "enrol-error-not-published")).await?;
        return Ok(());
    };
    let now = cx.app.clock.now();
    let meetings = Programs(&cx.app.db).meetings(p.id, now).await?;
    let ahead: Vec<_> = meetings.iter().filter(|s| s.starts_at > now).collect();
    let f = &p.fields;
    let approach = cx
        .app
        .catalog
        .specializations
        .item(&f.approach)
        .map_or_else(|| f.approach.clone(), |i| i.label(lang).to_owned());
    let weekly = match ahead.first() {
        Some(s) => {
            let local = s.starts_at.with_timezone(&tz);
            tr!(
                l,
                lang,
                "enrol-card-weekly",
                weekday = tr!(
                    l,
                    lang,
                    "calendar-weekday-long",
                    day = local.weekday().number_from_monday()
                ),
                time = local.format("%H:%M").to_string(),
                zone = tz.name(),
                next = slot_when(l, lang, tz, s.starts_at, s.ends_at)
            )
        }
        None => tr!(l, lang, "enrol-card-no-meetings"),
    };
    let price = program_price(cx, &p).await?;
    let places = ahead.first().map_or(0, |s| s.free_seats());
    let mut text = tr!(
        l,
        lang,
        "enrol-card",
        title = escape(&f.title),
        approach = escape(&approach),
        therapist = escape(&t.full_name),
        weekly = weekly,
        meetings = i64::from(f.meetings),
        ahead = ahead.len() as i64,
        minutes = i64::from(f.meeting_minutes),
        price = money(lang, price.amount.unwrap_or(f.price)),
        places = i64::from(places),
        capacity = i64::from(f.capacity)
    );
    text.push_str("\n\n");
    text.push_str(&escape(&truncate(&f.description, 2500)));
    if needs_admission(&p) {
        text.push_str("\n\n");
        text.push_str(&tr!(l, lang, "enrol-card-consultation-required"));
    }
    let client = cx.actor.user.telegram_id;
    let live = Enrolments(&cx.app.db).live(p.id, client).await?;
    let status = live.map(|e| e.status);
    let mut rows = Vec::new();
    match status {
        Some(EnrolmentStatus::Enrolled) => {
            text.push_str("\n\n");
            text.push_str(&tr!(l, lang, "enrol-card-enrolled"));
            rows.push(vec![button(
                tr!(l, lang, "enrol-btn-meetings"),
                CbPress::Start(Target::Program(p.id)),
            )]);
        }
        Some(EnrolmentStatus::Declined) => {
            text.push_str("\n\n");
            text.push_str(&tr!(l, lang, "enrol-error-not-admitted"));
        }
        _ => rows.push(vec![button(tr!(l, lang, "enrol-btn-enrol"), CbPress::Enrol(p.id))]),
    }
    // R-GRP-3: for other groups the consultation is recommended, not required: offered while
    // the client has none with the facilitator and the facilitator has free consultation times.
    if status.is_none()
        && !needs_admission(&p)
        && Enrolments(&cx.app.db).consultation(client, t.id, now).await? == Consultation::None
        && !super::booking::free_slots(cx, t.id, Some(SessionKind::Consultation))
            .await?
            .is_empty()
    {
        text.push_str("\n\n");
        text.push_str(&tr!(
            l,
            lang,
            "enrol2-card-consultation-recommended",
            therapist = escape(&t.full_name)
        ));
        rows.push(vec![button(
            tr!(l, lang, "enrol2-btn-consultation-recommended"),
            CbPress::Start(Target::New {
                therapist: t.id,
                kind: SessionKind::Consultation,
            }),
        )]);
    }
    if status.is_some_and(can_leave) {
        rows.push(vec![button(tr!(l, lang, "enrol2-btn-leave"), CbPress::Leave(p.id))]);
    }
    rows.push(vec![button(tr!(l, lang, "enrol-btn-therapist"), CbPress::Card(t.id))]);
    cx.send_with(text, InlineKeyboardMarkup::new(rows)).await?;
    if let Some(file) = &p.presentation_file_id {
        let sent = cx
            .bot
            .send_document(cx.chat_id, InputFile::file_id(FileId(file.clone())))
            .caption(tr!(l, lang, "enrol-presentation", title = escape(&f.title)))
            .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, program = p.id, "could not send the program's presentation");
        }
    }
    Ok(())
}

/// Enrol pressed (R-GRP-3): direct enrolment while places are free, or for psychodynamic and
/// existential programs the consultation first and the therapist's admission.
pub async fn enrol(cx: &Cx, press: &Press<'_>, program_id: i64) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let client = cx.actor.user.telegram_id;
    let Some((p, t)) = open_program(cx, program_id).await? else {
        return press.alert(cx, tr!(l, lang, "enrol-error-not-published")).await;
    };
    let now = cx.app.clock.now();
    let enrolments = Enrolments(&cx.app.db);
    let live = enrolments.live(p.id, client).await?;
    let required = needs_admission(&p);
    match live.as_ref().map(|e| e.status) {
        Some(EnrolmentStatus::Declined) => return press.alert(cx, tr!(l, lang, "enrol-error-not-admitted")).await,
        Some(EnrolmentStatus::Enrolled) => {
            press.answer(cx).await?;
            return meetings_of(cx, None, &p).await;
        }
        Some(EnrolmentStatus::Admitted) => {}
        Some(EnrolmentStatus::AwaitingConsultation) | None if required => {
            if live.is_none() {
                let notice = admission_request(cx, &p, &t).await?;
                match enrolments.ask_admission(p.id, client, notice.as_ref(), now).await {
                    Ok(_) => {}
                    Err(crate::store::StoreError::Conflict) => return press.stale(cx).await,
                    Err(e) => return Err(e.into()),
                }
            }
            press.answer(cx).await?;
            let consultation = enrolments.consultation(client, t.id, now).await?;
            let name = escape(&t.full_name);
            let (text, kb) = match consultation {
                Consultation::None => (
                    tr!(l, lang, "enrol-error-consultation-required", therapist = name),
                    InlineKeyboardMarkup::new(vec![vec![button(
                        tr!(l, lang, "enrol-btn-book-consultation"),
                        CbPress::Start(Target::New {
                            therapist: t.id,
                            kind: SessionKind::Consultation,
                        }),
                    )]]),
                ),
                Consultation::Booked => (
                    tr!(l, lang, "enrol-consultation-booked", therapist = name),
                    InlineKeyboardMarkup::new(vec![vec![button(tr!(l, lang, "cmd-mybookings"), CbPress::List)]]),
                ),
                Consultation::Done => (
                    tr!(l, lang, "enrol-error-awaiting-admission", therapist = name),
                    InlineKeyboardMarkup::new(Vec::<Vec<InlineKeyboardButton>>::new()),
                ),
            };
            cx.send_with(text, kb).await?;
            return Ok(());
        }
        _ => {
            // Direct enrolment only while places are free (R-GRP-4).
            let free = Programs(&cx.app.db)
                .meetings(p.id, now)
                .await?
                .into_iter()
                .find(|s| s.starts_at > now)
                .map_or(0, |s| s.free_seats());
            if free == 0 {
                return press.alert(cx, tr!(l, lang, "enrol-error-full")).await;
            }
        }
    }
    match enrolments.enrol(p.id, client, required, now).await {
        Ok(e) if e.status == EnrolmentStatus::Enrolled => {}
        Ok(_) | Err(crate::store::StoreError::Conflict) => return press.stale(cx).await,
        Err(e) => return Err(e.into()),
    }
    press.answer_text(cx, tr!(l, lang, "enrol-enrolled-short")).await?;
    cx.send(tr!(l, lang, "enrol-enrolled", title = escape(&p.fields.title)))
        .await?;
    meetings_of(cx, None, &p).await
}

/// The therapist's notice of a new admission request (R-GRP-3), in their language.
async fn admission_request(
    cx: &Cx,
    p: &Program,
    t: &Therapist,
) -> Result<Option<crate::store::outbox::OutboxMessage>, BotError> {
    let Some(tg) = t.telegram_id else {
        return Ok(None);
    };
    let lang = crate::store::users::Users(&cx.app.db)
        .get(tg)
        .await?
        .map_or(cx.app.default_lang, |u| u.language);
    Ok(Some(crate::store::outbox::OutboxMessage::new(
        tg,
        tr!(
            cx.l(),
            lang,
            "enrol-request-therapist",
            client = escape(&cx.actor.user.first_name),
            title = escape(&p.fields.title)
        ),
    )))
}

/// The program's meetings ahead for an enrolled client (from the booking flow's Start).
pub async fn meetings(cx: &Cx, press: Option<&Press<'_>>, flow: &Flow) -> HandlerResult {
    let Some(p) = &flow.program else {
        return Ok(());
    };
    meetings_of(cx, press, p).await
}

/// The meetings ahead: a button per meeting with a free seat the client does not hold yet;
/// booked ones and full ones are said so.
async fn meetings_of(cx: &Cx, press: Option<&Press<'_>>, p: &Program) -> HandlerResult {
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let now = cx.app.clock.now();
    let client = cx.actor.user.telegram_id;
    let all = Programs(&cx.app.db).meetings(p.id, now).await?;
    let mut lines = vec![tr!(
        l,
        lang,
        "enrol-meetings-title",
        title = escape(&p.fields.title),
        zone = tz.name()
    )];
    let mut rows = Vec::new();
    let bookings = ClientBookings(&cx.app.db);
    for s in all.iter().filter(|s| s.starts_at > now).take(MEETINGS_SHOWN) {
        let when = slot_when(l, lang, tz, s.starts_at, s.ends_at);
        if bookings.live_of_slot(client, s.id).await?.is_some() {
            lines.push(tr!(l, lang, "enrol-meeting-booked", when = when));
        } else if s.free_seats() == 0 {
            lines.push(tr!(l, lang, "enrol-meeting-full", when = when));
        } else {
            lines.push(tr!(
                l,
                lang,
                "enrol-meeting-free",
                when = when.clone(),
                places = i64::from(s.free_seats())
            ));
            rows.push(vec![button(when, CbPress::Slot(Target::Program(p.id), s.id))]);
        }
    }
    if lines.len() == 1 {
        lines.push(tr!(l, lang, "enrol-card-no-meetings"));
    }
    rows.push(vec![button(tr!(l, lang, "cmd-mybookings"), CbPress::List)]);
    rows.push(vec![button(tr!(l, lang, "book-btn-back"), CbPress::Program(p.id))]);
    let kb = InlineKeyboardMarkup::new(rows);
    match press {
        Some(press) => press.show(cx, lines.join("\n"), kb).await,
        None => cx.send_with(lines.join("\n"), kb).await.map(|_| ()),
    }
}

/// Who may leave a program: a client awaiting the consultation, admitted or enrolled (a
/// declined client has nothing to leave).
fn can_leave(s: EnrolmentStatus) -> bool {
    matches!(
        s,
        EnrolmentStatus::AwaitingConsultation | EnrolmentStatus::Admitted | EnrolmentStatus::Enrolled
    )
}

/// The program (any status: a client may leave an archived one too) and the client's live
/// enrolment that can be left; refusals are answered here.
async fn leavable(cx: &Cx, press: &Press<'_>, program_id: i64) -> Result<Option<Program>, BotError> {
    let client = cx.actor.user.telegram_id;
    let Some(p) = Programs(&cx.app.db).get(program_id).await? else {
        press.stale(cx).await?;
        return Ok(None);
    };
    let live = Enrolments(&cx.app.db).live(p.id, client).await?;
    if !live.is_some_and(|e| can_leave(e.status)) {
        press
            .alert(cx, tr!(cx.l(), cx.lang(), "enrol2-leave-not-enrolled"))
            .await?;
        return Ok(None);
    }
    Ok(Some(p))
}

/// "Leave the program" (R-GRP-3, R-CAN-2): the consequences before the client confirms: each
/// upcoming meeting they booked is cancelled under the ordinary client rules (decided by the
/// domain exactly as a cancellation from /mybookings), and what coming back later takes.
pub async fn ask_leave(cx: &Cx, press: &Press<'_>, program_id: i64) -> HandlerResult {
    let Some(p) = leavable(cx, press, program_id).await? else {
        return Ok(());
    };
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let now = cx.app.clock.now();
    let booked = ClientBookings(&cx.app.db)
        .live_of_program(cx.actor.user.telegram_id, p.id, now)
        .await?;
    press.answer(cx).await?;
    let mut lines = vec![tr!(l, lang, "enrol2-leave-ask", title = escape(&p.fields.title))];
    if booked.is_empty() {
        lines.push(tr!(l, lang, "enrol2-leave-no-meetings"));
    } else {
        lines.push(tr!(l, lang, "enrol2-leave-meetings"));
        for b in &booked {
            let consequence = super::mybookings::consequence(cx, b).await?;
            lines.push(tr!(
                l,
                lang,
                "enrol2-leave-meeting",
                when = slot_when(l, lang, tz, b.starts_at, b.ends_at),
                consequence = consequence.map(|c| c.text).unwrap_or_default()
            ));
        }
    }
    // A consultation booked with the facilitator is an ordinary booking: it stays.
    if Enrolments(&cx.app.db)
        .consultation(cx.actor.user.telegram_id, p.therapist_id, now)
        .await?
        == Consultation::Booked
    {
        lines.push(tr!(l, lang, "enrol2-leave-consultation-stays"));
    }
    lines.push(if needs_admission(&p) {
        tr!(l, lang, "enrol2-leave-return-admission")
    } else {
        tr!(l, lang, "enrol2-leave-return-free")
    });
    let kb = InlineKeyboardMarkup::new(vec![vec![
        button(tr!(l, lang, "enrol2-btn-leave-yes"), CbPress::LeaveYes(p.id)),
        button(tr!(l, lang, "enrol2-btn-leave-no"), CbPress::Program(p.id)),
    ]]);
    cx.send_with(lines.join("\n"), kb).await?;
    Ok(())
}

/// The client confirmed leaving: the enrolment is withdrawn with the therapist's notice in one
/// transaction (from then on the database refuses the client a seat), then each upcoming
/// meeting they booked is cancelled through the ordinary client cancellation
/// ([`super::mybookings::cancel_booking_with`]: R-CAN-2, the money given back or kept by
/// the payment service), its consequence decided again now.
pub async fn leave(cx: &Cx, press: &Press<'_>, program_id: i64) -> HandlerResult {
    let Some(p) = leavable(cx, press, program_id).await? else {
        return Ok(());
    };
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let client = cx.actor.user.telegram_id;
    let now = cx.app.clock.now();
    let booked = ClientBookings(&cx.app.db).live_of_program(client, p.id, now).await?;
    let notice = withdrawal_notice(cx, &p, booked.len()).await?;
    match Enrolments(&cx.app.db)
        .withdraw(p.id, client, notice.as_ref(), now)
        .await
    {
        Ok(_) => {}
        Err(crate::store::StoreError::Conflict) => {
            return press.alert(cx, tr!(l, lang, "enrol2-leave-not-enrolled")).await
        }
        Err(e) => return Err(e.into()),
    }
    press.answer_text(cx, tr!(l, lang, "enrol2-left-short")).await?;
    let mut lines = vec![tr!(l, lang, "enrol2-left", title = escape(&p.fields.title))];
    for b in &booked {
        let when = slot_when(l, lang, tz, b.starts_at, b.ends_at);
        lines.push(match super::mybookings::cancel_booking_with(cx, b, &[]).await? {
            Some(consequence) => tr!(l, lang, "enrol2-left-meeting", when = when, consequence = consequence),
            None => tr!(l, lang, "enrol2-left-meeting-kept", when = when),
        });
    }
    let kb = InlineKeyboardMarkup::new(vec![vec![button(tr!(l, lang, "cmd-mybookings"), CbPress::List)]]);
    press.show(cx, lines.join("\n"), kb).await
}

/// The therapist's notice that a client left (with how many booked meetings are cancelled),
/// in their language.
async fn withdrawal_notice(
    cx: &Cx,
    p: &Program,
    meetings: usize,
) -> Result<Option<crate::store::outbox::OutboxMessage>, BotError> {
    let Some(t) = Therapists(&cx.app.db).get(p.therapist_id).await? else {
        return Ok(None);
    };
    let Some(tg) = t.telegram_id else {
        return Ok(None);
    };
    let lang = crate::store::users::Users(&cx.app.db)
        .get(tg)
        .await?
        .map_or(cx.app.default_lang, |u| u.language);
    Ok(Some(crate::store::outbox::OutboxMessage::new(
        tg,
        tr!(
            cx.l(),
            lang,
            "enrol2-left-therapist",
            client = escape(&cx.actor.user.first_name),
            title = escape(&p.fields.title),
            meetings = meetings as i64
        ),
    )))
}
