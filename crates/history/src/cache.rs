//! Where the persistent parse cache lives and how big it may grow. The store itself (its
//! format, its checks, how concurrent runs share it) is the walk's: `walk/store.rs`.

use std::path::PathBuf;

/// Where and how big the persistent parse cache is (see [`crate::History::set_cache`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    /// The cache folder (created when first written).
    pub dir: PathBuf,
    /// The most bytes the folder's stores may take together.
    pub max_bytes: u64,
}

impl Cache {
    /// The default bound on the cache folder: 256 MiB.
    pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

    /// A cache in `dir` with the default size bound.
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: dir.into(),
            max_bytes: Self::DEFAULT_MAX_BYTES,
        }
    }
}
