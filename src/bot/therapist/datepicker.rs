//! A reusable inline month date picker: a month grid (Monday first) under a weekday header,
//! previous/next month buttons, and only the days inside a range pickable (past days are not).
//! The caller owns the callback prefix: [`keyboard`] takes a function that turns a
//! [`PickerPress`] into callback data, and [`PickerPress::decode`] reads the part after it.

use chrono::{Datelike, Months, NaiveDate};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::i18n::{Lang, Locales};
use crate::tr;

/// What a button of the picker asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerPress {
    /// This day was picked.
    Day(NaiveDate),
    /// Show the month of this date (its first day).
    Month(NaiveDate),
    /// A label (weekday, title, blank or past day): nothing to do.
    Noop,
}

impl PickerPress {
    /// `d:20261203`, `m:202612` or `x`.
    pub fn encode(&self) -> String {
        match self {
            PickerPress::Day(d) => format!("d:{}", d.format("%Y%m%d")),
            PickerPress::Month(m) => format!("m:{}", m.format("%Y%m")),
            PickerPress::Noop => "x".to_owned(),
        }
    }

    /// `None` for anything [`PickerPress::encode`] does not produce.
    pub fn decode(s: &str) -> Option<Self> {
        let digits = |v: &str, n: usize| v.len() == n && v.bytes().all(|b| b.is_ascii_digit());
        match s.split_once(':') {
            Some(("d", v)) if digits(v, 8) => NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(PickerPress::Day),
            Some(("m", v)) if digits(v, 6) => {
                NaiveDate::from_ymd_opt(v[..4].parse().ok()?, v[4..].parse().ok()?, 1).map(PickerPress::Month)
            }
            None if s == "x" => Some(PickerPress::Noop),
            _ => None,
        }
    }
}

/// The days that may be picked, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Range {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.first <= d && d <= self.last
    }

    /// The first day of `month`'s month, moved into the range's months.
    pub fn clamp_month(&self, month: NaiveDate) -> NaiveDate {
        let m = first_of_month(month);
        m.clamp(first_of_month(self.first), first_of_month(self.last))
    }
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// "Декабрь 2026" / "December 2026".
pub fn month_title(l: &Locales, lang: Lang, month: NaiveDate) -> String {
    tr!(l, lang, "datepicker-month", month = month.month(), year = month.year())
}

/// The picker for `month` (any day of it), with only the days of `range` pickable.
pub fn keyboard(
    l: &Locales,
    lang: Lang,
    month: NaiveDate,
    range: &Range,
    data: &dyn Fn(PickerPress) -> String,
) -> InlineKeyboardMarkup {
    let month = range.clamp_month(month);
    let noop = |text: String| InlineKeyboardButton::callback(text, data(PickerPress::Noop));
    let mut rows = Vec::new();

    let prev = month
        .checked_sub_months(Months::new(1))
        .filter(|p| *p >= first_of_month(range.first));
    let next = month.checked_add_months(Months::new(1)).filter(|n| *n <= range.last);
    rows.push(vec![
        match prev {
            Some(p) => InlineKeyboardButton::callback("◀", data(PickerPress::Month(p))),
            None => noop(BLANK.to_owned()),
        },
        noop(month_title(l, lang, month)),
        match next {
            Some(n) => InlineKeyboardButton::callback("▶", data(PickerPress::Month(n))),
            None => noop(BLANK.to_owned()),
        },
    ]);

    let weekdays = tr!(l, lang, "datepicker-weekdays");
    rows.push(weekdays.split_whitespace().map(|w| noop(w.to_owned())).collect());

    let lead = month.weekday().num_days_from_monday() as usize;
    let mut cells: Vec<InlineKeyboardButton> = (0..lead).map(|_| noop(BLANK.to_owned())).collect();
    let mut day = month;
    while day.month() == month.month() {
        cells.push(if range.contains(day) {
            InlineKeyboardButton::callback(day.day().to_string(), data(PickerPress::Day(day)))
        } else {
            noop("·".to_owned())
        });
        match day.succ_opt() {
            Some(d) => day = d,
            None => break,
        }
    }
    while cells.len() % 7 != 0 {
        cells.push(noop(BLANK.to_owned()));
    }
    rows.extend(cells.chunks(7).map(<[_]>::to_vec));
    InlineKeyboardMarkup::new(rows)
}

/// A blank cell: Telegram refuses empty button texts, and white space counts as empty.
const BLANK: &str = "\u{2800}";

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn presses_round_trip_and_forgeries_are_refused() {
        for p in [
            PickerPress::Day(d(2026, 12, 3)),
            PickerPress::Month(d(2027, 3, 1)),
            PickerPress::Noop,
        ] {
            assert_eq!(PickerPress::decode(&p.encode()), Some(p));
        }
        assert_eq!(PickerPress::Day(d(2026, 12, 3)).encode(), "d:20261203");
        for bad in ["d:20261332", "d:2026120", "m:202613", "m:2026-1", "y", "d:+0261203", ""] {
            assert_eq!(PickerPress::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn grid_starts_on_monday_and_hides_the_past() {
        let l = Locales::embedded().unwrap();
        let range = Range {
            first: d(2026, 11, 27),
            last: d(2027, 11, 27),
        };
        let kb = keyboard(&l, Lang::En, d(2026, 11, 27), &range, &|p| {
            format!("cal:{}", p.encode())
        });
        let rows = &kb.inline_keyboard;
        assert_eq!(rows[0][1].text, "November 2026");
        assert_eq!(rows[1].len(), 7);
        // 1 November 2026 is a Sunday: six blanks first.
        assert_eq!(rows[2][6].text, "·");
        let texts: Vec<&str> = rows.iter().flatten().map(|b| b.text.as_str()).collect();
        assert!(texts.contains(&"27") && texts.contains(&"30") && !texts.contains(&"26"));
        assert_eq!(rows[0][0].text, BLANK, "no way back before this month");
        assert!(rows.iter().all(|r| r.len() <= 7));
    }
}
