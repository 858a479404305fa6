//! Reports for milepost: the documents people read, rendered from the same data CI checks.
//!
//! Four kinds of report ([`Kind`]) in two formats ([`Format`]):
//!
//! | kind | what | about |
//! |---|---|---|
//! | `charter` | purpose, objectives, scope, success metrics, sponsor and owner, stakeholders, RACI, milestones, launch gates and readiness | one program |
//! | `summary` | the one-page executive summary: computed status (beside the declared health), next milestones, slips, top risks, decisions needed, aging dependencies, a gantt with the critical path | one program |
//! | `raid` | the RAID log: risks, assumptions, issues, dependencies, sorted by severity and age | one program |
//! | `portfolio` | every program on one page: status, target vs forecast, critical path, top risk, aging dependencies | the portfolio |
//!
//! Markdown renders on GitHub and GitLab (tables, ```` ```mermaid ```` gantt blocks), for a
//! job summary or a pull-request comment. HTML is self-contained — inline CSS, no scripts,
//! no network — readable on screen and in print, with SVG charts drawn here in Rust
//! ([`svg`]): a gantt with the critical path and the as-of line, a dependency graph and a
//! risk heat map. [`Renderer::site`] renders the whole set as a linked static site.
//!
//! How it fits together:
//! - [`Analysis`] plans, checks and forecasts the portfolio once;
//! - [`report`] turns that into plain serializable data (every sort and judgement is made
//!   there, in Rust; [`status`] computes on track / at risk / off track);
//! - [`templates`] lays the data out with minijinja: embedded defaults from the repository's
//!   `templates/` folder, overridable file by file, autoescaped, strict about undefined
//!   names.
//!
//! This crate does no I/O: template overrides come in as text, pages go out as strings;
//! the CLI reads and writes the files.

#![warn(missing_docs)]

pub mod analysis;
pub mod charts;
pub mod escape;
pub mod mermaid;
pub mod report;
pub mod status;
pub mod svg;
pub mod templates;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use serde::Serialize;

pub use analysis::Analysis;
pub use report::{
    Change, ControlPointView, ControlView, KpiRow, Period, PeriodKind, PointView, ProgramReport,
    ReviewHistory, ScorecardView, TrendView,
};
pub use status::Status;
pub use templates::Templates;

/// A kind of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The program charter.
    Charter,
    /// The one-page executive summary of a program.
    Summary,
    /// The RAID log of a program.
    Raid,
    /// Every program on one page.
    Portfolio,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 4] = [Kind::Charter, Kind::Summary, Kind::Raid, Kind::Portfolio];

    /// `charter`, `summary`, `raid`, `portfolio`: also the template's base name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Charter => "charter",
            Kind::Summary => "summary",
            Kind::Raid => "raid",
            Kind::Portfolio => "portfolio",
        }
    }

    /// Whether the report is about one program.
    pub fn is_program(self) -> bool {
        self != Kind::Portfolio
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// GitHub/GitLab-flavoured Markdown.
    Markdown,
    /// Self-contained HTML with SVG charts.
    Html,
}

impl Format {
    /// The file extension: `md` or `html`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to parse or render (a syntax error, an undefined name…).
    #[error("template `{name}`: {detail}")]
    Template {
        /// The template.
        name: String,
        /// What went wrong, with the template line when known.
        detail: String,
    },
    /// A program report was asked for without a valid program.
    #[error("the {0} report is about one program; choose one")]
    NoProgram(&'static str),
}

impl RenderError {
    fn template(name: &str, e: &minijinja::Error) -> Self {
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            detail.push_str(": ");
            detail.push_str(&s.to_string());
            source = s.source();
        }
        RenderError::Template {
            name: name.to_owned(),
            detail,
        }
    }
}

/// What else goes into a report besides the portfolio.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Changes since a baseline, for the summary's "what changed" section. A hook for the
    /// history layer: `None` leaves the section out (`milepost-render` does not read git).
    pub changes: Option<Vec<Change>>,
    /// What window `changes` covers, in words, as a sentence start (`Since 2026-11-16`); shown with them.
    pub window: Option<String>,
    /// Why there are no changes to show, when history could not be read (`not a git
    /// repository`); shown in place of the section.
    pub unavailable: Option<String>,
    /// Each milestone's baseline target (`program/id` → date), drawn in the HTML gantt
    /// beside its current target.
    pub baselines: Option<std::collections::HashMap<String, chrono::NaiveDate>>,
    /// The scorecard, its trend and flow charts, for the portfolio report (read from git by
    /// the caller); `None` leaves the section out.
    pub scorecard: Option<ScorecardView>,
}

/// One file of a static site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// The path relative to the site root, with `/` separators (`programs/ledger/raid.html`).
    pub path: String,
    /// The content.
    pub contents: String,
}

/// The `portfolio` variable of every template.
#[derive(Debug, Clone, Serialize)]
struct PortfolioInfo<'a> {
    name: &'a str,
    as_of: chrono::NaiveDate,
    generator: String,
    programs: usize,
}

/// Links between the pages of a site (relative paths).
#[derive(Debug, Clone, Serialize)]
struct PageLinks {
    index: String,
    /// The page's iCalendar feed, when the site has them.
    calendar: Option<String>,
    summary: Option<String>,
    charter: Option<String>,
    raid: Option<String>,
    /// `programs[id].summary` / `.charter` / `.raid`: a [`ProgramLinkMap`], computed on
    /// lookup (a map of every program on every page would make a site quadratic in its
    /// programs).
    programs: Value,
}

#[derive(Debug, Clone, Serialize)]
struct ProgramLinks {
    summary: String,
    charter: String,
    raid: String,
}

/// The links to every program's pages from one page, as a template object: `up` is the way
/// from the page to the site's root (`""` or `"../../"`).
#[derive(Debug)]
struct ProgramLinkMap {
    up: &'static str,
    ids: std::sync::Arc<Vec<String>>,
}

impl ProgramLinkMap {
    fn value(up: &'static str, ids: &std::sync::Arc<Vec<String>>) -> Value {
        Value::from_object(ProgramLinkMap {
            up,
            ids: std::sync::Arc::clone(ids),
        })
    }
}

impl minijinja::value::Object for ProgramLinkMap {
    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        let id = key.as_str()?;
        self.ids.binary_search_by(|p| p.as_str().cmp(id)).ok()?;
        let dir = format!("{}programs/{id}", self.up);
        Some(Value::from(Serde(ProgramLinks {
            summary: format!("{dir}/summary.html"),
            charter: format!("{dir}/charter.html"),
            raid: format!("{dir}/raid.html"),
        })))
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Values(
            self.ids.iter().map(|i| Value::from(i.as_str())).collect(),
        )
    }
}

/// Renders reports with a set of templates.
#[derive(Debug)]
pub struct Renderer {
    env: Environment<'static>,
    calendars: bool,
}

impl Renderer {
    /// A renderer over the embedded templates with these overrides.
    pub fn new(templates: &Templates) -> Self {
        Self {
            env: templates::environment(templates),
            calendars: false,
        }
    }

    /// The same renderer with another instruction budget per page (default
    /// [`templates::FUEL`]).
    #[must_use]
    pub fn with_fuel(mut self, fuel: u64) -> Self {
        self.env.set_fuel(Some(fuel));
        self
    }

    /// The same renderer, for a [`Renderer::site`] whose caller also writes an iCalendar
    /// feed as `calendar.ics` at the site's root (the portfolio's milestones) and in each
    /// program's folder (that program's): every page links to its feed.
    #[must_use]
    pub fn with_calendars(mut self, calendars: bool) -> Self {
        self.calendars = calendars;
        self
    }

    /// Renders one report. `program` (an index into `portfolio.programs`) is required for
    /// every kind but [`Kind::Portfolio`], which ignores it.
    pub fn render(
        &self,
        analysis: &Analysis<'_>,
        kind: Kind,
        format: Format,
        program: Option<usize>,
        options: &RenderOptions,
    ) -> Result<String, RenderError> {
        if kind == Kind::Portfolio {
            let reports = all_reports(analysis);
            return self.portfolio_page(
                analysis,
                &reports,
                format,
                None,
                options.scorecard.as_ref(),
            );
        }
        let index = program
            .filter(|p| *p < analysis.portfolio.programs.len())
            .ok_or(RenderError::NoProgram(kind.name()))?;
        let report = analysis.program_report(index);
        self.program_page(analysis, &report, index, kind, format, None, options)
    }

    /// Renders the written business review of `period`: the files' view of it, plus the
    /// `history` the caller read from git (the scorecard and the target moves).
    pub fn review(
        &self,
        analysis: &Analysis<'_>,
        period: &Period,
        history: &ReviewHistory,
        format: Format,
    ) -> Result<String, RenderError> {
        let review = analysis.review(period, history);
        let charts = match (format, &review.scorecard) {
            (Format::Html, Some(s)) => Some(s.charts()),
            _ => None,
        };
        let ctx = context! {
            kind => "review",
            format => format.extension(),
            portfolio => Serde(info(analysis)),
            review => Serde(&review),
            scorecard_charts => scorecard_charts_value(charts.as_ref()),
            links => Serde(None::<PageLinks>),
        };
        self.run(&format!("review.{}", format.extension()), &ctx)
    }

    /// Renders the static site: `index.html` (the portfolio report, with `scorecard` when
    /// given) and, for every program, `programs/<id>/summary.html`, `charter.html` and
    /// `raid.html`, all linked.
    pub fn site(
        &self,
        analysis: &Analysis<'_>,
        scorecard: Option<&ScorecardView>,
    ) -> Result<Vec<SiteFile>, RenderError> {
        let files = std::sync::Mutex::new(Vec::new());
        self.site_each(analysis, scorecard, |file| {
            files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(file);
            Ok::<(), RenderError>(())
        })?;
        let mut files = files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The index first, then the programs' pages in path order.
        files.sort_by(|a, b| {
            (a.path != "index.html")
                .cmp(&(b.path != "index.html"))
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(files)
    }

    /// The pages of [`Renderer::site`], each handed to `emit` as soon as it is rendered (so
    /// a large site is never held in memory whole). Program pages are rendered in
    /// parallel: `emit` is called from several threads, in no particular order.
    ///
    /// # Errors
    /// The first error of a template or of `emit`.
    pub fn site_each<E>(
        &self,
        analysis: &Analysis<'_>,
        scorecard: Option<&ScorecardView>,
        emit: impl Fn(SiteFile) -> Result<(), E> + Sync,
    ) -> Result<(), E>
    where
        E: From<RenderError> + Send,
    {
        use rayon::prelude::*;
        let reports = all_reports(analysis);
        milepost_model::progress::start("rendering pages", reports.len() as u64 * 3 + 1);
        let mut ids: Vec<String> = reports.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        ids.dedup();
        let ids = std::sync::Arc::new(ids);
        // The index first: it computes what the program pages share (the forecast).
        emit(SiteFile {
            path: "index.html".to_owned(),
            contents: self.portfolio_page(
                analysis,
                &reports,
                Format::Html,
                Some(&PageLinks {
                    index: "index.html".to_owned(),
                    calendar: self.calendars.then(|| "calendar.ics".to_owned()),
                    summary: None,
                    charter: None,
                    raid: None,
                    programs: ProgramLinkMap::value("", &ids),
                }),
                scorecard,
            )?,
        })?;
        milepost_model::progress::advance(1);
        reports
            .par_iter()
            .enumerate()
            // Program ids are folder names the loader validated; stay inside the site anyway.
            .filter(|(_, report)| !(report.id.contains(['/', '\\']) || report.id.starts_with('.')))
            .try_for_each(|(index, report)| {
                let links = PageLinks {
                    index: "../../index.html".to_owned(),
                    calendar: self.calendars.then(|| "calendar.ics".to_owned()),
                    summary: Some("summary.html".to_owned()),
                    charter: Some("charter.html".to_owned()),
                    raid: Some("raid.html".to_owned()),
                    programs: ProgramLinkMap::value("../../", &ids),
                };
                let options = RenderOptions::default();
                let shared = program_shared(analysis, report, index, Format::Html, &options);
                for kind in [Kind::Summary, Kind::Charter, Kind::Raid] {
                    milepost_model::progress::advance(1);
                    emit(SiteFile {
                        path: format!("programs/{}/{}.html", report.id, kind.name()),
                        contents: self.program_page_with(
                            &shared,
                            kind,
                            Format::Html,
                            Some(&links),
                            &options,
                        )?,
                    })?;
                }
                Ok(())
            })
    }

    fn run(&self, name: &str, ctx: &Value) -> Result<String, RenderError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| RenderError::template(name, &e))?;
        let mut out = templates::BoundedOutput::default();
        template
            .render_captured_to(ctx, &mut out)
            .map_err(|e| RenderError::template(name, &e))?;
        String::from_utf8(out.bytes).map_err(|_| RenderError::Template {
            name: name.to_owned(),
            detail: "the template produced text that is not UTF-8".to_owned(),
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one page of a site: every link and context value is an argument"
    )]
    fn program_page(
        &self,
        analysis: &Analysis<'_>,
        report: &ProgramReport,
        index: usize,
        kind: Kind,
        format: Format,
        links: Option<&PageLinks>,
        options: &RenderOptions,
    ) -> Result<String, RenderError> {
        let shared = program_shared(analysis, report, index, format, options);
        self.program_page_with(&shared, kind, format, links, options)
    }

    /// One page of a program from what its pages share (see [`program_shared`]).
    fn program_page_with(
        &self,
        shared: &ProgramShared,
        kind: Kind,
        format: Format,
        links: Option<&PageLinks>,
        options: &RenderOptions,
    ) -> Result<String, RenderError> {
        let ctx = context! {
            kind => kind.name(),
            format => format.extension(),
            portfolio => shared.portfolio.clone(),
            program => shared.program.clone(),
            charts => shared.charts.clone(),
            links => Serde(links),
            changes => Serde(&options.changes),
            recent => Serde(options.changes.as_ref().map(|c| {
                report::ChangesView::of(options.window.clone().unwrap_or_default(), c)
            })),
            recent_unavailable => Serde(&options.unavailable),
        };
        self.run(&format!("{}.{}", kind.name(), format.extension()), &ctx)
    }

    fn portfolio_page(
        &self,
        analysis: &Analysis<'_>,
        reports: &[ProgramReport],
        format: Format,
        links: Option<&PageLinks>,
        scorecard: Option<&ScorecardView>,
    ) -> Result<String, RenderError> {
        let lines: Vec<report::ProgramLine> = reports.iter().map(Analysis::program_line).collect();
        let scorecard_charts = match (format, scorecard) {
            (Format::Html, Some(s)) => Some(s.charts()),
            _ => None,
        };
        let overview = analysis.overview(reports);
        let charts = match format {
            Format::Html => charts::portfolio_svg(analysis, &lines, reports),
            Format::Markdown => charts::portfolio_mermaid(analysis, &lines),
        };
        let ctx = context! {
            kind => Kind::Portfolio.name(),
            format => format.extension(),
            portfolio => Serde(info(analysis)),
            programs => Serde(&lines),
            overview => Serde(&overview),
            charts => charts_value(&charts),
            links => Serde(links),
            changes => Serde(None::<Vec<Change>>),
            recent => Serde(None::<report::ChangesView>),
            recent_unavailable => Serde(None::<String>),
            scorecard => Serde(scorecard),
            scorecard_charts => scorecard_charts_value(scorecard_charts.as_ref()),
        };
        self.run(&format!("portfolio.{}", format.extension()), &ctx)
    }
}

/// What a program's pages share, as template values: built once for its summary, charter
/// and RAID pages (the charts and the report are the costly part of a page).
struct ProgramShared {
    portfolio: Value,
    program: Value,
    charts: Value,
}

fn program_shared(
    analysis: &Analysis<'_>,
    report: &ProgramReport,
    index: usize,
    format: Format,
    options: &RenderOptions,
) -> ProgramShared {
    let charts = match format {
        Format::Html => charts::program_svg(report, analysis.as_of, options.baselines.as_ref()),
        Format::Markdown => {
            // Other programs' milestones that drive this one, in their own sections.
            let mut view = analysis.view(Some(index));
            view.milestones.extend(
                report
                    .external_drivers
                    .iter()
                    .filter_map(|d| analysis.row(&d.id).cloned()),
            );
            charts::program_mermaid(&view)
        }
    };
    ProgramShared {
        portfolio: Value::from(Serde(info(analysis))),
        program: Value::from(Serde(report)),
        charts: charts_value(&charts),
    }
}

/// Every program's report, built in parallel (in program order).
fn all_reports(analysis: &Analysis<'_>) -> Vec<ProgramReport> {
    use rayon::prelude::*;
    (0..analysis.portfolio.programs.len())
        .into_par_iter()
        .map(|i| analysis.program_report(i))
        .collect()
}

fn info<'a>(analysis: &'a Analysis<'_>) -> PortfolioInfo<'a> {
    let settings = &analysis.portfolio.settings;
    PortfolioInfo {
        name: if settings.name.is_empty() {
            "Portfolio"
        } else {
            &settings.name
        },
        as_of: analysis.as_of,
        generator: format!("milepost {}", env!("CARGO_PKG_VERSION")),
        programs: analysis.portfolio.programs.len(),
    }
}

/// The scorecard's SVG charts, marked safe (they escape their own text).
fn scorecard_charts_value(charts: Option<&report::ScorecardCharts>) -> Value {
    let Some(c) = charts else {
        return Value::from(());
    };
    let safe = |s: &str| Value::from_safe_string(s.to_owned());
    let opt = |s: &Option<String>| s.as_deref().map_or_else(|| Value::from(()), safe);
    context! {
        trends => c.trends.iter().map(|t| safe(t)).collect::<Vec<_>>(),
        throughput => opt(&c.throughput),
        exposure => opt(&c.exposure),
        control => opt(&c.control),
    }
}

fn charts_value(charts: &charts::Charts) -> Value {
    let safe = |s: &str| Value::from_safe_string(s.to_owned());
    context! {
        gantt => safe(&charts.gantt),
        graph => safe(&charts.graph),
        heatmap => safe(&charts.heatmap),
    }
}

#[cfg(test)]
mod tests {
    //! The site is rendered the fast way (program pages in parallel, the charts and report
    //! a program's pages share built once, links computed on lookup). Here it is compared,
    //! byte for byte, with the plain way: every page rendered on its own, one after the
    //! other, with every program's links in an ordinary map.

    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;

    fn plain_links(up: &str, ids: &[String], own: bool, calendars: bool) -> PageLinks {
        let map: BTreeMap<&str, ProgramLinks> = ids
            .iter()
            .map(|id| {
                let dir = format!("{up}programs/{id}");
                let links = ProgramLinks {
                    summary: format!("{dir}/summary.html"),
                    charter: format!("{dir}/charter.html"),
                    raid: format!("{dir}/raid.html"),
                };
                (id.as_str(), links)
            })
            .collect();
        PageLinks {
            index: format!("{up}index.html"),
            calendar: calendars.then(|| "calendar.ics".to_owned()),
            summary: own.then(|| "summary.html".to_owned()),
            charter: own.then(|| "charter.html".to_owned()),
            raid: own.then(|| "raid.html".to_owned()),
            programs: Value::from(Serde(map)),
        }
    }

    fn plain_site(renderer: &Renderer, analysis: &Analysis<'_>) -> Vec<SiteFile> {
        let reports: Vec<ProgramReport> = (0..analysis.portfolio.programs.len())
            .map(|i| analysis.program_report(i))
            .collect();
        let mut ids: Vec<String> = reports.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        let calendars = renderer.calendars;
        let mut files = vec![SiteFile {
            path: "index.html".to_owned(),
            contents: renderer
                .portfolio_page(
                    analysis,
                    &reports,
                    Format::Html,
                    Some(&plain_links("", &ids, false, calendars)),
                    None,
                )
                .unwrap(),
        }];
        let links = plain_links("../../", &ids, true, calendars);
        for (index, report) in reports.iter().enumerate() {
            for kind in [Kind::Summary, Kind::Charter, Kind::Raid] {
                let contents = renderer
                    .program_page(
                        analysis,
                        report,
                        index,
                        kind,
                        Format::Html,
                        Some(&links),
                        &RenderOptions::default(),
                    )
                    .unwrap();
                files.push(SiteFile {
                    path: format!("programs/{}/{}.html", report.id, kind.name()),
                    contents,
                });
            }
        }
        files.sort_by(|a, b| {
            (a.path != "index.html")
                .cmp(&(b.path != "index.html"))
                .then_with(|| a.path.cmp(&b.path))
        });
        files
    }

    #[test]
    fn the_site_is_byte_identical_to_pages_rendered_one_by_one() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
        let portfolio = milepost_load::load_dir(&root).expect("examples/acme loads");
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
        let session = milepost_session::Session::from_portfolio(portfolio, as_of, &[]).unwrap();
        let analysis = Analysis::new(&session);
        assert!(analysis.portfolio.programs.len() > 4, "several programs");
        for calendars in [false, true] {
            let renderer = Renderer::new(&Templates::embedded()).with_calendars(calendars);
            let plain = plain_site(&renderer, &analysis);
            let fast = renderer.site(&analysis, None).unwrap();
            assert_eq!(
                fast.iter().map(|f| &f.path).collect::<Vec<_>>(),
                plain.iter().map(|f| &f.path).collect::<Vec<_>>()
            );
            for (f, p) in fast.iter().zip(&plain) {
                assert!(
                    f.contents == p.contents,
                    "{} differs from the page rendered on its own",
                    f.path
                );
                assert!(f.contents.contains("href=\"") && f.contents.len() > 1000);
            }
        }
    }
}
