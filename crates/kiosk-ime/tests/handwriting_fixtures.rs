//! Handwriting through Debian's zinnia and its Simplified Chinese model: every stroke fixture
//! in `fixtures/strokes/` (hand-authored simple characters, and characters derived from an
//! openly licensed stroke-median data set; see the README there) expects its character among
//! the first five. Prints the table with every rank.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use kiosk_ime::{DataPaths, Engines, Ink};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    character: String,
    ink: Ink,
}

fn fixtures() -> Vec<(String, Fixture)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/strokes");
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let fixture: Fixture = serde_json::from_str(&text).expect(&name);
            (name, fixture)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn every_fixture_is_read_as_its_character_in_the_first_five() {
    let engines = Engines::new(DataPaths::default());
    let fixtures = fixtures();
    assert!(fixtures.len() >= 20, "{} fixtures", fixtures.len());
    let mut misses = Vec::new();
    println!("{:<18} char strokes rank  first five (score)", "fixture");
    for (name, fixture) in &fixtures {
        let read = engines.handwriting(&fixture.ink).unwrap_or_else(|error| {
            panic!("install libzinnia0 and tegaki-zinnia-simplified-chinese: {error}")
        });
        let rank = read
            .iter()
            .position(|r| r.text == fixture.character)
            .map(|at| at + 1);
        if rank.is_none_or(|r| r > 5) {
            misses.push(name.clone());
        }
        let shown: Vec<String> = read
            .iter()
            .take(5)
            .map(|r| format!("{}({:.2})", r.text, r.score))
            .collect();
        println!(
            "{name:<18} {:<4} {:>7} {:>4}  {}",
            fixture.character,
            fixture.ink.strokes.len(),
            rank.map_or("-".to_owned(), |r| r.to_string()),
            shown.join(" ")
        );
    }
    println!(
        "in the first five: {}/{}",
        fixtures.len() - misses.len(),
        fixtures.len()
    );
    assert!(misses.is_empty(), "not in the first five: {misses:?}");
}
