//! Entities as flat field maps: what the semantic diff compares.
//!
//! Every entity of a program (its charter, milestones, risks, assumptions, issues,
//! dependencies, RACI rows and decisions) is serialized with serde to JSON and flattened:
//! nested maps become dotted fields (`scope.in`, `readiness.security-review.status`,
//! `estimate.likely`), lists stay whole values, and empty values (`null`, `[]`, `{}`) are
//! dropped. Because the typed model fills in defaults, writing `status: planned` explicitly
//! or reordering keys is not a change; changing what the model means is.
//!
//! Entities are named as everywhere else in milepost: `program` for a charter, `program/id`
//! for the rest. A RACI row without an id is named by its activity (`program/raci:Approve
//! launch`).

use std::collections::BTreeMap;

use milepost_load::{Portfolio, Program, ProgramEntity};
use milepost_model::FileKind;
use serde::Serialize;
use serde_json::{Map, Value};

/// What an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A program charter (`program.yaml`).
    Program,
    /// A milestone or launch.
    Milestone,
    /// A risk.
    Risk,
    /// An assumption.
    Assumption,
    /// An issue.
    Issue,
    /// A dependency on another team.
    Dependency,
    /// A RACI row.
    Raci,
    /// A decision.
    Decision,
}

impl EntityKind {
    /// `program`, `milestone`, `risk`…
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Program => "program",
            Self::Milestone => "milestone",
            Self::Risk => "risk",
            Self::Assumption => "assumption",
            Self::Issue => "issue",
            Self::Dependency => "dependency",
            Self::Raci => "raci",
            Self::Decision => "decision",
        }
    }

    /// The file kind that holds entities of this kind.
    pub fn file_kind(self) -> FileKind {
        match self {
            Self::Program => FileKind::Program,
            Self::Milestone => FileKind::Milestones,
            Self::Risk | Self::Assumption | Self::Issue | Self::Dependency => FileKind::Raid,
            Self::Raci => FileKind::Raci,
            Self::Decision => FileKind::Decisions,
        }
    }
}

/// One entity: its kind and its fields, flattened (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Field → value, in the model's field order; empty values left out.
    pub fields: Map<String, Value>,
}

impl Entity {
    /// Flattens a model value (anything that serializes to a JSON object).
    pub fn from_model<T: Serialize>(kind: EntityKind, value: &T) -> Entity {
        let mut fields = Map::new();
        if let Ok(Value::Object(map)) = serde_json::to_value(value) {
            flatten_into(&mut fields, "", map);
        }
        Entity { kind, fields }
    }

    /// The value of a field (`target`, `scope.in`), if set.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.fields.get(field)
    }

    /// A date field, if set and a valid date.
    pub fn date(&self, field: &str) -> Option<chrono::NaiveDate> {
        self.get(field).and_then(Value::as_str).and_then(parse_date)
    }

    /// A text field, if set.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.get(field).and_then(Value::as_str)
    }

    /// The entity's title: `title`, a charter's `name` or a RACI row's `activity`.
    pub fn title(&self) -> Option<&str> {
        ["title", "name", "activity"]
            .into_iter()
            .find_map(|f| self.text(f))
    }

    /// The entity's fields as one JSON object.
    pub fn to_json(&self) -> Value {
        Value::Object(self.fields.clone())
    }
}

fn flatten_into(out: &mut Map<String, Value>, prefix: &str, map: Map<String, Value>) {
    for (key, value) in map {
        if prefix.is_empty() && key == "id" {
            continue; // the id is in the entity's name
        }
        let name = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Null => {}
            Value::Object(inner) if inner.is_empty() => {}
            Value::Array(ref items) if items.is_empty() => {}
            Value::Object(inner) => flatten_into(out, &name, inner),
            other => {
                out.insert(name, other);
            }
        }
    }
}

/// Every entity of a portfolio, by name (`program`, `program/id`).
pub type Entities = BTreeMap<String, Entity>;

/// The entities of a whole portfolio.
pub fn entities_of(portfolio: &Portfolio) -> Entities {
    let mut out = Entities::new();
    for program in &portfolio.programs {
        program_entities(program, |local, entity, _, _| {
            out.entry(qualify(&program.id, &local)).or_insert(entity);
        });
    }
    out
}

/// `program` for a charter (empty local name), `program/local` otherwise.
pub(crate) fn qualify(program: &str, local: &str) -> String {
    if local.is_empty() {
        program.to_owned()
    } else {
        format!("{program}/{local}")
    }
}

/// Calls `emit(local name, entity, complete, pointer)` for each entity of a program: the charter
/// (name `""`) only when program.yaml was read, then the entities of each file in file
/// order. `complete` is false when a schema finding dropped one of the entity's fields (its
/// value here lacks what was written); `pointer` is where it is in its file (`/risks/2`).
pub(crate) fn program_entities(
    program: &Program,
    mut emit: impl FnMut(String, Entity, bool, &str),
) {
    if program.files.contains_key(&FileKind::Program) && program.charter_loaded {
        emit(
            String::new(),
            Entity::from_model(EntityKind::Program, &program.charter.value),
            program.charter.dropped.is_empty(),
            &program.charter.pointer,
        );
    }
    for item in program.entities() {
        let entity = match item {
            ProgramEntity::Milestone(e) => Entity::from_model(EntityKind::Milestone, &e.value),
            ProgramEntity::Risk(e) => Entity::from_model(EntityKind::Risk, &e.value),
            ProgramEntity::Assumption(e) => Entity::from_model(EntityKind::Assumption, &e.value),
            ProgramEntity::Issue(e) => Entity::from_model(EntityKind::Issue, &e.value),
            ProgramEntity::Dependency(e) => Entity::from_model(EntityKind::Dependency, &e.value),
            ProgramEntity::Raci(e) => Entity::from_model(EntityKind::Raci, &e.value),
            ProgramEntity::Decision(e) => Entity::from_model(EntityKind::Decision, &e.value),
        };
        let local = match (item.id(), item) {
            (Some(id), _) => id.to_owned(),
            (None, ProgramEntity::Raci(r)) => format!("raci:{}", r.activity),
            (None, _) => String::new(),
        };
        emit(local, entity, item.dropped().is_empty(), item.pointer());
    }
}

/// Parses an ISO date (`2026-11-06`).
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
