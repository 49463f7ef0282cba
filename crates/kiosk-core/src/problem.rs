//! Problems a person can act on: a stable code plus a Chinese and an English message.
//!
//! Every error that can reach a user (IPC, CLI, HTTP, file import) is turned into a
//! [`Problem`]. The `code` is stable and meant for programs (the UI matches on it); the
//! messages are for people and say what to do next.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A user-facing problem with a stable code and messages in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Problem {
    /// Stable, upper-snake-case identifier, e.g. `RESIDENT_ID_CHECK_CHAR`.
    pub code: String,
    /// Message in Simplified Chinese that says what went wrong and what to do next.
    pub zh: String,
    /// The same message in English.
    pub en: String,
    /// The form field the problem points at, when there is one (e.g. `legalRep.idNumber`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl Problem {
    /// Builds a problem that points at no particular field.
    pub fn new(code: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
            field: None,
        }
    }

    /// Returns the same problem pointing at `field`.
    #[must_use]
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {} / {}", self.code, self.zh, self.en)
    }
}

impl std::error::Error for Problem {}

/// Implemented by every error type that can reach a person, in every crate.
///
/// Library crates keep their own `thiserror` enums; this trait is how each variant
/// declares its stable code and its two messages, so front doors can render them alike.
pub trait UserFacing {
    /// Stable, upper-snake-case code for programs.
    fn code(&self) -> &'static str;
    /// Chinese message: what happened and what to do next.
    fn zh(&self) -> String;
    /// English message: what happened and what to do next.
    fn en(&self) -> String;

    /// The error as a [`Problem`].
    fn problem(&self) -> Problem {
        Problem::new(self.code(), self.zh(), self.en())
    }
}

impl<E: UserFacing> From<E> for Problem {
    fn from(error: E) -> Self {
        error.problem()
    }
}

/// A [`UserFacing`] error type that can list itself for the error-code catalogue
/// (`docs/error-codes.md`).
///
/// [`Catalogued::samples`] returns one value per variant, with readable placeholders for the
/// details a real error carries (`<路径>` / `<path>`, `<原因>` / `<reason>`), so every code of
/// the product can be shown with its two messages. The generator's test compares the codes
/// found in the source with the samples, so a variant without a sample fails the build.
pub trait Catalogued: UserFacing + Sized {
    /// One value per variant (several when a code has distinct messages).
    fn samples() -> Vec<Self>;

    /// What to do, in Chinese and English, when the message itself does not say it.
    fn advice(&self) -> Option<(&'static str, &'static str)> {
        None
    }
}

/// One row of the error-code catalogue: a code with its sample messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    /// The stable code.
    pub code: &'static str,
    /// The Chinese message of the sample.
    pub zh: String,
    /// The English message of the sample.
    pub en: String,
    /// What to do (Chinese, English) when the message does not say it.
    pub advice: Option<(&'static str, &'static str)>,
}

/// The catalogue rows of error type `E`, one per sample, in the order of its samples.
pub fn catalogue_of<E: Catalogued>() -> Vec<CatalogueEntry> {
    E::samples()
        .iter()
        .map(|e| CatalogueEntry {
            code: e.code(),
            zh: e.zh(),
            en: e.en(),
            advice: e.advice(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_serialises_with_field_only_when_set() {
        let plain = Problem::new("X", "中", "en");
        let json = serde_json::to_string(&plain).unwrap();
        assert_eq!(json, r#"{"code":"X","zh":"中","en":"en"}"#);
        let at = plain.at("mobile");
        let json = serde_json::to_string(&at).unwrap();
        assert!(json.ends_with(r#""field":"mobile"}"#), "{json}");
    }
}
