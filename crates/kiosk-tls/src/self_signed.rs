//! A self-signed certificate for a server's names, for an installation without
//! a CA of its own: its screens pin the certificate itself.

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};

use crate::TlsError;

/// A certificate and its private key, both PEM.
pub struct SelfSigned {
    /// The certificate (PEM): what screens pin.
    pub certificate_pem: String,
    /// The private key (PEM, PKCS #8): stays on the server, readable by it only.
    pub private_key_pem: String,
}

impl std::fmt::Debug for SelfSigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelfSigned").field("certificate_pem", &self.certificate_pem).finish_non_exhaustive()
    }
}

/// How long a self-signed certificate is valid, twenty years: screens pin it,
/// so it is replaced by choice, not by a calendar.
const VALID_FOR: std::time::Duration = std::time::Duration::from_secs(20 * 365 * 86_400);

/// Makes an ECDSA P-256 certificate, valid from now for twenty years, for
/// `names` (host names and IP addresses, e.g. `kiosk.wtc-binhduong.vn`,
/// `192.168.1.20`); at least one name.
pub fn generate(names: &[String]) -> Result<SelfSigned, TlsError> {
    if names.is_empty() {
        return Err(TlsError::NoNames);
    }
    let mut params = CertificateParams::new(names.to_vec())?;
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CommonName, names[0].clone());
    subject.push(DnType::OrganizationName, "Bình Dương kiosk server");
    params.distinguished_name = subject;
    let now = std::time::SystemTime::now();
    params.not_before = now.into();
    params.not_after = (now + VALID_FOR).into();
    let key = KeyPair::generate()?;
    let certificate = params.self_signed(&key)?;
    Ok(SelfSigned { certificate_pem: certificate.pem(), private_key_pem: key.serialize_pem() })
}
