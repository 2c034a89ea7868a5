//! Signing in and out: a session cookie (HttpOnly, SameSite=Strict, eight
//! hours) and the CSRF token the console echoes on every change. Five wrong
//! passwords in a row lock the account for a while.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::audit;
use super::db::{RoleGrant, SessionRow, UserRow};
use super::password;
use super::principal::{Principal, SESSION_COOKIE, remote};
use crate::admin::random_hex;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// How long a session lasts.
pub const SESSION_LENGTH: SignedDuration = SignedDuration::from_hours(8);

/// The body of `POST /v1/session`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct SignIn {
    /// The staff member's name.
    pub name: String,
    /// Their password.
    pub password: String,
}

/// Who is signed in, what they may do, and the token to echo on changes.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Me {
    /// Their name.
    pub name: String,
    /// Whether they administer users, channels and devices.
    pub is_admin: bool,
    /// Their roles per channel.
    pub roles: Vec<RoleGrant>,
    /// Send this in `X-CSRF-Token` with every change.
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: String,
}

fn locked(until: &str) -> ApiError {
    let shown = until
        .parse::<Timestamp>()
        .map_or_else(|_| until.to_owned(), |t| t.strftime("%Y-%m-%d %H:%M UTC").to_string());
    ApiError::new(
        StatusCode::LOCKED,
        "locked",
        format!(
            "too many wrong passwords: this account is locked until {shown}; an admin can unlock it by setting a new password"
        ),
    )
}

fn bad_credentials() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "bad_credentials", "wrong name or password")
}

/// `POST /v1/session`: signs in.
pub async fn sign_in(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(body): ApiJson<SignIn>,
) -> ApiResult<Response> {
    let from = remote(&parts);
    let now = state.clock.now();
    let Some(user) = state.staff.user(body.name.clone()).await? else {
        let password = body.password.clone();
        let _ = tokio::task::spawn_blocking(move || password::verify_nothing(&password)).await;
        audit::record(&state, &body.name, from.as_deref(), "session.sign_in_failed", None, "unknown name")
            .await?;
        return Err(bad_credentials());
    };
    if let Some(until) = user.locked_until.as_deref().filter(|until| *until > sortable_time(now).as_str()) {
        audit::record(&state, &user.name, from.as_deref(), "session.sign_in_refused", None, "account locked")
            .await?;
        return Err(locked(until));
    }
    let (password, stored) = (body.password.clone(), user.password_hash.clone());
    let right = tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if !right {
        let (failed, lock) = password::after_failure(user.failed_logins, now);
        let lock = lock.map(sortable_time);
        state.staff.set_login_state(user.name.clone(), failed, lock.clone()).await?;
        let detail = match &lock {
            Some(_) => format!("wrong password; locked for {} minutes", password::LOCK_FOR.as_mins()),
            None => format!("wrong password ({failed} of {})", password::MAX_FAILED_LOGINS),
        };
        audit::record(&state, &user.name, from.as_deref(), "session.sign_in_failed", None, detail).await?;
        return Err(match lock {
            Some(until) => locked(&until),
            None => bad_credentials(),
        });
    }
    state.staff.set_login_state(user.name.clone(), 0, None).await?;
    let cookie_value = random_hex::<32>();
    let session = SessionRow {
        id_sha256: super::principal::session_hash(&cookie_value),
        user: user.name.clone(),
        csrf_token: random_hex::<16>(),
        created_at: sortable_time(now),
        expires_at: sortable_time(now + SESSION_LENGTH),
    };
    state.staff.insert_session(session.clone()).await?;
    audit::record(&state, &user.name, from.as_deref(), "session.sign_in", None, "signed in").await?;
    // Over TLS the browser sends the cookie back over TLS only.
    let secure = if state.settings.tls.is_some() { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={cookie_value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        SESSION_LENGTH.as_secs()
    );
    let mut response = Json(me(&user, &session)).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("cookie is ASCII"));
    Ok(response)
}

fn me(user: &UserRow, session: &SessionRow) -> Me {
    Me {
        name: user.name.clone(),
        is_admin: user.is_admin,
        roles: user.roles.clone(),
        csrf_token: session.csrf_token.clone(),
        expires_at: session.expires_at.clone(),
    }
}

/// `GET /v1/session`: who is signed in.
pub async fn current(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Me>> {
    let (Some(id), Some(user)) = (who.session.clone(), state.staff.user(who.name.clone()).await?) else {
        return Err(ApiError::bad_request("no_session", "the admin token has no session"));
    };
    let session = state.staff.session(id).await?.ok_or_else(ApiError::unauthorized)?;
    Ok(Json(me(&user, &session)))
}

/// `DELETE /v1/session`: signs out.
pub async fn sign_out(State(state): State<AppState>, who: Principal) -> ApiResult<Response> {
    if let Some(id) = who.session.clone() {
        state.staff.delete_session(id).await?;
        audit::by(&state, &who, "session.sign_out", None, "signed out").await?;
    }
    let expired = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_str(&expired).expect("cookie is ASCII"));
    Ok(response)
}
