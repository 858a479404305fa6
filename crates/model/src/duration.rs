//! Work-day durations such as `10d` or `2w`.
//!
//! A duration is always a whole number of *work days* on the portfolio calendar; `w` is a
//! shorthand for five work days. A bare integer is read as days, so `duration: 3` and
//! `duration: 3d` mean the same.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest duration a single milestone may have, in work days (about ten years).
///
/// Anything longer is almost certainly a typo (`200w` for `20w`) and would push dates
/// beyond what a calendar can usefully show.
pub const MAX_DURATION_DAYS: u32 = 2_500;

/// A duration in work days. Written `10d` (ten work days), `2w` (two weeks = ten work
/// days) or as a bare integer number of days. `0d` makes a milestone an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    days: u32,
}

/// Why a duration string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// Not of the form `<number>d` or `<number>w`.
    Syntax(String),
    /// Longer than [`MAX_DURATION_DAYS`].
    TooLong(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(s) => write!(
                f,
                "`{s}` is not a duration; write a whole number of work days or weeks such as `10d` or `2w`"
            ),
            Self::TooLong(s) => write!(
                f,
                "`{s}` is longer than the maximum of {MAX_DURATION_DAYS} work days for one milestone; split the work into several milestones"
            ),
        }
    }
}

impl std::error::Error for DurationError {}

impl Duration {
    /// A duration of `days` work days.
    ///
    /// # Errors
    /// When `days` exceeds [`MAX_DURATION_DAYS`].
    pub fn from_days(days: u32) -> Result<Self, DurationError> {
        if days > MAX_DURATION_DAYS {
            return Err(DurationError::TooLong(format!("{days}d")));
        }
        Ok(Self { days })
    }

    /// The number of work days.
    pub fn days(self) -> u32 {
        self.days
    }

    /// Whether this is a zero-length event.
    pub fn is_event(self) -> bool {
        self.days == 0
    }

    /// Parses `10d`, `2w` or `10`.
    ///
    /// # Errors
    /// When the text is not a duration or is absurdly long.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let t = text.trim();
        let (digits, unit) = match t.char_indices().last() {
            Some((i, 'd' | 'D')) => (&t[..i], 1u64),
            Some((i, 'w' | 'W')) => (&t[..i], 5u64),
            Some(_) => (t, 1u64),
            None => return Err(DurationError::Syntax(text.to_owned())),
        };
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DurationError::Syntax(text.to_owned()));
        }
        let n: u64 = digits
            .parse()
            .map_err(|_| DurationError::Syntax(text.to_owned()))?;
        let days = n * unit;
        if days > u64::from(MAX_DURATION_DAYS) {
            return Err(DurationError::TooLong(text.to_owned()));
        }
        Ok(Self { days: days as u32 })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}d", self.days)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as `10d` or `2w`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
                Duration::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
                u32::try_from(v)
                    .ok()
                    .and_then(|d| Duration::from_days(d).ok())
                    .ok_or_else(|| E::custom(DurationError::TooLong(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(DurationError::Syntax(v.to_string())))
                    .and_then(|v| self.visit_u64(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration in work days on the portfolio calendar: `10d` (ten work days), `2w` (two weeks = ten work days), or a whole number of days. `0d` makes the milestone an event.",
            "anyOf": [
                { "type": "string", "pattern": "^\\s*(([0-9]|[1-9][0-9]{1,2}|1[0-9]{3}|2[0-4][0-9]{2}|2500)[dD]?|([0-9]|[1-9][0-9]|[1-4][0-9]{2}|500)[wW])\\s*$" },
                { "type": "integer", "minimum": 0, "maximum": MAX_DURATION_DAYS }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_weeks_and_bare_numbers() {
        assert_eq!(Duration::parse("10d").unwrap().days(), 10);
        assert_eq!(Duration::parse("2w").unwrap().days(), 10);
        assert_eq!(Duration::parse("7").unwrap().days(), 7);
        assert_eq!(Duration::parse("0d").unwrap().days(), 0);
        assert!(Duration::parse("0d").unwrap().is_event());
    }

    #[test]
    fn rejects_garbage_and_absurd_lengths() {
        for bad in [
            "",
            "d",
            "1.5d",
            "-3d",
            "10x",
            "ten days",
            "99999999999999999999d",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad} accepted");
        }
        assert!(matches!(
            Duration::parse("501w"),
            Err(DurationError::TooLong(_))
        ));
        assert!(Duration::parse("500w").is_ok());
    }
}
