//! Where the kiosk keeps its data.

use std::ffi::OsString;
use std::path::PathBuf;

use kiosk_core::Problem;

mod error;

pub use error::ConfigError;

/// Environment variable that points the app (and tests) at a data directory.
pub const DATA_DIR_ENV: &str = "KIOSK_DATA_DIR";

/// Name of the folder under the user's data directory when nothing else is given.
pub const DEFAULT_FOLDER: &str = "tongban";

/// Chooses the data directory: `--data-dir` first, then `KIOSK_DATA_DIR`, then the
/// user's data directory (`~/.local/share/tongban` on Linux, `%APPDATA%\tongban` on Windows).
pub fn resolve_data_dir(flag: Option<PathBuf>, env: Option<OsString>) -> Result<PathBuf, Problem> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    if let Some(dir) = env.filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|base| base.join(DEFAULT_FOLDER))
        .ok_or_else(|| ConfigError::DataDirUnknown.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_environment_beats_default() {
        let flag = resolve_data_dir(Some("/a".into()), Some("/b".into())).unwrap();
        assert_eq!(flag, PathBuf::from("/a"));
        let env = resolve_data_dir(None, Some("/b".into())).unwrap();
        assert_eq!(env, PathBuf::from("/b"));
        let empty_env = resolve_data_dir(None, Some("".into()));
        if let Ok(dir) = empty_env {
            assert!(dir.ends_with(DEFAULT_FOLDER), "{}", dir.display());
        }
    }
}
