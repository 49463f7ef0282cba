//! Platform profiles: one data file per online system (`assets/profiles/*.json`) that
//! configures the shared domain model — which kinds exist, which fields each flow asks for
//! and requires, account and password rules, accepted documents, attachment slots,
//! real-name verification and its service hours.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::UserFacing;
use crate::application::{ApplicationKind, LegalEntityType};
use crate::document::DocumentType;
use crate::rules::account::{AccountNamePolicy, PasswordPolicy};

/// The built-in profiles' source text, embedded at build time.
const BUILTIN_JSON: [&str; 4] = [
    include_str!("../../../assets/profiles/zhengzhou.json"),
    include_str!("../../../assets/profiles/tianjin.json"),
    include_str!("../../../assets/profiles/shandong.json"),
    include_str!("../../../assets/profiles/most.json"),
];

/// Daily hours during which a platform's online verification works (`HH:MM`, 24 h).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServiceHours {
    /// Opening time, inclusive, e.g. `08:00`.
    pub from: String,
    /// Closing time, exclusive, e.g. `18:00`.
    pub to: String,
}

impl ServiceHours {
    /// The hours as minutes China time; `None` when malformed (refused when the profile is
    /// loaded).
    pub fn daily(&self) -> Option<china_clock::DailyHours> {
        china_clock::DailyHours::from_times(&self.from, &self.to)
    }

    /// Whether online verification is open at `minute_of_day` (0-1439, China time). Hours
    /// may run past midnight. Malformed hours (refused when the profile is loaded) count as
    /// always open.
    pub fn is_open(&self, minute_of_day: u16) -> bool {
        self.daily()
            .is_none_or(|hours| hours.contains_minute(minute_of_day))
    }
}

/// How a platform verifies real names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RealNamePolicy {
    /// Whether the visitor may skip verification during registration.
    pub skippable: bool,
    /// Level the platform needs (e.g. `medium` for Shandong), when it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub level: Option<String>,
    /// Whether a manual fallback (signed document photos) exists when online checks fail.
    pub manual_fallback: bool,
    /// Document types the online verification accepts.
    pub document_types: Vec<DocumentType>,
    /// Hours of the population database; outside them the kiosk queues the verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub service_hours: Option<ServiceHours>,
}

/// An attachment slot of a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AttachmentSlot {
    /// Stable id, e.g. `business-licence`.
    pub slot: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// Whether at least one file is required.
    pub required: bool,
    /// Largest file in bytes.
    #[ts(type = "number")]
    pub max_bytes: u64,
    /// How many files the slot takes.
    pub max_count: u8,
    /// Accepted media types, e.g. `image/jpeg`.
    pub media_types: Vec<String>,
    /// Only asked for when the real name goes to manual review (the document photos staff
    /// compare by hand); then at least one file is required, unless `optional`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub manual_review: bool,
    /// With `manual_review`: asked in manual review but not required (MOST's "other documents",
    /// which only units registered abroad or in Hong Kong, Macao or Taiwan hand in).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub optional: bool,
    /// Only asked while this holds in the application (the unit's documents only when a legal
    /// entity is verified); absent: always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub visible_when: Option<crate::form::Condition>,
}

impl AttachmentSlot {
    /// Whether the slot is asked for in `application` (JSON), with or without manual review.
    pub fn asked(&self, application: &serde_json::Value, manual_review: bool) -> bool {
        (!self.manual_review || manual_review)
            && self
                .visible_when
                .as_ref()
                .is_none_or(|c| c.holds(application))
    }

    /// Whether at least one file is needed in `application`.
    pub fn needed(&self, application: &serde_json::Value, manual_review: bool) -> bool {
        self.asked(application, manual_review)
            && (self.required || (self.manual_review && !self.optional))
    }
}

/// What one flow (application kind) asks for on a platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Flow {
    /// The application kind.
    pub kind: ApplicationKind,
    /// Chinese name on the platform (e.g. `法人用户注册`).
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Field paths the form shows (camelCase, dotted: `unit.bankAccount.holder`).
    pub fields: Vec<String>,
    /// Field paths that must be filled in (a subset of `fields`).
    pub required: Vec<String>,
    /// Attachment slots.
    #[serde(default)]
    pub attachments: Vec<AttachmentSlot>,
}

/// A platform profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Profile {
    /// Stable id: `zhengzhou`, `tianjin`, `shandong`, `most`.
    pub id: String,
    /// Chinese name of the system.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The manuals this profile was written from (file names in the seeds).
    pub manuals: Vec<String>,
    /// Account-name rule; absent when the platform logs in by mobile number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account_name: Option<AccountNamePolicy>,
    /// Password rule.
    pub password: PasswordPolicy,
    /// Real-name verification.
    pub real_name: RealNamePolicy,
    /// Identity-document types the forms accept.
    pub document_types: Vec<DocumentType>,
    /// Legal-entity types the forms offer.
    pub legal_entity_types: Vec<LegalEntityType>,
    /// Whether the ID card's validity period must be entered.
    pub id_validity_required: bool,
    /// Whether the bank account holder must equal the unit name.
    pub bank_holder_must_match_unit: bool,
    /// Whether an unbound expert account must be bound before an applicant account.
    pub expert_binding_first: bool,
    /// Whether mobiles of Hong Kong, Macao, Taiwan and abroad (`+<country code>…`) are accepted
    /// besides mainland ones (MOST, Tianjin and Shandong register foreigners and HK/Macao/Taiwan
    /// residents; Zhengzhou logs in by mainland mobile).
    #[serde(default)]
    pub international_mobiles: bool,
    /// The flows (account kinds and requests) the platform offers.
    pub flows: Vec<Flow>,
}

/// Why a profile could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The text is not a valid profile.
    #[error("invalid profile: {0}")]
    Invalid(String),
    /// No profile has this id.
    #[error("unknown profile {0}")]
    Unknown(String),
}

impl UserFacing for ProfileError {
    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "PROFILE_INVALID",
            Self::Unknown(_) => "PROFILE_UNKNOWN",
        }
    }
    fn zh(&self) -> String {
        match self {
            Self::Invalid(why) => format!("平台配置文件无效（{why}），请联系管理员。"),
            Self::Unknown(id) => {
                format!("没有名为“{id}”的平台配置，可选：zhengzhou、tianjin、shandong、most。")
            }
        }
    }
    fn en(&self) -> String {
        match self {
            Self::Invalid(why) => {
                format!("The platform profile is invalid ({why}). Call an administrator.")
            }
            Self::Unknown(id) => {
                format!(
                    "There is no platform profile \"{id}\". Choose zhengzhou, tianjin, shandong or most."
                )
            }
        }
    }
}

impl Profile {
    /// Parses and checks a profile from JSON text (pure: the caller reads the file).
    pub fn from_json(text: &str) -> Result<Self, ProfileError> {
        let profile: Profile =
            serde_json::from_str(text).map_err(|e| ProfileError::Invalid(e.to_string()))?;
        profile.check()?;
        Ok(profile)
    }

    /// Checks the profile's internal consistency.
    fn check(&self) -> Result<(), ProfileError> {
        let invalid = |why: String| Err(ProfileError::Invalid(format!("{}: {why}", self.id)));
        if let Some(hours) = &self.real_name.service_hours
            && hours.daily().is_none()
        {
            return invalid("service hours must be two different HH:MM times".to_owned());
        }
        for (i, flow) in self.flows.iter().enumerate() {
            if self.flows[..i].iter().any(|f| f.kind == flow.kind) {
                return invalid(format!("flow {} listed twice", flow.kind.as_str()));
            }
            if let Some(path) = flow.required.iter().find(|r| !flow.fields.contains(r)) {
                return invalid(format!(
                    "{}: required {path} is not among the fields",
                    flow.kind.as_str()
                ));
            }
        }
        Ok(())
    }

    /// The flow for `kind`, if the platform offers it.
    pub fn flow(&self, kind: ApplicationKind) -> Option<&Flow> {
        self.flows.iter().find(|f| f.kind == kind)
    }

    /// The four built-in profiles, in the order of the manuals.
    pub fn builtin() -> &'static [Profile] {
        static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
        PROFILES.get_or_init(|| {
            BUILTIN_JSON
                .iter()
                .filter_map(|text| Profile::from_json(text).ok())
                .collect()
        })
    }

    /// The built-in profile with `id`.
    pub fn by_id(id: &str) -> Result<&'static Profile, ProfileError> {
        Self::builtin()
            .iter()
            .find(|p| p.id == id.trim())
            .ok_or_else(|| ProfileError::Unknown(id.to_owned()))
    }
}

impl crate::Catalogued for ProfileError {
    fn samples() -> Vec<Self> {
        vec![
            Self::Invalid("<原因> / <reason>".into()),
            Self::Unknown("<平台> / <profile>".into()),
        ]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn all_four_builtin_profiles_load() {
        for text in BUILTIN_JSON {
            Profile::from_json(text).expect("built-in profile must load");
        }
        let ids: Vec<&str> = Profile::builtin().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["zhengzhou", "tianjin", "shandong", "most"]);
    }

    #[test]
    fn tianjin_registers_only_during_population_database_hours() {
        let tianjin = Profile::by_id("tianjin").unwrap();
        let hours = tianjin
            .real_name
            .service_hours
            .as_ref()
            .expect("Tianjin has hours");
        assert!(!hours.is_open(7 * 60 + 59));
        assert!(hours.is_open(8 * 60));
        assert!(hours.is_open(17 * 60 + 59));
        assert!(!hours.is_open(18 * 60));
    }

    #[test]
    fn zhengzhou_lets_the_visitor_skip_real_name_and_shandong_does_not() {
        assert!(Profile::by_id("zhengzhou").unwrap().real_name.skippable);
        assert!(!Profile::by_id("shandong").unwrap().real_name.skippable);
        assert_eq!(
            Profile::by_id("nowhere").unwrap_err().code(),
            "PROFILE_UNKNOWN"
        );
    }

    #[test]
    fn inconsistent_profiles_are_refused() {
        let mut json: serde_json::Value = serde_json::from_str(BUILTIN_JSON[1]).unwrap();
        json["flows"][0]["required"]
            .as_array_mut()
            .unwrap()
            .push("no.such.field".into());
        let err = Profile::from_json(&json.to_string()).unwrap_err();
        assert_eq!(err.code(), "PROFILE_INVALID", "{err}");
        assert_eq!(
            Profile::from_json("{").unwrap_err().code(),
            "PROFILE_INVALID"
        );
    }

    #[test]
    fn service_hours_are_read_strictly() {
        let hours = |from: &str, to: &str| ServiceHours {
            from: from.into(),
            to: to.into(),
        };
        assert!(hours("08:00", "18:00").is_open(480));
        assert!(!hours("08:00", "18:00").is_open(1080));
        assert_eq!(hours("8:00", "18:00").daily(), None);
        assert_eq!(hours("08:00", "08:00").daily(), None);
    }

    #[test]
    fn most_manual_review_asks_a_person_for_their_id_and_a_unit_for_its_documents() {
        let most = Profile::by_id("most").unwrap();
        let flow = most.flow(ApplicationKind::RealName).unwrap();
        let needed = |subject: &str| -> Vec<&str> {
            let app = serde_json::json!({ "kind": "real-name", "subject": subject });
            flow.attachments
                .iter()
                .filter(|s| s.needed(&app, true))
                .map(|s| s.slot.as_str())
                .collect()
        };
        assert_eq!(needed("natural-person"), ["id-front", "id-back"]);
        assert_eq!(
            needed("legal-entity"),
            ["organisation-certificate", "legal-representative-document"]
        );
        let app = serde_json::json!({ "kind": "real-name", "subject": "legal-entity" });
        let other = flow.attachments.iter().find(|s| s.slot == "other").unwrap();
        assert!(other.asked(&app, true) && !other.needed(&app, true));
        assert!(!other.asked(&app, false), "only in manual review");
    }
}
