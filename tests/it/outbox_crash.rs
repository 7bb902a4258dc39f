//! Crash safety of the outbox relay beyond a lease takeover (issue 8). A relay that dies after
//! claiming a row but before sending it: the row is delivered once after the restart (when its
//! lease lapses). A relay that dies after Telegram accepted the message but before marking the
//! row sent: the message is delivered again after the restart, so the guarantee there is
//! at least once (one duplicate at most per crash), as README says: Telegram's sendMessage has
//! no idempotency key, so no relay can know whether a send that it did not record happened.

use chrono::{Duration, TimeDelta};
use proego::domain::Clock;
use proego::store::outbox::{Outbox, OutboxMessage};
use teloxide::prelude::*;

use crate::support::app::TestApp;

const LEASE: Duration = Duration::seconds(60);

fn copies(app: &TestApp, chat: i64, text: &str) -> usize {
    app.api
        .chat(chat)
        .bot_messages()
        .iter()
        .filter(|m| m.text() == text)
        .count()
}

/// Waits until every row is sent or given up; returns them.
async fn all_settled(o: &Outbox<'_>) -> Vec<proego::store::outbox::OutboxRow> {
    for _ in 0..400 {
        let rows = o.all().await.unwrap();
        if rows.iter().all(|r| r.sent_at.is_some() || r.failed_at.is_some()) {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("outbox rows not settled: {:?}", o.all().await.unwrap());
}

#[tokio::test]
async fn a_relay_dying_before_or_after_sending_delivers_after_restart_at_least_once() {
    let mut app = TestApp::start().await;
    let anna = app.api.user(3001, "Anna", "en");
    anna.send_command("/help");
    anna.wait_bot_message().await;
    app.stop_bot().await;
    let db = app.db.db.clone();
    let o = Outbox(&db);
    let now = app.clock.now();

    // 1. Claimed, then the relay died before sending.
    o.enqueue(
        &OutboxMessage::new(3001, "Claimed, never sent".into()).dedupe("crash:1"),
        now,
    )
    .await
    .unwrap();
    let claimed = o.claim_due(now, LEASE, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    // 2. Sent through the Bot API, then the relay died before marking it sent.
    o.enqueue(
        &OutboxMessage::new(3001, "Sent, never marked".into()).dedupe("crash:2"),
        now,
    )
    .await
    .unwrap();
    let sent = o.claim_due(now, LEASE, 10).await.unwrap();
    assert_eq!(sent.len(), 1);
    app.api
        .bot()
        .send_message(ChatId(3001), sent[0].text.clone())
        .await
        .unwrap();
    assert_eq!(anna.wait_bot_message().await.text(), "Sent, never marked");

    // The restarted relay waits for the dead one's lease, then takes both rows over.
    app.restart().await;
    app.clock.advance(TimeDelta::seconds(61));
    let rows = all_settled(&o).await;
    assert!(
        rows.iter().all(|r| r.sent_at.is_some() && r.failed_at.is_none()),
        "{rows:?}"
    );
    assert_eq!(
        copies(&app, 3001, "Claimed, never sent"),
        1,
        "never sent before the crash: delivered exactly once"
    );
    assert_eq!(
        copies(&app, 3001, "Sent, never marked"),
        2,
        "sent but not recorded before the crash: delivered again (at least once)"
    );
    // Marked sent now: no relay takes them again, however late.
    app.clock.advance(TimeDelta::hours(1));
    assert!(o
        .claim_due(app.clock.now() + TimeDelta::hours(1), LEASE, 10)
        .await
        .unwrap()
        .is_empty());
    app.finish().await;
}
