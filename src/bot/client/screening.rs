//! PHQ-9 and GAD-7 (R-CLI-3): offered, never forced; one message edited in place from question
//! to question, four answer buttons each; scored by the domain with the published bands; the
//! client sees the score and band in plain words. PHQ-9 item 9 above 0 shows crisis help at
//! once and flags the case to the admins.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::actions::IntakeAction;
use super::intake::{ask_consent, flag_risk, replace_or_send};
use crate::bot::callback::Action;
use crate::bot::{ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{score, TestKind};
use crate::store::intake::Intake;
use crate::tr;

fn button(text: String, action: IntakeAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, Action::Intake(action).encode())
}

pub fn test_name(cx: &Cx, kind: TestKind) -> String {
    match kind {
        TestKind::Phq9 => tr!(cx.l(), cx.lang(), "test-name-phq9"),
        TestKind::Gad7 => tr!(cx.l(), cx.lang(), "test-name-gad7"),
    }
}

fn item_key(kind: TestKind, item: usize) -> String {
    format!("{}-item-{}", kind.as_str(), item + 1)
}

fn test_button(cx: &Cx, kind: TestKind) -> InlineKeyboardButton {
    let label = match kind {
        TestKind::Phq9 => tr!(cx.l(), cx.lang(), "tests-phq9-button"),
        TestKind::Gad7 => tr!(cx.l(), cx.lang(), "tests-gad7-button"),
    };
    button(label, IntakeAction::TestStart(kind))
}

/// `/tests`, and after the questionnaire: what the tests are, with a button each.
pub async fn offer(cx: &Cx) -> HandlerResult {
    if Intake(&cx.app.db).consent(cx.actor.user.telegram_id).await?.is_none() {
        return ask_consent(cx).await;
    }
    let kb = InlineKeyboardMarkup::new(vec![
        vec![test_button(cx, TestKind::Phq9), test_button(cx, TestKind::Gad7)],
        vec![button(
            tr!(cx.l(), cx.lang(), "tests-skip-button"),
            IntakeAction::TestSkip,
        )],
    ]);
    cx.send_with(tr!(cx.l(), cx.lang(), "tests-offer"), kb).await?;
    Ok(())
}

pub async fn skip(cx: &Cx, q: &CallbackQuery, mid: Option<MessageId>) -> HandlerResult {
    cx.bot.answer_callback_query(q.id.clone()).await?;
    replace_or_send(cx, mid, tr!(cx.l(), cx.lang(), "tests-skipped")).await
}

fn item_view(cx: &Cx, kind: TestKind, item: usize) -> (String, InlineKeyboardMarkup) {
    let text = format!(
        "{}\n\n{}\n\n<b>{}</b>",
        tr!(
            cx.l(),
            cx.lang(),
            "tests-question",
            test = test_name(cx, kind),
            n = item + 1,
            total = kind.item_count()
        ),
        tr!(cx.l(), cx.lang(), "tests-intro"),
        cx.l().text(cx.lang(), &item_key(kind, item), None)
    );
    let labels = [
        tr!(cx.l(), cx.lang(), "test-answer-0"),
        tr!(cx.l(), cx.lang(), "test-answer-1"),
        tr!(cx.l(), cx.lang(), "test-answer-2"),
        tr!(cx.l(), cx.lang(), "test-answer-3"),
    ];
    let rows = labels
        .into_iter()
        .enumerate()
        .map(|(v, label)| {
            vec![button(
                label,
                IntakeAction::TestAnswer {
                    kind,
                    item,
                    value: v as u8,
                },
            )]
        })
        .collect::<Vec<_>>();
    (text, InlineKeyboardMarkup::new(rows))
}

/// Starts a test from its first question (a second start restarts it).
pub async fn start(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    kind: TestKind,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    cx.bot.answer_callback_query(q.id.clone()).await?;
    if Intake(&cx.app.db).consent(cx.actor.user.telegram_id).await?.is_none() {
        return ask_consent(cx).await;
    }
    dialogue
        .update(State::Screening {
            kind,
            answers: Vec::new(),
        })
        .await?;
    if let Some(m) = mid {
        // The offer stays readable; the test gets its own message.
        cx.bot.edit_message_reply_markup(cx.chat_id, m).await?;
    }
    let (text, kb) = item_view(cx, kind, 0);
    cx.send_with(text, kb).await?;
    Ok(())
}

/// One answer: checked against the test in progress, then the next question or the result.
#[allow(clippy::too_many_arguments)]
pub async fn answer(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    kind: TestKind,
    item: usize,
    value: u8,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let state = dialogue.get().await?.unwrap_or_default();
    let mut answers = match state {
        State::Screening { kind: k, answers } if k == kind && answers.len() == item && value <= 3 => answers,
        _ => {
            cx.bot
                .answer_callback_query(q.id.clone())
                .text(tr!(cx.l(), cx.lang(), "stale-button"))
                .await?;
            return Ok(());
        }
    };
    cx.bot.answer_callback_query(q.id.clone()).await?;
    answers.push(value);
    if answers.len() < kind.item_count() {
        dialogue.update(State::Screening { kind, answers }).await?;
        let (text, kb) = item_view(cx, kind, item + 1);
        match mid {
            Some(m) => {
                cx.bot.edit_message_text(cx.chat_id, m, text).reply_markup(kb).await?;
            }
            None => {
                cx.send_with(text, kb).await?;
            }
        }
        return Ok(());
    }
    dialogue.exit().await?;
    let result = match score(kind, &answers) {
        Ok(r) => r,
        Err(e) => {
            cx.send(cx.l().text(cx.lang(), e.key(), None)).await?;
            return Ok(());
        }
    };
    let saved = Intake(&cx.app.db)
        .save_test(cx.actor.user.telegram_id, &result, &answers, cx.app.clock.now())
        .await?;
    let mut text = format!(
        "{}\n\n{}",
        tr!(
            cx.l(),
            cx.lang(),
            "tests-result",
            test = test_name(cx, kind),
            score = u32::from(result.total),
            max = u32::from(kind.max_score()),
            band = cx.l().text(cx.lang(), result.band.key(), None)
        ),
        tr!(cx.l(), cx.lang(), "tests-result-note")
    );
    if !saved {
        text.push_str(&format!("\n\n{}", tr!(cx.l(), cx.lang(), "tests-not-saved")));
    }
    let other = match kind {
        TestKind::Phq9 => TestKind::Gad7,
        TestKind::Gad7 => TestKind::Phq9,
    };
    let kb = InlineKeyboardMarkup::new(vec![vec![test_button(cx, other)]]);
    match mid {
        Some(m) => {
            cx.bot.edit_message_text(cx.chat_id, m, text).reply_markup(kb).await?;
        }
        None => {
            cx.send_with(text, kb).await?;
        }
    }
    if result.risk {
        cx.send(tr!(cx.l(), cx.lang(), "crisis-help")).await?;
        flag_risk(cx, "phq9").await?;
    }
    // R-CLI-4: a saved result can change the order (moderate and above: individual first).
    if saved {
        super::recommend::show_after_test(cx).await?;
    }
    Ok(())
}
