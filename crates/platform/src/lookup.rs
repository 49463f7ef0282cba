//! Visitor status lookup across kiosks: by receipt code and the last 4 characters of the ID
//! number, or by ID number and mobile. Any miss answers the same `404 STATUS_NOT_FOUND`;
//! attempts are limited per kiosk and per receipt (or ID number).
//!
//! Each submission's lookup keys (ID numbers, mobiles, last-4 values) are stored only as keyed
//! hashes in `submission_keys`.

use crate::storage::Tx;

use crate::sql_params as params;

use serde::{Deserialize, Serialize};

use crate::db::keyed_hash;
use crate::mobile::MOBILE_POINTERS;
use crate::rate_limit::{STATUS_CALLS_PER_KIOSK, STATUS_FAILURES_PER_SUBJECT, enforce, record};
use crate::{ApiError, Platform};

/// Most applications one lookup answers with.
pub const MAX_RESULTS: usize = 10;

/// Where identity document numbers are in a payload.
const ID_POINTERS: [&str; 3] = [
    "/person/document/number",
    "/legalRepresentative/document/number",
    "/primaryAgent/document/number",
];

/// `POST /api/v1/status/lookup` request: either `receipt` and `idLast4`, or `idNumber` and
/// `mobile`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusLookup {
    /// Receipt code (`XXXXX-XXXXX`, any case, hyphen optional).
    #[serde(default)]
    pub receipt: Option<String>,
    /// Last 4 characters of the ID number (with `receipt`).
    #[serde(default)]
    pub id_last4: Option<String>,
    /// Full ID document number (with `mobile`).
    #[serde(default)]
    pub id_number: Option<String>,
    /// Mobile number (with `idNumber`).
    #[serde(default)]
    pub mobile: Option<String>,
}

/// Never prints what was asked.
impl std::fmt::Debug for StatusLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusLookup")
            .field("by_receipt", &self.receipt.is_some())
            .finish_non_exhaustive()
    }
}

/// A message for the visitor in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Message {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// One application found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationStatus {
    /// Application id.
    pub id: String,
    /// Receipt code as printed (`XXXXX-XXXXX`; older submissions keep their `TB…` number).
    pub receipt: String,
    /// Application kind (`natural-person`, `legal-entity`, ...), empty if the payload has none.
    pub kind: String,
    /// Platform profile (`tianjin`, `most`, ...), empty if the payload has none.
    pub profile: String,
    /// `accepted`, `needs-action`, `verified` or `rejected`.
    pub state: String,
    /// Last change, Unix ms.
    pub updated_at: i64,
    /// What to tell the visitor: the reason for `needs-action`/`rejected`, the account name
    /// for `verified`, "waiting for review" for `accepted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// Whether the application's mobile still waits for verification (no approval until it
    /// is verified: `status/resend-code`, `status/verify-mobile`).
    pub mobile_unverified: bool,
}

/// `POST /api/v1/status/lookup` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LookupAnswer {
    /// Newest first, at most 10.
    pub applications: Vec<ApplicationStatus>,
}

/// `404 STATUS_NOT_FOUND`: one answer for every miss, revealing nothing.
pub fn not_found() -> ApiError {
    ApiError::not_found(
        "STATUS_NOT_FOUND",
        "没有查到符合的申请。请核对回执号和证件号码后四位（或证件号码和手机号）后再试；刚提交的申请可能还在上传中，请稍后再查。",
        "No matching application was found. Check the receipt code and the last 4 characters of the ID number (or the ID number and mobile) and try again; an application submitted just now may still be uploading.",
    )
}

fn query_invalid() -> ApiError {
    ApiError::bad_request(
        "STATUS_QUERY_INVALID",
        "请提供回执号和证件号码后四位，或者证件号码和手机号（二选一）。",
        "Give either the receipt code and the last 4 characters of the ID number, or the ID number and the mobile.",
    )
}

fn id_last4_invalid() -> ApiError {
    ApiError::bad_request(
        "ID_LAST4_INVALID",
        "请填写证件号码的最后 4 位（数字或字母）。",
        "Enter the last 4 characters of the ID number (digits or letters).",
    )
}

fn id_number_invalid() -> ApiError {
    ApiError::bad_request(
        "ID_NUMBER_INVALID",
        "证件号码须为 4-40 位字母和数字。",
        "The ID number must be 4-40 letters and digits.",
    )
}

/// An ID document number as stored for lookup: trimmed, upper-case.
fn id_form(value: &str) -> String {
    value.trim().to_uppercase()
}

fn last4(value: &str) -> Option<String> {
    let chars: Vec<char> = value.chars().collect();
    (chars.len() >= 4).then(|| chars[chars.len() - 4..].iter().collect())
}

fn lookup_hash(secret: &[u8], kind: &str, value: &str) -> String {
    keyed_hash(secret, &["lookup", kind, value])
}

/// Records the lookup keys of submission `id` (in the caller's transaction).
pub fn record_lookup_keys(
    db: &mut dyn Tx,
    secret: &[u8],
    id: &str,
    payload: &serde_json::Value,
) -> crate::storage::Result<()> {
    let text = |p: &str| {
        payload
            .pointer(p)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let ids: Vec<String> = ID_POINTERS
        .iter()
        .filter_map(|p| text(p))
        .map(id_form)
        .collect();
    let mobiles: Vec<String> = MOBILE_POINTERS
        .iter()
        .filter_map(|p| text(p))
        .filter_map(crate::phone::normalise_phone)
        .collect();
    let mut tails: Vec<String> = ids
        .iter()
        .cloned()
        .chain(text("/unit/uscc").map(id_form))
        .filter_map(|v| last4(&v))
        .collect();
    if tails.is_empty() {
        // No identity number at all (e.g. a legacy binding by mobile): the mobile's last 4.
        tails.extend(
            crate::mobile::sms_mobile(payload)
                .and_then(crate::phone::normalise_phone)
                .and_then(|m| last4(&m)),
        );
    }
    let keys = ids
        .iter()
        .map(|v| ("id", v))
        .chain(mobiles.iter().map(|v| ("mobile", v)))
        .chain(tails.iter().map(|v| ("last4", v)));
    for (kind, value) in keys {
        db.execute(
            "INSERT INTO submission_keys (submission_id, key_kind, key_hash)
             VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![id, kind, lookup_hash(secret, kind, value)],
        )?;
    }
    Ok(())
}

/// The two ways to ask.
enum Query {
    Receipt { code: String, tail: String },
    Identity { id: String, mobile: String },
}

fn parse_query(request: &StatusLookup) -> Result<Query, ApiError> {
    match request {
        StatusLookup {
            receipt: Some(receipt),
            id_last4: Some(tail),
            id_number: None,
            mobile: None,
        } => {
            let code = crate::receipt::parse(receipt).ok_or_else(crate::mobile::receipt_invalid)?;
            let tail = id_form(tail);
            if tail.chars().count() != 4 || !tail.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(id_last4_invalid());
            }
            Ok(Query::Receipt { code, tail })
        }
        StatusLookup {
            receipt: None,
            id_last4: None,
            id_number: Some(id),
            mobile: Some(mobile),
        } => {
            let id = id_form(id);
            if !(4..=40).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(id_number_invalid());
            }
            let mobile = crate::phone::require_phone(mobile)?;
            Ok(Query::Identity { id, mobile })
        }
        _ => Err(query_invalid()),
    }
}

fn message_for(
    state: &str,
    reason: Option<(String, String)>,
    account: Option<String>,
) -> Option<Message> {
    if let Some((zh, en)) = reason {
        return Some(Message { zh, en });
    }
    match (state, account) {
        ("verified", Some(name)) => Some(Message {
            zh: format!("审核通过，账号已开通。账号名：{name}。"),
            en: format!("Approved; the account is open. Account name: {name}."),
        }),
        ("accepted", _) => Some(Message {
            zh: "平台已收到申请，正在等待审核。".into(),
            en: "The platform has the application; it is waiting for review.".into(),
        }),
        _ => None,
    }
}

impl Platform {
    /// `POST /api/v1/status/lookup`.
    pub fn status_lookup(
        &self,
        kiosk: &str,
        request: &StatusLookup,
    ) -> Result<LookupAnswer, ApiError> {
        let query = parse_query(request)?;
        let now = self.now_ms();
        let mut tx = self.write()?;
        let ids = match &query {
            Query::Receipt { code, tail } => {
                let candidates = self.submissions_by_receipt(&mut *tx, kiosk, code, now)?;
                // No submission with the code: counted as a failure already.
                let known = !candidates.is_empty();
                let tail_hash = lookup_hash(&self.secret, "last4", tail);
                let mut matching = Vec::new();
                for id in candidates {
                    let hit: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM submission_keys
                         WHERE submission_id = ?1 AND key_kind = 'last4' AND key_hash = ?2)",
                        params![id, tail_hash],
                        |r| r.get(0),
                    )?;
                    if hit {
                        matching.push(id);
                    }
                }
                if known && matching.is_empty() {
                    record(
                        &mut *tx,
                        STATUS_FAILURES_PER_SUBJECT,
                        &crate::mobile::receipt_failure_key(code),
                        now,
                    )?;
                }
                matching
            }
            Query::Identity { id, mobile } => {
                enforce(&mut *tx, STATUS_CALLS_PER_KIOSK, kiosk, now)?;
                record(&mut *tx, STATUS_CALLS_PER_KIOSK, kiosk, now)?;
                let failure_key = format!("id:{}", keyed_hash(&self.secret, &["fail-id", id]));
                enforce(&mut *tx, STATUS_FAILURES_PER_SUBJECT, &failure_key, now)?;
                let found: Vec<String> = tx.query_map(
                    "SELECT DISTINCT a.submission_id FROM submission_keys a
                     JOIN submission_keys b ON b.submission_id = a.submission_id
                     WHERE a.key_kind = 'id' AND a.key_hash = ?1
                       AND b.key_kind = 'mobile' AND b.key_hash = ?2",
                    params![
                        lookup_hash(&self.secret, "id", id),
                        lookup_hash(&self.secret, "mobile", mobile)
                    ],
                    |r| r.get(0),
                )?;
                if found.is_empty() {
                    record(&mut *tx, STATUS_FAILURES_PER_SUBJECT, &failure_key, now)?;
                }
                found
            }
        };
        if ids.is_empty() {
            tx.commit()?;
            return Err(not_found());
        }
        let placeholders = (1..=ids.len())
            .map(|n| format!("?{n}"))
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT s.id, s.receipt, COALESCE(s.kind, ''), COALESCE(s.profile, ''), s.state,
                    s.updated_at, s.reason_zh, s.reason_en, s.account_name,
                    EXISTS (SELECT 1 FROM submission_mobiles m
                            WHERE m.application_id = s.id AND m.verified_at IS NULL)
             FROM submissions s WHERE s.id IN ({placeholders})
             ORDER BY s.received_at DESC, s.seq DESC LIMIT {MAX_RESULTS}"
        );
        let params: Vec<crate::storage::Value> =
            ids.iter().map(crate::storage::ToValue::to_value).collect();
        let applications = {
            tx.query_map(&sql, &params, |r| {
                let state: String = r.get(4)?;
                let zh: Option<String> = r.get(6)?;
                let en: Option<String> = r.get(7)?;
                let reason = zh.map(|zh| (zh, en.unwrap_or_default()));
                let account: Option<String> = r.get(8)?;
                let account = account.and_then(|a| crate::pii::open_text(&a, &self.identity));
                let message = message_for(&state, reason, account);
                Ok(ApplicationStatus {
                    id: r.get(0)?,
                    receipt: r.get(1)?,
                    kind: r.get(2)?,
                    profile: r.get(3)?,
                    state,
                    updated_at: r.get(5)?,
                    message,
                    mobile_unverified: r.get(9)?,
                })
            })?
        };
        tx.commit()?;
        Ok(LookupAnswer { applications })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(json: serde_json::Value) -> Result<Query, &'static str> {
        let request: StatusLookup = serde_json::from_value(json).unwrap();
        parse_query(&request).map_err(|e| e.code)
    }

    #[test]
    fn exactly_one_of_the_two_forms_is_accepted() {
        assert!(matches!(
            lookup(serde_json::json!({"receipt": "kg695-hrkad", "idLast4": "271x"})),
            Ok(Query::Receipt { ref code, ref tail }) if code == "KG695HRKAD" && tail == "271X"
        ));
        assert!(matches!(
            lookup(serde_json::json!({"idNumber": " 11010519491231002x ", "mobile": "+86 138 0013 8000"})),
            Ok(Query::Identity { ref id, ref mobile }) if id == "11010519491231002X" && mobile == "13800138000"
        ));
        for (body, code) in [
            (serde_json::json!({}), "STATUS_QUERY_INVALID"),
            (
                serde_json::json!({"receipt": "KG695HRKAD"}),
                "STATUS_QUERY_INVALID",
            ),
            (
                serde_json::json!({"receipt": "KG695HRKAD", "idLast4": "1234", "mobile": "13800138000"}),
                "STATUS_QUERY_INVALID",
            ),
            (
                serde_json::json!({"receipt": "KG695", "idLast4": "1234"}),
                "RECEIPT_INVALID",
            ),
            (
                serde_json::json!({"receipt": "KG695HRKAD", "idLast4": "12"}),
                "ID_LAST4_INVALID",
            ),
            (
                serde_json::json!({"idNumber": "1", "mobile": "13800138000"}),
                "ID_NUMBER_INVALID",
            ),
            (
                serde_json::json!({"idNumber": "110105", "mobile": "12"}),
                "PHONE_INVALID",
            ),
        ] {
            assert_eq!(lookup(body.clone()).err(), Some(code), "{body}");
        }
    }

    #[test]
    fn lookup_keys_cover_every_person_and_fall_back_to_the_mobile() {
        let store = crate::storage::sqlite::SqliteStorage::in_memory(b"k").unwrap();
        let mut db = crate::storage::Storage::begin(&store, crate::storage::Mode::Write).unwrap();
        let entity = serde_json::json!({
            "unit": { "uscc": "91120116MA07R4CN6Y" },
            "legalRepresentative": { "document": { "number": "120101198209155739" }, "mobile": "13920200003" },
        });
        record_lookup_keys(&mut *db, b"k", "e", &entity).unwrap();
        let binding = serde_json::json!({ "mobile": "138 3710 0002" });
        record_lookup_keys(&mut *db, b"k", "b", &binding).unwrap();
        let mut has = |id: &str, kind: &str, value: &str| -> bool {
            db.query_row(
                "SELECT EXISTS (SELECT 1 FROM submission_keys WHERE submission_id = ?1 AND key_kind = ?2 AND key_hash = ?3)",
                params![id, kind, lookup_hash(b"k", kind, value)],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert!(has("e", "id", "120101198209155739"));
        assert!(has("e", "mobile", "13920200003"));
        assert!(has("e", "last4", "5739"), "the representative's ID number");
        assert!(has("e", "last4", "CN6Y"), "the unit's USCC");
        assert!(
            has("b", "last4", "0002"),
            "no ID number: the mobile's last 4"
        );
        let stored: String = db
            .query_row(
                "SELECT group_concat(key_hash) FROM submission_keys",
                params![],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            !stored.contains("120101198209155739") && !stored.contains("13920200003"),
            "only hashes are stored"
        );
    }
}
