//! Start-up errors, and the JSON error answers of the API.
//!
//! Every refusal is `{"error": "<code>", "message": "<what to fix>"}` with a 4xx
//! status. Only failures of the server itself (disk, database) answer 500, and they
//! are logged with their cause while the client gets a generic message.

use std::path::PathBuf;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::blob_store::BlobStoreError;
use crate::db::DbError;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The data folder could not be made or read.
    #[error("data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The signing key could not be made or read.
    #[error("signing key: {0}")]
    Key(#[from] kiosk_authoring::keys::KeyFileError),
    /// The shared storage (PostgreSQL, S3) could not be used.
    #[error("storage: {0}")]
    Storage(String),
    /// Serving failed.
    #[error("serving HTTP: {0}")]
    Serve(std::io::Error),
}

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable code for programs.
    pub code: &'static str,
    /// What went wrong and what to fix.
    pub message: String,
}

/// The body of every error answer: `{"error": "<code>", "message": "<what to fix>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ApiErrorBody {
    /// A stable code for programs ([`ApiError::code`]).
    pub error: String,
    /// What went wrong and what to fix.
    pub message: String,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }

    /// `400` with this code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// `404` with this code.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// `401 unauthorized`.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send Authorization: Bearer <token> with a valid token",
        )
    }

    /// `500 internal`, logging the cause.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed; see its log")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody { error: self.code.to_owned(), message: self.message };
        (self.status, Json(body)).into_response()
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        Self::internal(&error)
    }
}

impl From<BlobStoreError> for ApiError {
    fn from(error: BlobStoreError) -> Self {
        match error {
            BlobStoreError::HashMismatch { expected, found } => Self::bad_request(
                "hash_mismatch",
                format!("the body's SHA-256 is {found}, not {expected} as the path says"),
            ),
            BlobStoreError::TooLarge { limit } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("blobs are limited to {limit} bytes"),
            ),
            BlobStoreError::Body(message) => Self::bad_request("bad_body", message),
            other @ (BlobStoreError::Io { .. } | BlobStoreError::ObjectStore { .. }) => {
                Self::internal(&other)
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let code = match &rejection {
            JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            JsonRejection::JsonDataError(_) => "invalid_json",
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            _ => "bad_body",
        };
        let status =
            if rejection.status().is_client_error() { rejection.status() } else { StatusCode::BAD_REQUEST };
        Self::new(status, code, rejection.body_text())
    }
}

/// The answer of every route: a value or an [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;
