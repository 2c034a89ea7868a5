//! The fleet view's routes: every screen with its liveness and last heartbeat,
//! where it stands, and its alerts (`docs/console-api.md`, "The fleet").

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::{Path as UrlPath, Query, State};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::db::{FleetAlert, Place, ScreenRow};
use super::status::ScreenStatus;
use crate::console::audit;
use crate::console::db::Role;
use crate::console::principal::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// The longest location text.
pub const MAX_LOCATION_CHARS: usize = 120;

/// A screen as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct FleetScreen {
    /// Its device id.
    pub id: String,
    /// The name it gave at enrolment.
    pub name: String,
    /// Its channel.
    pub channel: String,
    /// Where it stands, as staff wrote it.
    pub location: Option<String>,
    /// The country it stands in (ISO 3166 alpha-2), for reports.
    pub country: Option<String>,
    /// Online, late, offline or never seen.
    pub status: ScreenStatus,
    /// Whether it holds an event stream to the server (to any replica) now.
    pub streaming: bool,
    /// The server's time of its last heartbeat.
    pub last_seen: Option<String>,
    /// The channel's newest release.
    #[ts(type = "number | null")]
    pub live_version: Option<u64>,
    /// Its last heartbeat, as sent.
    #[ts(as = "Option<kiosk_wire::Heartbeat>")]
    pub heartbeat: Option<serde_json::Value>,
    /// When an admin revoked its token (it can no longer sync or report); `null` while it works.
    pub token_revoked_at: Option<String>,
}

/// The answer of `GET /v1/admin/fleet`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Fleet {
    /// The server's time of this answer.
    pub now: String,
    /// Seconds of quiet after which a screen is offline.
    #[ts(type = "number")]
    pub offline_after_s: u64,
    /// Every screen the asker may see, by name.
    pub screens: Vec<FleetScreen>,
    /// Their open alerts, newest first.
    pub alerts: Vec<FleetAlert>,
}

/// The body of `PUT /v1/admin/devices/{id}`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ScreenChange {
    /// Where it stands; empty or `null` forgets it, absent keeps it.
    #[serde(default, deserialize_with = "given")]
    #[ts(optional, type = "string | null")]
    pub location: Option<Option<String>>,
    /// The country it stands in, two letters (`VN`, `JP`); empty or `null`
    /// forgets it, absent keeps it.
    #[serde(default, deserialize_with = "given")]
    #[ts(optional, type = "string | null")]
    pub country: Option<Option<String>>,
}

/// A field that was given (`Some`), perhaps as `null` (`Some(None)`).
fn given<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The query of `GET /v1/admin/alerts`.
#[derive(Debug, Deserialize)]
pub struct AlertsQuery {
    /// How many, newest first (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// The answer of `GET /v1/admin/alerts`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Alerts {
    /// Open and closed alerts, newest first.
    pub alerts: Vec<FleetAlert>,
}

/// `GET /v1/admin/fleet`.
pub async fn fleet(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Fleet>> {
    who.require_somewhere(Role::Viewer)?;
    let now = state.clock.now();
    let live: HashMap<String, u64> =
        state.db.channels().await?.into_iter().filter_map(|c| Some((c.name, c.version?))).collect();
    let elsewhere = state.replicas.streaming_elsewhere().await;
    let screens = state
        .fleet
        .screens()
        .await?
        .into_iter()
        .filter(|s| who.role_on(&s.channel).is_some())
        .map(|row| screen(&state, row, now, &live, &elsewhere))
        .collect();
    let mut alerts = state.fleet.alerts(true, 1000).await?;
    alerts.retain(|a| who.role_on(&a.channel).is_some());
    Ok(Json(Fleet {
        now: crate::db::sortable_time(now),
        offline_after_s: state.settings.offline_after.as_secs(),
        screens,
        alerts,
    }))
}

/// `PUT /v1/admin/devices/{id}`: where a screen stands.
pub async fn change(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(id): UrlPath<String>,
    ApiJson(body): ApiJson<ScreenChange>,
) -> ApiResult<Json<FleetScreen>> {
    who.require_admin()?;
    let cleaned = |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let location = body.location.map(cleaned);
    if let Some(Some(place)) = &location
        && (place.chars().count() > MAX_LOCATION_CHARS || place.chars().any(char::is_control))
    {
        return Err(ApiError::bad_request(
            "invalid_location",
            format!("a location is one line of at most {MAX_LOCATION_CHARS} characters"),
        ));
    }
    let country = body.country.map(|c| cleaned(c).map(|c| c.to_ascii_uppercase()));
    if let Some(Some(code)) = &country
        && !(code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(ApiError::bad_request(
            "invalid_country",
            format!("country {code:?}: give the two letters of ISO 3166 (VN, JP, KR, DE…)"),
        ));
    }
    let place = Place { location, country };
    if !state.fleet.set_place(id.clone(), place.clone()).await? {
        return Err(no_device(&id));
    }
    let row = state.fleet.screens().await?.into_iter().find(|s| s.id == id).ok_or_else(|| no_device(&id))?;
    let mut said = Vec::new();
    if let Some(location) = &place.location {
        said.push(format!("location to {:?}", location.as_deref().unwrap_or("")));
    }
    if let Some(country) = &place.country {
        said.push(format!("country to {:?}", country.as_deref().unwrap_or("")));
    }
    let detail = format!("set the {} of screen {}", said.join(" and "), row.name);
    audit::by(&state, &who, "device.location", Some(&row.channel), detail).await?;
    let live = state.current_release(&row.channel).await?.map(|r| (row.channel.clone(), r.version));
    let elsewhere = state.replicas.streaming_elsewhere().await;
    Ok(Json(screen(&state, row, state.clock.now(), &live.into_iter().collect(), &elsewhere)))
}

/// `GET /v1/admin/alerts`.
pub async fn alerts(
    State(state): State<AppState>,
    who: Principal,
    Query(query): Query<AlertsQuery>,
) -> ApiResult<Json<Alerts>> {
    who.require_somewhere(Role::Viewer)?;
    let mut alerts = state.fleet.alerts(false, query.limit.unwrap_or(100).min(1000)).await?;
    alerts.retain(|a| who.role_on(&a.channel).is_some());
    Ok(Json(Alerts { alerts }))
}

fn no_device(id: &str) -> ApiError {
    ApiError::not_found("no_device", format!("there is no screen {id:?}"))
}

/// A screen as the console shows it; `elsewhere`: the devices streaming to other replicas.
fn screen(
    state: &AppState,
    row: ScreenRow,
    now: Timestamp,
    live: &HashMap<String, u64>,
    elsewhere: &HashSet<String>,
) -> FleetScreen {
    FleetScreen {
        status: row.status(now, state.settings.offline_after),
        streaming: state.streams.is_streaming(&row.id) || elsewhere.contains(&row.id),
        live_version: live.get(&row.channel).copied(),
        last_seen: row.last_heartbeat_at,
        id: row.id,
        name: row.name,
        channel: row.channel,
        location: row.location,
        country: row.country,
        heartbeat: row.heartbeat,
        token_revoked_at: row.token_revoked_at,
    }
}
