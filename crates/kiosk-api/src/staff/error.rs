//! Why a staff request was refused before the store saw it (code `STAFF_ROLE_UNKNOWN`).

use kiosk_core::{Catalogued, Problem, UserFacing};

/// Why a staff request was refused before the store saw it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffApiError {
    /// No staff role has this name (points at the field `role`).
    #[error("no role {0:?}")]
    RoleUnknown(String),
}

impl UserFacing for StaffApiError {
    fn code(&self) -> &'static str {
        match self {
            Self::RoleUnknown(_) => "STAFF_ROLE_UNKNOWN",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::RoleUnknown(name) => {
                format!("没有「{name}」这种角色（可用：operator、supervisor、admin）。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::RoleUnknown(name) => {
                format!("There is no role \"{name}\" (known: operator, supervisor, admin).")
            }
        }
    }

    fn problem(&self) -> Problem {
        Problem::new(self.code(), self.zh(), self.en()).at("role")
    }
}

impl Catalogued for StaffApiError {
    fn samples() -> Vec<Self> {
        vec![Self::RoleUnknown("<角色 role>".into())]
    }
}
