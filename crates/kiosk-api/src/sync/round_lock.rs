//! One sync round at a time per kiosk data folder, across processes.
//!
//! The app's background worker runs its rounds one after another, but `kioskctl sync --once`
//! (an administrator, a scheduled job) may run a round on the same data while the app runs.
//! Two rounds at once would claim the same applications: the start of one "recovers" the
//! other's uploads in flight, and both then record the platform's acknowledgement, the second
//! on an application already accepted, which the lifecycle refuses. Each round therefore
//! holds an exclusive advisory lock on `<data_dir>/sync/round.lock`; a second round waits for
//! the first to end. The operating system releases the lock when its holder ends, a crash or
//! power cut included, so a stale lock file never blocks anything.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Duration;

use kiosk_sync::SyncError;

/// File name of the lock, in the data folder's `sync/`.
const LOCK_FILE: &str = "round.lock";

/// How often a waiting round looks again.
const RETRY_EVERY: Duration = Duration::from_millis(50);

/// The exclusive right to run a sync round on one data folder; released when dropped.
#[derive(Debug)]
pub(super) struct RoundLock {
    _file: File,
}

impl RoundLock {
    /// Waits until no other round (in this process or another) runs on `data_dir`, then
    /// holds the lock.
    pub(super) async fn acquire(data_dir: &Path) -> Result<Self, SyncError> {
        let dir = data_dir.join("sync");
        let unusable = |e: std::io::Error| SyncError::Store(format!("sync round lock: {e}"));
        std::fs::create_dir_all(&dir).map_err(unusable)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(unusable)?;
        let mut waited = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) => {
                    if !waited {
                        log::info!("another sync round runs on this kiosk's data; waiting for it");
                        waited = true;
                    }
                    tokio::time::sleep(RETRY_EVERY).await;
                }
                Err(TryLockError::Error(e)) => return Err(unusable(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_second_round_waits_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = RoundLock::acquire(dir.path()).await.unwrap();
        // A separate open of the file, as another process makes it.
        let second = tokio::spawn({
            let dir = dir.path().to_path_buf();
            async move { RoundLock::acquire(&dir).await }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !second.is_finished(),
            "the second round waits while the first runs"
        );
        drop(first);
        let second = tokio::time::timeout(Duration::from_secs(5), second)
            .await
            .expect("the second round starts once the first ended")
            .unwrap();
        assert!(second.is_ok());
    }

    #[tokio::test]
    async fn an_unwritable_folder_is_a_store_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, b"").unwrap();
        let err = RoundLock::acquire(&file).await.unwrap_err();
        assert!(matches!(err, SyncError::Store(_)), "{err:?}");
    }
}
