//! R-PAY-3 with a test clock: a payout whose receipt is still missing is reminded to the
//! therapist 3 days after the payout (not a second before), then weekly while it is missing,
//! once per week even when the job runs again (after a crash, or on a second instance), and
//! never after the receipt arrives; free sessions need no receipt and get no reminder.

use chrono::TimeDelta;
use proego::jobs::receipts::{remind_missing, FIRST_REMINDER, REMINDER_EVERY};
use proego::jobs::sessions;
use proego::store::receipts::{ReceiptKind, Receipts};
use proego::store::Db;

use crate::store_receipts::{pay_out, session};
use crate::support::db::{Backend, TestDb};
use crate::support::seed;

/// (chat, dedupe key, text, keyboard) of every outbox row, oldest first.
async fn outbox(db: &Db) -> Vec<(i64, Option<String>, String, Option<String>)> {
    proego::db_run!(db, |p| sqlx::query_as(
        "SELECT chat_id, dedupe_key, text, keyboard FROM outbox ORDER BY id"
    )
    .fetch_all(p)
    .await
    .unwrap())
}

#[tokio::test]
async fn r_pay_3_missing_receipt_reminded_after_3_days_then_weekly_once_and_not_after_it_arrives() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let t = TestDb::new(backend).await;
        let db = &t.db;
        let state = crate::support::app::state_for(db.clone()).await;
        let now = state.clock.now();
        let anna = seed::active_therapist(db, 501, "Анна", None, now).await;
        let d = now - TimeDelta::days(2);
        let b1 = session(db, anna, 601, "Вера", d, 333_300, 99_990, now).await;
        let free = session(db, anna, 602, "Дина", d + TimeDelta::hours(2), 0, 0, now).await;
        let b2 = session(db, anna, 603, "Глеб", d + TimeDelta::hours(4), 250_050, 75_015, now).await;
        let paid = now;
        pay_out(db, anna, &[b1, free], paid).await;
        pay_out(db, anna, &[b2], paid + TimeDelta::days(1)).await;
        let s = TimeDelta::seconds(1);

        assert_eq!(
            remind_missing(&state, paid + FIRST_REMINDER - s).await.unwrap(),
            0,
            "not at 2d23:59:59"
        );
        assert!(outbox(db).await.is_empty());
        // Through the sessions tick, as `proego run` calls it.
        assert_eq!(
            sessions::tick(&state, paid + FIRST_REMINDER).await.unwrap(),
            1,
            "at 3 days: b1 only"
        );
        let rows = outbox(db).await;
        assert_eq!(rows.len(), 1);
        let (chat, key, text, kb) = &rows[0];
        assert_eq!(
            (*chat, key.as_deref()),
            (501, Some(format!("receipt-reminder:{b1}:0").as_str()))
        );
        assert!(
            text.contains("нет чека за сессию"),
            "in the therapist's language: {text}"
        );
        assert!(text.contains("Вера") && text.contains("2\u{a0}333,10\u{a0}₽"), "{text}");
        assert!(text.contains("(Europe/Moscow)"), "the zone named: {text}");
        assert!(
            kb.as_deref().unwrap_or("").contains(&format!("po:r:{b1}")),
            "a button to file it: {kb:?}"
        );
        // A rerun (after a crash between enqueueing and anything else) sends nothing more.
        assert_eq!(remind_missing(&state, paid + FIRST_REMINDER).await.unwrap(), 0);
        assert_eq!(
            remind_missing(&state, paid + FIRST_REMINDER + TimeDelta::hours(5))
                .await
                .unwrap(),
            0
        );
        // b2 was paid out a day later: its own 3 days.
        assert_eq!(remind_missing(&state, paid + TimeDelta::days(4) - s).await.unwrap(), 0);
        assert_eq!(remind_missing(&state, paid + TimeDelta::days(4)).await.unwrap(), 1);
        // A week after the first: again, once.
        let week = paid + FIRST_REMINDER + REMINDER_EVERY;
        assert_eq!(remind_missing(&state, week - s).await.unwrap(), 0, "not a second early");
        assert_eq!(remind_missing(&state, week).await.unwrap(), 1);
        assert_eq!(remind_missing(&state, week).await.unwrap(), 0);
        let keys: Vec<String> = outbox(db).await.into_iter().filter_map(|r| r.1).collect();
        assert_eq!(
            keys,
            vec![
                format!("receipt-reminder:{b1}:0"),
                format!("receipt-reminder:{b2}:0"),
                format!("receipt-reminder:{b1}:1"),
            ]
        );
        // The receipts arrive: no more reminders, ever; the free session never had any.
        let store = Receipts(db);
        assert!(store
            .file(anna, b1, ReceiptKind::Number, "20abc1", None, week)
            .await
            .unwrap());
        assert!(store
            .file(anna, b2, ReceiptKind::Link, "https://lknpd.nalog.ru/r/2", None, week)
            .await
            .unwrap());
        for weeks in [2, 3, 10] {
            let at = paid + FIRST_REMINDER + REMINDER_EVERY * weeks;
            assert_eq!(remind_missing(&state, at).await.unwrap(), 0, "{weeks} weeks");
        }
        assert_eq!(outbox(db).await.len(), 3);
        assert!(!outbox(db)
            .await
            .iter()
            .any(|r| r.1.as_deref().unwrap_or("").contains(&format!(":{free}:"))));
    }
}
