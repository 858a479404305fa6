//! JSON Schema validation with findings located at the offending YAML node.
//!
//! Each file kind's schema is generated from the model and compiled once per process
//! (`jsonschema`, draft 2020-12, formats checked, no network). Errors come back with a
//! JSON Pointer into the instance (`/milestones/3/owner`); we map that pointer onto the
//! YAML tree to get `file:line:col`, and rewrite the validator's generic wording into a
//! message and a fix hint a TPM can act on ("unknown key `ownr` in milestone `M3`" →
//! "did you mean `owner`?").
//!
//! Validation also returns the pointers of the offending values so the loader can prune
//! them and still load the rest of the entity ("nothing is lost").

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use milepost_model::FileKind;
use milepost_model::schema::schema_for;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::yaml::{Node, pointer_tokens};

/// The rule id of schema findings.
pub const SCHEMA_RULE: &str = "schema";

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled(kind: FileKind) -> &'static Compiled {
    static ALL: OnceLock<Vec<Compiled>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        FileKind::ALL
            .iter()
            .map(|k| {
                let schema = schema_for(*k);
                let validator = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("generated schema for {k:?} does not compile: {e}"));
                Compiled { schema, validator }
            })
            .collect()
    });
    &all[FileKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
}

/// Compiles every schema now (otherwise done on first use).
pub fn warm_up() {
    for kind in FileKind::ALL {
        let _ = compiled(kind);
    }
}

/// A value the loader should drop before reading the file's entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prune {
    /// Remove these keys from the mapping at the pointer.
    Keys(String, Vec<String>),
    /// Remove the value at the pointer.
    Value(String),
}

/// The result of validating one file.
#[derive(Debug, Default)]
pub struct Validation {
    /// The findings.
    pub diagnostics: Vec<Diagnostic>,
    /// What to prune.
    pub prune: Vec<Prune>,
}

/// Validates `json` (converted from `tree`) against the schema of `kind`.
pub fn validate(
    kind: FileKind,
    json: &Value,
    tree: &Node,
    file: &Arc<str>,
    program: Option<&str>,
) -> Validation {
    let compiled = compiled(kind);
    let mut out = Validation::default();
    if compiled.validator.is_valid(json) {
        return out;
    }
    let ctx = Ctx {
        kind,
        json,
        tree,
        file,
        program,
        schema: &compiled.schema,
    };
    for error in compiled.validator.iter_errors(json) {
        ctx.translate(&error, &mut out);
    }
    // One error per place is enough: `anyOf` branches can repeat the same complaint.
    out.diagnostics
        .dedup_by(|a, b| a.location == b.location && a.message == b.message);
    // One mistake, one message: complaints about one line (the branches of an `anyOf`, two
    // missing keys of one item) become one finding at the first, the others in its message.
    let mut merged: Vec<Diagnostic> = Vec::with_capacity(out.diagnostics.len());
    for d in out.diagnostics.drain(..) {
        let line = |x: &Diagnostic| x.location.as_ref().map(|l| l.span.line);
        match merged.last_mut() {
            Some(prev) if line(prev).is_some() && line(prev) == line(&d) => {
                if !prev.message.contains(&d.message) {
                    prev.message.push_str("; ");
                    prev.message.push_str(&d.message);
                }
            }
            _ => merged.push(d),
        }
    }
    out.diagnostics = merged;
    out
}

struct Ctx<'a> {
    kind: FileKind,
    json: &'a Value,
    tree: &'a Node,
    file: &'a Arc<str>,
    program: Option<&'a str>,
    schema: &'a Value,
}

fn value_at<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    root.pointer(pointer)
}

fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(37).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn type_name(kind: &TypeKind) -> String {
    let one = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "object" => "a mapping".to_owned(),
        "array" => "a list".to_owned(),
        "string" => "text".to_owned(),
        "integer" => "a whole number".to_owned(),
        "number" => "a number".to_owned(),
        "boolean" => "true or false".to_owned(),
        "null" => "nothing".to_owned(),
        other => other.to_owned(),
    };
    match kind {
        TypeKind::Single(t) => one(t),
        TypeKind::Multiple(ts) => {
            let names: Vec<String> = ts
                .iter()
                .filter(|t| t.to_string() != "null")
                .map(|t| one(&t))
                .collect();
            names.join(" or ")
        }
    }
}

const ENTITY_LISTS: [(&str, &str); 9] = [
    ("milestones", "milestone"),
    ("risks", "risk"),
    ("assumptions", "assumption"),
    ("issues", "issue"),
    ("dependencies", "dependency"),
    ("raci", "RACI row"),
    ("decisions", "decision"),
    ("people", "person"),
    ("teams", "team"),
];

impl Ctx<'_> {
    /// Describes the entity a pointer is inside (``milestone `M3` ``), and its `program/id`.
    fn describe(&self, pointer: &str) -> (String, Option<String>) {
        let tokens: Vec<String> = pointer_tokens(pointer).collect();
        if let (Some(list), Some(index)) = (tokens.first(), tokens.get(1))
            && let Some((_, noun)) = ENTITY_LISTS.iter().find(|(l, _)| l == list)
        {
            let item = value_at(self.json, &format!("/{list}/{index}"));
            let id = item
                .and_then(|i| i.get("id").or_else(|| i.get("activity")))
                .and_then(Value::as_str)
                .map(str::to_owned);
            let entity = match (&id, self.program) {
                (Some(id), Some(p)) if *list != "raci" => Some(format!("{p}/{id}")),
                _ => self.program.map(str::to_owned),
            };
            let what = match id {
                Some(id) => format!("{noun} `{id}`"),
                None => format!("{noun} #{}", index.parse::<usize>().map_or(0, |i| i + 1)),
            };
            return (what, entity);
        }
        let what = match self.kind {
            FileKind::Program => "the program charter".to_owned(),
            other => other.file_name().to_owned(),
        };
        (what, self.program.map(str::to_owned))
    }

    fn node_span(&self, pointer: &str) -> Span {
        // The deepest node that exists on the way down.
        let mut node = self.tree;
        for token in pointer_tokens(pointer) {
            match node.child(&token) {
                Some(child) => node = child,
                None => break,
            }
        }
        node.span
    }

    fn field_name(pointer: &str) -> Option<String> {
        pointer_tokens(pointer)
            .filter(|t| t.parse::<usize>().is_err())
            .last()
    }

    fn diag(&self, pointer: &str, span: Span, message: String, hint: Option<String>) -> Diagnostic {
        let (_, entity) = self.describe(pointer);
        let mut d = Diagnostic::error(SCHEMA_RULE, message).at_span(self.file, span);
        d.entity = entity;
        d.hint = hint;
        d
    }

    /// The `properties` names allowed at the schema location of an `additionalProperties` error.
    fn allowed_keys(&self, schema_path: &str) -> Vec<String> {
        let parent = schema_path
            .strip_suffix("/additionalProperties")
            .unwrap_or(schema_path);
        self.schema
            .pointer(parent)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn translate(&self, error: &ValidationError<'_>, out: &mut Validation) {
        let pointer = error.instance_path().as_str().to_owned();
        let (what, _) = self.describe(&pointer);
        let field = Self::field_name(&pointer);
        let instance = value_at(self.json, &pointer);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = self.allowed_keys(error.schema_path().as_str());
                // Where each key is written: one pass over the mapping (looking each key up
                // in turn would be quadratic in a mapping with thousands of unknown keys).
                let written: HashMap<&str, Span> = self
                    .tree
                    .pointer(&pointer)
                    .map(|node| match &node.value {
                        crate::yaml::Value::Map(entries) => entries
                            .iter()
                            .map(|e| (e.key.as_str(), e.key_span))
                            .collect(),
                        _ => HashMap::new(),
                    })
                    .unwrap_or_default();
                for key in unexpected {
                    let span = written
                        .get(key.as_str())
                        .copied()
                        .unwrap_or_else(|| self.node_span(&pointer));
                    let hint = match did_you_mean(key, allowed.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if allowed.is_empty() => "remove this key".to_owned(),
                        None => format!("remove it, or use one of: {}", allowed.join(", ")),
                    };
                    out.diagnostics.push(self.diag(
                        &pointer,
                        span,
                        format!("unknown key `{key}` in {what}"),
                        Some(hint),
                    ));
                }
                out.prune.push(Prune::Keys(pointer, unexpected.clone()));
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or("?");
                let span = self.node_span(&pointer);
                let message = if pointer.is_empty() {
                    format!("{what} is missing the required key `{key}`")
                } else {
                    format!("{what} is missing `{key}`")
                };
                out.diagnostics.push(self.diag(
                    &pointer,
                    span,
                    message,
                    Some(format!("add `{key}: ...`")),
                ));
                out.prune.push(Prune::Value(pointer));
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context }
                if !context.is_empty()
                    && context.iter().all(|b| {
                        b.len() == 1 && matches!(b[0].kind(), ValidationErrorKind::Constant { .. })
                    }) =>
            {
                // A documented enum: schemars writes it as `oneOf` of `const`s.
                let options: Vec<String> = context
                    .iter()
                    .filter_map(|b| match b[0].kind() {
                        ValidationErrorKind::Constant { expected_value } => {
                            expected_value.as_str().map(str::to_owned)
                        }
                        _ => None,
                    })
                    .collect();
                let shown = instance.map(short).unwrap_or_default();
                let name = field.unwrap_or_else(|| "value".to_owned());
                let hint = choice_hint(&shown, &options);
                let span = self.node_span(&pointer);
                out.diagnostics.push(self.diag(
                    &pointer,
                    span,
                    format!("`{shown}` is not a valid `{name}` in {what}"),
                    Some(hint),
                ));
                out.prune.push(Prune::Value(pointer));
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // Keep the branches that failed for a reason other than the value's type:
                // for `Option<T>` that drops the `null` branch, for untagged enums the
                // shapes the user clearly did not mean.
                let meaningful: Vec<&Vec<ValidationError<'static>>> = context
                    .iter()
                    .filter(|branch| {
                        !branch.iter().all(|e| {
                            matches!(e.kind(), ValidationErrorKind::Type { .. })
                                && e.instance_path().as_str() == pointer
                        })
                    })
                    .collect();
                if meaningful.len() == 1 {
                    for e in meaningful[0] {
                        self.translate(e, out);
                    }
                } else {
                    let span = self.node_span(&pointer);
                    let found = instance.map_or("nothing", json_kind);
                    let shown = instance.map(short).unwrap_or_default();
                    let name = field.unwrap_or_else(|| "value".to_owned());
                    let expected = expected_types(context);
                    let message = if meaningful.is_empty() && !expected.is_empty() {
                        format!("`{name}` in {what} must be {expected}, found {found}")
                    } else {
                        format!("`{shown}` is not a valid `{name}` in {what}")
                    };
                    out.diagnostics.push(self.diag(
                        &pointer,
                        span,
                        message,
                        Some(format!("see the `{name}` field in docs/format.md")),
                    ));
                    out.prune.push(Prune::Value(pointer));
                }
            }
            kind => {
                let span = self.node_span(&pointer);
                let shown = instance.map(short).unwrap_or_default();
                let name = field.unwrap_or_else(|| "value".to_owned());
                let mut rejected_id: Option<String> = None;
                let (message, hint) = match kind {
                    ValidationErrorKind::Type { kind } => {
                        let found = instance.map_or("nothing", json_kind);
                        let message = if pointer.is_empty() {
                            format!("{what} must hold {}, found {found}", type_name(kind))
                        } else {
                            format!(
                                "`{name}` in {what} must be {}, found {found}",
                                type_name(kind)
                            )
                        };
                        let hint = if pointer.is_empty() && self.kind != FileKind::Program {
                            format!(
                                "start the file with the top-level keys, for example `{}:`",
                                top_key(self.kind)
                            )
                        } else if pointer.is_empty() {
                            "start the file with `name: ...`".to_owned()
                        } else {
                            format!("see the `{name}` field in docs/format.md")
                        };
                        (message, hint)
                    }
                    ValidationErrorKind::Enum { options } => {
                        let opts: Vec<String> = options
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_owned)
                                    .collect()
                            })
                            .unwrap_or_default();
                        (
                            format!("`{shown}` is not a valid `{name}` in {what}"),
                            choice_hint(&shown, &opts),
                        )
                    }
                    ValidationErrorKind::Format { format } if format == "date" => (
                        format!("`{shown}` is not a valid date (`{name}` in {what})"),
                        "write dates as YYYY-MM-DD, and check that the day exists".to_owned(),
                    ),
                    ValidationErrorKind::Format { format } if format == "email" => (
                        format!("`{shown}` is not a valid e-mail address (`{name}` in {what})"),
                        "write an address such as `ada@example.com`".to_owned(),
                    ),
                    ValidationErrorKind::Pattern { pattern } if pattern.contains("[wW]") => (
                        format!("`{shown}` is not a valid duration (`{name}` in {what})"),
                        format!(
                            "write whole work days or weeks such as `10d` or `2w`, at most {} work days (500w)",
                            milepost_model::MAX_DURATION_DAYS
                        ),
                    ),
                    ValidationErrorKind::Pattern { pattern } if pattern.contains('/') => (
                        format!("`{shown}` is not a valid reference (`{name}` in {what})"),
                        "write an id such as `M3`, or `program-id/M3` for another program"
                            .to_owned(),
                    ),
                    ValidationErrorKind::Pattern { .. } => {
                        rejected_id = Some(shown.clone());
                        (
                        format!("`{shown}` is not a valid id (`{name}` in {what})"),
                        "ids use letters, digits, `.`, `_` and `-`, start with a letter or digit, and have at most 64 characters".to_owned(),
                    )
                    }
                    ValidationErrorKind::Minimum { limit }
                    | ValidationErrorKind::ExclusiveMinimum { limit } => (
                        format!("`{shown}` is too small for `{name}` in {what} (minimum {limit})"),
                        format!("use a value of at least {limit}"),
                    ),
                    ValidationErrorKind::Maximum { limit }
                    | ValidationErrorKind::ExclusiveMaximum { limit } => (
                        format!("`{shown}` is too large for `{name}` in {what} (maximum {limit})"),
                        format!("use a value of at most {limit}"),
                    ),
                    other => (
                        format!("`{name}` in {what}: {error}"),
                        format!("fix the value ({} check)", other.keyword()),
                    ),
                };
                let mut d = self.diag(&pointer, span, message, Some(hint));
                d.rejected_id = rejected_id;
                out.diagnostics.push(d);
                out.prune.push(Prune::Value(pointer));
            }
        }
    }
}

/// The hint for a value outside a fixed set (a plain `enum`, or the `oneOf` of `const`s
/// schemars writes for documented enums).
fn choice_hint(shown: &str, options: &[String]) -> String {
    match did_you_mean(shown, options.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`? Allowed: {}", options.join(", ")),
        None => format!("use one of: {}", options.join(", ")),
    }
}

fn top_key(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Settings | FileKind::Program => "name",
        FileKind::People => "people",
        FileKind::Milestones => "milestones",
        FileKind::Raid => "risks",
        FileKind::Raci => "raci",
        FileKind::Decisions => "decisions",
        FileKind::Scorecard => "kpis",
    }
}

fn expected_types(context: &[Vec<ValidationError<'static>>]) -> String {
    let mut names: Vec<String> = Vec::new();
    for branch in context {
        for e in branch {
            if let ValidationErrorKind::Type { kind } = e.kind() {
                let n = type_name(kind);
                if !n.is_empty() && !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    names.join(" or ")
}

/// Fields that label an entity (`title`, `name`, `activity`): an invalid one is replaced by
/// a placeholder instead of being removed, so the entity — its id, dates, owner, links —
/// still loads and nothing that refers to it breaks.
const LABEL_FIELDS: [&str; 3] = ["title", "name", "activity"];

/// Lists that mean something only whole: a bad entry resets the list to its default
/// rather than leaving a different list (`workdays` without `wed` is another calendar).
const WHOLE_LISTS: [&str; 1] = ["/calendar/workdays"];

/// Applies the prune list to a JSON value: removes unknown keys and invalid values so the
/// rest of each entity can still be read.
pub fn apply_prune(json: &mut Value, prune: &[Prune]) {
    // Removals are grouped by the object they apply to and done in one `retain` each: one
    // `shift_remove` per key is linear in the object's size, so thousands of bad keys in one
    // mapping would be quadratic.
    let mut by_object: std::collections::BTreeMap<&str, std::collections::HashSet<String>> =
        std::collections::BTreeMap::new();
    for p in prune {
        match p {
            Prune::Keys(pointer, keys) => {
                by_object
                    .entry(pointer.as_str())
                    .or_default()
                    .extend(keys.iter().cloned());
            }
            Prune::Value(pointer) => {
                let pointer = WHOLE_LISTS
                    .iter()
                    .find(|list| {
                        pointer
                            .strip_prefix(**list)
                            .is_some_and(|rest| rest.starts_with('/'))
                    })
                    .map_or(pointer.as_str(), |list| *list);
                let Some((parent, last)) = pointer.rsplit_once('/') else {
                    continue;
                };
                let last = last.replace("~1", "/").replace("~0", "~");
                match json.pointer_mut(parent) {
                    Some(Value::Object(map)) if LABEL_FIELDS.contains(&last.as_str()) => {
                        map.insert(
                            last.clone(),
                            Value::String(format!("({last} not readable)")),
                        );
                    }
                    Some(Value::Object(_)) => {
                        by_object.entry(parent).or_default().insert(last);
                    }
                    Some(Value::Array(items)) => {
                        if let Some(item) =
                            last.parse::<usize>().ok().and_then(|i| items.get_mut(i))
                        {
                            *item = Value::Null;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for (pointer, keys) in by_object {
        if let Some(Value::Object(map)) = json.pointer_mut(pointer) {
            map.retain(|k, _| !keys.contains(k.as_str()));
        }
    }
}
