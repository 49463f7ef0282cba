//! Why an update was refused or failed (codes `UPDATE_*`).

use kiosk_core::{Catalogued, UserFacing};

/// Why an update was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    /// The kiosk has no platform to ask.
    #[error("not enrolled")]
    NotEnrolled,
    /// The offered version is not newer than the running one.
    #[error("downgrade refused: {offered} <= {current}")]
    DowngradeRefused {
        /// The running version.
        current: String,
        /// The offered version.
        offered: String,
    },
    /// The download does not carry a valid signature from the release key.
    #[error("signature invalid: {detail}")]
    SignatureInvalid {
        /// What the verifier said.
        detail: String,
    },
    /// The platform could not be asked or the download broke off.
    #[error("unreachable: {detail}")]
    Unreachable {
        /// What failed.
        detail: String,
    },
    /// The manifest the platform serves cannot be used.
    #[error("manifest invalid: {detail}")]
    ManifestInvalid {
        /// What is wrong with it.
        detail: String,
    },
    /// The package verified but could not be installed.
    #[error("install failed: {detail}")]
    InstallFailed {
        /// What failed.
        detail: String,
    },
    /// No update is waiting to be installed.
    #[error("nothing to install")]
    NotReady,
}

impl UserFacing for UpdateError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotEnrolled => "UPDATE_NOT_ENROLLED",
            Self::DowngradeRefused { .. } => "UPDATE_DOWNGRADE_REFUSED",
            Self::SignatureInvalid { .. } => "UPDATE_SIGNATURE_INVALID",
            Self::Unreachable { .. } => "UPDATE_UNREACHABLE",
            Self::ManifestInvalid { .. } => "UPDATE_MANIFEST_INVALID",
            Self::InstallFailed { .. } => "UPDATE_INSTALL_FAILED",
            Self::NotReady => "UPDATE_NOT_READY",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::NotEnrolled => "终端尚未注册到平台，无法检查更新。请先完成注册。".to_owned(),
            Self::DowngradeRefused { current, offered } => format!(
                "平台发布的版本 {offered} 不比本机版本 {current} 新，已拒绝安装（禁止降级）。请平台管理员发布更高的版本号。"
            ),
            Self::SignatureInvalid { .. } => "更新包的签名校验失败，已拒绝安装：文件可能被篡改，或不是用正式发布密钥签名的。请平台管理员重新上传正式签名的更新包。".to_owned(),
            Self::Unreachable { .. } => {
                "无法从平台获取更新，请检查网络后重试；终端会按计划自动再试。".to_owned()
            }
            Self::ManifestInvalid { .. } => {
                "平台发布的更新清单无法使用，请平台管理员检查更新目录里的 latest.json。".to_owned()
            }
            Self::InstallFailed { .. } => "更新包已通过校验，但安装失败。请运行 kioskctl doctor 查看原因，或按运维手册手动安装。".to_owned(),
            Self::NotReady => "没有已下载并校验的更新可以安装。请先检查更新。".to_owned(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::NotEnrolled => "The kiosk is not enrolled with a platform, so it cannot check for updates. Enrol it first.".to_owned(),
            Self::DowngradeRefused { current, offered } => format!(
                "The platform offers version {offered}, which is not newer than the running {current}: refused (no downgrades). Ask the platform administrator to publish a higher version."
            ),
            Self::SignatureInvalid { detail } => format!(
                "The update's signature did not verify, so it was refused: the file may have been altered or was not signed with the release key. Ask the platform administrator to publish a correctly signed package. ({detail})"
            ),
            Self::Unreachable { detail } => format!(
                "Could not get the update from the platform: {detail}. Check the network and try again."
            ),
            Self::ManifestInvalid { detail } => format!(
                "The platform's update manifest cannot be used: {detail}. Ask the platform administrator to check latest.json."
            ),
            Self::InstallFailed { detail } => format!(
                "The update verified but did not install: {detail}. Run kioskctl doctor or install it by hand as the operations guide says."
            ),
            Self::NotReady => "No downloaded and verified update is waiting. Check for updates first.".to_owned(),
        }
    }
}

impl Catalogued for UpdateError {
    fn samples() -> Vec<Self> {
        let detail = || "<reason>".to_owned();
        vec![
            Self::NotEnrolled,
            Self::DowngradeRefused {
                current: "1.4.0".into(),
                offered: "1.3.2".into(),
            },
            Self::SignatureInvalid { detail: detail() },
            Self::Unreachable { detail: detail() },
            Self::ManifestInvalid { detail: detail() },
            Self::InstallFailed { detail: detail() },
            Self::NotReady,
        ]
    }
}
