//! Idle event streams: thousands of devices that hold `GET
//! /v1/channels/{c}/events` open and do nothing else, as boards do between
//! releases. Each has its own device token and connection, and they are spread
//! evenly over the server processes. A stream counts as held once the server's
//! first event (the current release) has arrived through it; then every
//! stream is waited on to hear the next release.
//!
//! The streams are held by a child process (`kiosk-fleet hold-streams`, run
//! by [`Holder`]): the simulated screens use some ten descriptors each, and
//! ten thousand streams more would not fit within one process's open-files
//! limit. The child answers on its standard output, one JSON line at a time.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use kiosk_wire::Announcement;
use serde::{Deserialize, Serialize};

/// Streams opening at once (the rest wait their turn), so that a burst of
/// connections does not overflow the listening sockets' queues.
const OPENING_AT_ONCE: usize = 256;

/// The open streams; closed when dropped.
pub struct IdleStreams {
    runtime: tokio::runtime::Runtime,
    shared: Arc<Shared>,
    count: usize,
}

struct Shared {
    /// Streams whose first event arrived.
    held: AtomicUsize,
    /// Streams that were refused or ended, with one reason.
    lost: AtomicUsize,
    reason: Mutex<Option<String>>,
    /// The version being waited for, and when each stream heard it.
    awaited: AtomicU64,
    heard: Mutex<Vec<Option<SystemTime>>>,
}

impl IdleStreams {
    /// Opens one stream per token on `channel`, the `i`th at `bases[i %
    /// bases.len()]`, and waits (at most `patience`) until each is held or lost.
    pub fn open(
        bases: &[String],
        channel: &str,
        tokens: &[String],
        patience: Duration,
    ) -> Result<IdleStreams> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("starting the idle streams' runtime")?;
        let shared = Arc::new(Shared {
            held: AtomicUsize::new(0),
            lost: AtomicUsize::new(0),
            reason: Mutex::new(None),
            awaited: AtomicU64::new(u64::MAX),
            heard: Mutex::new(vec![None; tokens.len()]),
        });
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(0)
            .build()
            .context("an HTTP client")?;
        let opening = Arc::new(tokio::sync::Semaphore::new(OPENING_AT_ONCE));
        let urls: Vec<String> = bases
            .iter()
            .map(|base| format!("{}/v1/channels/{channel}/events", base.trim_end_matches('/')))
            .collect();
        for (index, token) in tokens.iter().enumerate() {
            let url = urls.get(index % urls.len().max(1)).context("no server to hold streams at")?.clone();
            let (client, token, shared, opening) =
                (client.clone(), token.clone(), shared.clone(), opening.clone());
            runtime.spawn(async move {
                let permit = opening.acquire_owned().await.ok();
                if let Err(reason) = hold(&client, &url, &token, index, &shared, permit).await {
                    shared.lost.fetch_add(1, Ordering::SeqCst);
                    shared.reason.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(reason);
                }
            });
        }
        let streams = IdleStreams { runtime, shared, count: tokens.len() };
        let deadline = Instant::now() + patience;
        while streams.held() + streams.lost() < streams.count && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(streams)
    }

    /// Streams held.
    pub fn held(&self) -> usize {
        self.shared.held.load(Ordering::SeqCst)
    }

    /// Streams refused or ended.
    pub fn lost(&self) -> usize {
        self.shared.lost.load(Ordering::SeqCst)
    }

    /// Why the first lost stream was lost.
    pub fn reason(&self) -> Option<String> {
        self.shared.reason.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// From now on, records when each stream hears release `version`.
    pub fn await_release(&self, version: u64) {
        self.shared.heard.lock().unwrap_or_else(|p| p.into_inner()).fill(None);
        self.shared.awaited.store(version, Ordering::SeqCst);
    }

    /// Waits (at most `patience`) until every held stream has heard the awaited
    /// release; when each did (`None`: not heard).
    pub fn heard(&self, patience: Duration) -> Vec<Option<SystemTime>> {
        let deadline = Instant::now() + patience;
        loop {
            let heard = self.shared.heard.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let done = heard.iter().flatten().count() + self.lost() >= self.count;
            if done || Instant::now() >= deadline {
                return heard;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for IdleStreams {
    fn drop(&mut self) {
        // Ending the runtime drops every task and with it every connection.
        let runtime = std::mem::replace(
            &mut self.runtime,
            tokio::runtime::Builder::new_current_thread().build().expect("an empty runtime"),
        );
        runtime.shutdown_background();
    }
}

/// Opens one stream and reads it until it ends: counts it as held at its
/// first release event, and notes when it hears the awaited release.
async fn hold(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    index: usize,
    shared: &Shared,
    mut opening: Option<tokio::sync::OwnedSemaphorePermit>,
) -> Result<(), String> {
    let mut response = client.get(url).bearer_auth(token).send().await.map_err(|e| chain(&e))?;
    if !response.status().is_success() {
        let status = response.status();
        return Err(format!("{status}: {}", response.text().await.unwrap_or_default()));
    }
    let mut buffer = String::new();
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Err("the server ended the stream".into()),
            Err(error) => return Err(format!("the stream broke: {}", chain(&error))),
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let Some(version) = release_version(&block) else { continue };
            if opening.take().is_some() {
                shared.held.fetch_add(1, Ordering::SeqCst);
            }
            if version == shared.awaited.load(Ordering::SeqCst) {
                shared.heard.lock().unwrap_or_else(|p| p.into_inner())[index]
                    .get_or_insert_with(SystemTime::now);
            }
        }
    }
}

/// What the child says once every stream is held or lost.
#[derive(Debug, Serialize, Deserialize)]
pub struct Opened {
    /// Streams held.
    pub held: usize,
    /// Streams refused or ended.
    pub lost: usize,
    /// Why the first was lost.
    pub reason: Option<String>,
    /// Seconds until every stream was held or lost.
    pub seconds: f64,
}

/// What the child says when asked to report: when each stream heard the
/// awaited release, in milliseconds since the Unix epoch.
#[derive(Debug, Serialize, Deserialize)]
struct Heard {
    unix_ms: Vec<Option<f64>>,
}

/// Idle streams held by a child process; it ends when this is dropped.
pub struct Holder {
    child: Child,
    to_child: ChildStdin,
    from_child: std::io::BufReader<ChildStdout>,
    /// What the child said once the streams were open.
    pub opened: Opened,
}

impl Holder {
    /// Runs `kiosk-fleet hold-streams` (this program) with `tokens` (written
    /// to `work`), spreading them over `bases`, and waits until every stream is
    /// held or lost.
    pub fn start(bases: &[String], channel: &str, tokens: &[String], work: &Path) -> Result<Holder> {
        let file = work.join("idle-stream-tokens.txt");
        std::fs::write(&file, tokens.join("\n")).with_context(|| format!("writing {}", file.display()))?;
        let mut command = Command::new(std::env::current_exe().context("this program's path")?);
        command.arg("hold-streams").arg("--channel").arg(channel).arg("--tokens").arg(&file);
        for base in bases {
            command.arg("--url").arg(base);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting kiosk-fleet hold-streams")?;
        let to_child = child.stdin.take().context("the child's input")?;
        let mut from_child = std::io::BufReader::new(child.stdout.take().context("the child's output")?);
        let opened =
            serde_json::from_str(&read_line(&mut from_child)?).context("the child's first answer")?;
        Ok(Holder { child, to_child, from_child, opened })
    }

    /// Tells the child to record when each stream hears release `version`;
    /// returns once it does.
    pub fn await_release(&mut self, version: u64) -> Result<()> {
        writeln!(self.to_child, "await {version}").context("telling the child")?;
        match read_line(&mut self.from_child)?.as_str() {
            "ready" => Ok(()),
            other => bail!("the child answered {other:?}, not ready"),
        }
    }

    /// Waits until every held stream heard the awaited release (at most a
    /// minute); when each did, in seconds since `since` (`None`: not heard).
    pub fn heard_since(&mut self, since: SystemTime) -> Result<Vec<Option<f64>>> {
        writeln!(self.to_child, "report").context("asking the child")?;
        let heard: Heard =
            serde_json::from_str(&read_line(&mut self.from_child)?).context("the child's report")?;
        let since_ms = since.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1e3);
        Ok(heard.unix_ms.iter().map(|at| at.map(|at| ((at - since_ms) / 1e3).max(0.0))).collect())
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_line(from: &mut impl BufRead) -> Result<String> {
    let mut line = String::new();
    if from.read_line(&mut line).context("reading the child's answer")? == 0 {
        bail!("kiosk-fleet hold-streams ended without answering (see its messages above)");
    }
    Ok(line.trim_end().to_owned())
}

/// `kiosk-fleet hold-streams`: holds the streams and answers [`Holder`] on
/// standard output until its standard input ends.
pub fn serve_parent(bases: &[String], channel: &str, tokens: &Path) -> Result<()> {
    let text = std::fs::read_to_string(tokens).with_context(|| format!("reading {}", tokens.display()))?;
    let tokens: Vec<String> = text.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let started = Instant::now();
    let streams = IdleStreams::open(bases, channel, &tokens, Duration::from_secs(300))?;
    let opened = Opened {
        held: streams.held(),
        lost: streams.lost(),
        reason: streams.reason(),
        seconds: started.elapsed().as_secs_f64(),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string(&opened)?)?;
    out.flush()?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if let Some(version) = line.strip_prefix("await ") {
            streams.await_release(version.trim().parse().context("await VERSION")?);
            writeln!(out, "ready")?;
        } else if line == "report" {
            let unix_ms = streams
                .heard(Duration::from_secs(60))
                .iter()
                .map(|at| at.and_then(|at| at.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs_f64() * 1e3))
                .collect();
            writeln!(out, "{}", serde_json::to_string(&Heard { unix_ms })?)?;
        } else {
            bail!("hold-streams: unknown request {line:?}");
        }
        out.flush()?;
    }
    Ok(())
}

/// An error and its causes, on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The version a server-sent event block announces, if it is a release.
fn release_version(block: &str) -> Option<u64> {
    let field = |name: &str| {
        block.lines().find_map(|line| line.strip_prefix(name)).map(|v| v.strip_prefix(' ').unwrap_or(v))
    };
    match Announcement::parse(field("event:")?, field("data:")?) {
        Ok(Some(Announcement::Release(release))) => Some(release.version),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_of_a_release_event_only() {
        let release = "event: release\ndata: {\"version\":7,\"manifest_sha256\":\"ab\"}\n\n";
        assert_eq!(release_version(release), Some(7));
        assert_eq!(release_version(":keep-alive\n\n"), None);
        assert_eq!(
            release_version("event: screenshot\ndata: {\"device\":\"d\",\"request\":\"r\"}\n\n"),
            None
        );
    }
}
