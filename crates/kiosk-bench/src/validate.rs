//! Row d, validation: a full Tianjin legal-entity application (the profile with the most
//! rules) checked by kiosk-core, against only parsing the same JSON (the floor: what any
//! validator has to do before its first rule).

use std::hint::black_box;
use std::time::Instant;

use kiosk_core::{Application, Date, Profile, validate_application};
use serde_json::json;

use crate::{Failure, summary};

const FIXTURE: &str =
    include_str!("../../../tests/fixtures/applications/tianjin-legal-entity.json");

/// `runs` parse + validate rounds, then `runs` parse-only rounds; times in microseconds.
pub fn run(runs: u64) -> Result<serde_json::Value, Failure> {
    let profile = Profile::by_id("tianjin")?;
    let today = Date::new(2026, 11, 23).ok_or("a valid date")?;
    let application = Application::from_json(FIXTURE)?;
    let report = validate_application(profile, &application, today);
    if !report.valid {
        return Err(format!("the fixture must be valid: {:?}", report.errors).into());
    }
    let mut validate_only = Vec::new();
    let mut full = Vec::new();
    let mut parse_only = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        black_box(validate_application(
            profile,
            black_box(&application),
            today,
        ));
        validate_only.push(started.elapsed().as_secs_f64() * 1e6);

        let started = Instant::now();
        let parsed = Application::from_json(black_box(FIXTURE))?;
        black_box(validate_application(profile, &parsed, today));
        full.push(started.elapsed().as_secs_f64() * 1e6);

        let started = Instant::now();
        black_box(serde_json::from_str::<serde_json::Value>(black_box(
            FIXTURE,
        ))?);
        parse_only.push(started.elapsed().as_secs_f64() * 1e6);
    }
    let (v50, v99, _) = summary(validate_only);
    let (f50, f99, _) = summary(full);
    let (p50, p99, _) = summary(parse_only);
    Ok(json!({
        "runs": runs,
        "validate": { "p50_us": v50, "p99_us": v99 },
        "parse_and_validate": { "p50_us": f50, "p99_us": f99 },
        "parse_only": { "p50_us": p50, "p99_us": p99 },
    }))
}
