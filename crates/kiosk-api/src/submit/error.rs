//! Why a submission or a draft was refused: the submit room's stable codes.

use kiosk_core::{Catalogued, Problem, UserFacing};

/// A refused submission or draft. Each variant says which field it points at, so the wizard
/// can mark it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// The kiosk's clock gives no calendar date.
    #[error("the kiosk clock is wrong")]
    ClockInvalid,
    /// The application names another profile than the one submitted for.
    #[error("the application says profile {application:?}, submitted for {submitted:?}")]
    ProfileMismatch {
        /// The profile the application names.
        application: String,
        /// The profile chosen at the kiosk.
        submitted: String,
    },
    /// The application lists another number of attachments than were handed in.
    #[error("{listed} attachments listed, {given} handed in")]
    FilesMismatch {
        /// How many the application lists.
        listed: usize,
        /// How many files came.
        given: usize,
    },
    /// One attachment differs from the file handed in (slot, size or SHA-256).
    #[error("attachment {number} does not match its file")]
    FileMismatch {
        /// 1-based position in the list.
        number: usize,
        /// The listed file name.
        file_name: String,
    },
    /// A file is over [`super::MAX_ATTACHMENT_BYTES`].
    #[error("attachment {slot} is too large")]
    TooLarge {
        /// Its slot.
        slot: String,
    },
    /// A file is empty.
    #[error("attachment {slot} is empty")]
    Empty {
        /// Its slot.
        slot: String,
    },
    /// The application or its attachment list could not be encoded.
    #[error("could not encode the application: {0}")]
    Encode(String),
    /// Several problems at once, listed in the messages.
    #[error("{en}")]
    Several {
        /// The problems' Chinese messages, one per line.
        zh: String,
        /// The problems' English messages, one per line.
        en: String,
    },
    /// Not an application id (UUID).
    #[error("{0:?} is not an application id")]
    IdInvalid(String),
}

impl UserFacing for SubmitError {
    fn code(&self) -> &'static str {
        match self {
            Self::ClockInvalid => "CLOCK_INVALID",
            Self::ProfileMismatch { .. } => "APPLICATION_PROFILE_MISMATCH",
            Self::FilesMismatch { .. } => "ATTACHMENT_FILES_MISMATCH",
            Self::FileMismatch { .. } => "ATTACHMENT_FILE_MISMATCH",
            Self::TooLarge { .. } => "ATTACHMENT_TOO_LARGE",
            Self::Empty { .. } => "ATTACHMENT_EMPTY",
            Self::Encode(_) => "APPLICATION_ENCODE_FAILED",
            Self::Several { .. } => "APPLICATION_INVALID",
            Self::IdInvalid(_) => "APPLICATION_ID_INVALID",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::ClockInvalid => "终端时钟不正确，请联系管理员校准时间。".into(),
            Self::ProfileMismatch {
                application,
                submitted,
            } => format!(
                "申请写的平台是「{application}」，本次提交的是「{submitted}」。请选择正确的平台。"
            ),
            Self::FilesMismatch { listed, given } => {
                format!("申请列出 {listed} 份材料，实际上传了 {given} 个文件。请重新上传材料。")
            }
            Self::FileMismatch { number, file_name } => {
                format!("第 {number} 份材料（{file_name}）与上传的文件不一致，请重新上传。")
            }
            Self::TooLarge { slot } => {
                format!("材料「{slot}」超过 20 MB，请重新拍摄或压缩后再上传。")
            }
            Self::Empty { slot } => format!("材料「{slot}」是空文件，请重新上传。"),
            Self::Encode(e) => format!("无法整理申请内容：{e}"),
            Self::Several { zh, .. } => zh.clone(),
            Self::IdInvalid(id) => format!("申请编号「{id}」格式不对。"),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::ClockInvalid => {
                "The kiosk clock is wrong; ask an administrator to set the time.".into()
            }
            Self::ProfileMismatch {
                application,
                submitted,
            } => format!(
                "The application says profile \"{application}\" but was submitted for \"{submitted}\". Choose the right profile."
            ),
            Self::FilesMismatch { listed, given } => format!(
                "The application lists {listed} attachments but {given} files were handed in. Upload the attachments again."
            ),
            Self::FileMismatch { number, file_name } => format!(
                "Attachment {number} ({file_name}) does not match the file handed in; upload it again."
            ),
            Self::TooLarge { slot } => {
                format!("Attachment \"{slot}\" is over 20 MB; capture or compress it again.")
            }
            Self::Empty { slot } => format!("Attachment \"{slot}\" is empty; upload it again."),
            Self::Encode(e) => format!("Could not encode the application: {e}"),
            Self::Several { en, .. } => en.clone(),
            Self::IdInvalid(id) => format!("\"{id}\" is not an application id."),
        }
    }

    fn problem(&self) -> Problem {
        let problem = Problem::new(self.code(), self.zh(), self.en());
        match self {
            Self::ProfileMismatch { .. } => problem.at("profile"),
            Self::FilesMismatch { .. } => problem.at("attachments"),
            Self::FileMismatch { number, .. } => {
                problem.at(format!("attachments.{}", number.saturating_sub(1)))
            }
            Self::TooLarge { slot } | Self::Empty { slot } => {
                problem.at(format!("attachments.{slot}"))
            }
            _ => problem,
        }
    }
}

impl Catalogued for SubmitError {
    fn samples() -> Vec<Self> {
        let slot = || "<材料栏位 slot>".to_owned();
        vec![
            Self::ClockInvalid,
            Self::ProfileMismatch {
                application: "<平台 profile>".into(),
                submitted: "<平台 profile>".into(),
            },
            Self::FilesMismatch {
                listed: 3,
                given: 2,
            },
            Self::FileMismatch {
                number: 1,
                file_name: "<文件名 file>".into(),
            },
            Self::TooLarge { slot: slot() },
            Self::Empty { slot: slot() },
            Self::Encode("<原因 reason>".into()),
            Self::Several {
                zh: "<每个问题一行>".into(),
                en: "<one problem per line>".into(),
            },
            Self::IdInvalid("<编号 id>".into()),
        ]
    }
}
