//! Online checks used while a kiosk is connected: already-registered checks and the simulated
//! population database for real-name verification (open 08:00-18:00 China time).

use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::clock::china_minute_of_day;
use crate::{ApiError, Platform, StartError};

/// Opening minute of the population database (08:00).
pub const SERVICE_OPENS: i64 = 8 * 60;
/// Closing minute of the population database (18:00).
pub const SERVICE_CLOSES: i64 = 18 * 60;

/// A person of the simulated population database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestPerson {
    /// Name as registered.
    pub name: String,
    /// 18-character resident ID number.
    pub id_number: String,
    /// `verified` (default) or `manual-review` (the database cannot decide: photo too old, ...).
    #[serde(default = "verified")]
    pub outcome: String,
}

fn verified() -> String {
    "verified".into()
}

/// Built-in test persons (fictitious).
const BUILTIN_PERSONS: &str = r#"[
  {"name":"张三","idNumber":"11010519491231002X"},
  {"name":"李四","idNumber":"440524188001010014"},
  {"name":"王五","idNumber":"110101199003074477","outcome":"manual-review"}
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

/// `POST /api/v1/checks/{account-name,id-number,uscc}` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueCheck {
    /// The value to check.
    pub value: String,
}

/// Result of an already-registered check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredAnswer {
    /// Whether an account already uses the value.
    pub registered: bool,
}

/// `POST /api/v1/checks/real-name` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RealNameCheck {
    /// Name on the ID card.
    pub name: String,
    /// ID number.
    pub id_number: String,
}

/// Result of a real-name verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RealNameAnswer {
    /// `verified`, `mismatch`, `manual-review` or `out-of-hours`.
    pub result: String,
    /// The manual review case opened, for `manual-review`.
    pub review_id: Option<i64>,
    /// What to tell the visitor, Chinese.
    pub zh: String,
    /// What to tell the visitor, English.
    pub en: String,
}

/// Whether the population database is open at `now_ms`.
pub fn in_service_hours(now_ms: i64) -> bool {
    (SERVICE_OPENS..SERVICE_CLOSES).contains(&china_minute_of_day(now_ms))
}

impl Platform {
    /// Whether `value` of `kind` (`accountName`, `idNumber`, `uscc`) is registered.
    pub fn check_registered(&self, kind: &str, value: &str) -> Result<RegisteredAnswer, ApiError> {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > 64 {
            return Err(ApiError::bad_request(
                "CHECK_VALUE_INVALID",
                "待查询的值须为 1-64 个字符。",
                "The value to check must be 1-64 characters.",
            ));
        }
        let db = self.db()?;
        Ok(RegisteredAnswer {
            registered: crate::submissions::is_registered(&db, kind, value)?,
        })
    }

    /// Verifies a name and ID number against the simulated population database.
    pub fn check_real_name(
        &self,
        kiosk: &str,
        check: &RealNameCheck,
    ) -> Result<RealNameAnswer, ApiError> {
        let now = self.now_ms();
        if !in_service_hours(now) {
            return Ok(RealNameAnswer {
                result: "out-of-hours".into(),
                review_id: None,
                zh: "人口库核验服务时间为 08:00-18:00。请在服务时间内再试，或先保存草稿。".into(),
                en: "The population database answers 08:00-18:00. Try again then, or save a draft."
                    .into(),
            });
        }
        let id = check.id_number.trim().to_uppercase();
        let person = self.persons.iter().find(|p| p.id_number == id);
        let answer = |result: &str, review_id, zh: &str, en: &str| RealNameAnswer {
            result: result.into(),
            review_id,
            zh: zh.into(),
            en: en.into(),
        };
        match person {
            Some(p) if p.name != check.name.trim() => Ok(answer(
                "mismatch",
                None,
                "姓名与证件号码不一致。请核对证件后重新输入。",
                "The name does not match the ID number. Check the ID card and enter them again.",
            )),
            Some(p) if p.outcome == "verified" => Ok(answer(
                "verified",
                None,
                "实名核验通过。",
                "Real-name verification passed.",
            )),
            _ => {
                let subject = serde_json::json!({ "name": check.name.trim(), "idNumber": id });
                let db = self.db()?;
                db.execute(
                    "INSERT INTO manual_reviews (kind, kiosk_id, subject, reason, created_at)
                     VALUES ('real-name', ?1, ?2, ?3, ?4)",
                    params![
                        kiosk,
                        subject.to_string(),
                        if person.is_some() {
                            "database-undecided"
                        } else {
                            "not-found"
                        },
                        now
                    ],
                )?;
                Ok(answer(
                    "manual-review",
                    Some(db.last_insert_rowid()),
                    "自动核验未通过，已转人工审核。请上传本人签字的身份证正反面照片后提交，审核结果会通知您。",
                    "Automatic verification failed and was sent to manual review. Upload signed photos of both sides of the ID card and submit; you will be told the result.",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_hours_are_eight_to_eighteen_china_time() {
        let midnight_utc = 1_795_392_000_000; // 08:00 CST
        assert!(in_service_hours(midnight_utc), "08:00 is open");
        assert!(
            !in_service_hours(midnight_utc - 1),
            "07:59:59.999 is closed"
        );
        assert!(
            !in_service_hours(midnight_utc + 10 * 3_600_000),
            "18:00 is closed"
        );
        assert!(
            in_service_hours(midnight_utc + 10 * 3_600_000 - 60_000),
            "17:59 is open"
        );
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
