//! TLS for the kiosk fleet, with rustls and its `aws-lc-rs` provider.
//!
//! The central server answers over TLS with a certificate and key from its
//! config ([`ServerIdentity`], a [`kiosk_listener::Handshake`]); a screen trusts
//! only the server certificate or CA pinned in its own config
//! ([`PinnedServer`]), never a public CA list, so a network attacker with a
//! certificate from any public CA still cannot speak for the server. A new
//! installation makes its own self-signed certificate ([`self_signed`]) that its
//! screens pin.
//!
//! # Layout
//! - [`server`]: the server's certificate and key, and the handshake.
//! - [`pinned`]: a screen's trust in one server: its exact certificate, or a CA.
//! - [`self_signed`]: a certificate and key for a server's names.
//! - [`pem`]: reading certificates and keys from PEM files, with clear errors.

use std::path::PathBuf;
use std::sync::Arc;

pub mod pem;
pub mod pinned;
pub mod self_signed;
pub mod server;

pub use pinned::PinnedServer;
pub use server::ServerIdentity;

/// The cryptography every TLS config of the fleet uses: rustls's default,
/// `aws-lc-rs`, with a post-quantum hybrid key exchange first.
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Why a certificate, key or TLS config could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file holds no usable certificate or key.
    #[error("{path}: {problem}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// rustls refused the certificate, key or settings.
    #[error("{context}: {source}")]
    Rustls {
        /// What was being made.
        context: String,
        /// rustls's reason.
        source: rustls::Error,
    },
    /// A certificate was asked for without a name.
    #[error("a certificate needs at least one host name or IP address")]
    NoNames,
    /// A certificate could not be made.
    #[error("making a certificate: {0}")]
    Generate(#[from] rcgen::Error),
}
