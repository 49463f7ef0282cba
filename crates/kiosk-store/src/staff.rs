//! Staff accounts: Argon2id (OWASP defaults) password hashes, lockout, roles, and the
//! one-time setup code that creates the first administrator.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditEntry};
use crate::{Refusal, StoreError};

/// Failed logins in a row that lock an account (see [`crate::throttle::STAFF_LOGIN`]).
pub const MAX_FAILED_LOGINS: i64 = crate::throttle::STAFF_LOGIN.free_failures;
/// How long the first lock lasts, milliseconds (1 minute; doubling with each further failure).
pub const LOCKOUT_MS: i64 = crate::throttle::STAFF_LOGIN.first_lock_ms;
/// How long a setup code stays valid, milliseconds (24 hours).
pub const SETUP_CODE_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Helps visitors, submits applications.
    Operator,
    /// Also reviews the queue and reprints receipts.
    Supervisor,
    /// Also manages accounts, settings and enrolment.
    Admin,
}

impl Role {
    /// Name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Operator, Self::Supervisor, Self::Admin]
            .into_iter()
            .find(|r| r.as_str() == name)
    }
}

/// A staff account as listed (never its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffAccount {
    /// Login name.
    pub username: String,
    /// Name shown on screen.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Locked until, Unix ms, while locked.
    pub locked_until: Option<i64>,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// A new staff account (password in plaintext, hashed before storage).
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// Login name: 3–32 of `a-z 0-9 . _ -`.
    pub username: String,
    /// Name shown on screen.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Password.
    pub password: String,
}

pub(crate) fn hash_secret(secret: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Seal(format!("argon2: {e}")))
}

pub(crate) fn verify_secret(secret: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(secret.as_bytes(), phc)
        .is_ok()
}

/// Checks username and password rules before anything is stored.
pub(crate) fn check_new(staff: &NewStaff) -> Result<(), StoreError> {
    let name_ok = (3..=32).contains(&staff.username.len())
        && staff
            .username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !name_ok {
        return Err(Refusal::StaffUsernameInvalid.into());
    }
    check_password(&staff.password)
}

pub(crate) fn admin_exists(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE role = 'admin' AND disabled = 0)",
        [],
        |r| r.get(0),
    )?)
}

/// A fresh random setup code: 16 characters without look-alikes, grouped by 4.
pub(crate) fn new_setup_code() -> Result<String, StoreError> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw)
        .map_err(|e| StoreError::io("random source", std::io::Error::other(e.to_string())))?;
    let chars: Vec<char> = raw
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub(crate) fn hash_setup_code(code: &str) -> Result<String, StoreError> {
    hash_secret(&normalise_code(code))
}

/// Stores a new setup code hash (refused once an admin exists), replacing unused ones.
pub(crate) fn insert_setup_code(
    tx: &Transaction<'_>,
    code_hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    if admin_exists(tx)? {
        return Err(Refusal::StaffSetupDone.into());
    }
    tx.execute("DELETE FROM setup_codes WHERE used_at IS NULL", [])?;
    tx.execute(
        "INSERT INTO setup_codes (code_hash, created_at, expires_at) VALUES (?1, ?2, ?3)",
        params![code_hash, now, now + SETUP_CODE_TTL_MS],
    )?;
    audit::append(
        tx,
        &AuditEntry {
            at: now,
            actor: "kioskctl".into(),
            action: "staff.setup_code_issued".into(),
            application_id: None,
            detail: String::new(),
        },
    )?;
    Ok(())
}

/// Unused, unexpired setup code hashes.
pub(crate) fn open_setup_codes(conn: &Connection, now: i64) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT code_hash FROM setup_codes WHERE used_at IS NULL AND expires_at > ?1")?;
    let rows = stmt.query_map([now], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn setup_code_matches(code: &str, hashes: &[String]) -> Option<String> {
    let code = normalise_code(code);
    hashes.iter().find(|h| verify_secret(&code, h)).cloned()
}

pub(crate) fn bad_setup_code() -> StoreError {
    Refusal::StaffSetupCodeInvalid.into()
}

/// Inserts an account (hash already computed) with an audit row.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    staff: &NewStaff,
    password_hash: &str,
    actor: &str,
    now: i64,
) -> Result<(), StoreError> {
    let inserted = tx.execute(
        "INSERT INTO staff (username, display_name, role, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(username) DO NOTHING",
        params![
            staff.username,
            staff.display_name,
            staff.role.as_str(),
            password_hash,
            now
        ],
    )?;
    if inserted == 0 {
        return Err(Refusal::StaffUsernameTaken.into());
    }
    audit::append(
        tx,
        &AuditEntry {
            at: now,
            actor: actor.to_owned(),
            action: "staff.created".into(),
            application_id: None,
            detail: format!("username={} role={}", staff.username, staff.role.as_str()),
        },
    )?;
    Ok(())
}

/// What the login check needs from the account.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    pub(crate) account: StaffAccount,
    pub(crate) password_hash: String,
}

pub(crate) fn credentials(
    conn: &Connection,
    username: &str,
) -> Result<Option<Credentials>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT username, display_name, role, locked_until, disabled, password_hash
             FROM staff WHERE username = ?1",
            [username],
            |r| {
                Ok(Credentials {
                    account: read_account(r)?,
                    password_hash: r.get(5)?,
                })
            },
        )
        .optional()?)
}

fn read_account(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffAccount> {
    let role: String = r.get(2)?;
    Ok(StaffAccount {
        username: r.get(0)?,
        display_name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Operator),
        locked_until: r.get(3)?,
        disabled: r.get(4)?,
    })
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<StaffAccount>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT username, display_name, role, locked_until, disabled FROM staff ORDER BY username",
    )?;
    let rows = stmt.query_map([], read_account)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn wrong_credentials() -> StoreError {
    Refusal::StaffLoginFailed.into()
}

pub(crate) fn locked(until: i64, now: i64) -> StoreError {
    Refusal::staff_locked(until, now).into()
}

/// Spends one Argon2 verification on `password` against a throwaway hash, so an unknown
/// username costs as much time as a wrong password. Always `false`.
pub(crate) fn spend_argon2(password: &str) -> bool {
    // A PHC string of the default parameters (Argon2id, 19 MiB, t=2, p=1): verifying against
    // it runs the same work as verifying a real account's hash.
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    let _ = verify_secret(password, DUMMY);
    false
}

/// Checks a new password's length.
pub(crate) fn check_password(password: &str) -> Result<(), StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Refusal::StaffPasswordTooShort.into());
    }
    Ok(())
}

fn no_such_account() -> StoreError {
    Refusal::StaffUnknown.into()
}

/// The account `username` (refused with `STAFF_UNKNOWN` when absent; only for administrators).
pub(crate) fn require_account(
    conn: &Connection,
    username: &str,
) -> Result<StaffAccount, StoreError> {
    credentials(conn, username)?
        .map(|c| c.account)
        .ok_or_else(no_such_account)
}

/// Writes an audit row for a sign-in attempt (`actor` is `unknown` for names that match no
/// usable account: typed names are never logged).
pub(crate) fn audit_login(
    tx: &Transaction<'_>,
    actor: &str,
    success: bool,
    locked_until: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    let action = match (success, locked_until) {
        (true, _) => "staff.login",
        (false, Some(until)) if until > now => "staff.locked",
        (false, _) => "staff.login_failed",
    };
    audit::append(
        tx,
        &AuditEntry {
            at: now,
            actor: actor.to_owned(),
            action: action.into(),
            application_id: None,
            detail: String::new(),
        },
    )?;
    Ok(())
}

/// Writes an audit row for an administrator's change to `username`.
pub(crate) fn audit_admin(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    username: &str,
    now: i64,
) -> Result<(), StoreError> {
    audit::append(
        tx,
        &AuditEntry {
            at: now,
            actor: actor.to_owned(),
            action: action.to_owned(),
            application_id: None,
            detail: format!("username={username}"),
        },
    )?;
    Ok(())
}

/// Stores a new password hash for `username`.
pub(crate) fn set_password(
    tx: &Transaction<'_>,
    username: &str,
    hash: &str,
    actor: &str,
    action: &str,
    now: i64,
) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE staff SET password_hash = ?2 WHERE username = ?1",
        params![username, hash],
    )?;
    if changed == 0 {
        return Err(no_such_account());
    }
    audit_admin(tx, actor, action, username, now)
}

/// Disables or enables `username`; refuses to disable the last enabled administrator.
pub(crate) fn set_disabled(
    tx: &Transaction<'_>,
    username: &str,
    disabled: bool,
    actor: &str,
    now: i64,
) -> Result<(), StoreError> {
    let account = require_account(tx, username)?;
    if disabled && account.role == Role::Admin && !account.disabled {
        let others: i64 = tx.query_row(
            "SELECT COUNT(*) FROM staff WHERE role = 'admin' AND disabled = 0 AND username <> ?1",
            [username],
            |r| r.get(0),
        )?;
        if others == 0 {
            return Err(Refusal::StaffLastAdmin.into());
        }
    }
    tx.execute(
        "UPDATE staff SET disabled = ?2 WHERE username = ?1",
        params![username, disabled],
    )?;
    let action = if disabled {
        "staff.disabled"
    } else {
        "staff.enabled"
    };
    audit_admin(tx, actor, action, username, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_parses_so_an_unknown_name_costs_a_full_argon2_run() {
        let started = std::time::Instant::now();
        assert!(!spend_argon2("anything"));
        let dummy = started.elapsed();
        let hash = hash_secret("a real password").unwrap_or_default();
        let started = std::time::Instant::now();
        assert!(!verify_secret("wrong", &hash));
        let real = started.elapsed();
        // Same parameters, same work: allow wide scheduling noise, but a parse failure
        // (microseconds) against a real check (tens of milliseconds) fails.
        assert!(dummy * 5 > real, "dummy {dummy:?} vs real {real:?}");
    }
}
