//! Extractors that refuse bad input with the API's JSON errors.
//!
//! Path values are checked before a handler sees them: a channel is a slug, a blob
//! name is 64 lowercase hex digits (so `..`, encoded slashes and other path tricks
//! never reach the disk). JSON bodies must be `application/json` and match their
//! type exactly (`deny_unknown_fields` on every request type).

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use kiosk_core::blob::BlobId;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body, refused with `{"error","message"}` when it is not one.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(request, state).await.map(|Json(value)| Self(value)).map_err(ApiError::from)
    }
}

/// The `{channel}` of a route: a slug (lowercase letters, digits, `-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelName(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ChannelName {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(name)) if kiosk_core::content::is_slug(&name) => Ok(Self(name)),
            _ => Err(ApiError::not_found(
                "no_channel",
                "channel names are lowercase letters, digits and '-'; no such channel",
            )),
        }
    }
}

/// The `{sha256}` of a route: 64 lowercase hex digits, else `404 no_blob`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobName(pub BlobId);

impl<S: Send + Sync> FromRequestParts<S> for BlobName {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let name = Path::<String>::from_request_parts(parts, state).await.ok().map(|Path(name)| name);
        match name.as_deref().map(BlobId::parse) {
            Some(Ok(id)) => Ok(Self(id)),
            _ => Err(ApiError::not_found(
                "no_blob",
                "a blob name is the 64 lowercase hex digits of its SHA-256",
            )),
        }
    }
}
