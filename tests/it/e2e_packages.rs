//! Packages of sessions end to end (R-PAY-1, R-PRICE-3, R-CAN-2, R-CAN-3) through the fake Bot
//! API and real HTTP requests to the sandbox payment page: buy a package from the card and pay
//! it (captured at once), see the credits in /mybookings, book with a credit (no payment), a
//! timely cancellation gives the credit back and a late one keeps it, an admin refunds the
//! unused credits; forged package buttons change nothing; an unpaid package expires and money
//! that still comes for it is returned.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{BookingState, Money, PaymentState, PriceKind, PriceState};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::packages::{PackageState, Packages};
use proego::store::payments::Payments;
use proego::store::profiles::Profiles;
use proego::store::slots::SlotKind;
use proego::store::Db;

use crate::e2e_booking::pay_message_closed;
use crate::support::app::{TestApp, ADMIN_ID};
use crate::support::fake_bot_api::{ChatMessage, TestUser};
use crate::support::seed;

const THERAPIST: i64 = 2201;
const CLIENT: i64 = 3201;
const OTHER: i64 = 3202;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

async fn therapist(app: &TestApp) -> i64 {
    let db = &app.db.db;
    let now = app.clock_now();
    let tid = seed::active_therapist(db, THERAPIST, "Ирина", None, now).await;
    Profiles(db)
        .set_price(
            tid,
            PriceKind::Individual,
            &PriceState {
                amount: Money::rubles(2500),
                activated_at: Some(now),
                last_change_at: None,
            },
            now,
        )
        .await
        .unwrap();
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/help");
    t.wait_bot_message().await;
    tid
}

async fn message_starting(app: &TestApp, chat: i64, start: &str) -> ChatMessage {
    let start = start.to_owned();
    app.api
        .wait_for(&format!("a message starting {start:?}"), |a| {
            a.chat(chat)
                .bot_messages()
                .into_iter()
                .rev()
                .find(|m| m.text().starts_with(start.as_str()))
        })
        .await
}

/// The user's next bot messages until one starts with `start` (the ones before are skipped).
async fn next_starting(c: &TestUser, start: &str) -> ChatMessage {
    for _ in 0..10 {
        let m = c.wait_bot_message().await;
        if m.text().starts_with(start) {
            return m;
        }
    }
    panic!("no message starting {start:?}");
}

async fn pay_on_the_page(app: &TestApp, url: &str) {
    let id = url.rsplit('/').next().unwrap();
    let res = reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// Card -> "Buy a package" -> 4 sessions -> confirm: the payment link.
async fn buy_package(app: &TestApp, c: &TestUser, tid: i64) -> (ChatMessage, String) {
    c.send_command(&format!("/start t_{tid}"));
    let card = c.wait_bot_message().await;
    c.press(&card, "Купить пакет сессий");
    let offer = c.wait_bot_message().await;
    assert!(
        offer.text().contains("Каждая сессия пакета стоит 2\u{a0}500\u{a0}₽"),
        "{}",
        offer.text()
    );
    assert!(
        offer.has_button("Сессий: 8 — 20\u{a0}000\u{a0}₽"),
        "{:?}",
        offer.buttons()
    );
    c.press(&offer, "Сессий: 4 — 10\u{a0}000\u{a0}₽");
    let confirm = c.wait_edit(offer.message_id).await;
    for needle in [
        "Индивидуальных сессий: 4",
        "Цена сессии: 2\u{a0}500\u{a0}₽",
        "Итого к оплате сейчас: 10\u{a0}000\u{a0}₽",
    ] {
        assert!(confirm.text().contains(needle), "{needle}: {}", confirm.text());
    }
    let _ = app;
    c.press(&confirm, "Подтвердить");
    let pay = c.wait_edit(offer.message_id).await;
    assert!(pay.text().starts_with("Пакет оформлен"), "{}", pay.text());
    let url = pay.button_data("Оплатить 10\u{a0}000\u{a0}₽");
    assert!(url.contains("/pay/"), "{url}");
    (pay, url)
}

/// Card -> Book -> Nov 30 -> `time` -> the confirmation (which must say a credit pays) -> Confirm.
async fn book_with_credit(c: &TestUser, tid: i64, time: &str, left: u32) -> ChatMessage {
    c.send_command(&format!("/start t_{tid}"));
    let card = c.wait_bot_message().await;
    c.press(&card, "Записаться на индивидуальную сессию");
    let picker = c.wait_edit(card.message_id).await;
    c.press(&picker, &format!("cb:p:n{tid}i:d:20261130"));
    let times = c.wait_edit(card.message_id).await;
    c.press(&times, time);
    let confirm = c.wait_edit(card.message_id).await;
    assert!(
        confirm
            .text()
            .contains(&format!("Оплачено сессией из вашего пакета (осталось {left})")),
        "{}",
        confirm.text()
    );
    c.press(&confirm, "Подтвердить");
    let done = c.wait_edit(card.message_id).await;
    assert!(done.text().starts_with("Запись подтверждена"), "{}", done.text());
    assert!(
        done.text().contains("Использована одна сессия пакета"),
        "{}",
        done.text()
    );
    done
}

async fn cancel_from_mybookings(c: &TestUser, consequence: &str) {
    c.send_command("/mybookings");
    let list = next_starting(c, "Пакет: осталось").await;
    c.press(&list, "Отменить");
    let ask = next_starting(c, "Отменить:").await;
    assert!(ask.text().contains(consequence), "{}", ask.text());
    c.press(&ask, "Да, отменить");
    let done = c.wait_edit(ask.message_id).await;
    assert!(done.text().starts_with("Отменено"), "{}", done.text());
}

async fn package_of(db: &Db, client: i64) -> proego::store::packages::PackageRecord {
    let list = Packages(db).of_client(client).await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r_pay_1_buy_a_package_book_with_credits_cancel_and_refund_unused() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let tid = therapist(&app).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    seed::client(db, OTHER, "Олег", Lang::Ru, None, now).await;
    let early = utc(2026, 11, 30, 7, 0);
    let later = utc(2026, 11, 30, 10, 0);
    seed::slot(db, tid, SlotKind::Individual, early, 60, 1, now).await;
    seed::slot(db, tid, SlotKind::Individual, later, 60, 1, now).await;
    let c = app.api.user(CLIENT, "Анна", "ru");

    // Buy and pay: held, then captured at once (paid up front), credits active.
    let (pay, url) = buy_package(&app, &c, tid).await;
    let k = package_of(db, CLIENT).await;
    assert_eq!(
        (k.state, k.package.size(), k.package.paid()),
        (PackageState::AwaitingPayment, 4, Money::rubles(10_000))
    );
    pay_on_the_page(&app, &url).await;
    let paid = next_starting(&c, "Пакет оплачен").await;
    assert!(paid.text().contains("10\u{a0}000\u{a0}₽"), "{}", paid.text());
    // R-PAY-1: the message with the link no longer asks for payment (edited in place, no buttons).
    let closed = pay_message_closed(&app, CLIENT, pay.message_id, "Оплачено ✓").await;
    assert!(
        closed.text().contains("сессий: 4, специалист Ирина"),
        "{}",
        closed.text()
    );
    let k = package_of(db, CLIENT).await;
    assert_eq!((k.state, k.available()), (PackageState::Active, 4));
    let payment = Payments(db).for_package(k.id).await.unwrap().pop().unwrap();
    assert_eq!(
        (payment.state, payment.amount, payment.booking_id),
        (PaymentState::Captured, Money::rubles(10_000), None)
    );
    let history: Vec<String> = Payments(db)
        .events(payment.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.to_state)
        .collect();
    assert_eq!(history, vec!["held", "captured"], "every change recorded");

    // /mybookings lists the credits.
    c.send_command("/mybookings");
    let list = c.wait_bot_message().await;
    assert!(
        list.text()
            .contains("Пакет: осталось 4 из 4 сессий у специалиста Ирина Терапевтова"),
        "{}",
        list.text()
    );

    // A booking with a credit: confirmed at once, no payment.
    book_with_credit(&c, tid, "10:00", 4).await;
    let b1 = proego::store::client_booking::ClientBookings(db)
        .list(CLIENT)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (b1.state, b1.credit, b1.price),
        (BookingState::Confirmed, true, Money::rubles(2500))
    );
    assert!(Payments(db).for_booking(b1.id).await.unwrap().is_empty(), "no payment");
    assert_eq!(package_of(db, CLIENT).await.available(), 3);
    message_starting(&app, THERAPIST, "Новая запись: Анна").await;

    // Cancelled in time: the credit comes back.
    cancel_from_mybookings(&c, "Сессия возвращается в ваш пакет").await;
    assert_eq!(
        Bookings(db).get(b1.id).await.unwrap().unwrap().state,
        BookingState::CancelledByClient
    );
    assert_eq!(package_of(db, CLIENT).await.available(), 4);

    // Booked again, cancelled two hours before: the credit stays used (charged in full).
    book_with_credit(&c, tid, "13:00", 4).await;
    assert_eq!(package_of(db, CLIENT).await.available(), 3);
    app.clock.set(later - TimeDelta::hours(2));
    cancel_from_mybookings(&c, "сессия пакета считается использованной").await;
    let k = package_of(db, CLIENT).await;
    assert_eq!((k.package.used(), k.available()), (1, 3));

    // Forged package buttons: someone else's package, a non-admin's refund.
    let o = app.api.user(OTHER, "Олег", "ru");
    o.send_command("/start");
    let m = o.wait_bot_message().await;
    let a = app.forged_press(&o, m.message_id, &format!("cb:pl:{}", k.id)).await;
    assert!(a.text.unwrap_or_default().contains("не ваш пакет"));
    let a = app.forged_press(&o, m.message_id, &format!("a:kr:{}", k.id)).await;
    assert!(!a.text.unwrap_or_default().is_empty(), "refused");
    // A paid package is not paid again.
    let a = app.forged_press(&c, m.message_id, &format!("cb:pl:{}", k.id)).await;
    assert!(a.text.unwrap_or_default().contains("больше не ждёт оплаты"));
    assert_eq!(package_of(db, CLIENT).await, k, "nothing changed");

    // The admin refunds the 3 unused credits: 3 × 2 500 ₽.
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    admin.send_command(&format!("/client {CLIENT}"));
    let card = next_starting(&admin, "Package").await;
    let bookings = admin.wait_bot_message().await;
    assert!(bookings.text().starts_with("Bookings of client"), "{}", bookings.text());
    assert!(card.text().contains(&format!("Package {}", k.id)), "{}", card.text());
    assert!(card.text().contains("used 1, left 3"), "{}", card.text());
    let cb = admin.press(&card, "Refund unused sessions");
    assert!(format!("{:?}", app.api.wait_callback_answer(&cb).await).contains("Refunded"));
    let edited = admin.wait_edit(card.message_id).await;
    assert!(edited.text().contains("left 0, refunded 3"), "{}", edited.text());
    assert!(!edited.has_button("Refund unused sessions"));
    let told = next_starting(&c, "Неиспользованные сессии").await;
    assert!(told.text().contains("7\u{a0}500\u{a0}₽"), "{}", told.text());
    let p = Payments(db).get(payment.id).await.unwrap().unwrap();
    assert_eq!(
        (p.state, p.refunded),
        (PaymentState::PartiallyRefunded, Money::rubles(7500))
    );
    let k = package_of(db, CLIENT).await;
    assert_eq!(
        (k.available(), k.package.refunded_credits(), k.package.refunded_amount()),
        (0, 3, Money::rubles(7500))
    );
    // Pressed again: nothing more is refunded.
    let a = app
        .forged_press(&admin, card.message_id, &format!("a:kr:{}", k.id))
        .await;
    assert!(format!("{a:?}").contains("nothing left to refund"), "{a:?}");
    assert_eq!(
        Payments(db).get(payment.id).await.unwrap().unwrap().refunded,
        Money::rubles(7500)
    );
    admin.send_command(&format!("/audit package {}", k.id));
    let audit = admin.wait_bot_message().await;
    assert!(audit.text().contains("package_refund"), "{}", audit.text());
    // Refunded credits cannot be booked with: the next booking is paid by card.
    assert!(Packages(db).with_credit(CLIENT, tid).await.unwrap().is_none());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r_pay_1_unpaid_package_expires_and_late_money_is_returned() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let tid = therapist(&app).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    let c = app.api.user(CLIENT, "Анна", "ru");
    let (_, url) = buy_package(&app, &c, tid).await;
    let k = package_of(db, CLIENT).await;
    // The link again from /mybookings while it waits.
    c.send_command("/mybookings");
    let list = c.wait_bot_message().await;
    assert!(
        list.text().contains("ждёт оплаты (10\u{a0}000\u{a0}₽)"),
        "{}",
        list.text()
    );
    c.press(&list, "Оплатить пакет");
    let again = next_starting(&c, "Пакет оформлен").await;
    assert_eq!(again.button_data("Оплатить 10\u{a0}000\u{a0}₽"), url, "the same link");

    // 14 minutes: nothing; 15: expired, the client told.
    let state = app.state.clone().unwrap();
    assert_eq!(
        proego::jobs::sessions::expire_unpaid_packages(&state, now + TimeDelta::minutes(14))
            .await
            .unwrap(),
        0
    );
    // Cancelling the link "fails" (the package expires with the link still open): as if the
    // provider had been unreachable.
    let mut tx = db.begin().await.unwrap();
    assert!(Packages::transition_in(
        &mut tx,
        k.id,
        PackageState::AwaitingPayment,
        PackageState::Expired,
        now + TimeDelta::minutes(15)
    )
    .await
    .unwrap());
    tx.commit().await.unwrap();
    // The client pays late: the hold is released at once and the client told.
    pay_on_the_page(&app, &url).await;
    let told = next_starting(&c, "Оплата пакета").await;
    assert!(told.text().contains("возвращаются"), "{}", told.text());
    let p = Payments(db).for_package(k.id).await.unwrap().pop().unwrap();
    assert_eq!(p.state, PaymentState::Released);
    assert_eq!(
        Packages(db).get(k.id).await.unwrap().unwrap().state,
        PackageState::Expired
    );

    // A second package, expired by the job: its link is cancelled and the client told.
    let (pay2, url2) = buy_package(&app, &c, tid).await;
    let k2 = Packages(db).of_client(CLIENT).await.unwrap().pop().unwrap();
    assert_ne!(k2.id, k.id);
    let expiry = k2.created_at + TimeDelta::minutes(15);
    app.clock.set(expiry);
    assert_eq!(
        proego::jobs::sessions::expire_unpaid_packages(&state, expiry)
            .await
            .unwrap(),
        1
    );
    next_starting(&c, "Пакет (сессий: 4)").await;
    // R-PAY-1: its pay message says so, without the pay button.
    let closed = pay_message_closed(&app, CLIENT, pay2.message_id, "Время оплаты истекло").await;
    assert!(closed.text().contains("Пакет (сессий: 4)"), "{}", closed.text());
    let p2 = Payments(db).for_package(k2.id).await.unwrap().pop().unwrap();
    assert_eq!(p2.state, PaymentState::Failed, "the link is cancelled");
    let id = url2.rsplit('/').next().unwrap();
    reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    let p2 = Payments(db).get(p2.id).await.unwrap().unwrap();
    assert_eq!(p2.state, PaymentState::Failed, "a cancelled link takes no money");
    drop(state);
    app.finish().await;
}

/// A package that is paid, seeded through the store (the payment itself is tested above).
async fn active_package(db: &Db, tid: i64, now: DateTime<Utc>) -> i64 {
    let p =
        proego::domain::Package::purchase(4, Money::rubles(2500), &proego::domain::DomainSettings::default()).unwrap();
    let k = Packages(db).create(CLIENT, tid, &p, now).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(
        Packages::transition_in(&mut tx, k, PackageState::AwaitingPayment, PackageState::Active, now)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    k
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r_can_3_therapist_and_admin_cancellations_give_the_credit_back() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let tid = therapist(&app).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    let k = active_package(db, tid, now).await;
    // Both late (under 24 hours): still given back (R-CAN-3; the platform cancels at no cost).
    let s1 = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(5), 60, 1, now).await;
    let s2 = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(8), 60, 1, now).await;
    let b1 = Packages(db).book_with_credit(s1, CLIENT, k, &[], now).await.unwrap();
    let b2 = Packages(db).book_with_credit(s2, CLIENT, k, &[], now).await.unwrap();
    assert_eq!(Packages(db).get(k).await.unwrap().unwrap().available(), 2);
    let c = app.api.user(CLIENT, "Анна", "ru");
    c.send_command("/help");
    c.wait_bot_message().await;

    // The therapist cancels the first.
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command("/bookings");
    let list = t.wait_bot_message().await;
    t.press(&list, &format!("bk:c:{b1}"));
    let ask = t.wait_edit(list.message_id).await;
    t.press(&ask, &format!("bk:cy:{b1}"));
    t.wait_edit(list.message_id).await;
    let told = next_starting(&c, "").await;
    assert!(
        told.text().contains("Сессия возвращается в ваш пакет"),
        "{}",
        told.text()
    );
    assert_eq!(
        Bookings(db).get(b1).await.unwrap().unwrap().state,
        BookingState::CancelledByTherapist
    );
    assert_eq!(Packages(db).get(k).await.unwrap().unwrap().available(), 3);

    // An admin cancels the second.
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    admin.send_command(&format!("/booking {b2}"));
    let card = admin.wait_bot_message().await;
    let cb = admin.press(&card, "Cancel on the platform's side");
    app.api.wait_callback_answer(&cb).await;
    // The admin gives the reason first (R-CAN, issue 5).
    assert!(admin.wait_bot_message().await.text().contains("why should booking"));
    admin.send_text("The therapist is ill");
    let told = next_starting(&c, "Сессия со специалистом").await;
    assert!(told.text().contains("The therapist is ill"), "{}", told.text());
    assert!(
        told.text().contains("Сессия возвращается в ваш пакет"),
        "{}",
        told.text()
    );
    assert_eq!(
        Bookings(db).get(b2).await.unwrap().unwrap().state,
        BookingState::CancelledByAdmin
    );
    let k = Packages(db).get(k).await.unwrap().unwrap();
    assert_eq!((k.package.used(), k.available()), (0, 4));
    app.finish().await;
}
