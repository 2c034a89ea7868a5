//! A load balancer in front of server replicas: Debian's `haproxy`, started
//! with the deployment's own configuration (`installers/replicas/haproxy.cfg`),
//! its listening address and its replicas put in for the test.

use std::path::Path;
use std::process::Command;

use crate::process::{self, Child};

/// A running HAProxy.
#[derive(Debug)]
pub struct LoadBalancer {
    port: u16,
    _folder: tempfile::TempDir,
    process: Child,
}

/// Whether HAProxy enforces the deployment's limits per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientLimits {
    /// As deployed: requests and enrolment tries per address are limited.
    Enforced,
    /// Left out, for a benchmark whose thousands of clients share one address
    /// (as the embedded server's benchmark turns its own off).
    Off,
}

/// The deployment's configuration with `bind` and `server` lines for 127.0.0.1:
/// the line after `# TESTBED:BIND` binds `port`; those after `# TESTBED:SERVERS`
/// name `replicas` (ports on 127.0.0.1); the `maxconn` after `# TESTBED:MAXCONN`
/// fits the test process's file limit; with [`ClientLimits::Off`] the lines from
/// `# TESTBED:LIMITS` to `# TESTBED:LIMITS END` are left out.
pub fn configuration(template: &str, port: u16, replicas: &[u16], limits: ClientLimits) -> String {
    let mut out = Vec::new();
    let mut lines = template.lines();
    while let Some(line) = lines.next() {
        if limits == ClientLimits::Off && line.trim_start().starts_with("# TESTBED:LIMITS") {
            lines.by_ref().find(|next| next.trim_start().starts_with("# TESTBED:LIMITS END"));
            continue;
        }
        out.push(line.to_owned());
        let indent = &line[..line.len() - line.trim_start().len()];
        if line.trim_start().starts_with("# TESTBED:MAXCONN") {
            for next in lines.by_ref() {
                if next.trim_start().starts_with("maxconn") {
                    out.push(format!("{indent}maxconn {}", max_connections()));
                    break;
                }
                out.push(next.to_owned());
            }
        } else if line.trim_start().starts_with("# TESTBED:BIND") {
            lines.next();
            out.push(format!("{indent}bind 127.0.0.1:{port}"));
        } else if line.trim_start().starts_with("# TESTBED:SERVERS") {
            for (i, replica) in replicas.iter().enumerate() {
                out.push(format!(
                    "{indent}server replica{n} 127.0.0.1:{replica} check cookie replica{n}",
                    n = i + 1
                ));
            }
            break;
        }
    }
    out.push(String::new());
    out.join("\n")
}

/// Connections HAProxy may hold within this process's file limit (two
/// descriptors each, and some to spare).
fn max_connections() -> u64 {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).maximum.unwrap_or(65_536);
    (limit.saturating_sub(200) / 2).clamp(100, 60_000)
}

impl LoadBalancer {
    /// Starts HAProxy with `template` (the deployment's file) in front of `replicas`.
    pub fn start(template: &Path, replicas: &[u16]) -> LoadBalancer {
        Self::start_with(template, replicas, ClientLimits::Enforced)
    }

    /// Starts HAProxy with `template` in front of `replicas`, its limits per
    /// client as `limits` says.
    pub fn start_with(template: &Path, replicas: &[u16], limits: ClientLimits) -> LoadBalancer {
        let text =
            std::fs::read_to_string(template).unwrap_or_else(|e| panic!("{}: {e}", template.display()));
        let folder = crate::temp_folder("kiosk-haproxy-");
        let port = crate::free_port();
        let config = folder.path().join("haproxy.cfg");
        std::fs::write(&config, configuration(&text, port, replicas, limits)).expect("write haproxy.cfg");
        let program = process::find_program("haproxy")
            .or_else(|| Some(std::path::PathBuf::from("/usr/sbin/haproxy")).filter(|p| p.is_file()))
            .expect("haproxy is not installed: run installers/debian-deps.sh");
        let check = Command::new(&program)
            .arg("-c")
            .arg("-q")
            .arg("-f")
            .arg(&config)
            .output()
            .expect("run haproxy -c");
        assert!(
            check.status.success(),
            "haproxy refuses the configuration: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let mut command = Command::new(program);
        command.arg("-db").arg("-f").arg(&config);
        let mut process = process::spawn(command, &folder.path().join("haproxy.log"));
        crate::wait_for_port(port, "haproxy", &mut process);
        LoadBalancer { port, _folder: folder, process }
    }

    /// Its address (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.process.log()).unwrap_or_default()
    }
}
