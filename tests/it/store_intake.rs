//! Intake storage on both backends: nothing health-related is written without consent, and
//! deletion erases all of it at once.

use chrono::{Duration, TimeZone, Utc};
use proego::catalog::questionnaire::{Answer, QuizProgress};
use proego::domain::{score, TestKind};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::intake::Intake;
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::users::Users;
use proego::store::Db;

use crate::on_both_backends;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

fn progress() -> QuizProgress {
    let mut p = QuizProgress {
        version: 1,
        current: 2,
        ..QuizProgress::default()
    };
    p.answers
        .insert("request".into(), Answer::Options(vec!["anxiety".into()]));
    p.answers
        .insert("details".into(), Answer::Text("<b>как есть</b> & \"так\"".into()));
    p.history = vec![0, 1];
    p
}

on_both_backends!(
    nothing_is_stored_without_consent,
    consent_answers_and_tests_round_trip,
    deleting_health_data_erases_all_of_it
);

async fn nothing_is_stored_without_consent(db: &Db) {
    Users(db).seen(1, "A", Lang::Ru, now()).await.unwrap();
    let intake = Intake(db);
    intake.save_progress(1, &progress(), None, false, now()).await.unwrap();
    assert!(intake.get(1).await.unwrap().is_none());
    let r = score(TestKind::Gad7, &[1; 7]).unwrap();
    assert!(!intake.save_test(1, &r, &[1; 7], now()).await.unwrap());
    assert!(intake.tests(1).await.unwrap().is_empty());
    assert!(intake.consent(1).await.unwrap().is_none());
}

async fn consent_answers_and_tests_round_trip(db: &Db) {
    Users(db).seen(2, "B", Lang::En, now()).await.unwrap();
    let intake = Intake(db);
    intake.give_consent(2, 1, now()).await.unwrap();
    intake.give_consent(2, 2, now() + Duration::minutes(1)).await.unwrap();
    assert_eq!(
        intake.consent(2).await.unwrap(),
        Some((2, now() + Duration::minutes(1)))
    );
    intake.save_progress(2, &progress(), None, false, now()).await.unwrap();
    let rec = intake.get(2).await.unwrap().unwrap();
    assert_eq!((rec.version, rec.completed_at, rec.risk), (1, None, false));
    assert_eq!(rec.progress, progress(), "free text is kept exactly as typed");
    intake
        .save_progress(2, &progress(), Some(now()), true, now())
        .await
        .unwrap();
    let rec = intake.get(2).await.unwrap().unwrap();
    assert_eq!((rec.completed_at, rec.risk), (Some(now()), true));
    let phq = score(TestKind::Phq9, &[3, 3, 3, 3, 3, 3, 3, 3, 1]).unwrap();
    assert!(intake
        .save_test(2, &phq, &[3, 3, 3, 3, 3, 3, 3, 3, 1], now())
        .await
        .unwrap());
    let gad = score(TestKind::Gad7, &[0; 7]).unwrap();
    assert!(intake
        .save_test(2, &gad, &[0; 7], now() + Duration::hours(1))
        .await
        .unwrap());
    let tests = intake.tests(2).await.unwrap();
    assert_eq!(tests.len(), 2);
    assert_eq!((tests[0].kind, tests[0].total), (TestKind::Gad7, 0), "newest first");
    assert_eq!(
        (tests[1].kind, tests[1].total, tests[1].band, tests[1].risk),
        (TestKind::Phq9, 25, phq.band, true)
    );
    intake
        .flag_risk(2, "phq9", &OutboxMessage::new(-100, "flag".into()), now())
        .await
        .unwrap();
    assert_eq!(
        Outbox(db).all().await.unwrap().len(),
        1,
        "the notice is written with the flag"
    );
}

async fn deleting_health_data_erases_all_of_it(db: &Db) {
    Users(db).seen(3, "C", Lang::Ru, now()).await.unwrap();
    Users(db).seen(4, "D", Lang::Ru, now()).await.unwrap();
    let intake = Intake(db);
    for id in [3, 4] {
        intake.give_consent(id, 1, now()).await.unwrap();
        intake
            .save_progress(id, &progress(), Some(now()), true, now())
            .await
            .unwrap();
        let r = score(TestKind::Gad7, &[2; 7]).unwrap();
        intake.save_test(id, &r, &[2; 7], now()).await.unwrap();
        intake
            .flag_risk(id, "questionnaire", &OutboxMessage::new(-100, "flag".into()), now())
            .await
            .unwrap();
    }
    assert_eq!(intake.delete_health_data(3).await.unwrap(), 4);
    assert!(intake.consent(3).await.unwrap().is_none());
    assert!(intake.get(3).await.unwrap().is_none());
    assert!(intake.tests(3).await.unwrap().is_empty());
    assert_eq!(intake.delete_health_data(3).await.unwrap(), 0, "twice is fine");
    assert!(intake.get(4).await.unwrap().is_some(), "other clients are untouched");
    assert!(Users(db).get(3).await.unwrap().is_some(), "the account stays");
    assert_eq!(Bookings(db).count_for_client(3).await.unwrap(), 0);
}
