//! `kiosk-fleet`: N simulated screens (1000 by default) in one process against
//! one `kiosk-server` on loopback, with the real sync code of a screen.
//!
//! `bench/fleet/run.sh` is the one command: it builds, starts the server and
//! nginx, runs this binary and draws the plot (`bench/fleet/README.md`).
//!
//! ```text
//! kiosk-fleet --server URL --server-pid PID --pack DIR --work TMPFS_DIR --out DIR
//!             [--nginx URL --nginx-pid PID] [--devices N] …   (admin token in KIOSK_ADMIN_TOKEN)
//! ```
//!
//! Phases, each measured:
//! 1. set-up: a channel, release 1 built from an author's folder and published,
//!    N screens enrolled, then started in waves and synced to release 1;
//! 2. release 2 (release 1 and one new picture) published: the time from the
//!    publish request's start to each screen's activation, the bytes the screens
//!    received, and the server's CPU and memory;
//! 3. conditional manifest requests (`304`) per second;
//! 4. download-and-verify throughput from our server and from nginx serving the
//!    same blob files, alternately, medians and their ratio.
//!
//! # Layout
//! - [`admin`]: the server's admin API, as a publisher and an installer use it.
//! - [`pack`]: the two releases.
//! - [`picture`]: the new picture of release 2.
//! - [`fleet`]: the simulated screens and their activations.
//! - [`proc_stats`]: CPU time and memory of a process, from `/proc`.
//! - [`tcp_bytes`]: bytes received from the server, as the kernel counted them.
//! - [`conditional`]: conditional manifest requests per second.
//! - [`throughput`]: download-and-verify throughput.
//! - [`report`]: the numbers, the goals, the Markdown table.

mod admin;
mod conditional;
mod fleet;
mod pack;
mod picture;
mod proc_stats;
mod report;
mod tcp_bytes;
mod throughput;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use clap::Parser;
use kiosk_device::library::Trust;

use crate::admin::AdminApi;
use crate::fleet::Fleet;
use crate::report::{ConditionalPhase, Costs, Publish, Results, RunFacts, Setup, Throughput};
use crate::throughput::Trial;

/// N simulated screens against one kiosk-server: time to activate a release,
/// bytes moved, conditional requests per second, and throughput against nginx.
#[derive(Debug, Parser)]
#[command(name = "kiosk-fleet", version, about)]
struct Cli {
    /// The server, e.g. `http://127.0.0.1:8780`.
    #[arg(long)]
    server: String,
    /// The server's process id, for its CPU time and memory.
    #[arg(long)]
    server_pid: u32,
    /// The admin token.
    #[arg(long, env = "KIOSK_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: String,
    /// nginx serving the server's blob folder as `/v1/blobs/<sha256>`.
    #[arg(long, requires = "nginx_pid")]
    nginx: Option<String>,
    /// nginx's master process id (its workers are found from it).
    #[arg(long)]
    nginx_pid: Option<u32>,
    /// Simulated screens.
    #[arg(long, default_value_t = 1000)]
    devices: usize,
    /// The author's folder release 1 is built from (the layout of `media/`).
    #[arg(long)]
    pack: PathBuf,
    /// A folder for the screens' data folders (tmpfs) and the release build.
    #[arg(long)]
    work: PathBuf,
    /// Where `latest.md` and `latest.json` go.
    #[arg(long)]
    out: PathBuf,
    /// The channel.
    #[arg(long, default_value = "fleet")]
    channel: String,
    /// Size of release 2's new picture, KB.
    #[arg(long, default_value_t = 300)]
    picture_kb: usize,
    /// Screens started at once in phase 1.
    #[arg(long, default_value_t = 100)]
    wave: usize,
    /// Seconds of conditional manifest requests.
    #[arg(long, default_value_t = 10)]
    manifest_seconds: u64,
    /// Client threads sending conditional manifest requests.
    #[arg(long, default_value_t = 32)]
    manifest_clients: usize,
    /// Client threads of the throughput trials.
    #[arg(long, default_value_t = 16)]
    throughput_clients: usize,
    /// MB fetched by each throughput trial.
    #[arg(long, default_value_t = 1000)]
    throughput_mb: u64,
    /// Trials per server.
    #[arg(long, default_value_t = 5)]
    throughput_rounds: usize,
    /// Which code was measured (commit, local changes), for the report.
    #[arg(long, default_value = "")]
    code: String,
    /// Exit with status 3 when a goal is missed.
    #[arg(long)]
    strict: bool,
}

fn step(text: &str) {
    eprintln!("\n=== {text} ===");
}

/// CPU and memory readings at the start of a phase.
struct Meter {
    server: String,
    start: Instant,
    server_cpu: f64,
    fleet_cpu: f64,
    machine: f64,
}

impl Meter {
    fn start(server_pid: u32) -> Result<Self> {
        let server = server_pid.to_string();
        if let Err(error) = proc_stats::reset_peak(&server) {
            tracing::warn!(%error, "the server's peak memory covers its whole life");
        }
        Ok(Self {
            server_cpu: proc_stats::sample(&server)?.cpu_seconds,
            fleet_cpu: proc_stats::sample("self")?.cpu_seconds,
            machine: proc_stats::machine_busy_seconds(),
            start: Instant::now(),
            server,
        })
    }

    fn finish(&self) -> Result<Costs> {
        let server = proc_stats::sample(&self.server)?;
        Ok(Costs {
            seconds: self.start.elapsed().as_secs_f64(),
            server_cpu_seconds: server.cpu_seconds - self.server_cpu,
            server_peak_mib: server.peak_kib as f64 / 1024.0,
            fleet_cpu_seconds: proc_stats::sample("self")?.cpu_seconds - self.fleet_cpu,
            machine_busy_seconds: proc_stats::machine_busy_seconds() - self.machine,
        })
    }
}

/// Waits (at most `patience`) until this process uses less than a tenth of a
/// core: the screens' follow-up rounds after an activation are over.
fn wait_until_quiet(patience: Duration) {
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        let before = proc_stats::sample("self").map(|s| s.cpu_seconds).unwrap_or(0.0);
        std::thread::sleep(Duration::from_secs(1));
        let after = proc_stats::sample("self").map(|s| s.cpu_seconds).unwrap_or(0.0);
        if after - before < 0.1 {
            return;
        }
    }
}

/// CPU model, cores and memory of this machine.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']));
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    format!(
        "{}, {} cores, {:.0} GiB",
        model.unwrap_or("?"),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        mem_kib / 1_048_576.0
    )
}

/// CPU seconds of process `pid` and its children (nginx's master and workers).
fn cpu_with_children(pid: u32) -> f64 {
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    std::iter::once(pid.to_string())
        .chain(children.split_whitespace().map(str::to_owned))
        .filter_map(|p| proc_stats::sample(&p).ok())
        .map(|s| s.cpu_seconds)
        .sum()
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(results) if cli.strict && results.goals.iter().any(|g| !g.pass) => ExitCode::from(3),
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kiosk-fleet: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<Results> {
    let n = cli.devices.max(1);
    let admin = AdminApi::new(&cli.server, &cli.admin_token)?;

    step("phase 1: channel, release 1, enrolment, first sync");
    let key = admin.wait_for_public_key(Duration::from_secs(30))?;
    admin.create_channel(&cli.channel)?;
    let built = pack::build(&cli.pack, &cli.work.join("release-1"), &cli.channel)?;
    let first = pack::publish(&admin, &cli.channel, &built)?;
    eprintln!(
        "release {} published: {} blobs, {:.2} MB",
        first.version,
        built.manifest.blobs.len(),
        built.manifest.total_blob_bytes() as f64 / 1e6
    );
    let started = Instant::now();
    let fleet = Fleet::enrol(&admin, &cli.channel, n, &cli.work.join("screens"), 8)?;
    let enrol_seconds = started.elapsed().as_secs_f64();
    eprintln!("{n} screens enrolled in {enrol_seconds:.1} s");
    let trust = Trust::new(vec![key], cli.channel.clone());
    let started = Instant::now();
    let wave = cli.wave.max(1);
    let mut missing = 0;
    for from in (0..n).step_by(wave) {
        let range = from..(from + wave).min(n);
        fleet.start(range.clone(), &trust, admin.base())?;
        missing += fleet
            .wait_for(first.version, range, Duration::from_secs(300))
            .iter()
            .filter(|s| s.is_none())
            .count();
        eprintln!(
            "{} screens on release {} ({:.1} s)",
            (from + wave).min(n),
            first.version,
            started.elapsed().as_secs_f64()
        );
    }
    let first_sync_seconds = started.elapsed().as_secs_f64();
    wait_until_quiet(Duration::from_secs(60));
    let setup = Setup {
        release1_blobs: built.manifest.blobs.len(),
        release1_bytes: built.manifest.total_blob_bytes(),
        enrol_seconds,
        first_sync_seconds,
        wave,
        missing,
        server_rss_mib: proc_stats::sample(&cli.server_pid.to_string())?.rss_kib as f64 / 1024.0,
    };

    step("phase 2: publish release 2 (one new picture) and wait for every screen");
    let seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    let png = picture::grainy_png(cli.picture_kb, seed)?;
    let (second, picture) = pack::with_new_picture(&built.manifest, &png);
    admin.upload_blob(&picture.sha256, png)?;
    let port =
        reqwest::Url::parse(admin.base())?.port_or_known_default().context("the server URL has no port")?;
    let before = tcp_bytes::snapshot(port)?;
    let meter = Meter::start(cli.server_pid)?;
    let (published_at, published_clock) = (Instant::now(), SystemTime::now());
    let published = admin.publish(&cli.channel, second.encode())?;
    let publish_request_seconds = published_at.elapsed().as_secs_f64();
    let seen = fleet.wait_for(published.version, 0..n, Duration::from_secs(120));
    let costs = meter.finish()?;
    let received = tcp_bytes::between(&before, &tcp_bytes::snapshot(port)?);
    let activated_seconds: Vec<Option<f64>> =
        seen.iter().map(|at| at.map(|at| (at - published_at).as_secs_f64())).collect();
    let on_disk_seconds = (0..n)
        .map(|i| fleet.activated_on_disk(i)?.duration_since(published_clock).ok().map(|d| d.as_secs_f64()))
        .collect();
    let (failing, failure) = fleet.failing();
    let manifest_bytes = reqwest::blocking::Client::new()
        .get(format!("{}/v1/channels/{}/manifest", admin.base(), cli.channel))
        .bearer_auth(&cli.admin_token)
        .send()?
        .bytes()?
        .len() as u64;
    let publish = Publish {
        new_blob_bytes: picture.size,
        manifest_bytes,
        smallest_unchanged_blob: built.manifest.blobs.iter().map(|b| b.size).min().unwrap_or(0),
        publish_request_seconds,
        activated_seconds,
        on_disk_seconds,
        received,
        failing,
        failure,
        costs,
    };
    let arrived = publish.arrived();
    eprintln!(
        "release {} active on {} of {n} screens: p50 {:.2} s, p95 {:.2} s, max {:.2} s",
        published.version,
        arrived.len(),
        report::quantile(&arrived, 0.5).unwrap_or(f64::NAN),
        report::quantile(&arrived, 0.95).unwrap_or(f64::NAN),
        report::quantile(&arrived, 1.0).unwrap_or(f64::NAN)
    );
    wait_until_quiet(Duration::from_secs(30));

    step("phase 3: conditional manifest requests");
    let tokens: Vec<String> = fleet.screens.iter().map(|s| s.token.clone()).collect();
    let meter = Meter::start(cli.server_pid)?;
    let result = conditional::run(
        admin.base(),
        &cli.channel,
        &tokens,
        &published.manifest_sha256,
        cli.manifest_clients,
        Duration::from_secs(cli.manifest_seconds),
    )?;
    let conditional = ConditionalPhase { result, costs: meter.finish()? };
    eprintln!("{:.0} answers 304 per second", conditional.result.per_second());

    let throughput = match (&cli.nginx, cli.nginx_pid) {
        (Some(nginx), Some(nginx_pid)) => {
            step("phase 4: download-and-verify throughput, ours and nginx alternately");
            Some(measure_throughput(cli, &second.blobs, &tokens[0], nginx, nginx_pid)?)
        }
        _ => None,
    };

    let goals = report::goals(&publish, throughput.as_ref());
    let results = Results {
        run: RunFacts {
            date: jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC").to_string(),
            machine: machine(),
            code: cli.code.clone(),
            screens: n,
        },
        setup,
        publish,
        conditional,
        throughput,
        goals,
    };
    std::fs::create_dir_all(&cli.out).with_context(|| format!("creating {}", cli.out.display()))?;
    let markdown = report::markdown(&results);
    std::fs::write(cli.out.join("latest.md"), &markdown)?;
    std::fs::write(cli.out.join("latest.json"), serde_json::to_string_pretty(&results)?)?;
    println!("{markdown}");
    Ok(results)
}

/// Phase 4: a warm-up pass on each server, then `throughput_rounds` trials on
/// each, alternating which goes first.
fn measure_throughput(
    cli: &Cli,
    blobs: &[kiosk_core::blob::BlobRef],
    token: &str,
    nginx: &str,
    nginx_pid: u32,
) -> Result<Throughput> {
    let all: u64 = blobs.iter().map(|b| b.size).sum();
    let servers = [
        ("ours", cli.server.trim_end_matches('/'), None),
        ("nginx", nginx.trim_end_matches('/'), Some(nginx_pid)),
    ];
    let cpu = |pid: Option<u32>| match pid {
        Some(pid) => cpu_with_children(pid),
        None => proc_stats::sample(&cli.server_pid.to_string()).map_or(0.0, |s| s.cpu_seconds),
    };
    for (_, base, _) in &servers {
        throughput::fetch_and_verify(base, token, blobs, cli.throughput_clients, all)?;
    }
    let mut trials = Vec::new();
    for round in 0..cli.throughput_rounds.max(1) {
        let order: Vec<_> =
            if round % 2 == 0 { servers.iter().collect() } else { servers.iter().rev().collect() };
        for (name, base, pid) in order {
            let cpu_before = cpu(*pid);
            let (bytes, count, seconds) = throughput::fetch_and_verify(
                base,
                token,
                blobs,
                cli.throughput_clients,
                cli.throughput_mb * 1_000_000,
            )?;
            let trial = Trial {
                server: (*name).to_owned(),
                bytes,
                blobs: count,
                seconds,
                server_cpu_seconds: cpu(*pid) - cpu_before,
            };
            eprintln!("{name}: {:.0} MB/s", trial.mb_per_second());
            trials.push(trial);
        }
    }
    let median = |name: &str| {
        report::median(
            &trials.iter().filter(|t| t.server == name).map(Trial::mb_per_second).collect::<Vec<_>>(),
        )
    };
    Ok(Throughput {
        clients: cli.throughput_clients,
        ours_mb_per_second: median("ours"),
        nginx_mb_per_second: median("nginx"),
        trials,
    })
}
