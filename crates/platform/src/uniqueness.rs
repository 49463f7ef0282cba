//! What a submission reserves in the registry, by application kind, and how conflicts and
//! releases work.
//!
//! - `natural-person`, `expert`: the account name (`account.accountName`) and the ID number
//!   (`person.document.number`);
//! - `legal-entity`: the account name and the unit's USCC (`unit.uscc`); the legal
//!   representative's ID number is not unique (one person may represent several units);
//! - profile `zhengzhou` (login by mobile: one account per mobile) also reserves the
//!   registration's SMS mobile;
//! - `real-name`, `legacy-binding`, `password-reset-appeal` (and unknown kinds) reserve
//!   nothing and are never refused: they refer to existing accounts.
//!
//! Values are compared normalised: account names case-insensitively, ID numbers and USCCs
//! trimmed and upper-case, mobiles in their stored form. The `registry` table holds only
//! their blind indexes (`value_index`: HMAC-SHA256 of the normalised value under the
//! platform's [`BlindKey`]), never the values.

use crate::sql_params as params;
use crate::storage::OptionalRow;
use crate::storage::Tx;

use crate::pii::BlindKey;
use crate::submissions::Reason;

/// A registry kind: its key in the `registry` table and the reason given on a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// Platform account name.
    AccountName,
    /// A natural person's ID document number.
    IdNumber,
    /// A unit's unified social credit code.
    Uscc,
    /// A login mobile (profiles that log in by mobile).
    Mobile,
}

impl Unique {
    /// The key in the `registry` table.
    pub fn key(self) -> &'static str {
        match self {
            Self::AccountName => "accountName",
            Self::IdNumber => "idNumber",
            Self::Uscc => "uscc",
            Self::Mobile => "mobile",
        }
    }

    /// The registry kind stored as `key`.
    pub fn from_key(key: &str) -> Option<Self> {
        [Self::AccountName, Self::IdNumber, Self::Uscc, Self::Mobile]
            .into_iter()
            .find(|k| k.key() == key)
    }

    /// The blind index of `value` (normalised here) in this registry.
    pub fn index(self, blind: &BlindKey, value: &str) -> String {
        blind.index(&format!("registry:{}", self.key()), &self.normalise(value))
    }

    /// The normalised form of `value`.
    pub fn normalise(self, value: &str) -> String {
        let v = value.trim();
        match self {
            Self::AccountName => v.to_lowercase(),
            Self::IdNumber | Self::Uscc => v.to_uppercase(),
            Self::Mobile => crate::phone::normalise_phone(v).unwrap_or_else(|| v.to_owned()),
        }
    }

    /// The stable code of a conflict.
    pub fn conflict_code(self) -> &'static str {
        match self {
            Self::AccountName => "ACCOUNT_NAME_TAKEN",
            Self::IdNumber => "ID_NUMBER_REGISTERED",
            Self::Uscc => "USCC_REGISTERED",
            Self::Mobile => "MOBILE_REGISTERED",
        }
    }

    /// The reason a conflicting submission is given.
    pub fn conflict(self) -> Reason {
        let (zh, en) = match self {
            Self::AccountName => (
                "账号名已被注册。请换一个账号名后重新提交。",
                "The account name is already registered. Choose another and submit again.",
            ),
            Self::IdNumber => (
                "该证件号码已注册过账号。请找回原账号，或到窗口办理。",
                "This ID number already has an account. Recover that account or go to the counter.",
            ),
            Self::Uscc => (
                "该统一社会信用代码已注册过单位账号。请联系本单位管理员。",
                "This unified social credit code already has a unit account. Contact your unit's administrator.",
            ),
            Self::Mobile => (
                "该手机号已注册过账号（本平台一个手机号只能注册一个账号）。请用该手机号登录或找回密码，或换一个手机号注册。",
                "This mobile already has an account (this platform allows one account per mobile). Log in or reset the password with it, or register with another mobile.",
            ),
        };
        Reason {
            code: self.conflict_code().into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// One value a submission reserves (Debug hides the value: it may be an ID number).
#[derive(Clone, PartialEq, Eq)]
pub struct Reservation {
    /// Which registry.
    pub kind: Unique,
    /// The normalised value.
    pub value: String,
}

impl std::fmt::Debug for Reservation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reservation")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Profiles whose accounts log in by mobile: one account per mobile.
pub const MOBILE_LOGIN_PROFILES: [&str; 1] = ["zhengzhou"];

fn text_at<'a>(payload: &'a serde_json::Value, pointer: &str) -> Option<&'a str> {
    payload
        .pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// What `payload` reserves, by its `kind` and `profile`; `account_name` replaces the requested
/// account name (a reviewer's choice on approval).
pub fn reservations(payload: &serde_json::Value, account_name: Option<&str>) -> Vec<Reservation> {
    let kind = text_at(payload, "/kind").unwrap_or_default();
    let profile = text_at(payload, "/profile").unwrap_or_default();
    let mut wanted: Vec<(Unique, Option<&str>)> = Vec::new();
    let account = account_name.or_else(|| text_at(payload, "/account/accountName"));
    match kind {
        "natural-person" | "expert" => {
            wanted.push((Unique::AccountName, account));
            wanted.push((
                Unique::IdNumber,
                text_at(payload, "/person/document/number"),
            ));
        }
        "legal-entity" => {
            wanted.push((Unique::AccountName, account));
            wanted.push((Unique::Uscc, text_at(payload, "/unit/uscc")));
        }
        _ => return Vec::new(),
    }
    if MOBILE_LOGIN_PROFILES.contains(&profile) {
        wanted.push((Unique::Mobile, crate::mobile::sms_mobile(payload)));
    }
    wanted
        .into_iter()
        .filter_map(|(kind, value)| {
            value.map(|v| Reservation {
                kind,
                value: kind.normalise(v),
            })
        })
        .collect()
}

/// The registry of the first reservation held by another submission than `owner`.
pub fn conflict(
    db: &mut dyn Tx,
    blind: &BlindKey,
    wanted: &[Reservation],
    owner: &str,
) -> crate::storage::Result<Option<Unique>> {
    for r in wanted {
        let holder: Option<String> = db
            .query_row(
                "SELECT submission_id FROM registry WHERE kind = ?1 AND value_index = ?2",
                params![r.kind.key(), r.kind.index(blind, &r.value)],
                |row| row.get(0),
            )
            .optional()?;
        if holder.is_some_and(|h| h != owner) {
            return Ok(Some(r.kind));
        }
    }
    Ok(None)
}

/// Reserves `wanted` for `owner` (after [`conflict`] found none).
pub fn reserve(
    db: &mut dyn Tx,
    blind: &BlindKey,
    owner: &str,
    wanted: &[Reservation],
) -> crate::storage::Result<()> {
    for r in wanted {
        db.execute(
            "INSERT INTO registry (kind, value_index, submission_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (kind, value_index) DO UPDATE SET submission_id = excluded.submission_id",
            params![r.kind.key(), r.kind.index(blind, &r.value), owner],
        )?;
    }
    Ok(())
}

/// Releases everything `owner` reserved.
pub fn release(db: &mut dyn Tx, owner: &str) -> crate::storage::Result<usize> {
    db.execute(
        "DELETE FROM registry WHERE submission_id = ?1",
        params![owner],
    )
}

/// Whether `value` of `kind` is held by any submission.
pub fn is_registered(
    db: &mut dyn Tx,
    blind: &BlindKey,
    kind: Unique,
    value: &str,
) -> crate::storage::Result<bool> {
    db.query_row(
        "SELECT 1 FROM registry WHERE kind = ?1 AND value_index = ?2",
        params![kind.key(), kind.index(blind, value)],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> serde_json::Value {
        let path = format!(
            "{}/../../tests/fixtures/applications/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn kinds(payload: &serde_json::Value) -> Vec<(&'static str, String)> {
        reservations(payload, None)
            .into_iter()
            .map(|r| (r.kind.key(), r.value))
            .collect()
    }

    #[test]
    fn registrations_reserve_by_kind_from_the_kiosk_payloads() {
        assert_eq!(
            kinds(&fixture("most-natural-person")),
            [
                ("accountName", "wu_tao1992".to_owned()),
                ("idNumber", "110108199202031378".to_owned())
            ]
        );
        assert_eq!(
            kinds(&fixture("tianjin-legal-entity")),
            [
                ("accountName", "tjshili2021".to_owned()),
                ("uscc", "91120116MA07R4CN6Y".to_owned())
            ],
            "the legal representative's ID number is not reserved"
        );
        assert_eq!(
            kinds(&fixture("shandong-legal-entity")),
            [("uscc", "91370102MA3C8P1D8B".to_owned())],
            "no account name asked for"
        );
        assert_eq!(
            kinds(&fixture("zhengzhou-expert")),
            [
                ("accountName", "lixiuying".to_owned()),
                ("idNumber", "41010219850621442X".to_owned()),
                ("mobile", "13837100002".to_owned())
            ],
            "Zhengzhou logs in by mobile"
        );
        assert_eq!(
            kinds(&fixture("zhengzhou-legal-entity"))[2],
            ("mobile", "13837100002".to_owned()),
            "the unit's SMS mobile is the primary agent's"
        );
    }

    #[test]
    fn references_to_existing_accounts_reserve_nothing() {
        for name in [
            "most-real-name",
            "most-legacy-binding",
            "most-password-reset-appeal",
            "zhengzhou-legacy-binding",
            "zhengzhou-real-name",
            "shandong-legacy-binding",
        ] {
            assert_eq!(kinds(&fixture(name)), [], "{name}");
        }
    }

    #[test]
    fn a_reviewer_chosen_name_replaces_the_requested_one() {
        let r = reservations(&fixture("most-natural-person"), Some("HJ_Wu_Tao"));
        assert_eq!(r[0].value, "hj_wu_tao");
    }
}
