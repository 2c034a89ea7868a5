//! `kiosk-fleet`: N simulated screens (1000 by default) in one process against
//! `kiosk-server` on loopback, with the real sync code of a screen: one embedded
//! server, or replicas on PostgreSQL and S3 behind HAProxy.
//!
//! `bench/fleet/run.sh` is the one command: it builds, starts the embedded
//! server and nginx (or has this binary start the replicas), runs this binary
//! and draws the plot (`bench/fleet/README.md`).
//!
//! ```text
//! kiosk-fleet --server URL --server-pid PID --pack DIR --work TMPFS_DIR --out DIR
//!             [--nginx URL --nginx-pid PID] [--devices N] …   (admin token in KIOSK_ADMIN_TOKEN)
//! kiosk-fleet --backend postgres+s3 --replicas 2 --server-binary PATH --haproxy-config PATH
//!             --pack DIR --work TMPFS_DIR --out DIR …
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
//!    same blob files, alternately, medians and their ratio (embedded only);
//! 5. idle event streams (10,000 by default) held beside the screens: the
//!    memory each costs the servers and the load balancer, and the time until
//!    every one hears the next release, which the screens activate meanwhile.
//!
//! # Layout
//! - [`servers`]: the servers under test, started here when they are replicas.
//! - [`admin`]: the server's admin API, as a publisher and an installer use it.
//! - [`pack`]: the two releases.
//! - [`picture`]: the new picture of release 2.
//! - [`fleet`]: the simulated screens and their activations.
//! - [`proc_stats`]: CPU time and memory of a process, from `/proc`.
//! - [`tcp_bytes`]: bytes received from the server, as the kernel counted them.
//! - [`conditional`]: conditional manifest requests per second.
//! - [`idle_streams`]: thousands of held event streams.
//! - [`throughput`]: download-and-verify throughput.
//! - [`report`]: the numbers, the goals, the Markdown table.

mod admin;
mod conditional;
mod fleet;
mod idle_streams;
mod pack;
mod picture;
mod proc_stats;
mod report;
mod servers;
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
use crate::idle_streams::Holder;
use crate::report::{ConditionalPhase, Costs, IdlePhase, Publish, Results, RunFacts, Setup, Throughput};
use crate::servers::Servers;
use crate::throughput::Trial;

/// The storage behind the servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Backend {
    /// One server that `--server` names, with SQLite and a blob folder.
    Embedded,
    /// `--replicas` servers started here on PostgreSQL and S3, behind HAProxy.
    #[value(name = "postgres+s3")]
    PostgresS3,
}

/// N simulated screens against kiosk-server: time to activate a release,
/// bytes moved, conditional requests per second, throughput against nginx,
/// and the cost of idle event streams.
#[derive(Debug, Parser)]
#[command(name = "kiosk-fleet", version, about)]
struct Cli {
    /// The storage behind the servers.
    #[arg(long, value_enum, default_value = "embedded")]
    backend: Backend,
    /// The embedded server, e.g. `http://127.0.0.1:8780`.
    #[arg(long, required_if_eq("backend", "embedded"))]
    server: Option<String>,
    /// The embedded server's process id, for its CPU time and memory.
    #[arg(long, required_if_eq("backend", "embedded"))]
    server_pid: Option<u32>,
    /// Replicas to start (`--backend postgres+s3`).
    #[arg(long, default_value_t = 2)]
    replicas: usize,
    /// The `kiosk-server` program the replicas run.
    #[arg(long, required_if_eq("backend", "postgres+s3"))]
    server_binary: Option<PathBuf>,
    /// HAProxy's configuration for the replicas (`installers/replicas/haproxy.cfg`).
    #[arg(long, required_if_eq("backend", "postgres+s3"))]
    haproxy_config: Option<PathBuf>,
    /// Idle event streams held in phase 5, each by a device of its own (0: no phase 5).
    #[arg(long, default_value_t = 10_000)]
    idle_streams: usize,
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

/// `kiosk-fleet hold-streams`, which phase 5 runs in a child process: holds
/// idle event streams and answers on standard output.
#[derive(Debug, Parser)]
#[command(name = "kiosk-fleet hold-streams")]
struct HoldStreams {
    /// The channel.
    #[arg(long)]
    channel: String,
    /// A file with one device token a line, a stream each.
    #[arg(long)]
    tokens: PathBuf,
    /// The server processes to spread the streams over.
    #[arg(long = "url", required = true)]
    urls: Vec<String>,
}

fn step(text: &str) {
    eprintln!("\n=== {text} ===");
}

/// CPU and memory readings at the start of a phase.
struct Meter {
    servers: Vec<u32>,
    start: Instant,
    server_cpu: f64,
    fleet_cpu: f64,
    machine: f64,
}

/// CPU seconds, resident and peak memory of the server processes, summed.
fn servers_sample(pids: &[u32]) -> Result<proc_stats::ProcessSample> {
    let mut sum = proc_stats::ProcessSample::default();
    for pid in pids {
        let one = proc_stats::sample(&pid.to_string())?;
        sum.cpu_seconds += one.cpu_seconds;
        sum.rss_kib += one.rss_kib;
        sum.peak_kib += one.peak_kib;
    }
    Ok(sum)
}

impl Meter {
    fn start(servers: &[u32]) -> Result<Self> {
        for pid in servers {
            if let Err(error) = proc_stats::reset_peak(&pid.to_string()) {
                tracing::warn!(%error, "the server's peak memory covers its whole life");
            }
        }
        Ok(Self {
            server_cpu: servers_sample(servers)?.cpu_seconds,
            fleet_cpu: proc_stats::sample("self")?.cpu_seconds,
            machine: proc_stats::machine_busy_seconds(),
            start: Instant::now(),
            servers: servers.to_vec(),
        })
    }

    fn finish(&self) -> Result<Costs> {
        let servers = servers_sample(&self.servers)?;
        Ok(Costs {
            seconds: self.start.elapsed().as_secs_f64(),
            server_cpu_seconds: servers.cpu_seconds - self.server_cpu,
            server_peak_mib: servers.peak_kib as f64 / 1024.0,
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
    let logging = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_filter_reloading();
    let quiet = logging.reload_handle();
    logging.init();
    if std::env::args_os().nth(1).is_some_and(|first| first == "hold-streams") {
        let args = HoldStreams::parse_from(std::env::args_os().skip(1));
        return match idle_streams::serve_parent(&args.urls, &args.channel, &args.tokens) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("kiosk-fleet hold-streams: {error:#}");
                ExitCode::FAILURE
            }
        };
    }
    let cli = Cli::parse();
    let outcome = servers(&cli).and_then(|servers| {
        let results = run(&cli, &servers);
        // The screens run until the process ends: what they say while the
        // replicas stop is not news.
        let _ = quiet.reload(tracing_subscriber::EnvFilter::new("error"));
        drop(servers);
        results
    });
    match outcome {
        Ok(results) if cli.strict && results.goals.iter().any(|g| !g.pass) => ExitCode::from(3),
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kiosk-fleet: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The servers `cli` names, or the replicas it asks for, started.
fn servers(cli: &Cli) -> Result<Servers> {
    Ok(match cli.backend {
        Backend::Embedded => Servers::Embedded {
            url: cli.server.clone().context("--server is needed with --backend embedded")?,
            pid: cli.server_pid.context("--server-pid is needed with --backend embedded")?,
        },
        Backend::PostgresS3 => {
            step(&format!("{} replicas on PostgreSQL and S3 behind HAProxy", cli.replicas));
            let servers = Servers::start_replicas(
                cli.server_binary
                    .as_deref()
                    .context("--server-binary is needed with --backend postgres+s3")?,
                cli.haproxy_config
                    .as_deref()
                    .context("--haproxy-config is needed with --backend postgres+s3")?,
                cli.replicas,
                &cli.admin_token,
            )?;
            eprintln!("{} at {}", servers.describe(), servers.url());
            servers
        }
    })
}

fn run(cli: &Cli, servers: &Servers) -> Result<Results> {
    let n = cli.devices.max(1);
    let server_pids = servers.server_pids();
    let admin = AdminApi::new(&servers.url(), &cli.admin_token)?;
    let balancer_idle_mib = balancer_rss_mib(servers)?;

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
        server_rss_mib: servers_sample(&server_pids)?.rss_kib as f64 / 1024.0,
        balancer: match (balancer_idle_mib, balancer_rss_mib(servers)?, servers.balancer_port()) {
            (Some(idle_mib), Some(connected_mib), Some(port)) => Some(report::Balancer {
                idle_mib,
                connected_mib,
                connections: tcp_bytes::established_at(port)?,
            }),
            _ => None,
        },
    };

    step("phase 2: publish release 2 (one new picture) and wait for every screen");
    let seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    let png = picture::grainy_png(cli.picture_kb, seed)?;
    let (second, picture) = pack::with_new_picture(&built.manifest, &png);
    admin.upload_blob(&picture.sha256, png)?;
    let port =
        reqwest::Url::parse(admin.base())?.port_or_known_default().context("the server URL has no port")?;
    let watch = tcp_bytes::watch(port)?;
    let meter = Meter::start(&server_pids)?;
    let (published_at, published_clock) = (Instant::now(), SystemTime::now());
    let published = admin.publish(&cli.channel, second.encode())?;
    let publish_request_seconds = published_at.elapsed().as_secs_f64();
    let seen = fleet.wait_for(published.version, 0..n, Duration::from_secs(120));
    let costs = meter.finish()?;
    let received = watch.finish()?;
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
    let meter = Meter::start(&server_pids)?;
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
            Some(measure_throughput(cli, servers, &second.blobs, &tokens[0], nginx, nginx_pid)?)
        }
        _ => None,
    };

    let idle = match cli.idle_streams {
        0 => None,
        count => {
            step(&format!("phase 5: {count} idle event streams, then release 3"));
            Some(measure_idle_streams(cli, servers, &admin, &fleet, &second, published.version, count)?)
        }
    };

    let goals = report::goals(&publish, throughput.as_ref(), idle.as_ref());
    let results = Results {
        run: RunFacts {
            date: jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC").to_string(),
            machine: machine(),
            code: cli.code.clone(),
            servers: servers.describe(),
            screens: n,
        },
        setup,
        publish,
        conditional,
        throughput,
        idle,
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
    servers: &Servers,
    blobs: &[kiosk_core::blob::BlobRef],
    token: &str,
    nginx: &str,
    nginx_pid: u32,
) -> Result<Throughput> {
    let all: u64 = blobs.iter().map(|b| b.size).sum();
    let ours = servers.url();
    let server_pids = servers.server_pids();
    let servers = [("ours", ours.as_str(), None), ("nginx", nginx.trim_end_matches('/'), Some(nginx_pid))];
    let cpu = |pid: Option<u32>| match pid {
        Some(pid) => cpu_with_children(pid),
        None => servers_sample(&server_pids).map_or(0.0, |s| s.cpu_seconds),
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

/// HAProxy's resident memory, MiB, in front of replicas.
fn balancer_rss_mib(servers: &Servers) -> Result<Option<f64>> {
    servers.balancer_pid().map(|pid| servers_sample(&[pid]).map(|s| s.rss_kib as f64 / 1024.0)).transpose()
}

/// Phase 5: `count` devices enrolled, each holding an idle event stream at
/// one of the server processes, spread evenly (straight to the replicas: on a
/// machine whose open-files limit is 20,000 one HAProxy process cannot carry
/// ten thousand more connections, two descriptors each); the memory they cost;
/// then release 3 (release 2 and another new picture) published, on whichever
/// replica HAProxy picks: when each stream hears it, and when each screen
/// activates it with the streams open.
fn measure_idle_streams(
    cli: &Cli,
    servers: &Servers,
    admin: &AdminApi,
    fleet: &Fleet,
    second: &kiosk_core::manifest::Manifest,
    second_version: u64,
    count: usize,
) -> Result<IdlePhase> {
    let started = Instant::now();
    let tokens = admin.enrol_many(&cli.channel, "idle", count, 8)?;
    eprintln!("{count} devices enrolled in {:.1} s", started.elapsed().as_secs_f64());
    let server_pids = servers.server_pids();
    let rss_mib = |pids: &[u32]| servers_sample(pids).map(|s| s.rss_kib as f64 / 1024.0);
    let servers_before = rss_mib(&server_pids)?;
    let connections_before: Vec<usize> =
        servers.server_ports().iter().map(|&p| tcp_bytes::established_at(p)).collect::<Result<_>>()?;
    let mut streams = Holder::start(&servers.direct_urls(), &cli.channel, &tokens, &cli.work)?;
    let opened = &streams.opened;
    eprintln!(
        "{} of {count} streams held in {:.1} s ({} lost{})",
        opened.held,
        opened.seconds,
        opened.lost,
        opened.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
    );
    // Let the allocators settle before reading memory.
    std::thread::sleep(Duration::from_secs(3));
    let servers_after = rss_mib(&server_pids)?;
    let connections: Vec<usize> = servers
        .server_ports()
        .iter()
        .zip(&connections_before)
        .map(|(&p, before)| tcp_bytes::established_at(p).map(|now| now.saturating_sub(*before)))
        .collect::<Result<_>>()?;

    let seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(2, |d| d.as_nanos() as u64);
    let png = picture::grainy_png(cli.picture_kb, seed ^ 0x5eed)?;
    let (third, picture) = pack::with_new_picture(second, &png);
    admin.upload_blob(&picture.sha256, png)?;
    streams.await_release(second_version + 1)?;
    let (published_at, published_clock) = (Instant::now(), SystemTime::now());
    let published = admin.publish(&cli.channel, third.encode())?;
    if published.version != second_version + 1 {
        anyhow::bail!("release 3 was given version {}, not {}", published.version, second_version + 1);
    }
    let heard_seconds = streams.heard_since(published_clock)?;
    let screens_active_seconds = fleet
        .wait_for(published.version, 0..fleet.screens.len(), Duration::from_secs(120))
        .iter()
        .map(|at| at.map(|at| (at - published_at).as_secs_f64()))
        .collect();
    let phase = IdlePhase {
        streams: count,
        held: streams.opened.held,
        lost: streams.opened.lost,
        lost_reason: streams.opened.reason.clone(),
        open_seconds: streams.opened.seconds,
        connections_per_server: connections,
        servers_rss_before_mib: servers_before,
        servers_rss_after_mib: servers_after,
        heard_seconds,
        screens_active_seconds,
    };
    eprintln!(
        "{:.1} KiB per stream on the servers; release {} heard by {} streams, p95 {:.2} s",
        phase.servers_kib_per_stream(),
        published.version,
        phase.heard().len(),
        report::quantile(&phase.heard(), 0.95).unwrap_or(f64::NAN)
    );
    Ok(phase)
}
