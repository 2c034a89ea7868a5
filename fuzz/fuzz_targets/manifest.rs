//! Arbitrary bytes as `manifest.json`.
//!
//! 1. Decoded as a screen decodes a stored manifest ([`Manifest::decode`]); when
//!    they decode, the canonical encoding must decode to the same manifest and
//!    encode to the same bytes again.
//! 2. Signed with the pinned test key and verified as a screen verifies a
//!    bundle ([`verify_manifest`]), once as a first release and once over a
//!    trusted one. A manifest that verifies is then used as a screen uses it:
//!    the blobs to fetch planned, its content shown in each language, its
//!    signage playlist planned.
//!
//! A refusal is fine, a panic is a bug.

#![no_main]

use std::collections::BTreeSet;

use jiff::tz::{Offset, TimeZone};
use kiosk_core::blob::BlobId;
use kiosk_core::locale::LocaleTag;
use kiosk_core::manifest::Manifest;
use kiosk_core::sync::plan_fetch;
use kiosk_core::verify::{TrustPolicy, TrustedRelease, verify_manifest};
use kiosk_fuzz::{CHANNEL, now, pinned_keys, sign};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(manifest) = Manifest::decode(bytes) {
        let canonical = manifest.encode();
        let decoded = Manifest::decode(&canonical).expect("a canonical encoding decodes");
        assert_eq!(decoded, manifest, "the canonical encoding decodes to the same manifest");
        assert_eq!(decoded.encode(), canonical, "the canonical encoding is stable");
    }

    let keys = pinned_keys();
    let signature = sign(bytes);
    let trusted = TrustedRelease { version: 1, manifest_sha256: BlobId::of(b"an earlier release"), signed_by: None };
    for trusted in [None, Some(&trusted)] {
        let policy = TrustPolicy { keys: &keys, channel: CHANNEL, trusted, now: now() };
        if let Ok(verified) = verify_manifest(bytes, &signature, &policy) {
            assert_eq!(verified.bytes, bytes, "what is stored is what was verified");
            assert_eq!(verified.signature, signature, "the signature stored is the one verified");
            use_as_a_screen_does(&verified.manifest);
        }
    }
});

/// What a screen does with a manifest that verified.
fn use_as_a_screen_does(manifest: &Manifest) {
    let plan = plan_fetch(manifest, &BTreeSet::new());
    assert_eq!(plan.fetch.len(), manifest.blobs.len(), "nothing held, everything to fetch");
    manifest.total_blob_bytes();

    let content = &manifest.content;
    let not_offered = LocaleTag::new("zu").expect("a locale tag");
    for locale in content.locales.iter().map(|l| &l.tag).chain([&not_offered]) {
        content.localize(locale);
    }

    if let Some(signage) = &content.signage {
        let ho_chi_minh = TimeZone::fixed(Offset::constant(7));
        signage.plan(now(), &ho_chi_minh, &|_| None);
        signage.plan(now(), &ho_chi_minh, &|blob| Some(format!("{blob} does not play")));
    }
}
