//! `kioskctl db check`: SQLCipher page HMACs, SQLite integrity, schema version.

use kiosk_core::Problem;
use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;

/// The database's health in detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DbReport {
    /// Whether every check passed and the schema is current.
    pub ok: bool,
    /// Database file.
    pub path: String,
    /// Schema version of the file.
    pub schema_version: u32,
    /// Newest schema version this software knows.
    pub latest_version: u32,
    /// SQLCipher version.
    pub cipher_version: String,
    /// Findings of the SQLCipher HMAC check and the SQLite integrity check.
    pub problems: Vec<String>,
    /// Foreign-key violations.
    #[ts(type = "number")]
    pub foreign_key_problems: u64,
}

/// Runs every check.
pub fn check(kiosk: &Kiosk) -> Result<DbReport, Problem> {
    let c = kiosk.store().check()?;
    Ok(DbReport {
        ok: c.is_ok(),
        path: kiosk.store().path().display().to_string(),
        schema_version: u32::try_from(c.schema_version).unwrap_or(u32::MAX),
        latest_version: u32::try_from(c.latest_version).unwrap_or(u32::MAX),
        cipher_version: c.cipher_version,
        problems: c
            .cipher_problems
            .into_iter()
            .chain(c.integrity_problems)
            .collect(),
        foreign_key_problems: c.foreign_key_problems,
    })
}
