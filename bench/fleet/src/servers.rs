//! The servers under test: one embedded `kiosk-server` (SQLite and files) that
//! `run.sh` started, or the production deployment started here with
//! `kiosk-testbed`: replicas of the real binary sharing a PostgreSQL database
//! (its own cluster, writing as production does) and an S3 bucket (`s3s-fs`),
//! behind HAProxy with `installers/replicas/haproxy.cfg`.

use std::path::Path;

use anyhow::{Result, bail};
use kiosk_testbed::deployment::{Deployment, Plan};
use kiosk_testbed::haproxy::ClientLimits;

/// Where the screens go, and the processes that answer them.
pub enum Servers {
    /// One server with its data on this machine.
    Embedded {
        /// Its address.
        url: String,
        /// Its process.
        pid: u32,
    },
    /// Replicas on shared storage behind a load balancer.
    Replicas(Box<Deployment>),
}

impl Servers {
    /// Starts `replicas` replicas of `server` on PostgreSQL and S3 behind HAProxy
    /// (`haproxy_config`); HAProxy's limits per client address are off, since
    /// every simulated screen comes from 127.0.0.1.
    pub fn start_replicas(
        server: &Path,
        haproxy_config: &Path,
        replicas: usize,
        admin_token: &str,
    ) -> Result<Servers> {
        if replicas == 0 {
            bail!("--replicas must be 1 or more");
        }
        let mut plan = Plan::new(server, haproxy_config, replicas, admin_token);
        plan.durable_database = true;
        plan.client_limits = ClientLimits::Off;
        plan.log = "warn".into();
        Ok(Servers::Replicas(Box::new(Deployment::start(plan))))
    }

    /// The address screens and staff use.
    pub fn url(&self) -> String {
        match self {
            Servers::Embedded { url, .. } => url.trim_end_matches('/').to_owned(),
            Servers::Replicas(deployment) => deployment.url(),
        }
    }

    /// The address of each server process itself (the replicas, not HAProxy).
    pub fn direct_urls(&self) -> Vec<String> {
        match self {
            Servers::Embedded { .. } => vec![self.url()],
            Servers::Replicas(deployment) => deployment.replicas().iter().map(|r| r.url()).collect(),
        }
    }

    /// HAProxy's port, in front of replicas.
    pub fn balancer_port(&self) -> Option<u16> {
        match self {
            Servers::Embedded { .. } => None,
            Servers::Replicas(deployment) => {
                reqwest::Url::parse(&deployment.url()).ok().and_then(|u| u.port_or_known_default())
            }
        }
    }

    /// The processes of the server software: the embedded server, or every
    /// replica (PostgreSQL, the S3 server and HAProxy are counted apart).
    pub fn server_pids(&self) -> Vec<u32> {
        match self {
            Servers::Embedded { pid, .. } => vec![*pid],
            Servers::Replicas(deployment) => deployment.replicas().iter().filter_map(|r| r.pid()).collect(),
        }
    }

    /// The ports the server processes listen on, for counting their connections.
    pub fn server_ports(&self) -> Vec<u16> {
        match self {
            Servers::Embedded { url, .. } => {
                reqwest::Url::parse(url).ok().and_then(|u| u.port_or_known_default()).into_iter().collect()
            }
            Servers::Replicas(deployment) => deployment.replicas().iter().map(|r| r.port).collect(),
        }
    }

    /// HAProxy's process, in front of replicas.
    pub fn balancer_pid(&self) -> Option<u32> {
        match self {
            Servers::Embedded { .. } => None,
            Servers::Replicas(deployment) => Some(deployment.balancer().pid()),
        }
    }

    /// What was measured, in words, for the report.
    pub fn describe(&self) -> String {
        match self {
            Servers::Embedded { .. } => "one kiosk-server (embedded: SQLite and a blob folder)".into(),
            Servers::Replicas(deployment) => format!(
                "{} kiosk-server replicas on PostgreSQL (fsync on) and S3 (s3s-fs) behind HAProxy",
                deployment.replicas().len()
            ),
        }
    }
}
