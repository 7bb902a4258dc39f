//! Storage of the therapist's payouts and receipts (R-PAY-2..4, R-PAY-3) and of free-session
//! debts seen from both sides (R-CAN-3), on both databases.

use chrono::{DateTime, TimeDelta, Utc};
use proego::domain::BookingState;
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::payouts::{MarkPaid, Payouts};
use proego::store::receipts::{ReceiptKind, Receipts};
use proego::store::slots::SlotKind;
use proego::store::users::Users;
use proego::store::Db;

use crate::on_both_backends;
use crate::store_admin::{seed_payout, t0};
use crate::support::seed;

/// A paid session of `therapist_id` with client `client` (named `name`) that took place at
/// `start`, with its payout recorded. Returns the booking id.
#[allow(clippy::too_many_arguments)]
pub async fn session(
    db: &Db,
    therapist_id: i64,
    client: i64,
    name: &str,
    start: DateTime<Utc>,
    paid_kopecks: i64,
    commission_kopecks: i64,
    now: DateTime<Utc>,
) -> i64 {
    let b = seed_payout(db, therapist_id, client, start, paid_kopecks, commission_kopecks, now).await;
    Users(db).seen(client, name, Lang::Ru, now).await.unwrap();
    b
}

/// Marks the therapist's listed payouts paid at `at`.
pub async fn pay_out(db: &Db, therapist_id: i64, ids: &[i64], at: DateTime<Utc>) {
    Payouts(db)
        .mark_paid(
            &MarkPaid {
                therapist_id,
                booking_ids: ids,
                admin_id: 1,
                admin_name: "Maria",
                reference: "PP-1",
            },
            |_, _| None,
            at,
        )
        .await
        .unwrap();
}

/// R-CAN-3: a late cancellation by the therapist of `client`'s session at `start`, owing a
/// free session, decided at `now`. Returns the cancelled booking.
pub async fn late_cancellation(
    db: &Db,
    therapist_id: i64,
    client: i64,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> i64 {
    let slot = seed::slot(db, therapist_id, SlotKind::Individual, start, 50, 1, now).await;
    let b = seed::booking(db, slot, client, 3000, true, now).await;
    Bookings(db)
        .transition(b, BookingState::Confirmed, BookingState::CancelledByTherapist, now)
        .await
        .unwrap();
    proego::db_run!(db, |p| sqlx::query(
        "INSERT INTO booking_cancellations
           (booking_id, cancelled_by, timing, money_action, therapist_paid, therapist_owes_free_session, decided_at)
         VALUES ($1, 'therapist', 'late', 'refund', $2, $3, $4)"
    )
    .bind(b)
    .bind(false)
    .bind(true)
    .bind(now)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    b
}

on_both_backends!(r_pay_3_lines_receipts_filed_replaced_and_refused);

async fn r_pay_3_lines_receipts_filed_replaced_and_refused(db: &Db) {
    let now = t0();
    let anna = seed::active_therapist(db, 501, "Анна", None, now).await;
    let boris = seed::active_therapist(db, 502, "Борис", None, now).await;
    let d = now - TimeDelta::days(10);
    let b1 = session(db, anna, 601, "Вера", d, 333_300, 99_990, now).await;
    let b2 = session(db, anna, 602, "Глеб", d + TimeDelta::hours(3), 250_050, 75_015, now).await;
    let free = session(db, anna, 603, "Дина", d + TimeDelta::hours(5), 0, 0, now).await;
    let other = session(db, boris, 604, "Ева", d, 300_000, 90_000, now).await;
    let store = Receipts(db);

    let lines = store.lines(anna, now - TimeDelta::days(90)).await.unwrap();
    assert_eq!(
        lines.iter().map(|l| l.booking_id).collect::<Vec<_>>(),
        vec![b1, b2, free],
        "only Anna's, due order"
    );
    let l1 = &lines[0];
    assert_eq!(
        (
            l1.client_first_name.as_str(),
            l1.paid_kopecks,
            l1.commission_kopecks,
            l1.payout_kopecks
        ),
        ("Вера", 333_300, 99_990, 233_310)
    );
    assert!(l1.receipt_missing() && l1.paid_out_at.is_none());
    assert!(!lines[2].needs_receipt(), "a free session needs no receipt");

    // Filed, then replaced; the admin's card counts it.
    assert!(store
        .file(anna, b1, ReceiptKind::Link, "https://lknpd.nalog.ru/r/1", None, now)
        .await
        .unwrap());
    assert_eq!(
        Payouts(db).due_groups().await.unwrap()[0].receipts,
        2,
        "the filed one and the free one (needs none)"
    );
    let later = now + TimeDelta::hours(1);
    assert!(store
        .file(anna, b1, ReceiptKind::Document, "чек.pdf", Some("FILE-1"), later)
        .await
        .unwrap());
    let r = store.line(anna, b1).await.unwrap().unwrap().receipt.unwrap();
    assert_eq!(
        (r.kind, r.reference.as_str(), r.file_id.as_deref(), r.recorded_at),
        (ReceiptKind::Document, "чек.pdf", Some("FILE-1"), later)
    );
    assert!(store
        .file(anna, b1, ReceiptKind::Number, "20abc1", Some("ignored"), later)
        .await
        .unwrap());
    let r = store.line(anna, b1).await.unwrap().unwrap().receipt.unwrap();
    assert_eq!((r.kind, r.file_id), (ReceiptKind::Number, None), "a number has no file");

    // Another therapist's session, a free one, an unknown one: refused, nothing stored.
    assert!(store.line(anna, other).await.unwrap().is_none());
    assert!(!store
        .file(anna, other, ReceiptKind::Number, "777", None, now)
        .await
        .unwrap());
    assert!(!store
        .file(anna, free, ReceiptKind::Number, "777", None, now)
        .await
        .unwrap());
    assert!(!store
        .file(anna, 999_999, ReceiptKind::Number, "777", None, now)
        .await
        .unwrap());
    assert!(store.line(boris, other).await.unwrap().unwrap().receipt.is_none());
    // The database keeps the file rule too.
    let bad = proego::db_run!(db, |p| sqlx::query(
        "INSERT INTO payout_receipts (booking_id, receipt_ref, recorded_at, kind) VALUES ($1, 'x', $2, 'photo')"
    )
    .bind(b2)
    .bind(now)
    .execute(p)
    .await
    .map(|_| ()));
    assert!(bad.is_err(), "a photo without its file is refused");

    // Paid out long ago with a receipt: left out; without one: still listed (missing).
    pay_out(db, anna, &[b1, b2], now - TimeDelta::days(100)).await;
    let lines = store.lines(anna, now - TimeDelta::days(90)).await.unwrap();
    assert_eq!(lines.iter().map(|l| l.booking_id).collect::<Vec<_>>(), vec![b2, free]);
    assert!(lines[0].paid_out_at.is_some() && lines[0].reference.as_deref() == Some("PP-1"));
}

on_both_backends!(r_pay_3_missing_receipts_after_payout);

async fn r_pay_3_missing_receipts_after_payout(db: &Db) {
    let now = t0();
    let anna = seed::active_therapist(db, 501, "Анна", None, now).await;
    let d = now - TimeDelta::days(10);
    let b1 = session(db, anna, 601, "Вера", d, 333_300, 99_990, now).await;
    let b2 = session(db, anna, 602, "Глеб", d + TimeDelta::hours(1), 250_050, 75_015, now).await;
    let free = session(db, anna, 603, "Дина", d + TimeDelta::hours(2), 0, 0, now).await;
    let b4 = session(db, anna, 604, "Ева", d + TimeDelta::hours(3), 100_000, 30_000, now).await;
    let store = Receipts(db);
    assert!(
        store.missing_after_payout(now).await.unwrap().is_empty(),
        "nothing paid out"
    );
    pay_out(db, anna, &[b1, b2, free], now - TimeDelta::days(4)).await;
    pay_out(db, anna, &[b4], now - TimeDelta::days(1)).await;
    store
        .file(anna, b2, ReceiptKind::Number, "123", None, now)
        .await
        .unwrap();
    let due = store.missing_after_payout(now - TimeDelta::days(3)).await.unwrap();
    assert_eq!(
        due.iter().map(|m| (m.booking_id, m.therapist_id)).collect::<Vec<_>>(),
        vec![(b1, anna)],
        "paid out 3+ days ago, paid, no receipt"
    );
    assert_eq!(due[0].paid_out_at, now - TimeDelta::days(4));
    assert_eq!(store.missing_after_payout(now).await.unwrap().len(), 2);
}

on_both_backends!(r_can_3_free_session_debts_seen_from_both_sides);

async fn r_can_3_free_session_debts_seen_from_both_sides(db: &Db) {
    let now = t0();
    let anna = seed::active_therapist(db, 501, "Анна", None, now).await;
    let boris = seed::active_therapist(db, 502, "Борис", None, now).await;
    seed::client(db, 701, "Вера", Lang::Ru, None, now).await;
    seed::client(db, 702, "Глеб", Lang::Ru, None, now).await;
    let c1 = late_cancellation(db, anna, 701, now + TimeDelta::hours(5), now - TimeDelta::hours(2)).await;
    let c2 = late_cancellation(db, anna, 702, now + TimeDelta::hours(7), now - TimeDelta::hours(1)).await;
    let c3 = late_cancellation(db, boris, 701, now + TimeDelta::hours(9), now).await;
    let store = Receipts(db);

    let of_anna = store.debts_of_therapist(anna).await.unwrap();
    assert_eq!(
        of_anna.iter().map(|d| d.cancelled_booking_id).collect::<Vec<_>>(),
        vec![c2, c1],
        "latest first"
    );
    assert_eq!(of_anna[1].client_first_name.as_deref(), Some("Вера"));
    assert!(of_anna
        .iter()
        .all(|d| d.used_by_booking_id.is_none() && d.force_majeure.is_none()));
    let to_vera = store.debts_to_client(701).await.unwrap();
    assert_eq!(
        to_vera
            .iter()
            .map(|d| (d.cancelled_booking_id, d.therapist_name.as_str()))
            .collect::<Vec<_>>(),
        vec![(c1, "Анна Терапевтова"), (c3, "Борис Терапевтова")]
    );

    // Vera books Anna's free session: gone from her list, "booked" on Anna's.
    let slot = seed::slot(db, anna, SlotKind::Individual, now + TimeDelta::days(3), 50, 1, now).await;
    let free = proego::store::client_booking::ClientBookings(db)
        .book_free(slot, 701, Some(c1), &[], now)
        .await
        .unwrap();
    let to_vera = store.debts_to_client(701).await.unwrap();
    assert_eq!(
        to_vera.iter().map(|d| d.cancelled_booking_id).collect::<Vec<_>>(),
        vec![c3]
    );
    let d1 = store
        .debts_of_therapist(anna)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.cancelled_booking_id == c1)
        .unwrap();
    assert_eq!(d1.used_by_booking_id, Some(free));
    assert_eq!(d1.used_starts_at, Some(now + TimeDelta::days(3)));

    // Force majeure: pending shows; accepted excuses the debt on both sides.
    proego::db_run!(db, |p| sqlx::query(
        "INSERT INTO force_majeure_cases (booking_id, therapist_id, document_file_id, status, created_at, updated_at)
         VALUES ($1, $2, 'DOC', 'pending', $3, $3)"
    )
    .bind(c2)
    .bind(anna)
    .bind(now)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    let d2 = store.debts_of_therapist(anna).await.unwrap();
    assert_eq!(d2[0].force_majeure.as_deref(), Some("pending"));
    proego::db_run!(db, |p| sqlx::query(
        "UPDATE force_majeure_cases SET status = 'accepted' WHERE booking_id = $1"
    )
    .bind(c2)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    assert_eq!(
        store
            .debts_of_therapist(anna)
            .await
            .unwrap()
            .iter()
            .map(|d| d.cancelled_booking_id)
            .collect::<Vec<_>>(),
        vec![c1]
    );
    assert!(store.debts_to_client(702).await.unwrap().is_empty());
}
