//! Why a queue request was refused (codes `QUEUE_*`).

use kiosk_core::{Catalogued, UserFacing};

/// Why a queue request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    /// No lifecycle state has this name.
    #[error("no state {name:?}")]
    StateUnknown {
        /// The name asked for.
        name: String,
        /// The known names.
        known: Vec<&'static str>,
    },
    /// The application is not waiting for upload, so there is nothing to retry.
    #[error("not waiting for upload")]
    NotWaiting,
}

impl UserFacing for QueueError {
    fn code(&self) -> &'static str {
        match self {
            Self::StateUnknown { .. } => "QUEUE_STATE_UNKNOWN",
            Self::NotWaiting => "QUEUE_NOT_WAITING",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::StateUnknown { name, known } => {
                format!("没有「{name}」这种状态。可用：{}", known.join("、"))
            }
            Self::NotWaiting => "这份申请不在待上传队列中（可能已送达平台，或正等待补充材料），无需重试。请刷新队列查看它的状态。".to_owned(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::StateUnknown { name, known } => {
                format!("There is no state \"{name}\". Known: {}", known.join(", "))
            }
            Self::NotWaiting => "This application is not waiting for upload (it may have reached the platform or need action), so there is nothing to retry. Refresh the queue to see its state.".to_owned(),
        }
    }
}

impl Catalogued for QueueError {
    fn samples() -> Vec<Self> {
        vec![
            Self::StateUnknown {
                name: "<状态 state>".into(),
                known: kiosk_core::lifecycle::LifecycleState::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect(),
            },
            Self::NotWaiting,
        ]
    }
}
