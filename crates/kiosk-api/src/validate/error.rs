//! Why a validation request was refused (codes `VALIDATE_UNKNOWN_KIND`, `FLOW_NOT_OFFERED`).

use kiosk_core::{Catalogued, Problem, UserFacing};

/// Why a validation or form request was refused. Both point at the field `kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidateError {
    /// No field check has this name.
    #[error("unknown kind {kind:?}")]
    UnknownKind {
        /// The name asked for.
        kind: String,
        /// The known names.
        known: Vec<&'static str>,
    },
    /// The platform does not offer this flow.
    #[error("{profile_en} does not offer {kind:?}")]
    FlowNotOffered {
        /// The platform's Chinese name.
        profile_zh: String,
        /// The platform's English name.
        profile_en: String,
        /// The flow asked for.
        kind: String,
    },
}

impl UserFacing for ValidateError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownKind { .. } => "VALIDATE_UNKNOWN_KIND",
            Self::FlowNotOffered { .. } => "FLOW_NOT_OFFERED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::UnknownKind { kind, known } => {
                format!("未知的校验类型“{kind}”，可选：{}。", known.join("、"))
            }
            Self::FlowNotOffered {
                profile_zh, kind, ..
            } => format!("平台「{profile_zh}」不办理「{kind}」，请选择其他平台或业务。"),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::UnknownKind { kind, known } => format!(
                "Unknown kind \"{kind}\". Choose one of: {}.",
                known.join(", ")
            ),
            Self::FlowNotOffered {
                profile_en, kind, ..
            } => format!(
                "{profile_en} does not offer \"{kind}\"; choose another platform or request."
            ),
        }
    }

    fn problem(&self) -> Problem {
        Problem::new(self.code(), self.zh(), self.en()).at("kind")
    }
}

impl Catalogued for ValidateError {
    fn samples() -> Vec<Self> {
        vec![
            Self::UnknownKind {
                kind: "<类型 kind>".into(),
                known: kiosk_core::field::FieldKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect(),
            },
            Self::FlowNotOffered {
                profile_zh: "<平台 platform>".into(),
                profile_en: "<platform>".into(),
                kind: "<业务 kind>".into(),
            },
        ]
    }
}
