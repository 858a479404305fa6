//! Reading blobs in parallel: each thread has its own handle on the repository (libgit2
//! handles are not shared), and each file's versions of a batch are read and parsed in
//! order, so that a version can be read incrementally from the one before it.

use std::collections::HashMap;
use std::sync::Arc;

use git2::Oid;
use milepost_model::FileKind;

use super::parse::{CacheKey, ParsedFile, parse_blob, parse_incremental};
use crate::error::HistoryError;

/// The versions of one file to parse in a batch, oldest first.
pub(super) struct Chain {
    pub(super) path: String,
    pub(super) kind: FileKind,
    /// Blob ids, and whether each must be read and parsed (it is not in the cache).
    pub(super) versions: Vec<(Oid, bool)>,
    /// The parse of the version before the first one, if known.
    pub(super) base: Option<Arc<ParsedFile>>,
    /// Whether the file is deleted after the last version.
    pub(super) ends_deleted: bool,
}

thread_local! {
    /// Each parsing thread's own handle on the repository being walked (a libgit2
    /// repository is not shared between threads).
    static REPOSITORY: std::cell::RefCell<Option<(std::path::PathBuf, git2::Repository)>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's handle on the repository at `git_dir`.
pub(crate) fn with_repo<T>(
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
pub(super) fn read_blob(git_dir: &std::path::Path, id: Oid) -> Result<Vec<u8>, HistoryError> {
    with_repo(git_dir, |repo| Ok(repo.find_blob(id)?.content().to_vec()))
}

impl Chain {
    pub(super) fn parse(
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
