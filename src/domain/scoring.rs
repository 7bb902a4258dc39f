//! Scoring of the PHQ-9 (depression) and GAD-7 (anxiety) questionnaires (R-CLI-3), with their
//! published severity bands and the PHQ-9 item 9 risk flag.
//!
//! Each item is answered 0 ("not at all") to 3 ("nearly every day"). Bands:
//! PHQ-9 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe;
//! GAD-7 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
//! A PHQ-9 item 9 answer above 0 (thoughts of self-harm) sets [`TestResult::risk`]: the bot shows
//! crisis help at once and flags the case to the admins; it never blocks booking.

use serde::{Deserialize, Serialize};

string_enum! {
    /// Which questionnaire.
    pub enum TestKind {
        /// Patient Health Questionnaire, 9 items (depression).
        Phq9 => "phq9",
        /// Generalized Anxiety Disorder scale, 7 items.
        Gad7 => "gad7",
    }
}

impl TestKind {
    /// Number of items.
    #[must_use]
    pub const fn item_count(self) -> usize {
        match self {
            TestKind::Phq9 => 9,
            TestKind::Gad7 => 7,
        }
    }

    /// The highest possible total.
    #[must_use]
    pub const fn max_score(self) -> u8 {
        match self {
            TestKind::Phq9 => 27,
            TestKind::Gad7 => 21,
        }
    }

    /// The band of a total under this test's published cut-offs.
    #[must_use]
    pub const fn band(self, total: u8) -> SeverityBand {
        match (self, total) {
            (_, 0..=4) => SeverityBand::Minimal,
            (_, 5..=9) => SeverityBand::Mild,
            (_, 10..=14) => SeverityBand::Moderate,
            (TestKind::Phq9, 15..=19) => SeverityBand::ModeratelySevere,
            _ => SeverityBand::Severe,
        }
    }
}

string_enum! {
    /// A severity band; ordered from least to most severe.
    #[derive(PartialOrd, Ord)]
    pub enum SeverityBand {
        /// 0-4.
        Minimal => "minimal",
        /// 5-9.
        Mild => "mild",
        /// 10-14.
        Moderate => "moderate",
        /// PHQ-9 only: 15-19.
        ModeratelySevere => "moderately_severe",
        /// PHQ-9 20-27, GAD-7 15-21.
        Severe => "severe",
    }
}

impl SeverityBand {
    /// The Fluent message id of the band's name: `test-band-minimal`, `test-band-mild`,
    /// `test-band-moderate`, `test-band-moderately-severe`, `test-band-severe`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            SeverityBand::Minimal => "test-band-minimal",
            SeverityBand::Mild => "test-band-mild",
            SeverityBand::Moderate => "test-band-moderate",
            SeverityBand::ModeratelySevere => "test-band-moderately-severe",
            SeverityBand::Severe => "test-band-severe",
        }
    }
}

/// A scored questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    /// Which test.
    pub kind: TestKind,
    /// The sum of the answers.
    pub total: u8,
    /// The severity band of the total.
    pub band: SeverityBand,
    /// PHQ-9 item 9 above 0: show crisis help and flag to the admins (R-CLI-3).
    pub risk: bool,
}

/// Answers that cannot be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    /// Not one answer per item.
    #[error("expected {expected} answers, got {got}")]
    WrongAnswerCount {
        /// Items of the test.
        expected: usize,
        /// Answers given.
        got: usize,
    },
    /// An answer outside 0..=3.
    #[error("answer {value} to item {item} is not in 0..=3")]
    AnswerOutOfRange {
        /// The item, counted from 1.
        item: usize,
        /// The answer given.
        value: u8,
    },
}

impl ScoringError {
    /// The Fluent message id (both mean the test must be taken again; they indicate a bug or a
    /// stale dialogue):
    /// - `test-error-wrong-answer-count`: not every question was answered;
    /// - `test-error-answer-out-of-range`: an answer is not one of the offered options.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            ScoringError::WrongAnswerCount { .. } => "test-error-wrong-answer-count",
            ScoringError::AnswerOutOfRange { .. } => "test-error-answer-out-of-range",
        }
    }
}

/// Scores a test from its answers, in item order, each `0..=3` (R-CLI-3).
///
/// # Errors
/// [`ScoringError::WrongAnswerCount`] or [`ScoringError::AnswerOutOfRange`].
pub fn score(kind: TestKind, answers: &[u8]) -> Result<TestResult, ScoringError> {
    if answers.len() != kind.item_count() {
        return Err(ScoringError::WrongAnswerCount {
            expected: kind.item_count(),
            got: answers.len(),
        });
    }
    let mut total: u8 = 0;
    for (i, &value) in answers.iter().enumerate() {
        if value > 3 {
            return Err(ScoringError::AnswerOutOfRange { item: i + 1, value });
        }
        // At most 9 answers of at most 3: no overflow.
        total += value;
    }
    let risk = kind == TestKind::Phq9 && answers.get(8).is_some_and(|&a| a > 0);
    Ok(TestResult {
        kind,
        total,
        band: kind.band(total),
        risk,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Answers of `kind` summing to `total` (filled from the first item).
    fn answers(kind: TestKind, mut total: u8) -> Vec<u8> {
        (0..kind.item_count())
            .map(|_| {
                let a = total.min(3);
                total -= a;
                a
            })
            .collect()
    }

    #[test]
    fn r_cli_3_phq9_bands_at_every_boundary() {
        let cases = [
            (0, SeverityBand::Minimal),
            (4, SeverityBand::Minimal),
            (5, SeverityBand::Mild),
            (9, SeverityBand::Mild),
            (10, SeverityBand::Moderate),
            (14, SeverityBand::Moderate),
            (15, SeverityBand::ModeratelySevere),
            (19, SeverityBand::ModeratelySevere),
            (20, SeverityBand::Severe),
            (27, SeverityBand::Severe),
        ];
        for (total, band) in cases {
            let r = score(TestKind::Phq9, &answers(TestKind::Phq9, total)).unwrap();
            assert_eq!((r.total, r.band), (total, band));
        }
    }

    #[test]
    fn r_cli_3_gad7_bands_at_every_boundary() {
        let cases = [
            (0, SeverityBand::Minimal),
            (4, SeverityBand::Minimal),
            (5, SeverityBand::Mild),
            (9, SeverityBand::Mild),
            (10, SeverityBand::Moderate),
            (14, SeverityBand::Moderate),
            (15, SeverityBand::Severe),
            (21, SeverityBand::Severe),
        ];
        for (total, band) in cases {
            let r = score(TestKind::Gad7, &answers(TestKind::Gad7, total)).unwrap();
            assert_eq!((r.total, r.band), (total, band));
            assert!(!r.risk);
        }
    }

    #[test]
    fn r_cli_3_phq9_item_9_sets_the_risk_flag() {
        let mut a = [0u8; 9];
        assert!(!score(TestKind::Phq9, &a).unwrap().risk);
        a[8] = 1;
        let r = score(TestKind::Phq9, &a).unwrap();
        assert!(r.risk);
        assert_eq!(r.band, SeverityBand::Minimal); // risk regardless of the total
                                                   // Item 8 is not item 9.
        let mut b = [0u8; 9];
        b[7] = 3;
        assert!(!score(TestKind::Phq9, &b).unwrap().risk);
        // GAD-7 has no risk item.
        assert!(!score(TestKind::Gad7, &[3; 7]).unwrap().risk);
    }

    #[test]
    fn r_cli_3_rejects_wrong_count_and_range() {
        assert_eq!(
            score(TestKind::Phq9, &[0; 8]),
            Err(ScoringError::WrongAnswerCount { expected: 9, got: 8 })
        );
        assert_eq!(
            score(TestKind::Gad7, &[0; 9]),
            Err(ScoringError::WrongAnswerCount { expected: 7, got: 9 })
        );
        assert_eq!(
            score(TestKind::Gad7, &[0, 0, 4, 0, 0, 0, 0]),
            Err(ScoringError::AnswerOutOfRange { item: 3, value: 4 })
        );
        assert!(score(TestKind::Phq9, &[]).is_err());
        for e in [
            ScoringError::WrongAnswerCount { expected: 9, got: 0 },
            ScoringError::AnswerOutOfRange { item: 1, value: 9 },
        ] {
            assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
        }
    }

    #[test]
    fn bands_are_ordered_and_have_keys() {
        assert!(SeverityBand::Minimal < SeverityBand::Severe);
        assert!(SeverityBand::ModeratelySevere < SeverityBand::Severe);
        for band in SeverityBand::ALL {
            assert!(crate::domain::LOCALE_KEYS.contains(&band.key()));
        }
        assert_eq!(SeverityBand::ModeratelySevere.as_str(), "moderately_severe");
        assert_eq!(TestKind::Phq9.max_score(), 27);
        assert_eq!(TestKind::Gad7.max_score(), 21);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn score_is_the_sum_and_within_range(kind_index in 0usize..2, raw in prop::collection::vec(0u8..=3, 9)) {
            let kind = TestKind::ALL[kind_index];
            let a = &raw[..kind.item_count()];
            let r = score(kind, a).unwrap();
            prop_assert_eq!(u32::from(r.total), a.iter().map(|&x| u32::from(x)).sum::<u32>());
            prop_assert!(r.total <= kind.max_score());
            prop_assert_eq!(r.band, kind.band(r.total));
        }

        #[test]
        fn score_never_panics(kind_index in 0usize..2, raw in prop::collection::vec(any::<u8>(), 0..12)) {
            let _ = score(TestKind::ALL[kind_index], &raw);
        }
    }
}
