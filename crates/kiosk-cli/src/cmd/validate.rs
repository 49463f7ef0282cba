//! `kioskctl validate <kind> <value>` and `kioskctl validate-application --profile <id> <file>`:
//! the identity rules without a window. Neither needs the kiosk's data directory.
//!
//! Exit codes: 0 valid, 1 invalid, 2 usage (unknown kind or profile, unreadable file).

use kiosk_api::cli_error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use kiosk_api::clock;
use kiosk_api::validate::{self, Date};
use kiosk_core::Problem;
use kiosk_core::field::FieldKind;

use crate::output;

fn kind_names() -> PossibleValuesParser {
    PossibleValuesParser::new(FieldKind::ALL.map(FieldKind::as_str))
}

fn profile_names() -> PossibleValuesParser {
    PossibleValuesParser::new(["zhengzhou", "tianjin", "shandong", "most"])
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("not a real date in YYYY-MM-DD form: {text}"))
}

/// Arguments of `kioskctl validate`.
#[derive(Debug, clap::Args)]
pub struct ValueArgs {
    /// What the value is.
    #[arg(value_parser = kind_names())]
    kind: String,
    /// The value to check (quote it if it has spaces).
    value: String,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Check as of this date (YYYY-MM-DD; default: today in China).
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
}

/// Arguments of `kioskctl validate-application`.
#[derive(Debug, clap::Args)]
pub struct ApplicationArgs {
    /// Platform profile to validate against.
    #[arg(long, value_parser = profile_names())]
    profile: String,
    /// The application as a JSON file.
    file: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Check as of this date (YYYY-MM-DD; default: today in China).
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
}

fn today(flag: Option<Date>) -> Date {
    flag.unwrap_or_else(|| validate::today_in_china(clock::now_ms()))
}

fn print_line(mark: &str, problem: &Problem) {
    let field = problem
        .field
        .as_deref()
        .map(|f| format!(" {f}:"))
        .unwrap_or_default();
    println!("{mark} [{}]{field} {}", problem.code, problem.zh);
    println!("  {}", problem.en);
}

/// Checks one value; exit 0 valid, 1 invalid.
pub fn run_value(args: &ValueArgs) -> Result<ExitCode, Problem> {
    let report = validate::validate_value(&args.kind, &args.value, today(args.today))?;
    if args.json {
        output::print_json(&report)?;
    } else {
        match (&report.valid, &report.normalized) {
            (true, Some(normalized)) => println!("有效 / valid: {normalized}"),
            (true, None) => println!("有效 / valid"),
            (false, _) => println!("无效 / invalid"),
        }
        for (key, value) in &report.derived {
            println!("  {key}: {value}");
        }
        report.errors.iter().for_each(|p| print_line("✗", p));
        report.warnings.iter().for_each(|p| print_line("!", p));
    }
    Ok(exit(report.valid))
}

/// Validates an application file; exit 0 valid, 1 invalid, 2 unreadable file.
pub fn run_application(args: &ApplicationArgs) -> Result<ExitCode, Problem> {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(e) => {
            output::print_problem(&Problem::from(CliError::FileUnreadable {
                path: args.file.clone(),
                reason: e.to_string(),
            }));
            return Ok(ExitCode::from(2));
        }
    };
    let report = validate::validate_application(&args.profile, &text, today(args.today))?;
    if args.json {
        output::print_json(&report)?;
    } else {
        println!(
            "{} ({} errors, {} warnings)",
            if report.valid {
                "有效 / valid"
            } else {
                "无效 / invalid"
            },
            report.errors.len(),
            report.warnings.len()
        );
        report.errors.iter().for_each(|p| print_line("✗", p));
        report.warnings.iter().for_each(|p| print_line("!", p));
    }
    Ok(exit(report.valid))
}

fn exit(valid: bool) -> ExitCode {
    if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
