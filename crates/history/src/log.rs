//! The life of one entity: every commit that changed it, oldest first.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use git2::Oid;
use milepost_load::did_you_mean;
use serde::Serialize;
use serde_json::Value;

use crate::diff::{Change, ChangeKind};
use crate::entity::EntityKind;
use crate::error::HistoryError;
use crate::repo::History;
use crate::walk::{Problem, WalkOptions};

/// One field of an event (**contract**: `field`, `before`, `after`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field (`target`, `scope.in`).
    pub field: String,
    /// Its value before (`null` when unset).
    pub before: Value,
    /// Its value after (`null` when unset).
    pub after: Value,
    /// For a date set on both sides: the move in work days (positive = later).
    pub work_days: Option<i64>,
}

/// What an event did to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The entity appeared (its fields are the changes, from `null`).
    Created,
    /// Fields changed.
    Modified,
    /// The entity disappeared (its fields are the changes, to `null`).
    Removed,
}

/// One commit that changed the entity (**contract**: `commit`, `author`, `email`, `date`,
/// `summary`, `changes`).
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// The full commit id.
    pub commit: String,
    /// The author's name.
    pub author: String,
    /// The author's e-mail address.
    pub email: String,
    /// When the commit landed (RFC 3339, the committer's time zone).
    pub date: String,
    /// The first line of the commit message.
    pub summary: String,
    /// Created, modified or removed.
    pub kind: EventKind,
    /// The pull request, when the message names one.
    pub pr: Option<u64>,
    /// The fields that changed.
    pub changes: Vec<FieldChange>,
}

/// An entity's history.
#[derive(Debug, Clone, Serialize)]
pub struct EntityLog {
    /// `program` or `program/id`.
    pub entity: String,
    /// What it is (from its latest version).
    pub entity_kind: EntityKind,
    /// One event per commit that changed it, oldest first; the first is its creation.
    pub events: Vec<Event>,
    /// File versions of the program that did not parse (skipped).
    pub problems: Vec<Problem>,
    /// Commits read by the walk (changing the portfolio or not).
    pub commits_read: usize,
}

fn fields_of(value: &Value, created: bool) -> Vec<FieldChange> {
    let Value::Object(map) = value else {
        return Vec::new();
    };
    map.iter()
        .map(|(k, v)| FieldChange {
            field: k.clone(),
            before: if created { Value::Null } else { v.clone() },
            after: if created { v.clone() } else { Value::Null },
            work_days: None,
        })
        .collect()
}

/// Splits `program/id` or `program`.
fn split_entity(name: &str) -> Option<(&str, Option<&str>)> {
    let mut parts = name.splitn(2, '/');
    let program = parts.next().filter(|p| !p.is_empty())?;
    match parts.next() {
        None => Some((program, None)),
        Some(id) if !id.is_empty() => Some((program, Some(id))),
        Some(_) => None,
    }
}

impl History {
    /// The history of one entity (`program` or `program/id`) up to `tip`, oldest first.
    ///
    /// # Errors
    /// [`HistoryError::UnknownEntity`] when it never existed (with the closest name that
    /// did); [`HistoryError::Shallow`] when a shallow clone cuts its history short.
    pub fn entity_log(
        &self,
        tip: Oid,
        entity: &str,
        first_parent: bool,
    ) -> Result<EntityLog, HistoryError> {
        let unknown = |suggestion: Option<String>| HistoryError::UnknownEntity {
            name: entity.to_owned(),
            suggestion,
        };
        let Some((program, _)) = split_entity(entity) else {
            return Err(unknown(None));
        };
        let walk = self.walk(
            tip,
            &WalkOptions {
                first_parent,
                program: Some(program.to_owned()),
                ..WalkOptions::default()
            },
        )?;
        let mut events = Vec::new();
        let mut kind = None;
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for c in &walk.commits {
            let mut changes = Vec::new();
            let mut event_kind = EventKind::Modified;
            for change in &c.changes {
                seen.insert(&change.entity);
                if change.entity != entity {
                    continue;
                }
                kind = Some(change.entity_kind);
                push_change(change, &mut changes, &mut event_kind);
            }
            if !changes.is_empty() {
                events.push(Event {
                    commit: c.commit.id.clone(),
                    author: c.commit.author.clone(),
                    email: c.commit.email.clone(),
                    date: c.commit.time.to_rfc3339(),
                    summary: c.commit.summary.clone(),
                    kind: event_kind,
                    pr: c.commit.pr,
                    changes,
                });
            }
        }
        let Some(entity_kind) = kind else {
            let mut names: Vec<String> = seen.iter().map(|k| (*k).to_owned()).collect();
            if names.is_empty() {
                names = self.programs_at(tip);
            }
            let suggestion =
                did_you_mean(entity, names.iter().map(String::as_str)).map(str::to_owned);
            return Err(unknown(suggestion));
        };
        // In a shallow clone the oldest commit present "creates" everything it holds: the
        // real creation (and all before it) is missing.
        if let Some(boundary) = walk.truncated
            && events
                .first()
                .is_some_and(|e| e.commit.starts_with(&boundary))
        {
            return Err(HistoryError::Shallow {
                boundary,
                needed: format!("the history of {entity}"),
            });
        }
        Ok(EntityLog {
            entity: entity.to_owned(),
            entity_kind,
            events,
            problems: walk.problems,
            commits_read: walk.walked,
        })
    }

    /// For each entity of the given kinds: the day of the last commit (up to `tip`) that
    /// changed it, in the committer's time zone. Reads only the files holding those kinds.
    ///
    /// # Errors
    /// A git error when an object cannot be read.
    pub fn last_changed(
        &self,
        tip: Oid,
        kinds: &[EntityKind],
    ) -> Result<std::collections::HashMap<String, NaiveDate>, HistoryError> {
        let mut files: Vec<_> = kinds.iter().map(|k| k.file_kind()).collect();
        files.sort();
        files.dedup();
        let walk = self.walk(
            tip,
            &WalkOptions {
                kinds: Some(files),
                ..WalkOptions::default()
            },
        )?;
        let mut out = std::collections::HashMap::new();
        let boundary = walk.truncated.unwrap_or_else(|| "-".to_owned());
        // The oldest commit of a shallow clone did not really change what it holds.
        for c in walk
            .commits
            .iter()
            .filter(|c| !c.commit.id.starts_with(&boundary))
        {
            for change in &c.changes {
                if kinds.contains(&change.entity_kind) && change.kind != ChangeKind::Removed {
                    out.insert(change.entity.clone(), c.commit.date());
                }
            }
        }
        Ok(out)
    }
}

fn push_change(change: &Change, changes: &mut Vec<FieldChange>, kind: &mut EventKind) {
    match change.kind {
        ChangeKind::Added => {
            *kind = EventKind::Created;
            changes.extend(fields_of(&change.after, true));
        }
        ChangeKind::Removed => {
            *kind = EventKind::Removed;
            changes.extend(fields_of(&change.before, false));
        }
        ChangeKind::Modified => changes.push(FieldChange {
            field: change.field.clone().unwrap_or_default(),
            before: change.before.clone(),
            after: change.after.clone(),
            work_days: change.work_days,
        }),
    }
}
