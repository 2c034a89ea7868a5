//! A draft's way from editing to review to release, as pure steps on the stored
//! draft: each step checks the revision the asker started from and what the
//! draft's state allows, and answers the next stored draft. [`super::drafts`]
//! reads, stores, publishes and audits around them.

use super::db::DraftRow;

/// A draft being edited.
pub const EDITING: &str = "editing";
/// A draft waiting for an approver.
pub const IN_REVIEW: &str = "in_review";

/// Why a step may not be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Someone saved since the asker's revision.
    Conflict,
    /// The draft is not waiting for an approver.
    NotInReview,
    /// The approver edited or submitted the draft themselves.
    OwnChange,
}

/// The draft after a save by `by` of `content` (JSON text): back to editing,
/// a submission withdrawn, `by` among its editors. The flag tells whether a
/// submission was withdrawn.
pub fn saved(
    stored: &DraftRow,
    revision: u64,
    by: &str,
    now: &str,
    content: String,
) -> Result<(DraftRow, bool), Refused> {
    current(stored, revision)?;
    let withdrawn = stored.state == IN_REVIEW;
    let mut next = step(stored, by, now);
    next.content = content;
    next.state = EDITING.into();
    if withdrawn {
        next.submitted_by = None;
        next.submitted_at = None;
        next.note = None;
    }
    if !next.editors.iter().any(|e| e == by) {
        next.editors.push(by.to_owned());
    }
    Ok((next, withdrawn))
}

/// The revision must be the stored one to submit; the content is checked by the caller.
pub fn may_submit(stored: &DraftRow, revision: u64) -> Result<(), Refused> {
    current(stored, revision)
}

/// The draft submitted for review by `by`, with a note unless it is blank.
pub fn submitted(stored: &DraftRow, by: &str, now: &str, note: Option<String>) -> DraftRow {
    let mut next = step(stored, by, now);
    next.state = IN_REVIEW.into();
    next.submitted_by = Some(by.to_owned());
    next.submitted_at = Some(now.to_owned());
    next.note = note.filter(|n| !n.trim().is_empty());
    next
}

/// Whether `by` may approve the draft at `revision`: it is in review and they
/// neither edited nor submitted it.
pub fn may_approve(stored: &DraftRow, revision: u64, by: &str) -> Result<(), Refused> {
    in_review(stored, revision)?;
    if stored.editors.iter().any(|e| e == by) || stored.submitted_by.as_deref() == Some(by) {
        return Err(Refused::OwnChange);
    }
    Ok(())
}

/// The draft once approved by `by` and published as `version`: a fresh start
/// from that release.
pub fn published(stored: &DraftRow, by: &str, now: &str, version: u64) -> DraftRow {
    DraftRow {
        state: EDITING.into(),
        base_version: version,
        submitted_by: None,
        submitted_at: None,
        note: None,
        editors: Vec::new(),
        ..step(stored, by, now)
    }
}

/// The draft sent back to editing by `by`, with their note unless it is blank.
pub fn rejected(
    stored: &DraftRow,
    revision: u64,
    by: &str,
    now: &str,
    note: Option<String>,
) -> Result<DraftRow, Refused> {
    in_review(stored, revision)?;
    let mut next = step(stored, by, now);
    next.state = EDITING.into();
    next.note = note.filter(|n| !n.trim().is_empty());
    Ok(next)
}

fn current(stored: &DraftRow, revision: u64) -> Result<(), Refused> {
    if revision == stored.revision { Ok(()) } else { Err(Refused::Conflict) }
}

fn in_review(stored: &DraftRow, revision: u64) -> Result<(), Refused> {
    current(stored, revision)?;
    if stored.state == IN_REVIEW { Ok(()) } else { Err(Refused::NotInReview) }
}

/// The next revision, saved by `by` at `now`.
fn step(stored: &DraftRow, by: &str, now: &str) -> DraftRow {
    DraftRow {
        revision: stored.revision + 1,
        updated_by: by.to_owned(),
        updated_at: now.to_owned(),
        ..stored.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> DraftRow {
        DraftRow {
            channel: "booth".into(),
            revision: 0,
            base_version: 3,
            state: EDITING.into(),
            content: "{}".into(),
            updated_by: "release".into(),
            updated_at: "2026-12-06T09:00:00Z".into(),
            submitted_by: None,
            submitted_at: None,
            note: None,
            editors: Vec::new(),
        }
    }

    #[test]
    fn an_editor_saves_from_the_revision_they_opened_and_becomes_an_editor() {
        let (first, withdrawn) = saved(&draft(), 0, "hoa", "t1", "{\"a\":1}".into()).unwrap();
        assert!(!withdrawn);
        assert_eq!((first.revision, first.editors.clone()), (1, vec!["hoa".to_owned()]));
        assert_eq!(saved(&first, 0, "lan", "t2", "{}".into()), Err(Refused::Conflict));
        let (second, _) = saved(&first, 1, "hoa", "t2", "{}".into()).unwrap();
        assert_eq!(second.editors, ["hoa"], "named once");
    }

    #[test]
    fn a_save_in_review_withdraws_the_submission() {
        let (edited, _) = saved(&draft(), 0, "hoa", "t1", "{}".into()).unwrap();
        let waiting = submitted(&edited, "hoa", "t2", Some("evening playlist".into()));
        assert_eq!((waiting.state.as_str(), waiting.note.as_deref()), (IN_REVIEW, Some("evening playlist")));
        let (back, withdrawn) = saved(&waiting, 2, "lan", "t3", "{}".into()).unwrap();
        assert!(withdrawn);
        assert_eq!(
            (back.state.as_str(), back.submitted_by.as_deref(), back.note.as_deref()),
            (EDITING, None, None)
        );
    }

    #[test]
    fn nobody_approves_their_own_change_and_only_a_draft_in_review() {
        let (edited, _) = saved(&draft(), 0, "hoa", "t1", "{}".into()).unwrap();
        assert_eq!(may_approve(&edited, 1, "minh"), Err(Refused::NotInReview));
        let waiting = submitted(&edited, "lan", "t2", Some("  ".into()));
        assert_eq!(waiting.note, None, "a blank note is none");
        assert_eq!(may_approve(&waiting, 2, "hoa"), Err(Refused::OwnChange), "edited it");
        assert_eq!(may_approve(&waiting, 2, "lan"), Err(Refused::OwnChange), "submitted it");
        assert_eq!(may_approve(&waiting, 1, "minh"), Err(Refused::Conflict));
        assert_eq!(may_approve(&waiting, 2, "minh"), Ok(()));
        let fresh = published(&waiting, "minh", "t3", 4);
        assert_eq!((fresh.base_version, fresh.state.as_str(), fresh.revision), (4, EDITING, 3));
        assert!(fresh.editors.is_empty() && fresh.submitted_by.is_none());
    }

    #[test]
    fn an_approver_sends_a_draft_in_review_back_with_a_note() {
        let (edited, _) = saved(&draft(), 0, "hoa", "t1", "{}".into()).unwrap();
        assert_eq!(rejected(&edited, 1, "minh", "t2", None), Err(Refused::NotInReview));
        let waiting = submitted(&edited, "hoa", "t2", None);
        let back = rejected(&waiting, 2, "minh", "t3", Some("ảnh bị mờ".into())).unwrap();
        assert_eq!(
            (back.state.as_str(), back.note.as_deref(), back.updated_by.as_str()),
            (EDITING, Some("ảnh bị mờ"), "minh")
        );
        assert_eq!(back.submitted_by.as_deref(), Some("hoa"), "who submitted it is kept");
    }
}
