//! `kiosk-reports-bench`: a year of events from a fleet of screens, and how long
//! each report takes to answer over HTTP from the real server.
//!
//! A sample of the events (`--raw-events`) goes through the server's own
//! report path (stored raw, counted in the same transaction, as screens send
//! them); the rest of the year is tallied by the same rule
//! (`kiosk_server::reports::tally`) and imported into the daily counts, so the
//! database holds the counts of every event without tens of gigabytes of raw
//! rows. Then every report over the whole year is asked of the real server on
//! loopback, and, side by side, the same answer computed the way one would
//! without daily counts: a `GROUP BY` over the raw events table, timed on the
//! sample and scaled to the year's events. Prints a Markdown table.

mod simulate;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use kiosk_server::{Clock, Settings};

/// A year of events, and each report's time.
#[derive(Debug, Parser)]
struct Args {
    /// Screens in the fleet.
    #[arg(long, default_value_t = 200)]
    screens: usize,
    /// Channels they follow.
    #[arg(long, default_value_t = 5)]
    channels: usize,
    /// Events in the year.
    #[arg(long, default_value_t = 50_000_000)]
    events: u64,
    /// Of those, how many go through the server's report path and are stored raw.
    #[arg(long, default_value_t = 1_000_000)]
    raw_events: u64,
    /// The year.
    #[arg(long, default_value_t = 2026)]
    year: i16,
    /// Times each report is asked (the median is shown).
    #[arg(long, default_value_t = 5)]
    repeat: usize,
    /// Keep the data folder here instead of a temporary one.
    #[arg(long)]
    keep: Option<std::path::PathBuf>,
}

const ADMIN: &str = "reports-bench-admin-token";

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.raw_events <= args.events, "--raw-events is part of --events");
    let temp = tempfile::tempdir()?;
    let dir = args.keep.clone().unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir)?;
    // The server's clock: the last day of the year, so the whole year is past.
    let clock = Clock::fixed(format!("{}-12-31T16:00:00Z", args.year).parse()?);
    let settings = Settings::new(dir.clone(), ADMIN.into()).with_clock(clock);

    let started = Instant::now();
    let fleet = simulate::Fleet::enrol(&settings, args.screens, args.channels).await?;
    let ingest = fleet.fill_year(&settings, args.year, args.events, args.raw_events).await?;
    let filled = started.elapsed();
    let db_bytes = std::fs::metadata(dir.join(kiosk_server::state::DB_FILE))?.len()
        + std::fs::metadata(dir.join(format!("{}-wal", kiosk_server::state::DB_FILE))).map_or(0, |m| m.len());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(kiosk_server::serve(settings.clone(), listener, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let year = args.year;
    let ask = |path: String| {
        let client = client.clone();
        let url = format!("{base}{path}");
        async move {
            let begun = Instant::now();
            let response = client.get(&url).bearer_auth(ADMIN).send().await.context("asking")?;
            anyhow::ensure!(response.status().is_success(), "{url}: {}", response.status());
            let body = response.bytes().await?;
            Ok::<_, anyhow::Error>((begun.elapsed(), body))
        }
    };
    let mut rows = Vec::new();
    for report in ["play", "touches", "languages", "chapters", "brochures", "surveys", "uptime"] {
        for channel in [None, Some("channel-1")] {
            let filter = channel.map(|c| format!("&channel={c}")).unwrap_or_default();
            let path = format!("/v1/admin/reports/{report}?from={year}-01-01&to={year}-12-31{filter}");
            let mut times = Vec::new();
            let mut total = 0;
            for _ in 0..args.repeat {
                let (took, body) = ask(path.clone()).await?;
                times.push(took);
                total = serde_json::from_slice::<serde_json::Value>(&body)?["total"].as_u64().unwrap_or(0);
            }
            let raw = match (report, channel) {
                (_, Some(_)) => None,
                _ => simulate::raw_alternative(&dir, report, year)?,
            };
            rows.push((
                format!("{report} ({})", channel.unwrap_or("all channels")),
                median(times),
                total,
                raw,
            ));
        }
    }
    for (what, path) in [
        ("yearly report numbers (JSON)", format!("/v1/admin/yearly-report?year={year}&format=json")),
        ("yearly report PDF (vi)", format!("/v1/admin/yearly-report?year={year}&lang=vi")),
    ] {
        let mut times = Vec::new();
        for _ in 0..args.repeat.min(3) {
            times.push(ask(path.clone()).await?.0);
        }
        rows.push((what.to_owned(), median(times), 0, None));
    }
    let _ = stop.send(());
    server.await??;

    let scale = args.events as f64 / ingest.raw_events.max(1) as f64;
    println!("# Reports benchmark\n");
    println!(
        "{} screens on {} channels, {} events in {} ({} through the server's report path, stored raw; \
         the rest counted by the same rule into the daily counts). Filled in {:.0} s; database {:.0} MB. \
         Report path: {:.0} events/s.\n",
        args.screens,
        args.channels,
        args.events,
        year,
        ingest.raw_events,
        filled.as_secs_f64(),
        db_bytes as f64 / 1e6,
        ingest.raw_events as f64 / ingest.raw_time.as_secs_f64().max(1e-9),
    );
    println!(
        "| report over the whole year | ours: daily counts over HTTP, median ms | counted | without daily counts: GROUP BY over raw events, ms for the sample → scaled to the year |"
    );
    println!("|---|---:|---:|---|");
    for (what, took, total, raw) in rows {
        let raw = raw.map_or("—".to_owned(), |r: Duration| {
            format!("{} → ~{:.0}", ms(r), r.as_secs_f64() * 1000.0 * scale)
        });
        let total = if total == 0 { "—".to_owned() } else { total.to_string() };
        println!("| {what} | {} | {total} | {raw} |", ms(took));
    }
    if args.keep.is_none() {
        drop(temp);
    } else {
        eprintln!("data folder kept in {}", Path::new(&dir).display());
    }
    Ok(())
}
