//! R-CAN-2 on both backends: a session the client cancelled late is charged 100% and the
//! therapist is paid for it as if it was held (payout recorded after the session's end, the
//! split adding up to the kopeck); a timely cancellation pays nobody.

use chrono::TimeDelta;
use proego::domain::{decide_cancellation, BookingState, CancellationRequest, Canceller, DomainSettings, Funding};
use proego::i18n::Lang;
use proego::store::client_booking::ClientBookings;
use proego::store::slots::SlotKind;
use proego::store::Db;

use crate::on_both_backends;
use crate::store_admin::t0;
use crate::support::seed;

async fn cancel(
    db: &Db,
    client: i64,
    booking: i64,
    start: chrono::DateTime<chrono::Utc>,
    at: chrono::DateTime<chrono::Utc>,
) {
    let outcome = decide_cancellation(
        &CancellationRequest {
            booking: BookingState::Confirmed,
            by: Canceller::Client,
            session_start: start,
            now: at,
            funding: Funding::Held,
            force_majeure_accepted: false,
        },
        &DomainSettings::default(),
    )
    .unwrap();
    assert!(ClientBookings(db)
        .cancel(client, booking, BookingState::Confirmed, &outcome, &[], at)
        .await
        .unwrap());
}

async fn late_client_cancellations_are_paid_out_timely_ones_are_not(db: &Db) {
    let now = t0();
    let tid = seed::active_therapist(db, 701, "Ирина", None, now).await;
    seed::client(db, 801, "Анна", Lang::Ru, None, now).await;
    let start = now + TimeDelta::days(3);
    let late_slot = seed::slot(db, tid, SlotKind::Individual, start, 60, 1, now).await;
    let late = seed::booking(db, late_slot, 801, 3333, true, now).await;
    let timely_slot = seed::slot(db, tid, SlotKind::Individual, start + TimeDelta::hours(2), 60, 1, now).await;
    let timely = seed::booking(db, timely_slot, 801, 3333, true, now).await;
    // 23 hours before the first: late; 3 days before the second: timely.
    cancel(db, 801, late, start, start - TimeDelta::hours(23)).await;
    cancel(db, 801, timely, start + TimeDelta::hours(2), now).await;

    let app = crate::support::app::state_for(db.clone()).await;
    // Not before the session ended.
    proego::jobs::sessions::complete_ended(&app, start + TimeDelta::minutes(59))
        .await
        .unwrap();
    assert!(proego::store::due::payouts_of(db, tid).await.unwrap().is_empty());
    // After it: the late one is paid out (30% commission), the timely one is not; once.
    for _ in 0..2 {
        proego::jobs::sessions::complete_ended(&app, start + TimeDelta::hours(6))
            .await
            .unwrap();
    }
    let payouts = proego::store::due::payouts_of(db, tid).await.unwrap();
    assert_eq!(payouts.len(), 1, "{payouts:?}");
    let p = &payouts[0];
    assert_eq!(
        (p.booking_id, p.paid_kopecks, p.commission_kopecks, p.payout_kopecks),
        (late, 333_300, 99_990, 233_310)
    );
}

on_both_backends!(late_client_cancellations_are_paid_out_timely_ones_are_not);
