//! Our side of payments: creating the payment for a booking, taking the provider's word for
//! what happened (re-fetched, never the notification's body), moving our payment and booking
//! in one transaction with the notifications it causes, and returning late money. The domain
//! decides every transition (`Payment::apply`, `BookingState::apply`); this module only acts
//! on its answers.

use std::sync::Arc;

use super::provider::{NewPayment, PaymentProvider, ProviderError, ProviderPayment};
use crate::domain::{
    BookingEffect, BookingEvent, BookingState, Clock, Payment, PaymentParts, PaymentState, ReturnMoney,
};
use crate::store::bookings::{BookingDetails, Bookings};
use crate::store::client_booking::PriceLocks;
use crate::store::outbox::{Outbox, OutboxMessage};
use crate::store::packages::{PackageRecord, PackageState, Packages};
use crate::store::pay_messages::{PayMessages, PayOwner};
use crate::store::payments::{PaymentRecord, Payments};
use crate::store::{Db, StoreError};

/// The words of the notifications payments cause, in the recipients' languages (the bot
/// implements it from the locales).
pub trait PaymentNotices: Send + Sync {
    /// The booking is paid (held): tell the therapist and the client.
    fn booking_paid(&self, booking: &BookingDetails) -> Vec<OutboxMessage>;
    /// R-PAY-1: the final text of the client's payment-link message(s) once paid (no button).
    fn pay_message_paid(&self, booking: &BookingDetails) -> String;
    /// Money arrived for a booking that had expired or was cancelled, and went back:
    /// `released` when it was a hold (never taken), else refunded.
    fn late_money_returned(&self, booking: &BookingDetails, released: bool) -> Vec<OutboxMessage>;
    /// The package is paid (captured): its credits are active; tell the client (R-PAY-1).
    fn package_paid(&self, package: &PackageRecord) -> Vec<OutboxMessage>;
    /// R-PAY-1: the final text of the client's package payment-link message(s) once paid.
    fn package_pay_message_paid(&self, package: &PackageRecord) -> String;
    /// Money arrived for a package that had expired, and went back.
    fn package_late_money_returned(&self, package: &PackageRecord) -> Vec<OutboxMessage>;
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentFailure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error("no such payment or booking")]
    NotFound,
    /// The booking cannot be paid now (not awaiting payment).
    #[error("the booking is {0} and cannot be paid")]
    NotPayable(BookingState),
    /// The package is not awaiting payment.
    #[error("the package cannot be paid")]
    PackageNotPayable,
    /// Our records and the provider's disagree; an admin looks at it.
    /// A refund of more than is left to refund (or of nothing).
    #[error("at most {} kopecks can be refunded", .0.kopecks())]
    TooMuch(crate::domain::Money),
    #[error("records disagree: {0}")]
    Inconsistent(String),
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOutcome {
    /// What the provider says now.
    pub provider_status: super::provider::ProviderStatus,
    pub state: PaymentState,
    pub changed: bool,
    pub booking_confirmed: bool,
    /// A package's payment was captured and its credits became active (R-PAY-1).
    pub package_activated: bool,
    pub money_returned: bool,
    /// A package's payment is held and is to be captured at once (R-PAY-1: paid up front).
    capture_package: bool,
}

pub struct PaymentService {
    pub db: Db,
    pub provider: Arc<dyn PaymentProvider>,
    pub clock: Arc<dyn Clock>,
    pub notices: Arc<dyn PaymentNotices>,
    /// Where the payment page sends the client afterwards (the bot's t.me link).
    pub return_url: String,
    /// The numbers of the rules (the price lock's length, R-PRICE-3).
    pub settings: crate::domain::DomainSettings,
}

impl PaymentService {
    /// The payment for a booking awaiting payment: the live one if it exists (a second tap
    /// gets the same link), else a new one. The idempotence key is stored before the
    /// provider is called, so a retry after a crash gets the same provider payment.
    pub async fn start_for_booking(&self, booking_id: i64, description: &str) -> Result<PaymentRecord, PaymentFailure> {
        let booking = Bookings(&self.db)
            .get(booking_id)
            .await?
            .ok_or(PaymentFailure::NotFound)?;
        if booking.state != BookingState::AwaitingPayment {
            return Err(PaymentFailure::NotPayable(booking.state));
        }
        let payments = Payments(&self.db);
        let existing = payments
            .for_booking(booking_id)
            .await?
            .into_iter()
            .find(|p| p.state == PaymentState::Pending);
        let record = match existing {
            Some(p) if p.confirmation_url.is_some() => return Ok(p),
            Some(p) => p,
            None => match payments
                .create_for_booking(booking_id, self.provider.name(), booking.price, self.clock.now())
                .await
            {
                Ok(p) => p,
                // Two taps at once: the other one created it.
                Err(StoreError::Db(_)) => payments
                    .for_booking(booking_id)
                    .await?
                    .into_iter()
                    .find(|p| p.state == PaymentState::Pending)
                    .ok_or(PaymentFailure::NotFound)?,
                Err(e) => return Err(e.into()),
            },
        };
        self.register(record, description, "booking_id", booking_id).await
    }

    /// The payment for a package awaiting payment (R-PAY-1), as [`Self::start_for_booking`]:
    /// the live one again on a second tap, else a new one with the package's id in the
    /// provider's metadata.
    pub async fn start_for_package(&self, package_id: i64, description: &str) -> Result<PaymentRecord, PaymentFailure> {
        let pkg = Packages(&self.db)
            .get(package_id)
            .await?
            .ok_or(PaymentFailure::NotFound)?;
        if pkg.state != PackageState::AwaitingPayment {
            return Err(PaymentFailure::PackageNotPayable);
        }
        let payments = Payments(&self.db);
        let pending = |list: Vec<PaymentRecord>| list.into_iter().find(|p| p.state == PaymentState::Pending);
        let record = match pending(payments.for_package(package_id).await?) {
            Some(p) if p.confirmation_url.is_some() => return Ok(p),
            Some(p) => p,
            None => match payments
                .create_for_package(package_id, self.provider.name(), pkg.package.paid(), self.clock.now())
                .await
            {
                Ok(p) => p,
                // Two taps at once: the other one created it.
                Err(StoreError::Db(_)) => {
                    pending(payments.for_package(package_id).await?).ok_or(PaymentFailure::NotFound)?
                }
                Err(e) => return Err(e.into()),
            },
        };
        self.register(record, description, "package_id", package_id).await
    }

    /// Creates our pending payment at the provider (under its stored idempotence key, with
    /// what it pays for in the metadata) and records the provider's id and payment link.
    async fn register(
        &self,
        record: PaymentRecord,
        description: &str,
        owner_key: &str,
        owner_id: i64,
    ) -> Result<PaymentRecord, PaymentFailure> {
        let created = self
            .provider
            .create(&NewPayment {
                amount: record.amount,
                description: description.to_owned(),
                metadata: vec![
                    (owner_key.into(), owner_id.to_string()),
                    ("payment_id".into(), record.id.to_string()),
                ],
                idempotence_key: record.idempotence_key.clone(),
                return_url: self.return_url.clone(),
            })
            .await?;
        let payments = Payments(&self.db);
        payments
            .set_provider_ref(
                record.id,
                &created.id,
                created.confirmation_url.as_deref(),
                self.clock.now(),
            )
            .await?;
        payments.get(record.id).await?.ok_or(PaymentFailure::NotFound)
    }

    /// Re-fetches the payment from the provider and brings our records in line: payment state
    /// and history, the booking (confirmed when the money is secured), the notifications; late
    /// money for a booking that is no longer live is released or refunded at once.
    pub async fn sync(&self, provider_payment_id: &str) -> Result<SyncOutcome, PaymentFailure> {
        let mut outcome = self.sync_once(provider_payment_id).await?;
        if outcome.capture_package {
            // R-PAY-1: a package is paid up front: its hold is captured at once (the capture's
            // own sync activates the package).
            let record = Payments(&self.db)
                .by_provider_id(self.provider.name(), provider_payment_id)
                .await?
                .ok_or(PaymentFailure::NotFound)?;
            let after = self.capture(&record).await?;
            outcome.state = after.state;
            outcome.provider_status = after.provider_status;
            outcome.package_activated = after.package_activated;
            outcome.money_returned |= after.money_returned;
            outcome.capture_package = false;
            if !after.money_returned {
                return Ok(outcome);
            }
        }
        if outcome.money_returned {
            // The provider now says released/refunded: record that too.
            let after = self.sync_once(provider_payment_id).await?;
            outcome.state = after.state;
            outcome.provider_status = after.provider_status;
        }
        Ok(outcome)
    }

    async fn sync_once(&self, provider_payment_id: &str) -> Result<SyncOutcome, PaymentFailure> {
        let seen = self.provider.get(provider_payment_id).await?;
        let payments = Payments(&self.db);
        let record = payments
            .by_provider_id(self.provider.name(), provider_payment_id)
            .await?
            .ok_or(PaymentFailure::NotFound)?;
        let (next, events) = advance(&record, &seen)?;
        let mut outcome = SyncOutcome {
            provider_status: seen.status,
            state: record.state,
            changed: false,
            booking_confirmed: false,
            package_activated: false,
            money_returned: false,
            capture_package: false,
        };
        if next.state() == record.state && next.refunded() == record.refunded && seen.foreign == record.foreign {
            return Ok(outcome);
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let moved = Payments::transition_in(
            &mut tx,
            record.id,
            record.state,
            next.state(),
            next.refunded(),
            seen.foreign,
            &events,
            now,
        )
        .await?;
        if !moved {
            // Someone else applied it first.
            return Ok(outcome);
        }
        outcome.state = next.state();
        outcome.changed = true;
        let secured = record.state == PaymentState::Pending
            && matches!(next.state(), PaymentState::Held | PaymentState::Captured);
        let mut late = None;
        if let (true, Some(booking_id)) = (secured, record.booking_id) {
            let details = Bookings(&self.db)
                .details(booking_id)
                .await?
                .ok_or(PaymentFailure::NotFound)?;
            let t = details
                .state
                .apply(BookingEvent::PaymentSecured)
                .map_err(|e| PaymentFailure::Inconsistent(e.to_string()))?;
            if t.changed && Bookings::transition_in(&mut tx, booking_id, t.from, t.to, now).await? {
                outcome.booking_confirmed = true;
                // R-PRICE-3: the first confirmed booking starts the client's price lock.
                // (The lock length is the product default, 365 days: the service has no settings.)
                PriceLocks::on_confirmed_in(&mut tx, booking_id, &self.settings).await?;
                for m in self.notices.booking_paid(&details) {
                    Outbox::enqueue_in(&mut tx, &m, now).await?;
                }
                // R-PAY-1: the pay-link message no longer asks for payment.
                let text = self.notices.pay_message_paid(&details);
                PayMessages::close_in(&mut tx, booking_id, &text, now).await?;
            } else if t.effect == BookingEffect::ReturnLateMoney {
                late = Some(details);
            }
        }
        let mut late_package = None;
        if let Some(package_id) = record.package_id {
            let pkg = Packages(&self.db)
                .get(package_id)
                .await?
                .ok_or(PaymentFailure::NotFound)?;
            let paid_now = next.state() == PaymentState::Captured
                && matches!(record.state, PaymentState::Pending | PaymentState::Held);
            let held_now = next.state() == PaymentState::Held && record.state == PaymentState::Pending;
            match pkg.state {
                PackageState::AwaitingPayment if paid_now => {
                    if Packages::transition_in(
                        &mut tx,
                        package_id,
                        PackageState::AwaitingPayment,
                        PackageState::Active,
                        now,
                    )
                    .await?
                    {
                        outcome.package_activated = true;
                        for m in self.notices.package_paid(&pkg) {
                            Outbox::enqueue_in(&mut tx, &m, now).await?;
                        }
                        // R-PAY-1: the package's pay-link message no longer asks for payment.
                        let text = self.notices.package_pay_message_paid(&pkg);
                        PayMessages::close_owner_in(&mut tx, PayOwner::Package(package_id), &text, now).await?;
                    } else {
                        late_package = Some(pkg);
                    }
                }
                PackageState::AwaitingPayment if held_now => outcome.capture_package = true,
                // Money for a package that expired unpaid goes back (as for a booking).
                PackageState::Expired if paid_now || held_now => late_package = Some(pkg),
                _ => {}
            }
        }
        tx.commit().await?;
        if let Some(pkg) = late_package {
            let updated = Payments(&self.db)
                .get(record.id)
                .await?
                .ok_or(PaymentFailure::NotFound)?;
            self.return_money(&updated).await?;
            outcome.money_returned = true;
            let mut tx = self.db.begin().await?;
            for m in self.notices.package_late_money_returned(&pkg) {
                Outbox::enqueue_in(&mut tx, &m.dedupe(format!("late-money:payment:{}", record.id)), now).await?;
            }
            tx.commit().await?;
        }
        if let Some(details) = late {
            let updated = Payments(&self.db)
                .get(record.id)
                .await?
                .ok_or(PaymentFailure::NotFound)?;
            self.return_money(&updated).await?;
            outcome.money_returned = true;
            let released = updated.state == PaymentState::Held;
            let mut tx = self.db.begin().await?;
            for m in self.notices.late_money_returned(&details, released) {
                Outbox::enqueue_in(&mut tx, &m.dedupe(format!("late-money:payment:{}", record.id)), now).await?;
            }
            tx.commit().await?;
        }
        Ok(outcome)
    }

    /// Gives the payment's money back as the domain says: a hold is released, captured money
    /// refunded (what is left of it). Returns the provider's view after.
    pub async fn return_money(&self, record: &PaymentRecord) -> Result<Option<ProviderPayment>, PaymentFailure> {
        let payment = domain_payment(record)?;
        let Some(pid) = record.provider_payment_id.as_deref() else {
            return Ok(None);
        };
        let payments = Payments(&self.db);
        let now = self.clock.now();
        let seen = match payment.return_action() {
            None => return Ok(None),
            Some(ReturnMoney::Release) => {
                let key = payments
                    .operation_key(record.id, "cancel", crate::domain::Money::ZERO, now)
                    .await?;
                let seen = self.provider.cancel(pid, &key).await?;
                payments.operation_done(&key, now).await?;
                seen
            }
            Some(ReturnMoney::Refund(amount)) => {
                let key = payments.operation_key(record.id, "refund", amount, now).await?;
                let seen = self.provider.refund(pid, amount, &key).await?;
                payments.operation_done(&key, now).await?;
                seen
            }
        };
        Ok(Some(seen))
    }

    /// Gives the money of a booking's live payment back (a hold released, captured money
    /// refunded, a pending link cancelled) and records what the provider then says. Returns
    /// `false` when there was nothing to give back.
    pub async fn give_back_for_booking(&self, booking_id: i64) -> Result<bool, PaymentFailure> {
        let mut any = false;
        for record in Payments(&self.db).for_booking(booking_id).await? {
            match record.state {
                PaymentState::Pending => {
                    self.cancel_pending(&record).await?;
                    any = true;
                }
                PaymentState::Held | PaymentState::Captured | PaymentState::PartiallyRefunded => {
                    any |= self.return_money_and_sync(&record).await?;
                }
                _ => {}
            }
        }
        Ok(any)
    }

    /// Refunds `amount` of a captured payment (an admin's partial refund): at most what is
    /// left to refund; keyed before the provider call (a retry repeats under the same key), and
    /// our record brought up to date from the provider afterwards.
    pub async fn refund_part(
        &self,
        record: &PaymentRecord,
        amount: crate::domain::Money,
    ) -> Result<SyncOutcome, PaymentFailure> {
        let refundable = domain_payment(record)?.refundable();
        if amount.is_zero() || amount > refundable {
            return Err(PaymentFailure::TooMuch(refundable));
        }
        let pid = record.provider_payment_id.as_deref().ok_or(PaymentFailure::NotFound)?;
        let now = self.clock.now();
        let payments = Payments(&self.db);
        let key = payments.operation_key(record.id, "refund", amount, now).await?;
        self.provider.refund(pid, amount, &key).await?;
        payments.operation_done(&key, now).await?;
        self.sync_once(pid).await
    }

    /// Gives all of a payment's money back ([`Self::return_money`]) and records the result.
    pub async fn return_money_and_sync(&self, record: &PaymentRecord) -> Result<bool, PaymentFailure> {
        let Some(seen) = self.return_money(record).await? else {
            return Ok(false);
        };
        self.sync_once(&seen.id).await?;
        Ok(true)
    }

    /// Cancels a payment nobody paid (the booking expired): the link stops working.
    pub async fn cancel_pending(&self, record: &PaymentRecord) -> Result<(), PaymentFailure> {
        let Some(pid) = record.provider_payment_id.as_deref() else {
            return Ok(());
        };
        let now = self.clock.now();
        let key = Payments(&self.db)
            .operation_key(record.id, "cancel", crate::domain::Money::ZERO, now)
            .await?;
        self.provider.cancel(pid, &key).await?;
        Payments(&self.db).operation_done(&key, now).await?;
        self.sync_once(pid).await?;
        Ok(())
    }

    /// Captures a held payment in full (the jobs call it when the domain says it is due).
    pub async fn capture(&self, record: &PaymentRecord) -> Result<SyncOutcome, PaymentFailure> {
        let pid = record.provider_payment_id.as_deref().ok_or(PaymentFailure::NotFound)?;
        if record.state != PaymentState::Held {
            return Err(PaymentFailure::Inconsistent(format!(
                "capture of a {} payment",
                record.state
            )));
        }
        let now = self.clock.now();
        let key = Payments(&self.db)
            .operation_key(record.id, "capture", record.amount, now)
            .await?;
        self.provider.capture(pid, record.amount, &key).await?;
        Payments(&self.db).operation_done(&key, now).await?;
        self.sync_once(pid).await
    }
}

fn domain_payment(record: &PaymentRecord) -> Result<Payment, PaymentFailure> {
    Payment::from_parts(PaymentParts {
        amount: record.amount,
        state: record.state,
        refunded: record.refunded,
    })
    .map_err(|e| PaymentFailure::Inconsistent(e.to_string()))
}

/// Applies the provider's facts to our payment; returns the new payment and the events'
/// names for the history. The amount must match ours.
fn advance(record: &PaymentRecord, seen: &ProviderPayment) -> Result<(Payment, String), PaymentFailure> {
    if seen.amount != record.amount {
        return Err(PaymentFailure::Inconsistent(format!(
            "payment {}: the provider says {} kopecks, we say {}",
            record.id,
            seen.amount.kopecks(),
            record.amount.kopecks()
        )));
    }
    let mut payment = domain_payment(record)?;
    let mut names = Vec::new();
    for fact in seen.facts() {
        let t = payment
            .apply(fact)
            .map_err(|e| PaymentFailure::Inconsistent(e.to_string()))?;
        if t.changed {
            names.push(format!("{fact:?}").to_lowercase());
        }
        payment = t.payment;
    }
    Ok((payment, names.join(",")))
}
