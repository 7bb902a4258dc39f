//! The therapist's calendar, bookings and group programs end to end (issue 4: R-ONB-5,
//! R-SES-1, R-CAN-3, R-GRP-1..4), through the fake Bot API, on the backend in
//! PROEGO_TEST_BACKEND. The test clock stands at 2026-11-27 09:00 UTC (12:00 in Moscow).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::BookingState as S;
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::calendar::TherapistBookings;
use proego::store::programs::{ProgramStatus, Programs};
use proego::store::slots::{SlotKind, Slots};
use serde_json::json;

// The session jobs are off here: these tests stand the clock among seeded bookings that
// the jobs (tested in jobs.rs) would expire or complete.
use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID};
use crate::support::fake_bot_api::ChatMessage;
use crate::support::seed;

const THERAPIST: i64 = 2001;
const OTHER_THERAPIST: i64 = 2002;
const CLIENT: i64 = 3001;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn has_data(m: &ChatMessage, data: &str) -> bool {
    m.buttons().iter().flatten().any(|(_, d)| d == data)
}

async fn open_slots(app: &TestApp, therapist_id: i64) -> Vec<proego::store::slots::Slot> {
    let now = app.clock_now();
    Slots(&app.db.db)
        .open_of_therapist(therapist_id, now - TimeDelta::days(1), now + TimeDelta::days(400))
        .await
        .unwrap()
}

#[tokio::test]
async fn r_onb_5_a_single_slot_is_opened_with_the_date_picker() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = seed::active_therapist(&app.db.db, THERAPIST, "Ирина", None, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");

    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    assert!(week.text().contains("Europe/Moscow (UTC+3)"), "{}", week.text());
    assert!(week.text().contains("окон нет"), "{}", week.text());
    let cb = t.press(&week, "Открыть окно");
    app.api.wait_callback_answer(&cb).await;

    let picker = t.wait_bot_message().await;
    assert!(
        picker.text().contains("Europe/Moscow"),
        "the zone is named: {}",
        picker.text()
    );
    assert!(picker.has_button("Ноябрь 2026"));
    assert!(picker.button_texts().contains(&"Пн".to_owned()), "weekday header");
    assert!(!has_data(&picker, "cal:d:20261126"), "past days are not pickable");
    assert!(has_data(&picker, "cal:d:20261127"), "today is");
    t.press(&picker, "▶");
    let picker = t.wait_edit(picker.message_id).await;
    assert!(picker.has_button("Декабрь 2026"), "{:?}", picker.button_texts());
    t.press(&picker, "cal:d:20261203");
    let time = t.wait_edit(picker.message_id).await;
    assert!(time.text().contains("Чт 03.12"), "{}", time.text());
    t.press(&time, "10:00");
    let kind = t.wait_edit(picker.message_id).await;
    assert!(kind.has_button("группа, 90 мин") && kind.has_button("консультация, 15 мин"));
    t.press(&kind, "индивидуальная сессия, 60 мин");
    let done = t.wait_edit(picker.message_id).await;
    assert!(
        done.text().contains("Чт 03.12, 10:00–11:00 (Europe/Moscow)"),
        "{}",
        done.text()
    );
    let slots = open_slots(&app, tid).await;
    assert_eq!(slots.len(), 1);
    assert_eq!(slots[0].starts_at, utc(2026, 12, 3, 7, 0), "stored in UTC");
    assert_eq!(slots[0].ends_at, utc(2026, 12, 3, 8, 0));
    assert_eq!(slots[0].kind, SlotKind::Individual);

    // A group with a typed time ("9.30") and its seats.
    t.press(&done, "Открыть окно");
    let picker = t.wait_bot_message().await;
    t.press(&picker, "▶");
    let picker = t.wait_edit(picker.message_id).await;
    t.press(&picker, "cal:d:20261204");
    t.wait_edit(picker.message_id).await;
    t.send_text("9.30");
    let kind = t.wait_bot_message().await;
    assert!(kind.text().contains("09:30"), "{}", kind.text());
    t.press(&kind, "группа, 90 мин");
    let seats = t.wait_edit(kind.message_id).await;
    assert!(seats.text().contains("От 5 до 12"), "{}", seats.text());
    t.press(&seats, "8");
    let done = t.wait_edit(kind.message_id).await;
    assert!(
        done.text()
            .contains("Пт 04.12, 09:30–11:00 (Europe/Moscow), группа, 90 мин"),
        "{}",
        done.text()
    );
    let slots = open_slots(&app, tid).await;
    assert_eq!(slots.len(), 2);
    assert_eq!((slots[1].starts_at, slots[1].capacity), (utc(2026, 12, 4, 6, 30), 8));
    app.finish().await;
}

#[tokio::test]
async fn overlap_is_refused_naming_the_conflicting_slot() {
    let mut app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = seed::active_therapist(&app.db.db, THERAPIST, "Ирина", None, now).await;
    seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 12, 3, 7, 0),
        60,
        1,
        now,
    )
    .await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    assert!(
        week.text()
            .contains("10:00–11:00 · индивидуальная сессия, 60 мин · свободно"),
        "{}",
        week.text()
    );
    t.press(&week, "Открыть окно");
    let picker = t.wait_bot_message().await;
    t.press(&picker, "▶");
    let picker = t.wait_edit(picker.message_id).await;
    assert!(picker.has_button("Декабрь 2026"), "{:?}", picker.button_texts());
    t.press(&picker, "cal:d:20261203");
    t.wait_edit(picker.message_id).await;
    // The step survives a restart of the bot.
    app.restart().await;
    t.send_text("10:30");
    let kind = t.wait_bot_message().await;
    t.press(&kind, "50 мин");
    let refused = t.wait_edit(kind.message_id).await;
    assert!(
        refused.text().contains(
            "пересекается с вашим окном Чт 03.12, 10:00–11:00 (Europe/Moscow) (индивидуальная сессия, 60 мин)"
        ),
        "{}",
        refused.text()
    );
    assert!(refused.has_button("11:00"), "back to picking the time");
    assert_eq!(open_slots(&app, tid).await.len(), 1, "nothing was opened");
    // Touching is fine.
    t.press(&refused, "11:00");
    let kind = t.wait_edit(kind.message_id).await;
    t.press(&kind, "50 мин");
    let done = t.wait_edit(kind.message_id).await;
    assert!(done.text().contains("11:00–11:50"), "{}", done.text());
    assert_eq!(open_slots(&app, tid).await.len(), 2);
    app.finish().await;
}

#[tokio::test]
async fn weekly_slots_keep_the_local_time_across_dst_in_berlin() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let berlin = chrono_tz::Europe::Berlin;
    let tid = seed::active_therapist(&app.db.db, THERAPIST, "Hanna", Some(berlin), now).await;
    // 4 April 2027, 10:00 CEST is taken already.
    seed::slot(
        &app.db.db,
        tid,
        SlotKind::Consultation,
        utc(2027, 4, 4, 8, 0),
        15,
        1,
        now,
    )
    .await;
    let t = app.api.user(THERAPIST, "Hanna", "en");
    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    assert!(week.text().contains("Europe/Berlin (UTC+1)"), "{}", week.text());
    t.press(&week, "Weekly times");
    let picker = t.wait_bot_message().await;
    assert!(picker.has_button("November 2026"));
    for month in ["December 2026", "January 2027", "February 2027", "March 2027"] {
        t.press(&picker, "▶");
        let shown = t.wait_edit(picker.message_id).await;
        assert!(shown.has_button(month), "{month}: {:?}", shown.button_texts());
    }
    // Sunday 21 March; the clocks change on Sunday 28 March 2027.
    t.press(&picker, "cal:d:20270321");
    let time = t.wait_edit(picker.message_id).await;
    assert!(time.text().contains("Every Sunday"), "{}", time.text());
    t.press(&time, "10:00");
    let kind = t.wait_edit(picker.message_id).await;
    t.press(&kind, "individual session, 60 min");
    let weeks = t.wait_edit(picker.message_id).await;
    t.press(&weeks, "3");
    let report = t.wait_edit(picker.message_id).await;
    let text = report.text();
    assert!(text.contains("Opened: 2. Skipped: 1."), "{text}");
    assert!(text.contains("Sun 21 Mar, 10:00–11:00 (Europe/Berlin)"), "{text}");
    assert!(text.contains("Sun 28 Mar, 10:00–11:00 (Europe/Berlin)"), "{text}");
    assert!(
        text.contains("Sun 4 Apr, 10:00–11:00 (Europe/Berlin): overlaps your time Sun 4 Apr, 10:00–10:15 (Europe/Berlin) (preliminary consultation, 15 min)"),
        "{text}"
    );
    let starts: Vec<_> = open_slots(&app, tid)
        .await
        .iter()
        .filter(|s| s.kind == SlotKind::Individual)
        .map(|s| s.starts_at)
        .collect();
    assert_eq!(
        starts,
        vec![utc(2027, 3, 21, 9, 0), utc(2027, 3, 28, 8, 0)],
        "10:00 CET is 09:00 UTC, 10:00 CEST is 08:00 UTC"
    );

    // 02:30 does not exist on 28 March 2027 in Berlin: the slot starts at 03:30 CEST, and the
    // therapist is told.
    t.press(&report, "Open a time");
    let picker = t.wait_bot_message().await;
    for _ in 0..4 {
        t.press(&picker, "▶");
        t.wait_edit(picker.message_id).await;
    }
    t.press(&picker, "cal:d:20270328");
    t.wait_edit(picker.message_id).await;
    t.send_text("2:30");
    let kind = t.wait_bot_message().await;
    t.press(&kind, "individual session, 50 min");
    let done = t.wait_edit(kind.message_id).await;
    assert!(
        done.text().contains("Sun 28 Mar, 03:30–04:20 (Europe/Berlin)"),
        "{}",
        done.text()
    );
    assert!(
        done.text().contains("does not exist, so it starts at 03:30"),
        "{}",
        done.text()
    );
    assert!(open_slots(&app, tid)
        .await
        .iter()
        .any(|s| s.starts_at == utc(2027, 3, 28, 1, 30)));
    app.finish().await;
}

#[tokio::test]
async fn the_week_ahead_shows_free_and_booked_and_closes_only_free_slots() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    for (i, id) in [CLIENT, CLIENT + 1, CLIENT + 2, CLIENT + 3].into_iter().enumerate() {
        seed::client(db, id, &format!("Клиент {i}"), Lang::Ru, None, now).await;
    }
    let free = seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 28, 7, 0), 60, 1, now).await;
    let booked = seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 28, 9, 0), 50, 1, now).await;
    seed::booking(db, booked, CLIENT, 3000, true, now).await;
    let group = seed::slot(db, tid, SlotKind::Group, utc(2026, 11, 29, 15, 0), 90, 8, now).await;
    for c in [CLIENT + 1, CLIENT + 2, CLIENT + 3] {
        seed::booking(db, group, c, 1500, true, now).await;
    }
    let later = seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 30, 7, 0), 60, 1, now).await;
    seed::slot(db, tid, SlotKind::Consultation, utc(2026, 12, 5, 7, 0), 15, 1, now).await;

    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    let text = week.text();
    assert!(text.contains("Сб 28.11"), "{text}");
    assert!(
        text.contains("10:00–11:00 · индивидуальная сессия, 60 мин · свободно"),
        "{text}"
    );
    assert!(
        text.contains("12:00–12:50 · индивидуальная сессия, 50 мин · занято"),
        "{text}"
    );
    assert!(
        text.contains("18:00–19:30 · группа, 90 мин · записано 3 из 8"),
        "{text}"
    );
    assert!(
        !text.contains("консультация"),
        "next week's slot is not in this week: {text}"
    );
    assert!(has_data(&week, &format!("cal:cl:{free}:0")));
    assert!(has_data(&week, &format!("cal:cl:{later}:0")));
    assert!(
        !has_data(&week, &format!("cal:cl:{booked}:0")),
        "a booked slot has no Close"
    );
    assert!(
        !has_data(&week, &format!("cal:cl:{group}:0")),
        "a group with seats taken has no Close"
    );

    t.press(&week, "Следующая неделя");
    let next = t.wait_edit(week.message_id).await;
    assert!(
        next.text().contains("Сб 05.12") && next.text().contains("консультация"),
        "{}",
        next.text()
    );
    t.press(&next, "Предыдущая неделя");
    let week = t.wait_edit(week.message_id).await;

    let cb = t.press(&week, &format!("cal:cl:{free}:0"));
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.text.unwrap_or_default().contains("Окно закрыто"));
    let week = t.wait_edit(week.message_id).await;
    assert!(!has_data(&week, &format!("cal:cl:{free}:0")));
    assert!(!Slots(db).get(free).await.unwrap().unwrap().open);

    // Booked while the week was on screen: Close is refused by the database.
    seed::booking(db, later, CLIENT, 3000, false, now).await;
    let cb = t.press(&week, &format!("cal:cl:{later}:0"));
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.show_alert);
    assert!(answer.text.unwrap_or_default().contains("/bookings"));
    let week = t.wait_edit(week.message_id).await;
    assert!(
        !has_data(&week, &format!("cal:cl:{later}:0")),
        "the stale button is gone"
    );
    let s = Slots(db).get(later).await.unwrap().unwrap();
    assert!(s.open && s.booked == 1, "nothing changed");
    // A closed slot's button pressed again: nothing changes (and the message stays as it is).
    let cb = t.press_forged(&week, &format!("cal:cl:{free}:0"));
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже закрыто"));
    app.finish().await;
}

#[tokio::test]
async fn forged_and_stale_calendar_buttons_change_nothing() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    let other = seed::active_therapist(db, OTHER_THERAPIST, "Олег", None, now).await;
    let theirs = seed::slot(db, other, SlotKind::Individual, utc(2026, 11, 28, 7, 0), 60, 1, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");

    // Another therapist's slot id.
    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    let cb = t.press_forged(&week, &format!("cal:cl:{theirs}:0"));
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.text.unwrap_or_default().contains("нет в вашем календаре"));
    assert!(Slots(db).get(theirs).await.unwrap().unwrap().open);

    // A date in the past, a time in the past, a button of another step.
    t.press(&week, "Открыть окно");
    let picker = t.wait_bot_message().await;
    let cb = t.press_forged(&picker, "cal:d:20261126");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже прошёл"));
    let cb = t.press_forged(&picker, "cal:w:3");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("больше не действует"));
    t.press(&picker, "cal:d:20261127");
    let time = t.wait_edit(picker.message_id).await;
    let cb = t.press(&time, "10:00");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже прошло"));
    t.send_text("11:59");
    assert!(t.wait_bot_message().await.text().contains("уже прошло"));
    t.send_text("25:00");
    assert!(t.wait_bot_message().await.text().contains("Не понял время"));
    t.send_command("/cancel");
    t.wait_bot_message().await;
    // The dialogue is over: its buttons are stale.
    let cb = t.press(&time, "13:00");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("больше не действует"));
    assert!(open_slots(&app, tid).await.is_empty());

    // A client pressing a therapist's button.
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/start");
    let hello = c.wait_bot_message().await;
    let cb = c.press_forged(&hello, &format!("cal:cl:{theirs}:0"));
    let answer = app.api.wait_callback_answer(&cb).await;
    assert!(answer.text.unwrap_or_default().contains("для терапевтов"));
    assert!(Slots(db).get(theirs).await.unwrap().unwrap().open);
    app.finish().await;
}

#[tokio::test]
async fn clients_and_admins_typing_calendar_get_their_usual_answer() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    seed::active_therapist(&app.db.db, THERAPIST, "Ирина", None, now).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/calendar");
    assert!(c.wait_bot_message().await.text().contains("Такой команды я не знаю"));
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    admin.send_command("/calendar");
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("Такой команды я не знаю"));
    assert!(!app
        .api
        .my_commands(json!({"type": "default"}), Some("ru"))
        .iter()
        .any(|(c, _)| c == "calendar"));
    // The therapist's own menu has it, and /help lists it.
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    assert!(t.wait_bot_message().await.text().contains("/calendar"));
    let menu = app
        .api
        .wait_for("the therapist's menu", |a| {
            let m = a.my_commands(json!({"type": "chat", "chat_id": THERAPIST}), None);
            (!m.is_empty()).then_some(m)
        })
        .await;
    for cmd in ["calendar", "bookings", "programs"] {
        assert!(menu.iter().any(|(c, _)| c == cmd), "{cmd}: {menu:?}");
    }
    app.finish().await;
}

#[tokio::test]
async fn r_can_3_therapist_cancels_timely_late_and_a_whole_group() {
    let app = TestApp::start_without_session_jobs().await;
    // The admin chat, where a force-majeure case goes (issue 5).
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    seed::client(db, CLIENT, "Anna", Lang::En, Some(chrono_tz::Asia::Novosibirsk), now).await;
    seed::client(db, CLIENT + 1, "Борис", Lang::Ru, None, now).await;
    let far = seed::slot(db, tid, SlotKind::Individual, utc(2026, 12, 3, 7, 0), 60, 1, now).await;
    let near = seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 28, 8, 0), 60, 1, now).await;
    let unpaid = seed::slot(db, tid, SlotKind::Individual, utc(2026, 12, 4, 7, 0), 50, 1, now).await;
    let group = seed::slot(db, tid, SlotKind::Group, utc(2026, 12, 5, 15, 0), 90, 8, now).await;
    let b_far = seed::booking(db, far, CLIENT, 3000, true, now).await;
    let b_near = seed::booking(db, near, CLIENT, 3000, true, now).await;
    seed::booking(db, unpaid, CLIENT, 3000, false, now).await;
    let g1 = seed::booking(db, group, CLIENT, 1500, true, now).await;
    let g2 = seed::booking(db, group, CLIENT + 1, 1500, false, now).await;
    let anna = app.api.user(CLIENT, "Anna", "en");
    anna.send_command("/start");
    anna.wait_bot_messages(2).await; // the greeting and the consent question
    let boris = app.api.user(CLIENT + 1, "Борис", "ru");
    boris.send_command("/start");
    boris.wait_bot_messages(2).await;

    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/bookings");
    let list = t.wait_bot_message().await;
    let text = list.text();
    assert!(text.contains("Чт 03.12, 10:00–11:00 (Europe/Moscow) — Anna"), "{text}");
    assert!(text.contains("индивидуальная сессия, 60 мин · оплачено"), "{text}");
    assert!(text.contains("индивидуальная сессия, 50 мин · ждёт оплаты"), "{text}");
    assert!(text.contains("Сб 05.12, 18:00–19:30 (Europe/Moscow) — Борис"), "{text}");
    assert!(
        list.has_button("Отменить группу: 05.12 18:00 (2)"),
        "{:?}",
        list.button_texts()
    );

    // At least 24 hours before: the client is refunded in full, the time is closed.
    t.press(&list, "Отменить: Anna, 03.12 10:00");
    let confirm = t.wait_edit(list.message_id).await;
    assert!(
        confirm.text().contains("получат деньги полностью"),
        "{}",
        confirm.text()
    );
    assert!(confirm.text().contains("закроется в календаре"), "{}", confirm.text());
    t.press(&confirm, "Да, отменить");
    let done = t.wait_edit(list.message_id).await;
    assert!(done.text().contains("отменена — Anna"), "{}", done.text());
    assert!(!done.has_button("форс-мажор"));
    let told = anna.wait_bot_message().await;
    assert!(told.text().contains("cancelled your session"), "{}", told.text());
    assert!(
        told.text().contains("14:00–15:00 (Asia/Novosibirsk)"),
        "in the client's zone: {}",
        told.text()
    );
    assert!(
        told.text().contains("money for the session back in full")
            && told
                .text()
                .contains("the hold on your card is released, nothing was taken"),
        "R-PAY-1: a held payment is released, not refunded: {}",
        told.text()
    );
    assert!(!told.text().contains("free"), "{}", told.text());
    let tb = TherapistBookings(db);
    assert_eq!(
        Bookings(db).get(b_far).await.unwrap().unwrap().state,
        S::CancelledByTherapist
    );
    assert_eq!(
        tb.cancellation(b_far).await.unwrap(),
        Some(("timely".to_owned(), "release_hold".to_owned(), false))
    );
    let money = proego::store::payments::Payments(db).for_booking(b_far).await.unwrap();
    assert_eq!(
        money[0].state,
        proego::domain::PaymentState::Released,
        "the hold is released at the provider"
    );
    assert!(
        !Slots(db).get(far).await.unwrap().unwrap().open,
        "nobody can book the cancelled time"
    );

    // 23 hours before: refunded, and the next session is free; a force-majeure document.
    t.press(&done, "К записям");
    let list = t.wait_edit(list.message_id).await;
    t.press(&list, "Отменить: Anna, 28.11 11:00");
    let confirm = t.wait_edit(list.message_id).await;
    assert!(confirm.text().contains("меньше 24 часов"), "{}", confirm.text());
    t.press(&confirm, "Да, отменить");
    let done = t.wait_edit(list.message_id).await;
    assert!(done.text().contains("будет бесплатной"), "{}", done.text());
    let told = anna.wait_bot_message().await;
    assert!(
        told.text().contains("Your next session with Ирина Терапевтова is free"),
        "{}",
        told.text()
    );
    // The hold was not captured yet (the capture job is off here): it is released, in full.
    assert_eq!(
        tb.cancellation(b_near).await.unwrap(),
        Some(("late".to_owned(), "release_hold".to_owned(), true))
    );
    let money = proego::store::payments::Payments(db).for_booking(b_near).await.unwrap();
    assert_eq!(money[0].state, proego::domain::PaymentState::Released);
    t.press(&done, "форс-мажоре");
    let ask = t.wait_bot_message().await;
    assert!(ask.text().contains("Пришлите документ"), "{}", ask.text());
    t.send_text("вот");
    assert!(t.wait_bot_message().await.text().contains("файлом"));
    t.send_photo(1200, 1600, 300_000);
    assert!(
        t.wait_bot_message().await.text().contains("Документ получен"),
        "a photographed scan counts"
    );
    assert_eq!(tb.force_majeure(b_near).await.unwrap().unwrap().0, "pending");
    assert!(
        admins.wait_bot_message().await.has_button("Принять"),
        "the case reaches the admins"
    );
    // A second document for the same cancellation is not needed.
    let cb = t.press(&done, "форс-мажоре");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже отправлен"));

    // A group session is cancelled for all its participants at once, each told.
    t.send_command("/bookings");
    let list = t.wait_bot_message().await;
    t.press(&list, "Отменить группу");
    let confirm = t.wait_edit(list.message_id).await;
    assert!(confirm.text().contains("Anna, Борис"), "{}", confirm.text());
    t.press(&confirm, "Да, отменить");
    let done = t.wait_edit(list.message_id).await;
    assert!(done.text().contains("получат деньги полностью"), "{}", done.text());
    assert!(anna
        .wait_bot_message()
        .await
        .text()
        .contains("money for the session back in full"));
    let told = boris.wait_bot_message().await;
    assert!(told.text().contains("ничего не списано"), "{}", told.text());
    for b in [g1, g2] {
        assert_eq!(
            Bookings(db).get(b).await.unwrap().unwrap().state,
            S::CancelledByTherapist
        );
    }
    let slot = Slots(db).get(group).await.unwrap().unwrap();
    assert_eq!((slot.open, slot.booked), (false, 0));
    app.finish().await;
}

#[tokio::test]
async fn sessions_that_started_are_marked_held_or_no_show() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    let other = seed::active_therapist(db, OTHER_THERAPIST, "Олег", None, now).await;
    seed::client(db, CLIENT, "Anna", Lang::En, None, now).await;
    seed::client(db, CLIENT + 1, "Борис", Lang::Ru, None, now).await;
    let earlier = now - TimeDelta::hours(3);
    let s1 = seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 27, 7, 0), 60, 1, earlier).await;
    let s2 = seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 27, 8, 0), 50, 1, earlier).await;
    let s3 = seed::slot(db, other, SlotKind::Individual, utc(2026, 11, 27, 8, 0), 50, 1, earlier).await;
    let b1 = seed::booking(db, s1, CLIENT, 3000, true, earlier).await;
    let b2 = seed::booking(db, s2, CLIENT + 1, 3000, true, earlier).await;
    let b3 = seed::booking(db, s3, CLIENT, 3000, true, earlier).await;

    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/bookings");
    let list = t.wait_bot_message().await;
    assert!(
        list.has_button("Состоялась: Anna, 27.11 10:00"),
        "{:?}",
        list.button_texts()
    );
    assert!(!list.has_button("Отменить"), "started sessions cannot be cancelled");
    let cb = t.press(&list, "Состоялась: Anna");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("состоялась"));
    let list = t.wait_edit(list.message_id).await;
    assert_eq!(Bookings(db).get(b1).await.unwrap().unwrap().state, S::Completed);
    t.press(&list, &format!("bk:n:{b2}"));
    let list = t.wait_edit(list.message_id).await;
    assert!(list.text().contains("Предстоящих записей нет"), "{}", list.text());
    assert_eq!(Bookings(db).get(b2).await.unwrap().unwrap().state, S::NoShow);

    // Forged: another therapist's booking; a second tap on a settled one.
    let cb = t.press_forged(&list, &format!("bk:h:{b3}"));
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("нет среди ваших"));
    assert_eq!(Bookings(db).get(b3).await.unwrap().unwrap().state, S::Confirmed);
    let cb = t.press_forged(&list, &format!("bk:c:{b1}"));
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже ничего сделать нельзя"));
    assert_eq!(Bookings(db).get(b1).await.unwrap().unwrap().state, S::Completed);
    app.finish().await;
}

#[tokio::test]
async fn r_grp_1_a_program_is_written_with_a_presentation_and_submitted() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let db = &app.db.db;
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    let admins = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/programs");
    let list = t.wait_bot_message().await;
    assert!(list.text().contains("Программ пока нет"), "{}", list.text());
    t.press(&list, "Новая программа");
    let intro = t.wait_bot_messages(2).await;
    assert!(intro[1].text().contains("Как называется"), "{}", intro[1].text());
    t.send_text("Тревога <и> опора");
    assert!(t.wait_bot_message().await.text().contains("Опишите программу"));
    t.send_text("Восемь встреч о тревоге и опоре.");
    let approach = t.wait_bot_message().await;
    t.press(&approach, "психодинамический подход");
    assert!(t.wait_bot_message().await.text().contains("Тема программы"));
    t.send_text("тревога");
    assert!(t.wait_bot_message().await.text().contains("Сколько встреч"));
    t.send_text("0");
    assert!(t.wait_bot_message().await.text().contains("от 1 до 52"));
    t.send_text("8");
    let weekday = t.wait_bot_message().await;
    t.press(&weekday, "Ср");
    assert!(t.wait_bot_message().await.text().contains("Во сколько"));
    t.send_text("19:00");
    let seats = t.wait_bot_message().await;
    t.press(&seats, "8");
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("не меньше 1\u{a0}500\u{a0}₽"));
    t.send_text("1000");
    let floor = t.wait_bot_message().await;
    assert!(
        floor.text().contains("не меньше 1\u{a0}500\u{a0}₽ с участника"),
        "{}",
        floor.text()
    );
    assert!(Programs(db).of_therapist(tid).await.unwrap().is_empty());
    t.send_text("1800");
    let saved = t.wait_bot_messages(2).await;
    assert!(saved[0].text().contains("Черновик"), "{}", saved[0].text());
    assert!(saved[1].text().contains("презентацию"), "{}", saved[1].text());
    t.send_document("huge.pdf", "application/pdf", 25 * 1024 * 1024);
    assert!(t.wait_bot_message().await.text().contains("больше 20 МБ"));
    t.send_document("program.pdf", "application/pdf", 300_000);
    let card = t.wait_bot_message().await;
    let text = card.text();
    assert!(text.contains("Тревога <и> опора — черновик"), "{text}");
    assert!(text.contains("8 встреч по 90 мин, среда в 19:00"), "{text}");
    assert!(
        text.contains("До 8 участников, 1\u{a0}800\u{a0}₽ с участника"),
        "{text}"
    );
    let cb = t.press(&card, "Отправить на публикацию");
    app.api.wait_callback_answer(&cb).await;
    let submitted = t.wait_edit(card.message_id).await;
    assert!(
        submitted.text().contains("отправлена на публикацию"),
        "{}",
        submitted.text()
    );
    let programs = Programs(db).of_therapist(tid).await.unwrap();
    assert_eq!(programs.len(), 1);
    assert_eq!(programs[0].status, ProgramStatus::Submitted);
    assert_eq!(programs[0].fields.approach, "psychodynamic");
    assert_eq!(programs[0].fields.price, proego::domain::Money::rubles(1800));
    // A second submission is refused.
    let cb = t.press_forged(&submitted, &format!("pg:s:{}", programs[0].id));
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже нельзя менять"));

    // R-GRP-2: the admins get a card with the presentation; only an admin decides.
    let card = admins.wait_bot_message().await;
    assert!(
        card.text()
            .contains("Групповая программа на публикацию от терапевта Ирина Терапевтова"),
        "{}",
        card.text()
    );
    assert!(
        card.text().contains("Тревога <и> опора") && card.text().contains("Восемь встреч"),
        "{}",
        card.text()
    );
    let doc = admins.wait_bot_message().await;
    assert!(doc.document.is_some(), "the presentation follows the card");
    let cb = t.press_in(ADMIN_CHAT_ID, card.message_id, "Опубликовать");
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("администратор"));
    assert_eq!(
        Programs(db).get(programs[0].id).await.unwrap().unwrap().status,
        ProgramStatus::Submitted
    );
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    admin.press_in(ADMIN_CHAT_ID, card.message_id, "Опубликовать");
    let decided = admins.wait_edit(card.message_id).await;
    assert!(
        decided.text().contains("Решение: опубликована (Мария)"),
        "{}",
        decided.text()
    );
    assert!(decided.buttons().is_empty());
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("опубликована: клиенты могут"));
    assert_eq!(
        Programs(db).get(programs[0].id).await.unwrap().unwrap().status,
        ProgramStatus::Published
    );
    let cb = admin.press_forged(&card, &format!("pg:ret:{}", programs[0].id));
    assert!(app
        .api
        .wait_callback_answer(&cb)
        .await
        .text
        .unwrap_or_default()
        .contains("уже решено"));
    t.send_command("/programs");
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("Тревога <и> опора — опубликована"));
    app.finish().await;
}
