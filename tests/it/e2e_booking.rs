//! Client booking end to end (R-CLI-5, R-CLI-6, R-PAY-1, R-PRICE-3, R-CAN-2), through the fake
//! Bot API on the backend in PROEGO_TEST_BACKEND. The clock stands at 2026-11-27 09:00 UTC.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{BookingState, Money, PaymentState, PriceKind, PriceState};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::pay_messages::PayMessages;
use proego::store::payments::Payments;
use proego::store::profiles::{Profiles, TextField};
use proego::store::slots::SlotKind;
use proego::store::Db;

use crate::support::app::TestApp;
use crate::support::fake_bot_api::ChatMessage;
use crate::support::seed;

const THERAPIST: i64 = 2101;
const CLIENT: i64 = 3101;
const OTHER_CLIENT: i64 = 3102;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// An active therapist with a price of `rubles`, a bio and a room link; returns the id.
async fn therapist(db: &Db, rubles: u32, now: DateTime<Utc>) -> i64 {
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    let p = Profiles(db);
    p.set_text(tid, TextField::Bio, "Работаю с <тревогой>", now)
        .await
        .unwrap();
    p.set_text(tid, TextField::VideoRoomLink, "https://meet.example.org/irina", now)
        .await
        .unwrap();
    set_price(db, tid, rubles, now).await;
    tid
}

async fn set_price(db: &Db, tid: i64, rubles: u32, now: DateTime<Utc>) {
    Profiles(db)
        .set_price(
            tid,
            PriceKind::Individual,
            &PriceState {
                amount: Money::rubles(rubles),
                activated_at: Some(now),
                last_change_at: None,
            },
            now,
        )
        .await
        .unwrap();
}

async fn wait_state(db: &Db, id: i64, state: BookingState) {
    for _ in 0..300 {
        if Bookings(db).get(id).await.unwrap().unwrap().state == state {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("booking {id} never became {state}");
}

async fn only_booking(db: &Db, client: i64) -> proego::store::client_booking::ClientBooking {
    let list = proego::store::client_booking::ClientBookings(db)
        .list(client)
        .await
        .unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

struct Words {
    lang: &'static str,
    book: &'static str,
    confirm: &'static str,
    pay: &'static str,
    rule: &'static str,
    told: &'static str,
    paid: &'static str,
    expired: &'static str,
    kind_line: &'static str,
}

const RU: Words = Words {
    lang: "ru",
    book: "Записаться на индивидуальную сессию",
    confirm: "Подтвердить",
    pay: "Оплатить 2\u{a0}500\u{a0}₽",
    rule: "Бесплатная отмена до",
    told: "Новая запись",
    paid: "Оплачено ✓",
    expired: "Время оплаты истекло",
    kind_line: " — индивидуальная сессия",
};
const EN: Words = Words {
    lang: "en",
    book: "Book an individual session",
    confirm: "Confirm",
    pay: "Pay ",
    rule: "Free cancellation until",
    told: "Новая запись",
    paid: "Paid ✓",
    expired: "The time to pay has run out",
    kind_line: " — individual session",
};

/// Deep link -> card -> calendar -> time -> confirmation -> booking -> the payment page.
async fn book_through_the_bot(app: &TestApp, tid: i64, client: i64, w: &Words) -> (ChatMessage, String) {
    let c = app.api.user(client, "Анна", w.lang);
    c.send_command(&format!("/start t_{tid}"));
    let card = c.wait_bot_message().await;
    assert!(card.text().contains("Ирина"), "{}", card.text());
    assert!(card.html().contains("&lt;тревогой&gt;"), "escaped: {}", card.html());
    assert!(
        card.text().contains("2\u{a0}500") || card.text().contains("2,500"),
        "{}",
        card.text()
    );
    assert!(
        card.text().contains("Europe/Moscow"),
        "the zone is named: {}",
        card.text()
    );
    assert!(
        card.text().contains(w.kind_line),
        "each free time names its kind: {}",
        card.text()
    );
    c.press(&card, w.book);
    let picker = c.wait_edit(card.message_id).await;
    assert!(picker.text().contains("Europe/Moscow"), "{}", picker.text());
    let day = format!("cb:p:n{tid}i:d:20261130");
    assert!(
        picker.buttons().iter().flatten().any(|(_, d)| *d == day),
        "{:?}",
        picker.buttons()
    );
    assert!(
        !picker.buttons().iter().flatten().any(|(_, d)| d.ends_with("20261201")),
        "days without free times are not pressable"
    );
    c.press(&picker, &day);
    let times = c.wait_edit(card.message_id).await;
    c.press(&times, "10:00");
    let confirm = c.wait_edit(card.message_id).await;
    assert!(confirm.text().contains(w.rule), "{}", confirm.text());
    c.press(&confirm, w.confirm);
    let pay = c.wait_edit(card.message_id).await;
    let url = pay.button_data(w.pay);
    assert!(url.contains("/pay/"), "{url}");
    (pay, url)
}

async fn pay(app: &TestApp, url: &str) {
    let id = url.rsplit('/').next().unwrap();
    let res = reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn deep_link_card_book_pay(w: &Words) {
    let app = TestApp::start().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    seed::client(
        &app.db.db,
        CLIENT,
        "Анна",
        if w.lang == "ru" { Lang::Ru } else { Lang::En },
        None,
        now,
    )
    .await;
    let slot = seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 11, 30, 7, 0),
        60,
        1,
        now,
    )
    .await;
    let (pay_msg, url) = book_through_the_bot(&app, tid, CLIENT, w).await;
    let b = only_booking(&app.db.db, CLIENT).await;
    assert_eq!(
        (b.slot_id, b.state, b.price),
        (slot, BookingState::AwaitingPayment, Money::rubles(2500))
    );
    // A second tap on Confirm books nothing more and shows the same link again.
    let c = app.api.user(CLIENT, "Анна", w.lang);
    app.forged_press(&c, pay_msg.message_id, &format!("cb:y:n{tid}i:{slot}"))
        .await;
    let again = c.wait_bot_message().await;
    assert_eq!(again.button_data(w.pay), url);
    only_booking(&app.db.db, CLIENT).await;
    pay(&app, &url).await;
    wait_state(&app.db.db, b.id, BookingState::Confirmed).await;
    let told = app
        .api
        .wait_for("the therapist told", |a| {
            a.chat(THERAPIST)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with(w.told))
        })
        .await;
    assert!(told.text().contains("Анна"), "{}", told.text());
    // R-PAY-1: both messages that showed the link now say it is paid, without the pay button.
    let mut closed = None;
    for mid in [pay_msg.message_id, again.message_id] {
        let m = pay_message_closed(&app, CLIENT, mid, w.paid).await;
        assert!(m.text().contains("Ирина"), "{}", m.text());
        closed = Some(m);
    }
    // Closing again enqueues nothing: each message is closed once.
    let mut tx = app.db.db.begin().await.unwrap();
    let repeated = PayMessages::close_in(&mut tx, b.id, "x", app.clock_now()).await;
    tx.commit().await.unwrap();
    assert_eq!(repeated.unwrap(), 0, "each message is closed once");
    // An identical edit (a relay repeating itself after a crash): Telegram's "message is not
    // modified" counts as done, not as a failure.
    let closed = closed.unwrap();
    let same = OutboxMessage::new(CLIENT, closed.html().to_owned())
        .edit(closed.message_id)
        .dedupe("test:identical-edit");
    Outbox(&app.db.db).enqueue(&same, app.clock_now()).await.unwrap();
    let mut settled = None;
    for _ in 0..300 {
        let last = Outbox(&app.db.db).all().await.unwrap().pop().unwrap();
        if last.sent_at.is_some() || last.failed_at.is_some() {
            settled = Some(last);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let settled = settled.expect("the identical edit was relayed");
    assert!(settled.sent_at.is_some() && settled.failed_at.is_none(), "{settled:?}");
    assert_eq!(
        app.api.chat(CLIENT).message(closed.message_id).unwrap().text(),
        closed.text()
    );
    // The fake Bot API records Telegram's refusal; the relay took it as done.
    assert_eq!(app.api.assert_violation("message is not modified").len(), 1);
    app.finish().await;
}

/// Waits until the client's message `mid` reads `needle` and has no buttons left.
pub(crate) async fn pay_message_closed(app: &TestApp, client: i64, mid: i32, needle: &str) -> ChatMessage {
    app.api
        .wait_for("the pay message closed", |a| {
            a.chat(client)
                .message(mid)
                .filter(|m| m.text().contains(needle) && m.buttons().is_empty())
        })
        .await
}

/// R-PAY-1: an unpaid booking expires after 15 minutes and its pay message says so, without
/// the pay button (the expiry notice is still sent).
async fn pay_message_after_expiry(w: &Words) {
    let app = TestApp::start().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    seed::client(
        &app.db.db,
        CLIENT,
        "Анна",
        if w.lang == "ru" { Lang::Ru } else { Lang::En },
        None,
        now,
    )
    .await;
    seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 11, 30, 7, 0),
        60,
        1,
        now,
    )
    .await;
    let (pay_msg, _url) = book_through_the_bot(&app, tid, CLIENT, w).await;
    let b = only_booking(&app.db.db, CLIENT).await;
    app.clock.advance(TimeDelta::minutes(15));
    wait_state(&app.db.db, b.id, BookingState::Expired).await;
    let closed = pay_message_closed(&app, CLIENT, pay_msg.message_id, w.expired).await;
    assert!(!closed.text().contains(w.paid), "{}", closed.text());
    assert_eq!(
        app.api
            .chat(CLIENT)
            .bot_messages()
            .iter()
            .filter(|m| m.text().contains(w.expired))
            .count(),
        1,
        "only the pay message is edited"
    );
    app.finish().await;
}

#[tokio::test]
async fn r_pay_1_pay_message_closed_after_expiry_ru() {
    pay_message_after_expiry(&RU).await;
}

#[tokio::test]
async fn r_pay_1_pay_message_closed_after_expiry_en() {
    pay_message_after_expiry(&EN).await;
}

#[tokio::test]
async fn r_cli_5_deep_link_card_book_and_pay_ru() {
    deep_link_card_book_pay(&RU).await;
}

#[tokio::test]
async fn r_cli_5_deep_link_card_book_and_pay_en() {
    deep_link_card_book_pay(&EN).await;
}

#[tokio::test]
async fn r_cli_5_two_clients_one_slot_one_wins() {
    let app = TestApp::start().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    let slot = seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 11, 30, 7, 0),
        60,
        1,
        now,
    )
    .await;
    seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 11, 30, 9, 0),
        60,
        1,
        now,
    )
    .await;
    let mut screens = Vec::new();
    for id in [CLIENT, OTHER_CLIENT] {
        let c = app.api.user(id, "Анна", "ru");
        c.send_command(&format!("/start t_{tid}"));
        let card = c.wait_bot_message().await;
        c.press(&card, RU.book);
        let picker = c.wait_edit(card.message_id).await;
        c.press(&picker, &format!("cb:p:n{tid}i:d:20261130"));
        let times = c.wait_edit(card.message_id).await;
        c.press(&times, "10:00");
        let confirm = c.wait_edit(card.message_id).await;
        screens.push((c, confirm));
    }
    // Both press Confirm at once.
    for (c, screen) in &screens {
        c.press(screen, RU.confirm);
    }
    let taken = app
        .api
        .wait_for("one told the time was just taken", |a| {
            [CLIENT, OTHER_CLIENT].into_iter().find_map(|id| {
                a.chat(id)
                    .bot_messages()
                    .into_iter()
                    .find(|m| m.text().contains("только что заняли"))
                    .map(|m| (id, m))
            })
        })
        .await;
    assert!(
        taken.1.button_texts().iter().any(|t| t.contains("12:00")),
        "the next free times"
    );
    let (taken, paid) = (1, 1);
    assert_eq!((taken, paid), (1, 1));
    assert_eq!(Bookings(&app.db.db).live_count(slot).await.unwrap(), 1);
    app.finish().await;
}

/// A confirmed, held booking made through the bot; returns its id.
async fn held_booking(app: &TestApp, tid: i64) -> i64 {
    let (_, url) = book_through_the_bot(app, tid, CLIENT, &RU).await;
    let b = only_booking(&app.db.db, CLIENT).await;
    pay(app, &url).await;
    wait_state(&app.db.db, b.id, BookingState::Confirmed).await;
    b.id
}

async fn cancel_at(offset_before: TimeDelta, expect_free: bool) {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    let start = utc(2026, 11, 30, 7, 0);
    seed::slot(&app.db.db, tid, SlotKind::Individual, start, 60, 1, now).await;
    let booking = held_booking(&app, tid).await;
    app.clock.set(start - offset_before);
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/mybookings");
    let list = app
        .api
        .wait_for("the list", |a| {
            a.chat(CLIENT)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Ваши сессии"))
        })
        .await;
    assert!(list.text().contains("подтверждена"), "{}", list.text());
    c.press(&list, "Отменить 1");
    let ask = app
        .api
        .wait_for("the question", |a| {
            a.chat(CLIENT)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Отменить:"))
        })
        .await;
    if expect_free {
        assert!(ask.text().contains("Вам вернётся 2\u{a0}500\u{a0}₽"), "{}", ask.text());
    } else {
        assert!(ask.text().contains("остаётся оплаченной полностью"), "{}", ask.text());
    }
    assert_eq!(
        Bookings(&app.db.db).get(booking).await.unwrap().unwrap().state,
        BookingState::Confirmed,
        "nothing changes before the client confirms"
    );
    c.press(&ask, "Да, отменить");
    let done = c.wait_edit(ask.message_id).await;
    assert!(done.text().starts_with("Отменено"), "{}", done.text());
    assert_eq!(
        Bookings(&app.db.db).get(booking).await.unwrap().unwrap().state,
        BookingState::CancelledByClient
    );
    let payment = Payments(&app.db.db).for_booking(booking).await.unwrap().pop().unwrap();
    let expected = if expect_free {
        PaymentState::Released
    } else {
        PaymentState::Held
    };
    assert_eq!(payment.state, expected, "the money: released, or kept for capture");
    app.api
        .wait_for("the therapist told", |a| {
            a.chat(THERAPIST)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Клиент Анна отменил"))
        })
        .await;
    app.finish().await;
}

#[tokio::test]
async fn r_can_2_exactly_24h_before_is_free() {
    cancel_at(TimeDelta::hours(24), true).await;
}

#[tokio::test]
async fn r_can_2_23h59m59s_before_stays_paid() {
    cancel_at(TimeDelta::hours(24) - TimeDelta::seconds(1), false).await;
}

#[tokio::test]
async fn forged_presses_change_nothing() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    let other = seed::active_therapist(&app.db.db, 2102, "Пётр", None, now).await;
    let start = utc(2026, 11, 30, 7, 0);
    let slot = seed::slot(&app.db.db, tid, SlotKind::Individual, start, 60, 1, now).await;
    let closed = seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        start + TimeDelta::hours(2),
        60,
        1,
        now,
    )
    .await;
    proego::store::slots::Slots(&app.db.db)
        .close_free(tid, closed)
        .await
        .unwrap();
    let past = seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        now - TimeDelta::hours(3),
        60,
        1,
        now,
    )
    .await;
    seed::client(&app.db.db, OTHER_CLIENT, "Олег", Lang::Ru, None, now).await;
    let others = seed::booking(&app.db.db, slot, OTHER_CLIENT, 2500, true, now).await;
    use proego::store::therapists::{TherapistStatus, Therapists};
    Therapists(&app.db.db)
        .transition(other, TherapistStatus::Active, TherapistStatus::Suspended, now)
        .await
        .unwrap();
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/start");
    let m = c.wait_bot_message().await;
    for data in [format!("cb:xy:{others}"), format!("cb:x:{others}")] {
        let a = app.forged_press(&c, m.message_id, &data).await;
        assert!(a.text.unwrap_or_default().contains("не ваша"), "{data}");
    }
    for s in [closed, past] {
        app.forged_press(&c, m.message_id, &format!("cb:y:n{tid}i:{s}")).await;
    }
    // A suspended therapist's card: a clear answer, no card.
    app.forged_press(&c, m.message_id, &format!("cb:c:{other}")).await;
    app.api
        .wait_for("the card refused", |a| {
            a.chat(CLIENT)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().contains("недоступен"))
        })
        .await;
    assert_eq!(Bookings(&app.db.db).count_for_client(CLIENT).await.unwrap(), 0);
    assert_eq!(
        Bookings(&app.db.db).get(others).await.unwrap().unwrap().state,
        BookingState::Confirmed
    );
    app.finish().await;
}

/// Picks `day` (yyyymmdd) and `time` on a calendar message and confirms; returns the result.
async fn pick_and_confirm(
    c: &crate::support::fake_bot_api::TestUser,
    calendar: &ChatMessage,
    data_prefix: &str,
    day: &str,
    time: &str,
    confirm_words: &[&str],
) -> ChatMessage {
    c.press(calendar, &format!("{data_prefix}:d:{day}"));
    let times = c.wait_edit(calendar.message_id).await;
    c.press(&times, time);
    let confirm = c.wait_edit(calendar.message_id).await;
    for w in confirm_words {
        assert!(confirm.text().contains(w), "{w:?} in {}", confirm.text());
    }
    c.press(&confirm, RU.confirm);
    c.wait_edit(calendar.message_id).await
}

/// /start t_<id> -> the card (checked for `expect`) -> Book: the calendar.
async fn open_card(
    app: &TestApp,
    c: &crate::support::fake_bot_api::TestUser,
    tid: i64,
    expect: &str,
) -> (ChatMessage, ChatMessage) {
    let before = app.api.chat(CLIENT).bot_messages().len();
    c.send_command(&format!("/start t_{tid}"));
    let card = app
        .api
        .wait_for("the card", |a| {
            a.chat(CLIENT)
                .bot_messages()
                .into_iter()
                .skip(before)
                .find(|m| m.text().contains("Ваша цена"))
        })
        .await;
    assert!(card.text().contains(expect), "{expect:?} in {}", card.text());
    c.press(&card, RU.book);
    let cal = c.wait_edit(card.message_id).await;
    (card, cal)
}

#[tokio::test]
async fn r_price_3_a_locked_price_stays_and_a_lower_one_wins() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 3000, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    for h in [7, 9, 11] {
        seed::slot(
            &app.db.db,
            tid,
            SlotKind::Individual,
            utc(2026, 11, 30, h, 0),
            60,
            1,
            now,
        )
        .await;
    }
    let c = app.api.user(CLIENT, "Анна", "ru");
    let (_, cal) = open_card(&app, &c, tid, "3\u{a0}000\u{a0}₽").await;
    let pay_msg = pick_and_confirm(&c, &cal, &format!("cb:p:n{tid}i"), "20261130", "10:00", &["3\u{a0}000"]).await;
    pay(&app, &pay_msg.button_data("Оплатить 3")).await;
    let first = only_booking(&app.db.db, CLIENT).await;
    wait_state(&app.db.db, first.id, BookingState::Confirmed).await;
    // The price went up: this client keeps 3 000 ₽.
    set_price(&app.db.db, tid, 4000, now).await;
    let (card, cal) = open_card(&app, &c, tid, "3\u{a0}000\u{a0}₽").await;
    assert!(card.text().contains("сохраняется для вас до"), "{}", card.text());
    let m = pick_and_confirm(&c, &cal, &format!("cb:p:n{tid}i"), "20261130", "12:00", &["3\u{a0}000"]).await;
    assert!(m.has_button("Оплатить 3\u{a0}000\u{a0}₽"), "{:?}", m.button_texts());
    // The price went down below the lock: the lower one.
    set_price(&app.db.db, tid, 2500, now).await;
    let (_, cal) = open_card(&app, &c, tid, "2\u{a0}500\u{a0}₽").await;
    let m = pick_and_confirm(&c, &cal, &format!("cb:p:n{tid}i"), "20261130", "14:00", &["2\u{a0}500"]).await;
    assert!(m.has_button("Оплатить 2\u{a0}500\u{a0}₽"), "{:?}", m.button_texts());
    let prices: Vec<Money> = proego::store::client_booking::ClientBookings(&app.db.db)
        .list(CLIENT)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.price)
        .collect();
    assert_eq!(
        prices,
        vec![Money::rubles(2500), Money::rubles(3000), Money::rubles(3000)]
    );
    app.finish().await;
}

#[tokio::test]
async fn r_can_3_an_owed_free_session_is_booked_without_payment() {
    use proego::domain::{decide_cancellation, CancellationRequest, Canceller, DomainSettings, Funding};
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    seed::client(&app.db.db, CLIENT, "Анна", Lang::Ru, None, now).await;
    let start = now + TimeDelta::hours(5);
    let cancelled = seed::slot(&app.db.db, tid, SlotKind::Individual, start, 60, 1, now).await;
    let b = seed::booking(&app.db.db, cancelled, CLIENT, 2500, true, now).await;
    let outcome = decide_cancellation(
        &CancellationRequest {
            booking: BookingState::Confirmed,
            by: Canceller::Therapist,
            session_start: start,
            now,
            funding: Funding::Held,
            force_majeure_accepted: false,
        },
        &DomainSettings::default(),
    )
    .unwrap();
    proego::store::calendar::TherapistBookings(&app.db.db)
        .cancel_session(tid, cancelled, &[(b, BookingState::Confirmed, outcome)], now)
        .await
        .unwrap();
    seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 11, 30, 7, 0),
        60,
        1,
        now,
    )
    .await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command(&format!("/start t_{tid}"));
    let card = c.wait_bot_message().await;
    assert!(card.text().contains("бесплатную сессию"), "{}", card.text());
    c.press(&card, RU.book);
    let cal = c.wait_edit(card.message_id).await;
    let done = pick_and_confirm(&c, &cal, &format!("cb:p:n{tid}i"), "20261130", "10:00", &["бесплатно"]).await;
    assert!(done.text().contains("Запись подтверждена"), "{}", done.text());
    let list = proego::store::client_booking::ClientBookings(&app.db.db)
        .list(CLIENT)
        .await
        .unwrap();
    let free = list.iter().find(|x| x.state == BookingState::Confirmed).unwrap();
    assert_eq!((free.price, free.owed_free), (Money::ZERO, true));
    assert!(
        Payments(&app.db.db).for_booking(free.id).await.unwrap().is_empty(),
        "no payment"
    );
    app.api
        .wait_for("the therapist told", |a| {
            a.chat(THERAPIST)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().contains("Бесплатная сессия"))
        })
        .await;
    app.finish().await;
}

#[tokio::test]
async fn r_can_4_a_move_books_the_new_time_then_cancels_the_old() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 11, 30, 7, 0),
        60,
        1,
        now,
    )
    .await;
    let new_slot = seed::slot(
        &app.db.db,
        tid,
        SlotKind::Individual,
        utc(2026, 12, 2, 9, 0),
        60,
        1,
        now,
    )
    .await;
    let old = held_booking(&app, tid).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/mybookings");
    let list = app
        .api
        .wait_for("the list", |a| {
            a.chat(CLIENT)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Ваши сессии"))
        })
        .await;
    c.press(&list, "Перенести 1");
    let cal = c.wait_edit(list.message_id).await;
    let m = pick_and_confirm(
        &c,
        &cal,
        &format!("cb:p:v{old}"),
        "20261202",
        "12:00",
        &["будет отменена", "Вам вернётся 2\u{a0}500\u{a0}₽"],
    )
    .await;
    assert!(m.has_button("Оплатить"), "{}", m.text());
    assert_eq!(
        Bookings(&app.db.db).get(old).await.unwrap().unwrap().state,
        BookingState::CancelledByClient
    );
    let p = Payments(&app.db.db).for_booking(old).await.unwrap().pop().unwrap();
    assert_eq!(p.state, PaymentState::Released, "the old hold is released");
    let list = proego::store::client_booking::ClientBookings(&app.db.db)
        .list(CLIENT)
        .await
        .unwrap();
    assert!(list
        .iter()
        .any(|b| b.slot_id == new_slot && b.state == BookingState::AwaitingPayment));
    app.finish().await;
}

#[tokio::test]
async fn r_cli_6_the_room_link_shows_from_15_minutes_before_and_therapists_open_cards() {
    let app = TestApp::start_without_session_jobs().await;
    let now = app.clock_now();
    let tid = therapist(&app.db.db, 2500, now).await;
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    let start = utc(2026, 11, 30, 7, 0);
    seed::slot(&app.db.db, tid, SlotKind::Individual, start, 60, 1, now).await;
    held_booking(&app, tid).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    for (at, shown) in [
        (start - TimeDelta::minutes(16), false),
        (start - TimeDelta::minutes(15), true),
        (start + TimeDelta::minutes(59), true),
        (start + TimeDelta::minutes(60), false),
    ] {
        app.clock.set(at);
        let before = app.api.chat(CLIENT).bot_messages().len();
        c.send_command("/mybookings");
        let list = app
            .api
            .wait_for("the list", |a| {
                a.chat(CLIENT)
                    .bot_messages()
                    .into_iter()
                    .skip(before)
                    .find(|m| m.text().starts_with("Ваши сессии"))
            })
            .await;
        assert_eq!(
            list.text().contains("https://meet.example.org/irina"),
            shown,
            "at {at}: {}",
            list.text()
        );
    }
    // A therapist opening a shared link sees the card too.
    t.send_command(&format!("/start t_{tid}"));
    app.api
        .wait_for("the card for the therapist", |a| {
            a.chat(THERAPIST)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Ирина Терапевтова"))
        })
        .await;
    app.finish().await;
}
