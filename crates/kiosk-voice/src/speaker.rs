//! Runs espeak-ng: text in on standard input, a WAV out on standard output.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{VoiceError, Wav, reading};

/// The synthesizer run when [`PROGRAM_ENV`] does not name another (Debian `espeak-ng`).
pub const DEFAULT_PROGRAM: &str = "espeak-ng";
/// Environment variable naming the espeak-ng program to run instead of the one on `PATH`.
pub const PROGRAM_ENV: &str = "KIOSK_VOICE_ESPEAK";
/// The longest text one request may speak (a step's prompt is far shorter).
pub const MAX_TEXT_CHARS: usize = 600;

/// The language a prompt is spoken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Language {
    /// Mandarin (espeak-ng voice `cmn-latn-pinyin`).
    Mandarin,
    /// English (espeak-ng voice `en-us`), for visitors who switched the screens to English.
    English,
}

impl Language {
    fn voice(self) -> &'static str {
        match self {
            Self::Mandarin => "cmn-latn-pinyin",
            Self::English => "en-us",
        }
    }
}

/// The speech synthesizer of one kiosk process.
#[derive(Debug, Clone)]
pub struct Speaker {
    program: PathBuf,
}

impl Speaker {
    /// espeak-ng from [`PROGRAM_ENV`], else from `PATH`.
    pub fn from_env() -> Self {
        let program = std::env::var_os(PROGRAM_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_PROGRAM));
        Self::with_program(program)
    }

    /// The espeak-ng at `program`.
    pub fn with_program(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
        }
    }

    /// Speaks `text` in `language`, `words_per_minute` fast (espeak's `-s`, clamped to
    /// 80-260), into a WAV.
    pub fn speak(
        &self,
        text: &str,
        language: Language,
        words_per_minute: u32,
    ) -> Result<Wav, VoiceError> {
        let count = text.chars().count();
        if count > MAX_TEXT_CHARS {
            return Err(VoiceError::TooLong(count));
        }
        let input = match language {
            Language::Mandarin => reading::for_espeak(text),
            Language::English => text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        };
        if input.trim().is_empty() {
            return Err(VoiceError::Empty);
        }
        let mut child = Command::new(&self.program)
            .args(["-v", language.voice(), "-s"])
            .arg(words_per_minute.clamp(80, 260).to_string())
            .args(["--stdin", "--stdout"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                    VoiceError::EngineMissing {
                        program: self.program.display().to_string(),
                    }
                }
                _ => VoiceError::EngineFailed {
                    detail: e.to_string(),
                },
            })?;
        let failed = |e: std::io::Error| VoiceError::EngineFailed {
            detail: e.to_string(),
        };
        // The text is small (≤ 600 characters), far below a pipe's buffer: writing it whole
        // before reading cannot block.
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input.as_bytes()).map_err(failed)?;
            stdin.write_all(b"\n").map_err(failed)?;
        }
        let mut wav = Vec::new();
        if let Some(mut stdout) = child.stdout.take() {
            stdout.read_to_end(&mut wav).map_err(failed)?;
        }
        let mut errors = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = stderr.read_to_string(&mut errors);
        }
        let status = child.wait().map_err(failed)?;
        if !status.success() {
            return Err(VoiceError::EngineFailed {
                detail: format!("{status}: {}", errors.trim()),
            });
        }
        Wav::parse(wav)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_program_says_which_package_to_install() {
        let speaker = Speaker::with_program("/nonexistent/espeak-ng");
        let error = speaker.speak("你好", Language::Mandarin, 150).unwrap_err();
        assert!(matches!(error, VoiceError::EngineMissing { .. }));
        use kiosk_core::problem::UserFacing;
        assert_eq!(error.code(), "VOICE_ENGINE_MISSING");
        assert!(error.zh().contains("espeak-ng"));
    }

    #[test]
    fn too_long_and_empty_texts_are_refused_before_running_anything() {
        let speaker = Speaker::with_program("/nonexistent/espeak-ng");
        let long = "好".repeat(MAX_TEXT_CHARS + 1);
        assert!(matches!(
            speaker.speak(&long, Language::Mandarin, 150),
            Err(VoiceError::TooLong(_))
        ));
        assert!(matches!(
            speaker.speak(" *** ", Language::Mandarin, 150),
            Err(VoiceError::Empty)
        ));
    }
}
