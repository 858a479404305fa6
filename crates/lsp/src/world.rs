//! The server's state: the portfolio's files (from disk, with the editor's unsaved buffers
//! on top), and the analysis of them — the same session `milepost check` builds.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use milepost_load::{FileSet, ParseCache};
use milepost_session::Session;

use crate::index::Index;

/// One analysis of the portfolio as the editor sees it.
pub struct Analysis {
    /// The session: portfolio, plan, findings.
    pub session: Session,
    /// Its references and definitions, built when navigation first asks (not on every
    /// keystroke).
    index: std::sync::OnceLock<Index>,
    /// How long it took.
    pub took: std::time::Duration,
    /// Whether `forecast-late` used the last forecast because the plan changed: an exact
    /// analysis follows when the editor is quiet.
    pub provisional: bool,
}

impl Analysis {
    /// The references and definitions of the analysed portfolio.
    pub fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Index::build(self.session.portfolio()))
    }
}

/// The portfolio the server serves.
pub struct World {
    /// The portfolio root (absolute).
    pub root: PathBuf,
    /// The files on disk, by portfolio path.
    disk: BTreeMap<String, Arc<[u8]>>,
    /// The editor's open buffers, by portfolio path: they win over disk.
    open: HashMap<String, Arc<[u8]>>,
    cache: ParseCache,
    /// Facts from git history, read once.
    extras: Option<milepost_rules::Extras>,
    /// `--as-of` for the server (tests pin it); otherwise milepost.yaml's or today.
    as_of: Option<NaiveDate>,
    /// The current analysis; `None` until the first one or after an edit.
    analysis: Option<Analysis>,
    /// The forecast memo the checks share (also in `extras`).
    memo: Arc<milepost_plan::ForecastMemo>,
    /// Whether the next analysis may reuse a stale forecast (set after an edit).
    quick: bool,
}

impl World {
    /// The world of the portfolio at `root`, its files read from disk.
    pub fn new(root: PathBuf, as_of: Option<NaiveDate>) -> World {
        let mut world = World {
            root,
            disk: BTreeMap::new(),
            open: HashMap::new(),
            cache: ParseCache::default(),
            extras: None,
            as_of,
            analysis: None,
            memo: Arc::default(),
            quick: false,
        };
        world.reload_disk();
        world
    }

    /// Reads every portfolio file from disk again (on start, and when files change on disk).
    pub fn reload_disk(&mut self) {
        self.disk.clear();
        if let Ok(set) = FileSet::from_dir(&self.root) {
            for entry in set.files {
                if let Ok(bytes) = milepost_load::read_content(&entry.content) {
                    self.disk.insert(entry.path.to_string(), bytes);
                }
            }
        }
        self.analysis = None;
    }

    /// Reads one file from disk again (`didSave`, a watched change), or forgets it when it is
    /// gone.
    pub fn refresh(&mut self, path: &str) {
        let full = path.split('/').fold(self.root.clone(), |d, p| d.join(p));
        match std::fs::read(&full) {
            Ok(bytes) => {
                self.disk.insert(path.to_owned(), bytes.into());
            }
            Err(_) => {
                self.disk.remove(path);
            }
        }
        self.analysis = None;
    }

    /// The editor opened or changed `path`: its text wins over disk from now on. The next
    /// analysis may be provisional (see [`Analysis::provisional`]).
    pub fn set_buffer(&mut self, path: &str, text: &str) {
        self.open
            .insert(path.to_owned(), Arc::from(text.as_bytes()));
        self.analysis = None;
        self.quick = true;
    }

    /// Whether the current analysis is provisional and an exact one should follow.
    pub fn provisional(&self) -> bool {
        self.analysis.as_ref().is_some_and(|a| a.provisional)
    }

    /// Drops a provisional analysis: the next one is exact.
    pub fn make_exact(&mut self) {
        if self.provisional() {
            self.analysis = None;
            self.quick = false;
        }
    }

    /// The editor closed `path`: disk is the truth again.
    pub fn close(&mut self, path: &str) {
        if self.open.remove(path).is_some() {
            self.analysis = None;
        }
    }

    /// The text of `path` as the editor sees it.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.open
            .get(path)
            .or_else(|| self.disk.get(path))
            .and_then(|b| std::str::from_utf8(b).ok())
    }

    /// Whether the analysis is stale.
    pub fn dirty(&self) -> bool {
        self.analysis.is_none()
    }

    /// The analysis of the current files, computed when stale. Unchanged files are not
    /// parsed again.
    pub fn analysis(&mut self) -> &Analysis {
        if self.analysis.is_none() {
            let started = Instant::now();
            let mut files: BTreeMap<&str, Arc<[u8]>> = self
                .disk
                .iter()
                .map(|(p, b)| (p.as_str(), Arc::clone(b)))
                .collect();
            for (p, b) in &self.open {
                if is_portfolio_file(p) {
                    files.insert(p.as_str(), Arc::clone(b));
                }
            }
            // The bytes are shared with the cache, not copied: an unchanged file is
            // recognised by pointer.
            let set = FileSet::from_memory(files);
            let portfolio = milepost_load::load_cached(set, &mut self.cache);
            if self.extras.is_none() {
                // History facts (when each risk last changed) are read once: they are
                // about commits, which typing does not change.
                let probe = Session::from_portfolio(portfolio.clone(), self.as_of, &[])
                    .map(|s| s.with_root(self.root.clone()));
                let mut extras = probe.map(|s| s.extras().clone()).unwrap_or_default();
                // Most edits do not touch the plan: the standard forecast is reused.
                extras.forecast_memo = Some(Arc::clone(&self.memo));
                self.extras = Some(extras);
            }
            let session = Session::from_portfolio(portfolio, self.as_of, &[])
                .expect("no program filter, so no unknown program")
                .with_root(self.root.clone())
                .with_extras(self.extras.clone().unwrap_or_default());
            let loaded = started.elapsed();
            self.memo.set_provisional(self.quick);
            let _ = session.findings();
            self.memo.set_provisional(false);
            let provisional = self.memo.take_stale();
            self.quick = false;
            let checked = started.elapsed();
            if std::env::var_os("MILEPOST_LSP_TRACE").is_some() {
                trace(&format!(
                    "analysis: load {loaded:?}, plan and check {:?}",
                    checked.saturating_sub(loaded)
                ));
            }
            self.analysis = Some(Analysis {
                session,
                index: std::sync::OnceLock::new(),
                took: started.elapsed(),
                provisional,
            });
        }
        self.analysis.as_ref().expect("computed above")
    }

    /// The portfolio paths with text (disk or buffer).
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.disk
            .keys()
            .chain(self.open.keys().filter(|p| !self.disk.contains_key(*p)))
    }

    /// The root as a path.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Whether `path` is one of the files a portfolio is made of.
fn is_portfolio_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [name] => milepost_model::FileKind::from_root_file_name(name).is_some(),
        ["programs", _, name] => milepost_model::FileKind::from_program_file_name(name).is_some(),
        _ => false,
    }
}

/// A timing line on stderr (`MILEPOST_LSP_TRACE` set): the client shows the server's stderr
/// in its log.
#[expect(clippy::print_stderr, reason = "stderr is the language server's log")]
pub fn trace(line: &str) {
    eprintln!("milepost lsp: {line}");
}
