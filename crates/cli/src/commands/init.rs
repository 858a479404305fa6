//! `milepost init`: a new portfolio scaffold that passes `milepost check`.

use std::path::PathBuf;

use crate::Outcome;
use crate::error::CliError;
use crate::write::write_file;

/// Create a new portfolio in DIR: milepost.yaml, people.yaml and one example program with
/// a charter, milestones, a RAID log, a RACI matrix and a decision log, all valid. Existing
/// files are never overwritten.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the portfolio in (created if missing; must not already hold one).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The id of the example program (its folder name).
    #[arg(long, default_value = "first-program", value_name = "ID")]
    pub program: String,
}

const SETTINGS: &str = "# Portfolio settings. Reference: docs/format.md\nname: My portfolio\ncalendar:\n  workdays: [mon, tue, wed, thu, fri]\n  holidays:\n    - date: 2026-12-25\n      name: Christmas Day\n    - 2027-01-01\ngates:\n  launch-readiness:\n    title: Launch readiness review\n    items:\n      - id: security-review\n        title: Security review signed off\n      - id: runbook\n        title: Runbook and on-call rota published\n      - id: rollback-plan\n        title: Rollback plan tested\n";
const PEOPLE: &str = "# Everyone who can own, approve or be informed. Ids are used everywhere else.\npeople:\n  - id: alex\n    name: Alex Example\n    email: alex@example.com\n    team: platform\n    role: Program manager\n  - id: sam\n    name: Sam Example\n    email: sam@example.com\n    team: platform\n    role: Engineering manager\nteams:\n  - id: platform\n    name: Platform\n    lead: sam\n";

fn program_files(program: &str) -> Vec<(String, String)> {
    let dir = format!("programs/{program}");
    vec![
        (
            format!("{dir}/program.yaml"),
            "# The charter: why this program exists and how success is measured.\nname: First program\nsummary: Replace the legacy job scheduler with a managed service.\nstatus: active\nhealth: green\nsponsor: sam\nowner: alex\nstart: {START}\ntarget: {PROGRAM_TARGET}\nobjectives:\n  - Cut failed nightly jobs by 90%\nscope:\n  in:\n    - Migrate the 40 nightly jobs\n  out:\n    - Ad-hoc analyst queries\nsuccess_metrics:\n  - metric: failed nightly jobs per month\n    baseline: 30\n    target: 3\nstakeholders:\n  - platform\n".to_owned(),
        ),
        (
            format!("{dir}/milestones.yaml"),
            "milestones:\n  - id: M1\n    title: Design approved\n    owner: alex\n    duration: 2w\n    estimate: {optimistic: 8d, likely: 10d, pessimistic: 15d}\n    target: {M1_TARGET}\n    status: done\n    completed: {M1_DONE}\n  - id: M2\n    title: Jobs migrated\n    owner: sam\n    duration: 6w\n    estimate: {optimistic: 25d, likely: 30d, pessimistic: 45d}\n    depends_on: [M1]\n    target: {M2_TARGET}\n  - id: M3\n    title: Legacy scheduler switched off\n    kind: launch\n    owner: alex\n    duration: 0d\n    depends_on: [M2]\n    target: {M3_TARGET}\n    gate: launch-readiness\n    readiness:\n      security-review: {status: pending, owner: sam}\n      runbook: {status: pending, owner: alex}\n      rollback-plan: {status: pending, owner: sam}\n".to_owned(),
        ),
        (
            format!("{dir}/raid.yaml"),
            "risks:\n  - id: R-1\n    title: Undocumented job dependencies break the migration order\n    owner: sam\n    probability: medium\n    impact: high\n    status: mitigating\n    mitigation: Trace a week of job runs before migrating\n    due: {RISK_DUE}\n    raised: {START}\n    reviewed: {REVIEWED}\n    milestones: [M2]\nassumptions: []\nissues: []\ndependencies: []\n".to_owned(),
        ),
        (
            format!("{dir}/raci.yaml"),
            "raci:\n  - activity: Approve the switch-off\n    milestone: M3\n    responsible: [alex]\n    accountable: sam\n    informed: [platform]\n".to_owned(),
        ),
        (
            format!("{dir}/decisions.yaml"),
            "decisions:\n  - id: DEC-1\n    title: Managed service or self-hosted?\n    status: decided\n    owner: alex\n    raised: {START}\n    decided: {DECIDED}\n    decided_by: sam\n    options: [Managed service, Self-hosted]\n    outcome: Managed service\n    rationale: No on-call burden for the platform team\n".to_owned(),
        ),
    ]
}

/// The scaffold's files as `(relative path, text)`, dated around `today` so that a fresh
/// portfolio checks clean on the day it is created.
pub fn scaffold(program: &str, today: chrono::NaiveDate) -> Vec<(String, String)> {
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let dates = [
        ("{START}", day(-21)),
        ("{PROGRAM_TARGET}", day(180)),
        ("{M1_TARGET}", day(-3)),
        ("{M1_DONE}", day(-7)),
        ("{M2_TARGET}", day(120)),
        ("{M3_TARGET}", day(150)),
        ("{RISK_DUE}", day(45)),
        ("{REVIEWED}", day(-2)),
        ("{DECIDED}", day(-14)),
    ];
    let mut files = vec![
        ("milepost.yaml".to_owned(), SETTINGS.to_owned()),
        ("people.yaml".to_owned(), PEOPLE.to_owned()),
    ];
    files.extend(program_files(program));
    for (_, text) in &mut files {
        for (placeholder, date) in &dates {
            *text = text.replace(placeholder, date);
        }
    }
    files
}

/// Runs `milepost init`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    if !milepost_load::is_valid_program_id(&args.program) {
        return Err(CliError::usage(
            format!("`{}` is not a valid program id", args.program),
            "use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
        ));
    }
    let files = scaffold(&args.program, milepost_session::today());
    let existing: Vec<&str> = files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| args.dir.join(p).exists())
        .collect();
    if !existing.is_empty() || args.dir.join("milepost.yaml").exists() {
        return Err(CliError::usage(
            format!(
                "`{}` already holds a portfolio ({})",
                args.dir.display(),
                existing.join(", ")
            ),
            "choose an empty or new folder; milepost init never overwrites files",
        ));
    }
    for (path, text) in &files {
        let full: PathBuf = args.dir.join(path);
        write_file(&full, text.as_bytes())?;
    }
    println!(
        "created a portfolio in {} with program `{}`",
        args.dir.display(),
        args.program
    );
    println!(
        "next: milepost check {0} && milepost plan {0}",
        args.dir.display()
    );
    Ok(Outcome::Clean)
}
