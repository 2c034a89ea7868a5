//! Tokens for automation (a nightly publisher, a monitoring script), each
//! scoped by roles like a staff member and never an admin; made and revoked by
//! admins. The token itself is shown once, when it is made; the server keeps
//! only its SHA-256.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::audit;
use super::db::{ApiToken, RoleGrant};
use super::principal::Principal;
use crate::admin::random_hex;
use crate::auth::token_hash;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// The body of `POST /v1/admin/tokens`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct NewToken {
    /// What it is for: lowercase letters, digits and `-`.
    pub name: String,
    /// What it may do.
    pub roles: Vec<RoleGrant>,
}

/// A token just made: the only time its value is shown.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct TokenMade {
    /// The token as stored.
    pub token: ApiToken,
    /// Its value, for `Authorization: Bearer …`.
    pub secret: String,
}

/// The answer of `GET /v1/admin/tokens`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Tokens {
    /// By name.
    pub tokens: Vec<ApiToken>,
}

/// `GET /v1/admin/tokens`.
pub async fn list(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Tokens>> {
    who.require_admin()?;
    Ok(Json(Tokens { tokens: state.staff.api_tokens().await? }))
}

/// `POST /v1/admin/tokens`.
pub async fn create(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<TokenMade>)> {
    who.require_admin()?;
    if !kiosk_core::content::is_slug(&body.name) {
        return Err(ApiError::bad_request(
            "invalid_token",
            "a token's name is lowercase letters, digits and '-'",
        ));
    }
    if let Some(bad) =
        body.roles.iter().find(|g| g.channel != "*" && !kiosk_core::content::is_slug(&g.channel))
    {
        return Err(ApiError::bad_request(
            "invalid_token",
            format!("{:?} is not a channel name or '*'", bad.channel),
        ));
    }
    let secret = random_hex::<32>();
    let token = ApiToken {
        name: body.name,
        roles: body.roles,
        created_by: who.name.clone(),
        created_at: sortable_time(state.clock.now()),
    };
    if !state.staff.insert_api_token(token.clone(), token_hash(&secret)).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "token_exists",
            format!("a token named {:?} exists", token.name),
        ));
    }
    let roles: Vec<String> =
        token.roles.iter().map(|g| format!("{} of {}", g.role.name(), g.channel)).collect();
    audit::by(
        &state,
        &who,
        "token.create",
        None,
        format!("made token {} ({})", token.name, roles.join(", ")),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(TokenMade { token, secret })))
}

/// `DELETE /v1/admin/tokens/{name}`: revokes a token at once.
pub async fn revoke(
    State(state): State<AppState>,
    who: Principal,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    who.require_admin()?;
    if !state.staff.delete_api_token(name.clone()).await? {
        return Err(ApiError::not_found("no_token", format!("there is no token named {name:?}")));
    }
    audit::by(&state, &who, "token.revoke", None, format!("revoked token {name}")).await?;
    Ok(StatusCode::NO_CONTENT)
}
