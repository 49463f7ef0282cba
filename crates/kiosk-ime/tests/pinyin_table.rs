//! The pinyin engine over Debian's real lexicon (`rime-data-pinyin-simp`): a table of common
//! names, places and unit words typed in full, each expected among the first five candidates.
//! Prints the table with every rank.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_ime::{DataPaths, Engines};

const TABLE: &str = include_str!("fixtures/pinyin-table.tsv");

fn engines() -> Engines {
    let engines = Engines::new(DataPaths::default());
    if let Err(error) = engines.lexicon() {
        panic!("the pinyin lexicon must be installed (scripts/bootstrap does): {error}");
    }
    engines
}

/// Where `expected` is among the first 20 candidates of `typed` (1-based).
fn rank(engines: &Engines, typed: &str, expected: &str) -> (Option<usize>, Vec<String>) {
    let page = engines.pinyin(typed, 0, 20).unwrap();
    let texts: Vec<String> = page.candidates.into_iter().map(|c| c.text).collect();
    let rank = texts.iter().position(|t| t == expected).map(|at| at + 1);
    (rank, texts)
}

#[test]
fn common_names_places_and_unit_words_are_in_the_first_five() {
    let engines = engines();
    let rows: Vec<(&str, &str, &str)> = TABLE
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            (
                fields.next().unwrap(),
                fields.next().unwrap(),
                fields.next().unwrap_or(""),
            )
        })
        .collect();
    assert!(rows.len() >= 50, "the table has {} rows", rows.len());
    let mut in_top_five = 0;
    println!(
        "{:<20} {:<8} {:<6} rank  first five",
        "pinyin", "kind", "want"
    );
    for (typed, expected, kind) in &rows {
        let (rank, texts) = rank(&engines, typed, expected);
        if rank.is_some_and(|r| r <= 5) {
            in_top_five += 1;
        }
        let shown = rank.map_or("-".to_owned(), |r| r.to_string());
        println!(
            "{typed:<20} {kind:<8} {expected:<6} {shown:>4}  {}",
            texts.iter().take(5).cloned().collect::<Vec<_>>().join(" ")
        );
    }
    let share = in_top_five as f64 / rows.len() as f64;
    println!(
        "in the first five: {in_top_five}/{} ({:.0} %)",
        rows.len(),
        share * 100.0
    );
    assert!(
        share >= 0.9,
        "{in_top_five}/{} in the first five",
        rows.len()
    );
}
