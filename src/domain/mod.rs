//! The product rules of proEgo as pure types and functions.
//!
//! Nothing in this module does I/O, talks to Telegram or a database, spawns tasks or logs. "Now"
//! is always passed in, either as an instant or through a [`Clock`]. Every configurable number of
//! the rules lives in [`DomainSettings`] (its `Default` is the product's values) and is passed to
//! the functions that need it.
//!
//! No user-facing sentence is produced here (the one exception is [`Money::format`], which
//! renders an amount). Errors are typed enums; each has `fn key(&self) -> &'static str`, the
//! Fluent message id the bot shows for it. [`LOCALE_KEYS`] lists every such id so that a locale
//! test can check that `ru` and `en` have them all.
//!
//! Rule ids (`R-PRICE-3`, `R-CAN-2`, ...) refer to `RULES.md`; `docs/RULES-MAP.md` maps each rule
//! to the functions that enforce it and to the tests that prove it.
//!
//! | rule | module | main entry points |
//! | --- | --- | --- |
//! | R-ONB-2..9 | [`readiness`] | [`checklist`], [`ready_for_moderation`] |
//! | R-PRICE-1 | [`price`] | [`validate_price`] |
//! | R-PRICE-2 | [`price`] | [`PriceState::change`], [`next_price_change_allowed_at`] |
//! | R-PRICE-3 | [`price`] | [`quote_client_price`], [`PriceLock`] |
//! | R-GRP-2..4 | [`group`] | [`validate_program`], [`check_enrolment`], [`consultation_policy`] |
//! | R-CLI-3 | [`scoring`] | [`score`] |
//! | R-PAY-1 | [`hold`], [`package`], [`payment`], [`booking`] | [`payment_deadline`], [`capture_plan`], [`Package`], [`Payment::apply`], [`BookingState::apply`] |
//! | R-PAY-2, R-GRP-4 | [`commission`] | [`commission_tier`], [`split_payment`], [`split_group_session`], [`payout_due_at`] |
//! | R-PAY-4 | [`commission`] | [`payout_due_at`] |
//! | R-SES-1 | [`session`], [`schedule`] | [`SessionKind::duration`], [`weekly_slots`], [`Interval`] |
//! | R-CAN-1..4 | [`cancellation`] | [`decide_cancellation`], [`is_timely_cancellation`] |

/// Declares a fieldless enum stored as text: serde, `as_str()`, `Display`, `FromStr` and `ALL`
/// all use the same snake_case strings.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case text stored in the database.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = crate::domain::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::domain::UnknownValue {
                        type_name: stringify!($name),
                        value: s.chars().take(64).collect(),
                    }),
                }
            }
        }
    };
}

pub mod booking;
pub mod cancellation;
pub mod clock;
pub mod commission;
pub mod group;
pub mod hold;
pub mod matching;
pub mod money;
pub mod package;
pub mod payment;
pub mod price;
pub mod readiness;
pub mod schedule;
pub mod scoring;
pub mod session;
pub mod settings;

pub use booking::{BookingEffect, BookingError, BookingEvent, BookingState, BookingTransition};
pub use cancellation::{
    decide_cancellation, free_cancellation_ends_at, is_timely_cancellation, CancellationError, CancellationOutcome,
    CancellationRequest, CancellationTiming, Canceller, Funding, MoneyAction,
};
pub use clock::{Clock, SystemClock, TestClock};
pub use commission::{
    commission_tier, payout_due_at, split_group_session, split_payment, CommissionTier, GroupSplit, PaymentOrigin,
    Split,
};
pub use group::{
    check_enrolment, consultation_policy, program_meetings, program_problems, validate_program, Admission,
    ConsultationPolicy, EnrolmentError, GroupError, GroupProgramDraft, CONSULTATION_REQUIRED_APPROACHES,
};
pub use hold::{capture_plan, hold_lapses_at, is_payment_window_open, payment_deadline, CapturePlan, CaptureReason};
pub use money::{Money, MoneyError, MoneyLocale, NBSP};
pub use package::{Package, PackageError, PackageParts};
pub use payment::{Payment, PaymentError, PaymentEvent, PaymentParts, PaymentState, PaymentTransition, ReturnMoney};
pub use price::{
    next_price_change_allowed_at, quote_client_price, validate_price, ClientQuote, PriceBasis, PriceError, PriceKind,
    PriceLock, PriceState, PriceUpdate,
};
pub use readiness::{
    checklist, ready_for_moderation, ready_to_sign, ChecklistEntry, ChecklistItem, ProfileFacts, TaxStatus,
};
pub use schedule::{
    find_overlap, first_conflict, in_zone, local_wall_time, overlaps_any, parse_zone, resolve_local, utc_offset_label,
    weekly_slots, Interval, LocalResolution, ScheduleError, SlotOccurrence, MAX_RECURRING_WEEKS,
};
pub use scoring::{score, ScoringError, SeverityBand, TestKind, TestResult};
pub use session::SessionKind;
pub use settings::{DomainSettings, SettingsError};

/// A stored text that names no value of one of the text-stored enums (`BookingState::from_str`
/// and the like): a corrupt row, or one written by a newer version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} value {value:?}")]
pub struct UnknownValue {
    /// The Rust type that was parsed.
    pub type_name: &'static str,
    /// The text that was not recognised (at most 64 characters of it).
    pub value: String,
}

impl UnknownValue {
    /// Locale key: the stored value is not understood (an internal error for the user).
    #[must_use]
    pub fn key(&self) -> &'static str {
        "domain-error-unknown-value"
    }
}

/// Every Fluent message id that a `key()` of this module can return, for a test that checks
/// that each locale has them all. The meaning of each is documented at the `key()` that returns
/// it and summarised in `docs/RULES-MAP.md`.
pub const LOCALE_KEYS: &[&str] = &[
    // errors of this module
    "domain-error-unknown-value",
    // money::MoneyError
    "money-error-empty",
    "money-error-not-a-number",
    "money-error-negative",
    "money-error-too-many-decimals",
    "money-error-too-large",
    "money-error-ambiguous",
    // price::PriceError
    "price-error-below-floor",
    "price-error-too-soon",
    // package::PackageError
    "package-error-invalid-size",
    "package-error-too-large",
    "package-error-no-credits-left",
    "package-error-nothing-to-return",
    "package-error-nothing-to-refund",
    "package-error-inconsistent",
    // booking::BookingError
    "booking-error-not-confirmed",
    "booking-error-expired",
    "booking-error-cancelled",
    "booking-error-finished",
    // payment::PaymentError
    "payment-error-forbidden",
    "payment-error-refund-exceeds-captured",
    // cancellation::CancellationError
    "cancel-error-already-started",
    "cancel-error-not-cancellable",
    // schedule::ScheduleError
    "schedule-error-empty-interval",
    "schedule-error-unknown-zone",
    "schedule-error-too-many-weeks",
    "schedule-error-out-of-range",
    "schedule-error-bad-duration",
    "schedule-error-nonexistent-local-time",
    // group::GroupError
    "group-error-capacity-too-small",
    "group-error-capacity-too-large",
    "group-error-price-below-floor",
    "group-error-no-meetings",
    // group::EnrolmentError
    "enrol-error-not-published",
    "enrol-error-consultation-required",
    "enrol-error-awaiting-admission",
    "enrol-error-not-admitted",
    "enrol-error-full",
    // scoring::ScoringError
    "test-error-wrong-answer-count",
    "test-error-answer-out-of-range",
    // scoring::SeverityBand
    "test-band-minimal",
    "test-band-mild",
    "test-band-moderate",
    "test-band-moderately-severe",
    "test-band-severe",
    // readiness::ChecklistItem
    "readiness-full-name",
    "readiness-photo",
    "readiness-bio",
    "readiness-education",
    "readiness-years-of-practice",
    "readiness-languages",
    "readiness-time-zone",
    "readiness-video-room",
    "readiness-topics",
    "readiness-modalities",
    "readiness-client-types",
    "readiness-formats",
    "readiness-prices",
    "readiness-calendar",
    "readiness-presentations",
    "readiness-payout-details",
    "readiness-tax-certificate",
    "readiness-offer-accepted",
    "readiness-privacy-accepted",
    "readiness-ethics-accepted",
    // settings::SettingsError (operator-facing; English is enough)
    "settings-error-non-positive-duration",
    "settings-error-bad-percent",
    "settings-error-bad-capacity",
    "settings-error-bad-package-sizes",
    "settings-error-bad-months",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::str::FromStr;

    #[test]
    fn locale_keys_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for key in LOCALE_KEYS {
            assert!(seen.insert(*key), "duplicate key {key}");
            assert!(
                key.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{key} is not kebab-case"
            );
        }
    }

    /// Every `key()` of the module, from every variant, equals [`LOCALE_KEYS`]: no key is
    /// missing from the list and the list has no stale key.
    #[test]
    fn locale_keys_are_exactly_the_keys_in_use() {
        use chrono::{TimeZone, Utc};
        let at = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let unknown = UnknownValue {
            type_name: "X",
            value: String::new(),
        };
        let mut used: Vec<&str> = vec![unknown.key()];
        used.extend(
            [
                MoneyError::Empty,
                MoneyError::NotANumber,
                MoneyError::Negative,
                MoneyError::TooManyDecimals,
                MoneyError::TooLarge,
                MoneyError::Ambiguous,
            ]
            .iter()
            .map(MoneyError::key),
        );
        used.extend([
            PriceError::BelowFloor {
                kind: PriceKind::Group,
                floor: Money::ZERO,
            }
            .key(),
            PriceError::TooSoon { next_allowed_at: at }.key(),
        ]);
        used.extend(
            [
                PackageError::InvalidSize { size: 3 },
                PackageError::TooLarge,
                PackageError::NoCreditsLeft,
                PackageError::NothingToReturn,
                PackageError::NothingToRefund,
                PackageError::Inconsistent,
            ]
            .iter()
            .map(PackageError::key),
        );
        let event = BookingEvent::SessionHeld;
        let state = BookingState::Completed;
        used.extend(
            [
                BookingError::NotConfirmed { event },
                BookingError::Expired { event },
                BookingError::Cancelled { state, event },
                BookingError::Finished { state, event },
            ]
            .iter()
            .map(BookingError::key),
        );
        used.extend([
            PaymentError::Forbidden {
                from: PaymentState::Failed,
                event: PaymentEvent::Captured,
            }
            .key(),
            PaymentError::RefundExceedsCaptured {
                captured: Money::ZERO,
                refunded: Money::ZERO,
            }
            .key(),
        ]);
        used.extend([
            CancellationError::AlreadyStarted.key(),
            CancellationError::NotCancellable(BookingError::Expired { event }).key(),
        ]);
        used.extend(
            [
                ScheduleError::EmptyInterval,
                ScheduleError::UnknownZone,
                ScheduleError::TooManyWeeks { max: 1 },
                ScheduleError::OutOfRange,
                ScheduleError::BadDuration {
                    kind: SessionKind::Group,
                    minutes: 1,
                },
                ScheduleError::NonexistentLocalTime,
            ]
            .iter()
            .map(ScheduleError::key),
        );
        used.extend(
            [
                GroupError::CapacityTooSmall { min: 5 },
                GroupError::CapacityTooLarge { max: 12 },
                GroupError::PriceBelowFloor { floor: Money::ZERO },
                GroupError::NoMeetings,
            ]
            .iter()
            .map(GroupError::key),
        );
        used.extend(
            [
                EnrolmentError::NotPublished,
                EnrolmentError::ConsultationRequired,
                EnrolmentError::AwaitingAdmission,
                EnrolmentError::NotAdmitted,
                EnrolmentError::Full,
            ]
            .iter()
            .map(EnrolmentError::key),
        );
        used.extend([
            ScoringError::WrongAnswerCount { expected: 9, got: 0 }.key(),
            ScoringError::AnswerOutOfRange { item: 1, value: 4 }.key(),
        ]);
        used.extend(SeverityBand::ALL.iter().map(|b| b.key()));
        used.extend(ChecklistItem::ALL.iter().map(|i| i.key()));
        used.extend(
            [
                SettingsError::NonPositiveDuration("x"),
                SettingsError::BadPercent("x"),
                SettingsError::BadCapacity,
                SettingsError::BadPackageSizes,
                SettingsError::BadMonths,
            ]
            .iter()
            .map(SettingsError::key),
        );
        let used: HashSet<&str> = used.into_iter().collect();
        let listed: HashSet<&str> = LOCALE_KEYS.iter().copied().collect();
        assert_eq!(used, listed);
    }

    #[test]
    fn unknown_value_is_an_error_with_a_key() {
        let err = BookingState::from_str("nonsense").unwrap_err();
        assert_eq!(err.type_name, "BookingState");
        assert!(LOCALE_KEYS.contains(&err.key()));
    }
}
