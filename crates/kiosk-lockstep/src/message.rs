//! What members say to each other: small JSON datagrams.

use serde::{Deserialize, Serialize};

/// The version of these messages; others are ignored.
pub const VERSION: u8 = 1;
/// The largest datagram read; anything longer is not ours.
pub const MAX_DATAGRAM: usize = 1024;

/// One datagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// [`VERSION`].
    pub v: u8,
    /// The sync group's name.
    pub group: String,
    /// The sender's id.
    pub from: String,
    /// What it says.
    #[serde(flatten)]
    pub body: Body,
}

/// What a message says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// "I am here": sent to every peer four times a second.
    Hello {
        /// A number the sender picked at random when it started.
        run: u64,
        /// The group clock's time when the sender joined (ms), or
        /// `u64::MAX` while it listens: the smallest leads.
        rank: u64,
        /// The sender's group clock as it sent this.
        clock_ms: f64,
        /// Whom the sender follows (itself when it leads).
        leader: String,
    },
    /// A follower asks its leader for the time.
    Ping {
        /// Matches the answer to the question.
        seq: u64,
        /// The follower's own clock as it sent this (local ms).
        sent: f64,
    },
    /// The answer to a ping.
    Pong {
        /// The follower asking.
        to: String,
        /// The ping's `seq`.
        seq: u64,
        /// The ping's `sent`.
        sent: f64,
        /// The answering member's group clock when the ping arrived.
        received: f64,
        /// The answering member's group clock as it answered.
        replied: f64,
    },
}

impl Message {
    /// The datagram's bytes.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// A datagram of `group` from a member with a well-formed id, or `None` for
    /// anything else.
    pub fn decode(bytes: &[u8], group: &str) -> Option<Self> {
        let message: Self = serde_json::from_slice(bytes).ok()?;
        let ours = message.v == VERSION && message.group == group && is_member_id(&message.from);
        let sane = match &message.body {
            Body::Hello { clock_ms, .. } => clock_ms.is_finite(),
            Body::Ping { sent, .. } => sent.is_finite(),
            Body::Pong { sent, received, replied, .. } => {
                sent.is_finite() && received.is_finite() && replied.is_finite() && replied >= received
            }
        };
        (ours && sane).then_some(message)
    }
}

/// 1 to 64 letters, digits, `-`, `_` or `.`, as the config allows.
pub fn is_member_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_round_trips_and_others_groups_are_ignored() {
        let m = Message {
            v: VERSION,
            group: "hall-a".into(),
            from: "s1".into(),
            body: Body::Hello { run: 3, rank: 7, clock_ms: 12.5, leader: "s1".into() },
        };
        let bytes = m.encode();
        assert_eq!(Message::decode(&bytes, "hall-a"), Some(m.clone()));
        assert_eq!(Message::decode(&bytes, "hall-b"), None);
        assert_eq!(Message::decode(b"\x00garbage", "hall-a"), None);
        let bad = br#"{"v":1,"group":"hall-a","from":"x","kind":"pong","to":"s2","seq":1,"sent":1,"received":5,"replied":4}"#;
        assert_eq!(Message::decode(bad, "hall-a"), None, "answered before it arrived");
        let odd = Message { from: "a b\n".into(), ..m };
        assert_eq!(Message::decode(&odd.encode(), "hall-a"), None, "not a member id");
    }
}
