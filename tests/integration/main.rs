//! Behaviour across the kiosk crates, one module per area. Network tests bind
//! 127.0.0.1 only.

mod brochure_server;
mod default_content;
mod forged_emergency;
mod hostile_bundles;
mod hostile_clients;
mod library;
mod media_server;
mod mirror_sync;
mod recovery;
mod signage_view;
mod surveys;
