//! One analysis of a portfolio, shared by every command, report and the language server.
//!
//! Before this layer each command re-derived the same chain — find the folder, load it,
//! pick the as-of date, plan, run the rules, forecast — and they drifted apart: `check`
//! gave the rules the git-history facts that `risk-stale` needs while the reports did not,
//! so `milepost check` passed on a folder whose `render summary` reported an error. A
//! [`Session`] resolves the shared arguments ([`Options`]: path, as-of date, program filter)
//! once into:
//!
//! - the portfolio folder ([`locate`]: the folder given, or the one found upwards from a
//!   file or folder inside it, stopping at the repository root);
//! - the loaded [`Portfolio`] (everything, or only what planning reads: [`Scope`]);
//! - the effective as-of date and where it came from ([`AsOf`]);
//! - the program filter, checked against the portfolio;
//! - the [`PortfolioPlan`];
//! - the findings, built lazily and always with the history facts when the portfolio is in
//!   a git repository ([`Session::findings`]);
//! - a lazily built forecast ([`Session::forecast`]).
//!
//! Reading the clock happens here and only here ([`today`]).

#![warn(missing_docs)]

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{as_prefix, relative};

    #[test]
    fn relative_paths_and_prefixes() {
        let r = |p: &str, b: &str| as_prefix(&relative(Path::new(p), Path::new(b)));
        assert_eq!(r("/repo/portfolio", "/repo"), "portfolio/");
        assert_eq!(r("/repo", "/repo"), "");
        assert_eq!(r("/repo/portfolio", "/repo/portfolio/programs/x"), "../../");
        assert_eq!(r("/repo/a/p", "/repo/b"), "../a/p/");
    }
}

mod base;

pub use base::{Base, BaseTally};

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, FileSet, LoadError, Portfolio, Severity};
use milepost_model::FileKind;
use milepost_plan::{Forecast, ForecastView, PlanView, PortfolioPlan, ScheduleError};

/// Monte Carlo runs of the forecast the reports show (P80 to within a work day or two): the
/// standard forecast `check` reads too.
pub const REPORT_FORECAST_RUNS: u32 = milepost_plan::STANDARD_RUNS;
/// The seed of the reports' forecast: the same seed gives the same dates on any machine.
pub const REPORT_FORECAST_SEED: u64 = milepost_plan::STANDARD_SEED;

/// Which files a session loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every file: what `check` and the reports read.
    #[default]
    Everything,
    /// Only what planning reads (settings, people, charters, milestones): `plan`, `forecast`.
    Planning,
}

/// The arguments every portfolio command shares, before they are resolved.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The portfolio folder, or any file or folder inside one; `None`: the working directory.
    pub path: Option<PathBuf>,
    /// `--as-of`: evaluate as of this day.
    pub as_of: Option<NaiveDate>,
    /// `--program` (repeatable): limit what is shown to these programs.
    pub programs: Vec<String>,
    /// Which files to load.
    pub scope: Scope,
}

/// Where the effective as-of date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// `--as-of` on the command line.
    Flag,
    /// `as_of:` in milepost.yaml.
    Pinned,
    /// Today's local date.
    Today,
}

/// Why a session could not be opened (a failure to run: exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The portfolio could not be loaded at all.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Git history could not be read (`check --base` outside a repository, an unknown
    /// revision, a shallow clone without the merge base).
    #[error(transparent)]
    History(#[from] milepost_history::HistoryError),
    /// `--program` names no program of the portfolio.
    #[error("no program `{id}` in the portfolio")]
    UnknownProgram {
        /// What was asked for.
        id: String,
        /// A close id, or the list of ids.
        hint: String,
    },
}

impl SessionError {
    /// How to get past the error.
    pub fn hint(&self) -> String {
        match self {
            Self::Load(e) => e.hint().to_owned(),
            Self::History(e) => e.hint().unwrap_or_default(),
            Self::UnknownProgram { hint, .. } => hint.clone(),
        }
    }
}

/// Today's date in the local time zone: the default as-of date. The one place milepost
/// reads the clock, so a user west of UTC in the evening still gets today, not tomorrow.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The portfolio folder for `start`, a portfolio folder or any file or folder inside one.
///
/// A file stands for its folder. From there, the first folder upwards that holds
/// `milepost.yaml` is the portfolio; the search stops at the root of the git repository
/// (the first folder holding `.git`) and at the file system root. The folder itself is also
/// a portfolio when it holds a `programs/` folder. When nothing is found, `start`'s folder
/// is returned as it is and loading it says why it is not a portfolio.
///
/// # Errors
/// [`LoadError::NotFound`] when `start` does not exist.
pub fn locate(start: &Path) -> Result<PathBuf, LoadError> {
    let meta = std::fs::metadata(start).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(start.to_path_buf()),
        _ => LoadError::Io {
            path: start.to_path_buf(),
            source: e,
        },
    })?;
    let dir = if meta.is_dir() {
        start.to_path_buf()
    } else {
        match start.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    if dir.join("programs").is_dir() {
        return Ok(dir);
    }
    // Walk up on the absolute path, but hand back a path in the caller's terms where we can
    // (`examples/acme`, not `/home/…/examples/acme`), so messages stay short.
    let absolute = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
    let mut relative = Some(dir.clone());
    for (up, candidate) in absolute.ancestors().enumerate() {
        if candidate.join("milepost.yaml").is_file() || candidate.join("milepost.yml").is_file() {
            return Ok(match relative {
                Some(r) if up == 0 => r,
                _ => candidate.to_path_buf(),
            });
        }
        if candidate.join(".git").exists() {
            break;
        }
        relative = None;
    }
    Ok(dir)
}

/// The program indices named by `ids` (all programs when `ids` is empty: `None`).
///
/// # Errors
/// [`SessionError::UnknownProgram`] with a "did you mean" hint.
pub fn program_filter(
    portfolio: &Portfolio,
    ids: &[String],
) -> Result<Option<Vec<usize>>, SessionError> {
    if ids.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(i) = portfolio.programs.iter().position(|p| p.id == *id) else {
            let all: Vec<&str> = portfolio.programs.iter().map(|p| p.id.as_str()).collect();
            let hint = match milepost_load::did_you_mean(id, all.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if all.is_empty() => "the portfolio has no programs yet".to_owned(),
                None => format!("programs: {}", all.join(", ")),
            };
            return Err(SessionError::UnknownProgram {
                id: id.clone(),
                hint,
            });
        };
        if !out.contains(&i) {
            out.push(i);
        }
    }
    Ok(Some(out))
}

/// Whether a finding is about program `id`: located in its folder, or naming it or one of
/// its entities (`id/M3`).
pub fn is_about(finding: &Diagnostic, id: &str) -> bool {
    let in_folder = finding.location.as_ref().is_some_and(|l| {
        l.file
            .strip_prefix("programs/")
            .and_then(|rest| rest.strip_prefix(id))
            .is_some_and(|rest| rest.starts_with('/'))
    });
    in_folder
        || finding.entity.as_deref().is_some_and(|e| {
            e == id || e.strip_prefix(id).is_some_and(|rest| rest.starts_with('/'))
        })
}

/// `path` relative to `base` (both absolute and canonical), with `..` where it leaves it.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for c in &path[common..] {
        out.push(c);
    }
    out
}

/// A relative folder as a `/`-separated prefix with a trailing `/` (empty for `.`).
fn as_prefix(folder: &Path) -> String {
    let text = folder.to_string_lossy().replace('\\', "/");
    let text = text.trim_end_matches('/');
    if text.is_empty() || text == "." {
        String::new()
    } else {
        format!("{text}/")
    }
}

/// A portfolio analysed as of a date: what every command reads.
#[derive(Debug)]
pub struct Session {
    root: Option<PathBuf>,
    portfolio: Portfolio,
    as_of: NaiveDate,
    as_of_source: AsOf,
    programs: Option<Vec<usize>>,
    plan: PortfolioPlan,
    findings: OnceLock<Vec<Diagnostic>>,
    forecast: OnceLock<Result<Forecast, ScheduleError>>,
    /// Facts from git history for the rules; `None`: not looked up (yet).
    extras: OnceLock<milepost_rules::Extras>,
    /// The memo the rules' standard forecast and the reports' go through, so that a
    /// command needing both (a report, a site) simulates once.
    memo: std::sync::Arc<milepost_plan::ForecastMemo>,
}

impl Session {
    /// Finds, loads and plans the portfolio that `options` names.
    ///
    /// # Errors
    /// [`SessionError`] when the path holds no portfolio or `--program` names none.
    pub fn open(options: &Options) -> Result<Session, SessionError> {
        let start = options.path.clone().unwrap_or_else(|| PathBuf::from("."));
        let root = locate(&start)?;
        let portfolio = match options.scope {
            Scope::Everything => milepost_load::load_dir(&root)?,
            Scope::Planning => milepost_load::load(FileSet::from_dir(&root)?.only(&[
                FileKind::Settings,
                FileKind::People,
                FileKind::Program,
                FileKind::Milestones,
            ])),
        };
        let mut session = Session::from_portfolio(portfolio, options.as_of, &options.programs)?;
        session.root = Some(root);
        Ok(session)
    }

    /// A session over an already loaded portfolio (from memory, a git tree or a test), with
    /// no folder on disk and so no history facts.
    ///
    /// # Errors
    /// [`SessionError::UnknownProgram`] when `programs` names a program it does not have.
    pub fn from_portfolio(
        portfolio: Portfolio,
        as_of: Option<NaiveDate>,
        programs: &[String],
    ) -> Result<Session, SessionError> {
        let (as_of, as_of_source) = match (as_of, portfolio.settings.as_of) {
            (Some(d), _) => (d, AsOf::Flag),
            (None, Some(d)) => (d, AsOf::Pinned),
            (None, None) => (today(), AsOf::Today),
        };
        let programs = program_filter(&portfolio, programs)?;
        let plan = PortfolioPlan::build(&portfolio, as_of);
        Ok(Session {
            root: None,
            portfolio,
            as_of,
            as_of_source,
            programs,
            plan,
            findings: OnceLock::new(),
            forecast: OnceLock::new(),
            extras: OnceLock::new(),
            memo: std::sync::Arc::default(),
        })
    }

    /// The same session, known to live in the folder `root` (a portfolio loaded from
    /// memory that mirrors a folder on disk, as the language server's is).
    #[must_use]
    pub fn with_root(mut self, root: PathBuf) -> Session {
        self.root = Some(root);
        self
    }

    /// The same session with history facts already read (the language server reads them
    /// once, not on every keystroke).
    #[must_use]
    pub fn with_extras(self, extras: milepost_rules::Extras) -> Session {
        let _ = self.extras.set(extras);
        self
    }

    /// The portfolio folder on disk (`None` for a portfolio loaded from memory).
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The portfolio folder as a prefix for the paths machine formats print (`portfolio/`,
    /// or empty at the root): relative to the root of the git repository that holds it —
    /// where GitHub, GitLab and SARIF viewers look files up — or, outside a repository,
    /// relative to the working directory. The same answer from the repository root, from a
    /// sub-folder, with an absolute path or with a `..` path.
    pub fn repo_prefix(&self) -> String {
        let Some(root) = self.root.as_deref() else {
            return String::new();
        };
        let Ok(root) = std::fs::canonicalize(root) else {
            return String::new();
        };
        let base = root
            .ancestors()
            .find(|a| a.join(".git").exists())
            .map(Path::to_path_buf)
            .or_else(|| {
                std::env::current_dir()
                    .ok()
                    .and_then(|d| std::fs::canonicalize(d).ok())
            });
        let Some(base) = base else {
            return String::new();
        };
        as_prefix(&relative(&root, &base))
    }

    /// The portfolio folder as a prefix relative to the working directory, for paths a
    /// person can click in a terminal (`../portfolio/`, or empty when run from it).
    pub fn cwd_prefix(&self) -> String {
        let (Some(root), Ok(cwd)) = (self.root.as_deref(), std::env::current_dir()) else {
            return String::new();
        };
        match (std::fs::canonicalize(root), std::fs::canonicalize(cwd)) {
            (Ok(root), Ok(cwd)) => as_prefix(&relative(&root, &cwd)),
            _ => String::new(),
        }
    }

    /// The loaded portfolio.
    pub fn portfolio(&self) -> &Portfolio {
        &self.portfolio
    }

    /// The effective as-of date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// Where the as-of date came from.
    pub fn as_of_source(&self) -> AsOf {
        self.as_of_source
    }

    /// The programs `--program` selected (indices into `portfolio().programs`), or `None`
    /// for all.
    pub fn programs(&self) -> Option<&[usize]> {
        self.programs.as_deref()
    }

    /// The one program selected, when exactly one was (`--program ID`).
    pub fn program(&self) -> Option<usize> {
        match self.programs.as_deref() {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// Whether program `index` is in scope.
    pub fn in_scope(&self, index: usize) -> bool {
        self.programs.as_ref().is_none_or(|p| p.contains(&index))
    }

    /// The critical-path plan of the whole portfolio (always computed across programs:
    /// a dependency on another program counts whatever the filter).
    pub fn plan(&self) -> &PortfolioPlan {
        &self.plan
    }

    /// The schedule rows of one program, or of the whole portfolio.
    pub fn plan_view(&self, program: Option<usize>) -> PlanView {
        milepost_plan::view::view(&self.portfolio, &self.plan, program)
    }

    /// Facts from git history for the rules, when the portfolio is on disk in a
    /// repository: the day of the last commit that changed each risk, read only when a
    /// live risk has no `reviewed` date (`risk-stale` then measures from it), and each
    /// milestone, read only when a program has a `status_update` (`status-update-stale`). Outside git,
    /// or when history cannot be read, there are none and the rules work from the files.
    pub fn extras(&self) -> &milepost_rules::Extras {
        self.extras.get_or_init(|| {
            let memo = Some(std::sync::Arc::clone(&self.memo));
            let Some(root) = &self.root else {
                return milepost_rules::Extras {
                    forecast_memo: memo,
                    ..milepost_rules::Extras::default()
                };
            };
            let mut kinds = Vec::new();
            if self
                .portfolio
                .programs
                .iter()
                .flat_map(|p| &p.risks)
                .any(|r| r.is_live() && r.reviewed.is_none())
            {
                kinds.push(milepost_history::EntityKind::Risk);
            }
            // `status-update-stale` compares a written update with the plan's last change.
            if self
                .portfolio
                .programs
                .iter()
                .any(|p| p.charter.status_update.is_some())
            {
                kinds.push(milepost_history::EntityKind::Milestone);
            }
            if kinds.is_empty() {
                return milepost_rules::Extras {
                    forecast_memo: memo,
                    ..milepost_rules::Extras::default()
                };
            }
            let last_changed = milepost_history::History::open(root)
                .and_then(|h| {
                    let head = h.head()?;
                    h.last_changed(head.id, &kinds)
                })
                .unwrap_or_default();
            milepost_rules::Extras {
                last_changed,
                forecast_memo: memo,
            }
        })
    }

    /// Every finding `milepost check` reports — the loader's (re-graded by `rules:` levels)
    /// and every enabled rule's, with the history facts — sorted by file and position.
    /// Computed once, on first use.
    pub fn findings(&self) -> &[Diagnostic] {
        self.findings.get_or_init(|| {
            milepost_rules::check_with(&self.portfolio, self.as_of, Some(&self.plan), self.extras())
        })
    }

    /// The findings about the programs in scope (all findings without `--program`): those
    /// in a selected program's files, or naming it or one of its entities.
    pub fn findings_in_scope(&self) -> Cow<'_, [Diagnostic]> {
        let all = self.findings();
        match &self.programs {
            None => Cow::Borrowed(all),
            Some(selected) => Cow::Owned(
                all.iter()
                    .filter(|d| {
                        selected
                            .iter()
                            .any(|&p| is_about(d, &self.portfolio.programs[p].id))
                    })
                    .cloned()
                    .collect(),
            ),
        }
    }

    /// Whether any finding is at error level.
    pub fn has_errors(&self) -> bool {
        self.findings()
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The problems that make a plan untrustworthy: the loader's error-level findings, the
    /// dependency cycles, and why there is no schedule when there is none. What `plan`,
    /// `forecast` and the reports print on stderr beside their output.
    pub fn plan_problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self
            .portfolio
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        problems.extend(self.plan.cycle_diagnostics(&self.portfolio));
        if let Some(e) = &self.plan.error
            && self.plan.cycles.is_empty()
        {
            problems.push(Diagnostic::error(
                "plan",
                format!("the plan cannot be computed: {e}"),
            ));
        }
        problems
    }

    /// The value of a rule's threshold as this portfolio's milepost.yaml sets it (or its
    /// default): `threshold("health-mismatch", "off_track_days")`. `None` for an unknown
    /// rule or option. The reports read their thresholds here, so that a report and
    /// `milepost check` draw the same line.
    pub fn threshold(&self, rule: &str, option: &str) -> Option<u32> {
        let rule = milepost_rules::find(rule)?;
        let threshold = rule.option(option)?;
        Some(milepost_rules::Config::resolve(&self.portfolio).threshold(rule, threshold))
    }

    /// The reports' forecast ([`REPORT_FORECAST_RUNS`] runs, seed [`REPORT_FORECAST_SEED`]),
    /// built on first use; `None` when the plan cannot be simulated (a cycle).
    pub fn forecast(&self) -> Option<&Forecast> {
        self.forecast
            .get_or_init(|| self.standard_forecast())
            .as_ref()
            .ok()
    }

    /// The standard forecast, through the memo the rules use (their extras' when they
    /// were given one, as the language server does).
    fn standard_forecast(&self) -> Result<Forecast, ScheduleError> {
        let memo = self
            .extras
            .get()
            .and_then(|e| e.forecast_memo.as_deref())
            .unwrap_or(&self.memo);
        self.plan.forecast_memo(
            &self.portfolio,
            REPORT_FORECAST_RUNS,
            REPORT_FORECAST_SEED,
            Some(memo),
        )
    }

    /// A forecast with other runs and seed (`milepost forecast --runs N --seed S`).
    ///
    /// # Errors
    /// Why the plan cannot be simulated (a cycle, an invalid estimate).
    pub fn forecast_with(&self, runs: u32, seed: u64) -> Result<Forecast, ScheduleError> {
        if runs == REPORT_FORECAST_RUNS && seed == REPORT_FORECAST_SEED {
            return self
                .forecast
                .get_or_init(|| self.standard_forecast())
                .clone();
        }
        self.plan.forecast(&self.portfolio, runs, seed)
    }

    /// The forecast rows of one program, or of the whole portfolio.
    pub fn forecast_view(&self, result: &Forecast, program: Option<usize>) -> ForecastView {
        ForecastView::new(&self.portfolio, &self.plan, result, program)
    }

    /// Hands the portfolio back (for callers that keep it beyond the session).
    pub fn into_portfolio(self) -> Portfolio {
        self.portfolio
    }
}
