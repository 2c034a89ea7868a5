//! Download-and-verify throughput: `clients` threads fetch the release's blobs in
//! turn (`GET <base>/v1/blobs/<sha256>`) until a fixed number of bytes has been
//! fetched, reading each body in 256 KiB pieces into SHA-256 as a screen does and
//! checking size and hash against the blob's name. The same code runs against our
//! server and against nginx serving the same files, so the ratio compares the
//! servers.

use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Result, bail};
use kiosk_core::blob::{BlobHasher, BlobRef};

/// One timed run against one server.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Trial {
    /// `ours` or `nginx`.
    pub server: String,
    /// Bytes fetched and verified.
    pub bytes: u64,
    /// Blobs fetched and verified.
    pub blobs: u64,
    /// Wall time.
    pub seconds: f64,
    /// CPU seconds of the serving process(es) during the trial.
    pub server_cpu_seconds: f64,
}

impl Trial {
    /// Megabytes (10⁶ bytes) per second.
    pub fn mb_per_second(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

/// Fetches and verifies `blobs` in turn from `base` with `clients` threads until
/// `total` bytes have been fetched. Fails on the first wrong or missing blob.
pub fn fetch_and_verify(
    base: &str,
    token: &str,
    blobs: &[BlobRef],
    clients: usize,
    total: u64,
) -> Result<(u64, u64, f64)> {
    let (next, claimed) = (AtomicUsize::new(0), AtomicU64::new(0));
    let (bytes, count) = (AtomicU64::new(0), AtomicU64::new(0));
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let start = Instant::now();
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..clients.max(1) {
            let http = kiosk_device::sync_client::http_client(None);
            let (next, claimed, bytes, count, failure) = (&next, &claimed, &bytes, &count, &failure);
            scope.spawn(move || {
                let mut buffer = vec![0u8; 256 * 1024];
                loop {
                    let blob = &blobs[next.fetch_add(1, Ordering::Relaxed) % blobs.len()];
                    if claimed.fetch_add(blob.size, Ordering::Relaxed) >= total {
                        return;
                    }
                    match fetch_one(&http, base, token, blob, &mut buffer) {
                        Ok(()) => {
                            bytes.fetch_add(blob.size, Ordering::Relaxed);
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(reason) => {
                            *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(reason);
                            claimed.store(total, Ordering::Relaxed);
                            return;
                        }
                    }
                }
            });
        }
        Ok(())
    })?;
    let seconds = start.elapsed().as_secs_f64();
    if let Some(reason) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        bail!("{base}: {reason}");
    }
    Ok((bytes.into_inner(), count.into_inner(), seconds))
}

/// Fetches one blob and checks its size and SHA-256.
fn fetch_one(
    http: &reqwest::blocking::Client,
    base: &str,
    token: &str,
    blob: &BlobRef,
    buffer: &mut [u8],
) -> Result<(), String> {
    let url = format!("{base}/v1/blobs/{}", blob.sha256);
    let mut response = http.get(&url).bearer_auth(token).send().map_err(|e| format!("{url}: {e}"))?;
    if response.status().as_u16() != 200 {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let mut hasher = BlobHasher::new();
    loop {
        let n = response.read(buffer).map_err(|e| format!("{url}: {e}"))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    kiosk_core::verify::check_blob(blob, Some(&hasher.finish())).map_err(|r| format!("{url}: {r}"))
}
