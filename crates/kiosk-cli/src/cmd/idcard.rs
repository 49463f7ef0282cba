//! `kioskctl idcard`: list the ID-card readers, read a card (masked unless `--reveal`), write
//! its photo, and show what it would fill into a form.

use kiosk_api::cli_error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use kiosk_api::capture::id_reader::{self, FormTarget, IdReaders, PhotoNote, ReaderTimeouts};
use kiosk_api::{Problem, clock};
use kiosk_core::ApplicationKind;
use kiosk_core::id_card::{CardFill, CardSummary, ChipCard, PersonRole};
use kiosk_core::privacy::{mask_id_number, mask_name};
use serde::Serialize;

use crate::output;

/// Arguments of `kioskctl idcard`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: IdCardCommand,
}

#[derive(Debug, clap::Subcommand)]
enum IdCardCommand {
    /// List the readers found (serial and USB ports, probed with the SAM id command).
    List(ListArgs),
    /// Read the card on a reader.
    Read(ReadArgs),
}

/// Arguments of `kioskctl idcard list`.
#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `kioskctl idcard read`.
#[derive(Debug, clap::Args)]
struct ReadArgs {
    /// The reader's port (default: the first ready reader `idcard list` shows).
    #[arg(long, value_name = "PATH")]
    device: Option<PathBuf>,
    /// Bound on the whole read, in milliseconds (100-60000).
    #[arg(long, value_name = "N", default_value_t = 5000)]
    timeout_ms: u64,
    /// Print the name and number in full (they are masked otherwise).
    #[arg(long)]
    reveal: bool,
    /// Write the chip's photo as PNG (needs the vendor's libwlt2bmp.so).
    #[arg(long, value_name = "FILE")]
    photo_out: Option<PathBuf>,
    /// Also show what the card fills into this platform's form (with --kind).
    #[arg(long, value_name = "PROFILE", requires = "kind")]
    profile: Option<String>,
    /// The flow: natural-person, legal-entity, expert, legacy-binding, real-name, password-reset-appeal.
    #[arg(long, value_name = "KIND", requires = "profile")]
    kind: Option<String>,
    /// Whose card: person, legal-representative, primary-agent.
    #[arg(long, value_name = "ROLE", default_value = "person")]
    role: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `kioskctl idcard ...`. Needs no kiosk database.
pub fn run(args: &Args) -> Result<ExitCode, Problem> {
    let readers = IdReaders::from_env();
    match &args.command {
        IdCardCommand::List(args) => list(&readers, args),
        IdCardCommand::Read(args) => read(&readers, args),
    }
}

fn list(readers: &IdReaders, args: &ListArgs) -> Result<ExitCode, Problem> {
    let list = id_reader::list(readers, None);
    if args.json {
        output::print_json(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    if list.readers.is_empty() {
        println!("未发现读卡器或串口 / no readers or serial ports found");
    }
    for reader in &list.readers {
        let state = serde_json::to_value(reader.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        println!(
            "{:<22} {:<11} {:<10} {:<18} {}",
            if reader.path.is_empty() {
                "-"
            } else {
                &reader.path
            },
            reader.vid_pid.as_deref().unwrap_or("-"),
            state,
            reader
                .sam_id
                .as_deref()
                .map_or("-", |id| id.get(..16).unwrap_or(id)),
            reader.label
        );
        if let Some(problem) = &reader.problem {
            output::print_problem(problem);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON `idcard read` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ReadOutput {
    device: String,
    /// Masked.
    card: CardSummary,
    /// In full, only with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    chip: Option<ChipCard>,
    photo: PhotoNote,
    #[serde(skip_serializing_if = "Option::is_none")]
    photo_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    form: Option<CardFill>,
}

fn bad_argument(code: &str, zh: String, en: String, field: &str) -> Problem {
    Problem::new(code, zh, en).at(field)
}

fn target(args: &ReadArgs) -> Result<Option<(String, ApplicationKind, PersonRole)>, Problem> {
    let (Some(profile), Some(kind)) = (&args.profile, &args.kind) else {
        return Ok(None);
    };
    let kind = ApplicationKind::parse(kind).ok_or_else(|| {
        bad_argument(
            "CLI_KIND_UNKNOWN",
            format!("未知的业务类型“{kind}”。可选：natural-person、legal-entity、expert、legacy-binding、real-name、password-reset-appeal。"),
            format!("Unknown flow \"{kind}\". Choose natural-person, legal-entity, expert, legacy-binding, real-name or password-reset-appeal."),
            "kind",
        )
    })?;
    let role = PersonRole::parse(&args.role).ok_or_else(|| {
        bad_argument(
            "CLI_ROLE_UNKNOWN",
            format!(
                "未知的人员角色“{}”。可选：person、legal-representative、primary-agent。",
                args.role
            ),
            format!(
                "Unknown role \"{}\". Choose person, legal-representative or primary-agent.",
                args.role
            ),
            "role",
        )
    })?;
    Ok(Some((profile.clone(), kind, role)))
}

/// Masks the name and number among the form values (unless revealed).
fn masked(mut fill: CardFill) -> CardFill {
    for field in &mut fill.fields {
        if field.path.ends_with(".document.number") {
            field.value = mask_id_number(&field.value);
        } else if field.path.ends_with(".name") {
            field.value = mask_name(&field.value);
        }
    }
    fill
}

fn read(readers: &IdReaders, args: &ReadArgs) -> Result<ExitCode, Problem> {
    if !(100..=60_000).contains(&args.timeout_ms) {
        return Err(bad_argument(
            "CLI_TIMEOUT_RANGE",
            "--timeout-ms 应在 100 到 60000 毫秒之间。".to_owned(),
            "--timeout-ms must be between 100 and 60000 milliseconds.".to_owned(),
            "timeout-ms",
        ));
    }
    let target = target(args)?;
    let timeouts = ReaderTimeouts::with_total(Duration::from_millis(args.timeout_ms));
    let (device, read) = id_reader::read(readers, args.device.as_deref(), timeouts)?;
    let device = device.display().to_string();
    let form = match &target {
        Some((profile, kind, role)) => Some(id_reader::fill_form(
            &read.card,
            FormTarget {
                profile,
                kind: *kind,
                role: *role,
            },
            clock::now_ms(),
        )?),
        None => None,
    };
    let photo = id_reader::photo_png(readers, &read);
    let mut photo_file = None;
    let mut photo_problem = None;
    let note = match (&photo, &args.photo_out) {
        (Ok(png), Some(path)) => {
            std::fs::write(path, png)
                .map_err(|e| Problem::from(CliError::PhotoUnwritable(e.to_string())))?;
            photo_file = Some(path.display().to_string());
            PhotoNote {
                available: true,
                problem: None,
            }
        }
        (Ok(_), None) => PhotoNote {
            available: true,
            problem: None,
        },
        (Err(problem), wanted) => {
            if wanted.is_some() {
                photo_problem = Some(problem.clone());
            }
            PhotoNote {
                available: false,
                problem: Some(problem.clone()),
            }
        }
    };
    let out = ReadOutput {
        device,
        card: read.card.summary(),
        chip: args.reveal.then(|| read.card.clone()),
        photo: note,
        photo_file,
        form: form.map(|f| if args.reveal { f } else { masked(f) }),
    };
    if args.json {
        output::print_json(&out)?;
    } else {
        print_text(&out);
    }
    match photo_problem {
        Some(problem) => Err(problem),
        None => Ok(ExitCode::SUCCESS),
    }
}

fn print_text(out: &ReadOutput) {
    let card = &out.card;
    let until = card
        .valid_until
        .map(|u| match u {
            kiosk_core::rules::validity::ValidityEnd::LongTerm => "长期 / long-term".to_owned(),
            kiosk_core::rules::validity::ValidityEnd::Date(d) => d.to_string(),
        })
        .unwrap_or_default();
    println!(
        "证件 / card:   {} / {}",
        card.document_type.label_zh(),
        card.document_type.label_en()
    );
    match &out.chip {
        Some(chip) => {
            println!("姓名 / name:   {}", chip.display_name());
            println!("号码 / number: {}", chip.number);
        }
        None => {
            println!("姓名 / name:   {}", card.name);
            println!("号码 / number: {}", card.number);
        }
    }
    println!(
        "有效期 / valid: {} – {}",
        card.valid_from.map(|d| d.to_string()).unwrap_or_default(),
        until
    );
    if let Some(nationality) = &card.nationality {
        println!("国籍 / nationality: {nationality}");
    }
    match (&out.photo_file, &out.photo.problem) {
        (Some(file), _) => println!("照片 / photo: {file}"),
        (None, Some(problem)) => {
            println!("照片 / photo: 不可用 / not available ({})", problem.code)
        }
        (None, None) => println!("照片 / photo: 可解码 / decodable (--photo-out FILE)"),
    }
    if let Some(form) = &out.form {
        for field in &form.fields {
            println!("  {} = {}", field.path, field.value);
        }
        for problem in &form.problems {
            println!(
                "  {} ✗ [{}] {}",
                problem.field.as_deref().unwrap_or("-"),
                problem.code,
                problem.zh
            );
        }
    }
}
