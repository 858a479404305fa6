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
//! Parsing happens in parallel (rayon) in batches of commits; reading objects (libgit2) and
//! comparing entities stay on one thread. The cache is bounded: past
//! [`CACHE_LIMIT`] entries it is emptied (a blob seen again after that is parsed again).
//!
//! **A version that does not parse** is reported as a [`Problem`] of the commit that
//! introduced it and otherwise skipped: the walk keeps the file's last good version, so the
//! commit that fixes it shows the real changes since, not the whole file re-added. An
//! entity the schema rejects keeps its last good value the same way.

use std::collections::{HashMap, HashSet};
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
    entities: Vec<(String, Entity)>,
    /// Ids whose entity the schema rejected.
    unreadable: Vec<String>,
    /// Error-level YAML and schema findings.
    errors: Vec<String>,
    /// Nothing in the file can be trusted (YAML error, unreadable charter, unreadable lists).
    broken: bool,
    /// For milepost.yaml: its calendar.
    calendar: Option<Calendar>,
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

/// A commit to compare and its files that changed.
struct Pending {
    id: Oid,
    files: Vec<FileChange>,
}

type CacheKey = (Oid, FileKind);

/// Parses one blob through the loader.
fn parse_blob(path: &str, kind: FileKind, bytes: Vec<u8>) -> ParsedFile {
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
        out.unreadable = program.unreadable_ids.iter().cloned().collect();
        program_entities(program, |local, entity, complete| {
            if complete {
                out.entities.push((local, entity));
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
    } else {
        out.broken = yaml_error || !out.errors.is_empty();
    }
    out
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

fn valid_program_id(name: &str) -> bool {
    name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `(name, id, kind, is regular file)` of a tree's entries.
fn entries(tree: Option<&Tree<'_>>) -> Vec<(String, Oid, Option<ObjectType>, bool)> {
    tree.map(|t| {
        t.iter()
            .filter_map(|e| Some((e.name().ok()?.to_owned(), e.id(), e.kind(), is_file(&e))))
            .collect()
    })
    .unwrap_or_default()
}

/// Pairs entries by name: `(name, old, new)` for names whose ids differ.
fn changed_pairs(
    old: Vec<(String, Oid, Option<ObjectType>, bool)>,
    new: Vec<(String, Oid, Option<ObjectType>, bool)>,
) -> Vec<(String, Option<(Oid, Option<ObjectType>, bool)>, Option<(Oid, Option<ObjectType>, bool)>)>
{
    let mut map: HashMap<String, (Option<_>, Option<_>)> = HashMap::new();
    for (name, id, kind, file) in old {
        map.entry(name).or_default().0 = Some((id, kind, file));
    }
    for (name, id, kind, file) in new {
        map.entry(name).or_default().1 = Some((id, kind, file));
    }
    let mut out: Vec<_> = map
        .into_iter()
        .filter(|(_, (o, n))| o.map(|x| x.0) != n.map(|x| x.0))
        .map(|(name, (o, n))| (name, o, n))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

impl History {
    /// The id of the portfolio folder's tree in a commit.
    fn portfolio_tree_id(&self, commit: &git2::Commit<'_>) -> Result<Option<Oid>, HistoryError> {
        if self.prefix.is_empty() {
            return Ok(Some(commit.tree_id()));
        }
        match commit.tree()?.get_path(std::path::Path::new(&self.prefix)) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(e.id())),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
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
                    t.as_ref().and_then(|t| {
                        t.get_name(id)
                            .map(|e| vec![(id.clone(), e.id(), e.kind(), is_file(&e))])
                    })
                };
                changed_pairs(
                    one(&old_programs).unwrap_or_default(),
                    one(&new_programs).unwrap_or_default(),
                )
            }
            None => changed_pairs(
                entries(old_programs.as_ref()),
                entries(new_programs.as_ref()),
            ),
        };
        for (program, o, n) in pairs {
            if !valid_program_id(&program) {
                continue;
            }
            let as_tree = |x: Option<(Oid, Option<ObjectType>, bool)>| {
                x.filter(|(_, k, _)| *k == Some(ObjectType::Tree))
                    .map(|(id, ..)| id)
            };
            let (o, n) = (self.tree(as_tree(o))?, self.tree(as_tree(n))?);
            for (name, fo, fn_) in changed_pairs(entries(o.as_ref()), entries(n.as_ref())) {
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
        // The portfolio tree id of each commit, and of its parent.
        let mut pending: Vec<Pending> = Vec::new();
        let mut previous: Option<(Oid, Option<Oid>)> = None;
        let mut first_in_window: Option<Oid> = None;
        for &id in &list {
            let commit = self.repo.find_commit(id)?;
            let tree = self.portfolio_tree_id(&commit)?;
            let parent_tree = match (linear, previous) {
                (true, Some((_, t))) => t,
                _ if commit.parent_count() == 0 => None,
                _ => match commit.parent(0) {
                    Ok(p) => self.portfolio_tree_id(&p)?,
                    Err(_) => None,
                },
            };
            previous = Some((id, tree));
            if !linear && commit.parent_count() > 1 {
                continue;
            }
            let date = to_datetime(commit.time()).date_naive();
            if options.since.is_some_and(|s| date < s) || options.until.is_some_and(|u| date > u)
            {
                continue;
            }
            if first_in_window.is_none() {
                first_in_window = Some(id);
            }
            if tree != parent_tree {
                let files = self.changed_files(parent_tree, tree, options)?;
                if !files.is_empty() {
                    pending.push(Pending { id, files });
                }
            }
        }
        let mut calendar = self.initial_calendar(first_in_window)?;
        let mut state: HashMap<String, Arc<ParsedFile>> = HashMap::new();
        let mut cache: HashMap<CacheKey, Arc<ParsedFile>> = HashMap::new();
        for batch in pending.chunks(BATCH) {
            // 1. Read the blobs to parse: new versions, and old versions the state lacks.
            let mut wanted: Vec<(CacheKey, String)> = Vec::new();
            let mut seen: HashSet<CacheKey> = HashSet::new();
            let mut touched: HashSet<&str> = HashSet::new();
            for p in batch {
                for f in &p.files {
                    let needs_old = !linear
                        || (!state.contains_key(&f.path) && !touched.contains(f.path.as_str()));
                    touched.insert(&f.path);
                    let olds = f.old.filter(|_| needs_old);
                    for id in [olds, f.new].into_iter().flatten() {
                        let key = (id, f.kind);
                        if !cache.contains_key(&key) && seen.insert(key) {
                            wanted.push((key, f.path.clone()));
                        }
                    }
                }
            }
            let mut blobs = Vec::with_capacity(wanted.len());
            for (key, path) in wanted {
                blobs.push((key, path, self.blob_bytes(key.0)?));
            }
            // 2. Parse them in parallel.
            walk.parsed += blobs.len();
            if cache.len() + blobs.len() > CACHE_LIMIT {
                cache.clear();
            }
            let parsed: Vec<(CacheKey, ParsedFile)> = blobs
                .into_par_iter()
                .map(|(key, path, bytes)| (key, parse_blob(&path, key.1, bytes)))
                .collect();
            cache.extend(parsed.into_iter().map(|(k, p)| (k, Arc::new(p))));
            // 3. Compare, in commit order.
            for p in batch {
                let info = self.commit_info(p.id)?;
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
                            if linear && !state.contains_key(&f.path) {
                                if let Some(b) = before {
                                    state.insert(f.path.clone(), b);
                                }
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
        let Some(tree) = self.tree(self.portfolio_tree_id(&parent)?)? else {
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
    let old: HashMap<&str, &Entity> = before
        .entities
        .iter()
        .map(|(k, e)| (k.as_str(), e))
        .collect();
    let mut kept: Vec<(String, Entity)> = Vec::new();
    for id in &after_file.unreadable {
        if let Some(e) = old.get(id.as_str()) {
            if !after_file.entities.iter().any(|(k, _)| k == id) {
                kept.push((id.clone(), (*e).clone()));
            }
        }
    }
    let new: HashMap<&str, &Entity> = after_file
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
        if b != a {
            diff_entity(&qualify(program, name), b, a, calendar, out);
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
    })
}
