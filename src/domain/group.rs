//! Group programs: what a program must satisfy (R-GRP-1, R-GRP-4, R-PRICE-1) and who may enrol
//! (R-GRP-2, R-GRP-3).

use serde::{Deserialize, Serialize};

use super::money::Money;
use super::settings::DomainSettings;

/// The approach ids (as in the catalogue in `dialogues/`) whose groups require a preliminary
/// consultation and the therapist's admission (R-GRP-3).
pub const CONSULTATION_REQUIRED_APPROACHES: &[&str] = &["psychodynamic", "existential"];

string_enum! {
    /// Whether a group needs the preliminary consultation before enrolment (R-GRP-3).
    pub enum ConsultationPolicy {
        /// Psychodynamic and existential groups: consultation and admission required.
        Required => "required",
        /// Other groups: recommended only.
        Recommended => "recommended",
    }
}

/// The consultation policy for a group of the given approach id (R-GRP-3), case-insensitive.
#[must_use]
pub fn consultation_policy(approach: &str) -> ConsultationPolicy {
    let approach = approach.trim();
    if CONSULTATION_REQUIRED_APPROACHES
        .iter()
        .any(|a| a.eq_ignore_ascii_case(approach))
    {
        ConsultationPolicy::Required
    } else {
        ConsultationPolicy::Recommended
    }
}

/// What a therapist proposes for a group program (R-GRP-1); the texts are checked elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupProgramDraft {
    /// Most participants per meeting.
    pub capacity: u32,
    /// Price of one meeting per participant.
    pub price_per_participant: Money,
    /// Number of meetings.
    pub meetings: u32,
}

/// A problem with a group program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GroupError {
    /// Capacity below `group_capacity_min` (R-GRP-4).
    #[error("capacity must be at least {min}")]
    CapacityTooSmall {
        /// The least capacity.
        min: u32,
    },
    /// Capacity above `group_capacity_max` (R-GRP-4).
    #[error("capacity must be at most {max}")]
    CapacityTooLarge {
        /// The greatest capacity.
        max: u32,
    },
    /// Price below the group floor (R-PRICE-1).
    #[error("price below the group floor of {floor}")]
    PriceBelowFloor {
        /// The least price per participant.
        floor: Money,
    },
    /// No meetings (R-GRP-1).
    #[error("a program needs at least one meeting")]
    NoMeetings,
}

impl GroupError {
    /// The Fluent message id:
    /// - `group-error-capacity-too-small`: a group needs room for at least `$min` participants;
    /// - `group-error-capacity-too-large`: a group has at most `$max` participants;
    /// - `group-error-price-below-floor`: the price per participant is below `$floor`;
    /// - `group-error-no-meetings`: the program needs at least one meeting.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            GroupError::CapacityTooSmall { .. } => "group-error-capacity-too-small",
            GroupError::CapacityTooLarge { .. } => "group-error-capacity-too-large",
            GroupError::PriceBelowFloor { .. } => "group-error-price-below-floor",
            GroupError::NoMeetings => "group-error-no-meetings",
        }
    }
}

/// Every problem of a program draft (R-GRP-1, R-GRP-4: capacity `5..=12`; R-PRICE-1: price at
/// least the group floor); empty when it is fine.
#[must_use]
pub fn program_problems(draft: &GroupProgramDraft, settings: &DomainSettings) -> Vec<GroupError> {
    let mut problems = Vec::new();
    if draft.capacity < settings.group_capacity_min {
        problems.push(GroupError::CapacityTooSmall {
            min: settings.group_capacity_min,
        });
    }
    if draft.capacity > settings.group_capacity_max {
        problems.push(GroupError::CapacityTooLarge {
            max: settings.group_capacity_max,
        });
    }
    if draft.price_per_participant < settings.group_price_floor {
        problems.push(GroupError::PriceBelowFloor {
            floor: settings.group_price_floor,
        });
    }
    if draft.meetings == 0 {
        problems.push(GroupError::NoMeetings);
    }
    problems
}

/// Checks a program draft (see [`program_problems`]).
///
/// # Errors
/// The first problem found.
pub fn validate_program(draft: &GroupProgramDraft, settings: &DomainSettings) -> Result<(), GroupError> {
    match program_problems(draft, settings).first() {
        Some(problem) => Err(*problem),
        None => Ok(()),
    }
}

string_enum! {
    /// Where a client stands with a group's therapist (R-GRP-3).
    pub enum Admission {
        /// No preliminary consultation yet.
        NotConsulted => "not_consulted",
        /// A consultation is booked but has not taken place.
        ConsultationBooked => "consultation_booked",
        /// The consultation took place; the therapist has not decided.
        AwaitingDecision => "awaiting_decision",
        /// The therapist admitted the client.
        Admitted => "admitted",
        /// The therapist declined the client.
        Declined => "declined",
    }
}

impl Admission {
    /// The therapist's decision after the consultation (R-GRP-3); the therapist may change it.
    ///
    /// # Errors
    /// [`EnrolmentError::ConsultationRequired`] before the consultation took place.
    pub fn decide(self, admit: bool) -> Result<Admission, EnrolmentError> {
        match self {
            Admission::NotConsulted | Admission::ConsultationBooked => Err(EnrolmentError::ConsultationRequired),
            Admission::AwaitingDecision | Admission::Admitted | Admission::Declined => Ok(if admit {
                Admission::Admitted
            } else {
                Admission::Declined
            }),
        }
    }
}

/// Why a client may not enrol in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnrolmentError {
    /// The program is not published (R-GRP-2).
    #[error("the program is not published")]
    NotPublished,
    /// A preliminary consultation is required first (R-GRP-3).
    #[error("a preliminary consultation is required")]
    ConsultationRequired,
    /// The consultation took place; the therapist has not decided yet (R-GRP-3).
    #[error("waiting for the therapist's decision")]
    AwaitingAdmission,
    /// The therapist declined the client (R-GRP-3).
    #[error("the therapist did not admit the client")]
    NotAdmitted,
    /// No seat left (R-GRP-4).
    #[error("the group is full")]
    Full,
}

impl EnrolmentError {
    /// The Fluent message id:
    /// - `enrol-error-not-published`: this program is not open for enrolment yet;
    /// - `enrol-error-consultation-required`: book the free 15-minute preliminary consultation
    ///   first;
    /// - `enrol-error-awaiting-admission`: the therapist has not decided on admission yet;
    /// - `enrol-error-not-admitted`: the therapist did not admit you to this group;
    /// - `enrol-error-full`: the group is full.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            EnrolmentError::NotPublished => "enrol-error-not-published",
            EnrolmentError::ConsultationRequired => "enrol-error-consultation-required",
            EnrolmentError::AwaitingAdmission => "enrol-error-awaiting-admission",
            EnrolmentError::NotAdmitted => "enrol-error-not-admitted",
            EnrolmentError::Full => "enrol-error-full",
        }
    }
}

/// Whether a client may enrol (book a seat) in a group now. Checked in this order: published
/// (R-GRP-2), admission under the group's policy (R-GRP-3), a free seat (`enrolled < capacity`,
/// R-GRP-4; the database enforces the same race-safely). **Decided**: a therapist's "decline"
/// also binds for groups where the consultation is only recommended.
///
/// # Errors
/// The first [`EnrolmentError`] that applies.
pub fn check_enrolment(
    published: bool,
    policy: ConsultationPolicy,
    admission: Admission,
    enrolled: u32,
    capacity: u32,
) -> Result<(), EnrolmentError> {
    if !published {
        return Err(EnrolmentError::NotPublished);
    }
    match (policy, admission) {
        (_, Admission::Declined) => return Err(EnrolmentError::NotAdmitted),
        (ConsultationPolicy::Required, Admission::NotConsulted | Admission::ConsultationBooked) => {
            return Err(EnrolmentError::ConsultationRequired)
        }
        (ConsultationPolicy::Required, Admission::AwaitingDecision) => return Err(EnrolmentError::AwaitingAdmission),
        _ => {}
    }
    if enrolled >= capacity {
        return Err(EnrolmentError::Full);
    }
    Ok(())
}

/// How long after publication the first meeting of a program is at the earliest (R-GRP-2):
/// time for clients to find it, enrol and pay.
pub const FIRST_MEETING_LEAD: chrono::TimeDelta = chrono::TimeDelta::days(2);

/// The meetings of a program published at `now` (R-GRP-1, R-SES-1): `meetings` weekly
/// occurrences on ISO `weekday` (1 = Monday) at the wall-clock `local_start` in the therapist's
/// `zone`, each `length` long; the first is the first such occurrence at least
/// [`FIRST_MEETING_LEAD`] after `now`. The local time is kept across DST changes, as
/// [`super::schedule::weekly_slots`] does.
///
/// # Errors
/// [`super::ScheduleError`] for a weekday out of 1..=7 (as `OutOfRange`), too many meetings or
/// a length that is not positive.
pub fn program_meetings(
    weekday: u32,
    local_start: chrono::NaiveTime,
    length: chrono::TimeDelta,
    meetings: u32,
    zone: chrono_tz::Tz,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<super::SlotOccurrence>, super::ScheduleError> {
    use chrono::Datelike;
    if !(1..=7).contains(&weekday) {
        return Err(super::ScheduleError::OutOfRange);
    }
    let earliest = now + FIRST_MEETING_LEAD;
    let mut day = earliest.with_timezone(&zone).date_naive();
    while day.weekday().number_from_monday() != weekday {
        day = day.succ_opt().ok_or(super::ScheduleError::OutOfRange)?;
    }
    let (start, _) = super::resolve_local(zone, day.and_time(local_start))?;
    if start < earliest {
        day = day
            .checked_add_days(chrono::Days::new(7))
            .ok_or(super::ScheduleError::OutOfRange)?;
    }
    super::weekly_slots(day, local_start, length, meetings, zone)
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};

    #[test]
    fn r_grp_1_meetings_weekly_from_two_days_after_publication_across_dst() {
        let berlin = chrono_tz::Europe::Berlin;
        let t = NaiveTime::from_hms_opt(19, 0, 0).unwrap();
        // Published on Friday 2026-10-16 12:00 UTC; Mondays at 19:00 Berlin, 3 meetings: the
        // first is Monday the 19th (3 days later), then the 26th after the change to CET.
        let now = Utc.with_ymd_and_hms(2026, 10, 16, 12, 0, 0).unwrap();
        let m = program_meetings(1, t, TimeDelta::minutes(90), 3, berlin, now).unwrap();
        let starts: Vec<_> = m.iter().map(|o| o.interval.start()).collect();
        assert_eq!(starts[0], Utc.with_ymd_and_hms(2026, 10, 19, 17, 0, 0).unwrap(), "CEST");
        assert_eq!(starts[1], Utc.with_ymd_and_hms(2026, 10, 26, 18, 0, 0).unwrap(), "CET");
        assert_eq!(starts[2], Utc.with_ymd_and_hms(2026, 11, 2, 18, 0, 0).unwrap());
        for o in &m {
            assert_eq!(o.interval.length(), TimeDelta::minutes(90));
            let local = o.interval.start().with_timezone(&berlin);
            assert_eq!((local.weekday().number_from_monday(), local.hour()), (1, 19));
        }
        // Published on Saturday the 17th 18:00 UTC: Monday the 19th 17:00 UTC is less than two
        // days away, so the first meeting is the 26th.
        let now = Utc.with_ymd_and_hms(2026, 10, 17, 18, 0, 0).unwrap();
        let m = program_meetings(1, t, TimeDelta::minutes(90), 1, berlin, now).unwrap();
        assert_eq!(
            m[0].interval.start(),
            Utc.with_ymd_and_hms(2026, 10, 26, 18, 0, 0).unwrap()
        );
        // Exactly two days before counts.
        let now = Utc.with_ymd_and_hms(2026, 10, 17, 17, 0, 0).unwrap();
        let m = program_meetings(1, t, TimeDelta::minutes(90), 1, berlin, now).unwrap();
        assert_eq!(
            m[0].interval.start(),
            Utc.with_ymd_and_hms(2026, 10, 19, 17, 0, 0).unwrap()
        );
        assert!(program_meetings(0, t, TimeDelta::minutes(90), 1, berlin, now).is_err());
        assert!(program_meetings(8, t, TimeDelta::minutes(90), 1, berlin, now).is_err());
    }

    use super::*;

    fn s() -> DomainSettings {
        DomainSettings::default()
    }

    fn draft(capacity: u32, price: u32) -> GroupProgramDraft {
        GroupProgramDraft {
            capacity,
            price_per_participant: Money::rubles(price),
            meetings: 8,
        }
    }

    #[test]
    fn r_grp_4_capacity_5_to_12() {
        let s = s();
        assert_eq!(
            validate_program(&draft(4, 1500), &s),
            Err(GroupError::CapacityTooSmall { min: 5 })
        );
        assert_eq!(validate_program(&draft(5, 1500), &s), Ok(()));
        assert_eq!(validate_program(&draft(12, 1500), &s), Ok(()));
        assert_eq!(
            validate_program(&draft(13, 1500), &s),
            Err(GroupError::CapacityTooLarge { max: 12 })
        );
    }

    #[test]
    fn r_price_1_group_floor_for_programs() {
        let s = s();
        assert_eq!(
            validate_program(&draft(8, 1499), &s),
            Err(GroupError::PriceBelowFloor {
                floor: Money::rubles(1500)
            })
        );
        let all = program_problems(
            &GroupProgramDraft {
                capacity: 20,
                price_per_participant: Money::ZERO,
                meetings: 0,
            },
            &s,
        );
        assert_eq!(
            all,
            vec![
                GroupError::CapacityTooLarge { max: 12 },
                GroupError::PriceBelowFloor {
                    floor: Money::rubles(1500)
                },
                GroupError::NoMeetings
            ]
        );
        for e in all {
            assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
        }
        assert!(crate::domain::LOCALE_KEYS.contains(&GroupError::CapacityTooSmall { min: 5 }.key()));
    }

    #[test]
    fn r_grp_3_psychodynamic_and_existential_require_consultation() {
        assert_eq!(consultation_policy("psychodynamic"), ConsultationPolicy::Required);
        assert_eq!(consultation_policy(" Existential "), ConsultationPolicy::Required);
        assert_eq!(consultation_policy("cbt"), ConsultationPolicy::Recommended);
        assert_eq!(consultation_policy("gestalt"), ConsultationPolicy::Recommended);

        let req = ConsultationPolicy::Required;
        assert_eq!(
            check_enrolment(true, req, Admission::NotConsulted, 0, 12),
            Err(EnrolmentError::ConsultationRequired)
        );
        assert_eq!(
            check_enrolment(true, req, Admission::ConsultationBooked, 0, 12),
            Err(EnrolmentError::ConsultationRequired)
        );
        assert_eq!(
            check_enrolment(true, req, Admission::AwaitingDecision, 0, 12),
            Err(EnrolmentError::AwaitingAdmission)
        );
        assert_eq!(
            check_enrolment(true, req, Admission::Declined, 0, 12),
            Err(EnrolmentError::NotAdmitted)
        );
        assert_eq!(check_enrolment(true, req, Admission::Admitted, 0, 12), Ok(()));
    }

    #[test]
    fn r_grp_3_other_groups_only_recommend_it() {
        let rec = ConsultationPolicy::Recommended;
        assert_eq!(check_enrolment(true, rec, Admission::NotConsulted, 0, 12), Ok(()));
        assert_eq!(check_enrolment(true, rec, Admission::AwaitingDecision, 0, 12), Ok(()));
        assert_eq!(
            check_enrolment(true, rec, Admission::Declined, 0, 12),
            Err(EnrolmentError::NotAdmitted)
        );
    }

    #[test]
    fn r_grp_2_nothing_bookable_before_publication_and_r_grp_4_seats() {
        let rec = ConsultationPolicy::Recommended;
        assert_eq!(
            check_enrolment(false, rec, Admission::Admitted, 0, 12),
            Err(EnrolmentError::NotPublished)
        );
        assert_eq!(check_enrolment(true, rec, Admission::Admitted, 11, 12), Ok(()));
        assert_eq!(
            check_enrolment(true, rec, Admission::Admitted, 12, 12),
            Err(EnrolmentError::Full)
        );
        for e in [
            EnrolmentError::NotPublished,
            EnrolmentError::ConsultationRequired,
            EnrolmentError::AwaitingAdmission,
            EnrolmentError::NotAdmitted,
            EnrolmentError::Full,
        ] {
            assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
        }
    }

    #[test]
    fn r_grp_3_admission_only_after_the_consultation() {
        assert_eq!(
            Admission::NotConsulted.decide(true),
            Err(EnrolmentError::ConsultationRequired)
        );
        assert_eq!(
            Admission::ConsultationBooked.decide(true),
            Err(EnrolmentError::ConsultationRequired)
        );
        assert_eq!(Admission::AwaitingDecision.decide(true), Ok(Admission::Admitted));
        assert_eq!(Admission::AwaitingDecision.decide(false), Ok(Admission::Declined));
        assert_eq!(Admission::Declined.decide(true), Ok(Admission::Admitted));
        assert_eq!(Admission::AwaitingDecision.as_str(), "awaiting_decision");
    }
}
