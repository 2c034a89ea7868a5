//! The console's, the fleet's and the screenshots' stores answer alike on the
//! embedded SQLite database and on PostgreSQL: every check below runs once per
//! backend (`sqlite::…` and `postgres::…`), through the store traits only.
//! Then what only several replicas sharing one PostgreSQL database can do:
//! two of them saving the same draft revision, raising the same alert or
//! storing the answer to the same screenshot request at once (exactly one
//! wins each time), and the audit log refusing to be changed even by SQL.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kiosk_server::clock::Clock;
use kiosk_server::console::db::{
    ApiToken, AuditEntry, AuditQuery, DraftRow, MediaRow, Role, RoleGrant, SessionRow, Staff, StaffDb,
    UploadRow, UserRow,
};
use kiosk_server::db::{Database, Db, Enrolment, sortable_time};
use kiosk_server::fleet::db::{FleetDb, FleetStore, Place};
use kiosk_server::postgres::PgStore;
use kiosk_server::reports::Counting;
use kiosk_server::screenshots::db::{NewScreenshot, ScreenshotRequest, ScreenshotStore, ScreenshotsDb};
use kiosk_server::sqlite::SqliteDb;
use kiosk_wire::screenshot::SCHEDULED;

/// Where every backend's clock stands when a check begins.
const START: &str = "2031-05-06T07:08:09Z";

/// One backend seen through every store trait a check uses.
struct Stores {
    db: Db,
    staff: Staff,
    fleet: FleetStore,
    shots: ScreenshotStore,
    clock: Clock,
    /// The SQLite database's folder, kept while the check runs.
    _folder: Option<tempfile::TempDir>,
}

impl Stores {
    fn of<B>(backend: B, clock: Clock, folder: Option<tempfile::TempDir>) -> Self
    where
        B: Database + StaffDb + FleetDb + ScreenshotsDb + Clone,
    {
        Self {
            db: Arc::new(backend.clone()),
            staff: Arc::new(backend.clone()),
            fleet: Arc::new(backend.clone()),
            shots: Arc::new(backend),
            clock,
            _folder: folder,
        }
    }

    /// The backend's time now, as stored.
    fn now(&self) -> String {
        sortable_time(self.clock.now())
    }

    /// Moves the backend's clock on by `seconds`.
    fn advance(&self, seconds: i64) {
        self.clock.advance(SignedDuration::from_secs(seconds));
    }
}

fn start_clock() -> Clock {
    Clock::fixed(START.parse().expect("a valid time"))
}

async fn open_sqlite() -> Stores {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let clock = start_clock();
    let db = SqliteDb::open(&folder.path().join("kiosk.db"), clock.clone()).expect("SQLite opens");
    Stores::of(db, clock, Some(folder))
}

/// A fresh PostgreSQL database of the shared test cluster, by its address.
async fn fresh_postgres() -> String {
    tokio::task::spawn_blocking(|| kiosk_testbed::postgres::fresh_database().url)
        .await
        .expect("the test cluster makes a database")
}

async fn open_postgres() -> Stores {
    let url = fresh_postgres().await;
    let clock = start_clock();
    let db = PgStore::open(&url, clock.clone(), Counting::default()).await.expect("PostgreSQL opens");
    Stores::of(db, clock, None)
}

/// Makes a `#[tokio::test]` per check per backend: `sqlite::CHECK` and `postgres::CHECK`.
macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $check() {
                    super::$check(super::open_sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $check() {
                    super::$check(super::open_postgres().await).await;
                }
            )*
        }
    };
}

conformance!(
    users_are_added_changed_and_locked,
    sessions_begin_and_end,
    the_audit_log_filters_and_orders,
    the_media_library_keeps_the_first_upload,
    uploads_begin_and_end,
    api_tokens_are_unique_by_name_and_secret,
    drafts_compare_and_set,
    screens_are_listed_and_placed,
    one_alert_is_open_per_screen,
    screenshot_requests_keep_the_newest,
    screenshots_answer_a_request_once_and_keep_the_newest,
);

/// Enrols screen `id` named `name` on `channel` (made if need be).
async fn screen(stores: &Stores, channel: &str, id: &str, name: &str) {
    stores.db.create_channel(channel.into()).await.unwrap();
    let code = format!("code-{id}");
    let until = "2099-01-01T00:00:00.000000000Z".to_owned();
    stores.db.insert_enrolment_code(code.clone(), channel.into(), until.clone()).await.unwrap();
    let enrolled = stores.db.enrol(code, id.into(), name.into(), format!("token-{id}"), until).await.unwrap();
    assert_eq!(enrolled, Enrolment::Enrolled { channel: channel.into() });
}

fn grant(channel: &str, role: Role) -> RoleGrant {
    RoleGrant { channel: channel.into(), role }
}

fn user(name: &str, at: &str) -> UserRow {
    UserRow {
        name: name.into(),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1${name}"),
        is_admin: false,
        roles: vec![grant("lobby", Role::Editor), grant("*", Role::Viewer)],
        created_at: at.into(),
        failed_logins: 0,
        locked_until: None,
    }
}

async fn users_are_added_changed_and_locked(s: Stores) {
    let at = s.now();
    // Names sort byte by byte, whatever the database's language.
    for name in ["bob", "Alice", "_system", "Émile"] {
        assert!(s.staff.insert_user(user(name, &at)).await.unwrap(), "{name} is new");
    }
    let taken = UserRow { is_admin: true, ..user("bob", "2040-01-01T00:00:00.000000000Z") };
    assert!(!s.staff.insert_user(taken).await.unwrap(), "a taken name is refused");
    assert_eq!(s.staff.user("bob".into()).await.unwrap(), Some(user("bob", &at)), "the first one stays");
    assert_eq!(s.staff.user("nobody".into()).await.unwrap(), None);
    let names: Vec<String> = s.staff.users().await.unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Alice", "_system", "bob", "Émile"]);

    // A new member starts with no wrong passwords and no lock, whatever was given.
    let counted = UserRow { failed_logins: 4, locked_until: Some(at.clone()), ..user("carol", &at) };
    assert!(s.staff.insert_user(counted).await.unwrap());
    assert_eq!(s.staff.user("carol".into()).await.unwrap(), Some(user("carol", &at)));

    let until = "2031-05-06T08:00:00.000000000Z".to_owned();
    s.staff.set_login_state("bob".into(), 5, Some(until.clone())).await.unwrap();
    let locked = UserRow { failed_logins: 5, locked_until: Some(until.clone()), ..user("bob", &at) };
    assert_eq!(s.staff.user("bob".into()).await.unwrap(), Some(locked.clone()));

    // Without a password the lock stays; with one it is lifted.
    let roles = vec![grant("hall", Role::Approver)];
    assert!(s.staff.update_user("bob".into(), true, roles.clone(), None).await.unwrap());
    let changed = UserRow { is_admin: true, roles: roles.clone(), ..locked };
    assert_eq!(s.staff.user("bob".into()).await.unwrap(), Some(changed.clone()));
    assert!(s.staff.update_user("bob".into(), false, vec![], Some("$argon2id$new".into())).await.unwrap());
    let reset = UserRow {
        is_admin: false,
        roles: vec![],
        password_hash: "$argon2id$new".into(),
        failed_logins: 0,
        locked_until: None,
        ..changed
    };
    assert_eq!(s.staff.user("bob".into()).await.unwrap(), Some(reset));
    assert!(!s.staff.update_user("nobody".into(), true, roles, None).await.unwrap());
    // Setting the login state of no one changes nothing and fails nothing.
    s.staff.set_login_state("nobody".into(), 1, None).await.unwrap();
    assert_eq!(s.staff.users().await.unwrap().len(), 5);
}

fn session(id: &str, user: &str, created_at: &str, expires_at: &str) -> SessionRow {
    SessionRow {
        id_sha256: id.into(),
        user: user.into(),
        csrf_token: format!("csrf-{id}"),
        created_at: created_at.into(),
        expires_at: expires_at.into(),
    }
}

async fn sessions_begin_and_end(s: Stores) {
    let at = s.now();
    assert!(s.staff.insert_user(user("ann", &at)).await.unwrap());
    let short = session("s1", "ann", "2031-05-06T07:00:00.000000000Z", "2031-05-06T08:00:00.000000000Z");
    let long = session("s2", "ann", "2031-05-06T07:30:00.000000000Z", "2031-05-07T08:00:00.000000000Z");
    s.staff.insert_session(short.clone()).await.unwrap();
    s.staff.insert_session(long.clone()).await.unwrap();
    assert_eq!(s.staff.session("s1".into()).await.unwrap(), Some(short));
    assert_eq!(s.staff.session("s2".into()).await.unwrap(), Some(long.clone()));
    assert_eq!(s.staff.session("s9".into()).await.unwrap(), None);

    // A session beginning when another has ended clears the ended one.
    let later = session("s3", "ann", "2031-05-06T08:00:00.000000000Z", "2031-05-06T20:00:00.000000000Z");
    s.staff.insert_session(later.clone()).await.unwrap();
    assert_eq!(s.staff.session("s1".into()).await.unwrap(), None, "the ended session is gone");
    assert_eq!(s.staff.session("s2".into()).await.unwrap(), Some(long));

    s.staff.delete_session("s3".into()).await.unwrap();
    assert_eq!(s.staff.session("s3".into()).await.unwrap(), None);
    s.staff.delete_session("s3".into()).await.unwrap();
    // A session of no one is refused.
    let stray = session("s4", "nobody", "2031-05-06T08:00:00.000000000Z", "2031-05-06T20:00:00.000000000Z");
    assert!(s.staff.insert_session(stray).await.is_err());
}

fn audit_line(actor: &str, action: &str, channel: Option<&str>, at: &str) -> AuditEntry {
    AuditEntry {
        id: 0,
        at: at.into(),
        actor: actor.into(),
        action: action.into(),
        channel: channel.map(Into::into),
        detail: format!("{actor} did {action}"),
        remote: channel.map(|_| "192.0.2.7".into()),
    }
}

async fn the_audit_log_filters_and_orders(s: Stores) {
    let lines = [
        audit_line("ann", "draft.save", Some("lobby"), "2031-05-06T07:00:00.000000000Z"),
        audit_line("bob", "user.add", None, "2031-05-06T07:01:00.000000000Z"),
        audit_line("ann", "draft.approve", Some("hall"), "2031-05-06T07:02:00.000000000Z"),
        audit_line("bob", "draft.save", Some("lobby"), "2031-05-06T07:03:00.000000000Z"),
        audit_line("admin-token", "device.revoke", Some("roof"), "2031-05-06T07:04:00.000000000Z"),
    ];
    for line in &lines {
        s.staff.append_audit(line.clone()).await.unwrap();
    }
    let all = s.staff.audit(AuditQuery::default(), None).await.unwrap();
    assert_eq!(all.len(), 5);
    // Newest first, ids increasing as lines were appended.
    for (read, written) in all.iter().zip(lines.iter().rev()) {
        assert_eq!(AuditEntry { id: 0, ..read.clone() }, *written);
    }
    assert!(all.windows(2).all(|pair| pair[0].id > pair[1].id), "{all:?}");
    let actions = |entries: Vec<AuditEntry>| entries.into_iter().map(|e| e.action).collect::<Vec<_>>();

    let lobby = AuditQuery { channel: Some("lobby".into()), ..AuditQuery::default() };
    assert_eq!(actions(s.staff.audit(lobby, None).await.unwrap()), ["draft.save", "draft.save"]);
    let ann = AuditQuery { actor: Some("ann".into()), ..AuditQuery::default() };
    assert_eq!(actions(s.staff.audit(ann, None).await.unwrap()), ["draft.approve", "draft.save"]);
    let both = AuditQuery { actor: Some("bob".into()), channel: Some("lobby".into()), limit: None };
    let found = s.staff.audit(both, None).await.unwrap();
    assert_eq!((found.len(), found[0].actor.as_str()), (1, "bob"));
    let two = AuditQuery { limit: Some(2), ..AuditQuery::default() };
    assert_eq!(actions(s.staff.audit(two, None).await.unwrap()), ["device.revoke", "draft.save"]);
    let huge = AuditQuery { limit: Some(u32::MAX), ..AuditQuery::default() };
    assert_eq!(s.staff.audit(huge, None).await.unwrap().len(), 5);

    // Visible channels: theirs and lines of no channel.
    let seen = s.staff.audit(AuditQuery::default(), Some(vec!["lobby".into(), "hall".into()])).await.unwrap();
    assert_eq!(actions(seen), ["draft.save", "draft.approve", "user.add", "draft.save"]);
    let none = s.staff.audit(AuditQuery::default(), Some(vec![])).await.unwrap();
    assert_eq!(actions(none), ["user.add"]);
    let hidden = AuditQuery { channel: Some("roof".into()), ..AuditQuery::default() };
    assert!(s.staff.audit(hidden, Some(vec!["lobby".into()])).await.unwrap().is_empty());
}

fn media(sha: &str, name: &str, at: &str) -> MediaRow {
    MediaRow {
        sha256: sha.into(),
        name: name.into(),
        media_type: "video/mp4".into(),
        size: 5_000_000_000,
        width: Some(3840),
        height: Some(2160),
        duration_ms: Some(90_500),
        has_audio: true,
        uploaded_by: "ann".into(),
        uploaded_at: at.into(),
    }
}

async fn the_media_library_keeps_the_first_upload(s: Stores) {
    let early = "2031-05-06T07:00:00.000000000Z";
    let late = "2031-05-06T09:00:00.000000000Z";
    let still = MediaRow {
        media_type: "image/png".into(),
        size: 42,
        duration_ms: None,
        has_audio: false,
        ..media("b2", "sign.png", late)
    };
    assert!(s.staff.insert_media(media("a1", "intro.mp4", early)).await.unwrap());
    assert!(s.staff.insert_media(still.clone()).await.unwrap());
    assert!(s.staff.insert_media(media("c3", "Zoo.mp4", late)).await.unwrap());
    let bare = MediaRow { width: None, height: None, ..media("d4", "tone.ogg", early) };
    assert!(s.staff.insert_media(bare.clone()).await.unwrap());
    assert!(!s.staff.insert_media(media("a1", "renamed.mp4", late)).await.unwrap(), "kept the first");

    assert_eq!(s.staff.media_item("a1".into()).await.unwrap(), Some(media("a1", "intro.mp4", early)));
    assert_eq!(s.staff.media_item("b2".into()).await.unwrap(), Some(still));
    assert_eq!(s.staff.media_item("d4".into()).await.unwrap(), Some(bare));
    assert_eq!(s.staff.media_item("zz".into()).await.unwrap(), None);
    // Newest first, then by name byte by byte.
    let names: Vec<String> = s.staff.media().await.unwrap().into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["Zoo.mp4", "sign.png", "intro.mp4", "tone.ogg"]);

    assert_eq!(s.staff.thumbnail("a1".into()).await.unwrap(), None);
    let png = vec![0x89, b'P', b'N', b'G', 0, 255];
    s.staff.store_thumbnail("a1".into(), png.clone()).await.unwrap();
    assert_eq!(s.staff.thumbnail("a1".into()).await.unwrap(), Some(png));
    assert_eq!(s.staff.thumbnail("b2".into()).await.unwrap(), None);
    s.staff.store_thumbnail("zz".into(), vec![1]).await.unwrap();
    assert_eq!(s.staff.thumbnail("zz".into()).await.unwrap(), None, "no file, no thumbnail");
}

async fn uploads_begin_and_end(s: Stores) {
    let upload = UploadRow {
        id: "u1".into(),
        name: "film.mp4".into(),
        size: 6_000_000_000,
        owner: "ann".into(),
        created_at: s.now(),
    };
    s.staff.insert_upload(upload.clone()).await.unwrap();
    assert_eq!(s.staff.upload("u1".into()).await.unwrap(), Some(upload.clone()));
    assert_eq!(s.staff.upload("u2".into()).await.unwrap(), None);
    assert!(s.staff.insert_upload(upload).await.is_err(), "an id is used once");
    s.staff.delete_upload("u1".into()).await.unwrap();
    assert_eq!(s.staff.upload("u1".into()).await.unwrap(), None);
    s.staff.delete_upload("u1".into()).await.unwrap();
}

fn token(name: &str, at: &str) -> ApiToken {
    ApiToken {
        name: name.into(),
        roles: vec![grant("lobby", Role::Approver)],
        created_by: "ann".into(),
        created_at: at.into(),
    }
}

async fn api_tokens_are_unique_by_name_and_secret(s: Stores) {
    let at = s.now();
    assert!(s.staff.insert_api_token(token("nightly", &at), "h1".into()).await.unwrap());
    assert!(s.staff.insert_api_token(token("Backup", &at), "h2".into()).await.unwrap());
    assert!(!s.staff.insert_api_token(token("nightly", &at), "h3".into()).await.unwrap(), "name taken");
    assert!(!s.staff.insert_api_token(token("other", &at), "h1".into()).await.unwrap(), "secret taken");
    assert_eq!(s.staff.api_token("h1".into()).await.unwrap(), Some(token("nightly", &at)));
    assert_eq!(s.staff.api_token("h3".into()).await.unwrap(), None);
    assert_eq!(s.staff.api_tokens().await.unwrap(), [token("Backup", &at), token("nightly", &at)]);
    assert!(s.staff.delete_api_token("nightly".into()).await.unwrap());
    assert!(!s.staff.delete_api_token("nightly".into()).await.unwrap());
    assert_eq!(s.staff.api_token("h1".into()).await.unwrap(), None);
    assert_eq!(s.staff.api_tokens().await.unwrap(), [token("Backup", &at)]);
}

fn draft(channel: &str, revision: u64, content: &str) -> DraftRow {
    DraftRow {
        channel: channel.into(),
        revision,
        base_version: 3,
        state: "editing".into(),
        content: content.into(),
        updated_by: "ann".into(),
        updated_at: "2031-05-06T07:08:09.000000000Z".into(),
        submitted_by: None,
        submitted_at: None,
        note: None,
        editors: vec!["ann".into()],
    }
}

async fn drafts_compare_and_set(s: Stores) {
    s.db.create_channel("lobby".into()).await.unwrap();
    s.db.create_channel("hall".into()).await.unwrap();
    assert_eq!(s.staff.draft("lobby".into()).await.unwrap(), None);
    assert!(!s.staff.save_draft(draft("lobby", 1, "{}"), Some(1)).await.unwrap(), "there is none");
    assert!(s.staff.save_draft(draft("lobby", 1, "{\"a\":1}"), None).await.unwrap());
    assert!(!s.staff.save_draft(draft("lobby", 1, "{\"b\":1}"), None).await.unwrap(), "there is one");
    assert_eq!(s.staff.draft("lobby".into()).await.unwrap(), Some(draft("lobby", 1, "{\"a\":1}")));

    let review = DraftRow {
        state: "in_review".into(),
        updated_by: "bob".into(),
        submitted_by: Some("bob".into()),
        submitted_at: Some("2031-05-06T08:00:00.000000000Z".into()),
        note: Some("Tết opening hours".into()),
        editors: vec!["ann".into(), "bob".into()],
        base_version: 4,
        ..draft("lobby", 2, "{\"a\":2}")
    };
    assert!(s.staff.save_draft(review.clone(), Some(1)).await.unwrap());
    assert!(!s.staff.save_draft(draft("lobby", 2, "{\"stale\":1}"), Some(1)).await.unwrap(), "stale");
    assert!(!s.staff.save_draft(draft("lobby", 4, "{\"ahead\":1}"), Some(3)).await.unwrap(), "ahead");
    assert_eq!(s.staff.draft("lobby".into()).await.unwrap(), Some(review));
    assert_eq!(s.staff.draft("hall".into()).await.unwrap(), None, "each channel has its own");

    let back = DraftRow { editors: vec![], ..draft("lobby", 3, "{\"a\":3}") };
    assert!(s.staff.save_draft(back.clone(), Some(2)).await.unwrap());
    assert_eq!(s.staff.draft("lobby".into()).await.unwrap(), Some(back));
    assert!(s.staff.save_draft(draft("nowhere", 1, "{}"), None).await.is_err(), "no such channel");
}

async fn screens_are_listed_and_placed(s: Stores) {
    screen(&s, "lobby", "d-2", "entrance").await;
    s.advance(60);
    screen(&s, "hall", "d-1", "Tower").await;
    screen(&s, "hall", "d-0", "entrance").await;
    let heartbeat = serde_json::json!({"uptime_s": 12, "version": "1.2.3"});
    s.db.record_report("d-1".into(), Some(heartbeat.to_string()), vec![]).await.unwrap();
    let revoked = s.db.revoke_device_token("d-0".into()).await.unwrap().expect("a device");

    let screens = s.fleet.screens().await.unwrap();
    let ids: Vec<&str> = screens.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["d-1", "d-0", "d-2"], "by name byte by byte, then id");
    let tower = &screens[0];
    assert_eq!((tower.name.as_str(), tower.channel.as_str()), ("Tower", "hall"));
    assert_eq!(tower.heartbeat, Some(heartbeat));
    assert_eq!(tower.last_heartbeat_at, Some(s.now()));
    assert_eq!(tower.enrolled_at, Some(s.now()));
    assert_eq!(tower.token_revoked_at, None);
    assert_eq!(screens[1].token_revoked_at, Some(revoked.revoked_at));
    assert_eq!(screens[1].heartbeat, None);
    assert_eq!(screens[2].enrolled_at, Some(sortable_time(START.parse::<Timestamp>().unwrap())));
    assert!(screens.iter().all(|r| r.location.is_none() && r.country.is_none()));

    let place = |id: &str, screens: &[kiosk_server::fleet::db::ScreenRow]| {
        let row = screens.iter().find(|r| r.id == id).expect("listed");
        (row.location.clone(), row.country.clone())
    };
    let both =
        Place { location: Some(Some("Hall B, by the lifts".into())), country: Some(Some("VN".into())) };
    assert!(s.fleet.set_place("d-2".into(), both).await.unwrap());
    let only_location = Place { location: Some(Some("Hall C".into())), country: None };
    assert!(s.fleet.set_place("d-2".into(), only_location).await.unwrap());
    let after = s.fleet.screens().await.unwrap();
    assert_eq!(place("d-2", &after), (Some("Hall C".into()), Some("VN".into())), "the country is kept");
    assert_eq!(place("d-1", &after), (None, None), "others are untouched");
    let forget = Place { location: None, country: Some(None) };
    assert!(s.fleet.set_place("d-2".into(), forget).await.unwrap());
    assert!(s.fleet.set_place("d-2".into(), Place::default()).await.unwrap(), "nothing given");
    assert_eq!(place("d-2", &s.fleet.screens().await.unwrap()), (Some("Hall C".into()), None));
    assert!(!s.fleet.set_place("d-9".into(), Place::default()).await.unwrap());
}

async fn one_alert_is_open_per_screen(s: Stores) {
    screen(&s, "lobby", "d-1", "Entrance").await;
    screen(&s, "lobby", "d-2", "Café").await;
    let since = Some("2031-05-06T07:00:00.000000000Z".to_owned());
    let raised = s.fleet.raise_alert("d-1".into(), since.clone(), s.now()).await.unwrap().expect("raised");
    assert_eq!(
        (raised.device.as_str(), raised.device_name.as_str(), raised.channel.as_str(), raised.kind.as_str()),
        ("d-1", "Entrance", "lobby", "offline")
    );
    assert_eq!((raised.since.clone(), raised.raised_at.clone()), (since.clone(), s.now()));
    assert_eq!((raised.cleared_at.clone(), raised.notified_at.clone()), (None, None));
    s.advance(60);
    assert_eq!(s.fleet.raise_alert("d-1".into(), None, s.now()).await.unwrap(), None, "one is open");
    let other = s.fleet.raise_alert("d-2".into(), None, s.now()).await.unwrap().expect("raised");
    assert!(other.id > raised.id);
    assert!(s.fleet.raise_alert("d-9".into(), None, s.now()).await.is_err(), "no such screen");

    s.fleet.mark_notified(raised.id, s.now()).await.unwrap();
    let open = s.fleet.alerts(true, 100).await.unwrap();
    let notified = raised.clone();
    let notified = kiosk_server::fleet::db::FleetAlert { notified_at: Some(s.now()), ..notified };
    assert_eq!(open, [other.clone(), notified.clone()], "newest first");

    s.advance(60);
    assert_eq!(s.fleet.clear_alerts("d-1".into(), s.now()).await.unwrap(), 1);
    assert_eq!(s.fleet.clear_alerts("d-1".into(), s.now()).await.unwrap(), 0);
    let cleared = kiosk_server::fleet::db::FleetAlert { cleared_at: Some(s.now()), ..notified };
    assert_eq!(s.fleet.alerts(true, 100).await.unwrap(), std::slice::from_ref(&other));
    let again = s.fleet.raise_alert("d-1".into(), None, s.now()).await.unwrap().expect("raised again");
    assert!(again.id > other.id);
    assert_eq!(s.fleet.alerts(false, 100).await.unwrap(), [again.clone(), other.clone(), cleared]);
    assert_eq!(s.fleet.alerts(false, 2).await.unwrap(), [again.clone(), other.clone()]);
    assert_eq!(s.fleet.alerts(true, 1).await.unwrap(), [again]);
    assert!(s.fleet.alerts(false, 0).await.unwrap().is_empty());
}

fn request(id: &str, device: &str, at: &str) -> ScreenshotRequest {
    ScreenshotRequest {
        id: id.into(),
        device: device.into(),
        asked_by: "ann".into(),
        asked_at: at.into(),
        answered_at: None,
    }
}

async fn screenshot_requests_keep_the_newest(s: Stores) {
    screen(&s, "lobby", "d-1", "Entrance").await;
    screen(&s, "lobby", "d-2", "Café").await;
    let device = s.shots.device("d-1".into()).await.unwrap().expect("a device");
    assert_eq!(
        (device.id.as_str(), device.name.as_str(), device.channel.as_str()),
        ("d-1", "Entrance", "lobby")
    );
    assert_eq!(s.shots.device("d-9".into()).await.unwrap(), None);

    // All asked at the same time: the newest are those asked last. Ids are
    // random, so those here do not sort in the order they were asked.
    let at = s.now();
    for id in ["r5", "r1", "r4", "r2", "r3"] {
        s.shots.add_request(request(id, "d-1", &at), 3).await.unwrap();
    }
    s.shots.add_request(request("q1", "d-2", &at), 3).await.unwrap();
    for gone in ["r5", "r1"] {
        assert_eq!(s.shots.request(gone.into()).await.unwrap(), None, "{gone} was dropped");
    }
    for kept in ["r4", "r2", "r3"] {
        assert_eq!(s.shots.request(kept.into()).await.unwrap(), Some(request(kept, "d-1", &at)));
    }
    assert_eq!(s.shots.request("q1".into()).await.unwrap(), Some(request("q1", "d-2", &at)), "per device");
    let answered = ScreenshotRequest { answered_at: Some(at.clone()), ..request("r0", "d-2", &at) };
    s.shots.add_request(answered.clone(), 3).await.unwrap();
    assert_eq!(s.shots.request("r0".into()).await.unwrap(), Some(answered));
    assert!(s.shots.add_request(request("r0", "d-2", &at), 3).await.is_err(), "an id is used once");
    assert!(s.shots.add_request(request("x1", "d-9", &at), 3).await.is_err(), "no such device");
}

fn shot(device: &str, request: &str, tag: u8, received_at: &str) -> NewScreenshot {
    let png = vec![0x89, b'P', b'N', b'G', tag, tag, tag];
    NewScreenshot {
        device: device.into(),
        request: request.into(),
        taken_at: "2031-05-06T07:00:00.000000000Z".into(),
        received_at: received_at.into(),
        width: 1920 + u32::from(tag),
        height: 1080,
        sha256: format!("sha-{tag}"),
        png,
    }
}

async fn screenshots_answer_a_request_once_and_keep_the_newest(s: Stores) {
    screen(&s, "lobby", "d-1", "Entrance").await;
    screen(&s, "lobby", "d-2", "Café").await;
    let at = s.now();
    s.shots.add_request(request("r1", "d-1", &at), 10).await.unwrap();
    s.shots.add_request(request("r2", "d-2", &at), 10).await.unwrap();

    s.advance(5);
    let first = s.shots.store(shot("d-1", "r1", 1, &s.now()), 3).await.unwrap().expect("stored");
    assert_eq!(
        (first.request.as_str(), first.width, first.height, first.bytes, first.sha256.as_str()),
        ("r1", 1921, 1080, 7, "sha-1")
    );
    assert_eq!(
        (first.taken_at.as_str(), first.received_at.clone()),
        ("2031-05-06T07:00:00.000000000Z", s.now())
    );
    let answered = ScreenshotRequest { answered_at: Some(s.now()), ..request("r1", "d-1", &at) };
    assert_eq!(s.shots.request("r1".into()).await.unwrap(), Some(answered));
    s.advance(5);
    assert_eq!(s.shots.store(shot("d-1", "r1", 2, &s.now()), 3).await.unwrap(), None, "answered before");
    assert_eq!(s.shots.store(shot("d-1", "r2", 2, &s.now()), 3).await.unwrap(), None, "another's request");
    assert_eq!(s.shots.store(shot("d-1", "r9", 2, &s.now()), 3).await.unwrap(), None, "never asked");
    assert_eq!(
        s.shots.list("d-1".into()).await.unwrap(),
        std::slice::from_ref(&first),
        "nothing stored in between"
    );

    // Scheduled ones answer nothing; the device keeps its newest three.
    let mut stored = vec![first];
    for tag in 3..7 {
        s.advance(1);
        stored.push(s.shots.store(shot("d-1", SCHEDULED, tag, &s.now()), 3).await.unwrap().expect("stored"));
    }
    let other = s.shots.store(shot("d-2", "r2", 9, &s.now()), 3).await.unwrap().expect("stored");
    assert!(stored.windows(2).all(|pair| pair[0].id < pair[1].id));
    let newest: Vec<_> = stored[2..].iter().rev().cloned().collect();
    assert_eq!(s.shots.list("d-1".into()).await.unwrap(), newest);
    assert_eq!(s.shots.list("d-2".into()).await.unwrap(), std::slice::from_ref(&other));
    assert!(s.shots.list("d-9".into()).await.unwrap().is_empty());

    assert_eq!(s.shots.png("d-1".into(), newest[0].id).await.unwrap(), Some(shot("d-1", "", 6, "").png));
    assert_eq!(s.shots.png("d-1".into(), stored[0].id).await.unwrap(), None, "dropped");
    assert_eq!(s.shots.png("d-1".into(), other.id).await.unwrap(), None, "another's");
    assert_eq!(s.shots.png("d-2".into(), other.id).await.unwrap(), Some(shot("d-2", "", 9, "").png));
    assert!(s.shots.store(shot("d-9", SCHEDULED, 1, &s.now()), 3).await.is_err(), "no such device");
}

/// Two replicas (two pools) over one fresh PostgreSQL database, sharing a clock.
async fn replicas() -> (String, Stores, Stores) {
    let url = fresh_postgres().await;
    let clock = start_clock();
    let one = PgStore::open(&url, clock.clone(), Counting::default()).await.expect("PostgreSQL opens");
    let two = PgStore::open(&url, clock.clone(), Counting::default()).await.expect("PostgreSQL opens");
    (url.clone(), Stores::of(one, clock.clone(), None), Stores::of(two, clock, None))
}

/// How many times each race is run: a store that checks and then writes
/// without a lock lets both replicas win in some of them.
const RACES: u64 = 25;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_replicas_saving_one_draft_revision_one_wins() {
    let (_, one, two) = replicas().await;
    one.db.create_channel("lobby".into()).await.unwrap();
    let mut expected = None;
    for round in 1..=RACES {
        let (a, b) = (one.staff.clone(), two.staff.clone());
        let first =
            tokio::spawn(async move { a.save_draft(draft("lobby", round, "\"one\""), expected).await });
        let second =
            tokio::spawn(async move { b.save_draft(draft("lobby", round, "\"two\""), expected).await });
        let (first, second) = (first.await.unwrap().unwrap(), second.await.unwrap().unwrap());
        assert!(first ^ second, "round {round}: exactly one save wins ({first}, {second})");
        let winner = if first { "\"one\"" } else { "\"two\"" };
        assert_eq!(two.staff.draft("lobby".into()).await.unwrap(), Some(draft("lobby", round, winner)));
        expected = Some(round);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_replicas_raising_one_alert_raise_it_once() {
    let (_, one, two) = replicas().await;
    screen(&one, "lobby", "d-1", "Entrance").await;
    for round in 0..RACES {
        let (a, b) = (one.fleet.clone(), two.fleet.clone());
        let at = one.now();
        let at2 = at.clone();
        let first = tokio::spawn(async move { a.raise_alert("d-1".into(), None, at).await });
        let second = tokio::spawn(async move { b.raise_alert("d-1".into(), None, at2).await });
        let (first, second) = (first.await.unwrap().unwrap(), second.await.unwrap().unwrap());
        assert!(first.is_some() ^ second.is_some(), "round {round}: raised once ({first:?}, {second:?})");
        assert_eq!(one.fleet.alerts(true, 100).await.unwrap().len(), 1, "round {round}: one open alert");
        one.advance(1);
        assert_eq!(two.fleet.clear_alerts("d-1".into(), one.now()).await.unwrap(), 1);
    }
    assert_eq!(one.fleet.alerts(false, 1000).await.unwrap().len() as u64, RACES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_replicas_receiving_one_answer_store_it_once() {
    let (_, one, two) = replicas().await;
    screen(&one, "lobby", "d-1", "Entrance").await;
    for round in 0..RACES {
        let id = format!("r{round}");
        one.shots.add_request(request(&id, "d-1", &one.now()), 100).await.unwrap();
        let (a, b) = (one.shots.clone(), two.shots.clone());
        let (first_shot, second_shot) = (shot("d-1", &id, 1, &one.now()), shot("d-1", &id, 2, &one.now()));
        let first = tokio::spawn(async move { a.store(first_shot, 100).await });
        let second = tokio::spawn(async move { b.store(second_shot, 100).await });
        let (first, second) = (first.await.unwrap().unwrap(), second.await.unwrap().unwrap());
        assert!(first.is_some() ^ second.is_some(), "round {round}: stored once ({first:?}, {second:?})");
    }
    assert_eq!(two.shots.list("d-1".into()).await.unwrap().len() as u64, RACES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_replicas_storing_at_once_keep_the_newest() {
    let (_, one, two) = replicas().await;
    screen(&one, "lobby", "d-1", "Entrance").await;
    let mut tasks = Vec::new();
    for tag in 0..40u8 {
        let store = if tag % 2 == 0 { one.shots.clone() } else { two.shots.clone() };
        let at = one.now();
        tasks.push(tokio::spawn(async move {
            store.add_request(request(&format!("r{tag}"), "d-1", &at), 5).await?;
            store.store(shot("d-1", SCHEDULED, tag, &at), 5).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap().expect("stored");
    }
    assert_eq!(one.shots.list("d-1".into()).await.unwrap().len(), 5, "exactly the newest five");
    let kept = futures_util::future::join_all((0..40).map(|tag| one.shots.request(format!("r{tag}")))).await;
    assert_eq!(kept.into_iter().filter(|r| matches!(r, Ok(Some(_)))).count(), 5);
}

#[tokio::test]
async fn postgres_audit_log_refuses_update_delete_and_truncate() {
    let (url, one, _) = replicas().await;
    let line = audit_line("ann", "draft.save", Some("lobby"), &one.now());
    one.staff.append_audit(line.clone()).await.unwrap();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    for sql in [
        "UPDATE audit SET detail = 'nothing happened'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "UPDATE audit SET actor = 'bob' WHERE action = 'draft.save'",
    ] {
        let refused = client.batch_execute(sql).await.expect_err(sql);
        let message = refused.as_db_error().map(|e| e.message());
        assert_eq!(message, Some("the audit log is append-only"), "{sql}: {refused:?}");
    }
    let read = one.staff.audit(AuditQuery::default(), None).await.unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(AuditEntry { id: 0, ..read[0].clone() }, line);
    // Appending stays allowed, to the store and to SQL alike.
    client
        .batch_execute("INSERT INTO audit (at, actor, action, detail) VALUES ('t', 'sql', 'x', 'y')")
        .await
        .unwrap();
    assert_eq!(one.staff.audit(AuditQuery::default(), None).await.unwrap().len(), 2);
}
