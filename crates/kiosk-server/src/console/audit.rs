//! The audit log: every change anyone makes, who, what, when and from where.
//! Lines are only ever appended; the database refuses to change or delete one,
//! and no route does either.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Serialize;

use super::db::{AuditEntry, AuditQuery};
use super::principal::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Appends one line: `actor` did `action` (a code such as `draft.approve`) on
/// `channel`, described by `detail`, from `remote`.
pub async fn record(
    state: &AppState,
    actor: &str,
    remote: Option<&str>,
    action: &str,
    channel: Option<&str>,
    detail: impl Into<String>,
) -> Result<(), ApiError> {
    let entry = AuditEntry {
        id: 0,
        at: crate::db::sortable_time(state.clock.now()),
        actor: actor.to_owned(),
        action: action.to_owned(),
        channel: channel.map(str::to_owned),
        detail: detail.into(),
        remote: remote.map(str::to_owned),
    };
    tracing::info!(actor, action, channel, detail = %entry.detail, "audit");
    Ok(state.staff.append_audit(entry).await?)
}

/// Appends one line for what `who` did.
pub async fn by(
    state: &AppState,
    who: &Principal,
    action: &str,
    channel: Option<&str>,
    detail: impl Into<String>,
) -> Result<(), ApiError> {
    record(state, &who.name, who.remote.as_deref(), action, channel, detail).await
}

/// The answer of `GET /v1/admin/audit`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct AuditLog {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
}

/// `GET /v1/admin/audit?channel=&actor=&limit=`: the log, as far as the asker
/// may read it (their channels' lines and their own; an admin all).
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<Json<AuditLog>> {
    let Query(query) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let channels = who.readable_channels();
    if let (Some(visible), Some(channel)) = (&channels, &query.channel)
        && !visible.contains(channel)
    {
        who.require(channel, super::db::Role::Viewer)?;
    }
    let mut entries = state.staff.audit(query, channels.clone()).await?;
    if channels.is_some() {
        // Lines of no channel are shown only when they are the asker's own.
        entries.retain(|e| e.channel.is_some() || e.actor == who.name);
    }
    Ok(Json(AuditLog { entries }))
}
