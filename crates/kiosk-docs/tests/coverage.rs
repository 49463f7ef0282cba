//! Every character the kiosk prints or shows from its shipped data has a glyph in the font the
//! package uses: Noto Sans CJK SC from Debian's fonts-noto-cjk (a dependency of the .deb; the
//! webview draws the screens from the same package through fontconfig).
//!
//! Covered: the document templates (`assets/templates`), the administrative divisions, ethnic
//! groups and master data (`assets/reference`), the platform profiles (`assets/profiles`) and
//! the screen texts (`ui/src/i18n/zh-CN.ts`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kiosk_docs::{DocumentFont, FontSource};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Data files under `dir` (recursively) with one of `extensions`.
fn files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
}

#[test]
fn every_shipped_character_has_a_glyph_in_the_package_font() {
    let font = DocumentFont::load_source(&FontSource::system())
        .expect("fonts-noto-cjk is installed (scripts/bootstrap; a Depends of the package)");
    let root = repo();
    let mut paths = Vec::new();
    files(&root.join("assets/templates"), &["toml"], &mut paths);
    files(&root.join("assets/reference"), &["json"], &mut paths);
    files(&root.join("assets/profiles"), &["json"], &mut paths);
    paths.push(root.join("ui/src/i18n/zh-CN.ts"));

    let mut checked: BTreeMap<char, ()> = BTreeMap::new();
    let mut missing: BTreeMap<char, Vec<String>> = BTreeMap::new();
    for path in &paths {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for ch in text.chars().filter(|c| !c.is_control()) {
            checked.insert(ch, ());
            if !font.covers(ch) {
                let name = path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                let files = missing.entry(ch).or_default();
                if !files.contains(&name) {
                    files.push(name);
                }
            }
        }
    }
    let han = checked
        .keys()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(*c))
        .count();
    println!(
        "{} files, {} distinct characters, {han} of them Han",
        paths.len(),
        checked.len()
    );
    assert!(
        han > 1500,
        "the divisions list alone has over 1,500 distinct Han characters: are the data files there? ({han})"
    );
    assert!(
        missing.is_empty(),
        "characters without a glyph in Noto Sans CJK SC: {missing:?}"
    );
}

#[test]
fn the_check_fails_for_a_character_outside_the_font() {
    let font = DocumentFont::load_source(&FontSource::system()).expect("fonts-noto-cjk");
    assert_eq!(font.missing_glyphs("北京市\u{0627}"), vec!['\u{0627}']);
}
