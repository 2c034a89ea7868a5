//! Numbers, percentages and dates as each language writes them.
//!
//! Vietnamese groups thousands with a dot and writes a decimal comma
//! (1.234.567; 99,5%); English groups with a comma (1,234,567; 99.5%).

use crate::model::Lang;
use crate::words::{fill, words};

/// The thousands separator and the decimal mark of `lang`.
fn marks(lang: Lang) -> (char, char) {
    match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// A count with its thousands grouped: `1.234.567` (vi), `1,234,567` (en).
pub(crate) fn count(n: u64, lang: Lang) -> String {
    let (group, _) = marks(lang);
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(digit);
    }
    out
}

/// A number for a chart axis: counts are whole, so a fraction is dropped.
pub(crate) fn axis(value: f64, lang: Lang) -> String {
    if value.is_finite() && value >= 0.0 { count(value.round() as u64, lang) } else { String::new() }
}

/// A percentage with one decimal: `99,5%` (vi), `99.5%` (en); `None` for no number.
pub(crate) fn percent(value: f64, lang: Lang) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    let (_, decimal) = marks(lang);
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    Some(format!("{sign}{}{decimal}{}%", count(tenths / 10, lang), tenths % 10))
}

/// `part` as a percentage of `whole`, or an empty cell when the whole is zero.
pub(crate) fn share(part: u64, whole: u64, lang: Lang) -> String {
    if whole == 0 {
        String::new()
    } else {
        percent(part as f64 * 100.0 / whole as f64, lang).unwrap_or_default()
    }
}

/// An RFC 3339 time written out in `lang`: `10 tháng 11 năm 2026, 08:30 (UTC+07:00)`.
///
/// The time stays in the offset it was given in. Text that is not RFC 3339 is shown as it is.
pub(crate) fn date_time(rfc3339: &str, lang: Lang) -> String {
    parse(rfc3339.trim()).map_or_else(
        || rfc3339.to_owned(),
        |t| {
            let w = words(lang);
            fill(
                w.date,
                &[
                    ("day", &t.day.to_string()),
                    ("month", w.months_long[usize::from(t.month) - 1]),
                    ("year", &t.year.to_string()),
                    ("time", &format!("{:02}:{:02}", t.hour, t.minute)),
                    ("offset", &t.offset),
                ],
            )
        },
    )
}

/// The parts of an RFC 3339 time the report shows.
struct Stamp {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    /// `UTC` or `UTC+07:00`.
    offset: String,
}

fn parse(text: &str) -> Option<Stamp> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let bytes = text.as_bytes();
    if bytes.len() < 17 || bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    if bytes[13] != b':' {
        return None;
    }
    let stamp = Stamp {
        year: i32::try_from(number(0..4)?).ok()?,
        month: u8::try_from(number(5..7)?).ok().filter(|m| (1..=12).contains(m))?,
        day: u8::try_from(number(8..10)?).ok().filter(|d| (1..=31).contains(d))?,
        hour: u8::try_from(number(11..13)?).ok().filter(|h| *h < 24)?,
        minute: u8::try_from(number(14..16)?).ok().filter(|m| *m < 60)?,
        offset: offset(text)?,
    };
    Some(stamp)
}

/// The offset at the end of an RFC 3339 time, as `UTC` or `UTC+07:00`.
fn offset(text: &str) -> Option<String> {
    if text.ends_with(['Z', 'z']) {
        return Some("UTC".to_owned());
    }
    let tail = text.get(text.len().checked_sub(6)?..)?;
    let valid = tail.starts_with(['+', '-']) && tail.as_bytes()[3] == b':';
    valid.then(|| if tail == "+00:00" { "UTC".to_owned() } else { format!("UTC{tail}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_per_language() {
        assert_eq!(count(1_234_567, Lang::Vi), "1.234.567");
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(count(999, Lang::Vi), "999");
        assert_eq!(count(1000, Lang::En), "1,000");
        assert_eq!(count(0, Lang::Vi), "0");
        assert_eq!(count(100_000, Lang::Vi), "100.000");
    }

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(99.46, Lang::Vi).as_deref(), Some("99,5%"));
        assert_eq!(percent(99.44, Lang::En).as_deref(), Some("99.4%"));
        assert_eq!(percent(100.0, Lang::En).as_deref(), Some("100.0%"));
        assert_eq!(percent(f64::NAN, Lang::En), None);
        assert_eq!(share(1, 3, Lang::Vi), "33,3%");
        assert_eq!(share(1, 0, Lang::Vi), "");
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(
            date_time("2026-11-10T08:30:00+07:00", Lang::Vi),
            "10 tháng 11 năm 2026, 08:30 (UTC+07:00)"
        );
        assert_eq!(date_time("2026-11-10T01:30:00.25Z", Lang::En), "10 November 2026, 01:30 (UTC)");
        assert_eq!(date_time("yesterday", Lang::En), "yesterday");
    }
}
