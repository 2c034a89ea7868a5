//! Release announcements over server-sent events.
//!
//! `GET /v1/channels/{channel}/events` answers `text/event-stream`: at once the
//! channel's current release, then every release published on it, each as
//! `event: release` with `data: {"version", "manifest_sha256"}`, and a comment
//! line every [`Settings::keep_alive`](crate::Settings::keep_alive) to keep the
//! connection open. A stream that fell behind is sent the current release, which
//! is all a device needs to know. Streams end when the server shuts down.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Serialize;
use tokio::sync::{broadcast, watch};

use crate::app::AppState;
use crate::auth::Reader;
use crate::db::Db;
use crate::error::ApiResult;
use crate::extract::ChannelName;

/// A release just published, or current when a stream opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Announcement {
    /// The channel.
    #[serde(skip)]
    pub channel: String,
    /// The release's version.
    pub version: u64,
    /// SHA-256 of its manifest.
    pub manifest_sha256: String,
}

/// Hands announcements to every open stream, and closes them at shutdown.
#[derive(Debug, Clone)]
pub struct Announcer {
    releases: broadcast::Sender<Announcement>,
    closing: watch::Sender<bool>,
}

impl Default for Announcer {
    fn default() -> Self {
        Self::new()
    }
}

impl Announcer {
    /// An announcer with no listener yet.
    pub fn new() -> Self {
        Self { releases: broadcast::channel(64).0, closing: watch::channel(false).0 }
    }

    /// Tells every open stream of the channel.
    pub fn announce(&self, announcement: Announcement) {
        let _ = self.releases.send(announcement);
    }

    /// Ends every open stream.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

fn event(announcement: &Announcement) -> Event {
    Event::default()
        .event("release")
        .json_data(announcement)
        .unwrap_or_else(|_| Event::default().comment("unencodable announcement"))
}

struct Listener {
    channel: String,
    db: Db,
    first: Option<Announcement>,
    releases: broadcast::Receiver<Announcement>,
    closing: watch::Receiver<bool>,
}

enum Next {
    Send(Announcement),
    Catch,
    Skip,
    End,
}

impl Listener {
    async fn current(&self) -> Option<Announcement> {
        match self.db.latest_release(self.channel.clone()).await {
            Ok(release) => release.map(|r| Announcement {
                channel: self.channel.clone(),
                version: r.version,
                manifest_sha256: r.manifest_sha256,
            }),
            Err(error) => {
                tracing::warn!(%error, "reading the current release for an event stream");
                None
            }
        }
    }

    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        if let Some(first) = self.first.take() {
            return Some((Ok(event(&first)), self));
        }
        loop {
            let next = tokio::select! {
                _ = self.closing.wait_for(|closing| *closing) => Next::End,
                received = self.releases.recv() => match received {
                    Ok(a) if a.channel == self.channel => Next::Send(a),
                    Ok(_) => Next::Skip,
                    Err(broadcast::error::RecvError::Lagged(_)) => Next::Catch,
                    Err(broadcast::error::RecvError::Closed) => Next::End,
                },
            };
            match next {
                Next::Send(a) => return Some((Ok(event(&a)), self)),
                Next::Catch => {
                    if let Some(a) = self.current().await {
                        return Some((Ok(event(&a)), self));
                    }
                }
                Next::Skip => {}
                Next::End => return None,
            }
        }
    }
}

/// `GET /v1/channels/{channel}/events`.
pub async fn release_events(
    State(state): State<AppState>,
    reader: Reader,
    ChannelName(channel): ChannelName,
) -> ApiResult<impl IntoResponse> {
    reader.may_read(&channel)?;
    let mut listener = Listener {
        releases: state.announcer.releases.subscribe(),
        closing: state.announcer.closing.subscribe(),
        channel,
        db: state.db.clone(),
        first: None,
    };
    listener.first = listener.current().await;
    let stream = futures_util::stream::unfold(listener, Listener::next);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(state.settings.keep_alive).text("keep-alive")))
}
