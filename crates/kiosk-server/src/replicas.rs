//! Several servers behind one load balancer, sharing one PostgreSQL database
//! and one bucket: what each must hear of what another did.
//!
//! A screen's event stream is held by one replica, its publish or revocation
//! may be made on another. So every [`Note`] a replica makes (a release
//! published, an emergency message raised or withdrawn, a screenshot asked,
//! a device token renewed or revoked) is also sent, in order, through
//! PostgreSQL's `NOTIFY` ([`crate::postgres::notify`]), and every replica
//! [`hear`]s the others' on a connection of its own: it tells its streams, and
//! forgets what its memos kept. A note can be lost (its replica died before
//! sending it, the listening connection was down), so on every (re)connection
//! and every [`CATCH_UP_EVERY`] a replica catches up from the database: it
//! forgets every kept device token, ends the streams of revoked devices and
//! tells its streams each channel's current release and emergency message
//! they were not told yet, which is all a screen needs to know.
//!
//! Each replica also records which devices hold a stream to it
//! ([`share_streams`]), so that the fleet view of any replica shows every
//! screen that is listening ([`Replicas::streaming_elsewhere`]).
//!
//! Publishing and issuing emergency messages take a lock across replicas
//! ([`Replicas::exclusive`]), so versions and issue times never race; the fleet
//! watcher runs on one replica at a time ([`watch_fleet`]), so an alert is
//! sent once. A server on the embedded storage is [`Replicas::alone`] and
//! tells nobody.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, OwnedMutexGuard, mpsc};

use crate::db::DbError;
use crate::events::ChannelNews;
use crate::postgres::PgStore;
use crate::postgres::notify::AdvisoryLock;
use crate::state::AppState;
use kiosk_wire::{Announcement, ReleaseAnnounced, ScreenshotRequested};

/// The advisory lock publishing and emergency messages are made under (`"kiosk-pub"`).
const PUBLISHING_LOCK: i64 = 0x6b69_6f73_6b2d_7075;

/// How often the listening connection is checked (and how long it has to
/// answer), and how long to wait before connecting again after it broke.
const LISTEN_CHECK: Duration = Duration::from_secs(5);

/// How often a replica catches up with the database even when no note was
/// missed as far as it knows: the bound on how long a lost note leaves it behind.
const CATCH_UP_EVERY: Duration = Duration::from_secs(30);

/// The advisory lock of the replica that runs the fleet watcher (`"kiosk-wat"`).
const WATCHER_LOCK: i64 = 0x6b69_6f73_6b2d_7761;

/// How soon a change in which devices hold a stream here is recorded for the others.
const SHARE_STREAMS_WITHIN: Duration = Duration::from_secs(2);

/// How often a replica records its streams even when nothing changed: it is
/// still there.
const SHARE_STREAMS_EVERY: Duration = Duration::from_secs(10);

/// A replica whose streams were not recorded for this long is gone (killed,
/// cut off), and its list is left out.
const STREAMS_FRESH_FOR: Duration = Duration::from_secs(30);

/// What one replica tells the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// A release was published on `channel`.
    Release {
        /// The channel.
        channel: String,
        /// Its version.
        version: u64,
        /// SHA-256 of its manifest.
        manifest_sha256: String,
    },
    /// An emergency message was raised or withdrawn on `channel` (read from
    /// the database: a signed message may not fit in a note).
    Emergency {
        /// The channel.
        channel: String,
    },
    /// Staff asked a screen for a screenshot.
    Screenshot {
        /// The screen's channel.
        channel: String,
        /// The screen.
        device: String,
        /// The request's id.
        request: String,
    },
    /// A device's token was renewed (`end_streams: false`) or revoked.
    ForgetDevice {
        /// The device.
        device: String,
        /// Whether its event streams end.
        end_streams: bool,
    },
}

impl Note {
    /// The note that tells other replicas of `news`.
    pub fn of(news: &ChannelNews) -> Self {
        let channel = news.channel.clone();
        match &news.news {
            Announcement::Release(release) => Note::Release {
                channel,
                version: release.version,
                manifest_sha256: release.manifest_sha256.clone(),
            },
            Announcement::Emergency(_) => Note::Emergency { channel },
            Announcement::Screenshot(asked) => {
                Note::Screenshot { channel, device: asked.device.clone(), request: asked.request.clone() }
            }
        }
    }
}

/// A note as it travels: which replica sent it, so that one does not act on its own twice.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    from: String,
    #[serde(flatten)]
    note: Note,
}

/// This server's link to the other replicas; cheap to clone.
#[derive(Clone)]
pub struct Replicas {
    local: Arc<Mutex<()>>,
    shared: Option<Arc<Shared>>,
}

struct Shared {
    /// This replica's name in the notes it sends.
    id: String,
    store: PgStore,
    outbox: mpsc::UnboundedSender<Note>,
}

impl std::fmt::Debug for Replicas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replicas").field("id", &self.shared.as_ref().map(|s| &s.id)).finish()
    }
}

/// Held while a release is published or an emergency message issued.
pub struct Exclusive {
    _local: OwnedMutexGuard<()>,
    _shared: Option<AdvisoryLock>,
}

impl Replicas {
    /// A server alone on its storage.
    pub fn alone() -> Self {
        Self { local: Arc::default(), shared: None }
    }

    /// A replica sharing `store` with others; its notes are sent in order by a task of its own.
    pub fn sharing(store: PgStore) -> Self {
        let id = crate::admin::random_hex::<8>();
        let (outbox, mut notes) = mpsc::unbounded_channel::<Note>();
        let sender = store.clone();
        let from = id.clone();
        tokio::spawn(async move {
            while let Some(note) = notes.recv().await {
                let payload =
                    serde_json::to_string(&Envelope { from: from.clone(), note }).expect("a note serializes");
                if let Err(error) = sender.notify(&payload).await {
                    tracing::warn!(%error, "the other replicas were not told; they catch up when they reconnect");
                }
            }
        });
        Self { local: Arc::default(), shared: Some(Arc::new(Shared { id, store, outbox })) }
    }

    /// Whether other replicas may share this server's storage.
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Tells the other replicas (nobody when alone).
    pub fn tell(&self, note: Note) {
        if let Some(shared) = &self.shared {
            let _ = shared.outbox.send(note);
        }
    }

    /// The devices holding an event stream to another replica (none when alone).
    pub async fn streaming_elsewhere(&self) -> std::collections::HashSet<String> {
        let Some(shared) = &self.shared else { return Default::default() };
        shared.store.streams_elsewhere(&shared.id, STREAMS_FRESH_FOR).await.unwrap_or_else(|error| {
            tracing::warn!(%error, "the other replicas' event streams are not known now");
            Default::default()
        })
    }

    /// Waits until no other request, on this replica or another, publishes or
    /// issues an emergency message; held until dropped.
    pub async fn exclusive(&self) -> Result<Exclusive, DbError> {
        let local = self.local.clone().lock_owned().await;
        let shared = match &self.shared {
            Some(shared) => Some(shared.store.advisory_lock(PUBLISHING_LOCK).await?),
            None => None,
        };
        Ok(Exclusive { _local: local, _shared: shared })
    }
}

/// Runs the fleet watcher (alerts for quiet screens, and their e-mails and
/// webhooks) on one replica at a time: the one holding [`WATCHER_LOCK`]; when
/// its session breaks, another takes over. Alone, it simply runs.
pub async fn watch_fleet(state: AppState) {
    let Some(shared) = state.replicas.shared.clone() else {
        return crate::fleet::watch::run(state).await;
    };
    loop {
        match shared.store.try_advisory_lock(WATCHER_LOCK).await {
            Ok(Some(mut leading)) => {
                tracing::info!(replica = %shared.id, "this replica watches the fleet");
                tokio::select! {
                    _ = crate::fleet::watch::run(state.clone()) => return,
                    _ = leading.lost() => tracing::warn!("lost the fleet watcher's lock; another replica may take it"),
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "cannot tell which replica watches the fleet"),
        }
        tokio::time::sleep(LISTEN_CHECK).await;
    }
}

/// Records which devices hold a stream to this replica, within
/// [`SHARE_STREAMS_WITHIN`] of a change and every [`SHARE_STREAMS_EVERY`],
/// for as long as the server runs (returns at once when alone).
pub async fn share_streams(state: AppState) {
    let Some(shared) = state.replicas.shared.clone() else { return };
    let mut recorded: Option<u64> = None;
    let mut last = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(SHARE_STREAMS_WITHIN);
    loop {
        tick.tick().await;
        if recorded == Some(state.streams.changes()) && last.elapsed() < SHARE_STREAMS_EVERY {
            continue;
        }
        let (devices, changes) = state.streams.devices();
        match shared.store.share_streams(&shared.id, &devices).await {
            Ok(()) => {
                recorded = Some(changes);
                last = tokio::time::Instant::now();
            }
            Err(error) => {
                tracing::warn!(%error, "the other replicas were not told of this one's event streams")
            }
        }
    }
}

/// Hears the other replicas for as long as the server runs (returns at once when alone).
pub async fn hear(state: AppState) {
    let Some(shared) = state.replicas.shared.clone() else { return };
    loop {
        match shared.store.listen().await {
            Ok(mut listening) => {
                tracing::info!(replica = %shared.id, "hearing the other replicas");
                let mut check = tokio::time::interval(LISTEN_CHECK);
                let mut catching_up = tokio::time::interval(CATCH_UP_EVERY);
                loop {
                    tokio::select! {
                        payload = listening.payloads.recv() => match payload {
                            Some(payload) => act_on(&state, &shared.id, &payload).await,
                            None => break,
                        },
                        _ = check.tick() => if !listening.alive(LISTEN_CHECK).await { break },
                        // At once on (re)connecting, then now and then.
                        _ = catching_up.tick() => catch_up(&state).await,
                    }
                }
                tracing::warn!("lost the other replicas; connecting again");
            }
            Err(error) => tracing::warn!(%error, "cannot hear the other replicas; trying again"),
        }
        tokio::time::sleep(LISTEN_CHECK).await;
    }
}

async fn act_on(state: &AppState, me: &str, payload: &str) {
    let envelope: Envelope = match serde_json::from_str(payload) {
        Ok(envelope) => envelope,
        Err(error) => {
            tracing::warn!(%error, "an unreadable note from another replica");
            return;
        }
    };
    if envelope.from == me {
        return;
    }
    match envelope.note {
        Note::Release { channel, version, manifest_sha256 } => {
            refresh_current(state, &channel).await;
            let news = Announcement::Release(ReleaseAnnounced { version, manifest_sha256 });
            state.announcer.announce_here(ChannelNews { channel, news });
        }
        Note::Emergency { channel } => match state.db.latest_emergency(channel.clone()).await {
            Ok(Some(stored)) => state
                .announcer
                .announce_here(ChannelNews { channel, news: Announcement::Emergency(stored.signed()) }),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, channel, "reading an emergency message another replica issued")
            }
        },
        Note::Screenshot { channel, device, request } => {
            let news = Announcement::Screenshot(ScreenshotRequested { device, request });
            state.announcer.announce_here(ChannelNews { channel, news });
        }
        Note::ForgetDevice { device, end_streams } => {
            state.memos.devices.forget_device(&device);
            if end_streams {
                state.streams.end(&device);
            }
        }
    }
}

/// Keeps the channel's current release as the database has it.
async fn refresh_current(state: &AppState, channel: &str) {
    match state.db.latest_release(channel.to_owned()).await {
        Ok(Some(release)) => state.memos.current.insert_newer(
            channel.to_owned(),
            Arc::new(release),
            crate::memo::later_release,
        ),
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, channel, "reading a release another replica published"),
    }
}

/// What a replica does on (re)connecting, and every [`CATCH_UP_EVERY`], for
/// the notes it may have missed: forgets every kept device token, ends the
/// streams of devices revoked meanwhile, and tells its streams each channel's
/// current release and emergency message unless they were told it already.
async fn catch_up(state: &AppState) {
    state.memos.devices.forget_all();
    match state.db.devices().await {
        Ok(devices) => {
            for device in devices.iter().filter(|d| d.token_revoked_at.is_some()) {
                if state.streams.is_streaming(&device.id) {
                    state.streams.end(&device.id);
                }
            }
        }
        Err(error) => tracing::warn!(%error, "reading the devices to catch up with the other replicas"),
    }
    let channels = match state.db.channels().await {
        Ok(channels) => channels,
        Err(error) => {
            tracing::warn!(%error, "reading the channels to catch up with the other replicas");
            return;
        }
    };
    for channel in channels {
        refresh_current(state, &channel.name).await;
        if let (Some(version), Some(manifest_sha256)) = (channel.version, channel.manifest_sha256) {
            let news = Announcement::Release(ReleaseAnnounced { version, manifest_sha256 });
            state.announcer.announce_here_if_new(ChannelNews { channel: channel.name.clone(), news });
        }
        if let Ok(Some(stored)) = state.db.latest_emergency(channel.name.clone()).await {
            let news = Announcement::Emergency(stored.signed());
            state.announcer.announce_here_if_new(ChannelNews { channel: channel.name, news });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_travel_as_small_tagged_json() {
        let note = Note::ForgetDevice { device: "d1".into(), end_streams: true };
        let text = serde_json::to_string(&Envelope { from: "r1".into(), note: note.clone() }).unwrap();
        assert_eq!(text, r#"{"from":"r1","note":"forget_device","device":"d1","end_streams":true}"#);
        let back: Envelope = serde_json::from_str(&text).unwrap();
        assert_eq!((back.from.as_str(), back.note), ("r1", note));
    }
}
