//! Packages of sessions on both databases (R-PAY-1, R-CAN-2..3): credits taken and given back,
//! the database's invariant that used credits never exceed the size (also with two bookings
//! racing for the last credit), refunds marked only against the state they were decided on,
//! payments owned by exactly one booking or package, and the expiry query.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{
    decide_cancellation, BookingState, CancellationRequest, Canceller, DomainSettings, Funding, Money, MoneyAction,
    Package,
};
use proego::i18n::Lang;
use proego::store::calendar::TherapistBookings;
use proego::store::client_booking::ClientBookings;
use proego::store::packages::{PackageState, Packages};
use proego::store::payments::Payments;
use proego::store::slots::SlotKind;
use proego::store::{Db, StoreError};

use crate::on_both_backends;
use crate::support::seed;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

const CLIENT: i64 = 3501;
const OTHER: i64 = 3502;

/// A therapist, two clients, and an active package of `size` at 2 500 ₽ for CLIENT.
async fn setup(db: &Db, size: u32) -> (i64, i64) {
    let now = t0();
    let tid = seed::active_therapist(db, 2501, "Ирина", None, now).await;
    seed::client(db, CLIENT, "Анна", Lang::Ru, None, now).await;
    seed::client(db, OTHER, "Борис", Lang::Ru, None, now).await;
    let p = Package::purchase(size, Money::rubles(2500), &DomainSettings::default()).unwrap();
    let k = Packages(db).create(CLIENT, tid, &p, now).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(
        Packages::transition_in(&mut tx, k, PackageState::AwaitingPayment, PackageState::Active, now)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    (tid, k)
}

async fn slot_at(db: &Db, tid: i64, day: i64) -> i64 {
    seed::slot(db, tid, SlotKind::Individual, t0() + TimeDelta::days(day), 50, 1, t0()).await
}

async fn credits_are_taken_returned_and_kept(db: &Db) {
    let now = t0();
    let (tid, k) = setup(db, 4).await;
    let store = Packages(db);
    // Not before it is paid: a package awaiting payment has no credits.
    let p = Package::purchase(8, Money::rubles(2500), &DomainSettings::default()).unwrap();
    let unpaid = store.create(CLIENT, tid, &p, now).await.unwrap();
    let s0 = slot_at(db, tid, 1).await;
    assert!(matches!(
        store.book_with_credit(s0, CLIENT, unpaid, &[], now).await,
        Err(StoreError::Conflict)
    ));
    // Nor someone else's package.
    assert!(matches!(
        store.book_with_credit(s0, OTHER, k, &[], now).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.with_credit(CLIENT, tid).await.unwrap().map(|x| x.id), Some(k));
    assert_eq!(store.with_credit(OTHER, tid).await.unwrap(), None);

    let b1 = store.book_with_credit(s0, CLIENT, k, &[], now).await.unwrap();
    let b = proego::store::bookings::Bookings(db).get(b1).await.unwrap().unwrap();
    assert_eq!((b.state, b.price), (BookingState::Confirmed, Money::rubles(2500)));
    assert_eq!(store.credit_of_booking(b1).await.unwrap(), Some(k));
    let cb = ClientBookings(db).get(CLIENT, b1).await.unwrap().unwrap();
    assert!(cb.credit && !cb.owed_free);
    // A taken slot takes no credit (the transaction is rolled back).
    assert!(matches!(
        store.book_with_credit(s0, CLIENT, k, &[], now).await,
        Err(StoreError::AlreadyBooked | StoreError::SlotTaken)
    ));
    assert_eq!(store.get(k).await.unwrap().unwrap().package.used(), 1);

    // R-CAN-2: a timely client cancellation gives the credit back.
    let outcome = |start: DateTime<Utc>, by: Canceller| {
        decide_cancellation(
            &CancellationRequest {
                booking: BookingState::Confirmed,
                by,
                session_start: start,
                now,
                funding: Funding::PackageCredit,
                force_majeure_accepted: false,
            },
            &DomainSettings::default(),
        )
        .unwrap()
    };
    let timely = outcome(t0() + TimeDelta::days(1), Canceller::Client);
    assert_eq!(timely.money, MoneyAction::ReturnCredit);
    assert!(ClientBookings(db)
        .cancel(CLIENT, b1, BookingState::Confirmed, &timely, &[], now)
        .await
        .unwrap());
    let after = store.get(k).await.unwrap().unwrap();
    assert_eq!((after.package.used(), after.available()), (0, 4));
    assert_eq!(store.credit_of_booking(b1).await.unwrap(), None);

    // A late one keeps it used.
    let s_late = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(5), 50, 1, now).await;
    let b2 = store.book_with_credit(s_late, CLIENT, k, &[], now).await.unwrap();
    let late = outcome(now + TimeDelta::hours(5), Canceller::Client);
    assert_eq!(late.money, MoneyAction::KeepCredit);
    assert!(ClientBookings(db)
        .cancel(CLIENT, b2, BookingState::Confirmed, &late, &[], now)
        .await
        .unwrap());
    assert_eq!(store.get(k).await.unwrap().unwrap().package.used(), 1);

    // R-CAN-3: a therapist's cancellation (even late) gives it back.
    let s3 = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(7), 50, 1, now).await;
    let b3 = store.book_with_credit(s3, CLIENT, k, &[], now).await.unwrap();
    let by_therapist = outcome(now + TimeDelta::hours(7), Canceller::Therapist);
    assert_eq!(by_therapist.money, MoneyAction::ReturnCredit);
    TherapistBookings(db)
        .cancel_session(tid, s3, &[(b3, BookingState::Confirmed, by_therapist)], now)
        .await
        .unwrap();
    let after = store.get(k).await.unwrap().unwrap();
    assert_eq!((after.package.used(), after.available()), (1, 3));
    // Giving back twice does nothing.
    let mut tx = db.begin().await.unwrap();
    assert!(!Packages::return_credit_in(&mut tx, b3, now).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(store.get(k).await.unwrap().unwrap().package.used(), 1);
}

async fn the_database_keeps_used_credits_within_the_size(db: &Db) {
    let (_, k) = setup(db, 4).await;
    let over = "UPDATE packages SET used = 5 WHERE id = $1";
    let r = match db {
        Db::Sqlite(p) => sqlx::query(over).bind(k).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(over).bind(k).execute(p).await.map(|_| ()),
    };
    assert!(r.is_err(), "used > size is refused");
    let both = "UPDATE packages SET used = 2, refunded_credits = 3 WHERE id = $1";
    let r = match db {
        Db::Sqlite(p) => sqlx::query(both).bind(k).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(both).bind(k).execute(p).await.map(|_| ()),
    };
    assert!(r.is_err(), "used + refunded > size is refused");
}

/// Two bookings at once for the last credit: exactly one gets it.
async fn two_bookings_race_for_the_last_credit(db: &Db) {
    let now = t0();
    let (tid, k) = setup(db, 4).await;
    let store = Packages(db);
    for day in 1..=3 {
        let s = slot_at(db, tid, day).await;
        store.book_with_credit(s, CLIENT, k, &[], now).await.unwrap();
    }
    for round in 0..3 {
        let (a, b) = (
            slot_at(db, tid, 10 + 2 * round).await,
            slot_at(db, tid, 11 + 2 * round).await,
        );
        let (db1, db2) = (db.clone(), db.clone());
        let (r1, r2) = tokio::join!(
            tokio::spawn(async move { Packages(&db1).book_with_credit(a, CLIENT, k, &[], now).await }),
            tokio::spawn(async move { Packages(&db2).book_with_credit(b, CLIENT, k, &[], now).await }),
        );
        let results = [r1.unwrap(), r2.unwrap()];
        let ok = results.iter().filter(|r| r.is_ok()).count();
        let refused = results
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Conflict)))
            .count();
        if round == 0 {
            assert_eq!((ok, refused), (1, 1), "{results:?}");
        } else {
            assert_eq!((ok, refused), (0, 2), "{results:?}");
        }
        let p = store.get(k).await.unwrap().unwrap();
        assert_eq!((p.package.used(), p.available()), (4, 0));
    }
}

async fn refunds_are_marked_against_what_was_decided(db: &Db) {
    let now = t0();
    let (tid, k) = setup(db, 4).await;
    let store = Packages(db);
    let s = slot_at(db, tid, 1).await;
    store.book_with_credit(s, CLIENT, k, &[], now).await.unwrap();
    let before = store.get(k).await.unwrap().unwrap().package;
    let mut after = before;
    assert_eq!(after.refund_unused(), Ok(Money::rubles(7500)));
    // A credit used meanwhile: the stale decision changes nothing.
    let s2 = slot_at(db, tid, 2).await;
    store.book_with_credit(s2, CLIENT, k, &[], now).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(!Packages::mark_refunded_in(&mut tx, k, &before, &after, now)
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let before = store.get(k).await.unwrap().unwrap().package;
    let mut after = before;
    assert_eq!(after.refund_unused(), Ok(Money::rubles(5000)));
    let mut tx = db.begin().await.unwrap();
    assert!(Packages::mark_refunded_in(&mut tx, k, &before, &after, now)
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let p = store.get(k).await.unwrap().unwrap();
    assert_eq!(
        (p.available(), p.package.refunded_credits(), p.package.refunded_amount()),
        (0, 2, Money::rubles(5000))
    );
    // Refunded credits cannot be used.
    let s3 = slot_at(db, tid, 3).await;
    assert!(matches!(
        store.book_with_credit(s3, CLIENT, k, &[], now).await,
        Err(StoreError::Conflict)
    ));
    // Listed for the client and the admin.
    let list = store.of_client(CLIENT).await.unwrap();
    assert_eq!(list.iter().map(|x| x.id).collect::<Vec<_>>(), vec![k]);
    assert_eq!(list[0].therapist_id, tid);
    assert!(store.get_of_client(OTHER, k).await.unwrap().is_none());
    assert!(store.get_of_client(CLIENT, k).await.unwrap().is_some());
}

async fn payments_belong_to_one_booking_or_one_package(db: &Db) {
    let now = t0();
    let (tid, k) = setup(db, 4).await;
    let pay = Payments(db);
    let rec = pay
        .create_for_package(k, "sandbox", Money::rubles(10_000), now)
        .await
        .unwrap();
    assert_eq!((rec.package_id, rec.booking_id), (Some(k), None));
    assert_eq!(rec.idempotence_key, format!("proego-package-{k}-payment-1"));
    assert_eq!(pay.for_package(k).await.unwrap(), vec![rec.clone()]);
    // One live payment per package.
    assert!(pay
        .create_for_package(k, "sandbox", Money::rubles(10_000), now)
        .await
        .is_err());
    // Neither owner, or both: refused.
    let neither = "INSERT INTO payments (provider, idempotence_key, amount_kopecks, state, created_at, updated_at)
                   VALUES ('sandbox', 'k-x', 100, 'pending', $1, $1)";
    let r = match db {
        Db::Sqlite(p) => sqlx::query(neither).bind(now).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(neither).bind(now).execute(p).await.map(|_| ()),
    };
    assert!(r.is_err());
    let s = slot_at(db, tid, 1).await;
    let b = seed::booking(db, s, CLIENT, 2500, false, now).await;
    let both = "UPDATE payments SET booking_id = $1 WHERE id = $2";
    let r = match db {
        Db::Sqlite(p) => sqlx::query(both).bind(b).bind(rec.id).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(both).bind(b).bind(rec.id).execute(p).await.map(|_| ()),
    };
    assert!(r.is_err());
}

async fn unpaid_packages_are_found_for_expiry(db: &Db) {
    let now = t0();
    let (tid, active) = setup(db, 4).await;
    let p = Package::purchase(4, Money::rubles(2500), &DomainSettings::default()).unwrap();
    let early = Packages(db).create(CLIENT, tid, &p, now).await.unwrap();
    let later = Packages(db)
        .create(CLIENT, tid, &p, now + TimeDelta::minutes(10))
        .await
        .unwrap();
    let due = Packages(db)
        .awaiting_created_before(now + TimeDelta::minutes(5))
        .await
        .unwrap();
    assert_eq!(due, vec![early]);
    assert!(!due.contains(&active) && !due.contains(&later));
    let mut tx = db.begin().await.unwrap();
    assert!(Packages::transition_in(
        &mut tx,
        early,
        PackageState::AwaitingPayment,
        PackageState::Expired,
        now
    )
    .await
    .unwrap());
    // Only once.
    assert!(!Packages::transition_in(
        &mut tx,
        early,
        PackageState::AwaitingPayment,
        PackageState::Expired,
        now
    )
    .await
    .unwrap());
    tx.commit().await.unwrap();
    assert!(Packages(db)
        .of_client(CLIENT)
        .await
        .unwrap()
        .iter()
        .all(|k| k.id != early));
}

/// R-PAY-2: a session paid with a credit is paid out at the per-session price; the split adds up.
async fn credit_sessions_are_paid_out_at_the_per_session_price(db: &Db) {
    let now = t0();
    let (tid, k) = setup(db, 4).await;
    let start = now + TimeDelta::days(1);
    let s = seed::slot(db, tid, SlotKind::Individual, start, 50, 1, now).await;
    let b = Packages(db).book_with_credit(s, CLIENT, k, &[], now).await.unwrap();
    let app = crate::support::app::state_for(db.clone()).await;
    let after = start + TimeDelta::hours(5);
    proego::jobs::sessions::complete_ended(&app, after).await.unwrap();
    assert_eq!(
        proego::store::bookings::Bookings(db)
            .get(b)
            .await
            .unwrap()
            .unwrap()
            .state,
        BookingState::Completed
    );
    let payouts = proego::store::due::payouts_of(db, tid).await.unwrap();
    assert_eq!(payouts.len(), 1, "{payouts:?}");
    let p = &payouts[0];
    assert_eq!(
        (p.booking_id, p.paid_kopecks, p.commission_kopecks, p.payout_kopecks),
        (b, 250_000, 75_000, 175_000)
    );
    assert_eq!(p.paid_kopecks, p.commission_kopecks + p.payout_kopecks);
}

on_both_backends!(
    credits_are_taken_returned_and_kept,
    the_database_keeps_used_credits_within_the_size,
    two_bookings_race_for_the_last_credit,
    refunds_are_marked_against_what_was_decided,
    payments_belong_to_one_booking_or_one_package,
    unpaid_packages_are_found_for_expiry,
    credit_sessions_are_paid_out_at_the_per_session_price,
);
