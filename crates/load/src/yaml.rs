//! A YAML reader that keeps source positions and refuses hostile input.
//!
//! milepost parses YAML with `saphyr-parser` (a pure-Rust, YAML 1.2 event parser; see
//! `docs/adr/0001-yaml-parser.md`) and builds its own small tree of [`Node`]s so that every
//! value and every mapping key keeps its line and column. Building the tree ourselves is
//! also where the safety limits live:
//!
//! - **one document per file**: a second `---` document is an error at its position;
//! - **duplicate keys** are rejected, pointing at the second occurrence;
//! - **nesting depth** is capped ([`Limits::max_depth`]); the builder is iterative, so even
//!   a 100,000-deep input is refused without touching the call stack;
//! - **aliases** are expanded against a node budget ([`Limits::max_alias_nodes`]), which defeats
//!   "billion laughs" alias bombs in bounded time and memory;
//! - **tags**: YAML core tags (`!!str`, `!!int`…) are honoured, any other tag is refused;
//! - scalars resolve by the YAML 1.2 core schema, so `no` and `on` stay strings and dates
//!   stay text until the JSON Schema checks them.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use crate::diagnostic::Span;

mod fast;

/// Bounds on what a single file may make the reader do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest allowed nesting of lists and mappings.
    pub max_depth: usize,
    /// Most values that alias expansion (`*x`) may add to a file.
    pub max_alias_nodes: usize,
    /// Most values (scalars, lists, mappings, alias expansions included) in one file: the
    /// bound that keeps a 16 MiB flow list of tiny scalars from costing gigabytes.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 64,
            max_alias_nodes: 200_000,
            max_nodes: 2_000_000,
        }
    }
}

fn too_many(span: Span, limits: Limits) -> YamlError {
    YamlError::new(
        span,
        format!("the file holds more than {} YAML values", limits.max_nodes),
    )
    .hint("split the file, or raise `limits: max_file_values` in milepost.yaml if it is really this large")
}

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts.
    pub span: Span,
}

/// A mapping entry: the key, where the key is, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// The kinds of YAML value milepost reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A finite floating-point number.
    Float(f64),
    /// Any other scalar.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<Entry>),
}

/// Why a file could not be read as YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Where the problem is.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// A second place that explains the error (the first of two duplicate keys).
    pub related: Option<(Span, String)>,
}

impl YamlError {
    fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            hint: None,
            related: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl Node {
    /// The node at a JSON Pointer (`/milestones/3/owner`), if it exists.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for token in pointer_tokens(pointer) {
            node = node.child(&token)?;
        }
        Some(node)
    }

    /// How many values the tree holds (this node and everything under it).
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Map(entries) => entries.iter().map(|e| e.value.count()).sum(),
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            _ => 0,
        }
    }

    /// The child at one pointer token: a mapping key, or a list index.
    pub fn child(&self, token: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == token).map(|e| &e.value),
            Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }

    /// The entry (key and value) for `key` when this is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// A word for the kind of value, as a YAML user would say it.
    pub fn kind_name(&self) -> &'static str {
        self.value.kind_name()
    }

    /// Converts to JSON for schema validation and typed deserialization. Non-finite floats
    /// become strings (JSON has no NaN), which the schema then rejects with a clear message.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or_else(|| J::String(f.to_string()), J::Number)
            }
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

impl Node {
    /// Converts to JSON like [`Node::to_json`], but *moves* scalar text out of the tree
    /// instead of copying it: afterwards the tree keeps its structure, keys and positions
    /// (all that locating a finding needs) while its string scalars are empty. This halves
    /// the text a large portfolio holds in memory.
    pub fn take_json(&mut self) -> serde_json::Value {
        use serde_json::Value as J;
        match &mut self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or_else(|| J::String(f.to_string()), J::Number)
            }
            Value::Str(s) => J::String(std::mem::take(s)),
            Value::Seq(items) => J::Array(items.iter_mut().map(Node::take_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter_mut()
                    .map(|e| (e.key.clone(), e.value.take_json()))
                    .collect(),
            ),
        }
    }
}

impl Value {
    /// A word for the kind of value.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Splits a JSON Pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

enum Frame {
    Seq {
        span: Span,
        anchor: usize,
        items: Vec<Node>,
        size: usize,
    },
    Map {
        span: Span,
        anchor: usize,
        entries: Vec<Entry>,
        /// Key index, built only for large mappings (small ones are scanned).
        seen: Option<HashMap<String, usize>>,
        /// The key waiting for its value, and whether that value is dropped (the key is a
        /// duplicate: the first occurrence stands).
        pending_key: Option<(String, Span, bool)>,
        size: usize,
    },
}

fn to_span(span: saphyr_parser::Span) -> Span {
    let start = span.start;
    let len = if span.end.line() == start.line() {
        span.end.index().saturating_sub(start.index())
    } else {
        0
    };
    Span::new(
        u32::try_from(start.line()).unwrap_or(u32::MAX),
        u32::try_from(start.col() + 1).unwrap_or(u32::MAX),
        u32::try_from(len).unwrap_or(u32::MAX),
    )
}

/// The 1-based number and the text of the last line before `line` that holds something
/// (not blank, not only a comment).
fn previous_content_line(text: &str, line: u32) -> Option<(u32, &str)> {
    let lines: Vec<&str> = text.lines().take(line.saturating_sub(1) as usize).collect();
    lines.iter().enumerate().rev().find_map(|(i, l)| {
        let t = l.trim();
        (!t.is_empty() && !t.starts_with('#')).then(|| (i as u32 + 1, *l))
    })
}

/// A scanner error in plain words, located where the mistake is. The parser notices some
/// mistakes only on the next line (a key without its `:` is found when the next key
/// starts): those are moved back to the line that has the mistake.
fn scan_error(e: &ScanError, text: &str) -> YamlError {
    let m = e.marker();
    let line = u32::try_from(m.line()).unwrap_or(u32::MAX);
    let span = Span::new(line, u32::try_from(m.col() + 1).unwrap_or(u32::MAX), 1);
    let info = e.info();
    let at_line_start = |l: u32, t: &str| {
        let indent = t.len() - t.trim_start().len();
        let len = t.trim().chars().count();
        Span::new(
            l,
            u32::try_from(indent + 1).unwrap_or(u32::MAX),
            u32::try_from(len).unwrap_or(u32::MAX),
        )
    };
    if (info.contains("simple key expect ':'") || info.contains("could not find expected ':'"))
        && let Some((l, t)) = previous_content_line(text, line)
    {
        return YamlError::new(
            at_line_start(l, t),
            format!("`{}` has no `:` after its key", t.trim()),
        )
        .hint("write `key: value` (a colon and a space after the key), or make the line a list item with `- `");
    }
    let (message, hint) = if info.contains("tab") {
        (
            "a tab character where YAML expects spaces".to_owned(),
            "YAML indentation must use spaces; replace the tab characters with spaces",
        )
    } else if info.contains("recursion limit") {
        (
            "the file nests too deeply".to_owned(),
            "milepost files need only a few levels of nesting",
        )
    } else if info.contains("mapping values are not allowed") {
        (
            "a `:` where a plain value was expected".to_owned(),
            "quote a value that contains `: ` (`title: \"Note: read this\"`), or check the indentation of this line and the one above",
        )
    } else if info.contains("did not find expected key")
        || info.contains("did not find expected '-'")
    {
        (
            "this line is not indented like the lines around it".to_owned(),
            "keys of one mapping, and items of one list, start in the same column; check the indentation here and on the line above",
        )
    } else if info.contains("expected ',' or ']'") {
        (
            "a `[...]` list is not closed, or two of its items lack a comma between them"
                .to_owned(),
            "write `[a, b, c]` on one line, or use one `- item` per line",
        )
    } else if info.contains("expected ',' or '}'") {
        (
            "a `{...}` mapping is not closed, or two of its entries lack a comma between them"
                .to_owned(),
            "write `{key: value, other: value}` on one line, or use one `key: value` per line",
        )
    } else if info.contains("illegal placement of ':'") {
        (
            "a `:` in an unexpected place".to_owned(),
            "is a `[` or `{` on a line above left unclosed? Otherwise quote the value that contains the `:`",
        )
    } else if info.contains("quoted scalar")
        || info.contains("unclosed quoted")
        || info.contains("found unexpected end of stream")
    {
        (
            "a quoted value is not closed".to_owned(),
            "close the quote on the same line (`\"like this\"`)",
        )
    } else {
        (
            format!("invalid YAML: {info}"),
            "check the YAML syntax around this position",
        )
    };
    YamlError::new(span, message).hint(hint)
}

fn check_tag(tag: Option<&Tag>, span: Span) -> Result<Option<String>, YamlError> {
    let Some(tag) = tag else { return Ok(None) };
    if tag.is_yaml_core_schema() {
        return Ok(Some(tag.suffix.clone()));
    }
    if tag.handle == "!" && tag.suffix.is_empty() {
        // The non-specific tag `!`: a plain string.
        return Ok(Some("str".to_owned()));
    }
    Err(
        YamlError::new(span, format!("custom YAML tag `{tag}` is not supported"))
            .hint("milepost files are plain data; remove the tag"),
    )
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
pub(crate) fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    // No number starts with a letter (`.inf` and `0x1F` start otherwise): most text
    // (titles, ids, names) is decided here without trying the number grammars.
    if text.as_bytes()[0].is_ascii_alphabetic() {
        return Value::Str(text.to_owned());
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    if looks_like_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return if f.is_finite() {
            Value::Float(f)
        } else {
            Value::Str(text.to_owned())
        };
    }
    Value::Str(text.to_owned())
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn looks_like_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(t, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int_part = parts.next().unwrap_or("");
    let frac_part = parts.next();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac_part {
        Some(frac) => digits(int_part) && digits(frac) && !(int_part.is_empty() && frac.is_empty()),
        None => !int_part.is_empty() && digits(int_part),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

fn scalar_value(
    text: &str,
    style: ScalarStyle,
    tag: Option<&str>,
    span: Span,
) -> Result<Value, YamlError> {
    match tag {
        None => Ok(if style == ScalarStyle::Plain {
            resolve_plain(text)
        } else {
            Value::Str(text.to_owned())
        }),
        Some("str") => Ok(Value::Str(text.to_owned())),
        Some("null") => Ok(Value::Null),
        Some("bool") => match resolve_plain(text) {
            v @ Value::Bool(_) => Ok(v),
            _ => Err(YamlError::new(span, format!("`{text}` is not a boolean"))
                .hint("write true or false")),
        },
        Some("int") => parse_int(text)
            .map(Value::Int)
            .ok_or_else(|| YamlError::new(span, format!("`{text}` is not an integer"))),
        Some("float") => match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(YamlError::new(
                span,
                format!("`{text}` is not a finite number"),
            )),
        },
        Some(other) => Err(YamlError::new(
            span,
            format!("YAML tag `!!{other}` is not supported here"),
        )
        .hint("remove the tag")),
    }
}

/// Parses one YAML document into a [`Node`] tree. Returns `Ok(None)` for a file with no
/// document at all (empty, or only comments).
///
/// # Errors
/// A [`YamlError`] for invalid YAML, a second document, duplicate keys, unsupported tags,
/// or input beyond the [`Limits`].
pub fn parse(text: &str, limits: Limits) -> Result<Option<Node>, YamlError> {
    if FAST_PATH.load(std::sync::atomic::Ordering::Relaxed)
        && might_fit(text, limits)
        && let Some(node) = fast::parse(text, limits.max_depth)
    {
        return Ok(Some(node));
    }
    parse_general(text, limits)
}

/// [`parse`], recovering from the mistakes that cost one value: a duplicate key is a
/// problem (returned beside the tree, located at the second occurrence, with the first as
/// its related place) and its value is dropped; the first occurrence stands and the rest of
/// the file is read.
///
/// # Errors
/// As [`parse`], for every other error.
pub fn parse_recovering(
    text: &str,
    limits: Limits,
) -> Result<(Option<Node>, Vec<YamlError>), YamlError> {
    if FAST_PATH.load(std::sync::atomic::Ordering::Relaxed)
        && might_fit(text, limits)
        && let Some(node) = fast::parse(text, limits.max_depth)
    {
        return Ok((Some(node), Vec::new()));
    }
    let mut problems = Vec::new();
    let root = parse_events(text, limits, true, &mut problems)?;
    Ok((root, problems))
}

/// Whether `text` can hold no more than [`Limits::max_nodes`] values: every value after the
/// first follows a line break, a `,`, a `:`, a `-` or an opening bracket, so their count bounds
/// the number of values. A file that might hold more goes to the general parser, which counts
/// exactly and refuses at the value that crosses the limit.
fn might_fit(text: &str, limits: Limits) -> bool {
    let separators = text
        .bytes()
        .filter(|b| matches!(b, b'\n' | b',' | b':' | b'-' | b'[' | b'{'))
        .count();
    separators < limits.max_nodes
}

/// Whether [`parse`] tries the line-based fast path first (on by default).
static FAST_PATH: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Turns the fast path off (or on again) for the whole process. The two paths give the same
/// trees (differential tests prove it), so this changes only speed: it exists to measure
/// what the fast path is worth (`docs/adr/0001-yaml-parser.md`; the CLI sets it from
/// `MILEPOST_YAML_FAST_PATH=0`).
pub fn set_fast_path(enabled: bool) {
    FAST_PATH.store(enabled, std::sync::atomic::Ordering::Relaxed);
}

/// [`parse`] without the fast path: the general YAML 1.2 parser for any input.
///
/// # Errors
/// As [`parse`].
pub fn parse_general(text: &str, limits: Limits) -> Result<Option<Node>, YamlError> {
    parse_events(text, limits, false, &mut Vec::new())
}

/// The general parser; with `recover`, duplicate keys go to `problems` instead of failing.
fn parse_events(
    text: &str,
    limits: Limits,
    recover: bool,
    problems: &mut Vec<YamlError>,
) -> Result<Option<Node>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut alias_nodes = 0usize;
    let mut nodes = 0usize;

    while let Some(event) = parser.next_event() {
        let (event, raw_span) = event.map_err(|e| scan_error(&e, text))?;
        let span = to_span(raw_span);
        // A completed node, with its anchor and subtree size, to attach to its parent.
        let completed: Option<(Node, usize, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::new(span, "a second YAML document starts here")
                        .hint("milepost reads one document per file; remove the `---` separator or move the content to its own file"));
                }
                None
            }
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(YamlError::new(span, "alias refers to an unknown anchor"));
                };
                alias_nodes += size;
                if alias_nodes > limits.max_alias_nodes {
                    return Err(alias_bomb(span, limits));
                }
                nodes += size;
                if nodes > limits.max_nodes {
                    return Err(too_many(span, limits));
                }
                Some((node.clone(), 0, *size))
            }
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                if nodes > limits.max_nodes {
                    return Err(too_many(span, limits));
                }
                let tag = check_tag(tag.as_deref(), span)?;
                let value = scalar_value(&text, style, tag.as_deref(), span)?;
                Some((Node { value, span }, anchor, 1))
            }
            Event::SequenceStart(anchor, tag) => {
                if let Some(t) = check_tag(tag.as_deref(), span)?
                    && t != "seq"
                {
                    return Err(YamlError::new(
                        span,
                        format!("YAML tag `!!{t}` cannot be used on a list"),
                    ));
                }
                if stack.len() >= limits.max_depth {
                    return Err(too_deep(span, limits));
                }
                nodes += 1;
                if nodes > limits.max_nodes {
                    return Err(too_many(span, limits));
                }
                stack.push(Frame::Seq {
                    span,
                    anchor,
                    items: Vec::new(),
                    size: 1,
                });
                None
            }
            Event::MappingStart(anchor, tag) => {
                if let Some(t) = check_tag(tag.as_deref(), span)?
                    && t != "map"
                {
                    return Err(YamlError::new(
                        span,
                        format!("YAML tag `!!{t}` cannot be used on a mapping"),
                    ));
                }
                if stack.len() >= limits.max_depth {
                    return Err(too_deep(span, limits));
                }
                nodes += 1;
                if nodes > limits.max_nodes {
                    return Err(too_many(span, limits));
                }
                stack.push(Frame::Map {
                    span,
                    anchor,
                    entries: Vec::new(),
                    seen: None,
                    pending_key: None,
                    size: 1,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    span,
                    anchor,
                    items,
                    size,
                }) => Some((
                    Node {
                        value: Value::Seq(items),
                        span,
                    },
                    anchor,
                    size,
                )),
                _ => return Err(YamlError::new(span, "unbalanced list")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    span,
                    anchor,
                    entries,
                    size,
                    ..
                }) => Some((
                    Node {
                        value: Value::Map(entries),
                        span,
                    },
                    anchor,
                    size,
                )),
                _ => return Err(YamlError::new(span, "unbalanced mapping")),
            },
        };
        let Some((node, anchor, size)) = completed else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, size: s, .. }) => {
                *s += size;
                items.push(node);
            }
            Some(Frame::Map {
                entries,
                seen,
                pending_key,
                size: s,
                ..
            }) => {
                *s += size;
                if let Some((key, key_span, duplicate)) = pending_key.take() {
                    if !duplicate {
                        entries.push(Entry {
                            key,
                            key_span,
                            value: node,
                        });
                    }
                } else {
                    let key = match node.value {
                        Value::Str(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Null => {
                            return Err(YamlError::new(node.span, "a mapping key is empty")
                                .hint("write a key before the `:`"));
                        }
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(YamlError::new(
                                node.span,
                                "a list or mapping cannot be used as a key",
                            )
                            .hint("keys are plain words such as `owner`"));
                        }
                    };
                    let first = match seen {
                        Some(index) => index.get(&key).map(|i| entries[*i].key_span),
                        None => entries.iter().find(|e| e.key == key).map(|e| e.key_span),
                    };
                    if let Some(first) = first {
                        let mut err = YamlError::new(
                            node.span,
                            format!(
                                "duplicate key `{key}`: this value is ignored, the first one stands"
                            ),
                        )
                        .hint("each key may appear once per mapping; remove or merge one of them");
                        err.related = Some((first, "first defined here".to_owned()));
                        if !recover {
                            return Err(err);
                        }
                        problems.push(err);
                        *pending_key = Some((key, node.span, true));
                        continue;
                    }
                    if entries.len() >= 16 {
                        let index = seen.get_or_insert_with(|| {
                            entries
                                .iter()
                                .enumerate()
                                .map(|(i, e)| (e.key.clone(), i))
                                .collect()
                        });
                        index.insert(key.clone(), entries.len());
                    }
                    *pending_key = Some((key, node.span, false));
                }
            }
        }
    }
    Ok(root)
}

fn too_deep(span: Span, limits: Limits) -> YamlError {
    YamlError::new(
        span,
        format!("nesting deeper than {} levels", limits.max_depth),
    )
    .hint("milepost files need only a few levels of nesting; this input is refused to keep memory bounded")
}

fn alias_bomb(span: Span, limits: Limits) -> YamlError {
    YamlError::new(
        span,
        format!(
            "aliases in this file expand to more than {} values",
            limits.max_alias_nodes
        ),
    )
    .hint("anchors and aliases (`&x` / `*x`) are expanded when read; this many expansions looks like an alias bomb, so the file is refused")
}

#[cfg(test)]
mod tests {
    #![expect(
        clippy::format_push_string,
        clippy::format_collect,
        reason = "tests build YAML text; clarity over allocation"
    )]

    use super::*;

    fn p(text: &str) -> Result<Option<Node>, YamlError> {
        parse(text, Limits::default())
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = p("a: 1\nb:\n  - x: yes\n    y: 2026-02-30\n")
            .unwrap()
            .unwrap();
        let y = node.pointer("/b/0/y").unwrap();
        assert_eq!(y.value, Value::Str("2026-02-30".into()));
        assert_eq!((y.span.line, y.span.column, y.span.len), (4, 8, 10));
        assert_eq!(
            node.pointer("/b/0/x").unwrap().value,
            Value::Str("yes".into())
        );
        let entry = node.pointer("/b/0").unwrap().entry("y").unwrap();
        assert_eq!((entry.key_span.line, entry.key_span.column), (4, 5));
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let node = p("[~, true, 12, -3, 0x1f, 1.5, 1e3, .inf, '12', no, 10d]")
            .unwrap()
            .unwrap();
        let Value::Seq(items) = node.value else {
            panic!()
        };
        let values: Vec<Value> = items.into_iter().map(|n| n.value).collect();
        assert_eq!(
            values,
            vec![
                Value::Null,
                Value::Bool(true),
                Value::Int(12),
                Value::Int(-3),
                Value::Int(31),
                Value::Float(1.5),
                Value::Float(1000.0),
                Value::Str(".inf".into()),
                Value::Str("12".into()),
                Value::Str("no".into()),
                Value::Str("10d".into()),
            ]
        );
    }

    #[test]
    fn a_key_without_its_colon_is_reported_on_its_own_line_in_plain_words() {
        let text = "milestones:\n  - id: M1\n    # a comment\n\n    owner ada\n    duration: 5d\n";
        let err = parse_general(text, Limits::default()).unwrap_err();
        assert_eq!(err.span.line, 5);
        assert_eq!(err.span.column, 5);
        assert_eq!(err.message, "`owner ada` has no `:` after its key");
        let text = "a: [1, 2\nb: 3\n";
        let err = parse_general(text, Limits::default()).unwrap_err();
        assert!(!err.message.contains("invalid YAML"), "{}", err.message);
        let text = "title: \"unclosed\nnext: 1\n";
        let err = parse_general(text, Limits::default()).unwrap_err();
        assert_eq!(err.message, "a quoted value is not closed");
    }

    #[test]
    fn rejects_duplicate_keys_at_the_second() {
        let err = p("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.span.line, 3);
        assert!(err.message.contains("duplicate key `a`"));
        assert_eq!(err.related.unwrap().0.line, 1);
    }

    #[test]
    fn rejects_second_document() {
        let err = p("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.span.line, 2);
    }

    #[test]
    fn rejects_custom_tags_but_honours_core_tags() {
        assert!(p("a: !python/object x\n").is_err());
        let n = p("a: !!str 12\n").unwrap().unwrap();
        assert_eq!(n.pointer("/a").unwrap().value, Value::Str("12".into()));
    }

    #[test]
    fn empty_and_comment_only_files_have_no_document() {
        assert_eq!(p("").unwrap(), None);
        assert_eq!(p("# just a comment\n").unwrap(), None);
    }

    #[test]
    fn expands_aliases_within_budget() {
        let n = p("a: &x [1, 2]\nb: *x\n").unwrap().unwrap();
        assert_eq!(n.pointer("/b/1").unwrap().value, Value::Int(2));
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            doc.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let err = p(&doc).unwrap_err();
        assert!(err.message.contains("alias"), "{err:?}");
    }

    #[test]
    fn refuses_deep_nesting_without_recursion() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = p(&deep).unwrap_err();
        assert!(
            err.message.contains("nest") || err.message.contains("recursion"),
            "{err:?}"
        );
        let deep_block: String = (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(p(&deep_block).is_err());
    }

    #[test]
    fn tabs_get_a_hint() {
        let err = p("a:\n\t- b\n").unwrap_err();
        assert!(err.hint.unwrap_or_default().contains("spaces"),);
    }
}
