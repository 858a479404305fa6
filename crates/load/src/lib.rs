//! Loading a milepost portfolio: find the files, parse them keeping source positions,
//! validate them against the JSON Schemas, read the typed entities and resolve every
//! reference.
//!
//! The entry points are [`load_dir`] (a folder on disk) and [`load`] (any [`FileSet`],
//! including one built in memory from a git tree). Loading never fails on bad content:
//! every problem becomes a located [`Diagnostic`] in [`Portfolio::diagnostics`] and the
//! rest of the portfolio is still read, so one typo does not hide the next. Only a path
//! that is not a portfolio at all is a [`LoadError`].
//!
//! Files are read, decoded, parsed and validated in parallel (rayon); the schemas are
//! compiled once per process.

pub mod diagnostic;
mod files;
mod portfolio;
mod resolve;
pub mod schema;
mod text;
pub mod yaml;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use milepost_model as model;
use milepost_model::FileKind;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use diagnostic::{BaseStatus, Diagnostic, Location, Related, Severity, Span, did_you_mean};
pub use files::{
    Content, FileEntry, FileSet, LAYOUT_RULE, LoadError, MAX_FILE_BYTES, is_valid_program_id,
    read_content,
};
pub use portfolio::{Counts, FileId, Located, Portfolio, Program, ProgramEntity, Source};
pub use resolve::{ID_DUPLICATE_RULE, OWNER_UNKNOWN_RULE, REF_UNKNOWN_RULE};

/// The rule id of findings about unreadable YAML (syntax, encoding, limits).
pub const YAML_RULE: &str = "yaml";

/// Loads the portfolio in the folder `root`.
///
/// # Errors
/// A [`LoadError`] when `root` is missing, not a folder or not a portfolio.
pub fn load_dir(root: &Path) -> Result<Portfolio, LoadError> {
    Ok(load(FileSet::from_dir(root)?))
}

/// What one file contributed.
#[derive(Clone)]
enum Typed {
    Nothing,
    Settings(Box<model::Settings>),
    People(Vec<Located<model::Person>>, Vec<Located<model::Team>>),
    Program(Option<Box<model::Program>>, Vec<String>),
    Milestones(Vec<Located<model::Milestone>>),
    Raid(Box<RaidParts>),
    Raci(Vec<Located<model::RaciActivity>>),
    Decisions(Vec<Located<model::Decision>>),
    Scorecard(Vec<Located<model::ExternalKpi>>),
}

#[derive(Default, Clone)]
struct RaidParts {
    risks: Vec<Located<model::Risk>>,
    assumptions: Vec<Located<model::Assumption>>,
    issues: Vec<Located<model::Issue>>,
    dependencies: Vec<Located<model::Dependency>>,
}

#[derive(Clone)]
struct Parsed {
    source: Source,
    program: Option<String>,
    typed: Typed,
    unreadable_ids: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Parses kept between loads of the same files, for a long-running process such as the
/// language server: a file given from memory whose path, place in the set and bytes are
/// unchanged is not parsed again. Entries for files no longer in the set are dropped, so
/// the cache holds at most one parse per file.
#[derive(Default)]
pub struct ParseCache {
    entries: HashMap<CacheKey, (Arc<[u8]>, Parsed, u64)>,
}

/// A file's path and place in the set.
type CacheKey = (Arc<str>, FileId);

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseCache")
            .field("files", &self.entries.len())
            .finish()
    }
}

impl ParseCache {
    /// The cached parse of `entry` at `file`, its size in bytes and its YAML values, when
    /// its bytes are unchanged.
    fn get(&self, file: FileId, entry: &FileEntry) -> Option<(&Parsed, u64, u64)> {
        let Content::Memory(bytes) = &entry.content else {
            return None;
        };
        let (cached, parsed, values) = self.entries.get(&(Arc::clone(&entry.path), file))?;
        ((Arc::ptr_eq(cached, bytes) || cached == bytes) && parsed.source.kind == entry.kind)
            .then_some((parsed, bytes.len() as u64, *values))
    }
}

/// Loads a portfolio from a file set. Never fails: problems become diagnostics.
pub fn load(set: FileSet) -> Portfolio {
    load_with(set, None)
}

/// [`load`], reusing the parses in `cache` of files that did not change, and remembering
/// the new ones. Gives the same portfolio as [`load`].
pub fn load_cached(set: FileSet, cache: &mut ParseCache) -> Portfolio {
    load_with(set, Some(cache))
}

fn load_with(set: FileSet, cache: Option<&mut ParseCache>) -> Portfolio {
    schema::warm_up();
    // milepost.yaml first (it is small): its `limits` bound how much of the rest is read.
    let settings_at = set.files.iter().position(|f| f.kind == FileKind::Settings);
    let unbounded = Budget::new(&milepost_model::LoadLimits::default());
    let mut first = settings_at.map(|i| parse_file(i as FileId, &set.files[i], &unbounded));
    let limits = match first.as_ref().map(|p| &p.typed) {
        Some(Typed::Settings(s)) => s.limits,
        _ => milepost_model::LoadLimits::default(),
    };
    let budget = Budget::new(&limits);
    budget.take(&unbounded.used());
    let cached = cache.as_deref();
    // Each file's parse, and whether it came from the cache.
    let parsed: Vec<(Parsed, bool)> = set
        .files
        .par_iter()
        .enumerate()
        .map(|(i, entry)| match first.as_ref() {
            Some(_) if Some(i) == settings_at => (Parsed::placeholder(entry), false),
            _ => {
                let file = i as FileId;
                // A cached parse is used when it fits what is left of the budget, as the
                // parse did; otherwise the file is parsed (and refused) again.
                if let Some((hit, bytes, values)) = cached.and_then(|c| c.get(file, entry))
                    && Budget::draw(&budget.bytes, bytes)
                    && Budget::draw(&budget.values, values)
                {
                    return (hit.clone(), true);
                }
                (parse_file(file, entry, &budget), false)
            }
        })
        .collect();
    if let Some(cache) = cache {
        // Hits keep their entry; new parses are remembered; the rest is forgotten.
        let mut old = std::mem::take(&mut cache.entries);
        for (i, (entry, (p, hit))) in set.files.iter().zip(&parsed).enumerate() {
            let Content::Memory(bytes) = &entry.content else {
                continue;
            };
            if Some(i) == settings_at {
                continue;
            }
            let key = (Arc::clone(&entry.path), i as FileId);
            let kept = if *hit { old.remove(&key) } else { None };
            let value = kept.unwrap_or_else(|| {
                let values = p.source.tree.as_ref().map_or(0, |t| t.count() as u64);
                (Arc::clone(bytes), p.clone(), values)
            });
            cache.entries.insert(key, value);
        }
    }
    let parsed: Vec<Parsed> = parsed.into_iter().map(|(p, _)| p).collect();
    let mut parsed = parsed;
    if let (Some(i), Some(p)) = (settings_at, first.take()) {
        parsed[i] = p;
    }
    let mut portfolio = Portfolio {
        root: set.root,
        diagnostics: set.diagnostics,
        ..Portfolio::default()
    };
    let mut programs: BTreeMap<String, Program> = BTreeMap::new();
    for (i, p) in parsed.into_iter().enumerate() {
        let file = i as FileId;
        portfolio.diagnostics.extend(p.diagnostics);
        let kind = p.source.kind;
        portfolio.sources.push(p.source);
        let program = p.program.map(|id| {
            programs
                .entry(id.clone())
                .or_insert_with(|| Program::new(id, file))
        });
        match (p.typed, program) {
            (Typed::Settings(s), _) => {
                portfolio.settings = *s;
                portfolio.settings_file = Some(file);
            }
            (Typed::People(people, teams), _) => {
                portfolio.people = people;
                portfolio.teams = teams;
            }
            (Typed::Scorecard(kpis), _) => {
                portfolio.scorecard = kpis;
                portfolio.scorecard_file = Some(file);
            }
            (typed, Some(program)) => {
                program.files.insert(kind, file);
                program.unreadable_ids.extend(p.unreadable_ids);
                match typed {
                    Typed::Program(charter, dropped) => {
                        program.charter.file = file;
                        program.charter.dropped = dropped;
                        if let Some(c) = charter {
                            program.charter.value = *c;
                            program.charter_loaded = true;
                        }
                    }
                    Typed::Milestones(m) => program.milestones = m,
                    Typed::Raid(r) => {
                        program.risks = r.risks;
                        program.assumptions = r.assumptions;
                        program.issues = r.issues;
                        program.dependencies = r.dependencies;
                    }
                    Typed::Raci(r) => program.raci = r,
                    Typed::Decisions(d) => program.decisions = d,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    portfolio.programs = programs.into_values().collect();
    resolve::resolve(&mut portfolio);
    portfolio
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    portfolio
}

/// What is left of the portfolio-wide read budget (`limits` in milepost.yaml), shared by the
/// files parsed in parallel. A file that would overdraw it is refused, located, and its
/// tree dropped, so memory stays bounded however the input is shaped.
struct Budget {
    file_values: usize,
    values: std::sync::atomic::AtomicU64,
    bytes: std::sync::atomic::AtomicU64,
    limits: milepost_model::LoadLimits,
}

/// How much a file used of the budget: (values, bytes).
type Usage = (u64, u64);

impl Budget {
    fn new(limits: &milepost_model::LoadLimits) -> Self {
        Self {
            file_values: usize::try_from(limits.file_values()).unwrap_or(usize::MAX),
            values: limits.total_values().into(),
            bytes: limits.total_bytes().into(),
            limits: *limits,
        }
    }

    /// Takes `amount` from `pool`; false (and nothing taken) when there is not enough.
    fn draw(pool: &std::sync::atomic::AtomicU64, amount: u64) -> bool {
        use std::sync::atomic::Ordering;
        pool.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(amount)
        })
        .is_ok()
    }

    fn take(&self, (values, bytes): &Usage) {
        let _ = Self::draw(&self.values, *values);
        let _ = Self::draw(&self.bytes, *bytes);
    }

    /// What was taken so far, as a usage.
    fn used(&self) -> Usage {
        use std::sync::atomic::Ordering;
        (
            self.limits.total_values() - self.values.load(Ordering::Relaxed),
            self.limits.total_bytes() - self.bytes.load(Ordering::Relaxed),
        )
    }
}

impl Parsed {
    /// An empty result for `entry`, filled in later.
    fn placeholder(entry: &FileEntry) -> Self {
        Parsed {
            source: Source {
                path: Arc::clone(&entry.path),
                kind: entry.kind,
                text: Arc::from(""),
                tree: None,
                unidentified: false,
            },
            program: entry.program.clone(),
            typed: Typed::Nothing,
            unreadable_ids: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

/// A YAML error as a located finding, with its related place (the first of two duplicate
/// keys).
fn yaml_finding(path: &Arc<str>, e: yaml::YamlError) -> Diagnostic {
    let mut d = Diagnostic::error(YAML_RULE, e.message).at_span(path, e.span);
    d.hint = e.hint;
    if let Some((span, message)) = e.related {
        d = d.related(
            Location {
                file: Arc::clone(path),
                span,
            },
            message,
        );
    }
    d
}

fn parse_file(file: FileId, entry: &FileEntry, budget: &Budget) -> Parsed {
    let mut parsed = Parsed::placeholder(entry);
    let path = &entry.path;
    let bytes = match read_content(&entry.content) {
        Ok(b) => b,
        Err(message) => {
            parsed.diagnostics.push(
                Diagnostic::error(YAML_RULE, message)
                    .at_span(path, Span::start_of_file())
                    .hint("milepost files are small YAML documents; split or replace this file"),
            );
            return parsed;
        }
    };
    if !Budget::draw(&budget.bytes, bytes.len() as u64) {
        parsed.diagnostics.push(
            Diagnostic::error(
                YAML_RULE,
                format!(
                    "the portfolio holds more than {} bytes of YAML; this file was not read",
                    budget.limits.total_bytes()
                ),
            )
            .at_span(path, Span::start_of_file())
            .hint("raise `limits: max_total_bytes` in milepost.yaml if the portfolio is really this large"),
        );
        return parsed;
    }
    let text = match text::decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            parsed.diagnostics.push(
                Diagnostic::error(YAML_RULE, e.message)
                    .at_span(path, e.span)
                    .hint(e.hint),
            );
            return parsed;
        }
    };
    drop(bytes);
    parsed.source.text = Arc::from(text);
    let limits = yaml::Limits {
        max_nodes: budget.file_values,
        ..yaml::Limits::default()
    };
    let tree = match yaml::parse_recovering(&parsed.source.text, limits).map(|(tree, problems)| {
        for e in problems {
            parsed.diagnostics.push(yaml_finding(path, e));
        }
        tree
    }) {
        Ok(Some(tree)) if !Budget::draw(&budget.values, tree.count() as u64) => {
            drop(tree);
            parsed.diagnostics.push(
                Diagnostic::error(
                    YAML_RULE,
                    format!(
                        "the portfolio holds more than {} YAML values; this file was not read",
                        budget.limits.total_values()
                    ),
                )
                .at_span(path, Span::start_of_file())
                .hint("raise `limits: max_total_values` in milepost.yaml if the portfolio is really this large"),
            );
            return parsed;
        }
        Ok(Some(tree)) => tree,
        Ok(None) => {
            let d = if entry.kind == FileKind::Program {
                Diagnostic::error(YAML_RULE, "program.yaml is empty")
                    .hint("a program needs at least `name:`; see docs/format.md")
            } else {
                Diagnostic::warning(
                    YAML_RULE,
                    format!("{} is empty; nothing was read", entry.kind.file_name()),
                )
                .hint("add content or delete the file; see docs/format.md".to_string())
            };
            parsed
                .diagnostics
                .push(d.at_span(path, Span::start_of_file()));
            return parsed;
        }
        Err(e) => {
            parsed.diagnostics.push(yaml_finding(path, e));
            return parsed;
        }
    };
    let mut tree = tree;
    let mut json = tree.take_json();
    let validation = schema::validate(entry.kind, &json, &tree, path, entry.program.as_deref());
    // Ids of entities a schema finding will drop, read before pruning: references to them
    // must not be reported again as unknown.
    let dropped_ids: Vec<String> = validation
        .prune
        .iter()
        .filter_map(|p| match p {
            schema::Prune::Value(ptr) => Some(ptr),
            schema::Prune::Keys(..) => None,
        })
        .filter(|ptr| ptr.matches('/').count() <= 2)
        .filter_map(|ptr| {
            let entity = ptr.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
            json.pointer(&format!("{entity}/id"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    parsed.source.unidentified = validation.prune.iter().any(|p| match p {
        schema::Prune::Value(ptr) => ptr.ends_with("/id"),
        schema::Prune::Keys(..) => false,
    });
    schema::apply_prune(&mut json, &validation.prune);
    parsed.diagnostics.extend(validation.diagnostics);
    let bad: Vec<&str> = validation
        .prune
        .iter()
        .map(|p| match p {
            schema::Prune::Keys(ptr, _) | schema::Prune::Value(ptr) => ptr.as_str(),
        })
        .collect();
    let mut reader = Reader {
        file,
        path,
        tree: &tree,
        bad: Reader::prefixes(&bad),
        any_bad: !bad.is_empty(),
        dropped: Reader::dropped_index(&validation.prune),
        program: entry.program.as_deref(),
        diagnostics: Vec::new(),
        unreadable_ids: dropped_ids,
    };
    parsed.typed = match entry.kind {
        FileKind::Settings => Typed::Settings(Box::new(reader.whole(json).unwrap_or_default())),
        FileKind::People => {
            let people = reader.items(&mut json, "people");
            let teams = reader.items(&mut json, "teams");
            Typed::People(people, teams)
        }
        FileKind::Program => {
            let name_missing = json.get("name").is_none();
            if let (Value::Object(map), Some(program)) = (&mut json, entry.program.as_deref()) {
                // A charter that lost its name to an error still loads under its id.
                if name_missing {
                    map.insert("name".into(), Value::String(program.to_owned()));
                }
            }
            let dropped = reader.dropped_under("");
            Typed::Program(reader.whole(json).map(Box::new), dropped)
        }
        FileKind::Milestones => Typed::Milestones(reader.items(&mut json, "milestones")),
        FileKind::Raid => Typed::Raid(Box::new(RaidParts {
            risks: reader.items(&mut json, "risks"),
            assumptions: reader.items(&mut json, "assumptions"),
            issues: reader.items(&mut json, "issues"),
            dependencies: reader.items(&mut json, "dependencies"),
        })),
        FileKind::Raci => Typed::Raci(reader.items(&mut json, "raci")),
        FileKind::Decisions => Typed::Decisions(reader.items(&mut json, "decisions")),
        FileKind::Scorecard => Typed::Scorecard(reader.items(&mut json, "kpis")),
    };
    parsed.diagnostics.append(&mut reader.diagnostics);
    parsed.unreadable_ids = reader.unreadable_ids;
    parsed.source.tree = Some(Arc::new(tree));
    parsed
}

/// Reads typed entities out of a validated (and pruned) JSON value.
struct Reader<'a> {
    file: FileId,
    path: &'a Arc<str>,
    tree: &'a yaml::Node,
    /// Every pointer at which, or under which, the schema reported an error (each bad
    /// pointer and all its ancestors): `had_errors` is one lookup.
    bad: HashSet<&'a str>,
    /// Whether the schema reported anything in the file.
    any_bad: bool,
    /// Per entity pointer (`""` for the file, `/risks/2` for an item): the keys a schema
    /// finding dropped, sorted. Built once, so reading n items is linear.
    dropped: HashMap<String, Vec<String>>,
    program: Option<&'a str>,
    diagnostics: Vec<Diagnostic>,
    unreadable_ids: Vec<String>,
}

impl<'a> Reader<'a> {
    /// Each bad pointer with all its ancestors (`/risks/2/due` → `/risks/2/due`, `/risks/2`,
    /// `/risks`).
    fn prefixes(bad: &[&'a str]) -> HashSet<&'a str> {
        let mut out = HashSet::with_capacity(bad.len() * 2);
        for b in bad {
            let mut p: &str = b;
            while !p.is_empty() && out.insert(p) {
                p = p.rsplit_once('/').map_or("", |(head, _)| head);
            }
        }
        out
    }

    /// The dropped keys of every entity, from the prune list, in one pass.
    fn dropped_index(prune: &[schema::Prune]) -> HashMap<String, Vec<String>> {
        let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
        let mut index: HashMap<String, Vec<String>> = HashMap::new();
        for p in prune {
            let (ptr, extra): (&str, &[String]) = match p {
                schema::Prune::Keys(ptr, keys) => (ptr.as_str(), keys.as_slice()),
                schema::Prune::Value(ptr) => (ptr.as_str(), &[]),
            };
            let segments: Vec<&str> = ptr.split('/').skip(1).collect();
            // The file itself: a key at the top, or the top-level key above the pointer.
            match segments.first() {
                None => index
                    .entry(String::new())
                    .or_default()
                    .extend(extra.iter().cloned()),
                Some(first) => index
                    .entry(String::new())
                    .or_default()
                    .push(unescape(first)),
            }
            // A list item (`/list/i`): a key of the item, or the item's key above the pointer.
            if segments.len() >= 2 {
                let item = format!("/{}/{}", segments[0], segments[1]);
                let keys = index.entry(item).or_default();
                match segments.get(2) {
                    None => keys.extend(extra.iter().cloned()),
                    Some(key) => keys.push(unescape(key)),
                }
            }
        }
        for keys in index.values_mut() {
            keys.sort();
            keys.dedup();
        }
        index
    }

    fn had_errors(&self, pointer: &str) -> bool {
        self.bad.contains(pointer) || (pointer.is_empty() && self.any_bad)
    }

    /// The entity-level keys under `pointer` that a schema finding dropped.
    fn dropped_under(&self, pointer: &str) -> Vec<String> {
        self.dropped.get(pointer).cloned().unwrap_or_default()
    }

    fn report(&mut self, pointer: &str, err: &serde_path_to_error::Error<serde_json::Error>) {
        if self.had_errors(pointer) {
            return;
        }
        let sub: String = err
            .path()
            .iter()
            .map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => format!("/{index}"),
                serde_path_to_error::Segment::Map { key } => format!("/{key}"),
                _ => String::new(),
            })
            .collect();
        let full = format!("{pointer}{sub}");
        let mut node = self.tree;
        for t in yaml::pointer_tokens(&full) {
            match node.child(&t) {
                Some(c) => node = c,
                None => break,
            }
        }
        let mut d = Diagnostic::error(schema::SCHEMA_RULE, format!("{}", err.inner()))
            .at_span(self.path, node.span)
            .hint("see docs/format.md for the expected shape");
        d.entity = self.program.map(str::to_owned);
        self.diagnostics.push(d);
    }

    fn whole<T: DeserializeOwned>(&mut self, json: Value) -> Option<T> {
        self.contained("", json).map(|(value, _)| value)
    }

    /// Deserializes `json` (the value at `pointer`), dropping what does not fit so that a bad
    /// value costs that value only: on an error, the innermost list item that holds it — or,
    /// outside lists, the field — is removed and the rest is read again (so a missing
    /// required field drops its list item, one bad holiday drops that holiday, and a bad
    /// nested field climbs to what cannot stand without it). Each removal is reported unless
    /// a schema finding already covers it. Returns the value and the entity-level keys
    /// removed, or `None` when the value itself cannot be read.
    fn contained<T: DeserializeOwned>(
        &mut self,
        pointer: &str,
        mut json: Value,
    ) -> Option<(T, Vec<String>)> {
        // The usual case, a value that reads: without tracking the path (only an error
        // needs it, and the tracked reading below gives the same value).
        if let Ok(value) = T::deserialize(&json) {
            return Some((value, Vec::new()));
        }
        let mut removed_keys = Vec::new();
        // Each round removes one value, so the rounds are bounded by the values present.
        for _ in 0..=MAX_REPAIRS {
            let err = match serde_path_to_error::deserialize::<_, T>(&json) {
                Ok(value) => return Some((value, removed_keys)),
                Err(e) => e,
            };
            let segments: Vec<serde_path_to_error::Segment> = err.path().iter().cloned().collect();
            let cut = segments
                .iter()
                .rposition(|s| matches!(s, serde_path_to_error::Segment::Seq { .. }))
                .map_or(segments.len(), |i| i + 1);
            let cut = if cut == 0 { segments.len() } else { cut };
            if cut == 0 || !remove_at(&mut json, &segments[..cut]) {
                self.report(pointer, &err);
                return None;
            }
            let sub = path_text(&segments[..cut]);
            if !self.had_errors(&format!("{pointer}{sub}")) {
                self.report_at(&format!("{pointer}{sub}"), &err);
            }
            if let Some(serde_path_to_error::Segment::Map { key }) = segments.first() {
                removed_keys.push(key.clone());
            }
        }
        None
    }

    /// Reports a value the model cannot read at `full` (a JSON pointer into the file).
    fn report_at(&mut self, full: &str, err: &serde_path_to_error::Error<serde_json::Error>) {
        let mut node = self.tree;
        for t in yaml::pointer_tokens(full) {
            match node.child(&t) {
                Some(c) => node = c,
                None => break,
            }
        }
        let mut d = Diagnostic::error(
            schema::SCHEMA_RULE,
            format!("{}; this value was not read", err.inner()),
        )
        .at_span(self.path, node.span)
        .hint("see the format reference (`milepost schema`) for the expected shape");
        d.entity = self.program.map(str::to_owned);
        self.diagnostics.push(d);
    }

    fn items<T: DeserializeOwned>(&mut self, json: &mut Value, list: &str) -> Vec<Located<T>> {
        let Some(Value::Array(items)) = json.get_mut(list).map(Value::take) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let pointer = format!("/{list}/{i}");
            if item.is_null() {
                continue;
            }
            if let Some((value, removed)) = self.contained(&pointer, item) {
                let mut dropped = self.dropped_under(&pointer);
                dropped.extend(removed);
                dropped.sort();
                dropped.dedup();
                out.push(Located {
                    value,
                    file: self.file,
                    dropped,
                    pointer,
                });
            }
        }
        out
    }
}

/// How many values one entity may lose before it is given up whole.
const MAX_REPAIRS: usize = 64;

/// `/a/0/b` for a serde path.
fn path_text(segments: &[serde_path_to_error::Segment]) -> String {
    segments
        .iter()
        .map(|seg| match seg {
            serde_path_to_error::Segment::Seq { index } => format!("/{index}"),
            serde_path_to_error::Segment::Map { key } => {
                format!("/{}", key.replace('~', "~0").replace('/', "~1"))
            }
            _ => String::new(),
        })
        .collect()
}

/// Removes the value at `path` (a list item or a field); false when there is none.
fn remove_at(json: &mut Value, path: &[serde_path_to_error::Segment]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = json;
    for seg in parents {
        let next = match (seg, node) {
            (serde_path_to_error::Segment::Seq { index }, Value::Array(a)) => a.get_mut(*index),
            (serde_path_to_error::Segment::Map { key }, Value::Object(m)) => m.get_mut(key),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    match (last, node) {
        (serde_path_to_error::Segment::Seq { index }, Value::Array(a)) if *index < a.len() => {
            a.remove(*index);
            true
        }
        (serde_path_to_error::Segment::Map { key }, Value::Object(m)) => m.remove(key).is_some(),
        _ => false,
    }
}
