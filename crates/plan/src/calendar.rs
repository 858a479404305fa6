//! The work-day calendar: which days are worked, and arithmetic in work days.
//!
//! All planning happens in work days, so everything in the scheduler is expressed as a
//! *work-day index*: the `i`-th work day of an infinite calendar counted from an epoch (the
//! proleptic Gregorian 0001-01-01, a Monday). Converting a date to its index and back is all
//! the calendar does; adding `n` work days or counting the work days between two dates is
//! then plain integer arithmetic.
//!
//! # Why an index, and how it stays fast
//!
//! A day-by-day walk is O(span), which is too slow for a 100k-milestone portfolio and never
//! terminates in reasonable time near chrono's limits. Instead:
//!
//! * **Weeks are arithmetic.** With `k` work weekdays, the number of work weekdays before a
//!   date is `week * k + before[weekday]` (its *raw* index), O(1).
//! * **Holidays are a sorted list.** Only holidays that fall on a work weekday matter; they are
//!   kept sorted by raw index. The index of a date is its raw index minus the number of holidays
//!   before it (binary search). The inverse, from an index to a date, binary-searches the
//!   non-decreasing sequence `raw(h_j) - j` (the index each holiday would have had): with `j*`
//!   holidays whose value is `<= i`, the work day of index `i` has raw index `i + j*`.
//!
//! So a conversion is O(log h) in the number of holidays, and no operation loops over days.
//!
//! # The index of any date
//!
//! [`Calendar::index_of`] is defined for *every* date: it is the number of work days strictly
//! before the date (relative to the epoch). For a work day that is its own index; for a non-work
//! day it is the index of the next work day, i.e. it rolls forward. The end of calendar day `d`
//! is therefore position `index_of(d + 1 day)`, which the scheduler uses for "finished at the end
//! of that day".
//!
//! # Limits
//!
//! Dates are chrono's `NaiveDate`, which covers roughly ±262,000 years. Index arithmetic is done
//! in `i64` and can never overflow; converting an index back to a date returns `None` outside the
//! representable range. The `checked_*` methods expose that; the plain methods (kept for
//! convenience) saturate at the first or last representable work day instead of panicking.

use chrono::{Datelike, NaiveDate};

use crate::error::CalendarError;

/// A work-day calendar: a set of work weekdays and a list of holidays.
///
/// Build it with [`Calendar::new`] or [`Calendar::default_week`]. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// `workdays[0]` = Monday … `workdays[6]` = Sunday.
    workdays: [bool; 7],
    /// Number of work weekdays per week (1..=7).
    per_week: i64,
    /// `before[w]` = number of work weekdays in a week before weekday `w`.
    before: [i64; 7],
    /// `nth[r]` = the weekday (0 = Monday) of the `r`-th work weekday of a week.
    nth: [i64; 7],
    /// Holidays that fall on a work weekday, sorted, deduplicated.
    holidays: Vec<NaiveDate>,
    /// `raw(holidays[j])`, strictly increasing.
    holiday_raw: Vec<i64>,
    /// `raw(holidays[j]) - j`, non-decreasing.
    holiday_adj: Vec<i64>,
    /// Index of the first representable work day.
    min_index: i64,
    /// Index of the last representable work day (may be `< min_index` in absurd calendars).
    max_index: i64,
}

/// Day number with 0001-01-01 (a Monday) = 0.
fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 1
}

impl Calendar {
    /// Builds a calendar from the work weekdays (`workdays[0]` = Monday … `workdays[6]` =
    /// Sunday) and a list of holidays (in any order, duplicates and holidays on non-work days
    /// are ignored).
    ///
    /// Fails when no weekday is a work day.
    pub fn new(
        workdays: [bool; 7],
        holidays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Calendar, CalendarError> {
        let mut before = [0i64; 7];
        let mut nth = [0i64; 7];
        let mut k = 0i64;
        for (w, &work) in workdays.iter().enumerate() {
            before[w] = k;
            if work {
                nth[k as usize] = w as i64;
                k += 1;
            }
        }
        if k == 0 {
            return Err(CalendarError::NoWorkdays);
        }
        let mut cal = Calendar {
            workdays,
            per_week: k,
            before,
            nth,
            holidays: Vec::new(),
            holiday_raw: Vec::new(),
            holiday_adj: Vec::new(),
            min_index: 0,
            max_index: 0,
        };
        let mut hs: Vec<NaiveDate> = holidays
            .into_iter()
            .filter(|&h| cal.workdays[weekday_of(h)])
            .collect();
        hs.sort_unstable();
        hs.dedup();
        cal.holiday_raw = hs.iter().map(|&h| cal.raw(h)).collect();
        cal.holiday_adj = cal
            .holiday_raw
            .iter()
            .enumerate()
            .map(|(j, &r)| r - j as i64)
            .collect();
        cal.holidays = hs;
        cal.min_index = cal.index_of(NaiveDate::MIN);
        cal.max_index = cal.end_index_of(NaiveDate::MAX) - 1;
        Ok(cal)
    }

    /// Monday to Friday, no holidays.
    pub fn default_week() -> Calendar {
        Calendar::new([true, true, true, true, true, false, false], [])
            .unwrap_or_else(|_| unreachable!("the default week has work days"))
    }

    /// The work weekdays, `[0]` = Monday … `[6]` = Sunday.
    pub fn workdays(&self) -> [bool; 7] {
        self.workdays
    }

    /// The holidays that fall on work weekdays, sorted and deduplicated.
    pub fn holidays(&self) -> &[NaiveDate] {
        &self.holidays
    }

    /// Whether `d` is a work day (a work weekday that is not a holiday).
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        self.workdays[weekday_of(d)] && self.holidays.binary_search(&d).is_err()
    }

    /// Number of work weekdays before `d`, ignoring holidays (relative to the epoch).
    fn raw(&self, d: NaiveDate) -> i64 {
        let dn = day_number(d);
        dn.div_euclid(7) * self.per_week + self.before[dn.rem_euclid(7) as usize]
    }

    /// The work-day index of `d`: the number of work days strictly before `d`. For a work day
    /// this is its own index; for a non-work day it is the index of the next work day.
    /// Total: defined for every date, never overflows. O(log h).
    pub fn index_of(&self, d: NaiveDate) -> i64 {
        let raw = self.raw(d);
        raw - self.holiday_raw.partition_point(|&h| h < raw) as i64
    }

    /// The position of the *end* of calendar day `d`: the number of work days on or before
    /// `d`. Equals `index_of(d) + 1` when `d` is a work day, `index_of(d)` otherwise.
    pub fn end_index_of(&self, d: NaiveDate) -> i64 {
        self.index_of(d) + i64::from(self.is_workday(d))
    }

    /// The work day with index `i`, or `None` outside the representable dates. O(log h).
    pub fn date_of_index(&self, i: i64) -> Option<NaiveDate> {
        if i < self.min_index || i > self.max_index {
            return None;
        }
        let j = self.holiday_adj.partition_point(|&a| a <= i) as i64;
        let raw = i + j;
        let week = raw.div_euclid(self.per_week);
        let r = raw.rem_euclid(self.per_week) as usize;
        let dn = week.checked_mul(7)?.checked_add(self.nth[r])?;
        NaiveDate::from_num_days_from_ce_opt(i32::try_from(dn.checked_add(1)?).ok()?)
    }

    /// The smallest and largest work-day indices that map to representable dates.
    pub fn index_range(&self) -> (i64, i64) {
        (self.min_index, self.max_index)
    }

    fn clamp_index(&self, i: i64) -> NaiveDate {
        let i = i.clamp(self.min_index, self.max_index);
        // Only an absurd calendar (every representable work weekday a holiday) has no date.
        self.date_of_index(i).unwrap_or(NaiveDate::MIN)
    }

    /// `d` if it is a work day, else the next work day; `None` if that is not representable.
    pub fn checked_roll_forward(&self, d: NaiveDate) -> Option<NaiveDate> {
        if self.is_workday(d) {
            Some(d)
        } else {
            self.date_of_index(self.index_of(d))
        }
    }

    /// `d` if it is a work day, else the previous work day; `None` if that is not
    /// representable.
    pub fn checked_roll_back(&self, d: NaiveDate) -> Option<NaiveDate> {
        if self.is_workday(d) {
            Some(d)
        } else {
            self.date_of_index(self.index_of(d) - 1)
        }
    }

    /// `d` if it is a work day, else the next work day. Saturates at the last representable
    /// work day (see [`Calendar::checked_roll_forward`]).
    pub fn roll_forward(&self, d: NaiveDate) -> NaiveDate {
        self.checked_roll_forward(d)
            .unwrap_or_else(|| self.clamp_index(self.index_of(d)))
    }

    /// `d` if it is a work day, else the previous work day. Saturates at the first
    /// representable work day (see [`Calendar::checked_roll_back`]).
    pub fn roll_back(&self, d: NaiveDate) -> NaiveDate {
        self.checked_roll_back(d)
            .unwrap_or_else(|| self.clamp_index(self.index_of(d) - 1))
    }

    /// `n` work days after (or, negative, before) `d` rolled forward to a work day; `None` if
    /// the result is not representable. `checked_add_workdays(d, 0)` = roll forward.
    pub fn checked_add_workdays(&self, d: NaiveDate, n: i64) -> Option<NaiveDate> {
        self.date_of_index(self.index_of(d).checked_add(n)?)
    }

    /// `n` work days after (or, negative, before) `d` rolled forward to a work day. Saturates
    /// at the representable range (see [`Calendar::checked_add_workdays`]).
    pub fn add_workdays(&self, d: NaiveDate, n: i64) -> NaiveDate {
        self.clamp_index(self.index_of(d).saturating_add(n))
    }

    /// Signed number of work days from `a` to `b`, both rolled forward to work days:
    /// `index_of(b) - index_of(a)`. So `add_workdays(a, workdays_between(a, b)) ==
    /// roll_forward(b)` and `workdays_between(a, add_workdays(a, n)) == n` (in range).
    pub fn workdays_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        self.index_of(b) - self.index_of(a)
    }

    /// Work days from deadline `a` to deadline `b`, where a deadline (a target, a completion,
    /// an ETA: "by the end of this day") on a non-work day means the end of the work day
    /// before it, as the plan reads it. Moving a target from Friday to Saturday is 0 work
    /// days; from Friday to Monday, 1.
    pub fn deadline_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        self.end_index_of(b) - self.end_index_of(a)
    }

    /// Whether work due by the end of `deadline` is late as of `as_of` (its end, read as the
    /// plan reads it, is not after the start of the as-of day rolled forward to a work day).
    /// A Saturday deadline is late as of that Saturday: the plan reads it as Friday.
    pub fn deadline_passed(&self, deadline: NaiveDate, as_of: NaiveDate) -> bool {
        self.end_index_of(deadline) <= self.index_of(as_of)
    }
}

/// A dense cache of the dates of a range of work-day indices, for converting many indices at
/// once (a schedule converts four per task). Building it walks the range day by day, which is
/// cheaper than one binary search and one chrono conversion per lookup once the range is
/// compact; indices outside it fall back to [`Calendar::date_of_index`].
#[derive(Debug, Clone, Default)]
pub(crate) struct DateTable {
    first: i64,
    dates: Vec<NaiveDate>,
}

impl DateTable {
    /// A table for `lo..=hi` (clamped to the representable range), or an empty one when that
    /// is more than `max_len` work days.
    pub(crate) fn new(cal: &Calendar, lo: i64, hi: i64, max_len: usize) -> DateTable {
        let (lo, hi) = (lo.max(cal.min_index), hi.min(cal.max_index));
        let Some(mut d) = cal.date_of_index(lo) else {
            return DateTable::default();
        };
        if hi < lo || (hi - lo) as u64 >= max_len as u64 {
            return DateTable::default();
        }
        let len = (hi - lo + 1) as usize;
        let mut dates = Vec::with_capacity(len);
        let mut wd = weekday_of(d);
        let mut h = cal.holidays.partition_point(|&x| x < d);
        while dates.len() < len {
            let holiday = cal.holidays.get(h) == Some(&d);
            if holiday {
                h += 1;
            } else if cal.workdays[wd] {
                dates.push(d);
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            wd = (wd + 1) % 7;
        }
        DateTable { first: lo, dates }
    }

    /// The date of work-day index `i`.
    #[inline]
    pub(crate) fn get(&self, cal: &Calendar, i: i64) -> Option<NaiveDate> {
        let k = i.wrapping_sub(self.first);
        if k >= 0 && (k as u64) < self.dates.len() as u64 {
            Some(self.dates[k as usize])
        } else {
            cal.date_of_index(i)
        }
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::default_week()
    }
}

/// 0 = Monday … 6 = Sunday.
fn weekday_of(d: NaiveDate) -> usize {
    d.weekday().num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_table_matches_date_of_index() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let cals = [
            Calendar::default_week(),
            Calendar::new(
                [true, false, true, true, false, false, true],
                [
                    d("2024-01-03"),
                    d("2024-01-07"),
                    d("2024-01-10"),
                    d("2024-02-04"),
                ],
            )
            .unwrap(),
            Calendar::new([true; 7], [NaiveDate::MIN, NaiveDate::MAX]).unwrap(),
        ];
        for cal in &cals {
            let (min, max) = cal.index_range();
            let mid = cal.index_of(d("2024-01-01"));
            for (lo, hi) in [
                (mid - 50, mid + 400),
                (min - 5, min + 30),
                (max - 30, max + 5),
            ] {
                let t = DateTable::new(cal, lo, hi, 10_000);
                assert!(!t.dates.is_empty());
                for i in lo - 10..=hi + 10 {
                    assert_eq!(t.get(cal, i), cal.date_of_index(i), "{i}");
                }
            }
            // Too long: empty table, still correct through the fallback.
            let t = DateTable::new(cal, mid, mid + 100, 10);
            assert!(t.dates.is_empty());
            assert_eq!(t.get(cal, mid + 5), cal.date_of_index(mid + 5));
        }
    }

    #[test]
    fn epoch_is_monday() {
        let d = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        assert_eq!(day_number(d), 0);
        assert_eq!(weekday_of(d), 0);
    }
}
