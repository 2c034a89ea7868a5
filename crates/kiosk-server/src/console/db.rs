//! What the console keeps, behind the [`StaffDb`] trait: staff and their roles,
//! sessions, the append-only audit log, the media library, resumable uploads
//! and each channel's draft. [`SqliteDb`](crate::sqlite::SqliteDb) implements it
//! in the same file as the fleet's records.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::db::DbFuture;

/// The staff database every console handler shares.
pub type Staff = Arc<dyn StaffDb>;

/// What a staff member may do on a channel; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "console/src/generated/")]
pub enum Role {
    /// Reads drafts, reviews, releases, the library and the audit log.
    Viewer,
    /// Also uploads media, changes drafts and submits them for review.
    Editor,
    /// Also approves (publishes), sends back and rolls back.
    Approver,
}

impl Role {
    /// Its name as the API writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Approver => "approver",
        }
    }
}

/// A role on one channel, or on every channel (`"*"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct RoleGrant {
    /// A channel's name, or `*` for every channel.
    pub channel: String,
    /// The role.
    pub role: Role,
}

/// A staff member as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// The name they sign in with.
    pub name: String,
    /// The Argon2id hash of their password (PHC string).
    pub password_hash: String,
    /// Whether they administer users, channels and devices.
    pub is_admin: bool,
    /// Their roles.
    pub roles: Vec<RoleGrant>,
    /// When they were added.
    pub created_at: String,
    /// Wrong passwords since the last right one or lock.
    pub failed_logins: u32,
    /// Until when sign-in is refused, after too many wrong passwords.
    pub locked_until: Option<String>,
}

/// A session as stored (the cookie's value is kept only as its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// SHA-256 of the cookie's value, hex.
    pub id_sha256: String,
    /// Whose it is.
    pub user: String,
    /// The token every changing request must echo in `X-CSRF-Token`.
    pub csrf_token: String,
    /// When it began.
    pub created_at: String,
    /// When it ends.
    pub expires_at: String,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct AuditEntry {
    /// Its place in the log, increasing.
    #[ts(type = "number")]
    pub id: i64,
    /// When.
    pub at: String,
    /// Who: a staff member's name, or `admin-token`.
    pub actor: String,
    /// What, as a code (`draft.approve`, `session.sign_in_failed`, …).
    pub action: String,
    /// The channel it concerned, if any.
    pub channel: Option<String>,
    /// What exactly, in words.
    pub detail: String,
    /// From which address.
    pub remote: Option<String>,
}

/// Which audit lines to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct AuditQuery {
    /// Only this channel's.
    #[ts(optional)]
    pub channel: Option<String>,
    /// Only this person's.
    #[ts(optional)]
    pub actor: Option<String>,
    /// At most this many, newest first (default and ceiling 1,000).
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// A file of the media library as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRow {
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The name it was uploaded under.
    pub name: String,
    /// Its media type (`video/mp4`, …).
    pub media_type: String,
    /// Its length in bytes.
    pub size: u64,
    /// Picture width.
    pub width: Option<u32>,
    /// Picture height.
    pub height: Option<u32>,
    /// Length of a film or sound.
    pub duration_ms: Option<u64>,
    /// Whether a film has sound.
    pub has_audio: bool,
    /// Who uploaded it (`release` for files that came with a published release).
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: String,
}

/// An upload in progress; its bytes so far are a file in the data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRow {
    /// Its id.
    pub id: String,
    /// The file's name.
    pub name: String,
    /// Its full length.
    pub size: u64,
    /// Who is uploading it.
    pub owner: String,
    /// When it began.
    pub created_at: String,
}

/// A channel's draft as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    /// The channel.
    pub channel: String,
    /// Goes up by one with every save.
    pub revision: u64,
    /// The live version it started from (0: none).
    pub base_version: u64,
    /// `editing` or `in_review`.
    pub state: String,
    /// The content pack, JSON text.
    pub content: String,
    /// Who saved it last.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
    /// Who submitted it for review.
    pub submitted_by: Option<String>,
    /// When.
    pub submitted_at: Option<String>,
    /// The submitter's or the approver's note.
    pub note: Option<String>,
    /// Everyone who changed it since it started.
    pub editors: Vec<String>,
}

/// A token for automation, scoped like a staff member's roles (never admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ApiToken {
    /// What it is for, e.g. `nightly-publisher`; it acts as `token:<name>`.
    pub name: String,
    /// What it may do.
    pub roles: Vec<RoleGrant>,
    /// Who made it.
    pub created_by: String,
    /// When.
    pub created_at: String,
}

/// The console's records. Every method is safe to call concurrently; what it
/// wrote is durable when its future completes.
pub trait StaffDb: Send + Sync + std::fmt::Debug + 'static {
    /// Adds a staff member; `false` when the name is taken.
    fn insert_user(&self, user: UserRow) -> DbFuture<'_, bool>;

    /// A staff member by name.
    fn user(&self, name: String) -> DbFuture<'_, Option<UserRow>>;

    /// Every staff member, by name.
    fn users(&self) -> DbFuture<'_, Vec<UserRow>>;

    /// Replaces a member's admin flag, roles and (when given) password hash;
    /// `false` when there is no such member.
    fn update_user(
        &self,
        name: String,
        is_admin: bool,
        roles: Vec<RoleGrant>,
        password_hash: Option<String>,
    ) -> DbFuture<'_, bool>;

    /// Sets the count of wrong passwords and the lock.
    fn set_login_state(
        &self,
        name: String,
        failed_logins: u32,
        locked_until: Option<String>,
    ) -> DbFuture<'_, ()>;

    /// Stores a new session.
    fn insert_session(&self, session: SessionRow) -> DbFuture<'_, ()>;

    /// A session by the SHA-256 of its cookie.
    fn session(&self, id_sha256: String) -> DbFuture<'_, Option<SessionRow>>;

    /// Ends a session.
    fn delete_session(&self, id_sha256: String) -> DbFuture<'_, ()>;

    /// Appends a line to the audit log (the log is never changed otherwise).
    fn append_audit(&self, entry: AuditEntry) -> DbFuture<'_, ()>;

    /// Audit lines, newest first; `channels` limits them to those channels' and
    /// lines of no channel, unless `None`.
    fn audit(&self, query: AuditQuery, channels: Option<Vec<String>>) -> DbFuture<'_, Vec<AuditEntry>>;

    /// Adds a file to the library, or keeps the one there; `true` when added.
    fn insert_media(&self, media: MediaRow) -> DbFuture<'_, bool>;

    /// Every file of the library, newest first.
    fn media(&self) -> DbFuture<'_, Vec<MediaRow>>;

    /// One file of the library.
    fn media_item(&self, sha256: String) -> DbFuture<'_, Option<MediaRow>>;

    /// The thumbnail kept for a file.
    fn thumbnail(&self, sha256: String) -> DbFuture<'_, Option<Vec<u8>>>;

    /// Keeps a thumbnail for a file.
    fn store_thumbnail(&self, sha256: String, png: Vec<u8>) -> DbFuture<'_, ()>;

    /// Records an upload that begins.
    fn insert_upload(&self, upload: UploadRow) -> DbFuture<'_, ()>;

    /// An upload in progress.
    fn upload(&self, id: String) -> DbFuture<'_, Option<UploadRow>>;

    /// Forgets an upload (finished or refused).
    fn delete_upload(&self, id: String) -> DbFuture<'_, ()>;

    /// Stores a token (by its SHA-256); `false` when the name is taken.
    fn insert_api_token(&self, token: ApiToken, token_sha256: String) -> DbFuture<'_, bool>;

    /// The token with this SHA-256.
    fn api_token(&self, token_sha256: String) -> DbFuture<'_, Option<ApiToken>>;

    /// Every token, by name.
    fn api_tokens(&self) -> DbFuture<'_, Vec<ApiToken>>;

    /// Revokes a token; `false` when there is none of that name.
    fn delete_api_token(&self, name: String) -> DbFuture<'_, bool>;

    /// A channel's draft.
    fn draft(&self, channel: String) -> DbFuture<'_, Option<DraftRow>>;

    /// Stores a draft if the stored one still has revision `expected` (`None`:
    /// if there is none); `false` when someone else saved in between.
    fn save_draft(&self, draft: DraftRow, expected: Option<u64>) -> DbFuture<'_, bool>;
}
