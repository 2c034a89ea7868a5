//! Child processes that end with the test process: each is started from one
//! long-lived thread with a parent-death signal (set by util-linux's
//! `setpriv`), so a test binary that panics, exits or is killed takes its
//! servers with it; one dropped is stopped at once.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

/// A running child process, its output in a log file; stopped when dropped.
#[derive(Debug)]
pub struct Child {
    child: std::process::Child,
    log: PathBuf,
}

impl Child {
    /// The file its output goes to.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// Its process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// How it ended, if it has.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Kills it with `SIGKILL`, as a crash or the OOM killer would, and waits for it.
    pub fn kill(&mut self) {
        self.kill_with(rustix::process::Signal::KILL);
    }

    /// Kills it with `signal` and waits for it.
    pub fn kill_with(&mut self, signal: rustix::process::Signal) {
        if self.exited().is_none() {
            if let Some(pid) = rustix::process::Pid::from_raw(self.child.id() as i32) {
                let _ = rustix::process::kill_process(pid, signal);
            }
            let _ = self.child.wait();
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.kill_with(rustix::process::Signal::KILL);
    }
}

type Spawn = (Command, mpsc::Sender<std::io::Result<std::process::Child>>);

/// The thread every child is spawned from. The parent-death signal fires when
/// the spawning *thread* ends, so it must be one that lives as long as the process.
fn spawner() -> &'static Mutex<mpsc::Sender<Spawn>> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Spawn>>> = OnceLock::new();
    SPAWNER.get_or_init(|| {
        let (send, receive) = mpsc::channel::<Spawn>();
        std::thread::Builder::new()
            .name("testbed-spawner".into())
            .spawn(move || {
                for (mut command, answer) in receive {
                    let _ = answer.send(command.spawn());
                }
            })
            .expect("start the spawner thread");
        Mutex::new(send)
    })
}

/// Starts `command` with its output appended to `log`; it is sent `SIGKILL`
/// when the test process ends.
pub fn spawn(command: Command, log: &Path) -> Child {
    spawn_as(command, log, None)
}

/// [`spawn`], running as `user` (uid, gid) when given.
///
/// The program is started through util-linux's `setpriv`, which sets the
/// parent-death signal (and the user) and then runs it in its place.
pub fn spawn_as(command: Command, log: &Path, user: Option<(u32, u32)>) -> Child {
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap_or_else(|e| panic!("{}: {e}", log.display()));
    let mut wrapped = Command::new("setpriv");
    if let Some((uid, gid)) = user {
        wrapped.arg(format!("--reuid={uid}")).arg(format!("--regid={gid}")).arg("--clear-groups");
    }
    wrapped.arg("--pdeathsig=KILL").arg("--").arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    wrapped.stdin(std::process::Stdio::null());
    wrapped.stdout(out.try_clone().expect("clone the log file"));
    wrapped.stderr(out);
    let program = command.get_program().to_owned();
    let (answer, answered) = mpsc::channel();
    spawner().lock().unwrap_or_else(|p| p.into_inner()).send((wrapped, answer)).expect("the spawner runs");
    let child = answered
        .recv()
        .expect("the spawner answers")
        .unwrap_or_else(|e| panic!("start {} (through setpriv): {e}", program.to_string_lossy()));
    Child { child, log: log.to_owned() }
}

/// The full path of `program` in `PATH`, or in `~/.cargo/bin`.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin"));
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(cargo_bin)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
