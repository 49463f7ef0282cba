//! Printing through CUPS with its command-line clients (`lp`, `lpstat`), which every CUPS
//! installation has: list printers, find the default, submit a PDF, follow the job.
//!
//! Output of the clients is read in the C locale, so parsing does not depend on the
//! kiosk's language.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::DocsError;

/// How to reach the CUPS scheduler.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cups {
    server: Option<String>,
}

/// A print queue known to CUPS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Printer {
    /// Queue name, as `lp -d` wants it.
    pub name: String,
    /// Whether this is the system default destination.
    pub is_default: bool,
    /// Whether the queue is enabled (a stopped queue holds jobs: paper out, jam, error).
    pub enabled: bool,
    /// CUPS's own words for the state (`idle`, `printing`, `disabled`) and reason, if any.
    pub state: String,
}

/// A submitted print job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintJob {
    /// CUPS job id, e.g. `kiosk-pdf-12`.
    pub id: String,
    /// Queue it was sent to.
    pub printer: String,
}

/// Where a job stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "detail")]
pub enum JobStatus {
    /// Waiting or printing.
    Pending,
    /// Done.
    Completed,
    /// CUPS stopped the queue or dropped the job; the detail says why.
    Failed(String),
}

impl Cups {
    /// The CUPS the system is configured for (`CUPS_SERVER`, `client.conf`, else local).
    pub fn system() -> Self {
        Self::default()
    }

    /// A specific scheduler: `host:port` or the path of its domain socket.
    pub fn at(server: impl Into<String>) -> Self {
        Self {
            server: Some(server.into()),
        }
    }

    /// Whether the scheduler answers.
    pub fn is_running(&self) -> bool {
        self.run("lpstat", &["-r"])
            .map(|o| text(&o.stdout).contains("scheduler is running"))
            .unwrap_or(false)
    }

    /// All print queues, the default one marked.
    pub fn printers(&self) -> Result<Vec<Printer>, DocsError> {
        self.require_scheduler()?;
        let default = self.default_printer()?;
        let output = self.run("lpstat", &["-p"])?;
        let mut printers = parse_printers(&text(&output.stdout));
        for printer in &mut printers {
            printer.is_default = default.as_deref() == Some(printer.name.as_str());
        }
        Ok(printers)
    }

    /// The system default printer, if one is set.
    pub fn default_printer(&self) -> Result<Option<String>, DocsError> {
        let output = self.run("lpstat", &["-d"])?;
        Ok(parse_default(&text(&output.stdout)))
    }

    /// Sends the PDF at `pdf` to `printer`, or to the default printer when `None`.
    pub fn print(
        &self,
        pdf: &Path,
        printer: Option<&str>,
        title: &str,
    ) -> Result<PrintJob, DocsError> {
        self.require_scheduler()?;
        let printer = match printer {
            Some(name) => {
                let known = self.run("lpstat", &["-e"])?;
                if !text(&known.stdout).lines().any(|l| l.trim() == name) {
                    return Err(DocsError::PrinterNotFound {
                        name: name.to_owned(),
                    });
                }
                name.to_owned()
            }
            None => self.default_printer()?.ok_or(DocsError::NoPrinter)?,
        };
        let path = pdf.to_string_lossy();
        let output = self.run("lp", &["-d", &printer, "-t", title, "--", &path])?;
        if !output.status.success() {
            return Err(classify_failure(&text(&output.stderr), Some(&printer)));
        }
        let id = parse_request_id(&text(&output.stdout)).ok_or_else(|| DocsError::PrintFailed {
            detail: text(&output.stdout).trim().to_owned(),
        })?;
        log::info!("print job {id} sent to {printer}");
        Ok(PrintJob { id, printer })
    }

    /// Where `job` stands now.
    pub fn job_status(&self, job: &PrintJob) -> Result<JobStatus, DocsError> {
        let open = self.run("lpstat", &["-o", &job.printer])?;
        let printer = self.run("lpstat", &["-p", &job.printer])?;
        let queue = parse_printers(&text(&printer.stdout));
        if let Some(p) = queue.first().filter(|p| !p.enabled) {
            return Ok(JobStatus::Failed(p.state.clone()));
        }
        if job_listed(&text(&open.stdout), &job.id) {
            return Ok(JobStatus::Pending);
        }
        let done = self.run("lpstat", &["-W", "completed", "-o", &job.printer])?;
        if job_listed(&text(&done.stdout), &job.id) {
            Ok(JobStatus::Completed)
        } else {
            Ok(JobStatus::Failed(format!(
                "job {} is no longer known to CUPS",
                job.id
            )))
        }
    }

    /// Cancels an unfinished `job`, asking CUPS to purge its files (`cancel -x`): a job stuck
    /// behind an empty paper tray must not print the visitor's data for whoever comes next.
    /// (CUPS removes the document itself when `PreserveJobFiles` is off, as the package sets.)
    pub fn purge(&self, job: &PrintJob) -> Result<(), DocsError> {
        let output = self.run("cancel", &["-x", &job.id])?;
        if output.status.success() {
            Ok(())
        } else {
            Err(DocsError::PrintFailed {
                detail: format!("job {} not purged: {}", job.id, text(&output.stderr).trim()),
            })
        }
    }

    /// Polls until `job` completes; errors if it fails or `timeout` passes.
    pub fn wait(&self, job: &PrintJob, timeout: Duration) -> Result<(), DocsError> {
        let start = Instant::now();
        loop {
            match self.job_status(job)? {
                JobStatus::Completed => return Ok(()),
                JobStatus::Failed(detail) => return Err(DocsError::PrintFailed { detail }),
                JobStatus::Pending if start.elapsed() > timeout => {
                    return Err(DocsError::PrintFailed {
                        detail: format!(
                            "job {} still waiting after {} s",
                            job.id,
                            timeout.as_secs()
                        ),
                    });
                }
                JobStatus::Pending => std::thread::sleep(Duration::from_millis(250)),
            }
        }
    }

    fn require_scheduler(&self) -> Result<(), DocsError> {
        let output = self.run("lpstat", &["-r"])?;
        if text(&output.stdout).contains("scheduler is running") {
            Ok(())
        } else {
            Err(DocsError::CupsUnavailable {
                detail: "scheduler is not running".into(),
            })
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<Output, DocsError> {
        let mut command = Command::new(program);
        command.env("LC_ALL", "C").env("LANG", "C");
        if let Some(server) = &self.server {
            command.arg("-h").arg(server);
        }
        command
            .args(args)
            .output()
            .map_err(|e| DocsError::CupsUnavailable {
                detail: format!("cannot run {program}: {e}"),
            })
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Parses `lpstat -p`: a `printer NAME ...` line per queue, reasons on indented lines.
fn parse_printers(output: &str) -> Vec<Printer> {
    let mut printers: Vec<Printer> = Vec::new();
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("printer ") {
            let mut words = rest.split_whitespace();
            let Some(name) = words.next() else { continue };
            let after = rest[name.len()..].trim();
            let enabled = !after.starts_with("disabled");
            let state = if after.starts_with("disabled") {
                "disabled"
            } else if after.starts_with("now printing") {
                "printing"
            } else {
                "idle"
            };
            printers.push(Printer {
                name: name.to_owned(),
                is_default: false,
                enabled,
                state: state.to_owned(),
            });
        } else if let Some(last) = printers.last_mut() {
            let reason = line.trim();
            if !reason.is_empty()
                && !reason.starts_with("Description:")
                && !reason.starts_with("Alerts:")
            {
                last.state = format!("{}: {reason}", last.state);
            }
        }
    }
    printers
}

/// Parses `lpstat -d`.
fn parse_default(output: &str) -> Option<String> {
    output
        .lines()
        .find_map(|l| l.strip_prefix("system default destination:"))
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
}

/// Parses `request id is NAME-12 (1 file(s))`.
fn parse_request_id(output: &str) -> Option<String> {
    output
        .lines()
        .find_map(|l| l.trim().strip_prefix("request id is "))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
}

fn job_listed(output: &str, id: &str) -> bool {
    output
        .lines()
        .any(|l| l.split_whitespace().next() == Some(id))
}

/// Turns `lp`'s complaint into the error a person can act on.
fn classify_failure(stderr: &str, printer: Option<&str>) -> DocsError {
    let lower = stderr.to_ascii_lowercase();
    if lower.contains("does not exist") || lower.contains("not found") {
        DocsError::PrinterNotFound {
            name: printer.unwrap_or_default().to_owned(),
        }
    } else if lower.contains("no default destination") {
        DocsError::NoPrinter
    } else if lower.contains("scheduler not responding")
        || lower.contains("unable to connect")
        || lower.contains("connection refused")
    {
        DocsError::CupsUnavailable {
            detail: stderr.trim().to_owned(),
        }
    } else {
        DocsError::PrintFailed {
            detail: stderr.trim().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printers_with_states_and_reasons() {
        let out = "printer kiosk-pdf is idle.  enabled since Mon Nov 23 09:16:45 2026\n\
                   printer hall-laser disabled since Mon Nov 23 09:20:00 2026 -\n\
                   \tMedia empty\n\
                   printer thermal now printing thermal-7.  enabled since Mon Nov 23 2026\n";
        let printers = parse_printers(out);
        assert_eq!(printers.len(), 3, "{printers:?}");
        assert!(
            printers[0].enabled && printers[0].state == "idle",
            "{:?}",
            printers[0]
        );
        assert!(!printers[1].enabled, "disabled queue");
        assert_eq!(printers[1].state, "disabled: Media empty", "reason kept");
        assert_eq!(printers[2].state, "printing");
    }

    #[test]
    fn default_destination() {
        assert_eq!(
            parse_default("system default destination: kiosk-pdf\n"),
            Some("kiosk-pdf".into())
        );
        assert_eq!(parse_default("no system default destination\n"), None);
    }

    #[test]
    fn request_id() {
        assert_eq!(
            parse_request_id("request id is kiosk-pdf-12 (1 file(s))\n"),
            Some("kiosk-pdf-12".into())
        );
        assert_eq!(parse_request_id("garbage"), None);
    }

    #[test]
    fn lp_errors_become_actionable_problems() {
        assert!(matches!(
            classify_failure("lp: The printer or class does not exist.", Some("x")),
            DocsError::PrinterNotFound { .. }
        ));
        assert!(matches!(
            classify_failure("lp: Error - no default destination available.", None),
            DocsError::NoPrinter
        ));
        assert!(matches!(
            classify_failure("lp: Error - scheduler not responding.", None),
            DocsError::CupsUnavailable { .. }
        ));
        assert!(matches!(
            classify_failure("lp: something else", None),
            DocsError::PrintFailed { .. }
        ));
    }

    #[test]
    fn unreachable_scheduler_is_reported_not_hidden() {
        let cups = Cups::at("/nonexistent/cups.sock");
        assert!(!cups.is_running(), "no scheduler on a missing socket");
        let err = cups.printers().unwrap_err();
        assert!(matches!(err, DocsError::CupsUnavailable { .. }), "{err:?}");
    }
}
