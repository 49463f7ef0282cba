//! What a kiosk is: its operating mode.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a kiosk is operated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum KioskMode {
    /// A staff member is logged in and helps the visitor (all flows, the queue).
    #[default]
    Counter,
    /// The visitor uses the kiosk alone (touch-first, visitor flows only).
    SelfService,
}

impl KioskMode {
    /// Parses the stored or typed name (`counter`, `self-service`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "counter" => Some(Self::Counter),
            "self-service" => Some(Self::SelfService),
            _ => None,
        }
    }

    /// The stable name used in settings and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::SelfService => "self-service",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_names_round_trip() {
        for mode in [KioskMode::Counter, KioskMode::SelfService] {
            assert_eq!(KioskMode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(KioskMode::parse("kiosk"), None);
    }
}
