//! Payments: the YooKassa client against a local fake YooKassa (idempotence keys, retries,
//! timeouts), provider notifications (address check, duplicates, order, forgeries), and the
//! sandbox payment page end to end through a real HTTP request and the fake Bot API.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use proego::domain::{BookingState, Clock, Money, PaymentState};
use proego::i18n::Lang;
use proego::payments::provider::{NewPayment, PaymentProvider, ProviderError, ProviderStatus};
use proego::payments::yookassa::{YooKassa, YooKassaConfig};
use proego::store::bookings::Bookings;
use proego::store::payments::Payments;
use proego::store::slots::SlotKind;
use proego::store::Db;
use serde_json::json;

use crate::support::app::TestApp;
use crate::support::fake_yookassa::{FakeYooKassa, SECRET, SHOP_ID};
use crate::support::seed;

fn rub(r: i64) -> Money {
    Money::from_kopecks(r * 100).unwrap()
}

fn client(fake: &FakeYooKassa, secret: &str) -> YooKassa {
    YooKassa::new(YooKassaConfig {
        base_url: fake.base_url(),
        shop_id: SHOP_ID.into(),
        secret_key: secret.to_owned().into(),
        timeout: Duration::from_millis(500),
        attempts: 3,
        backoff: Duration::from_millis(10),
    })
    .unwrap()
}

fn new_payment(key: &str) -> NewPayment {
    NewPayment {
        amount: Money::from_kopecks(250_050).unwrap(),
        description: "Индивидуальная сессия".into(),
        metadata: vec![("booking_id".into(), "42".into())],
        idempotence_key: key.into(),
        return_url: "https://t.me/proego_test_bot".into(),
    }
}

#[tokio::test]
async fn yookassa_client_creates_captures_refunds_and_cancels() {
    let fake = FakeYooKassa::start().await;
    let yk = client(&fake, SECRET);
    let p = yk.create(&new_payment("k-create-1")).await.unwrap();
    assert_eq!(p.status, ProviderStatus::Pending);
    assert!(p.confirmation_url.as_deref().unwrap().starts_with("https://"));
    let (what, key, body) = fake.requests()[0].clone();
    assert_eq!((what.as_str(), key.as_deref()), ("create", Some("k-create-1")));
    assert_eq!(body["amount"], json!({"value": "2500.50", "currency": "RUB"}));
    assert_eq!(body["capture"], json!(false));
    assert_eq!(body["confirmation"]["type"], json!("redirect"));
    assert_eq!(body["payment_method_data"]["type"], json!("bank_card"));
    assert_eq!(body["metadata"]["booking_id"], json!("42"));

    fake.client_pays(&p.id, "DE");
    let held = yk.get(&p.id).await.unwrap();
    assert_eq!((held.status, held.foreign), (ProviderStatus::WaitingForCapture, true));
    let captured = yk.capture(&p.id, p.amount, "k-capture-1").await.unwrap();
    assert_eq!(captured.status, ProviderStatus::Succeeded);
    let refunded = yk.refund(&p.id, rub(1000), "k-refund-1").await.unwrap();
    assert_eq!(refunded.refunded, rub(1000));
    let again = yk.refund(&p.id, rub(1000), "k-refund-1").await.unwrap();
    assert_eq!(again.refunded, rub(1000), "the same key refunds once");
    assert!(matches!(
        yk.refund(&p.id, rub(2000), "k-refund-2").await,
        Err(ProviderError::Refused(_))
    ));
    assert!(matches!(
        yk.cancel(&p.id, "k-cancel-1").await,
        Err(ProviderError::Refused(_))
    ));

    let other = yk.create(&new_payment("k-create-2")).await.unwrap();
    assert_eq!(
        yk.cancel(&other.id, "k-cancel-2").await.unwrap().status,
        ProviderStatus::Canceled
    );
    assert!(matches!(yk.get("no-such-payment").await, Err(ProviderError::NotFound)));
    assert!(matches!(
        client(&fake, "wrong").get(&p.id).await,
        Err(ProviderError::Refused(_))
    ));
}

#[tokio::test]
async fn yookassa_client_retries_500_and_timeouts_with_the_same_key() {
    let fake = FakeYooKassa::start().await;
    let yk = client(&fake, SECRET);
    fake.fail_next(2);
    let p = yk.create(&new_payment("k-retry")).await.unwrap();
    let creates: Vec<_> = fake.requests().into_iter().filter(|(w, _, _)| w == "create").collect();
    assert_eq!(creates.len(), 3);
    assert!(creates.iter().all(|(_, k, _)| k.as_deref() == Some("k-retry")));
    assert_eq!(fake.payment_count(), 1);

    fake.slow_next(1);
    let again = yk.create(&new_payment("k-slow")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        fake.payment_count(),
        2,
        "the timed-out attempt and its retry made one payment"
    );
    assert_ne!(again.id, p.id);

    fake.fail_next(3);
    assert!(
        matches!(yk.get(&p.id).await, Err(ProviderError::Unavailable(_))),
        "gives up after its attempts"
    );
}

/// A therapist and a client who have both started the bot, an individual slot
/// `hours_ahead` from now and a booking of it awaiting payment.
async fn seed_booking(app: &TestApp, hours_ahead: i64) -> (i64, i64, i64) {
    let db: &Db = &app.db.db;
    let now = app.clock.now();
    for (id, name) in [(4001, "Ирина"), (4002, "Анна")] {
        let u = app.api.user(id, name, "ru");
        u.send_command("/help");
        u.wait_bot_message().await;
    }
    let tid = seed::active_therapist(db, 4001, "Ирина", None, now).await;
    seed::client(db, 4002, "Анна", Lang::Ru, None, now).await;
    let (slot, booking) = another_booking(app, tid, hours_ahead).await;
    (tid, slot, booking)
}

/// One more 50-minute individual slot of the therapist, `hours_ahead` from now, booked by
/// the client (4002) and awaiting payment: (slot, booking).
async fn another_booking(app: &TestApp, therapist_id: i64, hours_ahead: i64) -> (i64, i64) {
    let now = app.clock.now();
    let start: DateTime<Utc> = now + TimeDelta::hours(hours_ahead);
    let slot = seed::slot(&app.db.db, therapist_id, SlotKind::Individual, start, 50, 1, now).await;
    (slot, seed::booking(&app.db.db, slot, 4002, 2500, false, now).await)
}

fn yookassa_vars(fake: &FakeYooKassa, allowed: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PAYMENT_PROVIDER", "yookassa".into()),
        ("YOOKASSA_SHOP_ID", SHOP_ID.into()),
        ("YOOKASSA_SECRET_KEY", SECRET.into()),
        ("YOOKASSA_API_URL", fake.base_url()),
        ("YOOKASSA_NOTIFY_IPS", allowed.into()),
    ]
}

async fn start_yookassa_app(fake: &FakeYooKassa, allowed: &str) -> TestApp {
    let vars = yookassa_vars(fake, allowed);
    let refs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::start_with(&refs).await
}

async fn notify(app: &TestApp, event: &str, id: &str) -> u16 {
    reqwest::Client::new()
        .post(app.http_url("/payments/yookassa/notify"))
        .json(
            &json!({"type": "notification", "event": event, "object": {"id": id, "status": "whatever the body says"}}),
        )
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn yookassa_notifications_are_checked_deduplicated_and_trusted_only_after_refetching() {
    let fake = FakeYooKassa::start().await;
    let app = start_yookassa_app(&fake, "127.0.0.1").await;
    let (_, _, booking) = seed_booking(&app, 48).await;
    let service = app.payments();
    let record = service.start_for_booking(booking, "Session").await.unwrap();
    let pid = record.provider_payment_id.clone().unwrap();
    assert_eq!(
        service.start_for_booking(booking, "Session").await.unwrap().id,
        record.id,
        "a second tap, the same payment"
    );

    // Forged: YooKassa (the fake) still says pending.
    assert_eq!(notify(&app, "payment.waiting_for_capture", &pid).await, 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        Payments(&app.db.db).get(record.id).await.unwrap().unwrap().state,
        PaymentState::Pending
    );
    assert_eq!(
        Bookings(&app.db.db).get(booking).await.unwrap().unwrap().state,
        BookingState::AwaitingPayment
    );

    // Paid (with a foreign card); the same notification five times.
    fake.client_pays(&pid, "DE");
    for _ in 0..5 {
        assert_eq!(notify(&app, "payment.waiting_for_capture", &pid).await, 200);
    }
    seed::wait_booking_state(&app.db.db, booking, BookingState::Confirmed).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let paid = Payments(&app.db.db).get(record.id).await.unwrap().unwrap();
    assert_eq!((paid.state, paid.foreign), (PaymentState::Held, true));
    assert_eq!(
        Payments(&app.db.db).events(record.id).await.unwrap().len(),
        1,
        "one transition, however many notices"
    );
    app.api
        .wait_for("the therapist told", |a| {
            a.chat(4001)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Новая запись: Анна"))
        })
        .await;
    app.api
        .wait_for("the client told", |a| {
            a.chat(4002)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Оплата получена"))
        })
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let therapist_msgs = app.api.chat(4001).bot_messages();
    assert_eq!(
        therapist_msgs
            .iter()
            .filter(|m| m.text().starts_with("Новая запись: Анна"))
            .count(),
        1,
        "the therapist is told once"
    );
    let client_msgs = app.api.chat(4002).bot_messages();
    assert_eq!(
        client_msgs
            .iter()
            .filter(|m| m.text().starts_with("Оплата получена"))
            .count(),
        1
    );

    // Captured; a stale "waiting_for_capture" afterwards moves nothing back.
    service.capture(&paid).await.unwrap();
    assert_eq!(notify(&app, "payment.waiting_for_capture", &pid).await, 200);
    assert_eq!(notify(&app, "payment.succeeded", &pid).await, 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        Payments(&app.db.db).get(record.id).await.unwrap().unwrap().state,
        PaymentState::Captured
    );
    app.finish().await;
}

#[tokio::test]
async fn notifications_from_elsewhere_are_refused() {
    let fake = FakeYooKassa::start().await;
    let app = start_yookassa_app(&fake, proego::http::payments::YOOKASSA_NOTIFY_RANGES).await;
    let (_, _, booking) = seed_booking(&app, 48).await;
    let record = app.payments().start_for_booking(booking, "Session").await.unwrap();
    let pid = record.provider_payment_id.unwrap();
    fake.client_pays(&pid, "RU");
    assert_eq!(notify(&app, "payment.waiting_for_capture", &pid).await, 403);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        Bookings(&app.db.db).get(booking).await.unwrap().unwrap().state,
        BookingState::AwaitingPayment
    );
    app.finish().await;
}

#[tokio::test]
async fn out_of_order_and_late_money_with_yookassa() {
    let fake = FakeYooKassa::start().await;
    let app = start_yookassa_app(&fake, "127.0.0.1").await;
    let (therapist_id, _, booking) = seed_booking(&app, 48).await;
    let service = app.payments();
    // "succeeded" arrives first (a one-stage capture by the provider): the booking is confirmed
    // and the later "waiting_for_capture" changes nothing.
    let record = service.start_for_booking(booking, "Session").await.unwrap();
    let pid = record.provider_payment_id.clone().unwrap();
    fake.client_pays(&pid, "RU");
    fake.set_status(&pid, "succeeded");
    assert_eq!(notify(&app, "payment.succeeded", &pid).await, 200);
    seed::wait_booking_state(&app.db.db, booking, BookingState::Confirmed).await;
    assert_eq!(notify(&app, "payment.waiting_for_capture", &pid).await, 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        Payments(&app.db.db).get(record.id).await.unwrap().unwrap().state,
        PaymentState::Captured
    );

    // A second booking expires unpaid; the money arrives late and is released at once.
    let now = app.clock.now();
    let (_, late) = another_booking(&app, therapist_id, 72).await;
    let record = service.start_for_booking(late, "Session").await.unwrap();
    Bookings(&app.db.db)
        .transition(late, BookingState::AwaitingPayment, BookingState::Expired, now)
        .await
        .unwrap();
    let pid = record.provider_payment_id.clone().unwrap();
    fake.client_pays(&pid, "RU");
    assert_eq!(notify(&app, "payment.waiting_for_capture", &pid).await, 200);
    let told = app
        .api
        .wait_for("the client told", |a| {
            a.chat(4002)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().contains("после того, как бронь истекла"))
        })
        .await;
    assert!(told.text().contains("2\u{a0}500\u{a0}₽"), "{}", told.text());
    assert_eq!(
        fake.payment(&pid)["status"],
        json!("canceled"),
        "the hold is released at the provider"
    );
    assert_eq!(
        Payments(&app.db.db).get(record.id).await.unwrap().unwrap().state,
        PaymentState::Released
    );
    assert_eq!(
        Bookings(&app.db.db).get(late).await.unwrap().unwrap().state,
        BookingState::Expired
    );
    app.finish().await;
}

#[tokio::test]
async fn sandbox_page_pays_declines_and_returns_late_money() {
    let app = TestApp::start().await;
    let (therapist_id, _, booking) = seed_booking(&app, 48).await;
    let service = app.payments();
    let record = service
        .start_for_booking(booking, "Индивидуальная сессия <50 мин>")
        .await
        .unwrap();
    let link = record.confirmation_url.clone().unwrap();
    let id = link.rsplit('/').next().unwrap().to_owned();
    assert!(link.contains("/pay/"), "{link}");
    let http = reqwest::Client::new();
    let page = http
        .get(app.http_url(&format!("/pay/{id}")))
        .header("accept-language", "ru-RU")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("2\u{a0}500\u{a0}₽"), "{html}");
    assert!(html.contains("&lt;50 мин&gt;"), "the description is escaped");
    assert!(html.contains("удержана на карте"));
    assert_eq!(http.get(app.http_url("/pay/nope")).send().await.unwrap().status(), 404);

    let done = http
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    assert!(done.text().await.unwrap().contains("сумма удерживается на карте"));
    seed::wait_booking_state(&app.db.db, booking, BookingState::Confirmed).await;
    let therapist = app
        .api
        .wait_for("the therapist told", |a| {
            a.chat(4001)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().starts_with("Новая запись"))
        })
        .await;
    assert!(
        therapist.text().contains("Анна") && therapist.text().contains("(Europe/Moscow)"),
        "{}",
        therapist.text()
    );
    // A second submit changes nothing.
    http.post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "decline")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        Payments(&app.db.db).get(record.id).await.unwrap().unwrap().state,
        PaymentState::Held
    );

    // Decline: the payment fails, the booking still waits (another link can be made).
    let now = app.clock.now();
    let (_, b2) = another_booking(&app, therapist_id, 72).await;
    let r2 = service.start_for_booking(b2, "Session").await.unwrap();
    let id2 = r2.confirmation_url.unwrap().rsplit('/').next().unwrap().to_owned();
    let declined = http
        .post(app.http_url(&format!("/pay/{id2}")))
        .header("accept-language", "en")
        .form(&[("action", "decline")])
        .send()
        .await
        .unwrap();
    assert!(declined.text().await.unwrap().contains("cancelled"));
    assert_eq!(
        Payments(&app.db.db).get(r2.id).await.unwrap().unwrap().state,
        PaymentState::Failed
    );
    assert_eq!(
        Bookings(&app.db.db).get(b2).await.unwrap().unwrap().state,
        BookingState::AwaitingPayment
    );
    let r2b = service.start_for_booking(b2, "Session").await.unwrap();
    assert_ne!(r2b.id, r2.id, "a new payment after a declined one");

    // Late: the booking expired before the client paid: the hold is released, the client told.
    let (_, b3) = another_booking(&app, therapist_id, 96).await;
    let r3 = service.start_for_booking(b3, "Session").await.unwrap();
    let id3 = r3.confirmation_url.unwrap().rsplit('/').next().unwrap().to_owned();
    Bookings(&app.db.db)
        .transition(b3, BookingState::AwaitingPayment, BookingState::Expired, now)
        .await
        .unwrap();
    http.post(app.http_url(&format!("/pay/{id3}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    app.api
        .wait_for("the client told about late money", |a| {
            a.chat(4002)
                .bot_messages()
                .into_iter()
                .find(|m| m.text().contains("после того, как бронь истекла"))
        })
        .await;
    assert_eq!(
        Payments(&app.db.db).get(r3.id).await.unwrap().unwrap().state,
        PaymentState::Released
    );
    let history = Payments(&app.db.db).events(r3.id).await.unwrap();
    assert_eq!(
        history.iter().map(|e| e.to_state.as_str()).collect::<Vec<_>>(),
        vec!["held", "released"]
    );
    app.finish().await;
}
