//! The server under a hostile client, over real sockets on 127.0.0.1: the
//! attacker's connections come from 127.0.0.2 (Linux routes all of 127.0.0.0/8
//! to loopback), so the screens and staff on 127.0.0.1 are other clients. Idle
//! and slowloris connections do not keep the device API from others and are
//! closed after the request head timeout; an event stream open far longer
//! still hears announcements; a client over the request rate is answered `429`.

mod support;

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use kiosk_listener::{Limits, RequestRate};
use kiosk_server::Settings;
use kiosk_server::settings::DEFAULT_LISTENER_LIMITS;
use reqwest::StatusCode;
use support::{ADMIN, next_event, sample};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;
use tokio::task::JoinSet;

/// How long the server under test waits for a request head.
const HEAD_TIMEOUT: Duration = Duration::from_millis(1500);

fn settings(dir: &std::path::Path, limits: Limits) -> Settings {
    let mut settings = Settings::new(dir.to_owned(), ADMIN.into());
    settings.listener_limits = limits;
    settings
}

fn addr_of(server: &support::TestServer) -> SocketAddr {
    server.base.trim_start_matches("http://").parse().unwrap()
}

fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from(ip))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_idle_and_hundreds_of_slow_connections_leave_the_device_api_answering_and_are_closed() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { request_head_timeout: HEAD_TIMEOUT, ..DEFAULT_LISTENER_LIMITS };
    let server = support::start_with(settings(dir.path(), limits)).await;
    let addr = addr_of(&server);

    let opened = Instant::now();
    let (mut readers, mut idle_writers, mut slow_writers) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..1300 {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::from(([127, 0, 0, 2], 0))).unwrap();
        let (reader, writer) = socket.connect(addr).await.unwrap().into_split();
        readers.push(reader);
        if n < 1000 { idle_writers.push(writer) } else { slow_writers.push(writer) }
    }
    tokio::spawn(async move {
        for byte in b"GET /v1/public-key HTTP/1.1\r\nHost: kiosk\r\nX-Slow: aaaaaaaaaaaaaaaa" {
            for writer in &mut slow_writers {
                let _ = writer.write_all(&[*byte]).await;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });

    let screen = client_from([127, 0, 0, 1]);
    for _ in 0..3 {
        let started = Instant::now();
        let response = screen.get(server.url("/v1/public-key")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(started.elapsed() < Duration::from_secs(1), "answered in {:?}", started.elapsed());
    }

    let deadline = tokio::time::Instant::from_std(opened + HEAD_TIMEOUT + Duration::from_secs(2));
    let mut reads = JoinSet::new();
    for mut reader in readers {
        reads.spawn(async move {
            let mut buffer = [0u8; 1024];
            loop {
                match tokio::time::timeout_at(deadline, reader.read(&mut buffer)).await {
                    Err(_) => return false,
                    Ok(Ok(0) | Err(_)) => return true,
                    Ok(Ok(_)) => continue,
                }
            }
        });
    }
    let closed = reads.join_all().await.into_iter().filter(|&closed| closed).count();
    drop(idle_writers);
    assert_eq!(closed, 1300, "every attacking connection is closed once the timeout passed");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_stream_open_longer_than_the_head_timeout_still_hears_announcements() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { request_head_timeout: Duration::from_millis(300), ..DEFAULT_LISTENER_LIMITS };
    let server = support::start_with(settings(dir.path(), limits)).await;
    server.create_channel("wtc-booths").await;
    let (manifest, blobs) = sample("long-stream");
    server.upload(&blobs).await;
    server.publish("wtc-booths", &manifest).await;
    let token = server.enrol("wtc-booths", "Booth").await;

    let mut events = server.open_events("wtc-booths", &token).await;
    let mut buffer = String::new();
    let current = next_event(&mut events, &mut buffer, "release").await;
    assert_eq!(current["version"], 1);

    // Silent for ten head timeouts (the keep-alive comment comes every 15 s).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (_, second_sha) = server.publish("wtc-booths", &manifest).await;
    let announced =
        tokio::time::timeout(Duration::from_secs(1), next_event(&mut events, &mut buffer, "release"))
            .await
            .expect("announced within a second");
    assert_eq!(announced, serde_json::json!({"version": 2, "manifest_sha256": second_sha}));
    drop(events);
    tokio::time::timeout(Duration::from_secs(5), server.stop())
        .await
        .expect("shutdown does not wait on streams");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_over_the_request_rate_gets_429_with_retry_after_while_a_screen_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { request_rate: Some(RequestRate::new(1, 5)), ..DEFAULT_LISTENER_LIMITS };
    let server = support::start_with(settings(dir.path(), limits)).await;
    let flooder = client_from([127, 0, 0, 2]);
    let mut statuses = Vec::new();
    let mut refused = None;
    for _ in 0..8 {
        let response = flooder.get(server.url("/v1/public-key")).send().await.unwrap();
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(response);
        }
    }
    assert_eq!(statuses[..5], [StatusCode::OK; 5], "{statuses:?}");
    assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 3], "{statuses:?}");
    let refused = refused.unwrap();
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(retry_after, 1);

    let screen = client_from([127, 0, 0, 1]).get(server.url("/v1/public-key")).send().await.unwrap();
    assert_eq!(screen.status(), StatusCode::OK, "another client is served");
    assert!(screen.text().await.unwrap().len() > 10, "with the key");
    server.stop().await;
}
