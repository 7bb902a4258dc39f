//! Group programs, the gaps closed after enrolment landed (R-GRP-2, R-GRP-3, R-CAN-2), end to
//! end through the fake Bot API: a client leaves a program (its booked meetings cancelled under
//! the ordinary client rules, the therapist told) and comes back; a therapist cannot close a
//! published program's meeting from /calendar; the admins' /queue lists submitted programs and
//! opens their cards; the recommended consultation on the card of other groups. The clock
//! stands at Friday 2026-11-27 09:00 UTC; programs meet on Wednesdays at 19:00 Moscow time.

use chrono::{DateTime, TimeZone, Utc};
use proego::domain::{BookingState, PaymentState};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::client_booking::ClientBookings;
use proego::store::enrolments::{EnrolmentStatus, Enrolments};
use proego::store::outbox::Outbox;
use proego::store::payments::Payments;
use proego::store::programs::{ProgramStatus, Programs};
use proego::store::slots::{SlotKind, Slots};

use crate::e2e_programs::{open_from_the_list, program, published, submit_through_the_bot, therapist_with_draft};
use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID};
use crate::support::fake_bot_api::{ChatMessage, TestUser};
use crate::support::seed;

const THERAPIST: i64 = 2701;
const CLIENT: i64 = 3701;
const STRANGER: i64 = 3702;
const NB: char = '\u{a0}';

fn utc(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

/// Opens a program from /programs_list in English; returns the card.
async fn open_in_english(c: &TestUser, title: &str) -> ChatMessage {
    c.send_command("/programs_list");
    let list = c.wait_bot_message().await;
    c.press(&list, &format!("Program: {title}"));
    let card = c.wait_bot_message().await;
    assert!(
        c.wait_bot_message().await.document.is_some(),
        "the presentation follows the card"
    );
    card
}

async fn outbox_rows_to(app: &TestApp, chat: i64) -> usize {
    Outbox(&app.db.db)
        .all()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.chat_id == chat)
        .count()
}

#[tokio::test]
async fn r_can_2_leaving_a_program_cancels_its_meetings_then_the_client_comes_back() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let (_, id, t) = published(&app, THERAPIST, &program("Спокойнее", "cbt", 6)).await;
    let meetings = Programs(db).meetings(id, now).await.unwrap();
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    seed::client(db, STRANGER, "Олег", Lang::Ru, None, now).await;
    Enrolments(db).enrol(id, CLIENT, false, now).await.unwrap();
    // Two paid meetings: Wednesday 2 December and Wednesday 9 December, 19:00 Moscow.
    let late = seed::booking(db, meetings[0].id, CLIENT, 1800, true, now).await;
    let timely = seed::booking(db, meetings[1].id, CLIENT, 1800, true, now).await;
    // Tuesday 1 December 18:00 UTC: the first is 22 hours ahead, the second eight days.
    app.clock.set(utc(12, 1, 18, 0));
    let c = app.api.user(CLIENT, "Анна", "ru");
    let card = open_from_the_list(&c, "Спокойнее").await;
    assert!(card.has_button("Выйти из программы"), "{:?}", card.buttons());
    assert!(!card.has_button("Записаться"));
    assert!(!card.has_button("рекомендуем"), "enrolled: no consultation offered");

    // A client who is not in the program, forging both buttons: nothing changes.
    let o = app.api.user(STRANGER, "Олег", "ru");
    o.send_command("/help");
    let help = o.wait_bot_message().await;
    for data in [format!("cb:w:{id}"), format!("cb:wy:{id}"), "cb:wy:999999".to_string()] {
        let ans = app.forged_press(&o, help.message_id, &data).await;
        assert!(
            ans.text.clone().unwrap_or_default().contains("Вы не участвуете")
                || ans.text.clone().unwrap_or_default().contains("больше не действует"),
            "{data}: {ans:?}"
        );
    }

    // The consequences first, per meeting, as a cancellation from /mybookings states them.
    c.press(&card, "Выйти из программы");
    let ask = c.wait_bot_message().await;
    let text = ask.text();
    assert!(text.contains("Выйти из программы «Спокойнее»?"), "{text}");
    assert!(
        text.contains(&format!(
            "Ср 02.12, 19:00–20:30 (Europe/Moscow): До начала меньше 24 часов, поэтому сессия остаётся оплаченной полностью (1{NB}800{NB}₽)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Ср 09.12, 19:00–20:30 (Europe/Moscow): Вам вернётся 1{NB}800{NB}₽: удержание на карте будет снято."
        )),
        "{text}"
    );
    assert!(text.contains("Записаться снова можно позже"), "{text}");
    assert_eq!(
        Enrolments(db).live(id, CLIENT).await.unwrap().unwrap().status,
        EnrolmentStatus::Enrolled,
        "nothing changes before the client confirms"
    );
    let therapist_rows = outbox_rows_to(&app, THERAPIST).await;
    c.press(&ask, "Да, выйти");
    let done = c.wait_edit(ask.message_id).await;
    let text = done.text();
    assert!(text.contains("Вы вышли из программы «Спокойнее»"), "{text}");
    assert!(
        text.contains("Отменено: Ср 02.12, 19:00–20:30 (Europe/Moscow). До начала меньше 24 часов"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Отменено: Ср 09.12, 19:00–20:30 (Europe/Moscow). Вам вернётся 1{NB}800{NB}₽"
        )),
        "{text}"
    );
    assert!(Enrolments(db).live(id, CLIENT).await.unwrap().is_none());
    for b in [late, timely] {
        assert_eq!(
            Bookings(db).get(b).await.unwrap().unwrap().state,
            BookingState::CancelledByClient
        );
    }
    // R-CAN-2: the timely one released, the late one kept for capture.
    let paid = |b: i64| async move { Payments(db).for_booking(b).await.unwrap().pop().unwrap().state };
    assert_eq!(paid(timely).await, PaymentState::Released);
    assert_eq!(paid(late).await, PaymentState::Held);
    assert_eq!(Slots(db).get(meetings[0].id).await.unwrap().unwrap().booked, 0);
    assert_eq!(Slots(db).get(meetings[1].id).await.unwrap().unwrap().booked, 0);
    // The therapist gets one notice (not one per meeting).
    assert_eq!(outbox_rows_to(&app, THERAPIST).await, therapist_rows + 1);
    let told = t.wait_bot_message().await;
    assert!(
        told.text()
            .contains("Анна вышел(-ла) из вашей программы «Спокойнее». Отменено записей на встречи: 2"),
        "{}",
        told.text()
    );
    // A stale press on the question: nothing to leave any more.
    let ans = app.forged_press(&c, ask.message_id, &format!("cb:wy:{id}")).await;
    assert!(ans.text.unwrap_or_default().contains("Вы не участвуете"));
    // The seat of the withdrawn client is refused even with a forged meeting button.
    let ans = app
        .forged_press(&c, ask.message_id, &format!("cb:y:g{id}:{}", meetings[2].id))
        .await;
    assert!(ans.text.unwrap_or_default().contains("после записи в неё"));

    // Coming back: this program enrols directly again.
    let card = open_from_the_list(&c, "Спокойнее").await;
    assert!(!card.has_button("Выйти из программы"));
    c.press(&card, "Записаться");
    let msgs = c.wait_bot_messages(2).await;
    assert!(msgs[0].text().contains("Вы записаны"), "{}", msgs[0].text());
    assert_eq!(
        Enrolments(db).live(id, CLIENT).await.unwrap().unwrap().status,
        EnrolmentStatus::Enrolled
    );
    app.finish().await;
}

#[tokio::test]
async fn r_grp_3_leaving_while_awaiting_admission_in_english_and_asking_again() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let (tid, id, t) = published(&app, THERAPIST, &program("Deeper", "existential", 7)).await;
    seed::client(db, CLIENT, "Ann", Lang::En, None, now).await;
    let c = app.api.user(CLIENT, "Ann", "en");
    let card = open_in_english(&c, "Deeper").await;
    c.press(&card, "Enrol");
    c.wait_bot_message().await; // the consultation first
    t.wait_bot_message().await; // the therapist: an admission request
    let first = Enrolments(db).live(id, CLIENT).await.unwrap().unwrap();
    assert_eq!(first.status, EnrolmentStatus::AwaitingConsultation);
    // The consultation is booked (not held yet): it stays when the client leaves.
    let consultation = seed::slot(db, tid, SlotKind::Consultation, utc(11, 28, 7, 0), 15, 1, now).await;
    let booked = ClientBookings(db)
        .book_free(consultation, CLIENT, None, &[], now)
        .await
        .unwrap();
    let card = open_in_english(&c, "Deeper").await;
    c.press(&card, "Leave the program");
    let ask = c.wait_bot_message().await;
    assert!(
        ask.text().contains("You have no booked meetings ahead."),
        "{}",
        ask.text()
    );
    assert!(
        ask.text()
            .contains("Your booked consultation with the facilitator stays"),
        "{}",
        ask.text()
    );
    assert!(
        ask.text().contains("you will need the facilitator's admission again"),
        "{}",
        ask.text()
    );
    c.press(&ask, "Yes, leave");
    let done = c.wait_edit(ask.message_id).await;
    assert!(
        done.text().contains("You have left the program \"Deeper\""),
        "{}",
        done.text()
    );
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("Ann вышел(-ла) из вашей программы «Deeper»"));
    assert_eq!(
        Enrolments(db).get(first.id).await.unwrap().unwrap().status,
        EnrolmentStatus::Withdrawn
    );
    assert_eq!(
        Bookings(db).get(booked).await.unwrap().unwrap().state,
        BookingState::Confirmed,
        "the consultation stays"
    );
    // Asking again starts over: a new request the therapist is told of.
    let card = open_in_english(&c, "Deeper").await;
    c.press(&card, "Enrol");
    assert!(c
        .wait_bot_message()
        .await
        .text()
        .contains("Your consultation with the facilitator (Ирина Терапевтова) is booked"));
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("Ann хочет в программу «Deeper»"));
    let again = Enrolments(db).live(id, CLIENT).await.unwrap().unwrap();
    assert_ne!(again.id, first.id);
    assert_eq!(again.status, EnrolmentStatus::AwaitingConsultation);
    app.finish().await;
}

#[tokio::test]
async fn r_grp_2_a_program_meeting_is_not_closed_from_the_calendar() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let (tid, id, t) = therapist_with_draft(&app, THERAPIST, &program("Спокойнее", "cbt", 6)).await;
    // A free group slot at the first meeting's time (taken over at publication) and an
    // ordinary free slot the same week.
    let adopted = seed::slot(db, tid, SlotKind::Group, utc(12, 2, 16, 0), 90, 6, now).await;
    let own = seed::slot(db, tid, SlotKind::Individual, utc(11, 30, 9, 0), 50, 1, now).await;
    t.send_command("/calendar");
    let before = t.wait_bot_message().await;
    assert!(before.has_button("Закрыть Ср 02.12"), "{:?}", before.buttons());
    submit_through_the_bot(&app, &t, &admins, id).await;
    let meetings = seed::publish_program(db, id, ADMIN_ID, now).await;
    assert_eq!(meetings[0], adopted);

    // The week now names the program and offers no Close for its meeting.
    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    assert!(week.text().contains("программа «Спокойнее»"), "{}", week.text());
    let closes: Vec<String> = week
        .buttons()
        .into_iter()
        .flatten()
        .map(|(_, d)| d)
        .filter(|d| d.starts_with("cal:cl:"))
        .collect();
    assert_eq!(
        closes,
        vec![format!("cal:cl:{own}:0")],
        "no Close button for the meeting"
    );
    // The stale Close from before the publication: refused, naming the program; the week is
    // shown again without it.
    let cb = t.press(&before, &format!("cal:cl:{adopted}:0"));
    let ans = app.api.wait_callback_answer(&cb).await;
    assert!(
        ans.text
            .clone()
            .unwrap_or_default()
            .contains("Это встреча опубликованной программы «Спокойнее»"),
        "{ans:?}"
    );
    let refreshed = t.wait_edit(before.message_id).await;
    assert!(!refreshed.has_button("Закрыть Ср 02.12"), "{:?}", refreshed.buttons());
    // A forged Close of another meeting: the same refusal.
    t.send_command("/help");
    let help = t.wait_bot_message().await;
    let ans = app
        .forged_press(&t, help.message_id, &format!("cal:cl:{}:1", meetings[1]))
        .await;
    assert!(ans.text.clone().unwrap_or_default().contains("«Спокойнее»"), "{ans:?}");
    t.wait_edit(help.message_id).await;
    for m in &meetings {
        assert!(Slots(db).get(*m).await.unwrap().unwrap().open, "nothing closed");
    }
    assert_eq!(Programs(db).meetings(id, now).await.unwrap().len(), 4);
    // The ordinary slot still closes.
    t.press(&week, &format!("cal:cl:{own}:0"));
    t.wait_edit(week.message_id).await;
    assert!(!Slots(db).get(own).await.unwrap().unwrap().open);
    app.finish().await;
}

#[tokio::test]
async fn r_grp_2_the_queue_lists_submitted_programs_and_opens_their_cards() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    admin.send_text_in(&admins, "/queue");
    let empty = admins.wait_bot_message().await;
    assert!(
        empty.text().contains("Программ, ожидающих публикации, нет"),
        "{}",
        empty.text()
    );
    let (_, id, t) = therapist_with_draft(&app, THERAPIST, &program("Скоро <новая>", "gestalt", 6)).await;
    submit_through_the_bot(&app, &t, &admins, id).await;
    admin.send_text_in(&admins, "/queue");
    let q = admins.wait_bot_message().await;
    assert!(q.text().contains("Ждут публикации программы"), "{}", q.text());
    assert!(
        q.text()
            .contains("«Скоро <новая>», ведущий Ирина Терапевтова — отправлена"),
        "{}",
        q.text()
    );
    assert!(q.html().contains("Скоро &lt;новая&gt;"), "escaped: {}", q.html());
    assert_eq!(q.button_data("Открыть: Скоро <новая>"), format!("pg:op:{id}"));
    // Not an admin (in the admin chat, and a client in private): nothing is posted.
    let stranger = app.api.user(3999, "Чужой", "ru");
    let cb = stranger.press_in(ADMIN_CHAT_ID, q.message_id, "Открыть: Скоро <новая>");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("только администраторам"));
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, app.clock_now()).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/help");
    let help = c.wait_bot_message().await;
    let ans = app.forged_press(&c, help.message_id, &format!("pg:op:{id}")).await;
    assert!(ans.text.unwrap_or_default().contains("только администраторам"));
    // The admin opens it: the card with Publish / Return, then the presentation.
    admin.press_in(ADMIN_CHAT_ID, q.message_id, "Открыть: Скоро <новая>");
    let card = admins.wait_bot_message().await;
    assert!(card.has_button("Опубликовать") && card.has_button("Вернуть на доработку"));
    assert!(admins.wait_bot_message().await.document.is_some());
    admin.press_in(ADMIN_CHAT_ID, card.message_id, "Опубликовать");
    admins.wait_edit(card.message_id).await;
    assert_eq!(
        Programs(db).get(id).await.unwrap().unwrap().status,
        ProgramStatus::Published
    );
    // Decided: the queue's button is stale now, and the queue is empty.
    let cb = admin.press_in(ADMIN_CHAT_ID, q.message_id, "Открыть: Скоро <новая>");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже решено"));
    admin.send_text_in(&admins, "/queue");
    assert!(admins
        .wait_bot_message()
        .await
        .text()
        .contains("Программ, ожидающих публикации, нет"));
    app.finish().await;
}

#[tokio::test]
async fn r_grp_3_the_card_of_other_groups_recommends_the_consultation() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let (tid, _, _) = published(&app, THERAPIST, &program("Спокойнее", "cbt", 6)).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    // No consultation times: nothing offered.
    let card = open_from_the_list(&c, "Спокойнее").await;
    assert!(!card.text().contains("рекомендуем"), "{}", card.text());
    assert!(!card.has_button("рекомендуем"));
    // With a free consultation time: recommended, and the button opens the ordinary booking.
    let slot = seed::slot(db, tid, SlotKind::Consultation, utc(11, 28, 7, 0), 15, 1, now).await;
    let card = open_from_the_list(&c, "Спокойнее").await;
    assert!(
        card.text()
            .contains("Не обязательно, но рекомендуем: бесплатная 15-минутная консультация"),
        "{}",
        card.text()
    );
    assert!(card.has_button("Записаться"), "enrolling stays possible without it");
    assert_eq!(
        card.button_data("Бесплатная консультация (рекомендуем)"),
        format!("cb:k:n{tid}c")
    );
    c.press(&card, "Бесплатная консультация (рекомендуем)");
    let picker = c.wait_edit(card.message_id).await;
    assert!(picker.text().contains("консультация"), "{}", picker.text());
    // Booked: no longer offered.
    ClientBookings(db)
        .book_free(slot, CLIENT, None, &[], now)
        .await
        .unwrap();
    let card = open_from_the_list(&c, "Спокойнее").await;
    assert!(!card.has_button("рекомендуем"), "{:?}", card.buttons());
    app.finish().await;
}
