//! The checks of the kiosk's own disk: data directory, key file, key protection and database.

use super::{Check, CheckStatus};
use crate::{Kiosk, db};
use kiosk_store::keys::ProtectionKind;
use std::path::Path;

pub(super) fn check_data_dir(dir: &Path) -> Check {
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
pub(super) fn check_key_protection(config: &kiosk_store::StoreConfig) -> Check {
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

pub(super) fn check_key_file(dir: &Path) -> Check {
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
pub(super) fn unix_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
pub(super) fn unix_mode(_path: &Path) -> Option<u32> {
    None
}

pub(super) fn check_database(kiosk: &Kiosk) -> Check {
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
