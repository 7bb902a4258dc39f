//! The notification outbox: storage on both backends, two relays sharing 1000 due rows on
//! PostgreSQL, and delivery through the fake Bot API with 429, 403 and a restart.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use proego::domain::Clock;
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::Db;

use crate::on_both_backends;
use crate::support::app::TestApp;
use crate::support::db::{Backend, TestDb};
use crate::support::fake_bot_api::FailMode;

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

on_both_backends!(enqueue_is_deduplicated_and_claims_are_leased);

async fn enqueue_is_deduplicated_and_claims_are_leased(db: &Db) {
    let o = Outbox(db);
    let msg = OutboxMessage::new(10, "hello".into()).dedupe("reminder:24h:booking:1");
    assert!(o.enqueue(&msg, t0()).await.unwrap());
    assert!(!o.enqueue(&msg, t0()).await.unwrap(), "the same key is enqueued once");
    let later = OutboxMessage {
        not_before: Some(t0() + Duration::hours(1)),
        ..OutboxMessage::new(11, "later".into())
    };
    o.enqueue(&later, t0()).await.unwrap();
    let claimed = o.claim_due(t0(), Duration::seconds(60), 10).await.unwrap();
    assert_eq!(
        claimed.iter().map(|p| p.chat_id).collect::<Vec<_>>(),
        vec![10],
        "not before its time"
    );
    assert!(
        o.claim_due(t0() + Duration::seconds(30), Duration::seconds(60), 10)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    let again = o
        .claim_due(t0() + Duration::seconds(61), Duration::seconds(60), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1, "a lapsed lease is taken over (the first relay died)");
    o.retry_at(again[0].id, t0() + Duration::minutes(5), "429")
        .await
        .unwrap();
    assert!(o
        .claim_due(t0() + Duration::minutes(2), Duration::seconds(60), 10)
        .await
        .unwrap()
        .is_empty());
    let third = o
        .claim_due(t0() + Duration::hours(2), Duration::seconds(60), 10)
        .await
        .unwrap();
    assert_eq!(third.len(), 2);
    assert_eq!(third[0].attempts, 1);
    o.mark_sent(third[0].id, 77, t0() + Duration::hours(2)).await.unwrap();
    o.mark_failed(third[1].id, "403 blocked", t0() + Duration::hours(2))
        .await
        .unwrap();
    let rows = o.all().await.unwrap();
    assert!(rows[0].sent_at.is_some() && rows[0].failed_at.is_none());
    assert_eq!(rows[1].last_error.as_deref(), Some("403 blocked"));
    assert!(o
        .claim_due(t0() + Duration::days(1), Duration::seconds(60), 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_relays_share_a_thousand_rows_on_postgres_and_never_take_the_same_one() {
    let t = TestDb::new(Backend::Postgres).await;
    let o = Outbox(&t.db);
    for i in 0..1000 {
        o.enqueue(&OutboxMessage::new(i, format!("reminder {i}")), t0())
            .await
            .unwrap();
    }
    let db = Arc::new(t.db.clone());
    let relay = |db: Arc<Db>| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = Outbox(&db).claim_due(t0(), Duration::seconds(60), 25).await.unwrap();
                if batch.is_empty() {
                    break;
                }
                for p in batch {
                    Outbox(&db).mark_sent(p.id, 1, t0()).await.unwrap();
                    mine.push(p.id);
                }
            }
            mine
        })
    };
    let (a, b) = (relay(db.clone()), relay(db.clone()));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let all: HashSet<i64> = a.iter().chain(b.iter()).copied().collect();
    assert_eq!(a.len() + b.len(), 1000, "each row exactly once");
    assert_eq!(all.len(), 1000);
    assert!(
        !a.is_empty() && !b.is_empty(),
        "the work is shared: {} / {}",
        a.len(),
        b.len()
    );
}

/// Waits until `n` rows are sent or given up.
async fn settled(o: &Outbox<'_>, n: usize) -> Vec<proego::store::outbox::OutboxRow> {
    for _ in 0..200 {
        let rows = o.all().await.unwrap();
        if rows
            .iter()
            .filter(|r| r.sent_at.is_some() || r.failed_at.is_some())
            .count()
            >= n
        {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("outbox rows not settled: {:?}", o.all().await.unwrap());
}

#[tokio::test]
async fn delivery_retries_on_429_gives_up_on_403_and_survives_a_restart() {
    let mut app = TestApp::start().await;
    let anna = app.api.user(3001, "Anna", "en");
    let boris = app.api.user(3002, "Boris", "en");
    anna.send_command("/help");
    anna.wait_bot_message().await;
    boris.send_command("/help");
    boris.wait_bot_message().await;
    boris.block_bot();
    let now = app.clock.now();
    let db = app.db.db.clone();
    let o = Outbox(&db);
    app.api
        .fail_next("sendMessage", FailMode::TooManyRequests { retry_after: 1 }, 1);
    o.enqueue(&OutboxMessage::new(3001, "Your session is <b>tomorrow</b>".into()), now)
        .await
        .unwrap();
    o.enqueue(&OutboxMessage::new(3002, "You have a new booking".into()), now)
        .await
        .unwrap();
    // The 429 is waited out (by the Throttle adaptor, or by the relay at retry_after) and the
    // message arrives exactly once.
    app.clock.advance(chrono::TimeDelta::seconds(2));
    let m = anna.wait_bot_message().await;
    assert_eq!(m.text(), "Your session is tomorrow");
    let rows = settled(&o, 2).await;
    assert!(rows[0].sent_at.is_some());
    let copies = app
        .api
        .chat(3001)
        .messages()
        .iter()
        .filter(|m| m.text() == "Your session is tomorrow")
        .count();
    assert_eq!(copies, 1, "never twice");
    assert!(rows[1].failed_at.is_some(), "blocked: given up, marked");
    assert!(rows[1].last_error.as_deref().unwrap_or("").contains("403"));

    // Written while the bot is down, delivered after it starts again.
    app.stop_bot().await;
    o.enqueue(
        &OutboxMessage::new(3001, "Written while the bot was down".into()),
        app.clock.now(),
    )
    .await
    .unwrap();
    app.restart().await;
    assert_eq!(anna.wait_bot_message().await.text(), "Written while the bot was down");
    app.finish().await;
}

on_both_backends!(pay_messages_are_recorded_once_and_closed_once_as_edits);

/// R-PAY-1: the pay-link messages of a booking are remembered (a second record of the same
/// message changes nothing) and closing enqueues one edit per message, without buttons, once.
async fn pay_messages_are_recorded_once_and_closed_once_as_edits(db: &Db) {
    use proego::i18n::Lang;
    use proego::store::pay_messages::PayMessages;
    use proego::store::slots::SlotKind;

    use crate::support::seed;
    let now = t0();
    let tid = seed::active_therapist(db, 501, "Ирина", None, now).await;
    seed::client(db, 502, "Анна", Lang::Ru, None, now).await;
    let slot = seed::slot(db, tid, SlotKind::Individual, now + Duration::days(2), 50, 1, now).await;
    let b = seed::booking(db, slot, 502, 2500, false, now).await;
    let pm = PayMessages(db);
    assert!(pm.of_booking(b).await.unwrap().is_empty());
    pm.record(b, 502, 7, now).await.unwrap();
    pm.record(b, 502, 7, now).await.unwrap();
    pm.record(b, 502, 9, now + Duration::seconds(1)).await.unwrap();
    assert_eq!(pm.of_booking(b).await.unwrap(), vec![(502, 7), (502, 9)]);
    let mut tx = db.begin().await.unwrap();
    assert_eq!(PayMessages::close_in(&mut tx, b, "Оплачено ✓", now).await.unwrap(), 2);
    assert_eq!(PayMessages::close_in(&mut tx, b, "Оплачено ✓", now).await.unwrap(), 0);
    tx.commit().await.unwrap();
    let due = Outbox(db).claim_due(now, Duration::seconds(60), 10).await.unwrap();
    assert_eq!(
        due.iter()
            .map(|p| (p.chat_id, p.edit_message_id, p.keyboard.is_none(), p.text.as_str()))
            .collect::<Vec<_>>(),
        vec![(502, Some(7), true, "Оплачено ✓"), (502, Some(9), true, "Оплачено ✓")]
    );
    // A plain message stays a new message.
    Outbox(db)
        .enqueue(&OutboxMessage::new(502, "hi".into()), now)
        .await
        .unwrap();
    let plain = Outbox(db).claim_due(now, Duration::seconds(60), 10).await.unwrap();
    assert_eq!(plain.len(), 1);
    assert_eq!(plain[0].edit_message_id, None);
}

on_both_backends!(package_pay_messages_are_kept_apart_from_bookings_and_closed_once);

/// R-PAY-1: a package's pay-link messages are remembered in their own table (a booking with the
/// same id and the same chat message is a different owner) and closed once, as edits.
async fn package_pay_messages_are_kept_apart_from_bookings_and_closed_once(db: &Db) {
    use proego::domain::{DomainSettings, Money, Package};
    use proego::i18n::Lang;
    use proego::store::packages::Packages;
    use proego::store::pay_messages::{PayMessages, PayOwner};
    use proego::store::slots::SlotKind;

    use crate::support::seed;
    let now = t0();
    let tid = seed::active_therapist(db, 501, "Ирина", None, now).await;
    seed::client(db, 502, "Анна", Lang::Ru, None, now).await;
    let slot = seed::slot(db, tid, SlotKind::Individual, now + Duration::days(2), 50, 1, now).await;
    let b = seed::booking(db, slot, 502, 2500, false, now).await;
    let p = Package::purchase(4, Money::rubles(2500), &DomainSettings::default()).unwrap();
    let k = Packages(db).create(502, tid, &p, now).await.unwrap();
    let pm = PayMessages(db);
    let (pkg, booking) = (PayOwner::Package(k), PayOwner::Booking(b));
    assert!(pm.of(pkg).await.unwrap().is_empty());
    pm.record_for(pkg, 502, 7, now).await.unwrap();
    pm.record_for(pkg, 502, 7, now).await.unwrap();
    pm.record_for(pkg, 502, 9, now + Duration::seconds(1)).await.unwrap();
    pm.record_for(booking, 502, 7, now).await.unwrap();
    assert_eq!(pm.of(pkg).await.unwrap(), vec![(502, 7), (502, 9)]);
    assert_eq!(pm.of(booking).await.unwrap(), vec![(502, 7)]);
    assert_eq!(pm.of_booking(b).await.unwrap(), vec![(502, 7)]);
    let mut tx = db.begin().await.unwrap();
    assert_eq!(
        PayMessages::close_owner_in(&mut tx, pkg, "Оплачено ✓", now)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        PayMessages::close_owner_in(&mut tx, pkg, "Оплачено ✓", now)
            .await
            .unwrap(),
        0
    );
    // The booking's message 7 is its own edit, not taken for the package's.
    assert_eq!(PayMessages::close_in(&mut tx, b, "Истекло", now).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let due = Outbox(db).claim_due(now, Duration::seconds(60), 10).await.unwrap();
    let mut got = due
        .iter()
        .map(|p| (p.chat_id, p.edit_message_id, p.keyboard.is_none(), p.text.as_str()))
        .collect::<Vec<_>>();
    got.sort();
    assert_eq!(
        got,
        vec![
            (502, Some(7), true, "Истекло"),
            (502, Some(7), true, "Оплачено ✓"),
            (502, Some(9), true, "Оплачено ✓")
        ]
    );
}
