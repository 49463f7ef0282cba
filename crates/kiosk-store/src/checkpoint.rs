//! Background WAL checkpoints, so that copying the WAL into the database file (and its
//! fsync) does not happen inside a visitor's submission.
//!
//! After each write the store nudges this thread, which runs a `PASSIVE` checkpoint on its
//! own connection: it never blocks the writer or readers. The writer keeps a large
//! `wal_autocheckpoint` only as a safety net in case this thread falls behind.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;

use crate::StoreError;

/// WAL size (pages) at which the writer checkpoints by itself if this thread fell behind.
pub(crate) const SAFETY_NET_PAGES: u32 = 8_000;

/// Handle to the checkpoint thread.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    nudges: Option<mpsc::SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread, which takes ownership of `conn`.
    pub(crate) fn start(conn: Connection) -> Result<Self, StoreError> {
        // One pending nudge is enough: a burst of writes collapses into one checkpoint.
        let (nudges, inbox) = mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("kiosk-store-checkpoint".into())
            .spawn(move || {
                while inbox.recv().is_ok() {
                    let result = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    if let Err(e) = result {
                        log::warn!("background WAL checkpoint failed: {e}");
                    }
                }
            })
            .map_err(|e| StoreError::io("kiosk-store-checkpoint thread", e))?;
        Ok(Self {
            nudges: Some(nudges),
            thread: Some(thread),
        })
    }

    /// Asks for a checkpoint soon; never blocks.
    pub(crate) fn nudge(&self) {
        if let Some(nudges) = &self.nudges {
            // Full means a checkpoint is already pending; disconnected means shutting down.
            let _ = nudges.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.nudges.take());
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("the WAL checkpoint thread panicked");
        }
    }
}
