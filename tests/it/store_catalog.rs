//! The catalogue's read queries (R-CLI-4) on both backends, and the seeded catalogue the
//! recommendation end-to-end tests use.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Moscow;
use proego::domain::price::{PriceKind, PriceState};
use proego::domain::Money;
use proego::store::catalog::Listings;
use proego::store::profiles::{Profiles, TextField};
use proego::store::programs::{NewProgram, ProgramStatus, Programs};
use proego::store::slots::SlotKind;
use proego::store::therapists::{TherapistStatus, Therapists};
use proego::store::Db;

use crate::on_both_backends;
use crate::support::seed;

/// The test app's clock: Friday 27 Nov 2026, 09:00 UTC (12:00 in Moscow).
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

/// `day` of Nov/Dec 2026 at `hour`:00 in Moscow (day > 30 is December).
pub fn msk(day: u32, hour: u32) -> DateTime<Utc> {
    let (m, d) = if day > 30 { (12, day - 30) } else { (11, day) };
    Moscow
        .with_ymd_and_hms(2026, m, d, hour, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// The ids of the seeded catalogue.
pub struct Seeded {
    pub anna: i64,
    pub boris: i64,
    pub vera: i64,
    pub gleb: i64,
    pub suspended: i64,
    pub pending: i64,
    pub published_program: i64,
    pub draft_program: i64,
}

async fn therapist(
    db: &Db,
    tg: i64,
    name: &str,
    specs: &[&str],
    rubles: u32,
    langs: &str,
    starts: &[DateTime<Utc>],
) -> i64 {
    let id = seed::active_therapist(db, tg, name, Some(Moscow), t0()).await;
    let p = Profiles(db);
    p.set_text(id, TextField::Languages, langs, t0()).await.unwrap();
    p.set_time_zone(id, "Europe/Moscow", t0()).await.unwrap();
    for s in specs {
        p.toggle_specialization(id, s).await.unwrap();
    }
    p.set_price(
        id,
        PriceKind::Individual,
        &PriceState::draft(Money::rubles(rubles)).activate(t0()),
        t0(),
    )
    .await
    .unwrap();
    for &s in starts {
        seed::slot(db, id, SlotKind::Individual, s, 50, 1, t0()).await;
    }
    id
}

fn program(title: &str, approach: &str, topic: &str) -> NewProgram {
    NewProgram {
        title: title.into(),
        description: "Восемь встреч о тревоге".into(),
        approach: approach.into(),
        topic: topic.into(),
        meetings: 8,
        meeting_minutes: 90,
        weekday: 3,
        local_time: "19:00".into(),
        capacity: 10,
        price: Money::rubles(1500),
    }
}

/// Several active therapists with specialisations, prices and free times; one suspended
/// (who would otherwise be the best match) and one pending moderation; a published program
/// and a draft one.
pub async fn catalogue(db: &Db) -> Seeded {
    let evening = [msk(28, 19), msk(30, 19), msk(31, 20)];
    let anna = therapist(
        db,
        9101,
        "Анна",
        &["anxiety", "burnout", "cbt", "individual"],
        3500,
        "ru",
        &evening,
    )
    .await;
    let boris = therapist(
        db,
        9102,
        "Борис",
        &["anxiety", "depression", "psychodynamic"],
        5000,
        "ru,en",
        &[msk(30, 9), msk(31, 10)],
    )
    .await;
    let vera = therapist(
        db,
        9103,
        "Вера",
        &["grief", "trauma", "emdr"],
        2000,
        "ru",
        &[msk(29, 19)],
    )
    .await;
    let gleb = therapist(db, 9104, "Глеб", &["anxiety", "burnout"], 3000, "en", &evening).await;
    let suspended = therapist(
        db,
        9105,
        "Сергей",
        &["anxiety", "burnout", "cbt"],
        1000,
        "ru",
        &[msk(30, 20), msk(31, 19)],
    )
    .await;
    Therapists(db)
        .transition(suspended, TherapistStatus::Active, TherapistStatus::Suspended, t0())
        .await
        .unwrap();
    seed::client(db, 9106, "Павел", proego::i18n::Lang::Ru, None, t0()).await;
    let t = Therapists(db);
    let pending = t.create_invited("Павел Ждущий", "p@example.org", t0()).await.unwrap();
    t.bind_telegram(pending, 9106, t0()).await.unwrap();
    t.transition(
        pending,
        TherapistStatus::Onboarding,
        TherapistStatus::PendingModeration,
        t0(),
    )
    .await
    .unwrap();
    Profiles(db).toggle_specialization(pending, "anxiety").await.unwrap();
    let programs = Programs(db);
    let published_program = programs
        .create(anna, &program("Спокойнее", "cbt", "anxiety"), t0())
        .await
        .unwrap();
    programs
        .attach_presentation(published_program, anna, "file-1", t0())
        .await
        .unwrap();
    programs.submit(published_program, anna, t0()).await.unwrap();
    seed::publish_program(db, published_program, 1, t0()).await;
    assert_eq!(
        programs.get(published_program).await.unwrap().unwrap().status,
        ProgramStatus::Published
    );
    let draft_program = programs
        .create(boris, &program("Черновик", "psychodynamic", "depression"), t0())
        .await
        .unwrap();
    Seeded {
        anna,
        boris,
        vera,
        gleb,
        suspended,
        pending,
        published_program,
        draft_program,
    }
}

on_both_backends!(
    only_active_therapists_with_their_data_and_free_times,
    only_published_programs_of_active_therapists
);

async fn only_active_therapists_with_their_data_and_free_times(db: &Db) {
    let s = catalogue(db).await;
    // Not free: a booked slot, a group slot, a closed-in-the-past one and one after the window.
    let booked = seed::slot(db, s.anna, SlotKind::Individual, msk(29, 12), 50, 1, t0()).await;
    seed::client(db, 9200, "Кира", proego::i18n::Lang::Ru, None, t0()).await;
    seed::booking(db, booked, 9200, 3500, true, t0()).await;
    seed::slot(db, s.anna, SlotKind::Group, msk(29, 15), 90, 8, t0()).await;
    seed::slot(
        db,
        s.anna,
        SlotKind::Individual,
        t0() - TimeDelta::hours(2),
        50,
        1,
        t0(),
    )
    .await;
    seed::slot(
        db,
        s.anna,
        SlotKind::Individual,
        t0() + TimeDelta::days(14),
        50,
        1,
        t0(),
    )
    .await;
    let listed = Listings(db)
        .active_therapists(t0(), t0() + TimeDelta::days(14))
        .await
        .unwrap();
    let ids: Vec<i64> = listed.iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![s.anna, s.boris, s.vera, s.gleb], "no suspended, no pending");
    assert!(!ids.contains(&s.suspended) && !ids.contains(&s.pending));
    let anna = &listed[0];
    assert_eq!(anna.full_name, "Анна Терапевтова");
    assert_eq!(anna.time_zone.as_deref(), Some("Europe/Moscow"));
    assert_eq!(anna.languages, vec!["ru"]);
    assert_eq!(anna.specializations, vec!["anxiety", "burnout", "cbt", "individual"]);
    assert_eq!(anna.individual_price, Some(Money::rubles(3500)));
    assert_eq!(anna.free_starts, vec![msk(28, 19), msk(30, 19), msk(31, 20)]);
    assert_eq!(listed[1].languages, vec!["ru", "en"]);
    assert_eq!(listed[1].free_starts, vec![msk(30, 9), msk(31, 10)]);
}

async fn only_published_programs_of_active_therapists(db: &Db) {
    let s = catalogue(db).await;
    let listed = Listings(db).published_programs().await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![s.published_program]
    );
    assert_ne!(listed[0].id, s.draft_program);
    assert_eq!(listed[0].fields.title, "Спокойнее");
    // A suspended therapist's published program is not offered either.
    Therapists(db)
        .transition(s.anna, TherapistStatus::Active, TherapistStatus::Suspended, t0())
        .await
        .unwrap();
    assert!(Listings(db).published_programs().await.unwrap().is_empty());
}
