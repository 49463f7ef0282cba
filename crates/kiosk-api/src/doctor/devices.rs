//! The printer and scanner checks: runs `lpstat` and `scanimage -L` with a timeout and compares
//! what they list with the configured device.

use super::{Check, CheckStatus, Probes};
use crate::{Kiosk, SETTING_PRINTER, SETTING_SCANNER};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Why a probe command gave no answer.
#[derive(Debug)]
pub(super) enum ProbeError {
    Missing,
    TimedOut,
    Failed(String),
}

/// Runs `program args`, killing it after `timeout`; returns its stdout.
pub(super) fn run_with_timeout(
    program: &Path,
    args: &[&str],
    timeout: Duration,
) -> Result<String, ProbeError> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ProbeError::Missing,
            _ => ProbeError::Failed(e.to_string()),
        })?;
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ProbeError::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(ProbeError::Failed(e.to_string())),
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| ProbeError::Failed(e.to_string()))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() || !stdout.trim().is_empty() {
        Ok(stdout)
    } else {
        Err(ProbeError::Failed(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ))
    }
}

pub(super) fn configured(kiosk: &Kiosk, key: &str) -> Option<String> {
    kiosk
        .store()
        .setting(key)
        .ok()
        .flatten()
        .filter(|v| !v.is_empty())
}

pub(super) fn check_printer(kiosk: &Kiosk, probes: &Probes) -> Check {
    let wanted = configured(kiosk, SETTING_PRINTER);
    let listing = run_with_timeout(&probes.lpstat, &["-p", "-d"], probes.command_timeout);
    let printers: Vec<String> = match &listing {
        Ok(text) => text
            .lines()
            .filter_map(|l| l.strip_prefix("printer "))
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_owned)
            .collect(),
        Err(_) => Vec::new(),
    };
    let fix_cups = (
        "安装并启动 CUPS（apt install cups），在 http://localhost:631 添加打印机，然后在终端设置里选择它。",
        "Install and start CUPS (apt install cups), add the printer at http://localhost:631, then choose it in the kiosk settings.",
    );
    match (&listing, wanted) {
        (Err(ProbeError::Missing), _) => Check::bad(
            "printer",
            CheckStatus::Fail,
            (
                "找不到 lpstat：未安装 CUPS。".into(),
                "lpstat not found: CUPS is not installed.".into(),
            ),
            fix_cups,
        ),
        (Err(ProbeError::TimedOut), _) => Check::bad(
            "printer",
            CheckStatus::Fail,
            (
                "lpstat 无响应（超时）。".into(),
                "lpstat did not answer (timed out).".into(),
            ),
            (
                "重启 CUPS：systemctl restart cups。",
                "Restart CUPS: systemctl restart cups.",
            ),
        ),
        (_, Some(name)) if !printers.contains(&name) => Check::bad(
            "printer",
            CheckStatus::Fail,
            (
                format!(
                    "设置的打印机「{name}」不在 CUPS 中（已有：{}）。",
                    printers.join(", ")
                ),
                format!(
                    "The configured printer \"{name}\" is not in CUPS (found: {}).",
                    printers.join(", ")
                ),
            ),
            fix_cups,
        ),
        _ if printers.is_empty() => Check::bad(
            "printer",
            CheckStatus::Fail,
            ("CUPS 中没有打印机。".into(), "CUPS has no printer.".into()),
            fix_cups,
        ),
        _ => Check::ok(
            "printer",
            format!("打印机：{}", printers.join(", ")),
            format!("Printers: {}", printers.join(", ")),
        ),
    }
}

pub(super) fn check_scanner(kiosk: &Kiosk, probes: &Probes) -> Check {
    // A kiosk without a configured scanner may do without one: only warn then.
    let wanted = configured(kiosk, SETTING_SCANNER);
    let status = if wanted.is_some() {
        CheckStatus::Fail
    } else {
        CheckStatus::Warn
    };
    let fix = (
        "检查扫描仪的电源和 USB 线，安装 sane-utils，运行 scanimage -L 确认能看到设备。",
        "Check the scanner's power and USB cable, install sane-utils, and run scanimage -L to see the device.",
    );
    match run_with_timeout(&probes.scanimage, &["-L"], probes.command_timeout) {
        Err(ProbeError::Missing) => Check::bad(
            "scanner",
            status,
            (
                "找不到 scanimage：未安装 SANE。".into(),
                "scanimage not found: SANE is not installed.".into(),
            ),
            fix,
        ),
        Err(ProbeError::TimedOut) => Check::bad(
            "scanner",
            status,
            (
                format!(
                    "scanimage -L 在 {} 秒内没有响应。",
                    probes.command_timeout.as_secs_f32()
                ),
                format!(
                    "scanimage -L did not answer within {} s.",
                    probes.command_timeout.as_secs_f32()
                ),
            ),
            fix,
        ),
        Err(ProbeError::Failed(why)) => Check::bad(
            "scanner",
            status,
            (
                format!("scanimage 失败：{why}"),
                format!("scanimage failed: {why}"),
            ),
            fix,
        ),
        Ok(text) => {
            let devices: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("device `"))
                .filter_map(|l| l.split('\'').next())
                .collect();
            match wanted {
                Some(name) if !devices.contains(&name.as_str()) => Check::bad(
                    "scanner",
                    CheckStatus::Fail,
                    (
                        format!("设置的扫描仪「{name}」未找到。"),
                        format!("The configured scanner \"{name}\" was not found."),
                    ),
                    fix,
                ),
                _ if devices.is_empty() => Check::bad(
                    "scanner",
                    status,
                    ("没有找到扫描仪。".into(), "No scanner was found.".into()),
                    fix,
                ),
                _ => Check::ok(
                    "scanner",
                    format!("扫描仪：{}", devices.join(", ")),
                    format!("Scanners: {}", devices.join(", ")),
                ),
            }
        }
    }
}
