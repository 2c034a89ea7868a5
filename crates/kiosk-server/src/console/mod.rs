//! The staff console's side of the server: WTC staff sign in, upload media,
//! edit each channel's draft, submit it, and approvers publish it; every step
//! goes into an append-only audit log. `docs/console-api.md` describes the
//! routes; the browser application is `ui/console`, served at `/console/`.
//!
//! - [`db`]: what the console keeps, behind the [`db::StaffDb`] trait; [`sqlite`]
//!   implements it on the embedded database.
//! - [`password`]: Argon2id hashes and the lock after wrong passwords.
//! - [`principal`]: who is asking (session cookie and CSRF token, or the admin
//!   token, or a scoped token) and what their roles allow.
//! - [`session`]: signing in and out.
//! - [`users`]: staff accounts.
//! - [`tokens`]: tokens for automation, scoped by roles.
//! - [`audit`]: the audit log.
//! - [`uploads`]: resumable uploads, checked before they join the library.
//! - [`media`]: the media library, thumbnails, QR codes.
//! - [`draft_flow`]: a draft's steps from editing to review to release (pure).
//! - [`drafts`]: drafts, review, approval and publishing.
//! - [`surveys`]: what visitors answered to the kiosks' surveys.
//! - [`files`]: the console's files.

pub mod audit;
pub mod db;
pub mod draft_flow;
pub mod drafts;
pub mod files;
pub mod media;
pub mod password;
pub mod principal;
pub mod session;
pub mod sqlite;
pub mod surveys;
pub mod tokens;
pub mod uploads;
pub mod users;
