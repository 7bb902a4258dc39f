//! Prices: floors (R-PRICE-1), the six-month change rule (R-PRICE-2) and the client's 365-day
//! price lock (R-PRICE-3).
//!
//! **Decided** here (see `docs/RULES-MAP.md`):
//! - R-PRICE-2: the price may change once its current value has been public for
//!   `price_change_interval_months` calendar months: the clock starts at the first activation of
//!   the therapist (the moment the price became public) and restarts at every later change.
//!   Edits before the first activation do not count and are free. Setting the same amount again is
//!   not a change. "6 months to the day" is computed on calendar dates in the therapist's zone:
//!   a change counted on 15 January allows the next one from 00:00 (local) on 15 July; a
//!   reference day that the target month lacks is clamped to that month's last day (31 August ->
//!   28 or 29 February), which is what chrono's `checked_add_months` does.
//! - R-PRICE-3: the lock lasts exactly `price_lock` (365 × 24 hours) from the instant of the first
//!   confirmed booking, half-open: a booking made at `since + 365 days` is no longer locked. The
//!   quoted price is `min(locked, current)`. When a lock has ended, the next booking starts a new
//!   one at the then current price (a client's "first booking" of a new lock period).

use chrono::{DateTime, Months, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::clock;
use super::money::Money;
use super::schedule::{local_wall_time, resolve_local};
use super::settings::DomainSettings;

string_enum! {
    /// Which price list a price belongs to; each has its own floor (R-PRICE-1).
    pub enum PriceKind {
        /// An individual session.
        Individual => "individual",
        /// A group session, per participant.
        Group => "group",
    }
}

/// Why a price is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// Below the floor of its kind (R-PRICE-1).
    #[error("{kind} price below the floor of {floor}")]
    BelowFloor {
        /// The price list.
        kind: PriceKind,
        /// The least allowed price.
        floor: Money,
    },
    /// The price for new clients changed less than six months ago (R-PRICE-2).
    #[error("price may change again from {next_allowed_at}")]
    TooSoon {
        /// The first instant at which the price may change.
        next_allowed_at: DateTime<Utc>,
    },
}

impl PriceError {
    /// The Fluent message id:
    /// - `price-error-below-floor`: the price is below the minimum (`$floor`) for this kind of
    ///   session;
    /// - `price-error-too-soon`: the price for new clients can change once in six months, next
    ///   from `$next_allowed_at` (shown in the therapist's zone).
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            PriceError::BelowFloor { .. } => "price-error-below-floor",
            PriceError::TooSoon { .. } => "price-error-too-soon",
        }
    }
}

/// Checks a price against its floor (R-PRICE-1) and returns it.
///
/// # Errors
/// [`PriceError::BelowFloor`].
pub fn validate_price(kind: PriceKind, amount: Money, settings: &DomainSettings) -> Result<Money, PriceError> {
    let floor = settings.price_floor(kind);
    if amount < floor {
        Err(PriceError::BelowFloor { kind, floor })
    } else {
        Ok(amount)
    }
}

/// A therapist's price for new clients (one per price list: the individual price, each group
/// program's price) with what R-PRICE-2 needs to know. The store keeps these three fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceState {
    /// The current price for new clients.
    pub amount: Money,
    /// The first activation of the therapist (R-ONB-10); `None` while in onboarding.
    pub activated_at: Option<DateTime<Utc>>,
    /// The last change counted by R-PRICE-2 (after activation); `None` if none yet.
    pub last_change_at: Option<DateTime<Utc>>,
}

/// The result of [`PriceState::change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceUpdate {
    /// The state to store.
    pub state: PriceState,
    /// Whether this was a change counted by R-PRICE-2 (false for the same amount and for edits
    /// before activation).
    pub counted: bool,
}

impl PriceState {
    /// A price set during onboarding, before activation.
    #[must_use]
    pub const fn draft(amount: Money) -> Self {
        Self {
            amount,
            activated_at: None,
            last_change_at: None,
        }
    }

    /// Records the first activation; a later re-activation (after a suspension) keeps the first.
    #[must_use]
    pub fn activate(self, at: DateTime<Utc>) -> Self {
        Self {
            activated_at: Some(self.activated_at.unwrap_or(at)),
            ..self
        }
    }

    /// Changes the price for new clients at `now`, enforcing R-PRICE-1 (floor) and R-PRICE-2
    /// (once in six months after activation; edits before activation are free). `zone` is the
    /// therapist's time zone, in which "to the day" is counted.
    ///
    /// # Errors
    /// [`PriceError::BelowFloor`] or [`PriceError::TooSoon`]; `self` is unchanged.
    pub fn change(
        &self,
        kind: PriceKind,
        new_amount: Money,
        now: DateTime<Utc>,
        zone: Tz,
        settings: &DomainSettings,
    ) -> Result<PriceUpdate, PriceError> {
        if new_amount == self.amount {
            return Ok(PriceUpdate {
                state: *self,
                counted: false,
            });
        }
        validate_price(kind, new_amount, settings)?;
        let Some(allowed_at) = next_price_change_allowed_at(self, zone, settings) else {
            // Before the first activation: a free edit (R-PRICE-2, decided).
            return Ok(PriceUpdate {
                state: PriceState {
                    amount: new_amount,
                    ..*self
                },
                counted: false,
            });
        };
        if now < allowed_at {
            return Err(PriceError::TooSoon {
                next_allowed_at: allowed_at,
            });
        }
        Ok(PriceUpdate {
            state: PriceState {
                amount: new_amount,
                activated_at: self.activated_at,
                last_change_at: Some(now),
            },
            counted: true,
        })
    }
}

/// The first instant at which the price for new clients may change again (R-PRICE-2): 00:00 in
/// `zone` on the day `price_change_interval_months` calendar months after the later of the first
/// activation and the last counted change, clamped to the end of a shorter month. `None` before
/// activation: the price may be edited freely.
#[must_use]
pub fn next_price_change_allowed_at(state: &PriceState, zone: Tz, settings: &DomainSettings) -> Option<DateTime<Utc>> {
    let reference = match (state.activated_at, state.last_change_at) {
        (None, None) => return None,
        (Some(a), None) => a,
        (None, Some(c)) => c,
        (Some(a), Some(c)) => a.max(c),
    };
    let Some(local_day) = local_wall_time(reference, zone).map(|t| t.date()) else {
        return Some(DateTime::<Utc>::MAX_UTC);
    };
    let Some(target) = local_day.checked_add_months(Months::new(settings.price_change_interval_months)) else {
        return Some(DateTime::<Utc>::MAX_UTC);
    };
    let instant = resolve_local(zone, target.and_time(NaiveTime::MIN)).map_or(DateTime::<Utc>::MAX_UTC, |(at, _)| at);
    Some(instant)
}

/// A client's locked price with one therapist's price list (R-PRICE-3). The store keys it by
/// client, therapist and price list, and writes it when a booking is confirmed (an expired
/// booking does not start a lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLock {
    /// The price for new clients at the first booking.
    pub price: Money,
    /// The instant of the first booking.
    pub since: DateTime<Utc>,
}

impl PriceLock {
    /// A lock of `price` starting at `since`.
    #[must_use]
    pub const fn new(price: Money, since: DateTime<Utc>) -> Self {
        Self { price, since }
    }

    /// The first instant the lock no longer applies: `since + price_lock` (R-PRICE-3).
    #[must_use]
    pub fn ends_at(&self, settings: &DomainSettings) -> DateTime<Utc> {
        clock::add(self.since, settings.price_lock)
    }

    /// Whether a booking made at `at` is covered by the lock (R-PRICE-3, half-open: at
    /// `since + 365 days` exactly it is not).
    #[must_use]
    pub fn is_active_at(&self, at: DateTime<Utc>, settings: &DomainSettings) -> bool {
        at < self.ends_at(settings)
    }
}

string_enum! {
    /// Where a quoted price comes from.
    pub enum PriceBasis {
        /// The therapist's current price for new clients.
        Current => "current",
        /// The client's locked price, lower than the current one (R-PRICE-3).
        Locked => "locked",
    }
}

/// What a client pays for a booking made at a given instant (R-PRICE-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientQuote {
    /// The price to charge.
    pub amount: Money,
    /// Whether the lock made it lower than the current price.
    pub basis: PriceBasis,
    /// The lock to keep once this booking is confirmed: the existing one while it is active,
    /// otherwise a new one at the current price starting at the booking.
    pub lock: PriceLock,
}

/// The price a client pays for a booking made at `at` (R-PRICE-3): the lower of the locked and the
/// current price while the lock is active, the current price otherwise. **Decided**: the lock
/// never costs the client more, and an ended lock is replaced by a new one from this booking.
#[must_use]
pub fn quote_client_price(
    current: Money,
    lock: Option<&PriceLock>,
    at: DateTime<Utc>,
    settings: &DomainSettings,
) -> ClientQuote {
    match lock {
        Some(lock) if lock.is_active_at(at, settings) => {
            if lock.price < current {
                ClientQuote {
                    amount: lock.price,
                    basis: PriceBasis::Locked,
                    lock: *lock,
                }
            } else {
                ClientQuote {
                    amount: current,
                    basis: PriceBasis::Current,
                    lock: *lock,
                }
            }
        }
        _ => ClientQuote {
            amount: current,
            basis: PriceBasis::Current,
            lock: PriceLock::new(current, at),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use chrono_tz::Europe::Moscow;

    fn s() -> DomainSettings {
        DomainSettings::default()
    }

    fn rub(r: u32) -> Money {
        Money::rubles(r)
    }

    fn msk(y: i32, m: u32, d: u32, h: u32, min: u32, sec: u32) -> DateTime<Utc> {
        Moscow
            .with_ymd_and_hms(y, m, d, h, min, sec)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn r_price_1_floors_are_inclusive() {
        let s = s();
        assert_eq!(validate_price(PriceKind::Individual, rub(2500), &s), Ok(rub(2500)));
        assert_eq!(
            validate_price(PriceKind::Individual, Money::from_kopecks(249_999).unwrap(), &s),
            Err(PriceError::BelowFloor {
                kind: PriceKind::Individual,
                floor: rub(2500)
            })
        );
        assert_eq!(validate_price(PriceKind::Group, rub(1500), &s), Ok(rub(1500)));
        assert!(validate_price(PriceKind::Group, rub(1499), &s).is_err());
        assert!(validate_price(PriceKind::Group, Money::ZERO, &s).is_err());
    }

    #[test]
    fn r_price_2_edits_before_activation_are_free() {
        let s = s();
        let t = msk(2024, 1, 10, 12, 0, 0);
        let mut state = PriceState::draft(rub(2500));
        for (i, amount) in [3000, 2800, 3500].into_iter().enumerate() {
            let update = state
                .change(
                    PriceKind::Individual,
                    rub(amount),
                    t + TimeDelta::minutes(i64::try_from(i).unwrap()),
                    Moscow,
                    &s,
                )
                .unwrap();
            assert!(!update.counted);
            state = update.state;
        }
        assert_eq!(state.amount, rub(3500));
        assert_eq!(state.last_change_at, None);
        assert_eq!(next_price_change_allowed_at(&state, Moscow, &s), None);
        // Floors hold before activation too (R-PRICE-1).
        assert!(state.change(PriceKind::Individual, rub(2000), t, Moscow, &s).is_err());
    }

    #[test]
    fn r_price_2_six_months_to_the_day_and_a_day_before() {
        let s = s();
        let activated = msk(2024, 1, 15, 18, 30, 0);
        let state = PriceState::draft(rub(3000)).activate(activated);
        let allowed = msk(2024, 7, 15, 0, 0, 0);
        assert_eq!(next_price_change_allowed_at(&state, Moscow, &s), Some(allowed));
        // The day before: refused.
        let day_before = msk(2024, 7, 14, 23, 59, 59);
        assert_eq!(
            state.change(PriceKind::Individual, rub(3500), day_before, Moscow, &s),
            Err(PriceError::TooSoon {
                next_allowed_at: allowed
            })
        );
        // To the day: allowed, and counted.
        let update = state
            .change(PriceKind::Individual, rub(3500), allowed, Moscow, &s)
            .unwrap();
        assert!(update.counted);
        assert_eq!(update.state.last_change_at, Some(allowed));
        // The clock restarts at the change.
        let state = update.state;
        assert_eq!(
            next_price_change_allowed_at(&state, Moscow, &s),
            Some(msk(2025, 1, 15, 0, 0, 0))
        );
        assert!(state
            .change(PriceKind::Individual, rub(4000), msk(2025, 1, 14, 12, 0, 0), Moscow, &s)
            .is_err());
        // Lowering the price is a change too.
        assert!(state
            .change(PriceKind::Individual, rub(2500), msk(2024, 12, 1, 0, 0, 0), Moscow, &s)
            .is_err());
    }

    #[test]
    fn r_price_2_same_amount_is_not_a_change() {
        let s = s();
        let state = PriceState::draft(rub(3000)).activate(msk(2024, 1, 15, 0, 0, 0));
        let update = state
            .change(PriceKind::Individual, rub(3000), msk(2024, 1, 16, 0, 0, 0), Moscow, &s)
            .unwrap();
        assert!(!update.counted);
        assert_eq!(update.state, state);
    }

    #[test]
    fn r_price_2_end_of_month_is_clamped() {
        let s = s();
        // 31 August + 6 months = 28 February (2025 is not a leap year).
        let state = PriceState::draft(rub(3000)).activate(msk(2024, 8, 31, 12, 0, 0));
        let allowed = msk(2025, 2, 28, 0, 0, 0);
        assert_eq!(next_price_change_allowed_at(&state, Moscow, &s), Some(allowed));
        assert!(state
            .change(
                PriceKind::Individual,
                rub(3500),
                msk(2025, 2, 27, 23, 59, 59),
                Moscow,
                &s
            )
            .is_err());
        assert!(state
            .change(PriceKind::Individual, rub(3500), allowed, Moscow, &s)
            .is_ok());
        // 31 August 2023 + 6 months = 29 February 2024 (leap year).
        let state = PriceState::draft(rub(3000)).activate(msk(2023, 8, 31, 12, 0, 0));
        assert_eq!(
            next_price_change_allowed_at(&state, Moscow, &s),
            Some(msk(2024, 2, 29, 0, 0, 0))
        );
    }

    #[test]
    fn r_price_2_days_are_counted_in_the_therapists_zone() {
        let s = s();
        // 1 March 01:00 in Moscow is still 29 February in UTC.
        let activated = msk(2024, 3, 1, 1, 0, 0);
        let state = PriceState::draft(rub(3000)).activate(activated);
        assert_eq!(
            next_price_change_allowed_at(&state, Moscow, &s),
            Some(msk(2024, 9, 1, 0, 0, 0))
        );
        assert_eq!(
            next_price_change_allowed_at(&state, chrono_tz::UTC, &s),
            Some(Utc.with_ymd_and_hms(2024, 8, 29, 0, 0, 0).unwrap())
        );
    }

    #[test]
    fn r_price_2_reactivation_keeps_the_first_activation() {
        let first = msk(2024, 1, 15, 0, 0, 0);
        let state = PriceState::draft(rub(3000))
            .activate(first)
            .activate(msk(2024, 5, 1, 0, 0, 0));
        assert_eq!(state.activated_at, Some(first));
    }

    #[test]
    fn r_price_2_far_future_does_not_panic() {
        let s = s();
        let state = PriceState::draft(rub(3000)).activate(DateTime::<Utc>::MAX_UTC);
        assert_eq!(
            next_price_change_allowed_at(&state, Moscow, &s),
            Some(DateTime::<Utc>::MAX_UTC)
        );
        let state = PriceState::draft(rub(3000)).activate(DateTime::<Utc>::MIN_UTC);
        assert!(next_price_change_allowed_at(&state, Moscow, &s).is_some());
        assert!(state
            .change(PriceKind::Individual, rub(3500), DateTime::<Utc>::MAX_UTC, Moscow, &s)
            .is_ok());
    }

    #[test]
    fn r_price_3_lock_lasts_365_days_half_open() {
        let s = s();
        let first = msk(2024, 3, 1, 10, 0, 0);
        let lock = PriceLock::new(rub(3000), first);
        assert_eq!(lock.ends_at(&s), first + TimeDelta::days(365));
        assert!(lock.is_active_at(first, &s));
        assert!(lock.is_active_at(first + TimeDelta::days(365) - TimeDelta::seconds(1), &s));
        assert!(!lock.is_active_at(first + TimeDelta::days(365), &s));

        // Day 364: the locked 3000 instead of the current 4000.
        let q = quote_client_price(rub(4000), Some(&lock), first + TimeDelta::days(364), &s);
        assert_eq!((q.amount, q.basis, q.lock), (rub(3000), PriceBasis::Locked, lock));
        // Day 365: the current price, and a new lock from this booking.
        let at = first + TimeDelta::days(365);
        let q = quote_client_price(rub(4000), Some(&lock), at, &s);
        assert_eq!(q.amount, rub(4000));
        assert_eq!(q.basis, PriceBasis::Current);
        assert_eq!(q.lock, PriceLock::new(rub(4000), at));
    }

    #[test]
    fn r_price_3_client_pays_the_lower_price() {
        let s = s();
        let first = msk(2024, 3, 1, 10, 0, 0);
        let lock = PriceLock::new(rub(3000), first);
        let at = first + TimeDelta::days(30);
        // The current price went down: the client pays it, the lock stays.
        let q = quote_client_price(rub(2600), Some(&lock), at, &s);
        assert_eq!((q.amount, q.basis, q.lock), (rub(2600), PriceBasis::Current, lock));
        // Equal: current.
        let q = quote_client_price(rub(3000), Some(&lock), at, &s);
        assert_eq!((q.amount, q.basis), (rub(3000), PriceBasis::Current));
    }

    #[test]
    fn r_price_3_first_booking_starts_a_lock() {
        let s = s();
        let at = msk(2024, 3, 1, 10, 0, 0);
        let q = quote_client_price(rub(3000), None, at, &s);
        assert_eq!(q.amount, rub(3000));
        assert_eq!(q.basis, PriceBasis::Current);
        assert_eq!(q.lock, PriceLock::new(rub(3000), at));
    }

    #[test]
    fn errors_have_keys() {
        let e = PriceError::TooSoon {
            next_allowed_at: msk(2024, 1, 1, 0, 0, 0),
        };
        assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
        let e = PriceError::BelowFloor {
            kind: PriceKind::Group,
            floor: rub(1500),
        };
        assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
    }
}
