//! A screen's outbox reaches the server: events are marked uploaded only after
//! the server answered that they are durable; a refused upload loses nothing.

mod support;

use jiff::Timestamp;
use kiosk_device::clock::DeviceClock;
use kiosk_device::events::{Event, EventKind, EventRecorder};
use kiosk_device::store::Store;
use kiosk_device::sync_client::{SyncClient, SyncSource};
use support::start;

fn touch(n: i64) -> Event {
    let data = serde_json::json!({ "screen": "home", "x": n, "y": 1 });
    Event::new(EventKind::Touch, Timestamp::now(), data.as_object().cloned().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_outbox_goes_once_and_is_marked_uploaded() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("server")).await;
    server.create_channel("wtc-booths").await;
    let token = server.enrol("wtc-booths", "Booth 1").await;
    let store_path = dir.path().join("screen.sqlite");
    let events: Vec<Event> = (0..1200).map(touch).collect();
    EventRecorder::new(Store::open(&store_path).unwrap(), DeviceClock::system()).append(&events).unwrap();

    let upload = |token: Option<String>| {
        let (base, path) = (server.base.clone(), store_path.clone());
        tokio::task::spawn_blocking(move || {
            let mut store = Store::open(&path).unwrap();
            let heartbeat = serde_json::from_value(serde_json::json!({ "release_version": 1 })).unwrap();
            SyncClient::new(SyncSource::plain(base, token)).upload_outbox(
                &mut store,
                heartbeat,
                Timestamp::now(),
            )
        })
    };
    let refused = upload(None).await.unwrap().unwrap_err();
    assert!(refused.to_string().contains("HTTP 401"), "{refused}");
    assert_eq!(Store::open(&store_path).unwrap().pending_events(2000).unwrap().len(), 1200, "nothing lost");

    assert_eq!(upload(Some(token.clone())).await.unwrap().unwrap(), 1200);
    assert!(Store::open(&store_path).unwrap().pending_events(10).unwrap().is_empty());

    server.stop().await;
}
