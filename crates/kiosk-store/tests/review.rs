//! Supervisor review holds and offline export bookkeeping in the real (SQLCipher) store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{T0, application, id};
use kiosk_core::lifecycle::LifecycleEvent as E;
use kiosk_core::review::{ReviewDecision, ReviewStatus};
use kiosk_store::Store;
use kiosk_store::seal::PlatformRecipient;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn enrol(store: &Store) {
    let identity = age::x25519::Identity::generate();
    let recipient = PlatformRecipient::parse(&identity.to_public().to_string()).unwrap();
    store.reseal_to_platform(&recipient, T0).unwrap();
}

/// Queues application `n`, held for a supervisor; returns its id.
fn held_for_review(store: &Store, n: u64) -> String {
    store
        .enqueue_for_review(application(id(n), 100), T0)
        .unwrap()
        .id
        .to_string()
}

/// Queues application `n` without a review hold; returns its id.
fn queued(store: &Store, n: u64) -> String {
    store
        .enqueue(application(id(n), 100), T0)
        .unwrap()
        .id
        .to_string()
}

fn approve() -> ReviewDecision {
    ReviewDecision::Approve {
        remarks: Some("材料齐全".into()),
    }
}

#[test]
fn held_applications_are_never_due_until_a_supervisor_approves() {
    let (_dir, store) = open();
    let held = held_for_review(&store, 1);
    let free = queued(&store, 2);
    let due = store.due_for_upload(T0 + 1, 10).unwrap();
    assert_eq!(due, vec![free.clone()], "the held one must not be due");
    assert!(
        store.review_of(&free).unwrap().is_none(),
        "not held, no review"
    );

    let pending = store.reviews(Some(ReviewStatus::Pending), 10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, held);
    assert_eq!(pending[0].summary["name"], "赵**", "masked summary only");

    let statuses = store
        .decide_reviews(vec![held.clone()], approve(), "lead", T0 + 5)
        .unwrap();
    assert_eq!(statuses, vec![ReviewStatus::Approved]);
    let due = store.due_for_upload(T0 + 5, 10).unwrap();
    assert!(due.contains(&held), "approved is released: {due:?}");
    let review = store.review_of(&held).unwrap().unwrap();
    assert_eq!(review.decided_by.as_deref(), Some("lead"));
    assert_eq!(review.remarks.as_deref(), Some("材料齐全"));
    let audit = store.recent_audit(5).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "review.approved" && a.actor == "lead"),
        "approval audited: {audit:?}"
    );
}

#[test]
fn returned_applications_keep_their_reason_and_stay_held() {
    let (_dir, store) = open();
    let held = held_for_review(&store, 1);
    store
        .decide_reviews(
            vec![held.clone()],
            ReviewDecision::Return {
                reason: "身份证照片反光，请重拍".into(),
            },
            "lead",
            T0 + 1,
        )
        .unwrap();
    let review = store.review_of(&held).unwrap().unwrap();
    assert_eq!(review.status, ReviewStatus::Returned);
    assert_eq!(review.reason.as_deref(), Some("身份证照片反光，请重拍"));
    assert!(
        store.due_for_upload(T0 + 10, 10).unwrap().is_empty(),
        "returned stays held"
    );
    let audit = store.recent_audit(1).unwrap();
    assert!(
        !audit[0].detail.contains("反光"),
        "free-text reason stays out of the audit log"
    );
}

#[test]
fn a_batch_is_all_or_nothing() {
    let (_dir, store) = open();
    let a = held_for_review(&store, 1);
    let b = queued(&store, 2);
    let err = store
        .decide_reviews(vec![a.clone(), b], approve(), "lead", T0 + 1)
        .unwrap_err();
    assert_eq!(kiosk_core::UserFacing::code(&err), "REVIEW_NOT_HELD");
    assert_eq!(
        store.review_of(&a).unwrap().unwrap().status,
        ReviewStatus::Pending,
        "the first of a refused batch is rolled back"
    );
}

#[test]
fn exportable_means_approved_unsent_and_sealed_to_the_platform() {
    let (_dir, store) = open();
    let local = queued(&store, 1);
    assert!(
        store.exportable(false).unwrap().is_empty(),
        "sealed to the local key: the platform could not open it"
    );
    enrol(&store);
    let held = held_for_review(&store, 2);
    let sent = queued(&store, 3);
    store
        .apply_event(&sent, E::StartUpload, None, None, T0)
        .unwrap();
    store
        .apply_event(&sent, E::PlatformAccepted, None, None, T0)
        .unwrap();
    assert_eq!(store.exportable(false).unwrap(), vec![local.clone()]);

    store
        .mark_exported(vec![local.clone()], "b1.tbx", "admin", T0 + 1)
        .unwrap();
    assert!(
        store.exportable(false).unwrap().is_empty(),
        "already exported"
    );
    assert_eq!(
        store.exportable(true).unwrap(),
        vec![local.clone()],
        "again"
    );
    assert_eq!(store.last_export_at().unwrap(), Some(T0 + 1));
    assert_eq!(
        store.show(&local).unwrap().entry.state.as_str(),
        "submitted",
        "exporting deletes nothing and keeps it in the outbox"
    );
    assert!(store.due_for_upload(T0 + 2, 10).unwrap().contains(&local));

    store
        .decide_reviews(vec![held.clone()], approve(), "lead", T0 + 3)
        .unwrap();
    assert_eq!(store.exportable(false).unwrap(), vec![held]);
}
