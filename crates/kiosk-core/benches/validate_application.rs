//! Validating one full legal-entity application (Tianjin, the profile with the most rules:
//! USCC, legal representative's ID and validity, bank holder, addresses, attachments).
//!
//! Run: `cargo bench -p kiosk-core --bench validate_application`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kiosk_core::{Application, Date, Profile, validate_application};

const FIXTURE: &str =
    include_str!("../../../tests/fixtures/applications/tianjin-legal-entity.json");

fn bench(c: &mut Criterion) {
    let profile = Profile::by_id("tianjin").expect("built-in profile");
    let application = Application::from_json(FIXTURE).expect("fixture parses");
    let today = Date::new(2026, 11, 23).expect("date");
    let report = validate_application(profile, &application, today);
    assert!(report.valid, "fixture must be valid: {:?}", report.errors);
    c.bench_function("validate tianjin legal-entity application", |b| {
        b.iter(|| {
            validate_application(
                black_box(profile),
                black_box(&application),
                black_box(today),
            )
        })
    });
    c.bench_function("parse + validate tianjin legal-entity application", |b| {
        b.iter(|| {
            let app = Application::from_json(black_box(FIXTURE)).expect("parses");
            validate_application(profile, &app, today)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
