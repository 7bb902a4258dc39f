//! Onboarding and moderation storage on both backends (R-ONB-1..10, R-PRICE-1/2): invites
//! redeemed once (also under a race), profile fields, specialisations, prices, materials,
//! agreements, sealed payout details, conditional moderation decisions, the audit log.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proego::domain::readiness::TaxStatus;
use proego::domain::{Money, PriceKind, PriceState};
use proego::i18n::Lang;
use proego::store::invites::{AuditLog, InviteStatus, Invites};
use proego::store::outbox::{Outbox, OutboxMessage};
use proego::store::profiles::{Decision, FileKind, Profiles, TextField};
use proego::store::slots::{NewSlot, SlotKind, Slots};
use proego::store::therapists::{TherapistStatus, Therapists};
use proego::store::users::Users;
use proego::store::{Db, StoreError};

use crate::on_both_backends;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn hash(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

fn approve<'a>(
    therapist_id: i64,
    admin_id: i64,
    admin_name: &'a str,
    notice: Option<&'a OutboxMessage>,
) -> Decision<'a> {
    Decision {
        therapist_id,
        approve: true,
        admin_id,
        admin_name,
        reason: None,
        notice,
    }
}

async fn user(db: &Db, tg: i64) {
    Users(db).seen(tg, "Анна", Lang::Ru, t0()).await.unwrap();
}

/// An account bound to `tg`, in onboarding.
async fn onboarding_therapist(db: &Db, tg: i64) -> i64 {
    user(db, tg).await;
    let code = hash(u8::try_from(tg % 200).unwrap());
    let (id, _) = Invites(db)
        .create_with_account(
            "Анна Петрова",
            "anna@example.org",
            &code,
            9001,
            t0(),
            t0() + Duration::days(7),
        )
        .await
        .unwrap();
    Invites(db).redeem(&code, tg, t0()).await.unwrap();
    id
}

async fn invites_are_created_hashed_listed_and_redeemed_once(db: &Db) {
    let inv = Invites(db);
    let (tid, iid) = inv
        .create_with_account(
            "Анна Петрова",
            "anna@example.org",
            &hash(1),
            9001,
            t0(),
            t0() + Duration::days(7),
        )
        .await
        .unwrap();
    let t = Therapists(db).get(tid).await.unwrap().unwrap();
    assert_eq!(t.status, TherapistStatus::Invited);
    let i = inv.by_hash(&hash(1)).await.unwrap().unwrap();
    assert_eq!((i.id, i.status(t0())), (iid, InviteStatus::Valid));
    assert_eq!(i.status(t0() + Duration::days(7)), InviteStatus::Expired);
    assert!(inv.by_hash(&hash(2)).await.unwrap().is_none());
    let pending = inv.pending(t0()).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].full_name.as_str(), pending[0].email.as_str()),
        ("Анна Петрова", "anna@example.org")
    );
    assert!(inv.pending(t0() + Duration::days(8)).await.unwrap().is_empty());

    // Expired: refused, binds nothing.
    user(db, 501).await;
    assert!(matches!(
        inv.redeem(&hash(1), 501, t0() + Duration::days(7)).await,
        Err(StoreError::Conflict)
    ));
    assert!(Therapists(db).by_telegram(501).await.unwrap().is_none());
    // Valid: binds once.
    assert_eq!(inv.redeem(&hash(1), 501, t0()).await.unwrap(), tid);
    assert_eq!(
        Therapists(db).get(tid).await.unwrap().unwrap().status,
        TherapistStatus::Onboarding
    );
    assert_eq!(
        inv.by_hash(&hash(1)).await.unwrap().unwrap().status(t0()),
        InviteStatus::Used
    );
    user(db, 502).await;
    assert!(matches!(
        inv.redeem(&hash(1), 502, t0()).await,
        Err(StoreError::Conflict)
    ));
    assert!(inv.pending(t0()).await.unwrap().is_empty());
    let audit = AuditLog(db).about(&format!("therapist:{tid}")).await.unwrap();
    assert_eq!((audit[0].actor_id, audit[0].action.as_str()), (9001, "invite"));

    // A Telegram account already bound cannot take a second invite (the invite stays unused).
    let (_, _) = inv
        .create_with_account(
            "Второй",
            "b@example.org",
            &hash(3),
            9001,
            t0(),
            t0() + Duration::days(7),
        )
        .await
        .unwrap();
    assert!(matches!(
        inv.redeem(&hash(3), 501, t0()).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        inv.by_hash(&hash(3)).await.unwrap().unwrap().status(t0()),
        InviteStatus::Valid
    );

    // Revoked: conditional, audited, refused afterwards.
    let id3 = inv.by_hash(&hash(3)).await.unwrap().unwrap().id;
    inv.revoke(id3, 9002, t0()).await.unwrap();
    assert!(matches!(inv.revoke(id3, 9002, t0()).await, Err(StoreError::Conflict)));
    assert_eq!(inv.get(id3).await.unwrap().unwrap().status(t0()), InviteStatus::Revoked);
    assert!(matches!(
        inv.redeem(&hash(3), 502, t0()).await,
        Err(StoreError::Conflict)
    ));
    let audit = AuditLog(db).about(&format!("invite:{id3}")).await.unwrap();
    assert_eq!(audit[0].action, "invite_revoke");
}

async fn a_double_tap_binds_once(db: &Db) {
    let (tid, _) = Invites(db)
        .create_with_account("Анна", "a@example.org", &hash(9), 9001, t0(), t0() + Duration::days(7))
        .await
        .unwrap();
    for tg in 600..610 {
        user(db, tg).await;
    }
    let db = Arc::new(db.clone());
    let tasks: Vec<_> = (600..610)
        .map(|tg| {
            let db = db.clone();
            tokio::spawn(async move { Invites(&db).redeem(&hash(9), tg, t0()).await })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(id) => {
                assert_eq!(id, tid);
                won += 1;
            }
            Err(StoreError::Conflict) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(won, 1);
    assert!(Therapists(&db).get(tid).await.unwrap().unwrap().telegram_id.is_some());
}

async fn profile_fields_specializations_materials_and_agreements(db: &Db) {
    let id = onboarding_therapist(db, 700).await;
    let p = Profiles(db);
    assert_eq!(p.get(id).await.unwrap().bio, None);
    p.set_text(id, TextField::Bio, "О себе", t0()).await.unwrap();
    p.set_text(id, TextField::Education, "МГУ", t0()).await.unwrap();
    p.set_text(id, TextField::PhotoFileId, "photo-1", t0()).await.unwrap();
    p.set_text(id, TextField::Languages, "ru,en", t0()).await.unwrap();
    p.set_text(id, TextField::VideoRoomLink, "https://zoom.us/j/1", t0())
        .await
        .unwrap();
    assert!(
        p.set_text(id, TextField::VideoRoomLink, "http://x", t0())
            .await
            .is_err(),
        "https only"
    );
    p.set_years(id, 12, t0()).await.unwrap();
    assert!(p.set_years(id, 71, t0()).await.is_err(), "0..70");
    p.set_full_name(id, "Анна Петрова-Смит", t0()).await.unwrap();
    p.set_time_zone(id, "Asia/Novosibirsk", t0()).await.unwrap();
    p.set_payout(id, "sealed-bytes", "карта •••• 1111", t0()).await.unwrap();
    p.set_tax_status(id, TaxStatus::SelfEmployed, t0()).await.unwrap();
    p.set_tax_certificate(id, "cert-1", FileKind::Document, t0())
        .await
        .unwrap();
    let got = p.get(id).await.unwrap();
    assert_eq!(got.bio.as_deref(), Some("О себе"));
    assert_eq!(got.languages, vec!["ru", "en"]);
    assert_eq!(got.years_of_practice, Some(12));
    assert_eq!(got.payout_masked.as_deref(), Some("карта •••• 1111"));
    assert_eq!(got.tax_status, Some(TaxStatus::SelfEmployed));
    assert_eq!(got.tax_cert_kind, Some(FileKind::Document));
    assert_eq!(p.payout_sealed(id).await.unwrap().as_deref(), Some("sealed-bytes"));
    assert_eq!(p.time_zone(id).await.unwrap().as_deref(), Some("Asia/Novosibirsk"));
    assert_eq!(
        Therapists(db).get(id).await.unwrap().unwrap().full_name,
        "Анна Петрова-Смит"
    );
    // Another tax status asks for its own certificate.
    p.set_tax_status(id, TaxStatus::IndividualEntrepreneur, t0())
        .await
        .unwrap();
    assert_eq!(p.get(id).await.unwrap().tax_cert_file_id, None);

    assert!(p.toggle_specialization(id, "cbt").await.unwrap());
    assert!(p.toggle_specialization(id, "anxiety").await.unwrap());
    assert!(!p.toggle_specialization(id, "cbt").await.unwrap());
    assert_eq!(p.specializations(id).await.unwrap(), vec!["anxiety"]);

    let m = p
        .add_material(id, "Презентация", "file-1", FileKind::Document, t0())
        .await
        .unwrap();
    p.add_material(id, "Фото", "file-2", FileKind::Photo, t0())
        .await
        .unwrap();
    assert_eq!(p.materials(id).await.unwrap().len(), 2);
    let other = onboarding_therapist(db, 701).await;
    assert!(
        matches!(p.delete_material(other, m).await, Err(StoreError::NotFound)),
        "not theirs"
    );
    p.delete_material(id, m).await.unwrap();
    assert!(matches!(p.delete_material(id, m).await, Err(StoreError::NotFound)));
    assert_eq!(p.materials(id).await.unwrap()[0].kind, FileKind::Photo);

    p.accept(id, "offer", "2026-11", t0()).await.unwrap();
    p.accept(id, "offer", "2026-11", t0() + Duration::hours(1))
        .await
        .unwrap();
    let agreements = p.agreements(id).await.unwrap();
    assert_eq!(agreements.len(), 1);
    assert_eq!(agreements[0].2, t0(), "the first acceptance time is kept");

    assert_eq!(p.swap_checklist_message(id, Some(10), t0()).await.unwrap(), None);
    assert_eq!(p.swap_checklist_message(id, Some(11), t0()).await.unwrap(), Some(10));
    p.submit(id, t0()).await.unwrap();
    assert_eq!(
        p.swap_checklist_message(id, Some(12), t0()).await.unwrap(),
        None,
        "the checklist that became the submission notice is kept"
    );

    assert_eq!(p.open_future_slots(id, t0()).await.unwrap(), 0);
    let start = t0() + Duration::days(1);
    Slots(db)
        .create(
            &NewSlot {
                therapist_id: id,
                kind: SlotKind::Individual,
                starts_at: start,
                ends_at: start + Duration::minutes(50),
                capacity: 1,
            },
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(p.open_future_slots(id, t0()).await.unwrap(), 1);
    assert_eq!(p.open_future_slots(id, start + Duration::minutes(1)).await.unwrap(), 0);
}

async fn prices_and_moderation_decisions(db: &Db) {
    let id = onboarding_therapist(db, 800).await;
    let p = Profiles(db);
    p.ensure(id, t0()).await.unwrap();
    let price = PriceState::draft(Money::rubles(3500));
    p.set_price(id, PriceKind::Individual, &price, t0()).await.unwrap();
    p.set_price(id, PriceKind::Individual, &PriceState::draft(Money::rubles(4000)), t0())
        .await
        .unwrap();
    let prices = p.prices(id).await.unwrap();
    assert_eq!(
        prices,
        vec![(PriceKind::Individual, PriceState::draft(Money::rubles(4000)))]
    );

    // Decisions need a pending profile.
    assert!(p
        .decide(&approve(id, 9001, "Мария", None), t0())
        .await
        .unwrap()
        .is_err());
    p.submit(id, t0()).await.unwrap();
    assert!(matches!(p.submit(id, t0()).await, Err(StoreError::Conflict)));
    p.set_card_message(id, 42).await.unwrap();
    assert_eq!(p.queue().await.unwrap()[0].therapist_id, id);
    let told = OutboxMessage::new(800, "Отклонено".into()).dedupe("t:reject");
    let reject = Decision {
        approve: false,
        reason: Some("Нужно фото лучше"),
        notice: Some(&told),
        ..approve(id, 9001, "Мария", None)
    };
    p.decide(&reject, t0()).await.unwrap().unwrap();
    let queued = Outbox(db).all().await.unwrap();
    assert_eq!(queued.len(), 1, "the notice is enqueued with the decision");
    let got = p.get(id).await.unwrap();
    assert_eq!(got.rejection_reason.as_deref(), Some("Нужно фото лучше"));
    assert_eq!(
        Therapists(db).get(id).await.unwrap().unwrap().status,
        TherapistStatus::Rejected
    );
    assert!(p.queue().await.unwrap().is_empty());

    // Resubmitted: the reason is cleared; then two admins approve at once, one wins.
    p.submit(id, t0() + Duration::hours(1)).await.unwrap();
    assert_eq!(p.get(id).await.unwrap().rejection_reason, None);
    let at = t0() + Duration::hours(2);
    let db2 = Arc::new(db.clone());
    let tasks: Vec<_> = [(9001, "Мария"), (9002, "Олег")]
        .into_iter()
        .map(|(admin, name)| {
            let db = db2.clone();
            tokio::spawn(async move { Profiles(&db).decide(&approve(id, admin, name, None), at).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap().unwrap());
    }
    let wins = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(wins, 1, "{outcomes:?}");
    let lost = outcomes.into_iter().find_map(Result::err).unwrap();
    assert_eq!(lost.status, TherapistStatus::Active);
    assert!(lost.by.is_some() && lost.at == Some(at));
    assert_eq!(
        Therapists(db).get(id).await.unwrap().unwrap().status,
        TherapistStatus::Active
    );
    // R-PRICE-2: the first activation is recorded on the prices.
    let (_, state) = p.prices(id).await.unwrap().remove(0);
    assert_eq!(state.activated_at, Some(at));
    let audit = AuditLog(db).about(&format!("therapist:{id}")).await.unwrap();
    let actions: Vec<_> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, vec!["invite", "reject", "approve"]);
    assert_eq!(audit[1].reason.as_deref(), Some("Нужно фото лучше"));

    // Suspend and reinstate: conditional and audited.
    assert!(matches!(
        p.set_suspended(id, false, 9001, "нет", None, at).await,
        Err(StoreError::Conflict)
    ));
    p.set_suspended(id, true, 9001, "Жалоба", None, at).await.unwrap();
    assert!(matches!(
        p.set_suspended(id, true, 9002, "Жалоба", None, at).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        Therapists(db).get(id).await.unwrap().unwrap().status,
        TherapistStatus::Suspended
    );
    p.set_suspended(id, false, 9001, "Проверено", None, at).await.unwrap();
    assert_eq!(
        Therapists(db).get(id).await.unwrap().unwrap().status,
        TherapistStatus::Active
    );
    let audit = AuditLog(db).about(&format!("therapist:{id}")).await.unwrap();
    assert_eq!(audit.last().unwrap().action, "reinstate");
}

on_both_backends!(
    invites_are_created_hashed_listed_and_redeemed_once,
    a_double_tap_binds_once,
    profile_fields_specializations_materials_and_agreements,
    prices_and_moderation_decisions,
);
