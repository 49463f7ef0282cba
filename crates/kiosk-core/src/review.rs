//! Supervisor review: which submitted applications wait for a supervisor, and what a
//! supervisor's decision does.
//!
//! Review is a flag beside the lifecycle, not a lifecycle state: a held application stays
//! `submitted` (sealed, durable, counted as unsent) but the outbox does not send it while its
//! review is `pending` or `returned`.
//!
//! ```text
//! (policy says review) ──▶ pending ──approve──▶ approved   (the outbox sends it)
//!                             │
//!                             └──return──▶ returned ──approve──▶ approved
//! ```
//!
//! A returned application waits with the supervisor's reason for the operator; once the
//! operator has sorted it out at the counter a supervisor may still approve it. An approved
//! application is final.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::UserFacing;

/// How many submitted applications of a profile a supervisor reviews before they leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case", tag = "mode", content = "percent")]
#[ts(export)]
pub enum ReviewPolicy {
    /// No review: applications go straight to the outbox.
    Off,
    /// A deterministic sample of about this many percent (1..=99) of the applications.
    Sample(u8),
    /// Every application.
    All,
}

impl ReviewPolicy {
    /// Parses the setting text: `off`, `all` or `sample:N` (N from 0 to 100; 0 is `off`,
    /// 100 is `all`). `None` when malformed.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "off" => Some(Self::Off),
            "all" => Some(Self::All),
            other => {
                let percent: u8 = other.strip_prefix("sample:")?.trim().parse().ok()?;
                match percent {
                    0 => Some(Self::Off),
                    100 => Some(Self::All),
                    1..=99 => Some(Self::Sample(percent)),
                    _ => None,
                }
            }
        }
    }

    /// The setting text [`ReviewPolicy::parse`] reads back.
    pub fn as_setting(self) -> String {
        match self {
            Self::Off => "off".into(),
            Self::All => "all".into(),
            Self::Sample(p) => format!("sample:{p}"),
        }
    }

    /// Whether the application with this id must wait for a supervisor. Sampling is decided
    /// by a hash of the id, so the same application always gets the same answer.
    pub fn requires_review(self, application_id: &str) -> bool {
        match self {
            Self::Off => false,
            Self::All => true,
            Self::Sample(percent) => bucket(application_id) < u32::from(percent),
        }
    }
}

/// FNV-1a of the id, reduced to 0..100.
fn bucket(id: &str) -> u32 {
    let hash = id
        .to_ascii_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    u32::try_from(hash % 100).unwrap_or(0)
}

/// Where an application's review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ReviewStatus {
    /// Waiting for a supervisor.
    Pending,
    /// A supervisor let it go.
    Approved,
    /// Sent back to the operator with a reason.
    Returned,
}

/// A supervisor's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case", tag = "decision")]
#[ts(export)]
pub enum ReviewDecision {
    /// Let the application leave, with optional remarks.
    Approve {
        /// Remarks for the record.
        remarks: Option<String>,
    },
    /// Send it back to the operator.
    Return {
        /// Why: shown to the operator.
        reason: String,
    },
}

impl ReviewStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Pending, Self::Approved, Self::Returned];

    /// The stable name used in the database and over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Returned => "returned",
        }
    }

    /// Parses the name written by [`ReviewStatus::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Applies a decision, returning the next status or refusing it.
    pub fn decide(self, decision: &ReviewDecision) -> Result<Self, ReviewError> {
        match (self, decision) {
            (Self::Pending | Self::Returned, ReviewDecision::Approve { .. }) => Ok(Self::Approved),
            (Self::Pending, ReviewDecision::Return { reason }) => {
                if reason.trim().is_empty() {
                    Err(ReviewError::ReasonMissing)
                } else {
                    Ok(Self::Returned)
                }
            }
            (from, _) => Err(ReviewError::AlreadyDecided { from }),
        }
    }
}

/// A refused review step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The application's review does not allow this decision any more.
    #[error("review already decided ({})", from.as_str())]
    AlreadyDecided {
        /// The status it is in.
        from: ReviewStatus,
    },
    /// Returning needs a reason for the operator.
    #[error("a returned application needs a reason")]
    ReasonMissing,
}

impl UserFacing for ReviewError {
    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyDecided { .. } => "REVIEW_ALREADY_DECIDED",
            Self::ReasonMissing => "REVIEW_REASON_MISSING",
        }
    }
    fn zh(&self) -> String {
        match self {
            Self::AlreadyDecided { from } => format!(
                "这份申请的审核已是「{}」，不能再这样处理。请刷新列表。",
                match from {
                    ReviewStatus::Pending => "待审核",
                    ReviewStatus::Approved => "已通过",
                    ReviewStatus::Returned => "已退回",
                }
            ),
            Self::ReasonMissing => "退回申请时请写明原因，窗口人员会看到它。".into(),
        }
    }
    fn en(&self) -> String {
        match self {
            Self::AlreadyDecided { from } => format!(
                "This application's review is already {}; refresh the list.",
                from.as_str()
            ),
            Self::ReasonMissing => {
                "Write a reason when returning an application; the operator will see it.".into()
            }
        }
    }
}

impl crate::Catalogued for ReviewError {
    fn samples() -> Vec<Self> {
        vec![
            Self::AlreadyDecided {
                from: ReviewStatus::Approved,
            },
            Self::ReasonMissing,
        ]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn approve() -> ReviewDecision {
        ReviewDecision::Approve { remarks: None }
    }

    fn give_back(reason: &str) -> ReviewDecision {
        ReviewDecision::Return {
            reason: reason.into(),
        }
    }

    #[test]
    fn policy_setting_text_round_trips_and_rejects_nonsense() {
        for policy in [
            ReviewPolicy::Off,
            ReviewPolicy::All,
            ReviewPolicy::Sample(25),
        ] {
            assert_eq!(ReviewPolicy::parse(&policy.as_setting()), Some(policy));
        }
        assert_eq!(ReviewPolicy::parse("sample:0"), Some(ReviewPolicy::Off));
        assert_eq!(ReviewPolicy::parse("sample:100"), Some(ReviewPolicy::All));
        for bad in ["", "sample:", "sample:101", "sample:-1", "most"] {
            assert_eq!(ReviewPolicy::parse(bad), None, "{bad:?} must not parse");
        }
    }

    #[test]
    fn off_holds_nothing_and_all_holds_everything() {
        let id = "0193a8f0-0000-7000-8000-000000000001";
        assert!(!ReviewPolicy::Off.requires_review(id));
        assert!(ReviewPolicy::All.requires_review(id));
    }

    #[test]
    fn sampling_is_deterministic_and_close_to_the_percentage() {
        let ids: Vec<String> = (0..2000)
            .map(|i| format!("0193a8f0-0000-7000-8000-{i:012x}"))
            .collect();
        let policy = ReviewPolicy::Sample(20);
        let held = ids.iter().filter(|id| policy.requires_review(id)).count();
        assert!(
            (300..=500).contains(&held),
            "20% of 2000 should hold about 400, held {held}"
        );
        for id in &ids[..50] {
            assert_eq!(
                policy.requires_review(id),
                policy.requires_review(&id.to_uppercase()),
                "the same id (any case) gets the same answer"
            );
        }
    }

    #[test]
    fn pending_is_approved_or_returned_and_approval_is_final() {
        use ReviewStatus as S;
        assert_eq!(S::Pending.decide(&approve()), Ok(S::Approved));
        assert_eq!(S::Pending.decide(&give_back("照片模糊")), Ok(S::Returned));
        assert_eq!(S::Returned.decide(&approve()), Ok(S::Approved));
        assert_eq!(
            S::Returned.decide(&give_back("again")),
            Err(ReviewError::AlreadyDecided { from: S::Returned })
        );
        for decision in [approve(), give_back("x")] {
            assert_eq!(
                S::Approved.decide(&decision),
                Err(ReviewError::AlreadyDecided { from: S::Approved }),
                "approved is final"
            );
        }
    }

    #[test]
    fn returning_without_a_reason_is_refused() {
        let err = ReviewStatus::Pending.decide(&give_back("  ")).unwrap_err();
        assert_eq!(err, ReviewError::ReasonMissing);
        let problem = crate::Problem::from(err);
        assert_eq!(problem.code, "REVIEW_REASON_MISSING");
        assert!(problem.zh.contains("原因"), "{}", problem.zh);
    }

    #[test]
    fn statuses_read_back_their_stored_names() {
        for status in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(status.as_str()), Some(status));
        }
    }
}
