//! Store queries of /profile, /prices and the therapist's gender on both databases:
//! a public edit with the admins' notice in one transaction (only while active), the
//! conditional price change (R-PRICE-2), the count of clients with an active lock (R-PRICE-3),
//! and the gender the catalogue reads for recommendations (R-CLI-4).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::matching::Gender;
use proego::domain::{DomainSettings, Money, PriceKind, PriceState};
use proego::i18n::Lang;
use proego::store::catalog::Listings;
use proego::store::client_booking::PriceLocks;
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::profiles::{Profiles, PublicEdit};
use proego::store::slots::SlotKind;
use proego::store::therapists::{TherapistStatus, Therapists};
use proego::store::{Db, StoreError};

use crate::on_both_backends;
use crate::support::seed;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

on_both_backends!(
    a_public_edit_applies_with_its_notice_only_while_active,
    a_price_change_is_conditional_on_the_price_read,
    active_locks_are_counted_per_therapist_and_kind,
    the_gender_is_stored_and_listed
);

async fn a_public_edit_applies_with_its_notice_only_while_active(db: &Db) {
    let tid = seed::active_therapist(db, 501, "Ирина", None, now()).await;
    let p = Profiles(db);
    let notice = |k: &str| OutboxMessage::new(-100, format!("edited {k}")).dedupe(format!("pe:{k}"));
    p.apply_public_edit(tid, PublicEdit::Name("Ирина Новая"), &notice("n"), now())
        .await
        .unwrap();
    p.apply_public_edit(
        tid,
        PublicEdit::Bio("Новый рассказ о себе, длиннее двадцати"),
        &notice("b"),
        now(),
    )
    .await
    .unwrap();
    p.apply_public_edit(tid, PublicEdit::Photo("photo-2"), &notice("p"), now())
        .await
        .unwrap();
    let t = Therapists(db).get(tid).await.unwrap().unwrap();
    assert_eq!(t.full_name, "Ирина Новая");
    assert_eq!(t.status, TherapistStatus::Active, "no new moderation");
    let profile = p.get(tid).await.unwrap();
    assert_eq!(profile.bio.as_deref(), Some("Новый рассказ о себе, длиннее двадцати"));
    assert_eq!(profile.photo_file_id.as_deref(), Some("photo-2"));
    assert_eq!(Outbox(db).all().await.unwrap().len(), 3);
    // Suspended: nothing changes and no notice is written.
    Therapists(db)
        .transition(tid, TherapistStatus::Active, TherapistStatus::Suspended, now())
        .await
        .unwrap();
    let err = p
        .apply_public_edit(
            tid,
            PublicEdit::Bio("Ещё один рассказ о себе, длиннее"),
            &notice("x"),
            now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    let err = p
        .apply_public_edit(tid, PublicEdit::Name("Другое имя"), &notice("y"), now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    assert_eq!(
        p.get(tid).await.unwrap().bio.as_deref(),
        Some("Новый рассказ о себе, длиннее двадцати")
    );
    assert_eq!(Therapists(db).get(tid).await.unwrap().unwrap().full_name, "Ирина Новая");
    assert_eq!(Outbox(db).all().await.unwrap().len(), 3);
}

async fn a_price_change_is_conditional_on_the_price_read(db: &Db) {
    let tid = seed::active_therapist(db, 502, "Олег", None, now()).await;
    let p = Profiles(db);
    let old = PriceState {
        amount: Money::rubles(3000),
        activated_at: Some(now() - TimeDelta::days(200)),
        last_change_at: None,
    };
    p.set_price(tid, PriceKind::Individual, &old, now()).await.unwrap();
    let new = PriceState {
        amount: Money::rubles(3500),
        last_change_at: Some(now()),
        ..old
    };
    p.change_price(tid, PriceKind::Individual, &old, &new, now())
        .await
        .unwrap();
    assert_eq!(p.prices(tid).await.unwrap(), vec![(PriceKind::Individual, new)]);
    // A second change decided on the same (now stale) reading loses: nothing changes.
    let other = PriceState {
        amount: Money::rubles(4000),
        last_change_at: Some(now()),
        ..old
    };
    let err = p
        .change_price(tid, PriceKind::Individual, &old, &other, now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");
    // A stale reading of the last change (same amount) loses too.
    let stale = PriceState {
        last_change_at: Some(now() - TimeDelta::days(1)),
        ..new
    };
    let err = p
        .change_price(tid, PriceKind::Individual, &stale, &other, now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");
    assert_eq!(p.prices(tid).await.unwrap(), vec![(PriceKind::Individual, new)]);
    // The reading with a last change matches and passes.
    let later = PriceState {
        amount: Money::rubles(3700),
        last_change_at: Some(now() + TimeDelta::days(190)),
        ..new
    };
    p.change_price(tid, PriceKind::Individual, &new, &later, now() + TimeDelta::days(190))
        .await
        .unwrap();
    assert_eq!(p.prices(tid).await.unwrap(), vec![(PriceKind::Individual, later)]);
}

async fn active_locks_are_counted_per_therapist_and_kind(db: &Db) {
    let settings = DomainSettings::default();
    let tid = seed::active_therapist(db, 503, "Анна", None, now()).await;
    let other = seed::active_therapist(db, 504, "Борис", None, now()).await;
    let state = PriceState {
        amount: Money::rubles(3000),
        activated_at: Some(now() - TimeDelta::days(400)),
        last_change_at: None,
    };
    for t in [tid, other] {
        Profiles(db)
            .set_price(t, PriceKind::Individual, &state, now())
            .await
            .unwrap();
    }
    // Three clients booked: two with `tid` (one 400 days ago, so that lock has ended), one
    // with the other therapist.
    let bookings = [
        (601, tid, now() - TimeDelta::days(400)),
        (602, tid, now() - TimeDelta::days(10)),
        (603, other, now() - TimeDelta::days(10)),
    ];
    for (i, (client, t, at)) in bookings.into_iter().enumerate() {
        seed::client(db, client, "C", Lang::Ru, None, at).await;
        let start = at + TimeDelta::days(2) + TimeDelta::hours(i as i64);
        let slot = seed::slot(db, t, SlotKind::Individual, start, 60, 1, at).await;
        let b = seed::booking(db, slot, client, 3000, true, at).await;
        let mut tx = db.begin().await.unwrap();
        PriceLocks::on_confirmed_in(&mut tx, b, &settings).await.unwrap();
        tx.commit().await.unwrap();
    }
    let locks = PriceLocks(db);
    let count =
        |t: i64, k: PriceKind, at: DateTime<Utc>| locks.count_active_of_therapist(t, k, at, settings.price_lock);
    assert_eq!(count(tid, PriceKind::Individual, now()).await.unwrap(), 1);
    assert_eq!(count(other, PriceKind::Individual, now()).await.unwrap(), 1);
    assert_eq!(count(tid, PriceKind::Group, now()).await.unwrap(), 0);
    // Half-open: at since + 365 days exactly the lock no longer counts.
    let since = now() - TimeDelta::days(10);
    assert_eq!(
        count(
            tid,
            PriceKind::Individual,
            since + settings.price_lock - TimeDelta::seconds(1)
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(
        count(tid, PriceKind::Individual, since + settings.price_lock)
            .await
            .unwrap(),
        0
    );
}

async fn the_gender_is_stored_and_listed(db: &Db) {
    let woman = seed::active_therapist(db, 505, "Ирина", None, now()).await;
    let unsaid = seed::active_therapist(db, 506, "Олег", None, now()).await;
    let p = Profiles(db);
    p.set_gender(woman, Some(Gender::Male), now()).await.unwrap();
    p.set_gender(woman, Some(Gender::Female), now()).await.unwrap();
    assert_eq!(p.get(woman).await.unwrap().gender, Some(Gender::Female));
    assert_eq!(p.get(unsaid).await.unwrap().gender, None);
    let listed = Listings(db)
        .active_therapists(now(), now() + TimeDelta::days(14))
        .await
        .unwrap();
    let g = |id: i64| listed.iter().find(|t| t.id == id).unwrap().gender;
    assert_eq!(g(woman), Some(Gender::Female));
    assert_eq!(g(unsaid), None);
    p.set_gender(woman, None, now()).await.unwrap();
    assert_eq!(p.get(woman).await.unwrap().gender, None);
    // The database refuses anything else.
    let bad = match db {
        Db::Sqlite(pool) => sqlx::query("UPDATE therapist_profiles SET gender = 'other' WHERE therapist_id = $1")
            .bind(woman)
            .execute(pool)
            .await
            .is_err(),
        Db::Postgres(pool) => sqlx::query("UPDATE therapist_profiles SET gender = 'other' WHERE therapist_id = $1")
            .bind(woman)
            .execute(pool)
            .await
            .is_err(),
    };
    assert!(bad, "the CHECK refuses another value");
}
