//! `kioskctl voice say --step STEP --out F.wav`: a self-service step read aloud without a
//! window, through the same kiosk-api function the app calls. Needs no kiosk database.

use kiosk_api::cli_error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use kiosk_api::Problem;
use kiosk_api::voice::{self, Language, Speaker, SpeechRequest, SpokenStep};

use crate::output;

/// Arguments of `kioskctl voice`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: VoiceCommand,
}

#[derive(Debug, clap::Subcommand)]
enum VoiceCommand {
    /// Speak a step into a WAV file: `--step home|consent|platform|risk-letter|capture|summary|
    /// done|more-time`, or a form step key with `--profile` and `--kind` (`--field PATH` for
    /// one question).
    Say(SayArgs),
}

/// Arguments of `kioskctl voice say`.
#[derive(Debug, clap::Args)]
struct SayArgs {
    /// The screen or the form step's key.
    #[arg(long)]
    step: String,
    /// Platform profile (form steps and questions).
    #[arg(long)]
    profile: Option<String>,
    /// The flow (`natural-person`, …): consent, form steps and questions.
    #[arg(long)]
    kind: Option<String>,
    /// One question: the field's path (elderly mode's one question a screen).
    #[arg(long)]
    field: Option<String>,
    /// Which step or question, from 1.
    #[arg(long, default_value_t = 1)]
    index: u32,
    /// How many steps or questions.
    #[arg(long, default_value_t = 1)]
    total: u32,
    /// Speak English instead of Mandarin.
    #[arg(long)]
    english: bool,
    /// Slower speech (elderly mode).
    #[arg(long)]
    slow: bool,
    /// Where to write the WAV.
    #[arg(long, value_name = "FILE.wav")]
    out: PathBuf,
    /// Print JSON (words, duration, timing) instead of text.
    #[arg(long)]
    json: bool,
}

fn needs(what: &str, value: &Option<String>) -> Result<String, Problem> {
    value
        .clone()
        .ok_or_else(|| CliError::VoiceArgumentMissing(what.to_owned()).into())
}

fn step_of(args: &SayArgs) -> Result<SpokenStep, Problem> {
    Ok(match args.step.as_str() {
        "home" => SpokenStep::Home,
        "consent" => SpokenStep::Consent {
            kind: needs("kind", &args.kind)?,
        },
        "platform" => SpokenStep::Platform,
        "risk-letter" => SpokenStep::RiskLetter,
        "capture" => SpokenStep::Capture,
        "summary" => SpokenStep::Summary,
        "done" => SpokenStep::Done,
        "more-time" => SpokenStep::MoreTime,
        step => match &args.field {
            Some(field) => SpokenStep::Question {
                profile: needs("profile", &args.profile)?,
                kind: needs("kind", &args.kind)?,
                field: field.clone(),
                index: args.index,
                total: args.total,
            },
            None => SpokenStep::Fields {
                profile: needs("profile", &args.profile)?,
                kind: needs("kind", &args.kind)?,
                step: step.to_owned(),
                fields: Vec::new(),
                index: args.index,
                total: args.total,
            },
        },
    })
}

/// Runs `kioskctl voice ...`.
pub fn run(args: &Args) -> Result<ExitCode, Problem> {
    match &args.command {
        VoiceCommand::Say(args) => say(args),
    }
}

fn say(args: &SayArgs) -> Result<ExitCode, Problem> {
    let request = SpeechRequest {
        step: step_of(args)?,
        language: if args.english {
            Language::English
        } else {
            Language::Mandarin
        },
        slow: args.slow,
    };
    let started = Instant::now();
    let (text, wav) = voice::speak_wav(&Speaker::from_env(), &request)?;
    let synthesis_ms = started.elapsed().as_millis();
    std::fs::write(&args.out, wav.bytes()).map_err(|e| {
        Problem::from(CliError::VoiceOutputUnwritable {
            path: args.out.clone(),
            reason: e.to_string(),
        })
    })?;
    if args.json {
        output::print_json(&serde_json::json!({
            "text": text,
            "out": args.out,
            "bytes": wav.bytes().len(),
            "durationMs": wav.duration_ms(),
            "sampleRate": wav.sample_rate(),
            "synthesisMs": synthesis_ms,
            "firstSoundMs": wav.first_sound_ms(300),
        }))?;
    } else {
        println!("{text}");
        println!(
            "{}: {} ms, {} Hz, {} bytes (made in {synthesis_ms} ms)",
            args.out.display(),
            wav.duration_ms(),
            wav.sample_rate(),
            wav.bytes().len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
