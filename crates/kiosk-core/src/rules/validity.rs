//! The validity period of a resident ID card against the holder's age (Resident ID Card Law,
//! art. 5): under 16 → 5 years, 16-25 → 10, 26-45 → 20, 46 and over → long-term.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

use crate::date::Date;
use crate::{Problem, UserFacing};

user_facing_errors! {
    /// Why a validity period is refused.
    pub enum ValidityError {
        /// The card has expired.
        Expired = "ID_EXPIRED" {
            zh: "证件已过有效期，请先办理新证件，或使用临时身份证明。",
            en: "The document has expired. Renew it first or bring a temporary identity certificate."
        },
        /// The start date lies after today.
        StartsInFuture = "ID_VALIDITY_START_FUTURE" {
            zh: "有效期开始日期晚于今天，请对照证件背面核对。",
            en: "The validity start date is after today. Check the back of the card."
        },
        /// The end is not after the start, or the start is before birth.
        Order = "ID_VALIDITY_ORDER" {
            zh: "有效期的开始日期、结束日期或出生日期顺序不对，请核对。",
            en: "The start date, end date or birth date are out of order. Check them."
        },
        /// The term does not fit the holder's age at issue.
        TermForAge = "ID_VALIDITY_TERM_FOR_AGE" {
            zh: "有效期年限与持证人领证时的年龄不符（16 岁以下 5 年，16-25 岁 10 年，26-45 岁 20 年，46 岁以上长期），请对照证件核对。",
            en: "The validity term does not match the holder's age at issue (under 16: 5 years, 16-25: 10, 26-45: 20, 46+: long-term). Check the card."
        },
        /// The end date is not the start date plus 5, 10 or 20 years.
        TermLength = "ID_VALIDITY_TERM_LENGTH" {
            zh: "有效期应为 5 年、10 年、20 年或长期，结束日期与开始日期不对应，请核对。",
            en: "The validity is 5, 10 or 20 years or long-term; the end date does not match the start date. Check it."
        },
    }
}

/// When a document's validity ends: a date, or `long-term` (长期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, TS)]
#[ts(export, type = "string")]
pub enum ValidityEnd {
    /// The last day of validity.
    Date(Date),
    /// 长期: no end.
    LongTerm,
}

impl Serialize for ValidityEnd {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Date(d) => d.serialize(serializer),
            Self::LongTerm => serializer.serialize_str("long-term"),
        }
    }
}

impl<'de> Deserialize<'de> for ValidityEnd {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.trim() {
            "long-term" | "长期" => Ok(Self::LongTerm),
            other => Date::parse(other)
                .map(Self::Date)
                .ok_or_else(|| serde::de::Error::custom("expected YYYY-MM-DD or \"long-term\"")),
        }
    }
}

/// A document's validity period, as printed on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Validity {
    /// First day of validity (issue date).
    pub from: Date,
    /// Last day, or long-term.
    pub until: ValidityEnd,
}

/// The term in years (`None` = long-term) the law gives a holder of `age` at issue.
pub fn term_for_age(age: u16) -> Option<u16> {
    match age {
        0..=15 => Some(5),
        16..=25 => Some(10),
        26..=45 => Some(20),
        _ => None,
    }
}

/// Checks a period on its own: order, expiry and start in the future.
pub fn check_period(validity: Validity, today: Date) -> Vec<Problem> {
    let mut errors = Vec::new();
    if validity.from > today {
        errors.push(ValidityError::StartsInFuture.problem());
    }
    if let ValidityEnd::Date(until) = validity.until {
        if until <= validity.from {
            errors.push(ValidityError::Order.problem());
        } else if until < today {
            errors.push(ValidityError::Expired.problem());
        }
    }
    errors
}

/// Checks a resident ID card's period against its holder's birth date: the term must be
/// one the law gives at the holder's age (allowing for an application up to 90 days before
/// the issue date) and the end date must be the start plus that term.
pub fn check_resident_id_validity(birth: Date, validity: Validity, today: Date) -> Vec<Problem> {
    let mut errors = check_period(validity, today);
    if validity.from < birth {
        errors.push(ValidityError::Order.problem());
        return errors;
    }
    let term = match validity.until {
        ValidityEnd::LongTerm => None,
        ValidityEnd::Date(until) => match [5u16, 10, 20]
            .into_iter()
            .find(|years| ends_after(validity.from, *years, until))
        {
            Some(years) => Some(years),
            None => {
                errors.push(ValidityError::TermLength.problem());
                return errors;
            }
        },
    };
    let age_at_issue = birth.years_until(validity.from);
    let mut applied = validity.from;
    for _ in 0..90 {
        applied = applied.previous_day().unwrap_or(applied);
    }
    let age_at_application = birth.years_until(applied);
    if term_for_age(age_at_issue) != term && term_for_age(age_at_application) != term {
        errors.push(ValidityError::TermForAge.problem());
    }
    errors
}

/// Whether `until` is `from` plus `years` (printed cards use the same day; allow the day before).
fn ends_after(from: Date, years: u16, until: Date) -> bool {
    match from.plus_years(years) {
        Some(end) => end == until || end.previous_day() == Some(until),
        None => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn period(from: &str, until: &str) -> Validity {
        Validity {
            from: d(from),
            until: if until == "long-term" {
                ValidityEnd::LongTerm
            } else {
                ValidityEnd::Date(d(until))
            },
        }
    }

    fn codes(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn terms_follow_the_resident_id_card_law() {
        assert_eq!(term_for_age(15), Some(5));
        assert_eq!(term_for_age(16), Some(10));
        assert_eq!(term_for_age(25), Some(10));
        assert_eq!(term_for_age(26), Some(20));
        assert_eq!(term_for_age(45), Some(20));
        assert_eq!(term_for_age(46), None);
    }

    #[test]
    fn accepts_matching_terms_and_refuses_wrong_ones() {
        let today = d("2026-11-23");
        let birth = d("1990-06-15");
        assert!(
            check_resident_id_validity(birth, period("2020-03-01", "2040-03-01"), today).is_empty()
        );
        assert_eq!(
            codes(&check_resident_id_validity(
                birth,
                period("2020-03-01", "2030-03-01"),
                today
            )),
            ["ID_VALIDITY_TERM_FOR_AGE"]
        );
        assert_eq!(
            codes(&check_resident_id_validity(
                birth,
                period("2020-03-01", "2033-03-01"),
                today
            )),
            ["ID_VALIDITY_TERM_LENGTH"]
        );
        let old = d("1950-01-01");
        assert!(
            check_resident_id_validity(old, period("2010-05-01", "long-term"), today).is_empty()
        );
    }

    #[test]
    fn an_application_just_before_a_birthday_keeps_the_younger_term() {
        // Applied at 25, card issued after the 26th birthday: 10 years is still right.
        let birth = d("1995-03-10");
        let today = d("2026-11-23");
        assert!(
            check_resident_id_validity(birth, period("2021-04-01", "2031-04-01"), today).is_empty()
        );
    }

    #[test]
    fn refuses_expired_and_future_periods() {
        let today = d("2026-11-23");
        let birth = d("1960-01-01");
        assert_eq!(
            codes(&check_resident_id_validity(
                birth,
                period("2000-01-01", "2020-01-01"),
                today
            )),
            ["ID_EXPIRED"]
        );
        assert_eq!(
            codes(&check_period(period("2027-01-01", "long-term"), today)),
            ["ID_VALIDITY_START_FUTURE"]
        );
    }
}
