//! R-CLI-7 on both backends: deleting a client's data erases the health data and anonymises
//! the account, unless an upcoming booking blocks it (then nothing changes); afterwards the
//! client's name and free text are in no table, their bookings and payments stay for
//! accounting (amounts, dates, payment ids), and the name is not stored again.

use chrono::TimeDelta;
use proego::catalog::questionnaire::{Answer, QuizProgress};
use proego::domain::{score, BookingState, Money, TestKind};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::enrolments::Enrolments;
use proego::store::erasure::{self, Erased};
use proego::store::intake::Intake;
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::payments::Payments;
use proego::store::slots::SlotKind;
use proego::store::users::Users;
use proego::store::Db;

use crate::on_both_backends;
use crate::store_admin::t0;
use crate::support::seed;

const NAME: &str = "Снежана";
const SECRET: &str = "ночные-кошмары-7";

/// Every (table, column) of a text-like type in the database.
async fn text_columns(db: &Db) -> Vec<(String, String)> {
    match db {
        Db::Sqlite(p) => sqlx::query_as(
            "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
               AND upper(c.type) LIKE '%TEXT%'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        Db::Postgres(p) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'
               AND data_type IN ('text', 'character varying', 'json', 'jsonb')",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    }
}

/// The (table, column) pairs holding `needle` anywhere.
async fn places_of(db: &Db, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (t, c) in text_columns(db).await {
        let sql = format!("SELECT COUNT(*) FROM \"{t}\" WHERE CAST(\"{c}\" AS TEXT) LIKE $1");
        let like = format!("%{needle}%");
        let (n,): (i64,) = match db {
            Db::Sqlite(p) => sqlx::query_as(&sql).bind(&like).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_as(&sql).bind(&like).fetch_one(p).await.unwrap(),
        };
        if n > 0 {
            found.push(format!("{t}.{c}"));
        }
    }
    found
}

async fn rows_of(db: &Db, table: &str, column: &str, id: i64) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1");
    let (n,): (i64,) = match db {
        Db::Sqlite(p) => sqlx::query_as(&sql).bind(id).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(&sql).bind(id).fetch_one(p).await.unwrap(),
    };
    n
}

async fn deleting_a_client_anonymises_everything_but_accounting(db: &Db) {
    let now = t0();
    let tid = seed::active_therapist(db, 501, "Ирина", None, now).await;
    seed::client(db, 601, NAME, Lang::Ru, Some(chrono_tz::Asia::Yekaterinburg), now).await;
    seed::client(db, 602, "Пётр", Lang::Ru, None, now).await;
    // Health data, with free text.
    let intake = Intake(db);
    intake.give_consent(601, 1, now).await.unwrap();
    let mut progress = QuizProgress {
        version: 1,
        current: 1,
        ..QuizProgress::default()
    };
    progress.answers.insert("details".into(), Answer::Text(SECRET.into()));
    intake.save_progress(601, &progress, None, true, now).await.unwrap();
    let phq = score(TestKind::Phq9, &[3, 3, 3, 3, 3, 3, 3, 3, 1]).unwrap();
    intake
        .save_test(601, &phq, &[3, 3, 3, 3, 3, 3, 3, 3, 1], now)
        .await
        .unwrap();
    intake
        .flag_risk(601, "phq9", &OutboxMessage::new(-100, format!("risk: {NAME}")), now)
        .await
        .unwrap();
    // A past session (paid, completed) and an upcoming one.
    let past = seed::slot(db, tid, SlotKind::Individual, now - TimeDelta::days(3), 50, 1, now).await;
    let past = seed::booking(db, past, 601, 3000, true, now - TimeDelta::days(5)).await;
    Bookings(db)
        .transition(past, BookingState::Confirmed, BookingState::Completed, now)
        .await
        .unwrap();
    let soon = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::days(3), 50, 1, now).await;
    let soon = seed::booking(db, soon, 601, 3000, true, now).await;
    // Messages: to the therapist naming the client (escaped as the bot does), to the client,
    // and one about someone else.
    let outbox = Outbox(db);
    outbox
        .enqueue(
            &OutboxMessage::new(501, format!("Новая запись: <b>{NAME}</b>, 30.11")),
            now,
        )
        .await
        .unwrap();
    outbox
        .enqueue(&OutboxMessage::new(601, "Напоминание".into()), now)
        .await
        .unwrap();
    outbox
        .enqueue(&OutboxMessage::new(501, "Новая запись: Пётр".into()), now)
        .await
        .unwrap();

    // Enrolled in a group program (R-GRP-2): withdrawn with the account.
    let program = crate::store_enrolment::submitted(db, tid, &crate::store_enrolment::program("cbt", 8, 2)).await;
    seed::publish_program(db, program, 7, now).await;
    Enrolments(db).enrol(program, 601, false, now).await.unwrap();

    // The upcoming session blocks the anonymisation: nothing changes.
    assert_eq!(erasure::upcoming(db, 601, now).await.unwrap(), 1);
    assert_eq!(erasure::anonymise(db, 601, now).await.unwrap(), Erased::Upcoming(1));
    assert!(!erasure::is_deleted(db, 601).await.unwrap());
    assert_eq!(Users(db).get(601).await.unwrap().unwrap().first_name, NAME);
    assert!(intake.consent(601).await.unwrap().is_some());

    // Cancelled: nothing upcoming, the account is anonymised.
    Bookings(db)
        .transition(soon, BookingState::Confirmed, BookingState::CancelledByClient, now)
        .await
        .unwrap();
    assert_eq!(erasure::anonymise(db, 601, now).await.unwrap(), Erased::Done);
    assert!(erasure::is_deleted(db, 601).await.unwrap());
    assert_eq!(places_of(db, NAME).await, Vec::<String>::new(), "the name is nowhere");
    assert_eq!(
        places_of(db, SECRET).await,
        Vec::<String>::new(),
        "the free text is nowhere"
    );
    let u = Users(db).get(601).await.unwrap().unwrap();
    assert_eq!((u.first_name.as_str(), u.time_zone), ("", None));
    let live: (i64,) = match db {
        Db::Sqlite(p) => {
            sqlx::query_as("SELECT COUNT(*) FROM program_enrolments WHERE client_id = 601 AND status <> 'withdrawn'")
                .fetch_one(p)
                .await
                .unwrap()
        }
        Db::Postgres(p) => {
            sqlx::query_as("SELECT COUNT(*) FROM program_enrolments WHERE client_id = 601 AND status <> 'withdrawn'")
                .fetch_one(p)
                .await
                .unwrap()
        }
    };
    assert_eq!(live.0, 0, "no live enrolment is left");
    for (t, c) in [
        ("consents", "client_id"),
        ("intake_answers", "client_id"),
        ("test_results", "client_id"),
        ("risk_flags", "client_id"),
        ("price_locks", "client_id"),
        ("dialogues", "chat_id"),
        ("outbox", "chat_id"),
    ] {
        assert_eq!(rows_of(db, t, c, 601).await, 0, "{t}");
    }
    // Accounting stays: the bookings and their payments, amounts and dates.
    assert_eq!(Bookings(db).count_for_client(601).await.unwrap(), 2);
    let details = Bookings(db).details(past).await.unwrap().unwrap();
    assert_eq!((details.client_name.as_str(), details.price), ("", Money::rubles(3000)));
    let paid = Payments(db).for_booking(past).await.unwrap();
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].amount, Money::rubles(3000));
    // Someone else's data is untouched; the therapist's message reads without the name.
    assert_eq!(Users(db).get(602).await.unwrap().unwrap().first_name, "Пётр");
    assert_eq!(
        places_of(db, "Новая запись: Пётр").await,
        vec!["outbox.text".to_owned()]
    );
    assert_eq!(
        places_of(db, "Новая запись: <b>—</b>").await,
        vec!["outbox.text".to_owned()]
    );
    // Writing to the bot again does not store the name again.
    let again = Users(db)
        .seen(601, NAME, Lang::Ru, now + TimeDelta::hours(1))
        .await
        .unwrap();
    assert_eq!(again.first_name, "");
    assert!(places_of(db, NAME).await.is_empty());
    // The database refuses a name on a deleted user.
    let refused = match db {
        Db::Sqlite(p) => sqlx::query("UPDATE users SET first_name = 'X' WHERE telegram_id = 601")
            .execute(p)
            .await
            .is_err(),
        Db::Postgres(p) => sqlx::query("UPDATE users SET first_name = 'X' WHERE telegram_id = 601")
            .execute(p)
            .await
            .is_err(),
    };
    assert!(refused);
}

on_both_backends!(deleting_a_client_anonymises_everything_but_accounting);
