//! `kioskctl print --file F [--printer P]` and `kioskctl printers`: CUPS from the shell.

use kiosk_api::cli_error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kiosk_api::Problem;
use kiosk_api::documents::{self, PrintJobInfo, PrintJobState};

use crate::output;

/// Arguments of `kioskctl print`.
#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// The PDF file to print.
    #[arg(long, value_name = "FILE")]
    file: PathBuf,
    /// Printer (CUPS queue) name; default: the system default printer.
    #[arg(long)]
    printer: Option<String>,
    /// Wait up to this many seconds for the job to finish.
    #[arg(long, value_name = "SECONDS")]
    wait: Option<u64>,
    /// Print the job as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `kioskctl printers`.
#[derive(Debug, clap::Args)]
pub struct PrintersArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Lists the CUPS printers, the default one marked with `*`.
pub fn printers(args: &PrintersArgs) -> Result<ExitCode, Problem> {
    let printers = documents::list_printers()?;
    if args.json {
        output::print_json(&printers)?;
    } else if printers.is_empty() {
        println!("没有打印机 / no printers");
    } else {
        for p in printers {
            let mark = if p.is_default { "*" } else { " " };
            println!("{mark} {}  {}", p.name, p.state);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Sends a PDF to CUPS (the file is left in place).
pub fn print(args: &PrintArgs) -> Result<ExitCode, Problem> {
    let job = documents::print_file(&args.file, args.printer.as_deref())?;
    if let Some(seconds) = args.wait {
        wait_for(&job, Duration::from_secs(seconds))?;
    }
    if args.json {
        output::print_json(&job)?;
    } else {
        println!("{} → {}", job.id, job.printer);
    }
    Ok(ExitCode::SUCCESS)
}

fn wait_for(job: &PrintJobInfo, timeout: Duration) -> Result<(), Problem> {
    let start = Instant::now();
    loop {
        if documents::print_job_state(job)? == PrintJobState::Completed {
            return Ok(());
        }
        if start.elapsed() > timeout {
            return Err(CliError::PrintJobTimeout {
                job: job.id.clone(),
                seconds: timeout.as_secs(),
            }
            .into());
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}
