//! A throwaway S3-compatible server: `s3s-fs` (crates.io; built on the `s3s`
//! S3 protocol crate) on a free port of 127.0.0.1, keeping objects as files in a
//! temporary folder. It checks AWS Signature V4 with the keys below and speaks
//! the parts of S3 the blob store uses: PUT, HEAD, ranged GET, DELETE, LIST and
//! multipart uploads. One per test process, a fresh bucket per caller.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::process::{self, Child};

/// The access key the server accepts.
pub const ACCESS_KEY: &str = "kiosk-test-access";
/// Its secret.
pub const SECRET_KEY: &str = "kiosk-test-secret-key-0123456789";
/// The region clients sign for (the server accepts any).
pub const REGION: &str = "us-east-1";

/// A running server.
#[derive(Debug)]
pub struct S3Server {
    port: u16,
    folder: tempfile::TempDir,
    server: std::sync::Mutex<Child>,
}

/// A bucket of its own on the shared server.
#[derive(Debug, Clone)]
pub struct TestBucket {
    /// The server's address (`http://127.0.0.1:PORT`).
    pub endpoint: String,
    /// The bucket's name.
    pub bucket: String,
    /// Where its objects lie on disk (for tests that look behind the API).
    pub folder: PathBuf,
}

impl S3Server {
    /// The server of this test process, started on first use.
    pub fn shared() -> &'static S3Server {
        static SERVER: OnceLock<S3Server> = OnceLock::new();
        SERVER.get_or_init(S3Server::start)
    }

    /// Starts a new server.
    pub fn start() -> S3Server {
        let program = process::find_program("s3s-fs").unwrap_or_else(|| {
            panic!("s3s-fs is not installed: run installers/dev-setup.sh (cargo install s3s-fs)")
        });
        let folder = crate::temp_folder("kiosk-s3-");
        let root = folder.path().join("objects");
        std::fs::create_dir(&root).expect("the object folder");
        let port = crate::free_port();
        let mut command = Command::new(program);
        command
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(&root)
            .env("RUST_LOG", "warn");
        let mut server = process::spawn(command, &folder.path().join("s3s-fs.log"));
        crate::wait_for_port(port, "s3s-fs", &mut server);
        S3Server { port, folder, server: std::sync::Mutex::new(server) }
    }

    /// Its address.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.server.lock().unwrap_or_else(|p| p.into_inner()).id()
    }

    /// A new, empty bucket (a bucket is a folder to `s3s-fs`).
    pub fn fresh_bucket(&self) -> TestBucket {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let bucket = format!("kiosk-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let folder = self.folder.path().join("objects").join(&bucket);
        std::fs::create_dir(&folder).expect("the bucket's folder");
        TestBucket { endpoint: self.endpoint(), bucket, folder }
    }
}

/// A new, empty bucket on this test process's server.
pub fn fresh_bucket() -> TestBucket {
    S3Server::shared().fresh_bucket()
}
