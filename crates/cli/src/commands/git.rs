//! What the history commands (`diff`, `log`, `audit`, `metrics`) share: the portfolio
//! folder option, opening its repository, naming the commit to read, and reporting file
//! versions that did not parse.

use std::io::Write;
use std::path::PathBuf;

use milepost_history::{History, Problem, Rev};

use crate::error::CliError;

/// Where the portfolio is and which history to read.
#[derive(Debug, Clone, clap::Args)]
pub struct RepoArgs {
    /// The portfolio folder, or any file or folder inside one, in a git repository. Without
    /// it, the portfolio is found upwards from the working directory, stopping at the
    /// repository root.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Deprecated spelling of PATH, kept so existing scripts keep working.
    #[arg(
        long = "path",
        value_name = "PATH",
        hide = true,
        conflicts_with = "path"
    )]
    pub path_flag: Option<PathBuf>,
    /// Walk every parent instead of the first-parent line: a merged change is attributed to
    /// the pull request's own commits rather than to the merge commit.
    #[arg(long)]
    pub all_parents: bool,
    /// Do not use the parse cache (`$XDG_CACHE_HOME/milepost`): read and parse every file
    /// version again. The output is the same either way.
    #[arg(long)]
    pub no_cache: bool,
}

impl RepoArgs {
    /// Opens the repository holding the portfolio. A folder that holds no portfolio is an
    /// error (exit 2), never an empty history: "0 changes" about the wrong folder is the
    /// worst answer an audit can give. The hint names the portfolios the repository does
    /// hold.
    pub fn open(&self) -> Result<History, CliError> {
        let path = self.path.as_deref().or(self.path_flag.as_deref());
        let dir = crate::commands::locate(path)?;
        let mut history = History::open(&dir)?;
        if !self.no_cache {
            history.set_cache(cache_for(&history));
        }
        let is_portfolio = dir.join("milepost.yaml").is_file() || dir.join("programs").is_dir();
        // An empty repository is reported as such by the command itself.
        let empty = history.repository().head().is_err();
        if !is_portfolio && !empty {
            let found = history.portfolios_at_head();
            let hint = if found.is_empty() {
                "pass the portfolio folder (holding milepost.yaml and programs/) as PATH, or create one with `milepost init DIR`".to_owned()
            } else {
                format!(
                    "this repository has a portfolio in {}; pass it as PATH (for example `milepost audit {}`)",
                    found
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    found.first().map_or(".", String::as_str)
                )
            };
            return Err(CliError::usage(
                format!(
                    "`{}` is not a milepost portfolio: it has neither milepost.yaml nor a programs/ folder",
                    dir.display()
                ),
                hint,
            ));
        }
        Ok(history)
    }
}

/// The parse cache for walks of `history`: `milepost` in the user's cache folder
/// (`$XDG_CACHE_HOME`, else `~/.cache`; `%LOCALAPPDATA%` on Windows). `None` when there is no
/// such folder, or when it lies inside the repository (a cache must never be committed).
pub fn cache_for(history: &History) -> Option<milepost_history::Cache> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache"))
                .filter(|p| p.is_absolute())
        })
        .or_else(|| {
            std::env::var_os("LOCALAPPDATA")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        })?;
    let dir = base.join("milepost");
    let real = existing_prefix(&dir);
    let repo = history.repository();
    let inside = [Some(repo.path()), repo.workdir()]
        .into_iter()
        .flatten()
        .filter_map(|p| p.canonicalize().ok())
        .any(|p| real.starts_with(p));
    (!inside).then(|| milepost_history::Cache::new(dir))
}

/// `path` with its longest existing ancestor resolved (symbolic links followed): where it
/// is, or would be once created.
fn existing_prefix(path: &std::path::Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = at.canonicalize() {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                at = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Resolves `--rev` (default `HEAD`).
pub fn tip(history: &History, rev: Option<&str>) -> Result<Rev, CliError> {
    Ok(match rev {
        Some(r) => history.resolve(r)?,
        None => history.head()?,
    })
}

/// Prints one warning per file version that did not parse (the walk skipped it).
pub fn warn_problems(problems: &[Problem]) {
    if problems.is_empty() {
        return;
    }
    let mut err = anstream::stderr();
    let yellow = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    for p in problems {
        let commit = &p.commit[..p.commit.len().min(7)];
        let first = p.messages.first().map_or("", String::as_str);
        let _ = writeln!(
            err,
            "{yellow}warning{yellow:#}: commit {commit}: {} does not parse ({first}); that version was skipped",
            p.path
        );
    }
}

/// Prints a note on stderr (`note: …`), for what a format cannot carry itself.
pub fn note(text: &str) {
    if crate::output::quiet() {
        return;
    }
    let mut err = anstream::stderr();
    let bold = anstyle::Style::new().bold();
    let _ = writeln!(
        err,
        "{bold}note{bold:#}: {}",
        crate::output::printable(text)
    );
}

/// Checks `--program` ids against the programs of the portfolio at `rev` (exit 2 with a
/// "did you mean" when one is unknown).
pub fn check_programs(history: &History, rev: &Rev, ids: &[String]) -> Result<(), CliError> {
    if ids.is_empty() {
        return Ok(());
    }
    let known = history.programs_at(rev.id);
    for id in ids {
        if !known.contains(id) {
            let hint = match milepost_load::did_you_mean(id, known.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("programs at {}: {}", rev.name, known.join(", ")),
            };
            return Err(CliError::usage(
                format!("no program `{id}` in the portfolio at {}", rev.name),
                hint,
            ));
        }
    }
    Ok(())
}

/// Whether an entity (`program` or `program/id`) belongs to one of `programs` (all when
/// empty).
pub fn in_programs(entity: &str, programs: &[String]) -> bool {
    programs.is_empty() || {
        let program = entity.split('/').next().unwrap_or_default();
        programs.iter().any(|p| p == program)
    }
}
