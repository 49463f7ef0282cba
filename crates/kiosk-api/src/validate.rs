//! Validation use cases: one value by kind, a whole application against a platform profile,
//! and the profiles and reference lists the forms are built from. Pure: no store needed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use kiosk_core::application::ApplicationKind;
use kiosk_core::field::{FieldKind, check_field_for};
pub use kiosk_core::form::FlowForm;
use kiosk_core::reference;
pub use kiosk_core::reference::EthnicGroup;
use kiosk_core::rules::account::PasswordContext;
pub use kiosk_core::rules::password_strength::PasswordStrength;
use kiosk_core::rules::password_strength::password_strength;
use kiosk_core::{Application, Problem, UserFacing, validate_application as validate_in_core};
pub use kiosk_core::{ApplicationReport, Date, FieldReport, Profile};

mod error;

pub use error::ValidateError;

/// The calendar date in China at `now_ms` (Unix milliseconds), the `today` every rule takes.
pub fn today_in_china(now_ms: i64) -> Date {
    Date::in_china_at(now_ms).unwrap_or(Date::MIN)
}

/// A platform in the picker: id, names and the flows it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileSummary {
    /// Profile id, e.g. `tianjin`.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Flows offered, in the profile's order.
    pub kinds: Vec<ApplicationKind>,
}

/// One administrative division.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Division {
    /// 6-digit GB/T 2260 code.
    pub code: String,
    /// Name, e.g. `和平区`.
    pub name: String,
}

fn unknown_kind(kind: &str) -> Problem {
    ValidateError::UnknownKind {
        kind: kind.to_owned(),
        known: FieldKind::ALL.iter().map(|k| k.as_str()).collect(),
    }
    .into()
}

/// Checks one value of `kind` (e.g. `resident-id`, `uscc`, `password`) on `today`.
pub fn validate_value(kind: &str, input: &str, today: Date) -> Result<FieldReport, Problem> {
    validate_value_for(None, kind, input, today)
}

/// [`validate_value`] under platform `profile_id`'s rules where they differ (account names,
/// passwords, mobiles from outside the mainland).
pub fn validate_value_for(
    profile_id: Option<&str>,
    kind: &str,
    input: &str,
    today: Date,
) -> Result<FieldReport, Problem> {
    let profile = profile_id
        .map(|id| Profile::by_id(id).map_err(|e| e.problem()))
        .transpose()?;
    let kind = FieldKind::parse(kind).ok_or_else(|| unknown_kind(kind))?;
    Ok(check_field_for(profile, kind, input, today))
}

/// Validates an application given as JSON text against the built-in profile `profile_id`.
/// Malformed JSON and unknown profiles are a [`Problem`]; everything wrong inside a
/// well-formed application is in the report.
pub fn validate_application(
    profile_id: &str,
    json: &str,
    today: Date,
) -> Result<ApplicationReport, Problem> {
    let profile = Profile::by_id(profile_id).map_err(|e| e.problem())?;
    let application = Application::from_json(json)?;
    Ok(validate_in_core(profile, &application, today))
}

/// What the live password meter is given: the password and what it must not contain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordCheck {
    /// The password as typed so far.
    pub password: String,
    /// The account name typed so far, if any.
    pub account_name: Option<String>,
    /// The ID number of the account's holder typed so far, if any.
    pub id_number: Option<String>,
}

impl PasswordCheck {
    /// Picks the password, account name and holder's ID number out of a partly filled
    /// application (the wizard's values): the holder is the person, or for a legal entity the
    /// primary agent, else the legal representative — as the whole-application check does.
    pub fn of_application(application: &serde_json::Value) -> Self {
        let text = |pointer: &str| {
            application
                .pointer(pointer)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
                .filter(|s| !s.trim().is_empty())
        };
        let id_number = ["person", "primaryAgent", "legalRepresentative"]
            .iter()
            .find_map(|who| text(&format!("/{who}/document/number")));
        Self {
            password: text("/account/password").unwrap_or_default(),
            account_name: text("/account/accountName"),
            id_number,
        }
    }
}

/// The live password meter under platform `profile_id`'s policy: each policy item met or not
/// and a strength level. The password is never logged or echoed.
pub fn password_check(
    profile_id: &str,
    check: &PasswordCheck,
) -> Result<PasswordStrength, Problem> {
    let profile = Profile::by_id(profile_id).map_err(|e| e.problem())?;
    let context = PasswordContext {
        confirmation: None,
        account_name: check.account_name.as_deref(),
        id_number: check.id_number.as_deref().map(str::trim),
    };
    Ok(password_strength(
        &check.password,
        &profile.password,
        context,
    ))
}

/// The built-in platform profiles.
pub fn list_profiles() -> Vec<ProfileSummary> {
    Profile::builtin()
        .iter()
        .map(|p| ProfileSummary {
            id: p.id.clone(),
            name_zh: p.name_zh.clone(),
            name_en: p.name_en.clone(),
            kinds: p.flows.iter().map(|f| f.kind).collect(),
        })
        .collect()
}

/// The full built-in profile `id` (fields, rules, attachment slots, service hours).
pub fn profile(id: &str) -> Result<Profile, Problem> {
    Profile::by_id(id).cloned().map_err(|e| e.problem())
}

/// The wizard of flow `kind` (e.g. `legal-entity`) on platform `profile_id`: steps, labelled
/// fields with their choices and checks, attachment slots.
pub fn flow_form(profile_id: &str, kind: &str) -> Result<FlowForm, Problem> {
    let profile = Profile::by_id(profile_id).map_err(|e| e.problem())?;
    ApplicationKind::parse(kind)
        .and_then(|k| kiosk_core::form::flow_form(profile, k))
        .ok_or_else(|| {
            ValidateError::FlowNotOffered {
                profile_zh: profile.name_zh.clone(),
                profile_en: profile.name_en.clone(),
                kind: kind.to_owned(),
            }
            .into()
        })
}

/// The 56 ethnic groups plus `97` other and `98` foreign origin (GB/T 3304).
pub fn ethnic_groups() -> Vec<EthnicGroup> {
    reference::ethnic_groups().to_vec()
}

/// The divisions directly below `parent` (`000000` for provinces), for address pickers.
pub fn divisions(parent: &str) -> Vec<Division> {
    reference::division_children(parent.trim())
        .into_iter()
        .map(|(code, name)| Division {
            code: code.to_owned(),
            name: name.to_owned(),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn china_date_turns_at_midnight_beijing_time() {
        // 2026-11-22T16:00:00Z is midnight in Beijing.
        let midnight_ms = 1_795_363_200_000;
        assert_eq!(today_in_china(midnight_ms - 1).to_string(), "2026-11-22");
        assert_eq!(today_in_china(midnight_ms).to_string(), "2026-11-23");
    }

    #[test]
    fn values_follow_the_chosen_platforms_rules() {
        let today = today();
        let most =
            validate_value_for(Some("most"), "account-name", "91110108MA01ET88XL", today).unwrap();
        assert!(
            most.valid,
            "MOST login names may start with a digit (a credit code): {most:?}"
        );
        let tianjin =
            validate_value_for(Some("tianjin"), "account-name", "91110108MA01ET88XL", today)
                .unwrap();
        assert!(!tianjin.valid, "Tianjin's start with a letter");
        let zhengzhou =
            validate_value_for(Some("zhengzhou"), "mobile", "+85291234567", today).unwrap();
        assert_eq!(zhengzhou.errors[0].code, "MOBILE_MAINLAND_ONLY");
        assert_eq!(
            validate_value_for(Some("nowhere"), "mobile", "x", today)
                .unwrap_err()
                .code,
            "PROFILE_UNKNOWN"
        );
    }

    #[test]
    fn values_are_checked_by_kind_name() {
        let report = validate_value("uscc", "91110108MA01ET88XL", today()).unwrap();
        assert!(report.valid, "{:?}", report.errors);
        assert_eq!(report.derived["category"], "企业");
        let err = validate_value("shoe-size", "42", today()).unwrap_err();
        assert_eq!(err.code, "VALIDATE_UNKNOWN_KIND");
    }

    #[test]
    fn applications_are_checked_against_their_profile() {
        let json = include_str!("../../../tests/fixtures/applications/most-legal-entity.json");
        let report = validate_application("most", json, today()).unwrap();
        assert!(report.valid, "{:?}", report.errors);
        let wrong = validate_application("tianjin", json, today()).unwrap();
        assert!(
            wrong
                .errors
                .iter()
                .any(|p| p.code == "APPLICATION_PROFILE_MISMATCH")
        );
        assert_eq!(
            validate_application("most", "{", today()).unwrap_err().code,
            "APPLICATION_JSON_INVALID"
        );
        assert_eq!(
            validate_application("mars", json, today())
                .unwrap_err()
                .code,
            "PROFILE_UNKNOWN"
        );
    }

    #[test]
    fn lists_the_four_profiles_and_reference_data() {
        let ids: Vec<String> = list_profiles().into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["zhengzhou", "tianjin", "shandong", "most"]);
        assert!(profile("tianjin").unwrap().bank_holder_must_match_unit);
        assert_eq!(ethnic_groups().len(), 58);
        assert!(divisions("120000").iter().any(|d| d.name == "天津市"));
    }

    #[test]
    fn the_password_meter_uses_the_chosen_platforms_policy() {
        let check = PasswordCheck::of_application(&serde_json::json!({
            "account": { "password": "tianjin2026", "accountName": "tj_user" },
            "legalRepresentative": { "document": { "number": " 11010519491231002X " } },
        }));
        assert_eq!(check.id_number.as_deref(), Some(" 11010519491231002X "));
        assert!(
            !password_check("tianjin", &check).unwrap().acceptable,
            "Tianjin needs three classes"
        );
        assert!(
            password_check("shandong", &check).unwrap().acceptable,
            "Shandong needs two"
        );
        let with_id = PasswordCheck {
            password: "Pw11010519491231002x".into(),
            ..check
        };
        let strength = password_check("tianjin", &with_id).unwrap();
        assert!(
            strength.items.iter().any(|i| !i.met),
            "the ID number inside is unmet"
        );
        assert_eq!(
            password_check("mars", &PasswordCheck::default())
                .unwrap_err()
                .code,
            "PROFILE_UNKNOWN"
        );
    }

    #[test]
    fn flow_forms_come_from_the_profile_and_unknown_flows_are_refused() {
        let form = flow_form("tianjin", "legal-entity").unwrap();
        assert!(form.risk_letter);
        assert_eq!(
            flow_form("tianjin", "password-reset-appeal")
                .unwrap_err()
                .code,
            "FLOW_NOT_OFFERED"
        );
        assert_eq!(
            flow_form("mars", "legal-entity").unwrap_err().code,
            "PROFILE_UNKNOWN"
        );
    }
}
