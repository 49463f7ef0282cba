//! Enqueue latency: one application with 3 × 500 KB attachments, `synchronous=FULL`.
//!
//! Prints p50 / p99 / max over 1,000 runs (the target: p99 < 30 ms), then lets
//! criterion measure the same operation. Run: `cargo bench -p kiosk-store --bench enqueue`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use kiosk_store::{NewApplication, NewAttachment, Store};

const RUNS: u64 = 1_000;
const ATTACHMENT_BYTES: usize = 500 * 1024;

fn application(n: u64) -> NewApplication {
    let tail = [n.to_le_bytes()[0]; 10];
    NewApplication {
        id: uuid::Builder::from_unix_timestamp_millis(1_790_000_000_000 + n, &tail).into_uuid(),
        kind: "legal-entity".into(),
        profile: "tianjin".into(),
        summary: serde_json::json!({ "name": "赵**", "idNumber": "110***********002X" }),
        payload: vec![b'x'; 4 * 1024],
        attachments: (0..3u8)
            .map(|slot| NewAttachment {
                slot: format!("slot{slot}"),
                media_type: "image/jpeg".into(),
                // Incompressible-looking bytes, different per application and slot.
                bytes: (0..ATTACHMENT_BYTES)
                    .map(|i| {
                        let seed = n * 3 + u64::from(slot);
                        let x = (i as u64 + seed * 1_000_003).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                        (x >> 56) as u8
                    })
                    .collect(),
            })
            .collect(),
        actor: "bench".into(),
        replaces_draft: None,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn enqueue(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let apps: Vec<NewApplication> = (0..RUNS).map(application).collect();
    let mut times = Vec::with_capacity(apps.len());
    for app in apps {
        let started = Instant::now();
        store.enqueue(app, 1_790_000_000_000).unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "enqueue 3 x 500 KB, synchronous=FULL, {RUNS} runs: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );

    let mut n = RUNS;
    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    group.bench_function("enqueue_3x500KB", |b| {
        b.iter_batched(
            || {
                n += 1;
                application(n)
            },
            |app| store.enqueue(app, 1_790_000_000_000).unwrap(),
            criterion::BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, enqueue);
criterion_main!(benches);
