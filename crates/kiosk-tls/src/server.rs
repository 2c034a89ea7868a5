//! The server's side: its certificate chain and key as a rustls config, and the
//! handshake each accepted connection goes through before HTTP.

use std::io;
use std::path::Path;
use std::sync::Arc;

use kiosk_listener::Handshake;
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::{TlsError, pem, provider};

/// A server's TLS identity: its certificate chain and private key, ready to
/// accept connections (TLS 1.2 and 1.3, HTTP/1.1).
#[derive(Clone)]
pub struct ServerIdentity {
    acceptor: TlsAcceptor,
}

impl std::fmt::Debug for ServerIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerIdentity")
    }
}

impl ServerIdentity {
    /// Reads the certificate chain (PEM, the server's own certificate first)
    /// and its private key (PEM); refuses a key that does not belong to the
    /// certificate.
    pub fn load(certificate: &Path, private_key: &Path) -> Result<Self, TlsError> {
        let chain = pem::certificates(certificate)?;
        let key = pem::private_key(private_key)?;
        let rustls_error = |source| TlsError::Rustls {
            context: format!(
                "the key {} with the certificate {}",
                private_key.display(),
                certificate.display()
            ),
            source,
        };
        let mut config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(rustls_error)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(rustls_error)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self { acceptor: TlsAcceptor::from(Arc::new(config)) })
    }
}

impl Handshake for ServerIdentity {
    type Stream = TlsStream<TcpStream>;

    async fn handshake(&self, tcp: TcpStream) -> io::Result<Self::Stream> {
        self.acceptor.accept(tcp).await
    }
}
