//! `milepost import`: a plan from Jira, MS Project or a spreadsheet into a program folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};
use milepost_exchange::import::merge::{self, Existing, Note, RECORD_FILE};
use milepost_exchange::import::{self, Imported, People, jira::Mapping};
use milepost_exchange::{Level, SourceProblem};
use milepost_history::{ChangeKind, diff_portfolios};
use milepost_load::{FileSet, Portfolio};
use milepost_session::{Options, Scope, Session};

use crate::Outcome;
use crate::commands::parse_date;
use crate::error::CliError;
use crate::output::history::{show, work_days};
use crate::{output, write};

/// The largest source file read (a Jira export of a whole instance is far smaller).
const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// Import a plan into a program: Jira's CSV export, MS Project XML (MSPDI) or a simple CSV
/// (`id`, `title`, `owner`, `duration`, `depends_on`, `target`, `status`). Writes
/// `programs/<ID>/milestones.yaml` (and `program.yaml` for a new program, and holidays from an
/// MS Project calendar into milepost.yaml), then prints what changed.
///
/// Re-running an import updates what the source changed since the last import and keeps what
/// you changed by hand: fields the import does not own, milestones it does not know, edits to
/// a field the source did not change (a record of the last import is kept in
/// `programs/<ID>/.milepost-import.json`; commit it). Nothing is written when the source has
/// errors: each is reported at its line and column.
///
/// Formats and mapping files: docs/exchange/. Exit code 1 when the source has errors or the
/// imported portfolio fails `milepost check`, 2 when it cannot run.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio folder, or any file or folder inside one (default: found upwards from
    /// the working directory).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// The format and the file to import: `jira-csv FILE`, `mspdi FILE` or `csv FILE`.
    #[arg(long, num_args = 2, value_names = ["FORMAT", "FILE"], required = true)]
    pub from: Vec<String>,
    /// The program to import into (its folder name); created when it does not exist.
    #[arg(long, value_name = "ID")]
    pub program: String,
    /// A mapping file (YAML) for `jira-csv`: column names, statuses, issue types and people.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The owner of a new program (a person id from people.yaml).
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
    /// The name of a new program.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Show what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Check and plan as of this day (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
}

fn format_of(name: &str) -> Result<import::Format, CliError> {
    match name {
        "jira-csv" => Ok(import::Format::JiraCsv),
        "mspdi" => Ok(import::Format::Mspdi),
        "csv" => Ok(import::Format::Csv),
        other => Err(CliError::usage(
            format!("`{other}` is not an import format"),
            "write `--from jira-csv FILE`, `--from mspdi FILE` or `--from csv FILE`",
        )),
    }
}

fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        CliError::usage(
            format!("cannot read the {what} `{}`: {e}", path.display()),
            "check the path",
        )
    })?;
    if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
        return Err(CliError::usage(
            format!(
                "the {what} `{}` is not a regular file of at most 64 MiB",
                path.display()
            ),
            "pass the exported file",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::usage(
            format!("cannot read the {what} `{}`: {e}", path.display()),
            "check the path",
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        CliError::usage(
            format!(
                "the {what} `{}` is not UTF-8 text (byte {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
            "export or save it as UTF-8",
        )
    })
}

/// Prints source problems rustc-style, with the line and a caret.
fn print_problems(file: &str, text: &str, problems: &[SourceProblem]) {
    let mut err = anstream::stderr();
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let cyan = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
    let bold = Style::new().bold();
    let lines: Vec<&str> = text.lines().collect();
    for p in problems {
        let (word, colour) = match p.level {
            Level::Error => ("error", AnsiColor::Red),
            Level::Warning => ("warning", AnsiColor::Yellow),
        };
        let sev = Style::new().bold().fg_color(Some(colour.into()));
        let _ = writeln!(
            err,
            "{sev}{word}{sev:#}{bold}: {}{bold:#}",
            output::printable(&p.message)
        );
        let n = p.line.to_string();
        let pad = " ".repeat(n.len());
        let _ = writeln!(err, "{pad}{blue}-->{blue:#} {file}:{}:{}", p.line, p.column);
        if let Some(line) = lines.get(p.line as usize - 1) {
            let shown = output::cut(&output::printable(line), 160);
            let _ = writeln!(err, "{pad} {blue}|{blue:#}");
            let _ = writeln!(err, "{blue}{n} |{blue:#} {shown}");
            let caret = " ".repeat(p.column.saturating_sub(1) as usize);
            let _ = writeln!(err, "{pad} {blue}|{blue:#} {caret}{sev}^{sev:#}");
        }
        if let Some(hint) = &p.hint {
            let _ = writeln!(err, "{pad} {cyan}= help{cyan:#}: {hint}");
        }
        let _ = writeln!(err);
    }
}

/// The relative path from a program folder to the portfolio's `schemas/`, for the
/// `yaml-language-server` line of new files: the one the other programs use, else
/// `../../schemas/` when the portfolio has that folder.
fn schema_dir(root: &Path) -> Option<String> {
    let programs = root.join("programs");
    if let Ok(dirs) = std::fs::read_dir(&programs) {
        let mut dirs: Vec<PathBuf> = dirs.filter_map(|d| d.ok().map(|d| d.path())).collect();
        dirs.sort();
        for dir in dirs {
            for file in ["milestones.yaml", "program.yaml"] {
                if let Ok(text) = std::fs::read_to_string(dir.join(file))
                    && let Some(line) = text
                        .lines()
                        .find(|l| l.starts_with("# yaml-language-server: $schema="))
                    && let Some((dir, _)) = line
                        .trim_start_matches("# yaml-language-server: $schema=")
                        .rsplit_once('/')
                {
                    return Some(format!("{dir}/"));
                }
            }
        }
    }
    root.join("schemas")
        .is_dir()
        .then(|| "../../schemas/".to_owned())
}

/// The portfolio with some files replaced (for `--dry-run`).
fn load_with(root: &Path, replaced: &[(String, String)]) -> Result<Portfolio, CliError> {
    let set = FileSet::from_dir(root)?;
    let mut files: Vec<(String, std::sync::Arc<[u8]>)> = Vec::new();
    for f in &set.files {
        if replaced.iter().any(|(p, _)| p.as_str() == &*f.path) {
            continue;
        }
        if let Ok(bytes) = milepost_load::read_content(&f.content) {
            files.push((f.path.to_string(), bytes));
        }
    }
    for (p, text) in replaced {
        if !p.ends_with(RECORD_FILE) {
            files.push((p.clone(), std::sync::Arc::from(text.as_bytes())));
        }
    }
    Ok(milepost_load::load(FileSet::from_memory(files)))
}

/// Runs `milepost import`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let format = format_of(&args.from[0])?;
    let source_path = PathBuf::from(&args.from[1]);
    if !import::valid_id(&args.program) {
        return Err(CliError::usage(
            format!("`{}` cannot be a program id", args.program),
            "a program id (its folder name) starts with a letter or digit and uses letters, digits, `.`, `_` and `-`",
        ));
    }
    let root = crate::commands::locate(args.path.as_deref())?;
    let open = || {
        Session::open(&Options {
            path: Some(root.clone()),
            as_of: args.as_of,
            programs: Vec::new(),
            scope: Scope::Everything,
        })
    };
    let before = open()?;
    let as_of = before.as_of();
    let source_text = read_text(&source_path, "source file")?;
    let source_name = source_path.file_name().map_or_else(
        || args.from[1].clone(),
        |n| n.to_string_lossy().into_owned(),
    );
    let shown_source = source_path.display().to_string();

    let mapping = match (&args.mapping, format) {
        (Some(path), import::Format::JiraCsv) => {
            let text = read_text(path, "mapping file")?;
            match Mapping::parse(&text) {
                Ok(m) => m,
                Err(problems) => {
                    print_problems(&path.display().to_string(), &text, &problems);
                    return Ok(Outcome::Findings);
                }
            }
        }
        (Some(_), _) => {
            return Err(CliError::usage(
                "`--mapping` is for `--from jira-csv`",
                "the CSV and MSPDI formats have fixed columns (docs/exchange/)",
            ));
        }
        (None, _) => Mapping::default(),
    };
    let people = People::new(Some(before.portfolio()), mapping.people.clone());
    let mut imported: Imported = match format {
        import::Format::JiraCsv => {
            import::jira::read(&source_text, &args.program, &mapping, &people)
        }
        import::Format::Mspdi => import::mspdi::read(&source_text, &args.program, &people),
        import::Format::Csv => import::csv::read(&source_text, &people),
    };
    imported.settle();
    let mut problems = imported.problems.clone();
    problems.sort_by_key(|p| (p.line, p.column));
    print_problems(&shown_source, &source_text, &problems);
    if imported.has_errors() {
        let errors = problems.iter().filter(|p| p.level == Level::Error).count();
        let mut err = anstream::stderr();
        let _ = writeln!(
            err,
            "nothing was imported: {} in {shown_source}",
            output::plural(errors, "error")
        );
        return Ok(Outcome::Findings);
    }

    // The program folder as it is.
    let dir = root.join("programs").join(&args.program);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let milestones = read("milestones.yaml");
    let record = read(RECORD_FILE);
    let settings = std::fs::read_to_string(root.join("milepost.yaml")).ok();
    let calendar = milepost_plan::calendar_of(before.portfolio());
    let existing = Existing {
        milestones: milestones.as_deref(),
        has_program: dir.join("program.yaml").is_file(),
        settings: settings.as_deref(),
        record: record.as_deref(),
        calendar: Some((calendar.workdays(), calendar.holidays().to_vec())),
    };
    let merged = merge::merge(
        &imported,
        &existing,
        &merge::Options {
            program: args.program.clone(),
            format: Some(format),
            source: source_name,
            schema_dir: schema_dir(&root),
            owner: args.owner.clone(),
            name: args.name.clone(),
        },
    )
    .map_err(|e| {
        CliError::usage(
            format!("programs/{}/{e}", args.program),
            "run `milepost check` and fix the file first",
        )
    })?;

    let rel = |name: &str| format!("programs/{}/{name}", args.program);
    let mut files: Vec<(String, String)> =
        vec![(rel("milestones.yaml"), merged.milestones.clone())];
    if let Some(p) = &merged.program {
        files.push((rel("program.yaml"), p.clone()));
    }
    if let Some(s) = &merged.settings {
        files.push(("milepost.yaml".to_owned(), s.clone()));
    }
    files.push((rel(RECORD_FILE), merged.record.clone()));

    let after = if args.dry_run {
        load_with(&root, &files)?
    } else {
        for (path, text) in &files {
            write::write_file(&root.join(path), text.as_bytes())?;
        }
        open()?.into_portfolio()
    };
    let before_portfolio = before.into_portfolio();
    let diff = diff_portfolios(&before_portfolio, &after, as_of);

    let mut out = output::stdout_human();
    report(
        &mut out,
        args,
        &imported,
        &merged.notes,
        &diff,
        &shown_source,
    )?;
    out.flush()?;

    // The result must check: say so when it does not.
    let session = Session::from_portfolio(after, Some(as_of), std::slice::from_ref(&args.program))?
        .with_root(root.clone());
    let findings = session.findings_in_scope();
    let errors: Vec<_> = findings
        .iter()
        .filter(|d| d.severity == milepost_load::Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        let mut err = anstream::AutoStream::auto(std::io::stderr().lock());
        let summary = format!(
            "the imported program has {}; fix them in the YAML (a re-import keeps your fixes) or in the source",
            output::plural(errors.len(), "error")
        );
        output::human::render(
            &mut err,
            session.portfolio(),
            &errors,
            &summary,
            &session.cwd_prefix(),
            None,
        )?;
        return Ok(Outcome::Findings);
    }
    Ok(Outcome::Clean)
}

/// What the import did: the semantic diff, then the notes.
fn report(
    out: &mut dyn Write,
    args: &Args,
    imported: &Imported,
    notes: &[Note],
    diff: &milepost_history::PortfolioDiff,
    source: &str,
) -> std::io::Result<()> {
    let bold = Style::new().bold();
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into()));
    let verb = if args.dry_run {
        " (dry run: nothing written)"
    } else {
        ""
    };
    let changes: Vec<_> = diff
        .changes
        .iter()
        .filter(|c| c.entity != "portfolio" || c.field.is_some())
        .collect();
    writeln!(
        out,
        "{bold}import {source} → programs/{}{bold:#}: {} milestones read, {}{verb}",
        args.program,
        imported.milestones.len(),
        output::plural(changes.len(), "change")
    )?;
    for c in &changes {
        let title = c
            .title
            .as_deref()
            .map(|t| format!(" {}", output::printable(t)))
            .unwrap_or_default();
        match c.kind {
            ChangeKind::Added => writeln!(out, "  {green}+ {}{green:#}{title}", c.entity)?,
            ChangeKind::Removed => writeln!(out, "  {red}- {}{red:#}{title}", c.entity)?,
            ChangeKind::Modified => {
                let field = c.field.as_deref().unwrap_or("");
                let days = c
                    .work_days
                    .filter(|d| *d != 0)
                    .map(|d| format!(" ({})", work_days(d)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {yellow}~ {}{yellow:#} {field}: {} → {}{days}",
                    c.entity,
                    show(&c.before),
                    show(&c.after)
                )?;
            }
        }
    }
    if let (Some(b), Some(a)) = (&diff.plan_before.finish, &diff.plan_after.finish)
        && b != a
    {
        writeln!(out, "  plan finish: {b} → {a}")?;
    }
    for note in notes {
        match note {
            Note::Conflict {
                id,
                field,
                kept,
                source,
            } => writeln!(
                out,
                "  {yellow}kept your edit{yellow:#}: {}/{id} {field} is `{kept}` here; the source changed it to `{source}`",
                args.program
            )?,
            Note::DeletedByHand { id } => writeln!(
                out,
                "  not re-added: {}/{id} was deleted from milestones.yaml after an earlier import",
                args.program
            )?,
            Note::GoneFromSource { id } => writeln!(
                out,
                "  kept: {}/{id} is no longer in the source; cancel or delete it by hand if it is gone",
                args.program
            )?,
            Note::HolidaysAdded(days) => writeln!(
                out,
                "  milepost.yaml: added {} from the source calendar",
                output::plural(days.len(), "holiday")
            )?,
            Note::HolidaysNotAdded(days) => writeln!(
                out,
                "  {yellow}add by hand{yellow:#} to calendar.holidays in milepost.yaml: {}",
                days.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )?,
            Note::WorkWeekDiffers { source } => {
                let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
                let days: Vec<&str> = (0..7).filter(|i| source[*i]).map(|i| names[i]).collect();
                writeln!(
                    out,
                    "  {yellow}note{yellow:#}: the source works [{}]; the portfolio calendar (milepost.yaml) is kept",
                    days.join(", ")
                )?;
            }
            Note::Rewritten => writeln!(
                out,
                "  note: milestones.yaml was not in block style and was rewritten (its comments are gone)"
            )?,
        }
    }
    if !imported.unknown_people.is_empty() {
        writeln!(
            out,
            "  {yellow}people not in people.yaml{yellow:#} (their milestones have no owner yet; add them, or map them with `people:` in a mapping file):"
        )?;
        for (name, (line, column)) in &imported.unknown_people {
            writeln!(
                out,
                "    {} ({source}:{line}:{column})",
                output::printable(name)
            )?;
        }
    }
    Ok(())
}
