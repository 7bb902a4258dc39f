//! The time-driven jobs with a test clock (R-PAY-1..4, R-SES-1): expiry at 14:59 and 15:00,
//! reminders at the 24-hour and 1-hour marks (and none for a late booking), capture when the
//! free window closes or before the hold lapses, completion and payouts (24 hours, 14 days for
//! foreign payments), idempotence under reruns, and two instances over 1000 due reminders.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use proego::domain::{BookingState, Clock, PaymentState};
use proego::i18n::Lang;
use proego::jobs::sessions;
use proego::store::bookings::Bookings;
use proego::store::due;
use proego::store::outbox::Outbox;
use proego::store::payments::Payments;
use proego::store::slots::{SlotKind, Slots};
use proego::store::users::Users;
use proego::store::Db;

use crate::support::app::TestApp;
use crate::support::db::{Backend, TestDb};
use crate::support::seed;

async fn therapist(db: &Db, tg: i64, now: DateTime<Utc>) -> i64 {
    seed::active_therapist(db, tg, "Ирина", None, now).await
}

/// An individual 50-minute slot at `start` and a booking of it awaiting payment.
async fn booking(db: &Db, therapist_id: i64, client: i64, start: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let slot = seed::slot(db, therapist_id, SlotKind::Individual, start, 50, 1, now).await;
    seed::booking(db, slot, client, 2500, false, now).await
}

/// An app with a therapist (4101) and a client (4102) who both started the bot.
async fn app_with_people() -> (TestApp, i64) {
    let app = TestApp::start().await;
    for (id, name) in [(4101, "Ирина"), (4102, "Анна")] {
        let u = app.api.user(id, name, "ru");
        u.send_command("/help");
        u.wait_bot_message().await;
    }
    let t = therapist(&app.db.db, 4101, app.clock.now()).await;
    (app, t)
}

/// Pays a booking through the sandbox page and waits until it is confirmed.
async fn pay(app: &TestApp, booking: i64) -> i64 {
    let record = app.payments().start_for_booking(booking, "Session").await.unwrap();
    let id = record.confirmation_url.unwrap().rsplit('/').next().unwrap().to_owned();
    reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    seed::wait_booking_state(&app.db.db, booking, BookingState::Confirmed).await;
    record.id
}

/// Lets the jobs loop (every 50 ms) run a few times.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

fn texts(app: &TestApp, chat: i64, needle: &str) -> usize {
    app.api
        .chat(chat)
        .bot_messages()
        .iter()
        .filter(|m| m.text().contains(needle))
        .count()
}

#[tokio::test]
async fn unpaid_bookings_expire_at_15_minutes_not_at_14_59() {
    let (app, t) = app_with_people().await;
    let now = app.clock.now();
    let b = booking(&app.db.db, t, 4102, now + TimeDelta::days(2), now).await;
    let payment = app.payments().start_for_booking(b, "Session").await.unwrap();
    app.clock.advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    settle().await;
    assert_eq!(
        Bookings(&app.db.db).get(b).await.unwrap().unwrap().state,
        BookingState::AwaitingPayment
    );
    app.clock.advance(TimeDelta::seconds(1));
    seed::wait_booking_state(&app.db.db, b, BookingState::Expired).await;
    let slot = Bookings(&app.db.db).get(b).await.unwrap().unwrap().slot_id;
    assert_eq!(
        Slots(&app.db.db).get(slot).await.unwrap().unwrap().free_seats(),
        1,
        "the slot is free again"
    );
    app.api
        .wait_until("the client told", |a| {
            a.chat(4102)
                .bot_messages()
                .iter()
                .any(|m| m.text().contains("не была оплачена за 15 минут"))
        })
        .await;
    settle().await;
    assert_eq!(
        Payments(&app.db.db).get(payment.id).await.unwrap().unwrap().state,
        PaymentState::Failed,
        "the link is cancelled"
    );
    assert_eq!(texts(&app, 4102, "не была оплачена"), 1, "told once");
    app.finish().await;
}

#[tokio::test]
async fn reminders_at_24h_and_1h_once_and_none_for_a_late_booking() {
    let (app, t) = app_with_people().await;
    let now = app.clock.now();
    let start = now + TimeDelta::hours(48);
    let b = booking(&app.db.db, t, 4102, start, now).await;
    pay(&app, b).await;
    app.clock.set(start - TimeDelta::hours(24) - TimeDelta::seconds(1));
    settle().await;
    assert_eq!(texts(&app, 4102, "Напоминание: завтра"), 0);
    app.clock.set(start - TimeDelta::hours(24));
    app.api
        .wait_until("the 24h reminder", |a| {
            a.chat(4102)
                .bot_messages()
                .iter()
                .any(|m| m.text().contains("Напоминание: завтра"))
        })
        .await;
    settle().await;
    assert_eq!(texts(&app, 4102, "Напоминание: завтра"), 1, "once, however many ticks");
    // A second booking made 2 hours before its start: no 24h reminder, only the 1h one.
    let late_start = app.clock.now() + TimeDelta::hours(2);
    let late = booking(&app.db.db, t, 4102, late_start, app.clock.now()).await;
    pay(&app, late).await;
    app.clock.set(late_start - TimeDelta::hours(1));
    app.api
        .wait_until("the late booking's 1h reminder", |a| {
            a.chat(4102)
                .bot_messages()
                .iter()
                .any(|m| m.text().starts_with("Через час"))
        })
        .await;
    app.clock.set(start - TimeDelta::hours(1));
    app.api
        .wait_until("the 1h reminder", |a| {
            a.chat(4102)
                .bot_messages()
                .iter()
                .filter(|m| m.text().starts_with("Через час"))
                .count()
                >= 2
        })
        .await;
    settle().await;
    assert_eq!(
        texts(&app, 4102, "Напоминание: завтра"),
        1,
        "the late booking got no 24h reminder"
    );
    app.finish().await;
}

#[tokio::test]
async fn holds_are_captured_when_the_window_closes_or_before_they_lapse() {
    let (app, t) = app_with_people().await;
    let now = app.clock.now();
    let soon = booking(&app.db.db, t, 4102, now + TimeDelta::hours(48), now).await;
    let far = booking(&app.db.db, t, 4102, now + TimeDelta::days(10), now).await;
    let p_soon = pay(&app, soon).await;
    let p_far = pay(&app, far).await;
    app.clock.set(now + TimeDelta::hours(24) - TimeDelta::seconds(1));
    settle().await;
    assert_eq!(
        Payments(&app.db.db).get(p_soon).await.unwrap().unwrap().state,
        PaymentState::Held
    );
    app.clock.set(now + TimeDelta::hours(24));
    settle().await;
    assert_eq!(
        Payments(&app.db.db).get(p_soon).await.unwrap().unwrap().state,
        PaymentState::Captured,
        "the free window closed"
    );
    assert_eq!(
        Payments(&app.db.db).get(p_far).await.unwrap().unwrap().state,
        PaymentState::Held
    );
    // The card hold lasts 7 days: captured an hour before it would lapse, long before the window.
    app.clock.set(now + TimeDelta::days(7) - TimeDelta::hours(1));
    settle().await;
    assert_eq!(
        Payments(&app.db.db).get(p_far).await.unwrap().unwrap().state,
        PaymentState::Captured,
        "before the hold lapses"
    );
    app.finish().await;
}

#[tokio::test]
async fn ended_sessions_are_completed_and_paid_out_to_the_kopeck() {
    let (app, t) = app_with_people().await;
    let now = app.clock.now();
    let start = now + TimeDelta::hours(30);
    let b = booking(&app.db.db, t, 4102, start, now).await;
    pay(&app, b).await;
    let end = start + TimeDelta::minutes(50);
    app.clock.set(end + sessions::COMPLETION_GRACE - TimeDelta::seconds(1));
    settle().await;
    assert_eq!(
        Bookings(&app.db.db).get(b).await.unwrap().unwrap().state,
        BookingState::Confirmed,
        "the therapist may still mark a no-show"
    );
    app.clock.set(end + sessions::COMPLETION_GRACE);
    seed::wait_booking_state(&app.db.db, b, BookingState::Completed).await;
    settle().await;
    let payouts = due::payouts_of(&app.db.db, t).await.unwrap();
    assert_eq!(payouts.len(), 1);
    let p = &payouts[0];
    assert_eq!(
        (p.paid_kopecks, p.commission_kopecks, p.payout_kopecks),
        (250_000, 75_000, 175_000),
        "R-PAY-2: 30%"
    );
    assert_eq!(p.tier, "individual");
    assert_eq!(
        p.due_at,
        end + TimeDelta::hours(24),
        "due 24 hours after the session, not after the grace"
    );
    // A no-show marked by the therapist is paid out too (R-CAN-2: charged in full).
    let now = app.clock.now();
    let s2 = now + TimeDelta::hours(30);
    let b2 = booking(&app.db.db, t, 4102, s2, now).await;
    pay(&app, b2).await;
    app.clock.set(s2 + TimeDelta::minutes(10));
    Bookings(&app.db.db)
        .transition(b2, BookingState::Confirmed, BookingState::NoShow, app.clock.now())
        .await
        .unwrap();
    app.clock.set(s2 + TimeDelta::minutes(50));
    settle().await;
    let payouts = due::payouts_of(&app.db.db, t).await.unwrap();
    assert_eq!(payouts.len(), 2);
    assert_eq!(
        Bookings(&app.db.db).get(b2).await.unwrap().unwrap().state,
        BookingState::NoShow
    );
    app.finish().await;
}

#[tokio::test]
async fn rerunning_a_tick_does_nothing_twice() {
    let (app, t) = app_with_people().await;
    let mut app = app;
    app.stop_bot().await;
    let now = app.clock.now();
    let start = now + TimeDelta::hours(20);
    let b = booking(&app.db.db, t, 4102, start, now - TimeDelta::days(1)).await;
    Bookings(&app.db.db)
        .transition(b, BookingState::AwaitingPayment, BookingState::Confirmed, now)
        .await
        .unwrap();
    let state = app.state.clone().unwrap();
    let first = sessions::tick(&state, now).await.unwrap();
    let second = sessions::tick(&state, now).await.unwrap();
    assert_eq!((first, second), (1, 0), "one 24h reminder, then nothing");
    assert_eq!(Outbox(&app.db.db).all().await.unwrap().len(), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_send_each_of_1000_due_reminders_once_on_postgres() {
    let t = TestDb::new(Backend::Postgres).await;
    let db = t.db.clone();
    let now: DateTime<Utc> = "2026-11-27T09:00:00Z".parse().unwrap();
    Users(&db).seen(5000, "Client", Lang::En, now).await.unwrap();
    let mut ids = Vec::new();
    for th in 0..50 {
        let tid = therapist(&db, 6000 + th, now).await;
        for i in 0..20 {
            let start = now + TimeDelta::hours(2) + TimeDelta::hours(i);
            let b = booking(&db, tid, 5000, start, now - TimeDelta::days(2)).await;
            Bookings(&db)
                .transition(b, BookingState::AwaitingPayment, BookingState::Confirmed, now)
                .await
                .unwrap();
            ids.push(b);
        }
    }
    let state = Arc::new(crate::support::app::state_for(db.clone()).await);
    let at = now + TimeDelta::minutes(1);
    let (a, b) = tokio::join!(
        {
            let s = state.clone();
            tokio::spawn(async move { sessions::remind(&s, at).await.unwrap() })
        },
        {
            let s = state.clone();
            tokio::spawn(async move { sessions::remind(&s, at).await.unwrap() })
        }
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, 1000, "each reminder enqueued exactly once ({a} + {b})");
    let rows = Outbox(&db).all().await.unwrap();
    assert_eq!(rows.len(), 1000);
}

#[tokio::test]
async fn r_ses_1_room_link_15_minutes_before_once_to_client_and_therapist() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let state = crate::support::app::state_for(db.clone()).await;
        let now = state.clock.now();
        let th = therapist(db, 4201, now).await;
        proego::store::profiles::Profiles(db)
            .set_text(
                th,
                proego::store::profiles::TextField::VideoRoomLink,
                "https://meet.example.org/r?a=1&b=2",
                now,
            )
            .await
            .unwrap();
        Users(db).seen(4202, "Анна", Lang::En, now).await.unwrap();
        let start = now + TimeDelta::hours(2);
        let b = booking(db, th, 4202, start, now).await;
        Bookings(db)
            .transition(b, BookingState::AwaitingPayment, BookingState::Confirmed, now)
            .await
            .unwrap();
        let before = start - TimeDelta::minutes(15) - TimeDelta::seconds(1);
        assert_eq!(
            sessions::send_links(&state, before).await.unwrap(),
            0,
            "not yet at 15:01 before"
        );
        let at = start - TimeDelta::minutes(15);
        assert_eq!(
            sessions::send_links(&state, at).await.unwrap(),
            2,
            "client and therapist"
        );
        assert_eq!(
            sessions::send_links(&state, at + TimeDelta::minutes(1)).await.unwrap(),
            0,
            "once"
        );
        let rows: Vec<(i64, String, Option<String>)> = proego::db_run!(db, |p| sqlx::query_as(
            "SELECT chat_id, text, dedupe_key FROM outbox ORDER BY id"
        )
        .fetch_all(p)
        .await
        .unwrap());
        let keys: Vec<_> = rows.iter().filter_map(|r| r.2.clone()).collect();
        assert!(keys.contains(&format!("link:booking:{b}")), "{keys:?}");
        assert!(keys.iter().any(|k| k.starts_with("link:therapist:slot:")), "{keys:?}");
        let client = rows.iter().find(|r| r.0 == 4202).unwrap();
        assert!(
            client.1.contains("https://meet.example.org/r?a=1&amp;b=2"),
            "{}",
            client.1
        );
        assert!(
            client.1.starts_with("Your individual session"),
            "in the client's language: {}",
            client.1
        );
    }
}
