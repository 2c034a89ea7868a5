//! An emergency message signed by a key that signs this screen's content is
//! refused, over the real sync loop, from a server that is not the real one;
//! one signed by the pinned emergency key, on the same stream, is shown.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc::channel;
use std::time::Duration;

use ed25519_dalek::{Signer, SigningKey};
use jiff::{SignedDuration, Timestamp};
use kiosk_core::emergency::{EmergencyMessage, KIND};
use kiosk_device::DataDir;
use kiosk_device::clock::DeviceClock;
use kiosk_device::emergency::SignedEmergency;
use kiosk_device::library::Trust;
use kiosk_device::sync_client::SyncSource;
use kiosk_device::sync_loop::{SyncHooks, spawn_sync_loop};
use kiosk_tests::key;

fn signed(key: &SigningKey, issued_at: Timestamp, words: &str) -> SignedEmergency {
    let message = EmergencyMessage {
        kind: KIND.into(),
        channel: "wtc-booths".into(),
        issued_at,
        expires_at: issued_at + SignedDuration::from_mins(30),
        text: [("en".to_owned(), words.to_owned())].into(),
    };
    let bytes = message.encode();
    SignedEmergency::new(&bytes, &key.sign(&bytes).to_bytes())
}

/// Answers every event stream with `announced`, then holds it open; every
/// other request gets `404`.
fn hostile_server(announced: Vec<SignedEmergency>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let announced = announced.clone();
            std::thread::spawn(move || {
                let mut request_line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                reader.read_line(&mut request_line).unwrap();
                while reader.read_line(&mut String::new()).is_ok_and(|n| n > 2) {}
                if !request_line.contains("/events") {
                    let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
                    return;
                }
                let mut answer = String::from(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\r\n",
                );
                for message in &announced {
                    let data = serde_json::to_string(message).unwrap();
                    answer.push_str(&format!("event: emergency\ndata: {data}\n\n"));
                }
                let _ = stream.write_all(answer.as_bytes());
                std::thread::sleep(Duration::from_secs(30));
            });
        }
    });
    base
}

#[test]
fn a_message_signed_by_a_content_key_is_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (content_key, emergency_key) = (key(1), key(2));
    let now = Timestamp::now();
    let forged =
        signed(&content_key, now + SignedDuration::from_secs(60), "Evacuate: free tickets at gate 3");
    let genuine = signed(&emergency_key, now, "Please leave the hall by the nearest exit");
    let base = hostile_server(vec![forged, genuine]);
    let trust = Trust::new(vec![content_key.verifying_key()], "wtc-booths")
        .with_emergency_keys(vec![emergency_key.verifying_key()]);
    let (shown, heard) = channel();
    let hooks = SyncHooks {
        emergency: Box::new(move |message: EmergencyMessage, _| {
            shown.send(message.text["en"].clone()).unwrap()
        }),
        ..SyncHooks::default()
    };
    let screen = DataDir::new(dir.path());
    spawn_sync_loop(
        screen.clone(),
        trust.clone(),
        SyncSource::plain(base, Some("a device token".into())),
        Duration::from_secs(3600),
        DeviceClock::system(),
        hooks,
    )
    .unwrap();

    let first = heard.recv_timeout(Duration::from_secs(10)).expect("the genuine message is shown");
    assert_eq!(first, "Please leave the hall by the nearest exit");
    assert!(heard.recv_timeout(Duration::from_secs(2)).is_err(), "nothing else is shown");
    let kept = kiosk_device::emergency::load(&screen, &trust, Timestamp::now()).expect("kept");
    assert_eq!(kept.message.text["en"], "Please leave the hall by the nearest exit");
}
