//! The client booking queries (R-CLI-5, R-CLI-6, R-PRICE-3, R-CAN-2, R-CAN-3, R-SES-1) on both
//! databases.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{
    decide_cancellation, BookingState, CancellationRequest, Canceller, DomainSettings, Funding, Money, MoneyAction,
    PriceKind, PriceLock, PriceState,
};
use proego::i18n::Lang;
use proego::store::calendar::TherapistBookings;
use proego::store::client_booking::{links_due, ClientBookings, PriceLocks};
use proego::store::outbox::OutboxMessage;
use proego::store::profiles::{Profiles, TextField};
use proego::store::slots::SlotKind;
use proego::store::{Db, StoreError};

use crate::on_both_backends;
use crate::support::seed;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

async fn price(db: &Db, tid: i64, rubles: u32, now: DateTime<Utc>) {
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

async fn confirm_with_lock(db: &Db, booking: i64, now: DateTime<Utc>) {
    let mut tx = db.begin().await.unwrap();
    assert!(proego::store::bookings::Bookings::transition_in(
        &mut tx,
        booking,
        BookingState::AwaitingPayment,
        BookingState::Confirmed,
        now
    )
    .await
    .unwrap());
    PriceLocks::on_confirmed_in(&mut tx, booking, &DomainSettings::default())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn price_lock_starts_at_the_first_confirmed_booking(db: &Db) {
    let now = t0();
    let tid = seed::active_therapist(db, 2001, "Ирина", None, now).await;
    seed::client(db, 3001, "Анна", Lang::Ru, None, now).await;
    price(db, tid, 3000, now).await;
    let locks = PriceLocks(db);
    assert_eq!(locks.get(3001, tid, PriceKind::Individual).await.unwrap(), None);
    let s1 = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::days(2), 60, 1, now).await;
    let b1 = seed::booking(db, s1, 3001, 3000, false, now).await;
    confirm_with_lock(db, b1, now).await;
    let lock = PriceLock::new(Money::rubles(3000), now);
    assert_eq!(locks.get(3001, tid, PriceKind::Individual).await.unwrap(), Some(lock));
    // A later booking at a higher price keeps the first lock.
    price(db, tid, 4000, now).await;
    let later = now + TimeDelta::days(3);
    let s2 = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::days(5), 60, 1, now).await;
    let b2 = seed::booking(db, s2, 3001, 3000, false, later).await;
    confirm_with_lock(db, b2, later).await;
    assert_eq!(locks.get(3001, tid, PriceKind::Individual).await.unwrap(), Some(lock));
    // After 365 days a new lock starts at the current price.
    let year = now + TimeDelta::days(366);
    let s3 = seed::slot(db, tid, SlotKind::Individual, year + TimeDelta::days(1), 60, 1, now).await;
    let b3 = seed::booking(db, s3, 3001, 4000, false, year).await;
    confirm_with_lock(db, b3, year).await;
    assert_eq!(
        locks.get(3001, tid, PriceKind::Individual).await.unwrap(),
        Some(PriceLock::new(Money::rubles(4000), year))
    );
}

async fn client_bookings_are_the_clients_own(db: &Db) {
    let now = t0();
    let tid = seed::active_therapist(db, 2001, "Ирина", None, now).await;
    seed::client(db, 3001, "Анна", Lang::Ru, None, now).await;
    seed::client(db, 3002, "Олег", Lang::Ru, None, now).await;
    Profiles(db)
        .set_text(tid, TextField::VideoRoomLink, "https://meet.example.org/x", now)
        .await
        .unwrap();
    let s = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::days(2), 60, 1, now).await;
    let b = seed::booking(db, s, 3001, 2500, true, now).await;
    let cb = ClientBookings(db);
    let mine = cb.get(3001, b).await.unwrap().unwrap();
    assert_eq!((mine.state, mine.therapist_id), (BookingState::Confirmed, tid));
    assert_eq!(mine.video_room_link.as_deref(), Some("https://meet.example.org/x"));
    assert_eq!(
        cb.get(3002, b).await.unwrap(),
        None,
        "another client's id reads as nothing"
    );
    assert_eq!(cb.list(3001).await.unwrap().len(), 1);
    assert!(cb.list(3002).await.unwrap().is_empty());
    assert_eq!(cb.live_of_slot(3001, s).await.unwrap().map(|x| x.id), Some(b));
    assert_eq!(cb.live_of_slot(3002, s).await.unwrap(), None);
    // The room link is due in the 15 minutes before the start.
    let start = now + TimeDelta::days(2);
    assert!(
        links_due(db, start - TimeDelta::minutes(30), start - TimeDelta::minutes(15))
            .await
            .unwrap()
            .is_empty()
    );
    let due = links_due(db, start - TimeDelta::minutes(15), start).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].booking_id, due[0].therapist_telegram_id), (b, Some(2001)));
}

async fn cancel_moves_only_the_clients_live_booking_once(db: &Db) {
    let now = t0();
    let tid = seed::active_therapist(db, 2001, "Ирина", None, now).await;
    seed::client(db, 3001, "Анна", Lang::Ru, None, now).await;
    let start = now + TimeDelta::days(2);
    let s = seed::slot(db, tid, SlotKind::Individual, start, 60, 1, now).await;
    let b = seed::booking(db, s, 3001, 2500, true, now).await;
    let outcome = decide_cancellation(
        &CancellationRequest {
            booking: BookingState::Confirmed,
            by: Canceller::Client,
            session_start: start,
            now,
            funding: Funding::Held,
            force_majeure_accepted: false,
        },
        &DomainSettings::default(),
    )
    .unwrap();
    assert_eq!(outcome.money, MoneyAction::ReleaseHold);
    let cb = ClientBookings(db);
    let notice = [OutboxMessage::new(2001, "Клиент отменил".into())];
    assert!(!cb
        .cancel(3002, b, BookingState::Confirmed, &outcome, &notice, now)
        .await
        .unwrap());
    assert!(cb
        .cancel(3001, b, BookingState::Confirmed, &outcome, &notice, now)
        .await
        .unwrap());
    assert!(
        !cb.cancel(3001, b, BookingState::Confirmed, &outcome, &notice, now)
            .await
            .unwrap(),
        "a second confirm changes nothing"
    );
    let got = cb.get(3001, b).await.unwrap().unwrap();
    assert_eq!(got.state, BookingState::CancelledByClient);
    let (timing, money, owes) = TherapistBookings(db).cancellation(b).await.unwrap().unwrap();
    assert_eq!(
        (timing.as_str(), money.as_str(), owes),
        ("timely", "release_hold", false)
    );
    // The slot is free again.
    let again = seed::booking(db, s, 3001, 2500, false, now).await;
    assert!(again > b);
}

async fn an_owed_free_session_is_booked_once_at_price_zero(db: &Db) {
    let now = t0();
    let tid = seed::active_therapist(db, 2001, "Ирина", None, now).await;
    seed::client(db, 3001, "Анна", Lang::Ru, None, now).await;
    let start = now + TimeDelta::hours(5);
    let s = seed::slot(db, tid, SlotKind::Individual, start, 60, 1, now).await;
    let b = seed::booking(db, s, 3001, 2500, true, now).await;
    let cb = ClientBookings(db);
    assert_eq!(cb.owed_free_session(3001, tid).await.unwrap(), None);
    // A late therapist cancellation (R-CAN-3) owes the next session free.
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
    assert!(outcome.therapist_owes_free_session);
    TherapistBookings(db)
        .cancel_session(tid, s, &[(b, BookingState::Confirmed, outcome)], now)
        .await
        .unwrap();
    assert_eq!(cb.owed_free_session(3001, tid).await.unwrap(), Some(b));
    let s2 = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::days(3), 60, 1, now).await;
    let s3 = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::days(4), 60, 1, now).await;
    let notice = [OutboxMessage::new(2001, "Новая запись".into())];
    let free = cb.book_free(s2, 3001, Some(b), &notice, now).await.unwrap();
    let got = cb.get(3001, free).await.unwrap().unwrap();
    assert_eq!(
        (got.state, got.price, got.owed_free),
        (BookingState::Confirmed, Money::ZERO, true)
    );
    assert_eq!(cb.owed_free_session(3001, tid).await.unwrap(), None, "used");
    assert!(matches!(
        cb.book_free(s3, 3001, Some(b), &notice, now).await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        cb.book_free(s2, 3001, None, &notice, now).await,
        Err(StoreError::SlotTaken | StoreError::AlreadyBooked)
    ));
}

on_both_backends!(
    price_lock_starts_at_the_first_confirmed_booking,
    client_bookings_are_the_clients_own,
    cancel_moves_only_the_clients_live_booking_once,
    an_owed_free_session_is_booked_once_at_price_zero,
);
