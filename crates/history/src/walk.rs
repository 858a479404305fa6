//! Walking history: the semantic changes of each commit, oldest first.
//!
//! **What is compared.** Each commit is compared with its first parent (first-parent
//! history by default, so a squash merge and a merge commit both read as one change on the
//! main line, attributed to the commit that landed it). Trees are compared by object id
//! from the portfolio folder down — `programs/` and then each program folder is entered
//! only when its id changed — so an unrelated commit costs two lookups, and a commit that
//! edits one file costs one blob read. No file is checked out and `git` is never run.
//!
//! **Each distinct blob is parsed once.** A changed file is parsed through the loader
//! (`milepost_load::load` of a one-file set: YAML with positions, schema validation, the
//! typed model), and the result — the file's entities as flat field maps — is cached by
//! blob id. A file's version before a commit is the version after the previous commit on
//! the line, so along a first-parent walk only the new side of each change is ever parsed.
//!
//! **Only the edited entity is re-read.** Most commits edit one entity of a list file (a
//! milestone's target, a risk's review date). When the text of a new version differs from
//! the previous one only inside one entity's lines, just those lines go through the loader,
//! as a one-item file, and the other entities are taken over from the previous version (the
//! same allocations, so comparing them is free). Anything else — an edit across entities,
//! an entity added or removed, a top-level key, anchors and aliases, a finding — falls back
//! to parsing the whole file, so the result is always the whole-file result (a differential
//! test checks this).
//!
//! **In parallel where libgit2 allows.** Commits are read in parallel (each thread through
//! its own repository handle), then files are read and parsed in parallel, each file's
//! versions in order, in batches of commits; tree comparison and entity comparison stay on
//! one thread (a pack's caches are shared between handles behind a lock). The cache is
//! bounded: past [`CACHE_LIMIT`] entries it is emptied (a blob seen again after that is
//! parsed again).
//!
//! **A version that does not parse** is reported as a [`Problem`] of the commit that
//! introduced it and otherwise skipped: the walk keeps the file's last good version, so the
//! commit that fixes it shows the real changes since, not the whole file re-added. An
//! entity the schema rejects keeps its last good value the same way.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use git2::{ObjectType, Oid, Sort, Tree};
use milepost_load::{FileSet, Severity};
use milepost_model::FileKind;
use milepost_plan::{Calendar, calendar_of};
use rayon::prelude::*;
use serde::Serialize;

use crate::commit::{CommitInfo, to_datetime};
use crate::diff::{Change, diff_entity};
use crate::entity::{Entity, program_entities, qualify};
use crate::error::HistoryError;
use crate::repo::{History, is_file, short};

/// Parsed files kept in the blob cache before it is emptied.
pub const CACHE_LIMIT: usize = 8192;

/// Commits compared per batch (objects read, then parsed in parallel, then compared).
const BATCH: usize = 256;

/// What to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Follow only first parents (the default). Otherwise every commit reachable from the
    /// tip is walked in topological order, each non-merge commit compared with its parent
    /// and merge commits skipped (their changes are in the merged commits).
    pub first_parent: bool,
    /// Only this program's folder.
    pub program: Option<String>,
    /// Only these program file kinds (`None`: all of them).
    pub kinds: Option<Vec<FileKind>>,
    /// Only commits on or after this day (commit date, in the committer's time zone).
    pub since: Option<NaiveDate>,
    /// Only commits on or before this day.
    pub until: Option<NaiveDate>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        Self {
            first_parent: true,
            program: None,
            kinds: None,
            since: None,
            until: None,
        }
    }
}

/// The changes one commit made.
#[derive(Debug, Clone, Serialize)]
pub struct CommitChanges {
    /// The commit.
    pub commit: CommitInfo,
    /// Its semantic changes, by entity then field.
    pub changes: Vec<Change>,
}

/// A portfolio file that does not parse at some commit. The walk skips that version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The commit that introduced the bad version.
    pub commit: String,
    /// The file, relative to the portfolio folder.
    pub path: String,
    /// What is wrong (`line:column: message`), one finding per entry.
    pub messages: Vec<String>,
}

/// The result of a walk.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// The commits that changed something (within the filters), oldest first.
    pub commits: Vec<CommitChanges>,
    /// Commits walked (changing the portfolio or not).
    pub walked: usize,
    /// Versions of files that did not parse.
    pub problems: Vec<Problem>,
    /// In a shallow clone, the oldest commit present when the walk reached it (its parents
    /// are missing, so history before it is unknown).
    pub truncated: Option<String>,
    /// Distinct blobs parsed.
    pub parsed: usize,
}

/// A parsed version of one file.
#[derive(Debug, Default)]
struct ParsedFile {
    /// `(local name, entity)`; the charter's local name is empty.
    entities: Vec<(String, Arc<Entity>)>,
    /// Ids whose entity the schema rejected.
    unreadable: Vec<String>,
    /// Error-level YAML and schema findings.
    errors: Vec<String>,
    /// Nothing in the file can be trusted (YAML error, unreadable charter, unreadable lists).
    broken: bool,
    /// For milepost.yaml: its calendar.
    calendar: Option<Calendar>,
    /// What incremental parsing of the next version needs (list files that parsed cleanly).
    layout: Option<Layout>,
}

/// Where each entity of a list file is, so that the next version of the file can be read
/// incrementally (see [`parse_incremental`]).
#[derive(Debug, Clone)]
struct Layout {
    /// The file's text.
    text: Arc<str>,
    /// Per entity (same order as `entities`): its first line (1-based) and its list key.
    starts: Vec<(u32, Arc<str>)>,
    /// Lines (1-based) where any list item or top-level key starts, sorted.
    boundaries: Vec<u32>,
    /// The column of the `-` of the lists' items.
    indents: Vec<usize>,
}

/// One changed file between two trees.
#[derive(Debug, Clone)]
struct FileChange {
    path: String,
    kind: FileKind,
    program: Option<String>,
    old: Option<Oid>,
    new: Option<Oid>,
}

/// The versions of one file to parse in a batch, oldest first.
struct Chain {
    path: String,
    kind: FileKind,
    /// Blob ids, and whether each must be read and parsed (it is not in the cache).
    versions: Vec<(Oid, bool)>,
    /// The parse of the version before the first one, if known.
    base: Option<Arc<ParsedFile>>,
    /// Whether the file is deleted after the last version.
    ends_deleted: bool,
}

thread_local! {
    /// Each parsing thread's own handle on the repository being walked (a libgit2
    /// repository is not shared between threads).
    static REPOSITORY: std::cell::RefCell<Option<(std::path::PathBuf, git2::Repository)>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's handle on the repository at `git_dir`.
fn with_repo<T>(
    git_dir: &std::path::Path,
    f: impl FnOnce(&git2::Repository) -> Result<T, HistoryError>,
) -> Result<T, HistoryError> {
    REPOSITORY.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(p, _)| p != git_dir) {
            *cell = Some((git_dir.to_path_buf(), git2::Repository::open(git_dir)?));
        }
        let (_, repo) = cell
            .as_ref()
            .unwrap_or_else(|| unreachable!("opened above"));
        f(repo)
    })
}

/// Reads a blob through this thread's handle on the repository at `git_dir`.
fn read_blob(git_dir: &std::path::Path, id: Oid) -> Result<Vec<u8>, HistoryError> {
    with_repo(git_dir, |repo| Ok(repo.find_blob(id)?.content().to_vec()))
}

impl Chain {
    fn parse(
        &mut self,
        cache: &HashMap<CacheKey, Arc<ParsedFile>>,
        git_dir: &std::path::Path,
    ) -> Result<Vec<(CacheKey, Arc<ParsedFile>)>, HistoryError> {
        let mut prev = self.base.take();
        let mut out = Vec::with_capacity(self.versions.len());
        for &(id, read) in &self.versions {
            let key = (id, self.kind);
            let parsed = if read {
                let bytes = read_blob(git_dir, id)?;
                Arc::new(
                    prev.as_deref()
                        .filter(|p| !p.broken)
                        .and_then(|p| parse_incremental(&self.path, self.kind, p, &bytes))
                        .unwrap_or_else(|| parse_blob(&self.path, self.kind, bytes)),
                )
            } else {
                match cache.get(&key) {
                    Some(p) => Arc::clone(p),
                    None => continue,
                }
            };
            if !parsed.broken {
                prev = Some(Arc::clone(&parsed));
            }
            out.push((key, parsed));
        }
        Ok(out)
    }
}

/// A commit to compare and its files that changed.
struct Pending {
    info: CommitInfo,
    files: Vec<FileChange>,
}

/// What the walk needs of each commit.
struct Meta {
    id: Oid,
    /// Its portfolio tree.
    tree: Option<Oid>,
    /// With a program filter: the ids of milepost.yaml and of the program's folder.
    watched: (Option<Oid>, Option<Oid>),
    /// Its first parent's portfolio tree (filled in off the first-parent line only).
    parent_tree: Option<Oid>,
    merge: bool,
    date: NaiveDate,
}

type CacheKey = (Oid, FileKind);

/// Parses one blob through the loader.
fn parse_blob(path: &str, kind: FileKind, bytes: Vec<u8>) -> ParsedFile {
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
                out.entities.push((local, Arc::new(entity)));
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
    fn of(text: Arc<str>, starts: Vec<(u32, Arc<str>)>) -> Option<Layout> {
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
fn has_anchor_or_alias(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| matches!(w[0], b'&' | b'*') && (w[1].is_ascii_alphanumeric() || w[1] == b'_'))
}

/// A line that starts a list item (at one of the lists' indentations) or a top-level key.
fn is_boundary(line: &str, indents: &[usize]) -> bool {
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
fn parse_incremental(
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

/// The kind of a file at `programs/<id>/<name>` or at the root, if milepost reads it here.
fn kind_of(name: &str, in_program: bool) -> Option<FileKind> {
    if in_program {
        FileKind::from_program_file_name(name)
    } else if name == FileKind::Settings.file_name() {
        Some(FileKind::Settings)
    } else {
        None
    }
}

/// What a tree entry is: its id, object kind and whether it is a regular file.
type EntryInfo = (Oid, Option<ObjectType>, bool);

fn info(e: &git2::TreeEntry<'_>) -> EntryInfo {
    (e.id(), e.kind(), is_file(e))
}

/// Git's order of tree entries: by name, a tree's name compared as if it ended in `/`.
fn git_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    let key = |e: &git2::TreeEntry<'_>| e.kind() == Some(ObjectType::Tree);
    let (an, bn) = (a.name_bytes(), b.name_bytes());
    let common = an.len().min(bn.len());
    an[..common].cmp(&bn[..common]).then_with(|| {
        let next = |n: &[u8], tree: bool| n.get(common).copied().or(tree.then_some(b'/'));
        next(an, key(a)).cmp(&next(bn, key(b)))
    })
}

/// The entries whose id differs between two trees, paired by name: `(name, old, new)`.
/// Both trees are sorted in git's order, so one merge pass pairs them without allocating
/// for the unchanged entries.
fn changed_entries(
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
) -> Vec<(String, Option<EntryInfo>, Option<EntryInfo>)> {
    let name = |e: &git2::TreeEntry<'_>| String::from_utf8_lossy(e.name_bytes()).into_owned();
    let mut out = Vec::new();
    let (n_old, n_new) = (old.map_or(0, Tree::len), new.map_or(0, Tree::len));
    let (mut i, mut j) = (0, 0);
    while i < n_old || j < n_new {
        let a = old.and_then(|t| t.get(i)).filter(|_| i < n_old);
        let b = new.and_then(|t| t.get(j)).filter(|_| j < n_new);
        match (a, b) {
            (Some(a), Some(b)) => match git_order(&a, &b) {
                std::cmp::Ordering::Equal => {
                    if a.id() != b.id() || a.filemode() != b.filemode() {
                        out.push((name(&b), Some(info(&a)), Some(info(&b))));
                    }
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    out.push((name(&a), Some(info(&a)), None));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push((name(&b), None, Some(info(&b))));
                    j += 1;
                }
            },
            (Some(a), None) => {
                out.push((name(&a), Some(info(&a)), None));
                i += 1;
            }
            (None, Some(b)) => {
                out.push((name(&b), None, Some(info(&b))));
                j += 1;
            }
            (None, None) => break,
        }
    }
    // A name can appear twice when a file became a folder: keep the order stable.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Reads portfolio trees from one repository handle.
struct TreeReader<'r> {
    repo: &'r git2::Repository,
    prefix: &'r str,
}

impl TreeReader<'_> {
    /// The id of the portfolio folder's tree in a commit.
    fn portfolio_tree_id(&self, commit: &git2::Commit<'_>) -> Result<Option<Oid>, HistoryError> {
        if self.prefix.is_empty() {
            return Ok(Some(commit.tree_id()));
        }
        match commit.tree()?.get_path(std::path::Path::new(self.prefix)) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(e.id())),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// With a program filter, the ids of what the walk reads in a portfolio tree:
    /// milepost.yaml and `programs/<program>`.
    fn watched(
        &self,
        tree: Option<Oid>,
        program: Option<&str>,
    ) -> Result<(Option<Oid>, Option<Oid>), HistoryError> {
        let (Some(program), Some(tree)) = (program, self.tree(tree)?) else {
            return Ok((None, None));
        };
        let settings = tree
            .get_name(FileKind::Settings.file_name())
            .map(|e| e.id());
        let folder = match tree.get_path(std::path::Path::new("programs").join(program).as_path()) {
            Ok(e) => Some(e.id()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        Ok((settings, folder))
    }

    fn tree(&self, id: Option<Oid>) -> Result<Option<Tree<'_>>, HistoryError> {
        id.map(|id| self.repo.find_tree(id))
            .transpose()
            .map_err(Into::into)
    }

    /// The portfolio files that differ between two portfolio trees, within the filters.
    fn changed_files(
        &self,
        old: Option<Oid>,
        new: Option<Oid>,
        options: &WalkOptions,
    ) -> Result<Vec<FileChange>, HistoryError> {
        let mut out = Vec::new();
        if old == new {
            return Ok(out);
        }
        let (old_tree, new_tree) = (self.tree(old)?, self.tree(new)?);
        let child = |tree: &Option<Tree<'_>>, name: &str| {
            tree.as_ref()
                .and_then(|t| t.get_name(name).map(|e| (e.id(), e.kind(), is_file(&e))))
        };
        // milepost.yaml, whatever the filters: its calendar measures date moves.
        {
            let name = FileKind::Settings.file_name();
            let (o, n) = (child(&old_tree, name), child(&new_tree, name));
            let blob = |x: Option<(Oid, Option<ObjectType>, bool)>| {
                x.filter(|(_, k, f)| *k == Some(ObjectType::Blob) && *f)
                    .map(|(id, ..)| id)
            };
            let (o, n) = (blob(o), blob(n));
            if o != n {
                out.push(FileChange {
                    path: name.to_owned(),
                    kind: FileKind::Settings,
                    program: None,
                    old: o,
                    new: n,
                });
            }
        }
        let tree_of = |x: Option<(Oid, Option<ObjectType>, bool)>| {
            x.filter(|(_, k, _)| *k == Some(ObjectType::Tree))
                .map(|(id, ..)| id)
        };
        let (old_programs, new_programs) = (
            tree_of(child(&old_tree, "programs")),
            tree_of(child(&new_tree, "programs")),
        );
        if old_programs == new_programs {
            return Ok(out);
        }
        let (old_programs, new_programs) = (self.tree(old_programs)?, self.tree(new_programs)?);
        let pairs = match &options.program {
            Some(id) => {
                let one = |t: &Option<Tree<'_>>| {
                    t.as_ref().and_then(|t| t.get_name(id).map(|e| info(&e)))
                };
                let (o, n) = (one(&old_programs), one(&new_programs));
                if o == n {
                    Vec::new()
                } else {
                    vec![(id.clone(), o, n)]
                }
            }
            None => changed_entries(old_programs.as_ref(), new_programs.as_ref()),
        };
        for (program, o, n) in pairs {
            if !milepost_load::is_valid_program_id(&program) {
                continue;
            }
            let as_tree = |x: Option<(Oid, Option<ObjectType>, bool)>| {
                x.filter(|(_, k, _)| *k == Some(ObjectType::Tree))
                    .map(|(id, ..)| id)
            };
            let (o, n) = (self.tree(as_tree(o))?, self.tree(as_tree(n))?);
            for (name, fo, fn_) in changed_entries(o.as_ref(), n.as_ref()) {
                let Some(kind) = kind_of(&name, true) else {
                    continue;
                };
                if options.kinds.as_ref().is_some_and(|k| !k.contains(&kind)) {
                    continue;
                }
                let blob = |x: Option<(Oid, Option<ObjectType>, bool)>| {
                    x.filter(|(_, k, f)| *k == Some(ObjectType::Blob) && *f)
                        .map(|(id, ..)| id)
                };
                let (fo, fn_) = (blob(fo), blob(fn_));
                if fo != fn_ {
                    out.push(FileChange {
                        path: format!("programs/{program}/{name}"),
                        kind,
                        program: Some(program.clone()),
                        old: fo,
                        new: fn_,
                    });
                }
            }
        }
        Ok(out)
    }
}

impl History {
    fn reader(&self) -> TreeReader<'_> {
        TreeReader {
            repo: &self.repo,
            prefix: &self.prefix,
        }
    }

    /// The commits to walk from `tip`, oldest first, and the shallow boundary if reached.
    fn commit_list(
        &self,
        tip: Oid,
        first_parent: bool,
    ) -> Result<(Vec<Oid>, Option<Oid>), HistoryError> {
        let mut truncated = None;
        let mut list = Vec::new();
        if first_parent {
            let mut id = tip;
            loop {
                list.push(id);
                let commit = self.repo.find_commit(id)?;
                if commit.parent_count() == 0 {
                    if self.is_shallow_boundary(id) {
                        truncated = Some(id);
                    }
                    break;
                }
                let parent = commit.parent_id(0)?;
                if self.repo.find_commit(parent).is_err() {
                    truncated = Some(id);
                    break;
                }
                id = parent;
            }
            list.reverse();
        } else {
            let mut walk = self.repo.revwalk()?;
            walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
            walk.push(tip)?;
            for id in walk {
                let id = id?;
                if truncated.is_none() && self.is_shallow_boundary(id) {
                    truncated = Some(id);
                }
                list.push(id);
            }
        }
        Ok((list, truncated))
    }

    /// Walks history from `tip` (oldest first) and returns each commit's semantic changes.
    ///
    /// # Errors
    /// A git error when an object cannot be read. Files that do not parse are not errors:
    /// they are in [`Walk::problems`].
    pub fn walk(&self, tip: Oid, options: &WalkOptions) -> Result<Walk, HistoryError> {
        let (list, truncated) = self.commit_list(tip, options.first_parent)?;
        let mut walk = Walk {
            walked: list.len(),
            truncated: truncated.map(short),
            ..Walk::default()
        };
        let linear = options.first_parent;
        let git_dir = self.repo.path();
        let prefix = self.prefix.as_str();
        // 1. Each commit's portfolio tree (and, off the first-parent line, its parent's),
        //    read in parallel, each thread through its own repository handle.
        let metas: Vec<Meta> = list
            .par_iter()
            .map(|&id| {
                with_repo(git_dir, |repo| {
                    let reader = TreeReader { repo, prefix };
                    let commit = repo.find_commit(id)?;
                    let parent_tree = if linear || commit.parent_count() == 0 {
                        None
                    } else {
                        match commit.parent(0) {
                            Ok(p) => reader.portfolio_tree_id(&p)?,
                            Err(_) => None,
                        }
                    };
                    let tree = reader.portfolio_tree_id(&commit)?;
                    Ok(Meta {
                        id,
                        tree,
                        watched: reader.watched(tree, options.program.as_deref())?,
                        parent_tree,
                        merge: commit.parent_count() > 1,
                        date: to_datetime(commit.time()).date_naive(),
                    })
                })
            })
            .collect::<Result<_, HistoryError>>()?;
        let mut jobs: Vec<(Oid, Option<Oid>, Option<Oid>)> = Vec::new();
        let mut first_in_window: Option<Oid> = None;
        for (i, m) in metas.iter().enumerate() {
            let parent_tree = if linear {
                i.checked_sub(1).and_then(|p| metas[p].tree)
            } else {
                m.parent_tree
            };
            if (!linear && m.merge)
                || options.since.is_some_and(|s| m.date < s)
                || options.until.is_some_and(|u| m.date > u)
            {
                continue;
            }
            first_in_window.get_or_insert(m.id);
            // With one program watched, a commit that changed neither it nor the calendar
            // needs no tree comparison at all.
            let unchanged = match (linear, options.program.is_some(), i.checked_sub(1)) {
                (true, true, Some(p)) => metas[p].watched == m.watched,
                _ => m.tree == parent_tree,
            };
            if !unchanged && m.tree != parent_tree {
                jobs.push((m.id, parent_tree, m.tree));
            }
        }
        // 2. The files each commit changed, and its metadata. (On one handle: libgit2 shares
        //    a pack's caches between handles behind a lock, so threads would only contend.)
        let mut pending: Vec<Pending> = Vec::new();
        let reader = self.reader();
        for (id, old, new) in jobs {
            let files = reader.changed_files(old, new, options)?;
            if !files.is_empty() {
                let info = CommitInfo::of(&self.repo.find_commit(id)?);
                pending.push(Pending { info, files });
            }
        }
        let mut calendar = self.initial_calendar(first_in_window)?;
        let mut state: HashMap<String, Arc<ParsedFile>> = HashMap::new();
        let mut cache: HashMap<CacheKey, Arc<ParsedFile>> = HashMap::new();
        // The parse of each path's latest version (its text and layout), the base for
        // reading the next version incrementally.
        let mut last: HashMap<String, (Oid, Arc<ParsedFile>)> = HashMap::new();
        for batch in pending.chunks(BATCH) {
            // 1. Per file, the versions to parse in order; read the blobs not in the cache.
            let mut chains: Vec<Chain> = Vec::new();
            let mut open: HashMap<&str, usize> = HashMap::new();
            for p in batch {
                for f in &p.files {
                    let at = match open.get(f.path.as_str()) {
                        Some(&at) if linear => at,
                        _ => {
                            let base = last
                                .get(&f.path)
                                .filter(|(id, _)| linear && Some(*id) == f.old)
                                .map(|(_, parsed)| Arc::clone(parsed));
                            let mut chain = Chain {
                                path: f.path.clone(),
                                kind: f.kind,
                                versions: Vec::new(),
                                base,
                                ends_deleted: false,
                            };
                            if chain.base.is_none()
                                && let Some(old) = f.old
                            {
                                chain.versions.push((old, false));
                            }
                            chains.push(chain);
                            open.insert(&f.path, chains.len() - 1);
                            chains.len() - 1
                        }
                    };
                    let chain = &mut chains[at];
                    if let Some(new) = f.new {
                        if chain.versions.last().map(|v| v.0) != Some(new) {
                            chain.versions.push((new, false));
                        }
                    } else {
                        chain.ends_deleted = true;
                        open.remove(f.path.as_str());
                    }
                }
            }
            for chain in &mut chains {
                for (id, read) in &mut chain.versions {
                    *read = !cache.contains_key(&(*id, chain.kind));
                    walk.parsed += usize::from(*read);
                }
            }
            // 2. Read and parse, files in parallel (each thread reads through its own handle
            //    on the repository), each file's versions in order (incrementally from the
            //    previous version where the edit allows).
            let parsed: Vec<Vec<(CacheKey, Arc<ParsedFile>)>> = chains
                .par_iter_mut()
                .map(|chain| chain.parse(&cache, git_dir))
                .collect::<Result<_, HistoryError>>()?;
            if cache.len() > CACHE_LIMIT {
                cache.clear();
            }
            for (chain, versions) in chains.iter().zip(parsed) {
                if linear {
                    match versions.last() {
                        Some(((id, _), p)) if !chain.ends_deleted && !p.broken => {
                            last.insert(chain.path.clone(), (*id, Arc::clone(p)));
                        }
                        _ if chain.ends_deleted => {
                            last.remove(&chain.path);
                        }
                        _ => {}
                    }
                }
                cache.extend(versions);
            }
            // 3. Compare, in commit order.
            for p in batch {
                let info = p.info.clone();
                let mut changes = Vec::new();
                for f in &p.files {
                    let before = if linear {
                        state.get(&f.path).cloned()
                    } else {
                        None
                    }
                    .or_else(|| f.old.and_then(|o| cache.get(&(o, f.kind)).cloned()))
                    .filter(|b| !b.broken);
                    let after = f.new.and_then(|n| cache.get(&(n, f.kind)).cloned());
                    if let Some(a) = &after {
                        if !a.errors.is_empty() {
                            walk.problems.push(Problem {
                                commit: info.id.clone(),
                                path: f.path.clone(),
                                messages: a.errors.clone(),
                            });
                        }
                        if a.broken {
                            // Keep the last good version for the commit that fixes it.
                            if linear
                                && !state.contains_key(&f.path)
                                && let Some(b) = before
                            {
                                state.insert(f.path.clone(), b);
                            }
                            continue;
                        }
                    }
                    if f.kind == FileKind::Settings {
                        calendar = after
                            .as_ref()
                            .and_then(|a| a.calendar.clone())
                            .unwrap_or_else(Calendar::default_week);
                        continue;
                    }
                    let program = f.program.as_deref().unwrap_or_default();
                    let merged = compare_files(
                        program,
                        before.as_deref(),
                        after.as_deref(),
                        &calendar,
                        &mut changes,
                    );
                    if linear {
                        match (merged, after) {
                            (Some(m), _) => {
                                state.insert(f.path.clone(), Arc::new(m));
                            }
                            (None, Some(a)) => {
                                state.insert(f.path.clone(), a);
                            }
                            (None, None) => {
                                state.remove(&f.path);
                            }
                        }
                    }
                }
                if !changes.is_empty() {
                    walk.commits.push(CommitChanges {
                        commit: info,
                        changes,
                    });
                }
            }
        }
        Ok(walk)
    }

    /// The calendar before the first commit of the window: its parent's milepost.yaml.
    fn initial_calendar(&self, first: Option<Oid>) -> Result<Calendar, HistoryError> {
        let default = Calendar::default_week;
        let Some(first) = first else {
            return Ok(default());
        };
        let commit = self.repo.find_commit(first)?;
        let Ok(parent) = commit.parent(0) else {
            return Ok(default());
        };
        let reader = self.reader();
        let Some(tree) = reader.tree(reader.portfolio_tree_id(&parent)?)? else {
            return Ok(default());
        };
        let Some(entry) = tree.get_name(FileKind::Settings.file_name()) else {
            return Ok(default());
        };
        let parsed = parse_blob(
            FileKind::Settings.file_name(),
            FileKind::Settings,
            self.blob_bytes(entry.id())?,
        );
        Ok(parsed.calendar.unwrap_or_else(default))
    }
}

/// Compares two versions of a file, pushing the changes. An entity the new version could
/// not read keeps its old value; the merged version is returned when that happened.
fn compare_files(
    program: &str,
    before: Option<&ParsedFile>,
    after: Option<&ParsedFile>,
    calendar: &Calendar,
    out: &mut Vec<Change>,
) -> Option<ParsedFile> {
    let empty = ParsedFile::default();
    let before = before.unwrap_or(&empty);
    let after_file = after.unwrap_or(&empty);
    let old: HashMap<&str, &Arc<Entity>> = before
        .entities
        .iter()
        .map(|(k, e)| (k.as_str(), e))
        .collect();
    let mut kept: Vec<(String, Arc<Entity>)> = Vec::new();
    for id in &after_file.unreadable {
        if let Some(e) = old.get(id.as_str())
            && !after_file.entities.iter().any(|(k, _)| k == id)
        {
            kept.push((id.clone(), Arc::clone(e)));
        }
    }
    let new: HashMap<&str, &Arc<Entity>> = after_file
        .entities
        .iter()
        .chain(kept.iter())
        .map(|(k, e)| (k.as_str(), e))
        .collect();
    let mut names: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let (b, a) = (old.get(name).copied(), new.get(name).copied());
        // An entity taken over by an incremental read is the same allocation: no compare.
        let same = match (b, a) {
            (Some(b), Some(a)) => Arc::ptr_eq(b, a) || b == a,
            (None, None) => true,
            _ => false,
        };
        if !same {
            diff_entity(
                &qualify(program, name),
                b.map(AsRef::as_ref),
                a.map(AsRef::as_ref),
                calendar,
                out,
            );
        }
    }
    if kept.is_empty() {
        return None;
    }
    let mut entities = after_file.entities.clone();
    entities.extend(kept);
    Some(ParsedFile {
        entities,
        unreadable: Vec::new(),
        errors: Vec::new(),
        broken: false,
        calendar: None,
        layout: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MILESTONES: &str = "# Ledger plan\nmilestones:\n  - id: M1\n    title: Schema\n    owner: ada\n    duration: 5d\n    target: 2026-10-30\n    deliverables:\n      - Migration\n  # the cut-over\n  - id: M2\n    title: Cut-over\n    owner: bob\n    duration: 5d\n    depends_on: [M1]\n    target: 2026-11-06\n";
    const RAID: &str = "risks:\n  - id: R-1\n    title: Overrun\n    probability: medium\n    impact: high\n  - id: R-2\n    title: Vendor\n    probability: low\n    impact: low\ndependencies:\n  - id: D-1\n    title: Feed\n    needed_by: 2026-11-02\n";

    fn full(path: &str, kind: FileKind, text: &str) -> ParsedFile {
        parse_blob(path, kind, text.as_bytes().to_vec())
    }

    /// The incremental result, checked against a whole-file parse.
    fn check(path: &str, kind: FileKind, before: &str, after: &str) -> bool {
        let prev = full(path, kind, before);
        assert!(prev.layout.is_some(), "no layout for {before}");
        let whole = full(path, kind, after);
        match parse_incremental(path, kind, &prev, after.as_bytes()) {
            Some(inc) => {
                assert_eq!(inc.entities, whole.entities, "{after}");
                assert!(!whole.broken && whole.errors.is_empty(), "{after}");
                // The next edit from the incremental result still matches.
                let next = after.replacen("title:", "title: x", 1);
                if let Some(again) = parse_incremental(path, kind, &inc, next.as_bytes()) {
                    assert_eq!(again.entities, full(path, kind, &next).entities);
                }
                true
            }
            None => false,
        }
    }

    #[test]
    fn incremental_reading_equals_a_whole_file_parse() {
        let m = "programs/p/milestones.yaml";
        let r = "programs/p/raid.yaml";
        let (mk, rk) = (FileKind::Milestones, FileKind::Raid);
        // Edits inside one entity are read incrementally.
        assert!(check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace("2026-11-06", "2026-11-20")
        ));
        assert!(check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace("id: M1", "id: M0")
        ));
        assert!(check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace(
                "      - Migration\n",
                "      - Migration\n      - Backfill\n"
            )
        ));
        assert!(check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace("    owner: bob\n", "")
        ));
        assert!(check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace("# the cut-over", "# the big cut-over")
        ));
        assert!(check(
            r,
            rk,
            RAID,
            &RAID.replace("impact: low", "impact: critical")
        ));
        assert!(check(
            r,
            rk,
            RAID,
            &format!("{RAID}    status: delivered\n")
        ));
        // Anything else falls back to a whole-file parse (and so cannot differ).
        assert!(!check(
            m,
            mk,
            MILESTONES,
            &format!("{MILESTONES}  - id: M3\n    title: New\n")
        ));
        assert!(!check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace("milestones:", "milestones:\n  - id: M0\n    title: Zero")
        ));
        assert!(!check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace("    title: Cut-over\n", "    title: [Cut-over\n")
        ));
        assert!(!check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace(
                "    duration: 5d\n    depends_on",
                "    duration: 5 days\n    depends_on"
            )
        ));
        assert!(!check(
            r,
            rk,
            RAID,
            &RAID.replace("    impact: low\n", "    impact: low\nassumptions: []\n")
        ));
        assert!(!check(
            r,
            rk,
            RAID,
            &RAID.replace("title: Overrun", "title: &a Overrun")
        ));
        assert!(!check(
            r,
            rk,
            RAID,
            &RAID.replace(
                "  - id: R-2\n    title: Vendor\n    probability: low\n    impact: low\n",
                ""
            )
        ));
        assert!(!check(
            m,
            mk,
            MILESTONES,
            &MILESTONES.replace("    owner: ada\n", "    owner: ada\n    ownr: bob\n")
        ));
    }

    #[test]
    #[expect(
        clippy::format_collect,
        reason = "a test helper builds short strings; clarity over allocation"
    )]
    fn incremental_reading_matches_on_generated_portfolios() {
        let files = milepost_synth::generate(&milepost_synth::Options::with_programs(3));
        let mut incremental = 0;
        for (path, text) in files
            .iter()
            .filter(|(p, _)| p.ends_with("milestones.yaml") || p.ends_with("raid.yaml"))
        {
            let kind = if path.ends_with("raid.yaml") {
                FileKind::Raid
            } else {
                FileKind::Milestones
            };
            for (key, value) in [
                ("target:", "2027-06-01"),
                ("reviewed:", "2026-11-30"),
                ("status:", "done"),
                ("title:", "Renamed"),
            ] {
                for nth in 0..12 {
                    let mut seen = 0;
                    let edited: String = text
                        .lines()
                        .map(|l| {
                            let t = l.trim_start();
                            if t.starts_with(key) {
                                seen += 1;
                                if seen == nth + 1 {
                                    return format!("{}{key} {value}\n", &l[..l.len() - t.len()]);
                                }
                            }
                            format!("{l}\n")
                        })
                        .collect();
                    if edited != *text && check(path, kind, text, &edited) {
                        incremental += 1;
                    }
                }
            }
        }
        assert!(incremental > 50, "{incremental}");
    }
}
