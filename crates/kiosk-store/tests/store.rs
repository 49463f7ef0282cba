//! Behaviour of the store through its public API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ID_NUMBER, NAME, T0, application, id, local_identity, raw_connection};
use kiosk_core::UserFacing;
use kiosk_core::lifecycle::{LifecycleEvent as E, LifecycleState as S};
use kiosk_store::retention::DAY_MS;
use kiosk_store::staff::LOCKOUT_MS;
use kiosk_store::{
    AuditEntry, Draft, NewStaff, PlatformRecipient, Role, Sealing, Store, StoreConfig, StoreError,
    settings,
};

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

#[test]
fn submitted_application_is_sealed_listed_and_complete() {
    let (dir, store) = open();
    let app = application(id(1), 1000);
    let returned = store.enqueue(app.clone(), T0).unwrap();
    assert_eq!(returned.id, app.id);
    assert_eq!(returned.attachments.len(), 3);
    assert_eq!(
        returned.attachments[0].sha256,
        kiosk_store::queue::sha256_hex(&app.attachments[0].bytes)
    );

    let list = store.list(None, 50).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].state, S::Submitted);
    assert_eq!(list[0].summary["idNumber"], "110***********002X");
    let detail = store.show(&app.id.to_string()).unwrap();
    assert_eq!(detail.attachments.len(), 3);
    assert_eq!(detail.sealing.as_deref(), Some("local"));

    let identity = local_identity(dir.path());
    let payload = store.sealed_payload(&app.id.to_string()).unwrap();
    assert_eq!(payload.sealing, Sealing::Local);
    assert_eq!(age::decrypt(&identity, &payload.body).unwrap(), app.payload);
    for sealed in store.sealed_attachments(&app.id.to_string()).unwrap() {
        let plain = age::decrypt(&identity, &sealed.sealed.body).unwrap();
        assert_eq!(
            kiosk_store::queue::sha256_hex(&plain),
            sealed.info.sha256,
            "hash of plaintext"
        );
    }
    let stats = store.stats(T0).unwrap();
    assert_eq!(stats.by_state.get("submitted"), Some(&1));
    assert_eq!((stats.due_now, stats.sealed_locally), (1, 1));
    assert_eq!(
        store.due_for_upload(T0, 10).unwrap(),
        vec![app.id.to_string()]
    );
}

#[tokio::test]
async fn async_enqueue_commits_like_the_blocking_one() {
    let (_dir, store) = open();
    store
        .enqueue_async(application(id(2), 10), T0)
        .await
        .unwrap();
    assert_eq!(store.list(None, 10).unwrap().len(), 1);
}

#[test]
fn the_same_application_is_never_submitted_twice() {
    let (_dir, store) = open();
    store.enqueue(application(id(1), 10), T0).unwrap();
    let err = store.enqueue(application(id(1), 10), T0).unwrap_err();
    assert_eq!(err.code(), "APPLICATION_ALREADY_SUBMITTED");
    assert_eq!(store.list(None, 10).unwrap().len(), 1);
}

#[test]
fn empty_attachment_slot_is_refused_before_writing() {
    let (_dir, store) = open();
    let mut app = application(id(1), 10);
    app.attachments[1].slot = " ".into();
    assert_eq!(
        store.enqueue(app, T0).unwrap_err().code(),
        "ATTACHMENT_SLOT_EMPTY"
    );
    assert!(store.list(None, 10).unwrap().is_empty());
}

#[test]
fn a_slot_may_take_several_files_and_the_same_file_may_fill_two_slots() {
    let (_dir, store) = open();
    let mut app = application(id(1), 10);
    app.attachments[1].bytes = app.attachments[0].bytes.clone();
    app.attachments[2].slot = app.attachments[1].slot.clone();
    let queued = store.enqueue(app, T0).unwrap();
    assert_eq!(queued.attachments[0].sha256, queued.attachments[1].sha256);
    let stored = store.sealed_attachments(&queued.id.to_string()).unwrap();
    let slots: Vec<_> = stored.iter().map(|a| a.info.slot.as_str()).collect();
    assert_eq!(slots, ["slot0", "slot1", "slot1"], "all kept, in order");
}

#[test]
fn drafts_are_saved_replaced_deleted_and_expire() {
    let (_dir, store) = open();
    let draft = Draft {
        id: id(5),
        kind: "legal-entity".into(),
        profile: "tianjin".into(),
        summary: serde_json::json!({}),
        payload: b"{\"a\":1}".to_vec(),
    };
    store.save_draft(draft.clone(), T0).unwrap();
    store
        .save_draft(
            Draft {
                payload: b"{\"a\":2}".to_vec(),
                ..draft.clone()
            },
            T0 + 1,
        )
        .unwrap();
    assert_eq!(store.draft(id(5)).unwrap().payload, b"{\"a\":2}");
    assert!(
        store.list(None, 10).unwrap().is_empty(),
        "drafts are not in the queue"
    );
    assert_eq!(store.list(Some(S::Draft), 10).unwrap().len(), 1);
    assert!(store.delete_draft(id(5)).unwrap());
    assert_eq!(store.draft(id(5)).unwrap_err().code(), "NOT_FOUND");

    store
        .save_draft(
            Draft {
                id: id(6),
                ..draft.clone()
            },
            T0,
        )
        .unwrap();
    store
        .save_draft(Draft { id: id(7), ..draft }, T0 + 60_000)
        .unwrap();
    assert_eq!(
        store.purge_drafts(T0 + 1).unwrap(),
        1,
        "only the stale draft goes"
    );
    assert!(store.draft(id(7)).is_ok());
}

#[test]
fn submitting_a_draft_replaces_it_in_one_step() {
    let (_dir, store) = open();
    let draft = Draft {
        id: id(8),
        kind: "legal-entity".into(),
        profile: "tianjin".into(),
        summary: serde_json::json!({}),
        payload: b"{}".to_vec(),
    };
    store.save_draft(draft, T0).unwrap();
    let mut app = application(id(9), 10);
    app.replaces_draft = Some(id(8));
    store.enqueue(app, T0).unwrap();
    assert!(store.draft(id(8)).is_err(), "draft must be gone");
    assert!(store.list(Some(S::Draft), 10).unwrap().is_empty());
}

#[test]
fn lifecycle_events_move_the_outbox_and_illegal_ones_are_refused() {
    let (_dir, store) = open();
    let app_id = store
        .enqueue(application(id(1), 10), T0)
        .unwrap()
        .id
        .to_string();
    let err = store
        .apply_event(&app_id, E::Purge, None, None, T0)
        .unwrap_err();
    assert_eq!(err.code(), "LIFECYCLE_ILLEGAL_TRANSITION");

    store
        .apply_event(&app_id, E::StartUpload, None, None, T0)
        .unwrap();
    assert!(
        store.due_for_upload(T0, 10).unwrap().is_empty(),
        "uploading is not due"
    );
    store
        .apply_event(
            &app_id,
            E::UploadFailed,
            Some("timeout".into()),
            Some(T0 + 60_000),
            T0,
        )
        .unwrap();
    let entry = &store.list(None, 1).unwrap()[0];
    assert_eq!(
        (entry.attempts, entry.last_error.as_deref()),
        (1, Some("timeout"))
    );
    assert!(
        store.due_for_upload(T0, 10).unwrap().is_empty(),
        "backs off"
    );
    assert_eq!(store.due_for_upload(T0 + 60_000, 10).unwrap().len(), 1);
    // The clock is set back two days: the retry planned a minute ahead of the old clock is
    // due now, not in two days.
    assert_eq!(
        store.due_for_upload(T0 - 2 * DAY_MS, 10).unwrap().len(),
        1,
        "a clock set back does not stall the upload"
    );
    assert_eq!(store.stats(T0 - 2 * DAY_MS).unwrap().due_now, 1);

    store
        .apply_event(&app_id, E::StartUpload, None, None, T0 + 60_000)
        .unwrap();
    let state = store
        .apply_event(
            &app_id,
            E::PlatformAccepted,
            Some("受理号 A1".into()),
            None,
            T0 + 61_000,
        )
        .unwrap();
    assert_eq!(state, S::Accepted);
    let detail = store.show(&app_id).unwrap();
    assert_eq!(detail.entry.next_attempt_at, None, "left the outbox");
    assert_eq!(detail.status_updates.len(), 1);
    assert_eq!(store.stats(T0).unwrap().due_now, 0);
}

fn confirm(store: &Store, app_id: &str, at: i64) {
    store
        .apply_event(app_id, E::StartUpload, None, None, at)
        .unwrap();
    store
        .apply_event(app_id, E::PlatformAccepted, None, None, at)
        .unwrap();
}

#[test]
fn retention_purges_confirmed_payloads_after_the_period_and_keeps_the_audit() {
    let (_dir, store) = open();
    let confirmed = store
        .enqueue(application(id(1), 100), T0)
        .unwrap()
        .id
        .to_string();
    let waiting = store
        .enqueue(application(id(2), 100), T0)
        .unwrap()
        .id
        .to_string();
    confirm(&store, &confirmed, T0);

    let early = store
        .purge(T0 + 7 * DAY_MS - 1, DAY_MS, "kioskctl")
        .unwrap();
    assert_eq!(early.applications, 0, "nothing before 7 days");
    let report = store.purge(T0 + 7 * DAY_MS, DAY_MS, "kioskctl").unwrap();
    assert_eq!(report.applications, 1);
    assert!(report.bytes > 300, "{report:?}");

    let detail = store.show(&confirmed).unwrap();
    assert_eq!(detail.entry.state, S::Purged);
    assert!(detail.attachments.is_empty() && detail.sealing.is_none());
    assert_eq!(
        store.sealed_payload(&confirmed).unwrap_err().code(),
        "NOT_FOUND"
    );
    assert_eq!(
        store.show(&waiting).unwrap().entry.state,
        S::Submitted,
        "unconfirmed stays"
    );
    let audit = store.recent_audit(1).unwrap();
    assert_eq!(audit[0].action, "application.purged");
    assert!(store.verify_audit().unwrap().broken_at.is_none());
}

#[test]
fn retention_days_setting_and_daily_schedule_are_honoured() {
    let (_dir, store) = open();
    store.set_setting(settings::RETENTION_DAYS, "2").unwrap();
    let app_id = store
        .enqueue(application(id(1), 10), T0)
        .unwrap()
        .id
        .to_string();
    confirm(&store, &app_id, T0);
    let first = store.purge_if_due(T0 + DAY_MS, DAY_MS).unwrap();
    assert_eq!(
        first.map(|r| r.applications),
        Some(0),
        "first call runs, nothing old enough"
    );
    assert_eq!(
        store.purge_if_due(T0 + 2 * DAY_MS - 1, DAY_MS).unwrap(),
        None,
        "not due"
    );
    let due = store.purge_if_due(T0 + 2 * DAY_MS, DAY_MS).unwrap();
    assert_eq!(due.map(|r| r.applications), Some(1));
}

#[test]
fn a_clock_set_back_does_not_stall_the_daily_purge() {
    let (_dir, store) = open();
    assert!(
        store
            .purge_if_due(T0 + 10 * DAY_MS, DAY_MS)
            .unwrap()
            .is_some()
    );
    // The clock is corrected back by a week: the last purge now lies "in the future".
    assert!(
        store
            .purge_if_due(T0 + 3 * DAY_MS, DAY_MS)
            .unwrap()
            .is_some(),
        "purges again instead of waiting a week for the clock to catch up"
    );
    assert_eq!(
        store.purge_if_due(T0 + 3 * DAY_MS + 1, DAY_MS).unwrap(),
        None
    );
}

#[test]
fn the_database_hands_freed_pages_back() {
    let (dir, store) = open();
    drop(store);
    let conn = common::raw_connection(dir.path());
    let vacuum: i64 = conn
        .query_row("PRAGMA auto_vacuum", [], |r| r.get(0))
        .unwrap();
    assert_eq!(vacuum, 2, "incremental auto-vacuum");
}

#[test]
fn reseal_moves_local_seals_to_the_platform_and_new_submissions_follow() {
    let (_dir, store) = open();
    let before = store
        .enqueue(application(id(1), 50), T0)
        .unwrap()
        .id
        .to_string();
    let platform = age::x25519::Identity::generate();
    let recipient = PlatformRecipient::parse(&platform.to_public().to_string()).unwrap();
    assert_eq!(store.reseal_to_platform(&recipient, T0).unwrap(), 1);
    assert_eq!(
        store.reseal_to_platform(&recipient, T0).unwrap(),
        0,
        "idempotent"
    );
    let after = store
        .enqueue(application(id(2), 50), T0)
        .unwrap()
        .id
        .to_string();
    for app_id in [&before, &after] {
        let payload = store.sealed_payload(app_id).unwrap();
        assert_eq!(payload.sealing, Sealing::Platform, "{app_id}");
        assert!(age::decrypt(&platform, &payload.body).is_ok());
        for a in store.sealed_attachments(app_id).unwrap() {
            let plain = age::decrypt(&platform, &a.sealed.body).unwrap();
            assert_eq!(kiosk_store::queue::sha256_hex(&plain), a.info.sha256);
        }
    }
    assert_eq!(store.stats(T0).unwrap().sealed_locally, 0);
}

#[test]
fn audit_verify_detects_edited_and_deleted_rows() {
    let (dir, store) = open();
    for n in 0..4 {
        store
            .audit(AuditEntry {
                at: T0 + n,
                actor: "kioskctl".into(),
                action: "test.entry".into(),
                application_id: None,
                detail: format!("n={n}"),
            })
            .unwrap();
    }
    assert_eq!(store.verify_audit().unwrap().rows, 4);
    assert!(store.verify_audit().unwrap().broken_at.is_none());

    let raw = raw_connection(dir.path());
    let refused = raw.execute("UPDATE audit_log SET detail = 'x' WHERE seq = 2", []);
    assert!(refused.is_err(), "the trigger must refuse updates");
    raw.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    raw.execute("UPDATE audit_log SET detail = 'n=9' WHERE seq = 2", [])
        .unwrap();
    let verdict = store.verify_audit().unwrap();
    assert_eq!(verdict.broken_at.map(|b| b.seq), Some(2), "edit detected");

    raw.execute("UPDATE audit_log SET detail = 'n=1' WHERE seq = 2", [])
        .unwrap();
    assert!(
        store.verify_audit().unwrap().broken_at.is_none(),
        "restored"
    );
    raw.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().broken_at.map(|b| b.seq),
        Some(4),
        "gap"
    );
    raw.execute("DELETE FROM audit_log WHERE seq = 4", [])
        .unwrap();
    let tail = store
        .verify_audit()
        .unwrap()
        .broken_at
        .expect("tail deletion detected");
    assert!(tail.reason.contains("newest"), "{tail:?}");
}

#[test]
fn an_audit_chain_rewritten_without_the_key_is_detected() {
    use sha2::{Digest, Sha256};
    let (dir, store) = open();
    for n in 0..3 {
        store
            .audit(AuditEntry {
                at: T0 + n,
                actor: "kioskctl".into(),
                action: "test.entry".into(),
                application_id: None,
                detail: format!("n={n}"),
            })
            .unwrap();
    }
    assert!(store.verify_audit().unwrap().broken_at.is_none());
    // Someone who can write the database but does not hold the audit key edits row 2 and
    // recomputes every later hash and the head the way an unkeyed chain would.
    let raw = raw_connection(dir.path());
    raw.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    let rows: Vec<(i64, i64, String, String, String)> = {
        let mut stmt = raw
            .prepare("SELECT seq, at, actor, action, detail FROM audit_log ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let mut prev: String = raw
        .query_row("SELECT hash FROM audit_log WHERE seq = 1", [], |r| r.get(0))
        .unwrap();
    for (seq, at, actor, action, detail) in rows.into_iter().skip(1) {
        let detail = if seq == 2 {
            "n=forged".to_owned()
        } else {
            detail
        };
        let mut h = Sha256::new();
        for part in [
            &prev,
            &seq.to_string(),
            &at.to_string(),
            &actor,
            &action,
            "",
            &detail,
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        let hash = hex::encode(h.finalize());
        raw.execute(
            "UPDATE audit_log SET detail = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
            rusqlite::params![detail, prev, hash, seq],
        )
        .unwrap();
        raw.execute(
            "UPDATE settings SET value = ?1 WHERE key = 'audit.head'",
            [format!("{seq}:{hash}")],
        )
        .unwrap();
        prev = hash;
    }
    let verdict = store.verify_audit().unwrap();
    assert_eq!(
        verdict.broken_at.map(|b| b.seq),
        Some(2),
        "the forged row is found"
    );

    // Pretending the chain was never keyed does not help either: the keyed rows fail.
    raw.execute("DELETE FROM settings WHERE key = 'audit.keyed_from'", [])
        .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().broken_at.map(|b| b.seq),
        Some(1)
    );
}

#[test]
fn an_anchor_held_elsewhere_finds_a_deleted_tail_and_a_rewritten_row() {
    let (dir, store) = open();
    let entry = |n: i64| AuditEntry {
        at: T0 + n,
        actor: "kioskctl".into(),
        action: "test.entry".into(),
        application_id: None,
        detail: format!("n={n}"),
    };
    assert_eq!(store.audit_head().unwrap(), None);
    for n in 0..3 {
        store.audit(entry(n)).unwrap();
    }
    let anchor = store.audit_head().unwrap().expect("a head");
    assert_eq!(anchor.seq, 3);
    store.audit(entry(3)).unwrap();
    assert_eq!(store.check_audit_anchor(anchor.clone()).unwrap(), None);

    // Someone deletes the last two rows and fixes the local head record to match: the local
    // check cannot tell, the platform's anchor can.
    let raw = raw_connection(dir.path());
    raw.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    raw.execute("DELETE FROM audit_log WHERE seq >= 3", [])
        .unwrap();
    let (seq, hash): (i64, String) = raw
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    raw.execute(
        "UPDATE settings SET value = ?1 WHERE key = 'audit.head'",
        [format!("{seq}:{hash}")],
    )
    .unwrap();
    assert!(
        store.verify_audit().unwrap().broken_at.is_none(),
        "locally consistent"
    );
    let found = store
        .check_audit_anchor(anchor)
        .unwrap()
        .expect("tail found");
    assert_eq!(found.seq, 3);
    assert!(found.reason.contains("deleted"), "{found:?}");
}

fn staff(name: &str, role: Role) -> NewStaff {
    NewStaff {
        username: name.into(),
        display_name: "王工".into(),
        role,
        password: "correct horse battery".into(),
    }
}

#[test]
fn first_admin_needs_a_valid_one_time_setup_code() {
    let (_dir, store) = open();
    let bad = store.create_first_admin("AAAA-BBBB-CCCC-DDDD", staff("admin", Role::Admin), T0);
    assert_eq!(bad.unwrap_err().code(), "STAFF_SETUP_CODE_INVALID");
    let code = store.issue_setup_code(T0).unwrap();
    assert_eq!(code.len(), 19, "{code}");
    let lower = code.to_lowercase().replace('-', " ");
    store
        .create_first_admin(&lower, staff("admin", Role::Operator), T0)
        .unwrap();
    let accounts = store.staff().unwrap();
    assert_eq!(
        accounts[0].role,
        Role::Admin,
        "the first account is always an admin"
    );
    let again = store.create_first_admin(&code, staff("admin2", Role::Admin), T0);
    assert_eq!(
        again.unwrap_err().code(),
        "STAFF_SETUP_CODE_INVALID",
        "one-time"
    );
    assert_eq!(
        store.issue_setup_code(T0).unwrap_err().code(),
        "STAFF_SETUP_DONE"
    );
}

#[test]
fn expired_setup_code_is_refused() {
    let (_dir, store) = open();
    let code = store.issue_setup_code(T0).unwrap();
    let late = store.create_first_admin(&code, staff("admin", Role::Admin), T0 + DAY_MS + 1);
    assert_eq!(late.unwrap_err().code(), "STAFF_SETUP_CODE_INVALID");
}

#[test]
fn five_failed_logins_lock_the_account_for_a_minute() {
    let (_dir, store) = open();
    store
        .add_staff(staff("clerk", Role::Operator), "admin", T0)
        .unwrap();
    assert_eq!(
        store
            .login("clerk", "correct horse battery", T0)
            .unwrap()
            .role,
        Role::Operator
    );
    for n in 0..4 {
        let err = store.login("clerk", "wrong password!", T0 + n).unwrap_err();
        assert_eq!(err.code(), "STAFF_LOGIN_FAILED", "attempt {n}");
    }
    let fifth = store.login("clerk", "wrong password!", T0 + 5).unwrap_err();
    assert_eq!(fifth.code(), "STAFF_LOCKED");
    let during = store
        .login("clerk", "correct horse battery", T0 + LOCKOUT_MS)
        .unwrap_err();
    assert_eq!(
        during.code(),
        "STAFF_LOCKED",
        "the right password does not unlock early"
    );
    store
        .login("clerk", "correct horse battery", T0 + 5 + LOCKOUT_MS)
        .unwrap();
    assert_eq!(
        store.login("nobody", "x", T0).unwrap_err().code(),
        "STAFF_LOGIN_FAILED"
    );
}

#[test]
fn unknown_names_and_wrong_passwords_get_the_same_answers_and_the_same_lock() {
    let (_dir, store) = open();
    store
        .add_staff(staff("clerk", Role::Operator), "admin", T0)
        .unwrap();
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for n in 0..6 {
        let k = store.login("clerk", "wrong password!", T0 + n).unwrap_err();
        let u = store.login("ghost", "wrong password!", T0 + n).unwrap_err();
        known.push((k.code(), k.zh(), k.en()));
        unknown.push((u.code(), u.zh(), u.en()));
    }
    assert_eq!(known, unknown);
    assert_eq!(known[5].0, "STAFF_LOCKED", "{known:?}");
    // Attempts during a lock are refused unchecked; the next failure after it doubles it.
    let after_lock = T0 + 4 + LOCKOUT_MS;
    let k = store
        .login("clerk", "wrong password!", after_lock)
        .unwrap_err();
    let u = store
        .login("ghost", "wrong password!", after_lock)
        .unwrap_err();
    assert_eq!((k.code(), k.en()), (u.code(), u.en()));
    let still = store
        .login(
            "clerk",
            "correct horse battery",
            after_lock + 2 * LOCKOUT_MS - 1,
        )
        .unwrap_err();
    assert_eq!(still.code(), "STAFF_LOCKED");
    store
        .login(
            "clerk",
            "correct horse battery",
            after_lock + 2 * LOCKOUT_MS,
        )
        .unwrap();
}

#[test]
fn admins_reset_unlock_disable_and_enable_but_never_the_last_admin() {
    let (_dir, store) = open();
    store
        .add_staff(staff("boss", Role::Admin), "setup", T0)
        .unwrap();
    store
        .add_staff(staff("clerk", Role::Operator), "boss", T0)
        .unwrap();
    for n in 0..5 {
        let _ = store.login("clerk", "wrong password!", T0 + n);
    }
    let listed = store.staff().unwrap();
    let clerk = listed.iter().find(|a| a.username == "clerk").unwrap();
    assert!(clerk.locked_until.is_some_and(|u| u > T0), "{listed:?}");
    store.unlock_staff("clerk", "boss", T0 + 10).unwrap();
    store
        .login("clerk", "correct horse battery", T0 + 11)
        .unwrap();
    store
        .reset_password("clerk", "a brand new secret", "boss", T0 + 12)
        .unwrap();
    assert_eq!(
        store
            .login("clerk", "correct horse battery", T0 + 13)
            .unwrap_err()
            .code(),
        "STAFF_LOGIN_FAILED"
    );
    store
        .change_password("clerk", "a brand new secret", "my own secret 1", T0 + 14)
        .unwrap();
    store.login("clerk", "my own secret 1", T0 + 15).unwrap();
    store
        .set_staff_disabled("clerk", true, "boss", T0 + 16)
        .unwrap();
    assert_eq!(
        store
            .login("clerk", "my own secret 1", T0 + 17)
            .unwrap_err()
            .code(),
        "STAFF_LOGIN_FAILED",
        "a disabled account answers like a wrong password"
    );
    store
        .set_staff_disabled("clerk", false, "boss", T0 + 18)
        .unwrap();
    store.login("clerk", "my own secret 1", T0 + 19).unwrap();
    let last = store
        .set_staff_disabled("boss", true, "boss", T0 + 20)
        .unwrap_err();
    assert_eq!(last.code(), "STAFF_LAST_ADMIN");
    assert_eq!(
        store
            .unlock_staff("ghost", "boss", T0 + 21)
            .unwrap_err()
            .code(),
        "STAFF_UNKNOWN"
    );
    let actions: Vec<String> = store
        .recent_audit(50)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for action in [
        "staff.unlocked",
        "staff.password_reset",
        "staff.password_changed",
        "staff.disabled",
        "staff.enabled",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

#[test]
fn status_lookups_are_throttled_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        for n in 0..5 {
            store.status_lookup_admit(T0 + n).unwrap();
            store.status_lookup_outcome(false, T0 + n).unwrap();
        }
    }
    let store = Store::open(dir.path()).unwrap();
    let refused = store.status_lookup_admit(T0 + 10).unwrap_err();
    assert_eq!(refused.code(), "STATUS_LOOKUP_THROTTLED");
    assert!(refused.en().contains("60 seconds"), "{}", refused.en());
    store.status_lookup_admit(T0 + 4 + 60_000).unwrap();
}

#[test]
fn weak_passwords_and_bad_usernames_are_refused() {
    let (_dir, store) = open();
    let mut short = staff("clerk", Role::Operator);
    short.password = "short".into();
    assert_eq!(
        store.add_staff(short, "admin", T0).unwrap_err().code(),
        "STAFF_PASSWORD_TOO_SHORT"
    );
    let bad = staff("Bad Name", Role::Operator);
    assert_eq!(
        store.add_staff(bad, "admin", T0).unwrap_err().code(),
        "STAFF_USERNAME_INVALID"
    );
}

#[test]
fn wrong_key_is_refused_with_a_clear_error_and_the_data_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.enqueue(application(id(1), 10), T0).unwrap();
    drop(store);
    let config = StoreConfig::in_data_dir(dir.path());
    let good = std::fs::read(config.key_path()).unwrap();
    let before = std::fs::read(config.database_path()).unwrap();
    std::fs::write(config.key_path(), "ab".repeat(32)).unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert_eq!(err.code(), "WRONG_KEY", "{err:?}");
    assert!(err.zh().contains("密钥") && err.en().contains("key"));
    assert_eq!(
        std::fs::read(config.database_path()).unwrap(),
        before,
        "file untouched"
    );
    std::fs::write(config.key_path(), good).unwrap();
    assert_eq!(
        Store::open(dir.path())
            .unwrap()
            .list(None, 10)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn missing_key_file_for_an_existing_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    std::fs::remove_file(StoreConfig::in_data_dir(dir.path()).key_path()).unwrap();
    assert_eq!(Store::open(dir.path()).unwrap_err().code(), "KEY_MISSING");
}

#[test]
fn corrupted_database_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for n in 0..5 {
        store.enqueue(application(id(n), 20_000), T0).unwrap();
    }
    drop(store);
    let path = StoreConfig::in_data_dir(dir.path()).database_path();
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 40_000, "checkpointed on close");
    // Damage a page in the middle: its HMAC no longer matches.
    for b in &mut bytes[20_000..20_100] {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let outcome = Store::open(dir.path()).and_then(|s| {
        let check = s.check()?;
        if check.is_ok() {
            Ok(())
        } else {
            Err(StoreError::Corrupt(format!("{check:?}")))
        }
    });
    let err = outcome.expect_err("damage must be noticed");
    assert_eq!(err.code(), "CORRUPT", "{err:?}");
}

#[test]
fn a_held_write_lock_is_reported_as_busy() {
    let (dir, store) = open();
    let raw = raw_connection(dir.path());
    raw.busy_timeout(std::time::Duration::from_millis(10))
        .unwrap();
    raw.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let err = store.set_setting("x", "y").unwrap_err();
    assert_eq!(err.code(), "BUSY", "{err:?}");
    raw.execute_batch("ROLLBACK;").unwrap();
    store.set_setting("x", "y").unwrap();
}

#[test]
fn database_and_wal_hold_no_plaintext_id_number_or_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for n in 0..3 {
        store.enqueue(application(id(n), 5_000), T0).unwrap();
    }
    let config = StoreConfig::in_data_dir(dir.path());
    let wal = config.db_dir.join("kiosk.db-wal");
    let mut checked = 0;
    for path in [config.database_path(), wal] {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.is_empty(), "{} is empty", path.display());
        for needle in [
            ID_NUMBER.as_bytes(),
            NAME.as_bytes(),
            b"legalRep",
            b"SQLite format 3",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} contains {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 2);
    // Positive control: the same scan finds the ID number in the plaintext payload.
    let plain = application(id(0), 5_000).payload;
    assert!(
        plain
            .windows(ID_NUMBER.len())
            .any(|w| w == ID_NUMBER.as_bytes())
    );
    drop(store);
}

#[test]
fn db_check_reports_a_healthy_current_database() {
    let (_dir, store) = open();
    store.enqueue(application(id(1), 100), T0).unwrap();
    let check = store.check().unwrap();
    assert!(check.is_ok(), "{check:?}");
    assert_eq!(
        check.schema_version,
        kiosk_store::migrations::latest_version()
    );
    assert!(
        check.cipher_version.starts_with('4'),
        "{}",
        check.cipher_version
    );
}
