//! Disk full: on a tiny tmpfs the store reports DISK_FULL in both languages and keeps every
//! application committed before, with a clean integrity check. Needs root (for `mount`), as
//! on the development machine and in CI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{T0, application, id};
use kiosk_core::UserFacing;
use kiosk_store::Store;

/// A tmpfs mounted for the test's lifetime.
struct TinyDisk {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl TinyDisk {
    fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("the `mount` command is needed");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (CI runs as root)"
        );
        Self { _dir: dir, path }
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.path)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        }
    }
}

#[test]
fn full_disk_gives_a_clear_error_and_keeps_the_database_intact() {
    let disk = TinyDisk::mount("3m");
    let data_dir = disk.path().join("data");
    let store = Store::open(&data_dir).unwrap();
    let mut committed = Vec::new();
    let mut failure = None;
    for n in 0..200 {
        match store.enqueue(application(id(n), 100_000), T0) {
            Ok(done) => committed.push(done.id.to_string()),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let err = failure.expect("a 3 MiB disk must fill up");
    assert_eq!(err.code(), "DISK_FULL", "{err:?}");
    assert!(err.zh().contains("磁盘已满"), "{}", err.zh());
    assert!(err.en().contains("disk is full"), "{}", err.en());
    assert!(
        committed.len() >= 2,
        "some applications fit first: {}",
        committed.len()
    );

    // Still usable for reading, nothing lost, nothing half-written.
    let listed = store.list(None, 1000).unwrap();
    assert_eq!(
        listed.len(),
        committed.len(),
        "exactly the committed applications"
    );
    for app_id in &committed {
        assert_eq!(
            store.sealed_attachments(app_id).unwrap().len(),
            3,
            "{app_id}"
        );
    }
    let check = store.check().unwrap();
    assert!(check.is_ok(), "{check:?}");
    drop(store);

    // After a restart on the same full disk the data is all there.
    let reopened = Store::open(&data_dir).unwrap();
    assert_eq!(reopened.list(None, 1000).unwrap().len(), committed.len());
    assert!(reopened.verify_audit().unwrap().broken_at.is_none());
}
