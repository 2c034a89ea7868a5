//! What a server allows its clients: how many connections, how slow, how many
//! requests. Each server names its own [`Limits`] in one place.

use std::num::NonZeroU32;
use std::time::Duration;

/// The limits one listening server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once, from all clients together. A connection over
    /// the cap is closed as soon as it is accepted.
    pub max_connections: usize,
    /// Connections open at once from one client address (an IPv6 client counts
    /// by its /64 network); `None` caps only the total, for servers that many
    /// clients reach through one address (a load balancer, a venue's NAT).
    pub max_connections_per_client: Option<usize>,
    /// How long a connection may take to send a whole request head, counted
    /// from when it opens or from the end of its previous answer: a connection
    /// that sends nothing, sends its head byte by byte (slowloris) or idles
    /// after an answer is closed after this long. It also bounds a handshake
    /// ([`crate::Handshake`]). Once a request is read, its answer is never cut
    /// by it, however long it streams.
    pub request_head_timeout: Duration,
    /// How long an answer may wait on a client that reads none of it (the
    /// connection's send buffer stays full) before the connection is closed;
    /// `None` waits for ever (a paused video may stop reading for a long time).
    /// A client that reads, however slowly, pausing less than this, is never cut.
    pub write_stall_timeout: Option<Duration>,
    /// Requests allowed per client address; `None` allows any number.
    pub request_rate: Option<RequestRate>,
    /// The least time between two log lines about one client's refusals.
    pub refusal_log_interval: Duration,
}

/// A request rate per client: a bucket of `burst` requests, refilled at
/// `per_second`. A request over it is answered `429 Too Many Requests` with
/// `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestRate {
    /// Requests per second, sustained.
    pub per_second: NonZeroU32,
    /// Requests allowed at once after a quiet spell.
    pub burst: NonZeroU32,
}

impl RequestRate {
    /// `per_second` sustained with bursts of `burst`; zeros count as one.
    pub const fn new(per_second: u32, burst: u32) -> Self {
        Self { per_second: non_zero(per_second), burst: non_zero(burst) }
    }
}

const fn non_zero(n: u32) -> NonZeroU32 {
    match NonZeroU32::new(n) {
        Some(n) => n,
        None => NonZeroU32::MIN,
    }
}
