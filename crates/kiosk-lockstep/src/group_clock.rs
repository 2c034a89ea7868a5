//! A member's view of the group's clock: its own monotonic clock plus an offset.
//!
//! Pure: every time is passed in, in milliseconds, the member's own monotonic
//! clock (`local`) or the group's (`group`). A follower learns the offset from
//! timestamp exchanges with its leader; it steps once when it joins a leader it
//! has never followed, and otherwise moves at most [`MAX_SLEW`] toward what it
//! measured. A leader's offset stands still.

use std::collections::VecDeque;

/// The fastest a group clock is moved against the member's own: 5 ms per second.
pub const MAX_SLEW: f64 = 0.005;
/// Joining a leader it has never followed, a member steps when further apart
/// than this; closer, it slews.
pub const STEP_OVER_MS: f64 = 50.0;
/// Within this of the leader, a follower is in step.
pub const IN_STEP_MS: f64 = 20.0;
/// A leader that moves further than this from a follower in step with it is not
/// followed.
pub const REFUSE_OVER_MS: f64 = 250.0;
/// Not in step with a leader it followed before (the two were cut off for long
/// and drifted apart), a member steps when further apart than this rather than
/// spend minutes slewing.
pub const STEP_BACK_OVER_MS: f64 = 1000.0;
/// Leaders remembered as followed before.
const REMEMBERED: usize = 16;
/// Exchanges kept per leader; the one with the shortest round trip counts.
const WINDOW: usize = 8;
/// Exchanges needed before a follower acts on them.
const ENOUGH: usize = 3;

/// One timestamp exchange with the leader (NTP's four times).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exchange {
    /// When the follower sent its ping (local).
    pub sent: f64,
    /// When the leader received it (group).
    pub leader_received: f64,
    /// When the leader answered (group).
    pub leader_replied: f64,
    /// When the follower received the answer (local).
    pub received: f64,
}

impl Exchange {
    /// The time spent on the network, both ways.
    pub fn round_trip(&self) -> f64 {
        (self.received - self.sent) - (self.leader_replied - self.leader_received)
    }

    /// The leader's clock minus the follower's, assuming both ways take as long.
    pub fn offset(&self) -> f64 {
        ((self.leader_received - self.sent) + (self.leader_replied - self.received)) / 2.0
    }
}

/// What an exchange did to the clock.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// Not enough exchanges with this leader yet.
    Collecting,
    /// Joined a leader never followed before: the clock moved by this at once.
    Stepped {
        /// How far, in ms (positive: forward).
        by_ms: f64,
    },
    /// Moving toward the leader at the bounded rate.
    Slewing {
        /// How far the leader is ahead, in ms.
        error_ms: f64,
        /// Within [`IN_STEP_MS`] of the leader.
        in_step: bool,
    },
    /// The leader moved away from a follower that was in step with it; it is not
    /// followed, and the clock runs on where it was.
    Refused {
        /// How far the leader is ahead, in ms.
        error_ms: f64,
    },
}

/// Who a follower follows: a member's id and which run of it, so a member
/// restarted is a leader never followed before.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LeaderKey {
    /// The member's id.
    pub id: String,
    /// A number the member picked at random when it started.
    pub run: u64,
}

#[derive(Debug)]
struct Lock {
    leader: LeaderKey,
    exchanges: VecDeque<Exchange>,
    in_step: bool,
}

/// The group's clock as one member keeps it.
#[derive(Debug)]
pub struct GroupClock {
    /// Offset (group − local) at `anchor`.
    offset: f64,
    /// Where the offset is moving to, at most [`MAX_SLEW`].
    target: f64,
    anchor: f64,
    lock: Option<Lock>,
    followed: VecDeque<LeaderKey>,
}

impl GroupClock {
    /// A clock that reads `group` at local time `local`.
    pub fn new(local: f64, group: f64) -> Self {
        let offset = group - local;
        Self { offset, target: offset, anchor: local, lock: None, followed: VecDeque::new() }
    }

    /// The group's time at local time `local`.
    pub fn now(&self, local: f64) -> f64 {
        local + self.offset_at(local)
    }

    /// Whether the last exchanges put it within [`IN_STEP_MS`] of a leader.
    pub fn in_step(&self) -> bool {
        self.lock.as_ref().is_some_and(|l| l.in_step)
    }

    /// Leads (or plays alone): the clock runs on from where it is, without
    /// finishing a slew, and follows no one.
    pub fn lead(&mut self, local: f64) {
        self.settle(local);
        self.target = self.offset;
        self.lock = None;
    }

    /// Takes in an exchange with `leader`.
    pub fn hear(&mut self, leader: &LeaderKey, exchange: Exchange) -> Heard {
        self.settle(exchange.received);
        let lock = match &mut self.lock {
            Some(lock) if lock.leader == *leader => lock,
            lock => lock.insert(Lock { leader: leader.clone(), exchanges: VecDeque::new(), in_step: false }),
        };
        lock.exchanges.push_back(exchange);
        if lock.exchanges.len() > WINDOW {
            lock.exchanges.pop_front();
        }
        if lock.exchanges.len() < ENOUGH {
            return Heard::Collecting;
        }
        // The shortest round trip; of equal ones, the newest.
        let best = lock.exchanges.iter().rev().min_by(|a, b| a.round_trip().total_cmp(&b.round_trip()));
        let Some(estimate) = best.map(Exchange::offset) else { return Heard::Collecting };
        let error_ms = estimate - self.offset;
        let never_followed = !self.followed.contains(leader);
        if lock.in_step && error_ms.abs() > REFUSE_OVER_MS {
            self.lock = None;
            self.target = self.offset;
            return Heard::Refused { error_ms };
        }
        let step_over = if never_followed { STEP_OVER_MS } else { STEP_BACK_OVER_MS };
        if !lock.in_step && error_ms.abs() > step_over {
            self.offset = estimate;
            self.target = estimate;
            lock.in_step = true;
            remember(&mut self.followed, leader, never_followed);
            return Heard::Stepped { by_ms: error_ms };
        }
        self.target = estimate;
        if error_ms.abs() <= IN_STEP_MS {
            lock.in_step = true;
            remember(&mut self.followed, leader, never_followed);
        }
        Heard::Slewing { error_ms, in_step: lock.in_step }
    }

    fn offset_at(&self, local: f64) -> f64 {
        let room = (local - self.anchor).max(0.0) * MAX_SLEW;
        self.offset + (self.target - self.offset).clamp(-room, room)
    }

    fn settle(&mut self, local: f64) {
        if local > self.anchor {
            self.offset = self.offset_at(local);
            self.anchor = local;
        }
    }
}

/// Adds `leader` to the leaders followed before, when `new`, forgetting the oldest.
fn remember(followed: &mut VecDeque<LeaderKey>, leader: &LeaderKey, new: bool) {
    if new {
        followed.push_back(leader.clone());
        if followed.len() > REMEMBERED {
            followed.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> LeaderKey {
        LeaderKey { id: id.into(), run: 1 }
    }

    /// An exchange at local time `at` with a leader whose clock is `local + offset`,
    /// `rtt` ms each way… split evenly.
    fn exchange(at: f64, offset: f64, rtt: f64) -> Exchange {
        let leader_received = at + rtt / 2.0 + offset;
        Exchange {
            sent: at,
            leader_received,
            leader_replied: leader_received + 0.1,
            received: at + rtt + 0.1,
        }
    }

    #[test]
    fn an_exchange_reads_the_offset_and_the_network_time() {
        let e = exchange(1000.0, 500.0, 4.0);
        assert!((e.offset() - 500.0).abs() < 1e-9);
        assert!((e.round_trip() - 4.0).abs() < 1e-9);
    }

    #[test]
    fn joining_a_new_leader_far_away_steps_once_after_enough_exchanges() {
        let mut clock = GroupClock::new(0.0, 0.0);
        assert_eq!(clock.hear(&key("a"), exchange(10.0, 5000.0, 1.0)), Heard::Collecting);
        assert_eq!(clock.hear(&key("a"), exchange(20.0, 5000.0, 1.0)), Heard::Collecting);
        let Heard::Stepped { by_ms } = clock.hear(&key("a"), exchange(30.0, 5000.0, 1.0)) else { panic!() };
        assert!((by_ms - 5000.0).abs() < 1.0);
        assert!((clock.now(40.0) - 5040.0).abs() < 1.0);
        assert!(clock.in_step());
    }

    #[test]
    fn the_exchange_with_the_shortest_round_trip_counts() {
        let mut clock = GroupClock::new(0.0, 0.0);
        // A slow answer one way only skews its estimate by half its delay.
        let mut slow = exchange(10.0, 3000.0, 1.0);
        slow.received += 80.0;
        clock.hear(&key("a"), slow);
        clock.hear(&key("a"), exchange(20.0, 3000.0, 1.0));
        clock.hear(&key("a"), slow);
        assert!((clock.now(100.0) - 3100.0).abs() < 0.5, "{}", clock.now(100.0));
    }

    #[test]
    fn small_differences_are_slewed_never_stepped() {
        let mut clock = GroupClock::new(0.0, 0.0);
        for i in 0..3 {
            clock.hear(&key("a"), exchange(f64::from(i) * 10.0, 30.0, 1.0));
        }
        // 30 ms apart: under the step bound, so it moves at 5 ms/s.
        let before = clock.now(20.1);
        assert!((before - 20.1).abs() < 0.5);
        assert!((clock.now(1020.1) - (1020.1 + 5.0)).abs() < 0.01, "{}", clock.now(1020.1));
        assert!((clock.now(10_020.1) - (10_020.1 + 30.0)).abs() < 0.01);
        // Never faster than the bound, in any second.
        let mut last = clock.now(20.1);
        for s in 1..20 {
            let t = 20.1 + f64::from(s) * 1000.0;
            let now = clock.now(t);
            assert!(now - last <= 1000.0 * (1.0 + MAX_SLEW) + 1e-6);
            last = now;
        }
    }

    #[test]
    fn a_leader_that_jumps_is_refused_and_the_clock_runs_on_where_it_was() {
        let mut clock = GroupClock::new(0.0, 0.0);
        for i in 0..3 {
            clock.hear(&key("a"), exchange(f64::from(i) * 250.0, 2000.0, 1.0));
        }
        assert!(clock.in_step());
        let at = 1000.0;
        let before = clock.now(at);
        // The leader's clock jumps 3 s ahead; the window forgets the old exchanges.
        let mut heard = Heard::Collecting;
        for i in 0..WINDOW {
            heard = clock.hear(&key("a"), exchange(at + i as f64 * 250.0, 5000.0, 1.0));
            if matches!(heard, Heard::Refused { .. }) {
                break;
            }
        }
        let Heard::Refused { error_ms } = heard else { panic!("{heard:?}") };
        assert!(error_ms > REFUSE_OVER_MS);
        assert!(!clock.in_step());
        // It never moved by more than the slew bound while it listened.
        let after = clock.now(at + 3000.0);
        assert!((after - before - 3000.0).abs() <= 3000.0 * MAX_SLEW + 1e-6, "{}", after - before);
    }

    #[test]
    fn a_leader_running_fast_is_followed_at_most_at_the_bound_then_refused() {
        let mut clock = GroupClock::new(0.0, 0.0);
        let mut refused_at = None;
        // The leader's clock runs 2 % fast.
        for i in 0..400 {
            let at = f64::from(i) * 250.0;
            if let Heard::Refused { .. } = clock.hear(&key("a"), exchange(at, at * 0.02, 1.0)) {
                refused_at = Some(at);
                break;
            }
        }
        let at = refused_at.expect("refused");
        assert!(clock.now(at) - at <= at * MAX_SLEW + 1.0);
        assert!(at < 60_000.0, "{at}");
    }

    #[test]
    fn rejoining_the_same_leader_after_losing_it_slews_unless_far() {
        let mut clock = GroupClock::new(0.0, 0.0);
        for i in 0..3 {
            clock.hear(&key("a"), exchange(f64::from(i) * 250.0, 1000.0, 1.0));
        }
        clock.lead(1000.0);
        // Lost for a while; the two clocks drifted 400 ms apart.
        let at = 100_000.0;
        for i in 0..3 {
            let heard = clock.hear(&key("a"), exchange(at + f64::from(i) * 250.0, 1400.0, 1.0));
            assert!(!matches!(heard, Heard::Stepped { .. } | Heard::Refused { .. }), "{heard:?}");
        }
        assert!((clock.now(at + 1000.0) - (at + 1000.0 + 1000.0)).abs() < 10.0);

        // Cut off for a day: four seconds apart is stepped back, not slewed for minutes.
        clock.lead(at + 2000.0);
        let later = at + 86_400_000.0;
        let mut heard = Heard::Collecting;
        for i in 0..3 {
            heard = clock.hear(&key("a"), exchange(later + f64::from(i) * 250.0, 5400.0, 1.0));
        }
        assert!(matches!(heard, Heard::Stepped { .. }), "{heard:?}");
    }

    #[test]
    fn a_restarted_leader_is_a_new_leader() {
        let mut clock = GroupClock::new(0.0, 0.0);
        for i in 0..3 {
            clock.hear(&key("a"), exchange(f64::from(i) * 250.0, 1000.0, 1.0));
        }
        let again = LeaderKey { id: "a".into(), run: 2 };
        let mut heard = Heard::Collecting;
        for i in 0..3 {
            heard = clock.hear(&again, exchange(1000.0 + f64::from(i) * 250.0, 9000.0, 1.0));
        }
        assert!(matches!(heard, Heard::Stepped { .. }), "{heard:?}");
    }

    #[test]
    fn leading_freezes_the_offset_where_it_is() {
        let mut clock = GroupClock::new(0.0, 0.0);
        for i in 0..3 {
            clock.hear(&key("a"), exchange(f64::from(i), 40.0, 1.0));
        }
        clock.lead(2002.0);
        let at = clock.now(2002.0) - 2002.0;
        assert!((at - 10.0).abs() < 0.1, "{at}");
        assert!((clock.now(50_000.0) - 50_000.0 - at).abs() < 1e-9);
    }
}
