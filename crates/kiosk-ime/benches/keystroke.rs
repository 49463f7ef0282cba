//! What one keystroke costs: the first candidate page for inputs a visitor types, letter by
//! letter, and for letters that make the most readings; loading the lexicon; recognising one
//! handwritten character. Needs the Debian data (scripts/bootstrap installs it).
//!
//! `cargo bench -p kiosk-ime --bench keystroke`

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use kiosk_ime::{DataPaths, Engines, Ink};

const TYPED: [&str; 5] = [
    "zhangsan",
    "beijingshichaoyangqu",
    "tianjintongbanshifankejiyouxiangongsi",
    "bjscyq",
    "xi'anshi",
];

/// Letters that read as many initials and unfinished syllables as possible.
const WORST: [&str; 2] = [
    "zszszszszszszszszszszszszszszszs",
    "shishishishishishishishishishishishishishishishishishishishishi",
];

fn engines() -> Engines {
    let engines = Engines::new(DataPaths::default());
    let started = Instant::now();
    if let Err(error) = engines.lexicon() {
        panic!("install rime-data-pinyin-simp: {error}");
    }
    eprintln!("lexicon loaded in {} ms", started.elapsed().as_millis());
    engines
}

fn keystrokes(c: &mut Criterion) {
    let engines = engines();
    for typed in TYPED {
        c.bench_function(&format!("pinyin page: {typed} (every prefix)"), |b| {
            b.iter(|| {
                for end in 1..=typed.len() {
                    black_box(engines.pinyin(&typed[..end], 0, 8).ok());
                }
            });
        });
    }
    for typed in WORST {
        c.bench_function(&format!("pinyin page, worst case: {}", &typed[..8]), |b| {
            b.iter(|| black_box(engines.pinyin(typed, 0, 8).ok()));
        });
    }
}

fn handwriting(c: &mut Criterion) {
    let engines = Engines::new(DataPaths::default());
    // 木: four strokes on a 300 px pad.
    let ink = Ink {
        strokes: vec![
            vec![[40.0, 110.0], [150.0, 105.0], [260.0, 100.0]],
            vec![[150.0, 30.0], [150.0, 160.0], [150.0, 280.0]],
            vec![[145.0, 110.0], [100.0, 180.0], [40.0, 240.0]],
            vec![[155.0, 110.0], [200.0, 180.0], [265.0, 240.0]],
        ],
        width: 300.0,
        height: 300.0,
    };
    if let Err(error) = engines.handwriting(&ink) {
        panic!("install libzinnia0 and tegaki-zinnia-simplified-chinese: {error}");
    }
    c.bench_function("handwriting: one character", |b| {
        b.iter(|| black_box(engines.handwriting(&ink).ok()));
    });
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("pinyin lexicon", |b| {
        b.iter(|| {
            let engines = Engines::new(DataPaths::default());
            black_box(engines.lexicon().ok());
        });
    });
    group.finish();
}

criterion_group!(benches, keystrokes, handwriting, load);
criterion_main!(benches);
