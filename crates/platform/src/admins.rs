//! Named admin accounts with roles, their bearer tokens, and the audit of every admin action.
//!
//! Each administrator has a name, a role and a personal bearer token (`tba_` and 64 hex
//! characters, 256 random bits), shown once when the account is made and stored only as a
//! keyed SHA-256 (`admins.token_hash`; a 256-bit random token needs no slow hash). Roles:
//! - `reviewer`: lists submissions and decides them;
//! - `fleet-admin`: issues enrolment codes, revokes kiosks, manages admin accounts, reads the
//!   audit.
//!
//! The file `<data-dir>/admin-token` is only a bootstrap credential: it can create admin
//! accounts (`POST /api/v1/admin/admins`) while none is enabled, and nothing else. The
//! operator on the machine can also run `platformd admin add|list|disable`.
//!
//! Every call of the admin API, allowed or refused after its credential was recognised, is a
//! row of `admin_audit`: who, what (method and route), on what (the path), the answer.

use crate::sql_params as params;
use crate::storage::OptionalRow;
use serde::{Deserialize, Serialize};

use crate::{ApiError, Platform};

/// What an admin account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Lists and decides submissions.
    Reviewer,
    /// Enrolment codes, kiosk revocation, admin accounts, the audit.
    FleetAdmin,
}

impl Role {
    /// The stored name: `reviewer` or `fleet-admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reviewer => "reviewer",
            Self::FleetAdmin => "fleet-admin",
        }
    }

    /// Parses a stored or typed role name.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "reviewer" => Some(Self::Reviewer),
            "fleet-admin" => Some(Self::FleetAdmin),
            _ => None,
        }
    }
}

/// The role an admin route needs (`route` is the template, e.g. `/api/v1/admin/submissions`).
pub fn role_needed(route: &str) -> Role {
    if route.starts_with("/api/v1/admin/submissions") {
        Role::Reviewer
    } else {
        Role::FleetAdmin
    }
}

/// The administrator making the current request (a request extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// Account name (`bootstrap` for the bootstrap token).
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// An admin account as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminAccount {
    /// Account name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Created, Unix ms.
    pub created_at: i64,
    /// Who created it (`bootstrap`, `cli`, or an admin's name).
    pub created_by: String,
    /// Disabled, Unix ms (its token no longer works).
    pub disabled_at: Option<i64>,
}

/// `POST /api/v1/admin/admins` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAdmin {
    /// Account name: 3-32 of `a-z 0-9 . _ -`.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// `POST /api/v1/admin/admins` answer: the token, shown once.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminCreated {
    /// Account name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The bearer token (only its hash is stored: keep it now).
    pub token: String,
}

/// Never prints the token.
impl std::fmt::Debug for AdminCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminCreated")
            .field("name", &self.name)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// One row of the admin audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// When, Unix ms.
    pub at: i64,
    /// The admin account.
    pub admin: String,
    /// Method and route template, e.g. `POST /api/v1/admin/kiosks/{id}/revoke`.
    pub action: String,
    /// The path acted on (ids only).
    pub target: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// The error code, when refused.
    pub code: Option<String>,
}

/// Whether `name` is a valid account name.
fn valid_name(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(
        "ADMIN_NOT_FOUND",
        format!("没有名为 {name} 的管理员账号。"),
        format!("There is no admin account called {name}."),
    )
}

impl Platform {
    fn token_hash(&self, token: &str) -> String {
        crate::db::keyed_hash(&self.secret, &["admin-token", token])
    }

    /// Creates an admin account and returns its bearer token (shown once).
    pub fn add_admin(&self, name: &str, role: Role, created_by: &str) -> Result<String, ApiError> {
        if !valid_name(name) {
            return Err(ApiError::bad_request(
                "ADMIN_NAME_INVALID",
                "管理员账号名须为 3-32 个小写字母、数字或 . _ - 。",
                "An admin account name is 3-32 of lower-case letters, digits and . _ -.",
            ));
        }
        let token = format!("tba_{}", hex::encode(crate::db::random_bytes(32)?));
        let inserted = self.write_with(|tx| {
            Ok(tx.execute(
                "INSERT INTO admins (name, role, token_hash, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                params![
                    name,
                    role.as_str(),
                    self.token_hash(&token),
                    self.now_ms(),
                    created_by
                ],
            )?)
        })?;
        if inserted == 0 {
            return Err(ApiError::conflict(
                "ADMIN_EXISTS",
                format!("管理员账号 {name} 已存在。"),
                format!("The admin account {name} exists already."),
            ));
        }
        Ok(token)
    }

    /// Every admin account, by name.
    pub fn list_admins(&self) -> Result<Vec<AdminAccount>, ApiError> {
        Ok(self.read()?.query_map(
            "SELECT name, role, created_at, created_by, disabled_at FROM admins ORDER BY name",
            params![],
            |r| {
                let role: String = r.get(1)?;
                Ok(AdminAccount {
                    name: r.get(0)?,
                    role: Role::parse(&role).unwrap_or(Role::Reviewer),
                    created_at: r.get(2)?,
                    created_by: r.get(3)?,
                    disabled_at: r.get(4)?,
                })
            },
        )?)
    }

    /// Disables an account: its token stops working at once (kept for the audit).
    pub fn disable_admin(&self, name: &str) -> Result<(), ApiError> {
        let changed = self.write_with(|tx| {
            Ok(tx.execute(
                "UPDATE admins SET disabled_at = COALESCE(disabled_at, ?2) WHERE name = ?1",
                params![name, self.now_ms()],
            )?)
        })?;
        if changed == 0 {
            return Err(not_found(name));
        }
        Ok(())
    }

    /// The enabled account whose token this is.
    pub fn admin_by_token(&self, token: &str) -> Result<Option<Admin>, ApiError> {
        if token.is_empty() {
            return Ok(None);
        }
        let row: Option<(String, String)> = self
            .read()?
            .query_row(
                "SELECT name, role FROM admins WHERE token_hash = ?1 AND disabled_at IS NULL",
                params![self.token_hash(token)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(name, role)| Role::parse(&role).map(|role| Admin { name, role })))
    }

    /// Whether any enabled admin account exists (then the bootstrap token is void).
    pub fn has_admins(&self) -> Result<bool, ApiError> {
        Ok(self.read()?.query_row(
            "SELECT EXISTS (SELECT 1 FROM admins WHERE disabled_at IS NULL)",
            params![],
            |r| r.get(0),
        )?)
    }

    /// Records one admin action in the audit.
    pub fn record_admin_action(
        &self,
        admin: &str,
        action: &str,
        target: Option<&str>,
        status: u16,
        code: Option<&str>,
    ) -> Result<(), ApiError> {
        // Each audit row stands alone: no order with other writes is needed.
        let mut tx = self.write_atomic()?;
        tx.execute(
            "INSERT INTO admin_audit (at, admin, action, target, status, code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                self.now_ms(),
                admin,
                action,
                target,
                i64::from(status),
                code
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The admin audit, newest first, at most `limit` rows.
    pub fn admin_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, ApiError> {
        Ok(self.read()?.query_map(
            "SELECT at, admin, action, target, status, code FROM admin_audit
             ORDER BY id DESC LIMIT ?1",
            params![limit],
            |r| {
                let status: i64 = r.get(4)?;
                Ok(AuditEntry {
                    at: r.get(0)?,
                    admin: r.get(1)?,
                    action: r.get(2)?,
                    target: r.get(3)?,
                    status: u16::try_from(status).unwrap_or(0),
                    code: r.get(5)?,
                })
            },
        )?)
    }

    /// Revokes kiosk `id`: its signed calls get `401 KIOSK_REVOKED` from now on; it may be
    /// enrolled again (a new id) with a new code. Revoking twice is harmless.
    pub fn revoke_kiosk(&self, id: &str) -> Result<(), ApiError> {
        let changed = self.write_with(|tx| {
            Ok(tx.execute(
                "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                params![id, self.now_ms()],
            )?)
        })?;
        if changed == 0 {
            return Err(ApiError::not_found(
                "KIOSK_NOT_FOUND",
                "没有这个终端编号。",
                "There is no kiosk with this id.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_roles_parse_strictly() {
        assert!(valid_name("li.wei-01"));
        assert!(!valid_name("Li Wei"), "no capitals or spaces");
        assert!(!valid_name("ab"), "too short");
        assert_eq!(Role::parse("fleet-admin"), Some(Role::FleetAdmin));
        assert_eq!(Role::parse("root"), None);
        assert_eq!(
            role_needed("/api/v1/admin/submissions/{id}/review"),
            Role::Reviewer
        );
        assert_eq!(
            role_needed("/api/v1/admin/enrolment-codes"),
            Role::FleetAdmin
        );
    }
}
