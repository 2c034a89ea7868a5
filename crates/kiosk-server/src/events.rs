//! Release announcements and emergency messages over server-sent events.
//!
//! `GET /v1/channels/{channel}/events` answers `text/event-stream`: at once the
//! channel's current release and its newest emergency message or withdrawal (a
//! screen that was away when a message was withdrawn learns it on reconnecting),
//! then every release published and every emergency message raised or withdrawn
//! on it: `event: release` with `data: {"version", "manifest_sha256"}`, and
//! `event: emergency` with `data: {"message": "<signed JSON text>", "signature":
//! "<hex>"}`; to one device's streams only, `event: screenshot` with `data:
//! {"device", "request"}` when staff ask it for a screenshot; a comment line
//! every [`Settings::keep_alive`](crate::Settings::keep_alive) keeps the
//! connection open. Names and data are [`kiosk_wire::announcement`]'s,
//! which screens read them with. A stream that fell behind is sent the current
//! release and emergency message, which is all a device needs to know. Streams
//! end when the server shuts down, and a device's when its token is revoked.
//! A device holds at most [`Settings::max_streams_per_device`](crate::Settings::max_streams_per_device)
//! streams at once (`429 too_many_streams`).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use kiosk_wire::{Announcement, ReleaseAnnounced};
use tokio::sync::{broadcast, watch};

use crate::auth::Reader;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::extract::ChannelName;
use crate::fleet::streams::{StreamHeld, StreamRefused};
use crate::replicas::{Note, Replicas};
use crate::state::AppState;

/// What a channel's screens are told: a release just published, or an
/// emergency message raised or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelNews {
    /// The channel.
    pub channel: String,
    /// What happened on it.
    pub news: Announcement,
}

/// Hands announcements to every open stream (and, through [`Replicas`], to
/// the other replicas' streams), and closes them at shutdown.
#[derive(Debug, Clone)]
pub struct Announcer {
    releases: broadcast::Sender<ChannelNews>,
    closing: watch::Sender<bool>,
    replicas: Replicas,
    /// What this server's streams were last told, per channel.
    told: Arc<Mutex<HashMap<String, Told>>>,
}

/// The newest release and emergency message a channel's streams were told.
#[derive(Debug, Default)]
struct Told {
    release: Option<u64>,
    /// The emergency message's signature.
    emergency: Option<String>,
}

impl Told {
    fn knows(&self, news: &Announcement) -> bool {
        match news {
            Announcement::Release(release) => self.release.is_some_and(|told| told >= release.version),
            Announcement::Emergency(message) => self.emergency.as_ref() == Some(&message.signature),
            Announcement::Screenshot(_) => false,
        }
    }

    fn learn(&mut self, news: &Announcement) {
        match news {
            Announcement::Release(release) => {
                self.release = self.release.max(Some(release.version));
            }
            Announcement::Emergency(message) => self.emergency = Some(message.signature.clone()),
            Announcement::Screenshot(_) => {}
        }
    }
}

impl Default for Announcer {
    fn default() -> Self {
        Self::new(Replicas::alone())
    }
}

impl Announcer {
    /// An announcer with no listener yet, telling `replicas` too.
    pub fn new(replicas: Replicas) -> Self {
        Self {
            releases: broadcast::channel(64).0,
            closing: watch::channel(false).0,
            replicas,
            told: Arc::default(),
        }
    }

    /// Tells every open stream of the channel, on every replica.
    pub fn announce(&self, news: ChannelNews) {
        self.replicas.tell(Note::of(&news));
        self.announce_here(news);
    }

    /// Tells every open stream of the channel on this replica only (what
    /// another replica announced).
    pub fn announce_here(&self, news: ChannelNews) {
        self.told
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(news.channel.clone())
            .or_default()
            .learn(&news.news);
        let _ = self.releases.send(news);
    }

    /// Tells this replica's streams of `news` unless it is what they were last
    /// told (a replica catching up with the database tells only what it missed:
    /// every release event makes a screen sync).
    pub fn announce_here_if_new(&self, news: ChannelNews) {
        let known = self
            .told
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&news.channel)
            .is_some_and(|told| told.knows(&news.news));
        if !known {
            self.announce_here(news);
        }
    }

    /// Ends every open stream.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

fn event(news: &Announcement) -> Event {
    Event::default()
        .event(news.event_name())
        .json_data(news)
        .unwrap_or_else(|_| Event::default().comment("unencodable announcement"))
}

struct Listener {
    channel: String,
    db: Db,
    first: Vec<Announcement>,
    releases: broadcast::Receiver<ChannelNews>,
    closing: watch::Receiver<bool>,
    /// The device listening (`None`: the admin token, which hears everything).
    device: Option<String>,
    /// Marks the device as streaming for the fleet view while the stream is
    /// open, and tells when the device's streams are ended.
    held: Option<StreamHeld>,
}

enum Next {
    Send(Announcement),
    Catch,
    Skip,
    End,
}

/// Whether the stream of `device` (`None`: the admin's) carries `news`: what
/// is addressed to one device goes to that device's streams only.
fn hears(device: Option<&str>, news: &Announcement) -> bool {
    match (news.addressed_to(), device) {
        (Some(to), Some(me)) => to == me,
        _ => true,
    }
}

impl Listener {
    /// The channel's current release and emergency message (if one is up).
    async fn current(&self) -> Vec<Announcement> {
        let mut news = Vec::new();
        match self.db.latest_release(self.channel.clone()).await {
            Ok(release) => news.extend(release.map(|r| {
                Announcement::Release(ReleaseAnnounced {
                    version: r.version,
                    manifest_sha256: r.manifest_sha256,
                })
            })),
            Err(error) => tracing::warn!(%error, "reading the current release for an event stream"),
        }
        match self.db.latest_emergency(self.channel.clone()).await {
            Ok(Some(stored)) => news.push(Announcement::Emergency(stored.signed())),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "reading the emergency message for an event stream"),
        }
        news
    }

    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        loop {
            if !self.first.is_empty() {
                let news = self.first.remove(0);
                return Some((Ok(event(&news)), self));
            }
            let next = tokio::select! {
                _ = self.closing.wait_for(|closing| *closing) => Next::End,
                _ = ended(&mut self.held) => Next::End,
                received = self.releases.recv() => match received {
                    Ok(a) if a.channel == self.channel && hears(self.device.as_deref(), &a.news) => Next::Send(a.news),
                    Ok(_) => Next::Skip,
                    Err(broadcast::error::RecvError::Lagged(_)) => Next::Catch,
                    Err(broadcast::error::RecvError::Closed) => Next::End,
                },
            };
            match next {
                Next::Send(news) => return Some((Ok(event(&news)), self)),
                Next::Catch => self.first = self.current().await,
                Next::Skip => {}
                Next::End => return None,
            }
        }
    }
}

/// Completes when the device's streams are ended; never for the admin's.
async fn ended(held: &mut Option<StreamHeld>) {
    match held {
        Some(held) => held.ended().await,
        None => std::future::pending().await,
    }
}

/// `GET /v1/channels/{channel}/events`.
pub async fn release_events(
    State(state): State<AppState>,
    reader: Reader,
    ChannelName(channel): ChannelName,
) -> ApiResult<impl IntoResponse> {
    reader.may_read(&channel)?;
    let held = match &reader {
        Reader::Device(device) => {
            let most = state.settings.max_streams_per_device;
            Some(state.streams.hold(&device.id, most).map_err(|refused| match refused {
                StreamRefused::TooMany => ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_streams",
                    format!(
                        "this device holds {most} event streams open already, the most it may; \
                         close one before opening another"
                    ),
                ),
                StreamRefused::Ended => crate::auth::revoked(),
            })?)
        }
        Reader::Admin => None,
    };
    let mut listener = Listener {
        releases: state.announcer.releases.subscribe(),
        closing: state.announcer.closing.subscribe(),
        channel,
        db: state.db.clone(),
        first: Vec::new(),
        device: match &reader {
            Reader::Device(device) => Some(device.id.clone()),
            Reader::Admin => None,
        },
        held,
    };
    listener.first = listener.current().await;
    let stream = futures_util::stream::unfold(listener, Listener::next);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(state.settings.keep_alive).text("keep-alive")))
}

#[cfg(test)]
mod tests {
    use kiosk_wire::SignedEmergency;

    use super::*;

    fn release(version: u64) -> ChannelNews {
        let news =
            Announcement::Release(ReleaseAnnounced { version, manifest_sha256: format!("{version:064}") });
        ChannelNews { channel: "hall".into(), news }
    }

    fn emergency(signature: &str) -> ChannelNews {
        let news =
            Announcement::Emergency(SignedEmergency { message: "{}".into(), signature: signature.into() });
        ChannelNews { channel: "hall".into(), news }
    }

    #[test]
    fn catching_up_tells_streams_only_what_they_were_not_told() {
        let announcer = Announcer::default();
        let mut streams = announcer.releases.subscribe();
        announcer.announce_here(release(2));
        announcer.announce_here_if_new(release(2));
        announcer.announce_here_if_new(release(1));
        announcer.announce_here_if_new(release(3));
        announcer.announce_here_if_new(emergency("aa"));
        announcer.announce_here_if_new(emergency("aa"));
        announcer.announce_here_if_new(emergency("bb"));
        let mut other = release(3);
        other.channel = "booth".into();
        announcer.announce_here_if_new(other);
        let mut heard = Vec::new();
        while let Ok(news) = streams.try_recv() {
            heard.push(match news.news {
                Announcement::Release(r) => format!("{} release {}", news.channel, r.version),
                Announcement::Emergency(e) => format!("{} emergency {}", news.channel, e.signature),
                Announcement::Screenshot(_) => "screenshot".into(),
            });
        }
        assert_eq!(
            heard,
            ["hall release 2", "hall release 3", "hall emergency aa", "hall emergency bb", "booth release 3"]
        );
    }
}
