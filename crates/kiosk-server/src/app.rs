//! The router: every route of the server, and the JSON answers for unknown
//! routes and methods. Device API routes are spelled by
//! [`kiosk_wire::paths`], the patterns screens build their requests from.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use kiosk_wire::paths;
use tower_http::trace::TraceLayer;

use crate::console::{audit, drafts, files, media, session, surveys, tokens, uploads, users};
use crate::error::ApiError;
use crate::settings::MAX_JSON_BYTES;
use crate::state::AppState;
use crate::{admin, device, device_token, emergency, events, fleet, reports, screenshots};

async fn not_found() -> ApiError {
    ApiError::not_found("not_found", "no such route; see docs/device-api.md")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}

/// The OpenAPI document of every route (`GET /v1/openapi.json`); a test checks
/// that it names exactly the routes of [`router`].
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let console_files = files::routes(state.settings.console_dir.clone());
    Router::new()
        .route("/v1/openapi.json", get(openapi))
        .route("/v1/public-key", get(admin::public_key))
        .route("/v1/emergency-key", get(admin::emergency_key))
        .route("/v1/admin/blobs/{sha256}", put(admin::put_blob).get(admin::blob_info))
        .route("/v1/admin/channels", post(admin::create_channel).get(admin::list_channels))
        .route(
            "/v1/admin/channels/{channel}/releases",
            post(admin::publish_release).get(admin::list_releases),
        )
        .route("/v1/admin/channels/{channel}/rollback", post(admin::rollback))
        .route(
            "/v1/admin/channels/{channel}/emergency",
            get(emergency::now).post(emergency::raise).delete(emergency::withdraw),
        )
        .route("/v1/admin/emergency", post(emergency::raise_on_group))
        .route("/v1/admin/emergency/withdraw", post(emergency::withdraw_on_group))
        .route("/v1/admin/channels/{channel}/enrolment-codes", post(admin::create_enrolment_code))
        .route("/v1/admin/devices", get(admin::list_devices))
        .route("/v1/admin/devices/{id}", put(fleet::routes::change))
        .route("/v1/admin/devices/{id}/revoke", post(device_token::revoke))
        .route("/v1/admin/devices/{id}/screenshot", post(screenshots::routes::ask))
        .route("/v1/admin/devices/{id}/screenshots", get(screenshots::routes::list))
        .route("/v1/admin/devices/{id}/screenshots/{file}", get(screenshots::routes::picture))
        .route("/v1/admin/fleet", get(fleet::routes::fleet))
        .route("/v1/admin/alerts", get(fleet::routes::alerts))
        .route("/v1/admin/events", get(admin::query_events))
        .route("/v1/admin/reports/{report}", get(reports::routes::report))
        .route("/v1/admin/yearly-report", get(reports::routes::yearly))
        .route("/v1/session", post(session::sign_in).get(session::current).delete(session::sign_out))
        .route("/v1/admin/users", get(users::list).post(users::create))
        .route("/v1/admin/users/{name}", put(users::change))
        .route("/v1/admin/tokens", get(tokens::list).post(tokens::create))
        .route("/v1/admin/tokens/{name}", delete(tokens::revoke))
        .route("/v1/admin/audit", get(audit::list))
        .route("/v1/admin/uploads", post(uploads::begin))
        .route("/v1/admin/uploads/{id}", get(uploads::status).patch(uploads::append))
        .route("/v1/admin/uploads/{id}/finish", post(uploads::finish))
        .route("/v1/admin/media", get(media::list))
        .route("/v1/admin/media/{sha256}/thumbnail", get(media::thumbnail))
        .route("/v1/admin/media/{sha256}/file", get(media::file))
        .route("/v1/admin/qr.svg", get(media::qr))
        .route("/v1/admin/channels/{channel}/draft", get(drafts::get).put(drafts::save))
        .route("/v1/admin/channels/{channel}/draft/submit", post(drafts::submit))
        .route("/v1/admin/channels/{channel}/draft/approve", post(drafts::approve))
        .route("/v1/admin/channels/{channel}/draft/reject", post(drafts::reject))
        .route("/v1/admin/channels/{channel}/review", get(drafts::review))
        .route("/v1/admin/channels/{channel}/surveys", get(surveys::results))
        .route(paths::ENROL_ROUTE, post(device::enrol))
        .route(paths::TOKEN_RENEW_ROUTE, post(device_token::renew))
        .route(paths::REPORTS_ROUTE, post(device::report))
        .route(paths::MANIFEST_ROUTE, get(device::manifest))
        .route(paths::CHANNEL_EVENTS_ROUTE, get(events::release_events))
        .route(paths::EMERGENCY_ROUTE, get(emergency::current))
        .route(paths::BLOB_ROUTE, get(device::blob))
        .route(paths::SCREENSHOT_ROUTE, put(screenshots::routes::upload))
        .merge(console_files)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
