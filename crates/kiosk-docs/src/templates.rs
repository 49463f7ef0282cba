//! Versioned document text per platform profile, from `assets/templates/` (embedded at
//! build time, so a running kiosk cannot lose or half-update them).
//!
//! Layout of the folder: `<profile>/<kind>/<version>.toml`, where kind is
//! [`RISK_LETTER`] or [`RECEIPT`] and version looks like `2026.1`.

use include_dir::{Dir, include_dir};
use serde::Deserialize;

use crate::DocsError;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/templates");

/// Kind folder of the risk commitment letter.
pub const RISK_LETTER: &str = "risk-letter";
/// Kind folder of the acceptance receipt.
pub const RECEIPT: &str = "receipt";

/// Text of the risk commitment letter (风险承诺书) for one platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskLetterTemplate {
    /// Template version, e.g. `2026.1`.
    pub version: String,
    /// Platform the unit registers on.
    pub platform_name: String,
    /// Authority the letter is addressed to.
    pub authority: String,
    /// Title of the letter.
    pub title: String,
    /// Salutation line (may use `{authority}`).
    pub salutation: String,
    /// Opening paragraph.
    pub intro: String,
    /// The numbered commitments.
    pub commitments: Vec<String>,
    /// Closing sentence.
    pub closing: String,
    /// Labels of the unit details table.
    pub fields: RiskLetterFieldLabels,
    /// Labels of the signature block.
    pub sign: SignLabels,
    /// Labels of the footer that carries the application number.
    pub footer: FooterLabels,
}

/// Labels of the unit details table on the risk letter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskLetterFieldLabels {
    /// 单位名称
    pub unit_name: String,
    /// 统一社会信用代码
    pub uscc: String,
    /// 法定代表人
    pub legal_representative: String,
    /// 平台账号
    pub platform_account: String,
    /// 联系人
    pub contact: String,
    /// 联系电话
    pub contact_phone: String,
}

/// Labels of the signature and seal boxes and the date line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignLabels {
    /// Caption of the signature box.
    pub legal_representative: String,
    /// Caption of the seal box.
    pub seal: String,
    /// The date line to fill in by hand.
    pub date: String,
    /// Label of the printing date.
    pub printed_on: String,
}

/// Labels of the footer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FooterLabels {
    /// Label of the application number.
    pub application_no: String,
    /// Instruction printed next to the QR code.
    pub qr_hint: String,
}

/// Text of the acceptance receipt (受理回执) for one platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptTemplate {
    /// Template version, e.g. `2026.1`.
    pub version: String,
    /// Platform the application goes to.
    pub platform_name: String,
    /// Title.
    pub title: String,
    /// Second title line (English).
    pub subtitle: String,
    /// Labels of the receipt rows.
    pub labels: ReceiptLabels,
    /// How each state reads.
    pub state: ReceiptStateText,
    /// How to follow up.
    pub help: ReceiptHelp,
}

/// Labels of the receipt rows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptLabels {
    /// 服务大厅
    pub hall: String,
    /// 登记终端
    pub kiosk: String,
    /// 受理时间
    pub issued_at: String,
    /// 受理编号
    pub application_no: String,
    /// 回执号码: the short code visitors type to look the application up (from 2026.2).
    #[serde(default)]
    pub receipt_code: Option<String>,
    /// 申请人
    pub applicant: String,
    /// 证件号码
    pub id_number: String,
    /// 办理事项
    pub kind: String,
    /// 提交材料
    pub attachments: String,
    /// Shown when nothing was attached.
    pub no_attachments: String,
    /// 当前状态
    pub state: String,
}

/// Text of the two receipt states.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptStateText {
    /// Registered on this kiosk, not yet sent.
    pub queued: String,
    /// Received by the platform.
    pub received: String,
}

/// Follow-up lines at the bottom of the receipt.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptHelp {
    /// How to check the status.
    pub status: String,
    /// Phone line (uses `{hall_phone}`).
    pub phone: String,
    /// Platform-specific advice.
    pub extra: String,
    /// Keep-this-receipt line.
    pub keep: String,
}

/// The risk letter template of `profile`, at `version` or the latest one.
pub fn risk_letter(profile: &str, version: Option<&str>) -> Result<RiskLetterTemplate, DocsError> {
    load(profile, RISK_LETTER, version)
}

/// The receipt template of `profile`, at `version` or the latest one.
pub fn receipt(profile: &str, version: Option<&str>) -> Result<ReceiptTemplate, DocsError> {
    load(profile, RECEIPT, version)
}

/// Platform profiles that have templates, sorted.
pub fn profiles() -> Vec<String> {
    let mut names: Vec<String> = TEMPLATES
        .dirs()
        .filter_map(|d| d.path().file_name()?.to_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// Versions of one document kind for `profile`, oldest first.
pub fn versions(profile: &str, kind: &str) -> Vec<String> {
    let Some(dir) = TEMPLATES.get_dir(format!("{profile}/{kind}")) else {
        return Vec::new();
    };
    let mut found: Vec<String> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| f.path().file_stem()?.to_str().map(str::to_owned))
        .collect();
    found.sort_by_key(|v| version_key(v));
    found
}

/// `2026.10` sorts after `2026.9`.
fn version_key(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

fn load<T: serde::de::DeserializeOwned>(
    profile: &str,
    kind: &'static str,
    version: Option<&str>,
) -> Result<T, DocsError> {
    let missing = || DocsError::TemplateMissing {
        profile: profile.to_owned(),
        kind,
        version: version.unwrap_or("latest").to_owned(),
    };
    // Names come from the application: accept only plain path segments.
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !s.contains("..")
    };
    if !plain(profile) || version.is_some_and(|v| !plain(v)) {
        return Err(missing());
    }
    let version = match version {
        Some(v) => v.to_owned(),
        None => versions(profile, kind).pop().ok_or_else(missing)?,
    };
    let path = format!("{profile}/{kind}/{version}.toml");
    let file = TEMPLATES.get_file(&path).ok_or_else(missing)?;
    let text = file
        .contents_utf8()
        .ok_or_else(|| DocsError::TemplateInvalid {
            path: path.clone(),
            reason: "not UTF-8".into(),
        })?;
    toml::from_str(text).map_err(|e| DocsError::TemplateInvalid {
        path,
        reason: e.message().to_owned(),
    })
}

/// Replaces each `{name}` in `template` by its value, in one pass: text that comes from a
/// value is never expanded again. Unknown placeholders stay as they are.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match values.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILES: [&str; 4] = ["most", "shandong", "tianjin", "zhengzhou"];

    #[test]
    fn every_profile_has_both_documents() {
        assert_eq!(profiles(), PROFILES, "template folders");
        for profile in PROFILES {
            let letter = risk_letter(profile, None).unwrap_or_else(|e| panic!("{profile}: {e}"));
            assert_eq!(
                letter.commitments.len(),
                5,
                "{profile}: the five commitments"
            );
            assert_eq!(
                letter.version,
                versions(profile, RISK_LETTER).pop().unwrap_or_default()
            );
            let receipt = receipt(profile, None).unwrap_or_else(|e| panic!("{profile}: {e}"));
            assert!(
                receipt.help.phone.contains("{hall_phone}"),
                "{profile}: phone placeholder"
            );
        }
    }

    #[test]
    fn file_name_and_version_field_agree() {
        for profile in PROFILES {
            for version in versions(profile, RISK_LETTER) {
                let t = risk_letter(profile, Some(&version)).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(t.version, version, "{profile}/{RISK_LETTER}/{version}.toml");
            }
            for version in versions(profile, RECEIPT) {
                let t = receipt(profile, Some(&version)).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(t.version, version, "{profile}/{RECEIPT}/{version}.toml");
            }
        }
    }

    #[test]
    fn unknown_profile_version_or_path_tricks_are_missing_templates() {
        for (profile, version) in [
            ("beijing", None),
            ("tianjin", Some("1999.1")),
            ("../tianjin", None),
            ("tianjin", Some("../../x")),
        ] {
            let err = risk_letter(profile, version).unwrap_err();
            assert!(
                matches!(err, DocsError::TemplateMissing { .. }),
                "{profile} {version:?}: {err:?}"
            );
        }
    }

    #[test]
    fn fill_is_single_pass() {
        let out = fill("A{x}B{y}C{unknown}", &[("x", "{y}"), ("y", "2")]);
        assert_eq!(out, "A{y}B2C{unknown}", "value text is not expanded again");
        assert_eq!(fill("no close {x", &[("x", "1")]), "no close {x");
    }

    #[test]
    fn versions_sort_numerically() {
        let mut v = vec!["2026.10", "2026.9", "2025.1"];
        v.sort_by_key(|s| version_key(s));
        assert_eq!(v, ["2025.1", "2026.9", "2026.10"]);
    }
}
