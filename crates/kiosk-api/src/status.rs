//! Status lookup for visitors, at any kiosk of the hall: by the receipt code printed on the
//! receipt (typed, or scanned from its QR code by a USB scanner, which types the QR text) with
//! the last four characters of the ID number, or by ID number and mobile. The platform is asked
//! when it answers, so an application made at another kiosk is found; this kiosk's own queue
//! answers too (also for what has not reached the platform yet). A wrong code and a wrong ID
//! suffix get the same answer, so the lookup reveals nothing.
//!
//! A mobile the platform has not verified yet (the kiosk was offline when the visitor applied)
//! is verified here with the code the platform texted: [`verify_mobile`], [`resend_code`].

use kiosk_core::lifecycle::LifecycleState;
use kiosk_core::privacy::{mask_id_number, mask_mobile};
use kiosk_core::receipt::{display, parse, receipt_code};
use kiosk_core::rules::contact::validate_mobile;
use kiosk_core::{Problem, UserFacing};
use kiosk_sync::SyncError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Kiosk;
use crate::online::ask_platform;

kiosk_core::user_facing_errors! {
    /// Why a lookup gives no answer.
    pub enum StatusError {
        /// Nothing matches (or the details do not).
        NotFound = "STATUS_NOT_FOUND" {
            zh: "没有找到这份申请。请核对回执上的回执号码和证件号码后四位，或请工作人员协助。",
            en: "No application matches. Check the receipt code on the receipt and the last four characters of the ID number, or ask the staff."
        },
        /// Not a receipt code nor a scanned receipt QR code.
        CodeInvalid = "STATUS_CODE_INVALID" {
            zh: "回执号码应为 10 位字母和数字（如 KG695-HRKAD），或扫描回执上的二维码。",
            en: "A receipt code has 10 letters and digits (e.g. KG695-HRKAD); or scan the QR code on the receipt."
        },
        /// Not four characters.
        SuffixInvalid = "STATUS_ID_SUFFIX_INVALID" {
            zh: "请输入证件号码的最后 4 位。",
            en: "Type the last 4 characters of the ID number."
        },
        /// By identity, offline: only this kiosk's own applications can be searched.
        IdentityOffline = "STATUS_IDENTITY_OFFLINE" {
            zh: "现在连不上平台，只能查到在本机办理的申请；本机没有找到。请用回执号码查询，或稍后再试。",
            en: "The platform cannot be reached, so only this kiosk's own applications can be searched, and none matches. Use the receipt code, or try later."
        },
    }
}

/// How a visitor identifies their application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "by", rename_all = "kebab-case")]
#[ts(export)]
pub enum LookupBy {
    /// The receipt code (or the text of the receipt's QR code, as a scanner types it) and the
    /// last four characters of the ID number.
    #[serde(rename_all = "camelCase")]
    Receipt {
        /// `KG695-HRKAD`, or `TONGBAN:<application id>` from the QR code.
        code: String,
        /// The last four characters of the applicant's ID number.
        id_last4: String,
    },
    /// The full ID number and the mobile given on the application.
    #[serde(rename_all = "camelCase")]
    Identity {
        /// The applicant's document number.
        id_number: String,
        /// The mobile on the application.
        mobile: String,
    },
}

/// What a visitor may see about one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusLookup {
    /// Receipt code as printed (`KG695-HRKAD`).
    pub receipt_code: String,
    /// Application kind.
    pub kind: String,
    /// Platform profile.
    pub profile: String,
    /// Lifecycle state as this kiosk knows it; the platform's state for others' applications.
    pub state: LifecycleState,
    /// Last change, Unix ms.
    #[ts(type = "number")]
    pub updated_at: i64,
    /// The platform's latest message (e.g. what to hand in), Chinese.
    #[ts(optional)]
    pub message_zh: Option<String>,
    /// The same in English.
    #[ts(optional)]
    pub message_en: Option<String>,
    /// The platform still waits for the mobile to be verified with the code it texted.
    pub mobile_unverified: bool,
    /// Answered by the platform (else from this kiosk's queue only).
    pub from_platform: bool,
}

/// The receipt code a typed or scanned text stands for.
fn code_of(text: &str) -> Option<String> {
    kiosk_core::letter_qr::application_number(text)
        .map(|id| receipt_code(&id))
        .or_else(|| parse(text))
}

fn last_four(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    chars[chars.len().saturating_sub(4)..]
        .iter()
        .collect::<String>()
        .to_uppercase()
}

/// This kiosk's applications matching `by` (never drafts).
fn local(kiosk: &Kiosk, by: &LookupBy) -> Result<Vec<StatusLookup>, Problem> {
    let items = crate::queue::list(kiosk, None, 10_000)?;
    let masked = |item: &crate::queue::QueueItem, key: &str| {
        item.summary
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    Ok(items
        .into_iter()
        .filter(|item| item.state != LifecycleState::Draft)
        .filter(|item| match by {
            LookupBy::Receipt { code, id_last4 } => {
                code_of(code).is_some_and(|c| c == receipt_code(&item.id))
                    && masked(item, "idNumber")
                        .is_some_and(|m| last_four(&m) == id_last4.trim().to_uppercase())
            }
            LookupBy::Identity { id_number, mobile } => {
                let id_ok =
                    masked(item, "idNumber").is_some_and(|m| m == mask_id_number(id_number.trim()));
                let mobile_ok = masked(item, "mobile").is_none_or(|m| {
                    validate_mobile(mobile)
                        .value
                        .is_some_and(|n| m == mask_mobile(&n))
                });
                id_ok && mobile_ok
            }
        })
        .map(|item| StatusLookup {
            receipt_code: display(&receipt_code(&item.id)),
            kind: item.kind,
            profile: item.profile,
            state: item.state,
            updated_at: item.updated_at,
            message_zh: item.last_error.clone(),
            message_en: None,
            mobile_unverified: false,
            from_platform: false,
        })
        .collect())
}

/// The platform's answer, `None` when it cannot be asked.
async fn platform(kiosk: &Kiosk, by: &LookupBy) -> Option<Result<Vec<StatusLookup>, Problem>> {
    let body = match by {
        LookupBy::Receipt { code, id_last4 } => {
            serde_json::json!({ "receipt": code_of(code)?, "idLast4": id_last4.trim().to_uppercase() })
        }
        LookupBy::Identity { id_number, mobile } => {
            let mobile = validate_mobile(mobile)
                .value
                .unwrap_or_else(|| mobile.trim().to_owned());
            serde_json::json!({ "idNumber": id_number.trim().to_uppercase(), "mobile": mobile })
        }
    };
    let answer = match ask_platform(kiosk, "/api/v1/status/lookup", body).await? {
        Ok(answer) => answer,
        Err(SyncError::Refused(reason) | SyncError::Throttled(reason)) => {
            return Some(Err(Problem::new(reason.code, reason.zh, reason.en)));
        }
        Err(_) => return None,
    };
    let list = answer.get("applications")?.as_array()?;
    Some(Ok(list
        .iter()
        .filter_map(|a| {
            let text = |k: &str| {
                a.get(k)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            };
            let state =
                serde_json::from_value::<LifecycleState>(serde_json::Value::String(text("state")?))
                    .ok()?;
            Some(StatusLookup {
                receipt_code: display(&text("receipt")?.replace('-', "")),
                kind: text("kind")?,
                profile: text("profile").unwrap_or_default(),
                state,
                updated_at: a
                    .get("updatedAt")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(0),
                message_zh: a
                    .pointer("/message/zh")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                message_en: a
                    .pointer("/message/en")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                mobile_unverified: a
                    .get("mobileUnverified")
                    .and_then(serde_json::Value::as_bool)
                    .unwrap_or(false),
                from_platform: true,
            })
        })
        .collect()))
}

fn check(by: &LookupBy) -> Result<(), Problem> {
    match by {
        LookupBy::Receipt { code, id_last4 } => {
            if code_of(code).is_none() {
                return Err(StatusError::CodeInvalid.problem().at("code"));
            }
            if id_last4.trim().chars().count() != 4 {
                return Err(StatusError::SuffixInvalid.problem().at("idLast4"));
            }
        }
        LookupBy::Identity { id_number, mobile } => {
            if id_number.trim().chars().count() < 6 {
                return Err(StatusError::NotFound.problem().at("idNumber"));
            }
            if validate_mobile(mobile).value.is_none() {
                return Err(StatusError::NotFound.problem().at("mobile"));
            }
        }
    }
    Ok(())
}

/// Looks up the visitor's applications (newest first): the platform's answer when it can be
/// asked, merged with this kiosk's own applications it does not know yet.
///
/// Throttled per kiosk (kept in the database, so a restart does not reset it): at most 10
/// well-formed lookups a minute, and after 5 misses in a row a pause of 1 minute, doubling
/// with each further miss up to 30 minutes (`STATUS_LOOKUP_THROTTLED`, saying when to retry).
pub async fn lookup(kiosk: &Kiosk, by: LookupBy, now: i64) -> Result<Vec<StatusLookup>, Problem> {
    check(&by)?;
    kiosk.store().status_lookup_admit(now)?;
    let found = find(kiosk, &by).await;
    let hit = match &found {
        Ok(_) => true,
        Err(problem) => problem.code != StatusError::NotFound.problem().code,
    };
    kiosk.store().status_lookup_outcome(hit, now)?;
    found
}

async fn find(kiosk: &Kiosk, by: &LookupBy) -> Result<Vec<StatusLookup>, Problem> {
    let by = by.clone();
    let mine = local(kiosk, &by)?;
    let found = match platform(kiosk, &by).await {
        Some(Ok(theirs)) => {
            let mut all = theirs;
            for item in mine {
                if !all.iter().any(|a| a.receipt_code == item.receipt_code) {
                    all.push(item);
                }
            }
            all
        }
        Some(Err(problem)) if problem.code != "STATUS_NOT_FOUND" => return Err(problem),
        Some(Err(_)) => mine,
        None if mine.is_empty() && matches!(by, LookupBy::Identity { .. }) => {
            return Err(StatusError::IdentityOffline.problem());
        }
        None => mine,
    };
    if found.is_empty() {
        return Err(StatusError::NotFound.problem());
    }
    let mut found = found;
    found.sort_by_key(|a| std::cmp::Reverse(a.updated_at));
    Ok(found)
}

/// Verifies the still unverified mobile of the application with `receipt` (its code as
/// printed) with the `code` the platform texted to it.
pub async fn verify_mobile(kiosk: &Kiosk, receipt: &str, code: &str) -> Result<(), Problem> {
    let receipt = code_of(receipt).ok_or_else(|| StatusError::CodeInvalid.problem().at("code"))?;
    let sms = kiosk_core::rules::contact::validate_sms_code(code);
    let Some(code) = sms.value else {
        return Err(sms
            .errors
            .into_iter()
            .next()
            .unwrap_or_else(|| StatusError::NotFound.problem())
            .at("smsCode"));
    };
    let body = serde_json::json!({ "receipt": receipt, "code": code });
    match ask_platform(kiosk, "/api/v1/status/verify-mobile", body).await {
        Some(Ok(_)) => Ok(()),
        Some(Err(SyncError::Refused(r) | SyncError::Throttled(r))) => {
            Err(Problem::new(r.code, r.zh, r.en).at("smsCode"))
        }
        _ => Err(crate::online::SmsError::Offline.problem()),
    }
}

/// Asks the platform to text the unverified mobile of `receipt` a new code.
pub async fn resend_code(kiosk: &Kiosk, receipt: &str) -> Result<(), Problem> {
    let receipt = code_of(receipt).ok_or_else(|| StatusError::CodeInvalid.problem().at("code"))?;
    match ask_platform(
        kiosk,
        "/api/v1/status/resend-code",
        serde_json::json!({ "receipt": receipt }),
    )
    .await
    {
        Some(Ok(_)) => Ok(()),
        Some(Err(SyncError::Refused(r) | SyncError::Throttled(r))) => {
            Err(Problem::new(r.code, r.zh, r.en))
        }
        _ => Err(crate::online::SmsError::Offline.problem()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::submit::{Submission, submit};
    use crate::test_support::{NOW, fixture};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn guessing_is_throttled_with_a_time_to_retry() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let guess = |last4: &str| LookupBy::Receipt {
            code: "KG695-HRKAD".into(),
            id_last4: last4.into(),
        };
        for n in 0..5 {
            let miss = lookup(&kiosk, guess("1234"), NOW + n).await.unwrap_err();
            assert_eq!(miss.code, "STATUS_NOT_FOUND", "guess {n}");
        }
        let held = lookup(&kiosk, guess("1235"), NOW + 5).await.unwrap_err();
        assert_eq!(held.code, "STATUS_LOOKUP_THROTTLED");
        assert!(held.zh.contains("秒后再试"), "{}", held.zh);
        let malformed = lookup(&kiosk, guess("12"), NOW + 6).await.unwrap_err();
        assert_eq!(
            malformed.code, "STATUS_ID_SUFFIX_INVALID",
            "format errors are free"
        );
        let later = lookup(&kiosk, guess("1236"), NOW + 4 + 60_000)
            .await
            .unwrap_err();
        assert_eq!(later.code, "STATUS_NOT_FOUND", "the pause is over");
        let doubled = lookup(&kiosk, guess("1237"), NOW + 5 + 60_000)
            .await
            .unwrap_err();
        assert_eq!(
            doubled.code, "STATUS_LOOKUP_THROTTLED",
            "the next pause is longer"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_applicant_finds_their_application_and_nobody_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let json = fixture("tianjin-natural-person");
        let submission = Submission {
            profile: "tianjin",
            application: serde_json::from_str(&json).unwrap(),
            attachments: Vec::new(),
            actor: "visitor",
            draft_id: None,
        };
        let receipt = tokio::task::block_in_place(|| submit(&kiosk, submission, NOW)).unwrap();
        let masked = receipt.summary["idNumber"].as_str().unwrap().to_owned();
        let suffix = last_four(&masked).to_lowercase();
        let code = display(&receipt_code(&receipt.id));
        let by = |code: &str, last4: &str| LookupBy::Receipt {
            code: code.into(),
            id_last4: last4.into(),
        };
        let found = lookup(&kiosk, by(&code, &suffix), NOW).await.unwrap();
        assert_eq!(found[0].receipt_code, code);
        assert_eq!(found[0].state, LifecycleState::Submitted);
        assert!(
            !found[0].from_platform,
            "not enrolled: this kiosk's queue answers"
        );
        let scanned = format!("TONGBAN:{}", receipt.id);
        assert_eq!(
            lookup(&kiosk, by(&scanned, &suffix), NOW)
                .await
                .unwrap()
                .len(),
            1,
            "the QR text works too"
        );
        let wrong = if suffix == "0000" { "1111" } else { "0000" };
        assert_eq!(
            lookup(&kiosk, by(&code, wrong), NOW)
                .await
                .unwrap_err()
                .code,
            "STATUS_NOT_FOUND"
        );
        assert_eq!(
            lookup(&kiosk, by("KG695-HRKAD", &suffix), NOW)
                .await
                .unwrap_err(),
            StatusError::NotFound.problem(),
            "an unknown code answers exactly like a wrong ID"
        );
        assert_eq!(
            lookup(&kiosk, by("x", "12"), NOW).await.unwrap_err().code,
            "STATUS_CODE_INVALID"
        );
        assert_eq!(
            lookup(&kiosk, by(&code, "12"), NOW).await.unwrap_err().code,
            "STATUS_ID_SUFFIX_INVALID"
        );
    }
}
