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
//! - [`process`]: the child processes behind them, which die with the test
//!   process even when it is killed.
//!
//! Nothing here is faked: a test that uses these talks to the same servers a
//! production deployment does.

pub mod haproxy;
pub mod postgres;
pub mod process;
pub mod s3;

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
