//! Payment timing (R-PAY-1): how long a booking waits for payment, and when a card hold is
//! captured.
//!
//! **Decided**:
//! - A booking made at `booked_at` can be paid strictly before `booked_at + payment_wait`
//!   (15 minutes); at exactly 15:00 it has expired.
//! - A hold is captured when the free cancellation window closes (`start - 24h`, see
//!   `cancellation::free_cancellation_ends_at`), or earlier, at
//!   `hold_created + card_hold_lifetime - capture_safety_margin` (7 days minus 1 hour), if the
//!   hold would lapse before the window closes. When the booking is made inside the window (less
//!   than 24 hours before the start) the hold is captured at once. When both instants coincide the
//!   reason is [`CaptureReason::WindowCloses`].
//! - A timely cancellation after an early capture is a refund, not a release (see
//!   `cancellation::decide_cancellation` and `Payment::return_action`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::cancellation::free_cancellation_ends_at;
use super::clock;
use super::settings::DomainSettings;

/// The instant an unpaid booking expires: `booked_at + payment_wait` (R-PAY-1).
#[must_use]
pub fn payment_deadline(booked_at: DateTime<Utc>, settings: &DomainSettings) -> DateTime<Utc> {
    clock::add(booked_at, settings.payment_wait)
}

/// Whether a booking made at `booked_at` can still be paid at `now` (strictly before the
/// deadline, R-PAY-1).
#[must_use]
pub fn is_payment_window_open(booked_at: DateTime<Utc>, now: DateTime<Utc>, settings: &DomainSettings) -> bool {
    now < payment_deadline(booked_at, settings)
}

/// The instant the bank drops a hold placed at `hold_created_at` (about 7 days, R-PAY-1).
#[must_use]
pub fn hold_lapses_at(hold_created_at: DateTime<Utc>, settings: &DomainSettings) -> DateTime<Utc> {
    clock::add(hold_created_at, settings.card_hold_lifetime)
}

string_enum! {
    /// Why a hold is captured when it is.
    pub enum CaptureReason {
        /// The free cancellation window closes (24 hours before the start).
        WindowCloses => "window_closes",
        /// The hold would lapse before the window closes; captured ahead of the lapse.
        HoldWouldLapse => "hold_would_lapse",
        /// The booking was made inside the window: captured at once.
        WindowAlreadyClosed => "window_already_closed",
    }
}

/// When to capture a hold, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturePlan {
    /// The capture job runs at or after this instant.
    pub capture_at: DateTime<Utc>,
    /// Why then.
    pub reason: CaptureReason,
}

impl CapturePlan {
    /// Whether the capture is due at `now`.
    #[must_use]
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        now >= self.capture_at
    }
}

/// When to capture a hold placed at `hold_created_at` for a session starting at `session_start`
/// (R-PAY-1): the earlier of the window's close and the hold's lapse minus the safety margin, but
/// never before the hold exists.
#[must_use]
pub fn capture_plan(
    hold_created_at: DateTime<Utc>,
    session_start: DateTime<Utc>,
    settings: &DomainSettings,
) -> CapturePlan {
    let window_closes = free_cancellation_ends_at(session_start, settings);
    let latest_safe = clock::sub(
        hold_lapses_at(hold_created_at, settings),
        settings.capture_safety_margin,
    );
    if window_closes <= hold_created_at {
        CapturePlan {
            capture_at: hold_created_at,
            reason: CaptureReason::WindowAlreadyClosed,
        }
    } else if latest_safe < window_closes {
        CapturePlan {
            capture_at: latest_safe.max(hold_created_at),
            reason: CaptureReason::HoldWouldLapse,
        }
    } else {
        CapturePlan {
            capture_at: window_closes,
            reason: CaptureReason::WindowCloses,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap()
    }

    fn s() -> DomainSettings {
        DomainSettings::default()
    }

    #[test]
    fn r_pay_1_payment_wait_is_15_minutes() {
        let s = s();
        assert_eq!(payment_deadline(t0(), &s), t0() + TimeDelta::minutes(15));
        assert!(is_payment_window_open(
            t0(),
            t0() + TimeDelta::minutes(15) - TimeDelta::seconds(1),
            &s
        ));
        assert!(!is_payment_window_open(t0(), t0() + TimeDelta::minutes(15), &s));
    }

    #[test]
    fn r_pay_1_capture_when_the_window_closes() {
        let s = s();
        let start = t0() + TimeDelta::days(3);
        let plan = capture_plan(t0(), start, &s);
        assert_eq!(plan.capture_at, start - TimeDelta::hours(24));
        assert_eq!(plan.reason, CaptureReason::WindowCloses);
        assert!(!plan.is_due(start - TimeDelta::hours(24) - TimeDelta::seconds(1)));
        assert!(plan.is_due(start - TimeDelta::hours(24)));
    }

    #[test]
    fn r_pay_1_capture_before_the_hold_lapses() {
        let s = s();
        let start = t0() + TimeDelta::days(10);
        let plan = capture_plan(t0(), start, &s);
        assert_eq!(plan.capture_at, t0() + TimeDelta::days(7) - TimeDelta::hours(1));
        assert_eq!(plan.reason, CaptureReason::HoldWouldLapse);
        assert_eq!(hold_lapses_at(t0(), &s), t0() + TimeDelta::days(7));
    }

    #[test]
    fn r_pay_1_capture_boundary_between_the_two() {
        let s = s();
        // The window closes exactly when the safe capture time comes: the window reason.
        let start = t0() + TimeDelta::days(7) - TimeDelta::hours(1) + TimeDelta::hours(24);
        let plan = capture_plan(t0(), start, &s);
        assert_eq!(plan.reason, CaptureReason::WindowCloses);
        assert_eq!(plan.capture_at, t0() + TimeDelta::hours(167));
        // One second later start: the lapse comes first.
        let plan = capture_plan(t0(), start + TimeDelta::seconds(1), &s);
        assert_eq!(plan.reason, CaptureReason::HoldWouldLapse);
        assert_eq!(plan.capture_at, t0() + TimeDelta::hours(167));
    }

    #[test]
    fn r_pay_1_booked_inside_the_window_captures_at_once() {
        let s = s();
        let plan = capture_plan(t0(), t0() + TimeDelta::hours(23), &s);
        assert_eq!(plan.capture_at, t0());
        assert_eq!(plan.reason, CaptureReason::WindowAlreadyClosed);
        let plan = capture_plan(t0(), t0() + TimeDelta::hours(24), &s);
        assert_eq!(plan.capture_at, t0());
        assert_eq!(plan.reason, CaptureReason::WindowAlreadyClosed);
    }

    #[test]
    fn odd_settings_and_instants_do_not_panic() {
        let s = DomainSettings {
            capture_safety_margin: TimeDelta::days(30),
            ..DomainSettings::default()
        };
        let plan = capture_plan(t0(), t0() + TimeDelta::days(10), &s);
        assert_eq!(plan.capture_at, t0());
        let plan = capture_plan(
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MAX_UTC,
            &DomainSettings::default(),
        );
        assert_eq!(plan.capture_at, DateTime::<Utc>::MAX_UTC);
        assert!(!is_payment_window_open(
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MAX_UTC,
            &DomainSettings::default()
        ));
    }
}
