//! One mistake gives one message: single-value corruptions of `examples/acme`.
//!
//! For every file of the clean example portfolio, a deterministic sample of its scalar
//! values is corrupted one at a time — replaced by a value of the wrong shape (a mapping
//! where a scalar belongs) — and the portfolio is loaded and checked (every rule, the plan,
//! no git). Each corruption must add exactly one error-level finding, located on the line
//! of the corrupted value, and must not drop anything else: the rest of the file loads.

use std::path::{Path, PathBuf};

use milepost_load::yaml::{self, Node, Value};
use milepost_load::{FileSet, Severity};

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme")
}

/// Every `.yaml` file under the example, as (portfolio-relative path, text).
fn files() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::path);
        for e in entries {
            let path = e.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|x| x == "yaml") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&acme(), &acme(), &mut out);
    out
}

/// The scalar values of a tree that sit on one line, as (line, column, length), in order.
fn scalars(node: &Node, out: &mut Vec<(u32, u32, u32)>) {
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| scalars(n, out)),
        Value::Map(entries) => entries.iter().for_each(|e| scalars(&e.value, out)),
        Value::Null => {}
        _ if node.span.len > 0 => out.push((node.span.line, node.span.column, node.span.len)),
        _ => {}
    }
}

/// Errors of the portfolio made of `files`: (rule, file, line, message).
fn errors(files: &[(String, String)]) -> Vec<(String, String, u32, String)> {
    let set = FileSet::from_memory(
        files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes())),
    );
    let portfolio = milepost_load::load(set);
    let session = milepost_session::Session::from_portfolio(portfolio, None, &[]).unwrap();
    session
        .findings()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let (file, line) = d
                .location
                .as_ref()
                .map_or((String::new(), 0), |l| (l.file.to_string(), l.span.line));
            (d.rule.to_owned(), file, line, d.message.clone())
        })
        .collect()
}

/// Replaces the `len` characters at `line:column` (1-based) with `with`.
fn replace(text: &str, line: u32, column: u32, len: u32, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let chars: Vec<char> = l.chars().collect();
            let start = (column - 1) as usize;
            let end = start + len as usize;
            out.extend(&chars[..start]);
            out.push_str(with);
            out.extend(&chars[end..]);
        } else {
            out.push_str(l);
        }
    }
    out
}

#[test]
fn every_single_value_corruption_adds_exactly_one_error_on_its_line() {
    let clean = files();
    assert!(
        errors(&clean).is_empty(),
        "examples/acme checks clean: {:?}",
        errors(&clean)
    );
    let mut tried = 0;
    let mut failures = Vec::new();
    for (index, (path, text)) in clean.iter().enumerate() {
        let tree = yaml::parse(text, yaml::Limits::default()).unwrap().unwrap();
        let mut values = Vec::new();
        scalars(&tree, &mut values);
        // A deterministic sample: about a dozen values spread over each file.
        let step = (values.len() / 12).max(1);
        for &(line, column, len) in values.iter().skip(index % step).step_by(step) {
            let mut files = clean.clone();
            files[index].1 = replace(text, line, column, len, "{bad: 1}");
            let found = errors(&files);
            tried += 1;
            let on_line = found.iter().filter(|e| e.1 == *path && e.2 == line).count();
            if found.len() != 1 || on_line != 1 {
                failures.push(format!(
                    "{path}:{line}:{column} `{}` → {} errors: {found:#?}",
                    text.lines().nth(line as usize - 1).unwrap_or("").trim(),
                    found.len()
                ));
            }
        }
    }
    assert!(tried >= 300, "only {tried} corruptions");
    assert!(
        failures.is_empty(),
        "{} of {tried} corruptions did not give exactly one error on their line:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_bad_holiday_costs_that_holiday_only() {
    let clean = files();
    let load = |files: &[(String, String)]| {
        milepost_load::load(FileSet::from_memory(
            files
                .iter()
                .map(|(p, t)| (p.clone(), t.clone().into_bytes())),
        ))
    };
    let before = load(&clean);
    let mut files = clean.clone();
    let settings = files
        .iter_mut()
        .find(|(p, _)| p == "milepost.yaml")
        .unwrap();
    settings.1 = settings
        .1
        .replacen("date: 2026-09-07", "date: 09/07/2026", 1);
    let after = load(&files);
    let errors: Vec<_> = errors(&files);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].0, "schema");
    assert_eq!((errors[0].1.as_str(), errors[0].2), ("milepost.yaml", 10));
    let (b, a) = (&before.settings, &after.settings);
    assert_eq!(a.calendar.holidays.len(), b.calendar.holidays.len() - 1);
    assert_eq!(a.gates.len(), b.gates.len());
    assert_eq!(a.as_of, b.as_of);
    assert_eq!(a.name, b.name);
}

#[test]
fn a_duplicate_key_is_one_error_and_the_first_occurrence_stands() {
    let mut files = files();
    let (_, text) = files
        .iter_mut()
        .find(|(p, _)| p == "programs/ledger/milestones.yaml")
        .unwrap();
    let owner_at = text.find("    owner:").unwrap();
    let line_end = owner_at + text[owner_at..].find('\n').unwrap() + 1;
    text.insert_str(line_end, "    owner: nobody-at-all\n");
    let line = text[..line_end].lines().count() as u32 + 1;
    let found = errors(&files);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "yaml");
    assert_eq!(found[0].2, line);
    let portfolio = milepost_load::load(FileSet::from_memory(
        files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes())),
    ));
    let ledger = portfolio.program("ledger").unwrap();
    let clean = milepost_load::load_dir(&acme()).unwrap();
    assert_eq!(
        ledger.milestones.len(),
        clean.program("ledger").unwrap().milestones.len(),
        "every milestone still loads"
    );
    assert_ne!(
        ledger.milestones[0]
            .owner
            .as_ref()
            .map(milepost_model::PersonRef::as_str),
        Some("nobody-at-all")
    );
}
