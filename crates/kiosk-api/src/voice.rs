//! Voice guidance for the self-service screens: what each step says, composed here from the
//! step's own prompts (the profile's labels and fixed instructions), then spoken offline by
//! `kiosk-voice` (espeak-ng). Nothing a visitor typed is ever part of it: a request names a
//! screen, a step and field paths, never values.
//!
//! The app keeps one [`Speaker`] in its state; `kioskctl voice say` makes one per run. Both
//! call [`speak`].

use std::time::Instant;

use base64::Engine;
use kiosk_core::Problem;
use kiosk_core::form::{FieldSpec, InputKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use kiosk_voice::{Language, Speaker, Wav};

mod error;

pub use error::VoiceGuideError;

/// Speech speed for everyone (espeak-ng words a minute).
pub const NORMAL_WPM: u32 = 165;
/// Speech speed in elderly mode (长辈版): slower.
pub const SLOW_WPM: u32 = 130;

/// The screen or step to read aloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "screen", rename_all = "kebab-case")]
#[ts(export)]
pub enum SpokenStep {
    /// The home screen: choose a service.
    Home,
    /// The consent screen of a flow.
    Consent {
        /// The flow (`natural-person`, …).
        kind: String,
    },
    /// Choosing the platform.
    Platform,
    /// A step of fields of the wizard.
    Fields {
        /// Platform profile.
        profile: String,
        /// The flow.
        kind: String,
        /// The step's key in the flow's form.
        step: String,
        /// The fields on screen now (paths; those that do not apply are left out by the
        /// screen). Empty: every field of the step.
        #[serde(default)]
        fields: Vec<String>,
        /// Which step this is, from 1.
        index: u32,
        /// How many steps the wizard has.
        total: u32,
    },
    /// One question (elderly mode's one field a screen).
    Question {
        /// Platform profile.
        profile: String,
        /// The flow.
        kind: String,
        /// The field's path.
        field: String,
        /// Which question this is, from 1.
        index: u32,
        /// How many questions the step has.
        total: u32,
    },
    /// Printing and signing the risk letter.
    RiskLetter,
    /// Photographing or scanning documents.
    Capture,
    /// Checking the summary before submitting.
    Summary,
    /// The application was submitted.
    Done,
    /// The idle prompt: "还需要更多时间吗？".
    MoreTime,
}

/// A request to read a step aloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpeechRequest {
    /// What to read.
    pub step: SpokenStep,
    /// In which language.
    pub language: Language,
    /// Slower speech (elderly mode).
    #[serde(default)]
    pub slow: bool,
}

/// A spoken step: the words and the WAV to play.
#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Spoken {
    /// What is said (shown as a caption; prompts only, no personal data).
    pub text: String,
    /// The WAV file (16-bit PCM, mono), base64.
    pub wav_base64: String,
    /// How long it plays, in milliseconds.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Milliseconds from the request to the WAV being ready.
    #[ts(type = "number")]
    pub synthesis_ms: u64,
    /// Milliseconds of silence at the start of the WAV.
    #[ts(type = "number")]
    pub leading_silence_ms: u64,
}

impl std::fmt::Debug for Spoken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spoken")
            .field("text", &self.text)
            .field("wav_bytes", &self.wav_base64.len())
            .field("duration_ms", &self.duration_ms)
            .finish()
    }
}

fn kind_label(kind: &str, language: Language) -> Result<&'static str, Problem> {
    let (zh, en) = match kind {
        "natural-person" => ("自然人注册", "natural person registration"),
        "legal-entity" => ("法人注册", "legal entity registration"),
        "real-name" => ("实名认证", "real-name verification"),
        "legacy-binding" => ("老用户绑定", "binding an existing account"),
        "password-reset-appeal" => ("申诉找回密码", "password reset appeal"),
        "expert" => ("评审专家注册", "expert registration"),
        other => {
            return Err(VoiceGuideError::ServiceUnknown(other.to_owned()).into());
        }
    };
    Ok(match language {
        Language::Mandarin => zh,
        Language::English => en,
    })
}

fn unknown_step(what: &str) -> Problem {
    VoiceGuideError::StepUnknown(what.to_owned()).into()
}

/// How to answer a field, said after its label.
fn how_to_answer(field: &FieldSpec, language: Language) -> &'static str {
    let zh = language == Language::Mandarin;
    match field.input {
        InputKind::Select | InputKind::Picker | InputKind::EthnicGroup => {
            if zh {
                "请点选一项。"
            } else {
                "Tap to choose one."
            }
        }
        InputKind::Date | InputKind::Validity => {
            if zh {
                "请选择日期。"
            } else {
                "Choose the date."
            }
        }
        InputKind::Checkbox => {
            if zh {
                "如果同意，请打勾。"
            } else {
                "Tick the box if you agree."
            }
        }
        InputKind::Address => {
            if zh {
                "请依次选择省、市、区县。"
            } else {
                "Choose the province, city and district in turn."
            }
        }
        InputKind::Text | InputKind::Password => {
            if zh {
                "请用屏幕下方的键盘输入。"
            } else {
                "Type it on the keyboard below."
            }
        }
    }
}

fn label(field: &FieldSpec, language: Language) -> &str {
    match language {
        Language::Mandarin => &field.label_zh,
        Language::English => &field.label_en,
    }
}

/// The words for `step` in `language`: the step's prompts, never a visitor's values.
pub fn script(step: &SpokenStep, language: Language) -> Result<String, Problem> {
    let zh = language == Language::Mandarin;
    let fixed = |zh_text: &str, en_text: &str| Ok(if zh { zh_text } else { en_text }.to_owned());
    match step {
        SpokenStep::Home => fixed(
            "欢迎使用自助登记。请点您要办理的事项。需要大字和语音，请点右上角的长辈版。",
            "Welcome. Tap the service you need. For large text and voice, tap Senior mode at the top right.",
        ),
        SpokenStep::Consent { kind } => {
            let what = kind_label(kind, language)?;
            Ok(if zh {
                format!(
                    "办理{what}之前，请阅读个人信息怎样使用、保存多久。同意的话，请点同意；不同意，请点不同意。"
                )
            } else {
                format!(
                    "Before {what}, read how your personal information is used and how long it is kept. To agree, tap Agree; otherwise tap the button that declines."
                )
            })
        }
        SpokenStep::Platform => fixed(
            "请选择要注册的科技业务平台，然后点下一步。",
            "Choose the platform to register with, then tap Next.",
        ),
        SpokenStep::Fields {
            profile,
            kind,
            step,
            fields,
            index,
            total,
        } => {
            let (_, form) = crate::wizard::form_of(profile, kind)?;
            let form_step = form
                .steps
                .iter()
                .find(|s| &s.key == step)
                .ok_or_else(|| unknown_step(step))?;
            let shown: Vec<&str> = form_step
                .fields
                .iter()
                .filter(|f| fields.is_empty() || fields.contains(&f.path))
                .map(|f| label(f, language))
                .collect();
            let title = if zh {
                &form_step.label_zh
            } else {
                &form_step.label_en
            };
            Ok(if zh {
                format!(
                    "第{index}步，共{total}步：{title}。请填写：{}。填好后，请点下一步。",
                    shown.join("、")
                )
            } else {
                format!(
                    "Step {index} of {total}: {title}. Please fill in: {}. Then tap Next.",
                    shown.join(", ")
                )
            })
        }
        SpokenStep::Question {
            profile,
            kind,
            field,
            index,
            total,
        } => {
            let (_, form) = crate::wizard::form_of(profile, kind)?;
            let spec = form
                .steps
                .iter()
                .flat_map(|s| &s.fields)
                .find(|f| &f.path == field)
                .ok_or_else(|| unknown_step(field))?;
            let how = how_to_answer(spec, language);
            let name = label(spec, language);
            Ok(if zh {
                format!("第{index}题，共{total}题：{name}。{how}答好后，请点下一题。")
            } else {
                format!("Question {index} of {total}: {name}. {how} Then tap Next question.")
            })
        }
        SpokenStep::RiskLetter => fixed(
            "请打印风险承诺书，签字后交给工作人员，或按屏幕提示拍照上传。然后点下一步。",
            "Print the risk commitment letter and sign it, then follow the screen to hand it in or photograph it. Then tap Next.",
        ),
        SpokenStep::Capture => fixed(
            "请按要求拍摄或上传以下材料，然后点下一步。",
            "Photograph or upload the documents listed, then tap Next.",
        ),
        SpokenStep::Summary => fixed(
            "请核对屏幕上的信息。确认无误后，请点确认提交；要改的话，请点上一步。",
            "Check the details on the screen. If they are right, tap Submit; to change something, tap Back.",
        ),
        SpokenStep::Done => fixed(
            "申请已提交。请取走回执，凭回执号码可以查询办理进度。办完请点返回首页。",
            "Your application was submitted. Take your receipt; its number lets you check progress. Then tap Back to home.",
        ),
        SpokenStep::MoreTime => fixed(
            "还需要更多时间吗？需要的话，请点需要。",
            "Do you need more time? If so, tap Yes.",
        ),
    }
}

/// Reads `request` aloud: its [`script`], spoken by `speaker` (slower in elderly mode).
pub fn speak(speaker: &Speaker, request: &SpeechRequest) -> Result<Spoken, Problem> {
    let started = Instant::now();
    let text = script(&request.step, request.language)?;
    let pace = if request.slow { SLOW_WPM } else { NORMAL_WPM };
    let wav = speaker.speak(&text, request.language, pace)?;
    let synthesis_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(Spoken {
        text,
        duration_ms: wav.duration_ms(),
        leading_silence_ms: wav.first_sound_ms(300).unwrap_or(0),
        wav_base64: base64::engine::general_purpose::STANDARD.encode(wav.bytes()),
        synthesis_ms,
    })
}

/// Reads `request` aloud into a WAV (for `kioskctl voice say`): the script and the WAV.
pub fn speak_wav(speaker: &Speaker, request: &SpeechRequest) -> Result<(String, Wav), Problem> {
    let text = script(&request.step, request.language)?;
    let pace = if request.slow { SLOW_WPM } else { NORMAL_WPM };
    Ok((text.clone(), speaker.speak(&text, request.language, pace)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(step: &str) -> SpokenStep {
        SpokenStep::Fields {
            profile: "zhengzhou".into(),
            kind: "natural-person".into(),
            step: step.into(),
            fields: vec![],
            index: 2,
            total: 5,
        }
    }

    #[test]
    fn a_step_is_read_from_the_profiles_labels() {
        let (_, form) = crate::wizard::form_of("zhengzhou", "natural-person").unwrap();
        let first = &form.steps[0];
        let text = script(&fields(&first.key), Language::Mandarin).unwrap();
        assert!(text.starts_with("第2步，共5步："), "{text}");
        assert!(text.contains(&first.label_zh));
        for f in &first.fields {
            assert!(text.contains(&f.label_zh), "{text} lacks {}", f.label_zh);
        }
        let english = script(&fields(&first.key), Language::English).unwrap();
        assert!(english.contains(&first.label_en));
    }

    #[test]
    fn only_the_fields_on_screen_are_listed() {
        let (_, form) = crate::wizard::form_of("zhengzhou", "natural-person").unwrap();
        let step = form.steps.iter().find(|s| s.fields.len() > 1).unwrap();
        let shown = &step.fields[0];
        let request = SpokenStep::Fields {
            profile: "zhengzhou".into(),
            kind: "natural-person".into(),
            step: step.key.clone(),
            fields: vec![shown.path.clone()],
            index: 1,
            total: 3,
        };
        let text = script(&request, Language::Mandarin).unwrap();
        assert!(text.contains(&shown.label_zh));
        assert!(!text.contains(&format!("、{}", step.fields[1].label_zh)));
    }

    #[test]
    fn a_question_says_its_number_label_and_how_to_answer() {
        let (_, form) = crate::wizard::form_of("zhengzhou", "natural-person").unwrap();
        let field = form
            .steps
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.input == InputKind::Text)
            .unwrap();
        let request = SpokenStep::Question {
            profile: "zhengzhou".into(),
            kind: "natural-person".into(),
            field: field.path.clone(),
            index: 3,
            total: 9,
        };
        let text = script(&request, Language::Mandarin).unwrap();
        assert_eq!(
            text,
            format!(
                "第3题，共9题：{}。请用屏幕下方的键盘输入。答好后，请点下一题。",
                field.label_zh
            )
        );
    }

    #[test]
    fn unknown_steps_and_kinds_are_problems_not_panics() {
        assert_eq!(
            script(&fields("no-such-step"), Language::Mandarin)
                .unwrap_err()
                .code,
            "VOICE_STEP_UNKNOWN"
        );
        let consent = SpokenStep::Consent {
            kind: "nope".into(),
        };
        assert_eq!(
            script(&consent, Language::Mandarin).unwrap_err().code,
            "VOICE_STEP_UNKNOWN"
        );
        let profile = SpokenStep::Question {
            profile: "nowhere".into(),
            kind: "natural-person".into(),
            field: "x".into(),
            index: 1,
            total: 1,
        };
        assert!(script(&profile, Language::Mandarin).is_err());
    }

    #[test]
    fn requests_read_from_json_as_the_ui_sends_them() {
        let json = r#"{"step":{"screen":"question","profile":"zhengzhou","kind":"natural-person","field":"person.name","index":1,"total":4},"language":"mandarin","slow":true}"#;
        let request: SpeechRequest = serde_json::from_str(json).unwrap();
        assert!(request.slow);
        assert!(matches!(
            request.step,
            SpokenStep::Question { index: 1, .. }
        ));
        let home: SpeechRequest =
            serde_json::from_str(r#"{"step":{"screen":"more-time"},"language":"english"}"#)
                .unwrap();
        assert_eq!(home.step, SpokenStep::MoreTime);
    }

    #[test]
    fn the_real_engine_speaks_a_step() {
        let spoken = speak(
            &Speaker::from_env(),
            &SpeechRequest {
                step: SpokenStep::MoreTime,
                language: Language::Mandarin,
                slow: true,
            },
        )
        .unwrap();
        assert!(spoken.duration_ms > 1500, "{spoken:?}");
        let wav = base64::engine::general_purpose::STANDARD
            .decode(&spoken.wav_base64)
            .unwrap();
        assert_eq!(&wav[0..4], b"RIFF");
        assert!(spoken.synthesis_ms < 1000, "{spoken:?}");
    }
}
