//! The results of a run: every number (JSON, for the plot and for comparing
//! runs), the goals with PASS or FAIL, and the Markdown table.

use serde::Serialize;

use crate::conditional::Conditional;
use crate::tcp_bytes::Received;
use crate::throughput::Trial;

/// The goals of the benchmark.
pub const GOAL_P95_SECONDS: f64 = 2.0;
/// The lowest acceptable ratio of our throughput to nginx's.
pub const GOAL_THROUGHPUT_RATIO: f64 = 0.8;
/// Bytes a screen may receive in phase 2 beyond the new blob and the manifest:
/// HTTP headers, the announcement and the answer to its heartbeat.
pub const HEADER_ALLOWANCE: u64 = 1536;

/// Everything a run measured.
#[derive(Debug, Serialize)]
pub struct Results {
    /// When, where, and which code.
    pub run: RunFacts,
    /// Phase 1.
    pub setup: Setup,
    /// Phase 2.
    pub publish: Publish,
    /// Phase 3.
    pub conditional: ConditionalPhase,
    /// Phase 4; absent without nginx.
    pub throughput: Option<Throughput>,
    /// Phase 5; absent with `--idle-streams 0`.
    pub idle: Option<IdlePhase>,
    /// The goals, each with its verdict.
    pub goals: Vec<Goal>,
}

/// When, where, and which code.
#[derive(Debug, Serialize)]
pub struct RunFacts {
    /// The time of the run.
    pub date: String,
    /// CPU model, cores, memory.
    pub machine: String,
    /// The commit and whether the device code had uncommitted changes.
    pub code: String,
    /// The servers and their storage.
    pub servers: String,
    /// Simulated screens.
    pub screens: usize,
}

/// Phase 1: the server, the channel, release 1, enrolment, first sync.
#[derive(Debug, Serialize)]
pub struct Setup {
    /// Blobs of release 1.
    pub release1_blobs: usize,
    /// Their bytes.
    pub release1_bytes: u64,
    /// Seconds to enrol every screen.
    pub enrol_seconds: f64,
    /// Seconds from the first sync loop's start to the last screen on release 1.
    pub first_sync_seconds: f64,
    /// Screens started at once.
    pub wave: usize,
    /// Screens that did not reach release 1.
    pub missing: usize,
    /// Resident memory of the server afterwards, every screen connected, MiB.
    pub server_rss_mib: f64,
    /// HAProxy in front of replicas.
    pub balancer: Option<Balancer>,
}

/// HAProxy's memory before the screens came and with every one connected.
#[derive(Debug, Serialize)]
pub struct Balancer {
    /// Resident memory before the screens, MiB.
    pub idle_mib: f64,
    /// With every screen connected, MiB.
    pub connected_mib: f64,
    /// The screens' connections to it.
    pub connections: usize,
}

/// CPU and memory over one phase.
#[derive(Debug, Default, Serialize)]
pub struct Costs {
    /// Wall seconds of the phase.
    pub seconds: f64,
    /// CPU seconds of the server.
    pub server_cpu_seconds: f64,
    /// Peak resident memory of the server during the phase, MiB.
    pub server_peak_mib: f64,
    /// CPU seconds of this process (the simulated screens, the load clients).
    pub fleet_cpu_seconds: f64,
    /// CPU seconds the whole machine was busy (both cores).
    pub machine_busy_seconds: f64,
}

/// Phase 2: publish release 2 and wait for every screen to activate it.
#[derive(Debug, Serialize)]
pub struct Publish {
    /// Size of the new blob.
    pub new_blob_bytes: u64,
    /// Size of release 2's manifest.
    pub manifest_bytes: u64,
    /// The smallest blob release 2 shares with release 1.
    pub smallest_unchanged_blob: u64,
    /// Seconds the publish request took.
    pub publish_request_seconds: f64,
    /// Per screen: seconds from the publish request's start to the sync loop's
    /// callback (`null`: never).
    pub activated_seconds: Vec<Option<f64>>,
    /// Per screen: seconds from the publish request's start to the rename of its
    /// `active.json`.
    pub on_disk_seconds: Vec<Option<f64>>,
    /// Bytes the screens received, counted by the kernel.
    pub received: Received,
    /// Screens with a failing sync loop at the end, and one reason.
    pub failing: usize,
    /// One reason they fail.
    pub failure: Option<String>,
    /// CPU and memory.
    pub costs: Costs,
}

/// Phase 3: conditional manifest requests.
#[derive(Debug, Serialize)]
pub struct ConditionalPhase {
    /// What the clients got.
    pub result: Conditional,
    /// CPU and memory.
    pub costs: Costs,
}

/// Phase 4: download-and-verify throughput.
#[derive(Debug, Serialize)]
pub struct Throughput {
    /// Client threads.
    pub clients: usize,
    /// Every trial, in the order run.
    pub trials: Vec<Trial>,
    /// Median MB/s of ours.
    pub ours_mb_per_second: f64,
    /// Median MB/s of nginx.
    pub nginx_mb_per_second: f64,
}

impl Throughput {
    /// Ours over nginx.
    pub fn ratio(&self) -> f64 {
        self.ours_mb_per_second / self.nginx_mb_per_second.max(1e-9)
    }
}

/// Phase 5: idle event streams beside the screens, then release 3.
#[derive(Debug, Serialize)]
pub struct IdlePhase {
    /// Streams opened, each by a device of its own.
    pub streams: usize,
    /// Streams whose first event arrived.
    pub held: usize,
    /// Streams refused or ended.
    pub lost: usize,
    /// Why the first was lost.
    pub lost_reason: Option<String>,
    /// Seconds until every stream was held or lost.
    pub open_seconds: f64,
    /// New established connections at each server process (each replica).
    pub connections_per_server: Vec<usize>,
    /// Resident memory of the server processes, summed, before and after, MiB.
    pub servers_rss_before_mib: f64,
    /// After.
    pub servers_rss_after_mib: f64,
    /// Per stream: seconds from release 3's publish request to the stream
    /// hearing it (`null`: never).
    pub heard_seconds: Vec<Option<f64>>,
    /// Per screen: seconds from release 3's publish request to its activation.
    pub screens_active_seconds: Vec<Option<f64>>,
}

impl IdlePhase {
    /// The streams' seconds that happened.
    pub fn heard(&self) -> Vec<f64> {
        self.heard_seconds.iter().flatten().copied().collect()
    }

    /// KiB of the servers' resident memory per held stream.
    pub fn servers_kib_per_stream(&self) -> f64 {
        1024.0 * (self.servers_rss_after_mib - self.servers_rss_before_mib) / self.held.max(1) as f64
    }
}

/// A goal and its verdict.
#[derive(Debug, Serialize)]
pub struct Goal {
    /// What is asked.
    pub goal: String,
    /// What was measured.
    pub measured: String,
    /// Whether it was met.
    pub pass: bool,
}

/// The `p`-quantile (0..=1) of `values` by nearest rank; `None` when empty.
pub fn quantile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// The median of `values` (0 when empty).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

impl Publish {
    /// The callbacks' seconds that happened.
    pub fn arrived(&self) -> Vec<f64> {
        self.activated_seconds.iter().flatten().copied().collect()
    }

    /// Screens that never activated release 2.
    pub fn missing(&self) -> usize {
        self.activated_seconds.iter().filter(|s| s.is_none()).count()
    }

    /// Bytes received per screen beyond the new blob and the manifest.
    pub fn excess_per_screen(&self) -> f64 {
        let n = self.activated_seconds.len().max(1) as f64;
        (self.received.bytes as f64 - n * (self.new_blob_bytes + self.manifest_bytes) as f64) / n
    }
}

/// The goals.
pub fn goals(publish: &Publish, throughput: Option<&Throughput>, idle: Option<&IdlePhase>) -> Vec<Goal> {
    let n = publish.activated_seconds.len();
    let arrived = publish.arrived();
    let p95 = if publish.missing() > 0 { None } else { quantile(&arrived, 0.95) };
    let mut goals = vec![Goal {
        goal: format!("publish → all {n} screens active: p95 ≤ {GOAL_P95_SECONDS} s"),
        measured: match p95 {
            Some(p95) => format!("p95 {p95:.2} s"),
            None => format!("{} of {n} screens never activated it", publish.missing()),
        },
        pass: p95.is_some_and(|p| p <= GOAL_P95_SECONDS),
    }];
    let blob_bytes = n as u64 * publish.new_blob_bytes;
    let excess = publish.excess_per_screen();
    goals.push(Goal {
        goal: format!(
            "bytes moved = bytes of the new blob × {n} (beyond it only the manifest and ≤ {HEADER_ALLOWANCE} B of headers per screen)"
        ),
        measured: format!(
            "{:.1} MB received = {:.3} × {:.1} MB of new blob; {excess:.0} B per screen beyond blob + manifest",
            publish.received.bytes as f64 / 1e6,
            publish.received.bytes as f64 / blob_bytes.max(1) as f64,
            blob_bytes as f64 / 1e6,
        ),
        pass: publish.missing() == 0
            && publish.received.closed == 0
            && excess >= 0.0
            && excess <= HEADER_ALLOWANCE as f64,
    });
    if let Some(throughput) = throughput {
        goals.push(Goal {
            goal: format!("download-and-verify throughput ≥ {GOAL_THROUGHPUT_RATIO} × nginx"),
            measured: format!(
                "{:.2} × ({:.0} vs {:.0} MB/s)",
                throughput.ratio(),
                throughput.ours_mb_per_second,
                throughput.nginx_mb_per_second
            ),
            pass: throughput.ratio() >= GOAL_THROUGHPUT_RATIO,
        });
    }
    if let Some(idle) = idle {
        let heard = idle.heard();
        let all = idle.held == idle.streams && heard.len() == idle.streams;
        let spread = idle.connections_per_server.iter().map(usize::to_string).collect::<Vec<_>>().join(" + ");
        goals.push(Goal {
            goal: format!("{} idle event streams held, every one hears the next release", idle.streams),
            measured: format!(
                "{} held ({spread} at the servers), {} heard it: p95 {}; {:.1} KiB per stream",
                idle.held,
                heard.len(),
                seconds(quantile(&heard, 0.95)),
                idle.servers_kib_per_stream()
            ),
            pass: all,
        });
    }
    goals
}

fn seconds(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.2} s"))
}

/// `p50 / p95 / max` of `values`, in seconds.
fn spread(values: &[f64]) -> String {
    format!(
        "{} / {} / {}",
        seconds(quantile(values, 0.5)),
        seconds(quantile(values, 0.95)),
        seconds(quantile(values, 1.0))
    )
}

fn cost_line(costs: &Costs) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    format!(
        "{:.1} s: server {:.1} CPU s, peak {:.0} MiB; screens and clients {:.1} CPU s; other processes {:.1} CPU s; machine busy {:.0} %",
        costs.seconds,
        costs.server_cpu_seconds,
        costs.server_peak_mib,
        costs.fleet_cpu_seconds,
        (costs.machine_busy_seconds - costs.server_cpu_seconds - costs.fleet_cpu_seconds).max(0.0),
        100.0 * costs.machine_busy_seconds / (costs.seconds * cores).max(1e-9)
    )
}

/// The Markdown report.
pub fn markdown(results: &Results) -> String {
    let mut md = String::new();
    let run = &results.run;
    md.push_str(&format!(
        "# Fleet benchmark\n\n{} screens against {} on loopback. {} · {} · {}\n\n",
        run.screens, run.servers, run.date, run.machine, run.code
    ));
    md.push_str("| goal | measured | result |\n|---|---|---|\n");
    for goal in &results.goals {
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            goal.goal,
            goal.measured,
            if goal.pass { "PASS" } else { "FAIL" }
        ));
    }

    let p = &results.publish;
    let arrived = p.arrived();
    let on_disk: Vec<f64> = p.on_disk_seconds.iter().flatten().copied().collect();
    let setup = &results.setup;
    md.push_str("\n| measure | value |\n|---|---|\n");
    let mut row = |name: &str, value: String| md.push_str(&format!("| {name} | {value} |\n"));
    row("release 1", format!("{} blobs, {:.2} MB", setup.release1_blobs, setup.release1_bytes as f64 / 1e6));
    row(
        "set-up: enrol / first sync of all screens",
        format!(
            "{:.1} s / {:.1} s (waves of {}; {} missing)",
            setup.enrol_seconds, setup.first_sync_seconds, setup.wave, setup.missing
        ),
    );
    row("server memory with every screen connected (RSS)", format!("{:.0} MiB", setup.server_rss_mib));
    if let Some(b) = &setup.balancer {
        row(
            "HAProxy memory (RSS) before the screens → with every one connected",
            format!(
                "{:.0} → {:.0} MiB for {} connections, {:.1} KiB per connection",
                b.idle_mib,
                b.connected_mib,
                b.connections,
                1024.0 * (b.connected_mib - b.idle_mib) / b.connections.max(1) as f64
            ),
        );
    }
    row(
        "release 2: new blob / manifest",
        format!("{:.1} KB / {:.1} KB", p.new_blob_bytes as f64 / 1e3, p.manifest_bytes as f64 / 1e3),
    );
    row("publish request", format!("{:.3} s", p.publish_request_seconds));
    row(
        "publish → active (sync loop's callback): first / p50 / p95 / max",
        format!("{} / {}", seconds(quantile(&arrived, 0.0)), spread(&arrived)),
    );
    row("publish → `active.json` renamed: p50 / p95 / max", spread(&on_disk));
    row(
        "bytes received by the screens in phase 2 (kernel TCP counters)",
        format!(
            "{:.2} MB on {} connections ({} closed after receiving, {} idle ones closed); new blob × screens {:.2} MB; manifests {:.2} MB",
            p.received.bytes as f64 / 1e6,
            p.received.connections,
            p.received.closed,
            p.received.closed_idle,
            (p.new_blob_bytes * p.activated_seconds.len() as u64) as f64 / 1e6,
            (p.manifest_bytes * p.activated_seconds.len() as u64) as f64 / 1e6
        ),
    );
    row("smallest unchanged blob", format!("{} B", p.smallest_unchanged_blob));
    row(
        "screens with a failing sync at the end",
        format!("{} {}", p.failing, p.failure.clone().unwrap_or_default()),
    );
    row("phase 2 costs", cost_line(&p.costs));
    let screens = p.activated_seconds.len().max(1) as f64;
    row(
        "phase 2 CPU per screen: server / the screen's own sync",
        format!(
            "{:.2} ms / {:.2} ms",
            1e3 * p.costs.server_cpu_seconds / screens,
            1e3 * p.costs.fleet_cpu_seconds / screens
        ),
    );
    let c = &results.conditional;
    row(
        "conditional manifest requests (304)",
        format!(
            "{:.0} /s ({} clients, {:.0} s, {} other answers); {:.0} per server CPU second",
            c.result.per_second(),
            c.result.clients,
            c.result.seconds,
            c.result.other,
            c.result.not_modified as f64 / c.costs.server_cpu_seconds.max(1e-9)
        ),
    );
    row("phase 3 costs", cost_line(&c.costs));
    if let Some(t) = &results.throughput {
        let list = |server: &str| {
            t.trials
                .iter()
                .filter(|trial| trial.server == server)
                .map(|trial| {
                    format!(
                        "{:.0} ({:.2} CPU s/GB)",
                        trial.mb_per_second(),
                        trial.server_cpu_seconds / (trial.bytes as f64 / 1e9).max(1e-9)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        row(
            "download-and-verify MB/s, ours: each trial (server CPU per GB)",
            format!("{} → median {:.0}", list("ours"), t.ours_mb_per_second),
        );
        row(
            "download-and-verify MB/s, nginx: each trial (nginx CPU per GB)",
            format!("{} → median {:.0}", list("nginx"), t.nginx_mb_per_second),
        );
        row("throughput clients", format!("{}", t.clients));
    }
    if let Some(idle) = &results.idle {
        row(
            "idle event streams: held / lost, time to open",
            format!(
                "{} / {}{} in {:.1} s; new connections at each server: {}",
                idle.held,
                idle.lost,
                idle.lost_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default(),
                idle.open_seconds,
                idle.connections_per_server.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
            ),
        );
        row(
            "idle streams: server memory (RSS, all servers) before → after, per stream",
            format!(
                "{:.0} → {:.0} MiB, {:.1} KiB per stream",
                idle.servers_rss_before_mib,
                idle.servers_rss_after_mib,
                idle.servers_kib_per_stream()
            ),
        );
        let heard = idle.heard();
        row(
            "release 3 → heard on the idle streams: p50 / p95 / max",
            format!("{} ({} of {})", spread(&heard), heard.len(), idle.streams),
        );
        let active: Vec<f64> = idle.screens_active_seconds.iter().flatten().copied().collect();
        row(
            "release 3 → active on the screens, the idle streams open: p50 / p95 / max",
            format!("{} ({} of {})", spread(&active), active.len(), idle.screens_active_seconds.len()),
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&values, 0.5), Some(50.0));
        assert_eq!(quantile(&values, 0.95), Some(95.0));
        assert_eq!(quantile(&values, 1.0), Some(100.0));
        assert_eq!(quantile(&values, 0.0), Some(1.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
