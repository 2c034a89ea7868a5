//! Bearer tokens: the admin token, and each device's own token. Staff and
//! the admin token acting as staff are [`crate::console::principal::Principal`]s.
//!
//! Device tokens are stored only as their SHA-256, so a copy of the database does
//! not let anyone act as a device. A device reads only its own channel. A device
//! token works until it expires ([`Settings::device_token_lifetime`](crate::Settings::device_token_lifetime)
//! after enrolment or renewal) or staff revoke it, and a renewed token stops
//! at once (it may only renew again, for an answer lost on the way): each is
//! `401` with its own code and what to do.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use sha2::{Digest, Sha256};

use crate::db::{DeviceToken, sortable_time};
use crate::error::ApiError;
use crate::state::AppState;

/// The lowercase hex SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

pub(crate) fn is_admin(state: &AppState, token: &str) -> bool {
    // Comparing digests keeps the comparison's timing independent of the token.
    Sha256::digest(token.as_bytes()).as_slice() == state.admin_token_sha256.as_slice()
}

/// A request carrying an enrolled device's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The device's id.
    pub id: String,
    /// The channel it follows.
    pub channel: String,
}

/// `401 token_revoked`.
pub fn revoked() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "token_revoked",
        "staff revoked this device's token; enrol the screen again with a new code",
    )
}

impl DeviceToken {
    /// The device, when this token works at `now`; otherwise the `401` saying why.
    pub fn check(self, now: &str) -> Result<Device, ApiError> {
        if self.revoked_at.is_some() {
            return Err(revoked());
        }
        if !self.current {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "token_replaced",
                "this token was renewed and no longer works; use the new token",
            ));
        }
        if self.expires_at.as_str() <= now {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "token_expired",
                format!(
                    "this device's token expired at {}; enrol the screen again with a new code \
                     (renew a token before it expires: POST /v1/token/renew)",
                    self.expires_at
                ),
            ));
        }
        Ok(Device { id: self.id, channel: self.channel })
    }
}

async fn device(parts: &Parts, state: &AppState) -> Result<Option<Device>, ApiError> {
    let Some(token) = bearer(parts) else { return Ok(None) };
    let Some(found) = state.device_by_token(token_hash(token)).await? else { return Ok(None) };
    found.check(&sortable_time(state.clock.now())).map(Some)
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        device(parts, state).await?.ok_or_else(ApiError::unauthorized)
    }
}

/// Who may read releases: a device (its own channel only) or the admin (any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// The admin token.
    Admin,
    /// A device token.
    Device(Device),
}

impl Reader {
    /// `403 wrong_channel` when a device asks for another channel than its own.
    pub fn may_read(&self, channel: &str) -> Result<(), ApiError> {
        match self {
            Self::Device(device) if device.channel != channel => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "wrong_channel",
                format!("this device follows channel {:?}, not {channel:?}", device.channel),
            )),
            _ => Ok(()),
        }
    }

    /// The channel a device is limited to; `None` for the admin.
    pub fn channel(&self) -> Option<&str> {
        match self {
            Self::Admin => None,
            Self::Device(device) => Some(&device.channel),
        }
    }
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if bearer(parts).is_some_and(|token| is_admin(state, token)) {
            return Ok(Self::Admin);
        }
        device(parts, state).await?.map(Self::Device).ok_or_else(ApiError::unauthorized)
    }
}
