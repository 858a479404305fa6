//! Plans in and out of milepost.
//!
//! A TPM adopting milepost already has a plan somewhere else, and leaders and partner teams
//! live in other tools and in their calendars. This crate converts:
//!
//! - **out** ([`export`]): the computed plan of a portfolio (or some of its programs) as MS
//!   Project XML (MSPDI), a TaskJuggler project that schedules to the same dates, an iCalendar
//!   feed with one stable event per milestone, and Jira's CSV import format;
//! - **in** ([`import`]): a Jira CSV export (columns renamed by a mapping file), an MSPDI file or
//!   a simple documented CSV into a program's `milestones.yaml` (and `program.yaml`, and the
//!   portfolio calendar's holidays), merged three ways with what is already there so that a
//!   re-import keeps what the TPM changed by hand.
//!
//! Every problem in a source file is a [`SourceProblem`] at its line and column, with a hint.
//! The crate neither prints nor touches the file system except through the paths it is given:
//! the CLI reads the source, asks for the new file texts and writes them.
//!
//! What survives each trip is documented per format in `docs/exchange/`.

pub mod export;
pub mod import;
mod xml;

use std::fmt;

/// A problem in a source file of an import (or a mapping file), at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceProblem {
    /// 1-based line in the source file.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// How bad it is.
    pub level: Level,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

/// The level of a [`SourceProblem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Imported, but something was converted or dropped: read the note.
    Warning,
    /// Not imported: the import writes nothing until it is fixed.
    Error,
}

impl SourceProblem {
    /// An error at `line:column`.
    pub fn error(line: u32, column: u32, message: impl Into<String>, hint: Option<String>) -> Self {
        Self {
            line,
            column,
            level: Level::Error,
            message: message.into(),
            hint,
        }
    }

    /// A warning at `line:column`.
    pub fn warning(
        line: u32,
        column: u32,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        Self {
            line,
            column,
            level: Level::Warning,
            message: message.into(),
            hint,
        }
    }
}

impl fmt::Display for SourceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}
