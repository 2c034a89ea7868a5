//! Bytes the screens received from the server, as the kernel counted them.
//!
//! `ss -tinH dport = :PORT` lists every TCP connection to the server's port with
//! its `bytes_received` (payload bytes, `tcpi_bytes_received`). A [`Watch`]
//! takes such a snapshot before the publish, then every quarter second until
//! the last activation, and adds up what each connection received meanwhile:
//! its last count less its first (or the whole count, for one opened
//! meanwhile). This counts what really crossed the sockets (blob bodies,
//! manifests, HTTP headers, announcements, answers to heartbeats), whatever
//! the sync code believes it fetched. A connection that closes keeps what it
//! had received at the last snapshot; if it had received bytes in the phase,
//! its last ones may be missed, and such connections are counted apart from
//! idle ones closed by a keep-alive timeout, which received nothing.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// `bytes_received` of each connection to the port, by local address.
#[derive(Debug, Clone, Default)]
pub struct Snapshot(BTreeMap<String, u64>);

/// What the connections received while watched.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Received {
    /// Payload bytes.
    pub bytes: u64,
    /// Connections that carried bytes.
    pub connections: usize,
    /// Connections that carried bytes and then closed (their last bytes may
    /// not be counted).
    pub closed: usize,
    /// Connections that closed having received nothing meanwhile.
    pub closed_idle: usize,
}

/// The count of each connection so far: where it started and where it is.
#[derive(Debug, Default)]
struct Tally {
    open: BTreeMap<String, (u64, u64)>,
    received: Received,
}

impl Tally {
    fn starting_at(first: &Snapshot) -> Tally {
        let open = first.0.iter().map(|(address, &count)| (address.clone(), (count, count))).collect();
        Tally { open, received: Received::default() }
    }

    /// Takes in a later snapshot.
    fn observe(&mut self, now: &Snapshot) {
        let gone: Vec<String> = self.open.keys().filter(|a| !now.0.contains_key(*a)).cloned().collect();
        for address in gone {
            let (start, last) = self.open.remove(&address).expect("listed above");
            self.close(start, last, true);
        }
        for (address, &count) in &now.0 {
            match self.open.get_mut(address) {
                Some((_, last)) if *last <= count => *last = count,
                Some(_) => {
                    // A smaller count is a new connection on a reused local port.
                    let (start, last) = self.open.insert(address.clone(), (0, count)).expect("present");
                    self.close(start, last, true);
                }
                None => {
                    self.open.insert(address.clone(), (0, count));
                }
            }
        }
    }

    fn close(&mut self, start: u64, last: u64, closed: bool) {
        let bytes = last - start;
        if bytes > 0 {
            self.received.bytes += bytes;
            self.received.connections += 1;
        }
        match (closed, bytes) {
            (false, _) => {}
            (true, 0) => self.received.closed_idle += 1,
            (true, _) => self.received.closed += 1,
        }
    }

    fn finish(mut self) -> Received {
        for (_, (start, last)) in std::mem::take(&mut self.open) {
            self.close(start, last, false);
        }
        self.received
    }
}

/// Snapshots of one port's connections, every quarter second, in a thread.
pub struct Watch {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Result<Received>>,
}

/// Takes the first snapshot of `port`'s connections, and goes on taking them
/// until [`Watch::finish`].
pub fn watch(port: u16) -> Result<Watch> {
    let mut tally = Tally::starting_at(&snapshot(port)?);
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = std::thread::Builder::new()
        .name("tcp-bytes".into())
        .spawn(move || -> Result<Received> {
            loop {
                let last = stopping.load(Ordering::SeqCst);
                tally.observe(&snapshot(port)?);
                if last {
                    return Ok(tally.finish());
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        })
        .context("starting the TCP byte counter")?;
    Ok(Watch { stop, thread })
}

impl Watch {
    /// Takes the last snapshot; what was received since the first.
    pub fn finish(self) -> Result<Received> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().map_err(|_| anyhow::anyhow!("the TCP byte counter panicked"))?
    }
}

/// Takes a snapshot of the connections to `127.0.0.1:<port>` of this machine.
pub fn snapshot(port: u16) -> Result<Snapshot> {
    let out = std::process::Command::new("ss")
        .args(["-tinH", "dport", "=", &format!(":{port}")])
        .output()
        .context("running ss (Debian package iproute2)")?;
    if !out.status.success() {
        bail!("ss failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(parse(&String::from_utf8_lossy(&out.stdout)))
}

/// How many established TCP connections this machine's port `port` on
/// 127.0.0.1 holds (the server side: its local port is `port`).
pub fn established_at(port: u16) -> Result<usize> {
    let out = std::process::Command::new("ss")
        .args(["-tnH", "state", "established", "sport", "=", &format!(":{port}")])
        .output()
        .context("running ss (Debian package iproute2)")?;
    if !out.status.success() {
        bail!("ss failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.trim().is_empty()).count())
}

/// Reads `ss -tin` output: a line per connection, then an indented line of
/// its details.
fn parse(text: &str) -> Snapshot {
    let mut connections = BTreeMap::new();
    let mut local: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with(char::is_whitespace) {
            // State, Recv-Q, Send-Q, local address, peer address.
            local = line.split_whitespace().nth(3).map(str::to_owned);
            continue;
        }
        let received = line
            .split_whitespace()
            .find_map(|field| field.strip_prefix("bytes_received:"))
            .and_then(|v| v.parse::<u64>().ok());
        if let (Some(address), Some(received)) = (local.take(), received) {
            connections.insert(address, received);
        }
    }
    Snapshot(connections)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "ESTAB 0 0 127.0.0.1:50000 127.0.0.1:8780\n\t cubic bytes_sent:10 bytes_received:1000 segs_out:3\nESTAB 0 0 127.0.0.1:50001 127.0.0.1:8780\n\t cubic bytes_received:5 segs_out:3\nESTAB 0 0 127.0.0.1:50002 127.0.0.1:8780\n\t cubic bytes_received:7\n";
    const AFTER: &str = "ESTAB 0 0 127.0.0.1:50000 127.0.0.1:8780\n\t cubic bytes_sent:10 bytes_received:1500 segs_out:3\nESTAB 0 0 127.0.0.1:50001 127.0.0.1:8780\n\t cubic bytes_received:5\nESTAB 0 0 127.0.0.1:50003 127.0.0.1:8780\n\t cubic bytes_received:300\n";

    #[test]
    fn counts_new_bytes_and_new_connections_and_tells_busy_closures_from_idle_ones() {
        let mut tally = Tally::starting_at(&parse(BEFORE));
        tally.observe(&parse(AFTER));
        let received = tally.finish();
        // 50000 gained 500, 50003 is new with 300, 50001 gained nothing,
        // 50002 closed idle.
        assert_eq!(
            (received.bytes, received.connections, received.closed, received.closed_idle),
            (800, 2, 0, 1)
        );
    }

    #[test]
    fn a_connection_that_closes_keeps_what_it_had_and_counts_as_a_busy_closure() {
        let mut tally = Tally::starting_at(&parse(BEFORE));
        tally.observe(&parse(AFTER));
        tally.observe(&parse("ESTAB 0 0 127.0.0.1:50001 127.0.0.1:8780\n\t cubic bytes_received:9\n"));
        let received = tally.finish();
        // 50000 (+500) and 50003 (+300) closed after receiving; 50001 +4 is open.
        assert_eq!(
            (received.bytes, received.connections, received.closed, received.closed_idle),
            (804, 3, 2, 1)
        );
    }

    #[test]
    fn a_reused_local_port_is_a_new_connection() {
        let mut tally = Tally::starting_at(&parse(AFTER));
        tally.observe(&parse("ESTAB 0 0 127.0.0.1:50000 127.0.0.1:8780\n\t cubic bytes_received:20\n"));
        let received = tally.finish();
        assert_eq!((received.bytes, received.connections), (20, 1));
    }
}
