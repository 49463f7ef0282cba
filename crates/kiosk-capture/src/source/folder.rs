//! File import: one file (a staff USB stick) or a watched folder that new scans land in.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{CaptureSource, CapturedImage, SourceInfo, SourceKind};
use crate::error::CaptureError;

/// File name extensions picked up from folders (lower case).
pub const IMAGE_EXTENSIONS: [&str; 8] =
    ["jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "heif"];

/// Reads `path`, refusing files larger than `max_bytes` without reading them whole.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, CaptureError> {
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        let actual = std::fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(CaptureError::FileTooLarge {
            actual,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}

fn is_image_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A folder that scanners or staff drop files into. Each poll returns the image files that
/// appeared since the last poll and have not been modified for `settle` (so a file still
/// being written is picked up on a later poll).
#[derive(Debug)]
pub struct WatchedFolder {
    dir: PathBuf,
    settle: Duration,
    max_bytes: u64,
    seen: HashSet<PathBuf>,
    queue: VecDeque<PathBuf>,
    now: fn() -> SystemTime,
}

impl WatchedFolder {
    /// Watches `dir`; files already there count as new on the first poll.
    pub fn new(dir: impl Into<PathBuf>, settle: Duration, max_bytes: u64) -> Self {
        Self {
            dir: dir.into(),
            settle,
            max_bytes,
            seen: HashSet::new(),
            queue: VecDeque::new(),
            now: SystemTime::now,
        }
    }

    /// Uses `now` as the clock (tests pass a fixed time).
    #[must_use]
    pub fn with_clock(mut self, now: fn() -> SystemTime) -> Self {
        self.now = now;
        self
    }

    fn image_files(&self) -> Result<Vec<(PathBuf, SystemTime)>, CaptureError> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let path = entry.path();
            let meta = entry.metadata()?;
            if meta.is_file() && is_image_name(&path) {
                files.push((path, meta.modified()?));
            }
        }
        files.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        Ok(files)
    }

    /// New, settled image files, oldest first. Each is returned once.
    pub fn poll(&mut self) -> Result<Vec<PathBuf>, CaptureError> {
        let now = (self.now)();
        let mut fresh = Vec::new();
        for (path, modified) in self.image_files()? {
            let settled = now
                .duration_since(modified)
                .is_ok_and(|age| age >= self.settle);
            if settled && !self.seen.contains(&path) {
                self.seen.insert(path.clone());
                fresh.push(path);
            }
        }
        Ok(fresh)
    }
}

impl CaptureSource for WatchedFolder {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            id: format!("folder:{}", self.dir.display()),
            kind: SourceKind::Folder,
            label: self.dir.display().to_string(),
        }
    }

    fn capture(&mut self) -> Result<Option<CapturedImage>, CaptureError> {
        if self.queue.is_empty() {
            let fresh = self.poll()?;
            self.queue.extend(fresh);
        }
        let Some(path) = self.queue.pop_front() else {
            return Ok(None);
        };
        let bytes = read_file(&path, self.max_bytes)?;
        let origin = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Some(CapturedImage { bytes, origin }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn far_future() -> SystemTime {
        SystemTime::now() + Duration::from_secs(3600)
    }

    #[test]
    fn poll_returns_each_new_image_once_and_ignores_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.jpg"), b"x").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        let mut folder =
            WatchedFolder::new(dir.path(), Duration::from_secs(2), 1000).with_clock(far_future);
        let first = folder.poll().unwrap();
        assert_eq!(first, vec![dir.path().join("a.jpg")], "only the image");
        assert!(folder.poll().unwrap().is_empty(), "nothing new");
        std::fs::write(dir.path().join("B.PNG"), b"x").unwrap();
        assert_eq!(
            folder.poll().unwrap(),
            vec![dir.path().join("B.PNG")],
            "upper-case extension"
        );
    }

    #[test]
    fn file_still_being_written_waits_for_the_settle_time() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("scan.png"), b"x").unwrap();
        let mut folder = WatchedFolder::new(dir.path(), Duration::from_secs(600), 1000);
        assert!(folder.poll().unwrap().is_empty(), "too fresh");
        let mut later =
            WatchedFolder::new(dir.path(), Duration::from_secs(600), 1000).with_clock(far_future);
        assert_eq!(later.poll().unwrap().len(), 1, "settled an hour later");
    }

    #[test]
    fn read_file_refuses_oversized_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.jpg");
        std::fs::write(&path, vec![0u8; 2000]).unwrap();
        let err = read_file(&path, 1000).unwrap_err();
        assert!(
            matches!(
                err,
                CaptureError::FileTooLarge {
                    actual: 2000,
                    limit: 1000
                }
            ),
            "{err:?}"
        );
        assert_eq!(read_file(&path, 2000).unwrap().len(), 2000);
    }
}
