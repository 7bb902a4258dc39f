//! The booking state machine (R-PAY-1, R-CAN-1..4, R-SES-1).
//!
//! ```text
//!                  payment secured               session held
//! AwaitingPayment ────────────────> Confirmed ───────────────> Completed
//!   │       │                        │     │   client absent
//!   │       │ window elapsed         │     └─────────────────> NoShow
//!   │       └──────────> Expired     │
//!   │ cancel(by)                     │ cancel(by)
//!   └──────────────> CancelledByClient / CancelledByTherapist / CancelledByAdmin
//! ```
//!
//! Final states never change. A repeated event (the same cancel twice, a second "paid") is a
//! no-op, never an error; an event that makes no sense in a state is a [`BookingError`]. Money
//! that arrives for an expired or cancelled booking is returned ([`BookingEffect::ReturnLateMoney`]
//! — release if held, refund if captured, see `Payment::return_action`).

use serde::{Deserialize, Serialize};

use super::cancellation::Canceller;

string_enum! {
    /// Where a booking is; stored as text.
    pub enum BookingState {
        /// Created, the slot is reserved, waiting at most `payment_wait` for payment (R-PAY-1).
        AwaitingPayment => "awaiting_payment",
        /// Paid (held, captured, a package credit or a free session).
        Confirmed => "confirmed",
        /// Cancelled by the client (R-CAN-2).
        CancelledByClient => "cancelled_by_client",
        /// Cancelled by the therapist (R-CAN-3).
        CancelledByTherapist => "cancelled_by_therapist",
        /// Cancelled by an admin.
        CancelledByAdmin => "cancelled_by_admin",
        /// Not paid in time; the slot is free again (R-PAY-1).
        Expired => "expired",
        /// The session took place.
        Completed => "completed",
        /// The client did not come; charged like a late cancellation (R-CAN-2).
        NoShow => "no_show",
    }
}

/// Something that happens to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event", content = "by")]
pub enum BookingEvent {
    /// The booking's money is secured: a hold placed, a payment captured, a package credit or a
    /// free session applied. Feed it only when money newly arrived (the payment's own transition
    /// changed it), so that a duplicate provider notification is not mistaken for late money.
    PaymentSecured,
    /// The payment wait is over (the expiry job). Harmless in every state but
    /// `AwaitingPayment`, where it expires the booking.
    PaymentWindowElapsed,
    /// Someone cancels (or moves, R-CAN-4) the booking.
    Cancel(Canceller),
    /// The session took place.
    SessionHeld,
    /// The client did not come.
    ClientNoShow,
}

string_enum! {
    /// What the caller must do besides storing the new state.
    pub enum BookingEffect {
        /// Nothing more.
        None => "none",
        /// The slot (or the group seat) is free again.
        FreeSlot => "free_slot",
        /// Money arrived for a booking that is expired or cancelled: give it back (release the
        /// hold, or refund if it was captured).
        ReturnLateMoney => "return_late_money",
    }
}

/// The result of applying an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingTransition {
    /// The state before.
    pub from: BookingState,
    /// The state after (equal to `from` for a no-op).
    pub to: BookingState,
    /// Whether the state changed (false: a repeated or harmless event, nothing to store).
    pub changed: bool,
    /// What else to do.
    pub effect: BookingEffect,
}

/// An event that is not allowed in the booking's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    /// The booking is not paid yet (e.g. a session cannot be held before payment).
    #[error("booking awaiting payment: {event:?} not allowed")]
    NotConfirmed {
        /// The refused event.
        event: BookingEvent,
    },
    /// The booking expired unpaid.
    #[error("booking expired: {event:?} not allowed")]
    Expired {
        /// The refused event.
        event: BookingEvent,
    },
    /// The booking was cancelled.
    #[error("booking {state}: {event:?} not allowed")]
    Cancelled {
        /// Which cancellation.
        state: BookingState,
        /// The refused event.
        event: BookingEvent,
    },
    /// The session is over (completed or no-show).
    #[error("booking {state}: {event:?} not allowed")]
    Finished {
        /// Completed or no-show.
        state: BookingState,
        /// The refused event.
        event: BookingEvent,
    },
}

impl BookingError {
    /// The Fluent message id:
    /// - `booking-error-not-confirmed`: the booking is not paid yet;
    /// - `booking-error-expired`: the booking expired because it was not paid in time;
    /// - `booking-error-cancelled`: the booking has already been cancelled;
    /// - `booking-error-finished`: the session is already over.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            BookingError::NotConfirmed { .. } => "booking-error-not-confirmed",
            BookingError::Expired { .. } => "booking-error-expired",
            BookingError::Cancelled { .. } => "booking-error-cancelled",
            BookingError::Finished { .. } => "booking-error-finished",
        }
    }
}

impl BookingState {
    /// Whether nothing can change this booking any more.
    #[must_use]
    pub const fn is_final(self) -> bool {
        !matches!(self, BookingState::AwaitingPayment | BookingState::Confirmed)
    }

    /// Whether the booking occupies its slot (or group seat): the live ones and those whose
    /// session took place. Expired and cancelled bookings free it. This is the predicate of the
    /// store's "one live booking per individual slot" index.
    #[must_use]
    pub const fn holds_slot(self) -> bool {
        matches!(
            self,
            BookingState::AwaitingPayment | BookingState::Confirmed | BookingState::Completed | BookingState::NoShow
        )
    }

    /// Whether this is one of the cancelled states.
    #[must_use]
    pub const fn is_cancelled(self) -> bool {
        matches!(
            self,
            BookingState::CancelledByClient | BookingState::CancelledByTherapist | BookingState::CancelledByAdmin
        )
    }

    /// The cancelled state for a canceller.
    #[must_use]
    pub const fn cancelled_by(by: Canceller) -> BookingState {
        match by {
            Canceller::Client => BookingState::CancelledByClient,
            Canceller::Therapist => BookingState::CancelledByTherapist,
            Canceller::Admin => BookingState::CancelledByAdmin,
        }
    }

    /// Applies `event` (see the module docs for the diagram).
    ///
    /// # Errors
    /// A [`BookingError`] for an event that the state does not allow; `self` is unchanged.
    pub fn apply(self, event: BookingEvent) -> Result<BookingTransition, BookingError> {
        use BookingEvent as E;
        use BookingState as S;
        let to = |to: S, effect: BookingEffect| {
            Ok(BookingTransition {
                from: self,
                to,
                changed: to != self,
                effect,
            })
        };
        let same = || to(self, BookingEffect::None);
        match (self, event) {
            // Awaiting payment.
            (S::AwaitingPayment, E::PaymentSecured) => to(S::Confirmed, BookingEffect::None),
            (S::AwaitingPayment, E::PaymentWindowElapsed) => to(S::Expired, BookingEffect::FreeSlot),
            (S::AwaitingPayment | S::Confirmed, E::Cancel(by)) => to(S::cancelled_by(by), BookingEffect::FreeSlot),
            (S::AwaitingPayment, E::SessionHeld | E::ClientNoShow) => Err(BookingError::NotConfirmed { event }),
            // Confirmed.
            (S::Confirmed, E::PaymentSecured | E::PaymentWindowElapsed) => same(),
            (S::Confirmed, E::SessionHeld) => to(S::Completed, BookingEffect::None),
            (S::Confirmed, E::ClientNoShow) => to(S::NoShow, BookingEffect::None),
            // Expired: late money goes back; everything else is refused.
            (S::Expired, E::PaymentSecured) => to(S::Expired, BookingEffect::ReturnLateMoney),
            (S::Expired, E::PaymentWindowElapsed) => same(),
            (S::Expired, E::Cancel(_) | E::SessionHeld | E::ClientNoShow) => Err(BookingError::Expired { event }),
            // Cancelled.
            (S::CancelledByClient | S::CancelledByTherapist | S::CancelledByAdmin, _) => match event {
                E::PaymentSecured => to(self, BookingEffect::ReturnLateMoney),
                E::PaymentWindowElapsed => same(),
                E::Cancel(by) if S::cancelled_by(by) == self => same(),
                E::Cancel(_) | E::SessionHeld | E::ClientNoShow => Err(BookingError::Cancelled { state: self, event }),
            },
            // Session over.
            (S::Completed | S::NoShow, E::PaymentSecured | E::PaymentWindowElapsed) => same(),
            (S::Completed, E::SessionHeld) | (S::NoShow, E::ClientNoShow) => same(),
            (S::Completed | S::NoShow, E::Cancel(_) | E::SessionHeld | E::ClientNoShow) => {
                Err(BookingError::Finished { state: self, event })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    use BookingEvent as E;
    use BookingState as S;

    const EVENTS: [BookingEvent; 7] = [
        E::PaymentSecured,
        E::PaymentWindowElapsed,
        E::Cancel(Canceller::Client),
        E::Cancel(Canceller::Therapist),
        E::Cancel(Canceller::Admin),
        E::SessionHeld,
        E::ClientNoShow,
    ];

    #[test]
    fn happy_path_r_pay_1() {
        let t = S::AwaitingPayment.apply(E::PaymentSecured).unwrap();
        assert_eq!((t.to, t.changed, t.effect), (S::Confirmed, true, BookingEffect::None));
        let t = S::Confirmed.apply(E::SessionHeld).unwrap();
        assert_eq!((t.to, t.changed), (S::Completed, true));
        let t = S::Confirmed.apply(E::ClientNoShow).unwrap();
        assert_eq!(t.to, S::NoShow);
    }

    #[test]
    fn r_pay_1_unpaid_booking_expires_and_frees_the_slot() {
        let t = S::AwaitingPayment.apply(E::PaymentWindowElapsed).unwrap();
        assert_eq!((t.to, t.effect), (S::Expired, BookingEffect::FreeSlot));
        assert!(!S::Expired.holds_slot());
        // The expiry job racing a payment that already confirmed: harmless.
        let t = S::Confirmed.apply(E::PaymentWindowElapsed).unwrap();
        assert_eq!((t.to, t.changed), (S::Confirmed, false));
    }

    #[test]
    fn r_pay_1_late_money_after_expiry_is_returned() {
        let t = S::Expired.apply(E::PaymentSecured).unwrap();
        assert_eq!(
            (t.to, t.changed, t.effect),
            (S::Expired, false, BookingEffect::ReturnLateMoney)
        );
        // Same when the client cancelled while the payment was on its way.
        let t = S::CancelledByClient.apply(E::PaymentSecured).unwrap();
        assert_eq!((t.to, t.effect), (S::CancelledByClient, BookingEffect::ReturnLateMoney));
    }

    #[test]
    fn r_pay_1_late_money_release_if_held_refund_if_captured() {
        use crate::domain::money::Money;
        use crate::domain::payment::{Payment, PaymentEvent, ReturnMoney};
        // The booking expired; then the provider reports the hold (two-stage payment).
        let booking = S::AwaitingPayment.apply(E::PaymentWindowElapsed).unwrap().to;
        let paid = Payment::new(Money::rubles(2500))
            .apply(PaymentEvent::Authorized)
            .unwrap();
        assert!(paid.changed, "new money: feed it to the booking");
        let t = booking.apply(E::PaymentSecured).unwrap();
        assert_eq!(t.effect, BookingEffect::ReturnLateMoney);
        assert_eq!(paid.payment.return_action(), Some(ReturnMoney::Release));
        // A one-stage (already captured) payment is refunded instead.
        let captured = Payment::new(Money::rubles(2500)).apply(PaymentEvent::Captured).unwrap();
        assert_eq!(
            captured.payment.return_action(),
            Some(ReturnMoney::Refund(Money::rubles(2500)))
        );
        // A duplicate notification changes nothing and is not fed to the booking again.
        assert!(!paid.payment.apply(PaymentEvent::Authorized).unwrap().changed);
    }

    #[test]
    fn r_can_cancel_from_live_states_and_repeat_is_a_no_op() {
        for from in [S::AwaitingPayment, S::Confirmed] {
            for by in Canceller::ALL {
                let t = from.apply(E::Cancel(*by)).unwrap();
                assert_eq!(t.to, S::cancelled_by(*by));
                assert_eq!(t.effect, BookingEffect::FreeSlot);
                let again = t.to.apply(E::Cancel(*by)).unwrap();
                assert!(!again.changed);
                assert_eq!(again.effect, BookingEffect::None);
            }
        }
        assert_eq!(
            S::CancelledByClient.apply(E::Cancel(Canceller::Therapist)),
            Err(BookingError::Cancelled {
                state: S::CancelledByClient,
                event: E::Cancel(Canceller::Therapist)
            })
        );
    }

    #[test]
    fn forbidden_transitions_are_errors() {
        assert_eq!(
            S::AwaitingPayment.apply(E::SessionHeld),
            Err(BookingError::NotConfirmed { event: E::SessionHeld })
        );
        assert!(matches!(
            S::Expired.apply(E::Cancel(Canceller::Client)),
            Err(BookingError::Expired { .. })
        ));
        assert!(matches!(
            S::Completed.apply(E::Cancel(Canceller::Client)),
            Err(BookingError::Finished { .. })
        ));
        assert!(matches!(
            S::Completed.apply(E::ClientNoShow),
            Err(BookingError::Finished { .. })
        ));
        assert!(matches!(
            S::NoShow.apply(E::SessionHeld),
            Err(BookingError::Finished { .. })
        ));
        assert!(S::Completed.apply(E::SessionHeld).is_ok_and(|t| !t.changed));
        assert!(S::NoShow.apply(E::ClientNoShow).is_ok_and(|t| !t.changed));
    }

    #[test]
    fn every_error_has_a_known_key() {
        for state in S::ALL {
            for event in EVENTS {
                if let Err(e) = state.apply(event) {
                    assert!(crate::domain::LOCALE_KEYS.contains(&e.key()), "{e}");
                }
            }
        }
    }

    #[test]
    fn states_round_trip_as_text() {
        for state in S::ALL {
            assert_eq!(S::from_str(state.as_str()), Ok(*state));
            let json = serde_json::to_string(state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
        }
        assert_eq!(S::AwaitingPayment.as_str(), "awaiting_payment");
        assert_eq!(S::NoShow.to_string(), "no_show");
        assert!(S::from_str("Confirmed").is_err());
        let json = serde_json::to_string(&E::Cancel(Canceller::Admin)).unwrap();
        assert_eq!(json, r#"{"event":"cancel","by":"admin"}"#);
        assert_eq!(
            serde_json::from_str::<BookingEvent>(&json).unwrap(),
            E::Cancel(Canceller::Admin)
        );
    }

    #[test]
    fn finality_and_slots() {
        assert!(!S::AwaitingPayment.is_final());
        assert!(!S::Confirmed.is_final());
        for s in S::ALL.iter().filter(|s| s.is_cancelled()) {
            assert!(s.is_final());
            assert!(!s.holds_slot());
        }
        assert!(S::Completed.holds_slot() && S::NoShow.holds_slot());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        // No sequence of events moves a booking out of a final state.
        #[test]
        fn no_event_leaves_a_final_state(
            start in prop::sample::select(S::ALL.to_vec()),
            events in prop::collection::vec(prop::sample::select(EVENTS.to_vec()), 0..20),
        ) {
            let mut state = start;
            let mut final_state: Option<BookingState> = state.is_final().then_some(state);
            for event in events {
                if let Ok(t) = state.apply(event) {
                    prop_assert_eq!(t.from, state);
                    prop_assert_eq!(t.changed, t.from != t.to);
                    state = t.to;
                }
                if let Some(f) = final_state {
                    prop_assert_eq!(state, f);
                } else if state.is_final() {
                    final_state = Some(state);
                }
            }
        }
    }
}
