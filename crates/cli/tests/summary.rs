//! The executive summary as a VP reads it: the headline, launch readiness, and the changes
//! since the last report read from git (with which date moves went through an approved pull
//! request).

mod common;

use common::milepost;
use milepost_history::testing::TestRepo;

const WHO: &str = "Ada <ada@example.com>";

fn render(dir: &std::path::Path, args: &[&str]) -> String {
    let out = milepost().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const RAID: &str = "risks:
  - id: R-1
    title: Vendor SDK late
    owner: ada
    probability: medium
    impact: high
    status: open
    raised: 2026-11-02
    reviewed: 2026-11-20
    mitigation: Build against the sandbox.
    due: 2026-12-11
";

const DECISIONS: &str = "decisions:
  - id: DEC-1
    title: Build or buy the 3DS server?
    owner: ada
    status: proposed
    raised: 2026-11-02
";

/// A repository whose last week (2026-11-16 → 2026-11-23) holds an approved slip, an
/// unapproved slip, a new risk, a closed risk and a decision; and an older slip before it.
fn repository() -> (tempfile::TempDir, TestRepo) {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    for (path, text) in common::BASE {
        repo.write(&format!("p/{path}"), text);
    }
    repo.write("p/programs/alpha/raid.yaml", RAID);
    repo.write("p/programs/alpha/decisions.yaml", DECISIONS);
    repo.commit(WHO, "2026-11-02T10:00:00Z", "Plan");
    let milestones = |m1: &str, m2: &str| {
        common::BASE[3]
            .1
            .replacen("target: 2026-12-18", &format!("target: {m1}"), 1)
            .replacen("target: 2027-01-29", &format!("target: {m2}"), 1)
    };
    // Before the window: not in this report.
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &milestones("2026-12-25", "2027-01-29"),
    );
    repo.commit(
        WHO,
        "2026-11-09T10:00:00Z",
        "Move M1 a week (#7)\n\nApproved-by: Bob <bob@example.com>\n",
    );
    // An approved slip.
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &milestones("2027-01-08", "2027-01-29"),
    );
    repo.commit(
        WHO,
        "2026-11-17T10:00:00Z",
        "Move M1 two weeks (#12)\n\nApproved-by: Bob Stone <bob@example.com>\n",
    );
    // An unapproved slip: pushed straight to the branch.
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &milestones("2027-01-08", "2027-02-12"),
    );
    repo.commit(WHO, "2026-11-18T10:00:00Z", "Move M2");
    // A new risk, and R-1 closed.
    repo.write(
        "p/programs/alpha/raid.yaml",
        &format!(
            "{}  - id: R-2\n    title: Key engineer on leave in January\n    owner: bob\n    probability: high\n    impact: medium\n    status: open\n    raised: 2026-11-19\n    reviewed: 2026-11-19\n",
            RAID.replace("    status: open\n    raised: 2026-11-02", "    status: closed\n    raised: 2026-11-02")
        ),
    );
    repo.commit(
        WHO,
        "2026-11-19T10:00:00Z",
        "Risks: R-2 raised, R-1 closed (#14)\n\nApproved-by: Bob Stone <bob@example.com>\n",
    );
    // A decision taken.
    repo.write(
        "p/programs/alpha/decisions.yaml",
        &DECISIONS.replace(
            "    status: proposed\n",
            "    status: decided\n    decided: 2026-11-20\n    decided_by: bob\n    outcome: Buy.\n",
        ),
    );
    repo.commit(
        WHO,
        "2026-11-20T10:00:00Z",
        "DEC-1 decided (#15)\n\nApproved-by: Bob Stone <bob@example.com>\n",
    );
    (dir, repo)
}

#[test]
fn changes_since_the_last_report_show_each_commitment_change_and_its_approval() {
    let (dir, _repo) = repository();
    let md = render(
        dir.path(),
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--as-of",
            "2026-11-23",
            "p",
        ],
    );
    let section = md
        .split("## Changes since the last report")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the section");
    insta::assert_snapshot!("changes_since_last_report", section);
    assert!(section.contains("The 7 days since 2026-11-16"), "{section}");
    assert!(
        section.contains("**1 date move without an approved pull request**"),
        "{section}"
    );
    // The approved slip, with its PR and approver; the unapproved one flagged.
    assert!(
        section.contains(
            "**M1** target: 2026-12-25 → 2027-01-08 (+10 work days) · #12 · approved by Bob Stone"
        ),
        "{section}"
    );
    assert!(
        section.contains("**M2** target: 2027-01-29 → 2027-02-12 (+10 work days)")
            && section.contains("**no approved PR**"),
        "{section}"
    );
    assert!(section.contains("**R-2** added risk · #14"), "{section}");
    assert!(
        section.contains("**R-1** status: open → closed · #14"),
        "{section}"
    );
    assert!(
        section.contains("**DEC-1** status: proposed → decided; decided: (unset) → 2026-11-20"),
        "{section}"
    );
    // The move before the window is not in this report.
    assert!(!section.contains("#7"), "{section}");
    // The HTML says the same.
    let html = render(
        dir.path(),
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--as-of",
            "2026-11-23",
            "--format",
            "html",
            "p",
        ],
    );
    assert!(html.contains("1 date move without an approved pull request"));
    assert!(html.contains("approved by Bob Stone"));
    // The gantt draws M1's first committed target as its baseline, beside today's target.
    assert!(
        html.contains("<title>baseline 2026-12-18</title>"),
        "{html}"
    );
    assert!(html.contains(">baseline</text>"), "the legend names it");
    // Or the targets at a baseline ref.
    let at_ref = render(
        dir.path(),
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--as-of",
            "2026-11-23",
            "--format",
            "html",
            "--baseline",
            "HEAD~4",
            "p",
        ],
    );
    assert!(
        at_ref.contains("<title>baseline 2026-12-25</title>"),
        "{at_ref}"
    );

    // Since a ref: the last report was made at the unapproved slip.
    let since_ref = render(
        dir.path(),
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--as-of",
            "2026-11-23",
            "--since",
            "HEAD~2",
            "p",
        ],
    );
    let section = since_ref
        .split("## Changes since the last report")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the section");
    assert!(section.contains("Since `HEAD~2`"), "{section}");
    assert!(
        !section.contains("**M1**") && !section.contains("**M2**"),
        "{section}"
    );
    assert!(
        section.contains("**R-2**") && section.contains("**DEC-1**"),
        "{section}"
    );
}

#[test]
fn an_impossible_since_date_is_a_usage_error() {
    let (dir, _repo) = repository();
    let out = milepost()
        .current_dir(dir.path())
        .args([
            "render",
            "summary",
            "--program",
            "alpha",
            "--since",
            "2026-13-45",
            "p",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a day of the calendar"));
}

#[test]
fn outside_git_the_section_says_why_and_since_is_an_error() {
    let dir = common::portfolio(&[]);
    let md = render(
        dir.path(),
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert!(
        md.contains("Not available: the portfolio is not in a git repository."),
        "{md}"
    );
    let out = milepost()
        .current_dir(dir.path())
        .args(["render", "summary", "--program", "alpha", "--since", "main"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since main"));
}

#[test]
fn readiness_lists_each_launch_with_its_gate_items_and_their_state() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    let md = render(
        &acme,
        &[
            "render",
            "summary",
            "--program",
            "checkout-v2",
            "--as-of",
            "2026-11-23",
        ],
    );
    let section = md
        .split("## Launch readiness")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the section");
    assert!(
        section.contains("**M3** Staff dogfood of the new checkout (done)")
            && section.contains("readiness **6 of 6**"),
        "{section}"
    );
    assert!(
        section.contains("**M10** Checkout v2 GA (planned)")
            && section.contains("readiness **2 of 6**"),
        "{section}"
    );
    for item in [
        "Security review signed off (in progress, Nina Petrov)",
        "Load test at 3x projected peak passed (pending, Omar Farouk)",
        "Support team trained (pending, Ben Adeyemi)",
        "Legal and compliance sign-off (in progress, Rachel Thompson)",
    ] {
        assert!(section.contains(item), "{item}\n{section}");
    }
    // The headline leads the page.
    let headline = md
        .lines()
        .find(|l| l.starts_with("Checkout v2 is "))
        .expect("headline");
    insta::assert_snapshot!("checkout_headline", headline);
}
