//! The server's two Ed25519 keys, made on first start: one signs releases, the
//! other emergency messages, so that the key an author's pipeline handles every
//! day cannot raise an evacuation notice.
//!
//! `signing.key` and `emergency.key` (mode 0600), with `signing.pub` and
//! `emergency.pub`, in the data folder, in the text form `kioskctl keys
//! generate` writes (`docs/bundle-format.md`). Devices pin the public halves,
//! which `GET /v1/public-key` and `GET /v1/emergency-key` also answer.

use std::path::Path;

use ed25519_dalek::SigningKey;
use kiosk_authoring::keys::{self, KeyFileError};

/// The secret release key file's name in the data folder.
pub const KEY_FILE: &str = "signing.key";

/// The secret emergency key file's name in the data folder.
pub const EMERGENCY_KEY_FILE: &str = "emergency.key";

/// Reads `<data_dir>/signing.key`, generating the pair first when it is missing.
pub fn load_or_create(data_dir: &Path) -> Result<SigningKey, KeyFileError> {
    load_or_create_named(data_dir, KEY_FILE)
}

/// Reads `<data_dir>/emergency.key`, generating the pair first when it is missing.
pub fn load_or_create_emergency(data_dir: &Path) -> Result<SigningKey, KeyFileError> {
    load_or_create_named(data_dir, EMERGENCY_KEY_FILE)
}

/// Reads `<data_dir>/<file>`, generating the pair (`<name>.key`, `<name>.pub`)
/// first when it is missing.
fn load_or_create_named(data_dir: &Path, file: &str) -> Result<SigningKey, KeyFileError> {
    let path = data_dir.join(file);
    let name = file.trim_end_matches(".key");
    if !path.exists() {
        let (_, public) = keys::generate(data_dir, name)?;
        tracing::info!(key_id = %kiosk_core::keys::key_id(&public), name, "generated a key of the server's");
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
        let emergency = load_or_create_emergency(dir.path()).unwrap();
        assert_ne!(emergency.to_bytes(), first.to_bytes(), "a key of its own");
        assert_eq!(load_or_create_emergency(dir.path()).unwrap().to_bytes(), emergency.to_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
