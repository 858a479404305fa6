//! `milepost schema`: write or verify the JSON Schemas.

use std::path::{Path, PathBuf};

use milepost_model::schema::{editor_schema, schema_file_name, schema_id};
use milepost_model::{FileKind, Named};
use serde_json::{Value, json};

use crate::Outcome;
use crate::error::CliError;
use crate::write::write_file;

/// Write the JSON Schemas of every portfolio file kind (`--out DIR`), or verify that a
/// folder holds exactly the schemas this version generates (`--check DIR`, exit 1 on drift).
///
/// Point your editor at them for autocompletion: see docs/format.md.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["out", "check"])))]
pub struct Args {
    /// Write the schemas into this folder (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Compare the schemas in this folder with the generated ones.
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
}

/// The schema of `rules:` in milepost.yaml as editors want it: every rule id a property, with
/// its `level` and its own thresholds (type, bounds, default, doc), and nothing else accepted,
/// so a typo'd rule or option is flagged while typing (the loader reports the same with a
/// "did you mean").
fn rules_schema() -> Value {
    let mut properties = serde_json::Map::new();
    for rule in milepost_rules::ALL {
        let mut props = serde_json::Map::new();
        props.insert(
            "level".into(),
            json!({
                "$ref": "#/$defs/RuleLevel",
                "description": format!("off, info, warning or error (default: {}).", rule.default_level.as_str()),
                "markdownDescription": format!("`off`, `info`, `warning` or `error` (default: `{}`).", rule.default_level.as_str()),
            }),
        );
        for t in rule.options {
            let doc = format!(
                "{} ({}; default {}).",
                t.doc.trim_end_matches('.'),
                t.unit.as_str(),
                t.default
            );
            props.insert(
                t.name.into(),
                json!({
                    "type": "integer",
                    "minimum": 0,
                    "maximum": milepost_rules::rule::MAX_THRESHOLD,
                    "default": t.default,
                    "description": doc,
                    "markdownDescription": doc,
                }),
            );
        }
        let summary = format!("{} (`milepost explain {}`).", rule.summary, rule.id);
        properties.insert(
            rule.id.into(),
            json!({
                "type": "object",
                "title": rule.id,
                "description": summary,
                "markdownDescription": summary,
                "properties": props,
                "additionalProperties": false,
            }),
        );
    }
    json!({
        "type": "object",
        "description": "Per rule id: its level and thresholds (`milepost explain` lists them).",
        "markdownDescription": "Per rule id: its level and thresholds (`milepost explain` lists them).",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The text of a kind's editor schema, as committed under `schemas/` and written by
/// `milepost init`: [`editor_schema`], and for milepost.yaml every rule and option.
pub fn editor_schema_text(kind: FileKind) -> String {
    let mut value = editor_schema(kind);
    if kind == FileKind::Settings
        && let Some(props) = value.get_mut("properties").and_then(Value::as_object_mut)
    {
        props.insert("rules".into(), rules_schema());
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema catalog (`SchemaStore`'s format): which schema applies to which file names.
pub fn catalog_text() -> String {
    let schemas: Vec<Value> = FileKind::ALL
        .iter()
        .map(|&k| {
            let names = [k.file_name(), k.alt_file_name()];
            let file_match: Vec<String> = names
                .iter()
                .map(|n| {
                    if k.is_root() {
                        format!("**/{n}")
                    } else {
                        format!("**/programs/*/{n}")
                    }
                })
                .collect();
            json!({
                "name": format!("milepost {}", k.file_name()),
                "description": format!("milepost portfolio file `{}`", k.file_name()),
                "fileMatch": file_match,
                "url": schema_id(k),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({
        "$schema": "https://json.schemastore.org/schema-catalog.json",
        "version": 1,
        "schemas": schemas,
    }))
    .unwrap_or_default();
    text.push('\n');
    text
}

/// Every file `milepost schema` writes: `(file name, text)`.
fn files() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = FileKind::ALL
        .iter()
        .map(|&k| (schema_file_name(k), editor_schema_text(k)))
        .collect();
    out.push(("catalog.json".to_owned(), catalog_text()));
    out
}

/// Runs `milepost schema`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    if let Some(dir) = &args.out {
        for (name, text) in files() {
            write_file(&dir.join(name), text.as_bytes())?;
        }
        crate::output::info(&format!(
            "wrote {} schemas and catalog.json to {}",
            FileKind::ALL.len(),
            dir.display()
        ));
        return Ok(Outcome::Clean);
    }
    let dir = args.check.as_deref().unwrap_or(Path::new("schemas"));
    if !dir.is_dir() {
        return Err(CliError::usage(
            format!("`{}` is not a folder", dir.display()),
            "pass the folder holding the committed schemas, e.g. `--check schemas`",
        ));
    }
    let mut drift = Vec::new();
    for (name, expected) in files() {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == expected => {}
            Ok(_) => drift.push(format!(
                "{} differs from the generated schema",
                path.display()
            )),
            Err(_) => drift.push(format!("{} is missing", path.display())),
        }
    }
    if drift.is_empty() {
        println!(
            "{} schemas in {} are up to date",
            FileKind::ALL.len(),
            dir.display()
        );
        Ok(Outcome::Clean)
    } else {
        for d in &drift {
            eprintln!("drift: {d}");
        }
        eprintln!(
            "regenerate them with `milepost schema --out {}`",
            dir.display()
        );
        Ok(Outcome::Findings)
    }
}
