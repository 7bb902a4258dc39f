//! `/mydata` (R-CLI-7): what is stored about the client (consent, answers, test scores,
//! bookings), and deleting it after a confirmation that says what will happen: the health
//! data is erased at once; the account is anonymised too (`store::erasure`) unless the client
//! has upcoming sessions, which they cancel first under the usual rules (R-CAN) in
//! /mybookings; bookings and payments stay for accounting with no name attached.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::actions::IntakeAction;
use super::intake::{describe_answer, replace_or_send};
use super::screening::test_name;
use crate::bot::callback::Action;
use crate::bot::{timefmt, Cx, HandlerResult};
use crate::catalog::questionnaire::question_key;
use crate::store::bookings::Bookings;
use crate::store::erasure::{self, Erased};
use crate::store::intake::Intake;
use crate::tr;

fn button(text: String, action: IntakeAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, Action::Intake(action).encode())
}

pub async fn show(cx: &Cx) -> HandlerResult {
    let id = cx.actor.user.telegram_id;
    let (l, lang, tz) = (cx.l(), cx.lang(), cx.tz());
    let intake = Intake(&cx.app.db);
    let mut parts = vec![tr!(l, lang, "mydata-title")];
    let consent = intake.consent(id).await?;
    parts.push(match consent {
        Some((_, at)) => tr!(l, lang, "mydata-consent", at = timefmt::local_time(at, tz, lang)),
        None => tr!(l, lang, "mydata-no-consent"),
    });
    match intake.get(id).await? {
        Some(r) => {
            let head = match r.completed_at {
                Some(at) => tr!(
                    l,
                    lang,
                    "mydata-questionnaire-complete",
                    version = r.version,
                    at = timefmt::local_time(at, tz, lang)
                ),
                None => tr!(l, lang, "mydata-questionnaire-partial", version = r.version),
            };
            let mut lines = vec![head];
            for q in &cx.app.catalog.questionnaire.questions {
                if let Some(a) = r.progress.answers.get(&q.id) {
                    lines.push(format!(
                        "• {}\n  <i>{}</i>",
                        l.text(lang, &question_key(&q.id), None),
                        describe_answer(l, lang, &q.id, a)
                    ));
                }
            }
            parts.push(lines.join("\n"));
        }
        None => parts.push(tr!(l, lang, "mydata-questionnaire-none")),
    }
    let tests = intake.tests(id).await?;
    if tests.is_empty() {
        parts.push(tr!(l, lang, "mydata-tests-none"));
    } else {
        parts.push(
            tests
                .iter()
                .map(|t| {
                    tr!(
                        l,
                        lang,
                        "mydata-test-line",
                        test = test_name(cx, t.kind),
                        score = u32::from(t.total),
                        max = u32::from(t.kind.max_score()),
                        band = l.text(lang, t.band.key(), None),
                        at = timefmt::local_time(t.taken_at, tz, lang)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    let bookings = Bookings(&cx.app.db).count_for_client(id).await?;
    parts.push(tr!(l, lang, "mydata-bookings", count = bookings));
    let deleted = erasure::is_deleted(&cx.app.db, id).await?;
    if deleted {
        parts.push(tr!(l, lang, "mydata-account-deleted"));
    }
    let text = crate::bot::html::truncate(&parts.join("\n\n"), 3900);
    if consent.is_some() || !tests.is_empty() || !deleted {
        let kb = InlineKeyboardMarkup::new(vec![vec![button(
            tr!(l, lang, "mydata-erase-button"),
            IntakeAction::MyDataDelete,
        )]]);
        cx.send_with(text, kb).await?;
    } else {
        cx.send(text).await?;
    }
    Ok(())
}

pub async fn on_callback(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>, action: IntakeAction) -> HandlerResult {
    cx.bot.answer_callback_query(q.id.clone()).await?;
    let (l, lang) = (cx.l(), cx.lang());
    match action {
        IntakeAction::MyDataDelete => {
            let kb = InlineKeyboardMarkup::new(vec![vec![
                button(tr!(l, lang, "mydata-delete-yes"), IntakeAction::MyDataDeleteYes),
                button(tr!(l, lang, "mydata-delete-no"), IntakeAction::MyDataDeleteNo),
            ]]);
            // Said before the client confirms: with upcoming sessions only the health data goes.
            let upcoming = erasure::upcoming(&cx.app.db, cx.actor.user.telegram_id, cx.app.clock.now()).await?;
            let text = if upcoming == 0 {
                tr!(l, lang, "mydata-erase-confirm")
            } else {
                tr!(l, lang, "mydata-erase-confirm-upcoming", count = upcoming)
            };
            cx.send_with(text, kb).await?;
            Ok(())
        }
        IntakeAction::MyDataDeleteYes => {
            let id = cx.actor.user.telegram_id;
            Intake(&cx.app.db).delete_health_data(id).await?;
            tracing::info!(user = id, "health data deleted on request");
            let text = match erasure::anonymise(&cx.app.db, id, cx.app.clock.now()).await? {
                Erased::Done => {
                    tracing::info!(user = id, "account anonymised on request");
                    tr!(l, lang, "mydata-erased-all")
                }
                Erased::Upcoming(n) => tr!(l, lang, "mydata-erased-health-only", count = n),
            };
            replace_or_send(cx, mid, text).await
        }
        _ => replace_or_send(cx, mid, tr!(l, lang, "mydata-kept")).await,
    }
}
