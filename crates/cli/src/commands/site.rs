//! `milepost site`: the portfolio report and every program's summary, charter and RAID
//! log as a linked static site, ready to publish from CI (GitHub Pages, GitLab Pages…).

use std::path::{Path, PathBuf};

use milepost_render::{Analysis, Renderer};
use milepost_session::Scope;

use crate::Outcome;
use crate::commands::render::{load_templates, render_error};
use crate::commands::{PortfolioArgs, outcome, report_problems};
use crate::error::CliError;
use crate::write;

/// Render the portfolio as a static HTML site: `index.html` (the portfolio report) and,
/// for every program, `programs/<id>/summary.html`, `charter.html` and `raid.html`, linked
/// to each other. Every page is self-contained (inline CSS and SVG charts, no scripts, no
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

/// Runs `milepost site`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let session = args.portfolio.open(Scope::Everything)?;
    let root = session.root().unwrap_or(Path::new("."));
    let templates = load_templates(root, args.templates.as_deref())?;
    let failed = report_problems(&session)?;
    let analysis = Analysis::new(&session);
    let files = Renderer::new(&templates)
        .site(
            &analysis,
            Some(&crate::commands::scorecard::for_report(
                &session,
                session.as_of(),
            )),
        )
        .map_err(|e| render_error(&e))?;
    // Built whole in a temporary folder, then swapped in: never a mix of old and new pages.
    write::replace_dir(&args.out, |dir| {
        for file in &files {
            let target = file
                .path
                .split('/')
                .fold(dir.to_path_buf(), |dir, part| dir.join(part));
            write::write_file(&target, file.contents.as_bytes())?;
        }
        Ok(())
    })?;
    crate::output::info(&format!(
        "wrote {} pages to {} (open {})",
        files.len(),
        args.out.display(),
        args.out.join("index.html").display()
    ));
    Ok(outcome(failed))
}
