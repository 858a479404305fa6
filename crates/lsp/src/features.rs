//! What the server answers: diagnostics, completion, navigation, hover and code actions.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeDescription,
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbolParams, DocumentSymbolResponse,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    Location as LspLocation, MarkupContent, MarkupKind, NumberOrString, Position, Range,
    ReferenceParams, SymbolInformation, SymbolKind, TextEdit, Url, WorkspaceEdit,
    WorkspaceSymbolParams,
};
use milepost_load::{Diagnostic, Location, Severity};
use milepost_model::FileKind;
use serde_json::Value;

use crate::convert::{self, line_of};
use crate::index::{ENTITY_KEYS, PERSON_KEYS, Place, Target};
use crate::world::World;

/// Where the rule documentation lives.
const RULE_DOCS: &str = "https://github.com/milepost-dev/milepost/blob/main/docs/rules.md";

/// A milepost location as a protocol location (its range computed on the current text).
fn location(world: &World, at: &Location) -> Option<LspLocation> {
    let uri = convert::url(world.root(), &at.file)?;
    let text = world.text(&at.file).unwrap_or("");
    Some(LspLocation {
        uri,
        range: convert::range(text, at.span),
    })
}

/// One finding as a protocol diagnostic.
fn diagnostic(
    world: &World,
    d: &Diagnostic,
    text: &str,
    span: milepost_load::Span,
) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        let _ = write!(message, "\nhelp: {hint}");
    }
    lsp_types::Diagnostic {
        range: convert::range(text, span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.to_owned())),
        code_description: Url::parse(&format!("{RULE_DOCS}#{}", d.rule))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("milepost".to_owned()),
        message,
        related_information: (!d.related.is_empty()).then(|| {
            d.related
                .iter()
                .filter_map(|r| {
                    Some(DiagnosticRelatedInformation {
                        location: location(world, &r.location)?,
                        message: r.message.clone(),
                    })
                })
                .collect()
        }),
        tags: None,
        data: None,
    }
}

/// Every file's diagnostics, by portfolio path (files without findings left out).
pub fn diagnostics(world: &mut World) -> BTreeMap<String, Vec<lsp_types::Diagnostic>> {
    let findings: Vec<Diagnostic> = world.analysis().session.findings().to_vec();
    let mut out: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for d in &findings {
        // A finding without a place (a portfolio-wide one) is shown on milepost.yaml.
        let (file, span) = match &d.location {
            Some(l) => (l.file.to_string(), l.span),
            None => (
                "milepost.yaml".to_owned(),
                milepost_load::Span::start_of_file(),
            ),
        };
        let text = world.text(&file).unwrap_or("").to_owned();
        out.entry(file)
            .or_default()
            .push(diagnostic(world, d, &text, span));
    }
    out
}

/// The text before the cursor on its line, and the line.
fn before_cursor(text: &str, pos: Position) -> (String, &str) {
    let line = line_of(text, pos.line);
    let chars = convert::chars_of(line, pos.character) as usize;
    (line.chars().take(chars).collect(), line)
}

/// The key whose value the cursor is in: the `key:` of this line, or of the nearest line
/// above with less indentation for a list item; and the partial value typed so far.
fn value_context(text: &str, pos: Position) -> Option<(String, String)> {
    let (before, _) = before_cursor(text, pos);
    let trimmed = before.trim_start();
    let indent = before.len() - trimmed.len();
    let partial: String = before
        .chars()
        .rev()
        .take_while(|c| !matches!(c, ' ' | '[' | ',' | ':' | '{'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // `key: value`, `key: [a, b`, `- key: value`.
    let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    if let Some((key, _)) = item.split_once(':') {
        let key = key.trim();
        if !key.is_empty() && !key.contains(' ') {
            return Some((key.to_owned(), partial));
        }
    }
    // `- value` under `key:`.
    if trimmed.starts_with('-') {
        for l in (0..pos.line).rev() {
            let above = line_of(text, l);
            let t = above.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if above.len() - t.len() < indent
                || (above.len() - t.len() == indent && !t.starts_with('-'))
            {
                let t = t.strip_prefix("- ").unwrap_or(t);
                return t
                    .split_once(':')
                    .map(|(k, _)| (k.trim().to_owned(), partial.clone()));
            }
        }
    }
    None
}

/// The top-level key above line `line` (`risks`, `milestones`), for list files.
fn section(text: &str, line: u32) -> Option<String> {
    (0..=line).rev().find_map(|l| {
        let t = line_of(text, l);
        (!t.starts_with(' ') && !t.starts_with('#') && !t.starts_with('-'))
            .then(|| t.split_once(':').map(|(k, _)| k.trim().to_owned()))
            .flatten()
    })
}

/// The file kind of a portfolio path.
fn kind_of(path: &str) -> Option<FileKind> {
    let name = path.rsplit('/').next()?;
    if path.starts_with("programs/") {
        FileKind::from_program_file_name(name)
    } else {
        FileKind::from_root_file_name(name)
    }
}

/// The allowed values of `key` of an item of `section` (or of the file's root), from the
/// file kind's JSON Schema: `[(value, description)]`.
fn enum_values(kind: FileKind, section: Option<&str>, key: &str) -> Vec<(String, String)> {
    let schema = milepost_model::schema::schema_for(kind);
    let defs = &schema["$defs"];
    let resolve = |v: &Value| -> Value {
        let mut v = v.clone();
        for _ in 0..4 {
            if let Some(r) = v.get("$ref").and_then(Value::as_str) {
                v = defs[r.trim_start_matches("#/$defs/")].clone();
            } else if let Some(first) = v.get("anyOf").and_then(Value::as_array).and_then(|a| {
                a.iter()
                    .find(|x| x.get("type") != Some(&Value::String("null".into())))
            }) {
                v = first.clone();
            } else {
                break;
            }
        }
        v
    };
    let mut object = schema.clone();
    if let Some(section) = section
        && let Some(list) = schema["properties"].get(section)
    {
        object = resolve(&resolve(list)["items"]);
    }
    let Some(property) = object["properties"].get(key) else {
        return Vec::new();
    };
    let property = resolve(property);
    let mut out = Vec::new();
    if let Some(values) = property["enum"].as_array() {
        out.extend(
            values
                .iter()
                .filter_map(Value::as_str)
                .map(|v| (v.to_owned(), String::new())),
        );
    }
    for choice in property["oneOf"].as_array().into_iter().flatten() {
        if let Some(v) = choice["const"].as_str() {
            let doc = choice["description"].as_str().unwrap_or_default();
            out.push((v.to_owned(), doc.to_owned()));
        }
    }
    out
}

fn item(label: String, detail: Option<String>, kind: CompletionItemKind) -> CompletionItem {
    CompletionItem {
        label,
        detail,
        kind: Some(kind),
        ..CompletionItem::default()
    }
}

/// Completion at the cursor: the values the field takes in this portfolio.
pub fn completion(world: &mut World, params: &CompletionParams) -> Option<CompletionResponse> {
    let doc = &params.text_document_position;
    let path = convert::relative(world.root(), &doc.text_document.uri)?;
    let text = world.text(&path)?.to_owned();
    let pos = doc.position;
    let kind = kind_of(&path);
    let program = path
        .strip_prefix("programs/")
        .and_then(|r| r.split('/').next())
        .map(str::to_owned);
    let analysis = world.analysis();
    let p = analysis.session.portfolio();
    let mut items = Vec::new();
    // milepost.yaml `rules:`: rule ids, then their options.
    if kind == Some(FileKind::Settings) && section(&text, pos.line).as_deref() == Some("rules") {
        let (before, _) = before_cursor(&text, pos);
        let indent = before.len() - before.trim_start().len();
        if !before.contains(':') && indent <= 2 {
            for rule in milepost_rules::ALL {
                items.push(item(
                    rule.id.to_owned(),
                    Some(rule.summary.to_owned()),
                    CompletionItemKind::MODULE,
                ));
            }
            return Some(CompletionResponse::Array(items));
        }
        if !before.contains(':') {
            // The rule this option belongs to: the line above at indent 2.
            let rule = (0..pos.line).rev().find_map(|l| {
                let t = line_of(&text, l);
                (t.starts_with("  ") && !t.starts_with("   "))
                    .then(|| t.trim().trim_end_matches(':').to_owned())
            });
            items.push(item(
                "level".into(),
                Some("off, info, warning or error".into()),
                CompletionItemKind::PROPERTY,
            ));
            if let Some(rule) = rule.and_then(|r| milepost_rules::find(&r)) {
                for t in rule.options {
                    items.push(item(
                        t.name.to_owned(),
                        Some(format!("default {}: {}", t.default, t.doc)),
                        CompletionItemKind::PROPERTY,
                    ));
                }
            }
            return Some(CompletionResponse::Array(items));
        }
        if let Some((key, _)) = value_context(&text, pos)
            && key == "level"
        {
            for l in ["off", "info", "warning", "error"] {
                items.push(item(l.into(), None, CompletionItemKind::ENUM_MEMBER));
            }
            return Some(CompletionResponse::Array(items));
        }
    }
    let (key, _partial) = value_context(&text, pos)?;
    if PERSON_KEYS.contains(&key.as_str())
        || (key == "id" && section(&text, pos.line).as_deref() == Some("stakeholders"))
    {
        for person in &p.people {
            let detail = Some(person.name.clone());
            items.push(item(
                person.id.to_string(),
                detail,
                CompletionItemKind::VALUE,
            ));
        }
        for team in &p.teams {
            items.push(item(
                team.id.to_string(),
                Some(format!("team: {}", team.name)),
                CompletionItemKind::VALUE,
            ));
        }
    } else if ENTITY_KEYS.contains(&key.as_str()) {
        for other in &p.programs {
            let own = program.as_deref() == Some(other.id.as_str());
            for m in &other.milestones {
                let label = if own {
                    m.id.to_string()
                } else {
                    other.qualify(&m.id)
                };
                items.push(item(
                    label,
                    Some(m.title.clone()),
                    CompletionItemKind::REFERENCE,
                ));
            }
            if key == "supersedes" && own {
                for d in &other.decisions {
                    items.push(item(
                        d.id.to_string(),
                        Some(d.title.clone()),
                        CompletionItemKind::REFERENCE,
                    ));
                }
            }
        }
    } else if key == "gate" {
        for (name, gate) in &p.settings.gates {
            let detail = Some(format!("{} items", gate.items().len()));
            items.push(item(name.clone(), detail, CompletionItemKind::ENUM));
        }
    } else if let Some(kind) = kind {
        let list = section(&text, pos.line);
        let in_list = matches!(
            kind,
            FileKind::Milestones
                | FileKind::Raid
                | FileKind::Raci
                | FileKind::Decisions
                | FileKind::People
                | FileKind::Scorecard
        );
        for (value, doc) in enum_values(kind, if in_list { list.as_deref() } else { None }, &key) {
            items.push(item(
                value,
                (!doc.is_empty()).then_some(doc),
                CompletionItemKind::ENUM_MEMBER,
            ));
        }
    }
    Some(CompletionResponse::Array(items))
}

/// The reference or definition under the cursor.
fn place_at(world: &mut World, uri: &Url, pos: Position) -> Option<Place> {
    let path = convert::relative(world.root(), uri)?;
    let text = world.text(&path)?.to_owned();
    world.analysis().index().at(&path, &text, pos).cloned()
}

/// Go to definition: a person or team in people.yaml, a milestone in any program, a gate
/// template in milepost.yaml.
pub fn definition(
    world: &mut World,
    params: &GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let doc = &params.text_document_position_params;
    let place = place_at(world, &doc.text_document.uri, doc.position)?;
    let at = world.analysis().index().definition(&place.target)?.clone();
    location(world, &at).map(GotoDefinitionResponse::Scalar)
}

/// Find references: everything that names the target under the cursor.
pub fn references(world: &mut World, params: &ReferenceParams) -> Option<Vec<LspLocation>> {
    let doc = &params.text_document_position;
    let place = place_at(world, &doc.text_document.uri, doc.position)?;
    let index = world.analysis().index();
    let mut places: Vec<Location> = index.references_to(&place.target).cloned().collect();
    if params.context.include_declaration
        && let Some(d) = index.definition(&place.target)
    {
        places.insert(0, d.clone());
    }
    Some(places.iter().filter_map(|l| location(world, l)).collect())
}

/// Hover: a milestone's plan, a person's work, a gate's items.
pub fn hover(world: &mut World, params: &HoverParams) -> Option<Hover> {
    let doc = &params.text_document_position_params;
    let place = place_at(world, &doc.text_document.uri, doc.position)?;
    let path = convert::relative(world.root(), &doc.text_document.uri)?;
    let text = world.text(&path)?.to_owned();
    let analysis = world.analysis();
    let session = &analysis.session;
    let p = session.portfolio();
    let mut md = String::new();
    match &place.target {
        Target::Entity(program_id, id) => {
            let (pi, program) = p
                .programs
                .iter()
                .enumerate()
                .find(|(_, x)| &x.id == program_id)?;
            let mi = program.milestones.iter().position(|m| m.id.as_str() == id);
            let Some(mi) = mi else {
                let _ = write!(md, "**{program_id}/{id}**");
                return Some(markdown(md, &text, &place));
            };
            let m = &program.milestones[mi];
            let _ = writeln!(md, "**{program_id}/{id}** {}\n", m.title);
            let key = milepost_plan::MilestoneKey {
                program: pi,
                milestone: mi,
            };
            let plan = session.plan();
            if let Some(row) = plan.milestone(key) {
                let _ = writeln!(
                    md,
                    "- planned {} → {}",
                    row.earliest_start, row.earliest_finish
                );
                let _ = writeln!(
                    md,
                    "- slack {} work days{}",
                    row.slack_days,
                    if row.critical {
                        " — **critical**"
                    } else {
                        ""
                    }
                );
                if let (Some(target), Some(slip)) = (m.target, row.slip_days) {
                    let _ = writeln!(md, "- target {target} ({slip:+} work days)");
                }
                if let Some(pred) = row.driving_pred {
                    let _ = writeln!(md, "- driven by {}", plan.name(p, pred));
                }
                if plan.has_estimates(p)
                    && let Some(forecast) = session.forecast()
                    && let Some(t) = plan.task_of(key).and_then(|t| forecast.tasks.get(t))
                {
                    let _ = writeln!(md, "- P80 {} (P50 {})", t.p80, t.p50);
                }
            } else {
                let _ = writeln!(md, "- not planned ({})", m.status);
            }
            let _ = writeln!(
                md,
                "- status {}{}",
                m.status,
                m.owner
                    .as_ref()
                    .map_or_else(String::new, |o| format!(", owner {o}"))
            );
        }
        Target::Person(id) => {
            let name = p
                .people
                .iter()
                .find(|x| x.id.as_str() == id)
                .map(|x| x.name.clone())
                .or_else(|| {
                    p.teams
                        .iter()
                        .find(|t| t.id.as_str() == id)
                        .map(|t| format!("team {}", t.name))
                })
                .unwrap_or_else(|| "not in people.yaml".to_owned());
            let _ = writeln!(md, "**{id}** — {name}\n");
            // What they are named in, by field: `owner of ledger/M1, ledger/M4`.
            let mut by_field: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for r in analysis
                .index()
                .references
                .iter()
                .filter(|r| r.target == place.target)
            {
                if let Some((holder, field)) = &r.holder {
                    let list = by_field.entry(field.as_str()).or_default();
                    if !list.contains(&holder.as_str()) {
                        list.push(holder.as_str());
                    }
                }
            }
            if by_field.is_empty() {
                let _ = writeln!(md, "not named anywhere yet");
            }
            for (field, holders) in by_field {
                let shown: Vec<&str> = holders.iter().take(12).copied().collect();
                let more = holders.len().saturating_sub(shown.len());
                let verb = match field {
                    "owner" => "owns",
                    "sponsor" => "sponsors",
                    "accountable" => "accountable for",
                    "responsible" => "responsible for",
                    "consulted" => "consulted on",
                    "informed" => "informed of",
                    "provider" => "provides",
                    "approver" => "approved gate items of",
                    "decided_by" => "decided",
                    "accepted_by" => "accepted",
                    "escalated_to" => "takes the escalation of",
                    "lead" => "leads",
                    "team" => "member of",
                    "id" | "stakeholders" => "stakeholder of",
                    other => other,
                };
                let _ = writeln!(
                    md,
                    "- {verb} {}{}",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
        }
        Target::Gate(name) => {
            let gate = p.settings.gates.get(name)?;
            let _ = writeln!(md, "**gate {name}**\n");
            for i in gate.items() {
                let _ = writeln!(md, "- `{}` {}", i.id, i.title);
            }
        }
    }
    Some(markdown(md, &text, &place))
}

fn markdown(value: String, text: &str, place: &Place) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(convert::range(text, place.location.span)),
    }
}

fn symbol_kind(target: &Target, file: &str) -> SymbolKind {
    match target {
        Target::Person(_) => SymbolKind::CONSTANT,
        Target::Gate(_) => SymbolKind::INTERFACE,
        Target::Entity(..) if file.ends_with("milestones.yaml") => SymbolKind::EVENT,
        Target::Entity(..) if file.ends_with("decisions.yaml") => SymbolKind::FUNCTION,
        Target::Entity(..) => SymbolKind::OBJECT,
    }
}

/// The entity's title for outlines.
fn title(world: &mut World, target: &Target) -> String {
    let p = world.analysis().session.portfolio();
    match target {
        Target::Entity(program, id) => p
            .program(program)
            .and_then(|x| x.entities().find(|e| e.id() == Some(id.as_str())))
            .map(|e| e.title().to_owned())
            .map_or_else(|| id.clone(), |t| format!("{id} {t}")),
        Target::Person(id) => p
            .people
            .iter()
            .find(|x| x.id.as_str() == id)
            .map_or_else(|| id.clone(), |x| format!("{id} {}", x.name)),
        Target::Gate(name) => name.clone(),
    }
}

/// The outline of a file: its milestones, risks, decisions… in order.
#[expect(
    deprecated,
    reason = "SymbolInformation.deprecated is a required field"
)]
pub fn document_symbols(
    world: &mut World,
    params: &DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let path = convert::relative(world.root(), &params.text_document.uri)?;
    let places: Vec<Place> = world
        .analysis()
        .index()
        .definitions
        .iter()
        .filter(|d| *d.location.file == *path)
        .cloned()
        .collect();
    let mut out = Vec::new();
    for d in places {
        let name = title(world, &d.target);
        if let Some(location) = location(world, &d.location) {
            out.push(SymbolInformation {
                name,
                kind: symbol_kind(&d.target, &path),
                tags: None,
                deprecated: None,
                location,
                container_name: None,
            });
        }
    }
    Some(DocumentSymbolResponse::Flat(out))
}

/// Workspace symbols: every entity, person, team and gate whose name contains the query.
#[expect(
    deprecated,
    reason = "SymbolInformation.deprecated is a required field"
)]
pub fn workspace_symbols(
    world: &mut World,
    params: &WorkspaceSymbolParams,
) -> Option<Vec<SymbolInformation>> {
    let query = params.query.to_lowercase();
    let places: Vec<Place> = world.analysis().index().definitions.clone();
    let mut out = Vec::new();
    for d in places {
        let name = match &d.target {
            Target::Entity(program, _) => format!("{program}/{}", title(world, &d.target)),
            _ => title(world, &d.target),
        };
        if !name.to_lowercase().contains(&query) {
            continue;
        }
        if let Some(location) = location(world, &d.location) {
            out.push(SymbolInformation {
                name,
                kind: symbol_kind(&d.target, &d.location.file),
                tags: None,
                deprecated: None,
                location,
                container_name: None,
            });
            if out.len() >= 500 {
                break;
            }
        }
    }
    Some(out)
}

fn overlaps(a: Range, b: Range) -> bool {
    !(a.end < b.start || b.end < a.start)
}

/// The suggestion of a hint (`did you mean `owner`?`), when there is one.
fn suggestion(hint: &str) -> Option<&str> {
    let rest = hint.split("did you mean `").nth(1)?;
    rest.split('`').next()
}

/// Code actions from the findings under the range: replace with what "did you mean"
/// suggests, set `reviewed:` to the as-of date, add a missing required field.
pub fn code_actions(
    world: &mut World,
    params: &CodeActionParams,
) -> Option<Vec<CodeActionOrCommand>> {
    let uri = params.text_document.uri.clone();
    let path = convert::relative(world.root(), &uri)?;
    let text = world.text(&path)?.to_owned();
    let analysis = world.analysis();
    let as_of = analysis.session.as_of();
    let findings: Vec<Diagnostic> = analysis
        .session
        .findings()
        .iter()
        .filter(|d| d.location.as_ref().is_some_and(|l| *l.file == *path))
        .cloned()
        .collect();
    let mut out = Vec::new();
    for d in &findings {
        let Some(at) = &d.location else { continue };
        let range = convert::range(&text, at.span);
        if !overlaps(range, params.range) {
            continue;
        }
        let lsp = diagnostic(world, d, &text, at.span);
        let mut action = |title: String, edits: Vec<TextEdit>| {
            let mut changes = std::collections::HashMap::new();
            changes.insert(uri.clone(), edits);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        };
        let hint = d.hint.as_deref().unwrap_or("");
        if let Some(s) = suggestion(hint) {
            action(
                format!("Replace with `{s}`"),
                vec![TextEdit {
                    range,
                    new_text: s.to_owned(),
                }],
            );
        }
        if d.rule == "risk-stale" {
            action(
                format!("Mark reviewed today ({as_of})"),
                reviewed_edit(&text, at.span.line - 1, as_of),
            );
        }
        if let Some(field) = hint
            .strip_prefix("add `")
            .and_then(|r| r.split(':').next())
            .filter(|f| !f.contains(' '))
        {
            let line = at.span.line - 1;
            let indent = " ".repeat(at.span.column.saturating_sub(1) as usize);
            let end = line_of(&text, line).chars().count() as u32;
            action(
                format!("Add `{field}`"),
                vec![TextEdit {
                    range: Range {
                        start: Position::new(line, end),
                        end: Position::new(line, end),
                    },
                    new_text: format!("\n{indent}{field}: "),
                }],
            );
        }
    }
    Some(out)
}

/// Sets the `reviewed:` of the risk whose finding is on `line` (0-based) to `day`: replaces
/// the value when the risk has one, else adds the field after its `id`.
fn reviewed_edit(text: &str, line: u32, day: chrono::NaiveDate) -> Vec<TextEdit> {
    // The risk's block: up from the finding to its `- id:` line, down to the next item.
    let start = (0..=line)
        .rev()
        .find(|&l| line_of(text, l).trim_start().starts_with("- "))
        .unwrap_or(line);
    let item_indent = line_of(text, start).len() - line_of(text, start).trim_start().len();
    let lines = text.split('\n').count() as u32;
    let mut l = start + 1;
    while l < lines {
        let t = line_of(text, l);
        let indent = t.len() - t.trim_start().len();
        if !t.trim().is_empty() && indent <= item_indent {
            break;
        }
        if let Some(rest) = t.trim_start().strip_prefix("reviewed:") {
            let col = (t.len() - rest.len()) as u32;
            return vec![TextEdit {
                range: Range {
                    start: Position::new(l, col),
                    end: Position::new(l, t.chars().count() as u32),
                },
                new_text: format!(" {day}"),
            }];
        }
        l += 1;
    }
    let first = line_of(text, start);
    let end = first.chars().count() as u32;
    vec![TextEdit {
        range: Range {
            start: Position::new(start, end),
            end: Position::new(start, end),
        },
        new_text: format!("\n{}reviewed: {day}", " ".repeat(item_indent + 2)),
    }]
}
