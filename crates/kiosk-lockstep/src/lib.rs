//! Screens of one booth in step.
//!
//! The screens of a sync group (the device config's `[lockstep]`) agree on one
//! clock over the booth LAN, so that each starts every playlist item at the same
//! instant and keeps its films on the same frame. Nothing here knows about films:
//! the player turns the group clock into a timeline (`ui/kiosk/src/player/`).
//!
//! - One member leads: the one in the group longest (`election`; a member takes
//!   its rank, the group clock's time, when it first leads or is in step). The
//!   others follow its clock by exchanging timestamps with it four times a
//!   second and keeping the exchange with the shortest round trip
//!   (`group_clock`).
//! - A follower that joins a leader it has never followed steps its clock once
//!   (and one that drifted more than a second from a leader it lost); every
//!   other correction is slewed, at most 5 ms per second, so a playing screen
//!   never jumps.
//! - A leader lost is noticed after 1.5 s; the next most senior member leads,
//!   continuing the clock it followed, so the group's clock does not jump either.
//!   Until then, and alone, a member plays on its own clock.
//! - A leader whose clock moves more than 250 ms against a follower that was in
//!   step with it (a jump, or a clock running fast or slow) is not followed: the
//!   follower keeps its own clock and leaves that member out of the election
//!   until their clocks agree again.
//!
//! The messages are small JSON datagrams over UDP (`message`), sent to each
//! configured peer (a broadcast address reaches the whole booth). They are not
//! signed: the roster is bounded (64 members, forgotten after a minute), pings
//! are answered only to members, and a stranger can disturb only the timing. The
//! edge that owns the socket is `member`.

pub mod election;
pub mod group_clock;
pub mod member;
pub mod message;

pub use member::{GroupClockView, Lockstep, Role, Settings};
