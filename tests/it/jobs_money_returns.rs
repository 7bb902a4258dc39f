//! R-CAN-2, R-CAN-3 (issue 8): a money return that a cancellation decided and whose provider
//! call failed is retried by `jobs::money_returns` with back-off, under the same idempotence
//! key (never returned twice), and the admins are told once when it keeps failing. Driven with
//! a test clock (the `now` passed to the job) over the sandbox provider with injected
//! failures, on both databases.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta};
use proego::domain::{decide_cancellation, BookingState, CancellationRequest, Canceller, Funding, Money, PaymentState};
use proego::i18n::Lang;
use proego::jobs::money_returns::{retry_due, GRACE, TELL_ADMINS_AFTER};
use proego::payments::provider::{NewPayment, PaymentProvider, ProviderError, ProviderPayment};
use proego::payments::sandbox::Sandbox;
use proego::payments::service::PaymentService;
use proego::store::client_booking::ClientBookings;
use proego::store::money_returns;
use proego::store::outbox::Outbox;
use proego::store::payments::Payments;
use proego::store::slots::SlotKind;
use proego::store::Db;

use crate::on_both_backends;
use crate::store_admin::t0;
use crate::support::app::{state_for, ADMIN_CHAT_ID};
use crate::support::seed;

/// How the next money-moving calls (cancel, refund) go.
#[derive(Default)]
struct Plan {
    /// Fail this many before reaching the provider (usize::MAX: always).
    fail: usize,
    /// Reach the provider, then lose the answer (a timeout after the money moved).
    lose_answer: usize,
    /// The idempotence key of every call.
    keys: Vec<String>,
}

/// The sandbox provider with failures injected into releases and refunds.
struct Flaky {
    inner: Sandbox,
    plan: Mutex<Plan>,
}

impl Flaky {
    fn outcome(&self, key: &str) -> (bool, bool) {
        let mut p = self.plan.lock().unwrap();
        p.keys.push(key.to_owned());
        if p.fail > 0 {
            if p.fail != usize::MAX {
                p.fail -= 1;
            }
            return (true, false);
        }
        if p.lose_answer > 0 {
            p.lose_answer -= 1;
            return (false, true);
        }
        (false, false)
    }
}

#[async_trait]
impl PaymentProvider for Flaky {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    async fn create(&self, payment: &NewPayment) -> Result<ProviderPayment, ProviderError> {
        self.inner.create(payment).await
    }
    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError> {
        self.inner.get(id).await
    }
    async fn capture(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        self.inner.capture(id, amount, key).await
    }
    async fn cancel(&self, id: &str, key: &str) -> Result<ProviderPayment, ProviderError> {
        let (fail, lose) = self.outcome(key);
        if fail {
            return Err(ProviderError::Unavailable("injected 500".into()));
        }
        let r = self.inner.cancel(id, key).await;
        if lose {
            return Err(ProviderError::Unavailable("injected timeout".into()));
        }
        r
    }
    async fn refund(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        let (fail, lose) = self.outcome(key);
        if fail {
            return Err(ProviderError::Unavailable("injected 500".into()));
        }
        let r = self.inner.refund(id, amount, key).await;
        if lose {
            return Err(ProviderError::Unavailable("injected timeout".into()));
        }
        r
    }
}

struct World {
    app: proego::bot::AppState,
    flaky: Arc<Flaky>,
    booking: i64,
    payment: i64,
    /// When the cancellation was decided.
    at: DateTime<chrono::Utc>,
}

/// A client's booking 72 hours ahead, paid (held; captured when `captured`), cancelled by the
/// client in time (R-CAN-2: the money is owed back) without the provider being called.
async fn cancelled_booking(db: &Db, captured: bool, plan: Plan) -> World {
    let now = t0();
    let tid = seed::active_therapist(db, 501, "Ирина", None, now).await;
    seed::client(db, 601, "Анна", Lang::Ru, None, now).await;
    let slot = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(72), 50, 1, now).await;
    let booking = seed::booking(db, slot, 601, 2500, true, now).await;
    let flaky = Arc::new(Flaky {
        inner: Sandbox::new(db.clone(), "http://127.0.0.1:8080"),
        plan: Mutex::new(Plan::default()),
    });
    let mut app = state_for(db.clone()).await;
    let base = app.payments.clone();
    app.payments = Arc::new(PaymentService {
        db: db.clone(),
        provider: flaky.clone(),
        clock: base.clock.clone(),
        notices: base.notices.clone(),
        return_url: base.return_url.clone(),
        settings: base.settings.clone(),
    });
    let record = Payments(db).for_booking(booking).await.unwrap().remove(0);
    if captured {
        app.payments.capture(&record).await.unwrap();
    }
    let outcome = decide_cancellation(
        &CancellationRequest {
            booking: BookingState::Confirmed,
            by: Canceller::Client,
            session_start: now + TimeDelta::hours(72),
            now,
            funding: if captured { Funding::Captured } else { Funding::Held },
            force_majeure_accepted: false,
        },
        &app.settings,
    )
    .unwrap();
    assert!(ClientBookings(db)
        .cancel(601, booking, BookingState::Confirmed, &outcome, &[], now)
        .await
        .unwrap());
    *flaky.plan.lock().unwrap() = plan;
    World {
        app,
        flaky,
        booking,
        payment: record.id,
        at: now,
    }
}

fn keys(w: &World) -> Vec<String> {
    w.flaky.plan.lock().unwrap().keys.clone()
}

async fn admin_notices(db: &Db) -> usize {
    Outbox(db)
        .all()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.chat_id == ADMIN_CHAT_ID)
        .count()
}

/// Fail, fail, then succeed: the hold is released once, every call under one key, with the
/// back-off respected in between; the admins are not bothered.
async fn a_failed_release_is_retried_with_backoff_until_it_succeeds(db: &Db) {
    let w = cancelled_booking(
        db,
        false,
        Plan {
            fail: 2,
            ..Plan::default()
        },
    )
    .await;
    // Within the grace the cancelling handler's own call goes first: the job leaves it.
    assert_eq!(
        retry_due(&w.app, w.at + GRACE - TimeDelta::seconds(1)).await.unwrap(),
        0
    );
    assert!(keys(&w).is_empty());
    let t1 = w.at + GRACE;
    assert_eq!(retry_due(&w.app, t1).await.unwrap(), 0);
    assert_eq!(
        money_returns::status(db, w.booking).await.unwrap(),
        Some((1, false, false))
    );
    // Back-off: not again before a minute has passed.
    assert_eq!(retry_due(&w.app, t1 + TimeDelta::seconds(59)).await.unwrap(), 0);
    assert_eq!(keys(&w).len(), 1);
    let t2 = t1 + TimeDelta::minutes(1);
    assert_eq!(retry_due(&w.app, t2).await.unwrap(), 0);
    assert_eq!(
        money_returns::status(db, w.booking).await.unwrap(),
        Some((2, false, false))
    );
    assert_eq!(retry_due(&w.app, t2 + TimeDelta::seconds(119)).await.unwrap(), 0);
    assert_eq!(keys(&w).len(), 2);
    assert_eq!(retry_due(&w.app, t2 + TimeDelta::minutes(2)).await.unwrap(), 1);
    let p = Payments(db).get(w.payment).await.unwrap().unwrap();
    assert_eq!((p.state, p.refunded), (PaymentState::Released, Money::ZERO));
    assert_eq!(
        w.flaky
            .inner
            .get(p.provider_payment_id.as_deref().unwrap())
            .await
            .unwrap()
            .status
            .as_str(),
        "canceled"
    );
    let k = keys(&w);
    assert_eq!(k.len(), 3);
    assert!(k.iter().all(|x| *x == k[0]), "one idempotence key: {k:?}");
    assert_eq!(
        money_returns::status(db, w.booking).await.unwrap(),
        Some((2, false, true))
    );
    // Nothing is owed any more: later ticks call nobody.
    assert_eq!(retry_due(&w.app, t2 + TimeDelta::hours(3)).await.unwrap(), 0);
    assert_eq!(keys(&w).len(), 3);
    assert_eq!(admin_notices(db).await, 0);
}

/// Captured money: a refund that reached the provider but whose answer was lost, then a
/// failure, then success: refunded exactly once, to the kopeck.
async fn a_refund_whose_answer_was_lost_is_not_made_twice(db: &Db) {
    let w = cancelled_booking(
        db,
        true,
        Plan {
            lose_answer: 1,
            fail: 0,
            keys: vec![],
        },
    )
    .await;
    let t1 = w.at + GRACE;
    assert_eq!(retry_due(&w.app, t1).await.unwrap(), 0, "the answer was lost");
    w.flaky.plan.lock().unwrap().fail = 1;
    assert_eq!(retry_due(&w.app, t1 + TimeDelta::minutes(1)).await.unwrap(), 0);
    assert_eq!(retry_due(&w.app, t1 + TimeDelta::minutes(3)).await.unwrap(), 1);
    let p = Payments(db).get(w.payment).await.unwrap().unwrap();
    assert_eq!((p.state, p.refunded), (PaymentState::Refunded, Money::rubles(2500)));
    let seen = w
        .flaky
        .inner
        .get(p.provider_payment_id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(seen.refunded, Money::rubles(2500), "the provider refunded once");
    let k = keys(&w);
    assert_eq!(k.len(), 3);
    assert!(k.iter().all(|x| *x == k[0]), "one idempotence key: {k:?}");
}

/// Always failing: the admins are told once, after the fifth failure; the retries go on.
async fn a_return_that_keeps_failing_tells_the_admins_once(db: &Db) {
    let w = cancelled_booking(
        db,
        false,
        Plan {
            fail: usize::MAX,
            ..Plan::default()
        },
    )
    .await;
    let mut t = w.at + GRACE;
    for n in 1..=8 {
        assert_eq!(retry_due(&w.app, t).await.unwrap(), 0);
        let told = n >= TELL_ADMINS_AFTER;
        assert_eq!(
            money_returns::status(db, w.booking).await.unwrap(),
            Some((n, told, false)),
            "after failure {n}"
        );
        assert_eq!(admin_notices(db).await, usize::from(told), "after failure {n}");
        t += TimeDelta::hours(2);
    }
    assert_eq!(keys(&w).len(), 8);
    let p = Payments(db).get(w.payment).await.unwrap().unwrap();
    assert_eq!(p.state, PaymentState::Held);
}

/// A late cancellation owes nothing back: the job leaves it to the capture (R-CAN-2), and the
/// capture job does not capture a hold that a timely cancellation owes back.
async fn only_owed_returns_are_retried(db: &Db) {
    use proego::store::due;
    let w = cancelled_booking(db, false, Plan::default()).await;
    // The capture job's list leaves the owed hold alone.
    assert!(due::held_payments(db)
        .await
        .unwrap()
        .iter()
        .all(|h| h.payment_id != w.payment));
    let owed = money_returns::owed(db, w.at + GRACE, w.at).await.unwrap();
    assert_eq!(owed.len(), 1);
    assert_eq!(
        (owed[0].booking_id, owed[0].payment_id, owed[0].attempts),
        (w.booking, w.payment, 0)
    );
    // Two workers: only one claims it.
    assert!(
        money_returns::claim(db, w.booking, w.at + GRACE, w.at + GRACE + TimeDelta::minutes(5))
            .await
            .unwrap()
    );
    assert!(
        !money_returns::claim(db, w.booking, w.at + GRACE, w.at + GRACE + TimeDelta::minutes(5))
            .await
            .unwrap()
    );
    assert!(money_returns::owed(db, w.at + GRACE, w.at).await.unwrap().is_empty());
}

on_both_backends!(
    a_failed_release_is_retried_with_backoff_until_it_succeeds,
    a_refund_whose_answer_was_lost_is_not_made_twice,
    a_return_that_keeps_failing_tells_the_admins_once,
    only_owed_returns_are_retried
);
