//! Signing key files: making a pair, and reading either half.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use kiosk_core::keys::{parse_public_key, parse_secret_key, public_key_text, secret_key_text};

/// A key file that cannot be written or read, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// I/O failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is not the key it should be.
    #[error("{path}: {source}")]
    Text {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: kiosk_core::keys::KeyTextError,
    },
    /// Refusing to overwrite a key.
    #[error("{0} exists already: refusing to overwrite a key")]
    Exists(PathBuf),
}

/// The two files of a generated pair.
#[derive(Debug, Clone)]
pub struct KeyPairFiles {
    /// `<name>.key`, readable by its owner only.
    pub secret: PathBuf,
    /// `<name>.pub`.
    pub public: PathBuf,
}

/// Makes a new key pair in `dir` as `<name>.key` (mode 0600) and `<name>.pub`.
pub fn generate(dir: &Path, name: &str) -> Result<(KeyPairFiles, VerifyingKey), KeyFileError> {
    let files =
        KeyPairFiles { secret: dir.join(format!("{name}.key")), public: dir.join(format!("{name}.pub")) };
    for path in [&files.secret, &files.public] {
        if path.exists() {
            return Err(KeyFileError::Exists(path.clone()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| KeyFileError::Io { path: dir.to_owned(), source })?;
    let key = SigningKey::generate(&mut rand_core::OsRng);
    write_new(&files.secret, secret_key_text(&key).as_bytes(), 0o600)?;
    write_new(&files.public, public_key_text(&key.verifying_key()).as_bytes(), 0o644)?;
    Ok((files, key.verifying_key()))
}

/// Reads a secret key file.
pub fn read_secret_key(path: &Path) -> Result<SigningKey, KeyFileError> {
    let text = read(path)?;
    parse_secret_key(&text).map_err(|source| KeyFileError::Text { path: path.to_owned(), source })
}

/// Reads a public key file.
pub fn read_public_key(path: &Path) -> Result<VerifyingKey, KeyFileError> {
    let text = read(path)?;
    parse_public_key(&text).map_err(|source| KeyFileError::Text { path: path.to_owned(), source })
}

fn read(path: &Path) -> Result<String, KeyFileError> {
    std::fs::read_to_string(path).map_err(|source| KeyFileError::Io { path: path.to_owned(), source })
}

fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), KeyFileError> {
    let err = |source| KeyFileError::Io { path: path.to_owned(), source };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(err)?;
    file.write_all(bytes).map_err(err)?;
    file.sync_all().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_a_pair_with_a_private_secret() {
        let dir = tempfile::tempdir().unwrap();
        let (files, public) = generate(dir.path(), "content").unwrap();
        assert_eq!(read_public_key(&files.public).unwrap(), public);
        assert_eq!(read_secret_key(&files.secret).unwrap().verifying_key(), public);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&files.secret).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let again = generate(dir.path(), "content").unwrap_err();
        assert!(again.to_string().contains("refusing to overwrite"), "{again}");
    }

    #[test]
    fn names_the_file_when_a_key_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let (files, _) = generate(dir.path(), "k").unwrap();
        let err = read_public_key(&files.secret).unwrap_err().to_string();
        assert!(err.contains("k.key") && err.contains("secret key"), "{err}");
    }
}
