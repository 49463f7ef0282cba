//! What can go wrong while talking to the platform, classified by what the engine does next.

use kiosk_core::problem::UserFacing;
use serde::{Deserialize, Serialize};

/// The platform's explanation of a refusal: its JSON error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformReason {
    /// The platform's stable code.
    pub code: String,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// A failed exchange with the platform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Worth retrying later: no connection, timeout, reset, 5xx, a truncated answer.
    #[error("transient: {0}")]
    Transient(String),
    /// The platform asks to slow down (429): worth retrying later; its reason says what was
    /// too frequent (e.g. `SMS_TOO_SOON`), which the wizard shows.
    #[error("throttled by the platform: {} {}", .0.code, .0.en)]
    Throttled(PlatformReason),
    /// The platform refused the request on its content (4xx): retrying will not help.
    #[error("refused by the platform: {} {}", .0.code, .0.en)]
    Refused(PlatformReason),
    /// The platform does not accept this kiosk's signature (not enrolled, revoked, clock).
    #[error("not authorised: {} {}", .0.code, .0.en)]
    Unauthorised(PlatformReason),
    /// The kiosk is not enrolled yet or its credential is unreadable.
    #[error("not enrolled: {0}")]
    NotEnrolled(String),
    /// The local outbox failed.
    #[error("local store: {0}")]
    Store(String),
    /// An answer (or the platform itself) is not trusted: unsigned, forged, replayed, stale,
    /// oversize, the wrong key at enrolment, or an insecure URL. Nothing was acted on.
    #[error("untrusted platform answer: {0}")]
    Untrusted(#[from] crate::trust::TrustError),
}

impl SyncError {
    /// Whether the engine should try again later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Transient(_)
                | Self::Throttled(_)
                | Self::Unauthorised(_)
                | Self::Store(_)
                | Self::Untrusted(_)
        )
    }
}

impl UserFacing for SyncError {
    fn code(&self) -> &'static str {
        match self {
            Self::Transient(_) => "PLATFORM_UNREACHABLE",
            Self::Throttled(_) => "PLATFORM_THROTTLED",
            Self::Refused(_) => "PLATFORM_REFUSED",
            Self::Unauthorised(_) => "PLATFORM_UNAUTHORISED",
            Self::NotEnrolled(_) => "KIOSK_NOT_ENROLLED",
            Self::Store(_) => "SYNC_STORE_FAILED",
            Self::Untrusted(t) => t.code(),
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::Transient(_) => {
                "暂时无法连接平台，申请已安全保存在本机，恢复连接后会自动上传。".into()
            }
            Self::Throttled(r) => format!("平台请求过于频繁，请稍后再试：{}", r.zh),
            Self::Refused(r) => format!("平台退回：{}", r.zh),
            Self::Unauthorised(r) => format!("平台不接受本终端的身份：{}", r.zh),
            Self::NotEnrolled(_) => "本终端尚未在平台注册。请管理员使用注册码完成注册。".into(),
            Self::Store(_) => "读取本机待上传队列失败。请联系管理员检查终端数据库。".into(),
            Self::Untrusted(t) => t.zh(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::Transient(m) => format!(
                "The platform cannot be reached right now ({m}); applications stay safely on this kiosk and upload automatically later."
            ),
            Self::Throttled(r) => {
                format!("The platform asks to slow down; try again later: {}", r.en)
            }
            Self::Refused(r) => format!("The platform refused it: {}", r.en),
            Self::Unauthorised(r) => format!("The platform does not accept this kiosk: {}", r.en),
            Self::NotEnrolled(m) => format!(
                "This kiosk is not enrolled with the platform ({m}). An administrator must enrol it with a code."
            ),
            Self::Store(m) => format!(
                "Reading the local upload queue failed ({m}). Ask an administrator to check the kiosk database."
            ),
            Self::Untrusted(t) => t.en(),
        }
    }
}

impl kiosk_core::Catalogued for SyncError {
    /// The platform's own reason (code and messages) is shown inside the message; the sample
    /// uses a placeholder for it.
    fn samples() -> Vec<Self> {
        use crate::trust::TrustError as T;
        let reason = || PlatformReason {
            code: "<平台代码>".into(),
            zh: "<平台说明>".into(),
            en: "<platform's reason>".into(),
        };
        vec![
            Self::Transient("<原因> / <reason>".into()),
            Self::Throttled(reason()),
            Self::Refused(reason()),
            Self::Unauthorised(reason()),
            Self::NotEnrolled("<原因> / <reason>".into()),
            Self::Store("<原因> / <reason>".into()),
            Self::Untrusted(T::CodeWithoutFingerprint),
            Self::Untrusted(T::KeyMismatch),
            Self::Untrusted(T::Unsigned),
            Self::Untrusted(T::Forged),
            Self::Untrusted(T::Stale { skew_ms: 600_000 }),
            Self::Untrusted(T::TooLarge { limit: 1_048_576 }),
            Self::Untrusted(T::InsecureUrl("http://<平台>".into())),
            Self::Untrusted(T::NoPinnedKey),
            Self::Untrusted(T::PinnedCertInvalid("<原因> / <reason>".into())),
        ]
    }
}
