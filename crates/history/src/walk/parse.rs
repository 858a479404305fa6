//! Parsing one version of a portfolio file into entities: the whole file through the loader
//! ([`parse_blob`]), or — when a new version differs from the previous one only inside one
//! entity's lines — just those lines ([`parse_incremental`]), with the other entities taken
//! over. Either way the result is the whole-file result (a differential test checks it).

use std::sync::Arc;

use git2::Oid;

use milepost_load::{FileSet, Severity};
use milepost_model::FileKind;
use milepost_plan::{Calendar, calendar_of};

use crate::entity::{Entity, program_entities};

/// A parsed version of one file.
#[derive(Debug, Default)]
pub(super) struct ParsedFile {
    /// `(local name, entity)`; the charter's local name is empty.
    pub(super) entities: Vec<(Arc<str>, Arc<Entity>)>,
    /// Ids whose entity the schema rejected.
    pub(super) unreadable: Vec<String>,
    /// Error-level YAML and schema findings.
    pub(super) errors: Vec<String>,
    /// Nothing in the file can be trusted (YAML error, unreadable charter, unreadable lists).
    pub(super) broken: bool,
    /// For milepost.yaml: its calendar.
    pub(super) calendar: Option<Calendar>,
    /// What incremental parsing of the next version needs (list files that parsed cleanly).
    pub(super) layout: Option<Layout>,
}

/// Where each entity of a list file is, so that the next version of the file can be read
/// incrementally (see [`parse_incremental`]).
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// The file's text.
    pub(super) text: Arc<str>,
    /// Per entity (same order as `entities`): its first line (1-based) and its list key.
    pub(super) starts: Vec<(u32, Arc<str>)>,
    /// Lines (1-based) where any list item or top-level key starts, sorted.
    pub(super) boundaries: Vec<u32>,
    /// The column of the `-` of the lists' items.
    pub(super) indents: Vec<usize>,
}

pub(super) type CacheKey = (Oid, FileKind);

/// Parses one blob through the loader.
pub(super) fn parse_blob(path: &str, kind: FileKind, bytes: Vec<u8>) -> ParsedFile {
    let text: Option<Arc<str>> = (kind != FileKind::Settings && kind != FileKind::Program)
        .then(|| std::str::from_utf8(&bytes).ok().map(Arc::from))
        .flatten();
    let portfolio = milepost_load::load(FileSet::from_memory([(path, bytes)]));
    let mut out = ParsedFile::default();
    let mut yaml_error = false;
    for d in &portfolio.diagnostics {
        if d.severity != Severity::Error
            || !(d.rule == milepost_load::YAML_RULE || d.rule == milepost_load::schema::SCHEMA_RULE)
        {
            continue;
        }
        yaml_error |= d.rule == milepost_load::YAML_RULE;
        out.errors.push(match &d.location {
            Some(l) => format!("{}:{}: {}", l.span.line, l.span.column, d.message),
            None => d.message.clone(),
        });
    }
    if kind == FileKind::Settings {
        out.broken = yaml_error || portfolio.settings_file.is_none() || !out.errors.is_empty();
        if !out.broken {
            out.calendar = Some(calendar_of(&portfolio));
        }
        return out;
    }
    if let Some(program) = portfolio.programs.first() {
        let mut charter_complete = true;
        let mut starts: Vec<(u32, Arc<str>)> = Vec::new();
        out.unreadable = program.unreadable_ids.iter().cloned().collect();
        program_entities(program, |local, entity, complete, pointer| {
            if complete {
                if let Some(file) = program.files.get(&kind) {
                    let line = portfolio.locate(*file, pointer).span.line;
                    let key = pointer.split('/').nth(1).unwrap_or_default();
                    starts.push((line, Arc::from(key)));
                }
                out.entities.push((local.into(), Arc::new(entity)));
            } else if local.is_empty() {
                charter_complete = false;
            } else {
                // Part of it was rejected: keep its last good version.
                out.unreadable.push(local);
            }
        });
        out.broken = yaml_error
            || (kind == FileKind::Program && (!program.charter_loaded || !charter_complete))
            || (!out.errors.is_empty() && out.entities.is_empty());
        if let Some(text) = text.filter(|_| {
            out.errors.is_empty() && out.unreadable.is_empty() && starts.len() == out.entities.len()
        }) {
            out.layout = Layout::of(text, starts);
        }
    } else {
        out.broken = yaml_error || !out.errors.is_empty();
    }
    out
}

impl Layout {
    /// The layout of a list file, or `None` when its text uses what incremental reading
    /// cannot follow (anchors and aliases, several documents, items not in block style).
    pub(super) fn of(text: Arc<str>, starts: Vec<(u32, Arc<str>)>) -> Option<Layout> {
        if text.starts_with("---")
            || text.contains("\n---")
            || text.contains("\n...")
            || has_anchor_or_alias(&text)
        {
            return None;
        }
        let lines: Vec<&str> = text.split('\n').collect();
        let mut indents: Vec<usize> = Vec::new();
        for (line, _) in &starts {
            let l = lines.get((*line as usize).checked_sub(1)?)?;
            let indent = l.len() - l.trim_start_matches(' ').len();
            if !l[indent..].starts_with("- ") {
                return None;
            }
            if !indents.contains(&indent) {
                indents.push(indent);
            }
        }
        let boundaries = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| is_boundary(l, &indents))
            .map(|(i, _)| i as u32 + 1)
            .collect();
        Some(Layout {
            text,
            starts,
            boundaries,
            indents,
        })
    }
}

/// `&name` or `*name`: YAML anchors and aliases tie items together.
pub(super) fn has_anchor_or_alias(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| matches!(w[0], b'&' | b'*') && (w[1].is_ascii_alphanumeric() || w[1] == b'_'))
}

/// A line that starts a list item (at one of the lists' indentations) or a top-level key.
pub(super) fn is_boundary(line: &str, indents: &[usize]) -> bool {
    let first = line.bytes().next();
    if matches!(first, Some(b) if b != b' ' && b != b'#' && b != b'-' && b != b'\r') {
        return true;
    }
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    indents.contains(&indent) && (rest.starts_with("- ") || rest == "-" || rest == "-\r")
}

/// Reads a new version of a list file from the previous one when the edit stays inside one
/// entity: only that entity's lines go through the loader (as a one-item file), and the
/// other entities are taken over. `None` when the edit does not fit (it crosses entities,
/// adds or removes one, touches a top-level key) or the item does not read cleanly: the
/// caller then parses the whole file. The result is the same as a whole-file parse.
pub(super) fn parse_incremental(
    path: &str,
    kind: FileKind,
    prev: &ParsedFile,
    bytes: &[u8],
) -> Option<ParsedFile> {
    let layout = prev.layout.as_ref()?;
    if prev.broken || !prev.errors.is_empty() || !prev.unreadable.is_empty() {
        return None;
    }
    let new_text = std::str::from_utf8(bytes).ok()?;
    if has_anchor_or_alias(new_text) || new_text.contains("\n---") || new_text.contains("\n...") {
        return None;
    }
    let old: Vec<&str> = layout.text.split('\n').collect();
    let new: Vec<&str> = new_text.split('\n').collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    // Old lines prefix+1 ..= old.len()-suffix changed (1-based), possibly none.
    let first_changed = prefix as u32 + 1;
    let last_changed = (old.len() - suffix) as u32;
    let anchor = if last_changed >= first_changed {
        first_changed
    } else {
        (prefix as u32).max(1)
    };
    // The entity whose lines hold the edit.
    let i = layout
        .starts
        .iter()
        .rposition(|(start, _)| *start <= anchor)?;
    let start = layout.starts[i].0;
    let end = layout
        .boundaries
        .iter()
        .copied()
        .find(|b| *b > start)
        .unwrap_or(old.len() as u32 + 1);
    if first_changed < start || last_changed >= end || anchor >= end {
        return None;
    }
    let delta = new.len() as i64 - old.len() as i64;
    let new_end = (i64::from(end) + delta) as usize;
    let item = new.get(start as usize - 1..new_end - 1)?;
    if item.iter().skip(1).any(|l| is_boundary(l, &layout.indents)) {
        return None;
    }
    let key = &layout.starts[i].1;
    let mut mini =
        String::with_capacity(key.len() + 2 + item.iter().map(|l| l.len() + 1).sum::<usize>());
    mini.push_str(key);
    mini.push_str(":\n");
    for l in item {
        mini.push_str(l);
        mini.push('\n');
    }
    let one = parse_blob(path, kind, mini.into_bytes());
    if one.broken || !one.errors.is_empty() || !one.unreadable.is_empty() || one.entities.len() != 1
    {
        return None;
    }
    let shift = |line: u32| {
        if line > start {
            (i64::from(line) + delta) as u32
        } else {
            line
        }
    };
    let mut entities = prev.entities.clone();
    entities[i] = one.entities.into_iter().next()?;
    let starts = layout
        .starts
        .iter()
        .map(|(line, key)| (shift(*line), Arc::clone(key)))
        .collect();
    let boundaries = layout.boundaries.iter().map(|b| shift(*b)).collect();
    Some(ParsedFile {
        entities,
        unreadable: Vec::new(),
        errors: Vec::new(),
        broken: false,
        calendar: None,
        layout: Some(Layout {
            text: Arc::from(new_text),
            starts,
            boundaries,
            indents: layout.indents.clone(),
        }),
    })
}
