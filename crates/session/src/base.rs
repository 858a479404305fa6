//! Checks scoped to a change: `milepost check --base REF`.
//!
//! A shared portfolio repository gates every pull request on the whole portfolio, so a risk
//! review that fell due today in one program fails another team's typo fix, and the same
//! commit passes on Monday and fails on Tuesday. Against a base, each finding is compared
//! with the findings of the base — the portfolio as it is in the merge base of `REF` and
//! `HEAD`, checked **as of the same day** with the same history facts, so a date-driven
//! finding that is due on both sides is the same finding:
//!
//! - not on the base: the change introduces it ([`BaseStatus::New`]), reported at its level;
//! - on the base, but in an entity the change touches (or, for a finding about no entity,
//!   in a file it touches): [`BaseStatus::Touched`], reported at its level;
//! - on the base, unchanged, elsewhere: [`BaseStatus::Unchanged`], still listed but capped
//!   at `warning` ([`Diagnostic::capped_from`] keeps the level the rules set).
//!
//! Findings are matched by rule, entity, file and message (not by line, which moves when
//! lines are added above), counting duplicates.

use std::collections::{BTreeSet, HashMap};

use milepost_history::{History, entities_of};
use milepost_load::{BaseStatus, Diagnostic, Severity};

use crate::{Session, SessionError};

/// What a change was compared with, and what it touches.
#[derive(Debug, Clone)]
pub struct Base {
    /// The revision the user named (`origin/main`).
    pub spec: String,
    /// The commit compared with: the merge base of the revision and `HEAD` (full id).
    pub commit: String,
    /// Whether that commit has the portfolio; when it does not, the change adds the
    /// portfolio and every finding is new.
    pub had_portfolio: bool,
    /// The portfolio files (relative to the portfolio) the change adds, removes or edits,
    /// working-tree edits included.
    pub changed_files: BTreeSet<String>,
    /// The entities (`program`, `program/id`) the change adds, removes or edits.
    pub changed_entities: BTreeSet<String>,
}

impl Base {
    /// The abbreviated commit id.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }
}

/// Counts of findings by how they compare with the base.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BaseTally {
    /// Introduced by the change.
    pub new: usize,
    /// Already on the base, in something the change touches.
    pub touched: usize,
    /// Already on the base, unchanged, elsewhere.
    pub unchanged: usize,
    /// Of the unchanged ones, how many were errors capped at warning.
    pub capped: usize,
}

impl BaseTally {
    /// Counts `findings` (those without a base status are not counted).
    pub fn of(findings: &[Diagnostic]) -> BaseTally {
        let mut t = BaseTally::default();
        for d in findings {
            match d.base {
                Some(BaseStatus::New) => t.new += 1,
                Some(BaseStatus::Touched) => t.touched += 1,
                Some(BaseStatus::Unchanged) => t.unchanged += 1,
                None => {}
            }
            if d.capped_from.is_some() {
                t.capped += 1;
            }
        }
        t
    }
}

type Key<'a> = (&'static str, Option<&'a str>, Option<&'a str>, &'a str);

fn key(d: &Diagnostic) -> Key<'_> {
    (
        d.rule,
        d.entity.as_deref(),
        d.location.as_ref().map(|l| &*l.file),
        &d.message,
    )
}

impl Session {
    /// The findings in scope ([`Session::findings_in_scope`]), each marked with how it
    /// compares with the base of a change (see the module docs), errors that exist unchanged
    /// on the base capped at warning.
    ///
    /// # Errors
    /// [`SessionError::History`] when the portfolio is not in a git repository, `spec` names
    /// no revision, or the merge base cannot be found (a shallow clone).
    pub fn against_base(&self, spec: &str) -> Result<(Base, Vec<Diagnostic>), SessionError> {
        let root = self.root().ok_or_else(|| {
            SessionError::History(milepost_history::HistoryError::NotARepository(
                std::path::PathBuf::from("."),
            ))
        })?;
        let history = History::open(root)?;
        let head = history.head()?;
        let named = history.resolve(spec)?;
        let merge_base = history.merge_base(&named, &head)?;
        let mut findings = self.findings_in_scope().into_owned();

        let Some(before) = history.portfolio_at(merge_base.id)? else {
            for d in &mut findings {
                d.base = Some(BaseStatus::New);
            }
            let base = Base {
                spec: spec.to_owned(),
                commit: merge_base.id.to_string(),
                had_portfolio: false,
                changed_files: BTreeSet::new(),
                changed_entities: BTreeSet::new(),
            };
            return Ok((base, findings));
        };
        let changed_files = history.changed_since(merge_base.id)?.unwrap_or_default();

        let old = entities_of(&before);
        let new = entities_of(&self.portfolio);
        let mut changed_entities: BTreeSet<String> = old
            .iter()
            .filter(|(name, entity)| new.get(*name) != Some(entity))
            .map(|(name, _)| name.clone())
            .collect();
        changed_entities.extend(new.keys().filter(|name| !old.contains_key(*name)).cloned());

        // The base, checked as of the same day with the same history facts.
        let base_session = Session::from_portfolio(before, Some(self.as_of), &[])?;
        let _ = base_session.extras.set(self.extras().clone());
        let mut on_base: HashMap<Key<'_>, usize> = HashMap::new();
        for d in base_session.findings() {
            *on_base.entry(key(d)).or_default() += 1;
        }

        let mut statuses = Vec::with_capacity(findings.len());
        for d in &findings {
            let status = match on_base.get_mut(&key(d)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    let touched = match (&d.entity, &d.location) {
                        (Some(entity), _) => changed_entities.contains(entity),
                        (None, Some(location)) => changed_files.contains(&*location.file),
                        (None, None) => false,
                    };
                    if touched {
                        BaseStatus::Touched
                    } else {
                        BaseStatus::Unchanged
                    }
                }
                _ => BaseStatus::New,
            };
            statuses.push(status);
        }
        drop(on_base);
        for (d, status) in findings.iter_mut().zip(statuses) {
            d.base = Some(status);
            if status == BaseStatus::Unchanged && d.severity == Severity::Error {
                d.capped_from = Some(Severity::Error);
                d.severity = Severity::Warning;
            }
        }
        let base = Base {
            spec: spec.to_owned(),
            commit: merge_base.id.to_string(),
            had_portfolio: true,
            changed_files,
            changed_entities,
        };
        Ok((base, findings))
    }
}
