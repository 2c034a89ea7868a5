//! The same checks over both record stores: [`SqliteDb`] in a temporary file and
//! [`PgStore`] on a real PostgreSQL (a fresh database of `kiosk-testbed`'s
//! cluster), each check one test per store (`sqlite_*`, `postgres_*`). Each
//! check reads through the [`Database`] and [`ReportsDb`] traits only. The
//! checks of replicas race a second store on the same database (for SQLite,
//! the same store again): a code enrols once, a version is published once, a
//! report sent to both is counted once, and reports counted at once by both
//! add up.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use kiosk_server::Clock;
use kiosk_server::db::*;
use kiosk_server::postgres::PgStore;
use kiosk_server::reports::Counting;
use kiosk_server::reports::db::{CountQuery, DayCount, KeyCount, ReportsDb, ScreenCount};
use kiosk_server::sqlite::SqliteDb;
use serde_json::{Value, json};

/// The stores' clock: 12:00 in Việt Nam on 10 March 2026.
const NOW: &str = "2026-03-10T05:00:00Z";

/// Both traits of one store.
trait Store: Database + ReportsDb {}
impl<T: Database + ReportsDb> Store for T {}

/// Days in Việt Nam, ten minutes between heartbeats.
fn counting() -> Counting {
    Counting { offline_after: Duration::from_secs(600), ..Counting::default() }
}

fn utc_counting() -> Counting {
    Counting { zone: jiff::tz::TimeZone::UTC, ..counting() }
}

/// A fresh, empty store under test, and the clock it stamps by.
struct Backend {
    db: Arc<dyn Store>,
    clock: Clock,
    kind: Kind,
}

enum Kind {
    Sqlite { path: std::path::PathBuf, _dir: tempfile::TempDir },
    Postgres { url: String },
}

impl Backend {
    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.sqlite");
        let clock = Clock::fixed(t(NOW));
        let db = SqliteDb::open_counting(&path, clock.clone(), counting()).unwrap();
        Backend { db: Arc::new(db), clock, kind: Kind::Sqlite { path, _dir: dir } }
    }

    async fn postgres() -> Self {
        let database = tokio::task::spawn_blocking(kiosk_testbed::postgres::fresh_database).await.unwrap();
        let clock = Clock::fixed(t(NOW));
        let db = PgStore::open(&database.url, clock.clone(), counting()).await.unwrap();
        Backend { db: Arc::new(db), clock, kind: Kind::Postgres { url: database.url } }
    }

    /// The same records opened again, counting as `counting` says (a restart,
    /// or another replica).
    async fn reopen(&self, counting: Counting) -> Arc<dyn Store> {
        match &self.kind {
            Kind::Sqlite { path, .. } => {
                Arc::new(SqliteDb::open_counting(path, self.clock.clone(), counting).unwrap())
            }
            Kind::Postgres { url } => {
                Arc::new(PgStore::open(url, self.clock.clone(), counting).await.unwrap())
            }
        }
    }

    /// A second writer of the same records: another [`PgStore`] on the same
    /// database, as a second replica has; SQLite's one store again.
    async fn replica(&self) -> Arc<dyn Store> {
        match &self.kind {
            Kind::Sqlite { .. } => self.db.clone(),
            Kind::Postgres { .. } => self.reopen(counting()).await,
        }
    }

    /// Runs SQL on the records behind the store's back (what an older
    /// program left).
    async fn execute(&self, sql: &str) {
        match &self.kind {
            Kind::Sqlite { path, .. } => {
                rusqlite::Connection::open(path).unwrap().execute_batch(sql).unwrap()
            }
            Kind::Postgres { url } => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
                let connection = tokio::spawn(connection);
                client.batch_execute(sql).await.unwrap();
                drop(client);
                connection.await.unwrap().unwrap();
            }
        }
    }

    fn advance(&self, seconds: i64) {
        self.clock.advance(SignedDuration::from_secs(seconds));
    }

    /// The clock's time as stored.
    fn now(&self) -> String {
        sortable_time(self.clock.now())
    }

    /// Enrols `device` named `name` on `channel` (made if needed) with token
    /// `token-<device>`, good for a year.
    async fn enrolled(&self, device: &str, name: &str, channel: &str) {
        self.db.create_channel(channel.into()).await.unwrap();
        let code = format!("code-{device}");
        self.db.insert_enrolment_code(code.clone(), channel.into(), year_on()).await.unwrap();
        let enrolment = self
            .db
            .enrol(code, device.into(), name.into(), format!("token-{device}"), year_on())
            .await
            .unwrap();
        assert_eq!(enrolment, Enrolment::Enrolled { channel: channel.into() });
    }
}

fn t(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// `text` as stored.
fn stamp(text: &str) -> String {
    sortable_time(t(text))
}

/// A year after [`NOW`], as stored.
fn year_on() -> String {
    stamp("2027-03-10T05:00:00Z")
}

fn release(version: u64) -> StoredRelease {
    StoredRelease {
        version,
        manifest: [format!("{{\"version\":{version}}}").as_bytes(), b"\xff\x00"].concat(),
        signature: vec![version as u8; 64],
        manifest_sha256: format!("{version:064x}"),
    }
}

fn blobs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(sha, media)| ((*sha).to_owned(), (*media).to_owned())).collect()
}

/// An event happening at `at` (by the server's clock too).
fn event(id: &str, kind: &str, at: &str, data: Value) -> EventRow {
    EventRow { id: id.into(), kind: kind.into(), at: stamp(at), counted_at: t(at), data: data.to_string() }
}

fn item(id: &str, at: &str, item: &str, actual_ms: u64, planned_ms: u64) -> EventRow {
    event(id, "item_end", at, json!({ "item": item, "actual_ms": actual_ms, "planned_ms": planned_ms }))
}

fn query(kind: &'static str, from: &str, to: &str, channels: Option<&[&str]>) -> CountQuery {
    CountQuery {
        kind,
        from: from.into(),
        to: to.into(),
        channels: channels.map(|c| c.iter().map(|s| (*s).to_owned()).collect()),
    }
}

fn key(subject: &str, variant: &str, locale: &str, count: u64, ms: u64, planned_ms: u64) -> KeyCount {
    KeyCount {
        subject: subject.into(),
        variant: variant.into(),
        locale: locale.into(),
        count,
        ms,
        planned_ms,
    }
}

fn day(day: &str, series: &str, count: u64) -> DayCount {
    DayCount { day: day.into(), series: series.into(), count }
}

/// `(device, id)` of the stored events, as the admin API lists them.
async fn event_ids(db: &dyn Store, query: EventQuery) -> Vec<(String, String)> {
    db.events(query).await.unwrap().into_iter().map(|e| (e.device_id, e.id)).collect()
}

fn ids(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(d, i)| ((*d).to_owned(), (*i).to_owned())).collect()
}

async fn item_counts(db: &dyn Store) -> Vec<KeyCount> {
    db.counts_by_key(query("item_end", "2026-01-01", "2026-12-31", None)).await.unwrap()
}

// ---------------------------------------------------------------- the checks

async fn channels(b: Backend) {
    let db = &b.db;
    assert!(!db.channel_exists("booth".into()).await.unwrap());
    assert!(db.create_channel("booth".into()).await.unwrap());
    let created = b.now();
    b.advance(60);
    assert!(!db.create_channel("booth".into()).await.unwrap(), "a channel is made once");
    assert!(db.create_channel("hall".into()).await.unwrap());
    assert!(db.create_channel("Atrium".into()).await.unwrap());
    assert!(db.channel_exists("booth".into()).await.unwrap());
    assert!(!db.channel_exists("Booth".into()).await.unwrap());
    db.insert_release("booth".into(), release(1), created.clone(), vec![]).await.unwrap();
    db.insert_release("booth".into(), release(2), b.now(), vec![]).await.unwrap();
    let bare = |name: &str| ChannelRow {
        name: name.into(),
        version: None,
        manifest_sha256: None,
        published_at: None,
    };
    assert_eq!(
        db.channels().await.unwrap(),
        vec![
            bare("Atrium"),
            ChannelRow {
                name: "booth".into(),
                version: Some(2),
                manifest_sha256: Some(release(2).manifest_sha256),
                published_at: Some(b.now()),
            },
            bare("hall"),
        ]
    );
}

async fn releases_in_order(b: Backend) {
    let db = &b.db;
    db.create_channel("booth".into()).await.unwrap();
    assert_eq!(db.latest_release("booth".into()).await.unwrap(), None);
    assert_eq!(db.releases("booth".into()).await.unwrap(), vec![]);
    let first = b.now();
    db.insert_release(
        "booth".into(),
        release(1),
        first.clone(),
        blobs(&[("a", "image/png"), ("b", "video/mp4")]),
    )
    .await
    .unwrap();
    b.advance(60);
    let second = b.now();
    db.insert_release("booth".into(), release(2), second.clone(), blobs(&[("a", "image/png")]))
        .await
        .unwrap();

    // Refused, and nothing of them stored: the same version again, a gap, a
    // version 0, a channel that does not exist.
    let again = StoredRelease { manifest: b"other".to_vec(), ..release(2) };
    let refused = [
        ("booth", again, "a version stored before"),
        ("booth", release(1), "an older version"),
        ("booth", release(4), "a gap"),
        ("booth", release(0), "version 0"),
        ("nowhere", release(1), "an unknown channel"),
    ];
    for (channel, refused, why) in refused {
        let result = db.insert_release(channel.into(), refused, b.now(), blobs(&[("c", "text/plain")])).await;
        assert!(result.is_err(), "{why} is refused");
    }
    assert_eq!(db.listed_blob_type(None, "c".into()).await.unwrap(), None, "no blob of a refused release");
    assert_eq!(
        db.releases("booth".into()).await.unwrap(),
        vec![
            ReleaseRow {
                version: 2,
                manifest_sha256: release(2).manifest_sha256,
                published_at: second,
                blobs: 1
            },
            ReleaseRow {
                version: 1,
                manifest_sha256: release(1).manifest_sha256,
                published_at: first,
                blobs: 2
            },
        ]
    );
    assert_eq!(db.latest_release("booth".into()).await.unwrap(), Some(release(2)));
    assert_eq!(db.release_manifest("booth".into(), 2).await.unwrap(), Some(release(2).manifest));
    assert_eq!(db.release_manifest("booth".into(), 1).await.unwrap(), Some(release(1).manifest));
    assert_eq!(db.release_manifest("booth".into(), 4).await.unwrap(), None);
    assert_eq!(db.release_manifest("nowhere".into(), 1).await.unwrap(), None);
    assert_eq!(db.release_manifest("booth".into(), u64::MAX).await.unwrap(), None);
    assert_eq!(db.releases("nowhere".into()).await.unwrap(), vec![]);

    db.insert_release("booth".into(), release(3), b.now(), vec![]).await.unwrap();
    assert_eq!(
        db.latest_release("booth".into()).await.unwrap(),
        Some(release(3)),
        "the next version is taken"
    );
}

async fn listed_blob_types(b: Backend) {
    let db = &b.db;
    for channel in ["booth", "hall"] {
        db.create_channel(channel.into()).await.unwrap();
    }
    db.insert_release("booth".into(), release(1), b.now(), blobs(&[("x", "image/png"), ("y", "image/jpeg")]))
        .await
        .unwrap();
    db.insert_release("hall".into(), release(1), b.now(), blobs(&[("z", "audio/ogg")])).await.unwrap();
    db.insert_release("hall".into(), release(2), b.now(), blobs(&[("x", "video/mp4")])).await.unwrap();
    let listed = |channel: Option<&str>, sha: &str| db.listed_blob_type(channel.map(Into::into), sha.into());
    assert_eq!(listed(Some("booth"), "x").await.unwrap().as_deref(), Some("image/png"));
    assert_eq!(listed(Some("hall"), "x").await.unwrap().as_deref(), Some("video/mp4"));
    assert_eq!(listed(Some("booth"), "z").await.unwrap(), None, "another channel's blob");
    assert_eq!(
        listed(Some("hall"), "z").await.unwrap().as_deref(),
        Some("audio/ogg"),
        "listed by an older release"
    );
    assert_eq!(
        listed(None, "x").await.unwrap().as_deref(),
        Some("video/mp4"),
        "the newest version's listing"
    );
    assert_eq!(listed(None, "y").await.unwrap().as_deref(), Some("image/jpeg"));
    assert_eq!(listed(None, "w").await.unwrap(), None);
    assert_eq!(listed(Some("nowhere"), "x").await.unwrap(), None);
}

async fn blob_probes(b: Backend) {
    let db = &b.db;
    let probe = |sha: &str, decoder: &str| db.blob_probe(sha.into(), decoder.into());
    assert_eq!(probe("film", "gst-1").await.unwrap(), None);
    db.store_blob_probe("film".into(), "gst-1".into(), "{\"duration_ms\":1000}".into()).await.unwrap();
    assert_eq!(probe("film", "gst-1").await.unwrap().as_deref(), Some("{\"duration_ms\":1000}"));
    assert_eq!(probe("film", "gst-2").await.unwrap(), None, "per decoder");
    assert_eq!(probe("other", "gst-1").await.unwrap(), None, "per blob");
    db.store_blob_probe("film".into(), "gst-1".into(), "{\"duration_ms\":2000}".into()).await.unwrap();
    assert_eq!(probe("film", "gst-1").await.unwrap().as_deref(), Some("{\"duration_ms\":2000}"), "replaced");
}

async fn emergencies(b: Backend) {
    let db = &b.db;
    for channel in ["booth", "hall"] {
        db.create_channel(channel.into()).await.unwrap();
    }
    assert_eq!(db.latest_emergency("booth".into()).await.unwrap(), None);
    let message = |n: u8| StoredEmergency { message: vec![n, 0xff, 0], signature: vec![n; 64] };
    db.insert_emergency("booth".into(), message(1), b.now()).await.unwrap();
    db.insert_emergency("hall".into(), message(2), b.now()).await.unwrap();
    // The same issue time: the one stored last wins.
    db.insert_emergency("booth".into(), message(3), b.now()).await.unwrap();
    assert_eq!(db.latest_emergency("booth".into()).await.unwrap(), Some(message(3)));
    assert_eq!(db.latest_emergency("hall".into()).await.unwrap(), Some(message(2)));
    b.advance(60);
    db.insert_emergency("booth".into(), message(4), b.now()).await.unwrap();
    assert_eq!(db.latest_emergency("booth".into()).await.unwrap(), Some(message(4)));
    assert!(db.insert_emergency("nowhere".into(), message(5), b.now()).await.is_err(), "no such channel");
    assert_eq!(db.latest_emergency("nowhere".into()).await.unwrap(), None);
}

async fn enrolment_codes(b: Backend) {
    let db = &b.db;
    db.create_channel("booth".into()).await.unwrap();
    let enrol = |code: &str, device: &str| {
        db.enrol(code.into(), device.into(), format!("Screen {device}"), format!("token-{device}"), year_on())
    };
    assert_eq!(enrol("nothing", "d0").await.unwrap(), Enrolment::UnknownCode);
    assert!(
        db.insert_enrolment_code("c-x".into(), "nowhere".into(), year_on()).await.is_err(),
        "a code for an unknown channel"
    );
    let in_a_minute = sortable_time(b.clock.now() + SignedDuration::from_secs(60));
    db.insert_enrolment_code("c1".into(), "booth".into(), in_a_minute.clone()).await.unwrap();
    db.insert_enrolment_code("c2".into(), "booth".into(), in_a_minute.clone()).await.unwrap();
    db.insert_enrolment_code("c3".into(), "booth".into(), b.now()).await.unwrap();
    assert!(
        db.insert_enrolment_code("c1".into(), "booth".into(), year_on()).await.is_err(),
        "a code is made once"
    );

    assert_eq!(
        enrol("c3", "d3").await.unwrap(),
        Enrolment::ExpiredCode { expired_at: Some(stamp(NOW)) },
        "a code expires at its time"
    );
    let used_at = b.now();
    assert_eq!(enrol("c1", "d1").await.unwrap(), Enrolment::Enrolled { channel: "booth".into() });
    b.advance(10);
    assert_eq!(enrol("c1", "d2").await.unwrap(), Enrolment::UsedCode { used_at });
    b.advance(50);
    assert_eq!(enrol("c2", "d2").await.unwrap(), Enrolment::ExpiredCode { expired_at: Some(in_a_minute) });
    // A code made before codes expired counts as expired.
    db.insert_enrolment_code("c4".into(), "booth".into(), year_on()).await.unwrap();
    b.execute("UPDATE enrolment_codes SET expires_at = NULL WHERE code_sha256 = 'c4'").await;
    assert_eq!(enrol("c4", "d4").await.unwrap(), Enrolment::ExpiredCode { expired_at: None });

    let devices = db.devices().await.unwrap();
    assert_eq!(
        devices.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["d1"],
        "only the enrolment that worked"
    );
    assert_eq!(devices[0].enrolled_at, stamp(NOW));
    assert_eq!(devices[0].token_expires_at, Some(year_on()));
    assert_eq!(devices[0].name, "Screen d1");
    // A device id or token used before fails, and uses no code.
    db.insert_enrolment_code("c5".into(), "booth".into(), year_on()).await.unwrap();
    assert!(enrol("c5", "d1").await.is_err(), "a device id used before");
    assert_eq!(enrol("c5", "d5").await.unwrap(), Enrolment::Enrolled { channel: "booth".into() });
}

async fn enrol_once_when_eight_race(b: Backend) {
    b.db.create_channel("booth".into()).await.unwrap();
    let replica = b.replica().await;
    let stores = [b.db.clone(), replica];
    warm_up(&stores).await;
    for round in 0..5 {
        let code = format!("c{round}");
        b.db.insert_enrolment_code(code.clone(), "booth".into(), year_on()).await.unwrap();
        let start = Arc::new(tokio::sync::Barrier::new(8));
        let tasks: Vec<_> = (0..8)
            .map(|n| {
                let (db, start, code) = (stores[n % 2].clone(), start.clone(), code.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    let (device, token) = (format!("d{round}-{n}"), format!("t{round}-{n}"));
                    db.enrol(code, device, "Booth".into(), token, year_on()).await.unwrap()
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap());
        }
        let enrolled =
            outcomes.iter().filter(|o| **o == Enrolment::Enrolled { channel: "booth".into() }).count();
        let used = outcomes.iter().filter(|o| matches!(o, Enrolment::UsedCode { .. })).count();
        assert_eq!((enrolled, used), (1, 7), "round {round}: {outcomes:?}");
    }
    assert_eq!(b.db.devices().await.unwrap().len(), 5);
}

/// Opens several connections of each store, so that racing calls start together.
async fn warm_up(stores: &[Arc<dyn Store>]) {
    let calls = stores.iter().flat_map(|db| (0..8).map(move |_| db.channel_exists("warm".into())));
    for done in futures_util::future::join_all(calls).await {
        done.unwrap();
    }
}

async fn tokens_and_their_predecessor(b: Backend) {
    let db = &b.db;
    b.enrolled("d1", "Booth", "booth").await;
    b.enrolled("d2", "Hall", "hall").await;
    let find = |token: &str| db.device_by_token(token.into(), "unused".into());
    let current = |expires_at: String| {
        Some(DeviceToken {
            id: "d1".into(),
            channel: "booth".into(),
            expires_at,
            revoked_at: None,
            current: true,
        })
    };
    assert_eq!(find("token-d1").await.unwrap(), current(year_on()));
    assert_eq!(find("nobody's").await.unwrap(), None);

    let renew = |old: &str, new: &str, expires_at: &str| {
        db.renew_device_token("d1".into(), old.into(), new.into(), expires_at.into())
    };
    assert!(!renew("token-d2", "t-x", "e").await.unwrap(), "another device's token");
    assert!(!db.renew_device_token("d2".into(), "token-d1".into(), "t-x".into(), "e".into()).await.unwrap());
    assert!(renew("token-d1", "t2", "e2").await.unwrap());
    assert_eq!(find("t-x").await.unwrap(), None, "a refused renewal stored nothing");
    // The predecessor still finds its device (not current), and may renew
    // again: the answer to the first renewal may have been lost.
    let old = find("token-d1").await.unwrap().unwrap();
    assert_eq!((old.id.as_str(), old.current), ("d1", false));
    assert!(renew("token-d1", "t3", "e3").await.unwrap());
    assert_eq!(find("t2").await.unwrap(), None, "the token that renewal replaced");
    assert!(!renew("t2", "t4", "e4").await.unwrap());
    // Using the new token ends the predecessor.
    assert_eq!(find("t3").await.unwrap(), current("e3".into()));
    assert_eq!(find("token-d1").await.unwrap(), None);
    assert!(!renew("token-d1", "t5", "e5").await.unwrap());
    // Renewing with the current token keeps it as the predecessor.
    assert!(renew("t3", "t6", "e6").await.unwrap());
    assert_eq!(find("t3").await.unwrap().map(|t| t.current), Some(false));
    assert_eq!(find("t6").await.unwrap(), current("e6".into()));
    assert_eq!(find("t3").await.unwrap(), None);
    assert_eq!(find("token-d2").await.unwrap().map(|t| t.id), Some("d2".into()), "another device untouched");

    // A token made before tokens expired gets its expiry when first used, once.
    b.execute("UPDATE devices SET token_expires_at = NULL WHERE id = 'd2'").await;
    let found = db.device_by_token("token-d2".into(), "first-use".into()).await.unwrap().unwrap();
    assert_eq!(found.expires_at, "first-use");
    let found = db.device_by_token("token-d2".into(), "second-use".into()).await.unwrap().unwrap();
    assert_eq!(found.expires_at, "first-use");
    let listed = db.devices().await.unwrap().into_iter().find(|d| d.id == "d2").unwrap();
    assert_eq!(listed.token_expires_at.as_deref(), Some("first-use"));
}

async fn revocation(b: Backend) {
    let db = &b.db;
    b.enrolled("d1", "Booth", "booth").await;
    assert_eq!(db.revoke_device_token("nobody".into()).await.unwrap(), None);
    assert!(db.renew_device_token("d1".into(), "token-d1".into(), "t2".into(), "e2".into()).await.unwrap());
    b.advance(30);
    let revoked_at = b.now();
    let expected = RevokedDevice { name: "Booth".into(), channel: "booth".into(), revoked_at, newly: true };
    assert_eq!(db.revoke_device_token("d1".into()).await.unwrap(), Some(expected.clone()));
    b.advance(30);
    assert_eq!(
        db.revoke_device_token("d1".into()).await.unwrap(),
        Some(RevokedDevice { newly: false, ..expected.clone() }),
        "revoked once, at the first time"
    );
    let found = db.device_by_token("t2".into(), String::new()).await.unwrap().unwrap();
    assert_eq!(found.revoked_at, Some(expected.revoked_at.clone()));
    assert_eq!(
        db.device_by_token("token-d1".into(), String::new()).await.unwrap(),
        None,
        "its predecessor too"
    );
    assert!(!db.renew_device_token("d1".into(), "t2".into(), "t3".into(), "e3".into()).await.unwrap());
    let listed = &db.devices().await.unwrap()[0];
    assert_eq!(listed.token_revoked_at, Some(expected.revoked_at));
}

async fn devices_and_heartbeats(b: Backend) {
    let db = &b.db;
    assert_eq!(db.devices().await.unwrap(), vec![]);
    b.enrolled("d2", "Booth 2", "booth").await;
    b.enrolled("d1", "Booth 2", "booth").await;
    b.enrolled("d0", "Atrium", "hall").await;
    let order = |devices: Vec<DeviceRow>| devices.into_iter().map(|d| d.id).collect::<Vec<_>>();
    assert_eq!(order(db.devices().await.unwrap()), ["d0", "d1", "d2"], "by name, then id");

    b.advance(60);
    let heartbeat = json!({ "at": "2026-03-10T05:01:00Z", "active": { "channel": "booth", "version": 3 } });
    db.record_report("d1".into(), Some(heartbeat.to_string()), vec![]).await.unwrap();
    let devices = db.devices().await.unwrap();
    let d1 = devices.iter().find(|d| d.id == "d1").unwrap();
    assert_eq!(d1.last_heartbeat_at, Some(b.now()));
    assert_eq!(d1.heartbeat, Some(heartbeat));
    assert_eq!(
        *d1,
        DeviceRow {
            id: "d1".into(),
            name: "Booth 2".into(),
            channel: "booth".into(),
            enrolled_at: stamp(NOW),
            last_heartbeat_at: d1.last_heartbeat_at.clone(),
            heartbeat: d1.heartbeat.clone(),
            token_expires_at: Some(year_on()),
            token_revoked_at: None,
        }
    );
    let d0 = devices.iter().find(|d| d.id == "d0").unwrap();
    assert_eq!((&d0.last_heartbeat_at, &d0.heartbeat), (&None, &None));
    // A report without a heartbeat keeps the last one.
    b.advance(60);
    db.record_report("d1".into(), None, vec![]).await.unwrap();
    let d1 = db.devices().await.unwrap().into_iter().find(|d| d.id == "d1").unwrap();
    assert_eq!(d1.last_heartbeat_at, Some(stamp("2026-03-10T05:01:00Z")));
    assert!(db.record_report("nobody".into(), Some("{}".into()), vec![]).await.is_err(), "no such device");
}

async fn events_are_stored_and_counted_once(b: Backend) {
    let db = &b.db;
    b.enrolled("d1", "Booth", "booth").await;
    let first = [
        item("e1", "2026-03-10T03:00:00Z", "film", 30_000, 30_000),
        item("e2", "2026-03-10T03:01:00Z", "film", 1000, 30_000),
    ];
    db.record_report("d1".into(), None, first.to_vec()).await.unwrap();
    // Sent again (its answer was lost), with one more; and one id twice in a report.
    b.advance(60);
    let mut again = first.to_vec();
    again.push(item("e3", "2026-03-10T03:02:00Z", "intro", 500, 500));
    again.push(item("e3", "2026-03-10T03:03:00Z", "other", 9, 9));
    db.record_report("d1".into(), None, again).await.unwrap();

    let stored = db.events(EventQuery::default()).await.unwrap();
    assert_eq!(stored.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["e1", "e2", "e3"]);
    assert_eq!(stored[2].data["item"], "intro", "the first of an id is kept");
    assert_eq!(stored[0].received_at, stamp(NOW), "stored when first received");
    assert_eq!(stored[2].received_at, b.now());
    assert_eq!(
        item_counts(db.as_ref()).await,
        vec![key("film", "", "", 2, 31_000, 60_000), key("intro", "", "", 1, 500, 500),]
    );
}

async fn events_query(b: Backend) {
    let db = &b.db;
    b.enrolled("d1", "Booth", "booth").await;
    b.enrolled("d2", "Hall", "hall").await;
    let touch = |id: &str, at: &str| event(id, "touch", at, json!({ "screen": "home" }));
    db.record_report(
        "d1".into(),
        None,
        vec![
            touch("e3", "2026-03-10T04:00:00Z"),
            touch("e2", "2026-03-10T03:00:00Z"),
            item("e1", "2026-03-10T03:00:00Z", "film", 1, 1),
            EventRow {
                data: "not json".into(),
                ..event("e4", "playlist_change", "2026-03-10T04:30:00Z", json!({}))
            },
        ],
    )
    .await
    .unwrap();
    db.record_report("d2".into(), None, vec![touch("e1", "2026-03-10T03:30:00Z")]).await.unwrap();

    let all = event_ids(db.as_ref(), EventQuery::default()).await;
    assert_eq!(
        all,
        ids(&[("d1", "e1"), ("d1", "e2"), ("d2", "e1"), ("d1", "e3"), ("d1", "e4")]),
        "by time, then id"
    );
    let of = |q: EventQuery| event_ids(db.as_ref(), q);
    assert_eq!(
        of(EventQuery { device: Some("d2".into()), ..Default::default() }).await,
        ids(&[("d2", "e1")])
    );
    assert_eq!(
        of(EventQuery { kind: Some("touch".into()), device: Some("d1".into()), ..Default::default() }).await,
        ids(&[("d1", "e2"), ("d1", "e3")])
    );
    assert_eq!(
        of(EventQuery { since: Some(t("2026-03-10T03:30:00Z")), ..Default::default() }).await,
        ids(&[("d2", "e1"), ("d1", "e3"), ("d1", "e4")]),
        "since includes its time"
    );
    assert_eq!(
        of(EventQuery { until: Some(t("2026-03-10T03:30:00Z")), ..Default::default() }).await,
        ids(&[("d1", "e1"), ("d1", "e2")]),
        "until excludes its time"
    );
    assert_eq!(
        of(EventQuery {
            since: Some(t("2026-03-10T03:00:00Z")),
            until: Some(t("2026-03-10T04:30:00Z")),
            kind: Some("touch".into()),
            ..Default::default()
        })
        .await,
        ids(&[("d1", "e2"), ("d2", "e1"), ("d1", "e3")])
    );
    assert_eq!(
        of(EventQuery { limit: Some(2), ..Default::default() }).await,
        ids(&[("d1", "e1"), ("d1", "e2")])
    );
    assert_eq!(of(EventQuery { limit: Some(0), ..Default::default() }).await, ids(&[]));
    assert_eq!(of(EventQuery { device: Some("nobody".into()), ..Default::default() }).await, ids(&[]));

    let stored =
        db.events(EventQuery { kind: Some("playlist_change".into()), ..Default::default() }).await.unwrap();
    assert_eq!(
        stored,
        vec![StoredEvent {
            id: "e4".into(),
            device_id: "d1".into(),
            kind: "playlist_change".into(),
            at: stamp("2026-03-10T04:30:00Z"),
            data: Value::String("not json".into()),
            received_at: stamp(NOW),
        }]
    );
    let touch = &db.events(EventQuery { device: Some("d2".into()), ..Default::default() }).await.unwrap()[0];
    assert_eq!(touch.data, json!({ "screen": "home" }));
}

async fn survey_counts(b: Backend) {
    let db = &b.db;
    b.enrolled("d1", "Booth", "booth").await;
    b.enrolled("d2", "Booth 2", "booth").await;
    b.enrolled("d3", "Hall", "hall").await;
    let answer = |id: &str, survey: &str, option: &str, locale: &str| {
        let data = json!({ "survey": survey, "option": option, "locale": locale });
        event(id, "survey_answer", "2026-03-10T03:00:00Z", data)
    };
    db.record_report(
        "d1".into(),
        None,
        vec![
            answer("a1", "why", "invest", "ja"),
            answer("a2", "why", "visit", "en"),
            answer("a3", "why", "", "en"),
            answer("a4", "", "invest", "en"),
            answer("a5", "age", "30s", "vi"),
        ],
    )
    .await
    .unwrap();
    db.record_report("d2".into(), None, vec![answer("a1", "why", "invest", "ja")]).await.unwrap();
    db.record_report("d3".into(), None, vec![answer("a1", "why", "invest", "ja")]).await.unwrap();
    let count = |survey: &str, option: &str, locale: &str, count: u64| SurveyCount {
        survey: survey.into(),
        option: option.into(),
        locale: locale.into(),
        count,
    };
    assert_eq!(
        db.survey_counts("booth".into()).await.unwrap(),
        vec![count("age", "30s", "vi", 1), count("why", "invest", "ja", 2), count("why", "visit", "en", 1),]
    );
    assert_eq!(db.survey_counts("hall".into()).await.unwrap(), vec![count("why", "invest", "ja", 1)]);
    assert_eq!(db.survey_counts("nowhere".into()).await.unwrap(), vec![]);
}

/// Events of two channels over three months, read back by day, by key (whole
/// months from the monthly rows), by screen, and after a recount in another zone.
async fn reports_read_what_was_counted(b: Backend) {
    let db = &b.db;
    b.enrolled("d1", "Booth", "booth").await;
    b.enrolled("d2", "Hall", "hall").await;
    db.record_report(
        "d1".into(),
        None,
        vec![
            item("i1", "2026-01-15T03:00:00Z", "film", 30_000, 30_000),
            item("i2", "2026-02-10T03:00:00Z", "film", 20_000, 30_000),
            event("i3", "item_end", "2026-02-20T03:00:00Z", json!({ "item": "film", "skip_reason": "late" })),
            // 01:30 on 2 March in Việt Nam.
            item("i4", "2026-03-01T18:30:00Z", "intro", 1000, 1000),
            event("l1", "language_choice", "2026-03-05T03:00:00Z", json!({ "locale": "ja" })),
            event("s1", "item_start", "2026-03-05T03:00:00Z", json!({ "item": "film" })),
        ],
    )
    .await
    .unwrap();
    db.record_report("d2".into(), None, vec![item("i1", "2026-02-11T03:00:00Z", "film", 5000, 5000)])
        .await
        .unwrap();

    let range = query("item_end", "2026-01-15", "2026-03-02", None);
    assert_eq!(
        db.counts_by_key(range.clone()).await.unwrap(),
        vec![
            key("film", "", "", 3, 55_000, 65_000),
            key("film", "late", "", 1, 0, 0),
            key("intro", "", "", 1, 1000, 1000),
        ]
    );
    let booth = query("item_end", "2026-01-15", "2026-03-02", Some(&["booth"]));
    assert_eq!(
        db.counts_by_key(booth.clone()).await.unwrap(),
        vec![
            key("film", "", "", 2, 50_000, 60_000),
            key("film", "late", "", 1, 0, 0),
            key("intro", "", "", 1, 1000, 1000),
        ]
    );
    assert_eq!(
        db.counts_by_key(query("item_end", "2026-01-16", "2026-03-01", None)).await.unwrap(),
        vec![key("film", "", "", 2, 25_000, 35_000), key("film", "late", "", 1, 0, 0)],
        "the days around a whole month"
    );
    assert_eq!(
        db.counts_by_key(query("language_choice", "2026-03-01", "2026-03-31", None)).await.unwrap(),
        vec![key("", "", "ja", 1, 0, 0)]
    );
    assert_eq!(
        db.counts_by_key(query("item_start", "2026-01-01", "2026-12-31", None)).await.unwrap(),
        vec![]
    );
    assert_eq!(
        db.counts_by_key(query("item_end", "2026-01-01", "2026-12-31", Some(&[]))).await.unwrap(),
        vec![],
        "no channels"
    );

    assert_eq!(
        db.counts_by_day(query("item_end", "2026-02-01", "2026-03-31", None)).await.unwrap(),
        vec![
            day("2026-02-10", "played", 1),
            day("2026-02-11", "played", 1),
            day("2026-02-20", "skipped", 1),
            day("2026-03-02", "played", 1),
        ]
    );
    assert_eq!(
        db.counts_by_day(query("item_end", "2026-02-01", "2026-02-28", Some(&["hall"]))).await.unwrap(),
        vec![day("2026-02-11", "played", 1)]
    );
    assert_eq!(
        db.counts_by_day(query("language_choice", "2026-03-01", "2026-03-31", None)).await.unwrap(),
        vec![day("2026-03-05", "ja", 1)]
    );

    let screen =
        |device: &str, subject: &str, variant: &str, count: u64, ms: u64, planned_ms: u64| ScreenCount {
            device: device.into(),
            subject: subject.into(),
            variant: variant.into(),
            count,
            ms,
            planned_ms,
        };
    assert_eq!(
        db.counts_by_screen(range.clone()).await.unwrap(),
        vec![
            screen("d1", "film", "", 2, 50_000, 60_000),
            screen("d1", "film", "skipped", 1, 0, 0),
            screen("d1", "intro", "", 1, 1000, 1000),
            screen("d2", "film", "", 1, 5000, 5000),
        ]
    );
    assert_eq!(
        db.counts_by_screen(query("item_end", "2026-02-01", "2026-02-28", Some(&["hall"]))).await.unwrap(),
        vec![screen("d2", "film", "", 1, 5000, 5000)]
    );
    assert_eq!(
        db.counts_by_screen(query("language_choice", "2026-03-01", "2026-03-31", None)).await.unwrap(),
        vec![screen("d1", "ja", "", 1, 0, 0)]
    );

    // Opened again counting days in UTC: everything is recounted once, and
    // the event at 18:30 UTC falls on 1 March.
    let utc = b.reopen(utc_counting()).await;
    let march = query("item_end", "2026-03-01", "2026-03-31", None);
    assert_eq!(utc.counts_by_day(march.clone()).await.unwrap(), vec![day("2026-03-01", "played", 1)]);
    assert_eq!(
        utc.counts_by_key(range.clone()).await.unwrap(),
        db.counts_by_key(range.clone()).await.unwrap()
    );
    let utc_again = b.reopen(utc_counting()).await;
    assert_eq!(utc_again.counts_by_key(range.clone()).await.unwrap()[0].count, 3, "not counted twice");
    let home = b.reopen(counting()).await;
    assert_eq!(home.counts_by_day(march).await.unwrap(), vec![day("2026-03-02", "played", 1)]);
    assert_eq!(home.counts_by_screen(booth).await.unwrap().len(), 3);
}

async fn uptime_from_heartbeats(b: Backend) {
    let db = &b.db;
    b.enrolled("d1", "Booth", "booth").await;
    b.enrolled("d2", "Hall", "hall").await;
    let beat = |device: &str| db.record_report(device.into(), Some("{}".into()), vec![]);
    beat("d1").await.unwrap();
    beat("d2").await.unwrap();
    b.advance(300);
    beat("d1").await.unwrap();
    b.advance(700); // longer than ten minutes: offline in between
    beat("d1").await.unwrap();
    beat("d2").await.unwrap();
    b.advance(100);
    beat("d1").await.unwrap();
    beat("d2").await.unwrap();
    let uptime = |from: &str, to: &str, channels: Option<Vec<String>>| {
        db.uptime_by_screen(from.into(), to.into(), channels)
    };
    assert_eq!(
        uptime("2026-03-10", "2026-03-10", None).await.unwrap(),
        vec![("d1".to_owned(), 400), ("d2".to_owned(), 100),]
    );
    assert_eq!(
        uptime("2026-03-01", "2026-03-31", Some(vec!["hall".into()])).await.unwrap(),
        vec![("d2".to_owned(), 100)]
    );
    assert_eq!(uptime("2026-03-11", "2026-03-31", None).await.unwrap(), vec![]);
}

async fn replicas_count_a_report_once(b: Backend) {
    b.enrolled("d1", "Booth", "booth").await;
    let replica = b.replica().await;
    warm_up(&[b.db.clone(), replica.clone()]).await;
    let report: Vec<EventRow> =
        (0..20).map(|n| item(&format!("e{n}"), "2026-03-10T03:00:00Z", "film", 1000, 1000)).collect();
    let tasks: Vec<_> = (0..6)
        .map(|n| {
            let db = if n % 2 == 0 { b.db.clone() } else { replica.clone() };
            let report = report.clone();
            tokio::spawn(async move { db.record_report("d1".into(), Some("{}".into()), report).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(b.db.events(EventQuery::default()).await.unwrap().len(), 20);
    assert_eq!(item_counts(replica.as_ref()).await, vec![key("film", "", "", 20, 20_000, 20_000)]);
}

async fn replicas_count_at_once(b: Backend) {
    let replica = b.replica().await;
    warm_up(&[b.db.clone(), replica.clone()]).await;
    let devices = ["d1", "d2", "d3", "d4", "d5", "d6"];
    for (n, device) in devices.iter().enumerate() {
        b.enrolled(device, "Screen", if n % 2 == 0 { "booth" } else { "hall" }).await;
    }
    let subjects = ["a", "b", "c", "d", "e"];
    // Each device reports the same subjects in its own order, four reports each, all at once.
    let mut tasks = Vec::new();
    for (n, device) in devices.iter().enumerate() {
        for report in 0..4 {
            let db = if (n + report) % 2 == 0 { b.db.clone() } else { replica.clone() };
            let events: Vec<EventRow> = (0..subjects.len())
                .map(|i| {
                    let subject = subjects[(i + n + report) % subjects.len()];
                    let at = if i % 2 == 0 { "2026-02-10T03:00:00Z" } else { "2026-03-10T03:00:00Z" };
                    item(&format!("r{report}-{i}"), at, subject, 10, 20)
                })
                .collect();
            let device = device.to_string();
            tasks.push(tokio::spawn(async move { db.record_report(device, None, events).await }));
        }
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let counts = item_counts(b.db.as_ref()).await;
    assert_eq!(counts.iter().map(|k| k.count).sum::<u64>(), 6 * 4 * 5);
    assert_eq!(counts.iter().map(|k| k.ms).sum::<u64>(), 6 * 4 * 5 * 10);
    let screens = b.db.counts_by_screen(query("item_end", "2026-01-01", "2026-12-31", None)).await.unwrap();
    for device in devices {
        let of_device: u64 = screens.iter().filter(|s| s.device == device).map(|s| s.count).sum();
        assert_eq!(of_device, 20, "{device}");
    }
    let days = b.db.counts_by_day(query("item_end", "2026-01-01", "2026-12-31", None)).await.unwrap();
    assert_eq!(days, vec![day("2026-02-10", "played", 6 * 4 * 3), day("2026-03-10", "played", 6 * 4 * 2)]);
}

async fn replicas_publish_a_version_once(b: Backend) {
    b.db.create_channel("booth".into()).await.unwrap();
    let replica = b.replica().await;
    warm_up(&[b.db.clone(), replica.clone()]).await;
    let tasks: Vec<_> = (0..6)
        .map(|n| {
            let db = if n % 2 == 0 { b.db.clone() } else { replica.clone() };
            let release = StoredRelease { manifest: vec![n], ..release(1) };
            tokio::spawn(async move {
                db.insert_release("booth".into(), release, stamp(NOW), blobs(&[("a", "image/png")])).await
            })
        })
        .collect();
    let mut published = 0;
    for task in tasks {
        published += usize::from(task.await.unwrap().is_ok());
    }
    assert_eq!(published, 1);
    let releases = b.db.releases("booth".into()).await.unwrap();
    assert_eq!((releases.len(), releases[0].blobs), (1, 1));
}

macro_rules! conformance {
    ($($check:ident: $sqlite:ident, $postgres:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $sqlite() {
            $check(Backend::sqlite().await).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $postgres() {
            $check(Backend::postgres().await).await;
        }
    )*};
}

conformance! {
    channels: sqlite_channels, postgres_channels;
    releases_in_order: sqlite_releases_in_order, postgres_releases_in_order;
    listed_blob_types: sqlite_listed_blob_types, postgres_listed_blob_types;
    blob_probes: sqlite_blob_probes, postgres_blob_probes;
    emergencies: sqlite_emergencies, postgres_emergencies;
    enrolment_codes: sqlite_enrolment_codes, postgres_enrolment_codes;
    enrol_once_when_eight_race: sqlite_enrol_once_when_eight_race, postgres_enrol_once_when_eight_race;
    tokens_and_their_predecessor: sqlite_tokens_and_their_predecessor, postgres_tokens_and_their_predecessor;
    revocation: sqlite_revocation, postgres_revocation;
    devices_and_heartbeats: sqlite_devices_and_heartbeats, postgres_devices_and_heartbeats;
    events_are_stored_and_counted_once:
        sqlite_events_are_stored_and_counted_once, postgres_events_are_stored_and_counted_once;
    events_query: sqlite_events_query, postgres_events_query;
    survey_counts: sqlite_survey_counts, postgres_survey_counts;
    reports_read_what_was_counted: sqlite_reports_read_what_was_counted, postgres_reports_read_what_was_counted;
    uptime_from_heartbeats: sqlite_uptime_from_heartbeats, postgres_uptime_from_heartbeats;
    replicas_count_a_report_once: sqlite_replicas_count_a_report_once, postgres_replicas_count_a_report_once;
    replicas_count_at_once: sqlite_replicas_count_at_once, postgres_replicas_count_at_once;
    replicas_publish_a_version_once: sqlite_replicas_publish_a_version_once, postgres_replicas_publish_a_version_once;
}
