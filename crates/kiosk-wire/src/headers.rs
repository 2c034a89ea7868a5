//! The headers of the device API that are its own (lowercase, as HTTP/2 and
//! `http::HeaderName` spell them): of its answers, and of a screenshot upload.

/// On `GET /v1/channels/{channel}/manifest`: the manifest's 64-byte Ed25519
/// signature, 128 hex digits.
pub const MANIFEST_SIGNATURE_HEADER: &str = "x-manifest-signature";

/// On `GET /v1/channels/{channel}/manifest`: the release's version.
pub const RELEASE_VERSION_HEADER: &str = "x-release-version";

/// On `GET /v1/channels/{channel}/emergency`: the message's signature, hex.
pub const MESSAGE_SIGNATURE_HEADER: &str = "x-message-signature";

/// On `PUT /v1/screenshots/{request}`: when the screen captured it, by its own
/// clock (RFC 3339).
pub const TAKEN_AT_HEADER: &str = "x-taken-at";
