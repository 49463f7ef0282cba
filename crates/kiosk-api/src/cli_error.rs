//! The errors of `kioskctl` itself (crates/kiosk-cli): arguments, files it reads or writes,
//! its own output. kioskctl is a binary crate the error catalogue cannot import, so its codes
//! are declared here and kioskctl uses them.

use std::path::PathBuf;

use kiosk_core::{Catalogued, UserFacing};

/// What can go wrong in kioskctl around a kiosk-api call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    /// JSON output could not be written.
    #[error("could not write JSON: {0}")]
    OutputFailed(String),
    /// A subcommand is missing from the permission table.
    #[error("{0:?} is not in the permission table")]
    CommandUnlisted(String),
    /// A file given on the command line cannot be read.
    #[error("cannot read {path}: {reason}")]
    FileUnreadable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// An input file (PDF commands) cannot be read.
    #[error("cannot read input {path}: {reason}")]
    InputUnreadable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// A JSON file is not JSON (line of the first error).
    #[error("{path} is not valid JSON (line {line})")]
    JsonFileInvalid {
        /// The file.
        path: PathBuf,
        /// The line of the first error.
        line: usize,
    },
    /// The application file is not UTF-8 text.
    #[error("the application file is not UTF-8")]
    ApplicationNotUtf8,
    /// The application file is not JSON.
    #[error("the application file is not valid JSON: {0}")]
    ApplicationNotJson(String),
    /// `--attach` is not `slot=file`.
    #[error("--attach takes slot=file, not {0:?}")]
    AttachArgumentInvalid(String),
    /// The online check is not one of the known kinds.
    #[error("unknown check")]
    CheckUnknown,
    /// A voice step needs an argument that was not given.
    #[error("this step needs --{0}")]
    VoiceArgumentMissing(String),
    /// The WAV file cannot be written.
    #[error("cannot write {path}: {reason}")]
    VoiceOutputUnwritable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// `kioskctl sync` without `--once` or `status`.
    #[error("no sync mode")]
    SyncModeMissing,
    /// The pinned CA certificate cannot be read.
    #[error("cannot read the certificate file {path}: {reason}")]
    TlsCaUnreadable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// A print job did not complete in time.
    #[error("print job {job} did not finish within {seconds} s")]
    PrintJobTimeout {
        /// The job's id.
        job: String,
        /// The time waited.
        seconds: u64,
    },
    /// The normalised image cannot be written.
    #[error("could not write the output file: {0}")]
    CaptureOutputUnwritable(String),
    /// The ID-card photo cannot be written.
    #[error("could not write the photo file: {0}")]
    PhotoUnwritable(String),
    /// No supervisor password on standard input.
    #[error("no supervisor password on stdin")]
    SupervisorPasswordMissing,
    /// No password on standard input.
    #[error("no password on stdin")]
    PasswordMissing,
    /// Not a review policy.
    #[error("{0:?} is not a review policy")]
    ReviewPolicyInvalid(String),
}

impl UserFacing for CliError {
    fn code(&self) -> &'static str {
        match self {
            Self::OutputFailed(_) => "OUTPUT_FAILED",
            Self::CommandUnlisted(_) => "CLI_COMMAND_UNLISTED",
            Self::FileUnreadable { .. } => "FILE_UNREADABLE",
            Self::InputUnreadable { .. } => "INPUT_UNREADABLE",
            Self::JsonFileInvalid { .. }
            | Self::ApplicationNotUtf8
            | Self::ApplicationNotJson(_) => "APPLICATION_JSON_INVALID",
            Self::AttachArgumentInvalid(_) => "ATTACH_ARGUMENT_INVALID",
            Self::CheckUnknown => "CHECK_UNKNOWN",
            Self::VoiceArgumentMissing(_) => "VOICE_ARGUMENT_MISSING",
            Self::VoiceOutputUnwritable { .. } => "VOICE_OUTPUT_UNWRITABLE",
            Self::SyncModeMissing => "SYNC_MODE_MISSING",
            Self::TlsCaUnreadable { .. } => "TLS_CA_UNREADABLE",
            Self::PrintJobTimeout { .. } => "PRINT_JOB_TIMEOUT",
            Self::CaptureOutputUnwritable(_) | Self::PhotoUnwritable(_) => "CAPTURE_FILE_ACCESS",
            Self::SupervisorPasswordMissing | Self::PasswordMissing => "PASSWORD_MISSING",
            Self::ReviewPolicyInvalid(_) => "REVIEW_POLICY_INVALID",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::OutputFailed(e) => format!("无法输出 JSON：{e}"),
            Self::CommandUnlisted(path) => {
                format!("「{path}」不在权限表中，不能运行。请报告此问题。")
            }
            Self::FileUnreadable { path, reason } => {
                format!("无法读取文件 {}：{reason}", path.display())
            }
            Self::InputUnreadable { path, reason } => {
                format!("无法读取 {}：{reason}。请检查文件路径。", path.display())
            }
            Self::JsonFileInvalid { path, line } => {
                format!("{} 不是有效的 JSON（第 {line} 行）。", path.display())
            }
            Self::ApplicationNotUtf8 => "申请文件不是 UTF-8 文本。".to_owned(),
            Self::ApplicationNotJson(e) => format!("申请文件不是有效的 JSON：{e}"),
            Self::AttachArgumentInvalid(spec) => {
                format!("--attach 的格式应为 栏位=文件，而不是「{spec}」。")
            }
            Self::CheckUnknown => {
                "检查类型应为 account-name、id-number、uscc 或 mobile。".to_owned()
            }
            Self::VoiceArgumentMissing(what) => format!("这一步需要 --{what}。"),
            Self::VoiceOutputUnwritable { path, reason } => {
                format!("无法写入 {}：{reason}。请检查路径和权限。", path.display())
            }
            Self::SyncModeMissing => {
                "请指定 --once（同步一轮）或 status（查看状态）。后台同步由终端程序自动运行。"
                    .to_owned()
            }
            Self::TlsCaUnreadable { path, reason } => {
                format!(
                    "无法读取证书文件 {}：{reason}。请核对路径。",
                    path.display()
                )
            }
            Self::PrintJobTimeout { job, seconds } => {
                format!("打印任务 {job} 在 {seconds} 秒内未完成。请检查打印机。")
            }
            Self::CaptureOutputUnwritable(e) => format!("无法写入输出文件：{e}"),
            Self::PhotoUnwritable(e) => format!("无法写入照片文件：{e}"),
            Self::SupervisorPasswordMissing => "请在标准输入中提供主管密码（一行）。".to_owned(),
            Self::PasswordMissing => "请在标准输入中提供密码（每行一个）。".to_owned(),
            Self::ReviewPolicyInvalid(text) => {
                format!("审核策略「{text}」无效，可用：off、all、sample:N（N 为 0 到 100）。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::OutputFailed(e) => format!("Could not write JSON: {e}"),
            Self::CommandUnlisted(path) => format!(
                "\"{path}\" is not in the permission table and cannot run. Please report this."
            ),
            Self::FileUnreadable { path, reason } => {
                format!("Cannot read {}: {reason}", path.display())
            }
            Self::InputUnreadable { path, reason } => {
                format!("Cannot read {}: {reason}. Check the path.", path.display())
            }
            Self::JsonFileInvalid { path, line } => {
                format!("{} is not valid JSON (line {line}).", path.display())
            }
            Self::ApplicationNotUtf8 => "The application file is not UTF-8 text.".to_owned(),
            Self::ApplicationNotJson(e) => format!("The application file is not valid JSON: {e}"),
            Self::AttachArgumentInvalid(spec) => {
                format!("--attach takes slot=file, not \"{spec}\".")
            }
            Self::CheckUnknown => {
                "The check is one of account-name, id-number, uscc, mobile.".to_owned()
            }
            Self::VoiceArgumentMissing(what) => format!("This step needs --{what}."),
            Self::VoiceOutputUnwritable { path, reason } => format!(
                "Cannot write {}: {reason}. Check the path and permissions.",
                path.display()
            ),
            Self::SyncModeMissing => {
                "Give --once (one round) or status. Continuous sync runs inside the kiosk app."
                    .to_owned()
            }
            Self::TlsCaUnreadable { path, reason } => format!(
                "Cannot read the certificate file {}: {reason}. Check the path.",
                path.display()
            ),
            Self::PrintJobTimeout { job, seconds } => {
                format!("Print job {job} did not finish within {seconds} s. Check the printer.")
            }
            Self::CaptureOutputUnwritable(e) => format!("Could not write the output file: {e}"),
            Self::PhotoUnwritable(e) => format!("Could not write the photo file: {e}"),
            Self::SupervisorPasswordMissing => {
                "Provide the supervisor's password on standard input (one line).".to_owned()
            }
            Self::PasswordMissing => {
                "Provide the password on standard input (one per line).".to_owned()
            }
            Self::ReviewPolicyInvalid(text) => format!(
                "\"{text}\" is not a review policy; use off, all or sample:N (N from 0 to 100)."
            ),
        }
    }
}

impl Catalogued for CliError {
    fn samples() -> Vec<Self> {
        let path = || PathBuf::from("<路径 path>");
        let reason = || "<原因 reason>".to_owned();
        vec![
            Self::OutputFailed(reason()),
            Self::CommandUnlisted("<子命令 subcommand>".into()),
            Self::FileUnreadable {
                path: path(),
                reason: reason(),
            },
            Self::InputUnreadable {
                path: path(),
                reason: reason(),
            },
            Self::JsonFileInvalid {
                path: path(),
                line: 1,
            },
            Self::ApplicationNotUtf8,
            Self::ApplicationNotJson(reason()),
            Self::AttachArgumentInvalid("<参数 argument>".into()),
            Self::CheckUnknown,
            Self::VoiceArgumentMissing("kind".into()),
            Self::VoiceOutputUnwritable {
                path: path(),
                reason: reason(),
            },
            Self::SyncModeMissing,
            Self::TlsCaUnreadable {
                path: path(),
                reason: reason(),
            },
            Self::PrintJobTimeout {
                job: "<任务 job>".into(),
                seconds: 120,
            },
            Self::CaptureOutputUnwritable(reason()),
            Self::PhotoUnwritable(reason()),
            Self::SupervisorPasswordMissing,
            Self::PasswordMissing,
            Self::ReviewPolicyInvalid("<策略 policy>".into()),
        ]
    }
}
