//! Consent (R-CLI-1) and the intake questionnaire (R-CLI-2): asked one question at a time
//! from `dialogues/questionnaire.toml`, with back, skip, multi-choice toggles edited in place,
//! free text kept as typed, progress saved after every answer (resume later, survives
//! restarts), and risk answers shown crisis help at once and flagged to the admins (R-CLI-3).

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::actions::IntakeAction;
use super::screening;
use crate::bot::callback::Action;
use crate::bot::html::escape;
use crate::bot::{timefmt, ChatDialogue, Cx, HandlerResult, State};
use crate::catalog::questionnaire::{option_key, question_key, Answer, AnswerError, QuestionKind, QuizProgress};
use crate::i18n::Lang;
use crate::store::intake::Intake;
use crate::store::outbox::OutboxMessage;
use crate::tr;

fn button(text: String, action: IntakeAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, Action::Intake(action).encode())
}

/// After /start: ask consent, or offer to start or continue the questionnaire.
pub async fn after_start(cx: &Cx) -> HandlerResult {
    let id = cx.actor.user.telegram_id;
    let intake = Intake(&cx.app.db);
    if intake.consent(id).await?.is_none() {
        return ask_consent(cx).await;
    }
    match intake.get(id).await? {
        Some(r) if r.completed_at.is_some() => Ok(()),
        Some(_) => invite(cx, IntakeAction::QuizStart, "intake-continue-button").await,
        None => invite(cx, IntakeAction::QuizStart, "intake-start-button").await,
    }
}

async fn invite(cx: &Cx, action: IntakeAction, button_key: &str) -> HandlerResult {
    let label = match button_key {
        "intake-continue-button" => tr!(cx.l(), cx.lang(), "intake-continue-button"),
        _ => tr!(cx.l(), cx.lang(), "intake-start-button"),
    };
    cx.send_with(
        tr!(cx.l(), cx.lang(), "intake-invite"),
        InlineKeyboardMarkup::new(vec![vec![button(label, action)]]),
    )
    .await?;
    Ok(())
}

/// Explains what is asked and why, and asks consent to process health data (R-CLI-1).
pub async fn ask_consent(cx: &Cx) -> HandlerResult {
    let kb = InlineKeyboardMarkup::new(vec![vec![
        button(
            tr!(cx.l(), cx.lang(), "intake-consent-accept"),
            IntakeAction::ConsentYes,
        ),
        button(
            tr!(cx.l(), cx.lang(), "intake-consent-decline"),
            IntakeAction::ConsentNo,
        ),
    ]]);
    cx.send_with(tr!(cx.l(), cx.lang(), "intake-consent"), kb).await?;
    Ok(())
}

/// `/questionnaire`: start, continue, or offer to redo a completed one.
pub async fn open(cx: &Cx, dialogue: &ChatDialogue) -> HandlerResult {
    let id = cx.actor.user.telegram_id;
    let intake = Intake(&cx.app.db);
    if intake.consent(id).await?.is_none() {
        return ask_consent(cx).await;
    }
    if let Some(r) = intake.get(id).await? {
        if r.completed_at.is_some() {
            let kb = InlineKeyboardMarkup::new(vec![vec![button(
                tr!(cx.l(), cx.lang(), "intake-restart-button"),
                IntakeAction::QuizRestart,
            )]]);
            cx.send_with(tr!(cx.l(), cx.lang(), "intake-already-complete"), kb)
                .await?;
            return Ok(());
        }
    }
    resume(cx, dialogue, false).await
}

/// Continues the saved progress (or starts) and sends the current question.
async fn resume(cx: &Cx, dialogue: &ChatDialogue, fresh: bool) -> HandlerResult {
    let quiz = &cx.app.catalog.questionnaire;
    let id = cx.actor.user.telegram_id;
    let intake = Intake(&cx.app.db);
    let saved = if fresh { None } else { intake.get(id).await? };
    // A questionnaire of an older version starts afresh.
    let progress = match saved {
        Some(r) if r.completed_at.is_none() && r.version == quiz.version => r.progress,
        _ => {
            let p = quiz.start();
            intake.save_progress(id, &p, None, false, cx.app.clock.now()).await?;
            p
        }
    };
    dialogue.update(State::Questionnaire).await?;
    let (text, kb) = question_view(cx, &progress);
    cx.send_with(text, kb).await?;
    Ok(())
}

/// The current question as text and buttons.
fn question_view(cx: &Cx, p: &QuizProgress) -> (String, InlineKeyboardMarkup) {
    let quiz = &cx.app.catalog.questionnaire;
    let lang = cx.lang();
    let l = cx.l();
    let Some(q) = quiz.question(p.current) else {
        return (tr!(l, lang, "stale-button"), InlineKeyboardMarkup::default());
    };
    let (n, total) = quiz.position(p);
    let mut text = format!(
        "{}\n\n<b>{}</b>",
        tr!(l, lang, "intake-progress", n = n, total = total),
        l.text(lang, &question_key(&q.id), None)
    );
    let idx = p.current;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    match q.kind {
        QuestionKind::Single => {
            for (i, o) in q.options.iter().enumerate() {
                rows.push(vec![button(
                    l.text(lang, &option_key(&q.id, o), None),
                    IntakeAction::QuizOption {
                        question: idx,
                        option: i,
                    },
                )]);
            }
        }
        QuestionKind::Multi => {
            text.push_str(&format!("\n\n{}", tr!(l, lang, "intake-multi-hint")));
            for (i, o) in q.options.iter().enumerate() {
                let mark = if p.ticked.contains(o) { "✅ " } else { "▫️ " };
                rows.push(vec![button(
                    format!("{mark}{}", l.text(lang, &option_key(&q.id, o), None)),
                    IntakeAction::QuizOption {
                        question: idx,
                        option: i,
                    },
                )]);
            }
            rows.push(vec![button(
                tr!(l, lang, "intake-done-button"),
                IntakeAction::QuizDone { question: idx },
            )]);
        }
        QuestionKind::Scale => {
            text.push_str(&format!("\n\n{}", tr!(l, lang, "intake-scale-hint")));
            let scale = |r: std::ops::RangeInclusive<u8>| -> Vec<InlineKeyboardButton> {
                r.map(|v| {
                    button(
                        v.to_string(),
                        IntakeAction::QuizScale {
                            question: idx,
                            value: v,
                        },
                    )
                })
                .collect()
            };
            rows.push(scale(0..=5));
            rows.push(scale(6..=10));
        }
        QuestionKind::Text => {
            text.push_str(&format!("\n\n{}", tr!(l, lang, "intake-text-hint", max = q.max_len)));
        }
    }
    let mut nav = Vec::new();
    if !p.history.is_empty() {
        nav.push(button(
            tr!(l, lang, "intake-back-button"),
            IntakeAction::QuizBack { question: idx },
        ));
    }
    if q.optional {
        nav.push(button(
            tr!(l, lang, "intake-skip-button"),
            IntakeAction::QuizSkip { question: idx },
        ));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

/// An answer in words, as the client gave it (free text escaped).
pub fn describe_answer(l: &crate::i18n::Locales, lang: Lang, question: &str, answer: &Answer) -> String {
    match answer {
        Answer::Options(opts) => opts
            .iter()
            .map(|o| l.text(lang, &option_key(question, o), None))
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Scale(v) => format!("{v}/10"),
        Answer::Text(t) => escape(t),
        Answer::Skipped => tr!(l, lang, "intake-skipped"),
    }
}

/// A typed message while the questionnaire is open.
pub async fn on_text(cx: &Cx, text: &str, dialogue: &ChatDialogue) -> HandlerResult {
    let quiz = &cx.app.catalog.questionnaire;
    let id = cx.actor.user.telegram_id;
    let intake = Intake(&cx.app.db);
    let Some(record) = intake.get(id).await?.filter(|r| r.completed_at.is_none()) else {
        dialogue.exit().await?;
        cx.send(tr!(cx.l(), cx.lang(), "unexpected-text")).await?;
        return Ok(());
    };
    let mut p = record.progress;
    let Some(q) = quiz.question(p.current).cloned() else {
        return resume(cx, dialogue, true).await;
    };
    if q.kind != QuestionKind::Text {
        cx.send(tr!(cx.l(), cx.lang(), "intake-error-use-buttons")).await?;
        return Ok(());
    }
    match quiz.answer(&mut p, Answer::Text(text.to_owned())) {
        Ok(done) => after_answer(cx, dialogue, &p, done, None).await,
        Err(AnswerError::TooLong) => {
            let len = text.trim().chars().count();
            cx.send(tr!(
                cx.l(),
                cx.lang(),
                "intake-error-too-long",
                max = q.max_len,
                len = len
            ))
            .await?;
            Ok(())
        }
        Err(_) => {
            cx.send(tr!(cx.l(), cx.lang(), "intake-error-empty")).await?;
            Ok(())
        }
    }
}

/// Saves the progress and moves on: next question, or the end.
async fn after_answer(
    cx: &Cx,
    dialogue: &ChatDialogue,
    p: &QuizProgress,
    done: bool,
    answered: Option<MessageId>,
) -> HandlerResult {
    let quiz = &cx.app.catalog.questionnaire;
    let id = cx.actor.user.telegram_id;
    let now = cx.app.clock.now();
    let risk = quiz.signals_risk(&p.answers);
    let intake = Intake(&cx.app.db);
    let was_risky = intake
        .get(id)
        .await?
        .is_some_and(|r| quiz.signals_risk(&r.progress.answers));
    intake.save_progress(id, p, done.then_some(now), risk, now).await?;
    if let (Some(mid), Some(&last)) = (answered, p.history.last()) {
        if let (Some(q), Some(a)) = (
            quiz.question(last),
            quiz.question(last).and_then(|q| p.answers.get(&q.id)),
        ) {
            let text = format!(
                "<b>{}</b>\n\n{}",
                cx.l().text(cx.lang(), &question_key(&q.id), None),
                tr!(
                    cx.l(),
                    cx.lang(),
                    "intake-your-answer",
                    answer = describe_answer(cx.l(), cx.lang(), &q.id, a)
                )
            );
            cx.bot.edit_message_text(cx.chat_id, mid, text).await?;
        }
    }
    if risk && !was_risky {
        // R-CLI-3: crisis help at once, and the admins are told (without the answers).
        cx.send(tr!(cx.l(), cx.lang(), "crisis-help")).await?;
        flag_risk(cx, "questionnaire").await?;
    }
    if done {
        dialogue.exit().await?;
        cx.send(tr!(cx.l(), cx.lang(), "intake-complete", tz = cx.tz().name()))
            .await?;
        // R-CLI-4: the explained recommendation at once, then the optional tests.
        super::recommend::show(cx).await?;
        return screening::offer(cx).await;
    }
    let (text, kb) = question_view(cx, p);
    cx.send_with(text, kb).await?;
    Ok(())
}

/// Tells the admin chat (through the outbox) that a client signalled risk: first name and a
/// way to contact them, never their answers (R-CLI-3).
pub async fn flag_risk(cx: &Cx, source: &'static str) -> HandlerResult {
    let id = cx.actor.user.telegram_id;
    let lang = cx.app.default_lang;
    let source_text = match source {
        "phq9" => tr!(cx.l(), lang, "admin-risk-source-phq9"),
        _ => tr!(cx.l(), lang, "admin-risk-source-questionnaire"),
    };
    let text = tr!(
        cx.l(),
        lang,
        "admin-risk-flag",
        name = escape(&cx.actor.user.first_name),
        source = source_text
    );
    let mut notice = OutboxMessage::new(cx.app.admin_chat_id, text);
    if let Ok(url) = url::Url::parse(&format!("tg://user?id={id}")) {
        notice = notice.keyboard(InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::url(
            tr!(cx.l(), lang, "admin-risk-contact"),
            url,
        )]]));
    }
    Intake(&cx.app.db)
        .flag_risk(id, source, &notice, cx.app.clock.now())
        .await?;
    Ok(())
}

/// Every intake button press: consent, questionnaire, tests, my data.
pub async fn on_callback(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    action: IntakeAction,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    use IntakeAction::*;
    match action {
        ConsentYes => {
            let now = cx.app.clock.now();
            Intake(&cx.app.db)
                .give_consent(cx.actor.user.telegram_id, cx.app.catalog.questionnaire.version, now)
                .await?;
            cx.bot.answer_callback_query(q.id.clone()).await?;
            let text = tr!(
                cx.l(),
                cx.lang(),
                "intake-consent-given",
                at = timefmt::local_time(now, cx.tz(), cx.lang())
            );
            replace_or_send(cx, mid, text).await?;
            resume(cx, dialogue, false).await
        }
        ConsentNo => {
            cx.bot.answer_callback_query(q.id.clone()).await?;
            replace_or_send(cx, mid, tr!(cx.l(), cx.lang(), "intake-consent-declined")).await
        }
        QuizStart | QuizRestart => {
            cx.bot.answer_callback_query(q.id.clone()).await?;
            if Intake(&cx.app.db).consent(cx.actor.user.telegram_id).await?.is_none() {
                return ask_consent(cx).await;
            }
            if let Some(m) = mid {
                cx.bot.edit_message_reply_markup(cx.chat_id, m).await?;
            }
            resume(cx, dialogue, action == QuizRestart).await
        }
        QuizOption { question, option } => on_quiz_press(cx, q, mid, question, dialogue, Press::Option(option)).await,
        QuizScale { question, value } => on_quiz_press(cx, q, mid, question, dialogue, Press::Scale(value)).await,
        QuizDone { question } => on_quiz_press(cx, q, mid, question, dialogue, Press::Done).await,
        QuizSkip { question } => on_quiz_press(cx, q, mid, question, dialogue, Press::Skip).await,
        QuizBack { question } => on_quiz_press(cx, q, mid, question, dialogue, Press::Back).await,
        TestStart(kind) => screening::start(cx, q, mid, kind, dialogue).await,
        TestSkip => screening::skip(cx, q, mid).await,
        TestAnswer { kind, item, value } => screening::answer(cx, q, mid, kind, item, value, dialogue).await,
        MyDataDelete | MyDataDeleteYes | MyDataDeleteNo => super::mydata::on_callback(cx, q, mid, action).await,
    }
}

enum Press {
    Option(usize),
    Scale(u8),
    Done,
    Skip,
    Back,
}

async fn on_quiz_press(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    question: usize,
    dialogue: &ChatDialogue,
    press: Press,
) -> HandlerResult {
    let quiz = &cx.app.catalog.questionnaire;
    let id = cx.actor.user.telegram_id;
    let record = Intake(&cx.app.db).get(id).await?;
    // Re-check the press: the questionnaire must be open at exactly this question.
    let Some(mut p) = record
        .filter(|r| r.completed_at.is_none() && r.version == quiz.version && r.progress.current == question)
        .map(|r| r.progress)
    else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "stale-button"))
            .await?;
        return Ok(());
    };
    let Some(current) = quiz.question(question).cloned() else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "stale-button"))
            .await?;
        return Ok(());
    };
    dialogue.update(State::Questionnaire).await?;
    let result = match press {
        Press::Option(i) => {
            let Some(option) = current.options.get(i).cloned() else {
                cx.bot
                    .answer_callback_query(q.id.clone())
                    .text(tr!(cx.l(), cx.lang(), "stale-button"))
                    .await?;
                return Ok(());
            };
            if current.kind == QuestionKind::Multi {
                if quiz.toggle(&mut p, &option).is_err() {
                    cx.bot
                        .answer_callback_query(q.id.clone())
                        .text(tr!(cx.l(), cx.lang(), "stale-button"))
                        .await?;
                    return Ok(());
                }
                Intake(&cx.app.db)
                    .save_progress(id, &p, None, quiz.signals_risk(&p.answers), cx.app.clock.now())
                    .await?;
                cx.bot.answer_callback_query(q.id.clone()).await?;
                if let Some(m) = mid {
                    let (_, kb) = question_view(cx, &p);
                    cx.bot.edit_message_reply_markup(cx.chat_id, m).reply_markup(kb).await?;
                }
                return Ok(());
            }
            quiz.answer(&mut p, Answer::Options(vec![option]))
        }
        Press::Scale(v) => quiz.answer(&mut p, Answer::Scale(v)),
        Press::Done => {
            let ticked = p.ticked.clone();
            quiz.answer(&mut p, Answer::Options(ticked))
        }
        Press::Skip => quiz.answer(&mut p, Answer::Skipped),
        Press::Back => {
            if !quiz.back(&mut p) {
                cx.bot
                    .answer_callback_query(q.id.clone())
                    .text(tr!(cx.l(), cx.lang(), "stale-button"))
                    .await?;
                return Ok(());
            }
            Intake(&cx.app.db)
                .save_progress(id, &p, None, quiz.signals_risk(&p.answers), cx.app.clock.now())
                .await?;
            cx.bot.answer_callback_query(q.id.clone()).await?;
            let (text, kb) = question_view(cx, &p);
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
    };
    match result {
        Ok(done) => {
            cx.bot.answer_callback_query(q.id.clone()).await?;
            after_answer(cx, dialogue, &p, done, mid).await
        }
        Err(AnswerError::NothingTicked) => {
            cx.bot
                .answer_callback_query(q.id.clone())
                .text(tr!(cx.l(), cx.lang(), "intake-error-nothing-ticked"))
                .await?;
            Ok(())
        }
        Err(_) => {
            cx.bot
                .answer_callback_query(q.id.clone())
                .text(tr!(cx.l(), cx.lang(), "stale-button"))
                .await?;
            Ok(())
        }
    }
}

/// Replaces the message a button belongs to (or sends a new one).
pub async fn replace_or_send(cx: &Cx, mid: Option<MessageId>, text: String) -> HandlerResult {
    match mid {
        Some(m) => {
            cx.bot.edit_message_text(cx.chat_id, m, text).await?;
        }
        None => {
            cx.send(text).await?;
        }
    }
    Ok(())
}
