//! A screen's trust in its server: the certificates pinned in its config.
//!
//! A pinned certificate is trusted two ways. The server presenting exactly a
//! pinned certificate is trusted whatever name the screen reached it by (the
//! self-signed certificate of a new installation, reached by a LAN address);
//! otherwise the server's chain must lead to a pinned certificate as a CA and
//! name the host the screen asked for, with every date and signature checked
//! (an organisation's own CA). Public CAs are never trusted: a certificate any
//! public CA would issue to a network attacker is refused.

use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::{TlsError, pem, provider};

/// The server certificates or CAs a screen trusts, as a rustls client config.
#[derive(Clone)]
pub struct PinnedServer {
    config: Arc<rustls::ClientConfig>,
}

impl std::fmt::Debug for PinnedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinnedServer")
    }
}

impl PinnedServer {
    /// Reads the pinned certificates from a PEM file (the server's own
    /// certificate, or the CA that issues it, or several).
    pub fn load(path: &Path) -> Result<Self, TlsError> {
        Self::from_certificates(pem::certificates(path)?, path)
    }

    /// Pins certificates given as PEM text; `path` names it in errors.
    pub fn from_pem(pem_text: &[u8], path: &Path) -> Result<Self, TlsError> {
        Self::from_certificates(pem::certificates_from(pem_text, path)?, path)
    }

    fn from_certificates(pinned: Vec<CertificateDer<'static>>, path: &Path) -> Result<Self, TlsError> {
        let rustls_error = |context: &str| {
            let context = format!("{}: {context}", path.display());
            move |source| TlsError::Rustls { context, source }
        };
        let mut roots = RootCertStore::empty();
        for certificate in &pinned {
            roots.add(certificate.clone()).map_err(rustls_error("a certificate is not usable"))?;
        }
        let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| TlsError::Pem { path: path.to_owned(), problem: e.to_string() })?;
        let verifier = Arc::new(PinnedVerifier { pinned, chain });
        let mut config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(rustls_error("no TLS version"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self { config: Arc::new(config) })
    }

    /// The rustls client config trusting only the pinned certificates.
    pub fn client_config(&self) -> rustls::ClientConfig {
        (*self.config).clone()
    }
}

/// Trusts exactly a pinned certificate, or a chain to a pinned CA.
#[derive(Debug)]
struct PinnedVerifier {
    pinned: Vec<CertificateDer<'static>>,
    chain: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.pinned.iter().any(|pinned| pinned.as_ref() == end_entity.as_ref()) {
            return Ok(ServerCertVerified::assertion());
        }
        self.chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls12_signature(message, certificate, signature)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls13_signature(message, certificate, signature)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.chain.supported_verify_schemes()
    }
}
