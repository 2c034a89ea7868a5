//! Opening and reading a file of a bundle folder (a USB stick, `incoming/`, a
//! folder given to `kioskctl bundle verify`) that may not be a file at all.
//!
//! A stick can hold anything: a `manifest.json` that is a link to `/dev/zero`
//! (endless), a FIFO (an open that never returns), a socket or a device. Every
//! file of a bundle is therefore opened without following a link and without
//! blocking (`O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC`), checked on the open file
//! descriptor to be a regular file, and read only up to the bound its kind
//! allows (one byte more, so a file that grows while read is refused too).
//! Whatever is refused costs milliseconds and names the path and what it is.
//!
//! ```no_run
//! use kiosk_device::untrusted_file;
//!
//! let manifest = untrusted_file::read("/media/usb/manifest.json".as_ref(), 8 << 20)?;
//! # Ok::<(), untrusted_file::UntrustedFileError>(())
//! ```

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rustix::fs::{FileType, Mode, OFlags};

/// Why a file of a bundle folder was not read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct UntrustedFileError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a file of a bundle folder.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// There is no such file.
    #[error("no such file")]
    Missing,
    /// It is a symbolic link, which is never followed.
    #[error("a symbolic link, which is not followed")]
    Link,
    /// It is something else than a regular file.
    #[error("{0}, not a regular file")]
    NotRegular(&'static str),
    /// It is longer than its kind allows.
    #[error("{size} bytes or more, over the {limit} allowed")]
    TooLarge {
        /// Its length (at least).
        size: u64,
        /// The most allowed.
        limit: u64,
    },
    /// Opening or reading it failed.
    #[error(transparent)]
    Io(std::io::Error),
}

impl UntrustedFileError {
    fn new(path: &Path, problem: Problem) -> Self {
        Self { path: path.to_owned(), problem }
    }

    /// Whether the file does not exist.
    pub fn is_missing(&self) -> bool {
        matches!(self.problem, Problem::Missing)
    }
}

/// A regular file of a bundle folder, open and not read yet.
#[derive(Debug)]
pub struct UntrustedFile {
    file: File,
    len: u64,
    path: PathBuf,
}

/// Opens `path` if it is a regular file: not a link (not followed), FIFO,
/// socket, device or folder. Never blocks.
pub fn open(path: &Path) -> Result<UntrustedFile, UntrustedFileError> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|errno| {
        let problem = match errno {
            rustix::io::Errno::NOENT => Problem::Missing,
            rustix::io::Errno::LOOP => Problem::Link,
            other => Problem::Io(other.into()),
        };
        UntrustedFileError::new(path, problem)
    })?;
    let stat = rustix::fs::fstat(&fd).map_err(|e| UntrustedFileError::new(path, Problem::Io(e.into())))?;
    let what = match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile => None,
        FileType::Directory => Some("a folder"),
        FileType::Symlink => Some("a symbolic link"),
        FileType::Fifo => Some("a FIFO (named pipe)"),
        FileType::Socket => Some("a socket"),
        FileType::CharacterDevice => Some("a character device"),
        FileType::BlockDevice => Some("a block device"),
        FileType::Unknown => Some("of an unknown kind"),
    };
    if let Some(what) = what {
        return Err(UntrustedFileError::new(path, Problem::NotRegular(what)));
    }
    // Reads of a regular file do not block anyway; the flag goes so that the
    // file reads as any other.
    rustix::fs::fcntl_setfl(&fd, OFlags::RDONLY)
        .map_err(|e| UntrustedFileError::new(path, Problem::Io(e.into())))?;
    Ok(UntrustedFile { file: File::from(fd), len: stat.st_size as u64, path: path.to_owned() })
}

/// Reads the whole regular file at `path` when it holds at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, UntrustedFileError> {
    open(path)?.read_to_end(limit)
}

impl UntrustedFile {
    /// Its length when it was opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it was empty when it was opened.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A reader of at most `limit + 1` bytes (one more than allowed, so that a
    /// file that grew shows it), or the refusal when it is longer than `limit`.
    pub fn into_reader(self, limit: u64) -> Result<std::io::Take<File>, UntrustedFileError> {
        if self.len > limit {
            return Err(UntrustedFileError::new(&self.path, Problem::TooLarge { size: self.len, limit }));
        }
        Ok(self.file.take(limit.saturating_add(1)))
    }

    /// Reads it whole when it holds at most `limit` bytes, reading no more than
    /// `limit + 1` even when it grows meanwhile.
    pub fn read_to_end(self, limit: u64) -> Result<Vec<u8>, UntrustedFileError> {
        let path = self.path.clone();
        let mut bytes = Vec::with_capacity(self.len.min(limit) as usize);
        self.into_reader(limit)?
            .read_to_end(&mut bytes)
            .map_err(|e| UntrustedFileError::new(&path, Problem::Io(e)))?;
        if bytes.len() as u64 > limit {
            let size = bytes.len() as u64;
            return Err(UntrustedFileError::new(&path, Problem::TooLarge { size, limit }));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn make_fifo(path: &Path) {
        rustix::fs::mknodat(rustix::fs::CWD, path, FileType::Fifo, Mode::from_raw_mode(0o600), 0).unwrap();
    }

    /// Runs `f` in a thread and fails when it does not return within two
    /// seconds (a blocking open would never return).
    fn within_two_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(f()));
        rx.recv_timeout(Duration::from_secs(2)).expect("returned within two seconds")
    }

    #[test]
    fn reads_a_regular_file_within_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        std::fs::write(&path, b"{}").unwrap();
        assert_eq!(read(&path, 2).unwrap(), b"{}");
        let file = open(&path).unwrap();
        assert_eq!((file.len(), file.path()), (2, path.as_path()));
    }

    #[test]
    fn refuses_a_file_over_its_bound_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.sig");
        std::fs::write(&path, [0u8; 65]).unwrap();
        let error = read(&path, 64).unwrap_err();
        assert!(matches!(error.problem, Problem::TooLarge { size: 65, limit: 64 }), "{error}");
        assert_eq!(error.to_string(), format!("{}: 65 bytes or more, over the 64 allowed", path.display()));
    }

    #[test]
    fn refuses_a_link_to_dev_zero_and_a_fifo_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let fifo = dir.path().join("fifo.json");
        make_fifo(&fifo);
        let started = Instant::now();
        let (link_error, fifo_error) = within_two_seconds(move || {
            (read(&link, u64::MAX - 1).unwrap_err(), read(&fifo, u64::MAX - 1).unwrap_err())
        });
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(matches!(link_error.problem, Problem::Link), "{link_error}");
        assert!(link_error.to_string().ends_with("link.json: a symbolic link, which is not followed"));
        assert!(fifo_error.to_string().ends_with("fifo.json: a FIFO (named pipe), not a regular file"));
    }

    #[test]
    fn refuses_devices_folders_and_missing_files_with_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let device = open(Path::new("/dev/null")).unwrap_err();
        assert_eq!(device.to_string(), "/dev/null: a character device, not a regular file");
        let folder = open(dir.path()).unwrap_err();
        assert!(folder.to_string().ends_with(": a folder, not a regular file"), "{folder}");
        let missing = open(&dir.path().join("blobs/none")).unwrap_err();
        assert!(missing.is_missing(), "{missing}");
    }

    #[test]
    fn a_reader_stops_one_byte_past_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blob");
        std::fs::write(&path, [7u8; 10]).unwrap();
        let mut read_back = Vec::new();
        open(&path).unwrap().into_reader(10).unwrap().read_to_end(&mut read_back).unwrap();
        assert_eq!(read_back.len(), 10);
        assert!(open(&path).unwrap().into_reader(9).is_err());
    }
}
