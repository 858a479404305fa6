//! Comparing two portfolio trees by object id: `programs/` and each program folder are
//! entered only when their id changed, so an unrelated commit costs two lookups.

use git2::{ObjectType, Oid, Tree};

use super::WalkOptions;
use milepost_model::FileKind;

use crate::error::HistoryError;
use crate::repo::is_file;

/// One changed file between two trees.
#[derive(Debug, Clone)]
pub(super) struct FileChange {
    pub(super) path: String,
    pub(super) kind: FileKind,
    pub(super) program: Option<String>,
    pub(super) old: Option<Oid>,
    pub(super) new: Option<Oid>,
    /// The file's path before the commit when its program folder was renamed.
    pub(super) old_path: Option<String>,
}

/// The files two trees changed, and the program folders renamed between them.
#[derive(Debug, Default)]
pub(super) struct TreeChanges {
    pub(super) files: Vec<FileChange>,
    /// `(from, to)` program ids.
    pub(super) renames: Vec<(String, String)>,
}

/// The value of a top-level `renamed_from:` in a program.yaml, read without a YAML parser
/// (renames are rare, and the value is an id: no quoting or nesting to speak of).
pub(super) fn renamed_from(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix("renamed_from:")?;
        let value = rest.split(" #").next().unwrap_or_default().trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// The kind of a file at `programs/<id>/<name>` or at the root, if milepost reads it here.
pub(super) fn kind_of(name: &str, in_program: bool) -> Option<FileKind> {
    if in_program {
        FileKind::from_program_file_name(name)
    } else if FileKind::Settings.is_file_name(name) {
        Some(FileKind::Settings)
    } else {
        None
    }
}

/// What a tree entry is: its id, object kind and whether it is a regular file.
pub(super) type EntryInfo = (Oid, Option<ObjectType>, bool);

pub(super) fn info(e: &git2::TreeEntry<'_>) -> EntryInfo {
    (e.id(), e.kind(), is_file(e))
}

/// Git's order of tree entries: by name, a tree's name compared as if it ended in `/`.
pub(super) fn git_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
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
pub(super) fn changed_entries(
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
pub(super) struct TreeReader<'r> {
    pub(super) repo: &'r git2::Repository,
    pub(super) prefix: &'r str,
}

impl TreeReader<'_> {
    /// The id of the portfolio folder's tree in a commit.
    pub(super) fn portfolio_tree_id(
        &self,
        commit: &git2::Commit<'_>,
    ) -> Result<Option<Oid>, HistoryError> {
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
    pub(super) fn watched(
        &self,
        tree: Option<Oid>,
        program: Option<&str>,
    ) -> Result<(Option<Oid>, Option<Oid>), HistoryError> {
        let Some(program) = program else {
            return Ok((None, None));
        };
        let Some(tree) = self.tree(tree)? else {
            return Ok((None, None));
        };
        let settings = tree
            .get_name(FileKind::Settings.file_name())
            .or_else(|| tree.get_name(FileKind::Settings.alt_file_name()))
            .map(|e| e.id());
        let folder = match tree.get_path(std::path::Path::new("programs").join(program).as_path()) {
            Ok(e) => Some(e.id()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        Ok((settings, folder))
    }

    pub(super) fn tree(&self, id: Option<Oid>) -> Result<Option<Tree<'_>>, HistoryError> {
        id.map(|id| self.repo.find_tree(id))
            .transpose()
            .map_err(Into::into)
    }

    /// The portfolio files that differ between two portfolio trees, within the filters.
    pub(super) fn changed_files(
        &self,
        old: Option<Oid>,
        new: Option<Oid>,
        options: &WalkOptions,
    ) -> Result<TreeChanges, HistoryError> {
        let mut changes = TreeChanges::default();
        let out = &mut changes.files;
        if old == new {
            return Ok(changes);
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
                    old_path: None,
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
            return Ok(changes);
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
        let renames = match (&old_programs, &new_programs) {
            (Some(o), Some(n)) if options.program.is_none() => self.renames(o, n, &pairs)?,
            _ => Vec::new(),
        };
        for (from, to) in &renames {
            self.renamed_files(
                old_programs.as_ref(),
                new_programs.as_ref(),
                from,
                to,
                options,
                out,
            )?;
        }
        for (program, o, n) in pairs {
            if !milepost_load::is_valid_program_id(&program)
                || renames.iter().any(|(f, t)| *f == program || *t == program)
            {
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
                        old_path: None,
                    });
                }
            }
        }
        changes.renames = renames;
        Ok(changes)
    }

    /// The milepost files of a program folder: `(name, kind, blob)`.
    fn program_files(
        &self,
        programs: Option<&Tree<'_>>,
        id: &str,
    ) -> Result<Vec<(String, FileKind, Oid)>, HistoryError> {
        let Some(entry) = programs.and_then(|t| t.get_name(id)) else {
            return Ok(Vec::new());
        };
        if entry.kind() != Some(ObjectType::Tree) {
            return Ok(Vec::new());
        }
        let tree = self.repo.find_tree(entry.id())?;
        Ok(tree
            .iter()
            .filter(|e| e.kind() == Some(ObjectType::Blob) && is_file(e))
            .filter_map(|e| {
                let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
                kind_of(&name, true).map(|k| (name, k, e.id()))
            })
            .collect())
    }

    /// Program folders renamed between two `programs/` trees, among the folders that
    /// disappeared and appeared: an explicit `renamed_from:` in the new program.yaml first,
    /// then git's own rename detection (`find_similar`, 50% similarity): a folder is renamed
    /// when at least half of its milepost files moved into one new folder.
    fn renames(
        &self,
        old: &Tree<'_>,
        new: &Tree<'_>,
        pairs: &[(String, Option<EntryInfo>, Option<EntryInfo>)],
    ) -> Result<Vec<(String, String)>, HistoryError> {
        let is_tree =
            |x: &Option<EntryInfo>| x.is_some_and(|(_, k, _)| k == Some(ObjectType::Tree));
        let mut gone: Vec<&str> = pairs
            .iter()
            .filter(|(p, o, n)| is_tree(o) && !is_tree(n) && milepost_load::is_valid_program_id(p))
            .map(|(p, ..)| p.as_str())
            .collect();
        let mut came: Vec<&str> = pairs
            .iter()
            .filter(|(p, o, n)| !is_tree(o) && is_tree(n) && milepost_load::is_valid_program_id(p))
            .map(|(p, ..)| p.as_str())
            .collect();
        let mut out: Vec<(String, String)> = Vec::new();
        if gone.is_empty() || came.is_empty() {
            return Ok(out);
        }
        // 1. Explicit: the new charter names its old folder.
        for to in came.clone() {
            let charter = self
                .program_files(Some(new), to)?
                .into_iter()
                .find(|(_, k, _)| *k == FileKind::Program);
            let Some((_, _, blob)) = charter else {
                continue;
            };
            let blob = self.repo.find_blob(blob)?;
            let text = String::from_utf8_lossy(blob.content());
            if let Some(from) = renamed_from(&text)
                && let Some(at) = gone.iter().position(|g| *g == from)
            {
                out.push((from, to.to_owned()));
                gone.remove(at);
                came.retain(|c| *c != to);
            }
        }
        if gone.is_empty() || came.is_empty() {
            return Ok(out);
        }
        // 2. Git's rename detection over the two folders' files.
        let mut opts = git2::DiffOptions::new();
        for p in gone.iter().chain(&came) {
            opts.pathspec(format!("{p}/"));
        }
        let mut diff = self
            .repo
            .diff_tree_to_tree(Some(old), Some(new), Some(&mut opts))?;
        diff.find_similar(Some(git2::DiffFindOptions::new().renames(true)))?;
        let mut votes: std::collections::BTreeMap<(String, String), usize> =
            std::collections::BTreeMap::new();
        for delta in diff.deltas() {
            if delta.status() != git2::Delta::Renamed {
                continue;
            }
            let folder = |f: git2::DiffFile<'_>| {
                f.path()
                    .and_then(|p| p.components().next())
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
            };
            let name = delta
                .old_file()
                .path()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if kind_of(&name, true).is_none() {
                continue;
            }
            if let (Some(a), Some(b)) = (folder(delta.old_file()), folder(delta.new_file()))
                && gone.contains(&a.as_str())
                && came.contains(&b.as_str())
            {
                *votes.entry((a, b)).or_default() += 1;
            }
        }
        let mut ranked: Vec<((String, String), usize)> = votes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for ((from, to), n) in ranked {
            if out.iter().any(|(f, t)| *f == from || *t == to) {
                continue;
            }
            let files = self.program_files(Some(old), &from)?.len();
            if n * 2 >= files && n > 0 {
                out.push((from, to));
            }
        }
        Ok(out)
    }

    /// The files of a renamed program folder, each as a change from its old path (every
    /// file, changed or not, so that the walk carries each file's state to its new path).
    fn renamed_files(
        &self,
        old_programs: Option<&Tree<'_>>,
        new_programs: Option<&Tree<'_>>,
        from: &str,
        to: &str,
        options: &WalkOptions,
        out: &mut Vec<FileChange>,
    ) -> Result<(), HistoryError> {
        let before = self.program_files(old_programs, from)?;
        let after = self.program_files(new_programs, to)?;
        let mut names: Vec<(&str, FileKind)> = before
            .iter()
            .chain(&after)
            .map(|(n, k, _)| (n.as_str(), *k))
            .collect();
        names.sort_unstable();
        names.dedup();
        for (name, kind) in names {
            if options.kinds.as_ref().is_some_and(|k| !k.contains(&kind)) {
                continue;
            }
            let blob = |files: &[(String, FileKind, Oid)]| {
                files.iter().find(|(n, ..)| n == name).map(|(.., b)| *b)
            };
            out.push(FileChange {
                path: format!("programs/{to}/{name}"),
                kind,
                program: Some(to.to_owned()),
                old: blob(&before),
                new: blob(&after),
                old_path: Some(format!("programs/{from}/{name}")),
            });
        }
        Ok(())
    }
}
