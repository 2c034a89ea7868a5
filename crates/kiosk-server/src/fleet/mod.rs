//! The fleet at a glance: every screen's liveness from its heartbeats and its
//! event stream, where it stands, and alerts for screens that went quiet, sent
//! to a webhook and by e-mail (`docs/console-api.md`, "The fleet").
//!
//! - [`status`]: online, late, offline or never seen, from a heartbeat's age (pure).
//! - [`db`]: what the fleet view keeps, behind the [`db::FleetDb`] trait;
//!   [`sqlite`] implements it on the embedded database.
//! - [`streams`]: which screens hold an event stream now.
//! - [`routes`]: the fleet, locations and alerts over HTTP.
//! - [`watch`]: the watcher that raises and clears alerts and calls the webhook.
//! - [`email`]: alerts e-mailed through the configured SMTP server.

pub mod db;
pub mod email;
pub mod routes;
pub mod sqlite;
pub mod status;
pub mod streams;
pub mod watch;
