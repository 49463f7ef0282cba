//! Status lookup for visitors: an application number plus the last four characters of the
//! applicant's ID number, answered from the local queue (kept current by the sync worker).
//! A wrong number and a wrong ID suffix get the same answer, so the lookup reveals nothing.

use kiosk_core::Problem;
use kiosk_core::lifecycle::LifecycleState;
use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;

/// What a visitor may see about their application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusLookup {
    /// Application number.
    pub id: String,
    /// Application kind.
    pub kind: String,
    /// Platform profile.
    pub profile: String,
    /// Lifecycle state.
    pub state: LifecycleState,
    /// Chinese label of the state.
    pub state_label: String,
    /// Last change, Unix ms.
    #[ts(type = "number")]
    pub updated_at: i64,
    /// The platform's latest message (e.g. what to hand in), when it sent one.
    #[ts(optional)]
    pub message: Option<String>,
}

fn not_found() -> Problem {
    Problem::new(
        "STATUS_NOT_FOUND",
        "没有找到这份申请。请核对回执上的申请编号和身份证号码后四位后重试，或请工作人员协助。",
        "No application matches. Check the number on the receipt and the last four characters of the ID number, or ask the staff.",
    )
}

fn last_four(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    chars[chars.len().saturating_sub(4)..]
        .iter()
        .collect::<String>()
        .to_uppercase()
}

/// Looks up application `id` for the visitor whose ID number ends in `id_last4`.
pub fn lookup(kiosk: &Kiosk, id: &str, id_last4: &str) -> Result<StatusLookup, Problem> {
    let suffix = id_last4.trim();
    if suffix.chars().count() != 4 {
        return Err(Problem::new(
            "STATUS_ID_SUFFIX_INVALID",
            "请输入身份证件号码的最后 4 位。",
            "Type the last 4 characters of the ID number.",
        )
        .at("idLast4"));
    }
    let id = id.trim();
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(not_found());
    }
    let detail = crate::queue::show(kiosk, id).map_err(|_| not_found())?;
    let item = detail.item;
    let matches = item
        .summary
        .get("idNumber")
        .and_then(|v| v.as_str())
        .is_some_and(|masked| last_four(masked) == suffix.to_uppercase());
    if !matches || item.state == LifecycleState::Draft {
        return Err(not_found());
    }
    Ok(StatusLookup {
        id: item.id,
        kind: item.kind,
        profile: item.profile,
        state: item.state,
        state_label: item.state_label,
        updated_at: item.updated_at,
        message: detail.updates.into_iter().rev().find_map(|u| u.message),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::submit::{Submission, submit};
    use crate::test_support::{NOW, fixture};

    #[test]
    fn the_applicant_finds_their_application_and_nobody_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let json = fixture("tianjin-natural-person");
        let submission = Submission {
            profile: "tianjin",
            application_json: &json,
            attachments: Vec::new(),
            actor: "visitor",
            replaces_draft: None,
        };
        let receipt = submit(&kiosk, submission, NOW).unwrap();
        let masked = receipt.summary["idNumber"].as_str().unwrap().to_owned();
        let suffix = last_four(&masked).to_lowercase();
        let found = lookup(&kiosk, &receipt.id, &suffix).unwrap();
        assert_eq!(found.id, receipt.id);
        assert_eq!(found.state, LifecycleState::Submitted);
        let wrong = if suffix == "0000" { "1111" } else { "0000" };
        assert_eq!(
            lookup(&kiosk, &receipt.id, wrong).unwrap_err().code,
            "STATUS_NOT_FOUND"
        );
        assert_eq!(
            lookup(&kiosk, "0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11", &suffix).unwrap_err(),
            not_found(),
            "an unknown number answers exactly like a wrong ID"
        );
        assert_eq!(
            lookup(&kiosk, "x", "12").unwrap_err().code,
            "STATUS_ID_SUFFIX_INVALID"
        );
    }
}
