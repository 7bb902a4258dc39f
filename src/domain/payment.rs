//! The payment state machine: a two-stage card payment (hold, then capture) and its refunds
//! (R-PAY-1, R-CAN-2, R-CAN-3).
//!
//! ```text
//!          authorized            captured              refunded (part)      refunded (rest)
//! Pending ───────────> Held ───────────────> Captured ───────────────> PartiallyRefunded ──> Refunded
//!   │  \                 │ voided                │ refunded (all)                               ^
//!   │   \ captured       v                       └──────────────────────────────────────────────┘
//!   │    └──────────> Captured (one-stage payment)
//!   │ failed / voided
//!   v
//! Failed                Released
//! ```
//!
//! Events are facts reported by the payment provider (after re-fetching the payment). Repeated
//! and stale facts (a second "captured", an "authorized" arriving after the capture) are no-ops,
//! so money is never captured twice; impossible facts are [`PaymentError`]s. Refunds are
//! reported as the provider's cumulative refunded total, which makes duplicates harmless.

use serde::{Deserialize, Serialize};

use super::money::Money;

string_enum! {
    /// Where a payment is; stored as text.
    pub enum PaymentState {
        /// Created; the client has not paid yet.
        Pending => "pending",
        /// The amount is held (reserved) on the client's card.
        Held => "held",
        /// The money is taken.
        Captured => "captured",
        /// The hold was cancelled (by us or by the bank's lapse); no money moved.
        Released => "released",
        /// Part of the captured money was given back.
        PartiallyRefunded => "partially_refunded",
        /// All the captured money was given back.
        Refunded => "refunded",
        /// The payment did not go through.
        Failed => "failed",
    }
}

impl PaymentState {
    /// Whether no event can change it any more.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            PaymentState::Released | PaymentState::Refunded | PaymentState::Failed
        )
    }

    /// Whether money was captured at some point.
    #[must_use]
    pub const fn was_captured(self) -> bool {
        matches!(
            self,
            PaymentState::Captured | PaymentState::PartiallyRefunded | PaymentState::Refunded
        )
    }
}

/// A fact reported by the payment provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum PaymentEvent {
    /// The amount is held on the card (YooKassa: `waiting_for_capture`).
    Authorized,
    /// The money is taken (after a hold, or directly for a one-stage payment).
    Captured,
    /// The hold was cancelled or lapsed (YooKassa: `canceled` after `waiting_for_capture`). Before
    /// authorisation it means the payment failed.
    Voided,
    /// The payment was declined or abandoned.
    Failed,
    /// Refunds so far add up to `total` (the provider's cumulative refunded amount).
    Refunded {
        /// The cumulative refunded amount.
        total: Money,
    },
}

/// A fact that cannot happen in the payment's state (the provider and our records disagree; an
/// admin looks at it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The event is impossible in this state (e.g. capturing a released hold).
    #[error("payment {from}: {event:?} not allowed")]
    Forbidden {
        /// The state.
        from: PaymentState,
        /// The refused event.
        event: PaymentEvent,
    },
    /// More refunded than was captured, or stored parts that do not fit together.
    #[error("refunded {refunded} exceeds captured {captured}")]
    RefundExceedsCaptured {
        /// The payment's amount.
        captured: Money,
        /// The refunded total reported.
        refunded: Money,
    },
}

impl PaymentError {
    /// The Fluent message id (these are internal inconsistencies; the user sees a polite
    /// "something went wrong with the payment, an admin will look at it"):
    /// - `payment-error-forbidden`: the payment cannot do that in its current state;
    /// - `payment-error-refund-exceeds-captured`: a refund larger than the payment.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            PaymentError::Forbidden { .. } => "payment-error-forbidden",
            PaymentError::RefundExceedsCaptured { .. } => "payment-error-refund-exceeds-captured",
        }
    }
}

/// One payment: its amount, state and what has been refunded of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PaymentParts", into = "PaymentParts")]
pub struct Payment {
    amount: Money,
    state: PaymentState,
    refunded: Money,
}

/// The stored fields of a [`Payment`], checked by [`Payment::from_parts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentParts {
    /// The amount charged.
    pub amount: Money,
    /// The state.
    pub state: PaymentState,
    /// The cumulative refunded amount.
    pub refunded: Money,
}

impl TryFrom<PaymentParts> for Payment {
    type Error = PaymentError;

    fn try_from(parts: PaymentParts) -> Result<Self, Self::Error> {
        Payment::from_parts(parts)
    }
}

impl From<Payment> for PaymentParts {
    fn from(p: Payment) -> Self {
        PaymentParts {
            amount: p.amount,
            state: p.state,
            refunded: p.refunded,
        }
    }
}

/// The result of [`Payment::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentTransition {
    /// The state before.
    pub from: PaymentState,
    /// The payment after (equal to before for a no-op).
    pub payment: Payment,
    /// Whether anything changed (false: repeated or stale event, nothing to store or do).
    pub changed: bool,
}

/// How to give back the money of a payment (late money, R-PAY-1; a refund in full, R-CAN-2/3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action", content = "amount")]
pub enum ReturnMoney {
    /// Cancel the hold: nothing was taken.
    Release,
    /// Refund this much of the captured money (what has not been refunded yet).
    Refund(Money),
}

impl Payment {
    /// A new payment of `amount`, waiting for the client.
    #[must_use]
    pub const fn new(amount: Money) -> Self {
        Self {
            amount,
            state: PaymentState::Pending,
            refunded: Money::ZERO,
        }
    }

    /// A payment from stored fields.
    ///
    /// # Errors
    /// [`PaymentError::RefundExceedsCaptured`] when the refunded amount does not fit the state
    /// and amount (more than the amount; anything refunded before capture; `Refunded` without the
    /// whole amount; `PartiallyRefunded` without a part).
    pub fn from_parts(parts: PaymentParts) -> Result<Self, PaymentError> {
        let PaymentParts {
            amount,
            state,
            refunded,
        } = parts;
        let fits = refunded <= amount
            && match state {
                PaymentState::Refunded => refunded == amount,
                PaymentState::PartiallyRefunded => !refunded.is_zero() && refunded < amount,
                _ => refunded.is_zero(),
            };
        if fits {
            Ok(Self {
                amount,
                state,
                refunded,
            })
        } else {
            Err(PaymentError::RefundExceedsCaptured {
                captured: amount,
                refunded,
            })
        }
    }

    /// The amount charged.
    #[must_use]
    pub const fn amount(&self) -> Money {
        self.amount
    }

    /// The state.
    #[must_use]
    pub const fn state(&self) -> PaymentState {
        self.state
    }

    /// The cumulative refunded amount.
    #[must_use]
    pub const fn refunded(&self) -> Money {
        self.refunded
    }

    /// What can still be refunded (captured and not yet refunded).
    #[must_use]
    pub fn refundable(&self) -> Money {
        if self.state.was_captured() {
            self.amount.saturating_sub(self.refunded)
        } else {
            Money::ZERO
        }
    }

    /// How to give this payment's money back: release a hold, refund what was captured and not
    /// yet refunded, or `None` when there is nothing to give back. Used for late money after
    /// expiry (R-PAY-1) and for refunds in full (R-CAN-2, R-CAN-3): a cancellation after capture
    /// is a refund, not a release.
    #[must_use]
    pub fn return_action(&self) -> Option<ReturnMoney> {
        match self.state {
            PaymentState::Held => Some(ReturnMoney::Release),
            PaymentState::Captured | PaymentState::PartiallyRefunded => {
                let rest = self.refundable();
                (!rest.is_zero()).then_some(ReturnMoney::Refund(rest))
            }
            _ => None,
        }
    }

    /// Applies a provider fact (see the module docs).
    ///
    /// # Errors
    /// [`PaymentError::Forbidden`] for an impossible fact, [`PaymentError::RefundExceedsCaptured`]
    /// for a refunded total above the amount; `self` is unchanged.
    pub fn apply(&self, event: PaymentEvent) -> Result<PaymentTransition, PaymentError> {
        use PaymentEvent as E;
        use PaymentState as S;
        let from = self.state;
        let forbidden = Err(PaymentError::Forbidden { from, event });
        let next = |state: S, refunded: Money| {
            let payment = Payment {
                amount: self.amount,
                state,
                refunded,
            };
            Ok(PaymentTransition {
                from,
                payment,
                changed: payment != *self,
            })
        };
        let same = next(from, self.refunded);
        match (from, event) {
            (S::Pending, E::Authorized) => next(S::Held, Money::ZERO),
            (S::Pending | S::Held, E::Captured) => next(S::Captured, Money::ZERO),
            (S::Pending, E::Failed | E::Voided) => next(S::Failed, Money::ZERO),
            (S::Held, E::Voided) => next(S::Released, Money::ZERO),
            // Repeated or stale facts.
            (S::Held | S::Captured | S::PartiallyRefunded | S::Refunded | S::Released, E::Authorized)
            | (S::Captured | S::PartiallyRefunded | S::Refunded, E::Captured)
            | (S::Released | S::Failed, E::Voided | E::Failed) => same,
            // Refunds, by cumulative total.
            (S::Captured | S::PartiallyRefunded | S::Refunded, E::Refunded { total }) => {
                if total > self.amount {
                    Err(PaymentError::RefundExceedsCaptured {
                        captured: self.amount,
                        refunded: total,
                    })
                } else if total <= self.refunded {
                    // A duplicate or an older notification.
                    same
                } else if total == self.amount {
                    next(S::Refunded, total)
                } else {
                    next(S::PartiallyRefunded, total)
                }
            }
            (S::Pending | S::Held | S::Released | S::Failed, E::Refunded { .. })
            | (S::Held, E::Failed)
            | (S::Captured | S::PartiallyRefunded | S::Refunded, E::Voided | E::Failed)
            | (S::Released | S::Failed, E::Captured)
            | (S::Failed, E::Authorized) => forbidden,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    use PaymentEvent as E;
    use PaymentState as S;

    fn rub(r: u32) -> Money {
        Money::rubles(r)
    }

    fn run(p: Payment, events: &[PaymentEvent]) -> Payment {
        events.iter().fold(p, |p, e| p.apply(*e).unwrap().payment)
    }

    #[test]
    fn r_pay_1_hold_then_capture() {
        let p = Payment::new(rub(2500));
        let t = p.apply(E::Authorized).unwrap();
        assert!(t.changed);
        assert_eq!(t.payment.state(), S::Held);
        let t = t.payment.apply(E::Captured).unwrap();
        assert_eq!(t.payment.state(), S::Captured);
        // A second capture notification is a no-op: money is never captured twice.
        let again = t.payment.apply(E::Captured).unwrap();
        assert!(!again.changed);
        // A stale "authorized" after capture too.
        assert!(!t.payment.apply(E::Authorized).unwrap().changed);
    }

    #[test]
    fn r_can_2_release_before_capture_refund_after() {
        let held = run(Payment::new(rub(2500)), &[E::Authorized]);
        assert_eq!(held.return_action(), Some(ReturnMoney::Release));
        let released = run(held, &[E::Voided]);
        assert_eq!(released.state(), S::Released);
        assert_eq!(released.return_action(), None);
        assert!(!released.apply(E::Voided).unwrap().changed);
        // After capture a cancellation is a refund, not a release.
        let captured = run(held, &[E::Captured]);
        assert_eq!(captured.return_action(), Some(ReturnMoney::Refund(rub(2500))));
        assert_eq!(
            captured.apply(E::Voided),
            Err(PaymentError::Forbidden {
                from: S::Captured,
                event: E::Voided
            })
        );
    }

    #[test]
    fn refunds_by_cumulative_total() {
        let captured = run(Payment::new(rub(2500)), &[E::Captured]);
        let part = captured.apply(E::Refunded { total: rub(1000) }).unwrap().payment;
        assert_eq!(part.state(), S::PartiallyRefunded);
        assert_eq!(part.refundable(), rub(1500));
        assert_eq!(part.return_action(), Some(ReturnMoney::Refund(rub(1500))));
        // Duplicate and stale notifications.
        assert!(!part.apply(E::Refunded { total: rub(1000) }).unwrap().changed);
        assert!(!part.apply(E::Refunded { total: rub(500) }).unwrap().changed);
        let full = part.apply(E::Refunded { total: rub(2500) }).unwrap().payment;
        assert_eq!(full.state(), S::Refunded);
        assert_eq!(full.return_action(), None);
        assert_eq!(
            full.apply(E::Refunded { total: rub(2501) }),
            Err(PaymentError::RefundExceedsCaptured {
                captured: rub(2500),
                refunded: rub(2501)
            })
        );
        assert!(!captured.apply(E::Refunded { total: Money::ZERO }).unwrap().changed);
        // Straight to full.
        let full = captured.apply(E::Refunded { total: rub(2500) }).unwrap().payment;
        assert_eq!(full.state(), S::Refunded);
    }

    #[test]
    fn failures_and_forbidden_facts() {
        let p = Payment::new(rub(2500));
        assert_eq!(p.apply(E::Failed).unwrap().payment.state(), S::Failed);
        assert_eq!(p.apply(E::Voided).unwrap().payment.state(), S::Failed);
        assert_eq!(p.apply(E::Captured).unwrap().payment.state(), S::Captured);
        assert!(p.apply(E::Refunded { total: rub(1) }).is_err());
        let failed = run(p, &[E::Failed]);
        assert!(failed.apply(E::Authorized).is_err());
        assert!(failed.apply(E::Captured).is_err());
        assert!(!failed.apply(E::Failed).unwrap().changed);
        let released = run(p, &[E::Authorized, E::Voided]);
        assert!(released.apply(E::Captured).is_err());
        let held = run(p, &[E::Authorized]);
        assert!(held.apply(E::Failed).is_err());
    }

    #[test]
    fn from_parts_checks_consistency() {
        let ok = PaymentParts {
            amount: rub(100),
            state: S::PartiallyRefunded,
            refunded: rub(40),
        };
        assert_eq!(Payment::from_parts(ok).map(PaymentParts::from), Ok(ok));
        for bad in [
            PaymentParts {
                refunded: rub(101),
                ..ok
            },
            PaymentParts {
                refunded: rub(100),
                ..ok
            },
            PaymentParts {
                refunded: Money::ZERO,
                ..ok
            },
            PaymentParts {
                state: S::Refunded,
                ..ok
            },
            PaymentParts { state: S::Held, ..ok },
        ] {
            assert!(Payment::from_parts(bad).is_err(), "{bad:?}");
        }
        let json = serde_json::to_string(&Payment::from_parts(ok).unwrap()).unwrap();
        assert_eq!(json, r#"{"amount":10000,"state":"partially_refunded","refunded":4000}"#);
        assert!(serde_json::from_str::<Payment>(r#"{"amount":10000,"state":"held","refunded":4000}"#).is_err());
    }

    #[test]
    fn states_as_text_and_error_keys() {
        for s in S::ALL {
            assert_eq!(S::from_str(s.as_str()), Ok(*s));
        }
        assert_eq!(S::PartiallyRefunded.as_str(), "partially_refunded");
        let e = PaymentError::Forbidden {
            from: S::Failed,
            event: E::Captured,
        };
        assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
        let e = PaymentError::RefundExceedsCaptured {
            captured: rub(1),
            refunded: rub(2),
        };
        assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
    }

    fn arb_event() -> impl Strategy<Value = PaymentEvent> {
        prop_oneof![
            Just(E::Authorized),
            Just(E::Captured),
            Just(E::Voided),
            Just(E::Failed),
            (0i64..=300_000).prop_map(|k| E::Refunded {
                total: Money::from_kopecks(k).unwrap()
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        // No sequence of events captures money twice, refunds more than was captured, or
        // moves a payment out of a final state.
        #[test]
        fn never_captures_twice_nor_over_refunds(
            amount in 0i64..=250_000,
            events in prop::collection::vec(arb_event(), 0..24),
        ) {
            let mut p = Payment::new(Money::from_kopecks(amount).unwrap());
            let mut captures = 0;
            let mut final_state: Option<PaymentState> = None;
            for event in events {
                let before = p;
                if let Ok(t) = p.apply(event) {
                    if t.changed && t.payment.state() == S::Captured {
                        captures += 1;
                    }
                    prop_assert_eq!(t.from, before.state());
                    p = t.payment;
                } else {
                    prop_assert_eq!(p, before);
                }
                prop_assert!(captures <= 1);
                prop_assert!(p.refunded() <= p.amount());
                prop_assert!(p.refunded() >= before.refunded());
                prop_assert_eq!(Payment::from_parts(p.into()), Ok(p));
                if let Some(f) = final_state {
                    prop_assert_eq!(p.state(), f);
                } else if p.state().is_final() {
                    final_state = Some(p.state());
                }
                if before.state().was_captured() {
                    prop_assert!(p.state().was_captured());
                }
            }
        }
    }
}
