//! Who is asking: a staff member with a session cookie (and, for a change, the
//! session's CSRF token), or the admin token of automation; and what they may do.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use sha2::{Digest, Sha256};

use super::db::{Role, RoleGrant};
use crate::auth::{bearer, is_admin};
use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "kiosk_session";

/// The header a changing request echoes the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The name the admin token acts under in the audit log.
pub const ADMIN_TOKEN_ACTOR: &str = "admin-token";

/// A signed-in staff member or the admin token, with what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Their name (the admin token: [`ADMIN_TOKEN_ACTOR`]).
    pub name: String,
    /// Whether they administer users, channels and devices.
    pub is_admin: bool,
    /// Their roles per channel.
    pub roles: Vec<RoleGrant>,
    /// The address the request came from, for the audit log.
    pub remote: Option<String>,
    /// The SHA-256 of their session cookie, when they have one.
    pub session: Option<String>,
}

impl Principal {
    /// Their role on `channel`: the highest of their grants for it and for `*`
    /// (an admin is an approver everywhere).
    pub fn role_on(&self, channel: &str) -> Option<Role> {
        if self.is_admin {
            return Some(Role::Approver);
        }
        self.roles.iter().filter(|g| g.channel == channel || g.channel == "*").map(|g| g.role).max()
    }

    /// `403 forbidden` unless they have at least `role` on `channel`.
    pub fn require(&self, channel: &str, role: Role) -> Result<(), ApiError> {
        match self.role_on(channel) {
            Some(have) if have >= role => Ok(()),
            have => Err(forbidden(format!(
                "{} on channel {channel:?}; this needs {}",
                have.map_or_else(|| "you have no role".to_owned(), |r| format!("you are {}", a(r))),
                a(role)
            ))),
        }
    }

    /// `403 forbidden` unless they have at least `role` on some channel.
    pub fn require_somewhere(&self, role: Role) -> Result<(), ApiError> {
        if self.is_admin || self.roles.iter().any(|g| g.role >= role) {
            Ok(())
        } else {
            Err(forbidden(format!("this needs {} on at least one channel", a(role))))
        }
    }

    /// `403 forbidden` unless they are an admin.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin { Ok(()) } else { Err(forbidden("only an admin may do this".into())) }
    }

    /// The channels whose records they may read; `None` for all.
    pub fn readable_channels(&self) -> Option<Vec<String>> {
        if self.is_admin || self.roles.iter().any(|g| g.channel == "*") {
            None
        } else {
            Some(self.roles.iter().map(|g| g.channel.clone()).collect())
        }
    }
}

fn a(role: Role) -> &'static str {
    match role {
        Role::Viewer => "a viewer",
        Role::Editor => "an editor",
        Role::Approver => "an approver",
    }
}

fn forbidden(message: String) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
}

/// The value of a cookie of the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
        line.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
    })
}

/// The peer's address, as the audit log records it.
pub fn remote(parts: &Parts) -> Option<String> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// Hex SHA-256 of a session cookie's value, as stored.
pub fn session_hash(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let remote = remote(parts);
        if let Some(token) = bearer(parts) {
            if is_admin(state, token) {
                return Ok(Self {
                    name: ADMIN_TOKEN_ACTOR.into(),
                    is_admin: true,
                    roles: Vec::new(),
                    remote,
                    session: None,
                });
            }
            let scoped = state.staff.api_token(crate::auth::token_hash(token)).await?;
            let scoped = scoped.ok_or_else(ApiError::unauthorized)?;
            return Ok(Self {
                name: format!("token:{}", scoped.name),
                is_admin: false,
                roles: scoped.roles,
                remote,
                session: None,
            });
        }
        let Some(value) = cookie(parts, SESSION_COOKIE) else {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "sign in first"));
        };
        let id = session_hash(value);
        let Some(session) = state.staff.session(id.clone()).await? else {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "sign in first"));
        };
        if session.expires_at <= crate::db::sortable_time(state.clock.now()) {
            state.staff.delete_session(id).await?;
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "session_expired",
                "your session has ended; sign in again (nothing you have not saved is lost)",
            ));
        }
        if changes_something(&parts.method) {
            let echoed = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            // Comparing digests keeps the comparison's timing independent of the token.
            if Sha256::digest(echoed.as_bytes()) != Sha256::digest(session.csrf_token.as_bytes()) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "this request did not come from the console (missing or wrong X-CSRF-Token); reload the page",
                ));
            }
        }
        let Some(user) = state.staff.user(session.user.clone()).await? else {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "sign in first"));
        };
        Ok(Self { name: user.name, is_admin: user.is_admin, roles: user.roles, remote, session: Some(id) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(roles: &[(&str, Role)]) -> Principal {
        Principal {
            name: "lan".into(),
            is_admin: false,
            roles: roles.iter().map(|(c, r)| RoleGrant { channel: (*c).into(), role: *r }).collect(),
            remote: None,
            session: None,
        }
    }

    #[test]
    fn roles_include_the_ones_below_and_star_means_every_channel() {
        let editor = staff(&[("booth", Role::Editor), ("*", Role::Viewer)]);
        assert!(editor.require("booth", Role::Viewer).is_ok());
        assert!(editor.require("booth", Role::Editor).is_ok());
        let refused = editor.require("booth", Role::Approver).unwrap_err();
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.message, "you are an editor on channel \"booth\"; this needs an approver");
        assert!(editor.require("hall", Role::Viewer).is_ok());
        assert!(editor.require("hall", Role::Editor).is_err());
        assert!(staff(&[]).require("booth", Role::Viewer).unwrap_err().message.contains("no role"));
        assert!(editor.require_admin().is_err());
        assert_eq!(editor.readable_channels(), None);
        assert_eq!(staff(&[("booth", Role::Viewer)]).readable_channels(), Some(vec!["booth".into()]));
    }
}
