//! `milepost explain`: a rule's documentation, or the list of every rule with its level.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use milepost_model::FileKind;
use milepost_model::Named;
use milepost_rules::{Config, Rule};

use crate::Outcome;
use crate::error::CliError;
use crate::output;

/// Show what a rule checks, why it matters, an example and how to fix it (`explain RULE`),
/// what a KPI measures and its target (`explain KPI`), or list every rule with its default
/// level (`explain`). With `--path`, also show the levels, thresholds and KPI settings that
/// portfolio's milepost.yaml sets.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The rule id (`risk-stale`) or KPI id (`milestone-variance`); omit to list every rule.
    #[arg(value_name = "RULE")]
    pub rule: Option<String>,
    /// A portfolio folder whose `rules:` settings to show (effective levels and thresholds).
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Output format: the text (Markdown), or JSON for tools (`{"version", "rules": [...]}`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The documentation as text (Markdown), or the table of rules.
    Text,
    /// JSON: every rule (or the one asked for) with its documentation, levels and thresholds.
    Json,
}

/// One rule as JSON.
fn rule_json(rule: &Rule, config: Option<&Config>) -> serde_json::Value {
    serde_json::json!({
        "id": rule.id,
        "summary": rule.summary,
        "default_level": rule.default_level.as_str(),
        "level": config.map_or(rule.default_level, |c| c.level(rule)).as_str(),
        "origin": match rule.origin {
            milepost_rules::Origin::Loader => "loader",
            milepost_rules::Origin::Engine => "engine",
        },
        "what": rule.what,
        "why": rule.why,
        "fix": rule.fix,
        "options": rule.options.iter().map(|t| serde_json::json!({
            "name": t.name,
            "default": t.default,
            "value": config.map_or(t.default, |c| c.threshold(rule, t)),
            "unit": t.unit.as_str(),
            "doc": t.doc,
        })).collect::<Vec<_>>(),
        "docs": format!("docs/rules.md#{}", rule.id),
    })
}

/// Runs `milepost explain`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let config = match &args.path {
        Some(path) => {
            // Only milepost.yaml matters here: skip reading the programs.
            let files = milepost_load::FileSet::from_dir(path)?.only(&[FileKind::Settings]);
            let portfolio = milepost_load::load(files);
            let config = Config::resolve(&portfolio);
            for d in &config.diagnostics {
                let at = d.location.as_ref().map_or_else(String::new, |l| {
                    format!(" ({}:{}:{})", l.file, l.span.line, l.span.column)
                });
                eprintln!("warning: {}{at}", d.message);
            }
            Some(config)
        }
        None => None,
    };
    // A KPI id (`milestone-variance`): its definition, unit and target.
    if let Some(id) = &args.rule
        && milepost_rules::find(id).is_none()
        && let Some(kpi) = kpi(id, args.path.as_deref())
    {
        let mut out = output::stdout_plain();
        if args.format == Format::Json {
            let doc = serde_json::json!({
                "version": output::json::VERSION,
                "rules": [],
                "kpis": [{
                    "id": kpi.id,
                    "name": kpi.name,
                    "unit": kpi.unit,
                    "source": kpi.source,
                    "definition": kpi.definition,
                    "target": kpi.target,
                    "docs": format!("docs/metrics.md#{}", kpi.id),
                }],
            });
            serde_json::to_writer_pretty(&mut out, &doc)
                .map_err(|e| CliError::Io(std::io::Error::other(e)))?;
            writeln!(out)?;
        } else {
            out.write_all(milepost_history::metrics::docs::explain(&kpi).as_bytes())?;
        }
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    if args.format == Format::Json {
        let rules: Vec<&Rule> = match &args.rule {
            Some(id) => vec![milepost_rules::find(id).ok_or_else(|| unknown(id))?],
            None => milepost_rules::ALL.to_vec(),
        };
        let doc = serde_json::json!({
            "version": output::json::VERSION,
            "rules": rules.iter().map(|r| rule_json(r, config.as_ref())).collect::<Vec<_>>(),
        });
        let mut out = output::stdout_plain();
        serde_json::to_writer_pretty(&mut out, &doc)
            .map_err(|e| CliError::Io(std::io::Error::other(e)))?;
        writeln!(out)?;
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    let text = match &args.rule {
        Some(id) => {
            let rule = milepost_rules::find(id).ok_or_else(|| unknown(id))?;
            let mut text = milepost_rules::docs::explain(rule);
            if let Some(config) = &config {
                let _ = writeln!(text, "{}", effective(rule, config));
            }
            text
        }
        None => list(config.as_ref()),
    };
    let mut out = output::stdout_plain();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Clean)
}

/// The KPI `id`, with its definition as the portfolio at `path` (or the defaults) sets it.
fn kpi(id: &str, path: Option<&std::path::Path>) -> Option<milepost_history::Kpi> {
    let settings = path
        .and_then(|p| milepost_load::FileSet::from_dir(p).ok())
        .map(|files| {
            milepost_load::load(files.only(&[FileKind::Settings]))
                .settings
                .metrics
        })
        .unwrap_or_default();
    milepost_history::metrics::catalogue(&settings)
        .into_iter()
        .find(|k| k.id == id)
}

fn unknown(id: &str) -> CliError {
    let kpis = milepost_history::metrics::catalogue(&milepost_model::MetricsSettings::default());
    let ids = milepost_rules::ALL
        .iter()
        .map(|r| r.id)
        .chain(kpis.iter().map(|k| k.id.as_str()));
    let hint = match milepost_load::did_you_mean(id, ids) {
        Some(s) => format!(
            "did you mean `{s}`? `milepost explain` lists every rule, `milepost metrics` every KPI"
        ),
        None => "`milepost explain` lists every rule, `milepost metrics` every KPI".to_owned(),
    };
    CliError::usage(format!("unknown rule or KPI `{id}`"), hint)
}

/// The thresholds of a rule as configured (`max_age_days = 21`).
fn thresholds(rule: &Rule, config: Option<&Config>) -> String {
    rule.options
        .iter()
        .map(|t| {
            let value = config.map_or(t.default, |c| c.threshold(rule, t));
            format!("{}={value}", t.name)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn effective(rule: &Rule, config: &Config) -> String {
    let mut text = format!(
        "In this portfolio: level **{}**",
        config.level(rule).as_str()
    );
    if !rule.options.is_empty() {
        let _ = write!(
            text,
            ", {}",
            thresholds(rule, Some(config)).replace(' ', ", ")
        );
    }
    text.push('\n');
    text
}

fn list(config: Option<&Config>) -> String {
    let rules = milepost_rules::ALL;
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(4);
    let mut out = String::new();
    let _ = write!(out, "{:width$}  {:7}", "RULE", "DEFAULT");
    if config.is_some() {
        let _ = write!(out, "  {:9}", "EFFECTIVE");
    }
    let _ = writeln!(out, "  SUMMARY");
    for rule in rules {
        let _ = write!(out, "{:width$}  {:7}", rule.id, rule.default_level.as_str());
        if let Some(config) = config {
            let _ = write!(out, "  {:9}", config.level(rule).as_str());
        }
        let _ = write!(out, "  {}", rule.summary);
        let t = thresholds(rule, config);
        if !t.is_empty() {
            let _ = write!(out, " ({t})");
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "\n`milepost explain RULE` shows a rule's documentation; set levels and thresholds under `rules:` in milepost.yaml."
    );
    out
}
