//! Renderings of history data (`diff`, `audit`, `metrics`), one file per command, and the
//! text helpers they share with `log`'s table.

pub mod audit;
pub mod diff;
pub mod metrics;

/// A JSON value as text for people: strings bare, lists joined, `(unset)` for null.
pub fn show(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "(unset)".to_owned(),
        Value::String(s) => super::printable(s).into_owned(),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", show(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// `+10 work days`, `-1 work day`.
pub fn work_days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n:+} work day")
    } else {
        format!("{n:+} work days")
    }
}

/// What a history report covers: every report states it (the portfolio folder, the history
/// read, how many commits, how many file versions were skipped), so a reader can tell "no
/// change" from "nothing read".
#[derive(Debug, Clone, serde::Serialize)]
pub struct Coverage {
    /// The portfolio folder relative to the repository root (`.` at the root).
    pub portfolio: String,
    /// The revision read up to, as given (`HEAD`, `v1.2`).
    pub rev: String,
    /// Its commit.
    pub commit: String,
    /// Whether only first parents were followed.
    pub first_parent: bool,
    /// Commits read.
    pub commits_read: usize,
    /// File versions that did not parse and were skipped.
    pub skipped_versions: usize,
    /// The as-of date, for reports that measure ages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<chrono::NaiveDate>,
    /// The programs the report is limited to (`--program`); empty: all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
}

impl Coverage {
    /// The coverage of a walk of `rev` in `history`.
    pub fn new(
        history: &milepost_history::History,
        rev: &milepost_history::Rev,
        first_parent: bool,
        commits_read: usize,
        problems: &[milepost_history::Problem],
    ) -> Coverage {
        Coverage {
            portfolio: if history.prefix().is_empty() {
                ".".to_owned()
            } else {
                history.prefix().to_owned()
            },
            rev: rev.name.clone(),
            commit: rev.id.to_string(),
            first_parent,
            commits_read,
            skipped_versions: problems.len(),
            as_of: None,
            programs: Vec::new(),
        }
    }

    /// One sentence: `Portfolio `portfolio`, history of HEAD (1a2b3c4), first parent: 12
    /// commits read; 1 file version skipped (it does not parse).`
    pub fn sentence(&self) -> String {
        use std::fmt::Write as _;
        let mut text = format!(
            "Portfolio `{}`, history of {} ({}){}: {} read",
            self.portfolio,
            self.rev,
            &self.commit[..self.commit.len().min(7)],
            if self.first_parent {
                ", first parent"
            } else {
                ", all parents"
            },
            crate::output::plural(self.commits_read, "commit"),
        );
        if !self.programs.is_empty() {
            let _ = write!(text, "; programs {}", self.programs.join(", "));
        }
        if let Some(as_of) = self.as_of {
            let _ = write!(text, "; as of {as_of}");
        }
        if self.skipped_versions > 0 {
            let _ = write!(
                text,
                "; {} skipped (did not parse)",
                crate::output::plural(self.skipped_versions, "file version")
            );
        }
        text.push('.');
        text
    }

    /// Writes a JSON report: `"version"` first, the report's own fields, then
    /// `"coverage": {...}`. Serialized straight to `out` (a report of a long history is
    /// tens of megabytes: no intermediate JSON tree is built).
    ///
    /// # Errors
    /// Writing fails.
    pub fn write_json<T: serde::Serialize>(
        &self,
        out: &mut dyn std::io::Write,
        report: &T,
    ) -> std::io::Result<()> {
        #[derive(serde::Serialize)]
        struct Report<'a, T> {
            version: u32,
            #[serde(flatten)]
            body: &'a T,
            coverage: &'a Coverage,
        }
        serde_json::to_writer_pretty(
            &mut *out,
            &Report {
                version: crate::output::json::VERSION,
                body: report,
                coverage: self,
            },
        )?;
        writeln!(out)
    }
}
