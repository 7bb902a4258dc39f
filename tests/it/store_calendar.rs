//! The calendar's, bookings' and group programs' queries (issue 4) on both backends.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{
    decide_cancellation, BookingState as S, CancellationRequest, Canceller, DomainSettings, Funding, Money,
};
use proego::i18n::Lang;
use proego::store::calendar::{therapist_zone, TherapistBookings};
use proego::store::programs::{NewProgram, ProgramStatus, Programs, Publication};
use proego::store::slots::{SlotKind, Slots};
use proego::store::{Db, StoreError};

use crate::on_both_backends;
use crate::support::seed;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn at(min: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(min)
}

on_both_backends!(
    the_slot_in_the_way_is_found,
    open_slots_of_a_week,
    the_calendar_zone_is_the_therapists,
    therapist_bookings_are_listed_and_scoped,
    cancellation_is_recorded_once_with_its_decision,
    a_group_session_is_cancelled_for_everyone_or_not_at_all,
    force_majeure_is_filed_for_the_owed_sessions,
    programs_are_drafted_attached_and_submitted,
    program_constraints_are_in_the_database,
);

async fn the_slot_in_the_way_is_found(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let b = seed::active_therapist(db, 12, "Борис", None, t0()).await;
    let s1 = seed::slot(db, a, SlotKind::Individual, at(60), 60, 1, t0()).await;
    let s2 = seed::slot(db, a, SlotKind::Group, at(180), 90, 8, t0()).await;
    seed::slot(db, b, SlotKind::Individual, at(90), 60, 1, t0()).await;
    let slots = Slots(db);
    let found = slots.first_open_overlapping(a, at(90), at(150)).await.unwrap().unwrap();
    assert_eq!(found.id, s1);
    // The earliest of two.
    let found = slots.first_open_overlapping(a, at(0), at(400)).await.unwrap().unwrap();
    assert_eq!(found.id, s1);
    // Touching is not in the way; another therapist's slot is not either.
    assert_eq!(slots.first_open_overlapping(a, at(120), at(180)).await.unwrap(), None);
    assert_eq!(slots.first_open_overlapping(a, at(0), at(60)).await.unwrap(), None);
    // A closed slot is no longer in the way.
    slots.close_free(a, s2).await.unwrap();
    assert_eq!(slots.first_open_overlapping(a, at(200), at(210)).await.unwrap(), None);
    // The database refuses what the query finds.
    let refused = slots
        .create(
            &proego::store::slots::NewSlot {
                therapist_id: a,
                kind: SlotKind::Consultation,
                starts_at: at(100),
                ends_at: at(115),
                capacity: 1,
            },
            t0(),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::SlotOverlap)), "{refused:?}");
}

async fn open_slots_of_a_week(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let b = seed::active_therapist(db, 12, "Борис", None, t0()).await;
    let s1 = seed::slot(db, a, SlotKind::Individual, at(60), 60, 1, t0()).await;
    let s2 = seed::slot(db, a, SlotKind::Individual, at(24 * 60), 50, 1, t0()).await;
    let s3 = seed::slot(db, a, SlotKind::Consultation, at(8 * 24 * 60), 15, 1, t0()).await;
    seed::slot(db, b, SlotKind::Individual, at(60), 60, 1, t0()).await;
    Slots(db).close_free(a, s2).await.unwrap();
    let week: Vec<i64> = Slots(db)
        .open_of_therapist(a, t0(), at(7 * 24 * 60))
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(week, vec![s1]);
    let two: Vec<i64> = Slots(db)
        .open_of_therapist(a, t0(), at(14 * 24 * 60))
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(two, vec![s1, s3]);
}

async fn the_calendar_zone_is_the_therapists(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let b = seed::active_therapist(db, 12, "Борис", Some(chrono_tz::Europe::Berlin), t0()).await;
    assert_eq!(therapist_zone(db, a).await.unwrap(), None);
    assert_eq!(therapist_zone(db, b).await.unwrap(), Some(chrono_tz::Europe::Berlin));
    assert_eq!(therapist_zone(db, 999).await.unwrap(), None);
}

async fn therapist_bookings_are_listed_and_scoped(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let b = seed::active_therapist(db, 12, "Борис", None, t0()).await;
    seed::client(db, 21, "Ольга", Lang::Ru, None, t0()).await;
    seed::client(db, 22, "John", Lang::En, None, t0()).await;
    let s1 = seed::slot(db, a, SlotKind::Individual, at(60), 60, 1, t0()).await;
    let s2 = seed::slot(db, a, SlotKind::Group, at(-120), 90, 8, t0()).await;
    let s3 = seed::slot(db, b, SlotKind::Individual, at(60), 60, 1, t0()).await;
    let s4 = seed::slot(db, a, SlotKind::Individual, at(-600), 60, 1, t0()).await;
    let b1 = seed::booking(db, s1, 21, 3000, true, t0()).await;
    let b2 = seed::booking(db, s2, 22, 1500, false, t0()).await;
    let b3 = seed::booking(db, s3, 21, 3000, true, t0()).await;
    let _old = seed::booking(db, s4, 22, 3000, true, t0()).await;
    let tb = TherapistBookings(db);
    // Live bookings of sessions not over by `since` (the old one ended before), in time order.
    let live = tb.live(a, at(-60)).await.unwrap();
    assert_eq!(live.iter().map(|x| x.booking_id).collect::<Vec<_>>(), vec![b2, b1]);
    assert_eq!(live[0].state, S::AwaitingPayment);
    assert_eq!(live[0].client_first_name, "John");
    assert_eq!(live[0].client_language, Lang::En);
    assert_eq!(live[0].kind, SlotKind::Group);
    assert_eq!(live[1].state, S::Confirmed);
    assert_eq!(live[1].price, Money::rubles(3000));
    assert_eq!(tb.get(a, b1).await.unwrap().unwrap().starts_at, at(60));
    // Another therapist's booking reads as nothing.
    assert_eq!(tb.get(a, b3).await.unwrap(), None);
    // A finished booking leaves the list.
    proego::store::bookings::Bookings(db)
        .transition(b1, S::Confirmed, S::Completed, t0())
        .await
        .unwrap();
    assert_eq!(tb.live(a, at(-60)).await.unwrap().len(), 1);
}

fn late_therapist_outcome(state: S, funding: Funding) -> proego::domain::CancellationOutcome {
    decide_cancellation(
        &CancellationRequest {
            booking: state,
            by: Canceller::Therapist,
            session_start: at(60),
            now: t0(),
            funding,
            force_majeure_accepted: false,
        },
        &DomainSettings::default(),
    )
    .unwrap()
}

async fn cancellation_is_recorded_once_with_its_decision(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let b = seed::active_therapist(db, 12, "Борис", None, t0()).await;
    seed::client(db, 21, "Ольга", Lang::Ru, None, t0()).await;
    let s1 = seed::slot(db, a, SlotKind::Individual, at(60), 60, 1, t0()).await;
    let b1 = seed::booking(db, s1, 21, 3000, true, t0()).await;
    let outcome = late_therapist_outcome(S::Confirmed, Funding::Captured);
    let tb = TherapistBookings(db);
    // Not this therapist's slot: nothing changes.
    let foreign = tb.cancel_session(b, s1, &[(b1, S::Confirmed, outcome)], t0()).await;
    assert!(matches!(foreign, Err(StoreError::Conflict)), "{foreign:?}");
    assert_eq!(tb.cancellation(b1).await.unwrap(), None);
    tb.cancel_session(a, s1, &[(b1, S::Confirmed, outcome)], t0())
        .await
        .unwrap();
    assert_eq!(
        tb.cancellation(b1).await.unwrap(),
        Some(("late".to_owned(), "refund".to_owned(), true))
    );
    let booking = proego::store::bookings::Bookings(db).get(b1).await.unwrap().unwrap();
    assert_eq!(booking.state, S::CancelledByTherapist);
    // The seat is free and the time closed: nobody books the cancelled time.
    let slot = Slots(db).get(s1).await.unwrap().unwrap();
    assert_eq!((slot.booked, slot.open), (0, false));
    // A second cancellation (a double tap) changes nothing.
    let again = tb.cancel_session(a, s1, &[(b1, S::Confirmed, outcome)], t0()).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    assert_eq!(tb.cancellation(b1).await.unwrap().unwrap().0, "late");
    assert_eq!(tb.cancellation(999).await.unwrap(), None);
}

async fn a_group_session_is_cancelled_for_everyone_or_not_at_all(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    for c in [21, 22, 23] {
        seed::client(db, c, "Клиент", Lang::Ru, None, t0()).await;
    }
    let g = seed::slot(db, a, SlotKind::Group, at(60), 90, 8, t0()).await;
    let b1 = seed::booking(db, g, 21, 1500, true, t0()).await;
    let b2 = seed::booking(db, g, 22, 1500, true, t0()).await;
    let b3 = seed::booking(db, g, 23, 1500, false, t0()).await;
    let tb = TherapistBookings(db);
    let live: Vec<i64> = tb
        .live_of_slot(a, g)
        .await
        .unwrap()
        .iter()
        .map(|x| x.booking_id)
        .collect();
    assert_eq!(live, vec![b1, b2, b3]);
    assert!(tb.live_of_slot(a + 1, g).await.unwrap().is_empty());
    let paid = late_therapist_outcome(S::Confirmed, Funding::Held);
    let unpaid = late_therapist_outcome(S::AwaitingPayment, Funding::Unpaid);
    // Leaving one participant out: the time cannot be closed, so nothing is cancelled.
    let partial = tb
        .cancel_session(a, g, &[(b1, S::Confirmed, paid), (b2, S::Confirmed, paid)], t0())
        .await;
    assert!(matches!(partial, Err(StoreError::Conflict)), "{partial:?}");
    assert_eq!(tb.live_of_slot(a, g).await.unwrap().len(), 3);
    assert_eq!(tb.cancellation(b1).await.unwrap(), None);
    tb.cancel_session(
        a,
        g,
        &[
            (b1, S::Confirmed, paid),
            (b2, S::Confirmed, paid),
            (b3, S::AwaitingPayment, unpaid),
        ],
        t0(),
    )
    .await
    .unwrap();
    assert!(tb.live_of_slot(a, g).await.unwrap().is_empty());
    assert_eq!(
        tb.cancellation(b3).await.unwrap(),
        Some(("late".to_owned(), "nothing".to_owned(), false))
    );
    let slot = Slots(db).get(g).await.unwrap().unwrap();
    assert_eq!((slot.booked, slot.open), (0, false));
}

async fn force_majeure_is_filed_for_the_owed_sessions(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let b = seed::active_therapist(db, 12, "Борис", None, t0()).await;
    seed::client(db, 21, "Ольга", Lang::Ru, None, t0()).await;
    seed::client(db, 22, "Пётр", Lang::Ru, None, t0()).await;
    let g = seed::slot(db, a, SlotKind::Group, at(60), 90, 8, t0()).await;
    let b1 = seed::booking(db, g, 21, 1500, true, t0()).await;
    let b2 = seed::booking(db, g, 22, 1500, false, t0()).await;
    let tb = TherapistBookings(db);
    // Nothing cancelled yet: nothing to file.
    assert_eq!(tb.file_force_majeure(a, g, "file-0", t0()).await.unwrap(), 0);
    tb.cancel_session(
        a,
        g,
        &[
            (b1, S::Confirmed, late_therapist_outcome(S::Confirmed, Funding::Held)),
            (
                b2,
                S::AwaitingPayment,
                late_therapist_outcome(S::AwaitingPayment, Funding::Unpaid),
            ),
        ],
        t0(),
    )
    .await
    .unwrap();
    // Another therapist cannot file for it.
    assert_eq!(tb.file_force_majeure(b, g, "file-x", t0()).await.unwrap(), 0);
    // Only the booking that left a free session owed gets a case; only once.
    assert_eq!(tb.file_force_majeure(a, g, "file-1", t0()).await.unwrap(), 1);
    assert_eq!(
        tb.force_majeure(b1).await.unwrap(),
        Some(("pending".to_owned(), "file-1".to_owned()))
    );
    assert_eq!(tb.force_majeure(b2).await.unwrap(), None);
    assert_eq!(tb.file_force_majeure(a, g, "file-2", t0()).await.unwrap(), 0);
    assert_eq!(tb.force_majeure(b1).await.unwrap().unwrap().1, "file-1");
}

fn program(capacity: i32, price: Money) -> NewProgram {
    NewProgram {
        title: "Тревога и опора".into(),
        description: "Восемь встреч о тревоге".into(),
        approach: "psychodynamic".into(),
        topic: "тревога".into(),
        meetings: 8,
        meeting_minutes: 90,
        weekday: 3,
        local_time: "19:00".into(),
        capacity,
        price,
    }
}

async fn programs_are_drafted_attached_and_submitted(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let b = seed::active_therapist(db, 12, "Борис", None, t0()).await;
    let p = Programs(db);
    let id = p.create(a, &program(8, Money::rubles(1800)), t0()).await.unwrap();
    let got = p.get(id).await.unwrap().unwrap();
    assert_eq!(got.status, ProgramStatus::Draft);
    assert_eq!(got.fields, program(8, Money::rubles(1800)));
    assert_eq!(got.presentation_file_id, None);
    // No submission without a presentation; nobody else's.
    assert!(matches!(p.submit(id, a, t0()).await, Err(StoreError::Conflict)));
    assert!(matches!(
        p.attach_presentation(id, b, "f", t0()).await,
        Err(StoreError::Conflict)
    ));
    p.attach_presentation(id, a, "file-1", t0()).await.unwrap();
    assert!(matches!(p.submit(id, b, t0()).await, Err(StoreError::Conflict)));
    p.submit(id, a, t0()).await.unwrap();
    let got = p.get(id).await.unwrap().unwrap();
    assert_eq!(got.status, ProgramStatus::Submitted);
    assert_eq!(got.presentation_file_id.as_deref(), Some("file-1"));
    // Submitted: no more changes, no second submission.
    assert!(matches!(p.submit(id, a, t0()).await, Err(StoreError::Conflict)));
    assert!(matches!(
        p.attach_presentation(id, a, "file-2", t0()).await,
        Err(StoreError::Conflict)
    ));
    let id2 = p.create(a, &program(5, Money::rubles(1500)), t0()).await.unwrap();
    let mine: Vec<i64> = p.of_therapist(a).await.unwrap().iter().map(|x| x.id).collect();
    assert_eq!(mine, vec![id2, id]);
    assert!(p.of_therapist(b).await.unwrap().is_empty());

    // R-GRP-2: the admins publish or return a submitted program, once.
    assert_eq!(
        p.publish(id2, 1, &[], None, t0()).await.unwrap(),
        Publication::Decided(ProgramStatus::Draft),
        "a draft is not reviewed"
    );
    assert!(!seed::publish_program(db, id, 1, t0()).await.is_empty());
    assert!(matches!(
        p.return_with_comment(id, 1, "поздно", None, t0()).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(p.get(id).await.unwrap().unwrap().status, ProgramStatus::Published);
    // Returned: fixed and submitted again.
    p.attach_presentation(id2, a, "file-3", t0()).await.unwrap();
    p.submit(id2, a, t0()).await.unwrap();
    p.return_with_comment(id2, 1, "Уточните описание", None, t0())
        .await
        .unwrap();
    let returned = p.get(id2).await.unwrap().unwrap();
    assert_eq!(returned.status, ProgramStatus::Returned);
    assert_eq!(returned.return_comment.as_deref(), Some("Уточните описание"));
    p.attach_presentation(id2, a, "file-4", t0()).await.unwrap();
    p.submit(id2, a, t0()).await.unwrap();
    assert_eq!(p.get(id2).await.unwrap().unwrap().status, ProgramStatus::Submitted);
}

async fn program_constraints_are_in_the_database(db: &Db) {
    let a = seed::active_therapist(db, 11, "Анна", None, t0()).await;
    let p = Programs(db);
    for bad in [program(4, Money::rubles(1800)), program(13, Money::rubles(1800))] {
        assert!(
            matches!(p.create(a, &bad, t0()).await, Err(StoreError::Db(_))),
            "{bad:?}"
        );
    }
    let mut long = program(8, Money::rubles(1800));
    long.meeting_minutes = 60;
    assert!(matches!(p.create(a, &long, t0()).await, Err(StoreError::Db(_))));
    let mut weekday = program(8, Money::rubles(1800));
    weekday.weekday = 8;
    assert!(matches!(p.create(a, &weekday, t0()).await, Err(StoreError::Db(_))));
    assert!(p.of_therapist(a).await.unwrap().is_empty());
}
