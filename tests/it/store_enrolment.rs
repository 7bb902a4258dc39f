//! Group program enrolment on both databases (R-GRP-1..4, R-SES-1): meetings made at
//! publication (weekly across DST, the overlap refusal that changes nothing, a free group slot
//! taken over), the enrolment invariants in the database (published only, admission for
//! psychodynamic and existential programs, the program's own therapist decides, declined stays
//! out, a seat only for the enrolled), free places, and the seat race on one meeting.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use proego::domain::{BookingState, Money};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::catalog::Listings;
use proego::store::client_booking::ClientBookings;
use proego::store::enrolments::{Consultation, EnrolmentStatus, Enrolments};
use proego::store::invites::AuditLog;
use proego::store::programs::{NewProgram, ProgramStatus, Programs, Publication};
use proego::store::slots::{SlotKind, Slots};
use proego::store::{Db, StoreError};

use crate::on_both_backends;
use crate::support::seed;

/// Friday 16 October 2026, 12:00 UTC: ten days before Berlin leaves summer time.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 16, 12, 0, 0).unwrap()
}

fn utc(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap()
}

pub(crate) fn program(approach: &str, capacity: i32, meetings: i32) -> NewProgram {
    NewProgram {
        title: "Опора".into(),
        description: "Встречи о тревоге".into(),
        approach: approach.into(),
        topic: "тревога".into(),
        meetings,
        meeting_minutes: 90,
        weekday: 1,
        local_time: "19:00".into(),
        capacity,
        price: Money::rubles(1800),
    }
}

/// A submitted program of a therapist.
pub(crate) async fn submitted(db: &Db, therapist: i64, p: &NewProgram) -> i64 {
    let programs = Programs(db);
    let id = programs.create(therapist, p, t0()).await.unwrap();
    programs
        .attach_presentation(id, therapist, "file-1", t0())
        .await
        .unwrap();
    programs.submit(id, therapist, t0()).await.unwrap();
    id
}

/// Mondays 19:00 in Berlin from the 19th: summer time, then winter time.
fn mondays() -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    [utc(10, 19, 17), utc(10, 26, 18), utc(11, 2, 18)]
        .into_iter()
        .map(|s| (s, s + TimeDelta::minutes(90)))
        .collect()
}

async fn publishing_makes_the_meetings_or_changes_nothing(db: &Db) {
    let t = seed::active_therapist(db, 21, "Анна", Some(Berlin), t0()).await;
    let id = submitted(db, t, &program("cbt", 8, 3)).await;
    // An individual slot in the way of the second meeting (Monday 26th, 19:30 Berlin).
    let blocker = seed::slot(
        db,
        t,
        SlotKind::Individual,
        utc(10, 26, 18) + TimeDelta::minutes(30),
        50,
        1,
        t0(),
    )
    .await;
    // A free group slot opened by the therapist at exactly the first meeting's time.
    let own = seed::slot(db, t, SlotKind::Group, utc(10, 19, 17), 90, 12, t0()).await;
    let programs = Programs(db);
    match programs.publish(id, 7, &mondays(), None, t0()).await.unwrap() {
        Publication::InTheWay { meeting, slot } => {
            assert_eq!(meeting, mondays()[1]);
            assert_eq!(slot.map(|s| s.id), Some(blocker));
        }
        other => panic!("{other:?}"),
    }
    // Nothing changed: still submitted, no meeting linked, the own slot untouched.
    assert_eq!(
        programs.get(id).await.unwrap().unwrap().status,
        ProgramStatus::Submitted
    );
    assert!(programs.meetings(id, t0()).await.unwrap().is_empty());
    assert_eq!(programs.of_slot(own).await.unwrap(), None);
    assert_eq!(Slots(db).get(own).await.unwrap().unwrap().capacity, 12);
    assert!(AuditLog(db).about(&format!("program:{id}")).await.unwrap().is_empty());

    Slots(db).close_free(t, blocker).await.unwrap();
    // The seed helper computes the meetings with the domain (weekly across DST) as the bot does.
    let ids = seed::publish_program(db, id, 7, t0()).await;
    assert_eq!(ids.len(), 3);
    assert_eq!(
        ids[0], own,
        "the therapist's free group slot at that time became the first meeting"
    );
    let meetings = programs.meetings(id, t0()).await.unwrap();
    let starts: Vec<_> = meetings.iter().map(|s| s.starts_at).collect();
    assert_eq!(
        starts,
        mondays().iter().map(|m| m.0).collect::<Vec<_>>(),
        "19:00 Berlin, CEST then CET"
    );
    for s in &meetings {
        assert_eq!((s.kind, s.capacity, s.booked), (SlotKind::Group, 8, 0));
        assert_eq!(s.ends_at - s.starts_at, TimeDelta::minutes(90));
        assert_eq!(programs.of_slot(s.id).await.unwrap(), Some(id));
    }
    assert_eq!(
        programs.get(id).await.unwrap().unwrap().status,
        ProgramStatus::Published
    );
    let audit = AuditLog(db).about(&format!("program:{id}")).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!((audit[0].actor_id, audit[0].action.as_str()), (7, "program_publish"));
    // Decided once.
    assert_eq!(
        programs.publish(id, 8, &mondays(), None, t0()).await.unwrap(),
        Publication::Decided(ProgramStatus::Published)
    );
    assert_eq!(Listings(db).free_places(t0()).await.unwrap().get(&id), Some(&8));
}

async fn returned_programs_keep_the_comments_and_the_audit(db: &Db) {
    let t = seed::active_therapist(db, 21, "Анна", None, t0()).await;
    let id = submitted(db, t, &program("cbt", 8, 3)).await;
    let programs = Programs(db);
    programs
        .return_with_comment(id, 7, "Опишите, для кого группа", None, t0())
        .await
        .unwrap();
    let p = programs.get(id).await.unwrap().unwrap();
    assert_eq!(p.status, ProgramStatus::Returned);
    assert_eq!(p.return_comment.as_deref(), Some("Опишите, для кого группа"));
    assert!(matches!(
        programs.return_with_comment(id, 8, "ещё раз", None, t0()).await,
        Err(StoreError::Conflict)
    ));
    let audit = AuditLog(db).about(&format!("program:{id}")).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "program_return");
    assert_eq!(audit[0].reason.as_deref(), Some("Опишите, для кого группа"));
    // Fixed and published: the comment is cleared.
    programs.attach_presentation(id, t, "file-2", t0()).await.unwrap();
    programs.submit(id, t, t0()).await.unwrap();
    seed::publish_program(db, id, 7, t0()).await;
    assert_eq!(programs.get(id).await.unwrap().unwrap().return_comment, None);
}

async fn enrolment_rules_are_kept_by_the_database(db: &Db) {
    let anna = seed::active_therapist(db, 21, "Анна", None, t0()).await;
    let boris = seed::active_therapist(db, 22, "Борис", None, t0()).await;
    for c in [31, 32, 33] {
        seed::client(db, c, "Клиент", Lang::Ru, None, t0()).await;
    }
    let e = Enrolments(db);
    // R-GRP-2: not before publication.
    let cbt = submitted(db, anna, &program("cbt", 8, 2)).await;
    assert!(matches!(e.enrol(cbt, 31, false, t0()).await, Err(StoreError::Conflict)));
    let cbt_meetings = seed::publish_program(db, cbt, 7, t0()).await;
    // A seat in a meeting only once enrolled (the database's own refusal).
    assert!(matches!(
        Bookings(db)
            .create(cbt_meetings[0], 31, Money::rubles(1800), t0())
            .await,
        Err(StoreError::NotEnrolled)
    ));
    let en = e.enrol(cbt, 31, false, t0()).await.unwrap();
    assert_eq!(en.status, EnrolmentStatus::Enrolled);
    assert_eq!(
        e.enrol(cbt, 31, false, t0()).await.unwrap(),
        en,
        "a second tap finds the same row"
    );
    Bookings(db)
        .create(cbt_meetings[0], 31, Money::rubles(1800), t0())
        .await
        .unwrap();
    // One live row per program and client.
    let dup = match db {
        Db::Sqlite(p) => sqlx::query(
            "INSERT INTO program_enrolments (program_id, client_id, status, created_at, updated_at)
             VALUES ($1, 31, 'enrolled', $2, $2)",
        )
        .bind(cbt)
        .bind(t0())
        .execute(p)
        .await
        .map(|_| ()),
        Db::Postgres(p) => sqlx::query(
            "INSERT INTO program_enrolments (program_id, client_id, status, created_at, updated_at)
             VALUES ($1, 31, 'enrolled', $2, $2)",
        )
        .bind(cbt)
        .bind(t0())
        .execute(p)
        .await
        .map(|_| ()),
    };
    assert!(dup.is_err());

    // R-GRP-3: psychodynamic: the consultation and the therapist's admission first.
    let mut tuesday = program("psychodynamic", 8, 2);
    tuesday.weekday = 2;
    let pd = submitted(db, anna, &tuesday).await;
    let pd_meetings = seed::publish_program(db, pd, 7, t0()).await;
    let asked = e.ask_admission(pd, 32, None, t0()).await.unwrap();
    assert_eq!(asked.status, EnrolmentStatus::AwaitingConsultation);
    assert_eq!(e.ask_admission(pd, 32, None, t0()).await.unwrap(), asked, "asked once");
    assert_eq!(
        e.enrol(pd, 32, true, t0()).await.unwrap(),
        asked,
        "enrol finds the request"
    );
    // Enrolled without admission: refused by the database whatever the code says.
    assert!(matches!(e.enrol(pd, 33, false, t0()).await, Err(StoreError::Conflict)));
    assert!(e.live(pd, 33).await.unwrap().is_none());
    assert!(matches!(
        Bookings(db).create(pd_meetings[0], 32, Money::rubles(1800), t0()).await,
        Err(StoreError::NotEnrolled)
    ));
    // No decision before the consultation took place.
    assert_eq!(e.consultation(32, anna, t0()).await.unwrap(), Consultation::None);
    assert!(matches!(
        e.decide(asked.id, anna, true, None, t0()).await,
        Err(StoreError::Conflict)
    ));
    assert!(e.awaiting_decision(anna, t0()).await.unwrap().is_empty());
    let consult_at = t0() + TimeDelta::hours(3);
    let slot = seed::slot(db, anna, SlotKind::Consultation, consult_at, 15, 1, t0()).await;
    ClientBookings(db).book_free(slot, 32, None, &[], t0()).await.unwrap();
    assert_eq!(e.consultation(32, anna, t0()).await.unwrap(), Consultation::Booked);
    let after = consult_at + TimeDelta::minutes(20);
    assert_eq!(e.consultation(32, anna, after).await.unwrap(), Consultation::Done);
    let waiting = e.awaiting_decision(anna, after).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].enrolment_id, waiting[0].client_id), (asked.id, 32));
    assert!(e.awaiting_decision(boris, after).await.unwrap().is_empty());
    // Another therapist cannot decide.
    assert!(matches!(
        e.decide(asked.id, boris, true, None, after).await,
        Err(StoreError::Conflict)
    ));
    let admitted = e.decide(asked.id, anna, true, None, after).await.unwrap();
    assert_eq!(
        (admitted.status, admitted.decided_by),
        (EnrolmentStatus::Admitted, Some(anna))
    );
    assert!(matches!(
        e.decide(asked.id, anna, false, None, after).await,
        Err(StoreError::Conflict)
    ));
    assert!(e.awaiting_decision(anna, after).await.unwrap().is_empty());
    assert_eq!(
        e.enrol(pd, 32, true, after).await.unwrap().status,
        EnrolmentStatus::Enrolled
    );
    Bookings(db)
        .create(pd_meetings[0], 32, Money::rubles(1800), after)
        .await
        .unwrap();
    assert_eq!(e.enrolled_counts(anna).await.unwrap().get(&pd), Some(&1));
    assert_eq!(e.enrolled_counts(anna).await.unwrap().get(&cbt), Some(&1));

    // Declined stays out.
    let other = e.enrol(pd, 33, true, t0()).await.unwrap();
    let slot = seed::slot(
        db,
        anna,
        SlotKind::Consultation,
        consult_at + TimeDelta::hours(1),
        15,
        1,
        t0(),
    )
    .await;
    ClientBookings(db).book_free(slot, 33, None, &[], t0()).await.unwrap();
    let later = consult_at + TimeDelta::hours(2);
    let declined = e.decide(other.id, anna, false, None, later).await.unwrap();
    assert_eq!(declined.status, EnrolmentStatus::Declined);
    assert_eq!(
        e.enrol(pd, 33, true, later).await.unwrap().status,
        EnrolmentStatus::Declined
    );
    let forced = match db {
        Db::Sqlite(p) => sqlx::query("UPDATE program_enrolments SET status = 'enrolled' WHERE id = $1")
            .bind(other.id)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("UPDATE program_enrolments SET status = 'enrolled' WHERE id = $1")
            .bind(other.id)
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(forced.is_err(), "a declined client is never enrolled");
    // Another therapist's decision is refused by the database too.
    let forged = match db {
        Db::Sqlite(p) => sqlx::query("UPDATE program_enrolments SET decided_by = $2 WHERE id = $1")
            .bind(admitted.id)
            .bind(boris)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("UPDATE program_enrolments SET decided_by = $2 WHERE id = $1")
            .bind(admitted.id)
            .bind(boris)
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(forged.is_err());

    // A program taken off (archived): its meetings are no longer bookable, even for the enrolled.
    match db {
        Db::Sqlite(p) => {
            sqlx::query("UPDATE group_programs SET status = 'archived' WHERE id = $1")
                .bind(cbt)
                .execute(p)
                .await
                .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query("UPDATE group_programs SET status = 'archived' WHERE id = $1")
                .bind(cbt)
                .execute(p)
                .await
                .unwrap();
        }
    }
    assert!(matches!(
        Bookings(db)
            .create(cbt_meetings[1], 31, Money::rubles(1800), t0())
            .await,
        Err(StoreError::NotEnrolled)
    ));
    // Only group slots belong to a program.
    let bad = match db {
        Db::Sqlite(p) => sqlx::query("UPDATE slots SET program_id = $2 WHERE id = $1")
            .bind(slot)
            .bind(pd)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("UPDATE slots SET program_id = $2 WHERE id = $1")
            .bind(slot)
            .bind(pd)
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(bad.is_err());
}

async fn eight_enrolled_race_for_five_seats_of_a_meeting(db: &Db) {
    let anna = seed::active_therapist(db, 21, "Анна", None, t0()).await;
    let id = submitted(db, anna, &program("gestalt", 5, 1)).await;
    let meeting = seed::publish_program(db, id, 7, t0()).await[0];
    let clients: Vec<i64> = (100..108).collect();
    for c in &clients {
        seed::client(db, *c, "Клиент", Lang::Ru, None, t0()).await;
        Enrolments(db).enrol(id, *c, false, t0()).await.unwrap();
    }
    let db2 = Arc::new(db.clone());
    let barrier = Arc::new(tokio::sync::Barrier::new(clients.len()));
    let tasks: Vec<_> = clients
        .iter()
        .map(|&c| {
            let (db, barrier) = (db2.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                Bookings(&db).create(meeting, c, Money::rubles(1800), t0()).await
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let won = results.iter().filter(|r| r.is_ok()).count();
    let full = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::SlotFull)))
        .count();
    assert_eq!((won, full), (5, 3), "{results:?}");
    let slot = Slots(db).get(meeting).await.unwrap().unwrap();
    assert_eq!((slot.booked, slot.free_seats()), (5, 0));
    assert_eq!(Listings(db).free_places(t0()).await.unwrap().get(&id), Some(&0));
    // A seat given back (expired) is free again.
    let first = results.iter().find_map(|r| r.as_ref().ok()).copied().unwrap();
    Bookings(db)
        .transition(first, BookingState::AwaitingPayment, BookingState::Expired, t0())
        .await
        .unwrap();
    assert_eq!(Listings(db).free_places(t0()).await.unwrap().get(&id), Some(&1));
}

on_both_backends!(
    publishing_makes_the_meetings_or_changes_nothing,
    returned_programs_keep_the_comments_and_the_audit,
    enrolment_rules_are_kept_by_the_database,
    eight_enrolled_race_for_five_seats_of_a_meeting,
);
