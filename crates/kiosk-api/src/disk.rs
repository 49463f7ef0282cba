//! What the kiosk asks of the file system: free space, and whether it may write somewhere.

use std::path::Path;

/// Free bytes (available to this user) on the file system holding `path`; `None` when it
/// cannot be measured (a missing path; other systems than Unix report `None`, see below).
#[cfg(unix)]
pub(crate) fn free_bytes(path: &Path) -> Option<u64> {
    rustix::fs::statvfs(path)
        .ok()
        .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
}

/// Free bytes on the file system holding `path` (not measured on this platform).
#[cfg(not(unix))]
pub(crate) fn free_bytes(_path: &Path) -> Option<u64> {
    None
}

/// Whether this process may create files in the folder `path`.
#[cfg(unix)]
pub(crate) fn is_writable_dir(path: &Path) -> bool {
    path.is_dir() && rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

/// Whether this process may create files in the folder `path` (its read-only flag).
#[cfg(not(unix))]
pub(crate) fn is_writable_dir(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_dir() && !m.permissions().readonly())
}
