//! Group program enrolment end to end (R-GRP-1..4, R-SES-1, R-PRICE-3), through the fake Bot
//! API on the backend in PROEGO_TEST_BACKEND. The clock stands at Friday 2026-11-27 09:00 UTC;
//! programs meet on Wednesdays at 19:00 Moscow time, so the first meeting is Wednesday 2 December
//! (16:00 UTC).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Asia::Novosibirsk;
use proego::domain::{BookingState, Money};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::client_booking::ClientBookings;
use proego::store::enrolments::{EnrolmentStatus, Enrolments};
use proego::store::invites::AuditLog;
use proego::store::programs::{NewProgram, ProgramStatus, Programs};
use proego::store::slots::{SlotKind, Slots};

use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID};
use crate::support::fake_bot_api::{ChatMessage, TestGroup, TestUser};
use crate::support::seed;

const THERAPIST: i64 = 2601;
const OTHER_THERAPIST: i64 = 2602;
const CLIENT: i64 = 3601;
const SECOND_CLIENT: i64 = 3602;
const NB: char = '\u{a0}';

fn utc(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

pub(crate) fn program(title: &str, approach: &str, capacity: i32) -> NewProgram {
    NewProgram {
        title: title.into(),
        description: "Четыре встречи о тревоге и опоре.".into(),
        approach: approach.into(),
        topic: "тревога".into(),
        meetings: 4,
        meeting_minutes: 90,
        weekday: 3,
        local_time: "19:00".into(),
        capacity,
        price: Money::rubles(1800),
    }
}

/// The therapist attaches the presentation of a stored draft and submits it through the bot;
/// returns the admin chat's card.
pub(crate) async fn submit_through_the_bot(app: &TestApp, t: &TestUser, admins: &TestGroup, id: i64) -> ChatMessage {
    t.send_command("/programs");
    let list = t.wait_bot_message().await;
    t.press(&list, "Презентация");
    assert!(t.wait_bot_message().await.text().contains("презентацию"));
    t.send_document("program.pdf", "application/pdf", 300_000);
    let card = t.wait_bot_message().await;
    t.press(&card, "Отправить на публикацию");
    t.wait_edit(card.message_id).await;
    let admin_card = admins.wait_bot_message().await;
    assert!(admin_card.has_button("Опубликовать"), "{}", admin_card.text());
    let doc = admins.wait_bot_message().await;
    assert!(doc.document.is_some());
    assert_eq!(
        Programs(&app.db.db).get(id).await.unwrap().unwrap().status,
        ProgramStatus::Submitted
    );
    admin_card
}

/// A therapist with a stored draft program; returns (therapist id, program id).
pub(crate) async fn therapist_with_draft(app: &TestApp, telegram_id: i64, p: &NewProgram) -> (i64, i64, TestUser) {
    let db = &app.db.db;
    let now = app.clock_now();
    let tid = seed::active_therapist(db, telegram_id, "Ирина", None, now).await;
    let id = Programs(db).create(tid, p, now).await.unwrap();
    let t = app.api.user(telegram_id, "Ирина", "ru");
    (tid, id, t)
}

/// A program submitted through the bot and published by an admin through the bot.
pub(crate) async fn published(app: &TestApp, telegram_id: i64, p: &NewProgram) -> (i64, i64, TestUser) {
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let (tid, id, t) = therapist_with_draft(app, telegram_id, p).await;
    let card = submit_through_the_bot(app, &t, &admins, id).await;
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    admin.press_in(ADMIN_CHAT_ID, card.message_id, "Опубликовать");
    admins.wait_edit(card.message_id).await;
    t.wait_bot_message().await; // "published", through the outbox
    (tid, id, t)
}

pub(crate) async fn pay(app: &TestApp, url: &str) {
    let id = url.rsplit('/').next().unwrap();
    let res = reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// Opens a program from /programs_list; returns the card (the presentation follows it).
pub(crate) async fn open_from_the_list(c: &TestUser, title: &str) -> ChatMessage {
    c.send_command("/programs_list");
    let list = c.wait_bot_message().await;
    c.press(&list, &format!("Программа: {title}"));
    let card = c.wait_bot_message().await;
    let doc = c.wait_bot_message().await;
    assert!(doc.document.is_some(), "the presentation follows the card");
    card
}

#[tokio::test]
async fn r_grp_2_published_with_meetings_then_a_client_enrols_and_pays_a_meeting() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let (tid, id, t) = therapist_with_draft(&app, THERAPIST, &program("Спокойнее", "cbt", 5)).await;
    // An individual slot in the way of the second meeting (Wednesday 9 December, 19:30 Moscow).
    let blocker = seed::slot(db, tid, SlotKind::Individual, utc(12, 9, 16, 30), 50, 1, now).await;
    let card = submit_through_the_bot(&app, &t, &admins, id).await;
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    let cb = admin.press_in(ADMIN_CHAT_ID, card.message_id, "Опубликовать");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("Не опубликовано"));
    let refused = admins.wait_bot_message().await;
    assert!(
        refused.text().contains("встреча Ср 09.12, 19:00–20:30 (Europe/Moscow)")
            && refused.text().contains("Ср 09.12, 19:30–20:20 (Europe/Moscow)"),
        "the slot in the way is named: {}",
        refused.text()
    );
    assert_eq!(
        Programs(db).get(id).await.unwrap().unwrap().status,
        ProgramStatus::Submitted
    );
    assert!(
        Programs(db).meetings(id, now).await.unwrap().is_empty(),
        "nothing changed"
    );
    Slots(db).close_free(tid, blocker).await.unwrap();
    admin.press_in(ADMIN_CHAT_ID, card.message_id, "Опубликовать");
    let decided = admins.wait_edit(card.message_id).await;
    assert!(
        decided.text().contains("Решение: опубликована (Мария)"),
        "{}",
        decided.text()
    );
    let told = t.wait_bot_message().await;
    assert!(
        told.text()
            .contains("Встречи (4) добавлены в ваш календарь, первая — 19:00, 02.12.2026 (Europe/Moscow)"),
        "{}",
        told.text()
    );
    let meetings = Programs(db).meetings(id, now).await.unwrap();
    assert_eq!(
        meetings.iter().map(|s| s.starts_at).collect::<Vec<_>>(),
        [2, 9, 16, 23].map(|d| utc(12, d, 16, 0)).to_vec()
    );
    assert!(meetings.iter().all(|s| s.kind == SlotKind::Group && s.capacity == 5));
    // The second meeting is full already: five other enrolled clients hold its seats.
    for c in 3700..3705 {
        seed::client(db, c, "Гость", Lang::Ru, None, now).await;
        Enrolments(db).enrol(id, c, false, now).await.unwrap();
        seed::booking(db, meetings[1].id, c, 1800, true, now).await;
    }

    // The client, in Novosibirsk: the list, the card in their zone, Enrol, the meetings.
    seed::client(db, CLIENT, "Анна", Lang::Ru, Some(Novosibirsk), now).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    let card = open_from_the_list(&c, "Спокойнее").await;
    let text = card.text();
    assert!(text.contains("Подход: КПТ. Ведущий: Ирина Терапевтова."), "{text}");
    assert!(
        text.contains("Раз в неделю: среда в 23:00 (Asia/Novosibirsk). Ближайшая встреча: Ср 02.12, 23:00–00:30 (Asia/Novosibirsk)."),
        "{text}"
    );
    assert!(text.contains("Встреч: 4 по 90 мин (впереди: 4)."), "{text}");
    assert!(
        text.contains(&format!("Цена встречи для вас: 1{NB}800{NB}₽. Свободных мест: 5 из 5.")),
        "{text}"
    );
    assert!(!text.contains("консультации"), "{text}");
    c.press(&card, "Записаться");
    let msgs = c.wait_bot_messages(2).await;
    assert!(
        msgs[0].text().contains("Вы записаны в программу «Спокойнее»"),
        "{}",
        msgs[0].text()
    );
    let list = &msgs[1];
    assert!(
        list.text()
            .contains("Ср 09.12, 23:00–00:30 (Asia/Novosibirsk) — мест нет"),
        "{}",
        list.text()
    );
    assert!(
        list.text()
            .contains("Ср 02.12, 23:00–00:30 (Asia/Novosibirsk) — свободно мест: 5"),
        "{}",
        list.text()
    );
    assert!(!list.has_button("09.12"), "a full meeting has no button");
    assert_eq!(
        Enrolments(db).live(id, CLIENT).await.unwrap().unwrap().status,
        EnrolmentStatus::Enrolled
    );
    // A forged press on the full meeting: told it is taken, nothing booked.
    let forged = format!("cb:y:g{id}:{}", meetings[1].id);
    app.forged_press(&c, list.message_id, &forged).await;
    assert!(c.wait_bot_message().await.text().contains("только что заняли"));
    // Book the first meeting through the ordinary confirmation and payment.
    c.press(list, "02.12");
    let confirm = c.wait_edit(list.message_id).await;
    assert!(confirm.text().contains("групповая сессия"), "{}", confirm.text());
    assert!(
        confirm.text().contains(&format!("Цена: 1{NB}800{NB}₽")),
        "{}",
        confirm.text()
    );
    c.press(&confirm, "Подтвердить");
    let pay_msg = c.wait_edit(list.message_id).await;
    let url = pay_msg.button_data("Оплатить 1\u{a0}800\u{a0}₽");
    let b = ClientBookings(db)
        .live_of_slot(CLIENT, meetings[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((b.state, b.price), (BookingState::AwaitingPayment, Money::rubles(1800)));
    pay(&app, &url).await;
    seed::wait_booking_state(db, b.id, BookingState::Confirmed).await;
    assert!(c
        .wait_bot_message()
        .await
        .text()
        .contains("Оплата получена: групповая сессия"));
    assert_eq!(Slots(db).get(meetings[0].id).await.unwrap().unwrap().booked, 1);
    // /mybookings shows it; the program card now says enrolled and lists the meeting as booked.
    c.send_command("/mybookings");
    let mine = c.wait_bot_message().await;
    assert!(mine.text().contains("групповая сессия"), "{}", mine.text());
    assert!(mine.has_button("Отменить"), "{:?}", mine.buttons());
    assert!(
        !mine.has_button("Перенести"),
        "a meeting is not moved: {:?}",
        mine.buttons()
    );
    let card = open_from_the_list(&c, "Спокойнее").await;
    assert!(card.text().contains("Вы записаны в программу"), "{}", card.text());
    c.press(&card, "Встречи программы");
    let list = c.wait_edit(card.message_id).await;
    assert!(
        list.text()
            .contains("Ср 02.12, 23:00–00:30 (Asia/Novosibirsk) — ✅ вы записаны"),
        "{}",
        list.text()
    );
    // The therapist is told of the paid booking and sees the count.
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("Новая запись: Анна, групповая сессия"));
    t.send_command("/programs");
    let mine = t.wait_bot_message().await;
    assert!(
        mine.text().contains("Записались: 6. Встреч впереди: 4."),
        "{}",
        mine.text()
    );
    // R-CAN-2: the client cancels the meeting more than 24 hours ahead: the seat is free again.
    c.send_command("/mybookings");
    let mine = c.wait_bot_message().await;
    c.press(&mine, "Отменить");
    let ask = c.wait_bot_message().await;
    assert!(
        ask.text().contains(&format!("Вам вернётся 1{NB}800{NB}₽")),
        "{}",
        ask.text()
    );
    c.press(&ask, "Да, отменить");
    seed::wait_booking_state(db, b.id, BookingState::CancelledByClient).await;
    assert_eq!(Slots(db).get(meetings[0].id).await.unwrap().unwrap().booked, 0);
    app.finish().await;
}

#[tokio::test]
async fn r_grp_3_consultation_then_admission_or_decline() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let (tid, id, t) = published(&app, THERAPIST, &program("Глубже", "psychodynamic", 8)).await;
    seed::active_therapist(db, OTHER_THERAPIST, "Борис", None, now).await;
    // Tomorrow's consultation slots of the program's therapist.
    seed::slot(db, tid, SlotKind::Consultation, utc(11, 28, 7, 0), 15, 1, now).await;
    let second_slot = seed::slot(db, tid, SlotKind::Consultation, utc(11, 28, 8, 0), 15, 1, now).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    let card = open_from_the_list(&c, "Глубже").await;
    assert!(
        card.text().contains("после бесплатной 15-минутной консультации"),
        "{}",
        card.text()
    );
    // Enrol: the consultation first (R-GRP-3).
    c.press(&card, "Записаться");
    let first = c.wait_bot_message().await;
    assert!(
        first
            .text()
            .contains("сначала пройдите бесплатную предварительную консультацию"),
        "{}",
        first.text()
    );
    assert_eq!(
        Enrolments(db).live(id, CLIENT).await.unwrap().unwrap().status,
        EnrolmentStatus::AwaitingConsultation
    );
    let request = t.wait_bot_message().await;
    assert!(
        request.text().contains("Анна хочет в программу «Глубже»"),
        "the therapist is told of the admission request: {}",
        request.text()
    );
    // Meetings cannot be booked yet, even with a forged button.
    let meetings = Programs(db).meetings(id, now).await.unwrap();
    let ans = app
        .forged_press(&c, first.message_id, &format!("cb:y:g{id}:{}", meetings[0].id))
        .await;
    assert!(ans.text.unwrap_or_default().contains("после записи в неё"));
    assert!(ClientBookings(db).list(CLIENT).await.unwrap().is_empty());
    // Book the free consultation through the ordinary flow.
    c.press(&first, "бесплатную консультацию");
    let picker = c.wait_edit(first.message_id).await;
    c.press(&picker, &format!("cb:p:n{tid}c:d:20261128"));
    let times = c.wait_edit(first.message_id).await;
    c.press(&times, "10:00");
    let confirm = c.wait_edit(first.message_id).await;
    c.press(&confirm, "Подтвердить");
    let done = c.wait_edit(first.message_id).await;
    assert!(done.text().contains("Запись подтверждена"), "{}", done.text());
    c.press(&card, "Записаться");
    assert!(c.wait_bot_message().await.text().contains("уже назначена"));
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("Новая запись: Анна, предварительная консультация"));
    // Before the consultation the therapist has nothing to decide.
    t.send_command("/programs");
    let list = t.wait_bot_message().await;
    assert!(!list.has_button("Принять"), "{:?}", list.buttons());

    // A second client whose consultation will also be done.
    seed::client(db, SECOND_CLIENT, "Олег", Lang::Ru, None, now).await;
    let o = app.api.user(SECOND_CLIENT, "Олег", "ru");
    o.send_command("/help");
    o.wait_bot_message().await;
    Enrolments(db).enrol(id, SECOND_CLIENT, true, now).await.unwrap();
    ClientBookings(db)
        .book_free(second_slot, SECOND_CLIENT, None, &[], now)
        .await
        .unwrap();

    app.clock.set(utc(11, 28, 9, 0));
    t.send_command("/programs");
    let list = t.wait_bot_message().await;
    assert!(
        list.text().contains("Анна — консультация прошла, ждёт вашего решения"),
        "{}",
        list.text()
    );
    let admit = list.button_data("Принять: Анна");
    assert!(list.has_button("Отказать: Олег"));
    // A client forging the therapist's button, and another therapist: nothing changes.
    let ans = app.forged_press(&c, first.message_id, &admit).await;
    assert!(ans.text.unwrap_or_default().contains("для терапевтов"));
    let boris = app.api.user(OTHER_THERAPIST, "Борис", "ru");
    boris.send_command("/help");
    let boris_msg = boris.wait_bot_message().await;
    let ans = app.forged_press(&boris, boris_msg.message_id, &admit).await;
    assert!(ans.text.unwrap_or_default().contains("нет среди ваших"));
    let awaiting = Enrolments(db).live(id, CLIENT).await.unwrap().unwrap();
    assert_eq!(awaiting.status, EnrolmentStatus::AwaitingConsultation);

    // Admit Anna: she is told with a button to the program.
    t.press(&list, "Принять: Анна");
    let after = t.wait_edit(list.message_id).await;
    assert!(!after.has_button("Принять: Анна"));
    let admitted = c.wait_bot_message().await;
    assert!(
        admitted.text().contains("Ведущий принял вас в программу «Глубже»"),
        "{}",
        admitted.text()
    );
    let ans = app.forged_press(&t, list.message_id, &admit).await;
    assert!(
        ans.text.unwrap_or_default().contains("уже принято"),
        "a second decision changes nothing"
    );
    // Decline Oleg, politely.
    t.press(&after, "Отказать: Олег");
    t.wait_edit(list.message_id).await;
    let declined = o.wait_bot_message().await;
    assert!(
        declined.text().contains("Спасибо, что пришли на консультацию"),
        "{}",
        declined.text()
    );
    assert_eq!(
        Enrolments(db).live(id, SECOND_CLIENT).await.unwrap().unwrap().status,
        EnrolmentStatus::Declined
    );
    let ans = app.forged_press(&o, declined.message_id, &format!("cb:e:{id}")).await;
    assert!(ans.text.unwrap_or_default().contains("не подтвердил"));
    let ans = app
        .forged_press(&o, declined.message_id, &format!("cb:y:g{id}:{}", meetings[0].id))
        .await;
    assert!(ans.text.unwrap_or_default().contains("после записи в неё"));

    // Anna opens the program from the notice, enrols and books a meeting.
    c.press(&admitted, "Открыть программу");
    let card = c.wait_bot_message().await;
    c.wait_bot_message().await; // the presentation
    c.press(&card, "Записаться");
    let msgs = c.wait_bot_messages(2).await;
    assert!(msgs[0].text().contains("Вы записаны"), "{}", msgs[0].text());
    c.press(&msgs[1], "02.12");
    let confirm = c.wait_edit(msgs[1].message_id).await;
    c.press(&confirm, "Подтвердить");
    let pay_msg = c.wait_edit(msgs[1].message_id).await;
    assert!(
        pay_msg.has_button("Оплатить 1\u{a0}800\u{a0}₽"),
        "{:?}",
        pay_msg.buttons()
    );
    assert_eq!(Slots(db).get(meetings[0].id).await.unwrap().unwrap().booked, 1);
    assert!(Bookings(db).live_count(meetings[0].id).await.unwrap() == 1);
    app.finish().await;
}

#[tokio::test]
async fn r_grp_2_nothing_of_an_unpublished_program_is_bookable() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let (tid, id, t) = therapist_with_draft(&app, THERAPIST, &program("Скоро", "cbt", 6)).await;
    submit_through_the_bot(&app, &t, &admins, id).await;
    // A group slot the therapist opened by hand, at the program's time, before publication.
    let group_slot = seed::slot(db, tid, SlotKind::Group, utc(12, 2, 16, 0), 90, 6, now).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/programs_list");
    let list = c.wait_bot_message().await;
    assert!(
        list.text().contains("Опубликованных программ пока нет"),
        "{}",
        list.text()
    );
    for data in [
        format!("cb:y:g{id}:{group_slot}"),
        format!("cb:s:g{id}:{group_slot}"),
        format!("cb:k:g{id}"),
        format!("cb:e:{id}"),
    ] {
        let ans = app.forged_press(&c, list.message_id, &data).await;
        assert!(
            ans.text.clone().unwrap_or_default().contains("ещё не открыта"),
            "{data}: {ans:?}"
        );
    }
    // The group slot through an individual booking target: not offered, nothing booked.
    app.forged_press(&c, list.message_id, &format!("cb:y:n{tid}i:{group_slot}"))
        .await;
    c.wait_bot_message().await;
    app.forged_press(&c, list.message_id, &format!("cb:g:{id}")).await;
    assert!(c.wait_bot_message().await.text().contains("ещё не открыта"));
    assert!(ClientBookings(db).list(CLIENT).await.unwrap().is_empty());
    assert!(Enrolments(db).live(id, CLIENT).await.unwrap().is_none());
    assert_eq!(Slots(db).get(group_slot).await.unwrap().unwrap().booked, 0);
    app.finish().await;
}

#[tokio::test]
async fn r_grp_2_an_admin_returns_a_program_with_comments() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let (_, id, t) = therapist_with_draft(&app, THERAPIST, &program("Черновая", "gestalt", 6)).await;
    let card = submit_through_the_bot(&app, &t, &admins, id).await;
    // Not an admin: nothing changes.
    let stranger = app.api.user(3999, "Чужой", "ru");
    let cb = stranger.press_in(ADMIN_CHAT_ID, card.message_id, "Вернуть на доработку");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("только администраторам"));
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    admin.press_in(ADMIN_CHAT_ID, card.message_id, "Вернуть на доработку");
    let ask = admins.wait_bot_message().await;
    assert!(
        ask.text()
            .contains("Мария, напишите ответом комментарии к программе «Черновая»"),
        "{}",
        ask.text()
    );
    admin.send_text_in(&admins, "x");
    assert!(admins.wait_bot_message().await.text().contains("от 3 до 2000"));
    assert_eq!(
        Programs(db).get(id).await.unwrap().unwrap().status,
        ProgramStatus::Submitted
    );
    admin.send_text_in(&admins, "Опишите, для кого <группа>");
    let edited = admins.wait_edit(card.message_id).await;
    assert!(
        edited
            .text()
            .contains("Возвращена на доработку (Мария). Комментарии: Опишите, для кого <группа>"),
        "{}",
        edited.text()
    );
    assert!(edited.buttons().is_empty());
    assert!(admins.wait_bot_message().await.text().contains("Программа возвращена"));
    let told = t.wait_bot_message().await;
    assert!(
        told.text().contains("Комментарии: Опишите, для кого <группа>"),
        "{}",
        told.text()
    );
    assert!(told.html().contains("&lt;группа&gt;"), "escaped: {}", told.html());
    let p = Programs(db).get(id).await.unwrap().unwrap();
    assert_eq!(p.status, ProgramStatus::Returned);
    assert_eq!(p.return_comment.as_deref(), Some("Опишите, для кого <группа>"));
    let audit = AuditLog(db).about(&format!("program:{id}")).await.unwrap();
    assert_eq!(
        (audit[0].actor_id, audit[0].action.as_str()),
        (ADMIN_ID, "program_return")
    );
    admin.send_text_in(&admins, &format!("/audit program {id}"));
    let log = admins.wait_bot_message().await;
    assert!(
        log.text()
            .contains("program_return (Мария) — Опишите, для кого <группа>"),
        "{}",
        log.text()
    );
    t.send_command("/programs");
    let list = t.wait_bot_message().await;
    assert!(
        list.text()
            .contains("Комментарии администраторов: Опишите, для кого <группа>"),
        "{}",
        list.text()
    );
    // Decided: a late Publish press changes nothing.
    let cb = admin.press_forged(&edited, &format!("pg:pub:{id}"));
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже решено"));
    assert!(Programs(db)
        .meetings(id, app.clock_now() - TimeDelta::days(1))
        .await
        .unwrap()
        .is_empty());
    app.finish().await;
}

#[tokio::test]
async fn r_grp_2_the_program_card_and_enrolment_in_english() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let (_, id, _) = published(&app, THERAPIST, &program("Calmer", "existential", 7)).await;
    seed::client(db, CLIENT, "Ann", Lang::En, Some(chrono_tz::Europe::London), now).await;
    let c = app.api.user(CLIENT, "Ann", "en");
    c.send_command("/programs_list");
    let list = c.wait_bot_message().await;
    assert!(list.text().contains("free places: 7"), "{}", list.text());
    c.press(&list, "Program: Calmer");
    let card = c.wait_bot_message().await;
    let doc = c.wait_bot_message().await;
    assert_eq!(doc.caption.as_deref(), Some("Presentation of the program \"Calmer\""));
    let text = card.text();
    assert!(
        text.contains("Approach: Existential. Facilitator: Ирина Терапевтова."),
        "{text}"
    );
    assert!(
        text.contains(
            "Weekly: Wednesday at 16:00 (Europe/London). Next meeting: Wed 2 Dec, 16:00–17:30 (Europe/London)."
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("Your price per meeting: RUB{NB}1,800. Free places: 7 of 7.")),
        "{text}"
    );
    assert!(
        text.contains("free 15-minute consultation with the facilitator"),
        "{text}"
    );
    c.press(&card, "Enrol");
    let first = c.wait_bot_message().await;
    assert!(
        first.text().contains("first have the free preliminary consultation"),
        "{}",
        first.text()
    );
    assert!(first.has_button("Book the free consultation"));
    assert_eq!(
        Enrolments(db).live(id, CLIENT).await.unwrap().unwrap().status,
        EnrolmentStatus::AwaitingConsultation
    );
    app.finish().await;
}
