//! JSON Schema generation, one schema per [`FileKind`].
//!
//! The schemas are generated from the Rust types (so they can never disagree with what the
//! loader accepts), committed under `schemas/`, and checked for drift by a test and by
//! `milepost schema --check`. Each has a stable `$id` so editors can map
//! `programs/*/milestones.yaml` to it.

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::entities::Program;
use crate::files::{DecisionsFile, FileKind, MilestonesFile, People, RaciFile, RaidFile, Settings};

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

/// The pretty-printed text of a kind's schema, exactly as committed under `schemas/`.
pub fn schema_text(kind: FileKind) -> String {
    let mut text = serde_json::to_string_pretty(&schema_for(kind)).unwrap_or_default();
    text.push('\n');
    text
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
