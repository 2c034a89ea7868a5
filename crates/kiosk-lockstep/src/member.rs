//! One member of a sync group on the network: the UDP socket, greetings four
//! times a second, pings to the leader, and the group clock they keep.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::net::UdpSocket;

use crate::election::{Peer, Roster, UNRANKED};
use crate::group_clock::{Exchange, GroupClock, Heard, LeaderKey};
use crate::message::{Body, MAX_DATAGRAM, Message, VERSION};

/// How often a member greets its peers and pings its leader.
pub const TICK: Duration = Duration::from_millis(250);
/// How long a member listens before it leads alone.
const LISTEN_MS: f64 = 1000.0;

/// What a member needs to know.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The group's name: screens of one group play in step.
    pub group: String,
    /// This member's id, unique in the group.
    pub member: String,
    /// Where it listens (UDP).
    pub listen: SocketAddr,
    /// Where its greetings go: each other screen, or the booth LAN's broadcast address.
    pub peers: Vec<SocketAddr>,
    /// Its clock (ms) until it hears a leader; [`Settings::new`] uses the time
    /// since the Unix epoch.
    pub initial_clock_ms: f64,
}

impl Settings {
    /// Settings starting from the system's time.
    pub fn new(
        group: impl Into<String>,
        member: impl Into<String>,
        listen: SocketAddr,
        peers: Vec<SocketAddr>,
    ) -> Self {
        Self { group: group.into(), member: member.into(), listen, peers, initial_clock_ms: unix_ms() as f64 }
    }
}

/// What a member is to its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "kiosk/src/generated/")]
pub enum Role {
    /// Listening for a leader, just started.
    Joining,
    /// Its clock is the group's (alone, or the most senior).
    Leader,
    /// Follows the leader's clock.
    Follower,
}

/// The group clock as the player reads it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export, export_to = "kiosk/src/generated/")]
pub struct GroupClockView {
    /// The group's name.
    pub group: String,
    /// This screen's id in it.
    pub member: String,
    /// The group's time now, in ms.
    pub clock_ms: f64,
    /// What this screen is to the group.
    pub role: Role,
    /// The leader's id (this screen's own when it leads).
    pub leader: String,
    /// Members heard lately, this one included.
    pub members: u32,
    /// A follower within 20 ms of its leader; a leader always.
    pub in_step: bool,
    /// Why a leader is not followed, when one is not.
    pub note: Option<String>,
}

/// A member of a sync group, running until dropped.
pub struct Lockstep {
    shared: Arc<Shared>,
    local_addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

struct Shared {
    base: Instant,
    group: String,
    member: String,
    /// This run's random number: tells this member's own datagrams from those of
    /// another screen given the same id.
    run: u64,
    peers: Vec<SocketAddr>,
    state: Mutex<State>,
}

struct State {
    clock: GroupClock,
    roster: Roster,
    leader: LeaderKey,
    role: Role,
    /// The group clock's time when this member joined; [`UNRANKED`] while it listens.
    rank: u64,
    note: Option<String>,
    next_seq: u64,
    send_failing: bool,
    warned_same_id: bool,
}

impl Lockstep {
    /// Listens on `settings.listen` and joins the group in the background.
    /// Runs inside a Tokio runtime.
    pub async fn start(settings: Settings) -> io::Result<Self> {
        let socket = UdpSocket::bind(settings.listen).await?;
        socket.set_broadcast(true)?;
        let local_addr = socket.local_addr()?;
        let run = random_run();
        let me = LeaderKey { id: settings.member.clone(), run };
        let shared = Arc::new(Shared {
            base: Instant::now(),
            group: settings.group,
            member: settings.member,
            run,
            peers: settings.peers,
            state: Mutex::new(State {
                clock: GroupClock::new(0.0, settings.initial_clock_ms),
                roster: Roster::default(),
                leader: me,
                role: Role::Joining,
                rank: UNRANKED,
                note: None,
                next_seq: 0,
                send_failing: false,
                warned_same_id: false,
            }),
        });
        tracing::info!(group = shared.group, member = shared.member, %local_addr, "joining the sync group");
        let task = tokio::spawn(serve(Arc::clone(&shared), socket));
        Ok(Self { shared, local_addr, task })
    }

    /// Where it listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The group's time now, in ms.
    pub fn now_ms(&self) -> f64 {
        let local = self.shared.local_now();
        self.shared.state().clock.now(local)
    }

    /// The group clock and this member's place in the group, now.
    pub fn view(&self) -> GroupClockView {
        let local = self.shared.local_now();
        let state = self.shared.state();
        GroupClockView {
            group: self.shared.group.clone(),
            member: self.shared.member.clone(),
            clock_ms: state.clock.now(local),
            role: state.role,
            leader: state.leader.id.clone(),
            members: u32::try_from(state.roster.alive(local).count() + 1).unwrap_or(u32::MAX),
            in_step: state.role == Role::Leader || state.clock.in_step(),
            note: state.note.clone(),
        }
    }
}

impl Drop for Lockstep {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Shared {
    fn local_now(&self) -> f64 {
        self.base.elapsed().as_secs_f64() * 1000.0
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn message(&self, body: Body) -> Message {
        Message { v: VERSION, group: self.group.clone(), from: self.member.clone(), body }
    }
}

async fn serve(shared: Arc<Shared>, socket: UdpSocket) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        tokio::select! {
            received = socket.recv_from(&mut buf) => {
                let local = shared.local_now();
                match received {
                    Ok((len, from)) => {
                        if let Some(answer) = hear(&shared, &buf[..len], from, local) {
                            send(&shared, &socket, &answer, from).await;
                        }
                    }
                    Err(error) => tracing::trace!(%error, "sync group receive"),
                }
            }
            _ = tick.tick() => {
                let (outgoing, leader_addr) = on_tick(&shared);
                for peer in &shared.peers {
                    send(&shared, &socket, &outgoing.0, *peer).await;
                }
                if let (Some(ping), Some(addr)) = (outgoing.1, leader_addr) {
                    send(&shared, &socket, &ping, addr).await;
                }
            }
        }
    }
}

/// Chooses the leader, then what to send: a greeting, and a ping when following.
fn on_tick(shared: &Shared) -> ((Message, Option<Message>), Option<SocketAddr>) {
    let local = shared.local_now();
    let mut state = shared.state();
    let state = &mut *state;
    state.roster.forget_gone(local);
    let heard_anyone = state.roster.alive(local).next().is_some();
    if state.role != Role::Joining || heard_anyone || local >= LISTEN_MS {
        elect(shared, state, local);
    }
    let hello = shared.message(Body::Hello {
        run: shared.run,
        rank: state.rank,
        clock_ms: state.clock.now(local),
        leader: state.leader.id.clone(),
    });
    let mut ping = None;
    let mut addr = None;
    if state.role == Role::Follower {
        state.next_seq += 1;
        ping = Some(shared.message(Body::Ping { seq: state.next_seq, sent: shared.local_now() }));
        addr = state.roster.get(&state.leader.id).map(|p| p.addr);
    }
    ((hello, ping), addr)
}

fn elect(shared: &Shared, state: &mut State, local: f64) {
    let me = LeaderKey { id: shared.member.clone(), run: shared.run };
    let leader = state.roster.leader(&me, state.rank, local);
    if leader == state.leader && state.role != Role::Joining {
        return;
    }
    if leader == me {
        state.clock.lead(local);
        state.role = Role::Leader;
        rank_once(state, local);
        tracing::info!(group = shared.group, "leading the sync group");
    } else {
        state.role = Role::Follower;
        tracing::info!(group = shared.group, leader = leader.id, "following the sync group's leader");
    }
    state.leader = leader;
}

/// Takes in a datagram; returns the answer to send back, if any.
fn hear(shared: &Shared, bytes: &[u8], from: SocketAddr, local: f64) -> Option<Message> {
    let message = Message::decode(bytes, &shared.group)?;
    let mut state = shared.state();
    let state = &mut *state;
    if message.from == shared.member {
        // Our own broadcast, or another screen given the same id.
        if let Body::Hello { run, .. } = message.body
            && run != shared.run
            && !std::mem::replace(&mut state.warned_same_id, true)
        {
            tracing::error!(
                group = shared.group,
                member = shared.member,
                %from,
                "another screen of the sync group has this screen's id; give each its own [lockstep] member"
            );
        }
        return None;
    }
    match message.body {
        Body::Hello { run, rank, clock_ms, leader } => {
            let clock_gap_ms = clock_ms - state.clock.now(local);
            let peer = Peer { rank, run, addr: from, heard_at: local, clock_gap_ms, leader };
            if !state.roster.heard(&message.from, peer) {
                tracing::debug!(from = message.from, "sync group roster full; greeting ignored");
            }
            None
        }
        // Only members heard lately are answered, so strangers cannot bounce
        // traffic off a screen.
        Body::Ping { .. } if state.roster.get(&message.from).is_none_or(|p| p.addr != from) => None,
        Body::Ping { seq, sent } => {
            let received = state.clock.now(local);
            let replied = state.clock.now(shared.local_now());
            Some(shared.message(Body::Pong { to: message.from, seq, sent, received, replied }))
        }
        Body::Pong { to, seq, sent, received, replied } => {
            let answers_ours =
                to == shared.member && seq <= state.next_seq && seq + 16 > state.next_seq && sent <= local;
            if !answers_ours || state.role != Role::Follower || message.from != state.leader.id {
                return None;
            }
            let leader = state.leader.clone();
            let exchange =
                Exchange { sent, leader_received: received, leader_replied: replied, received: local };
            match state.clock.hear(&leader, exchange) {
                Heard::Stepped { by_ms } => {
                    state.note = None;
                    rank_once(state, local);
                    tracing::info!(
                        leader = leader.id,
                        by_ms = by_ms.round(),
                        "joined the sync group's clock"
                    );
                }
                Heard::Refused { error_ms } => {
                    let note = format!(
                        "{}'s clock moved {:.0} ms away from this screen's; not followed",
                        leader.id, error_ms
                    );
                    tracing::warn!(leader = leader.id, error_ms = error_ms.round(), "{note}");
                    state.note = Some(note);
                    state.roster.distrust(leader);
                    elect(shared, state, local);
                }
                Heard::Slewing { in_step: true, .. } => {
                    state.note = None;
                    rank_once(state, local);
                }
                Heard::Slewing { .. } | Heard::Collecting => {}
            }
            None
        }
    }
}

async fn send(shared: &Shared, socket: &UdpSocket, message: &Message, to: SocketAddr) {
    let result = socket.send_to(&message.encode(), to).await;
    let mut state = shared.state();
    match result {
        Ok(_) if state.send_failing => {
            state.send_failing = false;
            tracing::info!(group = shared.group, "the booth network carries the sync group again");
        }
        Err(error) if !state.send_failing => {
            state.send_failing = true;
            tracing::warn!(group = shared.group, %to, %error, "the sync group cannot send; playing on this screen's clock");
        }
        _ => {}
    }
}

/// A member takes its rank when it first leads or is in step: the group clock's
/// time then, later than that of every member already in the group.
fn rank_once(state: &mut State, local: f64) {
    if state.rank == UNRANKED {
        state.rank = state.clock.now(local).max(0.0) as u64;
    }
}

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// A random number for this run, from the standard library's random hash keys.
fn random_run() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    hasher.write_u32(std::process::id());
    hasher.finish()
}
