//! A throwaway PostgreSQL cluster: `initdb` into a temporary folder, `postgres`
//! on a free port of 127.0.0.1 with trust authentication for the `kiosk` role;
//! one per test process (started on first use), a fresh database per caller.
//! Run as root, the server runs as the `postgres` user Debian's package made,
//! since PostgreSQL refuses to run as root.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::process::{self, Child};

/// A running cluster.
#[derive(Debug)]
pub struct Cluster {
    port: u16,
    folder: tempfile::TempDir,
    bin: PathBuf,
    server: std::sync::Mutex<Child>,
}

/// A database of its own in the shared cluster.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    /// Its connection address (`postgres://kiosk@127.0.0.1:PORT/NAME`).
    pub url: String,
    /// Its name.
    pub name: String,
}

/// The newest PostgreSQL's programs folder, e.g. `/usr/lib/postgresql/15/bin`.
fn bin_dir() -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(root)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|v| v.parse::<u32>().ok()))
        .max()
        .unwrap_or_else(|| {
            panic!(
                "no PostgreSQL in {}: install the postgresql package (installers/debian-deps.sh)",
                root.display()
            )
        });
    root.join(newest.to_string()).join("bin")
}

/// The user and group PostgreSQL runs as: ours, or `postgres` when we are root.
fn run_as() -> Option<(u32, u32)> {
    if !rustix::process::geteuid().is_root() {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").expect("read /etc/passwd");
    let line = passwd
        .lines()
        .find(|l| l.starts_with("postgres:"))
        .expect("no postgres user: install the postgresql package");
    let fields: Vec<&str> = line.split(':').collect();
    Some((fields[2].parse().expect("uid"), fields[3].parse().expect("gid")))
}

fn command(program: PathBuf, user: Option<(u32, u32)>) -> Command {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(program);
    if let Some((uid, gid)) = user {
        command.uid(uid).gid(gid);
    }
    command.env_remove("PGDATA").env("LC_ALL", "C.UTF-8");
    command
}

impl Cluster {
    /// The cluster of this test process, started on first use.
    pub fn shared() -> &'static Cluster {
        static CLUSTER: OnceLock<Cluster> = OnceLock::new();
        CLUSTER.get_or_init(Cluster::start)
    }

    /// Starts a new cluster.
    pub fn start() -> Cluster {
        Self::launch(false)
    }

    /// Starts a new cluster that writes as a production one does (`fsync`,
    /// synchronous commits, full-page writes, 16 MB WAL segments), for benchmarks.
    pub fn start_durable() -> Cluster {
        Self::launch(true)
    }

    fn launch(durable: bool) -> Cluster {
        let bin = bin_dir();
        let user = run_as();
        let folder = crate::temp_folder("kiosk-postgres-");
        let data = folder.path().join("data");
        let sockets = folder.path().join("sockets");
        std::fs::create_dir(&sockets).expect("the socket folder");
        if let Some((uid, gid)) = user {
            for path in [folder.path(), sockets.as_path()] {
                std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("hand the folder to postgres");
            }
        }
        let mut init = command(bin.join("initdb"), user);
        init.args(["--auth=trust", "--username=kiosk", "--encoding=UTF8"]);
        if !durable {
            init.args(["--no-sync", "--wal-segsize=1"]);
        }
        let init = init.arg("-D").arg(&data).output().expect("run initdb");
        assert!(init.status.success(), "initdb failed: {}", String::from_utf8_lossy(&init.stderr));
        let port = crate::free_port();
        let mut server = command(bin.join("postgres"), None);
        server.arg("-D").arg(&data).args(["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400"]);
        if !durable {
            server.args(["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"]);
            server.args(["-c", "max_wal_size=32MB", "-c", "min_wal_size=4MB"]);
        }
        server.arg("-p").arg(port.to_string()).arg("-k").arg(&sockets);
        let log = folder.path().join("postgres.log");
        let mut server = process::spawn_as(server, &log, user);
        crate::wait_for_port(port, "postgres", &mut server);
        let cluster = Cluster { port, folder, bin, server: std::sync::Mutex::new(server) };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while cluster.psql("postgres", "SELECT 1").is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "postgres does not answer; see {}",
                cluster.log().display()
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        cluster
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's log.
    pub fn log(&self) -> PathBuf {
        self.folder.path().join("postgres.log")
    }

    /// The postmaster's process id.
    pub fn pid(&self) -> u32 {
        self.server.lock().unwrap_or_else(|p| p.into_inner()).id()
    }

    /// The address of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://kiosk@127.0.0.1:{}/{name}", self.port)
    }

    /// Runs one SQL statement with `psql` in database `database`; its output.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "kiosk"])
            .arg("-p")
            .arg(self.port.to_string())
            .arg("-d")
            .arg(database)
            .arg("-c")
            .arg(sql)
            .output()
            .map_err(|e| format!("run psql: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }

    /// A new, empty database.
    pub fn fresh_database(&self) -> TestDatabase {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let name = format!("t{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        self.psql("postgres", &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        TestDatabase { url: self.url(&name), name }
    }
}

/// A new, empty database in this test process's cluster.
pub fn fresh_database() -> TestDatabase {
    Cluster::shared().fresh_database()
}
