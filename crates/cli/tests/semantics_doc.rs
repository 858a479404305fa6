//! The worked examples of `docs/semantics.md` ("7. Worked examples") are what `milepost plan`
//! computes: each example's portfolio is written here, planned through the binary, and every
//! cell of the page's table (ES, EF, LS, LF, slack, slip) is compared with the JSON. Editing
//! the page or the planner without the other fails this test.

mod common;

use common::{milepost, portfolio};
use serde_json::Value;

/// The rows of the table that follows `**Example {n}` on the page: name → cells.
fn documented(n: u32) -> Vec<(String, Vec<String>)> {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/semantics.md"),
    )
    .expect("docs/semantics.md exists");
    let start = page
        .find(&format!("**Example {n}"))
        .unwrap_or_else(|| panic!("docs/semantics.md has no Example {n}"));
    page[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace('−', "-"))
                .collect();
            let name = cells[0].split_whitespace().next().unwrap_or("").to_owned();
            (name, cells[1..].to_vec())
        })
        .collect()
}

/// A date as the page writes it: `MM-DD`, or the whole date when the page does.
fn as_written(date: &Value, cell: &str) -> String {
    let d = date.as_str().unwrap_or("");
    if cell.len() == 5 {
        d[5..].to_owned()
    } else {
        d.to_owned()
    }
}

fn check_example(n: u32, files: &[(&str, &[u8])], as_of: &str) {
    let dir = portfolio(files);
    let out = milepost()
        .args(["plan", "--format", "json", "--as-of", as_of])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = documented(n);
    assert!(rows.len() >= 3, "Example {n}: table not found");
    for (name, cells) in rows {
        let m = json["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == format!("alpha/{name}"))
            .unwrap_or_else(|| panic!("Example {n}: no milestone {name}"));
        let fields = [
            "earliest_start",
            "earliest_finish",
            "latest_start",
            "latest_finish",
        ];
        for (field, cell) in fields.iter().zip(&cells) {
            assert_eq!(
                &as_written(&m[*field], cell),
                cell,
                "Example {n}, {name}, {field}"
            );
        }
        assert_eq!(
            m["slack_days"].to_string(),
            cells[4],
            "Example {n}, {name}, slack"
        );
        let slip = match m["slip_days"].as_i64() {
            Some(s) if s > 0 => format!("+{s}"),
            Some(s) => s.to_string(),
            None => String::new(),
        };
        assert_eq!(slip, cells[5], "Example {n}, {name}, slip");
    }
}

const PROGRAM: &[u8] = b"name: Alpha\nowner: ada\n";

#[test]
fn example_1_a_holiday_and_an_event_after_work() {
    check_example(
        1,
        &[
            ("milepost.yaml", b"name: t\ncalendar:\n  holidays: [2026-12-24, 2026-12-25]\n"),
            ("programs/alpha/program.yaml", b"name: Alpha\nowner: ada\nstart: 2026-12-14\n"),
            (
                "programs/alpha/milestones.yaml",
                b"milestones:\n  - {id: A, title: a, owner: ada, duration: 5d}\n  - {id: B, title: b, owner: ada, duration: 0d, depends_on: [A]}\n  - {id: C, title: c, owner: ada, duration: 4d, depends_on: [B], target: 2026-12-23}\n  - {id: D, title: d, owner: ada, duration: 3d}\n",
            ),
        ],
        "2026-12-14",
    );
}

#[test]
fn example_2_an_event_at_the_start_of_a_day_and_weekend_dates() {
    check_example(
        2,
        &[
            ("milepost.yaml", b"name: t\ncalendar:\n  holidays: [2024-01-10]\n"),
            ("programs/alpha/program.yaml", b"name: Alpha\nowner: ada\nstart: 2024-01-06\n"),
            (
                "programs/alpha/milestones.yaml",
                b"milestones:\n  - {id: K, title: k, owner: ada, duration: 0d, target: 2024-01-08}\n  - {id: A, title: a, owner: ada, duration: 3d, depends_on: [K], target: 2024-01-14}\n  - {id: B, title: b, owner: ada, duration: 2d, depends_on: [A], target: 2024-01-12}\n  - {id: E, title: e, owner: ada, duration: 0d, depends_on: [B]}\n",
            ),
        ],
        "2024-01-01",
    );
}

#[test]
fn example_3_a_done_milestone_completed_on_a_weekend() {
    check_example(
        3,
        &[
            ("milepost.yaml", b"name: t\ncalendar:\n  holidays: [2024-01-01]\n"),
            ("programs/alpha/program.yaml", PROGRAM),
            (
                "programs/alpha/milestones.yaml",
                b"milestones:\n  - {id: A, title: a, owner: ada, duration: 3d, status: done, completed: 2023-12-30}\n  - {id: B, title: b, owner: ada, duration: 3d, depends_on: [A], target: 2024-01-04}\n  - {id: C, title: c, owner: ada, duration: 0d, depends_on: [B], target: 2024-01-05}\n",
            ),
        ],
        "2024-01-03",
    );
}

#[test]
fn example_4_a_target_that_cannot_be_met() {
    check_example(
        4,
        &[
            ("milepost.yaml", b"name: t\n"),
            ("programs/alpha/program.yaml", PROGRAM),
            (
                "programs/alpha/milestones.yaml",
                b"milestones:\n  - {id: A, title: a, owner: ada, duration: 5d}\n  - {id: B, title: b, owner: ada, duration: 5d, depends_on: [A], target: 2024-01-10}\n  - {id: C, title: c, owner: ada, duration: 1d}\n",
            ),
        ],
        "2024-01-01",
    );
}
