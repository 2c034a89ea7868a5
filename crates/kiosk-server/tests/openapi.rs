//! The OpenAPI document the server serves names exactly the method and path
//! pairs of the router (read from `src/app.rs`, the device API's paths through
//! the `kiosk_wire::paths` constants it names), and each documented route
//! answers (without a token: `401` for the guarded ones, never the "no such
//! route" fallback).

mod support;

use std::collections::BTreeSet;

use reqwest::StatusCode;
use support::start;

/// The pattern of a route constant the router names (`paths::MANIFEST_ROUTE`),
/// read from `kiosk_wire::paths`'s source.
fn wire_route(name: &str) -> String {
    let source = include_str!("../../kiosk-wire/src/paths.rs");
    let name =
        name.strip_prefix("paths::").unwrap_or_else(|| panic!("{name} is not a kiosk_wire::paths constant"));
    let declaration = format!("pub const {name}: &str = \"");
    let (_, rest) =
        source.split_once(&declaration).unwrap_or_else(|| panic!("kiosk_wire::paths has no {name}"));
    let (pattern, _) = rest.split_once('"').unwrap();
    assert_eq!(
        Some(pattern),
        [
            kiosk_wire::paths::ENROL_ROUTE,
            kiosk_wire::paths::TOKEN_RENEW_ROUTE,
            kiosk_wire::paths::REPORTS_ROUTE,
            kiosk_wire::paths::MANIFEST_ROUTE,
            kiosk_wire::paths::CHANNEL_EVENTS_ROUTE,
            kiosk_wire::paths::EMERGENCY_ROUTE,
            kiosk_wire::paths::BLOB_ROUTE,
            kiosk_wire::paths::SCREENSHOT_ROUTE,
        ]
        .into_iter()
        .find(|route| *route == pattern),
        "{name} was read as it is compiled"
    );
    pattern.to_owned()
}

/// `(method, path)` of every `.route("path" or paths::CONSTANT, get(..).post(..))`
/// in the router's source.
fn routes_in_router() -> BTreeSet<(String, String)> {
    let source = include_str!("../src/app.rs");
    let mut routes = BTreeSet::new();
    for piece in source.split(".route(").skip(1) {
        let piece = piece.trim_start();
        let (path, rest) = match piece.strip_prefix('"') {
            Some(literal) => {
                let (path, rest) = literal.split_once('"').unwrap();
                (path.to_owned(), rest)
            }
            None => {
                let (name, rest) = piece.split_once(',').unwrap();
                (wire_route(name.trim()), rest)
            }
        };
        let mut depth = 0;
        let mut word = String::new();
        for c in rest.chars() {
            match c {
                '(' => {
                    if depth == 0 && !word.is_empty() {
                        routes.insert((word.to_uppercase(), path.clone()));
                    }
                    depth += 1;
                }
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                c if depth == 0 && (c.is_ascii_alphanumeric() || c == '_') => word.push(c),
                _ if depth == 0 => word.clear(),
                _ => {}
            }
        }
    }
    routes
}

fn documented(doc: &serde_json::Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys().filter(|k| *k != "parameters") {
            routes.insert((method.to_uppercase(), path.clone()));
        }
    }
    routes
}

#[tokio::test]
async fn the_document_names_every_route_and_every_route_answers() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let response = server.client.get(server.url("/v1/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let in_router = routes_in_router();
    assert!(in_router.len() >= 20, "the router's routes were not found: {in_router:?}");
    let in_doc = documented(&doc);
    let undocumented: Vec<_> = in_router.difference(&in_doc).collect();
    let unserved: Vec<_> = in_doc.difference(&in_router).collect();
    assert!(undocumented.is_empty(), "routes missing from openapi.json: {undocumented:?}");
    assert!(unserved.is_empty(), "openapi.json documents routes the server lacks: {unserved:?}");

    for (method, path) in &in_doc {
        let operation = &doc["paths"][path][method.to_lowercase()];
        assert!(operation["summary"].is_string(), "{method} {path} has no summary");
        let url = server.url(&path.replace("{channel}", "wtc-booths").replace("{sha256}", &"0".repeat(64)));
        let answer = server.client.request(method.parse().unwrap(), url).send().await.unwrap();
        let status = answer.status();
        let body = answer.text().await.unwrap();
        assert!(
            status != StatusCode::NOT_FOUND || !body.contains("\"not_found\""),
            "{method} {path} is documented but not routed"
        );
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        if operation["security"].is_array() {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} answers without a token: {body}");
            let codes = operation["responses"].as_object().unwrap();
            assert!(codes.contains_key("401"), "{method} {path} does not document its 401");
        }
    }
    server.stop().await;
}
