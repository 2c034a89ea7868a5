//! The routes of the device API, each twice: as the pattern a router matches
//! (`*_ROUTE`, axum's `{name}` syntax) and as a function building the path a
//! screen requests. A test keeps each pair in agreement.
//!
//! | route | pattern | path |
//! |---|---|---|
//! | `POST` enrol | [`ENROL_ROUTE`] | [`enrol`] |
//! | `POST` renew the device token | [`TOKEN_RENEW_ROUTE`] | [`token_renew`] |
//! | `POST` a report | [`REPORTS_ROUTE`] | [`reports`] |
//! | `GET` the current manifest | [`MANIFEST_ROUTE`] | [`manifest`] |
//! | `GET` the event stream | [`CHANNEL_EVENTS_ROUTE`] | [`channel_events`] |
//! | `GET` the newest emergency message | [`EMERGENCY_ROUTE`] | [`emergency`] |
//! | `GET` a blob | [`BLOB_ROUTE`] | [`blob`] |
//! | `PUT` a screenshot | [`SCREENSHOT_ROUTE`] | [`screenshot`] |
//!
//! Channel names are slugs, blob names and screenshot requests hex (or
//! `scheduled`), so paths need no escaping.

use std::fmt::Display;

/// `POST`: a one-time code for a device token.
pub const ENROL_ROUTE: &str = "/v1/enrol";

/// `POST`: the device's token for a fresh one.
pub const TOKEN_RENEW_ROUTE: &str = "/v1/token/renew";

/// `POST`: a heartbeat and events.
pub const REPORTS_ROUTE: &str = "/v1/reports";

/// `GET`: the channel's current manifest, its exact bytes.
pub const MANIFEST_ROUTE: &str = "/v1/channels/{channel}/manifest";

/// `GET`: the channel's announcements, server-sent events.
pub const CHANNEL_EVENTS_ROUTE: &str = "/v1/channels/{channel}/events";

/// `GET`: the channel's newest emergency message or withdrawal.
pub const EMERGENCY_ROUTE: &str = "/v1/channels/{channel}/emergency";

/// `GET`: a blob by its SHA-256.
pub const BLOB_ROUTE: &str = "/v1/blobs/{sha256}";

/// `PUT`: the PNG a screen captured for a request (or on its schedule).
pub const SCREENSHOT_ROUTE: &str = "/v1/screenshots/{request}";

/// The path of [`ENROL_ROUTE`].
pub fn enrol() -> &'static str {
    ENROL_ROUTE
}

/// The path of [`TOKEN_RENEW_ROUTE`].
pub fn token_renew() -> &'static str {
    TOKEN_RENEW_ROUTE
}

/// The path of [`REPORTS_ROUTE`].
pub fn reports() -> &'static str {
    REPORTS_ROUTE
}

/// The path of [`MANIFEST_ROUTE`] for `channel`.
pub fn manifest(channel: &str) -> String {
    format!("/v1/channels/{channel}/manifest")
}

/// The path of [`CHANNEL_EVENTS_ROUTE`] for `channel`.
pub fn channel_events(channel: &str) -> String {
    format!("/v1/channels/{channel}/events")
}

/// The path of [`EMERGENCY_ROUTE`] for `channel`.
pub fn emergency(channel: &str) -> String {
    format!("/v1/channels/{channel}/emergency")
}

/// The path of [`BLOB_ROUTE`] for the blob named `sha256` (a `BlobId` or its text).
pub fn blob(sha256: impl Display) -> String {
    format!("/v1/blobs/{sha256}")
}

/// The path of [`SCREENSHOT_ROUTE`] for `request` (an announced request's id,
/// or [`crate::screenshot::SCHEDULED`]).
pub fn screenshot(request: &str) -> String {
    format!("/v1/screenshots/{request}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `path` is matched by `pattern`, where `{name}` stands for one
    /// non-empty segment, as axum matches it.
    fn matches(pattern: &str, path: &str) -> bool {
        let (pattern, path): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
        pattern.len() == path.len()
            && pattern.iter().zip(&path).all(|(want, got)| match want.strip_prefix('{') {
                Some(name) => name.ends_with('}') && !got.is_empty(),
                None => want == got,
            })
    }

    #[test]
    fn every_path_is_matched_by_its_route_and_fills_it_exactly() {
        let sha256 = "0123456789abcdef".repeat(4);
        let cases = [
            (ENROL_ROUTE, enrol().to_owned(), "/v1/enrol".to_owned()),
            (REPORTS_ROUTE, reports().to_owned(), "/v1/reports".to_owned()),
            (TOKEN_RENEW_ROUTE, token_renew().to_owned(), "/v1/token/renew".to_owned()),
            (MANIFEST_ROUTE, manifest("wtc-booths"), MANIFEST_ROUTE.replace("{channel}", "wtc-booths")),
            (
                CHANNEL_EVENTS_ROUTE,
                channel_events("wtc-booths"),
                CHANNEL_EVENTS_ROUTE.replace("{channel}", "wtc-booths"),
            ),
            (EMERGENCY_ROUTE, emergency("wtc-booths"), EMERGENCY_ROUTE.replace("{channel}", "wtc-booths")),
            (BLOB_ROUTE, blob(&sha256), BLOB_ROUTE.replace("{sha256}", &sha256)),
            (SCREENSHOT_ROUTE, screenshot("scheduled"), SCREENSHOT_ROUTE.replace("{request}", "scheduled")),
        ];
        for (route, built, filled) in &cases {
            assert!(matches(route, built), "{built} is not matched by {route}");
            assert_eq!(built, filled, "{route}");
            let others = cases.iter().filter(|(other, _, _)| other != route);
            for (other, _, _) in others {
                assert!(!matches(other, built), "{built} is matched by {other} too");
            }
        }
        assert_eq!(manifest("wtc-booths"), "/v1/channels/wtc-booths/manifest");
        assert_eq!(blob("ab"), "/v1/blobs/ab");
    }

    #[test]
    fn the_matcher_wants_whole_segments() {
        assert!(matches("/v1/blobs/{sha256}", "/v1/blobs/ab"));
        assert!(!matches("/v1/blobs/{sha256}", "/v1/blobs/"));
        assert!(!matches("/v1/blobs/{sha256}", "/v1/blobs/a/b"));
        assert!(!matches("/v1/enrol", "/v1/enrolment"));
    }
}
