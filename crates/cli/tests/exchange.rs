//! `milepost export` and `milepost import`, checked by the other side's own tools:
//!
//! - TaskJuggler (`tj3`) schedules the `.tjp` export of `examples/acme` and of generated
//!   portfolios to the same start and end dates as `milepost plan`;
//! - MPXJ (Python `mpxj` on Java, `tests/python/mpxj_tool.py`) reads the MSPDI export with the
//!   same tasks, dates, links and calendar exceptions; a file MPXJ writes imports into a
//!   portfolio that checks clean and plans to the dates in it;
//! - Python's `icalendar` (`tests/python/ical_tool.py`) parses the iCal export: one event per
//!   milestone, the same UIDs across exports;
//! - a Jira CSV fixture in the vendor's export shape (a renamed column, handled by a mapping
//!   file) imports cleanly; bad rows are reported at their CSV line and column;
//! - a re-import keeps hand edits and prints the diff.
//!
//! Without the tools (a developer machine) a test says so and passes; under CI (`CI` set,
//! `.ci/run` installs them) they are required.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Days, NaiveDate};
use common::{copy_dir, milepost};
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/exchange")
        .join(name)
}

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme")
}

fn python_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/python")
        .join(name)
}

/// Whether a tool works; under CI its absence fails the test.
#[expect(
    clippy::print_stderr,
    reason = "tells a developer which check was skipped"
)]
fn available(what: &str, mut probe: Command) -> bool {
    let ok = probe.output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is required under CI (.ci/run installs it)"
        );
        eprintln!("skipped: {what} is not installed");
    }
    ok
}

fn python_has(module: &str) -> bool {
    let mut probe = Command::new("python3");
    probe.args(["-c", &format!("import {module}")]);
    available(&format!("the Python module `{module}`"), probe)
}

fn run_ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?} failed:\n{}\n{}",
        cmd,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `plan --format json` rows by id.
fn plan_rows(root: &Path, extra: &[&str]) -> BTreeMap<String, Value> {
    let text = run_ok(
        milepost()
            .arg("plan")
            .arg(root)
            .args(["--format", "json"])
            .args(extra),
    );
    let json: Value = serde_json::from_str(&text).unwrap();
    json["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

fn calendar(root: &Path) -> milepost_plan::Calendar {
    let set = milepost_load::FileSet::from_dir(root).unwrap();
    milepost_plan::calendar_of(&milepost_load::load(set))
}

/// Schedules a `.tjp` with tj3 and returns each task's note (`program/id (status)…`) with its
/// start and end as TaskJuggler prints them (`YYYY-MM-DD HH:MM`).
fn tj3_schedule(tjp: &str, dir: &Path) -> HashMap<String, (String, String)> {
    let report = "\ntaskreport out \"out\" {\n  formats csv\n  columns id, note, start, end\n  timeformat \"%Y-%m-%d %H:%M\"\n}\n";
    let path = dir.join("plan.tjp");
    std::fs::write(&path, format!("{tjp}{report}")).unwrap();
    let out = Command::new("tj3")
        .args(["--silent", "--no-color", "-o"])
        .arg(dir)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tj3 failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(dir.join("out.csv"))
        .unwrap();
    let mut tasks = HashMap::new();
    for record in reader.records() {
        let f = record.unwrap();
        if let Some(id) = f[1].split(' ').next().filter(|n| n.contains('/')) {
            tasks.insert(id.to_owned(), (f[2].to_owned(), f[3].to_owned()));
        }
    }
    tasks
}

/// Exports `root` (with `extra` arguments) to TaskJuggler and compares every milestone's
/// dates with `milepost plan`. Returns how many were compared.
fn compare_with_tj3(root: &Path, extra: &[&str], dir: &Path) -> usize {
    let tjp = run_ok(
        milepost()
            .arg("export")
            .arg(root)
            .args(["--to", "tjp"])
            .args(extra),
    );
    let tj = tj3_schedule(&tjp, dir);
    let rows = plan_rows(root, extra);
    let cal = calendar(root);
    let day = |s: &str| NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").unwrap();
    let mut compared = 0;
    for (id, row) in &rows {
        let (start, end) = tj
            .get(id)
            .unwrap_or_else(|| panic!("{id} is not in the TaskJuggler schedule:\n{tjp}"));
        let es = date(&row["earliest_start"]);
        let ef = date(&row["earliest_finish"]);
        if row["event"].as_bool().unwrap() {
            assert_eq!(day(start), ef, "{id}: event {start} vs plan {ef}");
        } else {
            // A start at the end of a working day means the next work day.
            let tj_start = if start.ends_with("17:00") {
                cal.roll_forward(day(start) + Days::new(1))
            } else {
                day(start)
            };
            assert_eq!(tj_start, es, "{id}: start {start} vs plan {es}");
            assert!(end.ends_with("17:00"), "{id}: end {end}");
            assert_eq!(day(end), ef, "{id}: end {end} vs plan {ef}");
        }
        compared += 1;
    }
    compared
}

#[test]
fn taskjuggler_schedules_the_export_to_the_plans_dates() {
    let mut probe = Command::new("tj3");
    probe.arg("--version");
    if !available("tj3 (TaskJuggler)", probe) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The bundled example: done, anchored and open work, holidays, cross-program links.
    let n = compare_with_tj3(&acme(), &[], dir.path());
    assert!(n > 40, "{n}");
    // One program whose milestones wait for other programs' (fixed where the plan puts them).
    let n = compare_with_tj3(&acme(), &["--program", "checkout-v2"], dir.path());
    assert!(n > 8, "{n}");
    // Generated portfolios, other as-of dates.
    for (seed, as_of) in [(1, "2026-11-23"), (7, "2026-12-24"), (11, "2027-02-06")] {
        let options = milepost_synth::Options {
            programs: 12,
            milestones_per_program: 8,
            seed,
            ..milepost_synth::Options::default()
        };
        let root = dir.path().join(format!("gen{seed}"));
        milepost_synth::write_to_dir(&milepost_synth::generate(&options), &root).unwrap();
        let n = compare_with_tj3(&root, &["--as-of", as_of], dir.path());
        assert!(n >= 80, "{n}");
    }
}

/// Runs one of the Python tools in `tests/python/` and reads the JSON it prints.
fn python_json(script: &str, args: &[&str]) -> Value {
    let out = Command::new("python3")
        .arg(python_script(script))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn mpxj(args: &[&str]) -> Value {
    python_json("mpxj_tool.py", args)
}

#[test]
fn mpxj_reads_the_ms_project_export_with_the_same_plan() {
    if !python_has("mpxj") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.xml");
    run_ok(
        milepost()
            .arg("export")
            .arg(acme())
            .args(["--to", "mspdi", "--out"])
            .arg(&file),
    );
    let read = mpxj(&["read", file.to_str().unwrap()]);
    let rows = plan_rows(&acme(), &[]);
    let tasks: Vec<&Value> = read["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !t["summary"].as_bool().unwrap())
        .collect();
    assert_eq!(tasks.len(), rows.len());
    let wbs_of_uid: HashMap<i64, String> = tasks
        .iter()
        .map(|t| {
            (
                t["uid"].as_i64().unwrap(),
                t["wbs"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let people: HashMap<String, String> = {
        let set = milepost_load::FileSet::from_dir(&acme()).unwrap();
        let p = milepost_load::load(set);
        p.people
            .iter()
            .map(|x| (x.id.as_str().to_owned(), x.name.clone()))
            .chain(
                p.teams
                    .iter()
                    .map(|t| (t.id.as_str().to_owned(), t.name.clone())),
            )
            .collect()
    };
    for t in tasks {
        let id = t["wbs"].as_str().unwrap();
        let row = &rows[id];
        assert_eq!(t["name"], row["title"], "{id}");
        assert_eq!(date(&t["start"]), date(&row["earliest_start"]), "{id}");
        assert_eq!(date(&t["finish"]), date(&row["earliest_finish"]), "{id}");
        assert_eq!(t["milestone"], row["event"], "{id}");
        assert_eq!(
            t["duration_days"].as_f64().map(|d| d.round() as u64),
            row["duration_days"].as_u64(),
            "{id}"
        );
        assert_eq!(
            t["deadline"],
            row.get("target").cloned().unwrap_or(Value::Null),
            "{id}"
        );
        let preds: BTreeSet<String> = t["predecessors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                assert_eq!(p["type"], "FS");
                assert!(p["lag_days"].as_f64().unwrap().abs() < 1e-9);
                wbs_of_uid[&p["uid"].as_i64().unwrap()].clone()
            })
            .collect();
        let deps: BTreeSet<String> = row["depends_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(preds, deps, "{id}");
        let owner = row["owner"].as_str().map(|o| people[o].clone());
        assert_eq!(
            t["resources"]
                .as_array()
                .unwrap()
                .first()
                .and_then(Value::as_str),
            owner.as_deref(),
            "{id}"
        );
    }
    let cal = calendar(&acme());
    let exceptions: Vec<NaiveDate> = read["calendar"]["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(date)
        .collect();
    assert_eq!(exceptions, cal.holidays());
    assert_eq!(
        read["calendar"]["working_days"],
        serde_json::json!(["mon", "tue", "wed", "thu", "fri"])
    );
}

/// A fresh portfolio for imports: settings (as-of pinned) and people.
fn import_portfolio(as_of: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let settings = std::fs::read_to_string(data("portfolio-milepost.yaml"))
        .unwrap()
        .replace("as_of: 2026-11-23", &format!("as_of: {as_of}"));
    common::write(dir.path(), "milepost.yaml", settings.as_bytes());
    common::write(
        dir.path(),
        "people.yaml",
        &std::fs::read(data("portfolio-people.yaml")).unwrap(),
    );
    dir
}

#[test]
fn an_ms_project_file_written_by_mpxj_imports_and_plans_to_its_dates() {
    if !python_has("mpxj") {
        return;
    }
    let dir = import_portfolio("2027-01-04");
    let file = dir.path().join("from-mpxj.xml");
    let written = mpxj(&["write", file.to_str().unwrap()]);
    let stdout = run_ok(
        milepost()
            .arg("import")
            .arg(dir.path())
            .args(["--program", "mpp", "--owner", "dana-s", "--from", "mspdi"])
            .arg(&file),
    );
    assert!(stdout.contains("+ mpp/T1"), "{stdout}");
    assert!(stdout.contains("added 1 holiday"), "{stdout}");
    let settings = std::fs::read_to_string(dir.path().join("milepost.yaml")).unwrap();
    assert!(settings.contains("- 2027-01-18"), "{settings}");
    run_ok(milepost().arg("check").arg(dir.path()));
    let rows = plan_rows(dir.path(), &[]);
    for task in written["tasks"].as_array().unwrap() {
        let row = rows
            .values()
            .find(|r| r["title"] == task["name"])
            .unwrap_or_else(|| panic!("{task} not planned: {rows:#?}"));
        assert_eq!(row["earliest_start"], task["start"], "{task}");
        assert_eq!(row["earliest_finish"], task["finish"], "{task}");
        assert_eq!(row["event"], task["milestone"], "{task}");
        assert_eq!(
            row.get("target").cloned().unwrap_or(Value::Null),
            task["deadline"]
        );
    }
    // Owners came from the resource assignments.
    let milestones =
        std::fs::read_to_string(dir.path().join("programs/mpp/milestones.yaml")).unwrap();
    assert!(
        milestones.contains("title: Design\n    owner: dana-s"),
        "{milestones}"
    );
    assert!(
        milestones.contains("title: Review\n    owner: fox-m"),
        "{milestones}"
    );
}

fn ical(file: &Path) -> Value {
    python_json("ical_tool.py", &[file.to_str().unwrap()])
}

#[test]
fn icalendar_parses_one_event_per_milestone_with_stable_uids() {
    if !python_has("icalendar") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("acme");
    copy_dir(&acme(), &root);
    let export = |name: &str, extra: &[&str]| {
        let file = dir.path().join(name);
        run_ok(
            milepost()
                .arg("export")
                .arg(&root)
                .args(["--to", "ical", "--out"])
                .arg(&file)
                .args(extra),
        );
        ical(&file)
    };
    let first = export("one.ics", &[]);
    let events = first["events"].as_array().unwrap();
    let portfolio = milepost_load::load(milepost_load::FileSet::from_dir(&root).unwrap());
    let milestones: usize = portfolio.programs.iter().map(|p| p.milestones.len()).sum();
    assert_eq!(events.len(), milestones, "one event per milestone");
    let uids: BTreeSet<&str> = events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");
    assert_eq!(first["calendar"]["name"], "Acme Payments");
    let m4 = events
        .iter()
        .find(|e| e["uid"] == "ledger.M4.acme-payments@milepost")
        .unwrap();
    assert_eq!(m4["dtstart"], "2027-01-29", "{m4}");
    assert!(
        m4["description"]
            .as_str()
            .unwrap()
            .contains("Target: 2027-01-29"),
        "{m4}"
    );

    // Move a target and rename a milestone: the same UIDs, the event updated.
    let file = root.join("programs/ledger/milestones.yaml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("target: 2027-01-29", "target: 2027-02-05");
    std::fs::write(&file, text).unwrap();
    let second = export("two.ics", &[]);
    let uids2: BTreeSet<&str> = second["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uid"].as_str().unwrap())
        .collect();
    assert_eq!(uids, uids2);
    let m4 = second["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"] == "ledger.M4.acme-payments@milepost")
        .unwrap();
    assert_eq!(m4["dtstart"], "2027-02-05");

    // One program: a subset of the same UIDs, named after the program.
    let ledger = export("ledger.ics", &["--program", "ledger"]);
    assert_eq!(ledger["calendar"]["name"], "Ledger v2");
    for e in ledger["events"].as_array().unwrap() {
        let uid = e["uid"].as_str().unwrap();
        assert!(uid.starts_with("ledger.") && uids.contains(uid), "{uid}");
    }
}

#[test]
fn a_jira_export_imports_with_a_mapping_file_and_checks_clean() {
    let dir = import_portfolio("2026-11-23");
    let stdout = run_ok(
        milepost()
            .arg("import")
            .arg(dir.path())
            .args(["--program", "payouts", "--from", "jira-csv"])
            .arg(data("jira-export.csv"))
            .arg("--mapping")
            .arg(data("jira-mapping.yaml")),
    );
    assert!(stdout.contains("5 milestones read, 6 changes"), "{stdout}");
    // Checks clean (exit 0): every person mapped, every link resolved.
    let (code, json) = common::check_json(dir.path());
    assert_eq!(code, 0, "{json:#}");
    let program =
        std::fs::read_to_string(dir.path().join("programs/payouts/program.yaml")).unwrap();
    assert!(
        program.contains("name: Payouts v2\n") && program.contains("owner: dana-s\n"),
        "{program}"
    );
    let rows = plan_rows(dir.path(), &[]);
    let ids: Vec<&str> = rows.keys().map(String::as_str).collect();
    // The sub-task is skipped by the mapping; the epic waits for its stories and the launch.
    assert_eq!(
        ids,
        [
            "payouts/PAY-1",
            "payouts/PAY-2",
            "payouts/PAY-3",
            "payouts/PAY-4",
            "payouts/PAY-5"
        ]
    );
    let deps = |id: &str| -> Vec<String> {
        rows[id]["depends_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        deps("payouts/PAY-1"),
        [
            "payouts/PAY-2",
            "payouts/PAY-3",
            "payouts/PAY-4",
            "payouts/PAY-5"
        ]
    );
    assert_eq!(deps("payouts/PAY-5"), ["payouts/PAY-3", "payouts/PAY-4"]);
    // Owners by full name, by e-mail address, and through the mapping file.
    assert_eq!(rows["payouts/PAY-2"]["owner"], "fox-m");
    assert_eq!(rows["payouts/PAY-4"]["owner"], "fox-m");
    assert_eq!(rows["payouts/PAY-3"]["owner"], "walter-s");
    // The renamed due-date column, the estimate in seconds, the mapped status and type.
    assert_eq!(rows["payouts/PAY-3"]["target"], "2027-02-05");
    assert_eq!(rows["payouts/PAY-3"]["duration_days"], 50);
    assert_eq!(rows["payouts/PAY-4"]["status"], "in_progress");
    let milestones =
        std::fs::read_to_string(dir.path().join("programs/payouts/milestones.yaml")).unwrap();
    assert!(
        milestones.contains(
            "  - id: PAY-5\n    title: Real-time payouts GA\n    owner: dana-s\n    kind: launch\n"
        ),
        "{milestones}"
    );
    assert!(milestones.contains("completed: 2026-11-13"), "{milestones}");
    assert!(milestones.contains("started: 2026-11-16"), "{milestones}");
}

#[test]
fn bad_jira_rows_are_reported_at_their_line_and_column_and_nothing_is_written() {
    let dir = import_portfolio("2026-11-23");
    let out = milepost()
        .current_dir(dir.path())
        .args(["import", "--program", "ops", "--from", "jira-csv"])
        .arg(data("jira-bad.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for place in [
        "jira-bad.csv:3:26",
        "jira-bad.csv:3:37",
        "jira-bad.csv:4:18",
    ] {
        assert!(stderr.contains(place), "{place} in\n{stderr}");
    }
    assert!(
        stderr.contains("`2027-02-30` in `Due date` is not a date"),
        "{stderr}"
    );
    assert!(
        stderr.contains("names `OPS-9`, which is not an issue of this export"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: add it to the mapping file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing was imported: 3 errors"),
        "{stderr}"
    );
    assert!(!dir.path().join("programs/ops").exists());

    // A bad mapping file is located too.
    let mapping = dir.path().join("mapping.yaml");
    std::fs::write(
        &mapping,
        "columns:\n  due: Target\nstatuses:\n  QA: testing\n",
    )
    .unwrap();
    let out = milepost()
        .arg("import")
        .arg(dir.path())
        .args(["--program", "ops", "--from", "jira-csv"])
        .arg(data("jira-export.csv"))
        .arg("--mapping")
        .arg(&mapping)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("mapping.yaml:4:7"), "{stderr}");
    assert!(
        stderr.contains("`testing` is not a milestone status"),
        "{stderr}"
    );
}

#[test]
fn a_reimport_keeps_hand_edits_and_prints_what_changed() {
    let dir = import_portfolio("2026-11-23");
    let source = dir.path().join("plan.csv");
    std::fs::copy(data("plan.csv"), &source).unwrap();
    let import = || {
        run_ok(
            milepost()
                .arg("import")
                .arg(dir.path())
                .args(["--program", "rollout", "--owner", "dana-s", "--from", "csv"])
                .arg(&source),
        )
    };
    let first = import();
    assert!(
        first.contains("+ rollout/M3 Integration, phase 1"),
        "{first}"
    );
    let file = dir.path().join("programs/rollout/milestones.yaml");
    // By hand: a comment, an estimate, a new title for M1, a milestone of our own.
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("title: Vendor selection", "title: Vendor selection (two finalists)")
        .replace(
            "  - id: M3\n",
            "  # Integration waits for the sandbox credentials.\n  - id: M3\n    estimate: {optimistic: 10d, likely: 15d, pessimistic: 25d}\n",
        )
        + "\n  - id: M9\n    title: Security review\n    owner: fox-m\n    duration: 3d\n    depends_on: [M3]\n";
    std::fs::write(&file, &edited).unwrap();
    // The source moves M3's target and M4's duration; it never heard of M9.
    let csv = std::fs::read_to_string(&source)
        .unwrap()
        .replace("3w,M2,2027-01-29", "3w,M2,2027-02-05")
        .replace("dana-s,,M3,2027-02-05", "dana-s,2d,M3,2027-02-05");
    std::fs::write(&source, csv).unwrap();
    let second = import();
    assert!(
        second.contains("~ rollout/M3 target: 2027-01-29 → 2027-02-05 (+5 work days)"),
        "{second}"
    );
    assert!(
        second.contains("~ rollout/M4 duration: 0d → 2d"),
        "{second}"
    );
    assert!(second.contains("2 changes"), "{second}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("title: Vendor selection (two finalists)"),
        "{text}"
    );
    assert!(
        text.contains("# Integration waits for the sandbox credentials."),
        "{text}"
    );
    assert!(text.contains("estimate:"), "{text}");
    assert!(
        text.contains("  - id: M9\n    title: Security review\n"),
        "{text}"
    );
    assert!(text.contains("target: 2027-02-05"), "{text}");
    run_ok(milepost().arg("check").arg(dir.path()));

    // Nothing changed in the source: nothing changes in the file.
    let third = import();
    assert!(third.contains("0 changes"), "{third}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn the_jira_csv_export_imports_back_with_the_same_milestones() {
    let dir = import_portfolio("2026-11-23");
    let settings = std::fs::read(acme().join("milepost.yaml")).unwrap();
    common::write(dir.path(), "milepost.yaml", &settings);
    common::write(
        dir.path(),
        "people.yaml",
        &std::fs::read(acme().join("people.yaml")).unwrap(),
    );
    let csv = dir.path().join("ledger.csv");
    run_ok(
        milepost()
            .arg("export")
            .arg(acme())
            .args(["--to", "jira-csv", "--program", "ledger", "--out"])
            .arg(&csv),
    );
    run_ok(
        milepost()
            .arg("import")
            .arg(dir.path())
            .args(["--program", "ledger", "--from", "jira-csv"])
            .arg(&csv),
    );
    let before = plan_rows(&acme(), &["--program", "ledger"]);
    let after = plan_rows(dir.path(), &[]);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (id, row) in &before {
        for field in [
            "title",
            "owner",
            "status",
            "target",
            "duration_days",
            "depends_on",
        ] {
            assert_eq!(row.get(field), after[id].get(field), "{id} {field}");
        }
    }
    let program = std::fs::read_to_string(dir.path().join("programs/ledger/program.yaml")).unwrap();
    assert!(
        program.contains("name: Ledger v2\n") && program.contains("target: 2027-03-31\n"),
        "{program}"
    );
}

#[test]
fn exports_are_deterministic_and_refuse_a_cycle() {
    for to in ["mspdi", "tjp", "ical", "jira-csv"] {
        let a = run_ok(milepost().arg("export").arg(acme()).args(["--to", to]));
        let b = run_ok(milepost().arg("export").arg(acme()).args(["--to", to]));
        assert_eq!(a, b, "{to}");
        assert!(a.len() > 1000, "{to}");
    }
    let dir = common::portfolio(&[(
        "programs/alpha/milestones.yaml",
        b"milestones:\n  - id: M1\n    title: A\n    owner: ada\n    depends_on: [M2]\n  - id: M2\n    title: B\n    owner: ada\n    depends_on: [M1]\n",
    )]);
    let out = milepost()
        .arg("export")
        .arg(dir.path())
        .args(["--to", "tjp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("dependency cycle"), "{stderr}");
}

#[test]
fn hostile_sources_get_a_clear_error_and_write_nothing() {
    let dir = import_portfolio("2026-11-23");
    // A billion laughs: nine levels of ten entity references each.
    let mut entity_bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE b [\n <!ENTITY a0 \"aaaaaaaaaa\">\n");
    for i in 1..10 {
        let refs = format!("&a{};", i - 1).repeat(10);
        let _ = writeln!(entity_bomb, " <!ENTITY a{i} \"{refs}\">");
    }
    entity_bomb.push_str(
        "]>\n<Project><Tasks><Task><UID>1</UID><Name>&a9;</Name></Task></Tasks></Project>\n",
    );
    let cases: [(&str, &str, &[u8], &str); 7] = [
        (
            "csv",
            "kanji.csv",
            "id,title,target\nM1,X,2026年12月4日\n".as_bytes(),
            "kanji.csv:2:6",
        ),
        (
            "csv",
            "binary.csv",
            b"id,title\n\0\xff,x\n",
            "is not UTF-8 text",
        ),
        ("csv", "empty.csv", b"", "empty.csv:1:1"),
        (
            "csv",
            "noid.csv",
            b"title,owner\nDesign,dana-s\n",
            "the header has no `id` column",
        ),
        ("mspdi", "bomb.xml", entity_bomb.as_bytes(), "bomb.xml:"),
        (
            "mspdi",
            "html.xml",
            b"<html><body>not a plan</body></html>",
            "not an MS Project `<Project>`",
        ),
        (
            "jira-csv",
            "quote.csv",
            b"Summary,Issue key\n\"Design,PAY-1\n",
            "quote.csv:",
        ),
    ];
    for (format, name, bytes, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = milepost()
            .arg("import")
            .arg(dir.path())
            .args(["--program", "x", "--owner", "dana-s", "--from", format])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{name}: {:?}\n{stderr}",
            out.status
        );
        assert!(stderr.contains(expected), "{name}: {expected} in\n{stderr}");
        assert!(
            !dir.path().join("programs/x").exists(),
            "{name} wrote files"
        );
    }
    // A header and no rows: an empty program that checks clean, not a broken file.
    let file = dir.path().join("header.csv");
    std::fs::write(&file, "id,title\n").unwrap();
    run_ok(
        milepost()
            .arg("import")
            .arg(dir.path())
            .args(["--program", "x", "--owner", "dana-s", "--from", "csv"])
            .arg(&file),
    );
    let text = std::fs::read_to_string(dir.path().join("programs/x/milestones.yaml")).unwrap();
    assert!(text.ends_with("milestones: []\n"), "{text}");
}

#[test]
fn a_program_exported_to_ms_project_imports_back_to_the_same_plan() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["milepost.yaml", "people.yaml"] {
        common::write(dir.path(), file, &std::fs::read(acme().join(file)).unwrap());
    }
    let xml = dir.path().join("ledger.xml");
    run_ok(
        milepost()
            .arg("export")
            .arg(acme())
            .args(["--to", "mspdi", "--program", "ledger", "--out"])
            .arg(&xml),
    );
    run_ok(
        milepost()
            .arg("import")
            .arg(dir.path())
            .args([
                "--program",
                "ledger",
                "--owner",
                "ravi-s",
                "--from",
                "mspdi",
            ])
            .arg(&xml),
    );
    let before = plan_rows(&acme(), &["--program", "ledger"]);
    let after = plan_rows(dir.path(), &[]);
    assert_eq!(before.len(), after.len());
    for (id, row) in &before {
        for field in [
            "earliest_start",
            "earliest_finish",
            "status",
            "target",
            "owner",
            "depends_on",
            "duration_days",
        ] {
            assert_eq!(row.get(field), after[id].get(field), "{id} {field}");
        }
    }
}
