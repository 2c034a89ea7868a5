//! Conditional manifest requests: what a fleet's polls cost the server when
//! nothing changed. A pool of client threads sends `GET
//! /v1/channels/{channel}/manifest` with `If-None-Match: "<current ETag>"`, each
//! request with the next screen's token in turn (so every token is checked), for
//! a fixed time, and counts the `304 Not Modified` answers.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;

/// What the pool got.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Conditional {
    /// Client threads.
    pub clients: usize,
    /// How long they asked.
    pub seconds: f64,
    /// `304` answers.
    pub not_modified: u64,
    /// Any other answer, or a failed request.
    pub other: u64,
}

impl Conditional {
    /// `304` answers per second.
    pub fn per_second(&self) -> f64 {
        self.not_modified as f64 / self.seconds.max(1e-9)
    }
}

/// Asks for `channel`'s manifest with `etag` from `clients` threads for `duration`.
pub fn run(
    base: &str,
    channel: &str,
    tokens: &[String],
    etag: &str,
    clients: usize,
    duration: Duration,
) -> Result<Conditional> {
    let url = format!("{base}/v1/channels/{channel}/manifest");
    let if_none_match = format!("\"{etag}\"");
    let (not_modified, other, next) = (AtomicU64::new(0), AtomicU64::new(0), AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + duration;
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..clients.max(1) {
            let http = kiosk_device::sync_client::http_client(None);
            let (url, if_none_match) = (&url, &if_none_match);
            let (not_modified, other, next) = (&not_modified, &other, &next);
            scope.spawn(move || {
                while Instant::now() < deadline {
                    let token = &tokens[next.fetch_add(1, Ordering::Relaxed) % tokens.len()];
                    let answer =
                        http.get(url).bearer_auth(token).header("if-none-match", if_none_match).send();
                    match answer {
                        Ok(response) if response.status().as_u16() == 304 => {
                            not_modified.fetch_add(1, Ordering::Relaxed)
                        }
                        _ => other.fetch_add(1, Ordering::Relaxed),
                    };
                }
            });
        }
        Ok(())
    })?;
    Ok(Conditional {
        clients,
        seconds: start.elapsed().as_secs_f64(),
        not_modified: not_modified.into_inner(),
        other: other.into_inner(),
    })
}
