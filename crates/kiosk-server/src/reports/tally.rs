//! What one event adds to the daily counts: pure, so the same rule counts an
//! event when it arrives and when the counts are rebuilt from the raw events.
//!
//! Each kind is counted under a subject, a variant and a language:
//!
//! | kind | subject | variant | locale |
//! |---|---|---|---|
//! | `item_end` | the item | the skip reason, `""` when it played | |
//! | `touch` | the interface screen touched | | |
//! | `language_choice` | | | the language |
//! | `chapter_view` | the chapter | | the language |
//! | `brochure_download` | the brochure | | the language |
//! | `survey_answer` | the survey | the answer | the language |
//!
//! Other kinds (`item_start`, `playlist_change`, kinds from newer screens) are
//! kept as raw events and not counted. Per screen ([`Counted::per_screen`]) the
//! language takes the subject's place for `language_choice`, and only the kind's
//! total is kept for chapters, brochures and surveys, and an item is played or
//! `skipped` (the reason is kept per channel). Each event also adds to one
//! line of its report's day chart ([`Counted::series`]).

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;

/// One event's share of the daily counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Counted {
    /// The event's kind.
    pub kind: &'static str,
    /// The day it happened in the report's time zone, `YYYY-MM-DD`.
    pub day: String,
    /// What it was about (see the table above).
    pub subject: String,
    /// Which form it took.
    pub variant: String,
    /// In which language.
    pub locale: String,
    /// Milliseconds shown (`item_end`).
    pub ms: i64,
    /// Milliseconds planned (`item_end`).
    pub planned_ms: i64,
}

/// A screen's share: `(subject, variant)` of [`Counted`] kept per screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerScreen {
    /// As in [`Counted::subject`], or the language for `language_choice`.
    pub subject: String,
    /// As in [`Counted::variant`] for `item_end`, else empty.
    pub variant: String,
}

/// The kinds that are counted, in the order reports list them.
pub const COUNTED_KINDS: [&str; 6] =
    ["item_end", "touch", "language_choice", "chapter_view", "brochure_download", "survey_answer"];

/// The longest subject, variant or language counted; longer text is cut.
const MAX_KEY_CHARS: usize = 128;

/// The day `at` falls on in `zone`, `YYYY-MM-DD`.
pub fn day_of(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned_datetime(zone.clone()).date().to_string()
}

fn text(data: &Value, key: &str) -> String {
    match data.get(key) {
        Some(Value::String(s)) => s.chars().filter(|c| !c.is_control()).take(MAX_KEY_CHARS).collect(),
        _ => String::new(),
    }
}

fn millis(data: &Value, key: &str) -> i64 {
    data.get(key).and_then(Value::as_f64).filter(|ms| ms.is_finite() && *ms >= 0.0).map_or(0, |ms| {
        // A day is the most one item may claim; a wild number is not proof of play.
        ms.min(86_400_000.0) as i64
    })
}

/// What a stored event of `kind` adds, its `data` the JSON text the screen sent
/// (text that is not JSON counts as no details); as [`count`].
pub fn count_stored(kind: &str, at: Timestamp, data: &str, zone: &TimeZone) -> Option<Counted> {
    let data = serde_json::from_str(data).unwrap_or(Value::Null);
    count(kind, at, &data, zone)
}

/// What an event of `kind` with `data`, counted at `at`, adds; `None` for a kind
/// that is not counted.
pub fn count(kind: &str, at: Timestamp, data: &Value, zone: &TimeZone) -> Option<Counted> {
    let kind = COUNTED_KINDS.into_iter().find(|k| *k == kind)?;
    let (subject, variant, locale) = match kind {
        "item_end" => (text(data, "item"), text(data, "skip_reason"), String::new()),
        "touch" => (text(data, "screen"), String::new(), String::new()),
        "language_choice" => (String::new(), String::new(), text(data, "locale")),
        "survey_answer" => (text(data, "survey"), text(data, "option"), text(data, "locale")),
        "chapter_view" => (text(data, "chapter"), String::new(), text(data, "locale")),
        _ => (text(data, "brochure"), String::new(), text(data, "locale")),
    };
    let (ms, planned_ms) =
        if kind == "item_end" { (millis(data, "actual_ms"), millis(data, "planned_ms")) } else { (0, 0) };
    Some(Counted { kind, day: day_of(at, zone), subject, variant, locale, ms, planned_ms })
}

impl Counted {
    /// The month it happened in, `YYYY-MM`: the row of the monthly counts it adds to.
    pub fn month(&self) -> &str {
        self.day.get(..7).unwrap_or(&self.day)
    }

    /// What of it is kept per screen.
    pub fn per_screen(&self) -> PerScreen {
        match self.kind {
            "item_end" => PerScreen {
                subject: self.subject.clone(),
                variant: if self.played() { String::new() } else { "skipped".to_owned() },
            },
            "language_choice" => PerScreen { subject: self.locale.clone(), variant: String::new() },
            _ => PerScreen { subject: String::new(), variant: String::new() },
        }
    }

    /// The line of the report's day chart it adds to: `played` or `skipped`
    /// for items, the language for language choices, the kind's one line
    /// (`""`) for the rest.
    pub fn series(&self) -> String {
        match self.kind {
            "item_end" if self.played() => "played".to_owned(),
            "item_end" => "skipped".to_owned(),
            "language_choice" => self.locale.clone(),
            _ => String::new(),
        }
    }

    /// Whether it is an item that played to its end (not a skip).
    pub fn played(&self) -> bool {
        self.kind == "item_end" && self.variant.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn vietnam() -> TimeZone {
        TimeZone::get("Asia/Ho_Chi_Minh").unwrap()
    }

    #[test]
    fn each_kind_is_counted_under_its_subject_variant_and_language() {
        let at: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let cases = [
            (
                "item_end",
                json!({"item": "film-1", "actual_ms": 30000, "planned_ms": 30000}),
                ("film-1", "", ""),
            ),
            (
                "item_end",
                json!({"item": "film-1", "skip_reason": "not_playable"}),
                ("film-1", "not_playable", ""),
            ),
            ("touch", json!({"screen": "home", "x": 1, "y": 2}), ("home", "", "")),
            ("language_choice", json!({"locale": "ko"}), ("", "", "ko")),
            ("chapter_view", json!({"chapter": "award", "locale": "en"}), ("award", "", "en")),
            (
                "brochure_download",
                json!({"brochure": "invest-guide", "locale": "vi"}),
                ("invest-guide", "", "vi"),
            ),
            (
                "survey_answer",
                json!({"survey": "why", "option": "invest", "locale": "ja"}),
                ("why", "invest", "ja"),
            ),
        ];
        for (kind, data, (subject, variant, locale)) in cases {
            let counted = count(kind, at, &data, &vietnam()).unwrap();
            assert_eq!(
                (counted.subject.as_str(), counted.variant.as_str(), counted.locale.as_str()),
                (subject, variant, locale),
                "{kind} {data}"
            );
            assert_eq!((counted.day.as_str(), counted.month()), ("2026-03-01", "2026-03"));
        }
        for kind in ["item_start", "playlist_change", "from_a_newer_screen"] {
            assert_eq!(count(kind, at, &json!({}), &vietnam()), None, "{kind}");
        }
    }

    #[test]
    fn a_day_is_a_day_in_the_report_s_time_zone() {
        // 18:30 UTC on 31 December is 01:30 on 1 January in Việt Nam (UTC+7).
        let at: Timestamp = "2026-12-31T18:30:00Z".parse().unwrap();
        assert_eq!(day_of(at, &vietnam()), "2027-01-01");
        assert_eq!(day_of(at, &TimeZone::UTC), "2026-12-31");
    }

    #[test]
    fn played_time_is_kept_for_items_and_wild_numbers_are_tamed() {
        let at: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let played = count(
            "item_end",
            at,
            &json!({"item": "a", "actual_ms": 29_500.7, "planned_ms": 30000}),
            &vietnam(),
        )
        .unwrap();
        assert_eq!((played.ms, played.planned_ms, played.played()), (29_500, 30_000, true));
        let wild =
            count("item_end", at, &json!({"item": "a", "actual_ms": -5, "planned_ms": 1e300}), &vietnam())
                .unwrap();
        assert_eq!((wild.ms, wild.planned_ms), (0, 86_400_000));
        let odd =
            count("chapter_view", at, &json!({"chapter": 7, "locale": "x\u{0}y".repeat(100)}), &vietnam())
                .unwrap();
        assert_eq!(odd.subject, "");
        assert_eq!(odd.locale.chars().count(), 128);
        assert!(!odd.locale.contains('\u{0}'));
    }

    #[test]
    fn per_screen_keeps_items_and_languages() {
        let at: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let lang = count("language_choice", at, &json!({"locale": "ja"}), &vietnam()).unwrap();
        assert_eq!(lang.per_screen(), PerScreen { subject: "ja".into(), variant: String::new() });
        let skip = count("item_end", at, &json!({"item": "f", "skip_reason": "late"}), &vietnam()).unwrap();
        assert_eq!(skip.per_screen(), PerScreen { subject: "f".into(), variant: "skipped".into() });
        assert!(!skip.played());
        assert_eq!((skip.series(), lang.series()), ("skipped".to_owned(), "ja".to_owned()));
        let chapter =
            count("chapter_view", at, &json!({"chapter": "c", "locale": "en"}), &vietnam()).unwrap();
        assert_eq!(chapter.per_screen(), PerScreen { subject: String::new(), variant: String::new() });
    }
}
