//! A git history for a bundled example portfolio: weekly commits from June to its as-of
//! date that replay how the plan of record got to where the example is — milestones
//! started and completed on their dates, RAID entries raised, dependencies delivered,
//! decisions taken, benefits validated, scorecard values recorded — with an approved and an
//! unapproved target move. The last commit holds the example's files exactly, so every
//! command gives the same answer as on `examples/acme`, and the history-based KPIs (trends,
//! forecast accuracy, risk exposure burn-down, program on-time with change control) have
//! something to measure.
//!
//! Each week's files are derived from the example's by text edits (the example is written
//! in one consistent layout), so the replay never needs a YAML writer.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::process::Command;

use chrono::{Duration, NaiveDate};

/// A field that had another value before a day: the target moves the history shows.
struct Move {
    /// The file, relative to the portfolio.
    file: &'static str,
    /// The list item's id (`M10`), or `None` for a top-level field.
    item: Option<&'static str>,
    /// The field.
    field: &'static str,
    /// Its value before `day`.
    before: &'static str,
    /// The day it changed (a weekly commit day).
    day: (i32, u32, u32),
    /// The commit message of the move.
    message: &'static str,
}

const MOVES: &[Move] = &[
    Move {
        file: "programs/pci-dss/program.yaml",
        item: None,
        field: "target",
        before: "2026-10-16",
        day: (2026, 9, 14),
        message: "pci-dss: move the target two weeks to the assessor's first free slot (#37)\n\nThe assessor cannot start before 5 October.\n\nReviewed-by: Helen Kowalski <helen@acme.example>\nApproved-by: Dana Whitfield <dana@acme.example>\n",
    },
    Move {
        file: "programs/checkout-v2/milestones.yaml",
        item: Some("M10"),
        field: "target",
        before: "2027-05-21",
        day: (2026, 10, 5),
        message: "checkout-v2: GA two weeks later, after the 3-D Secure exemptions land (#41)\n\nApproved-by: Marcus Oyelaran <marcus@acme.example>\n",
    },
    Move {
        file: "programs/mobile-wallet/milestones.yaml",
        item: Some("M8"),
        field: "target",
        before: "2027-07-09",
        day: (2026, 11, 2),
        message: "mobile-wallet: launch after the app-store review window\n",
    },
];

const AUTHORS: &[(&str, &str)] = &[
    ("Helen Kowalski", "helen@acme.example"),
    ("Ada Lindqvist", "ada@acme.example"),
    ("Kenji Tanaka", "kenji@acme.example"),
    ("Mei Chen", "mei@acme.example"),
];

fn date(text: &str) -> Option<NaiveDate> {
    text.trim().trim_matches('"').get(..10)?.parse().ok()
}

/// The value of `    field: value` (at `indent` spaces) in `lines`.
fn field<'a>(lines: &[&'a str], indent: usize, name: &str) -> Option<&'a str> {
    let prefix = format!("{}{name}:", " ".repeat(indent));
    lines
        .iter()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .map(|v| v.split(" #").next().unwrap_or(v).trim())
}

/// Splits a list file into its header lines and `  - ` items (each with the lines up to the
/// next item or top-level key), keeping everything else in order.
enum Part<'a> {
    Line(&'a str),
    Item(Vec<&'a str>),
}

fn parts(text: &str) -> Vec<Part<'_>> {
    let mut out: Vec<Part<'_>> = Vec::new();
    for line in text.lines() {
        if line.starts_with("  - ") {
            out.push(Part::Item(vec![line]));
        } else if (line.starts_with("    ") || line.trim().is_empty())
            && let Some(Part::Item(item)) = out.last_mut()
        {
            item.push(line);
        } else {
            out.push(Part::Line(line));
        }
    }
    out
}

fn join(parts: &[Part<'_>]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for p in parts {
        match p {
            Part::Line(l) => lines.push((*l).to_owned()),
            Part::Item(item) => lines.extend(item.iter().map(|l| (*l).to_owned())),
        }
    }
    // A list key whose items were all left out (`risks:` followed by another key or the
    // end) becomes an empty list, not null.
    for i in 0..lines.len() {
        let l = &lines[i];
        if !l.starts_with(' ') && !l.starts_with('#') && l.ends_with(':') {
            let next = lines[i + 1..].iter().find(|n| !n.trim().is_empty());
            if next.is_none_or(|n| !n.starts_with(' ')) {
                lines[i].push_str(" []");
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Drops a field line and, for a block value, the lines indented under it.
fn drop_field(item: &mut Vec<&str>, indent: usize, name: &str) {
    let prefix = format!("{}{name}:", " ".repeat(indent));
    if let Some(start) = item.iter().position(|l| l.starts_with(prefix.as_str())) {
        let mut end = start + 1;
        while end < item.len() && item[end].starts_with(&" ".repeat(indent + 1)) {
            end += 1;
        }
        item.drain(start..end);
    }
}

fn set_field<'a>(item: &mut [&'a str], indent: usize, name: &str, line: &'a str) {
    let prefix = format!("{}{name}:", " ".repeat(indent));
    if let Some(l) = item.iter_mut().find(|l| l.starts_with(prefix.as_str())) {
        *l = line;
    }
}

/// The milestones file as of `day`.
fn milestones_at(text: &str, day: NaiveDate) -> String {
    let mut parts = parts(text);
    for p in &mut parts {
        let Part::Item(item) = p else { continue };
        let started = field(item, 4, "started").and_then(date);
        let completed = field(item, 4, "completed").and_then(date);
        let status = field(item, 4, "status").unwrap_or("planned");
        let done_later = completed.is_some_and(|c| c > day);
        let started_later = started.is_some_and(|s| s > day);
        if done_later {
            drop_field(item, 4, "completed");
            drop_field(item, 4, "outcome");
        }
        if (done_later || status == "in_progress") && (started_later || started.is_none()) {
            set_field(item, 4, "status", "    status: planned");
            drop_field(item, 4, "started");
            drop_field(item, 4, "eta");
        } else if done_later {
            set_field(item, 4, "status", "    status: in_progress");
        }
    }
    join(&parts)
}

/// Whether the date in `name` of a list item is after `day`.
fn after(item: &[&str], name: &str, day: NaiveDate) -> bool {
    field(item, 4, name).and_then(date).is_some_and(|d| d > day)
}

/// The items of a list file raised by `day` (those without `raised` stay).
fn raised_by(text: &str, day: NaiveDate) -> Vec<Part<'_>> {
    let mut parts = parts(text);
    parts.retain(|p| match p {
        Part::Item(item) => !after(item, "raised", day),
        Part::Line(_) => true,
    });
    parts
}

/// The RAID log as of `day`: entries raised later left out, deliveries and resolutions
/// after `day` undone.
fn raid_at(text: &str, day: NaiveDate) -> String {
    let mut parts = raised_by(text, day);
    for p in &mut parts {
        let Part::Item(item) = p else { continue };
        if after(item, "delivered", day) {
            drop_field(item, 4, "delivered");
            set_field(item, 4, "status", "    status: committed");
        }
        if after(item, "resolved", day) {
            drop_field(item, 4, "resolved");
            let escalated = field(item, 4, "escalated_on")
                .and_then(date)
                .is_some_and(|d| d <= day);
            set_field(
                item,
                4,
                "status",
                if escalated {
                    "    status: escalated"
                } else {
                    "    status: open"
                },
            );
        }
    }
    join(&parts)
}

/// The decision log as of `day`.
fn decisions_at(text: &str, day: NaiveDate) -> String {
    let mut parts = raised_by(text, day);
    for p in &mut parts {
        let Part::Item(item) = p else { continue };
        if after(item, "decided", day) {
            for f in ["decided", "decided_by", "outcome", "rationale"] {
                drop_field(item, 4, f);
            }
            set_field(item, 4, "status", "    status: proposed");
        }
    }
    join(&parts)
}

/// A charter as of `day`: not yet done before its last milestone was completed, no
/// retrospective before it was held, no validation before it happened.
fn charter_at(text: &str, day: NaiveDate, finished: Option<NaiveDate>) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    if finished.is_some_and(|f| f > day) && lines.contains(&"status: done") {
        for l in &mut lines {
            if *l == "status: done" {
                *l = "status: active";
            }
        }
    }
    // Success metrics validated later: no actual, no validation.
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with("  - metric:") {
            let mut end = i + 1;
            while end < lines.len() && lines[end].starts_with("    ") {
                end += 1;
            }
            let item = &lines[i..end];
            let later = field(item, 4, "validated")
                .and_then(date)
                .is_some_and(|v| v > day);
            out.extend(item.iter().filter(|l| {
                !(later && (l.starts_with("    actual:") || l.starts_with("    validated:")))
            }));
            i = end;
            continue;
        }
        if l == "retrospectives:" {
            let mut end = i + 1;
            while end < lines.len() && (lines[end].starts_with(' ') || lines[end].is_empty()) {
                end += 1;
            }
            let held: Vec<NaiveDate> = lines[i..end]
                .iter()
                .filter_map(|l| l.trim().strip_prefix("held:").and_then(date))
                .collect();
            if held.iter().all(|h| *h > day) {
                i = end;
                continue;
            }
        }
        out.push(l);
        i += 1;
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// scorecard.yaml as of `day`: measurements taken later left out.
fn scorecard_at(text: &str, day: NaiveDate) -> String {
    let mut out = String::new();
    for l in text.lines() {
        let later = l
            .trim()
            .strip_prefix("- {date:")
            .and_then(date)
            .is_some_and(|d| d > day);
        if !later {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// Applies the target moves that had not happened by `day`.
fn moves_at(path: &str, text: String, day: NaiveDate) -> String {
    let mut text = text;
    for m in MOVES.iter().filter(|m| m.file == path) {
        let when = NaiveDate::from_ymd_opt(m.day.0, m.day.1, m.day.2).unwrap_or(day);
        if day >= when {
            continue;
        }
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let (indent, range) = match m.item {
            None => (0, 0..lines.len()),
            Some(id) => {
                let start = lines
                    .iter()
                    .position(|l| l == &format!("  - id: {id}"))
                    .unwrap_or(lines.len());
                let end = lines[start.min(lines.len())..]
                    .iter()
                    .skip(1)
                    .position(|l| l.starts_with("  - ") || !l.starts_with(' ') && !l.is_empty())
                    .map_or(lines.len(), |p| start + 1 + p);
                (4, start..end)
            }
        };
        let prefix = format!("{}{}:", " ".repeat(indent), m.field);
        if let Some(l) = lines[range].iter_mut().find(|l| l.starts_with(&prefix)) {
            *l = format!("{prefix} {}", m.before);
        }
        text = lines.join("\n");
        text.push('\n');
    }
    text
}

/// The last completion of each program (`programs/<id>`), from its milestones file.
fn finishes(files: &BTreeMap<String, String>) -> BTreeMap<String, NaiveDate> {
    files
        .iter()
        .filter_map(|(path, text)| {
            let program = path.strip_suffix("/milestones.yaml")?;
            let last = text
                .lines()
                .filter_map(|l| l.strip_prefix("    completed:").and_then(date))
                .max()?;
            Some((program.to_owned(), last))
        })
        .collect()
}

/// The example's files as they were at the end of `day`.
pub fn files_at(files: &BTreeMap<String, String>, day: NaiveDate) -> BTreeMap<String, String> {
    let finished = finishes(files);
    files
        .iter()
        .map(|(path, text)| {
            let name = path.rsplit('/').next().unwrap_or(path);
            let program = path.rsplit_once('/').map_or("", |(dir, _)| dir);
            let then = match name {
                "milestones.yaml" => milestones_at(text, day),
                "raid.yaml" => raid_at(text, day),
                "decisions.yaml" => decisions_at(text, day),
                "program.yaml" => charter_at(text, day, finished.get(program).copied()),
                "scorecard.yaml" => scorecard_at(text, day),
                _ => text.clone(),
            };
            (path.clone(), moves_at(path, then, day))
        })
        .collect()
}

fn read_tree(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type()?.is_dir() {
            read_tree(&entry.path(), &rel, out)?;
        } else if Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        {
            out.insert(rel, std::fs::read_to_string(entry.path())?);
        }
    }
    Ok(())
}

fn git(repo: &Path, args: &[&str], env: &[(&str, String)]) -> io::Result<bool> {
    let status = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()?;
    Ok(status.success())
}

/// Writes the history of the example at `example` into a new git repository at `out`, the
/// portfolio in its `acme/` folder: a commit each Monday from 2026-06-01 that changes
/// something, then the example itself on `last` (its as-of date). Returns the number of
/// commits.
///
/// # Errors
/// When the example cannot be read, `out` cannot be written, or `git` fails.
pub fn write_history(example: &Path, out: &Path, last: NaiveDate) -> io::Result<usize> {
    let mut files = BTreeMap::new();
    read_tree(example, "", &mut files)?;
    std::fs::create_dir_all(out)?;
    if !git(out, &["init", "-q", "-b", "main"], &[])? {
        return Err(io::Error::other("git init failed"));
    }
    let portfolio = out.join("acme");
    let mut day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or(last);
    let mut commits = 0usize;
    loop {
        let final_commit = day >= last;
        let state = if final_commit {
            files.clone()
        } else {
            files_at(&files, day)
        };
        if portfolio.exists() {
            std::fs::remove_dir_all(&portfolio)?;
        }
        for (path, text) in &state {
            let target = portfolio.join(path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(target, text)?;
        }
        git(out, &["add", "-A"], &[])?;
        let unchanged = git(out, &["diff", "--cached", "--quiet"], &[])?;
        if !unchanged {
            let (name, email) = AUTHORS[commits % AUTHORS.len()];
            let message = MOVES
                .iter()
                .find(|m| NaiveDate::from_ymd_opt(m.day.0, m.day.1, m.day.2) == Some(day))
                .map_or_else(
                    || {
                        if final_commit {
                            format!("Weekly plan of record, {day}\n")
                        } else {
                            format!("Weekly plan update, week of {day}\n")
                        }
                    },
                    |m| m.message.to_owned(),
                );
            let when = format!("{day}T17:00:00+00:00");
            let env = [
                ("GIT_AUTHOR_NAME", name.to_owned()),
                ("GIT_AUTHOR_EMAIL", email.to_owned()),
                ("GIT_AUTHOR_DATE", when.clone()),
                ("GIT_COMMITTER_NAME", name.to_owned()),
                ("GIT_COMMITTER_EMAIL", email.to_owned()),
                ("GIT_COMMITTER_DATE", when),
            ];
            if !git(out, &["commit", "-q", "-m", &message], &env)? {
                return Err(io::Error::other("git commit failed"));
            }
            commits += 1;
        }
        if final_commit {
            break;
        }
        day = (day + Duration::days(7)).min(last);
    }
    Ok(commits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_milestone_completed_later_was_in_progress_or_planned() {
        let text = "milestones:\n  - id: M1\n    title: A\n    status: done\n    started: 2026-09-01\n    completed: 2026-09-14\n    outcome:\n      launched: 2026-09-14\n  - id: M2\n    title: B\n    status: in_progress\n    started: 2026-10-01\n    eta: 2026-10-20\n";
        let early = milestones_at(text, d("2026-08-20"));
        assert!(!early.contains("completed"), "{early}");
        assert!(!early.contains("outcome"), "{early}");
        assert!(!early.contains("started"), "{early}");
        assert!(!early.contains("eta"), "{early}");
        assert_eq!(early.matches("status: planned").count(), 2, "{early}");
        let middle = milestones_at(text, d("2026-09-07"));
        assert!(
            middle.contains("status: in_progress\n    started: 2026-09-01"),
            "{middle}"
        );
        assert_eq!(milestones_at(text, d("2026-11-01")), text);
    }

    #[test]
    fn raid_entries_raised_later_are_left_out_and_an_empty_list_stays_a_list() {
        let text = "risks:\n  - id: R-1\n    title: A\n    raised: 2026-10-01\nissues:\n  - id: I-1\n    title: B\n    status: resolved\n    raised: 2026-08-01\n    escalated_on: 2026-08-02\n    resolved: 2026-08-09\n";
        let then = raid_at(text, d("2026-08-05"));
        assert!(then.starts_with("risks: []\nissues:\n"), "{then}");
        assert!(then.contains("status: escalated"), "{then}");
        assert!(!then.contains("resolved:"), "{then}");
    }

    #[test]
    fn a_target_move_shows_the_earlier_value_before_its_day() {
        let text = "milestones:\n  - id: M10\n    title: GA\n    target: 2027-06-04\n".to_owned();
        let before = moves_at(
            "programs/checkout-v2/milestones.yaml",
            text.clone(),
            d("2026-09-28"),
        );
        assert!(before.contains("target: 2027-05-21"), "{before}");
        let after = moves_at(
            "programs/checkout-v2/milestones.yaml",
            text.clone(),
            d("2026-10-05"),
        );
        assert_eq!(after, text);
    }
}
