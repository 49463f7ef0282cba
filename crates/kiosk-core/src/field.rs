//! One entry point for checking a single value by kind: what `kioskctl validate` and the
//! UI's field-by-field checks call.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Problem;
use crate::date::Date;
use crate::profile::Profile;
use crate::rules::Validated;
use crate::rules::account::{
    AccountNamePolicy, PasswordContext, PasswordPolicy, character_classes, validate_account_name,
    validate_password,
};
use crate::rules::contact::{validate_email, validate_mobile_for, validate_sms_code};
use crate::rules::passport::validate_passport;
use crate::rules::permits::{
    PermitNumber, validate_birth_certificate, validate_foreign_pr, validate_hk_macao_permit,
    validate_residence_permit, validate_taiwan_permit,
};
use crate::rules::resident_id::{ResidentId, validate_resident_id};
use crate::rules::uscc::validate_uscc;

/// The kinds of single value that can be checked on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum FieldKind {
    /// Resident ID number (18 or 15 digits).
    ResidentId,
    /// Unified social credit code.
    Uscc,
    /// Mainland mobile number.
    Mobile,
    /// E-mail address.
    Email,
    /// SMS verification code.
    SmsCode,
    /// Mainland travel permit for HK/Macao residents.
    HkMacaoPermit,
    /// Mainland travel permit for Taiwan residents.
    TaiwanPermit,
    /// Residence permit for HK/Macao/Taiwan residents.
    ResidencePermit,
    /// Foreigner permanent residence card.
    ForeignPr,
    /// Chinese ordinary passport.
    Passport,
    /// A passport issued by another country (5-20 letters and digits).
    ForeignPassport,
    /// Birth medical certificate.
    BirthCertificate,
    /// Account name under the Tianjin/MOST rule.
    AccountName,
    /// Password under the Tianjin rule.
    Password,
}

impl FieldKind {
    /// Every kind.
    pub const ALL: [Self; 14] = [
        Self::ResidentId,
        Self::Uscc,
        Self::Mobile,
        Self::Email,
        Self::SmsCode,
        Self::HkMacaoPermit,
        Self::TaiwanPermit,
        Self::ResidencePermit,
        Self::ForeignPr,
        Self::Passport,
        Self::ForeignPassport,
        Self::BirthCertificate,
        Self::AccountName,
        Self::Password,
    ];

    /// Stable kebab-case name (as on the command line).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ResidentId => "resident-id",
            Self::Uscc => "uscc",
            Self::Mobile => "mobile",
            Self::Email => "email",
            Self::SmsCode => "sms-code",
            Self::HkMacaoPermit => "hk-macao-permit",
            Self::TaiwanPermit => "taiwan-permit",
            Self::ResidencePermit => "residence-permit",
            Self::ForeignPr => "foreign-pr",
            Self::Passport => "passport",
            Self::ForeignPassport => "foreign-passport",
            Self::BirthCertificate => "birth-certificate",
            Self::AccountName => "account-name",
            Self::Password => "password",
        }
    }

    /// Parses [`FieldKind::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name.trim())
    }
}

/// The result of checking one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldReport {
    /// What was checked.
    pub kind: FieldKind,
    /// The input as given (a password is replaced by asterisks).
    pub input: String,
    /// Whether the value is acceptable.
    pub valid: bool,
    /// The normalised value, when valid (never for passwords).
    pub normalized: Option<String>,
    /// Blocking problems.
    pub errors: Vec<Problem>,
    /// Non-blocking problems.
    pub warnings: Vec<Problem>,
    /// Facts derived from the value, e.g. `birthDate`, `sex`, `area` for a resident ID.
    pub derived: BTreeMap<String, String>,
}

fn report<T>(
    kind: FieldKind,
    input: String,
    result: Validated<T>,
    describe: impl FnOnce(&T, &mut BTreeMap<String, String>) -> Option<String>,
) -> FieldReport {
    let mut derived = BTreeMap::new();
    let normalized = result
        .value
        .as_ref()
        .and_then(|v| describe(v, &mut derived));
    FieldReport {
        kind,
        input,
        valid: result.errors.is_empty(),
        normalized,
        errors: result.errors,
        warnings: result.warnings,
        derived,
    }
}

fn describe_resident(id: &ResidentId, derived: &mut BTreeMap<String, String>) {
    derived.insert("birthDate".into(), id.birth_date.to_string());
    derived.insert("sex".into(), id.sex.as_str().into());
    derived.insert("areaCode".into(), id.area_code.clone());
    if let Some(path) = crate::reference::division_path(&id.area_code) {
        derived.insert("area".into(), path);
    }
    if id.upgraded_from_15 {
        derived.insert("upgradedFrom15".into(), "true".into());
    }
}

fn describe_permit(p: &PermitNumber, derived: &mut BTreeMap<String, String>) -> Option<String> {
    derived.insert("variant".into(), p.variant.into());
    if let Some(holder) = &p.holder {
        derived.insert("birthDate".into(), holder.birth_date.to_string());
        derived.insert("sex".into(), holder.sex.as_str().into());
    }
    Some(p.number.clone())
}

/// Checks one value of `kind` on `today`. Without a profile, account names and passwords use
/// the Tianjin rule (the strictest of the four platforms) and mobiles may be international.
pub fn check_field(kind: FieldKind, input: &str, today: Date) -> FieldReport {
    check_field_for(None, kind, input, today)
}

/// Checks one value of `kind` on `today` under `profile`'s rules where they differ (account
/// name, password, mobiles from outside the mainland).
pub fn check_field_for(
    profile: Option<&Profile>,
    kind: FieldKind,
    input: &str,
    today: Date,
) -> FieldReport {
    let default_names = AccountNamePolicy::default();
    let names = profile
        .and_then(|p| p.account_name.as_ref())
        .unwrap_or(&default_names);
    let default_passwords = PasswordPolicy::default();
    let passwords = profile.map_or(&default_passwords, |p| &p.password);
    let international = profile.is_none_or(|p| p.international_mobiles);
    let echo = if kind == FieldKind::Password {
        "*".repeat(input.chars().count().min(32))
    } else {
        input.to_owned()
    };
    match kind {
        FieldKind::ResidentId => report(kind, echo, validate_resident_id(input, today), |id, d| {
            describe_resident(id, d);
            Some(id.number.clone())
        }),
        FieldKind::Uscc => report(kind, echo, validate_uscc(input, None), |u, d| {
            d.insert("categoryCode".into(), u.category_code.clone());
            if let (Some(zh), Some(en)) = (u.category_zh, u.category_en) {
                d.insert("category".into(), zh.into());
                d.insert("categoryEn".into(), en.into());
            }
            d.insert("areaCode".into(), u.area_code.clone());
            if let Some(path) = crate::reference::division_path(&u.area_code) {
                d.insert("area".into(), path);
            }
            d.insert("organisationCode".into(), u.organisation_code.clone());
            Some(u.code.clone())
        }),
        FieldKind::Mobile => report(
            kind,
            echo,
            validate_mobile_for(input, international),
            |m, _| Some(m.clone()),
        ),
        FieldKind::Email => report(kind, echo, validate_email(input), |m, _| Some(m.clone())),
        FieldKind::SmsCode => report(kind, echo, validate_sms_code(input), |m, _| Some(m.clone())),
        FieldKind::HkMacaoPermit => {
            report(kind, echo, validate_hk_macao_permit(input), describe_permit)
        }
        FieldKind::TaiwanPermit => {
            report(kind, echo, validate_taiwan_permit(input), describe_permit)
        }
        FieldKind::ResidencePermit => report(
            kind,
            echo,
            validate_residence_permit(input, today),
            describe_permit,
        ),
        FieldKind::ForeignPr => report(kind, echo, validate_foreign_pr(input), describe_permit),
        FieldKind::Passport => report(kind, echo, validate_passport(input, true), describe_permit),
        FieldKind::ForeignPassport => {
            report(kind, echo, validate_passport(input, false), describe_permit)
        }
        FieldKind::BirthCertificate => report(
            kind,
            echo,
            validate_birth_certificate(input),
            describe_permit,
        ),
        FieldKind::AccountName => {
            report(kind, echo, validate_account_name(input, names), |n, _| {
                Some(n.clone())
            })
        }
        FieldKind::Password => {
            let result = validate_password(input, passwords, PasswordContext::default());
            report(kind, echo, result, |(), d| {
                d.insert(
                    "characterClasses".into(),
                    character_classes(input).to_string(),
                );
                None
            })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn resident_id_report_carries_birth_sex_and_area() {
        let r = check_field(FieldKind::ResidentId, "11010519491231002X", today());
        assert!(r.valid);
        assert_eq!(r.derived["birthDate"], "1949-12-31");
        assert_eq!(r.derived["sex"], "female");
        assert!(r.derived["area"].contains("朝阳区"), "{:?}", r.derived);
    }

    #[test]
    fn password_reports_never_echo_the_password() {
        let r = check_field(FieldKind::Password, "Secret#2026", today());
        assert!(r.valid);
        assert_eq!(r.input, "***********");
        assert_eq!(r.normalized, None);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("Secret"), "{json}");
    }

    #[test]
    fn every_kind_parses_back_from_its_name() {
        for kind in FieldKind::ALL {
            assert_eq!(FieldKind::parse(kind.as_str()), Some(kind));
        }
    }
}
