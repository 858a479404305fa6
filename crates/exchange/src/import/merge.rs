//! Writing an import into a program folder, three ways.
//!
//! The join key is the milestone id. Beside `milestones.yaml` an import keeps a record,
//! `programs/<id>/.milepost-import.json`, of what the source said last time (hidden files are
//! not read as portfolio files). For each field an import owns ([`OWNED_FIELDS`]):
//!
//! | the source, since the last import | the file | result |
//! |---|---|---|
//! | unchanged | anything | the file's value is kept (a hand edit survives) |
//! | changed | unchanged, or already equal | the source's value |
//! | changed | changed by hand to something else | the file's value is kept; reported as a conflict |
//!
//! Without a record (the first import into an existing file) the source wins wherever it
//! differs. A field the source cannot express at all (`Imported::carried`: a CSV without a
//! `target` column, `kind` from MS Project) is never removed because the source lacks it.
//! Everything else is the TPM's and is kept: fields an import does not own (`estimate`,
//! `gate`, `readiness`…), milestones the source does not have, comments. A
//! milestone whose fields do not change is copied byte for byte, comments included; a changed
//! one is rewritten in place (its comments are lost; its other fields keep their order); new
//! milestones are appended. A milestone that was imported before and has since been deleted
//! from the file is not re-added: deleting it was a decision.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::NaiveDate;
use milepost_load::yaml::{self, Node, Value as Yaml};
use milepost_model::Duration;
use serde_json::{Map, Value, json};

use super::{Format, Imported, OWNED_FIELDS};

/// The name of the import record in a program folder.
pub const RECORD_FILE: &str = ".milepost-import.json";

/// What the program folder and the portfolio hold before the import.
#[derive(Debug, Clone, Default)]
pub struct Existing<'a> {
    /// `programs/<id>/milestones.yaml`, if it exists.
    pub milestones: Option<&'a str>,
    /// Whether `programs/<id>/program.yaml` exists.
    pub has_program: bool,
    /// `milepost.yaml`, if it exists.
    pub settings: Option<&'a str>,
    /// The record of the last import, if any.
    pub record: Option<&'a str>,
    /// The work days (Monday first) and holidays of the portfolio calendar.
    pub calendar: Option<([bool; 7], Vec<NaiveDate>)>,
}

/// How to write.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The program id.
    pub program: String,
    /// The format read.
    pub format: Option<Format>,
    /// The source file's name, for the record and the header comment.
    pub source: String,
    /// The `# yaml-language-server: $schema=…` line for a new file, without the schema file
    /// name (`../../schemas/`), if the portfolio has one.
    pub schema_dir: Option<String>,
    /// The owner of a new program (`--owner`), winning over the source's.
    pub owner: Option<String>,
    /// The name of a new program (`--name`), winning over the source's.
    pub name: Option<String>,
}

/// What happened to one milestone or field, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A field changed by hand and in the source: the hand edit was kept.
    Conflict {
        /// Milestone id.
        id: String,
        /// Field.
        field: String,
        /// The value kept (the file's).
        kept: String,
        /// The source's value.
        source: String,
    },
    /// Imported before, deleted from the file since: not re-added.
    DeletedByHand {
        /// Milestone id.
        id: String,
    },
    /// In the file from an earlier import, gone from the source: kept.
    GoneFromSource {
        /// Milestone id.
        id: String,
    },
    /// Holidays added to milepost.yaml.
    HolidaysAdded(Vec<NaiveDate>),
    /// The holidays could not be added to milepost.yaml by editing it; add them by hand.
    HolidaysNotAdded(Vec<NaiveDate>),
    /// The source's work week differs from the portfolio's.
    WorkWeekDiffers {
        /// The source's work days, Monday first.
        source: [bool; 7],
    },
    /// The existing file was not block style and was rewritten whole (comments lost).
    Rewritten,
}

/// The new file texts.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// The new `milestones.yaml`.
    pub milestones: String,
    /// A new `program.yaml`, when the program did not exist.
    pub program: Option<String>,
    /// A new `milepost.yaml`, when holidays were added.
    pub settings: Option<String>,
    /// The new import record.
    pub record: String,
    /// What the report should say beyond the diff.
    pub notes: Vec<Note>,
}

/// Why an import cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeError {
    /// Which file.
    pub file: &'static str,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for MergeError {}

/// An existing milestone: its id, the line range of its list item, and its node.
struct ExistingItem {
    id: String,
    first_line: usize,
    end_line: usize,
    node: Node,
}

/// Merges an import into the program's files.
pub fn merge(
    imported: &Imported,
    existing: &Existing<'_>,
    options: &Options,
) -> Result<Merged, MergeError> {
    let record = read_record(existing.record);
    let base: BTreeMap<String, Map<String, Value>> = record
        .get("milestones")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_object()?.clone())))
                .collect()
        })
        .unwrap_or_default();
    let has_record = existing.record.is_some();
    let mut notes = Vec::new();

    let (lines, items, indent, rewrite_all) = match existing.milestones {
        Some(text) => parse_existing(text)?,
        None => (Vec::new(), Vec::new(), 2, false),
    };
    if rewrite_all {
        notes.push(Note::Rewritten);
    }
    let by_id: BTreeMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let imported_ids: BTreeSet<&str> = imported.milestones.iter().map(|m| m.id.as_str()).collect();

    // Each existing item: verbatim (None) or rewritten (Some(entries)).
    let mut rewritten: Vec<Option<Vec<(String, Value)>>> = vec![None; items.len()];
    let mut appended: Vec<Vec<(String, Value)>> = Vec::new();
    for m in &imported.milestones {
        // Defaults are absent on both sides (`status: planned`, `kind: milestone`), as
        // `canonical` reads the file.
        let source: Map<String, Value> = m
            .fields
            .iter()
            .filter(|(k, v)| {
                !matches!(
                    (**k, v.as_str()),
                    ("status", Some("planned")) | ("kind", Some("milestone"))
                )
            })
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let Some(&index) = by_id.get(m.id.as_str()) else {
            if has_record && base.contains_key(&m.id) {
                notes.push(Note::DeletedByHand { id: m.id.clone() });
            } else {
                let mut entries = vec![("id".to_owned(), Value::String(m.id.clone()))];
                for field in OWNED_FIELDS {
                    if let Some(v) = source.get(*field) {
                        entries.push(((*field).to_owned(), v.clone()));
                    }
                }
                appended.push(entries);
            }
            continue;
        };
        let item = &items[index];
        let current = owned_of(&item.node);
        let previous = base.get(&m.id);
        let mut next = current.clone();
        for field in OWNED_FIELDS {
            let src = source.get(*field);
            let cur = current.get(*field);
            let was = previous.and_then(|p| p.get(*field));
            if src == cur || (src.is_none() && !imported.carried.contains(field)) {
                // Equal, or a field this source cannot express: the file's value stands.
                continue;
            }
            match previous {
                Some(_) if src == was => {} // the source did not change it: keep the file's
                Some(_) if cur != was => notes.push(Note::Conflict {
                    id: m.id.clone(),
                    field: (*field).to_owned(),
                    kept: cur.map_or_else(|| "(none)".to_owned(), show),
                    source: src.map_or_else(|| "(none)".to_owned(), show),
                }),
                _ => match src {
                    Some(v) => {
                        next.insert((*field).to_owned(), v.clone());
                    }
                    None => {
                        next.remove(*field);
                    }
                },
            }
        }
        if next != current || rewrite_all {
            rewritten[index] = Some(entries_with(&item.node, &next));
        }
    }
    for item in &items {
        if has_record && base.contains_key(&item.id) && !imported_ids.contains(item.id.as_str()) {
            notes.push(Note::GoneFromSource {
                id: item.id.clone(),
            });
        }
    }

    // The text.
    let mut out = String::new();
    if items.is_empty() && !rewrite_all {
        if lines.is_empty() {
            if let Some(dir) = &options.schema_dir {
                let _ = writeln!(
                    out,
                    "# yaml-language-server: $schema={dir}milestones.schema.json"
                );
            }
            let _ = writeln!(
                out,
                "# Imported from {} by `milepost import`. Re-running the import updates what the\n# source changed and keeps what you change here.",
                options.source
            );
            out.push_str(if appended.is_empty() {
                "milestones: []\n"
            } else {
                "milestones:\n"
            });
        } else {
            // A file without milestones: keep it, and make sure the list is there.
            let text = lines.concat();
            let has_key = yaml::parse(&text, yaml::Limits::default())
                .ok()
                .flatten()
                .and_then(|n| {
                    n.entry("milestones")
                        .map(|e| !matches!(e.value.value, Yaml::Seq(ref s) if !s.is_empty()))
                })
                .is_some();
            for line in &lines {
                if has_key && !appended.is_empty() && line.trim_start().starts_with("milestones:") {
                    out.push_str("milestones:\n");
                } else {
                    out.push_str(line);
                }
            }
            if !has_key {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(if appended.is_empty() {
                    "milestones: []\n"
                } else {
                    "milestones:\n"
                });
            }
        }
    } else if rewrite_all {
        out.push_str("milestones:\n");
    } else {
        out.push_str(&lines[..items[0].first_line].concat());
    }
    for (i, item) in items.iter().enumerate() {
        match &rewritten[i] {
            None if !rewrite_all => out.push_str(&lines[item.first_line..item.end_line].concat()),
            None => emit_item(
                &mut out,
                indent,
                &entries_with(&item.node, &owned_of(&item.node)),
            ),
            Some(entries) => {
                emit_item(&mut out, indent, entries);
                // Keep the blank lines and comments that lead to the next item.
                let range = &lines[item.first_line..item.end_line];
                let tail = range
                    .iter()
                    .rev()
                    .take_while(|l| {
                        let t = l.trim();
                        t.is_empty() || t.starts_with('#')
                    })
                    .count();
                out.push_str(&range[range.len() - tail..].concat());
            }
        }
    }
    for (n, entries) in appended.iter().enumerate() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        if (n > 0 || !items.is_empty()) && !out.ends_with("\n\n") && !out.ends_with(":\n") {
            out.push('\n');
        }
        emit_item(&mut out, indent, entries);
    }

    // Whatever follows the list (`parse_existing` ends the last item there).
    if !rewrite_all && let Some(last) = items.last() {
        let tail = lines[last.end_line..].concat();
        if !tail.is_empty() {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&tail);
        }
    }

    // The new record: what the source says now.
    let mut milestones = Map::new();
    for m in &imported.milestones {
        milestones.insert(
            m.id.clone(),
            Value::Object(
                m.fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.clone()))
                    .collect(),
            ),
        );
    }
    let record = json!({
        "about": "What `milepost import` read last time, so that a re-import updates what the source changed and keeps hand edits. Commit it with the program.",
        "format": options.format.map(Format::name),
        "source": options.source,
        "milestones": milestones,
    });
    let record = serde_json::to_string_pretty(&record).unwrap_or_default() + "\n";

    let program = (!existing.has_program).then(|| new_program(imported, options));
    let mut settings = None;
    if let Some((week, holidays)) = &existing.calendar {
        if let Some(source) = imported.workdays
            && source != *week
        {
            notes.push(Note::WorkWeekDiffers { source });
        }
        let missing: Vec<NaiveDate> = imported
            .holidays
            .iter()
            .filter(|h| !holidays.contains(h))
            .copied()
            .collect();
        if !missing.is_empty() {
            match add_holidays(existing.settings.unwrap_or(""), &missing) {
                Some(text) => {
                    settings = Some(text);
                    notes.push(Note::HolidaysAdded(missing));
                }
                None => notes.push(Note::HolidaysNotAdded(missing)),
            }
        }
    }
    Ok(Merged {
        milestones: out,
        program,
        settings,
        record,
        notes,
    })
}

fn read_record(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// A value as the report shows it.
pub fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// The lines of the file (with their line ends), its milestone items, their indentation and
/// whether the file must be rewritten whole (a flow-style list).
#[allow(clippy::type_complexity)]
fn parse_existing(text: &str) -> Result<(Vec<String>, Vec<ExistingItem>, usize, bool), MergeError> {
    let node = yaml::parse(text, yaml::Limits::default()).map_err(|e| MergeError {
        file: "milestones.yaml",
        message: format!(
            "line {} column {}: {} — fix the file (`milepost check`) before importing into it",
            e.span.line, e.span.column, e.message
        ),
    })?;
    let lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let Some(node) = node else {
        return Ok((lines, Vec::new(), 2, false));
    };
    let seq = match node.entry("milestones").map(|e| &e.value.value) {
        Some(Yaml::Seq(s)) => s.clone(),
        Some(Yaml::Null) | None => return Ok((lines, Vec::new(), 2, false)),
        Some(_) => {
            return Err(MergeError {
                file: "milestones.yaml",
                message: "`milestones` is not a list; fix the file before importing into it"
                    .to_owned(),
            });
        }
    };
    let mut items = Vec::new();
    let mut block = true;
    let mut indent = 2;
    for (i, item) in seq.iter().enumerate() {
        let id = item
            .child("id")
            .and_then(|n| match &n.value {
                Yaml::Str(s) => Some(s.clone()),
                Yaml::Int(i) => Some(i.to_string()),
                Yaml::Float(f) => Some(f.to_string()),
                _ => None,
            })
            .unwrap_or_default();
        let line = item.span.line as usize - 1;
        let col = item.span.column as usize - 1;
        let text_line = lines.get(line).map_or("", String::as_str);
        let before: String = text_line.chars().take(col).collect();
        let dash = before.trim_end();
        if !dash.ends_with('-') || !dash.trim_start().eq("-") {
            block = false;
        } else if i == 0 {
            indent = dash.chars().count() - 1;
        }
        items.push(ExistingItem {
            id,
            first_line: line,
            end_line: lines.len(),
            node: item.clone(),
        });
    }
    if !block {
        return Ok((lines, items, 2, true));
    }
    for i in 0..items.len().saturating_sub(1) {
        items[i].end_line = items[i + 1].first_line;
    }
    // The last item ends where the list does: at the first later line of content at or left
    // of the dash's column (anything after the list is kept as it is, after the new items).
    if let Some(last) = items.last_mut() {
        let end = (last.first_line + 1..lines.len())
            .find(|&l| {
                let t = lines[l].trim_start();
                !t.is_empty()
                    && !t.starts_with('#')
                    && lines[l].chars().take_while(|c| *c == ' ').count() <= indent
            })
            .unwrap_or(lines.len());
        last.end_line = end;
    }
    Ok((lines, items, indent, false))
}

/// The owned fields of an existing milestone, in canonical form.
fn owned_of(node: &Node) -> Map<String, Value> {
    let mut out = Map::new();
    let Yaml::Map(entries) = &node.value else {
        return out;
    };
    for e in entries {
        if !OWNED_FIELDS.contains(&e.key.as_str()) {
            continue;
        }
        let value = canonical(&e.key, &e.value);
        if let Some(v) = value {
            out.insert(e.key.clone(), v);
        }
    }
    out
}

/// The canonical value of an owned field as written in YAML.
fn canonical(field: &str, node: &Node) -> Option<Value> {
    let json = node.to_json();
    match (field, &json) {
        (_, Value::Null) => None,
        ("kind", Value::String(k)) if k == "milestone" => None,
        ("status", Value::String(s)) if s == "planned" => None,
        ("duration", Value::String(d)) => Some(
            Duration::parse(d).map_or(json.clone(), |d| Value::String(format!("{}d", d.days()))),
        ),
        ("duration", Value::Number(n)) => Some(Value::String(format!("{n}d"))),
        ("depends_on", Value::Array(a)) if a.is_empty() => None,
        ("depends_on", Value::String(_)) => Some(Value::Array(vec![json])),
        _ => Some(json),
    }
}

/// The entries of a rewritten item: the existing ones in order (owned ones replaced or
/// dropped), then owned fields that are new, placed after the last owned one.
fn entries_with(node: &Node, owned: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut entries: Vec<(String, Value)> = Vec::new();
    let mut last_owned = None;
    if let Yaml::Map(existing) = &node.value {
        for e in existing {
            if e.key == "id" {
                entries.push((e.key.clone(), e.value.to_json()));
                last_owned.get_or_insert(entries.len());
            } else if OWNED_FIELDS.contains(&e.key.as_str()) {
                if let Some(v) = owned.get(&e.key) {
                    entries.push((e.key.clone(), v.clone()));
                    last_owned = Some(entries.len());
                }
            } else {
                entries.push((e.key.clone(), e.value.to_json()));
            }
        }
    }
    let present: BTreeSet<String> = entries.iter().map(|(k, _)| k.clone()).collect();
    let mut at = last_owned.unwrap_or(entries.len());
    for field in OWNED_FIELDS {
        if present.contains(*field) {
            continue;
        }
        if let Some(v) = owned.get(*field) {
            entries.insert(at, ((*field).to_owned(), v.clone()));
            at += 1;
        }
    }
    entries
}

fn new_program(imported: &Imported, options: &Options) -> String {
    let mut out = String::new();
    if let Some(dir) = &options.schema_dir {
        let _ = writeln!(
            out,
            "# yaml-language-server: $schema={dir}program.schema.json"
        );
    }
    let _ = writeln!(
        out,
        "# Created by `milepost import` from {}. The charter is yours: add the sponsor,\n# objectives, scope and success metrics.",
        options.source
    );
    let name = options
        .name
        .clone()
        .or_else(|| imported.program.name.clone())
        .unwrap_or_else(|| options.program.clone());
    let _ = writeln!(out, "name: {}", scalar(&name));
    let active = imported.milestones.iter().any(|m| {
        m.fields
            .get("status")
            .and_then(Value::as_str)
            .is_some_and(|s| s == "in_progress" || s == "done")
    });
    let _ = writeln!(
        out,
        "status: {}",
        if active { "active" } else { "proposed" }
    );
    if let Some(owner) = options
        .owner
        .clone()
        .or_else(|| imported.program.owner.clone())
    {
        let _ = writeln!(out, "owner: {}", scalar(&owner));
    }
    if let Some(start) = imported.program.start {
        let _ = writeln!(out, "start: {start}");
    }
    if let Some(target) = imported.program.target {
        let _ = writeln!(out, "target: {target}");
    }
    out
}

/// Adds holidays to milepost.yaml's `calendar.holidays` by editing its text, or `None` when
/// the file is not in a shape this can do safely.
pub fn add_holidays(text: &str, dates: &[NaiveDate]) -> Option<String> {
    let node = yaml::parse(text, yaml::Limits::default()).ok()?;
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    if let Some(l) = lines.last_mut()
        && !l.ends_with('\n')
    {
        l.push('\n');
    }
    let list = |indent: usize| -> String {
        dates.iter().fold(String::new(), |mut out, d| {
            let _ = writeln!(out, "{:indent$}- {d}", "", indent = indent);
            out
        })
    };
    let Some(node) = node else {
        // Comments only (or nothing): keep them.
        let mut out = lines.concat();
        out.push_str("calendar:\n  holidays:\n");
        out.push_str(&list(4));
        return Some(out);
    };
    let Some(calendar) = node.entry("calendar") else {
        let mut out = lines.concat();
        out.push_str("calendar:\n  holidays:\n");
        out.push_str(&list(4));
        return Some(out);
    };
    let Yaml::Map(entries) = &calendar.value.value else {
        return None;
    };
    let first = entries.first()?;
    let child_indent = first.key_span.column as usize - 1;
    // `calendar:` must be in block style: its first key on a later line.
    if first.key_span.line == calendar.key_span.line {
        return None;
    }
    let Some(holidays) = entries.iter().find(|e| e.key == "holidays") else {
        let at = calendar.key_span.line as usize; // the line after `calendar:`
        let insert = format!("{:child_indent$}holidays:\n{}", "", list(child_indent + 2));
        lines.insert(at, insert);
        return Some(lines.concat());
    };
    match &holidays.value.value {
        Yaml::Seq(items)
            if items.is_empty() || holidays.value.span.line == holidays.key_span.line =>
        {
            // Flow style on the key's line: `holidays: [2026-12-25, …]`.
            let line = holidays.key_span.line as usize - 1;
            let text_line = lines.get(line)?.clone();
            // A comment or quotes on the line could hold brackets of their own: leave such a
            // line to the TPM.
            if text_line.contains(['#', '"', '\'']) || !text_line.contains('[') {
                return None;
            }
            let close = text_line.rfind(']')?;
            let joined = dates
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let sep = if items.is_empty() { "" } else { ", " };
            lines[line] = format!(
                "{}{sep}{joined}{}",
                &text_line[..close],
                &text_line[close..]
            );
            Some(lines.concat())
        }
        Yaml::Seq(items) => {
            // The column of the first item's `-`, read from its line (`- x`, `-   x`).
            let first = lines.get(items[0].span.line as usize - 1)?;
            let dash = first.trim_start();
            if !dash.starts_with('-') {
                return None;
            }
            let item_indent = first.len() - dash.len();
            // After the holidays' last line: before the next key of `calendar` (or of the
            // file), skipping back over blank and comment lines.
            let next_line = entries
                .iter()
                .map(|e| e.key_span.line)
                .filter(|l| *l > holidays.key_span.line)
                .min()
                .or_else(|| {
                    node.entry("calendar").and_then(|_| match &node.value {
                        Yaml::Map(top) => top
                            .iter()
                            .map(|e| e.key_span.line)
                            .filter(|l| *l > holidays.key_span.line)
                            .min(),
                        _ => None,
                    })
                })
                .map_or(lines.len(), |l| l as usize - 1);
            let mut at = next_line;
            while at > 0 && {
                let t = lines[at - 1].trim();
                t.is_empty() || t.starts_with('#')
            } {
                at -= 1;
            }
            lines.insert(at, list(item_indent));
            Some(lines.concat())
        }
        Yaml::Null => {
            let line = holidays.key_span.line as usize - 1;
            let text_line = lines.get(line)?;
            let indent = text_line.len() - text_line.trim_start().len();
            lines[line] = format!("{:indent$}holidays:\n", "", indent = indent);
            lines.insert(line + 1, list(indent + 2));
            Some(lines.concat())
        }
        _ => None,
    }
}

/// Writes one list item.
fn emit_item(out: &mut String, indent: usize, entries: &[(String, Value)]) {
    emit_mapping_item(out, indent, entries.iter().map(|(k, v)| (k.as_str(), v)));
}

/// A list item that is a mapping: the first key after `- `, the others aligned under it.
fn emit_mapping_item<'v>(
    out: &mut String,
    indent: usize,
    entries: impl Iterator<Item = (&'v str, &'v Value)>,
) {
    for (i, (key, value)) in entries.enumerate() {
        let lead = if i == 0 {
            format!("{:indent$}- ", "", indent = indent)
        } else {
            " ".repeat(indent + 2)
        };
        emit_entry(out, &lead, indent + 2, key, value);
    }
}

/// `key: value` at `lead`, nested blocks indented from `indent`.
fn emit_entry(out: &mut String, lead: &str, indent: usize, key: &str, value: &Value) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let _ = writeln!(out, "{lead}{}:", scalar(key));
            for (k, v) in map {
                emit_entry(out, &" ".repeat(indent + 2), indent + 2, k, v);
            }
        }
        Value::Array(items) if !items.is_empty() && !items.iter().all(is_flow_scalar) => {
            let _ = writeln!(out, "{lead}{}:", scalar(key));
            for item in items {
                emit_list_item(out, indent + 2, item);
            }
        }
        other => {
            let _ = writeln!(out, "{lead}{}: {}", scalar(key), inline(other));
        }
    }
}

fn emit_list_item(out: &mut String, indent: usize, item: &Value) {
    match item {
        Value::Object(map) if !map.is_empty() => {
            emit_mapping_item(out, indent, map.iter().map(|(k, v)| (k.as_str(), v)));
        }
        Value::Array(items) if !items.is_empty() && !items.iter().all(is_flow_scalar) => {
            let _ = writeln!(out, "{:indent$}-", "", indent = indent);
            for i in items {
                emit_list_item(out, indent + 2, i);
            }
        }
        other => {
            let _ = writeln!(out, "{:indent$}- {}", "", inline(other), indent = indent);
        }
    }
}

fn is_flow_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// A value on one line: scalars, and flow lists of scalars.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => flow_scalar(s),
                    other => inline(other),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// A string as a plain YAML scalar when that reads back as the same string, else
/// double-quoted (JSON escapes are valid YAML).
pub fn scalar(s: &str) -> String {
    if plain_ok(s, false) {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

fn flow_scalar(s: &str) -> String {
    if plain_ok(s, true) {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(char::is_control)
        || (in_flow && s.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    ) || lower.starts_with(".inf")
        || lower.starts_with("-.inf")
        || lower == ".nan"
        || s.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportedMilestone;

    fn imported(rows: &[(&str, &[(&'static str, Value)])]) -> Imported {
        Imported {
            milestones: rows
                .iter()
                .map(|(id, fields)| ImportedMilestone {
                    id: (*id).to_owned(),
                    line: 1,
                    fields: fields.iter().cloned().collect(),
                })
                .collect(),
            carried: OWNED_FIELDS.iter().copied().collect(),
            ..Imported::default()
        }
    }

    fn options() -> Options {
        Options {
            program: "pay".to_owned(),
            format: Some(Format::Csv),
            source: "plan.csv".to_owned(),
            ..Options::default()
        }
    }

    #[test]
    fn scalars_read_back_as_strings() {
        for s in [
            "Design", "yes", "123", "1e3", "a: b", "#x", "- x", "", " pad", "x #y", "Ship it!",
            "0x1F", "a\nb", "null", "It's", "\"q\"",
        ] {
            let text = format!("k: {}\n", scalar(s));
            let node = yaml::parse(&text, yaml::Limits::default())
                .unwrap()
                .unwrap();
            assert_eq!(
                node.child("k").unwrap().to_json(),
                Value::String(s.to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn a_new_file_lists_the_milestones() {
        let m = imported(&[
            (
                "M1",
                &[("title", json!("Design")), ("duration", json!("5d"))],
            ),
            (
                "M2",
                &[("title", json!("Build: v1")), ("depends_on", json!(["M1"]))],
            ),
        ]);
        let merged = merge(&m, &Existing::default(), &options()).unwrap();
        assert!(merged.milestones.ends_with(
            "milestones:\n  - id: M1\n    title: Design\n    duration: 5d\n\n  - id: M2\n    title: \"Build: v1\"\n    depends_on: [M1]\n"
        ), "{}", merged.milestones);
        assert!(merged.program.is_some());
    }

    #[test]
    fn three_way_keeps_hand_edits_and_takes_source_changes() {
        let first = imported(&[
            (
                "M1",
                &[("title", json!("Design")), ("duration", json!("5d"))],
            ),
            (
                "M2",
                &[("title", json!("Build")), ("duration", json!("10d"))],
            ),
        ]);
        let once = merge(&first, &Existing::default(), &options()).unwrap();
        // By hand: a comment and an estimate on M1, M2's title changed, a new milestone M9.
        let edited = once
            .milestones
            .replace(
                "  - id: M1\n",
                "  # design first\n  - id: M1\n    estimate: {optimistic: 4d, likely: 5d, pessimistic: 9d}\n",
            )
            .replace("title: Build\n", "title: Build the thing\n")
            + "\n  - id: M9\n    title: Hand-made\n";
        // The source: M1's duration changed, M2's title unchanged, M3 new.
        let second = imported(&[
            (
                "M1",
                &[("title", json!("Design")), ("duration", json!("8d"))],
            ),
            (
                "M2",
                &[("title", json!("Build")), ("duration", json!("10d"))],
            ),
            ("M3", &[("title", json!("Ship"))]),
        ]);
        let existing = Existing {
            milestones: Some(&edited),
            has_program: true,
            record: Some(&once.record),
            ..Existing::default()
        };
        let twice = merge(&second, &existing, &options()).unwrap();
        let text = &twice.milestones;
        assert!(
            text.contains("estimate: {optimistic: 4d") || text.contains("estimate:\n"),
            "{text}"
        );
        assert!(text.contains("duration: 8d"), "{text}");
        assert!(text.contains("title: Build the thing"), "{text}");
        assert!(text.contains("id: M9"), "{text}");
        assert!(text.contains("- id: M3\n    title: Ship\n"), "{text}");
        // M2 is unchanged, so it is copied verbatim; the comment above M1 is kept.
        assert!(text.contains("# design first"), "{text}");
        assert!(twice.notes.is_empty(), "{:?}", twice.notes);

        // Now the source changes M2's title too: a conflict, the hand edit kept.
        let third = imported(&[
            (
                "M1",
                &[("title", json!("Design")), ("duration", json!("8d"))],
            ),
            (
                "M2",
                &[("title", json!("Build v2")), ("duration", json!("10d"))],
            ),
            ("M3", &[("title", json!("Ship"))]),
        ]);
        let existing = Existing {
            milestones: Some(text),
            has_program: true,
            record: Some(&twice.record),
            ..Existing::default()
        };
        let thrice = merge(&third, &existing, &options()).unwrap();
        assert!(thrice.milestones.contains("title: Build the thing"));
        assert_eq!(
            thrice.notes,
            vec![Note::Conflict {
                id: "M2".to_owned(),
                field: "title".to_owned(),
                kept: "Build the thing".to_owned(),
                source: "Build v2".to_owned()
            }]
        );
        assert_eq!(thrice.milestones, *text, "nothing else changes");
    }

    #[test]
    fn holidays_are_added_to_each_shape_of_calendar() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let new = [d("2027-01-18")];
        assert_eq!(
            add_holidays("name: X\n", &new).unwrap(),
            "name: X\ncalendar:\n  holidays:\n    - 2027-01-18\n"
        );
        assert_eq!(
            add_holidays("calendar:\n  workdays: [mon]\nname: X\n", &new).unwrap(),
            "calendar:\n  holidays:\n    - 2027-01-18\n  workdays: [mon]\nname: X\n"
        );
        assert_eq!(
            add_holidays("calendar:\n  holidays: [2026-12-25]\n", &new).unwrap(),
            "calendar:\n  holidays: [2026-12-25, 2027-01-18]\n"
        );
        assert_eq!(
            add_holidays(
                "calendar:\n  holidays:\n    - date: 2026-12-25\n      name: Xmas\n    - 2027-01-01\n\ngates: {}\n",
                &new
            )
            .unwrap(),
            "calendar:\n  holidays:\n    - date: 2026-12-25\n      name: Xmas\n    - 2027-01-01\n    - 2027-01-18\n\ngates: {}\n"
        );
    }
}

#[cfg(test)]
mod review {
    use super::*;
    use crate::import::ImportedMilestone;

    fn one(fields: &[(&'static str, Value)], carried: &[&'static str]) -> Imported {
        Imported {
            milestones: vec![ImportedMilestone {
                id: "M1".to_owned(),
                line: 2,
                fields: fields.iter().cloned().collect(),
            }],
            carried: carried.iter().copied().collect(),
            ..Imported::default()
        }
    }

    fn options() -> Options {
        Options {
            program: "p".to_owned(),
            source: "plan.csv".to_owned(),
            ..Options::default()
        }
    }

    #[test]
    fn a_first_import_keeps_fields_the_source_cannot_express() {
        let file = "milestones:\n  - id: M1\n    title: Design\n    kind: launch\n    target: 2027-01-15\n    status: in_progress\n    started: 2027-01-04\n";
        // A CSV with only id and title: kind, target and status are not columns.
        let merged = merge(
            &one(&[("title", json!("Design v2"))], &["title"]),
            &Existing {
                milestones: Some(file),
                has_program: true,
                ..Existing::default()
            },
            &options(),
        )
        .unwrap();
        assert_eq!(
            merged.milestones,
            file.replace("title: Design\n", "title: Design v2\n")
        );
    }

    #[test]
    fn planned_is_the_default_on_both_sides() {
        let file = "milestones:\n  - id: M1  # first\n    title: Design\n";
        let merged = merge(
            &one(
                &[("title", json!("Design")), ("status", json!("planned"))],
                &["title", "status"],
            ),
            &Existing {
                milestones: Some(file),
                has_program: true,
                ..Existing::default()
            },
            &options(),
        )
        .unwrap();
        assert_eq!(
            merged.milestones, file,
            "nothing changed, nothing rewritten"
        );
    }

    #[test]
    fn what_follows_the_list_stays_after_it() {
        let file = "milestones:\n  - id: M1\n    title: A\n  # the end of the list\nx: 1\n";
        let mut imported = one(&[("title", json!("A"))], &["title"]);
        imported.milestones.push(ImportedMilestone {
            id: "M2".to_owned(),
            line: 3,
            fields: [("title", json!("B"))].into_iter().collect(),
        });
        let merged = merge(
            &imported,
            &Existing {
                milestones: Some(file),
                has_program: true,
                ..Existing::default()
            },
            &options(),
        )
        .unwrap();
        assert_eq!(
            merged.milestones,
            "milestones:\n  - id: M1\n    title: A\n  # the end of the list\n\n  - id: M2\n    title: B\nx: 1\n"
        );
    }

    #[test]
    fn holiday_edits_refuse_what_they_cannot_do_safely() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 18).unwrap();
        // A comment with brackets on the flow line: left to the TPM.
        assert_eq!(
            add_holidays("calendar:\n  holidays: [2026-12-25]  # see [ops]\n", &[d]),
            None
        );
        // More space after the dash: the new item aligns with the dash, not the value.
        assert_eq!(
            add_holidays("calendar:\n  holidays:\n    -   2026-12-25\n", &[d]).unwrap(),
            "calendar:\n  holidays:\n    -   2026-12-25\n    - 2027-01-18\n"
        );
        // Comments only: kept.
        assert_eq!(
            add_holidays("# settings\n", &[d]).unwrap(),
            "# settings\ncalendar:\n  holidays:\n    - 2027-01-18\n"
        );
        for text in [
            "calendar:\n  holidays:\n    -   2026-12-25\n    - 2027-01-18\n",
            "# settings\ncalendar:\n  holidays:\n    - 2027-01-18\n",
        ] {
            let node = yaml::parse(text, yaml::Limits::default()).unwrap().unwrap();
            let days = node.pointer("/calendar/holidays").unwrap().to_json();
            assert!(
                days.as_array().unwrap().contains(&json!("2027-01-18")),
                "{text}"
            );
        }
    }
}
