//! Emergency messages: raised and withdrawn by an approver, signed by the server's
//! key (`kiosk_core::emergency`), stored, and announced to the channel's event
//! streams at once.
//!
//! | route | answer |
//! |---|---|
//! | `GET /v1/admin/channels/{channel}/emergency` (a viewer) | `200 {"channel", "active", "message"}`: the newest message or withdrawal, read |
//! | `POST /v1/admin/channels/{channel}/emergency` `{"text": {"vi", "en", ...}, "minutes"}` | `201 {"issued_at", "expires_at"}`; `400 invalid_emergency`; `404 no_channel` |
//! | `DELETE /v1/admin/channels/{channel}/emergency` | `200 {"issued_at", "expires_at"}`: a signed withdrawal |
//! | `POST /v1/admin/emergency` `{"channels": [...], "text", "minutes"}` | `201 {"issued": {channel: {"issued_at", "expires_at"}}}`: the same message on a group of channels; nothing is raised unless every channel exists and the asker approves on each |
//! | `POST /v1/admin/emergency/withdraw` `{"channels": [...]}` | `200 {"issued": {...}}`: withdrawn on each |
//! | `GET /v1/channels/{channel}/emergency` (device token or admin) | `200`: the newest message or withdrawal, its exact signed bytes, with `X-Message-Signature: <hex>`; `404 no_emergency` when there never was one |

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ed25519_dalek::Signer;
use jiff::{SignedDuration, Timestamp};
use kiosk_core::emergency::{EmergencyMessage, KIND, verify_emergency};
use kiosk_wire::Announcement;
use kiosk_wire::headers::MESSAGE_SIGNATURE_HEADER;
use serde::{Deserialize, Serialize};

use crate::auth::Reader;
use crate::console::audit;
use crate::console::db::Role;
use crate::console::principal::Principal;
use crate::db::StoredEmergency;
use crate::error::{ApiError, ApiResult};
use crate::events::ChannelNews;
use crate::extract::{ApiJson, ChannelName};
use crate::state::AppState;

/// The body of `POST /v1/admin/channels/{channel}/emergency`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct RaiseEmergency {
    /// The words by locale; at least one.
    pub text: BTreeMap<String, String>,
    /// How long screens show it.
    pub minutes: u32,
}

/// The body of `POST /v1/admin/emergency`: one message for a group of channels.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct RaiseGroupEmergency {
    /// The channels, at least one.
    pub channels: Vec<String>,
    /// The words by locale; at least one.
    pub text: BTreeMap<String, String>,
    /// How long screens show it.
    pub minutes: u32,
}

/// The body of `POST /v1/admin/emergency/withdraw`.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct WithdrawGroupEmergency {
    /// The channels, at least one.
    pub channels: Vec<String>,
}

/// The answer to raising or withdrawing on a group of channels.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct IssuedOnChannels {
    /// Per channel, what was issued.
    pub issued: BTreeMap<String, Issued>,
}

/// The answer to raising or withdrawing a message.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Issued {
    /// When it was issued.
    #[ts(type = "string")]
    pub issued_at: Timestamp,
    /// When screens take it down.
    #[ts(type = "string")]
    pub expires_at: Timestamp,
}

/// A channel's emergency message as the console shows it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct EmergencyState {
    /// The channel.
    pub channel: String,
    /// Whether its screens show a message now.
    pub active: bool,
    /// The newest message or withdrawal; `null` when there never was one.
    pub message: Option<EmergencyNow>,
}

/// The newest emergency message or withdrawal of a channel.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct EmergencyNow {
    /// The words by locale (none for a withdrawal).
    pub text: BTreeMap<String, String>,
    /// When it was issued.
    #[ts(type = "string")]
    pub issued_at: Timestamp,
    /// When screens take it down.
    #[ts(type = "string")]
    pub expires_at: Timestamp,
    /// Whether it withdrew the message before it.
    pub withdrawn: bool,
}

/// `GET /v1/admin/channels/{channel}/emergency`: what the channel's screens show.
pub async fn now(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
) -> ApiResult<Json<EmergencyState>> {
    who.require(&channel, Role::Viewer)?;
    state.require_channel(&channel).await?;
    let message = match state.db.latest_emergency(channel.clone()).await? {
        Some(stored) => Some(serde_json::from_slice::<EmergencyMessage>(&stored.message).map_err(|e| {
            ApiError::internal(&format!("the stored emergency message of {channel} does not read: {e}"))
        })?),
        None => None,
    };
    let active = message.as_ref().is_some_and(|m| m.is_showing(state.clock.now()));
    let message = message.map(|m| EmergencyNow {
        withdrawn: m.is_withdrawal(),
        text: m.text,
        issued_at: m.issued_at,
        expires_at: m.expires_at,
    });
    Ok(Json(EmergencyState { channel, active, message }))
}

/// `POST /v1/admin/channels/{channel}/emergency`: every screen of the channel
/// shows the text at once.
pub async fn raise(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
    ApiJson(body): ApiJson<RaiseEmergency>,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    who.require(&channel, Role::Approver)?;
    if body.text.is_empty() {
        return Err(ApiError::bad_request("invalid_emergency", "give the text in at least one language"));
    }
    EmergencyMessage::check_request(&body.text, body.minutes)
        .map_err(|reason| ApiError::bad_request("invalid_emergency", reason))?;
    let text = body.text.into_iter().map(|(locale, words)| (locale, words.trim().to_owned())).collect();
    let detail = format!("raised an emergency message for {} minutes: {text:?}", body.minutes);
    let issued = issue(&state, &channel, text, body.minutes).await?;
    audit::by(&state, &who, "emergency.raise", Some(&channel), detail).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// `DELETE /v1/admin/channels/{channel}/emergency`: screens take the message down.
pub async fn withdraw(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
) -> ApiResult<Json<Issued>> {
    who.require(&channel, Role::Approver)?;
    let issued = issue(&state, &channel, BTreeMap::new(), 1).await?;
    audit::by(&state, &who, "emergency.withdraw", Some(&channel), "withdrew the emergency message").await?;
    Ok(Json(issued))
}

/// The group's channels, once each, after checking that each exists and that
/// `who` approves on each: nothing is issued unless all pass.
async fn group(state: &AppState, who: &Principal, channels: Vec<String>) -> ApiResult<Vec<String>> {
    let mut group: Vec<String> = Vec::new();
    for channel in channels {
        if !group.contains(&channel) {
            group.push(channel);
        }
    }
    if group.is_empty() {
        return Err(ApiError::bad_request("invalid_emergency", "name at least one channel"));
    }
    for channel in &group {
        who.require(channel, Role::Approver)?;
        state.require_channel(channel).await?;
    }
    Ok(group)
}

/// `POST /v1/admin/emergency`: the same message on every screen of a group of channels.
pub async fn raise_on_group(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<RaiseGroupEmergency>,
) -> ApiResult<(StatusCode, Json<IssuedOnChannels>)> {
    let channels = group(&state, &who, body.channels).await?;
    if body.text.is_empty() {
        return Err(ApiError::bad_request("invalid_emergency", "give the text in at least one language"));
    }
    EmergencyMessage::check_request(&body.text, body.minutes)
        .map_err(|reason| ApiError::bad_request("invalid_emergency", reason))?;
    let text: BTreeMap<String, String> =
        body.text.into_iter().map(|(locale, words)| (locale, words.trim().to_owned())).collect();
    let mut issued = BTreeMap::new();
    for channel in &channels {
        let detail = format!(
            "raised an emergency message for {} minutes on the group {}: {text:?}",
            body.minutes,
            channels.join(", ")
        );
        issued.insert(channel.clone(), issue(&state, channel, text.clone(), body.minutes).await?);
        audit::by(&state, &who, "emergency.raise", Some(channel), detail).await?;
    }
    Ok((StatusCode::CREATED, Json(IssuedOnChannels { issued })))
}

/// `POST /v1/admin/emergency/withdraw`: takes the message down on a group of channels.
pub async fn withdraw_on_group(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<WithdrawGroupEmergency>,
) -> ApiResult<Json<IssuedOnChannels>> {
    let channels = group(&state, &who, body.channels).await?;
    let mut issued = BTreeMap::new();
    for channel in &channels {
        issued.insert(channel.clone(), issue(&state, channel, BTreeMap::new(), 1).await?);
        let detail = format!("withdrew the emergency message on the group {}", channels.join(", "));
        audit::by(&state, &who, "emergency.withdraw", Some(channel), detail).await?;
    }
    Ok(Json(IssuedOnChannels { issued }))
}

async fn issue(
    state: &AppState,
    channel: &str,
    text: BTreeMap<String, String>,
    minutes: u32,
) -> ApiResult<Issued> {
    state.require_channel(channel).await?;
    let _issuing = state.replicas.exclusive().await?;
    // Later than the last one even if the clock stepped back: screens refuse an
    // older message than the one they hold.
    let last = state.db.latest_emergency(channel.to_owned()).await?;
    let last_issued =
        last.and_then(|stored| serde_json::from_slice::<EmergencyMessage>(&stored.message).ok());
    let now = state.clock.now();
    let issued_at = match last_issued {
        Some(last) if last.issued_at >= now => last.issued_at + SignedDuration::from_millis(1),
        _ => now,
    };
    let expires_at = issued_at + SignedDuration::from_mins(i64::from(minutes));
    let message =
        EmergencyMessage { kind: KIND.into(), channel: channel.to_owned(), issued_at, expires_at, text };
    let bytes = message.encode();
    let signature = state.emergency_key.sign(&bytes).to_bytes().to_vec();
    verify_emergency(&bytes, &signature, &[state.emergency_key.verifying_key()], channel, None)
        .map_err(|rejection| ApiError::bad_request("invalid_emergency", rejection.to_string()))?;
    let stored = StoredEmergency { message: bytes, signature };
    let news = Announcement::Emergency(stored.signed());
    state.db.insert_emergency(channel.to_owned(), stored, crate::db::sortable_time(issued_at)).await?;
    let withdrawn = message.is_withdrawal();
    tracing::warn!(channel, withdrawn, %expires_at, "emergency message issued");
    state.announcer.announce(ChannelNews { channel: channel.to_owned(), news });
    Ok(Issued { issued_at, expires_at })
}

/// `GET /v1/channels/{channel}/emergency`: the newest message or withdrawal.
pub async fn current(
    State(state): State<AppState>,
    reader: Reader,
    ChannelName(channel): ChannelName,
) -> ApiResult<Response> {
    reader.may_read(&channel)?;
    let stored = state.db.latest_emergency(channel.clone()).await?.ok_or_else(|| {
        ApiError::not_found("no_emergency", format!("channel {channel:?} has had no emergency message"))
    })?;
    let signature =
        HeaderValue::from_str(&hex::encode(&stored.signature)).expect("hex is a valid header value");
    let mut response =
        ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], stored.message)
            .into_response();
    response.headers_mut().insert(MESSAGE_SIGNATURE_HEADER, signature);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
