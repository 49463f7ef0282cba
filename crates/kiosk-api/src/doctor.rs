//! `kioskctl doctor`: checks what a kiosk needs to work and says, in Chinese and English, what
//! to fix. Each check is a [`Check`] with a status; the report "needs fixing" when any check
//! failed. Warnings (an optional device missing, not enrolled yet) do not fail the report.
//!
//! Checks: data directory, key file, key protection (TPM, machine credential or plain files),
//! database integrity, printer (`lpstat`), scanner
//! (`scanimage -L`, with a timeout), platform reachability, clock skew against the platform's
//! `Date` header, the sync queue, sync health (`sync-health`: has auto-sync stalled while the
//! platform answers?) and every operating limit (`limit-<kind>`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use ts_rs::TS;

use kiosk_store::keys::ProtectionKind;

use crate::limits::{self, LimitKind, LimitState, LimitStatus};
use crate::{Kiosk, SETTING_PRINTER, SETTING_SCANNER, db, sync};

/// Clock skew that fails the check (signatures and receipts use the clock).
pub const SKEW_FAIL: Duration = Duration::from_secs(120);
/// Clock skew that warns.
pub const SKEW_WARN: Duration = Duration::from_secs(30);

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum CheckStatus {
    /// Works.
    Ok,
    /// Works, but something deserves a look.
    Warn,
    /// Needs fixing.
    Fail,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Check {
    /// Stable name: `data-dir`, `key-file`, `key-protection`, `database`, `printer`, `scanner`, `platform`,
    /// `clock`, `sync`, `sync-health`, `limit-days-without-sync`, `limit-unsent-applications`,
    /// `limit-days-without-update-check`, `limit-free-disk-mb`.
    pub id: String,
    /// Outcome.
    pub status: CheckStatus,
    /// What was found, in Chinese.
    pub zh: String,
    /// What was found, in English.
    pub en: String,
    /// What to do, in Chinese (when not ok).
    pub fix_zh: Option<String>,
    /// What to do, in English (when not ok).
    pub fix_en: Option<String>,
}

impl Check {
    fn ok(id: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            status: CheckStatus::Ok,
            zh: zh.into(),
            en: en.into(),
            fix_zh: None,
            fix_en: None,
        }
    }

    fn bad(id: &str, status: CheckStatus, found: (String, String), fix: (&str, &str)) -> Self {
        Self {
            id: id.into(),
            status,
            zh: found.0,
            en: found.1,
            fix_zh: Some(fix.0.into()),
            fix_en: Some(fix.1.into()),
        }
    }
}

/// Every check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DoctorReport {
    /// Whether any check failed.
    pub needs_fixing: bool,
    /// The checks in the order they ran.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// The check named `id`.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// The outside world the checks probe; tests replace the commands and the clock.
#[derive(Debug, Clone)]
pub struct Probes {
    /// The CUPS `lpstat` program.
    pub lpstat: PathBuf,
    /// The SANE `scanimage` program.
    pub scanimage: PathBuf,
    /// Longest wait for `lpstat` and `scanimage` (scanner discovery can hang on USB/network).
    pub command_timeout: Duration,
    /// Longest wait for the platform.
    pub http_timeout: Duration,
    /// The local clock's reading.
    pub now: SystemTime,
}

impl Default for Probes {
    fn default() -> Self {
        Self {
            lpstat: "lpstat".into(),
            scanimage: "scanimage".into(),
            command_timeout: Duration::from_secs(15),
            http_timeout: Duration::from_secs(5),
            now: SystemTime::now(),
        }
    }
}

/// Runs every check on the kiosk in `data_dir`. Never creates the data directory: a missing
/// one fails the first check and the others that need it are skipped.
pub async fn doctor(data_dir: &Path, probes: &Probes) -> DoctorReport {
    let mut checks = vec![check_data_dir(data_dir)];
    if checks[0].status != CheckStatus::Fail {
        checks.push(check_key_file(data_dir));
        checks.push(check_key_protection(
            &kiosk_store::StoreConfig::in_data_dir(data_dir),
        ));
        match blocking(|| Kiosk::open(data_dir)) {
            Ok(kiosk) => {
                checks.extend(blocking(|| {
                    [
                        check_database(&kiosk),
                        check_printer(&kiosk, probes),
                        check_scanner(&kiosk, probes),
                    ]
                }));
                let platform = check_platform(&kiosk, probes).await;
                let reachable = platform
                    .iter()
                    .any(|c| c.id == "platform" && c.status == CheckStatus::Ok);
                checks.extend(platform);
                checks.push(blocking(|| check_sync(&kiosk)));
                checks.extend(blocking(|| {
                    check_operation(&kiosk, reachable, unix_ms(probes.now))
                }));
            }
            Err(problem) => checks.push(Check::bad(
                "database",
                CheckStatus::Fail,
                (problem.zh, problem.en),
                (
                    "检查密钥文件是否与数据库匹配；必要时从备份恢复整个数据目录（含 keys/）。",
                    "Check that the key file belongs to this database; if needed restore the whole data directory (with keys/) from a backup.",
                ),
            )),
        }
    }
    DoctorReport {
        needs_fixing: checks.iter().any(|c| c.status == CheckStatus::Fail),
        checks,
    }
}

/// Runs blocking work (store calls, probe commands) from async code without stalling a
/// multi-thread runtime's worker.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

fn check_data_dir(dir: &Path) -> Check {
    let shown = dir.display();
    if !dir.is_dir() {
        return Check::bad(
            "data-dir",
            CheckStatus::Fail,
            (
                format!("数据目录 {shown} 不存在。"),
                format!("The data directory {shown} does not exist."),
            ),
            (
                "检查 --data-dir / KIOSK_DATA_DIR 是否写错；首次使用请先启动一次终端程序。",
                "Check --data-dir / KIOSK_DATA_DIR for typos; on a new kiosk start the app once first.",
            ),
        );
    }
    let probe = dir.join(".doctor-write-test");
    let writable = std::fs::write(&probe, b"ok").is_ok();
    let _ = std::fs::remove_file(&probe);
    if writable {
        Check::ok(
            "data-dir",
            format!("数据目录 {shown} 可写。"),
            format!("The data directory {shown} is writable."),
        )
    } else {
        Check::bad(
            "data-dir",
            CheckStatus::Fail,
            (
                format!("数据目录 {shown} 不可写。"),
                format!("The data directory {shown} is not writable."),
            ),
            (
                "把数据目录的所有者改为运行终端的用户（chown），并检查磁盘是否已满或只读。",
                "Give the data directory to the user that runs the kiosk (chown) and check the disk is not full or read-only.",
            ),
        )
    }
}

/// Which protection the keys have (`key-protection`): TPM or machine credential is ok, plain
/// files warn (development only), a protection that cannot be used fails.
fn check_key_protection(config: &kiosk_store::StoreConfig) -> Check {
    let settings = &config.protection;
    match config.key_protection() {
        Ok(ProtectionKind::Tpm) => Check::ok(
            "key-protection",
            format!(
                "密钥由本机 TPM 2.0 保护（{}）；复制到其他机器的数据无法读取。",
                settings.tpm_tcti
            ),
            format!(
                "The keys are sealed to this machine's TPM 2.0 ({}); a copied data directory is unreadable elsewhere.",
                settings.tpm_tcti
            ),
        ),
        Ok(ProtectionKind::MachineCredential) => Check::ok(
            "key-protection",
            format!(
                "密钥由机器凭据 {} 加密保护（仅终端服务用户可读）。",
                settings.keywrap_path().display()
            ),
            format!(
                "The keys are encrypted with the machine credential {} (readable only by the kiosk's service user).",
                settings.keywrap_path().display()
            ),
        ),
        Ok(ProtectionKind::Plain) => {
            let available = if settings.tpm_present() {
                ("本机有 TPM，", "This machine has a TPM: ")
            } else if settings.credential_present() {
                (
                    "本机已安装机器凭据，",
                    "The machine credential is installed: ",
                )
            } else {
                ("", "")
            };
            let mut check = Check::bad(
                "key-protection",
                CheckStatus::Warn,
                (
                    "密钥以明文文件保存在数据目录旁（仅供开发使用）：拿到磁盘的人可以读取全部数据。".into(),
                    "The keys are plain files beside the data (development only): whoever gets the disk can read all data.".into(),
                ),
                (
                    if available.0.is_empty() {
                        "安装 tpm2-tools 并启用 TPM，或重新安装软件包以生成机器凭据（/etc/tongban/credentials），然后设置 TONGBAN_KEY_PROTECTION=tpm 或 machine-credential 并重启终端；明文密钥会在启动时转为受保护的形式。"
                    } else {
                        "设置 TONGBAN_KEY_PROTECTION=tpm（有 TPM 时）或 machine-credential 并重启终端；明文密钥会在启动时转为受保护的形式并删除明文文件。"
                    },
                    if available.1.is_empty() {
                        "Install tpm2-tools and enable the TPM, or reinstall the package to create the machine credential (/etc/tongban/credentials); then set TONGBAN_KEY_PROTECTION=tpm or machine-credential and restart the kiosk. Plain keys are converted at start."
                    } else {
                        "Set TONGBAN_KEY_PROTECTION=tpm (with a TPM) or machine-credential and restart the kiosk; plain keys are converted at start and the plain files removed."
                    },
                ),
            );
            check.fix_zh = check.fix_zh.map(|fix| format!("{}{fix}", available.0));
            check.fix_en = check.fix_en.map(|fix| format!("{}{fix}", available.1));
            check
        }
        Err(e) => {
            let problem = kiosk_core::Problem::from(e);
            Check::bad(
                "key-protection",
                CheckStatus::Fail,
                (problem.zh, problem.en),
                (
                    "检查 TONGBAN_KEY_PROTECTION 的取值，以及 TPM（tpm2-tools）或机器凭据是否可用。",
                    "Check the value of TONGBAN_KEY_PROTECTION and that the TPM (tpm2-tools) or the machine credential is available.",
                ),
            )
        }
    }
}

fn check_key_file(dir: &Path) -> Check {
    let config = kiosk_store::StoreConfig::in_data_dir(dir);
    if let Some(kind) = config
        .vault()
        .protection_in_use(&[kiosk_store::config::KEY_FILE])
        .filter(|k| *k != ProtectionKind::Plain)
    {
        // The key is wrapped; whether this machine can unwrap it shows in `database`.
        let file = config
            .key_dir
            .join(kind.file_name(kiosk_store::config::KEY_FILE));
        return Check::ok(
            "key-file",
            format!(
                "数据库密钥 {} 受 {} 保护，磁盘上没有明文密钥。",
                file.display(),
                kind.as_str()
            ),
            format!(
                "The database key {} is protected by {}; no plaintext key is on disk.",
                file.display(),
                kind.as_str()
            ),
        );
    }
    let key = config.key_path();
    let shown = key.display();
    let database_exists = config.database_path().exists();
    let Ok(text) = std::fs::read_to_string(&key) else {
        let status = if database_exists {
            CheckStatus::Fail
        } else {
            CheckStatus::Warn
        };
        return Check::bad(
            "key-file",
            status,
            (
                format!("找不到数据库密钥文件 {shown}。"),
                format!("The database key file {shown} is missing."),
            ),
            (
                "从备份恢复 keys/ 目录（与 db/ 来自同一次备份）；没有密钥就无法读取已有数据。",
                "Restore the keys/ folder from the same backup as db/; without the key the existing data cannot be read.",
            ),
        );
    };
    let well_formed = text.trim().len() == 64 && text.trim().bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        return Check::bad(
            "key-file",
            CheckStatus::Fail,
            (
                format!("密钥文件 {shown} 内容损坏。"),
                format!("The key file {shown} is damaged."),
            ),
            (
                "从备份恢复 keys/store.key。",
                "Restore keys/store.key from a backup.",
            ),
        );
    }
    if let Some(mode) = unix_mode(&key)
        && mode & 0o077 != 0
    {
        return Check::bad(
            "key-file",
            CheckStatus::Fail,
            (
                format!("密钥文件 {shown} 的权限为 {mode:o}，其他用户可读。"),
                format!("The key file {shown} has mode {mode:o}: other users can read it."),
            ),
            (
                "执行 chmod 600 <数据目录>/keys/*。",
                "Run chmod 600 <data dir>/keys/*.",
            ),
        );
    }
    Check::ok(
        "key-file",
        format!("密钥文件 {shown} 完好且仅本用户可读。"),
        format!("The key file {shown} is intact and private."),
    )
}

#[cfg(unix)]
fn unix_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn unix_mode(_path: &Path) -> Option<u32> {
    None
}

fn check_database(kiosk: &Kiosk) -> Check {
    match db::check(kiosk) {
        Ok(report) if report.ok => Check::ok(
            "database",
            format!("数据库完整（结构版本 {}）。", report.schema_version),
            format!("The database is intact (schema {}).", report.schema_version),
        ),
        Ok(report) => Check::bad(
            "database",
            CheckStatus::Fail,
            (
                format!("数据库检查发现问题：{}", report.problems.join("; ")),
                format!(
                    "The database check found problems: {}",
                    report.problems.join("; ")
                ),
            ),
            (
                "停止终端，备份数据目录，然后联系技术支持并附上 kioskctl support-bundle 生成的文件。",
                "Stop the kiosk, back up the data directory, then contact support with a kioskctl support-bundle file.",
            ),
        ),
        Err(problem) => Check::bad(
            "database",
            CheckStatus::Fail,
            (problem.zh, problem.en),
            (
                "运行 kioskctl db check 查看详情。",
                "Run kioskctl db check for details.",
            ),
        ),
    }
}

/// Why a probe command gave no answer.
#[derive(Debug)]
enum ProbeError {
    Missing,
    TimedOut,
    Failed(String),
}

/// Runs `program args`, killing it after `timeout`; returns its stdout.
fn run_with_timeout(
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

fn configured(kiosk: &Kiosk, key: &str) -> Option<String> {
    kiosk
        .store()
        .setting(key)
        .ok()
        .flatten()
        .filter(|v| !v.is_empty())
}

fn check_printer(kiosk: &Kiosk, probes: &Probes) -> Check {
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

fn check_scanner(kiosk: &Kiosk, probes: &Probes) -> Check {
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

/// Platform reachability and clock skew (two checks).
async fn check_platform(kiosk: &Kiosk, probes: &Probes) -> Vec<Check> {
    let Some(url) = blocking(|| sync::sync_status(kiosk))
        .ok()
        .and_then(|s| s.platform_url)
    else {
        let fix = (
            "向平台管理员索取注册码，执行 kioskctl enrol --platform URL --code 注册码。",
            "Ask the platform administrator for a code and run kioskctl enrol --platform URL --code CODE.",
        );
        let not_enrolled = || {
            (
                "终端尚未注册到平台。".to_owned(),
                "The kiosk is not enrolled with a platform.".to_owned(),
            )
        };
        return vec![
            Check::bad("platform", CheckStatus::Warn, not_enrolled(), fix),
            Check::bad(
                "clock",
                CheckStatus::Warn,
                (
                    "未注册，无法与平台对时。".into(),
                    "Not enrolled: the clock cannot be compared with the platform.".into(),
                ),
                fix,
            ),
        ];
    };
    let health = format!("{}/api/v1/health", url.trim_end_matches('/'));
    // reqwest is built without a default TLS provider (as in kiosk-sync): ring, once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = async {
        let client = reqwest::Client::builder()
            .timeout(probes.http_timeout)
            .build()?;
        client.get(&health).send().await?.error_for_status()
    }
    .await;
    let response = match answer {
        Ok(response) => response,
        Err(error) => {
            let fix = (
                "检查网线和网络设置；在终端上用浏览器打开平台地址；确认 platformd 正在运行。",
                "Check the cable and network settings; open the platform URL in a browser on the kiosk; make sure platformd is running.",
            );
            return vec![
                Check::bad(
                    "platform",
                    CheckStatus::Fail,
                    (
                        format!("无法连接平台 {url}：{error}"),
                        format!("Cannot reach the platform at {url}: {error}"),
                    ),
                    fix,
                ),
                Check::bad(
                    "clock",
                    CheckStatus::Warn,
                    (
                        "平台不可达，无法对时。".into(),
                        "The platform is unreachable: the clock cannot be compared.".into(),
                    ),
                    fix,
                ),
            ];
        }
    };
    let platform = Check::ok(
        "platform",
        format!("平台 {url} 可访问。"),
        format!("The platform at {url} answers."),
    );
    let date = response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let clock = match date {
        None => Check::bad(
            "clock",
            CheckStatus::Warn,
            (
                "平台的回应没有 Date 时间头。".into(),
                "The platform's answer has no Date header.".into(),
            ),
            ("升级平台软件。", "Upgrade the platform software."),
        ),
        Some(theirs) => clock_check(probes.now, theirs),
    };
    vec![platform, clock]
}

/// Compares the local clock with the platform's (whole seconds: the Date header has no more).
pub fn clock_check(ours: SystemTime, theirs: SystemTime) -> Check {
    let (skew, ahead) = match ours.duration_since(theirs) {
        Ok(d) => (d, true),
        Err(e) => (e.duration(), false),
    };
    let secs = skew.as_secs();
    let (zh_dir, en_dir) = if ahead {
        ("快", "ahead of")
    } else {
        ("慢", "behind")
    };
    let found = (
        format!("本机时钟比平台{zh_dir} {secs} 秒。"),
        format!("The kiosk's clock is {secs} s {en_dir} the platform's."),
    );
    let fix = (
        "开启时间同步（timedatectl set-ntp true），或让平台服务器作为 NTP 源；时区应为 Asia/Shanghai。",
        "Turn on time synchronisation (timedatectl set-ntp true) or use the platform server as NTP source; the time zone should be Asia/Shanghai.",
    );
    if skew >= SKEW_FAIL {
        Check::bad("clock", CheckStatus::Fail, found, fix)
    } else if skew >= SKEW_WARN {
        Check::bad("clock", CheckStatus::Warn, found, fix)
    } else {
        Check::ok("clock", found.0, found.1)
    }
}

fn check_sync(kiosk: &Kiosk) -> Check {
    // The ops helper's `limits::sync_health` (oldest unsent age, last error) joins here at merge.
    match sync::sync_status(kiosk) {
        Ok(status) if !status.enrolled && status.sealed_locally > 0 => Check::bad(
            "sync",
            CheckStatus::Warn,
            (
                format!("{} 份申请等待注册后上传。", status.sealed_locally),
                format!(
                    "{} application(s) wait for enrolment to be uploaded.",
                    status.sealed_locally
                ),
            ),
            (
                "注册终端（kioskctl enrol）。",
                "Enrol the kiosk (kioskctl enrol).",
            ),
        ),
        Ok(status) => Check::ok(
            "sync",
            format!(
                "待上传 {} 份，其中 {} 份已到重试时间；已送达 {} 份。",
                status.waiting, status.due_now, status.delivered
            ),
            format!(
                "{} waiting for upload ({} due now); {} delivered.",
                status.waiting, status.due_now, status.delivered
            ),
        ),
        Err(problem) => Check::bad(
            "sync",
            CheckStatus::Fail,
            (problem.zh, problem.en),
            (
                "运行 kioskctl sync status 查看详情。",
                "Run kioskctl sync status for details.",
            ),
        ),
    }
}

fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Sync health and each operating limit, measured at `now` (Unix ms); `reachable` is what the
/// platform check found (the sync worker's own idea of the network may be stale).
fn check_operation(kiosk: &Kiosk, reachable: bool, now: i64) -> Vec<Check> {
    let (settings, mut inputs) = match measure(kiosk, now) {
        Ok(measured) => measured,
        Err(problem) => {
            return vec![Check::bad(
                "limits",
                CheckStatus::Fail,
                (problem.zh, problem.en),
                (
                    "运行 kioskctl db check 检查数据库。",
                    "Run kioskctl db check to check the database.",
                ),
            )];
        }
    };
    inputs.online = reachable;
    let report = limits::evaluate(&settings, &inputs, now);
    let mut checks = vec![sync_health_check(&report.sync_health, reachable)];
    checks.extend(report.limits.iter().map(limit_check));
    checks
}

fn measure(
    kiosk: &Kiosk,
    now: i64,
) -> Result<(limits::LimitSettings, limits::LimitInputs), kiosk_core::Problem> {
    Ok((limits::settings(kiosk)?, limits::inputs(kiosk, now)?))
}

fn when(at: Option<i64>, minutes: Option<i64>) -> (String, String) {
    match (at, minutes) {
        (Some(_), Some(m)) => (format!("{m} 分钟前"), format!("{m} min ago")),
        _ => ("从未".into(), "never".into()),
    }
}

fn sync_health_check(h: &limits::SyncHealth, reachable: bool) -> Check {
    let (ago_zh, ago_en) = when(h.last_success_at, h.minutes_since_success);
    let (err_zh, err_en) = h.last_error.as_deref().map_or_else(
        || ("无".to_owned(), "none".to_owned()),
        |e| (e.to_owned(), e.to_owned()),
    );
    let found = (
        format!(
            "上次成功同步：{ago_zh}；最近错误：{err_zh}；待上传 {} 份；平台{}。",
            h.unsent,
            if reachable {
                "可访问"
            } else {
                "不可访问"
            }
        ),
        format!(
            "Last successful sync: {ago_en}; last error: {err_en}; {} waiting; the platform is {}.",
            h.unsent,
            if reachable {
                "reachable"
            } else {
                "unreachable"
            }
        ),
    );
    if h.state == LimitState::Ok {
        return Check::ok("sync-health", found.0, found.1);
    }
    let threshold = h.threshold_minutes;
    Check::bad(
        "sync-health",
        CheckStatus::Warn,
        (
            format!(
                "平台可访问，但自动同步已超过 {threshold} 分钟没有成功。{}",
                found.0
            ),
            format!(
                "The platform answers, but automatic sync has not succeeded for more than {threshold} minutes. {}",
                found.1
            ),
        ),
        (
            "在首页点“立即同步”或运行 kioskctl sync --once，看最近错误；仍失败请把 kioskctl support-bundle 生成的支持包交给管理员。",
            "Press \"Sync now\" on the home screen or run kioskctl sync --once and read the last error; if it still fails, give an administrator the bundle from kioskctl support-bundle.",
        ),
    )
}

fn limit_check(l: &LimitStatus) -> Check {
    let (id, fix): (&str, (&str, &str)) = match l.kind {
        LimitKind::DaysWithoutSync => (
            "limit-days-without-sync",
            (
                "恢复网络后运行 kioskctl sync --once；断网时用 kioskctl export --to 移动介质 导出，交平台导入。",
                "Restore the network and run kioskctl sync --once; while offline, kioskctl export --to <removable medium> and have the platform import it.",
            ),
        ),
        LimitKind::UnsentApplications => (
            "limit-unsent-applications",
            (
                "同步或导出未送达的申请，并请主管处理待审核的申请（kioskctl review list）。",
                "Sync or export the undelivered applications, and have a supervisor finish pending reviews (kioskctl review list).",
            ),
        ),
        LimitKind::DaysWithoutUpdateCheck => (
            "limit-days-without-update-check",
            (
                "联网后在设置里检查更新，或联系管理员。",
                "Go online and check for updates in the settings, or call an administrator.",
            ),
        ),
        LimitKind::FreeDiskMb => (
            "limit-free-disk-mb",
            (
                "同步让平台确认后运行 kioskctl purge 清理已确认的申请；仍不足请清理磁盘或加大磁盘。",
                "Sync so the platform confirms, then run kioskctl purge to clear confirmed applications; if still low, free or enlarge the disk.",
            ),
        ),
    };
    let status = match l.state {
        LimitState::Ok => return Check::ok(id, l.zh.clone(), l.en.clone()),
        LimitState::Warning => CheckStatus::Warn,
        // New applications are refused: the kiosk is out of service for new work.
        LimitState::Reached => CheckStatus::Fail,
    };
    Check::bad(id, status, (l.zh.clone(), l.en.clone()), fix)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path
    }

    fn probes(dir: &Path) -> Probes {
        Probes {
            lpstat: script(
                dir,
                "lpstat",
                "echo 'printer HP_Receipt is idle.  enabled since x'\necho 'system default destination: HP_Receipt'",
            ),
            scanimage: script(
                dir,
                "scanimage",
                "echo \"device \\`genesys:libusb:001:004' is a Canon LiDE scanner\"",
            ),
            command_timeout: Duration::from_secs(5),
            http_timeout: Duration::from_secs(2),
            now: SystemTime::now(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn healthy_unenrolled_kiosk_passes_with_warnings_only() {
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        drop(Kiosk::open(dir.path()).unwrap());
        let report = doctor(dir.path(), &probes(tools.path())).await;
        assert!(!report.needs_fixing, "{report:#?}");
        for id in [
            "data-dir", "key-file", "database", "printer", "scanner", "sync",
        ] {
            assert_eq!(
                report.check(id).unwrap().status,
                CheckStatus::Ok,
                "{id}: {report:#?}"
            );
        }
        assert_eq!(report.check("printer").unwrap().en, "Printers: HP_Receipt");
        assert_eq!(
            report.check("platform").unwrap().status,
            CheckStatus::Warn,
            "not enrolled"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn missing_data_dir_fails_without_creating_it() {
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("typo");
        let report = doctor(&missing, &probes(tools.path())).await;
        assert!(report.needs_fixing);
        assert_eq!(report.checks.len(), 1, "nothing else runs: {report:#?}");
        assert!(
            !missing.exists(),
            "doctor must not create the data directory"
        );
        assert!(report.checks[0].fix_zh.is_some() && report.checks[0].fix_en.is_some());
    }

    #[test]
    fn key_protection_is_named_and_plain_files_warn() {
        use kiosk_store::keys::{KEYWRAP_FILE, ProtectionSettings};
        let dir = tempfile::tempdir().unwrap();
        let mut config = kiosk_store::StoreConfig::in_data_dir(dir.path());
        config.protection = ProtectionSettings::fixed(ProtectionKind::Plain);
        let plain = check_key_protection(&config);
        assert_eq!(plain.status, CheckStatus::Warn, "{plain:?}");
        assert!(
            plain.en.contains("plain files")
                && plain.fix_en.unwrap().contains("TONGBAN_KEY_PROTECTION")
        );

        let creds = dir.path().join("creds");
        std::fs::create_dir_all(&creds).unwrap();
        std::fs::write(creds.join(KEYWRAP_FILE), "ab".repeat(32)).unwrap();
        config.protection = ProtectionSettings {
            credentials_dir: creds,
            ..ProtectionSettings::fixed(ProtectionKind::MachineCredential)
        };
        let sealed = check_key_protection(&config);
        assert_eq!(sealed.status, CheckStatus::Ok, "{sealed:?}");
        assert!(sealed.en.contains("machine credential"), "{sealed:?}");

        config.protection.choice = Err("rot13".into());
        let bad = check_key_protection(&config);
        assert_eq!(bad.status, CheckStatus::Fail, "{bad:?}");
        assert!(bad.en.contains("rot13"), "{bad:?}");
    }

    #[cfg(unix)]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn key_readable_by_others_and_hanging_scanner_are_reported() {
        use std::os::unix::fs::PermissionsExt;
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        drop(Kiosk::open(dir.path()).unwrap());
        let key = kiosk_store::StoreConfig::in_data_dir(dir.path()).key_path();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut probes = probes(tools.path());
        probes.scanimage = script(tools.path(), "slow-scanimage", "sleep 5");
        probes.command_timeout = Duration::from_millis(300);
        probes.lpstat = tools.path().join("no-such-lpstat");
        let started = std::time::Instant::now();
        let report = doctor(dir.path(), &probes).await;
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "the scanner probe was not cut off"
        );
        assert!(report.needs_fixing);
        let key_check = report.check("key-file").unwrap();
        assert_eq!(key_check.status, CheckStatus::Fail, "{key_check:?}");
        assert!(key_check.fix_en.as_deref().unwrap().contains("chmod 600"));
        let scanner = report.check("scanner").unwrap();
        assert_eq!(
            scanner.status,
            CheckStatus::Warn,
            "no scanner configured: {scanner:?}"
        );
        assert!(scanner.en.contains("did not answer"), "{scanner:?}");
        assert_eq!(
            report.check("printer").unwrap().status,
            CheckStatus::Fail,
            "no CUPS"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn enrolled_kiosk_reaches_the_platform_and_compares_clocks() {
        let platform = kiosk_testkit::platformd::Loopback::start().await;
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        {
            let kiosk = Kiosk::open(dir.path()).unwrap();
            let code = platform.enrolment_code("doctor");
            sync::enrol(&kiosk, &platform.url(), &code, false)
                .await
                .unwrap();
        }
        let report = doctor(dir.path(), &probes(tools.path())).await;
        assert_eq!(
            report.check("platform").unwrap().status,
            CheckStatus::Ok,
            "{report:#?}"
        );
        assert_eq!(
            report.check("clock").unwrap().status,
            CheckStatus::Ok,
            "{report:#?}"
        );

        let mut skewed = probes(tools.path());
        skewed.now = SystemTime::now() + Duration::from_secs(600);
        let report = doctor(dir.path(), &skewed).await;
        let clock = report.check("clock").unwrap();
        assert_eq!(clock.status, CheckStatus::Fail, "{clock:?}");
        assert!(clock.en.contains("ahead of"), "{clock:?}");
        assert!(report.needs_fixing);

        // Something waits, the platform answers, but no sync succeeded for two hours.
        tokio::task::block_in_place(|| {
            let kiosk = Kiosk::open(dir.path()).unwrap();
            queue_one(&kiosk, unix_ms(SystemTime::now()) - 3 * 60 * 60 * 1000);
            let store = kiosk.store();
            let two_hours_ago = unix_ms(SystemTime::now()) - 2 * 60 * 60 * 1000;
            store
                .set_setting(sync::SETTING_LAST_SUCCESS_AT, &two_hours_ago.to_string())
                .unwrap();
            store
                .set_setting(sync::SETTING_LAST_ERROR, "HTTP 503 from the platform")
                .unwrap();
        });
        let report = doctor(dir.path(), &probes(tools.path())).await;
        let health = report.check("sync-health").unwrap();
        assert_eq!(health.status, CheckStatus::Warn, "{health:?}");
        assert!(
            health.en.contains("more than 60 minutes")
                && health.en.contains("120 min ago")
                && health.en.contains("HTTP 503 from the platform"),
            "last success, last error and the threshold: {health:?}"
        );
        assert!(health.fix_en.as_deref().unwrap().contains("Sync now"));

        platform.stop().await;
        let report = doctor(dir.path(), &probes(tools.path())).await;
        assert_eq!(
            report.check("platform").unwrap().status,
            CheckStatus::Fail,
            "platform stopped"
        );
        let health = report.check("sync-health").unwrap();
        assert_eq!(
            health.status,
            CheckStatus::Ok,
            "an unreachable platform is the platform check's finding, not a stalled sync: {health:?}"
        );
        assert!(health.en.contains("unreachable"), "{health:?}");
    }

    fn queue_one(kiosk: &Kiosk, at: i64) {
        kiosk
            .store()
            .enqueue(
                kiosk_store::queue::NewApplication {
                    id: uuid::Uuid::now_v7(),
                    kind: "person".into(),
                    profile: "tianjin".into(),
                    summary: serde_json::json!({}),
                    payload: b"{}".to_vec(),
                    attachments: vec![],
                    actor: "clerk".into(),
                    replaces_draft: None,
                },
                at,
            )
            .unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_operating_limit_is_reported_with_what_to_fix() {
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        tokio::task::block_in_place(|| {
            let kiosk = Kiosk::open(dir.path()).unwrap();
            let now = unix_ms(SystemTime::now());
            kiosk
                .store()
                .set_setting(limits::SETTING_MAX_UNSENT, "1")
                .unwrap();
            kiosk
                .store()
                .set_setting(limits::SETTING_LAST_UPDATE_CHECK, &now.to_string())
                .unwrap();
            queue_one(&kiosk, now);
        });
        let report = doctor(dir.path(), &probes(tools.path())).await;
        let unsent = report.check("limit-unsent-applications").unwrap();
        assert_eq!(
            unsent.status,
            CheckStatus::Fail,
            "1 of 1 unsent: new work is refused: {unsent:?}"
        );
        assert!(unsent.en.contains("limit 1"), "{unsent:?}");
        assert!(unsent.fix_en.as_deref().unwrap().contains("review"));
        assert!(report.needs_fixing, "a reached limit needs fixing");
        for id in [
            "limit-days-without-sync",
            "limit-days-without-update-check",
            "limit-free-disk-mb",
        ] {
            let check = report.check(id).unwrap();
            assert_eq!(check.status, CheckStatus::Ok, "{check:?}");
        }
        assert_eq!(
            report.check("sync-health").unwrap().status,
            CheckStatus::Ok,
            "not enrolled: nothing to say about sync health"
        );
    }

    #[test]
    fn clock_skew_thresholds() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            clock_check(t + Duration::from_secs(5), t).status,
            CheckStatus::Ok
        );
        assert_eq!(
            clock_check(t, t + Duration::from_secs(45)).status,
            CheckStatus::Warn
        );
        assert_eq!(
            clock_check(t, t + Duration::from_secs(300)).status,
            CheckStatus::Fail
        );
        assert!(
            clock_check(t, t + Duration::from_secs(300))
                .en
                .contains("behind")
        );
    }
}
