//! Why new work is refused (code `LIMIT_REACHED`).

use kiosk_core::{Catalogued, UserFacing};

/// Why new work is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// One or more operating limits are reached; each line says which (Chinese, English).
    #[error("operating limit reached")]
    Reached {
        /// The reached limits' Chinese messages.
        zh: Vec<String>,
        /// The reached limits' English messages.
        en: Vec<String>,
    },
}

impl UserFacing for LimitError {
    fn code(&self) -> &'static str {
        match self {
            Self::Reached { .. } => "LIMIT_REACHED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::Reached { zh, .. } => format!(
                "本机已达到运行限制，暂停受理新申请（已受理的申请会继续上传，不会删除）。\n{}",
                zh.join("\n")
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::Reached { en, .. } => format!(
                "This kiosk reached an operating limit and takes no new applications for now (queued ones keep uploading; nothing is deleted).\n{}",
                en.join("\n")
            ),
        }
    }
}

impl Catalogued for LimitError {
    fn samples() -> Vec<Self> {
        vec![Self::Reached {
            zh: vec!["<每个限制一行>".into()],
            en: vec!["<one limit per line>".into()],
        }]
    }
}
