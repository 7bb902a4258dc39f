//! Test data made directly through the store: active therapists (as if invited, onboarded and
//! approved), clients, slots and bookings.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use proego::domain::{BookingState, Money};
use proego::i18n::Lang;
use proego::store::bookings::Bookings;
use proego::store::slots::{NewSlot, SlotKind, Slots};
use proego::store::therapists::{TherapistStatus, Therapists};
use proego::store::users::Users;
use proego::store::Db;

/// A therapist bound to Telegram user `telegram_id` and active; `zone` is their /timezone.
/// Returns the therapist id.
pub async fn active_therapist(db: &Db, telegram_id: i64, name: &str, zone: Option<Tz>, now: DateTime<Utc>) -> i64 {
    Users(db).seen(telegram_id, name, Lang::Ru, now).await.unwrap();
    if let Some(z) = zone {
        Users(db).set_time_zone(telegram_id, z, now).await.unwrap();
    }
    let t = Therapists(db);
    let id = t
        .create_invited(
            &format!("{name} Терапевтова"),
            &format!("t{telegram_id}@example.org"),
            now,
        )
        .await
        .unwrap();
    t.bind_telegram(id, telegram_id, now).await.unwrap();
    for (from, to) in [
        (TherapistStatus::Onboarding, TherapistStatus::PendingModeration),
        (TherapistStatus::PendingModeration, TherapistStatus::Active),
    ] {
        t.transition(id, from, to, now).await.unwrap();
    }
    id
}

/// A client who has written to the bot.
pub async fn client(db: &Db, telegram_id: i64, name: &str, lang: Lang, zone: Option<Tz>, now: DateTime<Utc>) {
    Users(db).seen(telegram_id, name, lang, now).await.unwrap();
    if let Some(z) = zone {
        Users(db).set_time_zone(telegram_id, z, now).await.unwrap();
    }
}

/// An open slot of `minutes` from `start`; returns its id.
pub async fn slot(
    db: &Db,
    therapist_id: i64,
    kind: SlotKind,
    start: DateTime<Utc>,
    minutes: i64,
    capacity: i32,
    now: DateTime<Utc>,
) -> i64 {
    Slots(db)
        .create(
            &NewSlot {
                therapist_id,
                kind,
                starts_at: start,
                ends_at: start + TimeDelta::minutes(minutes),
                capacity,
            },
            now,
        )
        .await
        .unwrap()
}

/// A booking of `slot_id` by `client_id`, paid (confirmed) or awaiting payment.
pub async fn booking(db: &Db, slot_id: i64, client_id: i64, rubles: u32, paid: bool, now: DateTime<Utc>) -> i64 {
    let b = Bookings(db);
    let id = b.create(slot_id, client_id, Money::rubles(rubles), now).await.unwrap();
    if paid {
        b.transition(id, BookingState::AwaitingPayment, BookingState::Confirmed, now)
            .await
            .unwrap();
        hold_payment(db, id, Money::rubles(rubles), now).await;
    }
    id
}

/// A held card payment for the booking, as the sandbox provider has it after the client paid
/// (nothing for a free booking).
pub async fn hold_payment(db: &Db, booking_id: i64, amount: Money, now: DateTime<Utc>) {
    use proego::domain::PaymentState;
    use proego::payments::provider::{NewPayment, PaymentProvider};
    use proego::payments::sandbox::Sandbox;
    use proego::store::payments::Payments;
    if amount.is_zero() {
        return;
    }
    let sandbox = Sandbox::new(db.clone(), "http://127.0.0.1:8080");
    let record = Payments(db)
        .create_for_booking(booking_id, "sandbox", amount, now)
        .await
        .unwrap();
    let p = sandbox
        .create(&NewPayment {
            amount,
            description: "Session".into(),
            metadata: vec![],
            idempotence_key: record.idempotence_key.clone(),
            return_url: "https://t.me/proego_test_bot".into(),
        })
        .await
        .unwrap();
    Payments(db)
        .set_provider_ref(record.id, &p.id, p.confirmation_url.as_deref(), now)
        .await
        .unwrap();
    sandbox.authorize(&p.id).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert!(Payments::transition_in(
        &mut tx,
        record.id,
        PaymentState::Pending,
        PaymentState::Held,
        Money::ZERO,
        false,
        "authorized",
        now
    )
    .await
    .unwrap());
    tx.commit().await.unwrap();
}

/// Waits (up to 4 s) until the booking is in `state`, for flows that finish in the background.
pub async fn wait_booking_state(db: &Db, id: i64, state: BookingState) {
    for _ in 0..200 {
        if Bookings(db).get(id).await.unwrap().unwrap().state == state {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("booking {id} never became {state}");
}

/// Publishes a submitted program as an admin would (R-GRP-2): its meetings from the program's
/// weekday and local time in the therapist's zone (Europe/Moscow when unset), the first at
/// least two days after `now`. Panics when it is not published; returns the meeting slot ids.
pub async fn publish_program(db: &Db, program_id: i64, admin_id: i64, now: DateTime<Utc>) -> Vec<i64> {
    use proego::store::programs::{Programs, Publication};
    let p = Programs(db).get(program_id).await.unwrap().unwrap();
    let zone = proego::store::calendar::therapist_zone(db, p.therapist_id)
        .await
        .unwrap()
        .unwrap_or(chrono_tz::Europe::Moscow);
    let meetings: Vec<_> = proego::domain::program_meetings(
        p.fields.weekday as u32,
        chrono::NaiveTime::parse_from_str(&p.fields.local_time, "%H:%M").unwrap(),
        TimeDelta::minutes(i64::from(p.fields.meeting_minutes)),
        p.fields.meetings as u32,
        zone,
        now,
    )
    .unwrap()
    .iter()
    .map(|o| (o.interval.start(), o.interval.end()))
    .collect();
    match Programs(db)
        .publish(program_id, admin_id, &meetings, None, now)
        .await
        .unwrap()
    {
        Publication::Published { slot_ids } => slot_ids,
        other => panic!("not published: {other:?}"),
    }
}
