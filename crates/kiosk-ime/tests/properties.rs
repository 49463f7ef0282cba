//! Whatever a visitor (or a broken page) sends, the engines answer or refuse with a stable
//! code; they never panic, and the work stays bounded. Runs against Debian's real data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use kiosk_core::problem::UserFacing;
use kiosk_ime::pinyin::MAX_INPUT_LEN;
use kiosk_ime::{DataPaths, Engines, Ink};
use proptest::prelude::*;

fn engines() -> &'static Engines {
    static ENGINES: OnceLock<Engines> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let engines = Engines::new(DataPaths::default());
        engines.lexicon().expect("install rime-data-pinyin-simp");
        engines
    })
}

/// One keystroke may cost this much at most, even in a debug build on a busy machine.
const KEYSTROKE_BUDGET: Duration = Duration::from_secs(2);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_is_answered_or_refused_with_an_input_code(text in any::<String>()) {
        match engines().pinyin(&text, 0, 8) {
            Ok(page) => prop_assert!(page.candidates.len() <= 8),
            Err(error) => prop_assert!(
                ["IME_INPUT_INVALID", "IME_INPUT_TOO_LONG"].contains(&error.code()),
                "{}", error.code()
            ),
        }
    }

    #[test]
    fn pinyin_letters_give_candidates_that_spell_a_prefix(
        text in "[a-z']{0,64}",
        page in 0u32..4,
        size in 1u32..=20,
    ) {
        let started = Instant::now();
        let shown = engines().pinyin(&text, page, size).unwrap();
        prop_assert!(started.elapsed() < KEYSTROKE_BUDGET, "{:?}", started.elapsed());
        prop_assert!(shown.input.len() <= text.len());
        prop_assert!(shown.candidates.len() <= size as usize);
        for candidate in &shown.candidates {
            prop_assert!(candidate.consumed as usize <= shown.input.len());
            prop_assert!(!candidate.text.is_empty());
        }
        if let Some(first) = shown.candidates.first() {
            let chosen = engines().choose(&text, &first.text, first.consumed).unwrap();
            let rest = shown.input[first.consumed as usize..].trim_start_matches('\'');
            prop_assert_eq!(chosen.rest, rest);
            engines().forget();
        }
    }

    #[test]
    fn long_letter_runs_are_refused_not_converted(text in "[a-z]{65,400}") {
        let error = engines().pinyin(&text, 0, 8).unwrap_err();
        prop_assert_eq!(error.code(), "IME_INPUT_TOO_LONG");
    }

    #[test]
    fn any_strokes_are_read_or_refused_with_a_strokes_code(
        strokes in prop::collection::vec(
            prop::collection::vec(
                (prop_oneof![any::<f64>(), -2000.0..2000.0f64], prop_oneof![any::<f64>(), -2000.0..2000.0f64]),
                0..200,
            ),
            0..80,
        ),
        width in prop_oneof![any::<f64>(), 1.0..2000.0f64],
        height in prop_oneof![any::<f64>(), 1.0..2000.0f64],
    ) {
        let ink = Ink {
            strokes: strokes
                .into_iter()
                .map(|s| s.into_iter().map(|(x, y)| [x, y]).collect())
                .collect(),
            width,
            height,
        };
        let started = Instant::now();
        match engines().handwriting(&ink) {
            Ok(read) => prop_assert!(read.len() <= 10),
            Err(error) => prop_assert!(
                ["IME_STROKES_INVALID", "IME_STROKES_TOO_MANY"].contains(&error.code()),
                "{}", error.code()
            ),
        }
        prop_assert!(started.elapsed() < KEYSTROKE_BUDGET, "{:?}", started.elapsed());
    }
}

#[test]
fn the_most_points_allowed_are_read_in_bounded_time() {
    let stroke: Vec<[f64; 2]> = (0..kiosk_ime::handwriting::MAX_POINTS)
        .map(|i| {
            let t = i as f64 / 100.0;
            [
                500.0 + 400.0 * t.cos() * (t / 80.0),
                500.0 + 400.0 * t.sin() * (t / 80.0),
            ]
        })
        .collect();
    let ink = Ink {
        strokes: vec![stroke],
        width: 1000.0,
        height: 1000.0,
    };
    let started = Instant::now();
    let read = engines().handwriting(&ink).unwrap();
    assert!(read.len() <= 10);
    assert!(
        started.elapsed() < KEYSTROKE_BUDGET,
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_worst_letters_for_segmentation_stay_within_a_keystroke() {
    for text in [
        "z".repeat(MAX_INPUT_LEN),
        "zs".repeat(MAX_INPUT_LEN / 2),
        "shi".repeat(MAX_INPUT_LEN / 3),
        "'".repeat(MAX_INPUT_LEN * 2),
        "xian'".repeat(MAX_INPUT_LEN / 5),
    ] {
        let started = Instant::now();
        engines().pinyin(&text, 0, 8).unwrap();
        assert!(
            started.elapsed() < KEYSTROKE_BUDGET,
            "{} letters: {:?}",
            text.len(),
            started.elapsed()
        );
    }
}
