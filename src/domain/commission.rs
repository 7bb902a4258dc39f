//! The platform's commission and the therapist's payout (R-PAY-2, R-PAY-4, R-GRP-4).
//!
//! **Decided**: the commission is computed per client payment, rounded to the kopeck half away
//! from zero (`MidpointAwayFromZero`), and the payout is the rest, so that for every payment
//! `paid == commission + payout` exactly; a session's totals are sums of its payments' splits.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::clock;
use super::money::{Money, MoneyError};
use super::session::SessionKind;
use super::settings::DomainSettings;

string_enum! {
    /// Which commission rate applies to a session (R-PAY-2).
    pub enum CommissionTier {
        /// An individual session: 30%.
        Individual => "individual",
        /// A group session with at most 6 paying participants (fewer than 5 included,
        /// **decided**): 40%.
        SmallGroup => "small_group",
        /// A group session with 7 to 12 paying participants: 50%.
        LargeGroup => "large_group",
        /// Nothing was paid (the preliminary consultation, a session the therapist owes for free):
        /// 0%, and the payout is zero too since nothing was paid.
        Free => "free",
    }
}

impl CommissionTier {
    /// The commission in percent under `settings`, clamped to `0..=100` so that a bad setting can
    /// never make the commission exceed the payment.
    #[must_use]
    pub fn percent(self, settings: &DomainSettings) -> Decimal {
        let p = match self {
            CommissionTier::Individual => settings.commission_individual_percent,
            CommissionTier::SmallGroup => settings.commission_small_group_percent,
            CommissionTier::LargeGroup => settings.commission_large_group_percent,
            CommissionTier::Free => Decimal::ZERO,
        };
        p.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
    }
}

string_enum! {
    /// Where the client's money came from (R-PAY-4).
    pub enum PaymentOrigin {
        /// A Russian card or system: payout within 24 hours.
        Domestic => "domestic",
        /// A foreign payment system: payout within 14 days.
        Foreign => "foreign",
    }
}

/// The tier of a session (R-PAY-2, R-GRP-4): individual 30%; group by the number of **paying**
/// participants of that session: up to `small_group_max_participants` (6) 40%, more 50%; nobody
/// paying (or the free consultation) is [`CommissionTier::Free`].
#[must_use]
pub fn commission_tier(kind: SessionKind, paying_participants: u32, settings: &DomainSettings) -> CommissionTier {
    match kind {
        SessionKind::Consultation => CommissionTier::Free,
        _ if paying_participants == 0 => CommissionTier::Free,
        SessionKind::Individual => CommissionTier::Individual,
        SessionKind::Group if paying_participants <= settings.small_group_max_participants => {
            CommissionTier::SmallGroup
        }
        SessionKind::Group => CommissionTier::LargeGroup,
    }
}

/// One payment divided between the platform and the therapist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// What the client paid for this session.
    pub paid: Money,
    /// The platform's commission.
    pub commission: Money,
    /// What the therapist receives. `paid == commission + payout`.
    pub payout: Money,
    /// The rate applied.
    pub tier: CommissionTier,
}

/// Splits one payment (R-PAY-2): commission = `paid × rate`, rounded half away from zero to the
/// kopeck; payout = `paid − commission`. They always add up to `paid`.
#[must_use]
pub fn split_payment(paid: Money, tier: CommissionTier, settings: &DomainSettings) -> Split {
    // The rate is clamped to 0..=100, so the commission is at most `paid` and within range; the
    // fallback is unreachable but keeps this function total.
    let commission = paid.percentage(tier.percent(settings)).unwrap_or(paid).min(paid);
    Split {
        paid,
        commission,
        payout: paid.saturating_sub(commission),
        tier,
    }
}

/// A group session's payments split under the session's tier (R-GRP-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSplit {
    /// The tier set by the number of paying participants.
    pub tier: CommissionTier,
    /// How many payments were above zero.
    pub paying_participants: u32,
    /// One split per payment, in the order given.
    pub splits: Vec<Split>,
    /// The sum of the payments.
    pub total_paid: Money,
    /// The sum of the commissions.
    pub total_commission: Money,
    /// The sum of the payouts. `total_paid == total_commission + total_payout`.
    pub total_payout: Money,
}

/// Splits every participant's payment for one group session (R-PAY-2, R-GRP-4). `payments` has
/// one entry per participant who took part or is charged (a late cancellation, a no-show), with
/// the amount paid for this session (a package credit counts at its per-session price); zero
/// amounts (free sessions) do not count as paying.
///
/// # Errors
/// [`MoneyError::TooLarge`] when a total exceeds [`Money::MAX`] (absurd amounts only).
pub fn split_group_session(payments: &[Money], settings: &DomainSettings) -> Result<GroupSplit, MoneyError> {
    let paying = payments.iter().filter(|p| !p.is_zero()).count();
    let paying_participants = u32::try_from(paying).unwrap_or(u32::MAX);
    let tier = commission_tier(SessionKind::Group, paying_participants, settings);
    let splits: Vec<Split> = payments.iter().map(|p| split_payment(*p, tier, settings)).collect();
    let mut total_paid = Money::ZERO;
    let mut total_commission = Money::ZERO;
    let mut total_payout = Money::ZERO;
    for s in &splits {
        total_paid = total_paid.checked_add(s.paid).ok_or(MoneyError::TooLarge)?;
        total_commission = total_commission.checked_add(s.commission).ok_or(MoneyError::TooLarge)?;
        total_payout = total_payout.checked_add(s.payout).ok_or(MoneyError::TooLarge)?;
    }
    Ok(GroupSplit {
        tier,
        paying_participants,
        splits,
        total_paid,
        total_commission,
        total_payout,
    })
}

/// The deadline for paying the therapist (R-PAY-2, R-PAY-4): 24 hours after the session's end,
/// or 14 days when the client paid through a foreign system. A session charged without taking
/// place (late client cancellation, no-show) uses its scheduled end.
#[must_use]
pub fn payout_due_at(session_end: DateTime<Utc>, origin: PaymentOrigin, settings: &DomainSettings) -> DateTime<Utc> {
    let delay = match origin {
        PaymentOrigin::Domestic => settings.payout_delay,
        PaymentOrigin::Foreign => settings.foreign_payout_delay,
    };
    clock::add(session_end, delay)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use proptest::prelude::*;

    fn s() -> DomainSettings {
        DomainSettings::default()
    }

    fn k(kopecks: i64) -> Money {
        Money::from_kopecks(kopecks).unwrap()
    }

    #[test]
    fn r_pay_2_individual_is_30_percent() {
        let split = split_payment(Money::rubles(2500), CommissionTier::Individual, &s());
        assert_eq!(split.commission, Money::rubles(750));
        assert_eq!(split.payout, Money::rubles(1750));
        assert_eq!(
            commission_tier(SessionKind::Individual, 1, &s()),
            CommissionTier::Individual
        );
    }

    #[test]
    fn r_pay_2_commission_rounds_half_up_and_adds_up() {
        // 30% of 2500.05 = 750.015 -> 750.02; payout 1750.03.
        let split = split_payment(k(250_005), CommissionTier::Individual, &s());
        assert_eq!(split.commission, k(75_002));
        assert_eq!(split.payout, k(175_003));
        // 40% of 0.01 = 0.004 -> 0; the therapist gets the kopeck.
        let split = split_payment(k(1), CommissionTier::SmallGroup, &s());
        assert_eq!((split.commission, split.payout), (k(0), k(1)));
        // 50% of 0.03 = 0.015 -> 0.02.
        let split = split_payment(k(3), CommissionTier::LargeGroup, &s());
        assert_eq!((split.commission, split.payout), (k(2), k(1)));
    }

    #[test]
    fn r_grp_4_tiers_by_paying_participants_5_6_7_12() {
        let s = s();
        let tier = |n| commission_tier(SessionKind::Group, n, &s);
        assert_eq!(tier(1), CommissionTier::SmallGroup); // decided: under 5 is 40%
        assert_eq!(tier(4), CommissionTier::SmallGroup);
        assert_eq!(tier(5), CommissionTier::SmallGroup);
        assert_eq!(tier(6), CommissionTier::SmallGroup);
        assert_eq!(tier(7), CommissionTier::LargeGroup);
        assert_eq!(tier(12), CommissionTier::LargeGroup);
        assert_eq!(tier(0), CommissionTier::Free);
        assert_eq!(CommissionTier::SmallGroup.percent(&s), Decimal::from(40));
        assert_eq!(CommissionTier::LargeGroup.percent(&s), Decimal::from(50));
    }

    #[test]
    fn r_grp_4_group_session_counts_only_paying_participants() {
        let s = s();
        // Seven participants, one of them on a free session owed by the therapist: 6 paying.
        let mut payments = vec![Money::rubles(1500); 6];
        payments.push(Money::ZERO);
        let g = split_group_session(&payments, &s).unwrap();
        assert_eq!(g.paying_participants, 6);
        assert_eq!(g.tier, CommissionTier::SmallGroup);
        assert_eq!(g.total_paid, Money::rubles(9000));
        assert_eq!(g.total_commission, Money::rubles(3600));
        assert_eq!(g.total_payout, Money::rubles(5400));
        assert_eq!(g.splits[6].commission, Money::ZERO);
        // Seven paying: 50%.
        let g = split_group_session(&[Money::rubles(1500); 7], &s).unwrap();
        assert_eq!(g.tier, CommissionTier::LargeGroup);
        assert_eq!(g.total_commission, Money::rubles(5250));
        assert!(split_group_session(&[Money::MAX, Money::MAX], &s).is_err());
    }

    #[test]
    fn r_pay_2_free_sessions_pay_nothing() {
        let s = s();
        assert_eq!(commission_tier(SessionKind::Consultation, 1, &s), CommissionTier::Free);
        assert_eq!(commission_tier(SessionKind::Individual, 0, &s), CommissionTier::Free);
        let split = split_payment(Money::ZERO, CommissionTier::Free, &s);
        assert_eq!((split.commission, split.payout), (Money::ZERO, Money::ZERO));
    }

    #[test]
    fn bad_rates_are_clamped() {
        let s = DomainSettings {
            commission_individual_percent: Decimal::from(150),
            commission_small_group_percent: Decimal::from(-5),
            ..DomainSettings::default()
        };
        let a = split_payment(Money::rubles(100), CommissionTier::Individual, &s);
        assert_eq!((a.commission, a.payout), (Money::rubles(100), Money::ZERO));
        let b = split_payment(Money::rubles(100), CommissionTier::SmallGroup, &s);
        assert_eq!((b.commission, b.payout), (Money::ZERO, Money::rubles(100)));
    }

    #[test]
    fn r_pay_2_and_r_pay_4_payout_deadlines() {
        let s = s();
        let end = Utc.with_ymd_and_hms(2025, 5, 1, 18, 0, 0).unwrap();
        assert_eq!(
            payout_due_at(end, PaymentOrigin::Domestic, &s),
            end + TimeDelta::hours(24)
        );
        assert_eq!(
            payout_due_at(end, PaymentOrigin::Foreign, &s),
            end + TimeDelta::days(14)
        );
        assert_eq!(
            payout_due_at(DateTime::<Utc>::MAX_UTC, PaymentOrigin::Foreign, &s),
            DateTime::<Utc>::MAX_UTC
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        // R-PAY-2: client paid = payout + commission, to the kopeck, for every amount and tier.
        #[test]
        fn split_adds_up_to_the_kopeck(kopecks in 0..=Money::MAX_KOPECKS, tier_index in 0usize..4) {
            let s = s();
            let tier = CommissionTier::ALL[tier_index];
            let paid = k(kopecks);
            let split = split_payment(paid, tier, &s);
            prop_assert_eq!(split.commission.checked_add(split.payout), Some(paid));
            let exact = Decimal::from(kopecks) * tier.percent(&s) / Decimal::ONE_HUNDRED;
            let diff = (Decimal::from(split.commission.kopecks()) - exact).abs();
            prop_assert!(diff <= Decimal::new(5, 1), "rounded to the nearest kopeck");
        }

        #[test]
        fn group_split_adds_up(amounts in prop::collection::vec(0i64..1_000_000, 0..13)) {
            let s = s();
            let payments: Vec<Money> = amounts.into_iter().map(k).collect();
            let g = split_group_session(&payments, &s).unwrap();
            prop_assert_eq!(g.total_commission.checked_add(g.total_payout), Some(g.total_paid));
            for split in &g.splits {
                prop_assert_eq!(split.commission.checked_add(split.payout), Some(split.paid));
            }
        }
    }
}
