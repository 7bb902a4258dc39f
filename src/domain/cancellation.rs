//! What a cancellation does to the booking, the money and the therapist (R-CAN-1..4, R-PAY-1).
//!
//! The boundary (**decided**, from "at least 24 hours before"): a cancellation is *timely* when
//! `session_start - now >= free_cancellation_window`; exactly 24:00:00 before the start is
//! timely, 23:59:59 is late. A session that has started cannot be cancelled any more (it is held,
//! or a no-show).
//!
//! | who | timely | late |
//! | --- | --- | --- |
//! | client (R-CAN-2) | everything back: hold released, captured money refunded, package credit or free session returned | charged 100%: hold captured / money kept / credit used; the therapist is paid as if held |
//! | therapist (R-CAN-3) | everything back | everything back, and the therapist owes the client the next session free, unless an admin accepted force majeure |
//! | admin (**decided**) | everything back | everything back; no penalty on the therapist (the platform cancelled) |
//!
//! Moving a session (R-CAN-4) is a cancellation under this table plus a new booking.
//!
//! Further **decided** details: an unpaid booking (awaiting payment) costs nobody anything and
//! makes the therapist owe nothing; when the cancelled session was itself a free session owed by
//! the therapist, a late therapist cancellation gives that free session back (which already is
//! "the next session free") rather than owing a second one. Force majeure is usually accepted
//! later: recompute with `force_majeure_accepted: true`; only
//! [`CancellationOutcome::therapist_owes_free_session`] changes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::booking::{BookingError, BookingEvent, BookingState};
use super::clock;
use super::settings::DomainSettings;

string_enum! {
    /// Who cancels.
    pub enum Canceller {
        /// The client (R-CAN-2).
        Client => "client",
        /// The therapist (R-CAN-3).
        Therapist => "therapist",
        /// An admin, on behalf of the platform.
        Admin => "admin",
    }
}

string_enum! {
    /// How the booking was paid for, at the moment of cancelling.
    pub enum Funding {
        /// Not paid (the booking is awaiting payment).
        Unpaid => "unpaid",
        /// The amount is held on the card.
        Held => "held",
        /// The money was captured (the hold would have lapsed, or a one-stage payment).
        Captured => "captured",
        /// A credit of a package (R-PAY-1).
        PackageCredit => "package_credit",
        /// A free session the therapist owed the client (R-CAN-3).
        OwedFreeSession => "owed_free_session",
        /// Free by nature: the preliminary consultation (R-GRP-3).
        NoCharge => "no_charge",
    }
}

string_enum! {
    /// Whether the cancellation came in time.
    pub enum CancellationTiming {
        /// At least `free_cancellation_window` (24 hours) before the start.
        Timely => "timely",
        /// Less than that.
        Late => "late",
    }
}

string_enum! {
    /// What happens to the booking's money or credit.
    pub enum MoneyAction {
        /// There is nothing to move.
        Nothing => "nothing",
        /// Cancel the hold on the card (a refund before capture).
        ReleaseHold => "release_hold",
        /// Refund the captured money in full (a cancellation after capture is a refund, not a
        /// release).
        Refund => "refund",
        /// Capture the hold: the client is charged 100% (late client cancellation).
        CaptureHold => "capture_hold",
        /// Keep the captured money (late client cancellation).
        KeepCaptured => "keep_captured",
        /// Give the package credit back.
        ReturnCredit => "return_credit",
        /// The package credit stays used.
        KeepCredit => "keep_credit",
        /// Give the owed free session back to the client.
        ReturnFreeSession => "return_free_session",
        /// The owed free session is used up.
        KeepFreeSession => "keep_free_session",
    }
}

/// Everything [`decide_cancellation`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationRequest {
    /// The booking's current state.
    pub booking: BookingState,
    /// Who cancels.
    pub by: Canceller,
    /// When the session starts.
    pub session_start: DateTime<Utc>,
    /// When the cancellation is made.
    pub now: DateTime<Utc>,
    /// How the booking is paid for now.
    pub funding: Funding,
    /// Whether an admin accepted a document proving force majeure (therapist only).
    pub force_majeure_accepted: bool,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationOutcome {
    /// The booking's new state.
    pub new_state: BookingState,
    /// True when the booking was already cancelled the same way: nothing to do at all.
    pub repeated: bool,
    /// Timely or late.
    pub timing: CancellationTiming,
    /// What happens to the money or credit.
    pub money: MoneyAction,
    /// Whether the therapist is paid for the session (R-CAN-2: late client cancellation).
    pub therapist_paid: bool,
    /// Whether the therapist owes this client the next session free (R-CAN-3).
    pub therapist_owes_free_session: bool,
}

/// Why a cancellation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CancellationError {
    /// The session has started (or is over).
    #[error("the session has already started")]
    AlreadyStarted,
    /// The booking's state does not allow it (expired, completed, cancelled otherwise).
    #[error("booking cannot be cancelled: {0}")]
    NotCancellable(#[from] BookingError),
}

impl CancellationError {
    /// The Fluent message id:
    /// - `cancel-error-already-started`: the session has already started and cannot be cancelled;
    /// - `cancel-error-not-cancellable`: this booking can no longer be cancelled (already
    ///   cancelled, expired or over); the bot may show the inner [`BookingError::key`] instead.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            CancellationError::AlreadyStarted => "cancel-error-already-started",
            CancellationError::NotCancellable(_) => "cancel-error-not-cancellable",
        }
    }
}

/// The last instant a cancellation is timely: `session_start - free_cancellation_window`
/// (R-CAN-1). It is also when the hold is captured (R-PAY-1).
#[must_use]
pub fn free_cancellation_ends_at(session_start: DateTime<Utc>, settings: &DomainSettings) -> DateTime<Utc> {
    clock::sub(session_start, settings.free_cancellation_window)
}

/// Whether cancelling at `now` is timely (R-CAN-1..3): at least 24 hours before the start;
/// exactly 24:00:00 counts as timely.
#[must_use]
pub fn is_timely_cancellation(session_start: DateTime<Utc>, now: DateTime<Utc>, settings: &DomainSettings) -> bool {
    now <= free_cancellation_ends_at(session_start, settings)
}

/// Decides a cancellation (R-CAN-1..4, R-PAY-1); see the module docs for the table.
///
/// # Errors
/// [`CancellationError::NotCancellable`] when the booking's state forbids it,
/// [`CancellationError::AlreadyStarted`] at or after the start.
pub fn decide_cancellation(
    request: &CancellationRequest,
    settings: &DomainSettings,
) -> Result<CancellationOutcome, CancellationError> {
    let transition = request.booking.apply(BookingEvent::Cancel(request.by))?;
    let timely = is_timely_cancellation(request.session_start, request.now, settings);
    let timing = if timely {
        CancellationTiming::Timely
    } else {
        CancellationTiming::Late
    };
    if !transition.changed {
        return Ok(CancellationOutcome {
            new_state: transition.to,
            repeated: true,
            timing,
            money: MoneyAction::Nothing,
            therapist_paid: false,
            therapist_owes_free_session: false,
        });
    }
    if request.now >= request.session_start {
        return Err(CancellationError::AlreadyStarted);
    }

    let full_return = match request.funding {
        Funding::Unpaid | Funding::NoCharge => MoneyAction::Nothing,
        Funding::Held => MoneyAction::ReleaseHold,
        Funding::Captured => MoneyAction::Refund,
        Funding::PackageCredit => MoneyAction::ReturnCredit,
        Funding::OwedFreeSession => MoneyAction::ReturnFreeSession,
    };
    let charged = match request.funding {
        Funding::Unpaid | Funding::NoCharge => MoneyAction::Nothing,
        Funding::Held => MoneyAction::CaptureHold,
        Funding::Captured => MoneyAction::KeepCaptured,
        Funding::PackageCredit => MoneyAction::KeepCredit,
        Funding::OwedFreeSession => MoneyAction::KeepFreeSession,
    };
    let paid_for = matches!(
        request.funding,
        Funding::Held | Funding::Captured | Funding::PackageCredit
    );

    let (money, therapist_paid, owes) = match (request.by, timely) {
        // R-CAN-2: timely, everything back.
        (Canceller::Client, true) => (full_return, false, false),
        // R-CAN-2: late, charged 100%, the therapist is paid as if the session was held.
        (Canceller::Client, false) => (charged, paid_for, false),
        // R-CAN-3: timely, everything back.
        (Canceller::Therapist, true) => (full_return, false, false),
        // R-CAN-3: late, everything back and the next session free, unless force majeure.
        (Canceller::Therapist, false) => (full_return, false, paid_for && !request.force_majeure_accepted),
        // Decided: the platform cancels, the client gets everything back, no penalty.
        (Canceller::Admin, _) => (full_return, false, false),
    };
    Ok(CancellationOutcome {
        new_state: transition.to,
        repeated: false,
        timing,
        money,
        therapist_paid,
        therapist_owes_free_session: owes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use std::str::FromStr;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 10, 15, 0, 0).unwrap()
    }

    fn exactly_24h() -> DateTime<Utc> {
        start() - TimeDelta::hours(24)
    }

    fn at_23_59_59() -> DateTime<Utc> {
        start() - TimeDelta::hours(24) + TimeDelta::seconds(1)
    }

    fn req(by: Canceller, now: DateTime<Utc>, funding: Funding) -> CancellationRequest {
        CancellationRequest {
            booking: if funding == Funding::Unpaid {
                BookingState::AwaitingPayment
            } else {
                BookingState::Confirmed
            },
            by,
            session_start: start(),
            now,
            funding,
            force_majeure_accepted: false,
        }
    }

    fn decide(r: CancellationRequest) -> CancellationOutcome {
        decide_cancellation(&r, &DomainSettings::default()).unwrap()
    }

    #[test]
    fn r_can_1_exactly_24h_is_timely_23_59_59_is_late() {
        let s = DomainSettings::default();
        assert!(is_timely_cancellation(start(), exactly_24h(), &s));
        assert!(!is_timely_cancellation(start(), at_23_59_59(), &s));
        assert!(is_timely_cancellation(
            start(),
            start() - TimeDelta::hours(24) - TimeDelta::minutes(1),
            &s
        ));
        assert!(!is_timely_cancellation(
            start(),
            start() - TimeDelta::hours(23) - TimeDelta::minutes(59),
            &s
        ));
        assert_eq!(free_cancellation_ends_at(start(), &s), exactly_24h());
    }

    #[test]
    fn r_can_2_client_timely_gets_everything_back() {
        for (funding, money) in [
            (Funding::Held, MoneyAction::ReleaseHold),
            (Funding::Captured, MoneyAction::Refund),
            (Funding::PackageCredit, MoneyAction::ReturnCredit),
            (Funding::OwedFreeSession, MoneyAction::ReturnFreeSession),
            (Funding::NoCharge, MoneyAction::Nothing),
            (Funding::Unpaid, MoneyAction::Nothing),
        ] {
            let o = decide(req(Canceller::Client, exactly_24h(), funding));
            assert_eq!(o.timing, CancellationTiming::Timely);
            assert_eq!(o.money, money, "{funding}");
            assert!(!o.therapist_paid);
            assert!(!o.therapist_owes_free_session);
            assert_eq!(o.new_state, BookingState::CancelledByClient);
            assert!(!o.repeated);
        }
    }

    #[test]
    fn r_can_2_client_late_is_charged_and_therapist_paid() {
        for (funding, money, paid) in [
            (Funding::Held, MoneyAction::CaptureHold, true),
            (Funding::Captured, MoneyAction::KeepCaptured, true),
            (Funding::PackageCredit, MoneyAction::KeepCredit, true),
            (Funding::OwedFreeSession, MoneyAction::KeepFreeSession, false),
            (Funding::NoCharge, MoneyAction::Nothing, false),
            (Funding::Unpaid, MoneyAction::Nothing, false),
        ] {
            let o = decide(req(Canceller::Client, at_23_59_59(), funding));
            assert_eq!(o.timing, CancellationTiming::Late);
            assert_eq!(o.money, money, "{funding}");
            assert_eq!(o.therapist_paid, paid, "{funding}");
            assert!(!o.therapist_owes_free_session);
        }
    }

    #[test]
    fn r_can_3_therapist_timely_refunds_in_full_without_penalty() {
        let o = decide(req(Canceller::Therapist, exactly_24h(), Funding::Captured));
        assert_eq!(o.money, MoneyAction::Refund);
        assert!(!o.therapist_owes_free_session);
        assert_eq!(o.new_state, BookingState::CancelledByTherapist);
    }

    #[test]
    fn r_can_3_therapist_late_refunds_and_owes_a_free_session() {
        for (funding, money) in [
            (Funding::Held, MoneyAction::ReleaseHold),
            (Funding::Captured, MoneyAction::Refund),
            (Funding::PackageCredit, MoneyAction::ReturnCredit),
        ] {
            let o = decide(req(Canceller::Therapist, at_23_59_59(), funding));
            assert_eq!(o.timing, CancellationTiming::Late);
            assert_eq!(o.money, money);
            assert!(o.therapist_owes_free_session, "{funding}");
            assert!(!o.therapist_paid);
        }
        // The cancelled session was itself the owed free one: it is given back, not doubled.
        let o = decide(req(Canceller::Therapist, at_23_59_59(), Funding::OwedFreeSession));
        assert_eq!(o.money, MoneyAction::ReturnFreeSession);
        assert!(!o.therapist_owes_free_session);
        // Unpaid: nothing owed.
        let o = decide(req(Canceller::Therapist, at_23_59_59(), Funding::Unpaid));
        assert!(!o.therapist_owes_free_session);
    }

    #[test]
    fn r_can_3_force_majeure_accepted_removes_the_penalty_only() {
        let mut r = req(Canceller::Therapist, at_23_59_59(), Funding::Held);
        let without = decide(r);
        r.force_majeure_accepted = true;
        let with = decide(r);
        assert!(without.therapist_owes_free_session);
        assert!(!with.therapist_owes_free_session);
        assert_eq!(with.money, without.money);
        assert_eq!(with.money, MoneyAction::ReleaseHold);
        // Force majeure means nothing for a client's cancellation.
        let mut r = req(Canceller::Client, at_23_59_59(), Funding::Held);
        r.force_majeure_accepted = true;
        assert_eq!(decide(r).money, MoneyAction::CaptureHold);
    }

    #[test]
    fn admin_cancellation_refunds_without_penalty() {
        let o = decide(req(Canceller::Admin, at_23_59_59(), Funding::Captured));
        assert_eq!(o.money, MoneyAction::Refund);
        assert!(!o.therapist_paid && !o.therapist_owes_free_session);
        assert_eq!(o.new_state, BookingState::CancelledByAdmin);
    }

    #[test]
    fn r_pay_1_cancel_after_capture_is_a_refund_not_a_release() {
        // A hold captured early (it would have lapsed), then a timely cancellation.
        let o = decide(req(Canceller::Client, start() - TimeDelta::days(3), Funding::Captured));
        assert_eq!(o.money, MoneyAction::Refund);
    }

    #[test]
    fn r_can_1_no_cancellation_once_started() {
        let s = DomainSettings::default();
        for now in [start(), start() + TimeDelta::minutes(5)] {
            assert_eq!(
                decide_cancellation(&req(Canceller::Client, now, Funding::Held), &s),
                Err(CancellationError::AlreadyStarted)
            );
        }
        let o = decide(req(Canceller::Client, start() - TimeDelta::seconds(1), Funding::Held));
        assert_eq!(o.money, MoneyAction::CaptureHold);
    }

    #[test]
    fn repeated_cancellation_does_nothing_twice() {
        let mut r = req(Canceller::Client, exactly_24h(), Funding::Captured);
        r.booking = BookingState::CancelledByClient;
        let o = decide(r);
        assert!(o.repeated);
        assert_eq!(o.money, MoneyAction::Nothing);
        // Even after the start.
        r.now = start() + TimeDelta::hours(1);
        assert!(decide(r).repeated);
        // Another canceller: refused.
        r.by = Canceller::Therapist;
        let err = decide_cancellation(&r, &DomainSettings::default()).unwrap_err();
        assert!(matches!(err, CancellationError::NotCancellable(_)));
        assert!(crate::domain::LOCALE_KEYS.contains(&err.key()));
        assert!(crate::domain::LOCALE_KEYS.contains(&CancellationError::AlreadyStarted.key()));
    }

    #[test]
    fn final_bookings_cannot_be_cancelled() {
        for state in [BookingState::Expired, BookingState::Completed, BookingState::NoShow] {
            let mut r = req(Canceller::Client, exactly_24h(), Funding::Held);
            r.booking = state;
            assert!(matches!(
                decide_cancellation(&r, &DomainSettings::default()),
                Err(CancellationError::NotCancellable(_))
            ));
        }
    }

    #[test]
    fn r_can_4_moving_is_a_cancellation_under_the_same_rules() {
        // A client moving a session 23:59:59 before it is a late cancellation: charged.
        let o = decide(req(Canceller::Client, at_23_59_59(), Funding::Held));
        assert_eq!(o.money, MoneyAction::CaptureHold);
        // Moving it in time: everything back, then a new booking is made.
        let o = decide(req(Canceller::Client, exactly_24h(), Funding::PackageCredit));
        assert_eq!(o.money, MoneyAction::ReturnCredit);
    }

    #[test]
    fn enums_as_text() {
        assert_eq!(Canceller::from_str("therapist"), Ok(Canceller::Therapist));
        assert_eq!(Funding::PackageCredit.as_str(), "package_credit");
        assert_eq!(MoneyAction::CaptureHold.to_string(), "capture_hold");
        assert_eq!(CancellationTiming::ALL.len(), 2);
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let s = DomainSettings::default();
        let r = CancellationRequest {
            session_start: DateTime::<Utc>::MIN_UTC,
            now: DateTime::<Utc>::MIN_UTC,
            ..req(Canceller::Client, exactly_24h(), Funding::Held)
        };
        assert_eq!(decide_cancellation(&r, &s), Err(CancellationError::AlreadyStarted));
        assert_eq!(
            free_cancellation_ends_at(DateTime::<Utc>::MIN_UTC, &s),
            DateTime::<Utc>::MIN_UTC
        );
    }
}
