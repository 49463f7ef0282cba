//! The shipped CJK font, found once per process (assets folder, installation, source tree).

use kiosk_core::Problem;
use kiosk_core::UserFacing;
use kiosk_docs::{DocumentFont, FONT_FILE_NAME};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Environment variable naming the folder that holds `fonts/` (the shipped `assets/`),
/// when it is neither next to the executable, nor installed, nor in the source tree.
pub const ASSETS_DIR_ENV: &str = "KIOSK_ASSETS_DIR";

/// The shipped font, parsed on first use (a fraction of a second) and kept for the process.
pub(crate) fn font() -> Result<&'static DocumentFont, Problem> {
    static FONT: OnceLock<DocumentFont> = OnceLock::new();
    if let Some(font) = FONT.get() {
        return Ok(font);
    }
    let candidates = font_candidates();
    let Some(path) = candidates
        .iter()
        .find(|p| p.is_file())
        .or_else(|| candidates.first())
    else {
        return Err(kiosk_docs::DocsError::FontInvalid.problem());
    };
    let font = DocumentFont::load(path)?;
    Ok(FONT.get_or_init(|| font))
}

/// Where the font may be: `$KIOSK_ASSETS_DIR/fonts`, `assets/fonts` next to the executable,
/// the installed package's resources, and the source tree (development and tests).
pub(super) fn font_candidates() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os(ASSETS_DIR_ENV).filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("assets"));
    }
    dirs.push(PathBuf::from("/usr/lib/tongban/assets"));
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets"));
    dirs.into_iter()
        .map(|d| d.join("fonts").join(FONT_FILE_NAME))
        .collect()
}
