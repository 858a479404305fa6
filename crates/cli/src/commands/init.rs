//! `milepost init`: a new portfolio scaffold that passes `milepost check`.

use std::path::{Path, PathBuf};

use milepost_model::FileKind;
use milepost_model::schema::schema_file_name;

use crate::Outcome;
use crate::error::CliError;
use crate::write::write_file;

/// Create a new portfolio in DIR: milepost.yaml, people.yaml and one example program with
/// a charter, milestones, a RAID log, a RACI matrix and a decision log, all valid, with the
/// JSON Schemas in `schemas/` (each file names its schema for yaml-language-server).
/// `--editor` and `--ci` also write editor settings and a CI workflow at the repository root;
/// in an existing portfolio they add only what is missing. Existing files are never
/// overwritten.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the portfolio in (created if missing). With `--editor` or `--ci`
    /// it may already hold a portfolio.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The id of the example program (its folder name).
    #[arg(long, default_value = "first-program", value_name = "ID")]
    pub program: String,
    /// Write the settings that give this editor completion, hover and validation from the
    /// schemas (repeatable).
    #[arg(long, value_enum, value_name = "EDITOR")]
    pub editor: Vec<super::setup::Editor>,
    /// Write the CI workflow: the pull-request gate and the scheduled full check.
    #[arg(long, value_enum, value_name = "CI")]
    pub ci: Option<super::setup::Ci>,
}

const SETTINGS: &str = "# yaml-language-server: $schema=schemas/milepost.schema.json\n# Portfolio settings. Reference: https://github.com/milepost-dev/milepost/blob/main/docs/format.md\nname: My portfolio\ncalendar:\n  workdays: [mon, tue, wed, thu, fri]\n  holidays:\n    - date: 2026-12-25\n      name: Christmas Day\n    - 2027-01-01\ngates:\n  launch-readiness:\n    title: Launch readiness review\n    items:\n      - id: security-review\n        title: Security review signed off\n      - id: runbook\n        title: Runbook and on-call rota published\n      - id: rollback-plan\n        title: Rollback plan tested\n";
const PEOPLE: &str = "# yaml-language-server: $schema=schemas/people.schema.json\n# Everyone who can own, approve or be informed. Ids are used everywhere else.\npeople:\n  - id: alex\n    name: Alex Example\n    email: alex@example.com\n    team: platform\n    role: Program manager\n  - id: sam\n    name: Sam Example\n    email: sam@example.com\n    team: platform\n    role: Engineering manager\nteams:\n  - id: platform\n    name: Platform\n    lead: sam\n";

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
    for (path, text) in program_files(program) {
        // Each file names its schema, for editors without project settings.
        let kind = path
            .rsplit('/')
            .next()
            .and_then(FileKind::from_program_file_name);
        let text = match kind {
            Some(k) => format!(
                "# yaml-language-server: $schema=../../schemas/{}\n{text}",
                schema_file_name(k)
            ),
            None => text,
        };
        files.push((path, text));
    }
    for kind in FileKind::ALL {
        files.push((
            format!("schemas/{}", schema_file_name(kind)),
            crate::commands::schema::editor_schema_text(kind),
        ));
    }
    for (_, text) in &mut files {
        for (placeholder, date) in &dates {
            *text = text.replace(placeholder, date);
        }
    }
    files
}

/// The repository root above `dir` (the folder holding `.git`), or `dir` itself outside one,
/// and the portfolio's path from it (`portfolio/`, or empty at the root).
fn workspace(dir: &Path) -> (PathBuf, String) {
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut at = abs.as_path();
    loop {
        if at.join(".git").exists() {
            let rel = abs.strip_prefix(at).unwrap_or(Path::new(""));
            let mut prefix: String = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if !prefix.is_empty() {
                prefix.push('/');
            }
            return (at.to_path_buf(), prefix);
        }
        match at.parent() {
            Some(parent) => at = parent,
            None => return (abs.clone(), String::new()),
        }
    }
}

/// Runs `milepost init`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    if !milepost_load::is_valid_program_id(&args.program) {
        return Err(CliError::usage(
            format!("`{}` is not a valid program id", args.program),
            "use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
        ));
    }
    let exists = args.dir.join("milepost.yaml").exists() || args.dir.join("milepost.yml").exists();
    let extras = !args.editor.is_empty() || args.ci.is_some();
    let mut written: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    if exists && !extras {
        return Err(CliError::usage(
            format!("`{}` already holds a portfolio", args.dir.display()),
            "choose an empty or new folder; milepost init never overwrites files (with --editor or --ci it adds only what is missing)",
        ));
    }
    if exists {
        // Only what is missing: the schemas the editor settings point at.
        for kind in FileKind::ALL {
            let path = format!("schemas/{}", schema_file_name(kind));
            let full = args.dir.join(&path);
            if full.exists() {
                kept.push(full.display().to_string());
            } else {
                write_file(
                    &full,
                    crate::commands::schema::editor_schema_text(kind).as_bytes(),
                )?;
                written.push(full.display().to_string());
            }
        }
    } else {
        let files = scaffold(&args.program, milepost_session::today());
        let existing: Vec<&str> = files
            .iter()
            .map(|(p, _)| p.as_str())
            .filter(|p| args.dir.join(p).exists())
            .collect();
        if !existing.is_empty() {
            return Err(CliError::usage(
                format!(
                    "`{}` already holds files milepost init would write ({})",
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
        crate::output::info(&format!(
            "created a portfolio in {} with program `{}`",
            args.dir.display(),
            args.program
        ));
    }
    let (root, prefix) = workspace(&args.dir);
    let mut extra: Vec<(String, String)> = Vec::new();
    for editor in &args.editor {
        extra.extend(super::setup::editor_files(*editor, &prefix));
    }
    if let Some(ci) = args.ci {
        let path = if prefix.is_empty() {
            ".".to_owned()
        } else {
            prefix.trim_end_matches('/').to_owned()
        };
        extra.extend(super::setup::ci_files(ci, &path));
    }
    for (path, text) in extra {
        let full = root.join(&path);
        if full.exists() {
            kept.push(full.display().to_string());
        } else {
            write_file(&full, text.as_bytes())?;
            written.push(full.display().to_string());
        }
    }
    for w in &written {
        crate::output::info(&format!("wrote {w}"));
    }
    for k in &kept {
        crate::output::info(&format!(
            "kept {k} (it exists; merge the milepost settings by hand if needed)"
        ));
    }
    crate::output::info(&format!(
        "next: milepost check {0} && milepost plan {0}",
        args.dir.display()
    ));
    Ok(Outcome::Clean)
}
