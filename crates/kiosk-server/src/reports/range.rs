//! The days a report covers: `from` and `to` (`YYYY-MM-DD`, both included) in
//! the report's zone, by default the last 30 days up to today.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The longest range a report covers, in days.
pub const MAX_DAYS: i64 = 3 * 366;

/// The days of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    /// The first day.
    pub from: Date,
    /// The last day, included.
    pub to: Date,
}

/// Why a range was refused, in words for the person who asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RangeError(pub String);

fn day(text: &str, name: &str) -> Result<Date, RangeError> {
    text.parse::<Date>().map_err(|_| RangeError(format!("{name} = {text:?}: give a day as YYYY-MM-DD")))
}

impl DayRange {
    /// The range asked for; a missing `to` is today (in `zone`, at `now`), a
    /// missing `from` 29 days before `to`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        now: Timestamp,
        zone: &TimeZone,
    ) -> Result<Self, RangeError> {
        let to = match to {
            Some(text) => day(text, "to")?,
            None => now.to_zoned_datetime(zone.clone()).date(),
        };
        let from = match from {
            Some(text) => day(text, "from")?,
            None => to.checked_sub(jiff::Span::new().days(29)).unwrap_or(to),
        };
        if from > to {
            return Err(RangeError(format!("from ({from}) is after to ({to})")));
        }
        let range = Self { from, to };
        if range.days() > MAX_DAYS {
            return Err(RangeError(format!("a report covers at most {MAX_DAYS} days")));
        }
        Ok(range)
    }

    /// A whole calendar year.
    pub fn year(year: i16) -> Result<Self, RangeError> {
        let from = Date::new(year, 1, 1).map_err(|_| RangeError(format!("{year} is not a year we count")))?;
        let to = Date::new(year, 12, 31).map_err(|_| RangeError(format!("{year} is not a year we count")))?;
        Ok(Self { from, to })
    }

    /// How many days, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).get_days() as i64 + 1
    }

    /// Every day, in order.
    pub fn each_day(&self) -> impl Iterator<Item = Date> + '_ {
        self.from.series(jiff::Span::new().days(1)).take_while(move |d| *d <= self.to)
    }

    /// Its bounds as stored (`YYYY-MM-DD`).
    pub fn bounds(&self) -> (String, String) {
        (self.from.to_string(), self.to.to_string())
    }

    /// The instants it begins and ends (the midnight after its last day) in `zone`.
    pub fn instants(&self, zone: &TimeZone) -> (Timestamp, Timestamp) {
        let start = |d: Date| d.to_zoned_datetime(zone.clone()).map(|z| z.timestamp());
        let begin = start(self.from).unwrap_or(Timestamp::MIN);
        let end = self.to.tomorrow().ok().and_then(|d| start(d).ok()).unwrap_or(Timestamp::MAX);
        (begin, end)
    }
}

/// Days `from..=to` (`YYYY-MM-DD`) as the whole months inside them and the days
/// before and after those: each part an inclusive pair that is empty (first
/// after last) when there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSplit {
    /// Days before the first whole month.
    pub head: (String, String),
    /// Whole months, `YYYY-MM`.
    pub months: (String, String),
    /// Days after the last whole month.
    pub tail: (String, String),
}

impl MonthSplit {
    /// Splits days `from..=to`; text that is not a day keeps every day in `head`.
    pub fn of(from: &str, to: &str) -> Self {
        let none = || ("1".to_owned(), "0".to_owned());
        let all_days = || Self { head: (from.to_owned(), to.to_owned()), months: none(), tail: none() };
        let (Ok(first), Ok(last)) = (from.parse::<Date>(), to.parse::<Date>()) else { return all_days() };
        // The first day of the first whole month, and the last day of the last one.
        let start = if first.day() == 1 { Some(first) } else { first.last_of_month().tomorrow().ok() };
        let end =
            if last == last.last_of_month() { Some(last) } else { last.first_of_month().yesterday().ok() };
        match (start, end) {
            (Some(start), Some(end)) if start <= end => Self {
                head: match start.yesterday() {
                    Ok(before) if first <= before => (first.to_string(), before.to_string()),
                    _ => none(),
                },
                months: (start.to_string()[..7].to_owned(), end.to_string()[..7].to_owned()),
                tail: match end.tomorrow() {
                    Ok(after) if after <= last => (after.to_string(), last.to_string()),
                    _ => none(),
                },
            },
            _ => all_days(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vietnam() -> TimeZone {
        TimeZone::get("Asia/Ho_Chi_Minh").unwrap()
    }

    #[test]
    fn the_default_is_the_last_thirty_days_in_the_report_s_zone() {
        // 20:00 UTC on 9 March is already 10 March in Việt Nam.
        let now: Timestamp = "2026-03-09T20:00:00Z".parse().unwrap();
        let range = DayRange::parse(None, None, now, &vietnam()).unwrap();
        assert_eq!(range.bounds(), ("2026-02-09".to_owned(), "2026-03-10".to_owned()));
        assert_eq!(range.days(), 30);
        assert_eq!(range.each_day().count(), 30);
    }

    #[test]
    fn odd_ranges_are_refused_in_words() {
        let now = Timestamp::UNIX_EPOCH;
        for (from, to, says) in [
            (Some("2026-13-01"), Some("2026-12-31"), "give a day as YYYY-MM-DD"),
            (Some("2026-05-02"), Some("2026-05-01"), "is after to"),
            (Some("2020-01-01"), Some("2026-01-01"), "at most"),
        ] {
            let err = DayRange::parse(from, to, now, &TimeZone::UTC).unwrap_err();
            assert!(err.0.contains(says), "{from:?} {to:?}: {err}");
        }
    }

    fn split(from: &str, to: &str) -> [(String, String); 3] {
        let s = MonthSplit::of(from, to);
        [s.head, s.months, s.tail]
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn whole_months_are_read_by_the_month_and_the_days_around_them_by_the_day() {
        let none = pair("1", "0");
        assert_eq!(
            split("2026-01-01", "2026-12-31"),
            [none.clone(), pair("2026-01", "2026-12"), none.clone()]
        );
        assert_eq!(
            split("2026-01-15", "2026-04-10"),
            [pair("2026-01-15", "2026-01-31"), pair("2026-02", "2026-03"), pair("2026-04-01", "2026-04-10")]
        );
        // Inside one month: days only.
        assert_eq!(
            split("2026-03-02", "2026-03-30"),
            [pair("2026-03-02", "2026-03-30"), none.clone(), none.clone()]
        );
        // From the 15th to the end of the next month.
        assert_eq!(
            split("2026-02-15", "2026-03-31"),
            [pair("2026-02-15", "2026-02-28"), pair("2026-03", "2026-03"), none]
        );
    }

    #[test]
    fn a_year_runs_from_midnight_to_midnight_in_the_zone() {
        let year = DayRange::year(2026).unwrap();
        assert_eq!(year.days(), 365);
        let (begin, end) = year.instants(&vietnam());
        assert_eq!(begin.to_string(), "2025-12-31T17:00:00Z");
        assert_eq!(end.to_string(), "2026-12-31T17:00:00Z");
    }
}
