//! Bytes the screens received from the server, as the kernel counted them.
//!
//! `ss -tinH dport = :PORT` lists every TCP connection to the server's port with
//! its `bytes_received` (payload bytes, `tcpi_bytes_received`). Two snapshots, one
//! before the publish and one after the last activation, give what each
//! connection received in between: the difference for a connection in both, the
//! whole count for one opened in between. This counts what really crossed the
//! sockets (blob bodies, manifests, HTTP headers, announcements, answers to
//! heartbeats), whatever the sync code believes it fetched. A connection that
//! closed in between took its count with it; their number is reported.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};

/// `bytes_received` of each connection to the port, by local address.
#[derive(Debug, Clone, Default)]
pub struct Snapshot(BTreeMap<String, u64>);

/// What the connections received between two snapshots.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Received {
    /// Payload bytes.
    pub bytes: u64,
    /// Connections that carried bytes.
    pub connections: usize,
    /// Connections of the first snapshot gone from the second (their last bytes
    /// are not counted).
    pub closed: usize,
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

/// What was received between `before` and `after`.
pub fn between(before: &Snapshot, after: &Snapshot) -> Received {
    let mut received = Received::default();
    for (address, &now) in &after.0 {
        // A smaller count is a new connection on a reused local port.
        let bytes = match before.0.get(address) {
            Some(&then) if then <= now => now - then,
            _ => now,
        };
        if bytes > 0 {
            received.bytes += bytes;
            received.connections += 1;
        }
    }
    received.closed = before.0.keys().filter(|address| !after.0.contains_key(*address)).count();
    received
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "ESTAB 0 0 127.0.0.1:50000 127.0.0.1:8780\n\t cubic bytes_sent:10 bytes_received:1000 segs_out:3\nESTAB 0 0 127.0.0.1:50001 127.0.0.1:8780\n\t cubic bytes_received:5 segs_out:3\nESTAB 0 0 127.0.0.1:50002 127.0.0.1:8780\n\t cubic bytes_received:7\n";
    const AFTER: &str = "ESTAB 0 0 127.0.0.1:50000 127.0.0.1:8780\n\t cubic bytes_sent:10 bytes_received:1500 segs_out:3\nESTAB 0 0 127.0.0.1:50001 127.0.0.1:8780\n\t cubic bytes_received:5\nESTAB 0 0 127.0.0.1:50003 127.0.0.1:8780\n\t cubic bytes_received:300\n";

    #[test]
    fn counts_new_bytes_and_new_connections_and_notes_closed_ones() {
        let received = between(&parse(BEFORE), &parse(AFTER));
        assert_eq!((received.bytes, received.connections, received.closed), (800, 2, 1));
    }
}
