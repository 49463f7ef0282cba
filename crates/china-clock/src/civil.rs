//! Unix day numbers (days since 1970-01-01) to and from proleptic Gregorian dates, after
//! Howard Hinnant's `civil_from_days` and `days_from_civil`.

/// The date `(year, month, day)` of Unix day `days` (negative: before 1970).
pub fn from_days(days: i64) -> (i64, u8, u8) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // month is 1-12 and day 1-31 by construction.
    (year, month as u8, day as u8)
}

/// The Unix day number of `year-month-day` (month 1-12, day 1-31; not range-checked).
pub fn to_days(year: i64, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_days() {
        assert_eq!(from_days(0), (1970, 1, 1));
        assert_eq!(from_days(-1), (1969, 12, 31));
        assert_eq!(from_days(20_780), (2026, 11, 23));
        assert_eq!(to_days(2000, 2, 29), 11_016);
    }

    proptest! {
        #[test]
        fn round_trips(days in -1_000_000i64..3_000_000) {
            let (y, m, d) = from_days(days);
            prop_assert_eq!(to_days(y, m, d), days);
        }
    }
}
