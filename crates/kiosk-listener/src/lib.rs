//! Serves an axum [`Router`] on a [`TcpListener`] with limits.
//!
//! A screen in a public hall must keep answering while someone on the booth
//! network holds sockets open or sends requests in a loop. Every listening
//! server of the kiosk (the central server, and on each screen the brochure
//! server, the booth mirror and the media server) serves through [`serve`],
//! each with its own [`Limits`]:
//!
//! - connections are capped in total and per client address; one over a cap is
//!   closed as soon as it is accepted, the others go on undisturbed;
//! - a connection that sends nothing, sends its request head too slowly or idles
//!   after an answer is closed after the request head timeout; an answer being
//!   streamed (server-sent events, a big download being read) is never cut by
//!   it, and one whose client stops reading is closed after the write stall
//!   timeout;
//! - requests are counted per client address (`governor`); one over the rate is
//!   answered `429 Too Many Requests` with `Retry-After`;
//! - refusals are logged at most once per client per interval;
//! - handlers still find the peer as `ConnectInfo<SocketAddr>`, and answers
//!   leave with `TCP_NODELAY`.
//!
//! At shutdown the server stops accepting, lets each connection finish the
//! request it is answering, and returns once every connection is closed.
//!
//! A TLS acceptor fits in as a [`Handshake`] given to [`serve_with`].
//!
//! # Layout
//! - [`limits`]: what a server allows.
//! - `serve` ([`serve_with`]): the accept loop and each connection's life.
//! - [`handshake`]: what happens before HTTP (nothing for plain TCP).
//! - [`admission`]: the connection caps.
//! - [`request_rate`]: requests per client and the `429` answer.
//! - [`write_stall`]: giving up on a client that stops reading.
//! - [`refusal_log`]: refusals logged without flooding the log.
//!
//! # Example
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::time::Duration;
//! use kiosk_listener::{Limits, RequestRate};
//!
//! const LIMITS: Limits = Limits {
//!     max_connections: 256,
//!     max_connections_per_client: Some(8),
//!     request_head_timeout: Duration::from_secs(10),
//!     write_stall_timeout: Some(Duration::from_secs(60)),
//!     request_rate: Some(RequestRate::new(5, 30)),
//!     refusal_log_interval: Duration::from_secs(60),
//! };
//! let router = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! kiosk_listener::serve(listener, router, LIMITS, std::future::pending()).await
//! # }
//! ```

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub mod admission;
pub mod handshake;
pub mod limits;
pub mod refusal_log;
pub mod request_rate;
mod serve;
pub mod write_stall;

pub use handshake::{Handshake, PlainTcp};
pub use limits::{Limits, RequestRate};
pub use serve::serve_with;

/// Serves `router` on `listener` over plain HTTP within `limits` until
/// `shutdown` completes and every connection has closed; see [`serve_with`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, limits, PlainTcp, shutdown).await
}
