//! Account names and passwords under a platform's policy.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Validated;
use super::input::{InputError, MAX_INPUT_BYTES};
use crate::{Problem, UserFacing};

user_facing_errors! {
    /// Why an account name or password is refused.
    pub enum AccountError {
        /// Account name shorter or longer than the policy allows (the message of
        /// [`name_length`] names the platform's bounds).
        NameLength = "ACCOUNT_NAME_LENGTH" {
            zh: "账号长度不符合该平台的要求，请修改。",
            en: "The account name's length does not suit this platform. Change it."
        },
        /// Account name does not start with a letter.
        NameStart = "ACCOUNT_NAME_START" {
            zh: "账号必须以英文字母开头，请修改。",
            en: "The account name must start with a letter. Change it."
        },
        /// Account name has characters other than letters, digits and underscore.
        NameCharset = "ACCOUNT_NAME_CHARSET" {
            zh: "账号只能由英文字母、数字和下划线组成，请修改。",
            en: "The account name may only have letters, digits and underscores. Change it."
        },
        /// Password shorter or longer than the policy allows.
        PasswordLength = "PASSWORD_LENGTH" {
            zh: "密码长度不符合要求（一般为 8-20 位），请修改。",
            en: "The password has the wrong length (usually 8-20 characters). Change it."
        },
        /// Too few character classes.
        PasswordClasses = "PASSWORD_CLASSES" {
            zh: "密码须包含大写字母、小写字母、数字、特殊字符中的至少三种，请修改。",
            en: "The password needs at least three of: capital letters, small letters, digits, special characters. Change it."
        },
        /// Spaces, Chinese characters or other characters the platforms refuse.
        PasswordCharset = "PASSWORD_CHARSET" {
            zh: "密码只能使用英文字母、数字和英文特殊字符（不能有空格或汉字），请修改。",
            en: "The password may only use letters, digits and ASCII special characters (no spaces or Chinese). Change it."
        },
        /// The password contains the account name.
        PasswordContainsAccount = "PASSWORD_CONTAINS_ACCOUNT_NAME" {
            zh: "密码不能包含账号名，请换一个密码。",
            en: "The password must not contain the account name. Choose another password."
        },
        /// The password contains the ID number.
        PasswordContainsId = "PASSWORD_CONTAINS_ID_NUMBER" {
            zh: "密码不能包含证件号码，请换一个密码。",
            en: "The password must not contain the ID number. Choose another password."
        },
        /// The confirmation differs.
        PasswordConfirmation = "PASSWORD_CONFIRMATION_MISMATCH" {
            zh: "两次输入的密码不一致，请重新输入确认密码。",
            en: "The two passwords differ. Type the confirmation again."
        },
    }
}

/// How a platform's account (login) names look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountNamePolicy {
    /// Fewest characters.
    pub min_len: u8,
    /// Most characters.
    pub max_len: u8,
    /// Whether the first character must be a letter.
    pub must_start_with_letter: bool,
    /// Whether `_` is allowed.
    pub allow_underscore: bool,
}

/// A platform's password rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordPolicy {
    /// Fewest characters.
    pub min_len: u8,
    /// Most characters, when the platform has a limit.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<u8>,
    /// How many of upper case, lower case, digit, special are needed.
    pub min_classes: u8,
    /// Refuse passwords containing the account name.
    pub forbid_account_name: bool,
    /// Refuse passwords containing the ID number.
    pub forbid_id_number: bool,
}

impl Default for AccountNamePolicy {
    /// The Tianjin/MOST rule: a letter first, 4-30 letters, digits or underscores.
    fn default() -> Self {
        Self {
            min_len: 4,
            max_len: 30,
            must_start_with_letter: true,
            allow_underscore: true,
        }
    }
}

impl Default for PasswordPolicy {
    /// The Tianjin rule: 8-20 characters, 3 of 4 classes, no account name or ID number.
    fn default() -> Self {
        Self {
            min_len: 8,
            max_len: Some(20),
            min_classes: 3,
            forbid_account_name: true,
            forbid_id_number: true,
        }
    }
}

/// [`AccountError::NameLength`] with the platform's bounds in the message.
fn name_length(policy: &AccountNamePolicy) -> Problem {
    let (min, max) = (policy.min_len, policy.max_len);
    Problem::new(
        AccountError::NameLength.code(),
        format!("账号长度应为 {min}-{max} 位，请修改。"),
        format!("The account name must have {min}-{max} characters. Change it."),
    )
}

/// Validates an account name under `policy`; every broken rule is reported.
pub fn validate_account_name(input: &str, policy: &AccountNamePolicy) -> Validated<String> {
    if input.len() > MAX_INPUT_BYTES {
        return Validated::invalid(InputError::TooLong);
    }
    let name = input.trim();
    if name.is_empty() {
        return Validated::invalid(InputError::Empty);
    }
    let mut errors = Vec::new();
    let len = name.chars().count();
    if len < usize::from(policy.min_len) || len > usize::from(policy.max_len) {
        errors.push(name_length(policy));
    }
    if policy.must_start_with_letter && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        errors.push(AccountError::NameStart.problem());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || (policy.allow_underscore && c == '_');
    if !name.chars().all(allowed) {
        errors.push(AccountError::NameCharset.problem());
    }
    finish(name.to_owned(), errors)
}

fn finish(value: String, errors: Vec<Problem>) -> Validated<String> {
    Validated {
        value: errors.is_empty().then_some(value),
        errors,
        warnings: Vec::new(),
    }
}

/// What a password is checked against besides its own policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordContext<'a> {
    /// The confirmation field, when the form has one.
    pub confirmation: Option<&'a str>,
    /// The account name the password belongs to.
    pub account_name: Option<&'a str>,
    /// The holder's (normalised) ID number.
    pub id_number: Option<&'a str>,
}

/// Number of character classes (upper, lower, digit, special) in `password`.
pub fn character_classes(password: &str) -> u8 {
    let has = |f: fn(&char) -> bool| u8::from(password.chars().any(|c| f(&c)));
    has(char::is_ascii_uppercase)
        + has(char::is_ascii_lowercase)
        + has(char::is_ascii_digit)
        + has(char::is_ascii_punctuation)
}

/// Validates a password under `policy`; the value is never echoed in any message.
pub fn validate_password(
    password: &str,
    policy: &PasswordPolicy,
    context: PasswordContext<'_>,
) -> Validated<()> {
    if password.len() > MAX_INPUT_BYTES {
        return Validated::invalid(InputError::TooLong);
    }
    if password.is_empty() {
        return Validated::invalid(InputError::Empty);
    }
    let mut errors = Vec::new();
    if !password.chars().all(|c| c.is_ascii_graphic()) {
        errors.push(AccountError::PasswordCharset.problem());
    }
    let len = password.chars().count();
    let too_long = policy.max_len.is_some_and(|max| len > usize::from(max));
    if len < usize::from(policy.min_len) || too_long {
        errors.push(AccountError::PasswordLength.problem());
    }
    if character_classes(password) < policy.min_classes {
        errors.push(AccountError::PasswordClasses.problem());
    }
    let lower = password.to_ascii_lowercase();
    if policy.forbid_account_name
        && let Some(name) = context.account_name.map(str::trim).filter(|n| n.len() >= 3)
        && lower.contains(&name.to_ascii_lowercase())
    {
        errors.push(AccountError::PasswordContainsAccount.problem());
    }
    if policy.forbid_id_number
        && let Some(id) = context.id_number.map(str::trim).filter(|n| n.len() >= 6)
        && lower.contains(&id.to_ascii_lowercase())
    {
        errors.push(AccountError::PasswordContainsId.problem());
    }
    if context.confirmation.is_some_and(|c| c != password) {
        errors.push(AccountError::PasswordConfirmation.problem());
    }
    Validated {
        value: errors.is_empty().then_some(()),
        errors,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes<T>(v: &Validated<T>) -> Vec<&str> {
        v.errors.iter().map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn account_names_follow_the_tianjin_rule() {
        let policy = AccountNamePolicy::default();
        assert!(validate_account_name("tj_kejiju01", &policy).is_valid());
        assert_eq!(
            codes(&validate_account_name("abc", &policy)),
            ["ACCOUNT_NAME_LENGTH"]
        );
        assert_eq!(
            codes(&validate_account_name("1abcd", &policy)),
            ["ACCOUNT_NAME_START"]
        );
        assert_eq!(
            codes(&validate_account_name("ab cd-e", &policy)),
            ["ACCOUNT_NAME_CHARSET"]
        );
        assert_eq!(
            codes(&validate_account_name("张三丰好", &policy)),
            ["ACCOUNT_NAME_START", "ACCOUNT_NAME_CHARSET"]
        );
    }

    #[test]
    fn passwords_need_three_classes_and_the_right_length() {
        let policy = PasswordPolicy::default();
        let ok = validate_password("Tianjin#2026", &policy, PasswordContext::default());
        assert!(ok.is_valid(), "{:?}", ok.errors);
        assert_eq!(
            codes(&validate_password(
                "tianjin2026",
                &policy,
                PasswordContext::default()
            )),
            ["PASSWORD_CLASSES"]
        );
        assert_eq!(
            codes(&validate_password(
                "Ab1!",
                &policy,
                PasswordContext::default()
            )),
            ["PASSWORD_LENGTH"]
        );
        assert_eq!(
            codes(&validate_password(
                "Ab1! 中文abc",
                &policy,
                PasswordContext::default()
            )),
            ["PASSWORD_CHARSET"]
        );
    }

    #[test]
    fn passwords_must_not_contain_account_name_or_id_and_must_be_confirmed() {
        let policy = PasswordPolicy {
            max_len: Some(32),
            ..PasswordPolicy::default()
        };
        let context = PasswordContext {
            confirmation: Some("other"),
            account_name: Some("LiLei88"),
            id_number: Some("11010519491231002X"),
        };
        assert_eq!(
            codes(&validate_password(
                "x11010519491231002x!A",
                &policy,
                context
            )),
            [
                "PASSWORD_CONTAINS_ID_NUMBER",
                "PASSWORD_CONFIRMATION_MISMATCH"
            ]
        );
        assert_eq!(
            codes(&validate_password(
                "Mylilei88pw!",
                &policy,
                PasswordContext {
                    confirmation: Some("Mylilei88pw!"),
                    ..context
                }
            )),
            ["PASSWORD_CONTAINS_ACCOUNT_NAME"]
        );
    }
}
