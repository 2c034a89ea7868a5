//! The limits against a real server on 127.0.0.1, attacked from another
//! loopback address (127.0.0.2) so the well-behaved client is another client.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::routing::get;
use futures_util::stream;
use kiosk_listener::{Limits, RequestRate};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;

const SHORT: Limits = Limits {
    max_connections: 64,
    max_connections_per_client: Some(4),
    request_head_timeout: Duration::from_millis(600),
    write_stall_timeout: Some(Duration::from_millis(600)),
    request_rate: None,
    refusal_log_interval: Duration::from_secs(60),
};

const BIG_BYTES: usize = 256 * 1024 * 1024;

fn router() -> Router {
    let who = |ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() };
    // Eight lines, one every 200 ms: longer than the head timeout.
    let slow = || async {
        Body::from_stream(stream::unfold(0, |n| async move {
            (n < 8).then_some(())?;
            tokio::time::sleep(Duration::from_millis(200)).await;
            Some((Ok::<_, std::io::Error>(Bytes::from(format!("line {n}\n"))), n + 1))
        }))
    };
    let big = || async {
        let chunk = Bytes::from(vec![b'x'; 1024 * 1024]);
        Body::from_stream(stream::iter(
            (0..BIG_BYTES / chunk.len()).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        ))
    };
    Router::new().route("/who", get(who)).route("/slow", get(slow)).route("/big", get(big))
}

struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(limits: Limits) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(kiosk_listener::serve(listener, router(), limits, async {
        let _ = stopped.await;
    }));
    Server { addr, stop: Some(stop), task }
}

/// A TCP connection to `addr` from the loopback address `from`.
async fn connect_from(from: [u8; 4], addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    socket.connect(addr).await.unwrap()
}

/// `GET path` from `from` on a fresh connection: the status line, the head and the body.
async fn get_from(from: [u8; 4], addr: SocketAddr, path: &str) -> (String, String) {
    let mut tcp = connect_from(from, addr).await;
    tcp.write_all(format!("GET {path} HTTP/1.1\r\nHost: kiosk\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a whole answer");
    (head.to_owned(), body.to_owned())
}

/// Whether the server closed `tcp` (EOF or reset) within `within`.
async fn closed_within(tcp: &mut TcpStream, within: Duration) -> bool {
    let mut byte = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut byte)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_over_its_cap_is_closed_at_once_while_others_are_served_with_their_address() {
    let server = start(SHORT).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from([127, 0, 0, 2], server.addr).await);
    }
    let mut extra = connect_from([127, 0, 0, 2], server.addr).await;
    assert!(closed_within(&mut extra, Duration::from_millis(200)).await, "the fifth is closed at once");
    for tcp in &mut held {
        assert!(!closed_within(tcp, Duration::from_millis(10)).await, "the first four stay open");
    }
    let (head, body) = get_from([127, 0, 0, 1], server.addr, "/who").await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, "127.0.0.1", "handlers still see the peer's address");
}

#[tokio::test(flavor = "multi_thread")]
async fn silent_slow_and_idle_connections_are_closed_after_the_head_timeout() {
    let server = start(Limits { max_connections_per_client: None, ..SHORT }).await;
    let started = Instant::now();
    let mut silent = connect_from([127, 0, 0, 2], server.addr).await;
    let mut slow = connect_from([127, 0, 0, 2], server.addr).await;
    let mut idle = connect_from([127, 0, 0, 2], server.addr).await;
    idle.write_all(b"GET /who HTTP/1.1\r\nHost: kiosk\r\n\r\n").await.unwrap();
    let mut answer = [0u8; 512];
    let read = idle.read(&mut answer).await.unwrap();
    assert!(answer[..read].starts_with(b"HTTP/1.1 200"), "the kept-alive request is answered");
    let trickle = tokio::spawn(async move {
        for byte in b"GET /who HTTP/1.1\r\nHost: kiosk\r\n".iter() {
            if slow.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        slow
    });
    assert!(closed_within(&mut silent, Duration::from_secs(2)).await, "silent");
    assert!(closed_within(&mut idle, Duration::from_secs(2)).await, "idle after an answer");
    let mut slow = trickle.await.unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(1)).await, "slowloris");
    assert!(started.elapsed() >= Duration::from_millis(600), "not before the timeout");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_streaming_longer_than_the_head_timeout_is_not_cut() {
    let server = start(SHORT).await;
    let started = Instant::now();
    let (head, body) = get_from([127, 0, 0, 1], server.addr, "/slow").await;
    assert!(started.elapsed() > SHORT.request_head_timeout * 2);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(body.contains("line 0\n") && body.contains("line 7\n"), "every line came: {body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_stops_reading_is_closed_and_one_that_pauses_is_not() {
    let server = start(SHORT).await;
    let mut stalled = connect_from([127, 0, 0, 2], server.addr).await;
    stalled.write_all(b"GET /big HTTP/1.1\r\nHost: kiosk\r\n\r\n").await.unwrap();
    tokio::time::sleep(SHORT.write_stall_timeout.unwrap() * 3).await;
    let mut received = 0;
    let mut buffer = vec![0u8; 1024 * 1024];
    while let Ok(Ok(n @ 1..)) = tokio::time::timeout(Duration::from_secs(2), stalled.read(&mut buffer)).await
    {
        received += n;
    }
    assert!(received < BIG_BYTES, "the server gave up after {received} bytes");

    let mut reader = connect_from([127, 0, 0, 1], server.addr).await;
    reader.write_all(b"GET /big HTTP/1.1\r\nHost: kiosk\r\nConnection: close\r\n\r\n").await.unwrap();
    let (mut received, mut pauses) = (0, 0);
    loop {
        let n = reader.read(&mut buffer).await.unwrap();
        if n == 0 {
            break;
        }
        received += n;
        if received > (pauses + 1) * 16 * 1024 * 1024 && pauses < 4 {
            // A pause shorter than the stall timeout, every 16 MiB.
            pauses += 1;
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    }
    assert!(received > BIG_BYTES, "the whole body and its head came: {received}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_over_the_rate_gets_429_with_retry_after_while_another_is_served() {
    let server = start(Limits { request_rate: Some(RequestRate::new(1, 3)), ..SHORT }).await;
    for _ in 0..3 {
        let (head, _) = get_from([127, 0, 0, 2], server.addr, "/who").await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    }
    let (head, body) = get_from([127, 0, 0, 2], server.addr, "/who").await;
    assert!(head.starts_with("HTTP/1.1 429"), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\nretry-after: 1"), "{head}");
    assert!(body.contains("try again"), "{body}");
    let (head, body) = get_from([127, 0, 0, 1], server.addr, "/who").await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, "127.0.0.1");
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_finishes_the_answer_in_flight_closes_idle_connections_and_returns() {
    let mut server = start(Limits { request_head_timeout: Duration::from_secs(30), ..SHORT }).await;
    let mut idle = connect_from([127, 0, 0, 2], server.addr).await;
    let addr = server.addr;
    let in_flight = tokio::spawn(async move { get_from([127, 0, 0, 1], addr, "/slow").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = server.stop.take().unwrap().send(());
    let (_, body) = in_flight.await.unwrap();
    assert!(body.contains("line 7\n"), "the answer in flight was finished: {body}");
    assert!(closed_within(&mut idle, Duration::from_secs(2)).await, "idle connections are closed");
    let served = tokio::time::timeout(Duration::from_secs(3), server.task).await.expect("serve returned");
    served.unwrap().unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "no longer listening");
}
