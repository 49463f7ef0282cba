//! Online checks used while a kiosk is connected: already-registered checks against the
//! registry that submissions fill, and real-name verification against the simulated
//! population database (open during configurable service hours, 08:00-18:00 China time by
//! default). Checks reserve and record nothing.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::uniqueness::Unique;
use crate::{ApiError, Platform, StartError};

/// When the population database answers: minutes after midnight China time, `opens`
/// inclusive, `closes` exclusive (a window may run past midnight: `22:00-06:00`).
pub use china_clock::DailyHours as ServiceHours;

/// A person of the simulated population database (Debug hides the name and number).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestPerson {
    /// Name as registered.
    pub name: String,
    /// 18-character resident ID number.
    pub id_number: String,
    /// `verified` (default), or `not-found` (the database holds no usable record: the
    /// kiosk then offers manual review). `manual-review`, from older fixture files, reads as
    /// `not-found`.
    #[serde(default = "verified")]
    pub outcome: String,
}

impl std::fmt::Debug for TestPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestPerson")
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

fn verified() -> String {
    "verified".into()
}

/// Built-in test persons (fictitious).
const BUILTIN_PERSONS: &str = r#"[
  {"name":"张三","idNumber":"11010519491231002X"},
  {"name":"李四","idNumber":"440524188001010014"},
  {"name":"王五","idNumber":"110101199003074477","outcome":"not-found"}
]"#;

/// Loads the fixture from `path`, or the built-in persons when it does not exist.
pub fn load_persons(path: &Path) -> Result<Vec<TestPerson>, StartError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BUILTIN_PERSONS.to_owned(),
        Err(source) => {
            return Err(StartError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    serde_json::from_str(&text)
        .map_err(|e| StartError::Malformed(format!("{}: {e}", path.display())))
}

/// `POST /api/v1/checks/{account-name,id-number,uscc,mobile}` request.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueCheck {
    /// The value to check.
    pub value: String,
}

/// Never prints the value (it may be an ID number or a mobile).
impl std::fmt::Debug for ValueCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValueCheck").finish_non_exhaustive()
    }
}

/// Result of an already-registered check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredAnswer {
    /// Whether a submission already holds the value.
    pub registered: bool,
}

/// `POST /api/v1/checks/real-name` request.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RealNameCheck {
    /// Name on the ID card.
    pub name: String,
    /// ID number.
    pub id_number: String,
}

/// Never prints the name or the number.
impl std::fmt::Debug for RealNameCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealNameCheck").finish_non_exhaustive()
    }
}

/// Result of a real-name verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RealNameAnswer {
    /// `verified`, `mismatch`, `not-found` or `out-of-hours`.
    pub result: String,
    /// What to tell the visitor, Chinese.
    pub zh: String,
    /// What to tell the visitor, English.
    pub en: String,
}

/// The registry a check kind looks in (`account-name`, `id-number`, `uscc`, `mobile`).
pub fn registry_of(kind: &str) -> Option<Unique> {
    match kind {
        "account-name" => Some(Unique::AccountName),
        "id-number" => Some(Unique::IdNumber),
        "uscc" => Some(Unique::Uscc),
        "mobile" => Some(Unique::Mobile),
        _ => None,
    }
}

impl Platform {
    /// Whether `value` is held in registry `kind` (normalised first; a mobile must be valid).
    pub fn check_registered(
        &self,
        kind: Unique,
        value: &str,
    ) -> Result<RegisteredAnswer, ApiError> {
        let value = value.trim();
        if kind == Unique::Mobile {
            crate::phone::require_phone(value)?;
        } else if value.is_empty() || value.chars().count() > 64 {
            return Err(ApiError::bad_request(
                "CHECK_VALUE_INVALID",
                "待查询的值须为 1-64 个字符。",
                "The value to check must be 1-64 characters.",
            ));
        }
        let mut db = self.read()?;
        Ok(RegisteredAnswer {
            registered: crate::uniqueness::is_registered(&mut *db, &self.blind_key, kind, value)?,
        })
    }

    /// Verifies a name and ID number against the simulated population database. Records
    /// nothing: a manual review comes with a submission that asks for it.
    pub fn check_real_name(&self, check: &RealNameCheck) -> RealNameAnswer {
        let answer = |result: &str, zh: String, en: String| RealNameAnswer {
            result: result.into(),
            zh,
            en,
        };
        let hours = self.settings.population_hours;
        if !hours.is_open_at(self.now_ms()) {
            return answer(
                "out-of-hours",
                format!(
                    "人口库核验服务时间为 {hours}（北京时间）。请在服务时间内再试，或先保存草稿。"
                ),
                format!(
                    "The population database answers {hours} China time. Try again then, or save a draft."
                ),
            );
        }
        let id = check.id_number.trim().to_uppercase();
        match self.persons.iter().find(|p| p.id_number == id) {
            Some(p) if p.name != check.name.trim() => answer(
                "mismatch",
                "姓名与证件号码不一致。请核对证件后重新输入。".into(),
                "The name does not match the ID number. Check the ID card and enter them again.".into(),
            ),
            Some(p) if p.outcome == "verified" => answer(
                "verified",
                "实名核验通过。".into(),
                "Real-name verification passed.".into(),
            ),
            _ => answer(
                "not-found",
                "人口库中没有查到可核验的记录。可改为人工审核：上传本人签字的身份证正反面照片后提交。".into(),
                "The population database has no record it can verify. You can ask for manual review instead: upload signed photos of both sides of the ID card and submit.".into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_hours_default_to_eight_to_eighteen_china_time() {
        let hours = ServiceHours::default();
        let midnight_utc = 1_795_392_000_000; // 08:00 CST
        assert!(hours.is_open_at(midnight_utc), "08:00 is open");
        assert!(
            !hours.is_open_at(midnight_utc - 1),
            "07:59:59.999 is closed"
        );
        assert!(
            !hours.is_open_at(midnight_utc + 10 * 3_600_000),
            "18:00 is closed"
        );
        assert!(
            hours.is_open_at(midnight_utc + 10 * 3_600_000 - 60_000),
            "17:59 is open"
        );
    }

    #[test]
    fn service_hours_parse_and_may_run_past_midnight() {
        assert_eq!("08:00-18:00".parse(), Ok(ServiceHours::default()));
        let night: ServiceHours = "22:00-06:30".parse().unwrap();
        assert_eq!(night.to_string(), "22:00-06:30");
        let midnight_utc = 1_795_392_000_000; // 08:00 CST
        assert!(!night.is_open_at(midnight_utc), "08:00 is closed");
        assert!(
            night.is_open_at(midnight_utc - 2 * 3_600_000),
            "06:00 is open"
        );
        assert!(
            night.is_open_at(midnight_utc + 15 * 3_600_000),
            "23:00 is open"
        );
        let always: ServiceHours = "00:00-24:00".parse().unwrap();
        assert!(always.is_open_at(midnight_utc - 1));
        for bad in [
            "8-18",
            "08:00",
            "25:00-26:00",
            "08:60-18:00",
            "08:00-08:00",
            "24:00-08:00",
        ] {
            assert!(bad.parse::<ServiceHours>().is_err(), "{bad}");
        }
    }

    #[test]
    fn builtin_persons_parse() {
        let persons = load_persons(Path::new("/nonexistent/persons.json"));
        assert!(
            persons.is_ok_and(|p| p.len() == 3),
            "the built-in fixture has three persons"
        );
    }
}
