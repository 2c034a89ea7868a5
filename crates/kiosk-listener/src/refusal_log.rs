//! Log lines about refused clients, at most one per client per interval, so
//! a flood of refused connections does not become a flood of log lines.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many clients are remembered before the quiet ones are forgotten.
const REMEMBERED_CLIENTS: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Logged {
    at: Instant,
    unlogged: u64,
}

/// When each client's refusals were last logged.
#[derive(Debug)]
pub struct RefusalLog {
    interval: Duration,
    logged: Mutex<HashMap<IpAddr, Logged>>,
}

impl RefusalLog {
    /// Logs a client's refusals at most once per `interval`.
    pub fn new(interval: Duration) -> Self {
        Self { interval, logged: Mutex::new(HashMap::new()) }
    }

    /// Notes that `client` was refused for `reason`, and logs it unless this
    /// client's refusals were logged less than an interval ago. Answers
    /// whether it logged.
    pub fn refused(&self, client: IpAddr, reason: &'static str) -> bool {
        let now = Instant::now();
        let mut logged = self.logged.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if logged.len() >= REMEMBERED_CLIENTS {
            logged.retain(|_, last| now.duration_since(last.at) < self.interval);
        }
        let last = logged.get_mut(&client);
        match last {
            Some(last) if now.duration_since(last.at) < self.interval => {
                last.unlogged += 1;
                false
            }
            _ => {
                let unlogged = last.map_or(0, |last| last.unlogged);
                tracing::warn!(%client, reason, unlogged_since_last = unlogged, "refused a client");
                logged.insert(client, Logged { at: now, unlogged: 0 });
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_each_client_once_per_interval() {
        let log = RefusalLog::new(Duration::from_millis(200));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(log.refused(a, "test"));
        assert!((0..1000).all(|_| !log.refused(a, "test")));
        assert!(log.refused(b, "test"), "another client is logged on its own");
        std::thread::sleep(Duration::from_millis(250));
        assert!(log.refused(a, "test"), "logged again after the interval");
    }
}
