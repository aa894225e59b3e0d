//! ISO weeks (Monday to Sunday), as supervisors count them: `2026-W48`. A year has 52 or 53 weeks; week 1
//! is the week that holds the year's first Thursday, so the days around New Year may belong to the other
//! year's week (2026-W53 runs from 2026-12-28 to 2027-01-03).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i32,
    week: u32,
}

/// Why a week was refused; the message is written in both languages because it is shown before the
/// language of the rest of the command matters.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WeekError {
    #[error("周次格式应为 2026-W48 之类，收到 `{0}` / expected a week such as 2026-W48, got `{0}`")]
    Format(String),
    #[error(
        "{year} 年共有 {weeks} 周，没有第 {week} 周 / {year} has {weeks} ISO weeks: there is no week {week}"
    )]
    NoSuchWeek { year: i32, week: u32, weeks: u32 },
}

impl IsoWeek {
    /// The week `week` of ISO year `year`, refused when that year has no such week.
    pub fn new(year: i32, week: u32) -> Result<IsoWeek, WeekError> {
        let weeks = weeks_in_year(year);
        if week == 0 || week > weeks || !(1..=9999).contains(&year) {
            return Err(WeekError::NoSuchWeek { year, week, weeks });
        }
        Ok(IsoWeek { year, week })
    }

    /// The week a day belongs to.
    pub fn of(date: NaiveDate) -> IsoWeek {
        let w = date.iso_week();
        IsoWeek { year: w.year(), week: w.week() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn week(self) -> u32 {
        self.week
    }

    pub fn monday(self) -> NaiveDate {
        // Valid by construction; the fallback is never reached.
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or(NaiveDate::MIN)
    }

    pub fn sunday(self) -> NaiveDate {
        self.monday() + Days::new(6)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        (self.monday()..=self.sunday()).contains(&date)
    }

    pub fn next(self) -> IsoWeek {
        IsoWeek::of(self.monday() + Days::new(7))
    }

    pub fn prev(self) -> IsoWeek {
        IsoWeek::of(self.monday() - Days::new(7))
    }

    /// This week and the `n - 1` weeks before it, oldest first.
    pub fn last_n(self, n: usize) -> Vec<IsoWeek> {
        let mut weeks = Vec::with_capacity(n);
        let mut w = self;
        for _ in 0..n {
            weeks.push(w);
            w = w.prev();
        }
        weeks.reverse();
        weeks
    }
}

/// 52 or 53: 28 December always lies in the year's last ISO week.
pub fn weeks_in_year(year: i32) -> u32 {
    NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeek {
    type Err = WeekError;

    /// `2026-W48` or `2026-w48` (a one-digit week such as `2026-W5` is accepted too).
    fn from_str(s: &str) -> Result<IsoWeek, WeekError> {
        let t = s.trim();
        let bad = || WeekError::Format(s.to_string());
        let (year, week) = t.split_once(['-']).ok_or_else(bad)?;
        let week = week.strip_prefix(['W', 'w']).ok_or_else(bad)?;
        let digits =
            |x: &str, max: usize| !x.is_empty() && x.len() <= max && x.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !digits(year, 4) || !digits(week, 2) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        IsoWeek::new(year, week)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday_across_new_year() {
        let w: IsoWeek = "2026-W53".parse().unwrap();
        assert_eq!((w.monday(), w.sunday()), (d(2026, 12, 28), d(2027, 1, 3)));
        assert_eq!(w.next().to_string(), "2027-W01");
        assert_eq!(w.next().monday(), d(2027, 1, 4));
        assert_eq!(IsoWeek::of(d(2027, 1, 3)), w);
        assert_eq!(IsoWeek::of(d(2021, 1, 3)).to_string(), "2020-W53");
        assert_eq!("2021-w01".parse::<IsoWeek>().unwrap().prev().to_string(), "2020-W53");
    }

    #[test]
    fn malformed_and_missing_weeks_are_refused() {
        for bad in ["2026W48", "2026-48", "26-W48", "2026-W", "2026-W480", "2026-Wx1", ""] {
            assert!(matches!(bad.parse::<IsoWeek>(), Err(WeekError::Format(_))), "{bad}");
        }
        assert_eq!(
            "2025-W53".parse::<IsoWeek>(),
            Err(WeekError::NoSuchWeek { year: 2025, week: 53, weeks: 52 })
        );
        assert!(matches!("2026-W54".parse::<IsoWeek>(), Err(WeekError::NoSuchWeek { weeks: 53, .. })));
        assert!(matches!("2026-W00".parse::<IsoWeek>(), Err(WeekError::NoSuchWeek { .. })));
    }

    #[test]
    fn the_last_twelve_weeks_end_with_this_one() {
        let w: IsoWeek = "2027-W02".parse().unwrap();
        let weeks = w.last_n(12);
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[0].to_string(), "2026-W44");
        assert_eq!(weeks[11], w);
    }
}
