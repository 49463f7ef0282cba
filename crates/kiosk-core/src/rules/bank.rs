//! The unit's bank account: the holder must be the unit itself (Tianjin).

use super::Validated;
use super::input::{fold_width, normalize_code, normalize_text};

user_facing_errors! {
    /// Why bank account data is refused.
    pub enum BankError {
        /// The account holder differs from the unit name.
        HolderMismatch = "BANK_HOLDER_MISMATCH" {
            zh: "账户（收款单位）必须与单位名称完全相同，请对照开户许可证修改。",
            en: "The account holder must be exactly the unit's name. Correct it from the account permit."
        },
        /// Not 8-32 digits.
        AccountNumber = "BANK_ACCOUNT_NUMBER_FORMAT" {
            zh: "银行账号应为 8-32 位数字，请对照开户许可证核对。",
            en: "A bank account number has 8-32 digits. Check it against the account permit."
        },
    }
}

/// Folds a unit name for comparison: full-width brackets and spaces become half-width,
/// and all spaces are dropped (`天津某某有限公司（滨海）` equals `天津某某有限公司(滨海)`).
pub fn unit_name_key(name: &str) -> String {
    name.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Checks that the bank account holder is the unit.
pub fn validate_holder(holder: &str, unit_name: &str) -> Validated<String> {
    let holder = match normalize_text(holder) {
        Ok(h) => h,
        Err(e) => return Validated::invalid(e),
    };
    if unit_name_key(&holder) == unit_name_key(unit_name) {
        Validated::valid(holder)
    } else {
        Validated::invalid(BankError::HolderMismatch)
    }
}

/// Validates a bank account number: 8-32 digits, spaces allowed on input.
pub fn validate_account_number(input: &str) -> Validated<String> {
    match normalize_code(input) {
        Ok(code) if (8..=32).contains(&code.len()) && code.bytes().all(|c| c.is_ascii_digit()) => {
            Validated::valid(code)
        }
        Ok(_) => Validated::invalid(BankError::AccountNumber),
        Err(e) => Validated::invalid(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_must_equal_the_unit_name_up_to_bracket_width() {
        assert!(
            validate_holder(
                "天津市某某科技有限公司（滨海）",
                "天津市某某科技有限公司(滨海)"
            )
            .is_valid()
        );
        assert_eq!(
            validate_holder("张三", "天津市某某科技有限公司").errors[0].code,
            "BANK_HOLDER_MISMATCH"
        );
    }

    #[test]
    fn account_numbers_are_digits() {
        assert_eq!(
            validate_account_number("6222 0200 0000 1234 567")
                .value
                .as_deref(),
            Some("6222020000001234567")
        );
        assert_eq!(
            validate_account_number("62220-ABC").errors[0].code,
            "BANK_ACCOUNT_NUMBER_FORMAT"
        );
    }
}
