//! `risk-stale` with facts from git history ([`milepost_rules::Extras`]): a risk without a
//! `reviewed` date is measured from the last commit that changed it when that is later than
//! `raised`, and the message says so.

mod common;

use chrono::NaiveDate;
use common::{file, load, of};
use milepost_plan::PortfolioPlan;
use milepost_rules::Extras;
use milepost_rules::docs::EXAMPLE_AS_OF;

const RAID: &str = "risks:
  - id: R-1
    title: Card network certification slips past January
    owner: bob
    probability: medium
    impact: medium
    status: open
    mitigation: Book the certification slot now.
    due: 2026-12-18
    raised: 2026-10-01
  - id: R-2
    title: Vendor misses the feed date
    owner: bob
    probability: medium
    impact: medium
    status: open
    mitigation: Weekly vendor sync.
    due: 2026-12-18
";

fn stale(extras: &Extras) -> Vec<String> {
    let p = load(&[file("programs/alpha/raid.yaml", RAID)]);
    let plan = PortfolioPlan::build(&p, EXAMPLE_AS_OF);
    let d = milepost_rules::check_with(&p, EXAMPLE_AS_OF, Some(&plan), extras);
    of(&d, "risk-stale")
        .into_iter()
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn without_history_a_never_reviewed_risk_is_measured_from_raised() {
    let messages = stale(&Extras::default());
    // R-1 from its `raised` date; R-2, which nothing dates, has never been reviewed.
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("alpha/R-1 was raised 2026-10-01"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("alpha/R-2 has never been reviewed"),
        "{messages:?}"
    );
}

#[test]
fn with_history_the_last_commit_date_is_used_and_named() {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut extras = Extras::default();
    // R-1 changed 5 days before the as-of date: fresh. R-2 (no dates at all) changed 30 days
    // before: stale, and said to come from git history.
    let recent = EXAMPLE_AS_OF - chrono::Days::new(5);
    extras.last_changed.insert("alpha/R-1".into(), recent);
    extras.last_changed.insert(
        "alpha/R-2".into(),
        day("2026-10-01").max(EXAMPLE_AS_OF - chrono::Days::new(30)),
    );
    let messages = stale(&extras);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("risk alpha/R-2 has no `reviewed` date and was last changed"),
        "{messages:?}"
    );
    assert!(
        messages[0]
            .contains("30 days ago (date of the last commit that changed it, from git history)"),
        "{messages:?}"
    );
}
