//! The client's intake end to end (R-CLI-1..3, R-CLI-7): consent, the questionnaire with
//! branching, back, skip, free text, wrong answers and resume after a restart; PHQ-9 and
//! GAD-7; risk signals; /mydata and deletion.

use proego::catalog::questionnaire::Answer;
use proego::store::intake::Intake;

use crate::support::app::{TestApp, ADMIN_CHAT_ID};
use crate::support::fake_bot_api::{ChatMessage, TestUser};

/// /start, then agree: returns the first question.
async fn consent(u: &TestUser, agree: &str) -> ChatMessage {
    u.send_command("/start");
    let msgs = u.wait_bot_messages(2).await;
    let ask = &msgs[1];
    assert!(
        ask.html().contains("privacy"),
        "the privacy policy is linked: {}",
        ask.html()
    );
    u.press(ask, agree);
    let edited = u.wait_edit(ask.message_id).await;
    assert!(!edited.text().is_empty());
    u.wait_bot_message().await
}

#[tokio::test]
async fn the_whole_questionnaire_in_russian_with_branching_text_and_completion() {
    let app = TestApp::start().await;
    let u = app.api.user(2001, "Анна", "ru");
    let q1 = consent(&u, "Согласен").await;
    assert!(q1.text().contains("Вопрос 1 из"), "{}", q1.text());
    assert!(q1.text().contains("С чем вы хотели бы поработать"));
    // Multi-choice: toggles edit the same message, "Done" moves on.
    u.press(&q1, "Тревога");
    let q1 = u.wait_edit(q1.message_id).await;
    assert!(q1.has_button("✅ Тревога"));
    u.press(&q1, "Утрата");
    let q1 = u.wait_edit(q1.message_id).await;
    u.press(&q1, "Готово");
    let q2 = u.wait_bot_message().await;
    let answered = app.api.chat(2001).message(q1.message_id).unwrap();
    assert!(
        answered
            .text()
            .contains("Ваш ответ: Тревога, беспокойство, Утрата, горе"),
        "{}",
        answered.text()
    );
    assert!(answered.buttons().is_empty());
    // Free text, kept as typed.
    assert!(q2.text().contains("своими словами"));
    u.send_text("Не сплю <по ночам> & тревожусь");
    let q3 = u.wait_bot_message().await;
    u.press(&q3, "4");
    let risk = u.wait_bot_message().await;
    u.press(&risk, "Нет");
    let format = u.wait_bot_message().await;
    u.press(&format, "Терапевтическая группа");
    let group_ready = u.wait_bot_message().await;
    assert!(
        group_ready.text().contains("в группе"),
        "branch: group readiness is asked"
    );
    u.press(&group_ready, "Да");
    let budget = u.wait_bot_message().await;
    u.press(&budget, "До 4 000");
    let time = u.wait_bot_message().await;
    u.press(&time, "Вечером");
    let time = u.wait_edit(time.message_id).await;
    u.press(&time, "Готово");
    let gender = u.wait_bot_message().await;
    u.press(&gender, "Пропустить");
    let language = u.wait_bot_message().await;
    u.press(&language, "На русском");
    let done = u.wait_bot_message().await;
    assert!(done.text().contains("анкета заполнена"), "{}", done.text());
    assert!(done.text().contains("Europe/Moscow"));
    // R-CLI-4: the recommendation comes at once (an empty catalogue here: said plainly).
    let rec = u.wait_bot_message().await;
    assert!(rec.text().contains("Пока никто не подходит"), "{}", rec.text());
    let offer = u.wait_bot_message().await;
    assert!(offer.has_button("PHQ-9") && offer.has_button("GAD-7"));

    let record = Intake(&app.db.db).get(2001).await.unwrap().unwrap();
    assert!(record.completed_at.is_some());
    assert_eq!(record.version, 1);
    assert!(!record.risk);
    assert_eq!(
        record.progress.answers["details"],
        Answer::Text("Не сплю <по ночам> & тревожусь".into())
    );
    assert_eq!(record.progress.answers["gender"], Answer::Skipped);
    assert_eq!(
        record.progress.answers["group_ready"],
        Answer::Options(vec!["yes".into()])
    );

    u.send_command("/mydata");
    let data = u.wait_bot_message().await;
    assert!(
        data.text().contains("Не сплю <по ночам> & тревожусь"),
        "shown as typed: {}",
        data.text()
    );
    assert!(data.text().contains("Согласие на обработку данных о здоровье: дано"));
    app.finish().await;
}

#[tokio::test]
async fn back_skip_wrong_answers_and_resume_after_a_restart_in_english() {
    let mut app = TestApp::start().await;
    let u = app.api.user(2002, "Mark", "en");
    u.send_command("/questionnaire");
    let ask = u.wait_bot_message().await;
    assert!(ask.text().contains("consent"), "consent first: {}", ask.text());
    u.press(&ask, "I agree");
    u.wait_edit(ask.message_id).await;
    let q1 = u.wait_bot_message().await;
    u.press(&q1, "Done");
    let answer = app.api.wait_callback_answer(&u.press(&q1, "Done")).await;
    assert!(
        answer.text.unwrap_or_default().contains("Tick at least one"),
        "nothing ticked"
    );
    u.press(&q1, "Burnout");
    let q1 = u.wait_edit(q1.message_id).await;
    u.press(&q1, "Done");
    let q2 = u.wait_bot_message().await;
    u.send_text(&"a".repeat(5000));
    assert!(u
        .wait_bot_message()
        .await
        .text()
        .contains("longer than 1000 characters (5000 now)"));
    // Back to the first question, in place.
    u.press(&q2, "Back");
    let back = u.wait_edit(q2.message_id).await;
    assert!(back.text().contains("What would you like to work on"));
    assert!(
        back.has_button("✅ Burnout"),
        "the earlier choice stands ticked: {:?}",
        back.buttons()
    );
    u.press(&back, "Done");
    let q2 = u.wait_bot_message().await;
    u.press(&q2, "Skip");
    let scale = u.wait_bot_message().await;
    u.send_text("7");
    assert!(u.wait_bot_message().await.text().contains("answered with the buttons"));
    // A stale button from an earlier question changes nothing.
    let stale = app.forged_press(&u, q2.message_id, "i:b:1").await;
    assert!(stale.text.unwrap_or_default().contains("no longer works"));
    assert!(
        q2.buttons().iter().flatten().any(|(t, _)| t.contains("Back")),
        "it was a real button once"
    );
    // Leave, restart the bot, come back: the same question.
    u.send_command("/cancel");
    assert!(u.wait_bot_message().await.text().contains("questionnaire is saved"));
    app.restart().await;
    u.send_command("/questionnaire");
    let again = u.wait_bot_message().await;
    assert_eq!(again.text(), scale.text(), "resumes where the client stopped");
    u.press(&again, "7");
    let risk = u.wait_bot_message().await;
    assert!(risk.text().contains("harming yourself"));
    let record = Intake(&app.db.db).get(2002).await.unwrap().unwrap();
    assert_eq!(record.progress.answers["state"], Answer::Scale(7));
    assert_eq!(record.progress.answers["details"], Answer::Skipped);
    assert_eq!(
        record.progress.answers["request"],
        Answer::Options(vec!["burnout".into()])
    );
    app.finish().await;
}

#[tokio::test]
async fn without_consent_nothing_about_the_state_is_asked_or_stored() {
    let app = TestApp::start().await;
    let u = app.api.user(2003, "Ivan", "en");
    u.send_command("/start");
    let msgs = u.wait_bot_messages(2).await;
    u.press(&msgs[1], "Not now");
    let edited = u.wait_edit(msgs[1].message_id).await;
    assert!(edited.text().contains("will not ask"));
    u.send_command("/tests");
    assert!(u.wait_bot_message().await.text().contains("consent"));
    // A forged test answer changes nothing.
    let forged = app.forged_press(&u, msgs[1].message_id, "i:a:phq9:0:3").await;
    assert!(forged.text.unwrap_or_default().contains("no longer works"));
    u.send_command("/mydata");
    let data = u.wait_bot_message().await;
    assert!(data.text().contains("No consent"));
    // No health data to delete; the account itself can still be anonymised (R-CLI-7).
    assert_eq!(data.button_texts(), vec!["Delete my data".to_owned()]);
    let intake = Intake(&app.db.db);
    assert!(intake.consent(2003).await.unwrap().is_none());
    assert!(intake.get(2003).await.unwrap().is_none());
    assert!(intake.tests(2003).await.unwrap().is_empty());
    app.finish().await;
}

async fn take_test(u: &TestUser, offer: &ChatMessage, button: &str, answers: &[&str]) -> ChatMessage {
    u.press(offer, button);
    let mut m = u.wait_bot_message().await;
    for (i, a) in answers.iter().enumerate() {
        u.press(&m, a);
        m = u.wait_edit(m.message_id).await;
        if i + 1 < answers.len() {
            assert!(
                m.text().contains(&format!("{} of", i + 2)) || m.text().contains(&format!("{} из", i + 2)),
                "{}",
                m.text()
            );
        }
    }
    m
}

#[tokio::test]
async fn phq9_with_risk_and_gad7_scores_and_bands() {
    let app = TestApp::start().await;
    let _admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let u = app.api.user(2004, "Olga", "en");
    let q1 = consent(&u, "I agree").await;
    assert!(q1.text().contains("Question 1"));
    u.send_command("/tests");
    let offer = u.wait_bot_message().await;
    // 1+1+1+1+2+2+1+0+1 = 10: moderate; item 9 above 0: risk.
    let result = take_test(
        &u,
        &offer,
        "Take PHQ-9",
        &[
            "Several days",
            "Several days",
            "Several days",
            "Several days",
            "More than half",
            "More than half",
            "Several days",
            "Not at all",
            "Several days",
        ],
    )
    .await;
    assert!(
        result.text().contains("PHQ-9 (mood): 10 of 27, moderate symptoms"),
        "{}",
        result.text()
    );
    assert!(result.text().contains("not a diagnosis"));
    let crisis = u.wait_bot_message().await;
    assert!(crisis.text().contains("112"), "crisis help at once: {}", crisis.text());
    let flag = app
        .api
        .wait_for("the admin flag", |a| a.chat(ADMIN_CHAT_ID).last_bot_message())
        .await;
    assert!(
        flag.text().contains("Olga") && flag.text().contains("PHQ-9"),
        "{}",
        flag.text()
    );
    assert!(!flag.text().contains("Several days"), "no answers in the flag");
    assert_eq!(flag.buttons()[0][0].1, "tg://user?id=2004");

    let gad = take_test(&u, &result, "Take GAD-7", &["Nearly every day"; 7]).await;
    assert!(
        gad.text().contains("GAD-7 (anxiety): 21 of 21, severe"),
        "{}",
        gad.text()
    );
    let tests = Intake(&app.db.db).tests(2004).await.unwrap();
    assert_eq!(tests.len(), 2);
    assert!(tests.iter().any(|t| t.total == 10 && t.risk));
    app.finish().await;
}

#[tokio::test]
async fn a_risk_answer_in_the_questionnaire_shows_help_at_once_and_flags_the_admins() {
    let app = TestApp::start().await;
    let _admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let u = app.api.user(2005, "Вера", "ru");
    let q1 = consent(&u, "Согласен").await;
    u.press(&q1, "Выгорание");
    let q1 = u.wait_edit(q1.message_id).await;
    u.press(&q1, "Готово");
    let q2 = u.wait_bot_message().await;
    u.press(&q2, "Пропустить");
    let q3 = u.wait_bot_message().await;
    u.press(&q3, "2");
    let risk = u.wait_bot_message().await;
    u.press(&risk, "Иногда");
    let crisis = u.wait_bot_message().await;
    assert!(
        crisis.text().contains("вы не одни") && crisis.text().contains("112"),
        "{}",
        crisis.text()
    );
    let next = u.wait_bot_message().await;
    assert!(
        next.text().contains("формат"),
        "the questionnaire goes on: {}",
        next.text()
    );
    let flag = app
        .api
        .wait_for("the admin flag", |a| a.chat(ADMIN_CHAT_ID).last_bot_message())
        .await;
    assert!(
        flag.text().contains("Вера") && flag.text().contains("ответ в анкете"),
        "{}",
        flag.text()
    );
    assert!(Intake(&app.db.db).get(2005).await.unwrap().unwrap().risk);
    app.finish().await;
}

#[tokio::test]
async fn mydata_deletes_health_data_after_confirmation() {
    let app = TestApp::start().await;
    let u = app.api.user(2006, "Nina", "en");
    let q1 = consent(&u, "I agree").await;
    u.press(&q1, "Loss");
    u.wait_edit(q1.message_id).await;
    u.send_command("/mydata");
    let data = u.wait_bot_message().await;
    assert!(data.text().contains("not finished"));
    u.press(&data, "Delete my data");
    let confirm = u.wait_bot_message().await;
    u.press(&confirm, "No, keep");
    assert!(u
        .wait_edit(confirm.message_id)
        .await
        .text()
        .contains("nothing was deleted"));
    assert!(Intake(&app.db.db).consent(2006).await.unwrap().is_some());
    u.press(&data, "Delete my data");
    let confirm = u.wait_bot_message().await;
    u.press(&confirm, "Yes, delete");
    assert!(u
        .wait_edit(confirm.message_id)
        .await
        .text()
        .contains("health data is deleted"));
    let intake = Intake(&app.db.db);
    assert!(intake.consent(2006).await.unwrap().is_none());
    assert!(intake.get(2006).await.unwrap().is_none());
    // The old questionnaire buttons are stale now.
    let stale = app.forged_press(&u, q1.message_id, "i:d:0").await;
    assert!(stale.text.unwrap_or_default().contains("no longer works"));
    app.finish().await;
}
