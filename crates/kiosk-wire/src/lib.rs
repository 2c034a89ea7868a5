//! What crosses the device API (`docs/device-api.md`), in one place for the
//! server that answers it and the screens that call it.
//!
//! Every type here is plain serde data with the exact JSON shape that travels;
//! the domain itself (manifests, emergency messages, their verification) stays in
//! `kiosk-core`, which this crate only wraps where a payload carries it. The
//! types also describe themselves to TypeScript (`ts-rs`): `cargo test` writes
//! them to `ui/wire/`, where the staff console and the kiosk interface read them.
//!
//! # Layout
//! - [`event`]: proof-of-play and interaction events, as a screen records and sends them.
//! - [`report`]: `POST /v1/reports`: the heartbeat, the events, and the answer.
//! - [`enrol`]: `POST /v1/enrol`: the one-time code and the device's token;
//!   `POST /v1/token/renew`: a fresh token for one about to expire.
//! - [`announcement`]: what the event stream says (`release`, `emergency`,
//!   `screenshot`), and the signed emergency message it and
//!   `GET /v1/channels/{channel}/emergency` carry.
//! - [`screenshot`]: `PUT /v1/screenshots/{request}`: the limits of an upload,
//!   the scheduled request's name, and the answer.
//! - [`paths`]: the routes of the device API, as request paths and as router patterns.
//! - [`headers`]: the headers of the device API.
//!
//! # Example
//! ```
//! use kiosk_wire::{Event, EventKind, Report, paths};
//!
//! let event = Event::new(EventKind::Touch, jiff::Timestamp::UNIX_EPOCH, serde_json::Map::new());
//! let report = Report { heartbeat: None, events: vec![event] };
//! let body = serde_json::to_string(&report).unwrap();
//! assert!(body.contains(r#""kind":"touch""#));
//! assert_eq!(paths::manifest("wtc-booths"), "/v1/channels/wtc-booths/manifest");
//! ```

pub mod announcement;
pub mod enrol;
pub mod event;
pub mod headers;
pub mod paths;
pub mod report;
pub mod screenshot;

pub use announcement::{Announcement, ReleaseAnnounced, ScreenshotRequested, SignedEmergency};
pub use enrol::{EnrolRequest, Enrolled, TokenRenewed};
pub use event::{Event, EventKind, SurveyAnswer, new_event_id};
pub use report::{Heartbeat, Report, ReportAccepted, ReportedEvent};
pub use screenshot::ScreenshotStored;
