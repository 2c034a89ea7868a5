//! Each channel's draft, and the way from draft to release: an editor saves
//! (with the revision they started from, so two editors never overwrite each
//! other silently) and submits; an approver who did not change the draft reads
//! the review (what changes against the live release) and approves, which
//! signs and publishes it, or sends it back with a note.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kiosk_core::blob::{BlobId, BlobRef, MediaType};
use kiosk_core::content::ContentPack;
use kiosk_core::diff::{ChangeKind, content_changes};
use kiosk_core::manifest::{FORMAT, Manifest};
use serde::{Deserialize, Serialize};

use super::audit;
use super::db::{DraftRow, MediaRow, Role};
use super::draft_flow::{self, EDITING, Refused};
use super::principal::Principal;
use crate::db::sortable_time;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ChannelName};
use crate::publish::{Published, publish};
use crate::state::AppState;

/// A channel's draft as the console sees it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Draft {
    /// The channel.
    pub channel: String,
    /// Send it back with a save, submission or approval; goes up with each.
    #[ts(type = "number")]
    pub revision: u64,
    /// The live version it started from (0: none).
    #[ts(type = "number")]
    pub base_version: u64,
    /// The live version now (0: none); differs from `base_version` when a
    /// release was published since the draft began.
    #[ts(type = "number")]
    pub live_version: u64,
    /// `editing` or `in_review`.
    pub state: String,
    /// The content.
    pub content: ContentPack,
    /// Who saved it last.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
    /// Who submitted it.
    pub submitted_by: Option<String>,
    /// When.
    pub submitted_at: Option<String>,
    /// The submitter's note, or the approver's when sent back.
    pub note: Option<String>,
    /// Everyone who changed it; none of them may approve it.
    pub editors: Vec<String>,
}

/// The body of a save.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct DraftSave {
    /// The revision the change was made on.
    #[ts(type = "number")]
    pub revision: u64,
    /// The whole content.
    #[ts(type = "unknown")]
    pub content: serde_json::Value,
}

/// The body of a submission, approval or sending back.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "console/src/generated/")]
pub struct DraftStep {
    /// The revision acted on.
    #[ts(type = "number")]
    pub revision: u64,
    /// A note for the other side.
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
}

async fn live(state: &AppState, channel: &str) -> ApiResult<Option<Manifest>> {
    let Some(release) = state.current_release(channel).await? else { return Ok(None) };
    Manifest::decode(&release.manifest)
        .map(Some)
        .map_err(|e| ApiError::internal(&format!("the live release of {channel} does not decode: {e}")))
}

/// The stored draft, or a new one from the live release (revision 0, not stored).
async fn current(state: &AppState, channel: &str) -> ApiResult<(DraftRow, u64)> {
    state.require_channel(channel).await?;
    let live = live(state, channel).await?;
    let live_version = live.as_ref().map_or(0, |m| m.version);
    if let Some(draft) = state.staff.draft(channel.to_owned()).await? {
        return Ok((draft, live_version));
    }
    let Some(manifest) = live else {
        return Err(ApiError::not_found(
            "no_release",
            format!(
                "channel {channel:?} has no release to start a draft from; publish a first one (kioskctl publish)"
            ),
        ));
    };
    let draft = DraftRow {
        channel: channel.to_owned(),
        revision: 0,
        base_version: manifest.version,
        state: EDITING.into(),
        content: serde_json::to_string(&manifest.content).expect("content serializes"),
        updated_by: "release".into(),
        updated_at: sortable_time(manifest.created_at),
        submitted_by: None,
        submitted_at: None,
        note: None,
        editors: Vec::new(),
    };
    Ok((draft, live_version))
}

fn answer(row: DraftRow, live_version: u64) -> ApiResult<Draft> {
    let content = serde_json::from_str(&row.content).map_err(|e| {
        ApiError::internal(&format!("the stored draft of {} does not decode: {e}", row.channel))
    })?;
    Ok(Draft {
        channel: row.channel,
        revision: row.revision,
        base_version: row.base_version,
        live_version,
        state: row.state,
        content,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
        submitted_by: row.submitted_by,
        submitted_at: row.submitted_at,
        note: row.note,
        editors: row.editors,
    })
}

/// The answer to a step [`draft_flow`] refused.
fn refusal(stored: &DraftRow, revision: u64, refused: Refused) -> ApiError {
    match refused {
        Refused::Conflict => conflict(stored, revision),
        Refused::NotInReview => ApiError::new(
            StatusCode::CONFLICT,
            "not_in_review",
            "this draft has not been submitted for review",
        ),
        Refused::OwnChange => ApiError::new(
            StatusCode::FORBIDDEN,
            "own_change",
            "you changed this draft yourself; another approver must review and publish it",
        ),
    }
}

fn conflict(stored: &DraftRow, revision: u64) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "draft_conflict",
        format!(
            "{} saved this draft at {} UTC (revision {}) after you opened revision {revision}; nothing was overwritten: reload to see their change, then make yours again",
            stored.updated_by,
            stored.updated_at.get(..16).unwrap_or(&stored.updated_at).replace('T', " "),
            stored.revision
        ),
    )
}

/// Stores `next` over `stored`, or `409 draft_conflict` when someone saved in between.
async fn store(state: &AppState, stored: &DraftRow, next: DraftRow) -> ApiResult<DraftRow> {
    let expected = (stored.revision > 0).then_some(stored.revision);
    if state.staff.save_draft(next.clone(), expected).await? {
        return Ok(next);
    }
    let now = state.staff.draft(stored.channel.clone()).await?.unwrap_or_else(|| stored.clone());
    Err(conflict(&now, stored.revision))
}

/// `GET /v1/admin/channels/{c}/draft`.
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
) -> ApiResult<Json<Draft>> {
    who.require(&channel, Role::Viewer)?;
    let (draft, live_version) = current(&state, &channel).await?;
    Ok(Json(answer(draft, live_version)?))
}

/// `PUT /v1/admin/channels/{c}/draft`.
pub async fn save(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
    ApiJson(body): ApiJson<DraftSave>,
) -> ApiResult<Json<Draft>> {
    who.require(&channel, Role::Editor)?;
    let content: ContentPack = serde_json::from_value(body.content)
        .map_err(|e| ApiError::bad_request("invalid_content", format!("this is not a content pack: {e}")))?;
    let (stored, live_version) = current(&state, &channel).await?;
    let now = sortable_time(state.clock.now());
    let content = serde_json::to_string(&content).expect("content serializes");
    let (next, withdrawn) = draft_flow::saved(&stored, body.revision, &who.name, &now, content)
        .map_err(|refused| refusal(&stored, body.revision, refused))?;
    let saved = store(&state, &stored, next).await?;
    let detail = match withdrawn {
        true => format!("saved revision {} (the submission for review was withdrawn)", saved.revision),
        false => format!("saved revision {}", saved.revision),
    };
    audit::by(&state, &who, "draft.save", Some(&channel), detail).await?;
    Ok(Json(answer(saved, live_version)?))
}

/// The manifest a draft would be published as: its content and the library's
/// facts of every file it uses; `400 missing_media` for a file not in the library.
async fn manifest_of(state: &AppState, channel: &str, content: ContentPack) -> ApiResult<Manifest> {
    let mut blobs = Vec::new();
    let used: BTreeSet<BlobId> = content.blob_uses().into_iter().map(|(_, id, _)| id.clone()).collect();
    let places: BTreeMap<BlobId, String> =
        content.blob_uses().into_iter().map(|(place, id, _)| (id.clone(), place)).collect();
    for id in used {
        let row = state.staff.media_item(id.to_string()).await?.ok_or_else(|| {
            ApiError::bad_request(
                "missing_media",
                format!("{} uses {id}, which is not in the media library; upload it first", places[&id]),
            )
        })?;
        let media_type: MediaType = serde_json::from_value(serde_json::Value::String(row.media_type.clone()))
            .map_err(|e| ApiError::internal(&e))?;
        blobs.push(BlobRef { sha256: id, size: row.size, media_type, probe: None });
    }
    Ok(Manifest {
        format: FORMAT,
        channel: channel.to_owned(),
        version: 0,
        created_at: state.clock.now(),
        expires_at: None,
        blobs,
        content,
    })
}

/// `POST /v1/admin/channels/{c}/draft/submit`.
pub async fn submit(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
    ApiJson(body): ApiJson<DraftStep>,
) -> ApiResult<Json<Draft>> {
    who.require(&channel, Role::Editor)?;
    let (stored, live_version) = current(&state, &channel).await?;
    draft_flow::may_submit(&stored, body.revision)
        .map_err(|refused| refusal(&stored, body.revision, refused))?;
    let content: ContentPack = serde_json::from_str(&stored.content).map_err(|e| ApiError::internal(&e))?;
    let manifest = manifest_of(&state, &channel, content).await?;
    manifest
        .content
        .check(&manifest.blobs)
        .map_err(|e| ApiError::bad_request("invalid_content", e.to_string()))?;
    let now = sortable_time(state.clock.now());
    let next = draft_flow::submitted(&stored, &who.name, &now, body.note);
    let saved = store(&state, &stored, next).await?;
    let detail = format!("submitted revision {} for review{}", saved.revision, note_suffix(&saved.note));
    audit::by(&state, &who, "draft.submit", Some(&channel), detail).await?;
    Ok(Json(answer(saved, live_version)?))
}

fn note_suffix(note: &Option<String>) -> String {
    note.as_ref().map(|n| format!(": \"{n}\"")).unwrap_or_default()
}

/// `POST /v1/admin/channels/{c}/draft/approve`: signs and publishes the draft.
pub async fn approve(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
    ApiJson(body): ApiJson<DraftStep>,
) -> ApiResult<(StatusCode, Json<Published>)> {
    who.require(&channel, Role::Approver)?;
    let (stored, _) = current(&state, &channel).await?;
    draft_flow::may_approve(&stored, body.revision, &who.name)
        .map_err(|refused| refusal(&stored, body.revision, refused))?;
    let content: ContentPack = serde_json::from_str(&stored.content).map_err(|e| ApiError::internal(&e))?;
    let manifest = manifest_of(&state, &channel, content).await?;
    let published = publish(&state, &channel, manifest).await?;
    let now = sortable_time(state.clock.now());
    store(&state, &stored, draft_flow::published(&stored, &who.name, &now, published.version)).await?;
    let detail = format!(
        "approved revision {} submitted by {}; published version {}",
        stored.revision,
        stored.submitted_by.as_deref().unwrap_or("?"),
        published.version
    );
    audit::by(&state, &who, "draft.approve", Some(&channel), detail).await?;
    Ok((StatusCode::CREATED, Json(published)))
}

/// `POST /v1/admin/channels/{c}/draft/reject`: sends the draft back with a note.
pub async fn reject(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
    ApiJson(body): ApiJson<DraftStep>,
) -> ApiResult<Json<Draft>> {
    who.require(&channel, Role::Approver)?;
    let (stored, live_version) = current(&state, &channel).await?;
    let now = sortable_time(state.clock.now());
    let next = draft_flow::rejected(&stored, body.revision, &who.name, &now, body.note)
        .map_err(|refused| refusal(&stored, body.revision, refused))?;
    let saved = store(&state, &stored, next).await?;
    let detail = format!("sent revision {} back{}", stored.revision, note_suffix(&saved.note));
    audit::by(&state, &who, "draft.reject", Some(&channel), detail).await?;
    Ok(Json(answer(saved, live_version)?))
}

/// One change of a review.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ReviewChange {
    /// Where.
    pub place: String,
    /// `added`, `removed` or `changed`.
    pub kind: String,
    /// The live value.
    pub before: Option<String>,
    /// The draft's value.
    pub after: Option<String>,
}

/// A file a review adds or removes.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct ReviewBlob {
    /// SHA-256.
    pub sha256: String,
    /// Its name in the library.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its length.
    #[ts(type = "number")]
    pub size: u64,
}

/// What approving the draft would change on the screens.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct Review {
    /// The channel.
    pub channel: String,
    /// The live version compared against (0: none).
    #[ts(type = "number")]
    pub base_version: u64,
    /// The draft's revision.
    #[ts(type = "number")]
    pub revision: u64,
    /// `editing` or `in_review`.
    pub state: String,
    /// Who submitted it.
    pub submitted_by: Option<String>,
    /// When.
    pub submitted_at: Option<String>,
    /// Their note.
    pub note: Option<String>,
    /// Everyone who changed it.
    pub editors: Vec<String>,
    /// Every change, in the draft's order, then what is removed.
    pub changes: Vec<ReviewChange>,
    /// Files the screens will fetch.
    pub blobs_added: Vec<ReviewBlob>,
    /// Files no longer used.
    pub blobs_removed: Vec<ReviewBlob>,
    /// What each screen downloads.
    #[ts(type = "number")]
    pub bytes_to_transfer: u64,
}

/// `GET /v1/admin/channels/{c}/review`.
pub async fn review(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
) -> ApiResult<Json<Review>> {
    who.require(&channel, Role::Viewer)?;
    let (draft, live_version) = current(&state, &channel).await?;
    let live = live(&state, &channel).await?;
    let after: ContentPack = serde_json::from_str(&draft.content).map_err(|e| ApiError::internal(&e))?;
    let library: BTreeMap<String, MediaRow> =
        state.staff.media().await?.into_iter().map(|row| (row.sha256.clone(), row)).collect();
    let name = |id: &BlobId| {
        library.get(id.as_str()).map_or_else(|| format!("{}…", &id.as_str()[..12]), |m| m.name.clone())
    };
    let changes = content_changes(live.as_ref().map(|m| &m.content), &after, &name)
        .into_iter()
        .map(|c| ReviewChange {
            place: c.place,
            kind: match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            }
            .into(),
            before: c.before,
            after: c.after,
        })
        .collect();
    let ids = |pack: Option<&ContentPack>| -> BTreeSet<BlobId> {
        pack.map(|p| p.blob_uses().into_iter().map(|(_, id, _)| id.clone()).collect()).unwrap_or_default()
    };
    let (old, new) = (ids(live.as_ref().map(|m| &m.content)), ids(Some(&after)));
    let describe = |id: &BlobId| {
        let known = live.as_ref().and_then(|m| m.blob(id));
        let row = library.get(id.as_str());
        ReviewBlob {
            sha256: id.to_string(),
            name: name(id),
            media_type: row
                .map(|r| r.media_type.clone())
                .or_else(|| known.map(|b| b.media_type.mime().to_owned()))
                .unwrap_or_default(),
            size: row.map(|r| r.size).or_else(|| known.map(|b| b.size)).unwrap_or(0),
        }
    };
    let blobs_added: Vec<ReviewBlob> = new.difference(&old).map(describe).collect();
    let blobs_removed = old.difference(&new).map(describe).collect();
    Ok(Json(Review {
        channel,
        base_version: live_version,
        revision: draft.revision,
        state: draft.state,
        submitted_by: draft.submitted_by,
        submitted_at: draft.submitted_at,
        note: draft.note,
        editors: draft.editors,
        changes,
        bytes_to_transfer: blobs_added.iter().map(|b| b.size).sum(),
        blobs_added,
        blobs_removed,
    }))
}
