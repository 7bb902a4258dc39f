//! Property (R-PAY-1, R-CAN-2..3), at the service level on SQLite in-process with the sandbox
//! provider: for any sequence of provider notifications (held, succeeded, canceled; duplicated;
//! out of order, i.e. a sync that reads an earlier view of the payment), capture / cancel /
//! refund calls, cancellations, expiry and credit use, on a booking and on a package, the money
//! taken from the client (the provider's own book) never exceeds the price and is never taken
//! twice; and once everything is synced, an expired (or timely cancelled) purchase has taken
//! nothing and an active package holds exactly what was paid less what was refunded.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::clock::TestClock;
use proego::domain::{
    decide_cancellation, BookingState, CancellationRequest, Canceller, DomainSettings, Funding, Money, MoneyAction,
    Package, PaymentState,
};
use proego::i18n::Lang;
use proego::jobs::sessions;
use proego::payments::provider::{NewPayment, PaymentProvider, ProviderError, ProviderPayment};
use proego::payments::sandbox::Sandbox;
use proego::payments::service::PaymentService;
use proego::store::bookings::Bookings;
use proego::store::client_booking::ClientBookings;
use proego::store::packages::{PackageState, Packages};
use proego::store::payments::{PaymentRecord, Payments};
use proego::store::slots::SlotKind;
use proego::store::Db;
use proptest::prelude::*;

use crate::support::app::{ADMIN_CHAT_ID, ADMIN_ID, TEST_DATA_KEY};
use crate::support::db::TestDb;
use crate::support::seed;

const PRICE_RUB: u32 = 2500;
const SIZE: u32 = 4;
const CLIENT: i64 = 3901;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Booking,
    Package,
}

#[derive(Debug, Clone)]
enum Op {
    /// The payment link (a new payment when the last one failed).
    Start(T),
    /// The client authorises on the payment page (the amount is held).
    Pay(T),
    /// The client (or the bank) declines.
    Decline(T),
    /// A notification: our side re-reads the latest payment (repeated = duplicated).
    Notify(T),
    /// A notification about every payment of the purchase.
    NotifyAll(T),
    /// An out-of-order notification: the re-read returns an earlier view of the payment.
    Stale(T, usize),
    /// The capture job's call.
    Capture(T),
    /// The booking's money returned in full (admin "Refund in full").
    Return,
    /// An admin's partial refund of the booking's payment.
    RefundPart(i64),
    /// The client cancels at least 24 hours before (or later).
    Cancel { timely: bool },
    /// The expiry job 16 minutes after the purchase.
    ExpireJob,
    /// The purchase expires but cancelling the link failed: a late payment can still come.
    ExpireOnly(T),
    /// A booking of the package's therapist with a credit.
    UseCredit,
    /// An admin refunds the package's unused credits.
    RefundUnused,
}

fn target() -> impl Strategy<Value = T> {
    prop_oneof![Just(T::Booking), Just(T::Package)]
}

fn op() -> impl Strategy<Value = Op> {
    // Terminal steps (cancel, expiry) are rare so that most sequences get as far as money.
    prop_oneof![
        4 => target().prop_map(Op::Start),
        5 => target().prop_map(Op::Pay),
        1 => target().prop_map(Op::Decline),
        6 => target().prop_map(Op::Notify),
        2 => target().prop_map(Op::NotifyAll),
        3 => (target(), 0usize..8).prop_map(|(t, i)| Op::Stale(t, i)),
        3 => target().prop_map(Op::Capture),
        1 => Just(Op::Return),
        2 => (1i64..=300_000).prop_map(Op::RefundPart),
        1 => any::<bool>().prop_map(|timely| Op::Cancel { timely }),
        1 => Just(Op::ExpireJob),
        1 => target().prop_map(Op::ExpireOnly),
        2 => Just(Op::UseCredit),
        2 => Just(Op::RefundUnused),
    ]
}

/// A provider whose reads return a fixed earlier view of one payment (an out-of-order
/// notification acted on as if it were the latest word); everything else is the sandbox.
struct Stale {
    view: ProviderPayment,
    inner: Sandbox,
}

#[async_trait]
impl PaymentProvider for Stale {
    fn name(&self) -> &'static str {
        "sandbox"
    }
    async fn create(&self, p: &NewPayment) -> Result<ProviderPayment, ProviderError> {
        self.inner.create(p).await
    }
    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError> {
        if id == self.view.id {
            return Ok(self.view.clone());
        }
        self.inner.get(id).await
    }
    async fn capture(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        self.inner.capture(id, amount, key).await
    }
    async fn cancel(&self, id: &str, key: &str) -> Result<ProviderPayment, ProviderError> {
        self.inner.cancel(id, key).await
    }
    async fn refund(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        self.inner.refund(id, amount, key).await
    }
}

struct World {
    _db: TestDb,
    db: Db,
    clock: Arc<TestClock>,
    app: proego::bot::AppState,
    sandbox: Sandbox,
    therapist: i64,
    booking: i64,
    package: i64,
    start: DateTime<Utc>,
    /// Every view of every payment seen so far (for out-of-order notifications).
    history: Vec<ProviderPayment>,
    cancelled_timely: bool,
    next_slot_day: i64,
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

fn service(db: &Db, clock: Arc<TestClock>, provider: Arc<dyn PaymentProvider>) -> PaymentService {
    let locales = Arc::new(proego::i18n::Locales::embedded().unwrap());
    PaymentService {
        db: db.clone(),
        provider,
        clock,
        notices: Arc::new(proego::bot::notices::LocaleNotices {
            locales,
            default_tz: chrono_tz::Europe::Moscow,
            default_lang: Lang::Ru,
        }),
        return_url: "https://t.me/proego_test_bot".into(),
        settings: DomainSettings::default(),
    }
}

impl World {
    async fn new() -> Self {
        let tdb = TestDb::sqlite().await;
        let db = tdb.db.clone();
        let now = t0();
        let clock = Arc::new(TestClock::new(now));
        let therapist = seed::active_therapist(&db, 2901, "Ирина", None, now).await;
        seed::client(&db, CLIENT, "Анна", Lang::Ru, None, now).await;
        let start = now + TimeDelta::days(3);
        let slot = seed::slot(&db, therapist, SlotKind::Individual, start, 50, 1, now).await;
        let booking = seed::booking(&db, slot, CLIENT, PRICE_RUB, false, now).await;
        let p = Package::purchase(SIZE, Money::rubles(PRICE_RUB), &DomainSettings::default()).unwrap();
        let package = Packages(&db).create(CLIENT, therapist, &p, now).await.unwrap();
        let sandbox = Sandbox::new(db.clone(), "http://127.0.0.1:8080");
        let payments = Arc::new(service(
            &db,
            clock.clone(),
            Arc::new(Sandbox::new(db.clone(), "http://127.0.0.1:8080")),
        ));
        let app = proego::bot::AppState {
            db: db.clone(),
            locales: Arc::new(proego::i18n::Locales::embedded().unwrap()),
            catalog: proego::catalog::Catalog::embedded().unwrap(),
            clock: clock.clone(),
            admin_ids: vec![ADMIN_ID as u64],
            admin_chat_id: ADMIN_CHAT_ID,
            default_lang: Lang::Ru,
            default_tz: chrono_tz::Europe::Moscow,
            bot_username: "proego_test_bot".into(),
            payments,
            settings: DomainSettings::default(),
            data_key: proego::crypto::DataKey::from_base64(TEST_DATA_KEY).unwrap(),
        };
        Self {
            _db: tdb,
            db,
            clock,
            app,
            sandbox,
            therapist,
            booking,
            package,
            start,
            history: Vec::new(),
            cancelled_timely: false,
            next_slot_day: 10,
        }
    }

    async fn records(&self, t: T) -> Vec<PaymentRecord> {
        let p = Payments(&self.db);
        match t {
            T::Booking => p.for_booking(self.booking).await.unwrap(),
            T::Package => p.for_package(self.package).await.unwrap(),
        }
    }

    /// The newest payment that reached the provider.
    async fn latest(&self, t: T) -> Option<PaymentRecord> {
        self.records(t)
            .await
            .into_iter()
            .find(|r| r.provider_payment_id.is_some())
    }

    async fn remember(&mut self) {
        for t in [T::Booking, T::Package] {
            for r in self.records(t).await {
                if let Some(pid) = &r.provider_payment_id {
                    let v = self.sandbox.get(pid).await.unwrap();
                    if !self.history.contains(&v) {
                        self.history.push(v);
                    }
                }
            }
        }
    }

    async fn run(&mut self, op: &Op) {
        let pay = self.app.payments.clone();
        match op {
            Op::Start(T::Booking) => {
                let _ = pay.start_for_booking(self.booking, "Session").await;
            }
            Op::Start(T::Package) => {
                let _ = pay.start_for_package(self.package, "Package").await;
            }
            Op::Pay(t) | Op::Decline(t) => {
                if let Some(pid) = self.latest(*t).await.and_then(|r| r.provider_payment_id) {
                    let _ = if matches!(op, Op::Pay(_)) {
                        self.sandbox.authorize(&pid).await
                    } else {
                        self.sandbox.decline(&pid).await
                    };
                }
            }
            Op::Notify(t) => {
                if let Some(pid) = self.latest(*t).await.and_then(|r| r.provider_payment_id) {
                    let _ = pay.sync(&pid).await;
                }
            }
            Op::NotifyAll(t) => {
                for r in self.records(*t).await {
                    if let Some(pid) = r.provider_payment_id {
                        let _ = pay.sync(&pid).await;
                    }
                }
            }
            Op::Stale(t, i) => {
                let Some(pid) = self.latest(*t).await.and_then(|r| r.provider_payment_id) else {
                    return;
                };
                let views: Vec<_> = self.history.iter().filter(|v| v.id == pid).cloned().collect();
                if views.is_empty() {
                    return;
                }
                let stale = service(
                    &self.db,
                    self.clock.clone(),
                    Arc::new(Stale {
                        view: views[i % views.len()].clone(),
                        inner: Sandbox::new(self.db.clone(), "http://127.0.0.1:8080"),
                    }),
                );
                let _ = stale.sync(&pid).await;
            }
            Op::Capture(t) => {
                if let Some(r) = self.latest(*t).await {
                    let _ = pay.capture(&r).await;
                }
            }
            Op::Return => {
                if let Some(r) = self.latest(T::Booking).await {
                    let _ = pay.return_money_and_sync(&r).await;
                }
            }
            Op::RefundPart(k) => {
                if let Some(r) = self.latest(T::Booking).await {
                    let _ = pay.refund_part(&r, Money::from_kopecks(*k).unwrap()).await;
                }
            }
            Op::Cancel { timely } => self.cancel(*timely).await,
            Op::ExpireJob => {
                let later = t0() + TimeDelta::minutes(16);
                self.clock.set(later);
                sessions::expire_unpaid(&self.app, later).await.unwrap();
                sessions::expire_unpaid_packages(&self.app, later).await.unwrap();
            }
            Op::ExpireOnly(T::Booking) => {
                let _ = Bookings(&self.db)
                    .transition(self.booking, BookingState::AwaitingPayment, BookingState::Expired, t0())
                    .await;
            }
            Op::ExpireOnly(T::Package) => {
                let mut tx = self.db.begin().await.unwrap();
                Packages::transition_in(
                    &mut tx,
                    self.package,
                    PackageState::AwaitingPayment,
                    PackageState::Expired,
                    t0(),
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }
            Op::UseCredit => {
                let day = self.next_slot_day;
                self.next_slot_day += 1;
                let s = seed::slot(
                    &self.db,
                    self.therapist,
                    SlotKind::Individual,
                    t0() + TimeDelta::days(day),
                    50,
                    1,
                    t0(),
                )
                .await;
                let _ = Packages(&self.db)
                    .book_with_credit(s, CLIENT, self.package, &[], t0())
                    .await;
            }
            Op::RefundUnused => self.refund_unused().await,
        }
    }

    /// As /mybookings' cancellation: the domain decides, the booking moves, the money follows.
    async fn cancel(&mut self, timely: bool) {
        let Some(b) = ClientBookings(&self.db).get(CLIENT, self.booking).await.unwrap() else {
            return;
        };
        let p = self.records(T::Booking).await.into_iter().next();
        let funding = match p.as_ref().map(|p| p.state) {
            Some(PaymentState::Held) => Funding::Held,
            Some(PaymentState::Captured) => Funding::Captured,
            _ => Funding::Unpaid,
        };
        let now = if timely {
            self.start - TimeDelta::hours(48)
        } else {
            self.start - TimeDelta::hours(1)
        };
        let Ok(outcome) = decide_cancellation(
            &CancellationRequest {
                booking: b.state,
                by: Canceller::Client,
                session_start: self.start,
                now,
                funding,
                force_majeure_accepted: false,
            },
            &DomainSettings::default(),
        ) else {
            return;
        };
        if outcome.repeated
            || !ClientBookings(&self.db)
                .cancel(CLIENT, self.booking, b.state, &outcome, &[], now)
                .await
                .unwrap()
        {
            return;
        }
        if timely {
            self.cancelled_timely = true;
        }
        let pay = self.app.payments.clone();
        if let Some(p) = p {
            let _ = match (outcome.money, p.state) {
                (MoneyAction::ReleaseHold | MoneyAction::Refund, _) => pay.return_money(&p).await.map(|_| ()),
                (MoneyAction::Nothing, PaymentState::Pending) => pay.cancel_pending(&p).await,
                // A late cancellation: the capture job captures the hold.
                (MoneyAction::CaptureHold, _) => pay.capture(&p).await.map(|_| ()),
                _ => Ok(()),
            };
            if let Some(pid) = p.provider_payment_id {
                let _ = pay.sync(&pid).await;
            }
        }
    }

    /// As the admin's "Refund unused credits": mark first, then refund what is owed.
    async fn refund_unused(&mut self) {
        let Some(k) = Packages(&self.db).get(self.package).await.unwrap() else {
            return;
        };
        let Some(p) = self
            .records(T::Package)
            .await
            .into_iter()
            .find(|p| matches!(p.state, PaymentState::Captured | PaymentState::PartiallyRefunded))
        else {
            return;
        };
        let mut after = k.package;
        if k.available() > 0 && after.refund_unused().is_ok() {
            let mut tx = self.db.begin().await.unwrap();
            let ok = Packages::mark_refunded_in(&mut tx, k.id, &k.package, &after, t0())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            if !ok {
                return;
            }
        }
        let owed = after.refunded_amount().saturating_sub(p.refunded);
        if !owed.is_zero() {
            let _ = self.app.payments.refund_part(&p, owed).await;
        }
    }

    /// What the provider's book says was taken: (gross captured, net kept, payments holding
    /// or keeping money).
    async fn taken(&self, t: T) -> (i64, i64, usize) {
        let (col, id) = match t {
            T::Booking => ("booking_id", self.booking),
            T::Package => ("package_id", self.package),
        };
        let sql = format!(
            "SELECT sp.status, sp.amount_kopecks, sp.refunded_kopecks FROM sandbox_payments sp
             JOIN payments p ON p.idempotence_key = sp.idempotence_key WHERE p.{col} = $1"
        );
        let rows: Vec<(String, i64, i64)> = match &self.db {
            Db::Sqlite(p) => sqlx::query_as(&sql).bind(id).fetch_all(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_as(&sql).bind(id).fetch_all(p).await.unwrap(),
        };
        let mut gross = 0;
        let mut net = 0;
        let mut holding = 0;
        for (status, amount, refunded) in rows {
            match status.as_str() {
                "succeeded" => {
                    gross += amount;
                    net += amount - refunded;
                    if amount > refunded {
                        holding += 1;
                    }
                }
                "waiting_for_capture" => holding += 1,
                _ => {}
            }
        }
        (gross, net, holding)
    }

    async fn check(&self) -> Result<(), TestCaseError> {
        let price = i64::from(PRICE_RUB) * 100;
        for (t, limit) in [(T::Booking, price), (T::Package, price * i64::from(SIZE))] {
            let (gross, net, holding) = self.taken(t).await;
            prop_assert!(gross <= limit, "{t:?}: captured {gross} > {limit}");
            prop_assert!(net <= limit, "{t:?}: kept {net} > {limit}");
            prop_assert!(holding <= 1, "{t:?}: money taken by {holding} payments");
            // Our records never claim more refunded than the provider did.
            for r in self.records(t).await {
                if let Some(pid) = &r.provider_payment_id {
                    let v = self.sandbox.get(pid).await.unwrap();
                    prop_assert!(r.refunded <= v.refunded, "{t:?}: {r:?} vs {v:?}");
                }
            }
        }
        Ok(())
    }

    /// Every payment re-read with the provider's current view (late notifications arrive).
    async fn settle(&mut self) {
        for t in [T::Booking, T::Package] {
            for _ in 0..2 {
                self.run(&Op::NotifyAll(t)).await;
            }
        }
    }

    async fn check_final(&self) -> Result<(), TestCaseError> {
        let b = Bookings(&self.db).get(self.booking).await.unwrap().unwrap();
        let (_, net, holding) = self.taken(T::Booking).await;
        if b.state == BookingState::Expired || self.cancelled_timely {
            prop_assert_eq!((net, holding), (0, 0), "booking {:?}: money kept", b.state);
        }
        let k = Packages(&self.db).get(self.package).await.unwrap().unwrap();
        let (_, net, holding) = self.taken(T::Package).await;
        match k.state {
            PackageState::Expired => prop_assert_eq!((net, holding), (0, 0), "expired package: money kept"),
            PackageState::Active => prop_assert_eq!(
                net,
                k.package.paid().kopecks() - k.package.refunded_amount().kopecks(),
                "active package: kept money differs from what is owed"
            ),
            PackageState::AwaitingPayment => prop_assert_eq!(net, 0, "unpaid package: money kept"),
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn r_pay_1_money_taken_never_exceeds_the_price_nor_is_taken_twice(ops in prop::collection::vec(op(), 4..30)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async {
            let mut w = World::new().await;
            // Both purchases get their payment link first; anything may follow.
            let start = [Op::Start(T::Booking), Op::Start(T::Package)];
            for op in start.iter().chain(&ops) {
                w.run(op).await;
                w.remember().await;
                w.check().await?;
            }
            w.settle().await;
            w.check().await?;
            w.check_final().await
        })?;
    }
}
