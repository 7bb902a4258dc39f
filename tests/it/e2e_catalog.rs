//! Recommendations (R-CLI-4) and the catalogue end to end, on a seeded catalogue: the expected
//! top three with their "why" in Russian and English, nobody fitting, filters and pages.

use proego::store::Db;

use crate::store_catalog::{catalogue, Seeded};
use crate::support::app::TestApp;
use crate::support::fake_bot_api::{ChatMessage, TestUser};
use crate::support::seed;

const NB: char = '\u{a0}';

/// Words of one language for the questionnaire's buttons.
struct Words {
    /// The answer to the risk question.
    risk: &'static str,
    agree: &'static str,
    done: &'static str,
    skip: &'static str,
    no: &'static str,
}

const RU: Words = Words {
    risk: "Нет",
    agree: "Согласен",
    done: "Готово",
    skip: "Пропустить",
    no: "Нет",
};
const EN: Words = Words {
    risk: "No",
    agree: "I agree",
    done: "Done",
    skip: "Skip",
    no: "No",
};

/// Consent and the whole questionnaire; returns the recommendation message.
async fn questionnaire(
    u: &TestUser,
    w: &Words,
    topics: &[&str],
    format: &str,
    budget: &str,
    time: &str,
    language: &str,
) -> ChatMessage {
    u.send_command("/start");
    let msgs = u.wait_bot_messages(2).await;
    u.press(&msgs[1], w.agree);
    u.wait_edit(msgs[1].message_id).await;
    let mut q = u.wait_bot_message().await;
    for t in topics {
        u.press(&q, t);
        q = u.wait_edit(q.message_id).await;
    }
    u.press(&q, w.done);
    let details = u.wait_bot_message().await;
    u.press(&details, w.skip);
    let state = u.wait_bot_message().await;
    u.press(&state, "7");
    let risk = u.wait_bot_message().await;
    u.press(&risk, w.risk);
    let mut f = u.wait_bot_message().await;
    if f.text().contains("112") {
        // R-CLI-3: crisis help at once, then the questionnaire goes on.
        f = u.wait_bot_message().await;
    }
    u.press(&f, format);
    let mut b = u.wait_bot_message().await;
    if b.buttons()
        .iter()
        .flatten()
        .any(|(t, _)| t == w.no || t.contains("Скорее") || t.contains("Rather"))
    {
        // Group readiness (asked when a group is possible).
        let yes = b.buttons()[0][0].0.clone();
        u.press(&b, &yes);
        b = u.wait_bot_message().await;
    }
    u.press(&b, budget);
    let t = u.wait_bot_message().await;
    u.press(&t, time);
    let t = u.wait_edit(t.message_id).await;
    u.press(&t, w.done);
    let gender = u.wait_bot_message().await;
    u.press(&gender, w.skip);
    let lang = u.wait_bot_message().await;
    u.press(&lang, language);
    let _done = u.wait_bot_message().await;
    let rec = u.wait_bot_message().await;
    let offer = u.wait_bot_message().await;
    assert!(
        offer.has_button("PHQ-9"),
        "the tests are offered after: {}",
        offer.text()
    );
    rec
}

fn datas(m: &ChatMessage) -> Vec<String> {
    m.buttons().iter().flatten().map(|(_, d)| d.clone()).collect()
}

async fn seeded(app: &TestApp) -> Seeded {
    let db: &Db = &app.db.db;
    catalogue(db).await
}

#[tokio::test]
async fn the_recommendation_in_russian_names_the_top_three_and_why() {
    let app = TestApp::start().await;
    let s = seeded(&app).await;
    let u = app.api.user(3001, "Ирина", "ru");
    let rec = questionnaire(
        &u,
        &RU,
        &["Тревога", "Выгорание"],
        "Индивидуальные",
        "До 4 000",
        "Вечером",
        "На русском",
    )
    .await;
    let expected = format!(
        "Вот кто может вам подойти по вашим ответам:\n\n\
         1. Анна Терапевтова — 3{NB}500{NB}₽ за сессию\n\
         Почему: ваш запрос: «Тревога, беспокойство», «Выгорание, работа» · индивидуальные сессии, как вы хотели · в пределах вашего бюджета · 3 свободных окна в удобное вам время за 2 недели · сессии на русском\n\n\
         2. Борис Терапевтова — 5{NB}000{NB}₽ за сессию\n\
         Почему: ваш запрос: «Тревога, беспокойство» · индивидуальные сессии, как вы хотели · сессии на русском\n\n\
         3. Вера Терапевтова — 2{NB}000{NB}₽ за сессию\n\
         Почему: индивидуальные сессии, как вы хотели · в пределах вашего бюджета · 1 свободное окно в удобное вам время за 2 недели · сессии на русском\n\n\
         Группы, которые подходят:\n\n\
         Спокойнее (КПТ) — 1{NB}500{NB}₽ за встречу, свободных мест: 10\n\
         Почему: ваш запрос: «Тревога, беспокойство» · в пределах вашего бюджета · 2 свободных окна в удобное вам время за 2 недели · сессии на русском"
    );
    assert_eq!(rec.text(), expected);
    let program_button = datas(&rec).get(3).cloned().unwrap_or_default();
    assert!(program_button.starts_with("cb:g:"), "{program_button}");
    assert_eq!(
        datas(&rec),
        vec![
            format!("cb:c:{}", s.anna),
            format!("cb:c:{}", s.boris),
            format!("cb:c:{}", s.vera),
            program_button,
            "ct:n".to_owned()
        ],
        "a card button each (never the suspended or pending one), an \"Open program\" button, then the catalogue"
    );
    assert!(rec.has_button("Программа: Спокойнее"));
    assert!(rec.has_button("Анна Терапевтова: профиль и время"));
    assert!(!datas(&rec).contains(&format!("cb:c:{}", s.suspended)));
    assert!(!datas(&rec).contains(&format!("cb:c:{}", s.pending)));
    // /recommend says the same again; "Whole catalogue" opens a fresh catalogue message.
    u.send_command("/recommend");
    assert_eq!(u.wait_bot_message().await.text(), expected);
    u.press(&rec, "Весь каталог");
    let cat = u.wait_bot_message().await;
    assert!(cat.text().contains("Специалисты"), "{}", cat.text());
    app.finish().await;
}

#[tokio::test]
async fn the_recommendation_in_english_with_the_same_answers() {
    let app = TestApp::start().await;
    let s = seeded(&app).await;
    let u = app.api.user(3002, "Kate", "en");
    let rec = questionnaire(
        &u,
        &EN,
        &["Anxiety", "Burnout"],
        "Individual",
        "Up to RUB 4,000",
        "Evenings",
        "Russian",
    )
    .await;
    let expected = format!(
        "Based on your answers, these specialists may suit you:\n\n\
         1. Анна Терапевтова — RUB{NB}3,500 per session\n\
         Why: your request: “Anxiety, worry”, “Burnout, work” · individual sessions, as you wished · within your budget · 3 free times that suit you in the next 2 weeks · sessions in Russian\n\n\
         2. Борис Терапевтова — RUB{NB}5,000 per session\n\
         Why: your request: “Anxiety, worry” · individual sessions, as you wished · sessions in Russian\n\n\
         3. Вера Терапевтова — RUB{NB}2,000 per session\n\
         Why: individual sessions, as you wished · within your budget · 1 free time that suits you in the next 2 weeks · sessions in Russian\n\n\
         Groups that fit:\n\n\
         Спокойнее (CBT) — RUB{NB}1,500 per meeting, free places: 10\n\
         Why: your request: “Anxiety, worry” · within your budget · 2 free times that suit you in the next 2 weeks · sessions in Russian"
    );
    assert_eq!(rec.text(), expected);
    assert_eq!(
        datas(&rec)[..3],
        [
            format!("cb:c:{}", s.anna),
            format!("cb:c:{}", s.boris),
            format!("cb:c:{}", s.vera)
        ]
    );
    assert!(rec.has_button("Whole catalogue"));
    app.finish().await;
}

#[tokio::test]
async fn nobody_fits_is_said_plainly_with_the_catalogue() {
    let app = TestApp::start().await;
    seeded(&app).await;
    let u = app.api.user(3003, "Tom", "en");
    // "Something else", a group, up to 2,500, mornings, in English: nobody reaches the minimum.
    let rec = questionnaire(
        &u,
        &EN,
        &["Something else"],
        "A therapy group",
        "Up to RUB 2,500",
        "Mornings",
        "English",
    )
    .await;
    assert!(
        rec.text().starts_with("Nobody fits all of your answers yet."),
        "{}",
        rec.text()
    );
    assert_eq!(datas(&rec), vec!["ct:n".to_owned()]);
    app.finish().await;
}

#[tokio::test]
async fn recommend_before_the_questionnaire_points_to_it() {
    let app = TestApp::start().await;
    let u = app.api.user(3004, "Лев", "ru");
    u.send_command("/recommend");
    let m = u.wait_bot_message().await;
    assert!(
        m.text().contains("/questionnaire") && m.text().contains("/therapists"),
        "{}",
        m.text()
    );
    app.finish().await;
}

#[tokio::test]
async fn the_catalogue_pages_and_filters_edit_one_message_without_consent() {
    let app = TestApp::start().await;
    let s = seeded(&app).await;
    let now = app.clock_now();
    for (tg, name) in [(9111, "Дина"), (9112, "Ева"), (9113, "Жанна")] {
        seed::active_therapist(&app.db.db, tg, name, None, now).await;
    }
    let u = app.api.user(3005, "Олег", "ru");
    u.send_command("/therapists");
    let page = u.wait_bot_message().await;
    assert!(page.text().contains("страница 1 из 2"), "{}", page.text());
    assert!(
        page.text().contains(&format!(
            "Анна Терапевтова — 3{NB}500{NB}₽; ближайшее время: 19:00, 28.11.2026 (Europe/Moscow)"
        )),
        "{}",
        page.text()
    );
    assert!(page
        .text()
        .contains("Дина Терапевтова — цена не указана; ближайшее время: свободного времени пока нет"));
    assert!(!page.text().contains("Сергей") && !page.text().contains("Ждущий"));
    assert_eq!(
        datas(&page)[..5],
        [s.anna, s.boris, s.vera, s.gleb, s.pending + 1].map(|id| format!("cb:c:{id}"))
    );
    assert!(page.has_button("Тема: все") && page.has_button("Цена: любая"));
    u.press(&page, "Дальше");
    let page2 = u.wait_edit(page.message_id).await;
    assert!(page2.text().contains("страница 2 из 2") && page2.text().contains("Ева Терапевтова"));
    assert!(page2.has_button("◀ Назад") && !page2.has_button("Дальше ▶"));
    // A press whose message's buttons are unknown (Telegram always sends them; a forged
    // update does not) gets a fresh page rather than a possibly identical edit.
    let again = app.forged_press(&u, page.message_id, "ct:1.0.0.0.0").await;
    assert!(again.text.is_none());
    let fresh = u.wait_bot_message().await;
    assert!(fresh.text().contains("страница 2 из 2"));
    // The second tap on an already shown view (Telegram sends the message as it is now) edits
    // nothing: "Back" then the same view again through its own button.
    u.press(&fresh, "Назад");
    let back = u.wait_edit(fresh.message_id).await;
    assert!(back.text().contains("страница 1 из 2"));
    u.press(&page2, "Тема: все");
    let anxiety = u.wait_edit(page.message_id).await;
    assert!(anxiety.has_button("Тема: Тревога"), "{:?}", anxiety.buttons());
    assert_eq!(
        datas(&anxiety)[..3],
        [s.anna, s.boris, s.gleb].map(|id| format!("cb:c:{id}"))
    );
    assert!(anxiety.text().contains("страница 1 из 1"));
    u.press(&anxiety, "Цена: любая");
    let cheap = u.wait_edit(page.message_id).await;
    assert!(
        cheap.text().contains("С такими фильтрами никого нет"),
        "{}",
        cheap.text()
    );
    u.press(&cheap, "Цена: до");
    let mid = u.wait_edit(page.message_id).await;
    assert_eq!(datas(&mid)[..2], [s.anna, s.gleb].map(|id| format!("cb:c:{id}")));
    // Format: individual sessions (only Anna ticked it); approach: the first one, psychodynamic.
    u.press(&mid, "Формат: все");
    let individual = u.wait_edit(page.message_id).await;
    assert!(individual.has_button("Формат: Индивидуальные сессии"));
    assert_eq!(datas(&individual)[0], format!("cb:c:{}", s.anna));
    assert!(individual.text().contains("Анна") && !individual.text().contains("Глеб"));
    u.press(&individual, "Подход: все");
    let none = u.wait_edit(page.message_id).await;
    assert!(none.has_button("Подход: Психодинамический") && none.text().contains("никого нет"));
    // Group programs: title, approach, the next weekly meeting in the client's zone, price, places.
    u.press(&none, "Групповые программы");
    let programs = u.wait_bot_message().await;
    assert_eq!(
        programs.text(),
        format!(
            "Групповые программы (время — в вашем поясе):\n\n\
             Спокойнее (КПТ) — раз в неделю, ближайшая встреча: 19:00, 02.12.2026 (Europe/Moscow); 1{NB}500{NB}₽ за встречу; свободных мест: 10"
        )
    );
    u.send_command("/programs_list");
    assert_eq!(u.wait_bot_message().await.text(), programs.text());
    // Forged views are answered as stale and change nothing.
    for forged in [
        "ct:9.0.0.0.0",
        "ct:0.99.0.0.0",
        "ct:0.0.11.0.0",
        "ct:0.0.0.3.0",
        "ct:0.0.0.0.4",
        "ct:x",
        "ct:1.2",
        "ct:1.2.3.4",
    ] {
        let a = app.forged_press(&u, page.message_id, forged).await;
        assert!(a.text.unwrap_or_default().contains("больше не действует"), "{forged}");
    }
    app.finish().await;
}

#[tokio::test]
async fn with_a_risk_answer_individual_sessions_come_first_and_gently() {
    let app = TestApp::start().await;
    let _admins = app.api.group(crate::support::app::ADMIN_CHAT_ID, "proEgo admins");
    let s = seeded(&app).await;
    let u = app.api.user(3006, "Нина", "ru");
    let words = Words {
        risk: "Иногда", ..RU
    };
    let rec = questionnaire(
        &u,
        &words,
        &["Тревога", "Выгорание"],
        "Подойдёт любой",
        "До 4 000",
        "Вечером",
        "На русском",
    )
    .await;
    let text = rec.text();
    assert!(
        text.starts_with("Спасибо, что поделились. Сейчас лучше всего начать с индивидуальной встречи"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "1. Анна Терапевтова — 3{NB}500{NB}₽ за сессию\n\
         Почему: ваш запрос: «Тревога, беспокойство», «Выгорание, работа» · индивидуальные сессии, как вы хотели · в пределах вашего бюджета · 3 свободных окна в удобное вам время за 2 недели · сессии на русском · с индивидуальной работы сейчас лучше начать"
    )), "{text}");
    // The program still fits, after every therapist, without the individual-first reason.
    let program = text.find("Группы, которые подходят").expect("programs listed");
    assert!(text.find("3. Вера Терапевтова").unwrap() < program);
    assert!(text[program..].contains("группа, как вы хотели") && !text[program..].contains("с индивидуальной работы"));
    assert_eq!(
        datas(&rec)[..3],
        [s.anna, s.boris, s.vera].map(|id| format!("cb:c:{id}"))
    );
    app.finish().await;
}

#[tokio::test]
async fn r_cli_4_a_program_without_free_places_is_not_recommended() {
    let app = TestApp::start_without_session_jobs().await;
    let s = seeded(&app).await;
    let db: &Db = &app.db.db;
    let now = app.clock_now();
    // Every seat of the program's next meeting is taken by enrolled clients.
    let next = proego::store::programs::Programs(db)
        .meetings(s.published_program, now)
        .await
        .unwrap()[0]
        .clone();
    for c in 0..i64::from(next.capacity) {
        let id = 3900 + c;
        seed::client(db, id, "Гость", proego::i18n::Lang::Ru, None, now).await;
        proego::store::enrolments::Enrolments(db)
            .enrol(s.published_program, id, false, now)
            .await
            .unwrap();
        seed::booking(db, next.id, id, 1500, false, now).await;
    }
    let u = app.api.user(3005, "Ирина", "ru");
    let rec = questionnaire(
        &u,
        &RU,
        &["Тревога", "Выгорание"],
        "Индивидуальные",
        "До 4 000",
        "Вечером",
        "На русском",
    )
    .await;
    assert!(!rec.text().contains("Группы, которые подходят"), "{}", rec.text());
    assert!(!datas(&rec).iter().any(|d| d.starts_with("cb:g:")), "{:?}", datas(&rec));
    u.send_command("/programs_list");
    assert!(u.wait_bot_message().await.text().contains("свободных мест: 0"));
    app.finish().await;
}
