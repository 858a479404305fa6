//! Every way reading history can fail, each with a message that says what to do.
//!
//! These are "could not run" errors (the CLI maps them to exit code 2). A commit whose
//! portfolio does not parse is *not* an error: the walk reports it as a
//! [`Problem`](crate::Problem) and goes on.

use std::path::PathBuf;

/// Why history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The path is not inside a git repository.
    #[error("`{0}` is not inside a git repository")]
    NotARepository(PathBuf),
    /// The path does not exist.
    #[error("`{0}` does not exist")]
    NotFound(PathBuf),
    /// The repository has no working tree (a bare repository).
    #[error("the repository at `{0}` is bare: it has no working tree to find the portfolio in")]
    Bare(PathBuf),
    /// The repository has no commits yet.
    #[error("the git repository at `{0}` has no commits yet")]
    EmptyRepository(PathBuf),
    /// A shallow clone whose history stops before what the command needs.
    #[error(
        "this is a shallow clone: its history stops at commit {boundary}, and {needed} needs the commits before it"
    )]
    Shallow {
        /// The oldest commit present (abbreviated).
        boundary: String,
        /// What needed the missing history (`log`, `the merge base`).
        needed: String,
    },
    /// A branch, tag or commit that does not exist.
    #[error("`{name}` is not a branch, tag or commit of this repository")]
    UnknownRef {
        /// What was asked for.
        name: String,
        /// The closest existing branch or tag.
        suggestion: Option<String>,
    },
    /// No default branch to compare with.
    #[error("cannot find the default branch: none of origin/HEAD, main or master exists")]
    NoDefaultBranch,
    /// Two commits without a common ancestor.
    #[error("`{0}` and `{1}` have no common ancestor")]
    NoMergeBase(String, String),
    /// An entity that never appeared in the history.
    #[error("`{name}` does not appear in the history of the portfolio")]
    UnknownEntity {
        /// What was asked for.
        name: String,
        /// The closest entity or program that does.
        suggestion: Option<String>,
    },
    /// A commit the walk needs is missing from a repository that is not a shallow clone:
    /// the object store is damaged (or objects were pruned by hand).
    #[error(
        "the repository is missing commit {missing}, the parent of {child}: its object store is damaged"
    )]
    Missing {
        /// The missing commit (abbreviated).
        missing: String,
        /// The commit that names it as a parent (abbreviated).
        child: String,
    },
    /// An error from libgit2 that is none of the above (a corrupt object, a permission).
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
}

/// What to do about a damaged repository.
const FSCK_HINT: &str = "the repository looks damaged: `git fsck --full` shows what is broken; a fresh clone (or `git fetch --refetch`) restores missing objects";

impl HistoryError {
    /// How to get past the error.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NotARepository(_) => {
                "history commands read git history: run them inside a clone of the repository that holds the portfolio (`milepost check` works without git)".to_owned()
            }
            Self::NotFound(_) => "pass the portfolio folder (holding milepost.yaml and programs/)".to_owned(),
            Self::Bare(_) => "run the command in a clone with a working tree".to_owned(),
            Self::EmptyRepository(_) => "commit the portfolio first (`git add . && git commit`)".to_owned(),
            Self::Shallow { .. } => {
                "fetch the full history: `git fetch --unshallow`, or in GitHub Actions `actions/checkout` with `fetch-depth: 0`".to_owned()
            }
            Self::UnknownRef {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`? (`git branch -a` and `git tag` list what exists)"),
            Self::UnknownRef { .. } => {
                "pass a branch, a tag or a commit id; `git branch -a` and `git tag` list what exists; in CI, fetch them (`fetch-depth: 0`)".to_owned()
            }
            Self::NoDefaultBranch => {
                "pass the base explicitly, for example `milepost diff origin/main`".to_owned()
            }
            Self::NoMergeBase(..) => {
                "pass the base explicitly; in CI, fetch the full history (`fetch-depth: 0`)".to_owned()
            }
            Self::UnknownEntity {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`? Write `program` or `program/id`"),
            Self::UnknownEntity { .. } => {
                "write `program` (a charter) or `program/id` (`checkout-v2/M3`)".to_owned()
            }
            Self::Missing { .. } => FSCK_HINT.to_owned(),
            Self::Git(e) => match e.class() {
                git2::ErrorClass::Odb
                | git2::ErrorClass::Object
                | git2::ErrorClass::Zlib
                | git2::ErrorClass::Tree
                | git2::ErrorClass::Index
                | git2::ErrorClass::Reference => FSCK_HINT.to_owned(),
                git2::ErrorClass::Os | git2::ErrorClass::Filesystem => {
                    "check that the repository's files are readable by this user".to_owned()
                }
                _ => return None,
            },
        })
    }
}
