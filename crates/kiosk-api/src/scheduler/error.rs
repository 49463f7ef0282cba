//! Why a housekeeping job could not be named (code `HOUSEKEEPING_JOB_UNKNOWN`).

use kiosk_core::{Catalogued, UserFacing};

/// Why a housekeeping job could not be named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchedulerError {
    /// No housekeeping job has this name.
    #[error("no housekeeping job {0:?}")]
    JobUnknown(String),
}

impl UserFacing for SchedulerError {
    fn code(&self) -> &'static str {
        match self {
            Self::JobUnknown(_) => "HOUSEKEEPING_JOB_UNKNOWN",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::JobUnknown(name) => {
                format!("没有「{name}」这项维护任务（可用：purge、drafts）。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::JobUnknown(name) => {
                format!("There is no housekeeping job \"{name}\" (known: purge, drafts).")
            }
        }
    }
}

impl Catalogued for SchedulerError {
    fn samples() -> Vec<Self> {
        vec![Self::JobUnknown("<任务 job>".into())]
    }
}
