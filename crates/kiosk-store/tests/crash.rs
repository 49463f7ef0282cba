//! SIGKILL crash test: a child process enqueues applications with three attachments in a loop
//! and is killed at random moments 50 times. Every application whose enqueue returned must be
//! present and complete, none may be half-written, and the integrity check must pass.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_store::Store;

const KILLS: u64 = 50;

/// The `crash_writer` example, which `cargo test` builds next to the test binaries.
fn crash_writer() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = profile_dir.join("examples").join("crash_writer");
    assert!(
        path.exists(),
        "{} is missing: run the test with `cargo test` (which builds examples)",
        path.display()
    );
    path
}

/// A small deterministic xorshift generator: random moments, reproducible runs.
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % max
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_committed_application_and_leaves_none_half_written() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let writer = crash_writer();
    let mut moments = Moments(0x9e37_79b9_7f4a_7c15);
    let mut committed = BTreeSet::new();
    let mut next = 0u64;
    for round in 0..KILLS {
        let mut child = Command::new(&writer)
            .arg(dir.path())
            .arg(next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(40 + moments.next_ms(260)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(err.is_empty(), "round {round}: child reported {err}");
        let ids: Vec<String> = out.lines().map(str::to_owned).collect();
        // The next child starts after every number this one may have used (printed or not).
        next += u64::try_from(ids.len()).unwrap() + 1;
        committed.extend(ids);
    }
    assert!(
        committed.len() >= 50,
        "too few commits to mean anything: {}",
        committed.len()
    );

    let store = Store::open(dir.path()).unwrap();
    let check = store.check().unwrap();
    assert!(check.is_ok(), "integrity after crashes: {check:?}");
    let all = store.list(None, 100_000).unwrap();
    let present: BTreeSet<String> = all.iter().map(|e| e.id.clone()).collect();
    let lost: Vec<_> = committed.difference(&present).collect();
    assert!(lost.is_empty(), "committed but lost: {lost:?}");
    let identity = common::local_identity(dir.path());
    for entry in &all {
        let payload = store.sealed_payload(&entry.id).unwrap();
        assert!(
            age::decrypt(&identity, &payload.body).is_ok(),
            "{} payload",
            entry.id
        );
        let attachments = store.sealed_attachments(&entry.id).unwrap();
        assert_eq!(attachments.len(), 3, "{} half-written", entry.id);
        for a in attachments {
            let plain = age::decrypt(&identity, &a.sealed.body).unwrap();
            assert_eq!(
                kiosk_store::queue::sha256_hex(&plain),
                a.info.sha256,
                "{}",
                entry.id
            );
        }
        assert!(
            entry.next_attempt_at.is_some(),
            "{} missing its outbox row",
            entry.id
        );
    }
    let audit = store.verify_audit().unwrap();
    assert!(audit.broken_at.is_none(), "{audit:?}");
    assert_eq!(
        audit.rows,
        u64::try_from(all.len()).unwrap(),
        "one audit row each"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}
