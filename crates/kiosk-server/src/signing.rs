//! The server's Ed25519 signing key, made on first start.
//!
//! `signing.key` (mode 0600) and `signing.pub` in the data folder, in the text form
//! `kioskctl keys generate` writes (`docs/bundle-format.md`). Devices pin the public
//! half, which `GET /v1/public-key` also answers.

use std::path::Path;

use ed25519_dalek::SigningKey;
use kiosk_authoring::keys::{self, KeyFileError};

/// The secret key file's name in the data folder.
pub const KEY_FILE: &str = "signing.key";

/// Reads `<data_dir>/signing.key`, generating the pair first when it is missing.
pub fn load_or_create(data_dir: &Path) -> Result<SigningKey, KeyFileError> {
    let path = data_dir.join(KEY_FILE);
    if !path.exists() {
        let (_, public) = keys::generate(data_dir, "signing")?;
        tracing::info!(key_id = %kiosk_core::keys::key_id(&public), "generated the server's signing key");
    }
    keys::read_secret_key(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_a_private_key_once_and_reads_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        let again = load_or_create(dir.path()).unwrap();
        assert_eq!(first.to_bytes(), again.to_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
