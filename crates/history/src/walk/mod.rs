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
//!
//! The parts: `trees` (which files changed between two trees), `read` (blobs read in
//! parallel, one repository handle per thread), `parse` (a version of a file into
//! entities, whole or incrementally); this module orchestrates them and compares entities.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use git2::{Oid, Sort};
use milepost_model::FileKind;
use milepost_plan::Calendar;
use rayon::prelude::*;
use serde::Serialize;

use crate::commit::{CommitInfo, to_datetime};
use crate::diff::{Change, diff_entity};
use crate::entity::{Entity, qualify};
use crate::error::HistoryError;
use crate::repo::{History, short};

mod parse;
mod read;
mod store;
mod trees;

use parse::{CacheKey, ParsedFile, parse_blob};
use read::Chain;
pub(crate) use read::with_repo;
use trees::{FileChange, TreeReader};

/// Parsed files kept in the blob cache before it is emptied.
pub const CACHE_LIMIT: usize = 1024;

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
    /// File versions taken from the persistent parse cache instead of being read and
    /// parsed (see [`crate::History::set_cache`]).
    pub cached: usize,
    /// Commits whose semantic changes came from the persistent cache whole (a walk of the
    /// whole history with nothing new reads, parses and compares no file at all).
    pub settled: usize,
    /// Program folders renamed along the way, oldest first. The changes of the commits
    /// before a rename name the program by its new id (the walk follows a program through
    /// its renames, as `git log --follow` does a file), so one program keeps one history.
    pub renames: Vec<Rename>,
}

/// A commit to compare and its files that changed.
struct Pending {
    info: CommitInfo,
    files: Vec<FileChange>,
    /// Program folders it renamed: `(from, to)`.
    renames: Vec<(String, String)>,
}

/// A program folder renamed in a commit (git's rename detection on the folder, or an
/// explicit `renamed_from:` in the new program.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// The commit that renamed it.
    pub commit: String,
    /// The program id before.
    pub from: String,
    /// The program id after.
    pub to: String,
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
    /// Its first parent.
    parent: Option<Oid>,
    /// Whether it came from the persistent cache.
    stored: bool,
}

impl History {
    fn reader(&self) -> TreeReader<'_> {
        TreeReader {
            repo: &self.repo,
            prefix: &self.prefix,
        }
    }

    /// The commits to walk from `tip`, oldest first, and the shallow boundary if reached.
    /// Outside a shallow clone, a commit's first parent recorded in the persistent cache is
    /// taken from there.
    fn commit_list(
        &self,
        tip: Oid,
        first_parent: bool,
        stored: &HashMap<Oid, store::CommitLine>,
    ) -> Result<(Vec<Oid>, Option<Oid>), HistoryError> {
        let mut truncated = None;
        let mut list = Vec::new();
        let trust_stored = !self.is_shallow();
        if first_parent {
            let mut id = tip;
            loop {
                list.push(id);
                if trust_stored
                    && let Some(parent) = stored.get(&id).and_then(store::CommitLine::parent)
                {
                    id = parent;
                    continue;
                }
                let commit = self.repo.find_commit(id)?;
                if commit.parent_count() == 0 {
                    if self.is_shallow_boundary(id) {
                        truncated = Some(id);
                    }
                    break;
                }
                let parent = commit.parent_id(0)?;
                if self.repo.find_commit(parent).is_err() {
                    // A shallow clone ends here by design; anywhere else a missing parent
                    // is damage, and saying "shallow clone" would send the user the wrong way.
                    if !self.is_shallow() {
                        return Err(HistoryError::Missing {
                            missing: short(parent),
                            child: short(id),
                        });
                    }
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
        // The persistent cache, for walks of the whole portfolio: parsed versions, and — on
        // first-parent walks — what each commit changed. A walk of one program (`log`) reads
        // only that program's files: loading the whole store would cost it more than it saves.
        let mut store = self
            .cache
            .as_ref()
            .filter(|_| options.program.is_none())
            .map(|c| store::Store::open(c, self.repo.commondir(), &self.prefix));
        let linear = options.first_parent;
        let commit_cache = linear && options.program.is_none() && options.kinds.is_none();
        // A walk of the whole first-parent history also keeps each commit's semantic
        // changes, which depend on nothing but the commit and its ancestry.
        let settle = commit_cache && options.since.is_none();
        let stored_commits: HashMap<Oid, store::CommitLine> = store
            .as_mut()
            .filter(|_| commit_cache)
            .map(|s| std::mem::take(&mut s.commits))
            .unwrap_or_default();
        let (list, truncated) = self.commit_list(tip, options.first_parent, &stored_commits)?;
        let mut walk = Walk {
            walked: list.len(),
            truncated: truncated.map(short),
            ..Walk::default()
        };
        let git_dir = self.repo.path();
        let prefix = self.prefix.as_str();
        // 1. Each commit's portfolio tree (and, off the first-parent line, its parent's),
        //    read in parallel, each thread through its own repository handle.
        milepost_model::progress::start("reading commits", list.len() as u64);
        let metas: Vec<Meta> = list
            .par_iter()
            .map(|&id| {
                milepost_model::progress::advance(1);
                if let Some(line) = stored_commits.get(&id)
                    && let Some((tree, date, merge)) = line.meta()
                {
                    return Ok(Meta {
                        id,
                        tree,
                        watched: (None, None),
                        parent_tree: None,
                        merge,
                        date,
                        parent: line.parent(),
                        stored: true,
                    });
                }
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
                        parent: commit.parent_id(0).ok(),
                        stored: false,
                    })
                })
            })
            .collect::<Result<_, HistoryError>>()?;
        // One program watched: if its folder was renamed from another, its history is in
        // the other folder too. Walk everything and keep that program's changes (renames are
        // rare; the fast path stays for the rest).
        if let Some(program) = &options.program
            && self.renamed_into(&metas, linear, program)?
        {
            let mut all = self.walk(
                tip,
                &WalkOptions {
                    program: None,
                    ..options.clone()
                },
            )?;
            let prefix = format!("{program}/");
            for c in &mut all.commits {
                c.changes
                    .retain(|ch| ch.entity == *program || ch.entity.starts_with(&prefix));
            }
            all.commits.retain(|c| !c.changes.is_empty());
            return Ok(all);
        }
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
        let mut compared: HashMap<Oid, store::CommitLine> = HashMap::new();
        let mut all_stored = true;
        milepost_model::progress::start("comparing trees", jobs.len() as u64);
        for (id, old, new) in jobs {
            milepost_model::progress::advance(1);
            if let Some((files, renames, info)) =
                stored_commits.get(&id).and_then(|c| c.compared(old))
            {
                if let Some(info) = info.filter(|_| !files.is_empty() || !renames.is_empty()) {
                    pending.push(Pending {
                        info,
                        files,
                        renames,
                    });
                }
                continue;
            }
            all_stored = false;
            let tc = reader.changed_files(old, new, options)?;
            let info = if !tc.files.is_empty() || !tc.renames.is_empty() {
                Some(CommitInfo::of(&self.repo.find_commit(id)?))
            } else {
                None
            };
            if commit_cache && store.is_some() {
                let mut line = stored_commits
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| store::CommitLine::new(id));
                line.set_compared(old, &tc.files, &tc.renames, info.as_ref());
                compared.insert(id, line);
            }
            if let Some(info) = info {
                pending.push(Pending {
                    info,
                    files: tc.files,
                    renames: tc.renames,
                });
            }
        }
        if commit_cache && let Some(store) = &mut store {
            for m in &metas {
                let mut line = match compared.get(&m.id).cloned() {
                    Some(line) => line,
                    None if !m.stored => store::CommitLine::new(m.id),
                    None => continue,
                };
                line.set_meta(m.tree, m.date, m.merge, m.parent);
                store.add_commit(m.id, &line);
                compared.insert(m.id, line);
            }
        }
        // Every commit's changes settled by an earlier walk from the same oldest commit:
        // nothing to read, parse or compare.
        let from = list.first().copied();
        let settled: Option<Vec<(&[Change], &store::Unparsed)>> = match from {
            Some(from) if settle && all_stored && store.is_some() => pending
                .iter()
                .map(|p| {
                    let id = Oid::from_str(&p.info.id).ok()?;
                    stored_commits.get(&id)?.settled(from)
                })
                .collect(),
            _ => None,
        };
        if let Some(settled) = settled {
            for (p, (changes, problems)) in pending.iter().zip(settled) {
                for (from, to) in &p.renames {
                    walk.renames.push(Rename {
                        commit: p.info.id.clone(),
                        from: from.clone(),
                        to: to.clone(),
                    });
                }
                walk.problems
                    .extend(problems.iter().map(|(path, messages)| Problem {
                        commit: p.info.id.clone(),
                        path: path.clone(),
                        messages: messages.clone(),
                    }));
                if !changes.is_empty() {
                    walk.commits.push(CommitChanges {
                        commit: p.info.clone(),
                        changes: changes.to_vec(),
                    });
                }
                walk.settled += 1;
            }
            // New commits that changed no portfolio file were recorded above.
            if let Some(store) = &mut store {
                store.save();
            }
            drop_later((store, stored_commits, pending, compared));
            follow_renames(&mut walk);
            return Ok(walk);
        }
        // What this walk finds is kept as settled (see above), commit by commit.
        let settling = from.filter(|_| settle && store.is_some());
        let mut calendar = self.initial_calendar(first_in_window)?;
        let mut state: HashMap<String, Arc<ParsedFile>> = HashMap::new();
        let mut cache: HashMap<CacheKey, Arc<ParsedFile>> = HashMap::new();
        // The parse of each path's latest version (its text and layout), the base for
        // reading the next version incrementally.
        let mut last: HashMap<String, (Oid, Arc<ParsedFile>)> = HashMap::new();
        milepost_model::progress::start("reading changes", pending.len() as u64);
        for batch in pending.chunks(BATCH) {
            milepost_model::progress::advance(batch.len() as u64);
            // 1. Per file, the versions to parse in order; read the blobs not in the cache.
            let mut chains: Vec<Chain> = Vec::new();
            let mut open: HashMap<&str, usize> = HashMap::new();
            for p in batch {
                for f in &p.files {
                    let at = match open.get(f.path.as_str()) {
                        Some(&at) if linear => at,
                        _ => {
                            let base = last
                                .get(f.old_path.as_ref().unwrap_or(&f.path))
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
                    let key = (*id, chain.kind);
                    if !cache.contains_key(&key)
                        && let Some(stored) = store.as_mut().and_then(|s| s.get(&key))
                    {
                        cache.insert(key, stored);
                        walk.cached += 1;
                    }
                    *read = !cache.contains_key(&key);
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
                if let Some(store) = &mut store {
                    for (key, parsed) in &versions {
                        if chain.versions.iter().any(|v| v.1 && v.0 == key.0) {
                            store.add(*key, parsed);
                        }
                    }
                }
                cache.extend(versions);
            }
            // 3. Compare, in commit order.
            for p in batch {
                let info = p.info.clone();
                let problems_before = walk.problems.len();
                let mut changes = Vec::new();
                for (from, to) in &p.renames {
                    changes.push(Change {
                        entity: to.clone(),
                        entity_kind: crate::entity::EntityKind::Program,
                        kind: crate::diff::ChangeKind::Modified,
                        field: Some("id".to_owned()),
                        before: serde_json::Value::String(from.clone()),
                        after: serde_json::Value::String(to.clone()),
                        work_days: None,
                        title: None,
                    });
                    walk.renames.push(Rename {
                        commit: info.id.clone(),
                        from: from.clone(),
                        to: to.clone(),
                    });
                }
                for f in &p.files {
                    if let Some(old_path) = &f.old_path {
                        // The folder was renamed: the file's history moves with it.
                        if linear && let Some(prev) = state.remove(old_path) {
                            state.insert(f.path.clone(), prev);
                        }
                        if linear
                            && let Some(prev) = last.remove(old_path)
                            && !last.contains_key(&f.path)
                        {
                            last.insert(f.path.clone(), prev);
                        }
                    }
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
                // (A commit settled already is not written again: one new commit on a long
                // history adds one line to the store, not every line.)
                if let (Some(from), Some(store), Ok(id)) =
                    (settling, &mut store, Oid::from_str(&info.id))
                    && stored_commits
                        .get(&id)
                        .is_none_or(|line| line.settled(from).is_none())
                {
                    let problems = walk.problems[problems_before..]
                        .iter()
                        .map(|p| (p.path.clone(), p.messages.clone()))
                        .collect();
                    let mut line = compared
                        .remove(&id)
                        .or_else(|| stored_commits.get(&id).cloned())
                        .unwrap_or_else(|| store::CommitLine::new(id));
                    line.set_settled(from, changes.clone(), problems);
                    store.add_commit(id, &line);
                }
                if !changes.is_empty() {
                    walk.commits.push(CommitChanges {
                        commit: info,
                        changes,
                    });
                }
            }
        }
        if let Some(store) = &mut store {
            store.save();
        }
        // Freeing the walk's tens of thousands of small allocations takes a noticeable
        // share of a warm run: it is done off the caller's thread.
        drop_later((store, stored_commits, cache, state, last));
        follow_renames(&mut walk);
        Ok(walk)
    }

    /// Whether a commit renamed another program folder into `program`: checked at each
    /// commit where the folder appears.
    fn renamed_into(
        &self,
        metas: &[Meta],
        linear: bool,
        program: &str,
    ) -> Result<bool, HistoryError> {
        let reader = self.reader();
        let unfiltered = WalkOptions {
            program: None,
            kinds: Some(vec![FileKind::Program]),
            ..WalkOptions::default()
        };
        for (i, m) in metas.iter().enumerate() {
            if m.watched.1.is_none() {
                continue;
            }
            let parent_tree = if linear {
                match i.checked_sub(1) {
                    Some(p) if metas[p].watched.1.is_none() => metas[p].tree,
                    _ => continue,
                }
            } else {
                if m.merge || reader.watched(m.parent_tree, Some(program))?.1.is_some() {
                    continue;
                }
                m.parent_tree
            };
            if parent_tree.is_none() {
                continue;
            }
            let tc = reader.changed_files(parent_tree, m.tree, &unfiltered)?;
            if tc.renames.iter().any(|(_, to)| to == program) {
                return Ok(true);
            }
        }
        Ok(false)
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
        let Some(entry) = tree
            .get_name(FileKind::Settings.file_name())
            .or_else(|| tree.get_name(FileKind::Settings.alt_file_name()))
        else {
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

/// Drops `value` on a thread of its own (or here, if no thread can be started).
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("milepost-free".to_owned())
        .spawn(move || drop(value));
}

/// Names each program by its latest id: the changes of the commits before a rename are
/// re-keyed from the old id to the new one (through chains of renames).
fn follow_renames(walk: &mut Walk) {
    if walk.renames.is_empty() {
        return;
    }
    let position: HashMap<&str, usize> = walk
        .commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.commit.id.as_str(), i))
        .collect();
    let renames: Vec<(usize, String, String)> = walk
        .renames
        .iter()
        .filter_map(|r| {
            Some((
                *position.get(r.commit.as_str())?,
                r.from.clone(),
                r.to.clone(),
            ))
        })
        .collect();
    for (at, from, to) in renames {
        let prefix = format!("{from}/");
        for c in &mut walk.commits[..at] {
            for change in &mut c.changes {
                if change.entity == from {
                    change.entity.clone_from(&to);
                } else if let Some(rest) = change.entity.strip_prefix(&prefix) {
                    change.entity = format!("{to}/{rest}");
                }
            }
        }
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
    if after_file.unreadable.is_empty() && same_names(before, after_file) {
        compare_in_place(program, before, after_file, calendar, out);
        return None;
    }
    compare_by_name(program, before, after_file, calendar, out)
}

/// [`compare_files`] in general: the entities of each version by name.
fn compare_by_name(
    program: &str,
    before: &ParsedFile,
    after_file: &ParsedFile,
    calendar: &Calendar,
    out: &mut Vec<Change>,
) -> Option<ParsedFile> {
    let old: HashMap<&str, &Arc<Entity>> = before.entities.iter().map(|(k, e)| (&**k, e)).collect();
    let mut kept: Vec<(Arc<str>, Arc<Entity>)> = Vec::new();
    for id in &after_file.unreadable {
        if let Some(e) = old.get(id.as_str())
            && !after_file.entities.iter().any(|(k, _)| **k == **id)
        {
            kept.push((id.as_str().into(), Arc::clone(e)));
        }
    }
    let new: HashMap<&str, &Arc<Entity>> = after_file
        .entities
        .iter()
        .chain(kept.iter())
        .map(|(k, e)| (&**k, e))
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

/// Whether two versions of a file list the same entity names in the same order (the usual
/// edit: a field changed, nothing added, removed or moved).
fn same_names(before: &ParsedFile, after: &ParsedFile) -> bool {
    before.entities.len() == after.entities.len()
        && before
            .entities
            .iter()
            .zip(&after.entities)
            .all(|((a, _), (b, _))| Arc::ptr_eq(a, b) || a == b)
}

/// [`compare_files`] for two versions with the [`same_names`]: the entities are compared
/// position by position instead of through two maps of names. The changes are the same, in
/// the same order: by name, and for a name listed twice, its last entity on each side (as
/// the maps would keep).
fn compare_in_place(
    program: &str,
    before: &ParsedFile,
    after: &ParsedFile,
    calendar: &Calendar,
    out: &mut Vec<Change>,
) {
    let mut names: Vec<&str> = before
        .entities
        .iter()
        .zip(&after.entities)
        .filter(|((_, b), (_, a))| !(Arc::ptr_eq(b, a) || b == a))
        .map(|((name, _), _)| &**name)
        .collect();
    if names.is_empty() {
        return;
    }
    names.sort_unstable();
    names.dedup();
    let last = |file: &'_ ParsedFile, name: &str| -> Option<Arc<Entity>> {
        file.entities
            .iter()
            .rev()
            .find(|(k, _)| **k == *name)
            .map(|(_, e)| Arc::clone(e))
    };
    for name in names {
        let (b, a) = (last(before, name), last(after, name));
        let same = match (&b, &a) {
            (Some(b), Some(a)) => Arc::ptr_eq(b, a) || b == a,
            _ => false,
        };
        if !same {
            diff_entity(
                &qualify(program, name),
                b.as_deref(),
                a.as_deref(),
                calendar,
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse::parse_incremental;
    use super::*;

    #[test]
    fn comparing_in_place_gives_the_changes_of_comparing_by_name() {
        // Small pseudo-random versions of a file: names from a few (some listed twice),
        // entities from a few (some shared between versions, some equal but not shared).
        let entity = |title: u64| {
            let mut fields = serde_json::Map::new();
            fields.insert("title".to_owned(), serde_json::Value::from(title % 2));
            let target = format!("2026-11-0{}", title + 1);
            fields.insert("target".to_owned(), serde_json::Value::from(target));
            Arc::new(Entity {
                kind: crate::entity::EntityKind::Milestone,
                fields,
            })
        };
        let pool: Vec<Arc<Entity>> = (0..4).map(entity).collect();
        let calendar = Calendar::default_week();
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let mut compared = 0;
        for _ in 0..5000 {
            let len = next(6) as usize;
            let names: Vec<String> = (0..len).map(|_| format!("M{}", next(4))).collect();
            let pick = |fresh: bool, i: u64| {
                if fresh {
                    entity(i)
                } else {
                    Arc::clone(&pool[i as usize])
                }
            };
            let before = ParsedFile {
                entities: names
                    .iter()
                    .map(|n| (Arc::from(n.as_str()), pick(false, next(4))))
                    .collect(),
                ..ParsedFile::default()
            };
            let after = ParsedFile {
                entities: names
                    .iter()
                    .map(|n| {
                        let fresh = next(3) == 0;
                        (Arc::from(n.as_str()), pick(fresh, next(4)))
                    })
                    .collect(),
                ..ParsedFile::default()
            };
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            compare_in_place("ledger", &before, &after, &calendar, &mut fast);
            assert!(compare_by_name("ledger", &before, &after, &calendar, &mut slow).is_none());
            assert_eq!(fast, slow, "{names:?}");
            compared += usize::from(!slow.is_empty());
        }
        assert!(compared > 1000, "most cases change something ({compared})");
    }

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
