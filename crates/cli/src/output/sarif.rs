//! The SARIF 2.1.0 format, for GitHub code scanning and other SARIF viewers.
//!
//! One run: the tool's driver lists every rule (id, short and full description, help in
//! text and Markdown, a link to docs/rules.md, its default level), and each finding is a
//! result with its rule, level, message, physical location (a repository-relative URI and
//! a start line and column) and related locations. Columns count Unicode code points, as
//! milepost's spans do. The structs are hand-written for the subset milepost emits; a test
//! validates the output against the official OASIS schema vendored in
//! `crates/cli/tests/data/`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use milepost_load::{BaseStatus, Diagnostic, Severity};
use milepost_model::RuleLevel;
use milepost_rules::Rule;
use serde::Serialize;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Debug, Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// `%SRCROOT%`: the repository root, which every `uri` is relative to.
    original_uri_base_ids: serde_json::Value,
    column_kind: &'static str,
    /// The repository, commit and branch checked, when in a git repository with an
    /// `origin` remote (GitHub code scanning and other viewers link results to it).
    #[serde(skip_serializing_if = "Option::is_none")]
    version_control_provenance: Option<Vec<serde_json::Value>>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Debug, Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: String,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    /// The rule's friendly name (`OwnerUnknown`), as code-scanning tools show it.
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Debug, Serialize)]
struct Text {
    text: String,
}

#[derive(Debug, Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Debug, Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    /// Identifies the finding across commits (rule and entity, not the line), so an alert
    /// survives lines moving.
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_fingerprints: Option<serde_json::Value>,
    /// With `check --base`: `new` or `unchanged` (SARIF's baseline states).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    /// With `check --base`: `milepost/base` (`new`, `touched`, `unchanged`) and
    /// `milepost/cappedFrom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
    /// The lines around the finding, so a viewer without the repository shows context.
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    /// Always `%SRCROOT%`: the uri is relative to the repository root.
    uri_base_id: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

/// A file's text and the byte offset where each of its lines starts.
type IndexedText = (std::sync::Arc<str>, Vec<usize>);

/// Lines of the portfolio's files, indexed once per file (a finding's line is found in
/// O(1), however many findings a large file has).
struct SourceLines<'a> {
    portfolio: Option<&'a milepost_load::Portfolio>,
    index: HashMap<String, Option<IndexedText>>,
}

impl SourceLines<'_> {
    /// Lines `first..=last` (1-based) of `file`, without the final line break; `None` when
    /// the file or the lines are unknown.
    fn lines(&mut self, file: &str, first: u32, last: u32) -> Option<String> {
        let portfolio = self.portfolio?;
        let entry = self.index.entry(file.to_owned()).or_insert_with(|| {
            let source = portfolio.source_by_path(file)?;
            let text = std::sync::Arc::clone(&source.text);
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            Some((text, starts))
        });
        let (text, starts) = entry.as_ref()?;
        let first = first.checked_sub(1)? as usize;
        let last = (last as usize).min(starts.len());
        if first >= last {
            return None;
        }
        let end = starts.get(last).map_or(text.len(), |&e| e);
        let out = text.get(starts[first]..end)?.trim_end_matches(['\n', '\r']);
        (!out.is_empty()).then(|| out.to_owned())
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn default_level(level: RuleLevel) -> &'static str {
    match level {
        RuleLevel::Off => "none",
        RuleLevel::Info => "note",
        RuleLevel::Warning => "warning",
        RuleLevel::Error => "error",
    }
}

/// Percent-encodes a relative path for a URI reference (keeps `/` and unreserved
/// characters).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Lines of context on each side of a finding.
const CONTEXT_LINES: u32 = 2;

fn location(
    prefix: &str,
    loc: &milepost_load::Location,
    id: Option<usize>,
    message: Option<&str>,
    sources: &mut SourceLines<'_>,
) -> SarifLocation {
    let line = loc.span.line.max(1);
    let first = line.saturating_sub(CONTEXT_LINES).max(1);
    let last = line + CONTEXT_LINES;
    let context = sources.lines(&loc.file, first, last);
    let context_region = context.map(|text| {
        let lines = u32::try_from(text.lines().count()).unwrap_or(1).max(1);
        Region {
            start_line: first,
            start_column: None,
            end_line: Some(first + lines - 1),
            end_column: None,
            snippet: Some(Text { text }),
        }
    });
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri_base_id: "%SRCROOT%",
                uri: uri(&format!("{prefix}{}", loc.file)),
            },
            region: Region {
                start_line: line,
                start_column: Some(loc.span.column.max(1)),
                end_line: None,
                end_column: (loc.span.len > 0).then(|| loc.span.column.max(1) + loc.span.len),
                // The text of the region: the span, or the rest of the line from the column.
                snippet: sources.lines(&loc.file, line, line).and_then(|text| {
                    let from = loc.span.column.max(1) as usize - 1;
                    let chars = text.chars().skip(from);
                    let text: String = if loc.span.len > 0 {
                        chars.take(loc.span.len as usize).collect()
                    } else {
                        chars.collect()
                    };
                    (!text.is_empty()).then_some(Text { text })
                }),
            },
            context_region,
        },
        message: message.map(|m| Text { text: m.to_owned() }),
    }
}

/// A rule's friendly name for SARIF viewers: the id in upper camel case
/// (`owner-unknown` → `OwnerUnknown`), and a descriptive name for the one-word ids, which
/// would otherwise repeat the id.
fn friendly_name(id: &str) -> String {
    match id {
        "yaml" => "InvalidYaml".to_owned(),
        "schema" => "SchemaViolation".to_owned(),
        _ => id
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect(),
    }
}

fn descriptor(rule: &Rule, docs: &str) -> ReportingDescriptor {
    ReportingDescriptor {
        id: rule.id,
        name: friendly_name(rule.id),
        short_description: Text {
            text: format!("{}.", rule.summary),
        },
        full_description: Text {
            text: rule.what.to_owned(),
        },
        help: Help {
            text: rule.fix.to_owned(),
            markdown: milepost_rules::docs::explain(rule),
        },
        help_uri: format!("{docs}#{}", rule.id),
        default_configuration: Configuration {
            level: default_level(rule.default_level),
        },
    }
}

/// Renders the findings as one SARIF log. `prefix` is prepended to file paths so they are
/// relative to the repository root; `base` is the `--base` revision, `provenance` where
/// the working tree comes from.
pub fn render(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    prefix: &str,
    base: Option<&str>,
    provenance: Option<&milepost_history::Provenance>,
    portfolio: Option<&milepost_load::Portfolio>,
) -> std::io::Result<()> {
    let mut sources = SourceLines {
        portfolio,
        index: HashMap::new(),
    };
    let repository = env!("CARGO_PKG_REPOSITORY");
    let docs = format!("{repository}/blob/main/docs/rules.md");
    let rules = milepost_rules::ALL;
    let results = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(hint) = &d.hint {
                text.push_str("\nhelp: ");
                text.push_str(hint);
            }
            if let Some(note) = base.and_then(|spec| super::base_note(d, spec)) {
                text.push_str("\nnote: ");
                text.push_str(&note);
            }
            SarifResult {
                rule_id: d.rule,
                rule_index: rules.iter().position(|r| r.id == d.rule),
                level: level(d.severity),
                message: Text { text },
                locations: d
                    .location
                    .iter()
                    .map(|l| location(prefix, l, None, None, &mut sources))
                    .collect(),
                related_locations: d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        location(
                            prefix,
                            &r.location,
                            Some(i + 1),
                            Some(&r.message),
                            &mut sources,
                        )
                    })
                    .collect(),
                partial_fingerprints: d.entity.as_ref().map(
                    |entity| serde_json::json!({ "milepost/v1": format!("{}:{entity}", d.rule) }),
                ),
                baseline_state: d.base.map(|b| match b {
                    BaseStatus::New => "new",
                    BaseStatus::Touched | BaseStatus::Unchanged => "unchanged",
                }),
                properties: d.base.map(|b| {
                    let mut p = serde_json::json!({ "milepost/base": b.as_str() });
                    if let Some(from) = d.capped_from {
                        p["milepost/cappedFrom"] = from.as_str().into();
                    }
                    p
                }),
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "milepost",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: repository.to_owned(),
                    rules: rules.iter().map(|r| descriptor(r, &docs)).collect(),
                },
            },
            original_uri_base_ids: serde_json::json!({
                "%SRCROOT%": { "description": { "text": "The root of the git repository that holds the portfolio (outside a repository: the working directory)." } }
            }),
            column_kind: "unicodeCodePoints",
            version_control_provenance: provenance.and_then(|p| {
                let uri = p.repository_uri.as_ref()?;
                let mut entry = serde_json::json!({
                    "repositoryUri": uri,
                    "revisionId": p.revision,
                    "mappedTo": { "uriBaseId": "%SRCROOT%" },
                });
                if let Some(branch) = &p.branch {
                    entry["branch"] = branch.clone().into();
                }
                Some(vec![entry])
            }),
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri("examples/my portfolio/a.yaml"),
            "examples/my%20portfolio/a.yaml"
        );
        assert_eq!(uri("programs/café/x.yaml"), "programs/caf%C3%A9/x.yaml");
    }
}
