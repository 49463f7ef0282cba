//! Why a review policy or a review decision was refused (codes `REVIEW_*`, `SETTING_INVALID`).

use kiosk_core::{Catalogued, Problem, UserFacing};

/// Why a review policy or a review decision was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewApiError {
    /// A review policy names a platform profile that does not exist.
    #[error("no profile {0:?}")]
    PolicyProfileUnknown(String),
    /// A sampling policy's rate is outside 1 to 99 %.
    #[error("sample rate {percent} % of {profile:?} is out of range")]
    PolicySampleRate {
        /// The profile the policy is for.
        profile: String,
        /// The refused rate.
        percent: u8,
    },
    /// No review status has this name.
    #[error("no review status {0:?}")]
    StatusUnknown(String),
    /// The application is not waiting for review.
    #[error("{0:?} is not held for review")]
    NotHeld(String),
    /// The signed-in account may not decide reviews.
    #[error("not a supervisor")]
    NotAllowed,
    /// No application was selected.
    #[error("nothing selected")]
    NothingSelected,
}

impl UserFacing for ReviewApiError {
    fn code(&self) -> &'static str {
        match self {
            Self::PolicyProfileUnknown(_) | Self::PolicySampleRate { .. } => "SETTING_INVALID",
            Self::StatusUnknown(_) => "REVIEW_STATUS_UNKNOWN",
            Self::NotHeld(_) => "REVIEW_NOT_HELD",
            Self::NotAllowed => "REVIEW_NOT_ALLOWED",
            Self::NothingSelected => "REVIEW_NOTHING_SELECTED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::PolicyProfileUnknown(profile) => {
                format!("没有「{profile}」这个平台，无法设置审核方式。")
            }
            Self::PolicySampleRate { percent, .. } => format!(
                "抽查比例须在 1% 到 99% 之间（不抽查请选“关闭”，全部审核请选“全部”），而不是 {percent}%。"
            ),
            Self::StatusUnknown(name) => {
                format!("没有「{name}」这种审核状态（可用：pending、approved、returned）。")
            }
            Self::NotHeld(id) => format!("申请「{id}」不在待审核列表中。请刷新列表。"),
            Self::NotAllowed => "只有值班主管（或管理员）可以审核申请。".to_owned(),
            Self::NothingSelected => "请先选择要审核的申请。".to_owned(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::PolicyProfileUnknown(profile) => {
                format!("There is no platform \"{profile}\" to set a review policy for.")
            }
            Self::PolicySampleRate { percent, .. } => format!(
                "The sample rate must be 1 to 99 % (choose \"off\" for none, \"all\" for every application), not {percent} %."
            ),
            Self::StatusUnknown(name) => format!(
                "There is no review status \"{name}\" (known: pending, approved, returned)."
            ),
            Self::NotHeld(id) => {
                format!("Application \"{id}\" is not waiting for review. Refresh the list.")
            }
            Self::NotAllowed => {
                "Only a supervisor (or an administrator) may review applications.".to_owned()
            }
            Self::NothingSelected => "Select the applications to review first.".to_owned(),
        }
    }

    /// The policy problems name the field `reviewPolicies.<profile>`.
    fn problem(&self) -> Problem {
        let problem = Problem::new(self.code(), self.zh(), self.en());
        match self {
            Self::PolicyProfileUnknown(profile) | Self::PolicySampleRate { profile, .. } => {
                problem.at(format!("reviewPolicies.{profile}"))
            }
            _ => problem,
        }
    }
}

impl Catalogued for ReviewApiError {
    fn samples() -> Vec<Self> {
        vec![
            Self::PolicyProfileUnknown("<平台 profile>".into()),
            Self::PolicySampleRate {
                profile: "<平台 profile>".into(),
                percent: 100,
            },
            Self::StatusUnknown("<状态 status>".into()),
            Self::NotHeld("<编号 id>".into()),
            Self::NotAllowed,
            Self::NothingSelected,
        ]
    }
}
