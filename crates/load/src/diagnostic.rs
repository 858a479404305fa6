//! Findings as plain data.
//!
//! A [`Diagnostic`] is what every layer (loader, rules, planner) produces and what every
//! output format (human, JSON, GitHub, SARIF, JUnit) renders. It carries a rule id, a
//! severity, a message, an optional location (file + [`Span`]), the entity it concerns, a
//! fix hint and related locations (for example each hop of a dependency cycle).

use std::sync::Arc;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information; never fails a check.
    Info,
    /// Worth fixing; never fails a check.
    Warning,
    /// Fails `milepost check` (exit 1).
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A position in a source file: 1-based line and column (in characters), and the length
/// of the highlighted text on that line (0 for a point).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Number of characters highlighted on the line.
    pub len: u32,
}

impl Span {
    /// A span at `line:column` highlighting `len` characters.
    pub fn new(line: u32, column: u32, len: u32) -> Self {
        Self { line, column, len }
    }

    /// The very start of a file.
    pub fn start_of_file() -> Self {
        Self::new(1, 1, 0)
    }
}

/// A file and a span within it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// The path relative to the portfolio root, with `/` separators.
    pub file: Arc<str>,
    /// Where in the file.
    pub span: Span,
}

/// A secondary location attached to a finding, with a short label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What is there (`first defined here`, `M2 depends on M3`).
    pub message: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable rule id (`schema`, `ref-unknown`, `owner-missing`…).
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when the finding concerns a place in a file.
    pub location: Option<Location>,
    /// The entity concerned, as `program/id` (or `program` for a charter).
    pub entity: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// Other places that explain the finding.
    pub related: Vec<Related>,
    /// How the finding compares with the base of a change (`check --base REF`); `None`
    /// when no base was given.
    pub base: Option<BaseStatus>,
    /// The level the rules set, when `check --base` lowered it to a warning because the
    /// finding exists unchanged on the base.
    pub capped_from: Option<Severity>,
    /// The value a schema finding rejected as an id (`Dev Sharma`), so that the reference
    /// check can recognise a person's name or e-mail written where their id belongs.
    #[serde(skip)]
    pub(crate) rejected_id: Option<String>,
}

/// How a finding compares with the base of a change (`milepost check --base REF`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaseStatus {
    /// Not on the base: the change introduces it.
    New,
    /// On the base too, but in an entity (or, without one, a file) the change touches.
    Touched,
    /// On the base, unchanged, in something the change does not touch.
    Unchanged,
}

impl BaseStatus {
    /// `new`, `touched` or `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Touched => "touched",
            Self::Unchanged => "unchanged",
        }
    }
}

impl Diagnostic {
    /// A new finding with no location, entity, hint or related places.
    pub fn new(rule: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity,
            message: message.into(),
            location: None,
            entity: None,
            hint: None,
            related: Vec::new(),
            base: None,
            capped_from: None,
            rejected_id: None,
        }
    }

    /// An error-level finding.
    pub fn error(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Error, message)
    }

    /// A warning-level finding.
    pub fn warning(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Warning, message)
    }

    /// Sets the location.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the location from a file and span.
    #[must_use]
    pub fn at_span(self, file: &Arc<str>, span: Span) -> Self {
        self.at(Location {
            file: Arc::clone(file),
            span,
        })
    }

    /// Sets the entity.
    #[must_use]
    pub fn entity(mut self, entity: impl Into<String>) -> Self {
        self.entity = Some(entity.into());
        self
    }

    /// Sets the hint.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a related location.
    #[must_use]
    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// A stable sort key: file, line, column, rule, message.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location
                .as_ref()
                .map(|l| (Arc::clone(&l.file), l.span)),
            self.rule,
            &self.message,
        )
    }
}

/// The best "did you mean" candidate for `word` among `candidates`, if one is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&word, &c.to_lowercase());
        // Ties keep the earlier candidate: callers list the likelier answers first.
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "Did you mean" for many unknown words against a large set, in linear time: each distinct
/// question (a word in a scope, such as a program's milestone ids) is answered once, and after
/// [`Suggester::MAX_QUESTIONS`] distinct questions no new suggestion is computed — a file with
/// thousands of bad references still gets every finding, located, and the first few hundred
/// get a suggestion, instead of a Jaro–Winkler comparison of every bad reference with every id.
#[derive(Debug, Default)]
pub struct Suggester {
    answers: std::collections::HashMap<(String, String), Option<String>>,
}

impl Suggester {
    /// Distinct questions answered before suggestions stop.
    pub const MAX_QUESTIONS: usize = 256;

    /// The closest of `candidates()` to `word` (as [`did_you_mean`]), asked in `scope`. The
    /// candidates are only gathered when the question is new and within the budget.
    pub fn suggest<'a, I: IntoIterator<Item = &'a str>>(
        &mut self,
        scope: &str,
        word: &str,
        candidates: impl FnOnce() -> I,
    ) -> Option<String> {
        let key = (scope.to_owned(), word.to_owned());
        if let Some(answer) = self.answers.get(&key) {
            return answer.clone();
        }
        if self.answers.len() >= Self::MAX_QUESTIONS {
            return None;
        }
        let answer = did_you_mean(word, candidates()).map(str::to_owned);
        self.answers.insert(key, answer.clone());
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            did_you_mean("ownr", ["owner", "title", "id"]),
            Some("owner")
        );
        assert_eq!(did_you_mean("xyz", ["owner", "title", "id"]), None);
    }
}
