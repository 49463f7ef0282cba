//! The live password meter: which items of a platform's password policy a password meets, and
//! how strong it is. It asks [`validate_password`] itself, so the meter and the check made at
//! submission can never disagree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::account::{PasswordContext, PasswordPolicy, character_classes, validate_password};

/// One rule of a password policy, as the meter lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PasswordRule {
    /// The length the policy allows.
    Length,
    /// Enough character classes (capital, small, digit, special).
    Classes,
    /// Only ASCII letters, digits and special characters (no spaces, no Chinese).
    Charset,
    /// The account name is not inside the password.
    NoAccountName,
    /// The ID number is not inside the password.
    NoIdNumber,
}

impl PasswordRule {
    /// The error code of [`validate_password`] that breaks this rule.
    fn broken_by(self) -> &'static str {
        match self {
            Self::Length => "PASSWORD_LENGTH",
            Self::Classes => "PASSWORD_CLASSES",
            Self::Charset => "PASSWORD_CHARSET",
            Self::NoAccountName => "PASSWORD_CONTAINS_ACCOUNT_NAME",
            Self::NoIdNumber => "PASSWORD_CONTAINS_ID_NUMBER",
        }
    }
}

/// One line of the meter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PolicyItem {
    /// The rule.
    pub rule: PasswordRule,
    /// Whether the password meets it.
    pub met: bool,
    /// The rule in Chinese, with the platform's figures (e.g. `长度 8-20 位`).
    pub zh: String,
    /// The rule in English.
    pub en: String,
}

/// How strong a password is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum StrengthLevel {
    /// Nothing typed yet.
    Empty,
    /// The platform would refuse it.
    Weak,
    /// Accepted by the platform.
    Fair,
    /// Accepted, and at least 12 characters with 3 classes, or 10 with all 4.
    Strong,
}

/// What the meter shows for one password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordStrength {
    /// The policy's items, each met or not, in a fixed order.
    pub items: Vec<PolicyItem>,
    /// The strength level.
    pub level: StrengthLevel,
    /// Whether the platform's policy accepts the password (every item met).
    pub acceptable: bool,
}

fn item(rule: PasswordRule, policy: &PasswordPolicy) -> (String, String) {
    match rule {
        PasswordRule::Length => match policy.max_len {
            Some(max) => (
                format!("长度 {}-{max} 位", policy.min_len),
                format!("{}-{max} characters", policy.min_len),
            ),
            None => (
                format!("至少 {} 位", policy.min_len),
                format!("at least {} characters", policy.min_len),
            ),
        },
        PasswordRule::Classes => (
            format!(
                "大写字母、小写字母、数字、特殊字符中至少 {} 种",
                policy.min_classes
            ),
            format!(
                "at least {} of: capital letters, small letters, digits, special characters",
                policy.min_classes
            ),
        ),
        PasswordRule::Charset => (
            "只用英文字母、数字和英文符号（无空格、无汉字）".to_owned(),
            "only letters, digits and ASCII symbols (no spaces, no Chinese)".to_owned(),
        ),
        PasswordRule::NoAccountName => (
            "不包含账号名".to_owned(),
            "does not contain the account name".to_owned(),
        ),
        PasswordRule::NoIdNumber => (
            "不包含证件号码".to_owned(),
            "does not contain the ID number".to_owned(),
        ),
    }
}

/// Measures `password` against `policy`: every policy item met or not (the account-name and
/// ID-number items only where the policy forbids them) and a strength level. The confirmation
/// in `context` is ignored: the meter is about the password itself.
pub fn password_strength(
    password: &str,
    policy: &PasswordPolicy,
    context: PasswordContext<'_>,
) -> PasswordStrength {
    let checked = validate_password(
        password,
        policy,
        PasswordContext {
            confirmation: None,
            ..context
        },
    );
    let mut rules = vec![
        PasswordRule::Length,
        PasswordRule::Classes,
        PasswordRule::Charset,
    ];
    if policy.forbid_account_name {
        rules.push(PasswordRule::NoAccountName);
    }
    if policy.forbid_id_number {
        rules.push(PasswordRule::NoIdNumber);
    }
    // An empty or absurdly long input is refused as a whole: nothing is met then.
    let judged = checked
        .errors
        .iter()
        .all(|p| p.code.starts_with("PASSWORD_"));
    let items: Vec<PolicyItem> = rules
        .into_iter()
        .map(|rule| {
            let (zh, en) = item(rule, policy);
            PolicyItem {
                rule,
                met: judged && !checked.errors.iter().any(|p| p.code == rule.broken_by()),
                zh,
                en,
            }
        })
        .collect();
    let acceptable = checked.is_valid();
    let len = password.chars().count();
    let classes = character_classes(password);
    let level = if password.is_empty() {
        StrengthLevel::Empty
    } else if !acceptable {
        StrengthLevel::Weak
    } else if (len >= 12 && classes >= 3) || (len >= 10 && classes == 4) {
        StrengthLevel::Strong
    } else {
        StrengthLevel::Fair
    };
    PasswordStrength {
        items,
        level,
        acceptable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn met(strength: &PasswordStrength) -> Vec<(PasswordRule, bool)> {
        strength.items.iter().map(|i| (i.rule, i.met)).collect()
    }

    fn tianjin() -> PasswordPolicy {
        PasswordPolicy::default()
    }

    #[test]
    fn an_empty_password_meets_nothing_and_is_empty() {
        let s = password_strength("", &tianjin(), PasswordContext::default());
        assert_eq!(s.level, StrengthLevel::Empty);
        assert!(!s.acceptable);
        assert!(
            s.items.iter().all(|i| !i.met),
            "nothing is met before typing: {:?}",
            met(&s)
        );
    }

    #[test]
    fn each_broken_rule_shows_as_unmet_and_the_rest_as_met() {
        let s = password_strength("tianjin2026", &tianjin(), PasswordContext::default());
        assert_eq!(
            met(&s),
            [
                (PasswordRule::Length, true),
                (PasswordRule::Classes, false),
                (PasswordRule::Charset, true),
                (PasswordRule::NoAccountName, true),
                (PasswordRule::NoIdNumber, true),
            ],
            "only the classes are missing"
        );
        assert_eq!(s.level, StrengthLevel::Weak);
        let short = password_strength("Ab1!", &tianjin(), PasswordContext::default());
        assert!(!short.items[0].met, "4 characters is too short");
        let chinese = password_strength("Ab1!中文abcd", &tianjin(), PasswordContext::default());
        assert!(
            !chinese.items[2].met,
            "Chinese characters break the charset"
        );
    }

    #[test]
    fn account_name_and_id_number_inside_are_unmet() {
        let context = PasswordContext {
            confirmation: Some("ignored by the meter"),
            account_name: Some("LiLei88"),
            id_number: Some("11010519491231002X"),
        };
        let s = password_strength("Mylilei88pw!", &tianjin(), context);
        assert_eq!(
            met(&s)[3..],
            [
                (PasswordRule::NoAccountName, false),
                (PasswordRule::NoIdNumber, true)
            ]
        );
        assert!(!s.acceptable, "the account name inside is refused");
        let id = password_strength("A11010519491231002x", &tianjin(), context);
        assert!(!id.items[4].met, "the ID number inside is refused");
        let fine = password_strength("Tianjin#2026", &tianjin(), context);
        assert!(fine.acceptable, "a mismatching confirmation does not count");
    }

    #[test]
    fn strength_grows_with_length_and_classes_once_accepted() {
        let ctx = PasswordContext::default();
        assert_eq!(
            password_strength("Tianjin2026", &tianjin(), ctx).level,
            StrengthLevel::Fair
        );
        assert_eq!(
            password_strength("Tianjin20261", &tianjin(), ctx).level,
            StrengthLevel::Strong,
            "12 characters, 3 classes"
        );
        assert_eq!(
            password_strength("Tj#2026abc", &tianjin(), ctx).level,
            StrengthLevel::Strong,
            "10 characters, 4 classes"
        );
    }

    #[test]
    fn items_follow_the_profile_policy() {
        let shandong = PasswordPolicy {
            min_len: 8,
            max_len: Some(20),
            min_classes: 2,
            forbid_account_name: false,
            forbid_id_number: true,
        };
        let s = password_strength("tianjin2026", &shandong, PasswordContext::default());
        assert!(s.acceptable, "two classes suffice in Shandong");
        assert_eq!(
            s.items.len(),
            4,
            "no account-name item where none is forbidden"
        );
        assert!(s.items[1].zh.contains("至少 2 种"), "{}", s.items[1].zh);
        let most = PasswordPolicy {
            max_len: None,
            ..tianjin()
        };
        let items = password_strength("x", &most, PasswordContext::default()).items;
        assert_eq!(items[0].en, "at least 8 characters");
    }
}
