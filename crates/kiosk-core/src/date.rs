//! A calendar date without a clock: callers pass `today` in, so every rule stays deterministic.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

/// A proleptic Gregorian calendar date (years 1-9999), written `YYYY-MM-DD` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(export, rename = "IsoDate", type = "string")]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Whether `year` has 29 February.
pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` (1-12) of `year`; 0 for a month out of range.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The earliest representable date, 0001-01-01.
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// Builds a date, or `None` when it does not exist (e.g. 2023-02-29, month 13, year 0).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=9999).contains(&year) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1-31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYYMMDD`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let bytes = text.as_bytes();
        match bytes.len() {
            8 => Self::from_digits(bytes),
            10 => {
                let sep = bytes[4];
                if (sep != b'-' && sep != b'/') || bytes[7] != sep {
                    return None;
                }
                let mut digits = [0u8; 8];
                digits[..4].copy_from_slice(&bytes[..4]);
                digits[4..6].copy_from_slice(&bytes[5..7]);
                digits[6..].copy_from_slice(&bytes[8..10]);
                Self::from_digits(&digits)
            }
            _ => None,
        }
    }

    /// Parses eight ASCII digits `YYYYMMDD`.
    pub fn from_digits(digits: &[u8]) -> Option<Self> {
        if digits.len() != 8 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let num = |range: std::ops::Range<usize>| {
            digits[range]
                .iter()
                .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'))
        };
        let month = u8::try_from(num(4..6)).ok()?;
        let day = u8::try_from(num(6..8)).ok()?;
        Self::new(num(0..4), month, day)
    }

    /// Full years from `self` (a birth date) to `on`; 0 when `on` is earlier.
    pub fn years_until(self, on: Date) -> u16 {
        if on < self {
            return 0;
        }
        let mut years = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    /// `None` past year 9999.
    pub fn plus_years(self, years: u16) -> Option<Self> {
        let year = self.year.checked_add(years)?;
        let day = self.day.min(days_in_month(year, self.month));
        Self::new(year, self.month, day)
    }

    /// The date `days` after 1970-01-01 (negative: before), for callers that hold a clock
    /// reading. `None` outside years 1-9999.
    pub fn from_unix_days(days: i64) -> Option<Self> {
        let (year, month, day) = china_clock::civil::from_days(days);
        Self::new(u16::try_from(year).ok()?, month, day)
    }

    /// The calendar date in China at `now_ms` (Unix ms): the `today` every rule takes.
    /// `None` for a clock outside years 1-9999.
    pub fn in_china_at(now_ms: i64) -> Option<Self> {
        Self::from_unix_days(china_clock::day_number(now_ms))
    }

    /// The Unix day number of this date (see [`Date::from_unix_days`]).
    pub fn unix_days(self) -> i64 {
        china_clock::civil::to_days(i64::from(self.year), self.month, self.day)
    }

    /// The day before, `None` for 0001-01-01.
    pub fn previous_day(self) -> Option<Self> {
        if self.day > 1 {
            return Self::new(self.year, self.month, self.day - 1);
        }
        if self.month > 1 {
            let month = self.month - 1;
            return Self::new(self.year, month, days_in_month(self.year, month));
        }
        Self::new(self.year.checked_sub(1)?, 12, 31)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("not a real date in YYYY-MM-DD form: {text:?}"))
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    #[test]
    fn parses_real_dates_in_three_spellings() {
        assert_eq!(d("2024-02-29"), d("20240229"));
        assert_eq!(d("2024/02/29").to_string(), "2024-02-29");
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        for text in [
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "0000-01-01",
            "2024-1-01",
            "2024-01-0x",
            "",
            "二〇二四年",
            "2024-01/01",
        ] {
            assert_eq!(Date::parse(text), None, "{text} must be refused");
        }
        assert!(Date::parse("2000-02-29").is_some(), "2000 is a leap year");
    }

    #[test]
    fn counts_full_years_of_age() {
        let birth = d("1990-06-15");
        assert_eq!(birth.years_until(d("2026-06-14")), 35);
        assert_eq!(birth.years_until(d("2026-06-15")), 36);
        assert_eq!(birth.years_until(d("1980-01-01")), 0);
    }

    #[test]
    fn adds_years_and_steps_back_a_day() {
        assert_eq!(d("2024-02-29").plus_years(1), Some(d("2025-02-28")));
        assert_eq!(d("2021-03-01").previous_day(), Some(d("2021-02-28")));
        assert_eq!(d("2021-01-01").previous_day(), Some(d("2020-12-31")));
        assert_eq!(d("9999-01-01").plus_years(1), None);
    }

    #[test]
    fn converts_unix_days() {
        assert_eq!(Date::from_unix_days(0), Some(d("1970-01-01")));
        assert_eq!(Date::from_unix_days(20_415), Some(d("2025-11-23")));
        assert_eq!(Date::from_unix_days(-1), Some(d("1969-12-31")));
        assert_eq!(Date::from_unix_days(i64::MAX), None);
    }

    #[test]
    fn serialises_as_iso_text() {
        let json = serde_json::to_string(&d("2026-11-23")).unwrap();
        assert_eq!(json, "\"2026-11-23\"");
        let back: Date = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d("2026-11-23"));
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }
}
