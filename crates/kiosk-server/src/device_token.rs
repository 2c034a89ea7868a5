//! A device token's life after enrolment: a screen renews it before it
//! expires (`POST /v1/token/renew`), and an admin revokes it
//! (`POST /v1/admin/devices/{id}/revoke`), which refuses it on every device
//! route at once and ends its open event streams.

use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::request::Parts;
use kiosk_wire::TokenRenewed;
use serde::Serialize;

use crate::admin::random_hex;
use crate::auth::{bearer, revoked, token_hash};
use crate::console::audit;
use crate::console::principal::Principal;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `POST /v1/token/renew` with the device's token: a fresh token, good for
/// [`Settings::device_token_lifetime`](crate::Settings::device_token_lifetime)
/// from now; the token sent stops working. A renewal whose answer was lost may
/// be asked again with the old token until the new one is first used.
pub async fn renew(State(state): State<AppState>, parts: Parts) -> ApiResult<Json<TokenRenewed>> {
    let old = bearer(&parts).map(token_hash).ok_or_else(ApiError::unauthorized)?;
    // Read from the database, not the memo: the predecessor's right to renew
    // ends when the new token is first used.
    let found = state.db.device_by_token(old.clone(), state.new_token_expiry()).await?;
    let found = found.ok_or_else(ApiError::unauthorized)?;
    let now = state.clock.now();
    let renewing_again = !found.current && found.revoked_at.is_none();
    let device = if renewing_again {
        crate::auth::Device { id: found.id, channel: found.channel }
    } else {
        found.check(&sortable_time(now))?
    };
    let token = random_hex::<32>();
    let expires_at = state.expiry_after(state.settings.device_token_lifetime);
    let renewed = state
        .db
        .renew_device_token(device.id.clone(), old, token_hash(&token), sortable_time(expires_at))
        .await?;
    state.forget_device(&device.id, false);
    if !renewed {
        return Err(revoked());
    }
    tracing::info!(device_id = %device.id, %expires_at, "a device renewed its token");
    Ok(Json(TokenRenewed { token, expires_at }))
}

/// The answer to a revocation.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct TokenRevoked {
    /// The device's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When its token was revoked (the first time, when asked again).
    pub revoked_at: String,
}

/// `POST /v1/admin/devices/{id}/revoke` (admin): the device's token stops
/// working on every device route at once, and its event streams end. The
/// screen enrols again with a new code to get a new token. Asking again
/// changes nothing.
pub async fn revoke(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<TokenRevoked>> {
    who.require_admin()?;
    let revoked = state
        .db
        .revoke_device_token(id.clone())
        .await?
        .ok_or_else(|| ApiError::not_found("no_device", format!("there is no screen {id:?}")))?;
    state.forget_device(&id, true);
    if revoked.newly {
        let detail = format!("revoked the token of screen {} ({id})", revoked.name);
        audit::by(&state, &who, "device.revoke", Some(&revoked.channel), detail).await?;
    }
    Ok(Json(TokenRevoked { id, name: revoked.name, revoked_at: revoked.revoked_at }))
}
