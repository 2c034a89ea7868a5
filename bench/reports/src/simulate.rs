//! The simulated fleet and its year: screens enrolled on channels, events
//! generated per screen and day, a sample sent through the server's report
//! path and the rest tallied by the server's own rule.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use kiosk_server::Settings;
use kiosk_server::db::{Database, EventRow, sortable_time};
use kiosk_server::reports::sqlite::Tallied;
use kiosk_server::reports::tally::{self, Counted};
use kiosk_server::sqlite::SqliteDb;
use serde_json::{Value, json};

const LOCALES: [&str; 6] = ["vi", "en", "ko", "ja", "zh-Hans", "zh-Hant"];
const PARTS: [&str; 5] = ["home", "chapter", "scene", "brochures", "language"];
const CHAPTERS: [&str; 8] =
    ["award", "location", "business", "innovation", "talent", "invest", "smart-city", "culture"];
const BROCHURES: [&str; 6] =
    ["invest-guide", "top1-icf-award", "smart-city-innovation-zone", "vsip", "logistics", "education"];
const SURVEYS: [(&str, [&str; 4]); 3] = [
    ("what-brings-you", ["invest", "study", "visit", "partner"]),
    ("how-did-you-hear", ["fair", "web", "friend", "press"]),
    ("will-you-visit", ["yes", "maybe", "no", "already"]),
];
const SKIPS: [&str; 3] = ["not_playable", "late", "expired"];

/// A small, fast, repeatable generator.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

/// Every event a screen of the simulation can record, with its weight; a
/// screen-day's events are drawn from these.
struct Templates(Vec<(&'static str, Value, u64)>);

impl Templates {
    fn new() -> Self {
        let mut all = Vec::new();
        let mut add = |kind, data, weight| all.push((kind, data, weight));
        for i in 0..40u64 {
            let planned = 20_000 + 1_000 * i;
            let item = format!("item-{i:02}");
            // Items: about 55 %, one in twenty skipped.
            add(
                "item_end",
                json!({ "item": item, "planned_ms": planned, "actual_ms": planned, "skip_reason": null }),
                131,
            );
            for skip in SKIPS {
                add(
                    "item_end",
                    json!({ "item": item, "planned_ms": planned, "actual_ms": 0, "skip_reason": skip }),
                    2,
                );
            }
            add("item_start", json!({ "item": item }), 12);
        }
        for part in PARTS {
            add("touch", json!({ "screen": part }), 400);
        }
        for locale in LOCALES {
            add("language_choice", json!({ "locale": locale }), 67);
            for chapter in CHAPTERS {
                add("chapter_view", json!({ "chapter": chapter, "locale": locale }), 19);
            }
            for brochure in BROCHURES {
                add("brochure_download", json!({ "brochure": brochure, "locale": locale }), 11);
            }
            for (survey, options) in SURVEYS {
                for option in options {
                    add(
                        "survey_answer",
                        json!({ "survey": survey, "option": option, "chapter": "invest",
                        "scene": "your-visit", "locale": locale }),
                        4,
                    );
                }
            }
        }
        Self(all)
    }

    /// One template, drawn by weight.
    fn draw(&self, dice: &mut Dice) -> usize {
        let total: u64 = self.0.iter().map(|t| t.2).sum();
        let mut left = dice.roll(total);
        for (index, (_, _, weight)) in self.0.iter().enumerate() {
            if left < *weight {
                return index;
            }
            left -= weight;
        }
        self.0.len() - 1
    }
}

/// The screens, enrolled.
pub struct Fleet {
    db: SqliteDb,
    /// `(device id, channel)`.
    screens: Vec<(String, String)>,
}

/// How the year went in.
pub struct Ingest {
    /// Events through the report path.
    pub raw_events: u64,
    /// How long they took.
    pub raw_time: Duration,
}

/// When the simulated screens' codes and tokens expire: not within the simulation.
const NEVER: &str = "9999-12-31T23:59:59.000000000Z";

impl Fleet {
    /// Creates the channels and enrols the screens.
    pub async fn enrol(settings: &Settings, screens: usize, channels: usize) -> anyhow::Result<Self> {
        let path = settings.data_dir.join(kiosk_server::state::DB_FILE);
        let db = SqliteDb::open_counting(&path, settings.clock.clone(), settings.counting())?;
        for c in 1..=channels {
            db.create_channel(format!("channel-{c}")).await?;
        }
        let mut enrolled = Vec::new();
        for s in 0..screens {
            let channel = format!("channel-{}", 1 + s % channels);
            let code = format!("code-{s}");
            db.insert_enrolment_code(code.clone(), channel.clone(), NEVER.into()).await?;
            let id = format!("screen-{s:03}");
            let name = format!("Màn hình {s:03}");
            db.enrol(code, id.clone(), name, format!("token-{s}"), NEVER.into()).await?;
            enrolled.push((id, channel));
        }
        Ok(Self { db, screens: enrolled })
    }

    /// Fills `year` with `events` events, `raw` of them through the report path.
    pub async fn fill_year(
        &self,
        settings: &Settings,
        year: i16,
        events: u64,
        raw: u64,
    ) -> anyhow::Result<Ingest> {
        let zone = settings.report_zone.clone();
        let days: Vec<Date> = {
            let first = Date::new(year, 1, 1)?;
            first.series(jiff::Span::new().days(1)).take_while(|d| d.year() == year).collect()
        };
        let screen_days = (self.screens.len() * days.len()) as u64;
        let raw_every = events.checked_div(raw).map_or(u64::MAX, |every| every.max(1));
        let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
        let templates = Templates::new();
        let (mut made, mut raw_sent, mut raw_time) = (0u64, 0u64, Duration::ZERO);
        let mut pending_raw: HashMap<usize, Vec<EventRow>> = HashMap::new();
        let mut uptime = Vec::new();
        for (d, day) in days.iter().enumerate() {
            let midnight = day.to_zoned_datetime(zone.clone())?.timestamp();
            // What each template counts on this day, by the server's own rule, once
            // per template: every event of the screen-day falls on this day.
            let noon = midnight.checked_add(jiff::SignedDuration::from_hours(12))?;
            let counted: Vec<Option<Counted>> =
                templates.0.iter().map(|(kind, data, _)| tally::count(kind, noon, data, &zone)).collect();
            let mut tallied: HashMap<(usize, Counted), (u64, i64, i64)> = HashMap::new();
            for (s, (device, _)) in self.screens.iter().enumerate() {
                let index = (d * self.screens.len() + s) as u64;
                // Share the events out evenly, the remainder to the first screen-days.
                let n = events / screen_days + u64::from(index < events % screen_days);
                let mut drawn = vec![0u64; templates.0.len()];
                for _ in 0..n {
                    made += 1;
                    let t = templates.draw(&mut dice);
                    if made % raw_every == 0 && raw_sent < raw {
                        raw_sent += 1;
                        let at = midnight
                            .checked_add(jiff::SignedDuration::from_secs(dice.roll(86_400) as i64))
                            .unwrap_or(midnight);
                        let (kind, data, _) = &templates.0[t];
                        let row = EventRow {
                            id: format!("{device}-{made}"),
                            kind: (*kind).to_owned(),
                            at: sortable_time(at),
                            counted_at: at,
                            data: data.to_string(),
                        };
                        let batch = pending_raw.entry(s).or_default();
                        batch.push(row);
                        if batch.len() == 500 {
                            let batch = std::mem::take(batch);
                            let begun = Instant::now();
                            self.db.record_report(device.clone(), None, batch).await?;
                            raw_time += begun.elapsed();
                        }
                    } else {
                        drawn[t] += 1;
                    }
                }
                for (t, times) in drawn.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                    let Some(c) = &counted[t] else { continue };
                    let key = Counted { ms: 0, planned_ms: 0, ..c.clone() };
                    let sums = tallied.entry((s, key)).or_default();
                    sums.0 += times;
                    sums.1 += c.ms * times as i64;
                    sums.2 += c.planned_ms * times as i64;
                }
                // Up 80–100 % of the day.
                uptime.push((device.clone(), day.to_string(), 69_120 + dice.roll(17_281)));
            }
            let rows = tallied
                .into_iter()
                .map(|((s, counted), (times, ms, planned_ms))| Tallied {
                    device: self.screens[s].0.clone(),
                    channel: self.screens[s].1.clone(),
                    counted: Counted { ms, planned_ms, ..counted },
                    times,
                })
                .collect();
            self.db.import_counts(rows).await?;
            if d % 30 == 29 {
                eprintln!("kiosk-reports-bench: {day}: {made} events");
            }
        }
        for (s, batch) in pending_raw {
            if !batch.is_empty() {
                let begun = Instant::now();
                self.db.record_report(self.screens[s].0.clone(), None, batch).await?;
                raw_time += begun.elapsed();
            }
        }
        self.db.import_uptime(uptime).await?;
        Ok(Ingest { raw_events: raw_sent, raw_time })
    }
}

/// How long the report would take without daily counts: a `GROUP BY` over the
/// raw events of the year (the sample), as one would write it; `None` for up
/// time, which raw events do not hold.
pub fn raw_alternative(dir: &Path, report: &str, year: i16) -> anyhow::Result<Option<Duration>> {
    let (kind, group) = match report {
        "play" => ("item_end", "json_extract(data, '$.item'), json_extract(data, '$.skip_reason')"),
        "touches" => ("touch", "device_id"),
        "languages" => ("language_choice", "json_extract(data, '$.locale')"),
        "chapters" => ("chapter_view", "json_extract(data, '$.chapter'), json_extract(data, '$.locale')"),
        "brochures" => {
            ("brochure_download", "json_extract(data, '$.brochure'), json_extract(data, '$.locale')")
        }
        "surveys" => ("survey_answer", "json_extract(data, '$.survey'), json_extract(data, '$.option')"),
        _ => return Ok(None),
    };
    let conn = rusqlite::Connection::open(dir.join(kiosk_server::state::DB_FILE))?;
    let sql = format!(
        "SELECT {group}, COUNT(*) FROM events WHERE kind = ?1 AND at >= ?2 AND at < ?3 GROUP BY {group}"
    );
    let begun = Instant::now();
    let mut stmt = conn.prepare(&sql)?;
    let from = format!("{year}-01-01");
    let to = format!("{}-01-01", year + 1);
    let rows = stmt.query_map(rusqlite::params![kind, from, to], |_| Ok(()))?.count();
    let took = begun.elapsed();
    anyhow::ensure!(rows > 0, "the raw sample holds no {kind} events");
    Ok(Some(took))
}
