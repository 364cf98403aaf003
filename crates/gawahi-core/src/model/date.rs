//! Dates as defenders know them: often only the month or the year of an event is known.
//!
//! A partial date is a string whose shape matches its precision: `2024-03-05T14:30:00+05:00`
//! (exact), `2024-03-05` (day), `2024-03` (month), `2024` (year), or absent (unknown). Records
//! store the string and the precision side by side so that neither is guessed later.

use serde::{Deserialize, Serialize};

use crate::error::{Invalid, Reason};

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A moment: date, time and UTC offset (RFC 3339).
    Exact,
    /// A calendar day.
    Day,
    /// A month of a year.
    Month,
    /// A year.
    Year,
    /// Not known.
    #[default]
    Unknown,
}

impl Precision {
    /// The precision a date string's shape implies, or `None` if it has no valid shape.
    pub fn of(value: &str) -> Option<Self> {
        if chrono::DateTime::parse_from_rfc3339(value).is_ok() {
            Some(Self::Exact)
        } else if value.len() == 10 && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
            Some(Self::Day)
        } else if value.len() == 7 && chrono::NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d").is_ok() {
            Some(Self::Month)
        } else if value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit()) {
            Some(Self::Year)
        } else {
            None
        }
    }
}

/// Checks a partial date and its precision, filling in the precision from the date's shape when
/// the input left it out (`given` is `None`). Returns the precision to store.
pub fn check_partial(field: &str, value: Option<&str>, given: Option<Precision>) -> Result<Precision, Invalid> {
    let Some(value) = value else {
        return match given {
            None | Some(Precision::Unknown) => Ok(Precision::Unknown),
            Some(_) => {
                Err(Invalid::field(field, Reason::PrecisionWithoutDate, "a precision is given but the date is missing"))
            }
        };
    };
    let shape = Precision::of(value).ok_or_else(|| {
        Invalid::field(
            field,
            Reason::NotAPartialDate,
            "expected a date like 2024-03-05T14:30:00+05:00, 2024-03-05, 2024-03 or 2024",
        )
    })?;
    match given {
        None => Ok(shape),
        Some(p) if p == shape => Ok(p),
        Some(p) => Err(Invalid::field(
            field,
            Reason::PrecisionMismatch,
            format!("the date has {} precision but the precision field says {}", label(shape), label(p)),
        )),
    }
}

/// Checks a calendar day (`YYYY-MM-DD`).
pub fn check_day(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    match value {
        Some(v) if Precision::of(v) != Some(Precision::Day) => {
            Err(Invalid::field(field, Reason::NotADay, "expected a calendar date like 2024-03-05"))
        }
        _ => Ok(()),
    }
}

fn label(p: Precision) -> &'static str {
    match p {
        Precision::Exact => "exact",
        Precision::Day => "day",
        Precision::Month => "month",
        Precision::Year => "year",
        Precision::Unknown => "unknown",
    }
}

/// The current time in UTC as RFC 3339 with milliseconds, the form every timestamp is stored in.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Today's date on this computer's clock and time zone (`YYYY-MM-DD`): the day a lawyer in
/// Karachi means by "today" at 2 a.m., which UTC would still call yesterday.
pub fn today_local() -> String {
    chrono::Local::now().date_naive().format("%Y-%m-%d").to_string()
}

/// `day` (`YYYY-MM-DD`) moved by `days`, or `None` if it is not a day or leaves the calendar.
pub fn add_days(day: &str, days: i64) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let moved = if days >= 0 {
        d.checked_add_days(chrono::Days::new(days.unsigned_abs()))?
    } else {
        d.checked_sub_days(chrono::Days::new(days.unsigned_abs()))?
    };
    Some(moved.format("%Y-%m-%d").to_string())
}

/// Days from `from` to `to` (both `YYYY-MM-DD`), negative when `to` is earlier.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    let a = chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").ok()?;
    let b = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").ok()?;
    Some((b - a).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_give_precisions() {
        assert_eq!(Precision::of("2024-03-05T14:30:00+05:00"), Some(Precision::Exact));
        assert_eq!(Precision::of("2024-03-05"), Some(Precision::Day));
        assert_eq!(Precision::of("2024-03"), Some(Precision::Month));
        assert_eq!(Precision::of("2024"), Some(Precision::Year));
        assert_eq!(Precision::of("2024-13"), None);
        assert_eq!(Precision::of("2024-02-30"), None);
        assert_eq!(Precision::of("last spring"), None);
    }

    #[test]
    fn precision_is_inferred_or_checked() {
        assert_eq!(check_partial("d", Some("2024-03"), None), Ok(Precision::Month));
        assert_eq!(check_partial("d", None, None), Ok(Precision::Unknown));
        assert!(check_partial("d", Some("2024-03"), Some(Precision::Day)).is_err());
        assert!(check_partial("d", None, Some(Precision::Year)).is_err());
        assert!(check_day("d", Some("2024-03")).is_err());
        assert!(check_day("d", Some("2024-03-01")).is_ok());
    }
}
