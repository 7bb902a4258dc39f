//! Packages of sessions paid up front and used as credits (R-PAY-1).
//!
//! A package of `size` sessions with one therapist is bought at a per-session price (the
//! client's price, R-PRICE-3) and paid `size × price` at once. Each booking uses a credit, a
//! timely cancellation gives it back (R-CAN-2), unused credits are refundable at the per-session
//! price, and never more than was paid in total. Credits can never go negative.
//!
//! Counters: `used` (credits held by bookings, live or past) + `refunded_credits` +
//! `available()` = `size`.

use serde::{Deserialize, Serialize};

use super::money::Money;
use super::settings::DomainSettings;

/// Why a package operation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    /// The size is not one of `package_sizes`.
    #[error("a package of {size} sessions is not offered")]
    InvalidSize {
        /// The size asked for.
        size: u32,
    },
    /// `size × price` is above [`Money::MAX`].
    #[error("package price too large")]
    TooLarge,
    /// No credit left to book with.
    #[error("no credits left")]
    NoCreditsLeft,
    /// No used credit to give back.
    #[error("no used credit to return")]
    NothingToReturn,
    /// No unused credit to refund.
    #[error("no unused credits to refund")]
    NothingToRefund,
    /// Stored counters that do not fit together.
    #[error("inconsistent package record")]
    Inconsistent,
}

impl PackageError {
    /// The Fluent message id:
    /// - `package-error-invalid-size`: packages come in 4 or 8 sessions (`$size` is not offered);
    /// - `package-error-too-large`: the package price is too large;
    /// - `package-error-no-credits-left`: no sessions left in the package;
    /// - `package-error-nothing-to-return`: no session of the package to give back;
    /// - `package-error-nothing-to-refund`: no unused sessions to refund;
    /// - `package-error-inconsistent`: internal error, the package record is damaged.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            PackageError::InvalidSize { .. } => "package-error-invalid-size",
            PackageError::TooLarge => "package-error-too-large",
            PackageError::NoCreditsLeft => "package-error-no-credits-left",
            PackageError::NothingToReturn => "package-error-nothing-to-return",
            PackageError::NothingToRefund => "package-error-nothing-to-refund",
            PackageError::Inconsistent => "package-error-inconsistent",
        }
    }
}

/// A bought package and its credits. Operations take `&mut self` and leave it unchanged when
/// they fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PackageParts", into = "PackageParts")]
pub struct Package {
    size: u32,
    per_session_price: Money,
    paid: Money,
    used: u32,
    refunded_credits: u32,
    refunded_amount: Money,
}

/// The stored fields of a [`Package`], checked by [`Package::from_parts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageParts {
    /// Number of sessions bought.
    pub size: u32,
    /// Price of one session of the package.
    pub per_session_price: Money,
    /// What the client paid for the package.
    pub paid: Money,
    /// Credits taken by bookings.
    pub used: u32,
    /// Credits refunded.
    pub refunded_credits: u32,
    /// Money refunded so far.
    pub refunded_amount: Money,
}

impl TryFrom<PackageParts> for Package {
    type Error = PackageError;

    fn try_from(parts: PackageParts) -> Result<Self, Self::Error> {
        Package::from_parts(parts)
    }
}

impl From<Package> for PackageParts {
    fn from(p: Package) -> Self {
        PackageParts {
            size: p.size,
            per_session_price: p.per_session_price,
            paid: p.paid,
            used: p.used,
            refunded_credits: p.refunded_credits,
            refunded_amount: p.refunded_amount,
        }
    }
}

impl Package {
    /// Buys a package of `size` sessions at `per_session_price` each (R-PAY-1); the amount to
    /// pay is [`Package::paid`].
    ///
    /// # Errors
    /// [`PackageError::InvalidSize`] unless `size` is in `settings.package_sizes`,
    /// [`PackageError::TooLarge`] if the total overflows.
    pub fn purchase(size: u32, per_session_price: Money, settings: &DomainSettings) -> Result<Self, PackageError> {
        if size == 0 || !settings.package_sizes.contains(&size) {
            return Err(PackageError::InvalidSize { size });
        }
        let paid = per_session_price.checked_mul(size).ok_or(PackageError::TooLarge)?;
        Ok(Self {
            size,
            per_session_price,
            paid,
            used: 0,
            refunded_credits: 0,
            refunded_amount: Money::ZERO,
        })
    }

    /// A package from stored fields.
    ///
    /// # Errors
    /// [`PackageError::Inconsistent`] unless `used + refunded_credits <= size` and
    /// `refunded_amount <= paid`.
    pub fn from_parts(parts: PackageParts) -> Result<Self, PackageError> {
        let fits = parts
            .used
            .checked_add(parts.refunded_credits)
            .is_some_and(|n| n <= parts.size)
            && parts.refunded_amount <= parts.paid;
        if !fits {
            return Err(PackageError::Inconsistent);
        }
        Ok(Self {
            size: parts.size,
            per_session_price: parts.per_session_price,
            paid: parts.paid,
            used: parts.used,
            refunded_credits: parts.refunded_credits,
            refunded_amount: parts.refunded_amount,
        })
    }

    /// Number of sessions bought.
    #[must_use]
    pub const fn size(&self) -> u32 {
        self.size
    }

    /// Price of one session; what a credit is worth for the commission split (R-PAY-2).
    #[must_use]
    pub const fn per_session_price(&self) -> Money {
        self.per_session_price
    }

    /// What the client paid.
    #[must_use]
    pub const fn paid(&self) -> Money {
        self.paid
    }

    /// Credits taken by bookings.
    #[must_use]
    pub const fn used(&self) -> u32 {
        self.used
    }

    /// Credits refunded.
    #[must_use]
    pub const fn refunded_credits(&self) -> u32 {
        self.refunded_credits
    }

    /// Money refunded so far.
    #[must_use]
    pub const fn refunded_amount(&self) -> Money {
        self.refunded_amount
    }

    /// Credits left to book with.
    #[must_use]
    pub const fn available(&self) -> u32 {
        // from_parts and every operation keep used + refunded_credits <= size.
        self.size
            .saturating_sub(self.used)
            .saturating_sub(self.refunded_credits)
    }

    /// Takes a credit for a booking.
    ///
    /// # Errors
    /// [`PackageError::NoCreditsLeft`].
    pub fn use_credit(&mut self) -> Result<(), PackageError> {
        if self.available() == 0 {
            return Err(PackageError::NoCreditsLeft);
        }
        self.used += 1;
        Ok(())
    }

    /// Gives a credit back after a timely cancellation (R-CAN-2) or a therapist's cancellation
    /// (R-CAN-3).
    ///
    /// # Errors
    /// [`PackageError::NothingToReturn`] when no credit is in use.
    pub fn return_credit(&mut self) -> Result<(), PackageError> {
        if self.used == 0 {
            return Err(PackageError::NothingToReturn);
        }
        self.used -= 1;
        Ok(())
    }

    /// Refunds `count` unused credits; returns the amount to refund: `count × per-session
    /// price`, capped so that all refunds together never exceed what was paid.
    ///
    /// # Errors
    /// [`PackageError::NothingToRefund`] for zero credits or more than are available.
    pub fn refund_credits(&mut self, count: u32) -> Result<Money, PackageError> {
        if count == 0 || count > self.available() {
            return Err(PackageError::NothingToRefund);
        }
        let left = self.paid.saturating_sub(self.refunded_amount);
        let amount = self.per_session_price.checked_mul(count).map_or(left, |a| a.min(left));
        self.refunded_credits += count;
        self.refunded_amount = self.refunded_amount.checked_add(amount).unwrap_or(self.paid);
        Ok(amount)
    }

    /// Refunds every unused credit (R-PAY-1); returns the amount to refund.
    ///
    /// # Errors
    /// [`PackageError::NothingToRefund`] when no credit is unused.
    pub fn refund_unused(&mut self) -> Result<Money, PackageError> {
        self.refund_credits(self.available())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s() -> DomainSettings {
        DomainSettings::default()
    }

    fn rub(r: u32) -> Money {
        Money::rubles(r)
    }

    #[test]
    fn r_pay_1_packages_of_4_and_8() {
        let s = s();
        let p = Package::purchase(4, rub(3000), &s).unwrap();
        assert_eq!(p.paid(), rub(12_000));
        assert_eq!(p.available(), 4);
        assert_eq!(Package::purchase(8, rub(3000), &s).unwrap().paid(), rub(24_000));
        for size in [0, 1, 5, 7, 9] {
            assert_eq!(
                Package::purchase(size, rub(3000), &s),
                Err(PackageError::InvalidSize { size })
            );
        }
        assert_eq!(Package::purchase(8, Money::MAX, &s), Err(PackageError::TooLarge));
    }

    #[test]
    fn r_pay_1_credits_are_used_and_returned_never_negative() {
        let mut p = Package::purchase(4, rub(3000), &s()).unwrap();
        assert_eq!(p.return_credit(), Err(PackageError::NothingToReturn));
        for _ in 0..4 {
            p.use_credit().unwrap();
        }
        assert_eq!(p.available(), 0);
        let before = p;
        assert_eq!(p.use_credit(), Err(PackageError::NoCreditsLeft));
        assert_eq!(p, before);
        // R-CAN-2: a timely cancellation gives the credit back.
        p.return_credit().unwrap();
        assert_eq!(p.available(), 1);
        assert_eq!(p.used(), 3);
    }

    #[test]
    fn r_pay_1_unused_credits_are_refunded_at_the_per_session_price() {
        let mut p = Package::purchase(8, rub(2500), &s()).unwrap();
        p.use_credit().unwrap();
        p.use_credit().unwrap();
        p.use_credit().unwrap();
        assert_eq!(p.refund_unused(), Ok(rub(12_500)));
        assert_eq!(p.available(), 0);
        assert_eq!(p.refunded_credits(), 5);
        assert_eq!(p.refund_unused(), Err(PackageError::NothingToRefund));
        // A booking cancelled in time after the refund: its credit is refundable too.
        p.return_credit().unwrap();
        assert_eq!(p.refund_credits(1), Ok(rub(2500)));
        assert_eq!(p.refunded_amount(), rub(15_000));
        assert!(p.refunded_amount() <= p.paid());
        assert_eq!(p.refund_credits(0), Err(PackageError::NothingToRefund));
    }

    #[test]
    fn refunds_never_exceed_what_was_paid() {
        // A damaged-but-consistent record: paid less than size × price (say a discount).
        let mut p = Package::from_parts(PackageParts {
            size: 4,
            per_session_price: rub(3000),
            paid: rub(10_000),
            used: 0,
            refunded_credits: 0,
            refunded_amount: Money::ZERO,
        })
        .unwrap();
        assert_eq!(p.refund_unused(), Ok(rub(10_000)));
    }

    #[test]
    fn from_parts_and_serde_check_consistency() {
        let good = PackageParts {
            size: 4,
            per_session_price: rub(3000),
            paid: rub(12_000),
            used: 2,
            refunded_credits: 2,
            refunded_amount: rub(6000),
        };
        let p = Package::from_parts(good).unwrap();
        assert_eq!(PackageParts::from(p), good);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Package>(&json).unwrap(), p);
        for bad in [
            PackageParts { used: 3, ..good },
            PackageParts {
                refunded_amount: rub(12_001),
                ..good
            },
            PackageParts { used: u32::MAX, ..good },
        ] {
            assert_eq!(Package::from_parts(bad), Err(PackageError::Inconsistent));
        }
        assert!(serde_json::from_str::<Package>(
            r#"{"size":4,"per_session_price":300000,"paid":1200000,"used":5,"refunded_credits":0,"refunded_amount":0}"#
        )
        .is_err());
    }

    #[test]
    fn errors_have_keys() {
        for e in [
            PackageError::InvalidSize { size: 3 },
            PackageError::TooLarge,
            PackageError::NoCreditsLeft,
            PackageError::NothingToReturn,
            PackageError::NothingToRefund,
            PackageError::Inconsistent,
        ] {
            assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
        }
    }

    #[derive(Debug, Clone, Copy)]
    enum Op {
        Use,
        Return,
        Refund(u32),
        RefundAll,
    }

    fn arb_op() -> impl Strategy<Value = Op> {
        prop_oneof![
            Just(Op::Use),
            Just(Op::Return),
            (0u32..10).prop_map(Op::Refund),
            Just(Op::RefundAll),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        // R-PAY-1: no sequence of package operations makes credits negative or refunds more
        // than was paid.
        #[test]
        fn credits_never_negative_refunds_never_exceed_paid(
            big in any::<bool>(),
            price in 0i64..=1_000_000,
            ops in prop::collection::vec(arb_op(), 0..40),
        ) {
            let size = if big { 8 } else { 4 };
            let mut p = Package::purchase(size, Money::from_kopecks(price).unwrap(), &s()).unwrap();
            let mut refunded_total = Money::ZERO;
            for op in ops {
                let before = p;
                let result = match op {
                    Op::Use => p.use_credit().map(|()| Money::ZERO),
                    Op::Return => p.return_credit().map(|()| Money::ZERO),
                    Op::Refund(n) => p.refund_credits(n),
                    Op::RefundAll => p.refund_unused(),
                };
                match result {
                    Ok(amount) => refunded_total = refunded_total.checked_add(amount).unwrap(),
                    Err(_) => prop_assert_eq!(p, before),
                }
                prop_assert!(p.used() + p.refunded_credits() + p.available() == p.size());
                prop_assert!(p.used() <= p.size());
                prop_assert!(refunded_total <= p.paid());
                prop_assert_eq!(refunded_total, p.refunded_amount());
                prop_assert_eq!(Package::from_parts(p.into()), Ok(p));
            }
        }
    }
}
