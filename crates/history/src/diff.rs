//! The semantic diff: what changed in the plan, entity by entity and field by field.
//!
//! Two sets of [`Entities`] are compared by name. An entity only on one side is `added` or
//! `removed` (one change, its fields as the `after` or `before` object); an entity on both
//! sides gives one `modified` change per field whose value differs. When both values of a
//! field are dates, the change carries the move in work days on the portfolio calendar
//! (`+10` = ten work days later), which is how a slip is discussed in a review.
//!
//! [`diff_portfolios`] adds what a reviewer asks next: the critical path and the finish
//! date before and after, and the milestones whose forecast slip changed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use milepost_load::Portfolio;
use milepost_plan::{Calendar, PortfolioPlan, calendar_of};
use serde::Serialize;
use serde_json::Value;

use crate::entity::{Entities, Entity, EntityKind, entities_of, parse_date};

/// What happened to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// It appeared.
    Added,
    /// It disappeared.
    Removed,
    /// One of its fields changed.
    Modified,
}

impl ChangeKind {
    /// `added`, `removed` or `modified`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
        }
    }
}

/// One semantic change (**contract** in `milepost diff --format json`: `entity`, `kind`,
/// `field`, `before`, `after`, `work_days`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Change {
    /// `program` or `program/id`.
    pub entity: String,
    /// What the entity is.
    pub entity_kind: EntityKind,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// The field (`target`, `scope.in`, `readiness.security-review.status`); `None` for an
    /// added or removed entity.
    pub field: Option<String>,
    /// The value before (`null` when unset or added; the entity's fields when removed).
    pub before: Value,
    /// The value after (`null` when unset or removed; the entity's fields when added).
    pub after: Value,
    /// For a date field set on both sides: work days from before to after (positive = later).
    pub work_days: Option<i64>,
    /// The entity's title (after the change, or before it when removed).
    pub title: Option<String>,
}

/// Date fields that say when something starts: a non-work day there means the next work
/// day (the plan rolls a start forward). Every other date field is a deadline or a day
/// something happened by its end (`target`, `completed`, `eta`, `due`…): a non-work day
/// there means the end of the work day before it (the plan rolls it back).
const START_FIELDS: [&str; 2] = ["start", "started"];

/// Work days from `before` to `after` of date field `field` when both are ISO dates, with
/// the plan's reading of a non-work day (see [`START_FIELDS`]).
pub fn work_days(field: &str, before: &Value, after: &Value, calendar: &Calendar) -> Option<i64> {
    let b = before.as_str().and_then(parse_date)?;
    let a = after.as_str().and_then(parse_date)?;
    Some(if START_FIELDS.contains(&field) {
        calendar.workdays_between(b, a)
    } else {
        calendar.deadline_days_between(b, a)
    })
}

/// The changes from `before` to `after` of one entity named `name`.
pub fn diff_entity(
    name: &str,
    before: Option<&Entity>,
    after: Option<&Entity>,
    calendar: &Calendar,
    out: &mut Vec<Change>,
) {
    let title = after.or(before).and_then(Entity::title).map(str::to_owned);
    match (before, after) {
        (None, None) => {}
        (None, Some(a)) => out.push(Change {
            entity: name.to_owned(),
            entity_kind: a.kind,
            kind: ChangeKind::Added,
            field: None,
            before: Value::Null,
            after: a.to_json(),
            work_days: None,
            title,
        }),
        (Some(b), None) => out.push(Change {
            entity: name.to_owned(),
            entity_kind: b.kind,
            kind: ChangeKind::Removed,
            field: None,
            before: b.to_json(),
            after: Value::Null,
            work_days: None,
            title,
        }),
        (Some(b), Some(a)) if b.kind != a.kind => {
            diff_entity(name, Some(b), None, calendar, out);
            diff_entity(name, None, Some(a), calendar, out);
        }
        (Some(b), Some(a)) => {
            let changed = |field: &String, bv: &Value, av: &Value| Change {
                entity: name.to_owned(),
                entity_kind: a.kind,
                kind: ChangeKind::Modified,
                field: Some(field.clone()),
                before: bv.clone(),
                after: av.clone(),
                work_days: work_days(field, bv, av, calendar),
                title: title.clone(),
            };
            for (field, bv) in &b.fields {
                let av = a.fields.get(field).unwrap_or(&Value::Null);
                if bv != av {
                    out.push(changed(field, bv, av));
                }
            }
            for (field, av) in &a.fields {
                if !b.fields.contains_key(field) {
                    out.push(changed(field, &Value::Null, av));
                }
            }
        }
    }
}

/// Every change from one set of entities to another, by entity name, fields in model order.
pub fn diff_entities(before: &Entities, after: &Entities, calendar: &Calendar) -> Vec<Change> {
    let mut out = Vec::new();
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (b, a) = (before.get(name), after.get(name));
        if b != a {
            diff_entity(name, b, a, calendar, &mut out);
        }
    }
    out
}

/// What the plan of a portfolio says, for comparing two versions of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    /// The driving chain to the portfolio finish (`program/id`, first first); empty when the
    /// plan cannot be computed (a dependency cycle).
    pub critical_path: Vec<String>,
    /// The latest earliest finish.
    pub finish: Option<NaiveDate>,
    /// Per milestone with a target: its forecast slip in work days (positive = late).
    pub slips: BTreeMap<String, i64>,
}

impl PlanSummary {
    /// Plans `portfolio` as of `as_of` and summarizes it.
    pub fn of(portfolio: &Portfolio, as_of: NaiveDate) -> PlanSummary {
        let plan = PortfolioPlan::build(portfolio, as_of);
        let Some(schedule) = &plan.schedule else {
            return PlanSummary::default();
        };
        let mut slips = BTreeMap::new();
        for (task, ts) in schedule.tasks.iter().enumerate() {
            if let Some(slip) = ts.slip_days {
                slips.insert(plan.name(portfolio, task), slip);
            }
        }
        PlanSummary {
            critical_path: schedule
                .critical_path
                .iter()
                .map(|t| plan.name(portfolio, *t))
                .collect(),
            finish: schedule.finish,
            slips,
        }
    }
}

/// The semantic diff of two portfolios, with their plans.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioDiff {
    /// Every change, by entity name.
    pub changes: Vec<Change>,
    /// The plan before.
    pub plan_before: PlanSummary,
    /// The plan after.
    pub plan_after: PlanSummary,
    /// Work days between the finish dates (positive = later), when both exist.
    pub finish_work_days: Option<i64>,
    /// Programs renamed between the two sides, `(from, to)`: their entities are compared
    /// under the new id (a rename is not a removal and an addition).
    pub renames: Vec<(String, String)>,
}

/// Programs of `before` that are programs of `after` under another id: an explicit
/// `renamed_from:` in the new charter, or else at least half of the old program's entities
/// found unchanged in the new one (the way git detects a renamed file by similarity).
pub fn program_renames(before: &Portfolio, after: &Portfolio) -> Vec<(String, String)> {
    let ids = |p: &Portfolio| -> Vec<String> { p.programs.iter().map(|x| x.id.clone()).collect() };
    let (old_ids, new_ids) = (ids(before), ids(after));
    let mut gone: Vec<&String> = old_ids.iter().filter(|i| !new_ids.contains(i)).collect();
    let mut came: Vec<&String> = new_ids.iter().filter(|i| !old_ids.contains(i)).collect();
    let mut out = Vec::new();
    if gone.is_empty() || came.is_empty() {
        return out;
    }
    for program in &after.programs {
        if !came.contains(&&program.id) {
            continue;
        }
        if let Some(from) = program
            .charter
            .renamed_from
            .as_ref()
            .map(ToString::to_string)
            && let Some(at) = gone.iter().position(|g| **g == from)
        {
            out.push((from, program.id.clone()));
            gone.remove(at);
            came.retain(|c| **c != program.id);
        }
    }
    let local = |p: &Portfolio, id: &str| -> BTreeMap<String, Entity> {
        let mut m = BTreeMap::new();
        if let Some(program) = p.programs.iter().find(|x| x.id == id) {
            crate::entity::program_entities(program, |name, e, _, _| {
                m.entry(name).or_insert(e);
            });
        }
        m
    };
    let mut scored: Vec<(usize, String, String)> = Vec::new();
    for from in &gone {
        let old = local(before, from);
        if old.is_empty() {
            continue;
        }
        for to in &came {
            let new = local(after, to);
            let same = old
                .iter()
                .filter(|(k, e)| {
                    new.get(*k).is_some_and(|n| {
                        // The charter differs by its `renamed_from` at most.
                        if k.is_empty() {
                            let mut n = n.clone();
                            n.fields.remove("renamed_from");
                            n == **e
                        } else {
                            n == *e
                        }
                    })
                })
                .count();
            if same * 2 >= old.len() && same > 0 {
                scored.push((same, (*from).clone(), (*to).clone()));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| (&a.1, &a.2).cmp(&(&b.1, &b.2))));
    for (_, from, to) in scored {
        if !out.iter().any(|(f, t)| *f == from || *t == to) {
            out.push((from, to));
        }
    }
    out
}

/// `name` with a renamed program's old id replaced by its new one.
fn renamed(name: &str, renames: &[(String, String)]) -> String {
    for (from, to) in renames {
        if name == from {
            return to.clone();
        }
        if let Some(rest) = name
            .strip_prefix(from.as_str())
            .and_then(|r| r.strip_prefix('/'))
        {
            return format!("{to}/{rest}");
        }
    }
    name.to_owned()
}

/// Compares two portfolios; date moves are counted on the calendar of `after`, plans are
/// computed as of `as_of`.
pub fn diff_portfolios(before: &Portfolio, after: &Portfolio, as_of: NaiveDate) -> PortfolioDiff {
    let calendar = calendar_of(after);
    let renames = program_renames(before, after);
    let before_entities: Entities = entities_of(before)
        .into_iter()
        .map(|(k, v)| (renamed(&k, &renames), v))
        .collect();
    let mut changes: Vec<Change> = renames
        .iter()
        .map(|(from, to)| Change {
            entity: to.clone(),
            entity_kind: EntityKind::Program,
            kind: ChangeKind::Modified,
            field: Some("id".to_owned()),
            before: Value::String(from.clone()),
            after: Value::String(to.clone()),
            work_days: None,
            title: None,
        })
        .collect();
    changes.extend(diff_entities(
        &before_entities,
        &entities_of(after),
        &calendar,
    ));
    let mut plan_before = PlanSummary::of(before, as_of);
    if !renames.is_empty() {
        for n in &mut plan_before.critical_path {
            *n = renamed(n, &renames);
        }
        plan_before.slips = std::mem::take(&mut plan_before.slips)
            .into_iter()
            .map(|(k, v)| (renamed(&k, &renames), v))
            .collect();
    }
    let plan_after = PlanSummary::of(after, as_of);
    let finish_work_days = match (plan_before.finish, plan_after.finish) {
        (Some(b), Some(a)) => Some(calendar.deadline_days_between(b, a)),
        _ => None,
    };
    PortfolioDiff {
        changes,
        plan_before,
        plan_after,
        finish_work_days,
        renames,
    }
}
