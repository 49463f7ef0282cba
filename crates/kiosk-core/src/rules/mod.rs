//! Field rules: one pure validator per document or field, each returning a [`Validated`] value.
//!
//! Every validator trims and normalises its input (full-width digits and letters become
//! ASCII, lower-case letters upper-case where the standard says so), never panics on any
//! input, and reports every problem with a stable code and messages in Chinese and English.

/// Declares a thiserror enum of unit variants whose messages are fixed, with a stable code
/// per variant and a [`crate::UserFacing`] implementation. Exported so that every crate of the
/// kiosk declares its user-facing errors the same way (the crate needs `thiserror`).
#[macro_export]
macro_rules! user_facing_errors {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal { zh: $zh:literal, en: $en:literal },
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[error($en)]
                $variant,
            )+
        }

        impl $name {
            /// Every variant, so tests can check that codes are unique and messages present.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
        }

        impl $crate::Catalogued for $name {
            fn samples() -> Vec<Self> {
                Self::ALL.to_vec()
            }
        }

        impl $crate::UserFacing for $name {
            fn code(&self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }
            fn zh(&self) -> String {
                match self { $(Self::$variant => $zh,)+ }.to_owned()
            }
            fn en(&self) -> String {
                match self { $(Self::$variant => $en,)+ }.to_owned()
            }
        }
    };
}

pub mod account;
pub mod bank;
pub mod contact;
pub mod input;
pub mod passport;
pub mod password_strength;
pub mod permits;
pub mod person;
pub mod resident_id;
pub mod uscc;
pub mod validity;

use crate::{Problem, UserFacing};

/// The outcome of one validator: the normalised value (when valid), errors and warnings.
///
/// `value` is `Some` exactly when `errors` is empty. Warnings never block an application;
/// they ask the visitor or operator to double-check something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated<T> {
    /// The normalised value with everything derived from it; `None` when there are errors.
    pub value: Option<T>,
    /// Problems that make the input unacceptable.
    pub errors: Vec<Problem>,
    /// Problems worth a second look that do not block.
    pub warnings: Vec<Problem>,
}

impl<T> Validated<T> {
    /// A valid value without warnings.
    pub fn valid(value: T) -> Self {
        Self {
            value: Some(value),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// An invalid input with one error.
    pub fn invalid(error: impl UserFacing) -> Self {
        Self {
            value: None,
            errors: vec![error.problem()],
            warnings: Vec::new(),
        }
    }

    /// An invalid input with one already-built problem.
    pub fn failed(problem: Problem) -> Self {
        Self {
            value: None,
            errors: vec![problem],
            warnings: Vec::new(),
        }
    }

    /// Adds a warning.
    #[must_use]
    pub fn warn(mut self, warning: impl UserFacing) -> Self {
        self.warnings.push(warning.problem());
        self
    }

    /// Whether the input was accepted.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Points every error and warning at `field`.
    #[must_use]
    pub fn at(mut self, field: &str) -> Self {
        for problem in self.errors.iter_mut().chain(self.warnings.iter_mut()) {
            problem.field = Some(field.to_owned());
        }
        self
    }

    /// Transforms the value, keeping errors and warnings.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Validated<U> {
        Validated {
            value: self.value.map(f),
            errors: self.errors,
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn all_codes() -> Vec<(&'static str, String, String)> {
        fn collect<E: UserFacing>(all: &[E]) -> Vec<(&'static str, String, String)> {
            all.iter().map(|e| (e.code(), e.zh(), e.en())).collect()
        }
        let mut out = Vec::new();
        out.extend(collect(input::InputError::ALL));
        out.extend(collect(resident_id::ResidentIdError::ALL));
        out.extend(collect(uscc::UsccError::ALL));
        out.extend(collect(permits::PermitError::ALL));
        out.extend(collect(passport::PassportError::ALL));
        out.extend(collect(contact::ContactError::ALL));
        out.extend(collect(account::AccountError::ALL));
        out.extend(collect(validity::ValidityError::ALL));
        out.extend(collect(bank::BankError::ALL));
        out.extend(collect(person::PersonError::ALL));
        out.extend(collect(crate::id_card::IdCardError::ALL));
        out
    }

    #[test]
    fn every_rule_error_has_a_unique_upper_snake_code_and_both_messages() {
        let mut seen = HashSet::new();
        for (code, zh, en) in all_codes() {
            assert!(seen.insert(code), "code {code} used twice");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{code} is not UPPER_SNAKE"
            );
            assert!(!zh.is_empty() && !en.is_empty(), "{code} lacks a message");
            assert!(
                !zh.is_ascii(),
                "{code}: Chinese message looks untranslated: {zh}"
            );
        }
    }
}
