//! The numbers of the product rules, in one struct passed to the functions that need them.

use chrono::TimeDelta;
use rust_decimal::Decimal;

use super::money::Money;

/// Every configurable number of the rules. `Default` gives the product's values (RULES.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainSettings {
    /// R-PRICE-1: least price of an individual session (2500 ₽).
    pub individual_price_floor: Money,
    /// R-PRICE-1: least price of a group session per participant (1500 ₽).
    pub group_price_floor: Money,
    /// R-PAY-1: how long a booking waits for payment before it expires (15 minutes).
    pub payment_wait: TimeDelta,
    /// R-PAY-1: how long a bank keeps a card hold (7 days).
    pub card_hold_lifetime: TimeDelta,
    /// R-PAY-1 (**decided**): how long before a hold lapses it is captured at the latest
    /// (1 hour), so a slow job or a provider hiccup does not lose the money.
    pub capture_safety_margin: TimeDelta,
    /// R-CAN-1..3: the free cancellation window before a session starts (24 hours).
    pub free_cancellation_window: TimeDelta,
    /// R-PRICE-2: calendar months between two changes of the price for new clients (6).
    pub price_change_interval_months: u32,
    /// R-PRICE-3: how long a client's price stays locked after their first booking (365 days).
    pub price_lock: TimeDelta,
    /// R-PAY-2: payout deadline after the end of a session (24 hours).
    pub payout_delay: TimeDelta,
    /// R-PAY-4: payout deadline when the client paid through a foreign system (14 days).
    pub foreign_payout_delay: TimeDelta,
    /// R-PAY-1: the number of sessions a package may have (4 or 8).
    pub package_sizes: Vec<u32>,
    /// R-GRP-4 / R-PAY-2: least capacity of a group program (5).
    pub group_capacity_min: u32,
    /// R-GRP-4: greatest capacity of a group program (12).
    pub group_capacity_max: u32,
    /// R-PAY-2: commission on an individual session, in percent (30).
    pub commission_individual_percent: Decimal,
    /// R-PAY-2: commission on a group session with at most
    /// [`small_group_max_participants`](Self::small_group_max_participants) paying
    /// participants, in percent (40).
    pub commission_small_group_percent: Decimal,
    /// R-PAY-2: commission on a larger group session, in percent (50).
    pub commission_large_group_percent: Decimal,
    /// R-PAY-2 / R-GRP-4: the most paying participants of a "small" group session (6).
    pub small_group_max_participants: u32,
}

impl Default for DomainSettings {
    fn default() -> Self {
        Self {
            individual_price_floor: Money::rubles(2500),
            group_price_floor: Money::rubles(1500),
            payment_wait: TimeDelta::minutes(15),
            card_hold_lifetime: TimeDelta::days(7),
            capture_safety_margin: TimeDelta::hours(1),
            free_cancellation_window: TimeDelta::hours(24),
            price_change_interval_months: 6,
            price_lock: TimeDelta::days(365),
            payout_delay: TimeDelta::hours(24),
            foreign_payout_delay: TimeDelta::days(14),
            package_sizes: vec![4, 8],
            group_capacity_min: 5,
            group_capacity_max: 12,
            commission_individual_percent: Decimal::from(30),
            commission_small_group_percent: Decimal::from(40),
            commission_large_group_percent: Decimal::from(50),
            small_group_max_participants: 6,
        }
    }
}

/// A setting that makes no sense. Operator-facing (configuration), reported all at once by
/// [`DomainSettings::validate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// A duration that must be positive is zero or negative (or the margin is not below the hold
    /// lifetime).
    #[error("{0} must be a positive duration")]
    NonPositiveDuration(&'static str),
    /// A commission percentage outside `0..=100`.
    #[error("{0} must be between 0 and 100 percent")]
    BadPercent(&'static str),
    /// Group capacities are not `1 <= min <= max` or the small-group bound is outside them.
    #[error("group capacities must satisfy 1 <= min <= small group max <= max")]
    BadCapacity,
    /// Package sizes are empty or contain zero.
    #[error("package sizes must be a non-empty list of positive numbers")]
    BadPackageSizes,
    /// The price change interval is zero months.
    #[error("the price change interval must be at least one month")]
    BadMonths,
}

impl SettingsError {
    /// The message id (operator-facing; the English `Display` is enough in practice):
    /// `settings-error-non-positive-duration`, `settings-error-bad-percent`,
    /// `settings-error-bad-capacity`, `settings-error-bad-package-sizes`,
    /// `settings-error-bad-months`.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            SettingsError::NonPositiveDuration(_) => "settings-error-non-positive-duration",
            SettingsError::BadPercent(_) => "settings-error-bad-percent",
            SettingsError::BadCapacity => "settings-error-bad-capacity",
            SettingsError::BadPackageSizes => "settings-error-bad-package-sizes",
            SettingsError::BadMonths => "settings-error-bad-months",
        }
    }
}

impl DomainSettings {
    /// The floor for a price kind (R-PRICE-1).
    #[must_use]
    pub fn price_floor(&self, kind: super::price::PriceKind) -> Money {
        match kind {
            super::price::PriceKind::Individual => self.individual_price_floor,
            super::price::PriceKind::Group => self.group_price_floor,
        }
    }

    /// Checks that the settings make sense; returns every problem at once. The rule functions
    /// never panic on bad settings, but their answers are only meaningful for valid ones.
    ///
    /// # Errors
    /// The list of problems found.
    pub fn validate(&self) -> Result<(), Vec<SettingsError>> {
        let mut problems = Vec::new();
        let zero = TimeDelta::zero();
        for (name, value) in [
            ("payment_wait", self.payment_wait),
            ("card_hold_lifetime", self.card_hold_lifetime),
            ("free_cancellation_window", self.free_cancellation_window),
            ("price_lock", self.price_lock),
            ("payout_delay", self.payout_delay),
            ("foreign_payout_delay", self.foreign_payout_delay),
        ] {
            if value <= zero {
                problems.push(SettingsError::NonPositiveDuration(name));
            }
        }
        if self.capture_safety_margin < zero || self.capture_safety_margin >= self.card_hold_lifetime {
            problems.push(SettingsError::NonPositiveDuration("capture_safety_margin"));
        }
        for (name, value) in [
            ("commission_individual_percent", self.commission_individual_percent),
            ("commission_small_group_percent", self.commission_small_group_percent),
            ("commission_large_group_percent", self.commission_large_group_percent),
        ] {
            if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
                problems.push(SettingsError::BadPercent(name));
            }
        }
        if self.group_capacity_min == 0
            || self.group_capacity_min > self.group_capacity_max
            || self.small_group_max_participants > self.group_capacity_max
        {
            problems.push(SettingsError::BadCapacity);
        }
        if self.package_sizes.is_empty() || self.package_sizes.contains(&0) {
            problems.push(SettingsError::BadPackageSizes);
        }
        if self.price_change_interval_months == 0 {
            problems.push(SettingsError::BadMonths);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::price::PriceKind;

    #[test]
    fn defaults_are_the_product_values() {
        let s = DomainSettings::default();
        assert_eq!(s.individual_price_floor, Money::rubles(2500)); // R-PRICE-1
        assert_eq!(s.group_price_floor, Money::rubles(1500)); // R-PRICE-1
        assert_eq!(s.payment_wait, TimeDelta::minutes(15)); // R-PAY-1
        assert_eq!(s.card_hold_lifetime, TimeDelta::days(7)); // R-PAY-1
        assert_eq!(s.capture_safety_margin, TimeDelta::hours(1));
        assert_eq!(s.free_cancellation_window, TimeDelta::hours(24)); // R-CAN-1
        assert_eq!(s.price_change_interval_months, 6); // R-PRICE-2
        assert_eq!(s.price_lock, TimeDelta::days(365)); // R-PRICE-3
        assert_eq!(s.payout_delay, TimeDelta::hours(24)); // R-PAY-2
        assert_eq!(s.foreign_payout_delay, TimeDelta::days(14)); // R-PAY-4
        assert_eq!(s.package_sizes, vec![4, 8]); // R-PAY-1
        assert_eq!((s.group_capacity_min, s.group_capacity_max), (5, 12)); // R-GRP-4
        assert_eq!(s.small_group_max_participants, 6); // R-PAY-2
        assert_eq!(s.commission_individual_percent, Decimal::from(30));
        assert_eq!(s.commission_small_group_percent, Decimal::from(40));
        assert_eq!(s.commission_large_group_percent, Decimal::from(50));
        assert_eq!(s.price_floor(PriceKind::Individual), Money::rubles(2500));
        assert_eq!(s.price_floor(PriceKind::Group), Money::rubles(1500));
        assert_eq!(s.validate(), Ok(()));
    }

    #[test]
    fn validate_reports_every_problem() {
        let s = DomainSettings {
            payment_wait: TimeDelta::zero(),
            capture_safety_margin: TimeDelta::days(8),
            commission_large_group_percent: Decimal::from(101),
            group_capacity_min: 13,
            package_sizes: vec![],
            price_change_interval_months: 0,
            ..DomainSettings::default()
        };
        let problems = s.validate().unwrap_err();
        assert_eq!(
            problems,
            vec![
                SettingsError::NonPositiveDuration("payment_wait"),
                SettingsError::NonPositiveDuration("capture_safety_margin"),
                SettingsError::BadPercent("commission_large_group_percent"),
                SettingsError::BadCapacity,
                SettingsError::BadPackageSizes,
                SettingsError::BadMonths,
            ]
        );
        for p in &problems {
            assert!(crate::domain::LOCALE_KEYS.contains(&p.key()));
        }
    }
}
