//! CPU time and memory of a process, and the machine's busy time, from `/proc`.
//!
//! CPU time is `utime + stime` of `/proc/<pid>/stat` (all threads); memory is
//! `VmRSS` and `VmHWM` (the peak resident size) of `/proc/<pid>/status`. The peak
//! is reset by writing `5` to `/proc/<pid>/clear_refs`, so that it covers one
//! phase only.

use std::sync::OnceLock;

use anyhow::{Context, Result};

/// One reading of a process.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessSample {
    /// User and system CPU seconds since it started.
    pub cpu_seconds: f64,
    /// Resident memory now, in KiB.
    pub rss_kib: u64,
    /// Peak resident memory since it started or since [`reset_peak`], in KiB.
    pub peak_kib: u64,
}

/// Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`, else 100).
fn ticks_per_second() -> f64 {
    static TICKS: OnceLock<f64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok()?.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Reads process `pid` (`"self"` for this one).
pub fn sample(pid: &str) -> Result<ProcessSample> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat: is the process running?"))?;
    // Fields after the command name, which ends with the last ')': state is
    // field 3, utime 14 and stime 15.
    let rest = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    Ok(ProcessSample {
        cpu_seconds: (ticks(11) + ticks(12)) / ticks_per_second(),
        rss_kib: kib("VmRSS:"),
        peak_kib: kib("VmHWM:"),
    })
}

/// Starts a new peak for process `pid`'s `VmHWM`: from now on it is the peak
/// since this call. Fails without the right to write its `clear_refs`.
pub fn reset_peak(pid: &str) -> Result<()> {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5")
        .with_context(|| format!("resetting the peak memory of process {pid}"))
}

/// CPU seconds the whole machine spent busy (all cores, not idle or waiting on
/// the disk) since it started, from `/proc/stat`.
pub fn machine_busy_seconds() -> f64 {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let numbers: Vec<f64> = text
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .take(8)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: f64 = numbers.iter().sum();
    let idle = numbers.get(3).copied().unwrap_or(0.0) + numbers.get(4).copied().unwrap_or(0.0);
    (total - idle) / ticks_per_second()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let mut spin = 0u64;
        for i in 0..20_000_000u64 {
            spin = spin.wrapping_add(i * i);
        }
        assert!(spin > 0);
        let me = sample("self").unwrap();
        assert!(me.rss_kib > 0 && me.peak_kib >= me.rss_kib, "{me:?}");
        assert!(me.cpu_seconds >= 0.0);
        assert!(machine_busy_seconds() > 0.0);
    }
}
