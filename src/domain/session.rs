//! Kinds of sessions and how long each lasts (R-PRICE-1, R-GRP-3, R-SES-1).

use chrono::TimeDelta;

use super::price::PriceKind;
use super::schedule::ScheduleError;

string_enum! {
    /// What a booked time is for.
    pub enum SessionKind {
        /// One client, 50 or 60 minutes (R-PRICE-1).
        Individual => "individual",
        /// A meeting of a group program, 90 minutes (R-PRICE-1).
        Group => "group",
        /// The free 15-minute preliminary consultation before a group (R-GRP-3).
        Consultation => "consultation",
    }
}

impl SessionKind {
    /// The lengths, in minutes, a session of this kind may have. **Decided**: an individual
    /// session is 50 or 60 minutes exactly (RULES.md says "50-60"; the two usual lengths), a group
    /// meeting 90, a preliminary consultation 15.
    #[must_use]
    pub const fn allowed_minutes(self) -> &'static [u32] {
        match self {
            SessionKind::Individual => &[50, 60],
            SessionKind::Group => &[90],
            SessionKind::Consultation => &[15],
        }
    }

    /// The usual length: 60, 90 or 15 minutes.
    #[must_use]
    pub fn default_duration(self) -> TimeDelta {
        let minutes = match self {
            SessionKind::Individual => 60,
            SessionKind::Group => 90,
            SessionKind::Consultation => 15,
        };
        TimeDelta::minutes(minutes)
    }

    /// The length of a session of this kind lasting `minutes`.
    ///
    /// # Errors
    /// [`ScheduleError::BadDuration`] when this kind cannot last that long.
    pub fn duration(self, minutes: u32) -> Result<TimeDelta, ScheduleError> {
        if self.allowed_minutes().contains(&minutes) {
            Ok(TimeDelta::minutes(i64::from(minutes)))
        } else {
            Err(ScheduleError::BadDuration { kind: self, minutes })
        }
    }

    /// The price list a session of this kind is charged from; `None` for the free consultation.
    #[must_use]
    pub const fn price_kind(self) -> Option<PriceKind> {
        match self {
            SessionKind::Individual => Some(PriceKind::Individual),
            SessionKind::Group => Some(PriceKind::Group),
            SessionKind::Consultation => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn r_price_1_session_lengths() {
        assert_eq!(SessionKind::Individual.duration(50), Ok(TimeDelta::minutes(50)));
        assert_eq!(SessionKind::Individual.duration(60), Ok(TimeDelta::minutes(60)));
        assert!(SessionKind::Individual.duration(55).is_err());
        assert!(SessionKind::Individual.duration(90).is_err());
        assert_eq!(SessionKind::Group.duration(90), Ok(TimeDelta::minutes(90)));
        assert!(SessionKind::Group.duration(60).is_err());
        assert_eq!(SessionKind::Consultation.duration(15), Ok(TimeDelta::minutes(15)));
        assert_eq!(
            SessionKind::Consultation.duration(16),
            Err(ScheduleError::BadDuration {
                kind: SessionKind::Consultation,
                minutes: 16
            })
        );
        for kind in SessionKind::ALL {
            let d = kind.default_duration();
            let minutes = u32::try_from(d.num_minutes()).unwrap();
            assert_eq!(kind.duration(minutes), Ok(d));
        }
    }

    #[test]
    fn r_grp_3_consultation_is_free() {
        assert_eq!(SessionKind::Consultation.price_kind(), None);
        assert_eq!(SessionKind::Individual.price_kind(), Some(PriceKind::Individual));
        assert_eq!(SessionKind::Group.price_kind(), Some(PriceKind::Group));
    }

    #[test]
    fn stored_as_text() {
        for kind in SessionKind::ALL {
            assert_eq!(SessionKind::from_str(kind.as_str()), Ok(*kind));
        }
        assert_eq!(
            serde_json::to_string(&SessionKind::Consultation).unwrap(),
            "\"consultation\""
        );
    }
}
