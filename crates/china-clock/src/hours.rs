//! Daily service hours: when a platform's online real-name check answers (the manuals:
//! 08:00-18:00 China time). Hours may run past midnight (`22:00-06:30`).

use std::fmt;
use std::str::FromStr;

/// Minutes in a day: the end of `00:00-24:00`.
const DAY_MINUTES: u16 = 24 * 60;

/// Open from `opens` (inclusive) to `closes` (exclusive), in minutes after midnight China
/// time; `closes` below `opens` means the hours run past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyHours {
    /// Opening minute (0-1439).
    pub opens: u16,
    /// Closing minute (1-1440).
    pub closes: u16,
}

impl Default for DailyHours {
    /// 08:00-18:00, the hours the manuals give for online real-name checks.
    fn default() -> Self {
        Self {
            opens: 8 * 60,
            closes: 18 * 60,
        }
    }
}

/// Parses `HH:MM` (24 h) into minutes after midnight; `24:00` only when `end` is true.
pub fn parse_time_of_day(text: &str, end: bool) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    let minute = h * 60 + m;
    (m < 60 && (minute < DAY_MINUTES || (end && minute == DAY_MINUTES))).then_some(minute)
}

impl DailyHours {
    /// The hours from `from` to `to`, both `HH:MM`; `None` when either is malformed or they
    /// are equal (open never, or always: say `00:00-24:00`).
    pub fn from_times(from: &str, to: &str) -> Option<Self> {
        let hours = Self {
            opens: parse_time_of_day(from, false)?,
            closes: parse_time_of_day(to, true)?,
        };
        (hours.opens != hours.closes).then_some(hours)
    }

    /// Whether minute `minute_of_day` (0-1439, China time) is within the hours.
    pub fn contains_minute(&self, minute_of_day: u16) -> bool {
        if self.opens < self.closes {
            (self.opens..self.closes).contains(&minute_of_day)
        } else {
            minute_of_day >= self.opens || minute_of_day < self.closes
        }
    }

    /// Whether the hours are open at `now_ms` (Unix ms).
    pub fn is_open_at(&self, now_ms: i64) -> bool {
        self.contains_minute(crate::minute_of_day(now_ms))
    }
}

impl FromStr for DailyHours {
    type Err = String;

    /// Parses `HH:MM-HH:MM`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{text:?}: expected HH:MM-HH:MM, e.g. 08:00-18:00");
        let (from, to) = text.split_once('-').ok_or_else(bad)?;
        Self::from_times(from, to).ok_or_else(bad)
    }
}

impl fmt::Display for DailyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.opens), hm(self.closes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn default_is_eight_to_eighteen() {
        let h = DailyHours::default();
        assert!(h.contains_minute(480) && h.contains_minute(1079));
        assert!(!h.contains_minute(479) && !h.contains_minute(1080));
        assert_eq!(h.to_string(), "08:00-18:00");
    }

    #[test]
    fn hours_may_run_past_midnight() {
        let night: DailyHours = "22:00-06:30".parse().unwrap();
        assert!(night.contains_minute(23 * 60) && night.contains_minute(6 * 60));
        assert!(!night.contains_minute(8 * 60));
        let always: DailyHours = "00:00-24:00".parse().unwrap();
        assert!(always.contains_minute(0) && always.contains_minute(1439));
    }

    #[test]
    fn malformed_hours_are_refused() {
        for bad in [
            "8-18",
            "08:00",
            "25:00-26:00",
            "08:60-18:00",
            "08:00-08:00",
            "24:00-08:00",
            "+8:00-18:00",
        ] {
            assert!(bad.parse::<DailyHours>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_round_trips(text in "\\PC{0,16}") {
            if let Ok(h) = text.parse::<DailyHours>() {
                prop_assert_eq!(h.to_string().parse::<DailyHours>(), Ok(h));
            }
        }
    }
}
