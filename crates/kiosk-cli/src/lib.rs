//! `kioskctl`: administer and script a kiosk without its window.
//!
//! Exit codes: 0 success, 1 the request was refused or failed (a problem is printed in
//! Chinese and English), 2 usage error.
//!
//! The crate is a library so that one program can be both the app and the CLI: the
//! `kioskctl` binary of this crate (development and tests) and the app binary `tongban`
//! (when called as `kioskctl`, the package's symlink, or as `tongban ctl …`) both call
//! [`main_from`].
//!
//! May import: kiosk-api, kiosk-core (a front door like the Tauri shell: it parses arguments and
//! prints, every capability is a kiosk-api call).
#![deny(missing_docs)]

mod cmd;
mod output;
mod permissions;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// 通办自助登记终端 command line.
#[derive(Debug, Parser)]
#[command(
    name = "kioskctl",
    version,
    about = "通办自助登记终端 command line / 命令行工具"
)]
struct Cli {
    /// Data directory (default: $KIOSK_DATA_DIR, else the user's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check one value: resident-id, uscc, mobile, email, permits, passport, account-name, password.
    Validate(cmd::validate::ValueArgs),
    /// Validate a whole application (JSON file) against a platform profile.
    ValidateApplication(cmd::validate::ApplicationArgs),
    /// Show the kiosk's health: version, data directory, database.
    Status(cmd::status::Args),
    /// Normalise images for upload slots; list cameras, scanners and ID-card readers.
    Scan(cmd::scan::Args),
    /// ID-card readers: `idcard list [--json]`, `idcard read [--device PATH] [--json]`.
    Idcard(cmd::idcard::Args),
    /// Submit an application through the same path as the kiosk screen.
    Submit(cmd::submit::Args),
    /// Inspect the submission queue.
    Queue(cmd::queue::Args),
    /// Check the local database.
    Db(cmd::db::Args),
    /// Verify or show the audit log.
    Audit(cmd::audit::Args),
    /// Purge payloads past the retention period.
    Purge(cmd::purge::Args),
    /// Manage staff accounts.
    Staff(cmd::staff::Args),
    /// Enrol this kiosk with the central platform using a one-time code.
    Enrol(cmd::enrol::Args),
    /// Synchronise with the platform: `sync --once`, `sync status [--json]`.
    Sync(cmd::sync::Args),
    /// Show or change the kiosk's settings: `settings show [--json]`, `settings set KEY VALUE`.
    Settings(cmd::settings::Args),
    /// Render documents to PDF: `pdf risk-letter|receipt --input app.json --out file.pdf`.
    Pdf(cmd::pdf::Args),
    /// Print a PDF through CUPS: `print --file F [--printer P]`.
    Print(cmd::print::PrintArgs),
    /// List the CUPS printers.
    Printers(cmd::print::PrintersArgs),
    /// Reports: `report day [--date YYYY-MM-DD] [--pdf out.pdf]`.
    Report(cmd::report::Args),
    /// Check data directory, keys, database, printer, scanner, platform and clock; say what to fix.
    Doctor(cmd::doctor::Args),
    /// Write logs, settings and health (never personal data) to a zip for support.
    SupportBundle(cmd::support::Args),
    /// Supervisor review: `review list|show|approve|return|policy`.
    Review(cmd::review::Args),
    /// Write approved, unsent applications to a signed bundle: `export --to DIR`.
    Export(cmd::export::Args),
    /// The wizard's rules: `wizard form|field|step|summary|sms-send|sms-verify|registered|list|lookup`.
    Wizard(cmd::wizard::Args),
    /// Chinese input without a window: `ime pinyin zhangsan`, `ime handwriting --strokes F`.
    Ime(cmd::ime::Args),
    /// Voice guidance without a window: `voice say --step STEP --out F.wav`.
    Voice(cmd::voice::Args),
}

/// The subcommand's path as the permission table names it (`status`, `staff unlock`).
fn path_of(command: &Command) -> String {
    let name = match command {
        Command::Validate(_) => "validate",
        Command::ValidateApplication(_) => "validate-application",
        Command::Status(_) => "status",
        Command::Scan(_) => "scan",
        Command::Idcard(_) => "idcard",
        Command::Submit(_) => "submit",
        Command::Queue(_) => "queue",
        Command::Db(_) => "db",
        Command::Audit(_) => "audit",
        Command::Purge(_) => "purge",
        Command::Staff(args) => return format!("staff {}", args.name()),
        Command::Enrol(_) => "enrol",
        Command::Sync(_) => "sync",
        Command::Settings(_) => "settings",
        Command::Pdf(_) => "pdf",
        Command::Print(_) => "print",
        Command::Printers(_) => "printers",
        Command::Report(_) => "report",
        Command::Doctor(_) => "doctor",
        Command::SupportBundle(_) => "support-bundle",
        Command::Review(_) => "review",
        Command::Export(_) => "export",
        Command::Wizard(_) => "wizard",
        Command::Ime(_) => "ime",
        Command::Voice(_) => "voice",
    };
    name.to_owned()
}

/// Runs kioskctl on `args` (the first is the program name, as in `std::env::args_os()`) and
/// returns its exit code: 0 success, 1 refused or failed, 2 usage error (clap exits the
/// process itself for usage errors, `--help` and `--version`, as it always did).
pub fn main_from<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    let data_dir = cli.data_dir;
    cmd::start_logging(data_dir.clone());
    if let Err(problem) = permissions::admit(&path_of(&cli.command), kiosk_api::clock::now_ms()) {
        output::print_problem(&problem);
        return ExitCode::from(1);
    }
    let result = match cli.command {
        Command::Validate(args) => cmd::validate::run_value(&args),
        Command::ValidateApplication(args) => cmd::validate::run_application(&args),
        Command::Status(args) => cmd::status::run(data_dir, &args),
        Command::Scan(args) => cmd::scan::run(data_dir, &args),
        Command::Idcard(args) => cmd::idcard::run(&args),
        Command::Submit(args) => cmd::submit::run(data_dir, &args),
        Command::Queue(args) => cmd::queue::run(data_dir, &args),
        Command::Db(args) => cmd::db::run(data_dir, &args),
        Command::Audit(args) => cmd::audit::run(data_dir, &args),
        Command::Purge(args) => cmd::purge::run(data_dir, &args),
        Command::Staff(args) => cmd::staff::run(data_dir, &args),
        Command::Enrol(args) => cmd::enrol::run(data_dir, &args),
        Command::Sync(args) => cmd::sync::run(data_dir, &args),
        Command::Settings(args) => cmd::settings::run(data_dir, &args),
        Command::Pdf(args) => cmd::pdf::run(&args),
        Command::Print(args) => cmd::print::print(&args),
        Command::Printers(args) => cmd::print::printers(&args),
        Command::Report(args) => cmd::report::run(data_dir, &args),
        Command::Doctor(args) => cmd::doctor::run(data_dir, &args),
        Command::SupportBundle(args) => cmd::support::run(data_dir, &args),
        Command::Review(args) => cmd::review::run(data_dir, &args),
        Command::Export(args) => cmd::export::run(data_dir, &args),
        Command::Wizard(args) => cmd::wizard::run(data_dir, &args),
        Command::Ime(args) => cmd::ime::run(&args),
        Command::Voice(args) => cmd::voice::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(problem) => {
            output::print_problem(&problem);
            ExitCode::from(1)
        }
    }
}
