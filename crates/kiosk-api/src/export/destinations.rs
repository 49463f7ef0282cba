//! Where an export can go: mounted removable media (`/media/*`, `/media/*/*` as udisks
//! mounts them on Debian, `/run/media/*/*`) and the configured export folder, each with
//! whether the kiosk may write there and how much room is left.
//!
//! Mounts are read from `/proc/self/mountinfo`, so an empty `/media/usb0` left behind by an
//! unplugged stick is not offered.

use std::path::{Path, PathBuf};

use kiosk_core::Problem;
use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;

/// What kind of place a destination is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DestinationKind {
    /// A mounted removable medium.
    Removable,
    /// The export folder set by the administrator.
    Configured,
}

/// One place an export can be written to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportDestination {
    /// The folder.
    pub path: String,
    /// Its last path component (the medium's label), for the list.
    pub label: String,
    /// Removable medium or configured folder.
    pub kind: DestinationKind,
    /// Whether the kiosk can write there now (exists, is a folder, not read-only).
    pub writable: bool,
    /// Free bytes (`null` when it cannot be measured, e.g. the folder is missing).
    #[ts(type = "number | null")]
    pub free_bytes: Option<u64>,
}

/// Decodes the octal escapes mountinfo uses for spaces and the like (`\040`).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).and_then(|d| {
            std::str::from_utf8(d)
                .ok()
                .and_then(|d| u8::from_str_radix(d, 8).ok())
        });
        match (bytes[i], octal) {
            (b'\\', Some(b)) => {
                out.push(b);
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a mount point is where removable media are mounted.
fn is_media_mount(path: &Path) -> bool {
    let parts: Vec<_> = path.components().skip(1).collect();
    let names: Vec<&str> = parts
        .iter()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    matches!(
        names.as_slice(),
        ["media", _] | ["media", _, _] | ["run", "media", _, _]
    )
}

/// Removable-media mount points listed in `mountinfo` text (pure: tested on samples).
pub fn media_mounts(mountinfo: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = mountinfo
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(|field| PathBuf::from(unescape(field)))
        .filter(|path| is_media_mount(path))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Measures one folder.
pub fn describe(path: &Path, kind: DestinationKind) -> ExportDestination {
    let is_dir = path.is_dir();
    let writable = crate::disk::is_writable_dir(path);
    ExportDestination {
        path: path.display().to_string(),
        label: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        kind,
        writable,
        free_bytes: if is_dir {
            crate::disk::free_bytes(path)
        } else {
            None
        },
    }
}

/// The configured export folder first (when set), then every mounted removable medium.
pub fn candidates(configured: Option<&Path>, mountinfo: &str) -> Vec<ExportDestination> {
    configured
        .map(|dir| describe(dir, DestinationKind::Configured))
        .into_iter()
        .chain(
            media_mounts(mountinfo)
                .iter()
                .map(|dir| describe(dir, DestinationKind::Removable)),
        )
        .collect()
}

/// Where this kiosk can export now.
pub fn destinations(kiosk: &Kiosk) -> Result<Vec<ExportDestination>, Problem> {
    let configured = crate::settings::get(kiosk)?.export_dir.map(PathBuf::from);
    // Without /proc (not Linux) only the configured folder is offered.
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    Ok(candidates(configured.as_deref(), &mountinfo))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
25 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw
40 22 0:35 / /media/usb0 rw,nosuid,nodev shared:20 - vfat /dev/sdb1 rw
41 22 0:36 / /media/clerk/KINGSTON\\040USB rw,nosuid,nodev shared:21 - exfat /dev/sdc1 rw
42 22 0:37 / /run/media/clerk/DATA rw,nosuid,nodev shared:22 - vfat /dev/sdd1 rw
43 22 0:38 / /run/user/1000 rw,nosuid,nodev shared:23 - tmpfs tmpfs rw
44 22 0:39 / /media rw shared:24 - tmpfs tmpfs rw
45 22 0:40 / /mnt/backup rw shared:25 - ext4 /dev/sde1 rw
";

    #[test]
    fn removable_media_are_read_from_mountinfo_with_escaped_names() {
        assert_eq!(
            media_mounts(MOUNTINFO),
            vec![
                PathBuf::from("/media/clerk/KINGSTON USB"),
                PathBuf::from("/media/usb0"),
                PathBuf::from("/run/media/clerk/DATA"),
            ],
            "/media itself, /run/user and /mnt are not removable media"
        );
    }

    #[test]
    fn the_configured_folder_comes_first_measured_and_a_missing_one_is_not_writable() {
        let dir = tempfile::tempdir().unwrap();
        let list = candidates(Some(dir.path()), "");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].kind, DestinationKind::Configured);
        assert!(list[0].writable, "{:?}", list[0]);
        assert!(list[0].free_bytes.is_some_and(|b| b > 0), "{:?}", list[0]);

        let missing = dir.path().join("not-plugged");
        let list = candidates(Some(&missing), MOUNTINFO);
        assert_eq!(list[0].label, "not-plugged");
        assert!(
            !list[0].writable && list[0].free_bytes.is_none(),
            "{:?}",
            list[0]
        );
        assert_eq!(list.len(), 4, "then the three media: {list:?}");
        assert!(
            list[1..]
                .iter()
                .all(|d| d.kind == DestinationKind::Removable)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_listed_as_not_writable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        let d = describe(dir.path(), DestinationKind::Removable);
        // Root may write anywhere: compare with a real write.
        let can_write = std::fs::write(dir.path().join("probe"), b"x").is_ok();
        assert_eq!(d.writable, can_write, "{d:?}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn the_kiosk_lists_its_configured_folder() {
        let data = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(data.path()).unwrap();
        crate::settings::set_one(
            &kiosk,
            &crate::caller::Caller::CliOperator,
            "exportDir",
            &out.path().display().to_string(),
            1,
        )
        .unwrap();
        let list = destinations(&kiosk).unwrap();
        assert_eq!(list[0].path, out.path().display().to_string());
        assert_eq!(list[0].kind, DestinationKind::Configured);
    }
}
