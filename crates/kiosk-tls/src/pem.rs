//! Certificates and keys read from PEM files, each problem named with its file.

use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::TlsError;

/// The longest PEM file read: a certificate chain is a few kilobytes.
const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// Reads `path`, refusing a file larger than a certificate file can be.
fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    let read_error = |source| TlsError::Read { path: path.to_owned(), source };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_PEM_BYTES {
        return Err(TlsError::Pem {
            path: path.to_owned(),
            problem: format!("{size} bytes is too large for a certificate or key file"),
        });
    }
    std::fs::read(path).map_err(read_error)
}

/// Every certificate in a PEM file, in order (a server's own first, then its
/// chain); at least one.
pub fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    certificates_from(&read(path)?, path)
}

/// Every certificate in PEM text; `path` names it in errors.
pub fn certificates_from(pem: &[u8], path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::Pem { path: path.to_owned(), problem: format!("unreadable PEM: {e}") })?;
    if certificates.is_empty() {
        return Err(TlsError::Pem {
            path: path.to_owned(),
            problem: "holds no certificate (a PEM block \"-----BEGIN CERTIFICATE-----\")".into(),
        });
    }
    Ok(certificates)
}

/// The private key in a PEM file (PKCS #8, PKCS #1 or SEC 1).
pub fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(&read(path)?)
        .map_err(|e| TlsError::Pem { path: path.to_owned(), problem: format!("holds no private key: {e}") })
}
