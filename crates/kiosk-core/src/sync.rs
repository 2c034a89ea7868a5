//! Sync planning: what a device must fetch for a new release, which releases it
//! keeps, and which blobs nothing kept refers to any more.
//!
//! Pure: the caller says what it holds; the plan says what to do. The device's
//! sync client (`kiosk_device::sync_client`) carries the plan out.
//!
//! ```
//! use std::collections::BTreeSet;
//! use kiosk_core::sync::releases_to_keep;
//!
//! let (keep, drop) = releases_to_keep(&[9, 8, 7, 5], 8, 2);
//! assert_eq!((keep, drop), (vec![9, 8], vec![7, 5]));
//! ```

use std::collections::BTreeSet;

use crate::blob::{BlobId, BlobRef};
use crate::manifest::Manifest;

/// The blobs to fetch for a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPlan<'a> {
    /// Blobs the device lacks, smallest first (many small files show progress
    /// early and a failure of one large file costs least).
    pub fetch: Vec<&'a BlobRef>,
    /// How many the device already holds.
    pub held: usize,
    /// Bytes to fetch.
    pub bytes: u64,
}

/// What to fetch so that every blob of `manifest` is held.
pub fn plan_fetch<'a>(manifest: &'a Manifest, held: &BTreeSet<BlobId>) -> FetchPlan<'a> {
    let mut fetch: Vec<&BlobRef> = manifest.blobs.iter().filter(|b| !held.contains(&b.sha256)).collect();
    fetch.sort_by(|a, b| a.size.cmp(&b.size).then_with(|| a.sha256.cmp(&b.sha256)));
    let bytes = fetch.iter().map(|b| b.size).sum();
    FetchPlan { held: manifest.blobs.len() - fetch.len(), fetch, bytes }
}

/// Which stored versions to keep: the `keep` newest (at least one) and always
/// the `active` one; the others may be dropped. `versions` may be in any order;
/// both lists come newest first.
pub fn releases_to_keep(versions: &[u64], active: u64, keep: usize) -> (Vec<u64>, Vec<u64>) {
    let mut sorted: Vec<u64> = versions.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    sorted.reverse();
    let keep = keep.max(1);
    let (mut kept, mut dropped) = (Vec::new(), Vec::new());
    for (i, version) in sorted.into_iter().enumerate() {
        if i < keep || version == active { kept.push(version) } else { dropped.push(version) }
    }
    (kept, dropped)
}

/// The held blobs no kept manifest lists: safe to delete.
pub fn unreferenced_blobs<'a>(held: &'a BTreeSet<BlobId>, kept: &[&Manifest]) -> Vec<&'a BlobId> {
    let referenced: BTreeSet<&BlobId> = kept.iter().flat_map(|m| m.blobs.iter().map(|b| &b.sha256)).collect();
    held.iter().filter(|b| !referenced.contains(b)).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::fixtures::sample_pack;

    fn manifest() -> Manifest {
        let (content, blobs) = sample_pack();
        Manifest {
            format: 1,
            channel: "wtc-booths".into(),
            version: 3,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            expires_at: None,
            blobs,
            content,
        }
    }

    #[test]
    fn fetches_only_what_is_missing_smallest_first() {
        let m = manifest();
        let held: BTreeSet<BlobId> = m.blobs.iter().take(2).map(|b| b.sha256.clone()).collect();
        let plan = plan_fetch(&m, &held);
        assert_eq!(plan.held, 2);
        assert_eq!(plan.fetch.len(), m.blobs.len() - 2);
        assert!(plan.fetch.windows(2).all(|w| w[0].size <= w[1].size));
        assert_eq!(plan.bytes, plan.fetch.iter().map(|b| b.size).sum::<u64>());
        assert!(plan.fetch.iter().all(|b| !held.contains(&b.sha256)));
    }

    #[test]
    fn keeps_the_newest_and_the_active_release() {
        /// Versions held, the active one, how many to keep; then kept and dropped.
        type Case = (&'static [u64], u64, usize, &'static [u64], &'static [u64]);
        let cases: &[Case] = &[
            (&[9, 8, 7, 5], 9, 2, &[9, 8], &[7, 5]),
            (&[5, 9, 7, 8], 5, 2, &[9, 8, 5], &[7]),
            (&[4], 4, 0, &[4], &[]),
            (&[], 1, 3, &[], &[]),
            (&[3, 3, 2], 3, 1, &[3], &[2]),
        ];
        for (versions, active, keep, kept, dropped) in cases {
            let (k, d) = releases_to_keep(versions, *active, *keep);
            assert_eq!(
                (k.as_slice(), d.as_slice()),
                (*kept, *dropped),
                "{versions:?} active {active} keep {keep}"
            );
        }
    }

    #[test]
    fn unreferenced_blobs_are_those_no_kept_manifest_lists() {
        let m = manifest();
        let mut held: BTreeSet<BlobId> = m.blobs.iter().map(|b| b.sha256.clone()).collect();
        let stray = BlobId::of(b"left over from an old release");
        held.insert(stray.clone());
        assert_eq!(unreferenced_blobs(&held, &[&m]), vec![&stray]);
        assert_eq!(unreferenced_blobs(&held, &[]).len(), held.len());
    }

    proptest! {
        #[test]
        fn fetching_the_plan_leaves_nothing_to_fetch(mask in proptest::collection::vec(any::<bool>(), 0..64)) {
            let m = manifest();
            let held: BTreeSet<BlobId> = m.blobs.iter().zip(mask.iter().chain(std::iter::repeat(&false)))
                .filter(|(_, h)| **h).map(|(b, _)| b.sha256.clone()).collect();
            let plan = plan_fetch(&m, &held);
            let mut after = held.clone();
            after.extend(plan.fetch.iter().map(|b| b.sha256.clone()));
            let again = plan_fetch(&m, &after);
            prop_assert!(again.fetch.is_empty());
            prop_assert_eq!(again.held, m.blobs.len());
            prop_assert_eq!(plan.held + plan.fetch.len(), m.blobs.len());
        }

        #[test]
        fn kept_and_dropped_split_the_versions(versions in proptest::collection::vec(0u64..50, 0..20), keep in 0usize..5, pick in 0usize..20) {
            let active = versions.get(pick).copied().unwrap_or(0);
            let (kept, dropped) = releases_to_keep(&versions, active, keep);
            let all: BTreeSet<u64> = versions.iter().copied().collect();
            let together: BTreeSet<u64> = kept.iter().chain(dropped.iter()).copied().collect();
            prop_assert_eq!(together, all.clone());
            prop_assert!(kept.iter().all(|v| !dropped.contains(v)));
            if all.contains(&active) { prop_assert!(kept.contains(&active)); }
            prop_assert!(kept.len() <= keep.max(1) + 1);
        }
    }
}
