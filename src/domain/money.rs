//! Money: roubles kept exactly, as a whole number of kopecks that is never negative.
//!
//! Inside, [`Money`] is an `i64` of kopecks in `0..=Money::MAX_KOPECKS`; outside it offers both the
//! kopecks (for the database) and a [`Decimal`] of roubles (for arithmetic). It serialises as the
//! integer number of kopecks.
//!
//! # Parsing what people type ([`Money::parse`])
//!
//! Accepted (all give 2500 ₽ or 2500,50 ₽):
//! `2500`, `2 500` (any Unicode space as thousands separator, e.g. U+00A0, U+202F), `2500,50`,
//! `2500.50`, `2 500,5`, `1.000.000`, `1,000,000`, `2,500.50`, `2.500,50`, and a currency marker
//! before or after the number in any letter case: `₽`, `р`, `р.`, `руб`, `руб.`, `рубль`,
//! `рубля`, `рублей`, `rub`, `rub.`, `rur` (`2 500 ₽`, `2500 руб`, `2500 rub`, `₽2500`).
//!
//! **Decided** rules for what stays ambiguous:
//! - At most two decimal digits: `2500,505` is [`MoneyError::TooManyDecimals`].
//! - When both `,` and `.` occur, the last one is the decimal separator and the other groups
//!   thousands (`2,500.50` = `2.500,50`).
//! - One single `,` or `.` followed by exactly three digits after one to three digits (`2,500`,
//!   `2.500`) could be 2500 or 2,5: it is [`MoneyError::Ambiguous`]; the bot asks for `2500` or
//!   `2,50`. Exception: after the Latin prefix `RUB` (our English format, `RUB 2,500`) the English
//!   convention holds: `,` groups thousands and `.` is the decimal separator.
//! - Groups of thousands must be well formed (`25 00` is [`MoneyError::NotANumber`]).
//! - A leading minus (`-`, `−`, `–`) before a number is [`MoneyError::Negative`]; `+`, letters,
//!   `.5` (no integer part) and `2500.` (no decimals after the separator) are
//!   [`MoneyError::NotANumber`]; blank input is [`MoneyError::Empty`].
//! - More than [`Money::MAX_KOPECKS`] kopecks (one trillion roubles) is
//!   [`MoneyError::TooLarge`].
//!
//! # Formatting ([`Money::format`])
//!
//! `ru`: `2 500 ₽`, `2 500,50 ₽`; `en`: `RUB 2,500`, `RUB 2,500.50`. **Decided**: every space in
//! the output is a no-break space U+00A0 ([`NBSP`]): Telegram then never breaks an amount across
//! lines, and U+00A0 renders in every font (U+202F does not everywhere). Kopecks are shown only
//! when they are not zero. Formatting then parsing gives back the same amount.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The no-break space U+00A0 used as the thousands separator (ru) and between number and
/// currency (both locales) by [`Money::format`].
pub const NBSP: char = '\u{00A0}';

/// An amount of roubles: whole kopecks, never negative, at most [`Money::MAX_KOPECKS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

/// Why a text or a number is not an amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing was typed.
    #[error("empty amount")]
    Empty,
    /// The text is not a number (letters, malformed thousands groups, a lone separator).
    #[error("not a number")]
    NotANumber,
    /// The amount is below zero.
    #[error("negative amount")]
    Negative,
    /// More than two decimal digits (fractions of a kopeck).
    #[error("more than two decimal digits")]
    TooManyDecimals,
    /// More than [`Money::MAX_KOPECKS`] kopecks.
    #[error("amount too large")]
    TooLarge,
    /// `2,500` or `2.500`: thousands or decimals cannot be told apart.
    #[error("ambiguous separator")]
    Ambiguous,
}

impl MoneyError {
    /// The Fluent message id for this error:
    /// - `money-error-empty`: the user sent no amount;
    /// - `money-error-not-a-number`: this is not an amount, write it like 2500 or 2500,50;
    /// - `money-error-negative`: an amount cannot be negative;
    /// - `money-error-too-many-decimals`: at most two digits after the comma (kopecks);
    /// - `money-error-too-large`: the amount is unrealistically large;
    /// - `money-error-ambiguous`: "2,500" is unclear, write 2500 (or 2,50 for two and a half).
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            MoneyError::Empty => "money-error-empty",
            MoneyError::NotANumber => "money-error-not-a-number",
            MoneyError::Negative => "money-error-negative",
            MoneyError::TooManyDecimals => "money-error-too-many-decimals",
            MoneyError::TooLarge => "money-error-too-large",
            MoneyError::Ambiguous => "money-error-ambiguous",
        }
    }
}

string_enum! {
    /// The conventions an amount is written in.
    pub enum MoneyLocale {
        /// `2 500,50 ₽`
        Ru => "ru",
        /// `RUB 2,500.50`
        En => "en",
    }
}

impl Money {
    /// Nothing: a free session.
    pub const ZERO: Money = Money(0);
    /// The largest amount, in kopecks: one trillion roubles. Far above any real price, far below
    /// `i64::MAX`, so sums of many amounts cannot overflow unnoticed.
    pub const MAX_KOPECKS: i64 = 100_000_000_000_000;
    /// The largest amount.
    pub const MAX: Money = Money(Self::MAX_KOPECKS);

    /// An amount of whole kopecks, e.g. from the database.
    ///
    /// # Errors
    /// [`MoneyError::Negative`] below zero, [`MoneyError::TooLarge`] above [`Money::MAX_KOPECKS`].
    pub const fn from_kopecks(kopecks: i64) -> Result<Money, MoneyError> {
        if kopecks < 0 {
            Err(MoneyError::Negative)
        } else if kopecks > Self::MAX_KOPECKS {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Money(kopecks))
        }
    }

    /// Whole roubles; infallible (`u32::MAX` roubles is far below [`Money::MAX`]), so usable in
    /// constants: `Money::rubles(2500)`.
    #[must_use]
    pub const fn rubles(rubles: u32) -> Money {
        Money(rubles as i64 * 100)
    }

    /// The amount in kopecks, what the database stores.
    #[must_use]
    pub const fn kopecks(self) -> i64 {
        self.0
    }

    /// The amount in roubles as a decimal with two decimal places (`2500.50`).
    #[must_use]
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// An amount of roubles given as a decimal.
    ///
    /// # Errors
    /// [`MoneyError::Negative`], [`MoneyError::TooManyDecimals`] (a fraction of a kopeck) or
    /// [`MoneyError::TooLarge`].
    pub fn from_decimal(rubles: Decimal) -> Result<Money, MoneyError> {
        if rubles.is_sign_negative() && !rubles.is_zero() {
            return Err(MoneyError::Negative);
        }
        if rubles.normalize().scale() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let kopecks = rubles
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|k| k.to_i64())
            .ok_or(MoneyError::TooLarge)?;
        Money::from_kopecks(kopecks)
    }

    /// Whether this is zero.
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or `None` above [`Money::MAX`].
    #[must_use]
    pub const fn checked_add(self, other: Money) -> Option<Money> {
        // Both are at most MAX_KOPECKS, so the i64 sum cannot overflow.
        let sum = self.0 + other.0;
        if sum > Self::MAX_KOPECKS {
            None
        } else {
            Some(Money(sum))
        }
    }

    /// `self - other`, or `None` if that would be negative.
    #[must_use]
    pub const fn checked_sub(self, other: Money) -> Option<Money> {
        if other.0 > self.0 {
            None
        } else {
            Some(Money(self.0 - other.0))
        }
    }

    /// `self - other`, or zero if that would be negative.
    #[must_use]
    pub const fn saturating_sub(self, other: Money) -> Money {
        if other.0 > self.0 {
            Money::ZERO
        } else {
            Money(self.0 - other.0)
        }
    }

    /// `self * count`, or `None` above [`Money::MAX`].
    #[must_use]
    pub fn checked_mul(self, count: u32) -> Option<Money> {
        self.0
            .checked_mul(i64::from(count))
            .and_then(|k| Money::from_kopecks(k).ok())
    }

    /// `percent` % of this amount, rounded to the kopeck half away from zero
    /// (`MidpointAwayFromZero`: 0.5 kopeck becomes 1 kopeck). Used for the commission (R-PAY-2).
    ///
    /// # Errors
    /// [`MoneyError::Negative`] for a negative percentage, [`MoneyError::TooLarge`] when the result
    /// is above [`Money::MAX`].
    pub fn percentage(self, percent: Decimal) -> Result<Money, MoneyError> {
        if percent.is_sign_negative() && !percent.is_zero() {
            return Err(MoneyError::Negative);
        }
        let kopecks = Decimal::from(self.0)
            .checked_mul(percent)
            .and_then(|k| k.checked_div(Decimal::ONE_HUNDRED))
            .map(|k| k.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
            .and_then(|k| k.to_i64())
            .ok_or(MoneyError::TooLarge)?;
        Money::from_kopecks(kopecks)
    }

    /// Renders the amount for people (see the module docs): `2 500 ₽` / `RUB 2,500`, kopecks only
    /// when not zero. Every space is U+00A0.
    #[must_use]
    pub fn format(self, locale: MoneyLocale) -> String {
        let rubles = self.0 / 100;
        let kopecks = self.0 % 100;
        let (group_sep, decimal_sep) = match locale {
            MoneyLocale::Ru => (NBSP, ','),
            MoneyLocale::En => (',', '.'),
        };
        let digits = rubles.to_string();
        let mut number = String::with_capacity(digits.len() + digits.len() / 3 + 4);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                number.push(group_sep);
            }
            number.push(digit);
        }
        if kopecks != 0 {
            number.push(decimal_sep);
            number.push(digit_char(kopecks / 10));
            number.push(digit_char(kopecks % 10));
        }
        match locale {
            MoneyLocale::Ru => format!("{number}{NBSP}₽"),
            MoneyLocale::En => format!("RUB{NBSP}{number}"),
        }
    }

    /// Parses an amount as people type it; the accepted forms and the decided edge cases are in
    /// the module docs.
    ///
    /// # Errors
    /// A [`MoneyError`] variant saying what is wrong, to be shown through its [`MoneyError::key`].
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        let lower = trimmed.to_lowercase();
        let (body, english) = strip_currency(&lower);
        let body = body.trim();
        let (negative, body) = match body.strip_prefix(['-', '\u{2212}', '\u{2013}']) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, body),
        };
        let kopecks = parse_number(body, english)?;
        if negative && kopecks != 0 {
            return Err(MoneyError::Negative);
        }
        Money::from_kopecks(kopecks)
    }
}

/// The ASCII digit for `0..=9` (other values cannot occur; they give `0`).
fn digit_char(value: i64) -> char {
    u32::try_from(value)
        .ok()
        .and_then(|v| char::from_digit(v, 10))
        .unwrap_or('0')
}

/// Currency markers after the number, longest first so that `руб.` wins over `р`.
const SUFFIXES: &[&str] = &[
    "рублей",
    "рубля",
    "рубль",
    "руб.",
    "руб",
    "rub.",
    "rub",
    "rur",
    "р.",
    "р",
    "₽",
];
/// Currency markers before the number. The Latin ones switch to the English convention.
const PREFIXES: &[(&str, bool)] = &[("rub", true), ("rur", true), ("руб", false), ("₽", false)];

/// Removes one currency marker; tells whether it was an English prefix (`RUB 2,500`).
fn strip_currency(text: &str) -> (&str, bool) {
    for suffix in SUFFIXES {
        if let Some(rest) = text.strip_suffix(suffix) {
            return (rest, false);
        }
    }
    for (prefix, english) in PREFIXES {
        if let Some(rest) = text.strip_prefix(prefix) {
            return (rest, *english);
        }
    }
    (text, false)
}

/// Parses a non-negative number with at most two decimals into kopecks.
fn parse_number(body: &str, english: bool) -> Result<i64, MoneyError> {
    if body.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || c.is_whitespace())
    {
        return Err(MoneyError::NotANumber);
    }
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();

    // Which character (if any) separates the kopecks.
    let decimal: Option<char> = if english {
        match dots {
            0 => None,
            1 => Some('.'),
            _ => return Err(MoneyError::NotANumber),
        }
    } else if commas > 0 && dots > 0 {
        let last = body.rfind([',', '.']).and_then(|i| body[i..].chars().next());
        match last {
            Some(c) if body.matches(c).count() == 1 => Some(c),
            _ => return Err(MoneyError::NotANumber),
        }
    } else if commas + dots == 1 {
        let sep = if commas == 1 { ',' } else { '.' };
        let (int, frac) = body.split_once(sep).unwrap_or((body, ""));
        let could_be_thousands = frac.len() == 3
            && frac.chars().all(|c| c.is_ascii_digit())
            && (1..=3).contains(&int.len())
            && int.chars().all(|c| c.is_ascii_digit())
            && !int.starts_with('0');
        if could_be_thousands {
            return Err(MoneyError::Ambiguous);
        }
        Some(sep)
    } else {
        // No separator, or one repeated: then it groups thousands.
        None
    };

    let (int_part, frac_part) = match decimal {
        Some(sep) => match body.rsplit_once(sep) {
            Some((int, frac)) => (int, Some(frac)),
            None => (body, None),
        },
        None => (body, None),
    };

    let frac_kopecks = match frac_part {
        None => 0,
        Some(frac) => {
            if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
                return Err(MoneyError::NotANumber);
            }
            if frac.len() > 2 {
                return Err(MoneyError::TooManyDecimals);
            }
            let value: i64 = frac.parse().map_err(|_| MoneyError::NotANumber)?;
            if frac.len() == 1 {
                value * 10
            } else {
                value
            }
        }
    };

    let digits = integer_digits(int_part, decimal)?;
    let significant = digits.trim_start_matches('0');
    if significant.len() > 15 {
        return Err(MoneyError::TooLarge);
    }
    let rubles: i64 = if significant.is_empty() {
        0
    } else {
        significant.parse().map_err(|_| MoneyError::NotANumber)?
    };
    rubles
        .checked_mul(100)
        .and_then(|k| k.checked_add(frac_kopecks))
        .filter(|k| *k <= Money::MAX_KOPECKS)
        .ok_or(MoneyError::TooLarge)
}

/// The digits of the integer part, checking that thousands groups (by spaces, or by whichever of
/// `,` `.` is not the decimal separator) are well formed.
fn integer_digits(int_part: &str, decimal: Option<char>) -> Result<String, MoneyError> {
    if int_part.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    let is_group_sep = |c: char| c.is_whitespace() || ((c == ',' || c == '.') && Some(c) != decimal);
    let separators: Vec<char> = int_part.chars().filter(|c| is_group_sep(*c)).collect();
    if separators.is_empty() {
        return Ok(int_part.to_owned());
    }
    // One kind of grouping only: spaces, or commas, or dots.
    let spaces = separators.iter().all(|c| c.is_whitespace());
    let same_mark = separators.windows(2).all(|w| w[0] == w[1]);
    if !spaces && !same_mark {
        return Err(MoneyError::NotANumber);
    }
    let mut digits = String::with_capacity(int_part.len());
    for (i, group) in int_part.split(is_group_sep).enumerate() {
        let ok_len = if i == 0 {
            (1..=3).contains(&group.len())
        } else {
            group.len() == 3
        };
        if !ok_len || !group.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        digits.push_str(group);
    }
    Ok(digits)
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl TryFrom<i64> for Money {
    type Error = MoneyError;

    fn try_from(kopecks: i64) -> Result<Self, Self::Error> {
        Money::from_kopecks(kopecks)
    }
}

impl From<Money> for i64 {
    fn from(money: Money) -> i64 {
        money.0
    }
}

impl TryFrom<Decimal> for Money {
    type Error = MoneyError;

    fn try_from(rubles: Decimal) -> Result<Self, Self::Error> {
        Money::from_decimal(rubles)
    }
}

impl From<Money> for Decimal {
    fn from(money: Money) -> Decimal {
        money.to_decimal()
    }
}

/// Plain, locale-free form for logs: `2500.50` (always two decimals).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rub(r: u32) -> Money {
        Money::rubles(r)
    }

    fn k(kopecks: i64) -> Money {
        Money::from_kopecks(kopecks).unwrap()
    }

    #[test]
    fn constructors_reject_negative_and_huge() {
        assert_eq!(Money::from_kopecks(-1), Err(MoneyError::Negative));
        assert_eq!(Money::from_kopecks(Money::MAX_KOPECKS + 1), Err(MoneyError::TooLarge));
        assert_eq!(Money::from_kopecks(0), Ok(Money::ZERO));
        assert_eq!(rub(2500).kopecks(), 250_000);
        assert_eq!(Money::rubles(u32::MAX).kopecks(), i64::from(u32::MAX) * 100);
    }

    #[test]
    fn decimal_round_trip_and_fraction_of_kopeck_rejected() {
        let m = Money::from_decimal(Decimal::new(250_050, 2)).unwrap();
        assert_eq!(m, k(250_050));
        assert_eq!(m.to_decimal(), Decimal::new(250_050, 2));
        assert_eq!(
            Money::from_decimal(Decimal::new(2_500_505, 3)),
            Err(MoneyError::TooManyDecimals)
        );
        // Trailing zeros are not fractions of a kopeck.
        assert_eq!(Money::from_decimal(Decimal::new(2_500_500, 3)), Ok(k(250_050)));
        assert_eq!(Money::from_decimal(Decimal::new(-1, 0)), Err(MoneyError::Negative));
        assert_eq!(Money::from_decimal(Decimal::MAX), Err(MoneyError::TooLarge));
        assert_eq!(Money::from_decimal(Decimal::new(-0, 2)), Ok(Money::ZERO));
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(rub(1).checked_add(rub(2)), Some(rub(3)));
        assert_eq!(Money::MAX.checked_add(k(1)), None);
        assert_eq!(rub(1).checked_sub(rub(2)), None);
        assert_eq!(rub(3).checked_sub(rub(2)), Some(rub(1)));
        assert_eq!(rub(1).saturating_sub(rub(2)), Money::ZERO);
        assert_eq!(rub(2500).checked_mul(4), Some(rub(10_000)));
        assert_eq!(Money::MAX.checked_mul(2), None);
        assert_eq!(Money::MAX.checked_mul(u32::MAX), None);
    }

    #[test]
    fn percentage_rounds_half_away_from_zero() {
        // 30% of 0.05 = 0.015 -> 0.02 (1.5 kopecks rounds up)
        assert_eq!(k(5).percentage(Decimal::from(30)), Ok(k(2)));
        // 30% of 0.01 = 0.003 -> 0
        assert_eq!(k(1).percentage(Decimal::from(30)), Ok(k(0)));
        // 50% of 0.03 = 0.015 -> 0.02
        assert_eq!(k(3).percentage(Decimal::from(50)), Ok(k(2)));
        assert_eq!(rub(2500).percentage(Decimal::from(30)), Ok(rub(750)));
        assert_eq!(rub(1).percentage(Decimal::from(-1)), Err(MoneyError::Negative));
        assert_eq!(Money::MAX.percentage(Decimal::from(200)), Err(MoneyError::TooLarge));
        assert_eq!(Money::MAX.percentage(Decimal::MAX), Err(MoneyError::TooLarge));
    }

    #[test]
    fn format_ru_and_en() {
        assert_eq!(rub(2500).format(MoneyLocale::Ru), "2\u{a0}500\u{a0}₽");
        assert_eq!(k(250_050).format(MoneyLocale::Ru), "2\u{a0}500,50\u{a0}₽");
        assert_eq!(rub(2500).format(MoneyLocale::En), "RUB\u{a0}2,500");
        assert_eq!(k(250_050).format(MoneyLocale::En), "RUB\u{a0}2,500.50");
        assert_eq!(k(250_005).format(MoneyLocale::En), "RUB\u{a0}2,500.05");
        assert_eq!(Money::ZERO.format(MoneyLocale::Ru), "0\u{a0}₽");
        assert_eq!(k(50).format(MoneyLocale::Ru), "0,50\u{a0}₽");
        assert_eq!(rub(999).format(MoneyLocale::Ru), "999\u{a0}₽");
        assert_eq!(rub(1_234_567).format(MoneyLocale::En), "RUB\u{a0}1,234,567");
        assert_eq!(rub(100_000).format(MoneyLocale::Ru), "100\u{a0}000\u{a0}₽");
    }

    #[test]
    fn display_is_plain() {
        assert_eq!(k(250_050).to_string(), "2500.50");
        assert_eq!(rub(3).to_string(), "3.00");
    }

    #[test]
    fn parse_accepts_what_people_type() {
        let cases: &[(&str, i64)] = &[
            ("2500", 250_000),
            ("2 500", 250_000),
            ("2\u{a0}500", 250_000),
            ("2\u{202f}500", 250_000),
            ("2500,50", 250_050),
            ("2500.50", 250_050),
            ("2500,5", 250_050),
            ("2 500 ₽", 250_000),
            ("2500₽", 250_000),
            ("₽2500", 250_000),
            ("2500 руб", 250_000),
            ("2500 руб.", 250_000),
            ("2500 рублей", 250_000),
            ("2500р", 250_000),
            ("2500 р.", 250_000),
            ("2500 rub", 250_000),
            ("2500 RUB", 250_000),
            ("RUB 2,500", 250_000),
            ("RUB 2,500.50", 250_050),
            ("rub 2500", 250_000),
            ("2,500.50", 250_050),
            ("2.500,50", 250_050),
            ("1,000,000", 100_000_000),
            ("1.000.000", 100_000_000),
            ("1 000 000,01", 100_000_001),
            ("  2500  ", 250_000),
            ("0", 0),
            ("-0", 0),
            ("0,5", 50),
            ("02500", 250_000),
            ("12,50", 1250),
        ];
        for (text, kopecks) in cases {
            assert_eq!(Money::parse(text), Ok(k(*kopecks)), "{text:?}");
        }
    }

    #[test]
    fn parse_rejects_with_a_reason() {
        let cases: &[(&str, MoneyError)] = &[
            ("", MoneyError::Empty),
            ("   ", MoneyError::Empty),
            ("abc", MoneyError::NotANumber),
            ("₽", MoneyError::NotANumber),
            ("2500 usd", MoneyError::NotANumber),
            ("25 00", MoneyError::NotANumber),
            ("2  500", MoneyError::NotANumber),
            ("2500.", MoneyError::NotANumber),
            (".5", MoneyError::NotANumber),
            ("+2500", MoneyError::NotANumber),
            ("2500.5.5", MoneyError::NotANumber),
            ("2,500,50", MoneyError::NotANumber),
            ("1,000.000,5", MoneyError::NotANumber),
            ("2 500.000,50", MoneyError::NotANumber),
            ("-2500", MoneyError::Negative),
            ("- 2 500 ₽", MoneyError::Negative),
            ("−2500", MoneyError::Negative),
            ("-abc", MoneyError::NotANumber),
            ("2500,505", MoneyError::TooManyDecimals),
            ("1234,567", MoneyError::TooManyDecimals),
            ("0,500", MoneyError::TooManyDecimals),
            ("RUB 2.500", MoneyError::TooManyDecimals),
            ("2,500", MoneyError::Ambiguous),
            ("2.500", MoneyError::Ambiguous),
            ("250.000 ₽", MoneyError::Ambiguous),
            ("-2,500", MoneyError::Ambiguous),
            ("1000000000001", MoneyError::TooLarge),
            ("99999999999999999999999999999", MoneyError::TooLarge),
        ];
        for (text, err) in cases {
            assert_eq!(Money::parse(text), Err(*err), "{text:?}");
            assert!(crate::domain::LOCALE_KEYS.contains(&err.key()));
        }
        assert_eq!("2 500".parse::<Money>(), Ok(rub(2500)));
        assert_eq!(Money::parse("1000000000000"), Ok(Money::MAX));
    }

    #[test]
    fn serde_as_integer_kopecks() {
        let json = serde_json::to_string(&k(250_050)).unwrap();
        assert_eq!(json, "250050");
        assert_eq!(serde_json::from_str::<Money>("250050").unwrap(), k(250_050));
        assert!(serde_json::from_str::<Money>("-1").is_err());
        assert_eq!(MoneyLocale::Ru.as_str(), "ru");
    }

    #[test]
    fn every_error_has_a_known_key() {
        for err in [
            MoneyError::Empty,
            MoneyError::NotANumber,
            MoneyError::Negative,
            MoneyError::TooManyDecimals,
            MoneyError::TooLarge,
            MoneyError::Ambiguous,
        ] {
            assert!(crate::domain::LOCALE_KEYS.contains(&err.key()));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn format_then_parse_round_trips(kopecks in 0..=Money::MAX_KOPECKS) {
            let m = k(kopecks);
            prop_assert_eq!(Money::parse(&m.format(MoneyLocale::Ru)), Ok(m));
            prop_assert_eq!(Money::parse(&m.format(MoneyLocale::En)), Ok(m));
            prop_assert_eq!(Money::from_decimal(m.to_decimal()), Ok(m));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,24}") {
            let _ = Money::parse(&text);
        }

        #[test]
        fn parse_of_plain_digits(rubles in 0u32..1_000_000, kop in 0u8..100) {
            let text = format!("{rubles},{kop:02}");
            prop_assert_eq!(
                Money::parse(&text),
                Ok(k(i64::from(rubles) * 100 + i64::from(kop)))
            );
        }
    }
}
