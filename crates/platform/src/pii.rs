//! Personal data at rest: what the platform database holds of a visitor, and how.
//!
//! - **Sealed** (age, to the platform's own recipient; only `platform-identity.txt` opens it):
//!   the whole application payload (`submissions.payload` is `{"sealed": "<base64>"}`; inside,
//!   the passwords are sealed once more, field by field, so opening a payload for a reviewer
//!   never opens a password), the account name assigned on approval
//!   (`submissions.account_name`, `status_events.account_name`) and the mobile of each
//!   submission (`submission_mobiles.phone_sealed`). Single sealed columns read `age:<base64>`.
//! - **Blind indexes** (HMAC-SHA256 under the [`BlindKey`], hex): what the platform must find
//!   by value without reading it — the uniqueness registry (`registry.value_index`: account
//!   names, ID numbers, USCCs, login mobiles) and the SMS tables (`sms_codes.phone_index`,
//!   `sms_tokens.phone_index`). Lookup keys were keyed hashes already (`submission_keys`).
//! - **Clear**: what the platform queries and shows without a person in it (ids, kind,
//!   profile, state, timestamps, receipt codes, reasons, attachment hashes).
//!
//! A reviewer sees payloads masked ([`mask_payload`]: `110***********271X`, `张*`,
//! `139****0004`); the full values only through an explicit opening that is written to the
//! admin audit first ([`Platform::open_submission`]). Databases from before this scheme are
//! upgraded on start ([`Platform::upgrade_personal_data`]).

use base64::Engine;
use hmac::{Hmac, Mac};

use crate::sql_params as params;
use crate::storage::OptionalRow;
use crate::storage::Tx;
use crate::{ApiError, Platform};

type HmacSha256 = Hmac<sha2::Sha256>;

/// What a sealed single column starts with (then base64 of the age ciphertext).
pub const SEALED_TEXT_PREFIX: &str = "age:";

/// The label the blind-index key is derived under (version 1).
pub const BLIND_KEY_LABEL: &str = "tongban-platform/blind-index/v1";

/// The name of the upgrade (in `platform_upgrades`) that sealed the personal data of a
/// database from before this scheme.
pub const UPGRADE_NAME: &str = "personal-data-sealed-v1";

/// The key of the blind indexes: `HMAC-SHA256(key = the platform's age identity as written in
/// platform-identity.txt (AGE-SECRET-KEY-1…), message = BLIND_KEY_LABEL)`. Every replica with
/// the same identity file computes the same indexes; a new identity means new indexes (the
/// sealed values must be re-sealed then anyway: docs/platform.md "Personal data at rest").
#[derive(Clone)]
pub struct BlindKey([u8; 32]);

/// Never prints the key.
impl std::fmt::Debug for BlindKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindKey(..)")
    }
}

impl BlindKey {
    /// Derives the key from the platform's age identity.
    pub fn derive(identity: &age::x25519::Identity) -> Self {
        use age::secrecy::ExposeSecret;
        let secret = identity.to_string();
        Self::from_secret(secret.expose_secret().as_bytes())
    }

    /// Derives the key from any secret bytes (tests; [`BlindKey::derive`] uses the identity).
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac());
        mac.update(BLIND_KEY_LABEL.as_bytes());
        Self(mac.finalize().into_bytes().into())
    }

    /// The blind index of `value` (already normalised) in `domain` (`registry:idNumber`,
    /// `phone`, …): lower-case hex HMAC-SHA256 over `domain`, a 0 byte and `value`.
    pub fn index(&self, domain: &str, value: &str) -> String {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable_hmac());
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The index of a normalised mobile in the SMS tables.
    pub fn phone(&self, phone: &str) -> String {
        self.index("phone", phone)
    }
}

/// HMAC accepts keys of any length; this is never reached.
fn unreachable_hmac() -> HmacSha256 {
    #[allow(clippy::expect_used)]
    <HmacSha256 as Mac>::new_from_slice(&[0u8; 32]).expect("HMAC takes any key length")
}

/// Seals `text` to `recipient`: `age:<base64>`.
pub fn seal_text(text: &str, recipient: &age::x25519::Recipient) -> String {
    let sealed = age::encrypt(recipient, text.as_bytes())
        .map(|c| base64::engine::general_purpose::STANDARD.encode(c))
        .unwrap_or_default();
    format!("{SEALED_TEXT_PREFIX}{sealed}")
}

/// Whether a stored column value is sealed.
pub fn is_sealed_text(stored: &str) -> bool {
    stored.starts_with(SEALED_TEXT_PREFIX)
}

/// Opens a sealed column value; a value from before sealing passes unchanged. `None` when it
/// is sealed but the identity does not open it.
pub fn open_text(stored: &str, identity: &age::x25519::Identity) -> Option<String> {
    let Some(b64) = stored.strip_prefix(SEALED_TEXT_PREFIX) else {
        return Some(stored.to_owned());
    };
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .ok()?;
    let plain = age::decrypt(identity, &sealed).ok()?;
    String::from_utf8(plain).ok()
}

/// A payload as `submissions.payload` stores it: `{"sealed": "<base64 age ciphertext>"}` of
/// the payload JSON, its passwords sealed once more inside
/// ([`crate::submissions::seal_secrets`]).
pub fn seal_payload(payload: &serde_json::Value, recipient: &age::x25519::Recipient) -> String {
    let inner = crate::submissions::seal_secrets(payload.clone(), recipient).to_string();
    let sealed = age::encrypt(recipient, inner.as_bytes())
        .map(|c| base64::engine::general_purpose::STANDARD.encode(c))
        .unwrap_or_default();
    serde_json::json!({ "sealed": sealed }).to_string()
}

/// The ciphertext of a stored sealed payload (`None`: a payload from before sealing).
fn sealed_payload_b64(stored: &serde_json::Value) -> Option<&str> {
    let map = stored.as_object()?;
    (map.len() == 1).then_some(())?;
    map.get("sealed")?.as_str()
}

/// Whether a stored payload is sealed.
pub fn is_sealed_payload(stored: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(stored)
        .ok()
        .is_some_and(|v| sealed_payload_b64(&v).is_some())
}

/// Opens a stored payload (a payload from before sealing is read as it is). `None` when it is
/// sealed to another identity or unreadable.
pub fn open_payload(stored: &str, identity: &age::x25519::Identity) -> Option<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_str(stored).ok()?;
    let Some(b64) = sealed_payload_b64(&value) else {
        return Some(value);
    };
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .ok()?;
    serde_json::from_slice(&age::decrypt(identity, &sealed).ok()?).ok()
}

/// `张三` → `张*`, `欧阳娜娜` → `欧***`; one character → `*`.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        n => std::iter::once(chars[0])
            .chain(std::iter::repeat_n('*', n - 1))
            .collect(),
    }
}

/// `11010519491231271X` → `110***********271X`: the first 3 and last 4 characters of a
/// number of 8 or more, every other character `*`; shorter numbers are all `*`.
pub fn mask_id(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 3 || i >= n - 4 { *c } else { '*' })
        .collect()
}

/// `contact@example.com` → `c***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.trim().split_once('@') {
        Some((local, domain)) => format!(
            "{}***@{domain}",
            local.chars().next().map(String::from).unwrap_or_default()
        ),
        None => mask_text(email),
    }
}

/// Any other personal text: its first character and `***` (`经济技术开发区…` → `经***`).
pub fn mask_text(text: &str) -> String {
    match text.trim().chars().next() {
        Some(first) => format!("{first}***"),
        None => String::new(),
    }
}

/// How a string under a payload key is shown to a reviewer by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// Not personal (kind, profile, codes of enumerations, dates of a document's validity,
    /// a unit's USCC and name: public registration data).
    Clear,
    /// `张*`.
    Name,
    /// `110***********271X`.
    Number,
    /// `139****0004`.
    Phone,
    /// `c***@example.com`.
    Email,
    /// `****-**-**`.
    Date,
    /// `(given)`: secrets and SMS proofs.
    Given,
    /// `经***`: anything else, personal until shown otherwise.
    Text,
}

/// Keys whose strings are shown as they are. Everything not listed here or below is masked.
const CLEAR_KEYS: [&str; 20] = [
    "kind",
    "profile",
    "docType",
    "sex",
    "ethnicity",
    "divisionCode",
    "entityType",
    "nature",
    "industry",
    "supervisingDepartment",
    "uscc",
    "slot",
    "mediaType",
    "from",
    "until",
    "bank",
    "nationality",
    "education",
    "title",
    "role",
];

fn shown(parent: Option<&str>, key: &str) -> Shown {
    match key {
        "password" | "passwordConfirmation" | "legacyPassword" | "smsVerification" | "smsCode" => {
            Shown::Given
        }
        "name" if parent == Some("unit") => Shown::Clear,
        "name" | "contactName" | "holder" | "agentName" | "fullName" => Shown::Name,
        "number" | "idNumber" | "documentNumber" | "passportNumber" => Shown::Number,
        "mobile" | "contactMobile" | "phone" | "telephone" | "contactPhone" => Shown::Phone,
        "email" | "contactEmail" => Shown::Email,
        "birthDate" | "dateOfBirth" => Shown::Date,
        k if CLEAR_KEYS.contains(&k) => Shown::Clear,
        _ => Shown::Text,
    }
}

fn mask_string(how: Shown, text: &str) -> String {
    match how {
        Shown::Clear => text.to_owned(),
        Shown::Name => mask_name(text),
        Shown::Number => mask_id(text),
        Shown::Phone => crate::phone::mask_phone(text),
        Shown::Email => mask_email(text),
        Shown::Date => "****-**-**".into(),
        Shown::Given => "(given)".into(),
        Shown::Text => mask_text(text),
    }
}

/// A payload as a reviewer sees it by default: every personal string masked by its key
/// (names `张*`, ID and document numbers `110***********271X`, phones `139****0004`, e-mail
/// `c***@example.com`, birth dates, any other text `经***`), passwords and SMS proofs
/// `(given)`. Kind, profile, enumeration codes and a unit's public registration data stay.
pub fn mask_payload(payload: serde_json::Value) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value, parent: Option<&str>, key: Option<&str>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, inner) in map.iter_mut() {
                    walk(inner, key, Some(k.as_str()));
                }
            }
            serde_json::Value::Array(items) => {
                for item in items.iter_mut() {
                    walk(item, parent, key);
                }
            }
            serde_json::Value::String(text) => {
                let how = key.map_or(Shown::Text, |k| shown(parent, k));
                *text = mask_string(how, text);
            }
            _ => {}
        }
    }
    let mut payload = crate::submissions::for_review(payload);
    walk(&mut payload, None, None);
    payload
}

/// What upgrading a database from before sealing changed (row counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpgradeReport {
    /// Payloads sealed.
    pub payloads: usize,
    /// Account names sealed (submissions and status events).
    pub account_names: usize,
    /// Registry values replaced by their blind index.
    pub registry: usize,
    /// SMS code and token rows whose phone became its blind index.
    pub sms_rows: usize,
    /// Submission mobiles sealed.
    pub mobiles: usize,
}

impl UpgradeReport {
    /// Whether any row changed.
    pub fn changed(&self) -> bool {
        *self != Self::default()
    }
}

/// Why a submission could not be opened for a reviewer: `404 SUBMISSION_NOT_FOUND`.
pub fn submission_not_found() -> ApiError {
    ApiError::not_found(
        "SUBMISSION_NOT_FOUND",
        "没有这个申请编号。",
        "There is no submission with this id.",
    )
}

/// `500 PERSONAL_DATA_UNREADABLE`: the platform's identity does not open a sealed value.
pub fn personal_data_unreadable() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "PERSONAL_DATA_UNREADABLE",
        "平台密钥无法打开这份申请的个人信息（密钥文件可能被替换）。请从数据目录备份恢复 platform-identity.txt。",
        "The platform key does not open this application's personal data (the key file may have been replaced). Restore platform-identity.txt from the data directory's backup.",
    )
}

/// Seals every personal value of a database from before this scheme, in the caller's
/// transaction (see [`Platform::upgrade_personal_data`]).
pub fn upgrade(
    tx: &mut dyn Tx,
    blind: &BlindKey,
    recipient: &age::x25519::Recipient,
    now: i64,
) -> crate::storage::Result<Option<UpgradeReport>> {
    let done: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM platform_upgrades WHERE name = ?1",
            params![UPGRADE_NAME],
            |r| r.get(0),
        )
        .optional()?;
    if done.is_some() {
        return Ok(None);
    }
    let mut report = UpgradeReport::default();
    let rows: Vec<(String, String, Option<String>)> = tx.query_map(
        "SELECT id, payload, account_name FROM submissions",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (id, payload, account) in rows {
        if !is_sealed_payload(&payload) {
            // A row that is not JSON (never written so) is kept whole, as a sealed string.
            let value = serde_json::from_str(&payload)
                .unwrap_or_else(|_| serde_json::Value::String(payload.clone()));
            tx.execute(
                "UPDATE submissions SET payload = ?2 WHERE id = ?1",
                params![id, seal_payload(&value, recipient)],
            )?;
            report.payloads += 1;
        }
        if let Some(account) = account.filter(|a| !is_sealed_text(a)) {
            tx.execute(
                "UPDATE submissions SET account_name = ?2 WHERE id = ?1",
                params![id, seal_text(&account, recipient)],
            )?;
            report.account_names += 1;
        }
    }
    let events: Vec<(i64, String)> = tx.query_map(
        "SELECT cursor, account_name FROM status_events WHERE account_name IS NOT NULL",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (cursor, account) in events {
        if !is_sealed_text(&account) {
            tx.execute(
                "UPDATE status_events SET account_name = ?2 WHERE cursor = ?1",
                params![cursor, seal_text(&account, recipient)],
            )?;
            report.account_names += 1;
        }
    }
    let registry: Vec<(String, String, String)> = tx.query_map(
        "SELECT kind, value_index, submission_id FROM registry",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    tx.execute("DELETE FROM registry", &[])?;
    for (kind, value, owner) in registry {
        let index = match crate::uniqueness::Unique::from_key(&kind) {
            Some(unique) => unique.index(blind, &value),
            None => blind.index(&format!("registry:{kind}"), &value),
        };
        tx.execute(
            "INSERT INTO registry (kind, value_index, submission_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (kind, value_index) DO NOTHING",
            params![kind, index, owner],
        )?;
        report.registry += 1;
    }
    for table in ["sms_codes", "sms_tokens"] {
        let phones: Vec<String> = tx.query_map(
            &format!("SELECT DISTINCT phone_index FROM {table}"),
            &[],
            |r| r.get(0),
        )?;
        for phone in phones {
            report.sms_rows += tx.execute(
                &format!("UPDATE {table} SET phone_index = ?2 WHERE phone_index = ?1"),
                params![phone, blind.phone(&phone)],
            )?;
        }
    }
    let mobiles: Vec<(String, String)> = tx.query_map(
        "SELECT application_id, phone_sealed FROM submission_mobiles",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (id, phone) in mobiles {
        if !is_sealed_text(&phone) {
            tx.execute(
                "UPDATE submission_mobiles SET phone_sealed = ?2 WHERE application_id = ?1",
                params![id, seal_text(&phone, recipient)],
            )?;
            report.mobiles += 1;
        }
    }
    tx.execute(
        "INSERT INTO platform_upgrades (name, done_at) VALUES (?1, ?2)",
        params![UPGRADE_NAME, now],
    )?;
    Ok(Some(report))
}

impl Platform {
    /// The key of the blind indexes.
    pub fn blind_key(&self) -> &BlindKey {
        &self.blind_key
    }

    /// Seals a column value to the platform's recipient.
    pub fn seal_text(&self, text: &str) -> String {
        seal_text(text, self.recipient_key())
    }

    /// Opens a sealed column value (a value from before sealing passes unchanged).
    pub fn open_text(&self, stored: &str) -> Result<String, ApiError> {
        open_text(stored, &self.identity).ok_or_else(personal_data_unreadable)
    }

    /// Opens a stored payload.
    pub fn open_payload(&self, stored: &str) -> Result<serde_json::Value, ApiError> {
        open_payload(stored, &self.identity).ok_or_else(personal_data_unreadable)
    }

    /// Seals the personal data of a database from before this scheme, once (the upgrade is
    /// recorded in `platform_upgrades`; replicas starting together do it once, under the
    /// write lock), then lets the engine scrub what the old rows left behind (SQLite:
    /// `VACUUM` and a truncating WAL checkpoint; PostgreSQL: `VACUUM FULL` of the tables).
    pub fn upgrade_personal_data(&self) -> crate::storage::Result<Option<UpgradeReport>> {
        let mut tx = self.store.begin(crate::storage::Mode::Write)?;
        let report = upgrade(
            &mut *tx,
            &self.blind_key,
            self.recipient_key(),
            self.now_ms(),
        )?;
        tx.commit()?;
        if let Some(report) = report.filter(UpgradeReport::changed) {
            self.store.scrub()?;
            log::info!(
                "personal data sealed: {} payload(s), {} account name(s), {} registry value(s), {} SMS row(s), {} mobile(s)",
                report.payloads,
                report.account_names,
                report.registry,
                report.sms_rows,
                report.mobiles
            );
        }
        Ok(report)
    }

    /// A submission with its personal data in full (passwords still `(given)`) for reviewer
    /// `admin`: the opening is written to the admin audit (`OPEN personal-data`, who, which
    /// submission, when) before anything is read, and nothing is answered if it cannot be.
    pub fn open_submission(
        &self,
        admin: &str,
        id: &str,
    ) -> Result<crate::submissions::SubmissionRecord, ApiError> {
        let id = id.to_lowercase();
        let exists: Option<i64> = self
            .read()?
            .query_row(
                "SELECT 1 FROM submissions WHERE id = ?1",
                params![&id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(submission_not_found());
        }
        self.record_admin_action(
            admin,
            OPEN_ACTION,
            Some(&format!("submission:{id}")),
            200,
            None,
        )?;
        let mut record = self.submission(&id)?.ok_or_else(submission_not_found)?;
        record.payload = crate::submissions::for_review(record.payload);
        Ok(record)
    }
}

/// The admin-audit action of a reviewer opening a submission's personal data.
pub const OPEN_ACTION: &str = "OPEN personal-data";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_just_enough_to_tell_records_apart() {
        assert_eq!(mask_id("11010519491231271X"), "110***********271X");
        assert_eq!(mask_id("1234567"), "*******");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("张"), "*");
        assert_eq!(mask_email("contact@example.com"), "c***@example.com");
        assert_eq!(mask_text("经济技术开发区第三大街 51 号"), "经***");
    }

    #[test]
    fn a_masked_payload_holds_no_personal_value() {
        let path = format!(
            "{}/../../tests/fixtures/applications/tianjin-legal-entity.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let payload: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let masked = mask_payload(payload);
        let text = masked.to_string();
        for personal in [
            "赵磊",
            "陈静",
            "120101198209155739",
            "13920200003",
            "13920200004",
            "contact@example.com",
            "经济技术开发区",
            "tjshili2021",
            "Kiosk#2026a",
            "6222 0200 0300 4005 006",
        ] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
        assert_eq!(
            masked["legalRepresentative"]["document"]["number"],
            "120***********5739"
        );
        assert_eq!(masked["legalRepresentative"]["name"], "赵*");
        assert_eq!(masked["legalRepresentative"]["mobile"], "139****0003");
        assert_eq!(masked["unit"]["uscc"], "91120116MA07R4CN6Y", "public");
        assert_eq!(masked["unit"]["name"], "天津示例新材料有限公司", "public");
        assert_eq!(masked["kind"], "legal-entity");
        assert_eq!(masked["account"]["password"], "(given)");
    }

    #[test]
    fn sealed_values_open_with_the_identity_only() {
        let identity = age::x25519::Identity::generate();
        let other = age::x25519::Identity::generate();
        let stored = seal_text("13800138000", &identity.to_public());
        assert!(is_sealed_text(&stored) && !stored.contains("13800138000"));
        assert_eq!(
            open_text(&stored, &identity).as_deref(),
            Some("13800138000")
        );
        assert_eq!(open_text(&stored, &other), None);
        assert_eq!(
            open_text("13800138000", &identity).as_deref(),
            Some("13800138000"),
            "a value from before sealing reads as it is"
        );
        let payload = serde_json::json!({"kind": "natural-person", "person": {"name": "张三"},
            "account": {"password": "Kx9!pQ2#mZ"}});
        let stored = seal_payload(&payload, &identity.to_public());
        assert!(
            is_sealed_payload(&stored) && !stored.contains("张三"),
            "{stored}"
        );
        let opened = open_payload(&stored, &identity).unwrap();
        assert_eq!(opened["person"]["name"], "张三");
        assert!(
            opened["account"]["password"]["sealed"].is_string(),
            "passwords stay sealed inside"
        );
        assert_eq!(open_payload(&stored, &other), None);
        assert_eq!(
            open_payload(&payload.to_string(), &identity),
            Some(payload),
            "a payload from before sealing reads as it is"
        );
    }

    #[test]
    fn blind_indexes_depend_on_key_domain_and_value() {
        let key = BlindKey::from_secret(b"one");
        let a = key.index("registry:idNumber", "11010519491231002X");
        assert_eq!(a.len(), 64);
        assert_eq!(a, key.index("registry:idNumber", "11010519491231002X"));
        assert_ne!(a, key.index("registry:uscc", "11010519491231002X"));
        assert_ne!(a, key.index("registry:idNumber", "11010519491231003X"));
        assert_ne!(
            a,
            BlindKey::from_secret(b"two").index("registry:idNumber", "11010519491231002X")
        );
        let identity = age::x25519::Identity::generate();
        assert_eq!(
            BlindKey::derive(&identity).phone("13800138000"),
            BlindKey::derive(&identity).phone("13800138000"),
            "the same identity file gives every replica the same index"
        );
    }
}
