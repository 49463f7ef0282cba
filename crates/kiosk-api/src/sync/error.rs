//! The sync room's own errors (the engine's are `kiosk_sync::SyncError`): each with its stable
//! code and a Chinese and an English message saying what to do next.

use kiosk_core::UserFacing;

/// What can go wrong in the sync use cases themselves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncApiError {
    /// A second enrolment without the explicit re-enrolment flag.
    #[error("already enrolled")]
    AlreadyEnrolled,
    /// The async runtime for `kioskctl` could not start; the OS's reason.
    #[error("the async runtime did not start: {0}")]
    Runtime(String),
    /// The app's background worker is gone (its task ended).
    #[error("the background sync worker stopped")]
    WorkerStopped,
    /// "Sync now" was answered by a pass that ran no round.
    #[error("no sync round ran")]
    NothingRan,
}

impl kiosk_core::Catalogued for SyncApiError {
    fn samples() -> Vec<Self> {
        vec![
            Self::AlreadyEnrolled,
            Self::Runtime("Too many open files (os error 24)".into()),
            Self::WorkerStopped,
            Self::NothingRan,
        ]
    }
}

impl UserFacing for SyncApiError {
    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyEnrolled => "ALREADY_ENROLLED",
            Self::Runtime(_) => "RUNTIME_FAILED",
            Self::WorkerStopped => "SYNC_WORKER_STOPPED",
            Self::NothingRan => "SYNC_NOTHING_RAN",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::AlreadyEnrolled => "本终端已在平台注册。重新注册会更换平台密钥与终端身份，须由管理员明确选择“重新注册”（kioskctl sync enrol --re-enrol）。".into(),
            Self::Runtime(e) => format!("无法启动后台任务：{e}"),
            Self::WorkerStopped => "后台同步已停止。请重启终端程序。".into(),
            Self::NothingRan => "本轮没有执行同步。".into(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::AlreadyEnrolled => "This kiosk is already enrolled. Re-enrolling replaces the platform key and the kiosk identity; an administrator must ask for it explicitly (kioskctl sync enrol --re-enrol).".into(),
            Self::Runtime(e) => format!("Could not start the async runtime: {e}"),
            Self::WorkerStopped => "The background sync stopped. Restart the kiosk app.".into(),
            Self::NothingRan => "No sync round ran.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiosk_core::Catalogued;

    #[test]
    fn every_code_is_upper_snake_with_both_messages_and_distinct() {
        let samples = SyncApiError::samples();
        let mut codes: Vec<_> = samples.iter().map(UserFacing::code).collect();
        for e in &samples {
            let code = e.code();
            assert!(
                code.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{code}"
            );
            assert!(!e.zh().is_empty() && !e.en().is_empty(), "{code}");
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), samples.len(), "one code per variant");
        assert_eq!(
            SyncApiError::Runtime("x".into()).problem().en,
            "Could not start the async runtime: x"
        );
    }
}
