//! Fetches a channel's current release from a server or a mirror
//! (`docs/device-api.md`) and activates it, only when it verified completely.
//!
//! One round, [`SyncClient::sync_once`]:
//! 1. ask for the manifest with the trusted one's ETag (`304`: nothing to do);
//! 2. verify it against the pinned keys before fetching anything (a forged,
//!    rolled-back, expired or foreign manifest costs one request, and the
//!    screen keeps playing what it plays);
//! 3. open the library's door for the channel ([`Library::stage`]), plan what
//!    the pool lacks (`kiosk_core::sync::plan_fetch`) and fetch it, a few
//!    blobs at a time, resuming partial files with `Range`; each blob is
//!    admitted as it comes ([`crate::library::Staging::admit`]: size and
//!    SHA-256 checked, synced, renamed into the pool); a corrupt one is
//!    fetched again once, then the round fails;
//! 4. when every blob is in the pool, commit the release through the same
//!    door (checked against what is trusted now, stored and trusted; blobs
//!    already held are not hashed again) and activate it by one rename.
//!
//! A kill at any moment leaves the old release active and whole (new blobs in
//! the pool are not listed by it, and are collected later) or the new one.
//! A cut connection leaves partial files in `<data_dir>/incoming/.sync-<channel>/`;
//! the next round resumes them.

use std::collections::VecDeque;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use kiosk_core::blob::{BlobId, BlobRef};
use kiosk_core::sync::plan_fetch;
use kiosk_core::verify::{Rejection, TrustPolicy, verify_manifest};

use kiosk_wire::headers::{MANIFEST_SIGNATURE_HEADER, MESSAGE_SIGNATURE_HEADER};
use kiosk_wire::{Heartbeat, Report, SignedEmergency, paths};

use crate::library::{ActiveRelease, Library, LibraryError, Staging, Trust};
use crate::store::Store;

/// The most events kept in a screen's outbox (weeks offline on a busy booth).
pub const OUTBOX_MAX_EVENTS: usize = 2_000_000;

/// How long uploaded events stay in the outbox.
pub const OUTBOX_KEEP_UPLOADED: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 30);

/// Events sent in one report.
pub const UPLOAD_BATCH: usize = 500;

/// Releases of a channel kept on disk (the newest, and those to fall back on).
pub const KEEP_RELEASES: usize = 3;

/// The largest manifest accepted, as for bundles on disk.
const MAX_MANIFEST_BYTES: u64 = 8 * 1024 * 1024;

/// Where releases come from.
#[derive(Debug, Clone)]
pub struct SyncSource {
    /// `http://host:port` of a server or a mirror, without a trailing `/`.
    pub base_url: String,
    /// The device token (a mirror needs none).
    pub token: Option<String>,
    /// The server certificate or CA trusted for `https://` (none: plain HTTP).
    pub server_certificate: Option<kiosk_tls::PinnedServer>,
}

impl SyncSource {
    /// A plain HTTP source: `base_url` and an optional device token.
    pub fn plain(base_url: impl Into<String>, token: Option<String>) -> Self {
        Self { base_url: base_url.into(), token, server_certificate: None }
    }

    /// An HTTP client for this source ([`http_client`]).
    pub fn http_client(&self) -> reqwest::blocking::Client {
        http_client(self.server_certificate.as_ref())
    }
}

/// What a round did.
#[derive(Debug)]
pub enum SyncOutcome {
    /// The source has nothing newer than what is trusted.
    UpToDate,
    /// The source has no release of this channel.
    NothingPublished,
    /// A new release verified completely and is now active.
    Activated {
        /// It.
        release: Box<ActiveRelease>,
        /// Blobs fetched.
        fetched: usize,
        /// Bytes of the blobs fetched.
        bytes: u64,
        /// Bytes received over the network (less than `bytes` when partial
        /// files were resumed).
        transferred: u64,
    },
}

/// Why a round failed; the release on screen stays.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The source could not be reached or the connection broke.
    #[error("{url}: {reason}")]
    Network {
        /// What was asked.
        url: String,
        /// Why it failed.
        reason: String,
    },
    /// The source answered with an error.
    #[error("{url}: HTTP {status}: {body}")]
    Status {
        /// What was asked.
        url: String,
        /// The status.
        status: u16,
        /// Its explanation.
        body: String,
    },
    /// The manifest was refused.
    #[error("manifest from {url} refused: {rejection}")]
    Refused {
        /// Where it came from.
        url: String,
        /// Why.
        rejection: Rejection,
    },
    /// A blob came twice with the wrong bytes.
    #[error("blob {id} from {url} is corrupt: {reason}")]
    CorruptBlob {
        /// The blob.
        id: BlobId,
        /// Where from.
        url: String,
        /// What was wrong.
        reason: String,
    },
    /// The library refused the release or the disk failed.
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// Disk I/O failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SyncError + '_ {
    move |source| SyncError::Io { path: path.to_owned(), source }
}

/// Fetches releases from one source.
#[derive(Debug, Clone)]
pub struct SyncClient {
    http: reqwest::blocking::Client,
    source: SyncSource,
    /// Blobs fetched at once.
    pub parallel: usize,
}

impl SyncClient {
    /// A client for `source` with its own connections ([`http_client`]).
    pub fn new(source: SyncSource) -> Self {
        let http = source.http_client();
        Self::with_http(source, http)
    }

    /// A client for `source` sharing `http`'s connections (and its thread).
    pub fn with_http(source: SyncSource, http: reqwest::blocking::Client) -> Self {
        Self { http, source, parallel: 4 }
    }

    fn get(&self, url: &str) -> reqwest::blocking::RequestBuilder {
        let request = self.http.get(url);
        match &self.source.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// One round: fetch, verify and activate the current release of the trusted
    /// channel, if it is new.
    pub fn sync_once(
        &self,
        library: &Library,
        trust: &Trust,
        now: Timestamp,
    ) -> Result<SyncOutcome, SyncError> {
        let url = format!("{}{}", self.source.base_url, paths::manifest(&trust.channel));
        let trusted = library.store().trusted_release(&trust.channel).map_err(LibraryError::from)?;
        // A round stopped between trusting a release and activating it (a kill,
        // a disk error) is finished by the next: it asks for the whole manifest.
        let trusted_is_active = trusted.as_ref().is_some_and(|t| {
            library
                .active_pointer()
                .is_some_and(|(channel, version)| channel == trust.channel && version == t.version)
        });
        let mut request = self.get(&url);
        if let Some(current) = trusted.as_ref().filter(|_| trusted_is_active) {
            request = request.header("if-none-match", format!("\"{}\"", current.manifest_sha256));
        }
        let network = |e: reqwest::Error| SyncError::Network { url: url.clone(), reason: with_causes(&e) };
        let response = request.send().map_err(network)?;
        match response.status().as_u16() {
            304 => return Ok(SyncOutcome::UpToDate),
            404 => return Ok(SyncOutcome::NothingPublished),
            200 => {}
            status => {
                let body = error_body(response);
                return Err(SyncError::Status { url, status, body });
            }
        }
        let signature = response
            .headers()
            .get(MANIFEST_SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| hex::decode(v).ok())
            .unwrap_or_default();
        let mut manifest_bytes = Vec::new();
        response
            .take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut manifest_bytes)
            .map_err(|e| SyncError::Network { url: url.clone(), reason: with_causes(&e) })?;

        let policy =
            TrustPolicy { keys: &trust.keys, channel: &trust.channel, trusted: trusted.as_ref(), now };
        let verified = verify_manifest(&manifest_bytes, &signature, &policy)
            .map_err(|rejection| SyncError::Refused { url: url.clone(), rejection })?;
        if trusted_is_active
            && trusted.as_ref().is_some_and(|t| t.manifest_sha256 == verified.manifest_sha256)
        {
            return Ok(SyncOutcome::UpToDate);
        }
        let manifest = &verified.manifest;

        let staging = library.stage(&trust.channel)?;
        let plan = plan_fetch(manifest, &staging.held(manifest));
        let queue: Mutex<VecDeque<&BlobRef>> = Mutex::new(plan.fetch.iter().copied().collect());
        let failures: Mutex<Vec<SyncError>> = Mutex::new(Vec::new());
        let transferred = AtomicU64::new(0);
        let fetch_all = || {
            loop {
                let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
                let Some(blob) = next else { break };
                match self.fetch_blob(blob, &staging) {
                    Ok(received) => {
                        transferred.fetch_add(received, Ordering::Relaxed);
                    }
                    Err(error) => {
                        failures.lock().unwrap_or_else(|p| p.into_inner()).push(error);
                        queue.lock().unwrap_or_else(|p| p.into_inner()).clear();
                    }
                }
            }
        };
        // A few blobs at once; one (a typical change) without a thread of its own.
        match self.parallel.min(plan.fetch.len()) {
            0 | 1 => fetch_all(),
            workers => std::thread::scope(|scope| {
                for _ in 0..workers {
                    scope.spawn(fetch_all);
                }
            }),
        }
        if let Some(error) = failures.into_inner().unwrap_or_else(|p| p.into_inner()).into_iter().next() {
            return Err(error);
        }

        let (fetched, bytes) = (plan.fetch.len(), plan.bytes);
        tracing::info!(
            channel = trust.channel,
            version = manifest.version,
            fetched,
            "blobs complete; activating"
        );
        let changing = library.lock()?;
        let release = staging.commit(library, verified, &trust.keys, now, &changing)?;
        library.activate(&release)?;
        match library.collect(&trust.channel, release.manifest.version, KEEP_RELEASES) {
            Ok(collected) if collected.releases + collected.blobs > 0 => {
                tracing::info!(
                    releases = collected.releases,
                    blobs = collected.blobs,
                    "old releases collected"
                )
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "old releases not collected"),
        }
        tracing::info!(
            channel = trust.channel,
            version = release.manifest.version,
            fetched,
            bytes,
            "release synced and active"
        );
        Ok(SyncOutcome::Activated {
            release: Box::new(release),
            fetched,
            bytes,
            transferred: transferred.into_inner(),
        })
    }

    /// Sends the outbox to the server (`POST /v1/reports`) in batches, with
    /// `heartbeat` on the first, marking each batch uploaded once the server has
    /// answered that it is durable. Returns how many events went; a batch that
    /// fails stays in the outbox and goes again next time (the server counts an
    /// event id once).
    pub fn upload_outbox(
        &self,
        store: &mut Store,
        heartbeat: Heartbeat,
        now: Timestamp,
    ) -> Result<usize, SyncError> {
        let url = format!("{}{}", self.source.base_url, paths::reports());
        let mut sent = 0;
        let mut heartbeat = Some(heartbeat);
        loop {
            let events = store.pending_events(UPLOAD_BATCH).map_err(LibraryError::from)?;
            if events.is_empty() && heartbeat.is_none() {
                return Ok(sent);
            }
            let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
            let (count, body) = (events.len(), Report { heartbeat: heartbeat.take(), events });
            let body = serde_json::to_string(&body).expect("a report serializes");
            let mut request = self.http.post(&url).header("content-type", "application/json");
            if let Some(token) = &self.source.token {
                request = request.bearer_auth(token);
            }
            let response = request
                .body(body)
                .send()
                .map_err(|e| SyncError::Network { url: url.clone(), reason: with_causes(&e) })?;
            let status = response.status().as_u16();
            if status != 200 {
                let body = error_body(response);
                return Err(SyncError::Status { url, status, body });
            }
            store.mark_uploaded(&ids, now).map_err(LibraryError::from)?;
            sent += ids.len();
            if count < UPLOAD_BATCH {
                return Ok(sent);
            }
        }
    }

    /// The channel's newest emergency message or withdrawal (`GET
    /// /v1/channels/{channel}/emergency`), unverified, with the server's clock
    /// from the answer's `Date`; `None` when there never was one (or the source
    /// keeps none, as a mirror).
    pub fn fetch_emergency(
        &self,
        channel: &str,
    ) -> Result<Option<(SignedEmergency, Option<Timestamp>)>, SyncError> {
        let url = format!("{}{}", self.source.base_url, paths::emergency(channel));
        let network =
            |e: &dyn std::error::Error| SyncError::Network { url: url.clone(), reason: with_causes(e) };
        let response = self.get(&url).send().map_err(|e| network(&e))?;
        match response.status().as_u16() {
            200 => {}
            404 => return Ok(None),
            status => return Err(SyncError::Status { url: url.clone(), status, body: error_body(response) }),
        }
        let server_date = server_date(response.headers());
        let signature = response
            .headers()
            .get(MESSAGE_SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut message = String::new();
        response.take(64 * 1024).read_to_string(&mut message).map_err(|e| network(&e))?;
        Ok(Some((SignedEmergency { message, signature }, server_date)))
    }

    /// Fetches one blob into its staging file, resuming a partial one, and
    /// admits it into the pool; a corrupt one is fetched once more from the
    /// start. Returns the bytes received.
    fn fetch_blob(&self, blob: &BlobRef, staging: &Staging) -> Result<u64, SyncError> {
        let url = format!("{}{}", self.source.base_url, paths::blob(&blob.sha256));
        let partial = staging.partial_file(blob);
        let mut last = String::new();
        let mut received = 0;
        for attempt in 0..2 {
            if attempt > 0 {
                tracing::warn!(blob = %blob.sha256, url, reason = last, "corrupt blob: fetching it again");
                let _ = std::fs::remove_file(&partial);
            }
            received += self.download(&url, blob.size, &partial)?;
            match staging.admit(&partial, blob) {
                Ok(()) => return Ok(received),
                Err(LibraryError::Bundle(refused)) => {
                    last = refused.rejection().map_or_else(|| refused.to_string(), ToString::to_string)
                }
                Err(error) => return Err(error.into()),
            }
        }
        let _ = std::fs::remove_file(&partial);
        Err(SyncError::CorruptBlob { id: blob.sha256.clone(), url, reason: last })
    }

    /// Appends the rest of `url` to `partial` (from its current length); returns
    /// the bytes received.
    fn download(&self, url: &str, size: u64, partial: &Path) -> Result<u64, SyncError> {
        let have = std::fs::metadata(partial).map(|m| m.len()).unwrap_or(0);
        let have = if have > size { 0 } else { have };
        if have == size && size > 0 {
            // Complete from an earlier round, perhaps never synced before a kill.
            OpenOptions::new().write(true).open(partial).and_then(|f| f.sync_all()).map_err(io(partial))?;
            return Ok(0);
        }
        let mut request = self.get(url);
        if have > 0 {
            let id = url.rsplit('/').next().unwrap_or_default();
            request =
                request.header("range", format!("bytes={have}-")).header("if-range", format!("\"{id}\""));
        }
        let network =
            |e: &dyn std::error::Error| SyncError::Network { url: url.to_owned(), reason: with_causes(e) };
        let response = send_patiently(request).map_err(|e| network(&e))?;
        let append = match response.status().as_u16() {
            206 => true,
            200 => false,
            status => {
                let body = error_body(response);
                return Err(SyncError::Status { url: url.to_owned(), status, body });
            }
        };
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(partial)
            .map_err(io(partial))?;
        let limit = size - if append { have } else { 0 } + 1;
        let mut body = response.take(limit);
        let mut buffer = vec![0u8; 64 * 1024];
        let mut received = 0;
        loop {
            let n = body.read(&mut buffer).map_err(|e| network(&e))?;
            if n == 0 {
                break;
            }
            file.write_all(&buffer[..n]).map_err(io(partial))?;
            received += n as u64;
        }
        file.sync_all().map_err(io(partial))?;
        Ok(received)
    }
}

/// An HTTP client with short connect and read timeouts (a read that waits a
/// minute means a dead connection), trusting only `pinned` over TLS when given.
pub fn http_client(pinned: Option<&kiosk_tls::PinnedServer>) -> reqwest::blocking::Client {
    // A connection idle for 20 s is not used again: servers and load balancers
    // close idle ones after 30 s or more (HAProxy's keep-alive timeout is 30 s),
    // and a request sent on one just as it closes fails.
    let mut builder = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .pool_idle_timeout(Duration::from_secs(20));
    if let Some(pinned) = pinned {
        builder = builder.tls_backend_preconfigured(pinned.client_config());
    }
    builder.build().expect("an HTTP client builds")
}

/// Times a request answered `429 Too Many Requests` is sent again.
const RETRIES_WHEN_TOO_MANY: u32 = 5;
/// The longest wait a `Retry-After` is followed for.
const LONGEST_RETRY_AFTER: Duration = Duration::from_secs(10);

/// Sends `request`; answered `429 Too Many Requests` (a mirror or server busy
/// with the booth's other screens), waits as its `Retry-After` says (1 s when
/// it says nothing, 10 s at most) and sends it again, a few times, before
/// handing the `429` on.
fn send_patiently(
    mut request: reqwest::blocking::RequestBuilder,
) -> reqwest::Result<reqwest::blocking::Response> {
    let mut tries = 0;
    loop {
        let again = request.try_clone();
        let response = request.send()?;
        let Some(again) = again.filter(|_| {
            response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS && tries < RETRIES_WHEN_TOO_MANY
        }) else {
            return Ok(response);
        };
        let wait = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
            .map_or(Duration::from_secs(1), Duration::from_secs)
            .min(LONGEST_RETRY_AFTER);
        tracing::debug!(url = %response.url(), ?wait, "too many requests: waiting, then asking again");
        std::thread::sleep(wait);
        tries += 1;
        request = again;
    }
}

/// An error with the errors beneath it ("error sending request: … invalid
/// peer certificate: UnknownIssuer"), so a log line says what went wrong.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let said = inner.to_string();
        if !text.contains(&said) {
            text = format!("{text}: {said}");
        }
        cause = inner.source();
    }
    text
}

/// The start of an error answer, read no further (the source is not trusted).
fn error_body(response: reqwest::blocking::Response) -> String {
    let mut text = String::new();
    let _ = response.take(4096).read_to_string(&mut text);
    text.chars().take(300).collect()
}

/// The time an answer's `Date` header gives (the server's clock, to the
/// second), if it has a readable one.
pub fn server_date(headers: &reqwest::header::HeaderMap) -> Option<Timestamp> {
    let text = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    jiff::fmt::rfc2822::parse(text).ok().map(|zoned| zoned.timestamp())
}

/// How far the server's clock is ahead of `clock` by an answer's `Date`
/// ([`server_date`]) read now.
pub fn server_ahead(
    server_date: Option<Timestamp>,
    clock: &crate::clock::DeviceClock,
) -> Option<jiff::SignedDuration> {
    server_date.map(|date| date.duration_since(clock.now()))
}
