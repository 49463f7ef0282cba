//! Why the helper refused or failed: a stable code and a message in Chinese and English.

/// Why a package was not installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong arguments.
    Usage,
    /// A file cannot be read (or is too large).
    Unreadable(String),
    /// No signature (missing or empty file).
    SignatureMissing,
    /// The signature does not verify against the pinned release key.
    SignatureInvalid(String),
    /// The version in the signature is not the package's.
    SignedVersionMismatch {
        /// Version in the signature's trusted comment.
        signed: String,
        /// Version in the package.
        package: String,
    },
    /// The file is not a Debian package.
    NotAPackage(String),
    /// The package is not `tongban`.
    NotTongban(String),
    /// The package is for another architecture.
    WrongArchitecture {
        /// The package's architecture.
        package: String,
        /// This machine's.
        machine: String,
    },
    /// The package is not newer than the installed version.
    NotNewer {
        /// The package's version.
        package: String,
        /// The installed version.
        installed: String,
    },
    /// The pinned key or the package tools are unusable.
    Broken(String),
    /// `dpkg -i` failed.
    InstallFailed(String),
}

impl Refusal {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Usage => "UPDATE_HELPER_USAGE",
            Self::Unreadable(_) => "UPDATE_PACKAGE_UNREADABLE",
            Self::SignatureMissing => "UPDATE_SIGNATURE_MISSING",
            Self::SignatureInvalid(_) => "UPDATE_SIGNATURE_INVALID",
            Self::SignedVersionMismatch { .. } => "UPDATE_SIGNED_VERSION_MISMATCH",
            Self::NotAPackage(_) => "UPDATE_NOT_A_PACKAGE",
            Self::NotTongban(_) => "UPDATE_NOT_TONGBAN",
            Self::WrongArchitecture { .. } => "UPDATE_WRONG_ARCHITECTURE",
            Self::NotNewer { .. } => "UPDATE_NOT_NEWER",
            Self::Broken(_) => "UPDATE_HELPER_BROKEN",
            Self::InstallFailed(_) => "UPDATE_INSTALL_FAILED",
        }
    }

    /// Whether the package itself was refused (exit 2), rather than the helper failing (1).
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Self::Broken(_) | Self::InstallFailed(_) | Self::Unreadable(_)
        )
    }

    /// Message in Chinese, with what to do next.
    pub fn zh(&self) -> String {
        match self {
            Self::Usage => "用法：update-helper <安装包.deb> <安装包.deb.sig>".into(),
            Self::Unreadable(_) => "无法读取更新包。请重新下载更新后重试。".into(),
            Self::SignatureMissing => {
                "更新包没有签名，已拒绝安装。请只使用发布渠道提供的更新。".into()
            }
            Self::SignatureInvalid(_) => {
                "更新包的签名与发布密钥不符（可能被篡改），已拒绝安装。请联系管理员。".into()
            }
            Self::SignedVersionMismatch { signed, package } => format!(
                "签名中的版本 {signed} 与安装包版本 {package} 不一致，已拒绝安装。请联系管理员。"
            ),
            Self::NotAPackage(_) => "下载的文件不是有效的安装包，已拒绝安装。请重新下载。".into(),
            Self::NotTongban(name) => format!("安装包「{name}」不是通办终端软件，已拒绝安装。"),
            Self::WrongArchitecture { package, machine } => format!(
                "安装包适用于 {package}，本机为 {machine}，已拒绝安装。请获取适合本机的更新。"
            ),
            Self::NotNewer { package, installed } => format!(
                "安装包版本 {package} 不高于已安装的 {installed}，已拒绝安装（不允许降级）。"
            ),
            Self::Broken(_) => {
                "更新助手无法工作（发布密钥或系统工具不可用）。请联系管理员重新安装软件包。".into()
            }
            Self::InstallFailed(_) => {
                "安装更新失败，原版本保持不变。请联系管理员查看系统日志。".into()
            }
        }
    }

    /// Message in English, with what to do next.
    pub fn en(&self) -> String {
        match self {
            Self::Usage => "Usage: update-helper <package.deb> <package.deb.sig>".into(),
            Self::Unreadable(detail) => format!("The update cannot be read ({detail}). Download it again and retry."),
            Self::SignatureMissing => {
                "The package has no signature and was refused. Install only updates from the release channel.".into()
            }
            Self::SignatureInvalid(detail) => format!(
                "The package's signature does not match the release key ({detail}); it may have been tampered with and was refused. Call an administrator."
            ),
            Self::SignedVersionMismatch { signed, package } => format!(
                "The signature is for version {signed} but the package is {package}; refused. Call an administrator."
            ),
            Self::NotAPackage(detail) => format!("The file is not a valid package ({detail}); refused. Download it again."),
            Self::NotTongban(name) => format!("The package \"{name}\" is not the Tongban kiosk; refused."),
            Self::WrongArchitecture { package, machine } => format!(
                "The package is for {package} but this machine is {machine}; refused. Get the update for this machine."
            ),
            Self::NotNewer { package, installed } => format!(
                "Version {package} is not newer than the installed {installed}; refused (no downgrades)."
            ),
            Self::Broken(detail) => format!(
                "The update helper cannot work ({detail}). Ask an administrator to reinstall the package."
            ),
            Self::InstallFailed(detail) => format!(
                "Installing the update failed ({detail}); the previous version stays. Ask an administrator to check the system log."
            ),
        }
    }

    /// One line of JSON for the app: `{"code":..,"zh":..,"en":..}`.
    pub fn to_json(&self) -> String {
        serde_json::json!({ "code": self.code(), "zh": self.zh(), "en": self.en() }).to_string()
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code(), self.en())
    }
}

impl std::error::Error for Refusal {}
