//! The server's admin API over HTTP, as a publisher and an installer use it:
//! channels, blob uploads, releases, enrolment codes, enrolment, and the public
//! key screens pin (`crates/kiosk-server/src/admin.rs`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use ed25519_dalek::VerifyingKey;
use kiosk_core::blob::BlobId;
use reqwest::blocking::{Client, RequestBuilder, Response};

/// A published release: its version and the SHA-256 of its manifest.
#[derive(Debug, Clone)]
pub struct Published {
    /// The version the server gave it.
    pub version: u64,
    /// The ETag devices send back.
    pub manifest_sha256: String,
}

/// The admin API of one server.
#[derive(Debug, Clone)]
pub struct AdminApi {
    http: Client,
    base: String,
    token: String,
}

impl AdminApi {
    /// The API of the server at `base` (`http://host:port`), with the admin token.
    pub fn new(base: &str, token: &str) -> Result<Self> {
        let http = Client::builder().timeout(Duration::from_secs(120)).build()?;
        Ok(Self { http, base: base.trim_end_matches('/').to_owned(), token: token.to_owned() })
    }

    /// `http://host:port` of the server.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn admin(&self, request: RequestBuilder) -> RequestBuilder {
        request.bearer_auth(&self.token)
    }

    /// Waits up to `patience` for the server to answer, and returns the key it
    /// signs releases with (`GET /v1/public-key`).
    pub fn wait_for_public_key(&self, patience: Duration) -> Result<VerifyingKey> {
        let deadline = std::time::Instant::now() + patience;
        loop {
            match self.http.get(self.url("/v1/public-key")).send() {
                Ok(response) if response.status().is_success() => {
                    let text = response.text()?;
                    return kiosk_core::keys::parse_public_key(&text)
                        .map_err(|e| anyhow::anyhow!("the server's public key {text:?}: {e}"));
                }
                _ if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
                Ok(response) => bail!("{}: HTTP {}", self.url("/v1/public-key"), response.status()),
                Err(error) => bail!("{}: {error}", self.url("/v1/public-key")),
            }
        }
    }

    /// Creates the channel (nothing happens when it exists).
    pub fn create_channel(&self, name: &str) -> Result<()> {
        let url = self.url("/v1/admin/channels");
        let body = serde_json::json!({ "name": name }).to_string();
        expect_ok(
            self.admin(self.http.post(&url)).header("content-type", "application/json").body(body).send(),
            &url,
        )?;
        Ok(())
    }

    /// Uploads a blob unless the server has it already; returns whether it did.
    pub fn upload_blob(&self, id: &BlobId, bytes: Vec<u8>) -> Result<bool> {
        let url = self.url(&format!("/v1/admin/blobs/{id}"));
        if self.admin(self.http.get(&url)).send().is_ok_and(|r| r.status().is_success()) {
            return Ok(false);
        }
        expect_ok(self.admin(self.http.put(&url)).body(bytes).send(), &url)?;
        Ok(true)
    }

    /// Publishes a manifest (its blobs uploaded) on `channel`.
    pub fn publish(&self, channel: &str, manifest: Vec<u8>) -> Result<Published> {
        let url = self.url(&format!("/v1/admin/channels/{channel}/releases"));
        let response = expect_ok(
            self.admin(self.http.post(&url)).header("content-type", "application/json").body(manifest).send(),
            &url,
        )?;
        let answer: serde_json::Value = serde_json::from_str(&response.text()?)?;
        Ok(Published {
            version: answer["version"].as_u64().context("the publish answer has no version")?,
            manifest_sha256: answer["manifest_sha256"]
                .as_str()
                .context("the publish answer has no manifest_sha256")?
                .to_owned(),
        })
    }

    /// Makes a one-time enrolment code for `channel` and enrols a screen called
    /// `name` with it; returns the screen's device token.
    pub fn enrol(&self, channel: &str, name: &str) -> Result<String> {
        let url = self.url(&format!("/v1/admin/channels/{channel}/enrolment-codes"));
        let answer: serde_json::Value =
            serde_json::from_str(&expect_ok(self.admin(self.http.post(&url)).send(), &url)?.text()?)?;
        let code = answer["code"].as_str().context("the enrolment-code answer has no code")?;
        let url = self.url("/v1/enrol");
        let body = serde_json::json!({ "code": code, "name": name }).to_string();
        let answer: serde_json::Value = serde_json::from_str(
            &expect_ok(
                self.http.post(&url).header("content-type", "application/json").body(body).send(),
                &url,
            )?
            .text()?,
        )?;
        Ok(answer["token"].as_str().context("the enrolment answer has no token")?.to_owned())
    }

    /// Enrols `count` devices on `channel`, `parallel` at a time, named
    /// `<prefix>-0000` and on; their device tokens, in that order.
    pub fn enrol_many(
        &self,
        channel: &str,
        prefix: &str,
        count: usize,
        parallel: usize,
    ) -> Result<Vec<String>> {
        let next = AtomicUsize::new(0);
        let tokens: Mutex<Vec<Option<String>>> = Mutex::new(vec![None; count]);
        std::thread::scope(|scope| -> Result<()> {
            let workers: Vec<_> = (0..parallel.max(1))
                .map(|_| {
                    scope.spawn(|| -> Result<()> {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= count {
                                return Ok(());
                            }
                            let token = self.enrol(channel, &format!("{prefix}-{i:04}"))?;
                            tokens.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(token);
                        }
                    })
                })
                .collect();
            for worker in workers {
                worker.join().expect("an enrolment thread panicked")?;
            }
            Ok(())
        })?;
        Ok(tokens.into_inner().unwrap_or_else(|p| p.into_inner()).into_iter().flatten().collect())
    }
}

/// The response, or an error with the server's own words.
fn expect_ok(sent: reqwest::Result<Response>, url: &str) -> Result<Response> {
    let response = sent.with_context(|| format!("{url}: the server cannot be reached"))?;
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status();
    bail!("{url}: {status}: {}", response.text().unwrap_or_default())
}
