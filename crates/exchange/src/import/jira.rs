//! Jira's CSV export (`--from jira-csv`), with an optional mapping file.
//!
//! Every issue becomes a milestone of the program (its id: the `milepost:<program>/<id>`
//! label when an earlier milepost export put one there, else the issue key), except the epic
//! labelled `milepost:<program>` (a milepost export's program row: it names the program, its
//! owner and target) and issue types mapped to `skip`. Links:
//!
//! - `A blocks B` (`Outward issue link (Blocks)` on A, or `Inward issue link (Blocks)` on B):
//!   B depends on A;
//! - a parent (`Parent`, `Parent id` or the epic link): the parent depends on its children, so
//!   an epic finishes when its issues do.
//!
//! `Original Estimate` (seconds) becomes the duration (8 hours a work day, rounded up); `Due
//! date` the target; `Resolved` the completion date of done work; a start date column the
//! `started` of work in progress. Statuses, issue types and people are mapped through the
//! mapping file, whose defaults cover Jira's standard workflow.
//!
//! The mapping file (YAML) renames columns and maps values:
//!
//! ```yaml
//! columns:             # logical column: the header in your export (or a list of them)
//!   due: Target date
//! statuses:            # Jira status: planned | in_progress | done | cancelled
//!   Ready for QA: in_progress
//! types:               # issue type: milestone | launch | skip
//!   Sub-task: skip
//!   Release: launch
//! people:              # the name in Jira: the id in people.yaml
//!   Dana Scully: dana-s
//! date_format: "%d.%m.%Y"   # when dates are in neither ISO nor Jira's default form
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

use milepost_load::yaml::{self, Node, Value as Yaml};
use serde_json::Value;

use super::{Imported, ImportedMilestone, People, Row, days, parse_date, read_table, valid_id};
use crate::SourceProblem;

/// The logical columns and the headers Jira uses for them, in order of preference.
const COLUMNS: &[(&str, &[&str])] = &[
    ("key", &["Issue key", "Key"]),
    ("issue_id", &["Issue id", "Issue Id", "Issue ID"]),
    ("summary", &["Summary"]),
    ("type", &["Issue Type", "Issue type"]),
    ("status", &["Status"]),
    ("assignee", &["Assignee"]),
    ("due", &["Due date", "Due Date"]),
    (
        "start",
        &["Start date", "Start Date", "Custom field (Start date)"],
    ),
    ("resolved", &["Resolved"]),
    ("estimate", &["Original Estimate", "Original estimate"]),
    (
        "parent",
        &[
            "Parent",
            "Parent id",
            "Parent Id",
            "Parent ID",
            "Custom field (Epic Link)",
            "Epic Link",
        ],
    ),
    ("blocks", &["Outward issue link (Blocks)"]),
    ("blocked_by", &["Inward issue link (Blocks)"]),
    ("labels", &["Labels"]),
];

/// Jira's standard statuses.
const STATUSES: &[(&str, &str)] = &[
    ("to do", "planned"),
    ("open", "planned"),
    ("backlog", "planned"),
    ("selected for development", "planned"),
    ("new", "planned"),
    ("in progress", "in_progress"),
    ("in review", "in_progress"),
    ("in development", "in_progress"),
    ("done", "done"),
    ("closed", "done"),
    ("resolved", "done"),
    ("won't do", "cancelled"),
    ("cancelled", "cancelled"),
    ("canceled", "cancelled"),
];

/// A mapping file, read.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Logical column → the headers to look for.
    pub columns: BTreeMap<String, Vec<String>>,
    /// Jira status (lower case) → milestone status.
    pub statuses: BTreeMap<String, String>,
    /// Issue type (lower case) → `milestone`, `launch` or `skip`.
    pub types: BTreeMap<String, String>,
    /// Name in Jira → person id.
    pub people: BTreeMap<String, String>,
    /// A custom date format.
    pub date_format: Option<String>,
}

fn at(node: &Node) -> (u32, u32) {
    (node.span.line, node.span.column)
}

fn string_of(node: &Node) -> Option<String> {
    match &node.value {
        Yaml::Str(s) => Some(s.clone()),
        Yaml::Int(i) => Some(i.to_string()),
        Yaml::Float(f) => Some(f.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Mapping {
    /// Reads a mapping file; problems are located in it.
    pub fn parse(text: &str) -> Result<Mapping, Vec<SourceProblem>> {
        let node = match yaml::parse(text, yaml::Limits::default()) {
            Ok(Some(n)) => n,
            Ok(None) => return Ok(Mapping::default()),
            Err(e) => {
                return Err(vec![SourceProblem::error(
                    e.span.line,
                    e.span.column,
                    e.message,
                    e.hint,
                )]);
            }
        };
        let mut mapping = Mapping::default();
        let mut problems = Vec::new();
        let Yaml::Map(entries) = &node.value else {
            let (l, c) = at(&node);
            return Err(vec![SourceProblem::error(
                l,
                c,
                "a mapping file is a YAML mapping",
                Some("its keys are columns, statuses, types, people and date_format".to_owned()),
            )]);
        };
        let pairs = |n: &Node, problems: &mut Vec<SourceProblem>| -> Vec<(String, Node)> {
            match &n.value {
                Yaml::Map(e) => e.iter().map(|e| (e.key.clone(), e.value.clone())).collect(),
                Yaml::Null => Vec::new(),
                _ => {
                    let (l, c) = at(n);
                    problems.push(SourceProblem::error(
                        l,
                        c,
                        "expected a mapping of `from: to` pairs",
                        None,
                    ));
                    Vec::new()
                }
            }
        };
        for entry in entries {
            let (kl, kc) = (entry.key_span.line, entry.key_span.column);
            match entry.key.as_str() {
                "columns" => {
                    for (key, value) in pairs(&entry.value, &mut problems) {
                        if !COLUMNS.iter().any(|(k, _)| *k == key) {
                            let (l, c) = at(&value);
                            problems.push(SourceProblem::error(
                                l,
                                c.saturating_sub(key.len() as u32 + 2).max(1),
                                format!("`{key}` is not a column milepost reads"),
                                Some(format!(
                                    "the columns are: {}",
                                    COLUMNS
                                        .iter()
                                        .map(|(k, _)| *k)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )),
                            ));
                            continue;
                        }
                        let headers = match &value.value {
                            Yaml::Seq(items) => items.iter().filter_map(string_of).collect(),
                            _ => string_of(&value).into_iter().collect(),
                        };
                        mapping.columns.insert(key, headers);
                    }
                }
                "statuses" | "types" => {
                    let (allowed, what, target): (&[&str], _, _) = if entry.key == "statuses" {
                        (
                            &["planned", "in_progress", "done", "cancelled"],
                            "a milestone status",
                            &mut mapping.statuses,
                        )
                    } else {
                        (
                            &["milestone", "launch", "skip"],
                            "an issue-type mapping",
                            &mut mapping.types,
                        )
                    };
                    for (key, value) in pairs(&entry.value, &mut problems) {
                        let v = string_of(&value).unwrap_or_default();
                        if allowed.contains(&v.as_str()) {
                            target.insert(key.to_lowercase(), v);
                        } else {
                            let (l, c) = at(&value);
                            problems.push(SourceProblem::error(
                                l,
                                c,
                                format!("`{v}` is not {what}"),
                                Some(format!("map to {}", allowed.join(", "))),
                            ));
                        }
                    }
                }
                "people" => {
                    for (key, value) in pairs(&entry.value, &mut problems) {
                        if let Some(v) = string_of(&value).filter(|v| valid_id(v)) {
                            mapping.people.insert(key, v);
                        } else {
                            let (l, c) = at(&value);
                            problems.push(SourceProblem::error(
                                l,
                                c,
                                "expected a person id from people.yaml",
                                None,
                            ));
                        }
                    }
                }
                "date_format" => mapping.date_format = string_of(&entry.value),
                other => problems.push(SourceProblem::error(
                    kl,
                    kc,
                    format!("`{other}` is not a mapping section"),
                    Some(
                        "the sections are columns, statuses, types, people and date_format"
                            .to_owned(),
                    ),
                )),
            }
        }
        if problems.is_empty() {
            Ok(mapping)
        } else {
            Err(problems)
        }
    }
}

/// Reads a Jira CSV export into `program`.
pub fn read(text: &str, program: &str, mapping: &Mapping, people: &People) -> Imported {
    let mut out = Imported::default();
    let table = match read_table(text) {
        Ok(t) => t,
        Err(p) => {
            out.problems.push(p);
            return out;
        }
    };
    // Logical column → every index with that header (links repeat their column).
    let mut columns: HashMap<&str, Vec<usize>> = HashMap::new();
    for (logical, defaults) in COLUMNS {
        let wanted: Vec<String> = mapping.columns.get(*logical).map_or_else(
            || defaults.iter().map(|d| (*d).to_owned()).collect(),
            Clone::clone,
        );
        for name in &wanted {
            let found: Vec<usize> = table
                .header
                .iter()
                .enumerate()
                .filter(|(_, h)| h.eq_ignore_ascii_case(name))
                .map(|(i, _)| i)
                .collect();
            if !found.is_empty() {
                columns.insert(logical, found);
                break;
            }
        }
        if mapping.columns.contains_key(*logical) && !columns.contains_key(logical) {
            out.problems.push(SourceProblem::error(
                1,
                1,
                format!(
                    "the mapping names `{}` for `{logical}`, and the header has no such column",
                    wanted.join("` or `")
                ),
                Some(format!("the columns are: {}", table.header.join(", "))),
            ));
        }
    }
    if !columns.contains_key("summary")
        || !(columns.contains_key("key") || columns.contains_key("issue_id"))
    {
        out.problems.push(SourceProblem::error(
            1,
            1,
            "the header has no `Summary` and `Issue key` (or `Issue id`) columns",
            Some("export from Jira with all fields, or name your columns in a mapping file (`columns: {key: …, summary: …}`)".to_owned()),
        ));
        return out;
    }
    let cell = |row: &Row, name: &str| -> Option<(String, (u32, u32))> {
        let i = *columns.get(name)?.first()?;
        let v = row.fields.get(i)?.trim();
        (!v.is_empty()).then(|| (v.to_owned(), row.place(i)))
    };
    let cells = |row: &Row, name: &str| -> Vec<(String, (u32, u32))> {
        columns.get(name).map_or_else(Vec::new, |idx| {
            idx.iter()
                .filter_map(|&i| {
                    let v = row.fields.get(i)?.trim();
                    (!v.is_empty()).then(|| (v.to_owned(), row.place(i)))
                })
                .collect()
        })
    };
    let prefix = format!("milepost:{program}/");
    // Pass 1: the id of every row, and every name it goes by (key, issue id).
    let mut ids: Vec<Option<String>> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut skipped: HashSet<String> = HashSet::new();
    for (n, row) in table.rows.iter().enumerate() {
        let kind = cell(row, "type").map(|(t, _)| {
            mapping
                .types
                .get(&t.to_lowercase())
                .cloned()
                .unwrap_or_else(|| "milestone".to_owned())
        });
        let key = cell(row, "key");
        let issue_id = cell(row, "issue_id");
        let label_id = cells(row, "labels")
            .into_iter()
            .flat_map(|(l, _)| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .find_map(|l| l.strip_prefix(&prefix).map(str::to_owned));
        let program_row = cells(row, "labels").iter().any(|(l, _)| {
            l.split_whitespace()
                .any(|l| l == format!("milepost:{program}"))
        });
        if program_row {
            // The epic a milepost export wrote for the program itself.
            out.program.name = cell(row, "summary").map(|(s, _)| s);
            out.program.owner = cell(row, "assignee").and_then(|(a, _)| people.resolve(&a));
            out.program.target =
                cell(row, "due").and_then(|(d, _)| parse_date(&d, mapping.date_format.as_deref()));
            out.program.start = cell(row, "start")
                .and_then(|(d, _)| parse_date(&d, mapping.date_format.as_deref()));
            for (name, _) in key.iter().chain(issue_id.iter()) {
                skipped.insert(name.clone());
            }
            ids.push(None);
            continue;
        }
        if kind.as_deref() == Some("skip") {
            for (name, _) in key.iter().chain(issue_id.iter()) {
                skipped.insert(name.clone());
            }
            ids.push(None);
            continue;
        }
        let id = label_id
            .or_else(|| key.as_ref().map(|(k, _)| k.clone()))
            .or_else(|| {
                issue_id.as_ref().map(|(i, _)| {
                    if i.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                        i.clone()
                    } else {
                        format!("I{i}")
                    }
                })
            });
        let (line, col) = key
            .as_ref()
            .or(issue_id.as_ref())
            .map_or((row.line, 1), |(_, p)| *p);
        let Some(id) = id.filter(|i| valid_id(i)) else {
            out.problems.push(SourceProblem::error(
                line,
                col,
                "this row has no usable issue key",
                Some("every issue needs a key such as PAY-12: it is the milestone's id".to_owned()),
            ));
            ids.push(None);
            continue;
        };
        if ids.iter().flatten().any(|i| *i == id) {
            out.problems.push(SourceProblem::error(
                line,
                col,
                format!("the issue `{id}` appears twice"),
                None,
            ));
            ids.push(None);
            continue;
        }
        for (name, _) in key.iter().chain(issue_id.iter()) {
            by_name.insert(name.clone(), n);
        }
        ids.push(Some(id));
    }
    // Pass 2: fields and links.
    let mut deps: Vec<Vec<String>> = vec![Vec::new(); table.rows.len()];
    let resolve = |name: &str,
                   place: (u32, u32),
                   header: &str,
                   problems: &mut Vec<SourceProblem>|
     -> Option<usize> {
        match by_name.get(name) {
            Some(&n) if ids[n].is_some() => Some(n),
            _ if skipped.contains(name) => None,
            _ => {
                problems.push(SourceProblem::error(
                    place.0,
                    place.1,
                    format!("`{header}` names `{name}`, which is not an issue of this export"),
                    Some("export the linked issue too, or remove the link in Jira".to_owned()),
                ));
                None
            }
        }
    };
    for (n, row) in table.rows.iter().enumerate() {
        if ids[n].is_none() {
            continue;
        }
        for (name, place) in cells(row, "blocked_by") {
            if let Some(p) = resolve(
                &name,
                place,
                "Inward issue link (Blocks)",
                &mut out.problems,
            ) && let Some(id) = &ids[p]
            {
                deps[n].push(id.clone());
            }
        }
        for (name, place) in cells(row, "blocks") {
            if let Some(s) = resolve(
                &name,
                place,
                "Outward issue link (Blocks)",
                &mut out.problems,
            ) && let Some(id) = ids[n].clone()
            {
                deps[s].push(id);
            }
        }
        if let Some((name, place)) = cell(row, "parent")
            && let Some(p) = resolve(&name, place, "Parent", &mut out.problems)
            && let Some(id) = ids[n].clone()
        {
            deps[p].push(id);
        }
    }
    // One epic: the program's name and owner.
    let epics: Vec<&Row> = table
        .rows
        .iter()
        .enumerate()
        .filter(|(n, row)| {
            ids[*n].is_some()
                && cell(row, "type").is_some_and(|(t, _)| t.eq_ignore_ascii_case("epic"))
        })
        .map(|(_, row)| row)
        .collect();
    if let [epic] = epics.as_slice()
        && out.program.name.is_none()
    {
        out.program.name = cell(epic, "summary").map(|(s, _)| s);
        out.program.owner = cell(epic, "assignee").and_then(|(a, _)| people.resolve(&a));
    }
    // What this export can say: title always, the rest by the columns it has.
    out.carried.insert("title");
    for (field, logical) in [
        ("owner", "assignee"),
        ("duration", "estimate"),
        ("target", "due"),
        ("status", "status"),
        ("started", "start"),
        ("completed", "resolved"),
    ] {
        if columns.contains_key(logical) {
            out.carried.insert(field);
        }
    }
    if ["blocks", "blocked_by", "parent"]
        .iter()
        .any(|c| columns.contains_key(c))
    {
        out.carried.insert("depends_on");
    }
    if !mapping.types.is_empty() || columns.contains_key("labels") {
        out.carried.insert("kind");
    }
    let date_format = mapping.date_format.as_deref();
    for (n, row) in table.rows.iter().enumerate() {
        let Some(id) = ids[n].clone() else { continue };
        let mut fields = BTreeMap::new();
        match cell(row, "summary") {
            Some((s, _)) => {
                fields.insert("title", Value::String(s));
            }
            None => out.problems.push(SourceProblem::error(
                row.line,
                1,
                format!("`{id}` has no summary"),
                None,
            )),
        }
        let launch_type = cell(row, "type").is_some_and(|(t, _)| {
            mapping.types.get(&t.to_lowercase()).map(String::as_str) == Some("launch")
        });
        // A milepost export labels launches `launch`.
        let launch_label = cells(row, "labels")
            .iter()
            .any(|(l, _)| l.split_whitespace().any(|l| l == "launch"));
        if launch_type || launch_label {
            fields.insert("kind", Value::String("launch".to_owned()));
        }
        if let Some((name, place)) = cell(row, "assignee") {
            match people.resolve(&name) {
                Some(p) => {
                    fields.insert("owner", Value::String(p));
                }
                None => {
                    out.unknown_people.entry(name).or_insert(place);
                }
            }
        }
        if let Some((e, (l, c))) = cell(row, "estimate") {
            match e.parse::<u64>() {
                Ok(seconds) => {
                    let d = seconds.div_ceil(8 * 3600).min(2500) as u32;
                    fields.insert("duration", days(d));
                }
                Err(_) => out.problems.push(SourceProblem::error(
                    l,
                    c,
                    format!("`{e}` is not an estimate in seconds"),
                    Some(
                        "Jira exports `Original Estimate` in seconds (28800 = one 8-hour day)"
                            .to_owned(),
                    ),
                )),
            }
        }
        let mut list = std::mem::take(&mut deps[n]);
        let mut seen = HashSet::new();
        list.retain(|d| seen.insert(d.clone()));
        if !list.is_empty() {
            fields.insert(
                "depends_on",
                Value::Array(list.into_iter().map(Value::String).collect()),
            );
        }
        let status = if let Some((s, (l, c))) = cell(row, "status") {
            {
                let key = s.to_lowercase();
                let found = mapping
                    .statuses
                    .get(&key)
                    .map(String::as_str)
                    .or_else(|| STATUSES.iter().find(|(k, _)| *k == key).map(|(_, v)| *v));
                if found.is_none() {
                    out.problems.push(SourceProblem::error(
                        l,
                        c,
                        format!("the status `{s}` has no milestone status"),
                        Some(format!(
                            "add it to the mapping file: `statuses: {{\"{s}\": in_progress}}` (planned, in_progress, done or cancelled)"
                        )),
                    ));
                }
                found.map(str::to_owned)
            }
        } else {
            None
        };
        let date = |name: &str, header: &str, out: &mut Imported| {
            let (d, (l, c)) = cell(row, name)?;
            let parsed = parse_date(&d, date_format);
            if parsed.is_none() {
                out.problems.push(SourceProblem::error(
                    l,
                    c,
                    format!("`{d}` in `{header}` is not a date"),
                    Some(match date_format {
                        Some(f) => format!("the mapping's date_format is `{f}`"),
                        None => "dates are read as YYYY-MM-DD or Jira's 04/Dec/26 10:15 AM; set `date_format` in the mapping file for another form".to_owned(),
                    }),
                ));
            }
            parsed
        };
        if let Some(d) = date("due", "Due date", &mut out) {
            fields.insert("target", Value::String(d.to_string()));
        }
        let start = date("start", "Start date", &mut out);
        let resolved = date("resolved", "Resolved", &mut out);
        if let Some(s) = &status {
            fields.insert("status", Value::String(s.clone()));
            if s == "done"
                && let Some(d) = resolved
            {
                fields.insert("completed", Value::String(d.to_string()));
            }
            if (s == "in_progress" || s == "done")
                && let Some(d) = start
            {
                fields.insert("started", Value::String(d.to_string()));
            }
        }
        out.milestones.push(ImportedMilestone {
            id,
            line: row.line,
            fields,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_parents_and_bad_cells() {
        let text = "Summary,Issue key,Issue id,Issue Type,Status,Due date,Parent,Outward issue link (Blocks),Original Estimate\n\
                    Payments epic,PAY-1,100,Epic,In Progress,31/Mar/27 12:00 AM,,,\n\
                    Design,PAY-2,101,Story,Done,,100,PAY-3,144000\n\
                    Build,PAY-3,102,Story,To Do,2027-02-30,100,PAY-9,\n";
        let imported = read(text, "pay", &Mapping::default(), &People::default());
        let m: BTreeMap<&str, &ImportedMilestone> = imported
            .milestones
            .iter()
            .map(|m| (m.id.as_str(), m))
            .collect();
        assert_eq!(
            m["PAY-1"].fields["depends_on"],
            serde_json::json!(["PAY-2", "PAY-3"])
        );
        assert_eq!(
            m["PAY-3"].fields["depends_on"],
            serde_json::json!(["PAY-2"])
        );
        assert_eq!(m["PAY-2"].fields["duration"], "5d");
        assert_eq!(m["PAY-1"].fields["target"], "2027-03-31");
        let problems: Vec<String> = imported
            .problems
            .iter()
            .map(|p| format!("{}:{} {}", p.line, p.column, p.message))
            .collect();
        assert_eq!(
            problems,
            vec![
                "4:44 `Outward issue link (Blocks)` names `PAY-9`, which is not an issue of this export",
                "4:29 `2027-02-30` in `Due date` is not a date",
            ]
        );
    }

    #[test]
    fn mapping_problems_are_located() {
        let text = "columns:\n  due: Target\n  colour: X\nstatuses:\n  QA: testing\nextra: 1\n";
        let problems = Mapping::parse(text).unwrap_err();
        let at: Vec<(u32, u32)> = problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, vec![(3, 3), (5, 7), (6, 1)]);
    }
}
