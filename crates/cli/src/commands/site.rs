//! `milepost site`: the portfolio report and every program's summary, charter and RAID
//! log as a linked static site, ready to publish from CI (GitHub Pages, GitLab Pages…).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use milepost_render::{Analysis, Renderer};
use milepost_session::Scope;

use crate::Outcome;
use crate::commands::render::load_templates;
use crate::commands::{PortfolioArgs, outcome, release, report_problems};
use crate::error::CliError;
use crate::write;

/// Render the portfolio as a static HTML site: `index.html` (the portfolio report) and,
/// for every program, `programs/<id>/summary.html`, `charter.html` and `raid.html`, linked
/// to each other, with an iCalendar feed of the milestones beside them (`calendar.ics`, and
/// `programs/<id>/calendar.ics`) that a calendar app can subscribe to. Every page is self-contained (inline CSS and SVG charts, no scripts, no
/// network). The site is built whole in a temporary folder and swapped in at once, so a
/// reader never sees old and new pages mixed; `--out` must be new, empty, or a folder an
/// earlier `milepost site` wrote (it is replaced as a whole).
///
/// Exit code 1 when the portfolio has errors that skew the reports (printed on stderr; the
/// site is still written), 2 when it cannot be rendered.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub portfolio: PortfolioArgs,
    /// The folder to write the site into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A folder of templates that override the built-in ones file by file (and the
    /// portfolio's own `templates/` folder).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// The iCalendar feeds the pages link to: the portfolio's milestones at the root, each
/// program's in its folder (stable UIDs: a subscribed calendar updates its events). Each is
/// handed to `emit` as it is made, the programs' in parallel.
fn calendars(
    session: &milepost_session::Session,
    emit: &(impl Fn(milepost_render::SiteFile) -> Result<(), CliError> + Sync),
) -> Result<(), CliError> {
    use milepost_exchange::export::{Source, ical};
    use rayon::prelude::*;
    let source = Source::new(session.portfolio(), session.plan(), session.programs());
    // No schedule (a dependency cycle): no feeds; `check` explains.
    let Ok((all, each)) = ical::feeds(&source) else {
        return Ok(());
    };
    emit(milepost_render::SiteFile {
        path: "calendar.ics".to_owned(),
        contents: all,
    })?;
    let programs = &session.portfolio().programs;
    each.into_par_iter()
        .filter(|(i, _)| {
            let id = &programs[*i].id;
            !id.contains(['/', '\\']) && !id.starts_with('.')
        })
        .try_for_each(|(i, text)| {
            emit(milepost_render::SiteFile {
                path: format!("programs/{}/calendar.ics", programs[i].id),
                contents: text,
            })
        })
}

/// Runs `milepost site`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    crate::progress::enable(false);
    let session = args.portfolio.open(Scope::Everything)?;
    let root = session.root().unwrap_or(Path::new("."));
    let templates = load_templates(root, args.templates.as_deref())?;
    let failed = report_problems(&session)?;
    let analysis = Analysis::new(&session);
    let renderer = Renderer::new(&templates).with_calendars(true);
    let scorecard = crate::commands::scorecard::for_report(&session, session.as_of());
    let (pages, feeds) = (AtomicUsize::new(0), AtomicUsize::new(0));
    // Built whole in a temporary folder, then swapped in: never a mix of old and new pages.
    // Each page is written as soon as it is rendered (pages render in parallel), so a large
    // site is never held in memory whole.
    write::replace_dir(&args.out, |dir| {
        let emit = |file: milepost_render::SiteFile| -> Result<(), CliError> {
            let target = file
                .path
                .split('/')
                .fold(dir.to_path_buf(), |dir, part| dir.join(part));
            write::write_in_build(&target, file.contents.as_bytes())?;
            let count = if Path::new(&file.path)
                .extension()
                .is_some_and(|e| e == "ics")
            {
                &feeds
            } else {
                &pages
            };
            count.fetch_add(1, Ordering::Relaxed);
            Ok(())
        };
        renderer.site_each(&analysis, Some(&scorecard), emit)?;
        calendars(&session, &emit)
    })?;
    let (pages, feeds) = (pages.into_inner(), feeds.into_inner());
    crate::output::info(&format!(
        "wrote {} and {} to {} (open {})",
        crate::output::plural(pages, "page"),
        crate::output::plural(feeds, "calendar feed"),
        args.out.display(),
        args.out.join("index.html").display()
    ));
    release(analysis);
    release(session);
    Ok(outcome(failed))
}
