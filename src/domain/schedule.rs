//! Time: half-open UTC intervals, overlap detection, IANA zones and weekly recurring slots across
//! daylight-saving transitions (R-ONB-5, R-GRP-1, R-CLI-6, R-SES-1).
//!
//! Every instant is a `DateTime<Utc>`; a zone only matters when a person types or reads a
//! wall-clock time.
//!
//! **Decided** DST policy (that of RFC 5545, iCalendar, §3.3.5), applied by [`resolve_local`]:
//! - a local time that does not exist (the spring-forward gap, e.g. 02:30 in Berlin on the last
//!   Sunday of March) is read with the UTC offset in force *before* the gap, which moves it later
//!   by the length of the gap (02:30 becomes 03:30 CEST);
//! - a local time that occurs twice (the fall-back overlap, 02:30 in Berlin on the last Sunday of
//!   October) is the *first* occurrence (02:30 CEST, the earlier instant).
//!
//! Each generated occurrence says which case applied ([`LocalResolution`]), so the bot can tell
//! the therapist. A session keeps its real length across a transition: a 90-minute group meeting
//! lasts 90 minutes even if the wall clock jumps during it.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::session::SessionKind;

/// The most weeks [`weekly_slots`] generates at once (two years).
pub const MAX_RECURRING_WEEKS: u32 = 104;

/// A problem with a time, an interval or a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The end is not after the start.
    #[error("an interval must end after it starts")]
    EmptyInterval,
    /// Not an IANA zone name.
    #[error("unknown time zone")]
    UnknownZone,
    /// More weeks than [`MAX_RECURRING_WEEKS`].
    #[error("at most {max} weeks at once")]
    TooManyWeeks {
        /// The limit.
        max: u32,
    },
    /// A date or instant beyond what the calendar can represent.
    #[error("date out of range")]
    OutOfRange,
    /// A session of this kind cannot last that long.
    #[error("a {kind} session cannot last {minutes} minutes")]
    BadDuration {
        /// The kind of session.
        kind: SessionKind,
        /// The requested length.
        minutes: u32,
    },
    /// A local time in a gap that could not be resolved (does not happen with real zones).
    #[error("the local time does not exist in this zone")]
    NonexistentLocalTime,
}

impl ScheduleError {
    /// The Fluent message id:
    /// - `schedule-error-empty-interval`: the end must be after the start;
    /// - `schedule-error-unknown-zone`: unknown time zone, pick one from the list (e.g.
    ///   Europe/Moscow);
    /// - `schedule-error-too-many-weeks`: at most `$max` weeks at once;
    /// - `schedule-error-out-of-range`: the date is too far away;
    /// - `schedule-error-bad-duration`: this kind of session cannot last `$minutes` minutes;
    /// - `schedule-error-nonexistent-local-time`: this local time does not exist on that day.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            ScheduleError::EmptyInterval => "schedule-error-empty-interval",
            ScheduleError::UnknownZone => "schedule-error-unknown-zone",
            ScheduleError::TooManyWeeks { .. } => "schedule-error-too-many-weeks",
            ScheduleError::OutOfRange => "schedule-error-out-of-range",
            ScheduleError::BadDuration { .. } => "schedule-error-bad-duration",
            ScheduleError::NonexistentLocalTime => "schedule-error-nonexistent-local-time",
        }
    }
}

/// A half-open span of time `[start, end)` in UTC, never empty. Two intervals that touch
/// (one ends when the other starts) do not overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "RawInterval")]
pub struct Interval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

#[derive(Deserialize)]
struct RawInterval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TryFrom<RawInterval> for Interval {
    type Error = ScheduleError;

    fn try_from(raw: RawInterval) -> Result<Self, Self::Error> {
        Interval::new(raw.start, raw.end)
    }
}

impl Interval {
    /// `[start, end)`.
    ///
    /// # Errors
    /// [`ScheduleError::EmptyInterval`] unless `start < end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, ScheduleError> {
        if start < end {
            Ok(Self { start, end })
        } else {
            Err(ScheduleError::EmptyInterval)
        }
    }

    /// `[start, start + length)`.
    ///
    /// # Errors
    /// [`ScheduleError::EmptyInterval`] for a length that is not positive,
    /// [`ScheduleError::OutOfRange`] past the end of the calendar.
    pub fn starting_at(start: DateTime<Utc>, length: TimeDelta) -> Result<Self, ScheduleError> {
        let end = start.checked_add_signed(length).ok_or(ScheduleError::OutOfRange)?;
        Self::new(start, end)
    }

    /// The first instant inside.
    #[must_use]
    pub const fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The first instant after.
    #[must_use]
    pub const fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// `end - start`.
    #[must_use]
    pub fn length(&self) -> TimeDelta {
        self.end.signed_duration_since(self.start)
    }

    /// Whether the two share any instant (touching is not overlapping).
    #[must_use]
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `at` is inside (`start <= at < end`).
    #[must_use]
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// The positions `(i, j)`, `i < j`, of two overlapping intervals of `intervals` if any (for one
/// therapist's slots: the database enforces the same; this is the early, friendly check).
/// `O(n log n)`.
#[must_use]
pub fn find_overlap(intervals: &[Interval]) -> Option<(usize, usize)> {
    let mut order: Vec<usize> = (0..intervals.len()).collect();
    order.sort_by_key(|&i| (intervals[i].start, intervals[i].end));
    // Keep the interval that reaches furthest so far; any later start before its end overlaps.
    let mut reach: Option<usize> = None;
    for &i in &order {
        if let Some(r) = reach {
            if intervals[i].start < intervals[r].end {
                return Some((r.min(i), r.max(i)));
            }
            if intervals[i].end > intervals[r].end {
                reach = Some(i);
            }
        } else {
            reach = Some(i);
        }
    }
    None
}

/// The position of the first of `existing` that `candidate` overlaps, if any.
#[must_use]
pub fn first_conflict(candidate: &Interval, existing: &[Interval]) -> Option<usize> {
    existing.iter().position(|e| e.overlaps(candidate))
}

/// Whether `candidate` overlaps any of `existing`.
#[must_use]
pub fn overlaps_any(candidate: &Interval, existing: &[Interval]) -> bool {
    first_conflict(candidate, existing).is_some()
}

/// An IANA zone by name (`Europe/Moscow`, `Asia/Vladivostok`), surrounding spaces ignored.
///
/// # Errors
/// [`ScheduleError::UnknownZone`].
pub fn parse_zone(name: &str) -> Result<Tz, ScheduleError> {
    name.trim().parse::<Tz>().map_err(|_| ScheduleError::UnknownZone)
}

/// An instant as the wall clock in `zone` shows it.
#[must_use]
pub fn in_zone(at: DateTime<Utc>, zone: Tz) -> DateTime<Tz> {
    at.with_timezone(&zone)
}

/// The wall-clock time in `zone` at `at`, or `None` when that falls outside chrono's calendar
/// (only at the very ends of its range). Unlike `DateTime::naive_local`, never panics.
#[must_use]
pub fn local_wall_time(at: DateTime<Utc>, zone: Tz) -> Option<NaiveDateTime> {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    at.naive_utc().checked_add_offset(offset)
}

/// The UTC offset of a zoned time as people write it: `UTC+3`, `UTC+5:30`, `UTC-3:30`, `UTC+0`.
/// Shown next to the zone name, since Russia alone spans 11 zones.
#[must_use]
pub fn utc_offset_label(at: &DateTime<Tz>) -> String {
    let seconds = at.offset().fix().local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

string_enum! {
    /// How a wall-clock time was turned into an instant ([`resolve_local`]).
    pub enum LocalResolution {
        /// The local time exists once.
        Exact => "exact",
        /// The local time fell in a spring-forward gap and was moved later by the gap's length.
        ShiftedOutOfGap => "shifted_out_of_gap",
        /// The local time occurs twice (fall back); the first occurrence was taken.
        FirstOfAmbiguous => "first_of_ambiguous",
    }
}

/// The instant a wall-clock time in `zone` means, under the DST policy of this module (RFC 5545):
/// a time in a gap uses the offset before the gap, an ambiguous time its first occurrence.
///
/// # Errors
/// [`ScheduleError::OutOfRange`] at the very ends of the calendar.
pub fn resolve_local(zone: Tz, local: NaiveDateTime) -> Result<(DateTime<Utc>, LocalResolution), ScheduleError> {
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok((t.with_timezone(&Utc), LocalResolution::Exact)),
        chrono::LocalResult::Ambiguous(a, b) => Ok((
            a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
            LocalResolution::FirstOfAmbiguous,
        )),
        chrono::LocalResult::None => {
            // The offset in force before the gap: 30 hours earlier is before any gap of a real
            // zone (the longest, Samoa's skipped day in 2011, is 24 hours) and after the previous
            // transition.
            let probe = local
                .checked_sub_signed(TimeDelta::hours(30))
                .ok_or(ScheduleError::OutOfRange)?;
            let before = zone.offset_from_utc_datetime(&probe).fix().local_minus_utc();
            let utc = local
                .checked_sub_signed(TimeDelta::seconds(i64::from(before)))
                .ok_or(ScheduleError::OutOfRange)?
                .and_utc();
            // The result must be after the gap; otherwise the zone is stranger than any real one.
            if local_wall_time(utc, zone).is_some_and(|wall| wall > local) {
                Ok((utc, LocalResolution::ShiftedOutOfGap))
            } else {
                Err(ScheduleError::NonexistentLocalTime)
            }
        }
    }
}

/// One generated occurrence of a weekly slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotOccurrence {
    /// When it takes place.
    pub interval: Interval,
    /// The calendar day in the therapist's zone it was generated for.
    pub local_date: NaiveDate,
    /// Whether the wall-clock start existed as typed.
    pub resolution: LocalResolution,
}

/// A weekly recurring slot (R-ONB-5, R-GRP-1): `weeks` occurrences, on `first_date` and every 7
/// days after, each starting at the wall-clock time `local_start` in the therapist's `zone` and
/// lasting `length`. Occurrences keep the local time across DST changes (so their UTC instants
/// move), with gaps and overlaps resolved as [`resolve_local`] says.
///
/// # Errors
/// [`ScheduleError::TooManyWeeks`] above [`MAX_RECURRING_WEEKS`],
/// [`ScheduleError::EmptyInterval`] for a length that is not positive,
/// [`ScheduleError::OutOfRange`] past the end of the calendar.
pub fn weekly_slots(
    first_date: NaiveDate,
    local_start: NaiveTime,
    length: TimeDelta,
    weeks: u32,
    zone: Tz,
) -> Result<Vec<SlotOccurrence>, ScheduleError> {
    if weeks > MAX_RECURRING_WEEKS {
        return Err(ScheduleError::TooManyWeeks {
            max: MAX_RECURRING_WEEKS,
        });
    }
    if length <= TimeDelta::zero() {
        return Err(ScheduleError::EmptyInterval);
    }
    (0..weeks)
        .map(|week| {
            let local_date = first_date
                .checked_add_days(Days::new(7 * u64::from(week)))
                .ok_or(ScheduleError::OutOfRange)?;
            let (start, resolution) = resolve_local(zone, local_date.and_time(local_start))?;
            Ok(SlotOccurrence {
                interval: Interval::starting_at(start, length)?,
                local_date,
                resolution,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};
    use chrono_tz::Asia::Vladivostok;
    use chrono_tz::Europe::{Berlin, Moscow};
    use proptest::prelude::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn hm(at: DateTime<Tz>) -> (u32, u32, u32) {
        (at.day(), at.hour(), at.minute())
    }

    fn iv(a: DateTime<Utc>, b: DateTime<Utc>) -> Interval {
        Interval::new(a, b).unwrap()
    }

    #[test]
    fn intervals_are_half_open() {
        let a = iv(utc(2025, 1, 1, 10, 0), utc(2025, 1, 1, 11, 0));
        let touching = iv(utc(2025, 1, 1, 11, 0), utc(2025, 1, 1, 12, 0));
        let one_minute_in = iv(utc(2025, 1, 1, 10, 59), utc(2025, 1, 1, 12, 0));
        assert!(!a.overlaps(&touching));
        assert!(!touching.overlaps(&a));
        assert!(a.overlaps(&one_minute_in));
        assert!(a.overlaps(&a));
        assert!(a.contains(utc(2025, 1, 1, 10, 0)));
        assert!(!a.contains(utc(2025, 1, 1, 11, 0)));
        assert_eq!(a.length(), TimeDelta::hours(1));
        assert_eq!(
            Interval::new(utc(2025, 1, 1, 10, 0), utc(2025, 1, 1, 10, 0)),
            Err(ScheduleError::EmptyInterval)
        );
        assert_eq!(
            Interval::starting_at(utc(2025, 1, 1, 10, 0), TimeDelta::minutes(-5)),
            Err(ScheduleError::EmptyInterval)
        );
        assert_eq!(
            Interval::starting_at(DateTime::<Utc>::MAX_UTC, TimeDelta::minutes(5)),
            Err(ScheduleError::OutOfRange)
        );
    }

    #[test]
    fn interval_serde_validates() {
        let a = iv(utc(2025, 1, 1, 10, 0), utc(2025, 1, 1, 11, 0));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Interval>(&json).unwrap(), a);
        let bad = r#"{"start":"2025-01-01T11:00:00Z","end":"2025-01-01T10:00:00Z"}"#;
        assert!(serde_json::from_str::<Interval>(bad).is_err());
    }

    #[test]
    fn find_overlap_in_unsorted_slots() {
        let slots = [
            iv(utc(2025, 1, 1, 12, 0), utc(2025, 1, 1, 13, 0)),
            iv(utc(2025, 1, 1, 10, 0), utc(2025, 1, 1, 11, 0)),
            iv(utc(2025, 1, 1, 11, 0), utc(2025, 1, 1, 12, 0)),
        ];
        assert_eq!(find_overlap(&slots), None);
        let mut with_clash = slots.to_vec();
        with_clash.push(iv(utc(2025, 1, 1, 9, 0), utc(2025, 1, 1, 14, 0)));
        assert!(find_overlap(&with_clash).is_some());
        // A long interval followed by short ones that only the long one overlaps.
        let nested = [
            iv(utc(2025, 1, 1, 8, 0), utc(2025, 1, 1, 18, 0)),
            iv(utc(2025, 1, 1, 9, 0), utc(2025, 1, 1, 10, 0)),
        ];
        assert_eq!(find_overlap(&nested), Some((0, 1)));
        let candidate = iv(utc(2025, 1, 1, 12, 30), utc(2025, 1, 1, 13, 30));
        assert_eq!(first_conflict(&candidate, &slots), Some(0));
        assert!(overlaps_any(&candidate, &slots));
        let touching = iv(utc(2025, 1, 1, 13, 0), utc(2025, 1, 1, 14, 0));
        assert!(!overlaps_any(&touching, &slots));
        assert_eq!(find_overlap(&[]), None);
    }

    #[test]
    fn zones_parse_and_label() {
        assert_eq!(parse_zone(" Europe/Moscow "), Ok(Moscow));
        assert_eq!(parse_zone("Mars/Olympus"), Err(ScheduleError::UnknownZone));
        let at = utc(2025, 1, 15, 12, 0);
        assert_eq!(utc_offset_label(&in_zone(at, Moscow)), "UTC+3");
        assert_eq!(utc_offset_label(&in_zone(at, Vladivostok)), "UTC+10");
        assert_eq!(utc_offset_label(&in_zone(at, chrono_tz::Asia::Kolkata)), "UTC+5:30");
        assert_eq!(utc_offset_label(&in_zone(at, chrono_tz::America::St_Johns)), "UTC-3:30");
        assert_eq!(utc_offset_label(&in_zone(at, chrono_tz::UTC)), "UTC+0");
        assert_eq!(utc_offset_label(&in_zone(at, Berlin)), "UTC+1");
        assert_eq!(utc_offset_label(&in_zone(utc(2025, 7, 1, 0, 0), Berlin)), "UTC+2");
    }

    #[test]
    fn weekly_evening_slot_in_berlin_across_spring_forward_seen_from_moscow_and_vladivostok() {
        // Sundays 19:00 Berlin; DST starts on 30 March 2025.
        let slots = weekly_slots(date(2025, 3, 23), time(19, 0), TimeDelta::minutes(60), 3, Berlin).unwrap();
        assert!(slots.iter().all(|s| s.resolution == LocalResolution::Exact));
        let starts: Vec<_> = slots.iter().map(|s| s.interval.start()).collect();
        assert_eq!(
            starts,
            vec![utc(2025, 3, 23, 18, 0), utc(2025, 3, 30, 17, 0), utc(2025, 4, 6, 17, 0)]
        );
        // Moscow (UTC+3, no DST) sees the hour move from 21:00 to 20:00.
        assert_eq!(hm(in_zone(starts[0], Moscow)), (23, 21, 0));
        assert_eq!(hm(in_zone(starts[1], Moscow)), (30, 20, 0));
        // Vladivostok (UTC+10) sees it on Monday, from 04:00 to 03:00.
        assert_eq!(hm(in_zone(starts[0], Vladivostok)), (24, 4, 0));
        assert_eq!(hm(in_zone(starts[1], Vladivostok)), (31, 3, 0));
        assert_eq!(hm(in_zone(starts[2], Vladivostok)), (7, 3, 0));
        // Berlin itself always sees 19:00.
        for s in &slots {
            assert_eq!(in_zone(s.interval.start(), Berlin).hour(), 19);
        }
    }

    #[test]
    fn spring_forward_gap_is_shifted_later_by_the_gap() {
        // 02:30 on 30 March 2025 does not exist in Berlin (02:00 CET -> 03:00 CEST).
        let slots = weekly_slots(date(2025, 3, 23), time(2, 30), TimeDelta::minutes(50), 3, Berlin).unwrap();
        let resolutions: Vec<_> = slots.iter().map(|s| s.resolution).collect();
        assert_eq!(
            resolutions,
            vec![
                LocalResolution::Exact,
                LocalResolution::ShiftedOutOfGap,
                LocalResolution::Exact
            ]
        );
        let gap = slots[1].interval.start();
        assert_eq!(gap, utc(2025, 3, 30, 1, 30));
        assert_eq!(hm(in_zone(gap, Berlin)), (30, 3, 30));
        assert_eq!(hm(in_zone(gap, Moscow)), (30, 4, 30));
        assert_eq!(hm(in_zone(gap, Vladivostok)), (30, 11, 30));
        assert_eq!(slots[0].interval.start(), utc(2025, 3, 23, 1, 30));
        assert_eq!(slots[2].interval.start(), utc(2025, 4, 6, 0, 30));
        assert_eq!(hm(in_zone(slots[2].interval.start(), Vladivostok)), (6, 10, 30));
        assert_eq!(slots[1].local_date, date(2025, 3, 30));
    }

    #[test]
    fn fall_back_ambiguity_takes_the_first_occurrence() {
        // 02:30 on 26 October 2025 happens twice in Berlin (CEST, then CET).
        let slots = weekly_slots(date(2025, 10, 19), time(2, 30), TimeDelta::minutes(90), 3, Berlin).unwrap();
        assert_eq!(slots[1].resolution, LocalResolution::FirstOfAmbiguous);
        let first = slots[1].interval.start();
        assert_eq!(first, utc(2025, 10, 26, 0, 30)); // 02:30 CEST
        assert_eq!(hm(in_zone(first, Moscow)), (26, 3, 30));
        assert_eq!(hm(in_zone(first, Vladivostok)), (26, 10, 30));
        assert_eq!(slots[0].interval.start(), utc(2025, 10, 19, 0, 30));
        assert_eq!(slots[2].interval.start(), utc(2025, 11, 2, 1, 30)); // 02:30 CET
        assert_eq!(hm(in_zone(slots[2].interval.start(), Moscow)), (2, 4, 30));
        // A 90-minute meeting lasts 90 real minutes although Berlin's clock repeats an hour.
        assert_eq!(slots[1].interval.length(), TimeDelta::minutes(90));
        assert_eq!(hm(in_zone(slots[1].interval.end(), Berlin)), (26, 3, 0));
    }

    #[test]
    fn session_spanning_the_jump_keeps_its_real_length() {
        let (start, res) = resolve_local(Berlin, date(2025, 3, 30).and_time(time(1, 30))).unwrap();
        assert_eq!(res, LocalResolution::Exact);
        let meeting = Interval::starting_at(start, TimeDelta::minutes(90)).unwrap();
        assert_eq!(hm(in_zone(meeting.end(), Berlin)), (30, 4, 0));
        assert_eq!(meeting.length(), TimeDelta::minutes(90));
    }

    #[test]
    fn midnight_gap_zone_is_resolved() {
        // America/Santiago skipped 00:00-01:00 on 8 September 2024.
        let (at, res) = resolve_local(chrono_tz::America::Santiago, date(2024, 9, 8).and_time(time(0, 0))).unwrap();
        assert_eq!(res, LocalResolution::ShiftedOutOfGap);
        let local = in_zone(at, chrono_tz::America::Santiago);
        assert_eq!((local.day(), local.hour(), local.minute()), (8, 1, 0));
    }

    #[test]
    fn extreme_instants_have_no_wall_time_instead_of_panicking() {
        assert_eq!(local_wall_time(DateTime::<Utc>::MAX_UTC, Vladivostok), None);
        assert_eq!(
            local_wall_time(DateTime::<Utc>::MIN_UTC, chrono_tz::America::New_York),
            None
        );
        assert_eq!(
            local_wall_time(utc(2025, 1, 1, 21, 0), Vladivostok),
            Some(date(2025, 1, 2).and_time(time(7, 0)))
        );
        // Whatever the answer at the calendar's ends, it is not a panic.
        let _ = resolve_local(Berlin, NaiveDateTime::MAX);
        let _ = resolve_local(Vladivostok, NaiveDateTime::MIN);
    }

    #[test]
    fn samoa_skipped_a_whole_day() {
        // Pacific/Apia jumped from 29 to 31 December 2011.
        let (at, res) = resolve_local(chrono_tz::Pacific::Apia, date(2011, 12, 30).and_time(time(10, 0))).unwrap();
        assert_eq!(res, LocalResolution::ShiftedOutOfGap);
        let wall = local_wall_time(at, chrono_tz::Pacific::Apia).unwrap();
        assert_eq!(wall, date(2011, 12, 31).and_time(time(10, 0)));
    }

    #[test]
    fn weekly_slots_limits() {
        assert_eq!(
            weekly_slots(date(2025, 1, 5), time(10, 0), TimeDelta::minutes(60), 105, Berlin),
            Err(ScheduleError::TooManyWeeks { max: 104 })
        );
        assert_eq!(
            weekly_slots(date(2025, 1, 5), time(10, 0), TimeDelta::zero(), 1, Berlin),
            Err(ScheduleError::EmptyInterval)
        );
        assert_eq!(
            weekly_slots(date(2025, 1, 5), time(10, 0), TimeDelta::minutes(60), 0, Berlin),
            Ok(vec![])
        );
        assert_eq!(
            weekly_slots(NaiveDate::MAX, time(10, 0), TimeDelta::minutes(60), 2, Berlin),
            Err(ScheduleError::OutOfRange)
        );
        let year = weekly_slots(date(2025, 1, 5), time(10, 0), TimeDelta::minutes(60), 52, Berlin).unwrap();
        assert_eq!(year.len(), 52);
        assert_eq!(find_overlap(&year.iter().map(|s| s.interval).collect::<Vec<_>>()), None);
    }

    #[test]
    fn errors_have_keys() {
        for e in [
            ScheduleError::EmptyInterval,
            ScheduleError::UnknownZone,
            ScheduleError::TooManyWeeks { max: 1 },
            ScheduleError::OutOfRange,
            ScheduleError::BadDuration {
                kind: SessionKind::Group,
                minutes: 1,
            },
            ScheduleError::NonexistentLocalTime,
        ] {
            assert!(crate::domain::LOCALE_KEYS.contains(&e.key()));
        }
    }

    fn arb_interval() -> impl Strategy<Value = Interval> {
        (0i64..10_000, 1i64..500).prop_map(|(start, len)| {
            let base = utc(2025, 1, 1, 0, 0);
            Interval::starting_at(base + TimeDelta::minutes(start), TimeDelta::minutes(len)).unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn find_overlap_agrees_with_pairwise_check(list in prop::collection::vec(arb_interval(), 0..12)) {
            let pairwise = (0..list.len())
                .any(|i| (i + 1..list.len()).any(|j| list[i].overlaps(&list[j])));
            match find_overlap(&list) {
                Some((i, j)) => {
                    prop_assert!(i < j);
                    prop_assert!(list[i].overlaps(&list[j]));
                }
                None => prop_assert!(!pairwise),
            }
        }

        #[test]
        fn resolve_local_never_panics(
            secs in (NaiveDateTime::MIN.and_utc().timestamp())..=(NaiveDateTime::MAX.and_utc().timestamp()),
            zone_index in 0usize..4,
        ) {
            let zones = [Berlin, Moscow, Vladivostok, chrono_tz::Pacific::Apia];
            if let Some(local) = DateTime::from_timestamp(secs, 0).map(|d| d.naive_utc()) {
                let _ = resolve_local(zones[zone_index], local);
                let _ = local_wall_time(local.and_utc(), zones[zone_index]);
            }
        }

        #[test]
        fn every_local_time_resolves_in_berlin(day in 0u64..730, minute in 0u32..1440) {
            let local = date(2024, 1, 1)
                .checked_add_days(Days::new(day))
                .unwrap()
                .and_time(NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap());
            let (at, res) = resolve_local(Berlin, local).unwrap();
            let back = at.with_timezone(&Berlin).naive_local();
            match res {
                LocalResolution::ShiftedOutOfGap => prop_assert_eq!(back, local + TimeDelta::hours(1)),
                _ => prop_assert_eq!(back, local),
            }
        }
    }
}
