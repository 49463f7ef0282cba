//! The documents' CJK font (Noto Sans CJK SC from Debian's fonts-noto-cjk, a dependency of the
//! package), found once per process; an assets folder may override it.

use kiosk_core::Problem;
use kiosk_docs::{DocumentFont, FontSource};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Environment variable naming a folder whose `fonts/NotoSansCJKsc-Regular.otf` replaces
/// the system font (Debian's fonts-noto-cjk) for documents.
pub const ASSETS_DIR_ENV: &str = "KIOSK_ASSETS_DIR";

/// The documents' font, parsed on first use (a fraction of a second) and kept for the process.
pub(crate) fn font() -> Result<&'static DocumentFont, Problem> {
    static FONT: OnceLock<DocumentFont> = OnceLock::new();
    if let Some(font) = FONT.get() {
        return Ok(font);
    }
    let font = DocumentFont::load_source(&FontSource::locate(&font_asset_dirs()))?;
    Ok(FONT.get_or_init(|| font))
}

/// Asset folders whose `fonts/` may hold an override of the system font:
/// `$KIOSK_ASSETS_DIR`, then `assets` next to the executable.
fn font_asset_dirs() -> Vec<PathBuf> {
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
    dirs
}
