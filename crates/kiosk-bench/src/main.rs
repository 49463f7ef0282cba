//! `kiosk-bench`: the measurements of bench/run that happen in Rust, in one release binary
//! (one fat-LTO link instead of one per criterion bench; see bench/README.md). Each
//! subcommand prints one JSON object on stdout; bench/run turns them into bench/RESULTS.md.
//!
//! ```text
//! kiosk-bench photo OUT.jpg [SEED]          a 12 MP test photo (4000 × 3000, JPEG q92)
//! kiosk-bench normalize IN.jpg OUT.jpg      kiosk-capture's normalisation for a ≤ 1 MB slot
//! kiosk-bench letter [CHROMIUM_RUNS]        risk letter PDF, and Chromium --print-to-pdf
//! kiosk-bench enqueue [RUNS]                enqueue 3 × 500 KB, and the disk's fsync floor
//! kiosk-bench sync [N] [CONCURRENCY]        sync engine vs curl to one loopback platformd
//! kiosk-bench validate [RUNS]               validate a Tianjin legal-entity application
//! kiosk-bench tree-rss --pid PID | --exe PATH [--for-ms MS] [--wait-ms MS]
//!                                           peak RSS/PSS of a process and its descendants
//! ```
//!
//! May import: kiosk-capture, kiosk-core, kiosk-docs, kiosk-store, kiosk-sync, kiosk-testkit. A
//! measuring tool at the outermost ring: it calls the crates the app ships, as the app does.

mod letter;
mod photo;
mod store;
mod sync;
mod tree;
mod validate;

use std::process::ExitCode;

/// What a subcommand fails with: a message for the operator.
pub type Failure = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("kiosk-bench: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<serde_json::Value, Failure> {
    let arg = |i: usize| args.get(i).map(String::as_str);
    let number = |i: usize, default: u64| -> Result<u64, Failure> {
        match arg(i) {
            Some(text) => Ok(text.parse()?),
            None => Ok(default),
        }
    };
    match arg(0) {
        Some("photo") => photo::write_photo(
            required(arg(1), "OUT.jpg")?,
            u32::try_from(number(2, 0)?)?,
        ),
        Some("normalize") => photo::normalize_file(
            required(arg(1), "IN.jpg")?,
            required(arg(2), "OUT.jpg")?,
        ),
        Some("letter") => letter::run(usize::try_from(number(1, 10)?)?),
        Some("enqueue") => store::run(number(1, 1_000)?),
        Some("sync") => sync::run(number(1, 200)?, usize::try_from(number(2, 4)?)?),
        Some("validate") => validate::run(number(1, 20_000)?),
        Some("tree-rss") => tree::run(&args[1..]),
        _ => Err(format!(
            "usage: kiosk-bench photo|normalize|letter|enqueue|sync|validate|tree-rss … (got {args:?})"
        )
        .into()),
    }
}

fn required<'a>(value: Option<&'a str>, what: &str) -> Result<&'a str, Failure> {
    value.ok_or_else(|| format!("{what} is missing").into())
}

/// The `q` quantile (0..=1) of sorted `values`.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Sorts `values` and returns (p50, p99, max).
pub fn summary(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        quantile(&values, 0.5),
        quantile(&values, 0.99),
        values.last().copied().unwrap_or(f64::NAN),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_pick_the_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let (p50, p99, max) = summary(values.into_iter().rev().collect());
        assert_eq!((p50, p99, max), (51.0, 99.0, 100.0));
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn unknown_subcommands_and_bad_numbers_are_refused() {
        assert!(run(&["nope".to_owned()]).is_err());
        assert!(run(&["validate".to_owned(), "many".to_owned()]).is_err());
        assert!(run(&["normalize".to_owned()]).is_err());
    }
}
