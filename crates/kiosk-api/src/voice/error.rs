//! Why voice guidance has nothing to say (code `VOICE_STEP_UNKNOWN`).

use kiosk_core::{Catalogued, UserFacing};

/// Why voice guidance has nothing to say.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoiceGuideError {
    /// No guidance exists for this service (application kind).
    #[error("no voice guidance for service {0:?}")]
    ServiceUnknown(String),
    /// No guidance exists for this step.
    #[error("no voice guidance for step {0:?}")]
    StepUnknown(String),
}

impl UserFacing for VoiceGuideError {
    fn code(&self) -> &'static str {
        match self {
            Self::ServiceUnknown(_) | Self::StepUnknown(_) => "VOICE_STEP_UNKNOWN",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::ServiceUnknown(kind) => {
                format!("没有“{kind}”这项业务的语音说明。请阅读屏幕上的文字。")
            }
            Self::StepUnknown(what) => {
                format!("这一步（{what}）没有语音说明。请阅读屏幕上的文字。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::ServiceUnknown(kind) => {
                format!("There is no voice guidance for the service “{kind}”. Read the screen.")
            }
            Self::StepUnknown(what) => {
                format!("This step ({what}) has no voice guidance. Read the screen.")
            }
        }
    }
}

impl Catalogued for VoiceGuideError {
    fn samples() -> Vec<Self> {
        vec![
            Self::ServiceUnknown("<业务 kind>".into()),
            Self::StepUnknown("<步骤 step>".into()),
        ]
    }
}
