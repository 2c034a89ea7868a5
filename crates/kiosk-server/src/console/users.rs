//! Staff accounts, managed by admins (and the first one from the command line:
//! `kiosk-server user add --admin NAME`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::audit;
use super::db::{RoleGrant, Staff, UserRow};
use super::password;
use super::principal::Principal;
use crate::clock::Clock;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// A staff member as the admin API shows them (never their password hash).
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct User {
    /// Their name.
    pub name: String,
    /// Whether they administer users, channels and devices.
    pub is_admin: bool,
    /// Their roles per channel.
    pub roles: Vec<RoleGrant>,
    /// When they were added.
    pub created_at: String,
    /// Until when sign-in is refused, if it is.
    pub locked_until: Option<String>,
    /// Wrong passwords since the last right one.
    pub failed_logins: u32,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self {
            name: row.name,
            is_admin: row.is_admin,
            roles: row.roles,
            created_at: row.created_at,
            locked_until: row.locked_until,
            failed_logins: row.failed_logins,
        }
    }
}

/// The answer of `GET /v1/admin/users`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Users {
    /// By name.
    pub users: Vec<User>,
}

/// The body of `POST /v1/admin/users`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct NewUser {
    /// 2–64 letters, digits, `.`, `_`, `-` or `@`.
    pub name: String,
    /// At least ten characters.
    pub password: String,
    /// Whether they administer users, channels and devices.
    #[serde(default)]
    pub is_admin: bool,
    /// Their roles per channel.
    #[serde(default)]
    pub roles: Vec<RoleGrant>,
}

/// The body of `PUT /v1/admin/users/{name}`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct UserChange {
    /// Whether they administer users, channels and devices.
    pub is_admin: bool,
    /// Their roles per channel.
    pub roles: Vec<RoleGrant>,
    /// A new password (also unlocks the account).
    #[serde(default)]
    #[ts(optional)]
    pub password: Option<String>,
}

/// Why a user cannot be added or changed.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The name is not one.
    #[error("{0:?} is not a user name: use 2–64 letters, digits, '.', '_', '-' or '@'")]
    BadName(String),
    /// A grant names no channel.
    #[error("{0:?} is not a channel name or '*'")]
    BadChannel(String),
    /// The password is too weak.
    #[error("{0}")]
    WeakPassword(String),
    /// The name is taken.
    #[error("a user named {0:?} exists already")]
    Exists(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

impl From<UserError> for ApiError {
    fn from(error: UserError) -> Self {
        match error {
            UserError::BadName(_) | UserError::BadChannel(_) => {
                ApiError::bad_request("invalid_user", error.to_string())
            }
            UserError::WeakPassword(_) => ApiError::bad_request("weak_password", error.to_string()),
            UserError::Exists(_) => ApiError::new(StatusCode::CONFLICT, "user_exists", error.to_string()),
            UserError::Db(e) => e.into(),
        }
    }
}

fn check_name(name: &str) -> Result<(), UserError> {
    let ok = (2..=64).contains(&name.chars().count())
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok { Ok(()) } else { Err(UserError::BadName(name.to_owned())) }
}

fn check_roles(roles: &[RoleGrant]) -> Result<(), UserError> {
    match roles.iter().find(|g| g.channel != "*" && !kiosk_core::content::is_slug(&g.channel)) {
        Some(bad) => Err(UserError::BadChannel(bad.channel.clone())),
        None => Ok(()),
    }
}

/// Adds a staff member (the password is hashed here, never stored or logged).
pub async fn add_user(staff: &Staff, clock: &Clock, new: NewUser) -> Result<User, UserError> {
    check_name(&new.name)?;
    check_roles(&new.roles)?;
    if let Some(weak) = password::weakness(&new.password) {
        return Err(UserError::WeakPassword(weak));
    }
    let password = new.password;
    let password_hash =
        tokio::task::spawn_blocking(move || password::hash(&password)).await.expect("hashing does not panic");
    let row = UserRow {
        name: new.name.clone(),
        password_hash,
        is_admin: new.is_admin,
        roles: new.roles,
        created_at: sortable_time(clock.now()),
        failed_logins: 0,
        locked_until: None,
    };
    if !staff.insert_user(row.clone()).await? {
        return Err(UserError::Exists(new.name));
    }
    Ok(row.into())
}

fn describe(is_admin: bool, roles: &[RoleGrant]) -> String {
    let mut parts: Vec<String> =
        roles.iter().map(|g| format!("{} of {}", g.role.name(), g.channel)).collect();
    if is_admin {
        parts.insert(0, "admin".into());
    }
    if parts.is_empty() { "no role".into() } else { parts.join(", ") }
}

/// `GET /v1/admin/users`.
pub async fn list(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Users>> {
    who.require_admin()?;
    let users = state.staff.users().await?.into_iter().map(User::from).collect();
    Ok(Json(Users { users }))
}

/// `POST /v1/admin/users`.
pub async fn create(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    who.require_admin()?;
    let user = add_user(&state.staff, &state.clock, body).await?;
    let detail = format!("added {} ({})", user.name, describe(user.is_admin, &user.roles));
    audit::by(&state, &who, "user.add", None, detail).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// `PUT /v1/admin/users/{name}`.
pub async fn change(
    State(state): State<AppState>,
    who: Principal,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<UserChange>,
) -> ApiResult<Json<User>> {
    who.require_admin()?;
    check_roles(&body.roles)?;
    let password_hash = match body.password {
        Some(password) => {
            if let Some(weak) = password::weakness(&password) {
                return Err(UserError::WeakPassword(weak).into());
            }
            Some(
                tokio::task::spawn_blocking(move || password::hash(&password))
                    .await
                    .map_err(|e| ApiError::internal(&e))?,
            )
        }
        None => None,
    };
    let new_password = password_hash.is_some();
    if !state.staff.update_user(name.clone(), body.is_admin, body.roles.clone(), password_hash).await? {
        return Err(ApiError::not_found("no_user", format!("there is no user named {name:?}")));
    }
    let mut detail = format!("{name} is now {}", describe(body.is_admin, &body.roles));
    if new_password {
        detail.push_str("; new password set");
    }
    audit::by(&state, &who, "user.change", None, detail).await?;
    let user = state.staff.user(name).await?.ok_or_else(|| ApiError::internal(&"user vanished"))?;
    Ok(Json(user.into()))
}
