//! Throwaway real services for tests and benchmarks, each on loopback in a
//! temporary folder and gone when the test process ends:
//!
//! - [`postgres`]: a PostgreSQL cluster from Debian's `postgresql` package
//!   (`initdb` and `postgres` of the newest version installed), one per test
//!   process, and a fresh database in it for every caller;
//! - [`s3`]: an S3-compatible server (`s3s-fs`, installed by
//!   `installers/dev-setup.sh`) with SigV4 keys, multipart uploads and ranged
//!   reads, and a fresh bucket for every caller;
//! - [`haproxy`]: Debian's HAProxy with the deployment's configuration in
//!   front of server replicas;
//! - [`deployment`]: the documented production deployment, `kiosk-server`
//!   replicas on the above behind HAProxy;
//! - [`process`]: the child processes behind them, which die with the test
//!   process even when it is killed.
//!
//! Nothing here is faked: a test that uses these talks to the same servers a
//! production deployment does.

pub mod deployment;
pub mod haproxy;
pub mod postgres;
pub mod process;
pub mod s3;

/// A new temporary folder `<prefix><pid>-XXXXXX` for a service of this test
/// process. Services shared by a test process live as long as it does and are
/// never dropped, so their folders stay behind when it exits: the folders of
/// processes that are gone are removed first.
pub fn temp_folder(prefix: &str) -> tempfile::TempDir {
    let temp = std::env::temp_dir();
    if let Ok(entries) = std::fs::read_dir(&temp) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name.strip_prefix(prefix).and_then(|rest| rest.split('-').next()) else {
                continue;
            };
            let Ok(pid) = pid.parse::<u32>() else { continue };
            if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    tempfile::Builder::new()
        .prefix(&format!("{prefix}{}-", std::process::id()))
        .tempdir_in(temp)
        .expect("a temporary folder")
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// Waits until something accepts TCP connections on `127.0.0.1:port`.
pub fn wait_for_port(port: u16, what: &str, child: &mut process::Child) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Some(status) = child.exited() {
            panic!("{what} exited before it listened ({status}); see {}", child.log().display());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{what} did not listen on 127.0.0.1:{port} within 30 s; see {}", child.log().display());
}
