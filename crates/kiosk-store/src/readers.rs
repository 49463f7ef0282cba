//! A small pool of read connections. The lock guards only taking and returning a
//! connection, never a query.

use std::path::PathBuf;
use std::sync::Mutex;

use rusqlite::Connection;

use crate::StoreError;
use crate::config::DatabaseKey;
use crate::connection::{self, Access};

/// Idle read connections, opened on demand up to `keep` kept.
#[derive(Debug)]
pub(crate) struct Readers {
    path: PathBuf,
    key: DatabaseKey,
    keep: usize,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub(crate) fn new(path: PathBuf, key: DatabaseKey, keep: usize) -> Self {
        Self {
            path,
            key,
            keep: keep.max(1),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `read` on an idle connection (or a fresh one when all are busy).
    pub(crate) fn with<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match pooled {
            Some(conn) => conn,
            None => connection::open(&self.path, &self.key, Access::Reader)?,
        };
        let result = read(&conn);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.keep
        {
            idle.push(conn);
        }
        result
    }
}
