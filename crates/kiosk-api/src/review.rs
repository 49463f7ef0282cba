//! Supervisor review: the per-profile policy (setting `review.policy.<profile>`: `off`,
//! `sample:N` or `all`), the held list, and a supervisor's approve / return decisions.
//!
//! Every decision re-checks the supervisor's password (Argon2id, with the login lockout) and
//! role; a batch commits all or nothing, with one audit row per application.

use kiosk_core::Problem;
use kiosk_core::review::{ReviewDecision, ReviewPolicy, ReviewStatus};
use kiosk_store::ReviewEntry;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Kiosk;
use crate::caller::{Action, Caller, StaffCaller};
use crate::queue::AttachmentMeta;

mod error;

pub use error::ReviewApiError;

/// Prefix of the per-profile review policy setting (`review.policy.tianjin = sample:20`).
pub const SETTING_REVIEW_POLICY_PREFIX: &str = kiosk_core::settings::REVIEW_POLICY.key;

/// One held application as the review screen lists it (masked).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewItem {
    /// Application id.
    pub id: String,
    /// Application kind.
    pub kind: String,
    /// Platform profile.
    pub profile: String,
    /// Masked summary.
    pub summary: serde_json::Value,
    /// Lifecycle state (`submitted` while held).
    pub state: String,
    /// Submitted, Unix ms.
    #[ts(type = "number")]
    pub created_at: i64,
    /// Review status.
    pub status: ReviewStatus,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When, Unix ms.
    #[ts(type = "number | null")]
    pub decided_at: Option<i64>,
    /// Approval remarks.
    pub remarks: Option<String>,
    /// Why it was returned (shown to the operator).
    pub reason: Option<String>,
}

impl From<ReviewEntry> for ReviewItem {
    fn from(e: ReviewEntry) -> Self {
        Self {
            id: e.id,
            kind: e.kind,
            profile: e.profile,
            summary: e.summary,
            state: e.state,
            created_at: e.created_at,
            status: e.status,
            decided_by: e.decided_by,
            decided_at: e.decided_at,
            remarks: e.remarks,
            reason: e.reason,
        }
    }
}

/// A held application in detail: the list line and its attachments (metadata; the files
/// themselves are sealed to the platform's key and cannot be opened on the kiosk).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewDetail {
    /// The list line.
    pub item: ReviewItem,
    /// Attachments handed in.
    pub attachments: Vec<AttachmentMeta>,
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewOutcome {
    /// Applications decided.
    pub ids: Vec<String>,
    /// Their new status.
    pub status: ReviewStatus,
    /// The supervisor.
    pub supervisor: String,
}

/// The review policy of `profile` (`off` when never set).
pub fn policy(kiosk: &Kiosk, profile: &str) -> Result<ReviewPolicy, Problem> {
    let text = kiosk
        .store()
        .setting(&format!("{SETTING_REVIEW_POLICY_PREFIX}{profile}"))?;
    Ok(text
        .as_deref()
        .and_then(ReviewPolicy::parse)
        .unwrap_or(ReviewPolicy::Off))
}

/// Sets the review policy of `profile` (kioskctl / settings; the caller checked the admin).
pub fn set_policy(
    kiosk: &Kiosk,
    profile: &str,
    policy: ReviewPolicy,
    actor: &str,
    now: i64,
) -> Result<(), Problem> {
    kiosk_core::profile::Profile::by_id(profile)?;
    kiosk.store().set_setting(
        &format!("{SETTING_REVIEW_POLICY_PREFIX}{profile}"),
        &policy.as_setting(),
    )?;
    kiosk.store().audit(kiosk_store::AuditEntry {
        at: now,
        actor: actor.to_owned(),
        action: "review.policy".into(),
        application_id: None,
        detail: format!("profile={profile} policy={}", policy.as_setting()),
    })?;
    Ok(())
}

/// The review policy of one platform profile, as the settings screen edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileReviewPolicy {
    /// Platform profile id (`tianjin`).
    pub profile: String,
    /// Off, a sample (with its percentage) or all.
    pub policy: ReviewPolicy,
}

/// The review policy of every built-in profile, in the profiles' order.
pub fn policies(kiosk: &Kiosk) -> Result<Vec<ProfileReviewPolicy>, Problem> {
    kiosk_core::profile::Profile::builtin()
        .iter()
        .map(|p| {
            Ok(ProfileReviewPolicy {
                profile: p.id.clone(),
                policy: policy(kiosk, &p.id)?,
            })
        })
        .collect()
}

/// Checks one profile's policy: a known profile, and a sample rate from 1 to 99 % (0 is
/// `off`, 100 is `all`). The problem names the field `reviewPolicies.<profile>`.
pub fn validate_policy(entry: &ProfileReviewPolicy) -> Result<(), Problem> {
    if kiosk_core::profile::Profile::by_id(&entry.profile).is_err() {
        return Err(ReviewApiError::PolicyProfileUnknown(entry.profile.clone()).into());
    }
    if let ReviewPolicy::Sample(percent) = entry.policy
        && !(1..=99).contains(&percent)
    {
        return Err(ReviewApiError::PolicySampleRate {
            profile: entry.profile.clone(),
            percent,
        }
        .into());
    }
    Ok(())
}

/// Whether a new application of `profile` with id `id` waits for a supervisor.
pub fn holds(kiosk: &Kiosk, profile: &str, id: &str) -> Result<bool, Problem> {
    Ok(policy(kiosk, profile)?.requires_review(id))
}

/// Held applications, oldest first (all statuses when `status` is `None`).
pub fn list(kiosk: &Kiosk, status: Option<ReviewStatus>) -> Result<Vec<ReviewItem>, Problem> {
    Ok(kiosk
        .store()
        .reviews(status, 1000)?
        .into_iter()
        .map(ReviewItem::from)
        .collect())
}

/// One held application in detail.
pub fn detail(kiosk: &Kiosk, id: &str) -> Result<ReviewDetail, Problem> {
    let entry = kiosk.store().review_of(id)?.ok_or_else(|| not_held(id))?;
    let shown = kiosk.store().show(id)?;
    let (profile, kind) = (shown.entry.profile.clone(), shown.entry.kind.clone());
    Ok(ReviewDetail {
        item: entry.into(),
        attachments: shown
            .attachments
            .into_iter()
            .map(|a| AttachmentMeta::labelled(&profile, &kind, a))
            .collect(),
    })
}

/// Parses a review status name.
pub fn parse_status(name: &str) -> Result<ReviewStatus, Problem> {
    ReviewStatus::parse(name).ok_or_else(|| ReviewApiError::StatusUnknown(name.to_owned()).into())
}

fn not_held(id: &str) -> Problem {
    ReviewApiError::NotHeld(id.to_owned()).into()
}

/// Re-checks the supervisor's password (counts towards the lockout) and, through the
/// permission table, that their role may decide reviews.
fn supervisor(kiosk: &Kiosk, username: &str, password: &str, now: i64) -> Result<String, Problem> {
    let account = kiosk.store().login(username, password, now)?;
    let caller = Caller::Staff(StaffCaller::signed_in(
        account.username.clone(),
        account.role,
        now,
    ));
    if !caller.may(Action::DecideReview) {
        return Err(ReviewApiError::NotAllowed.into());
    }
    Ok(account.username)
}

fn decide(
    kiosk: &Kiosk,
    credentials: (&str, &str),
    ids: &[String],
    decision: ReviewDecision,
    now: i64,
) -> Result<ReviewOutcome, Problem> {
    if ids.is_empty() {
        return Err(ReviewApiError::NothingSelected.into());
    }
    let who = supervisor(kiosk, credentials.0, credentials.1, now)?;
    let decided = match decision {
        ReviewDecision::Approve { .. } => "approved",
        ReviewDecision::Return { .. } => "returned to the operator",
    };
    let statuses = kiosk
        .store()
        .decide_reviews(ids.to_vec(), decision, &who, now)?;
    // Counts only: who decided is in the audit trail, not the log.
    log::info!("review: {} application(s) {decided}", ids.len());
    Ok(ReviewOutcome {
        ids: ids.to_vec(),
        status: statuses.last().copied().unwrap_or(ReviewStatus::Approved),
        supervisor: who,
    })
}

/// Approves `ids` (one or a whole batch, all or nothing) with optional remarks after
/// re-checking the supervisor's password. Approved applications go to the outbox at once.
pub fn approve(
    kiosk: &Kiosk,
    username: &str,
    password: &str,
    ids: &[String],
    remarks: Option<String>,
    now: i64,
) -> Result<ReviewOutcome, Problem> {
    let remarks = remarks.filter(|r| !r.trim().is_empty());
    decide(
        kiosk,
        (username, password),
        ids,
        ReviewDecision::Approve { remarks },
        now,
    )
}

/// Returns `id` to the operator with `reason` after re-checking the supervisor's password.
/// It stays held (never sent) and the operator sees the reason.
pub fn return_to_operator(
    kiosk: &Kiosk,
    username: &str,
    password: &str,
    id: &str,
    reason: &str,
    now: i64,
) -> Result<ReviewOutcome, Problem> {
    decide(
        kiosk,
        (username, password),
        &[id.to_owned()],
        ReviewDecision::Return {
            reason: reason.to_owned(),
        },
        now,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::staff::{self, NewStaffInput};
    use crate::submit::{self, Submission};
    use crate::test_support::{NOW, fixture_with_files};

    const SUPERVISOR_PASSWORD: &str = "supervisor password 1";

    fn kiosk_with_staff() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let code = staff::issue_setup_code(&kiosk, 1).unwrap();
        staff::create_first_admin(&kiosk, &code, "admin", "管理员", "a long admin password", 2)
            .unwrap();
        let admin = staff::login(&kiosk, "admin", "a long admin password", 3).unwrap();
        let admin = crate::caller::Caller::Staff(admin.caller(3));
        for (name, role, password) in [
            ("lead", "supervisor", SUPERVISOR_PASSWORD),
            ("clerk", "operator", "clerk password 1"),
        ] {
            let input = NewStaffInput {
                username: name.into(),
                display_name: name.into(),
                role: role.into(),
                password: password.into(),
            };
            staff::add(&kiosk, &admin, input, 4).unwrap();
        }
        (dir, kiosk)
    }

    fn submit_one(kiosk: &Kiosk) -> String {
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        submit::submit(
            kiosk,
            Submission {
                profile: "tianjin",
                application: serde_json::from_str(&json).unwrap(),
                attachments: files,
                actor: "clerk",
                draft_id: None,
            },
            NOW,
        )
        .unwrap()
        .id
    }

    #[test]
    fn policy_all_holds_every_submission_and_off_holds_none() {
        let (_dir, kiosk) = kiosk_with_staff();
        assert_eq!(policy(&kiosk, "tianjin").unwrap(), ReviewPolicy::Off);
        let free = submit_one(&kiosk);
        assert!(
            list(&kiosk, None).unwrap().is_empty(),
            "policy off holds nothing"
        );
        set_policy(&kiosk, "tianjin", ReviewPolicy::All, "admin", NOW).unwrap();
        let held = submit_one(&kiosk);
        let pending = list(&kiosk, Some(ReviewStatus::Pending)).unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].id, held);
        let due = kiosk.store().due_for_upload(NOW + 1, 10).unwrap();
        assert_eq!(due, vec![free], "the held application is not sent");
        assert_eq!(
            set_policy(&kiosk, "atlantis", ReviewPolicy::All, "admin", NOW)
                .unwrap_err()
                .code,
            "PROFILE_UNKNOWN"
        );
    }

    #[test]
    fn batch_approval_rechecks_the_supervisor_password_and_role() {
        let (_dir, kiosk) = kiosk_with_staff();
        set_policy(&kiosk, "tianjin", ReviewPolicy::All, "admin", NOW).unwrap();
        let ids = vec![submit_one(&kiosk), submit_one(&kiosk)];
        let wrong = approve(&kiosk, "lead", "not the password", &ids, None, NOW).unwrap_err();
        assert_eq!(wrong.code, "STAFF_LOGIN_FAILED", "{wrong:?}");
        let clerk = approve(&kiosk, "clerk", "clerk password 1", &ids, None, NOW).unwrap_err();
        assert_eq!(clerk.code, "REVIEW_NOT_ALLOWED");
        assert_eq!(
            list(&kiosk, Some(ReviewStatus::Pending)).unwrap().len(),
            2,
            "refused attempts change nothing"
        );
        let done = approve(
            &kiosk,
            "lead",
            SUPERVISOR_PASSWORD,
            &ids,
            Some("已核对原件".into()),
            NOW + 1,
        )
        .unwrap();
        assert_eq!(done.status, ReviewStatus::Approved);
        assert_eq!(done.supervisor, "lead");
        let due = kiosk.store().due_for_upload(NOW + 1, 10).unwrap();
        assert_eq!(due.len(), 2, "both released");
        let audit = kiosk.store().recent_audit(10).unwrap();
        let rows = audit
            .iter()
            .filter(|a| a.action == "review.approved")
            .count();
        assert_eq!(rows, 2, "one audit row per application");
    }

    #[test]
    fn returned_application_shows_its_reason_and_is_not_sent() {
        let (_dir, kiosk) = kiosk_with_staff();
        set_policy(&kiosk, "tianjin", ReviewPolicy::All, "admin", NOW).unwrap();
        let id = submit_one(&kiosk);
        let blank = return_to_operator(&kiosk, "lead", SUPERVISOR_PASSWORD, &id, " ", NOW);
        assert_eq!(blank.unwrap_err().code, "REVIEW_REASON_MISSING");
        return_to_operator(
            &kiosk,
            "lead",
            SUPERVISOR_PASSWORD,
            &id,
            "照片模糊，请重拍",
            NOW,
        )
        .unwrap();
        let shown = detail(&kiosk, &id).unwrap();
        assert_eq!(shown.item.status, ReviewStatus::Returned);
        assert_eq!(shown.item.reason.as_deref(), Some("照片模糊，请重拍"));
        assert!(!shown.attachments.is_empty(), "attachments listed");
        assert!(
            kiosk
                .store()
                .due_for_upload(NOW + 1, 10)
                .unwrap()
                .is_empty()
        );
        assert_eq!(detail(&kiosk, "nope").unwrap_err().code, "REVIEW_NOT_HELD");
    }
}
