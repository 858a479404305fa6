//! Calendar: hand-worked cases, a day-by-day brute force, symmetry properties and extremes.

mod common;

use chrono::{Datelike, Days, NaiveDate};
use common::d;
use milepost_plan::{Calendar, CalendarError};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const MON_FRI: [bool; 7] = [true, true, true, true, true, false, false];
const SUN_THU: [bool; 7] = [true, true, true, true, false, false, true];

#[test]
fn default_week_basics() {
    let c = Calendar::default_week();
    // 2024-01-01 is a Monday.
    assert!(c.is_workday(d("2024-01-01")));
    assert!(c.is_workday(d("2024-01-05")));
    assert!(!c.is_workday(d("2024-01-06")));
    assert!(!c.is_workday(d("2024-01-07")));
    assert_eq!(c.roll_forward(d("2024-01-06")), d("2024-01-08"));
    assert_eq!(c.roll_forward(d("2024-01-07")), d("2024-01-08"));
    assert_eq!(c.roll_forward(d("2024-01-08")), d("2024-01-08"));
    assert_eq!(c.roll_back(d("2024-01-06")), d("2024-01-05"));
    assert_eq!(c.roll_back(d("2024-01-07")), d("2024-01-05"));
    assert_eq!(c.add_workdays(d("2024-01-05"), 1), d("2024-01-08"));
    assert_eq!(c.add_workdays(d("2024-01-08"), -1), d("2024-01-05"));
    assert_eq!(c.add_workdays(d("2024-01-01"), 10), d("2024-01-15"));
    // From a non-work day: rolled forward first.
    assert_eq!(c.add_workdays(d("2024-01-06"), 0), d("2024-01-08"));
    assert_eq!(c.add_workdays(d("2024-01-06"), -1), d("2024-01-05"));
    assert_eq!(c.workdays_between(d("2024-01-01"), d("2024-01-15")), 10);
    assert_eq!(c.workdays_between(d("2024-01-15"), d("2024-01-01")), -10);
    assert_eq!(c.workdays_between(d("2024-01-06"), d("2024-01-08")), 0);
    assert_eq!(c.workdays_between(d("2024-01-05"), d("2024-01-07")), 1);
    assert_eq!(Calendar::default(), c);
}

#[test]
fn holiday_runs() {
    // Christmas 2024: Tue 24 is worked; Wed 25, Thu 26, Fri 27 are holidays, then a weekend.
    let c = Calendar::new(
        MON_FRI,
        [
            d("2024-12-27"),
            d("2024-12-25"),
            d("2024-12-26"),
            d("2024-12-25"),
        ],
    )
    .unwrap();
    assert_eq!(
        c.holidays(),
        &[d("2024-12-25"), d("2024-12-26"), d("2024-12-27")]
    );
    assert!(c.is_workday(d("2024-12-24")));
    assert!(!c.is_workday(d("2024-12-25")));
    assert_eq!(c.roll_forward(d("2024-12-25")), d("2024-12-30"));
    assert_eq!(c.roll_forward(d("2024-12-28")), d("2024-12-30"));
    assert_eq!(c.roll_back(d("2024-12-29")), d("2024-12-24"));
    assert_eq!(c.roll_back(d("2024-12-26")), d("2024-12-24"));
    assert_eq!(c.add_workdays(d("2024-12-24"), 1), d("2024-12-30"));
    assert_eq!(c.add_workdays(d("2024-12-30"), -1), d("2024-12-24"));
    assert_eq!(c.add_workdays(d("2024-12-23"), 3), d("2024-12-31"));
    assert_eq!(c.workdays_between(d("2024-12-24"), d("2024-12-30")), 1);
    // Fri 20, Mon 23, Tue 24, Mon 30, Tue 31, Wed 1 (not listed), Thu 2.
    assert_eq!(c.workdays_between(d("2024-12-20"), d("2025-01-03")), 7);
}

#[test]
fn holidays_on_weekends_are_ignored() {
    let c = Calendar::new(MON_FRI, [d("2024-01-06"), d("2024-01-08")]).unwrap();
    assert_eq!(c.holidays(), &[d("2024-01-08")]);
    assert_eq!(c.roll_forward(d("2024-01-06")), d("2024-01-09"));
}

#[test]
fn sunday_to_thursday_week() {
    let c = Calendar::new(SUN_THU, [d("2024-01-08")]).unwrap();
    assert!(c.is_workday(d("2024-01-07"))); // Sunday
    assert!(!c.is_workday(d("2024-01-05"))); // Friday
    assert!(!c.is_workday(d("2024-01-06"))); // Saturday
    assert_eq!(c.roll_forward(d("2024-01-05")), d("2024-01-07"));
    assert_eq!(c.roll_back(d("2024-01-06")), d("2024-01-04"));
    assert_eq!(c.add_workdays(d("2024-01-04"), 1), d("2024-01-07"));
    // Monday 8 is a holiday: Sunday 7 → Tuesday 9.
    assert_eq!(c.add_workdays(d("2024-01-07"), 1), d("2024-01-09"));
    assert_eq!(c.workdays_between(d("2024-01-04"), d("2024-01-09")), 2);
    assert_eq!(c.add_workdays(d("2024-01-09"), -2), d("2024-01-04"));
}

#[test]
fn no_workdays_is_an_error() {
    assert_eq!(
        Calendar::new([false; 7], []),
        Err(CalendarError::NoWorkdays)
    );
    // A single work weekday is fine.
    let c = Calendar::new([false, false, true, false, false, false, false], []).unwrap();
    assert_eq!(c.roll_forward(d("2024-01-01")), d("2024-01-03"));
    assert_eq!(c.add_workdays(d("2024-01-03"), 2), d("2024-01-17"));
}

/// Day-by-day reference implementation.
struct Brute {
    week: [bool; 7],
    holidays: Vec<NaiveDate>,
}

impl Brute {
    fn is_workday(&self, x: NaiveDate) -> bool {
        self.week[x.weekday().num_days_from_monday() as usize] && !self.holidays.contains(&x)
    }
    fn roll_forward(&self, mut x: NaiveDate) -> NaiveDate {
        while !self.is_workday(x) {
            x = x + Days::new(1);
        }
        x
    }
    fn roll_back(&self, mut x: NaiveDate) -> NaiveDate {
        while !self.is_workday(x) {
            x = x - Days::new(1);
        }
        x
    }
    fn add(&self, x: NaiveDate, n: i64) -> NaiveDate {
        let mut x = self.roll_forward(x);
        let mut k = n;
        while k > 0 {
            x = self.roll_forward(x + Days::new(1));
            k -= 1;
        }
        while k < 0 {
            x = self.roll_back(x - Days::new(1));
            k += 1;
        }
        x
    }
}

#[test]
fn matches_day_by_day_brute_force() {
    let mut rng = Pcg64::seed_from_u64(11);
    let base = d("2023-12-01");
    for _ in 0..300 {
        let mut week = [false; 7];
        while !week.iter().any(|&w| w) {
            for w in &mut week {
                *w = rng.random_bool(0.6);
            }
        }
        let holidays: Vec<NaiveDate> = (0..rng.random_range(0..15))
            .map(|_| base + Days::new(rng.random_range(0..120)))
            .collect();
        let cal = Calendar::new(week, holidays.clone()).unwrap();
        let brute = Brute { week, holidays };
        for off in 0..130u64 {
            let x = base + Days::new(off);
            assert_eq!(cal.is_workday(x), brute.is_workday(x), "{x}");
            assert_eq!(cal.roll_forward(x), brute.roll_forward(x), "{x}");
            assert_eq!(cal.roll_back(x), brute.roll_back(x), "{x}");
            let steps = rng.random_range(-20..20);
            let y = cal.add_workdays(x, steps);
            assert_eq!(y, brute.add(x, steps), "{x} + {steps}");
            assert_eq!(cal.workdays_between(x, y), steps);
            // The index is dense: consecutive work days have consecutive indices.
            let index = cal.index_of(x);
            assert_eq!(cal.date_of_index(index), Some(brute.roll_forward(x)));
            assert_eq!(
                cal.end_index_of(x),
                cal.index_of(x + Days::new(1)),
                "end of day {x} = start of next day"
            );
        }
    }
}

proptest! {
    #[test]
    fn add_between_symmetry(
        week_bits in 1u8..128,
        hol in proptest::collection::vec(0u64..2000, 0..40),
        start in 0u64..2000,
        other in 0u64..2000,
        n in -3000i64..3000,
    ) {
        let week: [bool; 7] = std::array::from_fn(|i| week_bits & (1 << i) != 0);
        let base = d("2020-01-01");
        let c = Calendar::new(week, hol.iter().map(|&h| base + Days::new(h))).unwrap();
        let a = base + Days::new(start);
        let b = base + Days::new(other);
        prop_assert_eq!(c.workdays_between(a, c.add_workdays(a, n)), n);
        prop_assert_eq!(c.add_workdays(a, c.workdays_between(a, b)), c.roll_forward(b));
        prop_assert_eq!(c.workdays_between(a, b), -c.workdays_between(b, a));
        prop_assert!(c.is_workday(c.roll_forward(a)));
        prop_assert!(c.is_workday(c.roll_back(a)));
        prop_assert!(c.roll_back(a) <= a && a <= c.roll_forward(a));
        prop_assert_eq!(c.add_workdays(c.add_workdays(a, n), -n), c.roll_forward(a));
    }
}

#[test]
fn extremes_never_panic() {
    let cals = [
        Calendar::default_week(),
        Calendar::new(SUN_THU, [NaiveDate::MIN, NaiveDate::MAX]).unwrap(),
        Calendar::new([true; 7], [NaiveDate::MIN, NaiveDate::MAX]).unwrap(),
    ];
    for c in &cals {
        let (lo, hi) = c.index_range();
        assert!(lo < hi);
        let first = c.date_of_index(lo).unwrap();
        let last = c.date_of_index(hi).unwrap();
        assert!(c.is_workday(first) && c.is_workday(last));
        assert_eq!(c.date_of_index(lo - 1), None);
        assert_eq!(c.date_of_index(hi + 1), None);
        assert_eq!(c.date_of_index(i64::MIN), None);
        assert_eq!(c.date_of_index(i64::MAX), None);
        assert_eq!(c.index_of(first), lo);
        assert_eq!(c.index_of(last), hi);
        for x in [NaiveDate::MIN, NaiveDate::MAX] {
            let f = c.roll_forward(x);
            let b = c.roll_back(x);
            assert!(c.is_workday(f) && c.is_workday(b));
            for n in [i64::MIN, -1_000_000_000, -1, 0, 1, 1_000_000_000, i64::MAX] {
                let y = c.add_workdays(x, n);
                assert!(y >= first && y <= last);
                let _ = c.checked_add_workdays(x, n);
                let _ = c.workdays_between(x, y);
            }
        }
        assert_eq!(c.checked_add_workdays(last, 1), None);
        assert_eq!(c.checked_add_workdays(first, -1), None);
        assert_eq!(c.add_workdays(last, 5), last);
        assert_eq!(c.add_workdays(first, -5), first);
        assert_eq!(c.workdays_between(first, last), hi - lo);
    }
}
