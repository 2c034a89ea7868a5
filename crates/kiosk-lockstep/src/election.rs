//! Who leads: of the members heard lately and trusted, the one in the group longest.
//!
//! Pure: times are the member's own monotonic milliseconds, passed in. Every
//! member ranks the others by the same two values they announce (its rank, the
//! group clock's time when it joined, then its id), so all members that hear each
//! other agree. A member still listening has no rank yet, so one that starts late
//! never takes the lead from one already leading, whatever its own clock says;
//! and a leader lost hands it to the next most senior, which already followed its
//! clock.

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::group_clock::LeaderKey;

/// A member not heard for this long is gone.
pub const LOST_AFTER_MS: f64 = 1500.0;
/// A member not heard for this long is forgotten.
const FORGET_AFTER_MS: f64 = 60_000.0;
/// The most members remembered: a booth has a handful of screens, and a flood of
/// made-up ids must not grow the roster.
pub const MAX_MEMBERS: usize = 64;
/// The most members left out for their clocks at once.
const MAX_DISTRUSTED: usize = 16;
/// The rank of a member still listening: it cannot lead anyone else.
pub const UNRANKED: u64 = u64::MAX;

/// Another member of the group, as last heard.
#[derive(Debug, Clone)]
pub struct Peer {
    /// The group clock's time when it joined (ms), or [`UNRANKED`]; the smaller leads.
    pub rank: u64,
    /// The number it picked at random when it started.
    pub run: u64,
    /// Where its datagrams come from.
    pub addr: SocketAddr,
    /// When it was last heard (local).
    pub heard_at: f64,
    /// Its clock minus ours when last heard, ignoring the network (ms).
    pub clock_gap_ms: f64,
    /// Whom it follows (itself when it leads).
    pub leader: String,
}

/// The members this one hears.
#[derive(Debug, Default)]
pub struct Roster {
    peers: HashMap<String, Peer>,
    distrusted: Vec<LeaderKey>,
}

impl Roster {
    /// Records a greeting from `id`; false when the roster is full and `id` is new.
    pub fn heard(&mut self, id: &str, peer: Peer) -> bool {
        if !self.peers.contains_key(id) && self.peers.len() >= MAX_MEMBERS {
            return false;
        }
        let key = LeaderKey { id: id.to_owned(), run: peer.run };
        // A member left out for its clock is trusted again once it agrees.
        if peer.clock_gap_ms.abs() <= crate::group_clock::IN_STEP_MS {
            self.distrusted.retain(|k| *k != key);
        }
        self.peers.insert(id.to_owned(), peer);
        true
    }

    /// Leaves `key` out of the election until its clock agrees with ours.
    pub fn distrust(&mut self, key: LeaderKey) {
        if !self.distrusted.contains(&key) {
            self.distrusted.push(key);
            if self.distrusted.len() > MAX_DISTRUSTED {
                self.distrusted.remove(0);
            }
        }
    }

    /// Whether `key` is left out for its clock.
    pub fn is_distrusted(&self, key: &LeaderKey) -> bool {
        self.distrusted.contains(key)
    }

    /// Forgets members gone for a minute, so the roster does not grow.
    pub fn forget_gone(&mut self, now: f64) {
        self.peers.retain(|_, p| now - p.heard_at < FORGET_AFTER_MS);
    }

    /// The members heard within [`LOST_AFTER_MS`] of `now`.
    pub fn alive(&self, now: f64) -> impl Iterator<Item = (&str, &Peer)> {
        self.peers
            .iter()
            .filter(move |(_, p)| now - p.heard_at <= LOST_AFTER_MS)
            .map(|(id, p)| (id.as_str(), p))
    }

    /// The member `id`, if heard.
    pub fn get(&self, id: &str) -> Option<&Peer> {
        self.peers.get(id)
    }

    /// Who leads at `now`, as this member (`me`, of rank `my_rank`) sees it.
    pub fn leader(&self, me: &LeaderKey, my_rank: u64, now: f64) -> LeaderKey {
        self.alive(now)
            .map(|(id, p)| (p.rank, LeaderKey { id: id.to_owned(), run: p.run }))
            .filter(|(_, key)| !self.is_distrusted(key))
            .chain([(my_rank, me.clone())])
            .min_by(|(ra, a), (rb, b)| ra.cmp(rb).then_with(|| a.id.cmp(&b.id)))
            .map_or_else(|| me.clone(), |(_, key)| key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(rank: u64, heard_at: f64) -> Peer {
        Peer {
            rank,
            run: rank,
            addr: "127.0.0.1:1".parse().unwrap(),
            heard_at,
            clock_gap_ms: 0.0,
            leader: String::new(),
        }
    }

    fn me(id: &str) -> LeaderKey {
        LeaderKey { id: id.into(), run: 99 }
    }

    #[test]
    fn a_member_still_listening_leads_no_one_else_and_the_roster_stays_small() {
        let mut roster = Roster::default();
        roster.heard("b", peer(UNRANKED, 0.0));
        assert_eq!(roster.leader(&me("a"), 500, 10.0).id, "a");
        for i in 0..200 {
            roster.heard(&format!("flood-{i}"), peer(1, 0.0));
        }
        assert_eq!(roster.alive(10.0).count(), MAX_MEMBERS);
        roster.forget_gone(60_001.0);
        assert_eq!(roster.alive(60_001.0).count(), 0);
    }

    #[test]
    fn the_member_running_longest_leads_then_the_id_breaks_a_tie() {
        let mut roster = Roster::default();
        roster.heard("b", peer(100, 0.0));
        roster.heard("c", peer(100, 0.0));
        assert_eq!(roster.leader(&me("a"), 200, 10.0).id, "b");
        assert_eq!(roster.leader(&me("a"), 50, 10.0).id, "a");
        assert_eq!(roster.leader(&me("d"), 100, 10.0).id, "b");
    }

    #[test]
    fn a_member_not_heard_for_long_is_gone_and_the_next_leads() {
        let mut roster = Roster::default();
        roster.heard("a", peer(1, 0.0));
        roster.heard("b", peer(2, 1000.0));
        assert_eq!(roster.leader(&me("c"), 3, 1500.0).id, "a");
        assert_eq!(roster.leader(&me("c"), 3, 1501.0).id, "b");
        assert_eq!(roster.leader(&me("c"), 3, 2501.0).id, "c");
    }

    #[test]
    fn a_distrusted_leader_is_left_out_until_its_clock_agrees() {
        let mut roster = Roster::default();
        roster.heard("a", peer(1, 0.0));
        roster.distrust(LeaderKey { id: "a".into(), run: 1 });
        assert_eq!(roster.leader(&me("b"), 2, 10.0).id, "b");
        let mut far = peer(1, 20.0);
        far.clock_gap_ms = 900.0;
        roster.heard("a", far);
        assert_eq!(roster.leader(&me("b"), 2, 30.0).id, "b");
        roster.heard("a", peer(1, 40.0));
        assert_eq!(roster.leader(&me("b"), 2, 50.0).id, "a");
    }

    #[test]
    fn a_restarted_member_is_not_distrusted_for_its_last_run() {
        let mut roster = Roster::default();
        roster.distrust(LeaderKey { id: "a".into(), run: 1 });
        let mut again = peer(5, 0.0);
        again.clock_gap_ms = 900.0;
        roster.heard("a", again);
        assert_eq!(roster.leader(&me("b"), 9, 10.0).id, "a");
    }
}
