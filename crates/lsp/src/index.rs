//! Every reference in a portfolio and every definition it can point at, with their places:
//! what go-to-definition, find-references, hover and the outline read.

use std::collections::HashMap;
use std::sync::Arc;

use milepost_load::{Location, Portfolio};
use serde_json::Value;

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A person or team id of people.yaml.
    Person(String),
    /// An entity of a program: `(program, id)`.
    Entity(String, String),
    /// A gate template of milepost.yaml.
    Gate(String),
}

impl Target {
    /// How the target is written in full (`ledger/M4`, `ada`, `gate launch-readiness`).
    pub fn name(&self) -> String {
        match self {
            Target::Person(id) => id.clone(),
            Target::Entity(program, id) => format!("{program}/{id}"),
            Target::Gate(name) => format!("gate {name}"),
        }
    }
}

/// A target at a place.
#[derive(Debug, Clone)]
pub struct Place {
    /// What is named.
    pub target: Target,
    /// Where.
    pub location: Location,
    /// For a reference: the entity whose field it is (`ledger/M4`, a program id, a person
    /// id) and the field (`owner`, `depends_on`); empty for a definition.
    pub holder: Option<(String, String)>,
}

/// The references and definitions of a portfolio.
#[derive(Debug, Default)]
pub struct Index {
    /// Every reference, in file order.
    pub references: Vec<Place>,
    /// Every definition: the `id` of each entity, person and team, the key of each gate.
    pub definitions: Vec<Place>,
    by_target: HashMap<Target, usize>,
}

/// Fields that name a person or team.
pub const PERSON_KEYS: &[&str] = &[
    "owner",
    "sponsor",
    "accountable",
    "responsible",
    "consulted",
    "informed",
    "provider",
    "approver",
    "decided_by",
    "accepted_by",
    "escalated_to",
    "lead",
    "team",
];

/// Fields that name an entity of a program (`M3` or `program/M3`).
pub const ENTITY_KEYS: &[&str] = &["depends_on", "milestone", "milestones", "supersedes"];

/// The references in one entity's fields: `(target, pointer under the entity)`.
fn walk(value: &Value, pointer: &str, program: &str, out: &mut Vec<(Target, String)>) {
    let strings = |v: &Value,
                   at: &str,
                   make: &dyn Fn(&str) -> Option<Target>,
                   out: &mut Vec<(Target, String)>| match v {
        Value::String(s) => out.extend(make(s).map(|t| (t, at.to_owned()))),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Value::String(s) = item {
                    out.extend(make(s).map(|t| (t, format!("{at}/{i}"))));
                }
            }
        }
        _ => {}
    };
    let person = |s: &str| Some(Target::Person(s.to_owned()));
    let entity = |s: &str| {
        milepost_model::parse_ref(s)
            .map(|r| Target::Entity(r.program.unwrap_or(program).to_owned(), r.id.to_owned()))
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                if PERSON_KEYS.contains(&key.as_str()) {
                    strings(v, &at, &person, out);
                } else if ENTITY_KEYS.contains(&key.as_str()) {
                    strings(v, &at, &entity, out);
                } else if key == "gate" {
                    strings(v, &at, &|s| Some(Target::Gate(s.to_owned())), out);
                } else if key == "stakeholders" {
                    if let Value::Array(items) = v {
                        for (i, item) in items.iter().enumerate() {
                            match item {
                                Value::String(s) => {
                                    out.push((Target::Person(s.clone()), format!("{at}/{i}")));
                                }
                                Value::Object(o) => {
                                    if let Some(Value::String(s)) = o.get("id") {
                                        out.push((
                                            Target::Person(s.clone()),
                                            format!("{at}/{i}/id"),
                                        ));
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                } else {
                    walk(v, &at, program, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), program, out);
            }
        }
        _ => {}
    }
}

impl Index {
    /// Indexes `p`.
    pub fn build(p: &Portfolio) -> Index {
        let mut index = Index::default();
        let mut found = Vec::new();
        let mut add_refs = |index: &mut Index,
                            holder: String,
                            value: Value,
                            program: &str,
                            locate: &dyn Fn(&str) -> Location| {
            found.clear();
            walk(&value, "", program, &mut found);
            for (target, pointer) in found.drain(..) {
                // The field: the last part of the pointer that is not a list index.
                let field = pointer
                    .rsplit('/')
                    .find(|part| !part.is_empty() && !part.bytes().all(|b| b.is_ascii_digit()))
                    .unwrap_or_default()
                    .to_owned();
                index.references.push(Place {
                    target,
                    location: locate(&pointer),
                    holder: Some((holder.clone(), field)),
                });
            }
        };
        for person in &p.people {
            index.define(
                Target::Person(person.id.to_string()),
                p.value_location(person, "/id"),
            );
            let value = serde_json::to_value(&person.value).unwrap_or(Value::Null);
            add_refs(&mut index, person.id.to_string(), value, "", &|ptr| {
                p.value_location(person, ptr)
            });
        }
        for team in &p.teams {
            index.define(
                Target::Person(team.id.to_string()),
                p.value_location(team, "/id"),
            );
            let value = serde_json::to_value(&team.value).unwrap_or(Value::Null);
            add_refs(&mut index, team.id.to_string(), value, "", &|ptr| {
                p.value_location(team, ptr)
            });
        }
        if let Some(file) = p.settings_file {
            let gates = p
                .source(file)
                .tree
                .as_ref()
                .and_then(|t| t.pointer("/gates"));
            for name in p.settings.gates.keys() {
                let span = gates.and_then(|g| g.entry(name)).map(|e| e.key_span);
                if let Some(span) = span {
                    index.define(
                        Target::Gate(name.clone()),
                        Location {
                            file: Arc::clone(&p.source(file).path),
                            span,
                        },
                    );
                }
            }
        }
        for program in &p.programs {
            let id = program.id.as_str();
            if program.charter_loaded {
                let charter = &program.charter;
                let value = serde_json::to_value(&charter.value).unwrap_or(Value::Null);
                add_refs(&mut index, id.to_owned(), value, id, &|ptr| {
                    p.value_location(charter, ptr)
                });
            }
            macro_rules! entities {
                ($($list:ident),*) => {$(
                    for item in &program.$list {
                        index.define(
                            Target::Entity(id.to_owned(), item.id.to_string()),
                            p.value_location(item, "/id"),
                        );
                        let value = serde_json::to_value(&item.value).unwrap_or(Value::Null);
                        add_refs(&mut index, program.qualify(&item.id), value, id, &|ptr| {
                            p.value_location(item, ptr)
                        });
                    }
                )*};
            }
            entities!(
                milestones,
                risks,
                assumptions,
                issues,
                dependencies,
                decisions
            );
            for row in &program.raci {
                if let Some(rid) = &row.id {
                    index.define(
                        Target::Entity(id.to_owned(), rid.to_string()),
                        p.value_location(row, "/id"),
                    );
                }
                let value = serde_json::to_value(&row.value).unwrap_or(Value::Null);
                let holder = row.id.as_ref().map_or_else(
                    || format!("{id}/raci:{}", row.activity),
                    |r| program.qualify(r),
                );
                add_refs(&mut index, holder, value, id, &|ptr| {
                    p.value_location(row, ptr)
                });
            }
        }
        index
    }

    fn define(&mut self, target: Target, location: Location) {
        self.by_target
            .entry(target.clone())
            .or_insert(self.definitions.len());
        self.definitions.push(Place {
            target,
            location,
            holder: None,
        });
    }

    /// Where `target` is defined (its first definition).
    pub fn definition(&self, target: &Target) -> Option<&Location> {
        self.by_target
            .get(target)
            .map(|&i| &self.definitions[i].location)
    }

    /// Every reference to `target`.
    pub fn references_to<'a>(&'a self, target: &'a Target) -> impl Iterator<Item = &'a Location> {
        self.references
            .iter()
            .filter(move |r| &r.target == target)
            .map(|r| &r.location)
    }

    /// The reference or definition at `pos` in `file` (whose text is `text`).
    pub fn at(&self, file: &str, text: &str, pos: lsp_types::Position) -> Option<&Place> {
        self.references
            .iter()
            .chain(&self.definitions)
            .find(|place| {
                &*place.location.file == file
                    && crate::convert::contains(text, place.location.span, pos)
            })
    }
}
