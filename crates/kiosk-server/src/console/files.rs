//! The console's files (`ui/console/dist`), served at `/console/`: every path
//! that is not a file answers the console's `index.html`, so its own routes
//! survive a reload. Strict headers keep other sites from framing it and
//! scripts from anywhere but the server.

use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Redirect;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

/// The console's content security policy.
const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
                   style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; \
                   frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Routes for the console's files under `/console/`, and `/` leading there;
/// nothing when the server has no console folder.
pub fn routes(dir: Option<PathBuf>) -> Router<AppState> {
    let Some(dir) = dir else { return Router::new() };
    let files = ServeDir::new(&dir)
        .append_index_html_on_directories(true)
        .fallback(ServeFile::new(dir.join("index.html")));
    let header = |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    let console = ServiceBuilder::new()
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .service(files);
    Router::new().nest_service("/console", console).route("/", get(|| async { Redirect::to("/console/") }))
}
