//! Cameras the system sees (V4L2 devices such as a document camera 高拍仪 or a webcam), listed
//! for staff. The kiosk captures from them through the webview (`getUserMedia`); this list
//! only tells staff whether Linux found the device at all.

use std::path::Path;

use super::{SourceInfo, SourceKind};

/// Lists the `videoN` devices under `dev_dir` (normally `/dev`), labelled with the name the
/// driver gives in `sys_dir/videoN/name` (normally `/sys/class/video4linux`). Missing
/// directories give an empty list. UVC cameras expose a second node per camera for metadata;
/// such nodes are listed too, with the same name.
pub fn list_cameras(dev_dir: &Path, sys_dir: &Path) -> Vec<SourceInfo> {
    let Ok(entries) = std::fs::read_dir(dev_dir) else {
        return Vec::new();
    };
    let mut found: Vec<(u32, SourceInfo)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let number: u32 = name.strip_prefix("video")?.parse().ok()?;
            let label = std::fs::read_to_string(sys_dir.join(&name).join("name"))
                .map(|s| s.trim().to_owned())
                .ok()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| name.clone());
            Some((
                number,
                SourceInfo {
                    id: dev_dir.join(&name).to_string_lossy().into_owned(),
                    kind: SourceKind::Camera,
                    label,
                },
            ))
        })
        .collect();
    found.sort_by_key(|(number, _)| *number);
    found.into_iter().map(|(_, info)| info).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn lists_video_nodes_in_order_with_their_driver_names() {
        let dev = tempfile::tempdir().unwrap();
        let sys = tempfile::tempdir().unwrap();
        for name in ["video10", "video0", "video1", "vcs", "videoX"] {
            std::fs::write(dev.path().join(name), b"").unwrap();
        }
        std::fs::create_dir(sys.path().join("video0")).unwrap();
        std::fs::write(sys.path().join("video0/name"), "USB Document Camera\n").unwrap();
        let list = list_cameras(dev.path(), sys.path());
        let labels: Vec<_> = list.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["USB Document Camera", "video1", "video10"]);
        assert!(list.iter().all(|s| s.kind == SourceKind::Camera));
        assert!(list[0].id.ends_with("/video0"), "{}", list[0].id);
    }

    #[test]
    fn missing_directories_list_nothing() {
        let list = list_cameras(Path::new("/nonexistent/dev"), Path::new("/nonexistent/sys"));
        assert!(list.is_empty());
    }
}
