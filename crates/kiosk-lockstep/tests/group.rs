//! Members of a sync group over real UDP on loopback: who leads, how close their
//! clocks are, and what happens when the leader goes or its clock is wrong.

use std::net::{SocketAddr, UdpSocket as StdSocket};
use std::time::Duration;

use kiosk_lockstep::message::{Body, Message, VERSION};
use kiosk_lockstep::{Lockstep, Role, Settings};
use tokio::net::UdpSocket;
use tokio::time::{Instant, sleep};

const GROUP: &str = "hall-a";

/// Free loopback ports, one per member.
fn ports(n: usize) -> Vec<SocketAddr> {
    let sockets: Vec<StdSocket> = (0..n).map(|_| StdSocket::bind("127.0.0.1:0").unwrap()).collect();
    sockets.iter().map(|s| s.local_addr().unwrap()).collect()
}

async fn member(id: &str, me: SocketAddr, all: &[SocketAddr], clock: f64) -> Lockstep {
    let peers = all.iter().copied().filter(|a| *a != me).collect();
    let mut settings = Settings::new(GROUP, id, me, peers);
    settings.initial_clock_ms = clock;
    Lockstep::start(settings).await.unwrap()
}

/// Waits until `check` holds, up to `within`.
async fn until(within: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let end = Instant::now() + within;
    while !check() {
        assert!(Instant::now() < end, "not within {within:?}: {what}");
        sleep(Duration::from_millis(20)).await;
    }
}

fn apart(a: &Lockstep, b: &Lockstep) -> f64 {
    (a.now_ms() - b.now_ms()).abs()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_follow_the_most_senior_and_agree_within_a_millisecond() {
    let addrs = ports(3);
    let a = member("a", addrs[0], &addrs, 1_000_000.0).await;
    sleep(Duration::from_millis(30)).await;
    let b = member("b", addrs[1], &addrs, 9_000_000.0).await;
    let c = member("c", addrs[2], &addrs, 5_000.0).await;
    assert_eq!(a.view().role, Role::Joining);
    until(Duration::from_secs(4), "b and c in step with a", || b.view().in_step && c.view().in_step).await;
    for (m, role) in [(&a, Role::Leader), (&b, Role::Follower), (&c, Role::Follower)] {
        let view = m.view();
        assert_eq!((view.role, view.leader.as_str(), view.members), (role, "a", 3), "{view:?}");
    }
    // The followers stepped to a's clock, which kept its own.
    assert!((a.now_ms() - 1_000_000.0).abs() < 10_000.0, "{}", a.now_ms());
    sleep(Duration::from_secs(2)).await;
    assert!(apart(&a, &b) < 1.0, "{}", apart(&a, &b));
    assert!(apart(&a, &c) < 1.0, "{}", apart(&a, &c));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_leader_hands_over_without_a_jump_and_a_late_screen_joins_in_step() {
    let addrs = ports(4);
    let a = member("a", addrs[0], &addrs, 50_000.0).await;
    sleep(Duration::from_millis(30)).await;
    let b = member("b", addrs[1], &addrs, 70_000.0).await;
    sleep(Duration::from_millis(30)).await;
    let c = member("c", addrs[2], &addrs, 90_000.0).await;
    until(Duration::from_secs(4), "in step", || b.view().in_step && c.view().in_step).await;
    sleep(Duration::from_secs(1)).await;

    drop(a);
    // Watch b's and c's clocks through the handover: each moves as time does.
    let started = Instant::now();
    let (mut last_b, mut last_c, mut last_at) = (b.now_ms(), c.now_ms(), Instant::now());
    let mut worst_step: f64 = 0.0;
    let mut worst_apart: f64 = 0.0;
    while started.elapsed() < Duration::from_secs(4) {
        sleep(Duration::from_millis(25)).await;
        let (nb, nc, at) = (b.now_ms(), c.now_ms(), Instant::now());
        let elapsed = at.duration_since(last_at).as_secs_f64() * 1000.0;
        worst_step = worst_step.max((nb - last_b - elapsed).abs()).max((nc - last_c - elapsed).abs());
        worst_apart = worst_apart.max((nb - nc).abs());
        (last_b, last_c, last_at) = (nb, nc, at);
    }
    // The one of them in step with a first now leads; the other follows it.
    let (leader, follower) = if b.view().role == Role::Leader { (&b, &c) } else { (&c, &b) };
    assert_eq!(leader.view().role, Role::Leader, "{:?}", leader.view());
    let view = follower.view();
    assert_eq!((view.role, view.leader.as_str()), (Role::Follower, leader.view().member.as_str()));
    assert!(worst_step < 2.0, "a clock jumped by {worst_step} ms during the handover");
    assert!(worst_apart < 2.0, "b and c were {worst_apart} ms apart during the handover");

    // A screen started late, with a clock far off, joins in step.
    // Its id sorts first, but a screen still listening has no rank.
    let d = member("0-late", addrs[3], &addrs, 1.0).await;
    until(Duration::from_secs(4), "the late screen in step", || d.view().in_step).await;
    assert_eq!((d.view().role, d.view().leader), (Role::Follower, leader.view().member));
    sleep(Duration::from_millis(500)).await;
    assert!(apart(leader, &d) < 1.0, "{}", apart(leader, &d));
    assert_eq!(leader.view().role, Role::Leader, "a late screen does not take the lead");
}

/// A member that claims to lead, whose clock is `base + local time + jump`.
struct RogueLeader {
    socket: UdpSocket,
    started: Instant,
}

impl RogueLeader {
    async fn serve(self, followers: Vec<SocketAddr>, jump_after: Duration, jump_ms: f64) {
        let mut buf = [0u8; 1024];
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        let clock = |started: Instant| {
            let local = started.elapsed().as_secs_f64() * 1000.0;
            let jump = if started.elapsed() > jump_after { jump_ms } else { 0.0 };
            800_000.0 + local + jump
        };
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    let hello = Message { v: VERSION, group: GROUP.into(), from: "rogue".into(),
                        body: Body::Hello { run: 7, rank: 1, clock_ms: clock(self.started), leader: "rogue".into() } };
                    for follower in &followers {
                        let _ = self.socket.send_to(&hello.encode(), follower).await;
                    }
                }
                Ok((len, from)) = self.socket.recv_from(&mut buf) => {
                    let Some(Message { from: asker, body: Body::Ping { seq, sent }, .. }) = Message::decode(&buf[..len], GROUP) else { continue };
                    let now = clock(self.started);
                    let pong = Message { v: VERSION, group: GROUP.into(), from: "rogue".into(),
                        body: Body::Pong { to: asker, seq, sent, received: now, replied: now } };
                    let _ = self.socket.send_to(&pong.encode(), from).await;
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_whose_clock_jumps_is_not_followed_and_the_screens_play_on_together() {
    let addrs = ports(3);
    let rogue = UdpSocket::bind(addrs[0]).await.unwrap();
    let rogue = RogueLeader { socket: rogue, started: Instant::now() };
    let b = member("b", addrs[1], &addrs, 10.0).await;
    let c = member("c", addrs[2], &addrs, 20.0).await;
    let followers = addrs[1..].to_vec();
    let rogue_task =
        tokio::spawn(async move { rogue.serve(followers, Duration::from_secs(3), 5_000.0).await });
    until(Duration::from_secs(3), "b and c follow the rogue", || {
        [&b, &c].iter().all(|m| m.view().in_step && m.view().leader == "rogue")
    })
    .await;
    let before = b.now_ms();
    let at = Instant::now();
    until(Duration::from_secs(6), "b refuses the rogue", || b.view().note.is_some()).await;
    let view = b.view();
    assert!(view.note.as_deref().unwrap().contains("rogue's clock moved"), "{view:?}");
    assert_eq!((view.role, view.leader.as_str()), (Role::Leader, "b"));
    // b kept its clock: it moved with time, never toward the jump.
    let moved = b.now_ms() - before - at.elapsed().as_secs_f64() * 1000.0;
    assert!(moved.abs() < 50.0, "b's clock moved {moved} ms beyond time");
    // b and c still play together, without the rogue.
    until(Duration::from_secs(4), "b and c in step", || {
        let (vb, vc) = (b.view(), c.view());
        vb.leader == "b" && vc.leader == "b" && vc.in_step && apart(&b, &c) < 2.0
    })
    .await;
    rogue_task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_and_other_groups_are_ignored() {
    let addrs = ports(2);
    let a = member("a", addrs[0], &addrs, 0.0).await;
    let noise = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let other = Message {
        v: VERSION,
        group: "hall-b".into(),
        from: "x".into(),
        body: Body::Hello { run: 1, rank: 0, clock_ms: 1.0, leader: "x".into() },
    };
    for _ in 0..20 {
        noise.send_to(b"\xff\xfe not json", a.local_addr()).await.unwrap();
        noise.send_to(&other.encode(), a.local_addr()).await.unwrap();
        noise.send_to(&[b'{'; 4000], a.local_addr()).await.unwrap();
        sleep(Duration::from_millis(50)).await;
    }
    until(Duration::from_secs(3), "a leads alone", || a.view().role == Role::Leader).await;
    let view = a.view();
    assert_eq!((view.role, view.leader.as_str(), view.members), (Role::Leader, "a", 1), "{view:?}");
}
