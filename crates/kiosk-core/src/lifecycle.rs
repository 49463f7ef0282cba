//! The lifecycle of an application as an explicit state machine.
//!
//! ```text
//! draft ──submit──▶ submitted ──start-upload──▶ uploading ──platform-accepted──▶ accepted
//!                       ▲                         │    │                            │
//!                       └──────upload-failed──────┘    │     verified ◀──┬──────────┤
//!                                                      │     rejected ◀──┤          │
//!                                                      │ needs-action ◀──┘          │
//!                                                      └──platform-refused──▶ needs-action
//! accepted | verified | rejected | needs-action ──purge──▶ purged
//! ```
//!
//! `platform-refused` is the platform turning the upload itself down on its content (a 4xx
//! validation refusal, e.g. a payload it cannot read): retrying would not help, a person must
//! act on the platform's reason. A platform outcome may also follow `needs-action` (the
//! visitor sorted it out at the counter). `platform-accepted` may also reach a `submitted`
//! application: the platform received it through another channel (an exported bundle
//! imported offline) and says so in its status feed. Every other pair of state and event is
//! refused with
//! [`LifecycleError::IllegalTransition`]. `purged` is final: the payload and attachments are
//! gone, only the masked summary and the audit trail remain.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::UserFacing;

/// Where an application is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LifecycleState {
    /// Being filled in; kept under the local key, deletable.
    Draft,
    /// Sealed and waiting in the outbox.
    Submitted,
    /// The sync worker is sending it to the platform.
    Uploading,
    /// The platform confirmed it received the application.
    Accepted,
    /// The platform verified the application.
    Verified,
    /// The platform rejected the application.
    Rejected,
    /// The platform needs something more from the visitor.
    NeedsAction,
    /// Payload and attachments were deleted after the retention period.
    Purged,
}

/// Something that happens to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LifecycleEvent {
    /// The visitor (or operator) handed the application in.
    Submit,
    /// The sync worker picked it up.
    StartUpload,
    /// Sending failed; it goes back to the queue for a later attempt.
    UploadFailed,
    /// The platform confirmed receipt.
    PlatformAccepted,
    /// The platform verified it.
    PlatformVerified,
    /// The platform rejected it.
    PlatformRejected,
    /// The platform asks for more from the visitor.
    PlatformNeedsAction,
    /// The platform refused the upload on its content (4xx); a person must act on its reason.
    PlatformRefused,
    /// Retention deleted payload and attachments.
    Purge,
}

impl LifecycleState {
    /// Every state, in lifecycle order.
    pub const ALL: [Self; 8] = [
        Self::Draft,
        Self::Submitted,
        Self::Uploading,
        Self::Accepted,
        Self::Verified,
        Self::Rejected,
        Self::NeedsAction,
        Self::Purged,
    ];

    /// The stable lower-case name used in the database and over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Uploading => "uploading",
            Self::Accepted => "accepted",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
            Self::NeedsAction => "needs-action",
            Self::Purged => "purged",
        }
    }

    /// Parses the name written by [`LifecycleState::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }

    /// Chinese label for screens and paper.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "待上传",
            Self::Uploading => "上传中",
            Self::Accepted => "平台已接收",
            Self::Verified => "已核验",
            Self::Rejected => "已退回",
            Self::NeedsAction => "需补正",
            Self::Purged => "已清除",
        }
    }

    /// Whether the platform has confirmed receipt, which starts the retention clock.
    pub fn is_platform_confirmed(self) -> bool {
        matches!(
            self,
            Self::Accepted | Self::Verified | Self::Rejected | Self::NeedsAction
        )
    }

    /// Applies `event`, returning the next state or refusing an illegal transition.
    pub fn apply(self, event: LifecycleEvent) -> Result<Self, LifecycleError> {
        use LifecycleEvent as E;
        use LifecycleState as S;
        let next = match (self, event) {
            (S::Draft, E::Submit) => S::Submitted,
            (S::Submitted, E::StartUpload) => S::Uploading,
            (S::Uploading, E::UploadFailed) => S::Submitted,
            (S::Uploading, E::PlatformAccepted) => S::Accepted,
            (S::Submitted, E::PlatformAccepted) => S::Accepted,
            (S::Uploading, E::PlatformRefused) => S::NeedsAction,
            (S::Accepted | S::NeedsAction, E::PlatformVerified) => S::Verified,
            (S::Accepted | S::NeedsAction, E::PlatformRejected) => S::Rejected,
            (S::Accepted, E::PlatformNeedsAction) => S::NeedsAction,
            (state, E::Purge) if state.is_platform_confirmed() => S::Purged,
            (from, event) => return Err(LifecycleError::IllegalTransition { from, event }),
        };
        Ok(next)
    }
}

impl LifecycleEvent {
    /// Every event.
    pub const ALL: [Self; 9] = [
        Self::Submit,
        Self::StartUpload,
        Self::UploadFailed,
        Self::PlatformAccepted,
        Self::PlatformVerified,
        Self::PlatformRejected,
        Self::PlatformNeedsAction,
        Self::PlatformRefused,
        Self::Purge,
    ];

    /// The stable lower-case name of the event.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::StartUpload => "start-upload",
            Self::UploadFailed => "upload-failed",
            Self::PlatformAccepted => "platform-accepted",
            Self::PlatformVerified => "platform-verified",
            Self::PlatformRejected => "platform-rejected",
            Self::PlatformNeedsAction => "platform-needs-action",
            Self::PlatformRefused => "platform-refused",
            Self::Purge => "purge",
        }
    }
}

/// A refused lifecycle step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// `event` cannot happen to an application in state `from`.
    #[error("illegal lifecycle transition: {} on {}", event.as_str(), from.as_str())]
    IllegalTransition {
        /// The state the application is in.
        from: LifecycleState,
        /// The refused event.
        event: LifecycleEvent,
    },
}

impl UserFacing for LifecycleError {
    fn code(&self) -> &'static str {
        "LIFECYCLE_ILLEGAL_TRANSITION"
    }
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { from, event } => format!(
                "申请当前状态为「{}」，不能执行“{}”。请刷新队列后重试，或联系管理员。",
                from.label_zh(),
                event.as_str()
            ),
        }
    }
    fn en(&self) -> String {
        match self {
            Self::IllegalTransition { from, event } => format!(
                "The application is {}; \"{}\" is not allowed now. Refresh the queue and retry, or call an administrator.",
                from.as_str(),
                event.as_str()
            ),
        }
    }
}

impl crate::Catalogued for LifecycleError {
    fn samples() -> Vec<Self> {
        vec![Self::IllegalTransition {
            from: LifecycleState::Draft,
            event: LifecycleEvent::StartUpload,
        }]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use LifecycleEvent as E;
    use LifecycleState as S;

    /// The complete list of legal transitions; everything else must be refused.
    const LEGAL: [(S, E, S); 15] = [
        (S::Draft, E::Submit, S::Submitted),
        (S::Submitted, E::StartUpload, S::Uploading),
        (S::Uploading, E::UploadFailed, S::Submitted),
        (S::Uploading, E::PlatformAccepted, S::Accepted),
        (S::Submitted, E::PlatformAccepted, S::Accepted),
        (S::Uploading, E::PlatformRefused, S::NeedsAction),
        (S::Accepted, E::PlatformVerified, S::Verified),
        (S::Accepted, E::PlatformRejected, S::Rejected),
        (S::Accepted, E::PlatformNeedsAction, S::NeedsAction),
        (S::NeedsAction, E::PlatformVerified, S::Verified),
        (S::NeedsAction, E::PlatformRejected, S::Rejected),
        (S::Accepted, E::Purge, S::Purged),
        (S::Verified, E::Purge, S::Purged),
        (S::Rejected, E::Purge, S::Purged),
        (S::NeedsAction, E::Purge, S::Purged),
    ];

    fn expected(state: S, event: E) -> Option<S> {
        LEGAL
            .iter()
            .find(|(from, on, _)| *from == state && *on == event)
            .map(|(_, _, to)| *to)
    }

    #[test]
    fn every_state_event_pair_matches_the_transition_table() {
        for state in S::ALL {
            for event in E::ALL {
                let got = state.apply(event);
                match expected(state, event) {
                    Some(to) => assert_eq!(got, Ok(to), "{state:?} + {event:?}"),
                    None => assert_eq!(
                        got,
                        Err(LifecycleError::IllegalTransition { from: state, event }),
                        "{state:?} + {event:?} must be refused"
                    ),
                }
            }
        }
    }

    #[test]
    fn transition_table_has_no_duplicate_pairs() {
        for (i, (from, on, _)) in LEGAL.iter().enumerate() {
            let twice = LEGAL[i + 1..].iter().any(|(f, o, _)| f == from && o == on);
            assert!(!twice, "{from:?} + {on:?} listed twice");
        }
    }

    #[test]
    fn purged_is_final_and_drafts_only_submit() {
        for event in E::ALL {
            assert!(S::Purged.apply(event).is_err(), "purged accepted {event:?}");
            let from_draft = S::Draft.apply(event);
            assert_eq!(from_draft.is_ok(), event == E::Submit, "draft + {event:?}");
        }
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for state in S::ALL {
            assert_eq!(S::parse(state.as_str()), Some(state));
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", state.as_str()),
                "serde name of {state:?}"
            );
        }
        for event in E::ALL {
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", event.as_str()),
                "serde name of {event:?}"
            );
        }
        assert_eq!(S::parse("bogus"), None);
    }

    #[test]
    fn refusal_is_a_problem_with_both_languages() {
        let err = S::Submitted.apply(E::Purge).unwrap_err();
        let problem = crate::Problem::from(err);
        assert_eq!(problem.code, "LIFECYCLE_ILLEGAL_TRANSITION");
        assert!(problem.zh.contains("待上传"), "{}", problem.zh);
        assert!(problem.en.contains("submitted"), "{}", problem.en);
    }
}
