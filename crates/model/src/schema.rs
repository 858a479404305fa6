//! JSON Schema generation, one schema per [`FileKind`].
//!
//! The schemas are generated from the Rust types (so they can never disagree with what the
//! loader accepts), committed under `schemas/`, and checked for drift by a test and by
//! `milepost schema --check`. Each has a stable `$id` so editors can map
//! `programs/*/milestones.yaml` to it.

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::entities::Program;
use crate::files::{
    DecisionsFile, FileKind, MilestonesFile, People, RaciFile, RaidFile, ScorecardFile, Settings,
};

/// The base of every schema `$id`.
pub const SCHEMA_BASE_URI: &str = "https://milepost.dev/schemas/v1/";

/// The `$id` of a file kind's schema.
pub fn schema_id(kind: FileKind) -> String {
    format!("{SCHEMA_BASE_URI}{}.schema.json", kind.name())
}

/// The file name a kind's schema is written to (`milestones.schema.json`).
pub fn schema_file_name(kind: FileKind) -> String {
    format!("{}.schema.json", kind.name())
}

/// Generates the JSON Schema (draft 2020-12) of one file kind.
pub fn schema_for(kind: FileKind) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = match kind {
        FileKind::Settings => generator.into_root_schema_for::<Settings>(),
        FileKind::People => generator.into_root_schema_for::<People>(),
        FileKind::Program => generator.into_root_schema_for::<Program>(),
        FileKind::Milestones => generator.into_root_schema_for::<MilestonesFile>(),
        FileKind::Raid => generator.into_root_schema_for::<RaidFile>(),
        FileKind::Raci => generator.into_root_schema_for::<RaciFile>(),
        FileKind::Decisions => generator.into_root_schema_for::<DecisionsFile>(),
        FileKind::Scorecard => generator.into_root_schema_for::<ScorecardFile>(),
    };
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        // `$schema` first, then `$id`, for readability of the committed files.
        let mut ordered = serde_json::Map::new();
        if let Some(s) = map.remove("$schema") {
            ordered.insert("$schema".into(), s);
        }
        ordered.insert("$id".into(), Value::String(schema_id(kind)));
        ordered.insert(
            "title".into(),
            Value::String(format!("milepost {}", kind.file_name())),
        );
        map.remove("title");
        ordered.extend(std::mem::take(map));
        *map = ordered;
    }
    value
}

/// The pretty-printed text of a kind's validation schema (what the loader checks with).
pub fn schema_text(kind: FileKind) -> String {
    let mut text = serde_json::to_string_pretty(&schema_for(kind)).unwrap_or_default();
    text.push('\n');
    text
}

/// A kind's schema as editors want it (the files committed under `schemas/` and written by
/// `milepost init`): the validation schema with what a completion list, a hover and a
/// diagnostic show added, and nothing that would offer a useless value.
///
/// - no `"default": null` (completion would insert `target: null`);
/// - integer bounds instead of Rust's non-standard formats (`uint32`, `double`), which strict
///   validators such as Ajv reject;
/// - `markdownDescription` beside every `description` (VS Code renders it in hovers);
/// - `patternErrorMessage` for every pattern (a sentence instead of the regular expression);
/// - `examples` on the fields people type most (dates, durations, ids, references);
/// - `defaultSnippets` for every list item (a new milestone, risk, dependency…);
/// - a `title` on every definition that reads well in a completion list.
///
/// The keywords added are annotations: a validator that does not know them ignores them.
pub fn editor_schema(kind: FileKind) -> Value {
    let mut value = schema_for(kind);
    editorize(&mut value, None);
    if let Some(Value::Object(defs)) = value.get_mut("$defs") {
        for (name, def) in defs.iter_mut() {
            if let Value::Object(map) = def {
                map.entry("title")
                    .or_insert_with(|| Value::String(title_of(name)));
                if let Some(snippets) = snippets(name) {
                    map.insert("defaultSnippets".into(), snippets);
                }
            }
        }
    }
    value
}

/// `RaciActivity` → `RACI activity`, `SuccessMetric` → `Success metric`.
fn title_of(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    words.push(current);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| match w.as_str() {
            "Raci" => "RACI".to_owned(),
            "Id" => "id".to_owned(),
            _ if i == 0 => w.clone(),
            _ => w.to_lowercase(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The readable message for a pattern.
fn pattern_message(pattern: &str) -> &'static str {
    if pattern.contains("[wW]") {
        "A duration: a whole number of work days or weeks, such as `10d` or `2w` (at most 2,500 work days)."
    } else if pattern.contains('/') {
        "A reference: an id such as `M3`, or `program-id/M3` for another program's."
    } else {
        "An id: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters (`M1`, `R-12`, `ada`)."
    }
}

/// Examples for the fields people type most, by property name.
fn examples(property: &str) -> Option<Value> {
    let e = |v: &[&str]| {
        Some(Value::Array(
            v.iter().map(|s| Value::String((*s).to_owned())).collect(),
        ))
    };
    match property {
        "duration" | "optimistic" | "likely" | "pessimistic" => e(&["5d", "2w"]),
        "target" | "start" | "completed" | "started" | "eta" | "raised" | "reviewed" | "due"
        | "needed_by" | "decided" | "delivered" | "updated" | "validate_by" | "as_of" => {
            e(&["2027-03-31"])
        }
        "owner" | "sponsor" | "accountable" | "provider" | "decided_by" | "accepted_by"
        | "lead" | "approver" => e(&["ada"]),
        "depends_on" => e(&["M1", "other-program/M3"]),
        _ => None,
    }
}

/// The `defaultSnippets` of a list item definition: a new entity with its required and most
/// useful fields, `$1`… tab stops where the user types.
fn snippets(def: &str) -> Option<Value> {
    let snippet = |label: &str, description: &str, body: Value| {
        Some(serde_json::json!([{ "label": label, "description": description, "body": body }]))
    };
    match def {
        "Milestone" => snippet(
            "New milestone",
            "A dated commitment of the program's plan",
            serde_json::json!({"id": "${1:M1}", "title": "${2:What is delivered}", "owner": "${3:owner-id}", "duration": "${4:2w}", "depends_on": [], "target": "${5:2027-03-31}"}),
        ),
        "Risk" => snippet(
            "New risk",
            "Something that may go wrong, with its owner and mitigation",
            serde_json::json!({"id": "${1:R-1}", "title": "${2:What may go wrong}", "owner": "${3:owner-id}", "probability": "${4|low,medium,high|}", "impact": "${5|low,medium,high,critical|}", "status": "open", "mitigation": "${6:What we do about it}", "due": "${7:2027-01-15}", "raised": "${8:2026-12-01}", "reviewed": "${8:2026-12-01}"}),
        ),
        "Assumption" => snippet(
            "New assumption",
            "Something taken as true until validated",
            serde_json::json!({"id": "${1:A-1}", "title": "${2:What we assume}", "owner": "${3:owner-id}", "status": "open", "validate_by": "${4:2027-01-15}"}),
        ),
        "Issue" => snippet(
            "New issue",
            "Something that has gone wrong",
            serde_json::json!({"id": "${1:I-1}", "title": "${2:What went wrong}", "owner": "${3:owner-id}", "severity": "${4|low,medium,high,critical|}", "status": "open", "raised": "${5:2026-12-01}"}),
        ),
        "Dependency" => snippet(
            "New dependency",
            "Something the program needs from another team",
            serde_json::json!({"id": "${1:D-1}", "title": "${2:What we need}", "provider": "${3:team-id}", "owner": "${4:owner-id}", "needed_by": "${5:2027-01-15}", "status": "requested", "raised": "${6:2026-12-01}"}),
        ),
        "RaciActivity" => snippet(
            "New RACI row",
            "Who is responsible, accountable, consulted and informed",
            serde_json::json!({"activity": "${1:Approve the launch}", "responsible": ["${2:person-id}"], "accountable": "${3:person-id}", "consulted": [], "informed": []}),
        ),
        "Decision" => snippet(
            "New decision",
            "A decision to take, with its options",
            serde_json::json!({"id": "${1:DEC-1}", "title": "${2:What to decide}", "owner": "${3:owner-id}", "status": "proposed", "raised": "${4:2026-12-01}", "needed_by": "${5:2027-01-15}", "options": ["${6:Option A}", "${7:Option B}"]}),
        ),
        "Person" => snippet(
            "New person",
            "Someone who can own, approve or be informed",
            serde_json::json!({"id": "${1:person-id}", "name": "${2:Full Name}", "email": "${3:name@example.com}"}),
        ),
        "Team" => snippet(
            "New team",
            "A team that can own work",
            serde_json::json!({"id": "${1:team-id}", "name": "${2:Team name}", "lead": "${3:person-id}"}),
        ),
        "GateItem" => snippet(
            "New readiness item",
            "An item a launch must satisfy",
            serde_json::json!({"id": "${1:security-review}", "title": "${2:Security review signed off}"}),
        ),
        "SuccessMetric" => snippet(
            "New success metric",
            "How success is measured",
            serde_json::json!({"metric": "${1:What is measured}", "baseline": "${2:0}", "target": "${3:100}"}),
        ),
        _ => None,
    }
}

/// The editor additions, applied to every schema object; `property` is the name of the
/// property this schema describes, when it is one.
fn editorize(value: &mut Value, property: Option<&str>) {
    match value {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::String(format)) = map.get("format").cloned() {
                let bounds: Option<(Option<u64>, Option<u64>)> = match format.as_str() {
                    "uint8" => Some((Some(0), Some(u64::from(u8::MAX)))),
                    "uint16" => Some((Some(0), Some(u64::from(u16::MAX)))),
                    "uint32" | "uint" => Some((Some(0), Some(u64::from(u32::MAX)))),
                    "uint64" => Some((Some(0), None)),
                    "int8" | "int16" | "int32" | "int64" | "int" | "double" | "float" => {
                        Some((None, None))
                    }
                    _ => None,
                };
                if let Some((min, max)) = bounds {
                    map.remove("format");
                    if let Some(min) = min {
                        map.entry("minimum").or_insert(min.into());
                    }
                    if let Some(max) = max {
                        map.entry("maximum").or_insert(max.into());
                    }
                }
            }
            if let Some(Value::String(d)) = map.get("description").cloned() {
                map.entry("markdownDescription").or_insert(Value::String(d));
            }
            if let Some(Value::String(p)) = map.get("pattern").cloned() {
                map.insert(
                    "patternErrorMessage".into(),
                    Value::String(pattern_message(&p).to_owned()),
                );
            }
            if let Some(ex) = property.and_then(examples)
                && !map.contains_key("examples")
                && !map.contains_key("$ref")
            {
                // A list field's example is one list.
                let ex = if map.get("type") == Some(&Value::String("array".into())) {
                    Value::Array(vec![ex])
                } else {
                    ex
                };
                map.insert("examples".into(), ex);
            }
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "properties" | "$defs" | "patternProperties" => {
                        if let Value::Object(props) = child {
                            for (name, schema) in props.iter_mut() {
                                let prop = (key == "properties").then_some(name.as_str());
                                editorize(schema, prop);
                            }
                        }
                    }
                    "examples" | "defaultSnippets" | "enum" | "const" | "default" => {}
                    _ => editorize(child, None),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                editorize(item, property);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_an_id_and_rejects_unknown_keys() {
        for kind in FileKind::ALL {
            let s = schema_for(kind);
            assert_eq!(s["$id"], Value::String(schema_id(kind)));
            assert_eq!(s["additionalProperties"], Value::Bool(false), "{kind:?}");
        }
    }
}
