//! Reports over real HTTP: what screens report is counted per day, channel and
//! screen as it arrives; each report's numbers equal counts made here from the
//! raw events; an event sent twice counts once; a screen with a wrong clock has
//! its events counted on the right day; an empty range says so; CSV holds
//! exactly the table's rows; up time comes from the gaps between heartbeats.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use kiosk_server::{Clock, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{ADMIN, TestServer, get, start_with};

/// The server's clock: 12:00 in Việt Nam on 10 March 2026.
const NOW: &str = "2026-03-10T05:00:00Z";

async fn server(dir: &std::path::Path) -> (TestServer, Clock) {
    let clock = Clock::fixed(NOW.parse::<Timestamp>().unwrap());
    let mut settings = Settings::new(dir.to_owned(), ADMIN.into()).with_clock(clock.clone());
    settings.offline_after = Duration::from_secs(600);
    let server = start_with(settings).await;
    server.create_channel("booth").await;
    server.create_channel("hall").await;
    (server, clock)
}

fn event(id: &str, kind: &str, at: &str, data: Value) -> Value {
    json!({ "id": id, "kind": kind, "at": at, "data": data })
}

async fn send(server: &TestServer, token: &str, device_now: Option<&str>, events: &[Value]) {
    let heartbeat = device_now.map(|at| json!({ "at": at }));
    let response = server
        .client
        .post(server.url("/v1/reports"))
        .bearer_auth(token)
        .json(&json!({ "heartbeat": heartbeat, "events": events }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
}

/// A table of a report as `{first columns joined by " / " → the named column}`.
fn column(page: &Value, table: &str, keys: usize, value: &str) -> BTreeMap<String, u64> {
    let table = page["tables"].as_array().unwrap().iter().find(|t| t["name"] == table).unwrap();
    let index = table["columns"].as_array().unwrap().iter().position(|c| c == value).unwrap();
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let key: Vec<String> =
                row.as_array().unwrap()[..keys].iter().map(|c| c.as_str().unwrap_or("").to_owned()).collect();
            (key.join(" / "), row[index].as_u64().unwrap())
        })
        .collect()
}

/// A small generator of varied but repeatable events.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % sides
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_matches_counts_made_from_the_raw_events_and_a_repeated_upload_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    let screens = [
        ("booth", server.enrol("booth", "Gian hàng Tokyo").await),
        ("booth", server.enrol("booth", "Gian hàng Seoul").await),
        ("hall", server.enrol("hall", "Sảnh WTC").await),
    ];
    let mut dice = Dice(7);
    let (locales, chapters, brochures, items) = (
        ["vi", "en", "ko", "ja"],
        ["award", "invest", "talent"],
        ["invest-guide", "top1-icf-award"],
        ["film-a", "film-b", "poster"],
    );
    let mut sent: Vec<(usize, Value)> = Vec::new();
    for n in 0..600 {
        let screen = dice.roll(3) as usize;
        // Days 10 February to 9 March, in daytime in Việt Nam: a whole month
        // and days of the next, as reports read them from monthly and daily counts.
        let day =
            jiff::civil::date(2026, 2, 10).checked_add(jiff::Span::new().days(dice.roll(28) as i64)).unwrap();
        let at = format!("{day}T0{}:{:02}:00Z", 1 + dice.roll(8), dice.roll(60));
        let locale = locales[dice.roll(4) as usize];
        let e = match dice.roll(6) {
            0 => event(&format!("e{n}"), "language_choice", &at, json!({ "locale": locale })),
            1 => event(
                &format!("e{n}"),
                "chapter_view",
                &at,
                json!({ "chapter": chapters[dice.roll(3) as usize], "locale": locale }),
            ),
            2 => event(
                &format!("e{n}"),
                "brochure_download",
                &at,
                json!({ "brochure": brochures[dice.roll(2) as usize], "locale": locale }),
            ),
            3 => event(&format!("e{n}"), "touch", &at, json!({ "screen": "home", "x": 10, "y": 20 })),
            _ => {
                let skip = if dice.roll(5) == 0 { json!("not_playable") } else { Value::Null };
                event(
                    &format!("e{n}"),
                    "item_end",
                    &at,
                    json!({ "item": items[dice.roll(3) as usize], "planned_ms": 30000,
                    "actual_ms": if skip.is_null() { 30000 } else { 0 }, "skip_reason": skip }),
                )
            }
        };
        sent.push((screen, e));
    }
    for (index, (_, token)) in screens.iter().enumerate() {
        let mine: Vec<Value> = sent.iter().filter(|(s, _)| *s == index).map(|(_, e)| e.clone()).collect();
        send(&server, token, Some(NOW), &mine).await;
        // A cut connection: the screen sends the same batch again.
        send(&server, token, Some(NOW), &mine[..mine.len() / 2]).await;
    }
    let raw: Vec<&Value> = sent.iter().map(|(_, e)| e).collect();
    let count = |kind: &str, key: &dyn Fn(&Value) -> String| {
        let mut counts = BTreeMap::new();
        for e in raw.iter().filter(|e| e["kind"] == kind) {
            *counts.entry(key(&e["data"])).or_insert(0u64) += 1;
        }
        counts
    };
    let range = "from=2026-02-01&to=2026-03-09";

    let languages = get(&server, &format!("/v1/admin/reports/languages?{range}")).await;
    assert_eq!(
        column(&languages, "languages", 1, "choices"),
        count("language_choice", &|d| d["locale"].as_str().unwrap().to_owned())
    );
    assert_eq!(languages["days"].as_array().unwrap().len(), 37);
    assert_eq!(languages["zone"], "Asia/Ho_Chi_Minh");

    let chapters = get(&server, &format!("/v1/admin/reports/chapters?{range}")).await;
    assert_eq!(
        column(&chapters, "chapters", 1, "views"),
        count("chapter_view", &|d| d["chapter"].as_str().unwrap().to_owned())
    );
    assert_eq!(
        column(&chapters, "chapter_languages", 2, "views"),
        count("chapter_view", &|d| format!(
            "{} / {}",
            d["chapter"].as_str().unwrap(),
            d["locale"].as_str().unwrap()
        ))
    );

    let brochures = get(&server, &format!("/v1/admin/reports/brochures?{range}")).await;
    assert_eq!(
        column(&brochures, "brochures", 1, "downloads"),
        count("brochure_download", &|d| d["brochure"].as_str().unwrap().to_owned())
    );

    let play = get(&server, &format!("/v1/admin/reports/play?{range}")).await;
    let item = |d: &Value| d["item"].as_str().unwrap().to_owned();
    assert_eq!(column(&play, "items", 1, "planned"), count("item_end", &item));
    let played =
        |d: &Value| if d["skip_reason"].is_null() { item(d) } else { format!("{} skipped", item(d)) };
    let played = count("item_end", &played);
    for (name, planned) in column(&play, "items", 1, "played") {
        assert_eq!(Some(&planned), played.get(&name), "{name}");
    }
    let days: u64 = play["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["values"][0].as_u64().unwrap() + d["values"][1].as_u64().unwrap())
        .sum();
    assert_eq!(days, play["total"].as_u64().unwrap());
    assert_eq!(
        play["total"].as_u64().unwrap(),
        raw.iter().filter(|e| e["kind"] == "item_end").count() as u64
    );

    // Per screen: the touches of each screen, named.
    let touches = get(&server, &format!("/v1/admin/reports/touches?{range}")).await;
    let by_screen = column(&touches, "screens", 1, "touches");
    for (index, name) in ["Gian hàng Tokyo", "Gian hàng Seoul", "Sảnh WTC"].iter().enumerate() {
        let expected = sent.iter().filter(|(s, e)| *s == index && e["kind"] == "touch").count() as u64;
        assert_eq!(by_screen.get(*name).copied().unwrap_or(0), expected, "{name}");
    }

    // Days that end inside a month: 15 February to 3 March.
    let part = get(&server, "/v1/admin/reports/touches?from=2026-02-15&to=2026-03-03").await;
    let in_range = |e: &Value| {
        let day = e["at"].as_str().unwrap().get(..10).unwrap().to_owned();
        ("2026-02-15".to_owned()..="2026-03-03".to_owned()).contains(&day)
    };
    let by_screen = column(&part, "screens", 1, "touches");
    for (index, name) in ["Gian hàng Tokyo", "Gian hàng Seoul", "Sảnh WTC"].iter().enumerate() {
        let expected =
            sent.iter().filter(|(s, e)| *s == index && e["kind"] == "touch" && in_range(e)).count() as u64;
        assert_eq!(by_screen.get(*name).copied().unwrap_or(0), expected, "{name} 15 Feb – 3 Mar");
    }

    // One channel only.
    let hall = get(&server, &format!("/v1/admin/reports/touches?{range}&channel=hall")).await;
    assert_eq!(hall["channels"], json!(["hall"]));
    assert_eq!(column(&hall, "screens", 1, "touches").keys().collect::<Vec<_>>(), ["Sảnh WTC"]);

    // CSV: the header and exactly the JSON table's rows.
    let response = server
        .admin(Method::GET, &format!("/v1/admin/reports/brochures?{range}&format=csv&table=brochures"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("brochures-brochures-2026-02-01-2026-03-09.csv")
    );
    let text = response.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("brochure,downloads,share"));
    let from_csv: BTreeMap<String, u64> = lines
        .map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            (fields[0].to_owned(), fields[1].parse().unwrap())
        })
        .collect();
    assert_eq!(from_csv, column(&brochures, "brochures", 1, "downloads"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_with_a_wrong_clock_has_its_events_counted_on_the_right_day() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    let behind = server.enrol("booth", "Đồng hồ chậm").await;
    let ahead = server.enrol("booth", "Đồng hồ nhanh").await;
    // Ten hours behind: its 23:30 on 9 March (Việt Nam) was really 09:30 on the 10th.
    send(
        &server,
        &behind,
        Some("2026-03-09T19:00:00Z"),
        &[event("slow-1", "touch", "2026-03-09T16:30:00Z", json!({}))],
    )
    .await;
    // A year ahead (a board whose clock was set wrong).
    send(
        &server,
        &ahead,
        Some("2027-03-10T05:00:00Z"),
        &[event("fast-1", "touch", "2027-03-10T04:00:00Z", json!({}))],
    )
    .await;
    let ninth = get(&server, "/v1/admin/reports/touches?from=2026-03-09&to=2026-03-09").await;
    assert_eq!(ninth["total"], 0, "{ninth}");
    let tenth = get(&server, "/v1/admin/reports/touches?from=2026-03-10&to=2026-03-10").await;
    assert_eq!(tenth["total"], 2, "{tenth}");
    let next_year = get(&server, "/v1/admin/reports/touches?from=2027-03-10&to=2027-03-10").await;
    assert_eq!(next_year["total"], 0);
    // The raw event keeps what the screen said.
    let raw = get(&server, "/v1/admin/events?kind=touch").await;
    assert!(raw.to_string().contains("2027-03-10T04:00:00"), "{raw}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_range_says_so_and_odd_requests_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    let empty = get(&server, "/v1/admin/reports/chapters?from=2025-01-01&to=2025-01-31").await;
    assert_eq!(empty["total"], 0);
    assert_eq!(empty["days"].as_array().unwrap().len(), 31);
    assert!(empty["tables"].as_array().unwrap().iter().all(|t| t["rows"] == json!([])));
    let csv = server
        .admin(Method::GET, "/v1/admin/reports/chapters?from=2025-01-01&to=2025-01-31&format=csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.text().await.unwrap(), "chapter,views,share\n");
    // The default range: the 30 days up to today in the report zone.
    let default = get(&server, "/v1/admin/reports/uptime").await;
    assert_eq!((default["from"].as_str(), default["to"].as_str()), (Some("2026-02-09"), Some("2026-03-10")));

    for (path, status, code) in [
        ("/v1/admin/reports/visitors", StatusCode::NOT_FOUND, "no_report"),
        ("/v1/admin/reports/play?from=2026-02-30", StatusCode::BAD_REQUEST, "invalid_range"),
        ("/v1/admin/reports/play?from=2026-03-09&to=2026-03-01", StatusCode::BAD_REQUEST, "invalid_range"),
        ("/v1/admin/reports/play?format=xlsx", StatusCode::BAD_REQUEST, "invalid_format"),
        ("/v1/admin/reports/play?format=csv&table=nope", StatusCode::NOT_FOUND, "no_table"),
        ("/v1/admin/reports/play?channel=nowhere", StatusCode::NOT_FOUND, "no_channel"),
        ("/v1/admin/reports/play?colour=red", StatusCode::BAD_REQUEST, ""),
    ] {
        let response = server.admin(Method::GET, path).send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains(code), "{path}: {body}");
    }

    // A viewer of one channel reads that channel's reports, not another's.
    let response = server
        .admin(Method::POST, "/v1/admin/tokens")
        .json(&json!({ "name": "booth-reports", "roles": [{ "channel": "booth", "role": "viewer" }] }))
        .send()
        .await
        .unwrap();
    let secret = response.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
    let read = |path: &str| server.client.get(server.url(path)).bearer_auth(&secret).send();
    assert_eq!(read("/v1/admin/reports/play?channel=hall").await.unwrap().status(), 403);
    let mine: Value = read("/v1/admin/reports/play").await.unwrap().json().await.unwrap();
    assert_eq!(mine["channels"], json!(["booth"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_time_comes_from_the_gaps_between_heartbeats() {
    let dir = tempfile::tempdir().unwrap();
    let (server, clock) = server(dir.path()).await;
    let steady = server.enrol("hall", "Ổn định").await;
    let flaky = server.enrol("hall", "Chập chờn").await;
    // Steady: a heartbeat every 5 minutes for an hour. Flaky: every 20 minutes (offline in between).
    for minute in (0..=60).step_by(5) {
        send(&server, &steady, Some(&clock.now().to_string()), &[]).await;
        if minute % 20 == 0 {
            send(&server, &flaky, Some(&clock.now().to_string()), &[]).await;
        }
        clock.advance(SignedDuration::from_mins(5));
    }
    let uptime = get(&server, "/v1/admin/reports/uptime?from=2026-03-10&to=2026-03-10").await;
    let table = &uptime["tables"][0];
    let row = |name: &str| table["rows"].as_array().unwrap().iter().find(|r| r[0] == name).unwrap().clone();
    assert_eq!(row("Ổn định")[4], 1.0, "{table}");
    assert_eq!(row("Chập chờn")[4], 0.0, "{table}");
    assert_eq!(uptime["total"], 3600);
    // Enrolled at 12:00 on the 10th, asked at 13:05: an hour up of 65 minutes owed.
    let fraction = row("Ổn định")[5].as_f64().unwrap();
    assert!((fraction - 60.0 / 65.0).abs() < 0.01, "{fraction}");
}

/// The text of a PDF, by Debian's `pdftotext`.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

async fn csv_column(server: &TestServer, path: &str, column: usize) -> BTreeMap<String, u64> {
    let text = server.admin(Method::GET, path).send().await.unwrap().text().await.unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            (fields[0].to_owned(), fields[column].parse().unwrap())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_yearly_report_s_numbers_match_the_csv_and_its_pdf_says_them_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _clock) = server(dir.path()).await;
    let tokyo = server.enrol("booth", "Gian hàng Tokyo").await;
    let hall = server.enrol("hall", "Sảnh WTC").await;
    let devices = get(&server, "/v1/admin/fleet").await;
    let tokyo_id =
        devices["screens"].as_array().unwrap().iter().find(|s| s["name"] == "Gian hàng Tokyo").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let placed = server
        .admin(Method::PUT, &format!("/v1/admin/devices/{tokyo_id}"))
        .json(&json!({ "country": "jp" }))
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 200);
    assert_eq!(placed.json::<Value>().await.unwrap()["country"], "JP");

    let mut dice = Dice(11);
    for (token, prefix, touches) in [(&tokyo, "t", 1200), (&hall, "h", 300)] {
        let mut events = Vec::new();
        for n in 0..touches {
            let at = format!("2026-0{}-1{}T03:00:00Z", 1 + dice.roll(3), dice.roll(10));
            events.push(event(&format!("{prefix}-touch-{n}"), "touch", &at, json!({ "screen": "home" })));
        }
        for n in 0..40 {
            let locale = if n % 4 == 0 { "vi" } else { "ja" };
            events.push(event(
                &format!("{prefix}-lang-{n}"),
                "language_choice",
                "2026-02-02T03:00:00Z",
                json!({ "locale": locale }),
            ));
        }
        for n in 0..15 {
            events.push(event(
                &format!("{prefix}-broch-{n}"),
                "brochure_download",
                "2026-03-01T03:00:00Z",
                json!({ "brochure": "invest-guide", "locale": "ja" }),
            ));
        }
        send(&server, token, Some(NOW), &events).await;
    }

    let year = "from=2026-01-01&to=2026-12-31";
    let numbers = get(&server, "/v1/admin/yearly-report?year=2026&format=json").await;
    let touches =
        csv_column(&server, &format!("/v1/admin/reports/touches?{year}&format=csv&table=screens"), 3).await;
    assert_eq!(numbers["totals"]["touches"].as_u64().unwrap(), touches.values().sum::<u64>());
    assert_eq!(numbers["totals"]["touches"], 1500);
    let languages = csv_column(&server, &format!("/v1/admin/reports/languages?{year}&format=csv"), 1).await;
    let from_yearly: BTreeMap<String, u64> = numbers["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["key"].as_str().unwrap().to_owned(), c["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(from_yearly, languages);
    assert_eq!(numbers["totals"]["screens"], 2);
    let japan = numbers["countries"].as_array().unwrap().iter().find(|c| c["country"] == "JP").unwrap();
    assert_eq!(japan["interactions"], 1200 + 40 + 15);

    let pdf = |lang: &str, year: u32| {
        let path = format!("/v1/admin/yearly-report?year={year}&lang={lang}");
        let request = server.admin(Method::GET, &path).send();
        async move {
            let response = request.await.unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["content-type"], "application/pdf");
            let bytes = response.bytes().await.unwrap();
            assert!(bytes.starts_with(b"%PDF-"));
            pdf_text(&bytes)
        }
    };
    let english = pdf("en", 2026).await;
    // Tokyo's screen stood in Japan and saw 1,255 interactions.
    for said in ["Yearly report 2026", "1,500", "Sảnh WTC", "Japan", "1,255"] {
        assert!(english.contains(said), "{said:?} in:\n{english}");
    }
    let vietnamese = pdf("vi", 2026).await;
    for said in ["Báo cáo kết quả năm 2026", "1.500", "Nhật Bản", "1.255"] {
        assert!(vietnamese.contains(said), "{said:?} in:\n{vietnamese}");
    }
    assert!(pdf("en", 2025).await.contains("Nothing was recorded in 2025."));
    let odd = server.admin(Method::GET, "/v1/admin/yearly-report?year=2026&lang=fr").send().await.unwrap();
    assert_eq!(odd.status(), 400);

    // The same report from the command line, from the same data folder.
    server.stop().await;
    if support::embedded_only("the command line reads the data folder") {
        return;
    }
    let config = dir.path().join("server.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:1\"\ndata_dir = {:?}\nadmin_token = \"x\"\n",
            dir.path().display().to_string()
        ),
    )
    .unwrap();
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kiosk-server"))
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap()
    };
    let out = dir.path().join("bao-cao-2026.pdf");
    let made = cli(&["report", "yearly", "--year", "2026", "--lang", "en", "--out", out.to_str().unwrap()]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(pdf_text(&std::fs::read(&out).unwrap()).contains("1,500"));
    let refused =
        cli(&["report", "yearly", "--year", "2026", "--channel", "nowhere", "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("does not exist"));
    let refused =
        cli(&["report", "yearly", "--year", "2026", "--lang", "fr", "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success());
}
