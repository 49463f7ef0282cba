//! Why a day report could not be made (code `REPORT_DATE_INVALID`).

use kiosk_core::{Catalogued, Problem, UserFacing};

/// Why a day report could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The date is not `YYYY-MM-DD` (points at the field `date`).
    #[error("{0:?} is not a date")]
    DateInvalid(String),
}

impl UserFacing for ReportError {
    fn code(&self) -> &'static str {
        match self {
            Self::DateInvalid(_) => "REPORT_DATE_INVALID",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::DateInvalid(text) => {
                format!("日期“{text}”格式不对，请写成 2026-11-23 这样的格式。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::DateInvalid(text) => format!("{text:?} is not a date; write it like 2026-11-23."),
        }
    }

    fn problem(&self) -> Problem {
        Problem::new(self.code(), self.zh(), self.en()).at("date")
    }
}

impl Catalogued for ReportError {
    fn samples() -> Vec<Self> {
        vec![Self::DateInvalid("<日期 date>".into())]
    }
}
