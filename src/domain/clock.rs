//! "Now", injected: the real clock for production, a movable clock for tests.
//!
//! Also the saturating instant arithmetic the rest of the domain uses, so that no input instant,
//! however far in the past or future, can make a rule function panic.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};

/// A source of the current instant. Object safe, `Send + Sync` so it can sit in an `Arc` shared
/// by the bot's handlers and jobs.
pub trait Clock: Send + Sync {
    /// The current instant, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's real-time clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until a test moves it (`set`, `advance`). Thread-safe, so it can be
/// shared with code under test that runs on other threads.
#[derive(Debug)]
pub struct TestClock {
    now: Mutex<DateTime<Utc>>,
}

impl TestClock {
    /// A clock standing at `now`.
    #[must_use]
    pub fn new(now: DateTime<Utc>) -> Self {
        Self { now: Mutex::new(now) }
    }

    /// Moves the clock to `now` (backwards too).
    pub fn set(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }

    /// Moves the clock by `by` (negative goes back); saturates at chrono's range instead of
    /// panicking.
    pub fn advance(&self, by: TimeDelta) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = add(*now, by);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for Box<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

/// `at + by`, saturating at the ends of chrono's range instead of panicking.
#[must_use]
pub(crate) fn add(at: DateTime<Utc>, by: TimeDelta) -> DateTime<Utc> {
    at.checked_add_signed(by).unwrap_or(if by > TimeDelta::zero() {
        DateTime::<Utc>::MAX_UTC
    } else {
        DateTime::<Utc>::MIN_UTC
    })
}

/// `at - by`, saturating at the ends of chrono's range instead of panicking.
#[must_use]
pub(crate) fn sub(at: DateTime<Utc>, by: TimeDelta) -> DateTime<Utc> {
    at.checked_sub_signed(by).unwrap_or(if by > TimeDelta::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::sync::Arc;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn test_clock_stands_still_and_moves() {
        let clock = TestClock::new(t0());
        assert_eq!(clock.now(), t0());
        clock.advance(TimeDelta::hours(23) + TimeDelta::minutes(59));
        assert_eq!(clock.now(), t0() + TimeDelta::minutes(23 * 60 + 59));
        clock.set(t0());
        assert_eq!(clock.now(), t0());
        clock.advance(TimeDelta::seconds(-1));
        assert_eq!(clock.now(), t0() - TimeDelta::seconds(1));
    }

    #[test]
    fn clock_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<TestClock>();
        assert_send_sync::<SystemClock>();
        let clock: Arc<dyn Clock> = Arc::new(TestClock::new(t0()));
        let other = Arc::clone(&clock);
        let seen = std::thread::spawn(move || other.now()).join().unwrap();
        assert_eq!(seen, t0());
        fn through_ref<C: Clock>(c: &C) -> DateTime<Utc> {
            Clock::now(&c)
        }
        assert_eq!(through_ref(&clock), t0());
    }

    #[test]
    fn system_clock_is_roughly_now() {
        let before = Utc::now();
        let now = SystemClock.now();
        assert!(now >= before);
    }

    #[test]
    fn arithmetic_saturates_instead_of_panicking() {
        let max = DateTime::<Utc>::MAX_UTC;
        let min = DateTime::<Utc>::MIN_UTC;
        assert_eq!(add(max, TimeDelta::days(1)), max);
        assert_eq!(add(min, TimeDelta::days(-1)), min);
        assert_eq!(sub(min, TimeDelta::days(1)), min);
        assert_eq!(sub(max, TimeDelta::days(-1)), max);
        assert_eq!(add(t0(), TimeDelta::hours(1)), t0() + TimeDelta::hours(1));
        let clock = TestClock::new(max);
        clock.advance(TimeDelta::days(3));
        assert_eq!(clock.now(), max);
    }
}
