//! The active therapist's /profile and /prices, the intake summary in /bookings, and what a
//! suspended therapist may do (issue 4; R-PRICE-1..3, R-CLI-1, R-ONB-10), through the fake Bot
//! API on the backend in PROEGO_TEST_BACKEND. The clock starts at 2026-11-27 09:00 UTC.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::catalog::questionnaire::{Answer, QuizProgress};
use proego::domain::matching::Gender;
use proego::domain::{score, DomainSettings, Money, PriceKind, PriceState, TestKind};
use proego::i18n::Lang;
use proego::store::client_booking::PriceLocks;
use proego::store::intake::Intake;
use proego::store::outbox::Outbox;
use proego::store::profiles::{Profiles, TextField};
use proego::store::slots::SlotKind;
use proego::store::therapists::{TherapistStatus, Therapists};
use proego::store::Db;

use crate::support::app::{TestApp, ADMIN_CHAT_ID};
use crate::support::fake_bot_api::ChatMessage;
use crate::support::seed;

const THERAPIST: i64 = 2401;
const OTHER_THERAPIST: i64 = 2402;
const CLIENT: i64 = 3401;
const OTHER_CLIENT: i64 = 3402;
const THIRD_CLIENT: i64 = 3403;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

async fn set_price(db: &Db, tid: i64, kind: PriceKind, rubles: u32, activated: DateTime<Utc>) {
    let state = PriceState {
        amount: Money::rubles(rubles),
        activated_at: Some(activated),
        last_change_at: None,
    };
    Profiles(db).set_price(tid, kind, &state, activated).await.unwrap();
}

/// Waits for an admin-chat message containing `needle`.
async fn admin_message(app: &TestApp, needle: &str) -> ChatMessage {
    app.api
        .wait_for(needle, |a| {
            a.chat(ADMIN_CHAT_ID)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().contains(needle))
        })
        .await
}

/// Presses a menu button and returns the step's prompt (the same message, edited).
async fn open_step(t: &crate::support::fake_bot_api::TestUser, menu: &ChatMessage, button: &str) -> ChatMessage {
    t.press(menu, button);
    t.wait_edit(menu.message_id).await
}

#[tokio::test]
async fn profile_shows_the_clients_card_and_edits_each_kind_of_field() {
    let app = TestApp::start_without_session_jobs().await;
    let _admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    Profiles(db)
        .set_text(tid, TextField::Bio, "Работаю с <тревогой> бережно и глубоко", now)
        .await
        .unwrap();
    set_price(db, tid, PriceKind::Individual, 3000, now - TimeDelta::days(10)).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");

    // The menu of an active therapist has the new commands; /start points to them.
    t.send_command("/start");
    let start = t.wait_bot_message().await;
    assert!(
        start.text().contains("/profile") && start.text().contains("/prices"),
        "{}",
        start.text()
    );

    t.send_command("/profile");
    let msgs = t.wait_bot_messages(3).await;
    assert!(
        msgs[0].text().contains("Так вашу карточку видят клиенты"),
        "{}",
        msgs[0].text()
    );
    let card = &msgs[1];
    assert!(card.text().contains("Ирина Терапевтова"), "{}", card.text());
    assert!(card.html().contains("&lt;тревогой&gt;"), "escaped: {}", card.html());
    assert!(card.text().contains("3\u{a0}000\u{a0}₽"), "{}", card.text());
    assert!(card.button_texts().is_empty(), "no booking buttons on the preview");
    let mut menu = msgs[2].clone();
    for b in [
        "Имя",
        "Фото",
        "О себе",
        "Стаж",
        "Ссылка на видеокомнату",
        "Цены",
        "Реквизиты",
        "Пол",
    ] {
        assert!(menu.has_button(b), "{b}: {:?}", menu.button_texts());
    }
    assert!(!menu.has_button("Документы"), "{:?}", menu.button_texts());

    // Name: bad, then good (escaped), applied at once, the admins told, no new moderation.
    open_step(&t, &menu, "Имя").await;
    t.send_text("A");
    assert!(t.wait_bot_message().await.text().contains("от 3 до 200"));
    t.send_text("Ирина <Новая>");
    menu = t.wait_bot_message().await;
    assert!(menu.text().contains("Имя сохранено: Ирина <Новая>"), "{}", menu.text());
    assert!(menu.html().contains("&lt;Новая&gt;"), "{}", menu.html());
    assert!(menu.has_button("О себе"), "back to the profile menu, not the checklist");
    let notice = admin_message(&app, "изменил(а) имя").await;
    assert!(notice.html().contains("Ирина &lt;Новая&gt;"), "{}", notice.html());
    let me = Therapists(db).get(tid).await.unwrap().unwrap();
    assert_eq!(me.full_name, "Ирина <Новая>");
    assert_eq!(me.status, TherapistStatus::Active);

    // Bio: too short, then saved; the admins see the new text.
    open_step(&t, &menu, "О себе").await;
    t.send_text("коротко");
    assert!(t.wait_bot_message().await.text().contains("от 20 до"));
    t.send_text("Помогаю пережить утрату & найти опору.");
    menu = t.wait_bot_message().await;
    assert!(menu.text().contains("Рассказ о себе сохранён"), "{}", menu.text());
    let notice = admin_message(&app, "изменил(а) описание").await;
    assert!(notice.html().contains("утрату &amp; найти"), "{}", notice.html());

    // Photo: text is refused, a photo is taken.
    open_step(&t, &menu, "Фото").await;
    t.send_text("вот");
    assert!(t.wait_bot_message().await.text().contains("Я жду фотографию"));
    t.send_photo(800, 800, 90_000);
    menu = t.wait_bot_message().await;
    assert!(menu.text().contains("Фото сохранено"), "{}", menu.text());
    admin_message(&app, "сменил(а) фото").await;

    // Years and the room link: validated as in onboarding, no admin notice.
    open_step(&t, &menu, "Стаж").await;
    t.send_text("много");
    assert!(t.wait_bot_message().await.text().contains("от 0 до 70"));
    t.send_text("15");
    menu = t.wait_bot_message().await;
    assert!(menu.text().contains("Стаж сохранён: 15"), "{}", menu.text());
    open_step(&t, &menu, "Ссылка на видеокомнату").await;
    t.send_text("http://meet.example.org/x");
    assert!(t.wait_bot_message().await.text().contains("https://"));
    t.send_text("https://meet.example.org/irina");
    menu = t.wait_bot_message().await;
    assert!(
        menu.text().contains("Ссылка на видеокомнату сохранена"),
        "{}",
        menu.text()
    );
    let profile = Profiles(db).get(tid).await.unwrap();
    assert_eq!(profile.years_of_practice, Some(15));
    assert_eq!(
        profile.video_room_link.as_deref(),
        Some("https://meet.example.org/irina")
    );
    assert_eq!(
        Outbox(db).all().await.unwrap().len(),
        3,
        "only name, bio and photo notify"
    );

    // Gender (optional) by buttons, in place.
    let g = open_step(&t, &menu, "Пол").await;
    assert!(g.has_button("Не указывать"), "{:?}", g.button_texts());
    t.press(&g, "Женщина");
    let back = t.wait_edit(menu.message_id).await;
    assert!(back.text().contains("Сохранено"), "{}", back.text());
    assert_eq!(Profiles(db).get(tid).await.unwrap().gender, Some(Gender::Female));

    // Time zone by button, in place.
    let tz = open_step(&t, &back, "Часовой пояс").await;
    t.press(&tz, "o:z:0");
    let back = t.wait_edit(menu.message_id).await;
    assert!(back.text().contains("Europe/Kaliningrad"), "{}", back.text());

    // Prices open their own screen; the onboarding-only buttons refuse.
    let prices = open_step(&t, &back, "Цены").await;
    assert!(prices.text().contains("Ваши цены"), "{}", prices.text());
    let cb = t.press_forged(&prices, "o:go");
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.text.unwrap_or_default().contains("уже активен"));
    let cb = t.press_forged(&prices, "o:r:individual");
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(
        answer.text.unwrap_or_default().contains("/prices"),
        "prices are not typed here"
    );
    assert_eq!(
        Therapists(db).get(tid).await.unwrap().unwrap().status,
        TherapistStatus::Active
    );

    // The card now carries the photo and the new name.
    t.send_command("/profile");
    let msgs = t.wait_bot_messages(3).await;
    assert!(msgs[1].photo.is_some(), "the card is a photo now");
    assert!(msgs[1].text().contains("Ирина <Новая>"), "{}", msgs[1].text());
    app.finish().await;
}

#[tokio::test]
async fn r_price_2_the_price_screen_dates_refusals_and_a_kept_lock() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", Some(chrono_tz::Asia::Novosibirsk), now).await;
    // Activated on 27.09.2026 at 16:00 in Novosibirsk.
    let activated = utc(2026, 9, 27, 9, 0);
    set_price(db, tid, PriceKind::Individual, 3000, activated).await;
    set_price(db, tid, PriceKind::Group, 2000, activated).await;
    // A client with a lock: a confirmed booking yesterday (R-PRICE-3).
    let settings = DomainSettings::default();
    let yesterday = now - TimeDelta::days(1);
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, yesterday).await;
    let slot = seed::slot(
        db,
        tid,
        SlotKind::Individual,
        now + TimeDelta::days(3),
        60,
        1,
        yesterday,
    )
    .await;
    let b = seed::booking(db, slot, CLIENT, 3000, true, yesterday).await;
    let mut tx = db.begin().await.unwrap();
    PriceLocks::on_confirmed_in(&mut tx, b, &settings).await.unwrap();
    tx.commit().await.unwrap();

    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/prices");
    let screen = t.wait_bot_message().await;
    let text = screen.text();
    for s in [
        "Asia/Novosibirsk",
        "Индивидуальная сессия: 3\u{a0}000\u{a0}₽",
        "Групповая сессия (с участника): 2\u{a0}000\u{a0}₽",
        "Действует с активации профиля: 16:00, 27.09.2026 (Asia/Novosibirsk)",
        "Следующее изменение возможно с 00:00, 27.03.2027 (Asia/Novosibirsk)",
        "Клиентов с закреплённой ценой: 1",
        "Клиентов с закреплённой ценой: 0",
    ] {
        assert!(text.contains(s), "{s:?} in {text}");
    }
    // Too early: refused with the date, nothing asked.
    let cb = t.press(&screen, "Изменить: Индивидуальная сессия");
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.show_alert);
    assert!(answer.text.unwrap_or_default().contains("27.03.2027"));
    // One minute before local midnight of that day: still refused.
    app.clock.set(utc(2027, 3, 26, 16, 59));
    let cb = t.press(&screen, "Изменить: Индивидуальная сессия");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("27.03.2027"));
    // From 00:00 local: allowed.
    app.clock.set(utc(2027, 3, 26, 17, 0));
    t.press(&screen, "Изменить: Индивидуальная сессия");
    let prompt = t.wait_edit(screen.message_id).await;
    assert!(
        prompt.text().contains("Минимум — 2\u{a0}500\u{a0}₽"),
        "{}",
        prompt.text()
    );
    t.send_text("три тысячи");
    assert!(t.wait_bot_message().await.text().contains("Не получилось понять сумму"));
    t.send_text("2 000");
    let floor = t.wait_bot_message().await;
    assert!(
        floor.text().contains("2\u{a0}500\u{a0}₽"),
        "the floor is named: {}",
        floor.text()
    );
    let individual = |db: &Db| {
        let db = db.clone();
        async move {
            Profiles(&db)
                .prices(tid)
                .await
                .unwrap()
                .into_iter()
                .find(|(k, _)| *k == PriceKind::Individual)
                .unwrap()
                .1
        }
    };
    assert_eq!(individual(db).await.amount, Money::rubles(3000));
    t.send_text("3 500 ₽");
    let done = t.wait_bot_message().await;
    let text = done.text();
    for s in [
        "новая цена 3\u{a0}500\u{a0}₽",
        "Последнее изменение: 00:00, 27.03.2027 (Asia/Novosibirsk)",
        "Следующее изменение возможно с 00:00, 27.09.2027 (Asia/Novosibirsk)",
        "Клиентов с закреплённой ценой: 1",
    ] {
        assert!(text.contains(s), "{s:?} in {text}");
    }
    let stored = individual(db).await;
    assert_eq!(stored.amount, Money::rubles(3500));
    assert_eq!(stored.last_change_at, Some(utc(2027, 3, 26, 17, 0)));
    assert_eq!(stored.activated_at, Some(activated));
    // A second change right away: refused with the new date.
    let cb = t.press(&done, "Изменить: Индивидуальная сессия");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("27.09.2027"));

    // The locked client still pays 3 000 ₽; a new client pays 3 500 ₽.
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command(&format!("/start t_{tid}"));
    let card = c.wait_bot_message().await;
    assert!(card.text().contains("3\u{a0}000\u{a0}₽"), "{}", card.text());
    assert!(card.text().contains("сохраняется для вас до"), "{}", card.text());
    let n = app.api.user(OTHER_CLIENT, "Борис", "ru");
    n.send_command(&format!("/start t_{tid}"));
    let card = n.wait_bot_message().await;
    assert!(card.text().contains("3\u{a0}500\u{a0}₽"), "{}", card.text());
    // A client pressing a price button is refused and nothing changes.
    let cb = n.press_forged(&card, "pr:c:individual");
    assert!(app.api.wait_callback_answer(&cb).await.show_alert);
    assert_eq!(individual(db).await.amount, Money::rubles(3500));
    app.finish().await;
}

fn intake_of_anna() -> QuizProgress {
    let opts = |v: &[&str]| Answer::Options(v.iter().map(|s| s.to_string()).collect());
    QuizProgress {
        version: 1,
        current: 9,
        answers: BTreeMap::from([
            ("request".to_owned(), opts(&["anxiety"])),
            // Free text up to the questionnaire's limit, full of HTML specials: shown whole.
            (
                "details".to_owned(),
                Answer::Text(format!("<b>не сплю</b> ночами {}", "&<>".repeat(320))),
            ),
            ("state".to_owned(), Answer::Scale(4)),
            ("format".to_owned(), opts(&["individual"])),
        ]),
        ..QuizProgress::default()
    }
}

#[tokio::test]
async fn the_intake_summary_is_for_the_booked_therapist_only() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    let other = seed::active_therapist(db, OTHER_THERAPIST, "Олег", None, now).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    seed::client(db, OTHER_CLIENT, "Борис", Lang::Ru, None, now).await;
    seed::client(db, THIRD_CLIENT, "Вера", Lang::Ru, None, now).await;
    let intake = Intake(db);
    intake.give_consent(CLIENT, 1, now).await.unwrap();
    intake
        .save_progress(CLIENT, &intake_of_anna(), Some(now), false, now)
        .await
        .unwrap();
    let phq = score(TestKind::Phq9, &[1; 9]).unwrap();
    intake.save_test(CLIENT, &phq, &[1; 9], now).await.unwrap();
    intake.give_consent(THIRD_CLIENT, 1, now).await.unwrap();
    let s1 = seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 30, 9, 0), 60, 1, now).await;
    let s2 = seed::slot(db, tid, SlotKind::Individual, utc(2026, 12, 1, 9, 0), 60, 1, now).await;
    let s3 = seed::slot(db, other, SlotKind::Individual, utc(2026, 12, 1, 9, 0), 60, 1, now).await;
    seed::booking(db, s1, CLIENT, 3000, true, now).await;
    seed::booking(db, s2, OTHER_CLIENT, 3000, false, now).await;
    let theirs = seed::booking(db, s3, THIRD_CLIENT, 3000, true, now).await;

    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/bookings");
    let list = t.wait_bot_message().await;
    t.press(&list, "Анкета: Анна");
    let summary = t.wait_bot_message().await;
    let text = summary.text();
    for s in [
        "Анкета клиента Анна",
        "Тревога, беспокойство",
        "4/10",
        "PHQ-9",
        "9 из 27",
    ] {
        assert!(text.contains(s), "{s:?} in {text}");
    }
    assert!(
        summary.html().contains("&lt;b&gt;не сплю&lt;/b&gt;"),
        "free text escaped: {}",
        summary.html()
    );
    assert!(summary.text().contains(&"&<>".repeat(320)), "shown whole");
    // No consent: refused, nothing shown.
    let cb = t.press(&list, "Анкета: Борис");
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.text.unwrap_or_default().contains("не давал согласия"));
    // Another therapist's client (forged id): refused, nothing revealed.
    let cb = t.press_forged(&list, &format!("bk:i:{theirs}"));
    let answer = app.api.wait_callback_answer(&cb).await;
    let said = answer.text.unwrap_or_default();
    assert!(said.contains("нет среди ваших"), "{said}");
    assert!(!said.contains("Вера"));
    // The other therapist sees his own client's (empty) intake, and not Anna's.
    let o = app.api.user(OTHER_THERAPIST, "Олег", "ru");
    o.send_command("/bookings");
    let list = o.wait_bot_message().await;
    t.assert_no_new_bot_message();
    o.press(&list, "Анкета: Вера");
    let summary = o.wait_bot_message().await;
    assert!(summary.text().contains("не заполнял анкету"), "{}", summary.text());
    assert!(!summary.text().contains("Тревога"));
    // A client forging the button: the therapist-only answer.
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/help");
    let help = c.wait_bot_message().await;
    let cb = c.press_forged(&help, &format!("bk:i:{theirs}"));
    assert!(app.api.wait_callback_answer(&cb).await.show_alert);
    c.assert_no_new_bot_message();
    app.finish().await;
}

#[tokio::test]
async fn a_suspended_therapist_keeps_bookings_but_opens_no_times() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    let s = seed::slot(db, tid, SlotKind::Individual, utc(2026, 12, 3, 9, 0), 60, 1, now).await;
    seed::booking(db, s, CLIENT, 3000, true, now).await;
    Therapists(db)
        .transition(tid, TherapistStatus::Active, TherapistStatus::Suspended, now)
        .await
        .unwrap();
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/start");
    let status = t.wait_bot_message().await;
    assert!(status.text().contains("приостановлен"), "{}", status.text());
    assert!(status.text().contains("/bookings"), "{}", status.text());
    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    assert!(week.text().contains("новое время открыть нельзя"), "{}", week.text());
    let cb = t.press(&week, "cal:new:s");
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.text.unwrap_or_default().contains("приостановлен"));
    t.assert_no_new_bot_message();
    t.send_command("/bookings");
    let list = t.wait_bot_message().await;
    assert!(list.text().contains("Анна"), "{}", list.text());
    assert!(list.has_button("Отменить"), "{:?}", list.button_texts());
    t.send_command("/prices");
    assert!(t.wait_bot_message().await.text().contains("приостановлен"));
    t.send_command("/profile");
    let msgs = t.wait_bot_messages(2).await;
    assert!(msgs[0].text().contains("приостановлен"));
    assert!(msgs[1].button_texts().is_empty());
    app.finish().await;
}

/// A client whose questionnaire is complete with these options (consent given).
async fn answered(db: &Db, client: i64, gender: &str, now: DateTime<Utc>) {
    seed::client(db, client, "Клиент", Lang::Ru, None, now).await;
    let opts = |v: &[&str]| Answer::Options(v.iter().map(|s| s.to_string()).collect());
    let progress = QuizProgress {
        version: 1,
        current: 10,
        answers: BTreeMap::from([
            ("request".to_owned(), opts(&["anxiety", "burnout"])),
            ("state".to_owned(), Answer::Scale(7)),
            ("risk".to_owned(), opts(&["never"])),
            ("format".to_owned(), opts(&["individual"])),
            ("budget".to_owned(), opts(&["up_to_4000"])),
            ("time_of_day".to_owned(), opts(&["evening"])),
            ("gender".to_owned(), opts(&[gender])),
            ("language".to_owned(), opts(&["ru"])),
        ]),
        ..QuizProgress::default()
    };
    let intake = Intake(db);
    intake.give_consent(client, 1, now).await.unwrap();
    intake
        .save_progress(client, &progress, Some(now), false, now)
        .await
        .unwrap();
}

#[tokio::test]
async fn r_cli_4_the_preferred_gender_counts_in_the_recommendation_and_its_why() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let s = crate::store_catalog::catalogue(db).await;
    // Boris says he is a man; Vera says she is a woman; Anna says nothing.
    Profiles(db).set_gender(s.boris, Some(Gender::Male), now).await.unwrap();
    Profiles(db)
        .set_gender(s.vera, Some(Gender::Female), now)
        .await
        .unwrap();
    answered(db, CLIENT, "male", now).await;
    answered(db, OTHER_CLIENT, "any", now).await;

    let c = app.api.user(CLIENT, "Клиент", "ru");
    c.send_command("/recommend");
    let rec = c.wait_bot_message().await;
    let text = rec.text();
    let block = |name: &str| {
        let at = text.find(name).unwrap_or_else(|| panic!("{name} in {text}"));
        text[at..].split("\n\n").next().unwrap().to_owned()
    };
    assert!(block("Борис").contains("специалист — мужчина, как вы хотели"), "{text}");
    assert!(!block("Анна").contains("мужчина"), "{text}");
    assert!(
        !block("Вера").contains("мужчина") && !block("Вера").contains("женщина"),
        "{text}"
    );

    // "Does not matter": nobody gets the gender reason.
    let n = app.api.user(OTHER_CLIENT, "Клиент", "ru");
    n.send_command("/recommend");
    let rec = n.wait_bot_message().await;
    assert!(rec.text().contains("Борис"), "{}", rec.text());
    assert!(
        !rec.text().contains("мужчина") && !rec.text().contains("женщина"),
        "{}",
        rec.text()
    );
    app.finish().await;
}
