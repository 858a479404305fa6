//! `milepost render`: one report — charter, executive summary, RAID log or portfolio
//! report — as Markdown or self-contained HTML.

use std::io::Write;
use std::path::{Path, PathBuf};

use milepost_render::{Analysis, Format, Kind, RenderOptions, Renderer, Templates};
use milepost_session::Scope;

use crate::Outcome;
use crate::commands::{PortfolioArgs, outcome, release, report_problems};
use crate::error::CliError;
use crate::output;
use crate::write::write_file;

/// Render a report from the portfolio: a program's charter, its one-page executive summary
/// or its RAID log, or the portfolio report with every program on one page. Markdown
/// renders on GitHub and GitLab (tables and a Mermaid gantt); HTML is one self-contained
/// file with SVG charts. Templates are built in; a `templates/` folder in the portfolio, or
/// `--templates DIR`, overrides them file by file.
///
/// Exit code 1 when the portfolio has errors that skew the report (they are printed on
/// stderr, the report is still written), 2 when it cannot be rendered.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to render.
    #[arg(value_enum, value_name = "KIND")]
    pub kind: KindArg,
    // The portfolio, the as-of date and the program (`--program` is required for charter,
    // summary and raid).
    #[command(flatten)]
    pub portfolio: PortfolioArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Md)]
    pub format: FormatArg,
    /// Write the report into this folder (as `<program>-<kind>.<ext>`, or
    /// `portfolio.<ext>`) instead of standard output. Written atomically.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// A folder of templates that override the built-in ones file by file (and the
    /// portfolio's own `templates/` folder).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The summary's "changes since the last report": from this day (YYYY-MM-DD) or after
    /// this commit, branch or tag (the last report's). Default: the 7 days before the as-of
    /// date. Read from git history; outside a repository the section says so.
    #[arg(long, value_name = "REF|DATE")]
    pub since: Option<String>,
    /// Draw each milestone's target at this branch, tag or commit as its baseline in the
    /// HTML gantt (summary and charter). Default: each milestone's first committed target,
    /// when the portfolio is in a git repository.
    #[arg(long, value_name = "REF")]
    pub baseline: Option<String>,
    /// The review's period: the last complete calendar month or quarter before the as-of
    /// date (a review on 1 December covers November).
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    pub period: PeriodArg,
}

/// The periods of `render review`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PeriodArg {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
}

/// The kinds of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    /// A program's charter: purpose, objectives, scope, metrics, people, RACI, milestones, gates.
    Charter,
    /// A program's one-page executive summary: status, next milestones, slips, risks, asks, plan.
    Summary,
    /// A program's RAID log: risks, assumptions, issues and dependencies.
    Raid,
    /// Every program on one page: status, target vs forecast, critical path, top risk.
    Portfolio,
    /// The written business review of the last complete month or quarter (`--period`):
    /// delivered and slipped (with change control), the scorecard and its trend, risks,
    /// decisions, launches and the next period's commitments. Reads git history.
    Review,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Charter => Kind::Charter,
            KindArg::Summary => Kind::Summary,
            KindArg::Raid => Kind::Raid,
            KindArg::Portfolio | KindArg::Review => Kind::Portfolio,
        }
    }
}

/// The output formats of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Markdown for GitHub and GitLab (job summaries, PR comments, wikis).
    Md,
    /// One self-contained HTML file with SVG charts, for screen and print.
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Md => Format::Markdown,
            FormatArg::Html => Format::Html,
        }
    }
}

/// The changes to one program's commitments since the last report, from git: the audit of
/// the window (first-parent, so a merged pull request is one change with its number and
/// approvals), as the summary's "changes since the last report".
fn recent_changes(
    session: &milepost_session::Session,
    program: &str,
    since: Option<&str>,
) -> Result<RenderOptions, CliError> {
    let unavailable = |why: String| RenderOptions {
        unavailable: Some(why),
        ..RenderOptions::default()
    };
    let Some(root) = session.root() else {
        return Ok(unavailable(
            "the portfolio was not read from disk".to_owned(),
        ));
    };
    let history = match milepost_history::History::open(root) {
        Ok(h) => h,
        Err(e) => {
            if let Some(s) = since {
                return Err(CliError::usage(
                    format!("`--since {s}` needs the portfolio's git history: {e}"),
                    "run from a clone of the repository, or leave out --since",
                ));
            }
            return Ok(unavailable(
                "the portfolio is not in a git repository".to_owned(),
            ));
        }
    };
    let Ok(head) = history.head() else {
        return Ok(unavailable("the repository has no commits yet".to_owned()));
    };
    let as_of = session.as_of();
    let (from, after_commit, window) = match since {
        None => {
            let from = as_of - chrono::Duration::days(7);
            (from, None, format!("The 7 days since {from}"))
        }
        Some(text) => {
            let looks_like_a_date = text.len() == 10
                && text.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                (day, None, format!("Since {day}"))
            } else if looks_like_a_date {
                return Err(CliError::usage(
                    format!("`--since {text}` is not a day of the calendar"),
                    "write a date as YYYY-MM-DD (for example 2026-11-23), or a commit, branch or tag",
                ));
            } else {
                let rev = history.resolve(text)?;
                let day = history.commit_date(rev.id)?;
                let short = rev.id.to_string();
                (
                    day,
                    Some(rev.id),
                    format!("Since `{text}` ({}, {day})", &short[..7]),
                )
            }
        }
    };
    // Up to the as-of date: a report as of a day shows what had changed by then.
    let audit = match history.audit(head.id, Some(from), Some(as_of), true) {
        Ok(a) => a,
        Err(e) if since.is_none() => {
            return Ok(unavailable(format!("history cannot be read ({e})")));
        }
        Err(e) => return Err(e.into()),
    };
    // After REF: the commits REF already contains are what the last report saw.
    let seen = |id: &str| after_commit.is_some_and(|base| history.contains(base, id));
    let prefix = format!("{program}/");
    let mine: Vec<&milepost_history::AuditEntry> = audit
        .entries
        .iter()
        .filter(|e| e.entity == program || e.entity.starts_with(&prefix))
        .filter(|e| !seen(&e.commit))
        .collect();
    // A commit that adds the whole program is one line, not one per milestone and risk.
    let created: Vec<&str> = mine
        .iter()
        .filter(|e| e.entity == program && e.kind == milepost_history::ChangeKind::Added)
        .map(|e| e.commit.as_str())
        .collect();
    let mut changes: Vec<milepost_render::Change> = Vec::new();
    for e in mine
        .iter()
        .filter(|e| e.entity == program || !created.contains(&e.commit.as_str()))
    {
        let entity = e.entity.strip_prefix(&prefix).unwrap_or(&e.entity);
        let summary = if e.entity == program && created.contains(&e.commit.as_str()) {
            let n = mine
                .iter()
                .filter(|x| x.commit == e.commit && x.entity != program)
                .count();
            format!("program added, with {n} commitments (milestones, risks, decisions, RACI)")
        } else {
            output::history::audit::change(e)
        };
        // Several fields of one entity changed in one commit (a decision taken: its status,
        // date, decider and outcome) read as one line; date moves stay one per field.
        if e.category != "date"
            && let Some(last) = changes.last_mut()
            && last.entity == entity
            && last.category.as_deref() == Some(e.category)
            && last
                .reference
                .as_deref()
                .is_some_and(|r| r.ends_with(&reference(e)))
        {
            last.summary = format!("{}; {summary}", last.summary);
            continue;
        }
        changes.push(milepost_render::Change {
            summary,
            ..to_change(e, entity)
        });
    }
    changes.reverse(); // latest first
    Ok(RenderOptions {
        changes: Some(changes),
        window: Some(window),
        unavailable: None,
        baselines: None,
        scorecard: None,
    })
}

/// Each milestone's baseline target for the gantt: at `--baseline REF`, else its first
/// committed target (read from git as `metrics` reads it). Outside git, or when history
/// cannot be read, none (an error only when `--baseline` was asked for).
fn baselines(
    session: &milepost_session::Session,
    program: &str,
    baseline: Option<&str>,
) -> Result<Option<std::collections::HashMap<String, chrono::NaiveDate>>, CliError> {
    let history = match session.root().map(milepost_history::History::open) {
        Some(Ok(h)) => h,
        Some(Err(e)) if baseline.is_some() => return Err(e.into()),
        _ => return Ok(None),
    };
    let Ok(head) = history.head() else {
        return Ok(None);
    };
    let base = match baseline {
        Some(spec) => {
            let rev = history.resolve(spec)?;
            Some((spec.to_owned(), rev.id))
        }
        None => None,
    };
    let metrics = history.metrics(&milepost_history::MetricsOptions {
        tip: head.id,
        baseline: base,
        as_of: session.as_of(),
        tolerance_days: None,
        programs: vec![program.to_owned()],
        first_parent: true,
        by_program: false,
        trend: None,
    });
    match metrics {
        Ok(m) => Ok(Some(m.baselines)),
        Err(e) if baseline.is_some() => Err(e.into()),
        Err(_) => Ok(None),
    }
}

/// Writes a report to standard output, or as `name` into the folder `out` (created when
/// missing; the file written atomically).
fn emit(text: &str, out: Option<&Path>, name: &str) -> Result<(), CliError> {
    match out {
        None => {
            let mut stdout = output::stdout_plain();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| CliError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
            let file = dir.join(name);
            write_file(&file, text.as_bytes())?;
            output::info(&format!("wrote {}", file.display()));
        }
    }
    Ok(())
}

/// `render review`: the business review of the last complete month or quarter.
fn run_review(args: &Args) -> Result<Outcome, CliError> {
    let format = Format::from(args.format);
    let session = args.portfolio.open(Scope::Everything)?;
    if session.programs().is_some() {
        return Err(CliError::usage(
            "the review covers every program: leave out `--program`",
            "for one program, use `render summary --program ID`",
        ));
    }
    let root = session.root().unwrap_or(Path::new("."));
    let templates = load_templates(root, args.templates.as_deref())?;
    let failed = report_problems(&session)?;
    let kind = match args.period {
        PeriodArg::Month => milepost_render::PeriodKind::Month,
        PeriodArg::Quarter => milepost_render::PeriodKind::Quarter,
    };
    let period = milepost_render::Period::last_complete(kind, session.as_of());
    let history = review_history(&session, &period);
    let analysis = Analysis::new(&session);
    let text = Renderer::new(&templates)
        .review(&analysis, &period, &history, format)
        .map_err(|e| render_error(&e))?;
    let name = format!(
        "review-{}.{}",
        period.start.format(match kind {
            milepost_render::PeriodKind::Month => "%Y-%m",
            milepost_render::PeriodKind::Quarter => "%Y-%m-q",
        }),
        format.extension()
    );
    emit(&text, args.out.as_deref(), &name)?;
    release(analysis);
    release(session);
    Ok(outcome(failed))
}

/// What the review reads from git: the target moves of the period with their change
/// control, and the scorecard at the end of the period and of the one before (each computed
/// exactly as `milepost metrics --as-of END --rev COMMIT` computes it).
fn review_history(
    session: &milepost_session::Session,
    period: &milepost_render::Period,
) -> milepost_render::ReviewHistory {
    let unavailable = |why: String| milepost_render::ReviewHistory {
        unavailable: Some(why),
        ..milepost_render::ReviewHistory::default()
    };
    let Some(root) = session.root() else {
        return unavailable("the portfolio was not read from disk".to_owned());
    };
    let Ok(history) = milepost_history::History::open(root) else {
        return unavailable("the portfolio is not in a git repository".to_owned());
    };
    let Ok(head) = history.head() else {
        return unavailable("the repository has no commits yet".to_owned());
    };
    let moves = match history.audit(head.id, Some(period.start), Some(period.end), true) {
        Ok(audit) => audit
            .entries
            .iter()
            .filter(|e| e.category == "date" && e.kind == milepost_history::ChangeKind::Modified)
            .map(|e| to_change(e, &e.entity))
            .collect(),
        Err(e) => return unavailable(format!("history cannot be read ({e})")),
    };
    let now = crate::commands::scorecard::metrics_at(
        &history,
        &head,
        period.end,
        crate::commands::scorecard::TREND_MONTHS,
    );
    let before = crate::commands::scorecard::metrics_at(&history, &head, period.previous().end, 0);
    let scorecard_note = now.is_none().then(|| {
        format!(
            "the repository has no commit on or before {} to measure",
            period.end
        )
    });
    let (basis, kpis, scorecard) = match now {
        Some((commit, metrics)) => {
            let previous = before.map(|(_, m)| m.kpis).unwrap_or_default();
            let basis = format!("milepost metrics --as-of {} --rev {commit}", period.end);
            let view = crate::commands::scorecard::view(&metrics, format!("{basis} --by month"));
            (
                Some(basis),
                crate::commands::scorecard::rows(&metrics.kpis, &previous),
                Some(view),
            )
        }
        None => (None, Vec::new(), None),
    };
    milepost_render::ReviewHistory {
        kpis,
        basis,
        moves,
        unavailable: None,
        scorecard_note,
        scorecard,
    }
}

/// An audit entry as a report's change line, about `entity` (as the report names it).
fn to_change(e: &milepost_history::AuditEntry, entity: &str) -> milepost_render::Change {
    // A name from an `Approved-by: Name <email>` trailer.
    let name = |who: &String| -> String { who.split('<').next().unwrap_or(who).trim().to_owned() };
    milepost_render::Change {
        date: e.date.get(..10).and_then(|d| d.parse().ok()),
        entity: entity.to_owned(),
        summary: output::history::audit::change(e),
        reference: Some(reference(e)),
        author: Some(e.author.clone()),
        category: Some(e.category.to_owned()),
        work_days: e.work_days,
        pr: e.pr,
        approved_by: e.approved_by.iter().map(name).collect(),
        approved: Some(e.pr.is_some() && !e.approved_by.is_empty()),
    }
}

/// How a change is referred to: its pull request, or its commit.
fn reference(e: &milepost_history::AuditEntry) -> String {
    match e.pr {
        Some(n) => format!("#{n}"),
        None => e.commit.get(..7).unwrap_or(&e.commit).to_owned(),
    }
}

/// The largest template file read (anything bigger is not a template).
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

fn read_template_dir(dir: &Path, mut templates: Templates) -> Result<Templates, CliError> {
    let unreadable = |e: std::io::Error| {
        CliError::usage(
            format!("cannot read the templates folder `{}`: {e}", dir.display()),
            "pass a folder holding template files such as summary.md or style.css",
        )
    };
    let root = std::fs::canonicalize(dir).map_err(unreadable)?;
    let mut names: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)?.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        // The entry itself, not what it points to.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() || kind.is_symlink() {
            names.push((name, path));
        }
    }
    names.sort();
    for (name, path) in names {
        let text = read_template(&root, &path)?;
        if !Templates::is_known(&name)
            && let Some(close) = milepost_load::did_you_mean(
                &name,
                milepost_render::templates::EMBEDDED.iter().map(|(n, _)| *n),
            )
        {
            eprintln!(
                "warning: `{}` does not override a built-in template (did you mean `{close}`?)",
                path.display()
            );
        }
        templates = templates.with_override(name, text);
    }
    Ok(templates)
}

/// Reads one template file of the folder whose canonical path is `root`: a regular file, or
/// a symbolic link to a regular file inside the folder. A link that leaves the folder (to
/// `/etc/passwd`, to `/proc/self/environ`) is refused, as the YAML loader refuses one: a
/// template's text is published in every page. The file opened is checked to be the one
/// that was validated (same device and inode), so swapping the link in between does not
/// help, and at most [`MAX_TEMPLATE_BYTES`] are read.
fn read_template(root: &Path, path: &Path) -> Result<String, CliError> {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;

    let refuse = |why: String| {
        CliError::usage(
            format!("template `{}` {why}", path.display()),
            "templates must be regular files inside the templates folder; copy the file in instead of linking to it",
        )
    };
    let target =
        std::fs::canonicalize(path).map_err(|e| refuse(format!("cannot be resolved: {e}")))?;
    if !target.starts_with(root) {
        return Err(refuse(format!(
            "is a symbolic link to `{}`, outside the templates folder",
            target.display()
        )));
    }
    let expected =
        std::fs::metadata(&target).map_err(|e| refuse(format!("cannot be read: {e}")))?;
    if !expected.is_file() {
        return Err(refuse("is not a regular file".to_owned()));
    }
    let file = std::fs::File::open(&target).map_err(|e| refuse(format!("cannot be read: {e}")))?;
    let opened = file
        .metadata()
        .map_err(|e| refuse(format!("cannot be read: {e}")))?;
    if (opened.dev(), opened.ino()) != (expected.dev(), expected.ino()) || !opened.is_file() {
        return Err(refuse("changed while it was being read".to_owned()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_TEMPLATE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(format!("cannot be read: {e}")))?;
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(refuse(format!(
            "is larger than {MAX_TEMPLATE_BYTES} bytes: not a template"
        )));
    }
    String::from_utf8(bytes).map_err(|_| refuse("is not UTF-8 text".to_owned()))
}

/// The templates of a portfolio: built in, overridden by the portfolio's `templates/`
/// folder, overridden by `--templates DIR`.
pub fn load_templates(portfolio: &Path, flag: Option<&Path>) -> Result<Templates, CliError> {
    let mut templates = Templates::embedded();
    let own = portfolio.join("templates");
    if own.is_dir() {
        templates = read_template_dir(&own, templates)?;
    }
    if let Some(dir) = flag {
        if !dir.is_dir() {
            return Err(CliError::usage(
                format!("`{}` is not a folder", dir.display()),
                "`--templates` takes a folder of template files (summary.md, style.css…)",
            ));
        }
        templates = read_template_dir(dir, templates)?;
    }
    Ok(templates)
}

/// A template error is a failure to run (exit 2), with a hint.
pub fn render_error(e: &milepost_render::RenderError) -> CliError {
    CliError::template(e)
}

/// Runs `milepost render`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    crate::progress::enable(false);
    if args.kind == KindArg::Review {
        return run_review(args);
    }
    let kind = Kind::from(args.kind);
    let format = Format::from(args.format);
    let session = args.portfolio.open(Scope::Everything)?;
    let portfolio = session.portfolio();
    let program = match (kind.is_program(), session.programs()) {
        (true, None) => {
            let ids: Vec<&str> = portfolio.programs.iter().map(|p| p.id.as_str()).collect();
            return Err(CliError::usage(
                format!(
                    "the {} report is about one program: pass `--program ID`",
                    kind.name()
                ),
                if ids.is_empty() {
                    "the portfolio has no programs yet".to_owned()
                } else {
                    format!("programs: {}", ids.join(", "))
                },
            ));
        }
        (true, Some(selected)) if selected.len() > 1 => {
            return Err(CliError::usage(
                format!("the {} report is about one program", kind.name()),
                "pass `--program ID` once, or use `milepost site` for every program",
            ));
        }
        (false, Some(_)) => {
            return Err(CliError::usage(
                "the portfolio report covers every program: leave out `--program`",
                "for one program, use `render summary --program ID`",
            ));
        }
        _ => session.program(),
    };
    let root = session.root().unwrap_or(Path::new("."));
    let templates = load_templates(root, args.templates.as_deref())?;
    let failed = report_problems(&session)?;
    let analysis = Analysis::new(&session);
    let mut options = match (kind, program) {
        (Kind::Summary, Some(p)) => {
            recent_changes(&session, &portfolio.programs[p].id, args.since.as_deref())?
        }
        _ => RenderOptions::default(),
    };
    if kind == Kind::Portfolio {
        options.scorecard = Some(crate::commands::scorecard::for_report(
            &session,
            session.as_of(),
        ));
    }
    if let (Kind::Summary | Kind::Charter, Some(p), Format::Html) = (kind, program, format) {
        options.baselines = baselines(
            &session,
            &portfolio.programs[p].id,
            args.baseline.as_deref(),
        )?;
    }
    let text = Renderer::new(&templates)
        .render(&analysis, kind, format, program, &options)
        .map_err(|e| render_error(&e))?;
    let name = match program {
        Some(p) => format!(
            "{}-{}.{}",
            portfolio.programs[p].id,
            kind.name(),
            format.extension()
        ),
        None => format!("portfolio.{}", format.extension()),
    };
    emit(&text, args.out.as_deref(), &name)?;
    release(analysis);
    release(session);
    Ok(outcome(failed))
}
