//! The documented production deployment, for real on loopback: `kiosk-server`
//! replicas (the real binary) sharing one PostgreSQL database and one S3
//! bucket, behind HAProxy with the deployment's own configuration. The first
//! replica makes the signing keys; the others are given copies, as
//! `docs/replicas.md` tells an operator to do.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::haproxy::{ClientLimits, LoadBalancer};
use crate::postgres::{Cluster, TestDatabase};
use crate::process::{self, Child};
use crate::s3::{self, TestBucket};

/// What to start.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The `kiosk-server` program.
    pub server: PathBuf,
    /// The deployment's HAProxy configuration (`installers/replicas/haproxy.cfg`).
    pub haproxy_config: PathBuf,
    /// How many replicas.
    pub replicas: usize,
    /// The admin token every replica accepts.
    pub admin_token: String,
    /// A PostgreSQL cluster of its own that writes as production does
    /// (benchmarks), or a database in this process's quick test cluster.
    pub durable_database: bool,
    /// HAProxy's limits per client address.
    pub client_limits: ClientLimits,
    /// The replicas' `RUST_LOG`.
    pub log: String,
}

impl Plan {
    /// `replicas` replicas of `server` as the tests run them: the quick test
    /// cluster, HAProxy's limits enforced, logs at `info`.
    pub fn new(server: &Path, haproxy_config: &Path, replicas: usize, admin_token: &str) -> Plan {
        Plan {
            server: server.to_owned(),
            haproxy_config: haproxy_config.to_owned(),
            replicas,
            admin_token: admin_token.to_owned(),
            durable_database: false,
            client_limits: ClientLimits::Enforced,
            log: "info".into(),
        }
    }
}

/// One replica: its address, config file, data folder and process.
#[derive(Debug)]
pub struct Replica {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its config file.
    pub config: PathBuf,
    /// Its data folder (the signing keys, temporary copies).
    pub data_dir: PathBuf,
    process: Option<Child>,
}

impl Replica {
    /// Its address (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Its process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Child::id)
    }
}

/// The replicas, their shared storage and the load balancer; all stopped when dropped.
#[derive(Debug)]
pub struct Deployment {
    plan: Plan,
    replicas: Vec<Replica>,
    balancer: Option<LoadBalancer>,
    /// The shared database.
    pub database: TestDatabase,
    /// The shared bucket.
    pub bucket: TestBucket,
    /// Kept running while the deployment is: its own cluster, when durable.
    _own_cluster: Option<Cluster>,
    dir: tempfile::TempDir,
}

impl Deployment {
    /// Starts the storage, `plan.replicas` replicas and HAProxy in front of them.
    pub fn start(plan: Plan) -> Deployment {
        let own_cluster = plan.durable_database.then(Cluster::start_durable);
        let database = match &own_cluster {
            Some(cluster) => cluster.fresh_database(),
            None => crate::postgres::fresh_database(),
        };
        let dir = crate::temp_folder("kiosk-deployment-");
        std::fs::write(dir.path().join("s3-secret"), format!("{}\n", s3::SECRET_KEY)).expect("the S3 secret");
        let mut deployment = Deployment {
            database,
            bucket: s3::fresh_bucket(),
            replicas: Vec::new(),
            balancer: None,
            _own_cluster: own_cluster,
            dir,
            plan,
        };
        for index in 0..deployment.plan.replicas {
            let replica = deployment.configure(index + 1);
            if index > 0 {
                copy_keys(&deployment.replicas[0].data_dir, &replica.data_dir);
            }
            deployment.replicas.push(replica);
            if let Err(error) = deployment.run(index) {
                panic!("{error}");
            }
        }
        let ports: Vec<u16> = deployment.replicas.iter().map(|r| r.port).collect();
        deployment.balancer = Some(LoadBalancer::start_with(
            &deployment.plan.haproxy_config,
            &ports,
            deployment.plan.client_limits,
        ));
        deployment
    }

    /// The config file and data folder of a new replica number `n` (not
    /// started, not in the deployment until [`Deployment::add`]).
    pub fn configure(&self, n: usize) -> Replica {
        let port = crate::free_port();
        let data_dir = self.dir.path().join(format!("replica{n}"));
        std::fs::create_dir_all(&data_dir).expect("the replica's data folder");
        let config = self.dir.path().join(format!("replica{n}.toml"));
        let text = format!(
            "listen = \"127.0.0.1:{port}\"\ndata_dir = {data_dir:?}\nadmin_token = \"{admin}\"\n\
             enrol_attempts_per_minute = 10000\n\n\
             # HAProxy limits each client address; the replicas see only its.\n\
             [limits]\nrequests_per_second_per_client = 0\n\n\
             [storage]\npostgres = \"{postgres}\"\n\n\
             [storage.s3]\nendpoint = \"{endpoint}\"\nbucket = \"{bucket}\"\naccess_key_id = \"{key}\"\n\
             secret_access_key_file = {secret:?}\nallow_http = true\n",
            admin = self.plan.admin_token,
            postgres = self.database.url,
            endpoint = self.bucket.endpoint,
            bucket = self.bucket.bucket,
            key = s3::ACCESS_KEY,
            secret = self.dir.path().join("s3-secret"),
        );
        std::fs::write(&config, text).expect("the replica's config");
        Replica { port, config, data_dir, process: None }
    }

    /// Adds a replica made by [`Deployment::configure`]; its index.
    pub fn add(&mut self, replica: Replica) -> usize {
        self.replicas.push(replica);
        self.replicas.len() - 1
    }

    /// Starts replica `index` and waits until it answers `GET /v1/public-key`;
    /// what it said if it exited first.
    pub fn run(&mut self, index: usize) -> Result<(), String> {
        let replica = &mut self.replicas[index];
        let mut command = Command::new(&self.plan.server);
        command.arg("--config").arg(&replica.config).env("RUST_LOG", &self.plan.log);
        let log = replica.data_dir.with_extension("log");
        let process = replica.process.insert(process::spawn(command, &log));
        let deadline = Instant::now() + Duration::from_secs(60);
        while !answers(replica.port) {
            if let Some(status) = process.exited() {
                return Err(format!(
                    "replica {} exited ({status}): {}",
                    index + 1,
                    std::fs::read_to_string(&log).unwrap_or_default()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "replica {} did not answer within 60 s; see {}",
                    index + 1,
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// Kills replica `index` with `SIGKILL`, as a crash would.
    pub fn kill(&mut self, index: usize) {
        if let Some(mut process) = self.replicas[index].process.take() {
            process.kill();
        }
    }

    /// The replicas.
    pub fn replicas(&self) -> &[Replica] {
        &self.replicas
    }

    /// The load balancer.
    pub fn balancer(&self) -> &LoadBalancer {
        self.balancer.as_ref().expect("the deployment's load balancer runs once started")
    }

    /// HAProxy's address, where screens and staff go.
    pub fn url(&self) -> String {
        self.balancer().url()
    }
}

/// Copies the signing and emergency keys of one replica's data folder to another's.
pub fn copy_keys(from: &Path, to: &Path) {
    for file in ["signing.key", "signing.pub", "emergency.key", "emergency.pub"] {
        std::fs::copy(from.join(file), to.join(file))
            .unwrap_or_else(|e| panic!("copy {file} to {}: {e}", to.display()));
    }
}

/// Whether `127.0.0.1:port` answers `GET /v1/public-key` with 200.
fn answers(port: u16) -> bool {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET /v1/public-key HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut status = [0u8; 12];
    stream.read_exact(&mut status).is_ok() && status.ends_with(b" 200")
}
