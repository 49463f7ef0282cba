//! SANE scanners through Debian's `scanimage` (package `sane-utils`).
//!
//! Listing runs `scanimage -f`; scanning writes PNG to stdout, so nothing touches the disk.
//! `SANE_CONFIG_DIR` can point at a private configuration (tests enable only the `test`
//! backend that way, so CI needs no system configuration).

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use super::process;
use super::{CaptureSource, CapturedImage, SourceInfo, SourceKind};
use crate::error::CaptureError;

/// Largest scan accepted from a device (an A4 colour page at 600 dpi as PNG stays below).
const MAX_SCAN_BYTES: u64 = 200 * 1_000_000;

/// How to reach SANE.
#[derive(Debug, Clone)]
pub struct SaneConfig {
    /// The `scanimage` program.
    pub program: PathBuf,
    /// Value for `SANE_CONFIG_DIR`, when a private configuration is used.
    pub config_dir: Option<PathBuf>,
    /// Time limit for listing devices (network backends can be slow to answer).
    pub list_timeout: Duration,
    /// Time limit for one scan.
    pub scan_timeout: Duration,
}

impl Default for SaneConfig {
    fn default() -> Self {
        Self {
            program: PathBuf::from("scanimage"),
            config_dir: None,
            list_timeout: Duration::from_secs(20),
            scan_timeout: Duration::from_secs(120),
        }
    }
}

impl SaneConfig {
    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        if let Some(dir) = &self.config_dir {
            command.env("SANE_CONFIG_DIR", dir);
        }
        command
    }
}

/// Parses `scanimage -f '%d|%v|%m|%t%n'` output.
fn parse_device_list(text: &str) -> Vec<SourceInfo> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, '|');
            let id = parts.next()?.trim();
            if id.is_empty() {
                return None;
            }
            let label = parts
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            Some(SourceInfo {
                id: id.to_owned(),
                kind: SourceKind::Scanner,
                label,
            })
        })
        .collect()
}

/// Lists the scanners SANE finds. No scanner is not an error (an empty list).
pub fn list_scanners(config: &SaneConfig) -> Result<Vec<SourceInfo>, CaptureError> {
    let mut command = config.command();
    command.args(["-f", "%d|%v|%m|%t%n"]);
    let done = process::run(command, config.list_timeout, 1_000_000)?;
    if !done.success {
        return Err(CaptureError::Device {
            detail: format!("scanimage -f failed: {}", first_line(&done.stderr)),
        });
    }
    Ok(parse_device_list(&String::from_utf8_lossy(&done.stdout)))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

/// One SANE device, scanning to PNG in memory.
#[derive(Debug, Clone)]
pub struct SaneScanner {
    config: SaneConfig,
    device: String,
    label: String,
    /// Scan resolution in dpi.
    pub resolution: u32,
    /// Extra backend options, e.g. `["--test-picture", "Color pattern"]`.
    pub extra_args: Vec<String>,
}

impl SaneScanner {
    /// A scanner for SANE device `device` (from [`list_scanners`]), colour at 300 dpi.
    pub fn new(config: SaneConfig, device: impl Into<String>) -> Self {
        let device = device.into();
        Self {
            config,
            label: device.clone(),
            device,
            resolution: 300,
            extra_args: Vec::new(),
        }
    }

    /// Scans one page and returns it as PNG bytes.
    pub fn scan(&self) -> Result<Vec<u8>, CaptureError> {
        let mut command = self.config.command();
        command
            .arg("-d")
            .arg(&self.device)
            .args(["--format=png", "--mode", "Color", "--resolution"])
            .arg(self.resolution.to_string())
            .args(&self.extra_args);
        let done = process::run(command, self.config.scan_timeout, MAX_SCAN_BYTES)?;
        if !done.success || done.stdout.is_empty() {
            return Err(CaptureError::Device {
                detail: format!(
                    "scan on {} failed: {}",
                    self.device,
                    first_line(&done.stderr)
                ),
            });
        }
        Ok(done.stdout)
    }
}

impl CaptureSource for SaneScanner {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            id: self.device.clone(),
            kind: SourceKind::Scanner,
            label: self.label.clone(),
        }
    }

    fn capture(&mut self) -> Result<Option<CapturedImage>, CaptureError> {
        Ok(Some(CapturedImage {
            bytes: self.scan()?,
            origin: self.device.clone(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_formatted_device_list() {
        let text = "test:0|Noname|frontend-tester|virtual device\nepson2:net:10.0.0.5|Epson|DS-530|sheetfed scanner\n\n";
        let list = parse_device_list(text);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].id, "test:0");
        assert_eq!(list[0].label, "Noname frontend-tester virtual device");
        assert_eq!(list[1].kind, SourceKind::Scanner);
    }
}
