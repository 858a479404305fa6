//! The repository that holds a portfolio: finding it, naming commits, reading trees.
//!
//! [`History::open`] discovers the repository that contains the portfolio folder and
//! remembers where the folder sits inside it (its *prefix*), so every later read goes
//! straight to `<commit>:<prefix>/programs/…` in the object database: nothing is checked out
//! and `git` is never run. Only local repositories are read (libgit2 is built without network
//! transports).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use git2::{BranchType, ErrorCode, ObjectType, Oid, Repository, Tree};
use milepost_load::{FileSet, Portfolio, did_you_mean};

use crate::commit::CommitInfo;
use crate::error::HistoryError;

/// A portfolio folder inside a git repository.
pub struct History {
    pub(crate) repo: Repository,
    /// The folder inside the repository, `/`-separated, without a trailing `/`; empty when
    /// the portfolio is the repository root.
    pub(crate) prefix: String,
    /// The portfolio folder on disk.
    dir: PathBuf,
    /// Commits whose parents a shallow clone does not have.
    shallow: HashSet<Oid>,
    /// The persistent parse cache walks use, if any.
    pub(crate) cache: Option<crate::cache::Cache>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("repository", &self.repo.path())
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// A commit named on the command line, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rev {
    /// What was asked for (`main`, `v1.2`, `HEAD~3`), or how it was found
    /// (`merge-base of HEAD and origin/main`).
    pub name: String,
    /// The commit.
    pub id: Oid,
}

impl History {
    /// Opens the repository that contains the portfolio folder `dir`.
    ///
    /// # Errors
    /// [`HistoryError::NotFound`] when `dir` does not exist, [`HistoryError::NotARepository`]
    /// when no repository contains it, [`HistoryError::Bare`] for a bare repository.
    pub fn open(dir: &Path) -> Result<History, HistoryError> {
        // libgit2 re-hashes every object it reads by default (SHA-1 with collision
        // detection): most of the time of a history walk. `git` does not do that on reads
        // (`git fsck` verifies a repository), and milepost only reads, so neither do we.
        // Nor does it keep libgit2's object cache: each thread's handle would hold up to
        // 256 MiB of trees and commits a walk reads once (the walk keeps what it needs; at
        // 5,000 commits the cache was a third of the peak memory and made the walk slower).
        static FAST_READS: std::sync::Once = std::sync::Once::new();
        FAST_READS.call_once(|| {
            git2::opts::strict_hash_verification(false);
            git2::opts::enable_caching(false);
        });
        let canon = dir
            .canonicalize()
            .map_err(|_| HistoryError::NotFound(dir.to_path_buf()))?;
        let repo = Repository::discover(&canon).map_err(|e| match e.code() {
            ErrorCode::NotFound => HistoryError::NotARepository(dir.to_path_buf()),
            _ => HistoryError::Git(e),
        })?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| HistoryError::Bare(repo.path().to_path_buf()))?
            .canonicalize()
            .map_err(|_| HistoryError::NotARepository(dir.to_path_buf()))?;
        let relative = canon
            .strip_prefix(&workdir)
            .map_err(|_| HistoryError::NotARepository(dir.to_path_buf()))?;
        let prefix = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let shallow = if repo.is_shallow() {
            std::fs::read_to_string(repo.path().join("shallow"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| Oid::from_str(l.trim()).ok())
                .collect()
        } else {
            HashSet::new()
        };
        Ok(History {
            repo,
            prefix,
            dir: dir.to_path_buf(),
            shallow,
            cache: None,
        })
    }

    /// Keeps parsed file versions between runs in `cache` (`None`: no persistent cache, the
    /// default). A walk of the whole portfolio then reads and parses only the versions it
    /// has not seen before (a walk of one program does not use it); its result is the same
    /// either way. See [`crate::cache::Cache`].
    pub fn set_cache(&mut self, cache: Option<crate::cache::Cache>) {
        self.cache = cache;
    }

    /// The portfolio folder's path inside the repository (`""` at the root,
    /// `portfolio` or `ops/portfolio` otherwise).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The day of a commit (its committer's date, in the committer's time zone).
    ///
    /// # Errors
    /// A git error when the commit cannot be read.
    pub fn commit_date(&self, id: Oid) -> Result<chrono::NaiveDate, HistoryError> {
        let commit = self.repo.find_commit(id)?;
        Ok(crate::commit::to_datetime(commit.time()).date_naive())
    }

    /// Whether the commit with full id `commit` is `base` or one of its ancestors: a change
    /// the state at `base` already contains.
    pub fn contains(&self, base: Oid, commit: &str) -> bool {
        Oid::from_str(commit)
            .is_ok_and(|id| id == base || self.repo.graph_descendant_of(base, id).unwrap_or(false))
    }

    /// The underlying libgit2 repository.
    pub fn repository(&self) -> &Repository {
        &self.repo
    }

    /// Whether the repository is a shallow clone.
    pub fn is_shallow(&self) -> bool {
        !self.shallow.is_empty()
    }

    /// Whether `id` is a commit whose parents a shallow clone cut off.
    pub(crate) fn is_shallow_boundary(&self, id: Oid) -> bool {
        self.shallow.contains(&id)
    }

    /// The folders of the repository (in its `HEAD` commit) that hold a milepost.yaml, at most
    /// five, looking at no more than 100,000 tree entries.
    pub fn portfolios_at_head(&self) -> Vec<String> {
        let repo = &self.repo;
        let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) else {
            return Vec::new();
        };
        let mut found: Vec<String> = Vec::new();
        let mut seen = 0usize;
        let _ = tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
            seen += 1;
            if entry.name().ok() == Some("milepost.yaml") {
                let folder = folder.trim_end_matches('/');
                found.push(if folder.is_empty() {
                    ".".to_owned()
                } else {
                    folder.to_owned()
                });
            }
            if seen > 100_000 || found.len() >= 5 {
                git2::TreeWalkResult::Abort
            } else {
                git2::TreeWalkResult::Ok
            }
        });
        found.sort();
        found
    }

    /// The commit `HEAD` points at (a branch or a detached commit).
    ///
    /// # Errors
    /// [`HistoryError::EmptyRepository`] when there is no commit yet.
    pub fn head(&self) -> Result<Rev, HistoryError> {
        let head = self.repo.head().map_err(|e| match e.code() {
            ErrorCode::UnbornBranch | ErrorCode::NotFound => self.empty(),
            _ => HistoryError::Git(e),
        })?;
        let id = head.peel_to_commit()?.id();
        Ok(Rev {
            name: "HEAD".to_owned(),
            id,
        })
    }

    /// The last commit of the first-parent line from `tip` made on or before `day` (its
    /// committer's date): the state of the portfolio at the end of that day. `None` when the
    /// history starts later.
    ///
    /// # Errors
    /// A git error when a commit cannot be read.
    pub fn at_end_of(&self, tip: Oid, day: chrono::NaiveDate) -> Result<Option<Rev>, HistoryError> {
        let mut id = tip;
        loop {
            let commit = self.repo.find_commit(id)?;
            if crate::commit::to_datetime(commit.time()).date_naive() <= day {
                return Ok(Some(Rev {
                    name: format!("the last commit on or before {day}"),
                    id,
                }));
            }
            match commit.parent_id(0) {
                Ok(parent) if self.repo.find_commit(parent).is_ok() => id = parent,
                _ => return Ok(None),
            }
        }
    }

    /// No commit at all: `HEAD` is unborn and no branch exists.
    fn has_no_commits(&self) -> bool {
        let unborn = matches!(self.repo.head(), Err(e) if e.code() == ErrorCode::UnbornBranch || e.code() == ErrorCode::NotFound);
        unborn
            && self
                .repo
                .branches(None)
                .map_or(true, |mut b| b.next().is_none())
    }

    fn empty(&self) -> HistoryError {
        HistoryError::EmptyRepository(
            self.repo
                .workdir()
                .unwrap_or_else(|| self.repo.path())
                .to_path_buf(),
        )
    }

    /// Resolves a branch, tag, commit id or revision expression (`HEAD~2`) to a commit.
    ///
    /// # Errors
    /// [`HistoryError::UnknownRef`] with the closest branch or tag name as a suggestion;
    /// [`HistoryError::EmptyRepository`] for `HEAD` in a repository without commits.
    pub fn resolve(&self, spec: &str) -> Result<Rev, HistoryError> {
        if spec == "HEAD" {
            return self.head();
        }
        match self
            .repo
            .revparse_single(spec)
            .and_then(|o| o.peel_to_commit())
        {
            Ok(commit) => Ok(Rev {
                name: spec.to_owned(),
                id: commit.id(),
            }),
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::NotFound
                        | ErrorCode::InvalidSpec
                        | ErrorCode::Ambiguous
                        | ErrorCode::Peel
                        | ErrorCode::UnbornBranch
                ) || e.class() == git2::ErrorClass::Reference =>
            {
                if self.has_no_commits() {
                    return Err(self.empty());
                }
                let names = self.ref_names();
                let suggestion =
                    did_you_mean(spec, names.iter().map(String::as_str)).map(str::to_owned);
                Err(HistoryError::UnknownRef {
                    name: spec.to_owned(),
                    suggestion,
                })
            }
            Err(e) => Err(HistoryError::Git(e)),
        }
    }

    /// Local and remote branch names and tag names.
    fn ref_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if let Ok(branches) = self.repo.branches(None) {
            for (branch, _) in branches.flatten() {
                if let Ok(Some(name)) = branch.name() {
                    names.push(name.to_owned());
                }
            }
        }
        if let Ok(tags) = self.repo.tag_names(None) {
            names.extend(tags.iter().flatten().flatten().map(str::to_owned));
        }
        names
    }

    /// The default branch: `origin/HEAD`, else `main` (local, then `origin/main`), else
    /// `master` (local, then `origin/master`).
    ///
    /// # Errors
    /// [`HistoryError::NoDefaultBranch`] when none exists.
    pub fn default_branch(&self) -> Result<Rev, HistoryError> {
        if let Ok(r) = self.repo.find_reference("refs/remotes/origin/HEAD")
            && let Ok(commit) = r.resolve().and_then(|r| r.peel_to_commit())
        {
            let name = r
                .symbolic_target()
                .ok()
                .flatten()
                .and_then(|t| t.strip_prefix("refs/remotes/"))
                .unwrap_or("origin/HEAD")
                .to_owned();
            return Ok(Rev {
                name,
                id: commit.id(),
            });
        }
        for name in ["main", "master"] {
            for (kind, full) in [
                (BranchType::Local, name.to_owned()),
                (BranchType::Remote, format!("origin/{name}")),
            ] {
                if let Ok(branch) = self.repo.find_branch(&full, kind)
                    && let Ok(commit) = branch.get().peel_to_commit()
                {
                    return Ok(Rev {
                        name: full,
                        id: commit.id(),
                    });
                }
            }
        }
        Err(HistoryError::NoDefaultBranch)
    }

    /// The merge base of two commits.
    ///
    /// # Errors
    /// [`HistoryError::Shallow`] when a shallow clone lacks the history to find it,
    /// [`HistoryError::NoMergeBase`] when the commits share no history.
    pub fn merge_base(&self, a: &Rev, b: &Rev) -> Result<Rev, HistoryError> {
        match self.repo.merge_base(a.id, b.id) {
            Ok(id) => Ok(Rev {
                name: format!("merge-base of {} and {}", a.name, b.name),
                id,
            }),
            Err(e) if e.code() == ErrorCode::NotFound => {
                if let Some(boundary) = self.shallow.iter().next() {
                    Err(HistoryError::Shallow {
                        boundary: short(*boundary),
                        needed: format!("finding the merge base of {} and {}", a.name, b.name),
                    })
                } else {
                    Err(HistoryError::NoMergeBase(a.name.clone(), b.name.clone()))
                }
            }
            Err(e) => Err(HistoryError::Git(e)),
        }
    }

    /// A commit's metadata.
    ///
    /// # Errors
    /// A git error when the commit cannot be read.
    pub fn commit_info(&self, id: Oid) -> Result<CommitInfo, HistoryError> {
        Ok(CommitInfo::of(&self.repo.find_commit(id)?))
    }

    /// Whether a commit carries a signature (a `gpgsig` header: GPG, SSH or X.509). The
    /// signature is not verified: that needs the signers' keys, which an audit checks
    /// separately.
    pub fn is_signed(&self, id: Oid) -> bool {
        self.repo.extract_signature(&id, None).is_ok()
    }

    /// The portfolio folder's tree in a commit, or `None` when the commit does not have it.
    pub(crate) fn portfolio_tree(&self, commit: Oid) -> Result<Option<Tree<'_>>, HistoryError> {
        let tree = self.repo.find_commit(commit)?.tree()?;
        if self.prefix.is_empty() {
            return Ok(Some(tree));
        }
        match tree.get_path(Path::new(&self.prefix)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Tree) => {
                Ok(Some(self.repo.find_tree(entry.id())?))
            }
            Ok(_) => Ok(None),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The portfolio's files in a commit, as `(path relative to the portfolio, blob id)`:
    /// `milepost.yaml`, `people.yaml` and the YAML files of each `programs/<id>/` folder.
    pub(crate) fn files_at(&self, commit: Oid) -> Result<Option<Vec<(String, Oid)>>, HistoryError> {
        let Some(tree) = self.portfolio_tree(commit)? else {
            return Ok(None);
        };
        let mut files = Vec::new();
        for entry in &tree {
            let Ok(name) = entry.name() else { continue };
            match entry.kind() {
                Some(ObjectType::Blob) if is_file(&entry) && is_yaml(name) => {
                    files.push((name.to_owned(), entry.id()));
                }
                Some(ObjectType::Tree) if name == "programs" => {
                    let programs = self.repo.find_tree(entry.id())?;
                    for program in &programs {
                        let Ok(id) = program.name() else { continue };
                        match program.kind() {
                            Some(ObjectType::Tree) => {
                                for file in &self.repo.find_tree(program.id())? {
                                    if let Ok(fname) = file.name()
                                        && file.kind() == Some(ObjectType::Blob)
                                        && is_file(&file)
                                        && is_yaml(fname)
                                    {
                                        files.push((format!("programs/{id}/{fname}"), file.id()));
                                    }
                                }
                            }
                            Some(ObjectType::Blob) if is_yaml(id) => {
                                files.push((format!("programs/{id}"), program.id()));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(Some(files))
    }

    /// Loads the portfolio as it was in a commit, straight from the git tree; `None` when
    /// the commit does not have the portfolio folder.
    ///
    /// # Errors
    /// A git error when an object cannot be read.
    pub fn portfolio_at(&self, commit: Oid) -> Result<Option<Portfolio>, HistoryError> {
        let Some(files) = self.files_at(commit)? else {
            return Ok(None);
        };
        let mut contents = Vec::with_capacity(files.len());
        for (path, id) in files {
            contents.push((path, self.blob_bytes(id)?));
        }
        Ok(Some(milepost_load::load(FileSet::from_memory(contents))))
    }

    /// The bytes of a blob.
    pub(crate) fn blob_bytes(&self, id: Oid) -> Result<Vec<u8>, HistoryError> {
        Ok(self.repo.find_blob(id)?.content().to_vec())
    }

    /// Loads the portfolio as it is in the working tree (uncommitted changes included).
    ///
    /// # Errors
    /// The loader's error when the folder is not a portfolio.
    pub fn working_tree_portfolio(&self) -> Result<Portfolio, milepost_load::LoadError> {
        milepost_load::load_dir(&self.dir)
    }

    /// Where the working tree comes from, for SARIF's `versionControlProvenance`: the
    /// `origin` remote as an `https` URL without credentials, the `HEAD` commit and branch.
    /// `None` without commits.
    pub fn provenance(&self) -> Option<Provenance> {
        let head = self.repo.head().ok()?;
        let revision = head.peel_to_commit().ok()?.id().to_string();
        let branch = head
            .is_branch()
            .then(|| head.shorthand().ok().map(str::to_owned))
            .flatten();
        let repository_uri = self
            .repo
            .find_remote("origin")
            .ok()
            .and_then(|r| r.url().ok().map(str::to_owned))
            .and_then(|url| web_url(&url));
        Some(Provenance {
            repository_uri,
            revision,
            branch,
        })
    }

    /// The portfolio files (paths relative to the portfolio) that differ between a commit
    /// and the working tree: changed, added or removed. `None` when the commit does not have
    /// the portfolio folder. Compares blob ids, so it reads each working-tree file once and
    /// no blob from the object store.
    ///
    /// # Errors
    /// A git error when the commit's tree cannot be read; the loader's error when the
    /// working tree is not a portfolio.
    pub fn changed_since(
        &self,
        commit: Oid,
    ) -> Result<Option<std::collections::BTreeSet<String>>, HistoryError> {
        let Some(before) = self.files_at(commit)? else {
            return Ok(None);
        };
        let mut before: std::collections::BTreeMap<String, Oid> = before.into_iter().collect();
        let mut changed = std::collections::BTreeSet::new();
        let files = FileSet::from_dir(&self.dir).map_err(|e| {
            HistoryError::Git(git2::Error::from_str(&format!(
                "reading the working tree: {e}"
            )))
        })?;
        for file in &files.files {
            let path = file.path.to_string();
            let now = milepost_load::read_content(&file.content)
                .ok()
                .and_then(|bytes| Oid::hash_object(ObjectType::Blob, &bytes).ok());
            match (before.remove(&path), now) {
                (Some(old), Some(new)) if old == new => {}
                _ => {
                    changed.insert(path);
                }
            }
        }
        changed.extend(before.into_keys());
        Ok(Some(changed))
    }

    /// The program folders of a commit (for "did you mean" on an unknown program).
    pub fn programs_at(&self, commit: Oid) -> Vec<String> {
        let Ok(Some(tree)) = self.portfolio_tree(commit) else {
            return Vec::new();
        };
        let Some(entry) = tree.get_name("programs") else {
            return Vec::new();
        };
        let Ok(programs) = self.repo.find_tree(entry.id()) else {
            return Vec::new();
        };
        programs
            .iter()
            .filter(|e| e.kind() == Some(ObjectType::Tree))
            .filter_map(|e| e.name().ok().map(str::to_owned))
            .collect()
    }
}

/// Where a working tree comes from ([`History::provenance`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The `origin` remote as a web URL (`https://github.com/acme/portfolio`), when there is
    /// one; credentials in the remote URL are dropped.
    pub repository_uri: Option<String>,
    /// The `HEAD` commit (full id).
    pub revision: String,
    /// The checked-out branch, when `HEAD` is on one.
    pub branch: Option<String>,
}

/// A remote URL as an `https` URL without credentials or `.git`: `git@github.com:a/b.git`,
/// `ssh://git@github.com/a/b` and `https://token@github.com/a/b.git` all give
/// `https://github.com/a/b`. `None` for a local path or anything unrecognised.
pub fn web_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (host, path) = if let Some(rest) = remote
        .strip_prefix("https://")
        .or_else(|| remote.strip_prefix("http://"))
        .or_else(|| remote.strip_prefix("ssh://"))
        .or_else(|| remote.strip_prefix("git://"))
    {
        rest.split_once('/')?
    } else if let Some((user_host, path)) = remote.split_once(':') {
        // scp-like syntax: `git@github.com:acme/portfolio.git`.
        if user_host.contains('/') || path.starts_with("//") {
            return None;
        }
        (user_host, path)
    } else {
        return None;
    };
    let host = host.rsplit('@').next()?;
    // An ssh port (`ssh://git@host:2222/a/b`) is not the web port.
    let host = match host.split_once(':') {
        Some((name, port))
            if port.chars().all(|c| c.is_ascii_digit()) && remote.starts_with("ssh://") =>
        {
            name
        }
        _ => host,
    };
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~/:%".contains(c))
    };
    (valid(host) && valid(path) && !host.contains('/')).then(|| format!("https://{host}/{path}"))
}

/// A regular file (not a symlink or a submodule).
pub(crate) fn is_file(entry: &git2::TreeEntry<'_>) -> bool {
    matches!(entry.filemode(), 0o100_644 | 0o100_755)
}

pub(crate) fn is_yaml(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The abbreviated id of a commit.
pub(crate) fn short(id: Oid) -> String {
    let mut s = id.to_string();
    s.truncate(7);
    s
}
