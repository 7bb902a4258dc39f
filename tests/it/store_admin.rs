//! Storage of the admin tools (issue 5) on both databases: payouts due per therapist, marking
//! paid once (R-PAY-2), receipts (R-PAY-3), the accountant's export rows, the /stats figures.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{BookingState, CommissionTier, Money, PaymentState, Split};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::due;
use proego::store::invites::AuditLog;
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::payments::Payments;
use proego::store::payouts::{MarkOutcome, MarkPaid, Payouts};
use proego::store::slots::SlotKind;
use proego::store::stats::Stats;
use proego::store::Db;

use crate::on_both_backends;
use crate::support::seed;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

/// A session of `therapist_id` that took place at `start`, paid `paid_kopecks` split into
/// `commission_kopecks` + the rest, with its payout recorded (due a day later). Returns the
/// booking id.
pub async fn seed_payout(
    db: &Db,
    therapist_id: i64,
    client: i64,
    start: DateTime<Utc>,
    paid_kopecks: i64,
    commission_kopecks: i64,
    now: DateTime<Utc>,
) -> i64 {
    seed::client(db, client, "Клиент", Lang::Ru, None, now).await;
    let slot = seed::slot(db, therapist_id, SlotKind::Individual, start, 50, 1, now).await;
    let b = seed::booking(db, slot, client, 0, true, now).await;
    Bookings(db)
        .transition(b, BookingState::Confirmed, BookingState::Completed, now)
        .await
        .unwrap();
    let split = Split {
        paid: Money::from_kopecks(paid_kopecks).unwrap(),
        commission: Money::from_kopecks(commission_kopecks).unwrap(),
        payout: Money::from_kopecks(paid_kopecks - commission_kopecks).unwrap(),
        tier: CommissionTier::Individual,
    };
    let mut tx = db.begin().await.unwrap();
    let due_at = start + TimeDelta::hours(25);
    assert!(due::record_payout_in(
        &mut tx,
        b,
        therapist_id,
        &split,
        CommissionTier::Individual,
        false,
        due_at,
        now
    )
    .await
    .unwrap());
    tx.commit().await.unwrap();
    b
}

async fn payouts_listed_marked_paid_once_and_exported(db: &Db) {
    let now = t0();
    let anna = seed::active_therapist(db, 501, "Анна", None, now).await;
    let boris = seed::active_therapist(db, 502, "Борис", None, now).await;
    let d1 = now - TimeDelta::days(3);
    let b1 = seed_payout(db, anna, 601, d1, 333_300, 99_990, now).await;
    let b2 = seed_payout(db, anna, 602, d1 + TimeDelta::hours(2), 250_050, 75_015, now).await;
    let b3 = seed_payout(db, boris, 603, d1 + TimeDelta::hours(1), 300_000, 90_000, now).await;
    let store = Payouts(db);

    let groups = store.due_groups().await.unwrap();
    assert_eq!(groups.len(), 2);
    let a = &groups[0];
    assert_eq!((a.therapist_id, a.sessions), (anna, 2));
    assert_eq!(a.paid_kopecks, 583_350);
    assert_eq!(a.commission_kopecks, 175_005);
    assert_eq!(a.payout_kopecks, 408_345);
    assert_eq!(a.first_due, d1 + TimeDelta::hours(25));
    assert_eq!((a.receipts, a.payout_masked.clone()), (0, None));
    assert!(store.record_receipt(b1, "чек 20ab", now).await.unwrap());
    assert!(!store.record_receipt(b1, "again", now).await.unwrap());
    assert_eq!(store.due_groups().await.unwrap()[0].receipts, 1);
    assert_eq!(store.unpaid_of(anna).await.unwrap(), vec![b1, b2]);

    // Marked once: the second admin is told who paid; the therapist's notice enqueued once.
    let ids = [b1, b2];
    let m = MarkPaid {
        therapist_id: anna,
        booking_ids: &ids,
        admin_id: 9001,
        admin_name: "Maria",
        reference: "PP-42",
    };
    let first = store
        .mark_paid(&m, |n, k| Some(OutboxMessage::new(501, format!("{n} {k}"))), now)
        .await
        .unwrap();
    assert_eq!(
        first,
        MarkOutcome::Marked {
            count: 2,
            payout_kopecks: 408_345
        }
    );
    let second = store
        .mark_paid(
            &MarkPaid {
                admin_id: 9002,
                admin_name: "Oleg",
                ..m
            },
            |_, _| Some(OutboxMessage::new(501, "never".into())),
            now + TimeDelta::seconds(1),
        )
        .await
        .unwrap();
    assert_eq!(
        second,
        MarkOutcome::AlreadyPaid {
            by: Some("Maria".into()),
            at: Some(now)
        }
    );
    assert_eq!(Outbox(db).all().await.unwrap().len(), 1);
    // Someone else's payout listed under Anna is never touched.
    let forged = [b3];
    let none = store
        .mark_paid(
            &MarkPaid {
                booking_ids: &forged,
                ..m
            },
            |_, _| None,
            now,
        )
        .await
        .unwrap();
    assert!(matches!(none, MarkOutcome::AlreadyPaid { by: None, .. }), "{none:?}");
    let left = store.due_groups().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].therapist_id, boris);
    let audit = AuditLog(db).about(&format!("therapist:{anna}")).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].actor_id, audit[0].action.as_str(), audit[0].reason.as_deref()),
        (9001, "payout_paid", Some("PP-42"))
    );
    assert_eq!(AuditLog(db).about(&format!("booking:{b2}")).await.unwrap().len(), 1);

    // The export: sessions starting in [from, to), in time order, paid ones with their reference.
    let rows = store.export_rows(d1, d1 + TimeDelta::hours(2)).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.booking_id).collect::<Vec<_>>(), vec![b1, b3]);
    let all = store.export_rows(d1, now).await.unwrap();
    assert_eq!(all.len(), 3);
    let r2 = all.iter().find(|r| r.booking_id == b2).unwrap();
    assert_eq!(r2.reference.as_deref(), Some("PP-42"));
    assert_eq!(r2.paid_out_at, Some(now));
    assert_eq!(r2.kind, "individual");
    assert!(all.iter().find(|r| r.booking_id == b3).unwrap().paid_out_at.is_none());
    assert!(store
        .export_rows(now, now + TimeDelta::days(1))
        .await
        .unwrap()
        .is_empty());
}

async fn stats_figures(db: &Db) {
    let now = t0();
    let stats = Stats(db);
    assert!(stats.therapists_by_status().await.unwrap().is_empty());
    assert_eq!(stats.payouts_due().await.unwrap(), (0, 0));
    let anna = seed::active_therapist(db, 501, "Анна", None, now).await;
    seed::active_therapist(db, 502, "Борис", None, now).await;
    let old = now - TimeDelta::days(20);
    // One session 20 days ago (its payout recorded then), one 3 days ago.
    seed_payout(db, anna, 601, old, 300_000, 90_000, old).await;
    let recent = seed_payout(
        db,
        anna,
        602,
        now - TimeDelta::days(3),
        250_050,
        75_015,
        now - TimeDelta::days(3),
    )
    .await;
    // A captured payment 2 days ago for the recent one, of which 500.00 was refunded later.
    let p = Payments(db)
        .create_for_booking(
            recent,
            "sandbox",
            Money::from_kopecks(250_050).unwrap(),
            now - TimeDelta::days(4),
        )
        .await
        .unwrap();
    let mut tx = db.begin().await.unwrap();
    for (from, to, at, refunded) in [
        (PaymentState::Pending, PaymentState::Held, now - TimeDelta::days(4), 0),
        (PaymentState::Held, PaymentState::Captured, now - TimeDelta::days(2), 0),
        (
            PaymentState::Captured,
            PaymentState::PartiallyRefunded,
            now - TimeDelta::days(1),
            50_000,
        ),
    ] {
        assert!(Payments::transition_in(
            &mut tx,
            p.id,
            from,
            to,
            Money::from_kopecks(refunded).unwrap(),
            false,
            "test",
            at
        )
        .await
        .unwrap());
    }
    tx.commit().await.unwrap();
    // An expired booking is not counted.
    let slot = seed::slot(db, anna, SlotKind::Individual, now + TimeDelta::days(2), 50, 1, now).await;
    let e = seed::booking(db, slot, 601, 3000, false, now).await;
    Bookings(db)
        .transition(e, BookingState::AwaitingPayment, BookingState::Expired, now)
        .await
        .unwrap();

    assert_eq!(
        stats.therapists_by_status().await.unwrap(),
        vec![("active".to_owned(), 2)]
    );
    let week = stats.since(now - TimeDelta::days(7)).await.unwrap();
    assert_eq!(
        (week.bookings, week.revenue_kopecks, week.commission_kopecks),
        (1, 200_050, 75_015)
    );
    let month = stats.since(now - TimeDelta::days(30)).await.unwrap();
    assert_eq!(
        (month.bookings, month.revenue_kopecks, month.commission_kopecks),
        (2, 200_050, 165_015)
    );
    assert_eq!(stats.payouts_due().await.unwrap(), (2, 210_000 + 175_035));
}

/// A late therapist cancellation of a paid session `hours` ahead, with a force-majeure document
/// filed; returns (booking, slot).
async fn late_case(db: &Db, therapist_id: i64, client: i64, hours: i64) -> (i64, i64) {
    use proego::domain::{decide_cancellation, CancellationRequest, Canceller, DomainSettings, Funding};
    use proego::store::calendar::TherapistBookings;
    let now = t0();
    seed::client(db, client, "Вера", Lang::Ru, None, now).await;
    let start = now + TimeDelta::hours(hours);
    let slot = seed::slot(db, therapist_id, SlotKind::Individual, start, 60, 1, now).await;
    let b = seed::booking(db, slot, client, 3000, true, now).await;
    let outcome = decide_cancellation(
        &CancellationRequest {
            booking: BookingState::Confirmed,
            by: Canceller::Therapist,
            session_start: start,
            now,
            funding: Funding::Captured,
            force_majeure_accepted: false,
        },
        &DomainSettings::default(),
    )
    .unwrap();
    let tb = TherapistBookings(db);
    tb.cancel_session(therapist_id, slot, &[(b, BookingState::Confirmed, outcome)], now)
        .await
        .unwrap();
    assert_eq!(
        tb.file_force_majeure(therapist_id, slot, "doc-1", now).await.unwrap(),
        1
    );
    (b, slot)
}

async fn force_majeure_cases_are_decided_once(db: &Db) {
    use proego::store::calendar::TherapistBookings;
    use proego::store::force_majeure::ForceMajeure;
    let now = t0();
    let tid = seed::active_therapist(db, 501, "Ирина", None, now).await;
    let (b1, s1) = late_case(db, tid, 601, 5).await;
    let (b2, _) = late_case(db, tid, 602, 7).await;
    let fm = ForceMajeure(db);
    let pending = fm.pending().await.unwrap();
    assert_eq!(pending.iter().map(|c| c.booking_id).collect::<Vec<_>>(), vec![b1, b2]);
    let c1 = &pending[0];
    assert_eq!(
        (
            c1.therapist_name.as_str(),
            c1.client_name.as_str(),
            c1.document_file_id.as_str(),
            c1.status.as_str()
        ),
        ("Ирина Терапевтова", "Вера", "doc-1", "pending")
    );
    assert_eq!(c1.therapist_telegram_id, Some(501));
    assert_eq!(fm.pending_for_slot(s1).await.unwrap().len(), 1);
    let notice = OutboxMessage::new(501, "accepted".into());
    assert_eq!(
        fm.decide(c1.id, true, 9001, "Maria", Some(&notice), now).await.unwrap(),
        Ok(())
    );
    let second = fm
        .decide(c1.id, false, 9002, "Oleg", None, now)
        .await
        .unwrap()
        .unwrap_err()
        .unwrap();
    assert_eq!(
        (second.status.as_str(), second.decided_by_name.as_deref()),
        ("accepted", Some("Maria"))
    );
    assert_eq!(second.decided_at, Some(now));
    let tb = TherapistBookings(db);
    assert!(!tb.cancellation(b1).await.unwrap().unwrap().2, "the debt is cancelled");
    let c2 = fm.pending().await.unwrap()[0].id;
    assert_eq!(fm.decide(c2, false, 9002, "Oleg", None, now).await.unwrap(), Ok(()));
    assert!(tb.cancellation(b2).await.unwrap().unwrap().2, "the debt stays");
    assert!(fm.pending().await.unwrap().is_empty());
    assert!(fm
        .decide(9999, true, 9001, "Maria", None, now)
        .await
        .unwrap()
        .unwrap_err()
        .is_none());
    assert_eq!(Outbox(db).all().await.unwrap().len(), 1);
    let audit = AuditLog(db).about(&format!("booking:{b2}")).await.unwrap();
    assert_eq!(audit[0].action, "force_majeure_refuse");
    assert_eq!(AuditLog(db).about(&format!("therapist:{tid}")).await.unwrap().len(), 2);

    // A client's bookings for /client, newest session first.
    let rows = proego::store::lookup::client_bookings(db, 602).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].id, rows[0].state.as_str()), (b2, "cancelled_by_therapist"));
    assert_eq!(rows[0].therapist, "Ирина Терапевтова");
    assert!(proego::store::lookup::client_bookings(db, 1).await.unwrap().is_empty());
}

on_both_backends!(
    payouts_listed_marked_paid_once_and_exported,
    stats_figures,
    force_majeure_cases_are_decided_once
);
