//! What the server keeps, behind the [`Database`] trait: channels, releases,
//! enrolment codes, devices and their heartbeats, reported events, emergency
//! messages and what probing a blob found. [`SqliteDb`](crate::sqlite::SqliteDb)
//! is the embedded default; another backend (PostgreSQL) can implement the same
//! trait. Handlers share one [`Db`].

use std::sync::Arc;

use futures_util::future::BoxFuture;
use jiff::Timestamp;

/// The database every handler shares.
pub type Db = Arc<dyn Database>;

/// What a [`Database`] method returns.
pub type DbFuture<'a, T> = BoxFuture<'a, Result<T, DbError>>;

/// A failure of the database, naming the operation.
#[derive(Debug, thiserror::Error)]
#[error("server database: {context}: {source}")]
pub struct DbError {
    /// What was being done.
    pub context: &'static str,
    /// The backend's reason.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

/// A published release as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRelease {
    /// Its version.
    pub version: u64,
    /// The exact bytes of `manifest.json`.
    pub manifest: Vec<u8>,
    /// The 64-byte Ed25519 signature of those bytes.
    pub signature: Vec<u8>,
    /// SHA-256 of the manifest, hex.
    pub manifest_sha256: String,
}

/// A device as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct DeviceRow {
    /// Its id.
    pub id: String,
    /// The name it gave at enrolment.
    pub name: String,
    /// Its channel.
    pub channel: String,
    /// When it enrolled.
    pub enrolled_at: String,
    /// When it last sent a heartbeat.
    pub last_heartbeat_at: Option<String>,
    /// What that heartbeat said, as the device sent it.
    #[ts(as = "Option<kiosk_wire::Heartbeat>")]
    pub heartbeat: Option<serde_json::Value>,
    /// When its token expires (`null`: enrolled before tokens expired, and not
    /// seen since; it is given one when first used).
    pub token_expires_at: Option<String>,
    /// When staff revoked its token; `null` while it works.
    pub token_revoked_at: Option<String>,
}

/// A device token as its holder is checked: whose it is and whether it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceToken {
    /// The device's id.
    pub id: String,
    /// The channel it follows.
    pub channel: String,
    /// When the token expires ([`sortable_time`]).
    pub expires_at: String,
    /// When staff revoked it, if they did.
    pub revoked_at: Option<String>,
    /// `false` for the token a renewal replaced, which may only renew again
    /// (an answer lost on the way) until the new one is first used.
    pub current: bool,
}

/// What using an enrolment code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolment {
    /// The device is recorded, following this channel.
    Enrolled {
        /// The code's channel.
        channel: String,
    },
    /// No such code.
    UnknownCode,
    /// The code was used before, at this time.
    UsedCode {
        /// When.
        used_at: String,
    },
    /// The code expired (`None`: made before codes expired).
    ExpiredCode {
        /// When.
        expired_at: Option<String>,
    },
}

/// A device whose token was revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedDevice {
    /// Its name.
    pub name: String,
    /// Its channel.
    pub channel: String,
    /// When its token was revoked.
    pub revoked_at: String,
    /// Whether this call revoked it (`false`: it was revoked before).
    pub newly: bool,
}

/// A channel as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ChannelRow {
    /// Its name.
    pub name: String,
    /// Its newest release's version, if any.
    #[ts(type = "number | null")]
    pub version: Option<u64>,
    /// That release's manifest hash.
    pub manifest_sha256: Option<String>,
    /// When that release was published.
    pub published_at: Option<String>,
}

/// A release as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ReleaseRow {
    /// Its version.
    #[ts(type = "number")]
    pub version: u64,
    /// SHA-256 of its manifest.
    pub manifest_sha256: String,
    /// When it was published.
    pub published_at: String,
    /// How many blobs it lists.
    #[ts(type = "number")]
    pub blobs: u64,
}

/// A signed emergency message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEmergency {
    /// The exact signed bytes.
    pub message: Vec<u8>,
    /// The 64-byte signature.
    pub signature: Vec<u8>,
}

impl StoredEmergency {
    /// The message as it travels to screens.
    pub fn signed(&self) -> kiosk_wire::SignedEmergency {
        kiosk_wire::SignedEmergency::new(&self.message, &self.signature)
    }
}

/// Which reported events to read (`GET /v1/admin/events`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct EventQuery {
    /// Only this device's.
    #[ts(optional)]
    pub device: Option<String>,
    /// Only this kind.
    #[ts(optional)]
    pub kind: Option<String>,
    /// Only those at or after this time (RFC 3339).
    #[ts(optional, as = "Option<String>")]
    pub since: Option<jiff::Timestamp>,
    /// Only those before this time (RFC 3339).
    #[ts(optional, as = "Option<String>")]
    pub until: Option<jiff::Timestamp>,
    /// At most this many, oldest first (default and ceiling [`MAX_EVENTS_READ`]).
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// The most events one query answers.
pub const MAX_EVENTS_READ: u32 = 10_000;

/// A reported event as the admin API gives it back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct StoredEvent {
    /// The device's id for it.
    pub id: String,
    /// The device that sent it.
    pub device_id: String,
    /// What happened.
    pub kind: String,
    /// When it happened.
    pub at: String,
    /// Details.
    #[ts(type = "unknown")]
    pub data: serde_json::Value,
    /// When the server stored it.
    pub received_at: String,
}

/// How many visitors of a channel's screens gave one answer to a survey, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyCount {
    /// The survey's id.
    pub survey: String,
    /// The answer's id.
    pub option: String,
    /// The language the visitor used.
    pub locale: String,
    /// How many.
    pub count: u64,
}

/// A reported event to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// Unique id given by the device.
    pub id: String,
    /// What happened.
    pub kind: String,
    /// When, RFC 3339, by the device's clock.
    pub at: String,
    /// When by the server's clock ([`crate::reports::skew`]), as reports count it.
    pub counted_at: Timestamp,
    /// Details, JSON text.
    pub data: String,
}

/// RFC 3339 in UTC with nine fractional digits, so that stored times sort as
/// text in time order (`2026-12-01T10:00:00.500000000Z`).
pub fn sortable_time(at: Timestamp) -> String {
    format!("{}.{:09}Z", at.strftime("%Y-%m-%dT%H:%M:%S"), at.subsec_nanosecond().max(0))
}

/// Where the server keeps channels, releases, devices and what they report.
/// Every method is safe to call concurrently; what it wrote is durable when its
/// future completes. [`SqliteDb`](crate::sqlite::SqliteDb) is the embedded default.
pub trait Database: Send + Sync + std::fmt::Debug + 'static {
    /// Creates a channel; `false` when it exists already.
    fn create_channel(&self, name: String) -> DbFuture<'_, bool>;

    /// Whether a channel exists.
    fn channel_exists(&self, name: String) -> DbFuture<'_, bool>;

    /// Every channel with its newest release, by name.
    fn channels(&self) -> DbFuture<'_, Vec<ChannelRow>>;

    /// The newest release of a channel.
    fn latest_release(&self, channel: String) -> DbFuture<'_, Option<StoredRelease>>;

    /// Every release of a channel, newest first.
    fn releases(&self, channel: String) -> DbFuture<'_, Vec<ReleaseRow>>;

    /// The manifest bytes of one release.
    fn release_manifest(&self, channel: String, version: u64) -> DbFuture<'_, Option<Vec<u8>>>;

    /// The probe facts (JSON text) of a blob that decoded with `decoder` before.
    fn blob_probe(&self, sha256: String, decoder: String) -> DbFuture<'_, Option<String>>;

    /// Remembers that a blob decoded with `decoder`, and what it was.
    fn store_blob_probe(&self, sha256: String, decoder: String, probe: String) -> DbFuture<'_, ()>;

    /// Stores a signed emergency message (or withdrawal) for a channel.
    fn insert_emergency(
        &self,
        channel: String,
        emergency: StoredEmergency,
        issued_at: String,
    ) -> DbFuture<'_, ()>;

    /// The newest emergency message (or withdrawal) of a channel.
    fn latest_emergency(&self, channel: String) -> DbFuture<'_, Option<StoredEmergency>>;

    /// Reported events matching `query`, oldest first.
    fn events(&self, query: EventQuery) -> DbFuture<'_, Vec<StoredEvent>>;

    /// The `survey_answer` events of a channel's screens, counted by survey,
    /// answer and language.
    fn survey_counts(&self, channel: String) -> DbFuture<'_, Vec<SurveyCount>>;

    /// Stores a published release and the blobs it lists, `(sha256, media type)`.
    fn insert_release(
        &self,
        channel: String,
        release: StoredRelease,
        created_at: String,
        blobs: Vec<(String, String)>,
    ) -> DbFuture<'_, ()>;

    /// The media type of a blob listed by some release of `channel` (of any
    /// channel when `None`).
    fn listed_blob_type(&self, channel: Option<String>, sha256: String) -> DbFuture<'_, Option<String>>;

    /// Stores a new one-time enrolment code (by its hash) for a channel,
    /// usable until `expires_at` ([`sortable_time`]).
    fn insert_enrolment_code(
        &self,
        code_sha256: String,
        channel: String,
        expires_at: String,
    ) -> DbFuture<'_, ()>;

    /// Uses an enrolment code and records the device, its token good until
    /// `token_expires_at`, in one transaction; a code that is unknown, used or
    /// expired (by the database's clock) changes nothing.
    fn enrol(
        &self,
        code_sha256: String,
        device_id: String,
        name: String,
        token_sha256: String,
        token_expires_at: String,
    ) -> DbFuture<'_, Enrolment>;

    /// The device holding a token (its current one, or the one its last
    /// renewal replaced), by the token's hash. A token made before tokens
    /// expired is given `expires_if_unset`. Using the current token ends its
    /// predecessor.
    fn device_by_token(
        &self,
        token_sha256: String,
        expires_if_unset: String,
    ) -> DbFuture<'_, Option<DeviceToken>>;

    /// Gives a device a new token good until `expires_at`, in place of
    /// `old_token_sha256` (its current token, or the predecessor kept for a
    /// renewal whose answer was lost); `false` when the old token is neither,
    /// or the device's token was revoked.
    fn renew_device_token(
        &self,
        device_id: String,
        old_token_sha256: String,
        new_token_sha256: String,
        expires_at: String,
    ) -> DbFuture<'_, bool>;

    /// Revokes a device's token (and its predecessor) for good; `None` when
    /// there is no such device.
    fn revoke_device_token(&self, device_id: String) -> DbFuture<'_, Option<RevokedDevice>>;

    /// Every device, by name.
    fn devices(&self) -> DbFuture<'_, Vec<DeviceRow>>;

    /// Stores a report in one transaction, committed before it returns: the
    /// heartbeat (JSON text) if any, and the events not seen before.
    fn record_report(
        &self,
        device_id: String,
        heartbeat: Option<String>,
        events: Vec<EventRow>,
    ) -> DbFuture<'_, ()>;
}
