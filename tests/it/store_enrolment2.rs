//! Leaving a group program, its meetings in the calendar and the admins' queue, on both
//! databases (R-GRP-2, R-GRP-3, R-CAN-2): the withdrawal and its notice in one transaction,
//! no seat afterwards, coming back (a new admission where it is required), the client's live
//! bookings of a program, published meetings not closable, submitted programs listed.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use proego::domain::{BookingState, Money};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::client_booking::ClientBookings;
use proego::store::enrolments::{EnrolmentStatus, Enrolments};
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::programs::{NewProgram, Programs};
use proego::store::slots::{SlotKind, Slots};
use proego::store::{Db, StoreError};

use crate::on_both_backends;
use crate::support::seed;

/// Friday 16 October 2026, 12:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 16, 12, 0, 0).unwrap()
}

fn program(title: &str, approach: &str) -> NewProgram {
    NewProgram {
        title: title.into(),
        description: "Встречи о тревоге".into(),
        approach: approach.into(),
        topic: "тревога".into(),
        meetings: 3,
        meeting_minutes: 90,
        weekday: 1,
        local_time: "19:00".into(),
        capacity: 6,
        price: Money::rubles(1800),
    }
}

async fn submitted(db: &Db, therapist: i64, p: &NewProgram, at: DateTime<Utc>) -> i64 {
    let programs = Programs(db);
    let id = programs.create(therapist, p, at).await.unwrap();
    programs.attach_presentation(id, therapist, "file-1", at).await.unwrap();
    programs.submit(id, therapist, at).await.unwrap();
    id
}

/// A client whose free consultation with the therapist took place an hour ago at `now`.
async fn consulted(db: &Db, therapist: i64, client: i64, at: DateTime<Utc>) {
    let s = seed::slot(db, therapist, SlotKind::Consultation, at, 15, 1, t0()).await;
    ClientBookings(db).book_free(s, client, None, &[], t0()).await.unwrap();
}

async fn leaving_and_coming_back(db: &Db) {
    let t = seed::active_therapist(db, 21, "Анна", Some(Berlin), t0()).await;
    let id = submitted(db, t, &program("Глубже", "psychodynamic"), t0()).await;
    let meetings = seed::publish_program(db, id, 7, t0()).await;
    assert_eq!(meetings.len(), 3);
    let now = t0() + TimeDelta::hours(2);
    let enrolments = Enrolments(db);
    for (c, name) in [(31, "Оля"), (32, "Петр"), (33, "Гость")] {
        seed::client(db, c, name, Lang::Ru, None, t0()).await;
        consulted(db, t, c, t0() + TimeDelta::hours(1) + TimeDelta::minutes(20 * (c - 31))).await;
        enrolments.enrol(id, c, true, t0()).await.unwrap();
    }
    let e31 = enrolments.live(id, 31).await.unwrap().unwrap();
    let e32 = enrolments.live(id, 32).await.unwrap().unwrap();
    enrolments.decide(e31.id, t, true, None, now).await.unwrap();
    enrolments.decide(e32.id, t, false, None, now).await.unwrap();
    assert_eq!(
        enrolments.enrol(id, 31, true, now).await.unwrap().status,
        EnrolmentStatus::Enrolled
    );
    // Client 31 holds two meetings (one paid, one awaiting payment) and cancelled a third.
    let paid = seed::booking(db, meetings[1], 31, 1800, true, now).await;
    let unpaid = seed::booking(db, meetings[0], 31, 1800, false, now).await;
    let cancelled = seed::booking(db, meetings[2], 31, 1800, false, now).await;
    Bookings(db)
        .transition(cancelled, BookingState::AwaitingPayment, BookingState::Expired, now)
        .await
        .unwrap();
    let live = ClientBookings(db).live_of_program(31, id, now).await.unwrap();
    assert_eq!(
        live.iter().map(|b| b.id).collect::<Vec<_>>(),
        vec![unpaid, paid],
        "live ones only, soonest first"
    );
    // Started meetings are not "ahead"; another client's program bookings are not theirs.
    let after_first = Slots(db).get(meetings[0]).await.unwrap().unwrap().starts_at;
    let live = ClientBookings(db).live_of_program(31, id, after_first).await.unwrap();
    assert_eq!(live.iter().map(|b| b.id).collect::<Vec<_>>(), vec![paid]);
    assert!(ClientBookings(db)
        .live_of_program(33, id, now)
        .await
        .unwrap()
        .is_empty());
    assert!(ClientBookings(db)
        .live_of_program(31, id + 1, now)
        .await
        .unwrap()
        .is_empty());

    // Withdraw: the row and the therapist's notice in one transaction.
    let before = Outbox(db).all().await.unwrap().len();
    let notice = OutboxMessage::new(9021, "Оля вышла".into());
    let w = enrolments.withdraw(id, 31, Some(&notice), now).await.unwrap();
    assert_eq!((w.id, w.status), (e31.id, EnrolmentStatus::Withdrawn));
    assert_eq!(Outbox(db).all().await.unwrap().len(), before + 1);
    assert!(enrolments.live(id, 31).await.unwrap().is_none());
    // Twice: nothing to withdraw, no second notice.
    assert!(matches!(
        enrolments.withdraw(id, 31, Some(&notice), now).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(Outbox(db).all().await.unwrap().len(), before + 1);
    // No seat afterwards, even if the code forgot to check.
    assert!(matches!(
        Bookings(db).create(meetings[2], 31, Money::rubles(1800), now).await,
        Err(StoreError::NotEnrolled)
    ));
    // A declined client has nothing to leave; a stranger neither.
    assert!(matches!(
        enrolments.withdraw(id, 32, None, now).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        enrolments.live(id, 32).await.unwrap().unwrap().status,
        EnrolmentStatus::Declined
    );
    assert!(matches!(
        enrolments.withdraw(id, 34, None, now).await,
        Err(StoreError::Conflict)
    ));
    // An awaiting client may leave too.
    assert_eq!(
        enrolments.withdraw(id, 33, None, now).await.unwrap().status,
        EnrolmentStatus::Withdrawn
    );

    // Coming back (R-GRP-3): a new row that waits for a new admission; the consultation held
    // still counts, so the therapist can decide at once.
    let back = enrolments.enrol(id, 31, true, now).await.unwrap();
    assert_ne!(back.id, e31.id);
    assert_eq!(back.status, EnrolmentStatus::AwaitingConsultation);
    assert!(enrolments
        .awaiting_decision(t, now)
        .await
        .unwrap()
        .iter()
        .any(|a| a.enrolment_id == back.id));
    enrolments.decide(back.id, t, true, None, now).await.unwrap();
    assert_eq!(
        enrolments.enrol(id, 31, true, now).await.unwrap().status,
        EnrolmentStatus::Enrolled
    );
    Bookings(db)
        .create(meetings[2], 31, Money::rubles(1800), now)
        .await
        .unwrap();
    // The old withdrawn row stays as it was.
    assert_eq!(
        enrolments.get(e31.id).await.unwrap().unwrap().status,
        EnrolmentStatus::Withdrawn
    );
}

async fn meetings_stay_in_the_calendar_and_programs_wait_in_the_queue(db: &Db) {
    let t = seed::active_therapist(db, 21, "Анна", Some(Berlin), t0()).await;
    let other = seed::active_therapist(db, 22, "Борис", Some(Berlin), t0()).await;
    let first = submitted(db, t, &program("Опора", "cbt"), t0()).await;
    let second = submitted(db, other, &program("Смелость", "gestalt"), t0() + TimeDelta::minutes(5)).await;
    let draft = Programs(db).create(t, &program("Черновик", "cbt"), t0()).await.unwrap();
    let queue = Programs(db).submitted().await.unwrap();
    assert_eq!(
        queue
            .iter()
            .map(|p| (p.id, p.title.as_str(), p.therapist_name.as_str(), p.submitted_at))
            .collect::<Vec<_>>(),
        vec![
            (first, "Опора", "Анна Терапевтова", t0()),
            (second, "Смелость", "Борис Терапевтова", t0() + TimeDelta::minutes(5)),
        ],
        "oldest first, the draft not listed"
    );
    let _ = draft;

    let meetings = seed::publish_program(db, first, 7, t0()).await;
    assert_eq!(
        Programs(db)
            .submitted()
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        vec![second],
        "published: no longer waiting"
    );
    // A free meeting of a published program is not closed from the calendar.
    assert!(matches!(
        Slots(db).close_free(t, meetings[0]).await,
        Err(StoreError::Conflict)
    ));
    assert!(Slots(db).get(meetings[0]).await.unwrap().unwrap().open);
    // An ordinary free group slot still is.
    let own = seed::slot(db, t, SlotKind::Group, t0() + TimeDelta::days(1), 90, 6, t0()).await;
    Slots(db).close_free(t, own).await.unwrap();
    // The week's meetings with their program's title; another therapist's week has none.
    let (from, to) = (t0(), t0() + TimeDelta::days(30));
    let titles = Programs(db).meeting_titles(t, from, to).await.unwrap();
    assert_eq!(titles.len(), 3);
    for m in &meetings {
        assert_eq!(titles.get(m), Some(&(first, "Опора".to_string())));
    }
    let first_start = Slots(db).get(meetings[0]).await.unwrap().unwrap().starts_at;
    let later = Programs(db)
        .meeting_titles(t, first_start + TimeDelta::minutes(1), to)
        .await
        .unwrap();
    assert_eq!(later.len(), 2, "only those that start in the range");
    assert!(Programs(db).meeting_titles(other, from, to).await.unwrap().is_empty());
}

on_both_backends!(
    leaving_and_coming_back,
    meetings_stay_in_the_calendar_and_programs_wait_in_the_queue,
);
