//! Arbitrary bytes as an emergency message, the two ways a screen meets one.
//!
//! 1. As the signed message itself: signed with the pinned test key and
//!    verified ([`verify_emergency`]), with and without a message held.
//! 2. As the JSON a screen reads from the event stream and keeps in
//!    `emergency.json` ([`SignedEmergency`]): parsed, verified as it comes (its
//!    signature is the fuzzer's), then its message signed with the test key and
//!    verified again; what parses must write back to JSON that parses the same.
//!
//! A refusal is fine, a panic is a bug.

#![no_main]

use kiosk_core::emergency::verify_emergency;
use kiosk_fuzz::{CHANNEL, now, pinned_keys, sign};
use kiosk_wire::SignedEmergency;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let keys = pinned_keys();
    let signature = sign(bytes);
    for held in [None, Some(now())] {
        if let Ok(message) = verify_emergency(bytes, &signature, &keys, CHANNEL, held) {
            message.is_showing(now());
        }
    }

    let Ok(signed) = serde_json::from_slice::<SignedEmergency>(bytes) else { return };
    let written = serde_json::to_vec(&signed).expect("a signed message serializes");
    let read: SignedEmergency = serde_json::from_slice(&written).expect("a written message parses");
    assert_eq!(read, signed, "a kept message reads back as it was written");
    let _ = signed.verify(&keys, CHANNEL, None);
    let resigned = SignedEmergency::new(signed.message.as_bytes(), &sign(signed.message.as_bytes()));
    for held in [None, Some(now())] {
        if let Ok(message) = resigned.verify(&keys, CHANNEL, held) {
            message.is_showing(now());
        }
    }
});
