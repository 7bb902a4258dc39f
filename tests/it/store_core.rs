//! The core schema's invariants on both backends: no overlapping slots, no double booking,
//! never more seats than capacity, also under real concurrency.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proego::domain::{BookingState as S, Money};
use proego::i18n::Lang;
use proego::roles::Role;
use proego::store::bookings::Bookings;
use proego::store::slots::{NewSlot, SlotKind, Slots};
use proego::store::therapists::{TherapistStatus, Therapists};
use proego::store::users::Users;
use proego::store::{Db, StoreError};

use crate::on_both_backends;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

async fn therapist(db: &Db, tg: i64) -> i64 {
    Users(db).seen(tg, "Ирина", Lang::Ru, t0()).await.unwrap();
    let id = Therapists(db)
        .create_invited("Ирина Петрова", "irina@example.org", t0())
        .await
        .unwrap();
    Therapists(db).bind_telegram(id, tg, t0()).await.unwrap();
    id
}

async fn clients(db: &Db, n: i64) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = 1_000_000 + i;
        Users(db)
            .seen(id, &format!("Client {i}"), Lang::En, t0())
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

fn slot(therapist_id: i64, kind: SlotKind, start_min: i64, len_min: i64, capacity: i32) -> NewSlot {
    NewSlot {
        therapist_id,
        kind,
        starts_at: t0() + Duration::minutes(start_min),
        ends_at: t0() + Duration::minutes(start_min + len_min),
        capacity,
    }
}

on_both_backends!(
    users_follow_telegram_language_until_chosen,
    role_changes_are_reported_once,
    therapist_lifecycle_is_enforced,
    overlapping_slots_are_refused,
    touching_slots_are_fine_and_closed_slots_free_the_time,
    slot_shapes_are_checked_by_the_database,
    individual_slot_has_one_live_booking,
    group_seats_follow_live_bookings,
    fifty_clients_race_for_the_last_group_seat,
    fifty_clients_race_for_one_individual_slot,
);

async fn users_follow_telegram_language_until_chosen(db: &Db) {
    let users = Users(db);
    let u = users.seen(42, "Anna", Lang::En, t0()).await.unwrap();
    assert_eq!((u.language, u.role, u.time_zone), (Lang::En, Role::Client, None));
    let u = users.seen(42, "Анна", Lang::Ru, t0()).await.unwrap();
    assert_eq!((u.language, u.first_name.as_str()), (Lang::Ru, "Анна"));
    users.set_language(42, Lang::En, t0()).await.unwrap();
    let u = users.seen(42, "Анна", Lang::Ru, t0()).await.unwrap();
    assert_eq!(u.language, Lang::En, "a chosen language is remembered");
    assert!(u.language_chosen);
    users
        .set_time_zone(42, chrono_tz::Asia::Vladivostok, t0())
        .await
        .unwrap();
    assert_eq!(
        users.get(42).await.unwrap().unwrap().time_zone,
        Some(chrono_tz::Asia::Vladivostok)
    );
    assert!(users.get(43).await.unwrap().is_none());
}

async fn role_changes_are_reported_once(db: &Db) {
    let users = Users(db);
    users.seen(7, "A", Lang::Ru, t0()).await.unwrap();
    assert_eq!(users.update_role(7, Role::Client, t0()).await.unwrap(), None);
    assert_eq!(
        users.update_role(7, Role::Admin, t0()).await.unwrap(),
        Some(Role::Client)
    );
    assert_eq!(users.update_role(7, Role::Admin, t0()).await.unwrap(), None);
    assert_eq!(users.get(7).await.unwrap().unwrap().role, Role::Admin);
    assert_eq!(
        users.update_role(8, Role::Admin, t0()).await.unwrap(),
        None,
        "unknown user"
    );
}

async fn therapist_lifecycle_is_enforced(db: &Db) {
    let th = Therapists(db);
    let id = th.create_invited("Олег", "oleg@example.org", t0()).await.unwrap();
    assert_eq!(th.get(id).await.unwrap().unwrap().status, TherapistStatus::Invited);
    Users(db).seen(500, "Олег", Lang::Ru, t0()).await.unwrap();
    Users(db).seen(501, "Other", Lang::Ru, t0()).await.unwrap();
    th.bind_telegram(id, 500, t0()).await.unwrap();
    assert!(
        matches!(th.bind_telegram(id, 501, t0()).await, Err(StoreError::Conflict)),
        "an invite binds once"
    );
    let other = th.create_invited("Second", "s@example.org", t0()).await.unwrap();
    assert!(
        matches!(th.bind_telegram(other, 500, t0()).await, Err(StoreError::Conflict)),
        "one account per Telegram id"
    );
    let t = th.by_telegram(500).await.unwrap().unwrap();
    assert_eq!((t.id, t.status), (id, TherapistStatus::Onboarding));
    assert!(matches!(
        th.transition(id, TherapistStatus::Onboarding, TherapistStatus::Active, t0())
            .await,
        Err(StoreError::Conflict)
    ));
    th.transition(
        id,
        TherapistStatus::Onboarding,
        TherapistStatus::PendingModeration,
        t0(),
    )
    .await
    .unwrap();
    th.transition(id, TherapistStatus::PendingModeration, TherapistStatus::Active, t0())
        .await
        .unwrap();
    assert!(
        matches!(
            th.transition(id, TherapistStatus::PendingModeration, TherapistStatus::Rejected, t0())
                .await,
            Err(StoreError::Conflict)
        ),
        "a stale transition loses"
    );
}

async fn overlapping_slots_are_refused(db: &Db) {
    let t = therapist(db, 900).await;
    let slots = Slots(db);
    slots
        .create(&slot(t, SlotKind::Individual, 0, 60, 1), t0())
        .await
        .unwrap();
    for (start, len) in [(30, 60), (-30, 60), (10, 20), (-60, 180)] {
        let r = slots.create(&slot(t, SlotKind::Individual, start, len, 1), t0()).await;
        assert!(matches!(r, Err(StoreError::SlotOverlap)), "{start}+{len}: {r:?}");
    }
    let other = therapist(db, 901).await;
    slots
        .create(&slot(other, SlotKind::Group, 0, 90, 8), t0())
        .await
        .expect("another therapist's calendar is separate");
}

async fn touching_slots_are_fine_and_closed_slots_free_the_time(db: &Db) {
    let t = therapist(db, 902).await;
    let slots = Slots(db);
    let a = slots
        .create(&slot(t, SlotKind::Individual, 0, 60, 1), t0())
        .await
        .unwrap();
    slots
        .create(&slot(t, SlotKind::Individual, 60, 60, 1), t0())
        .await
        .expect("back to back");
    slots
        .create(&slot(t, SlotKind::Consultation, -15, 15, 1), t0())
        .await
        .expect("just before");
    slots.close_free(t, a).await.unwrap();
    slots
        .create(&slot(t, SlotKind::Individual, 0, 50, 1), t0())
        .await
        .expect("a closed slot frees its time");
    let listed = slots
        .of_therapist(t, t0() - Duration::hours(1), t0() + Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(listed.len(), 4);
    assert!(listed.windows(2).all(|w| w[0].starts_at <= w[1].starts_at));
    assert_eq!(listed.iter().filter(|s| !s.open).count(), 1);
}

async fn slot_shapes_are_checked_by_the_database(db: &Db) {
    let t = therapist(db, 903).await;
    let slots = Slots(db);
    assert!(
        slots
            .create(&slot(t, SlotKind::Individual, 0, 60, 2), t0())
            .await
            .is_err(),
        "individual capacity is 1"
    );
    assert!(
        slots
            .create(&slot(t, SlotKind::Group, 100, 90, 13), t0())
            .await
            .is_err(),
        "groups of at most 12"
    );
    assert!(
        slots.create(&slot(t, SlotKind::Group, 300, 0, 5), t0()).await.is_err(),
        "an empty interval"
    );
    assert!(
        slots
            .create(&slot(t, SlotKind::Group, 400, -10, 5), t0())
            .await
            .is_err(),
        "ends before it starts"
    );
}

async fn individual_slot_has_one_live_booking(db: &Db) {
    let t = therapist(db, 904).await;
    let c = clients(db, 2).await;
    let s = Slots(db)
        .create(&slot(t, SlotKind::Individual, 0, 50, 1), t0())
        .await
        .unwrap();
    let b = Bookings(db);
    let first = b
        .create(s, c[0], Money::from_kopecks(250_000).unwrap(), t0())
        .await
        .unwrap();
    assert!(matches!(
        b.create(s, c[1], Money::from_kopecks(250_000).unwrap(), t0()).await,
        Err(StoreError::SlotTaken)
    ));
    assert!(
        matches!(
            b.transition(first, S::Confirmed, S::Completed, t0()).await,
            Err(StoreError::Conflict)
        ),
        "wrong from-state"
    );
    b.transition(first, S::AwaitingPayment, S::Expired, t0()).await.unwrap();
    let second = b
        .create(s, c[1], Money::from_kopecks(250_000).unwrap(), t0())
        .await
        .expect("an expired booking frees the slot");
    assert_eq!(b.get(second).await.unwrap().unwrap().state, S::AwaitingPayment);
    assert!(matches!(
        b.create(9_999, c[0], Money::ZERO, t0()).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        matches!(Slots(db).close_free(t, s).await, Err(StoreError::Conflict)),
        "a booked slot is not closed"
    );
}

async fn group_seats_follow_live_bookings(db: &Db) {
    let t = therapist(db, 905).await;
    let c = clients(db, 4).await;
    let s = Slots(db)
        .create(&slot(t, SlotKind::Group, 0, 90, 3), t0())
        .await
        .unwrap();
    let b = Bookings(db);
    let ids = [
        b.create(s, c[0], Money::from_kopecks(150_000).unwrap(), t0())
            .await
            .unwrap(),
        b.create(s, c[1], Money::from_kopecks(150_000).unwrap(), t0())
            .await
            .unwrap(),
        b.create(s, c[2], Money::from_kopecks(150_000).unwrap(), t0())
            .await
            .unwrap(),
    ];
    assert!(matches!(
        b.create(s, c[3], Money::from_kopecks(150_000).unwrap(), t0()).await,
        Err(StoreError::SlotFull)
    ));
    b.transition(ids[0], S::AwaitingPayment, S::CancelledByClient, t0())
        .await
        .unwrap();
    assert!(matches!(
        b.create(s, c[1], Money::from_kopecks(150_000).unwrap(), t0()).await,
        Err(StoreError::AlreadyBooked)
    ));
    b.create(s, c[3], Money::from_kopecks(150_000).unwrap(), t0())
        .await
        .expect("a cancelled seat is free again");
    let slot = Slots(db).get(s).await.unwrap().unwrap();
    assert_eq!((slot.booked, slot.free_seats()), (3, 0));
    assert_eq!(b.live_count(s).await.unwrap(), 3);
}

async fn race(db: &Db, slot_id: i64, clients: Vec<i64>) -> Vec<Result<i64, StoreError>> {
    let db = Arc::new(db.clone());
    let barrier = Arc::new(tokio::sync::Barrier::new(clients.len()));
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|c| {
            let db = db.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                Bookings(&db)
                    .create(slot_id, c, Money::from_kopecks(150_000).unwrap(), t0())
                    .await
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

async fn fifty_clients_race_for_the_last_group_seat(db: &Db) {
    let t = therapist(db, 906).await;
    let c = clients(db, 61).await;
    let s = Slots(db)
        .create(&slot(t, SlotKind::Group, 0, 90, 12), t0())
        .await
        .unwrap();
    for client in &c[..11] {
        Bookings(db)
            .create(s, *client, Money::from_kopecks(150_000).unwrap(), t0())
            .await
            .unwrap();
    }
    let results = race(db, s, c[11..].to_vec()).await;
    assert_eq!(results.len(), 50);
    let won = results.iter().filter(|r| r.is_ok()).count();
    let full = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::SlotFull)))
        .count();
    assert_eq!(
        (won, full),
        (1, 49),
        "{:?}",
        results
            .iter()
            .filter(|r| r.is_err() && !matches!(r, Err(StoreError::SlotFull)))
            .collect::<Vec<_>>()
    );
    assert_eq!(Bookings(db).live_count(s).await.unwrap(), 12);
    assert_eq!(Slots(db).get(s).await.unwrap().unwrap().booked, 12);
}

async fn fifty_clients_race_for_one_individual_slot(db: &Db) {
    let t = therapist(db, 907).await;
    let c = clients(db, 50).await;
    let s = Slots(db)
        .create(&slot(t, SlotKind::Individual, 0, 50, 1), t0())
        .await
        .unwrap();
    let results = race(db, s, c).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::SlotTaken) | Err(StoreError::SlotFull)))
        .count();
    assert_eq!((won, refused), (1, 49));
    assert_eq!(Bookings(db).live_count(s).await.unwrap(), 1);
}
