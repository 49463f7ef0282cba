//! What can go wrong while speaking, in words a visitor or an administrator can act on.

use kiosk_core::problem::UserFacing;

use crate::speaker::MAX_TEXT_CHARS;

/// Everything that can go wrong while making speech.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    /// The synthesizer program is not installed.
    #[error("speech synthesizer {program} not found: install espeak-ng")]
    EngineMissing {
        /// The program looked for.
        program: String,
    },
    /// The synthesizer ran but failed.
    #[error("speech synthesizer failed: {detail}")]
    EngineFailed {
        /// What it said (never the spoken text).
        detail: String,
    },
    /// Nothing to say.
    #[error("nothing to speak")]
    Empty,
    /// The text is longer than a prompt may be.
    #[error("text too long to speak ({0} characters)")]
    TooLong(usize),
    /// The synthesizer's output is not a WAV this crate understands.
    #[error("speech output is not a usable WAV: {0}")]
    BadWav(&'static str),
}

impl UserFacing for VoiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::EngineMissing { .. } => "VOICE_ENGINE_MISSING",
            Self::EngineFailed { .. } => "VOICE_ENGINE_FAILED",
            Self::Empty => "VOICE_TEXT_EMPTY",
            Self::TooLong(_) => "VOICE_TEXT_TOO_LONG",
            Self::BadWav(_) => "VOICE_OUTPUT_INVALID",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::EngineMissing { program } => format!(
                "语音播报不可用：未找到语音合成程序 {program}。请工作人员安装 Debian 软件包 espeak-ng；此前请阅读屏幕上的文字。"
            ),
            Self::EngineFailed { .. } | Self::BadWav(_) => {
                "语音播报暂时失败。请再点一次“朗读”，或阅读屏幕上的文字。".to_owned()
            }
            Self::Empty => "没有可朗读的内容。".to_owned(),
            Self::TooLong(_) => {
                format!("要朗读的内容太长（最多 {MAX_TEXT_CHARS} 个字）。请分段朗读。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::EngineMissing { program } => format!(
                "Voice guidance is unavailable: the speech synthesizer {program} was not found. Ask staff to install the Debian package espeak-ng; read the screen meanwhile."
            ),
            Self::EngineFailed { .. } | Self::BadWav(_) => {
                "Voice guidance failed for now. Tap \"Read aloud\" again, or read the screen."
                    .to_owned()
            }
            Self::Empty => "There is nothing to read aloud.".to_owned(),
            Self::TooLong(_) => format!(
                "The text to read is too long (at most {MAX_TEXT_CHARS} characters). Read it in parts."
            ),
        }
    }
}

impl kiosk_core::Catalogued for VoiceError {
    fn samples() -> Vec<Self> {
        vec![
            Self::EngineMissing {
                program: "espeak-ng".into(),
            },
            Self::EngineFailed {
                detail: "<原因> / <reason>".into(),
            },
            Self::Empty,
            Self::TooLong(MAX_TEXT_CHARS + 1),
            Self::BadWav("<原因> / <reason>"),
        ]
    }
}
