//! `render review`: the business review of one quarter on a scripted repository, and its
//! scorecard equal to `milepost metrics` at the end of the quarter.

mod common;

use common::milepost;
use milepost_history::testing::TestRepo;
use serde_json::Value;

const WHO: &str = "Ada <ada@example.com>";

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let out = milepost().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn milestones(m1: &str, m2: &str, m3: &str) -> String {
    format!(
        "milestones:
  - id: M1
    title: Design
    owner: ada
    duration: 5d
    target: 2026-10-16
{m1}  - id: M2
    title: Build
    owner: bob
    duration: 2w
    depends_on: [M1]
{m2}  - id: M3
    title: Partner launch
    kind: launch
    owner: ada
    duration: 0d
    depends_on: [M2]
{m3}"
    )
}

const DECISIONS: &str = "decisions:
  - id: DEC-1
    title: Build or buy the 3DS server?
    owner: ada
    status: proposed
    raised: 2026-09-15
    needed_by: 2026-12-18
";

/// One quarter (Q4 2026) of a program's life: a milestone delivered early, an approved and
/// an unapproved slip, a second delivery late, a decision taken; and a change after the
/// quarter that the review must leave out.
fn repository() -> (tempfile::TempDir, TestRepo, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    for (path, text) in common::BASE {
        repo.write(&format!("p/{path}"), text);
    }
    let file = "p/programs/alpha/milestones.yaml";
    repo.write(
        file,
        &milestones("", "    target: 2026-11-27\n", "    target: 2026-12-18\n"),
    );
    repo.write("p/programs/alpha/decisions.yaml", DECISIONS);
    repo.commit(
        WHO,
        "2026-09-15T10:00:00Z",
        "Plan (#1)\n\nApproved-by: Bob <bob@example.com>\n",
    );
    repo.write(
        file,
        &milestones(
            "    status: done\n    completed: 2026-10-15\n",
            "    target: 2026-11-27\n",
            "    target: 2026-12-18\n",
        ),
    );
    repo.commit(
        WHO,
        "2026-10-16T10:00:00Z",
        "M1 done (#3)\n\nApproved-by: Bob <bob@example.com>\n",
    );
    repo.write(
        file,
        &milestones(
            "    status: done\n    completed: 2026-10-15\n",
            "    target: 2026-12-04\n",
            "    target: 2026-12-18\n",
        ),
    );
    repo.commit(
        WHO,
        "2026-11-02T10:00:00Z",
        "Move M2 a week (#5)\n\nApproved-by: Bob <bob@example.com>\n",
    );
    repo.write(
        file,
        &milestones(
            "    status: done\n    completed: 2026-10-15\n",
            "    target: 2026-12-04\n",
            "    target: 2027-01-08\n",
        ),
    );
    repo.commit(WHO, "2026-11-20T10:00:00Z", "Move the launch");
    repo.write(
        file,
        &milestones(
            "    status: done\n    completed: 2026-10-15\n",
            "    target: 2026-12-04\n    status: done\n    completed: 2026-12-08\n",
            "    target: 2027-01-08\n",
        ),
    );
    repo.commit(
        WHO,
        "2026-12-08T10:00:00Z",
        "M2 done (#7)\n\nApproved-by: Bob <bob@example.com>\n",
    );
    repo.write(
        "p/programs/alpha/decisions.yaml",
        &DECISIONS.replace(
            "    status: proposed\n",
            "    status: decided\n    decided: 2026-12-10\n    decided_by: bob\n    outcome: Buy.\n",
        ),
    );
    let last_of_q4 = repo
        .commit(
            WHO,
            "2026-12-10T10:00:00Z",
            "DEC-1 decided (#8)\n\nApproved-by: Bob <bob@example.com>\n",
        )
        .to_string();
    // After the quarter: not in its review.
    repo.write(
        file,
        &milestones(
            "    status: done\n    completed: 2026-10-15\n",
            "    target: 2026-12-04\n    status: done\n    completed: 2026-12-08\n",
            "    target: 2027-01-15\n",
        ),
    );
    repo.commit(
        WHO,
        "2027-01-04T10:00:00Z",
        "Move the launch again (#9)\n\nApproved-by: Bob <bob@example.com>\n",
    );
    (dir, repo, last_of_q4)
}

#[test]
fn a_quarterly_review_of_a_scripted_quarter() {
    let (dir, _repo, tip) = repository();
    let md = run(
        dir.path(),
        &[
            "render",
            "review",
            "--period",
            "quarter",
            "--as-of",
            "2027-01-05",
            "p",
        ],
    );
    // Commit ids hash fixed trees, authors and dates: the snapshot is stable.
    insta::assert_snapshot!("quarterly_review", md);
    assert!(md.contains("quarterly business review, Q4 2026"), "{md}");
    assert!(md.contains("2 milestones delivered (1 on time)"), "{md}");
    assert!(
        md.contains("2 targets moved later (**1 without an approved pull request**)"),
        "{md}"
    );
    assert!(
        md.contains("**alpha/M3** | target: 2026-12-18 → 2027-01-08"),
        "{md}"
    );
    assert!(
        !md.contains("#9"),
        "the move after the quarter is left out:\n{md}"
    );
    assert!(md.contains("**alpha/DEC-1** Build or buy"), "{md}");
    // The launch is due in the next quarter.
    assert!(md.contains("## Commitments for Q1 2027"), "{md}");

    // The scorecard equals `metrics` at the end of the quarter, at the last commit of it.
    let basis = md
        .lines()
        .find(|l| l.starts_with("At the end of Q4 2026"))
        .expect("the scorecard's basis");
    let rev = basis
        .split("--rev ")
        .nth(1)
        .and_then(|r| r.split('`').next())
        .expect("a commit");
    assert!(
        tip.starts_with(rev),
        "{rev} is the last commit of Q4 ({tip})"
    );
    let json: Value = serde_json::from_str(&run(
        dir.path(),
        &[
            "metrics",
            "--as-of",
            "2026-12-31",
            "--rev",
            rev,
            "--format",
            "json",
            "p",
        ],
    ))
    .unwrap();
    let kpis = json["kpis"].as_array().unwrap();
    assert!(!kpis.is_empty());
    for k in kpis {
        let name = k["name"].as_str().unwrap();
        let value = match (k["value"].as_f64(), k["unit"].as_str()) {
            (None, _) => "n/a".to_owned(),
            (Some(v), Some("share" | "ratio")) => format!("{:.0}%", v * 100.0),
            (Some(v), Some(unit @ ("days" | "work days"))) => format!("{v} {unit}"),
            (Some(v), _) => format!("{v}"),
        };
        let row = format!("| {name} | **{value}** |");
        assert!(md.contains(&row), "{row}\n{md}");
    }
}

#[test]
fn a_review_outside_git_says_what_it_leaves_out() {
    let dir = common::portfolio(&[]);
    let md = run(dir.path(), &["render", "review", "--as-of", "2026-12-01"]);
    assert!(
        md.contains("monthly business review, November 2026"),
        "{md}"
    );
    assert!(
        md.contains("History not available: the portfolio is not in a git repository"),
        "{md}"
    );
    let html = run(
        dir.path(),
        &[
            "render",
            "review",
            "--as-of",
            "2026-12-01",
            "--format",
            "html",
        ],
    );
    assert!(
        html.contains("<h1>Monthly business review — November 2026</h1>"),
        "{html}"
    );
}
