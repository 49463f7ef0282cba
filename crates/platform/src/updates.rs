//! Update manifests and artifacts for the kiosk updater, served from `<data-dir>/updates/`.
//!
//! An administrator drops the Tauri updater's static JSON as `latest.json` and the signed
//! artifacts next to it. Artifacts carry minisign signatures that the kiosk checks, so these
//! endpoints need no kiosk signature.

use crate::{ApiError, Platform};

/// Checks a file name: letters, digits, `.`, `_`, `-`; no leading dot.
pub fn check_file_name(name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "FILE_NAME_INVALID",
            "文件名只能包含字母、数字、点、下划线和连字符。",
            "A file name may contain only letters, digits, dot, underscore and hyphen.",
        ))
    }
}

impl Platform {
    /// The bytes of update file `name`.
    pub fn update_file(&self, name: &str) -> Result<Vec<u8>, ApiError> {
        check_file_name(name)?;
        std::fs::read(self.data_dir.join("updates").join(name)).map_err(|_| {
            ApiError::not_found(
                "UPDATE_NOT_FOUND",
                "平台没有发布该更新文件。",
                "The platform has not published this update file.",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_escape_the_updates_folder() {
        assert!(check_file_name("latest.json").is_ok(), "plain name");
        assert!(
            check_file_name("../platform-identity.txt").is_err(),
            "traversal"
        );
        assert!(check_file_name(".hidden").is_err(), "dot file");
        assert!(check_file_name("a/b").is_err(), "slash");
    }
}
