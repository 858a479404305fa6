//! A fast path for the YAML that portfolio files are made of.
//!
//! Portfolio files are block mappings and lists of plain or quoted one-line scalars, with
//! the odd one-line flow list (`depends_on: [M1, M2]`) or flow mapping. This reader handles
//! exactly that subset, line by line, several times faster than the general parser, and
//! gives up (`None`) on anything else — anchors, tags, block scalars, multi-line scalars,
//! tabs, quoted keys, documents markers, nested flow collections, anything odd — so that
//! the general path ([`crate::yaml::parse`] on `saphyr-parser`) reads it and reports any
//! error. It never reports errors itself: when in doubt, it defers.
//!
//! The contract is equality: whenever it returns a tree, that tree (values *and* source
//! positions) is the one the general path builds. The tests of this module check this on the
//! bundled examples, synthetic portfolios and thousands of generated variants.

use super::{Entry, Node, Value, resolve_plain};
use crate::diagnostic::Span;

enum Frame {
    Map {
        indent: usize,
        span: Span,
        entries: Vec<Entry>,
        /// A key whose value is a nested block (or null): key, key span, colon span.
        pending: Option<(String, Span, Span)>,
        /// The keys so far, once the mapping is large enough for a linear duplicate check to
        /// matter (many keys in one mapping must stay linear).
        seen: Option<std::collections::HashSet<String>>,
    },
    Seq {
        indent: usize,
        span: Span,
        items: Vec<Node>,
    },
}

/// A line being read: its characters are ASCII-only or not (columns count characters).
struct Line<'a> {
    text: &'a str,
    number: u32,
    ascii: bool,
}

impl Line<'_> {
    /// 1-based column of a byte offset.
    fn col(&self, byte: usize) -> u32 {
        let chars = if self.ascii {
            byte
        } else {
            self.text[..byte].chars().count()
        };
        u32::try_from(chars + 1).unwrap_or(u32::MAX)
    }

    fn chars_between(&self, from: usize, to: usize) -> u32 {
        let n = if self.ascii {
            to - from
        } else {
            self.text[from..to].chars().count()
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn span(&self, from: usize, to: usize) -> Span {
        Span::new(self.number, self.col(from), self.chars_between(from, to))
    }
}

fn is_indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// Finds a plain `key:` at the start of `s` (offset `at` in the line). Returns the key's
/// end and the offset just after the colon.
fn plain_key(line: &Line<'_>, at: usize) -> Option<(usize, usize)> {
    let bytes = line.text.as_bytes();
    let first = *bytes.get(at)?;
    if is_indicator(first) || first == b' ' {
        return None;
    }
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' => {
                if bytes[i - 1] == b' ' {
                    return None; // `key :` — let the general parser decide
                }
                return Some((i, i + 1));
            }
            b'#' if bytes[i - 1] == b' ' => return None,
            b'"' | b'\'' | b'[' | b']' | b'{' | b'}' | b',' => return None,
            _ => i += 1,
        }
    }
    None
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    i
}

/// The rest of the line after `i` is blank or a comment.
fn rest_is_blank(bytes: &[u8], i: usize) -> bool {
    let j = skip_spaces(bytes, i);
    j == bytes.len() || (bytes[j] == b'#' && j > i)
}

fn double_quoted(line: &Line<'_>, at: usize) -> Option<(String, usize)> {
    let bytes = line.text.as_bytes();
    let mut out = String::new();
    let mut i = at + 1;
    let mut run = i;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                out.push_str(&line.text[run..i]);
                return Some((out, i + 1));
            }
            b'\\' => {
                out.push_str(&line.text[run..i]);
                let c = match bytes.get(i + 1)? {
                    b'\\' => '\\',
                    b'"' => '"',
                    b'/' => '/',
                    b'n' => '\n',
                    b't' => '\t',
                    b'r' => '\r',
                    _ => return None,
                };
                out.push(c);
                i += 2;
                run = i;
            }
            _ => i += 1,
        }
    }
    None
}

fn single_quoted(line: &Line<'_>, at: usize) -> Option<(String, usize)> {
    let bytes = line.text.as_bytes();
    let mut out = String::new();
    let mut i = at + 1;
    let mut run = i;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                out.push_str(&line.text[run..=i]);
                i += 2;
                run = i;
                continue;
            }
            out.push_str(&line.text[run..i]);
            return Some((out, i + 1));
        }
        i += 1;
    }
    None
}

/// A plain scalar in block context from `at` to the end of the line (before a comment).
fn block_plain(line: &Line<'_>, at: usize) -> Option<Node> {
    let bytes = line.text.as_bytes();
    let mut end = bytes.len();
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'#' if bytes[i - 1] == b' ' => {
                end = i;
                break;
            }
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' => return None,
            _ => i += 1,
        }
    }
    while end > at && bytes[end - 1] == b' ' {
        end -= 1;
    }
    let text = &line.text[at..end];
    Some(Node {
        value: resolve_plain(text),
        span: line.span(at, end),
    })
}

/// One scalar item of a flow collection: returns the node and the offset after it
/// (at the `,` or closing bracket, spaces skipped).
fn flow_scalar(line: &Line<'_>, at: usize, close: u8) -> Option<(Node, usize)> {
    let bytes = line.text.as_bytes();
    match *bytes.get(at)? {
        b'"' | b'\'' => {
            let (text, after) = if bytes[at] == b'"' {
                double_quoted(line, at)?
            } else {
                single_quoted(line, at)?
            };
            let next = skip_spaces(bytes, after);
            Some((
                Node {
                    value: Value::Str(text),
                    span: line.span(at, next),
                },
                next,
            ))
        }
        b if is_indicator(b) => None,
        _ => {
            let mut i = at;
            while i < bytes.len() && bytes[i] != b',' && bytes[i] != close {
                match bytes[i] {
                    b'[' | b']' | b'{' | b'}' | b'#' | b'"' | b'\'' => return None,
                    b':' if bytes
                        .get(i + 1)
                        .is_none_or(|c| *c == b' ' || *c == b',' || *c == close) =>
                    {
                        return None;
                    }
                    _ => i += 1,
                }
            }
            let mut end = i;
            while end > at && bytes[end - 1] == b' ' {
                end -= 1;
            }
            if end == at {
                return None;
            }
            Some((
                Node {
                    value: resolve_plain(&line.text[at..end]),
                    span: line.span(at, end),
                },
                i,
            ))
        }
    }
}

/// A one-line flow list `[a, b]` or mapping `{a: 1}` of scalars starting at `at`.
fn flow(line: &Line<'_>, at: usize) -> Option<Node> {
    let bytes = line.text.as_bytes();
    let open = bytes[at];
    let close = if open == b'[' { b']' } else { b'}' };
    let mut i = skip_spaces(bytes, at + 1);
    let span = line.span(at, i);
    let mut items = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    if bytes.get(i) == Some(&close) {
        i += 1;
    } else {
        loop {
            if open == b'[' {
                let (node, next) = flow_scalar(line, i, close)?;
                items.push(node);
                i = next;
            } else {
                let key_at = i;
                let first = *bytes.get(i)?;
                if is_indicator(first) {
                    return None;
                }
                while i < bytes.len() && bytes[i] != b':' {
                    if matches!(
                        bytes[i],
                        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'"' | b'\''
                    ) {
                        return None;
                    }
                    i += 1;
                }
                if bytes.get(i + 1) != Some(&b' ') || bytes[i - 1] == b' ' {
                    return None;
                }
                let key = line.text[key_at..i].to_owned();
                if entries.iter().any(|e| e.key == key) {
                    return None;
                }
                let key_span = line.span(key_at, i);
                let value_at = skip_spaces(bytes, i + 1);
                let (value, next) = flow_scalar(line, value_at, close)?;
                entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
                i = next;
            }
            match bytes.get(i) {
                Some(b',') => {
                    i = skip_spaces(bytes, i + 1);
                    if bytes.get(i) == Some(&close) {
                        return None; // trailing comma
                    }
                }
                Some(c) if *c == close => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    if !rest_is_blank(bytes, i) {
        return None;
    }
    let value = if open == b'[' {
        Value::Seq(items)
    } else {
        Value::Map(entries)
    };
    Some(Node { value, span })
}

/// A value in block context starting at `at`: `None` to defer to the general parser.
fn block_value(line: &Line<'_>, at: usize) -> Option<Node> {
    let bytes = line.text.as_bytes();
    match bytes[at] {
        b'"' | b'\'' => {
            let (text, after) = if bytes[at] == b'"' {
                double_quoted(line, at)?
            } else {
                single_quoted(line, at)?
            };
            if !rest_is_blank(bytes, after) {
                return None;
            }
            Some(Node {
                value: Value::Str(text),
                span: line.span(at, bytes.len()),
            })
        }
        b'[' | b'{' => flow(line, at),
        b'-' if bytes.get(at + 1).is_none_or(|c| *c == b' ') => None,
        b'?' | b':' if bytes.get(at + 1).is_none_or(|c| *c == b' ') => None,
        b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b',' | b']' | b'}' => None,
        _ => block_plain(line, at),
    }
}

fn attach(stack: &mut [Frame], node: Node) -> Option<()> {
    match stack.last_mut()? {
        Frame::Map {
            entries, pending, ..
        } => {
            let (key, key_span, _) = pending.take()?;
            entries.push(Entry {
                key,
                key_span,
                value: node,
            });
        }
        Frame::Seq { items, .. } => items.push(node),
    }
    Some(())
}

/// Closes the top frame and attaches it to its parent; returns the closed node when it was
/// the root. The outer `None` means "defer to the general parser".
#[expect(
    clippy::option_option,
    reason = "None = not this fast path, Some(None) = an empty value"
)]
fn close_top(stack: &mut Vec<Frame>) -> Option<Option<Node>> {
    let node = match stack.pop()? {
        Frame::Map {
            span,
            mut entries,
            pending,
            ..
        } => {
            if let Some((key, key_span, colon)) = pending {
                entries.push(Entry {
                    key,
                    key_span,
                    value: Node {
                        value: Value::Null,
                        span: colon,
                    },
                });
            }
            Node {
                value: Value::Map(entries),
                span,
            }
        }
        Frame::Seq { span, items, .. } => Node {
            value: Value::Seq(items),
            span,
        },
    };
    if stack.is_empty() {
        return Some(Some(node));
    }
    attach(stack, node)?;
    Some(None)
}

/// Adds `key: value` (or a pending `key:`) to the map frame on top of the stack.
fn key_entry(stack: &mut [Frame], line: &Line<'_>, at: usize) -> Option<()> {
    let (key_end, after_colon) = plain_key(line, at)?;
    let key = line.text[at..key_end].to_owned();
    let key_span = line.span(at, key_end);
    let Some(Frame::Map {
        entries,
        pending,
        seen,
        ..
    }) = stack.last_mut()
    else {
        return None;
    };
    if let Some((k, ks, colon)) = pending.take() {
        // `a:` followed by a sibling key: `a` is null.
        entries.push(Entry {
            key: k,
            key_span: ks,
            value: Node {
                value: Value::Null,
                span: colon,
            },
        });
    }
    let duplicate = match seen {
        Some(keys) => keys.contains(&key),
        None => entries.iter().any(|e| e.key == key),
    };
    if duplicate {
        return None; // duplicate: the general path reports it
    }
    if entries.len() >= 16 {
        seen.get_or_insert_with(|| entries.iter().map(|e| e.key.clone()).collect())
            .insert(key.clone());
    }
    let bytes = line.text.as_bytes();
    let value_at = skip_spaces(bytes, after_colon);
    if value_at == bytes.len() || bytes[value_at] == b'#' {
        let colon = Span::new(line.number, line.col(key_end), 0);
        *pending = Some((key, key_span, colon));
    } else {
        let value = block_value(line, value_at)?;
        entries.push(Entry {
            key,
            key_span,
            value,
        });
    }
    Some(())
}

/// Reads `text` if it stays within the subset; `None` means "use the general parser".
pub fn parse(text: &str, max_depth: usize) -> Option<Node> {
    // Tabs and carriage returns anywhere: leave the whole file to the general parser.
    if text.bytes().any(|b| b == b'\t' || b == b'\r') {
        return None;
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let number = u32::try_from(index + 1).ok()?;
        let bytes = raw.as_bytes();
        let indent = skip_spaces(bytes, 0);
        if indent == bytes.len() || bytes[indent] == b'#' {
            continue;
        }
        if root.is_some() {
            return None; // content after the root closed: odd indentation
        }
        if indent == 0 && (raw.starts_with("---") || raw.starts_with("...") || raw.starts_with('%'))
        {
            return None;
        }
        let line = Line {
            text: raw,
            number,
            ascii: raw.is_ascii(),
        };
        let is_item = bytes[indent] == b'-' && bytes.get(indent + 1).is_none_or(|c| *c == b' ');
        // Close what this line's indentation ends.
        loop {
            match stack.last() {
                None => break,
                Some(Frame::Map {
                    indent: mi,
                    pending,
                    ..
                }) => {
                    let (mi, has_pending) = (*mi, pending.is_some());
                    if indent > mi {
                        if has_pending {
                            break;
                        }
                        return None;
                    }
                    if indent == mi {
                        if is_item && !has_pending {
                            return None;
                        }
                        break;
                    }
                }
                Some(Frame::Seq { indent: si, .. }) => {
                    let si = *si;
                    if is_item && indent == si {
                        break;
                    }
                    if indent > si {
                        return None;
                    }
                }
            }
            if let Some(node) = close_top(&mut stack)? {
                root = Some(node);
            }
        }
        if root.is_some() {
            return None;
        }
        if stack.len() >= max_depth {
            return None;
        }
        if is_item {
            let content = skip_spaces(bytes, indent + 1);
            if content == bytes.len() || content == indent + 1 || bytes[content] == b'#' {
                return None; // `-` alone: nested block on the next lines
            }
            let need_seq = match stack.last() {
                Some(Frame::Seq { indent: si, .. }) => *si != indent,
                _ => true,
            };
            if need_seq {
                // An indentless list (`key:` then `- x` at the key's column) starts at its
                // first item's content; an indented one at its dash.
                let indentless =
                    matches!(stack.last(), Some(Frame::Map { indent: mi, .. }) if *mi == indent);
                let start = if indentless { content } else { indent };
                stack.push(Frame::Seq {
                    indent,
                    span: Span::new(number, line.col(start), 0),
                    items: Vec::new(),
                });
            }
            if plain_key(&line, content).is_some() {
                stack.push(Frame::Map {
                    indent: content,
                    span: Span::new(number, line.col(content), 0),
                    entries: Vec::new(),
                    pending: None,
                    seen: None,
                });
                key_entry(&mut stack, &line, content)?;
            } else {
                let node = block_value(&line, content)?;
                attach(&mut stack, node)?;
            }
        } else {
            let new_map = match stack.last() {
                Some(Frame::Map { indent: mi, .. }) => *mi != indent,
                _ => true,
            };
            if new_map {
                if matches!(stack.last(), Some(Frame::Seq { .. })) {
                    return None;
                }
                stack.push(Frame::Map {
                    indent,
                    span: Span::new(number, line.col(indent), 0),
                    entries: Vec::new(),
                    pending: None,
                    seen: None,
                });
            }
            key_entry(&mut stack, &line, indent)?;
        }
    }
    while !stack.is_empty() {
        if let Some(node) = close_top(&mut stack)? {
            root = Some(node);
        }
    }
    root
}

#[cfg(test)]
mod tests {
    //! Differential tests: the fast path must build exactly the general parser's tree, or
    //! defer. The general parser (saphyr-parser) is the oracle.

    use super::parse;
    use crate::yaml::{Limits, parse_general};

    fn corpus() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut files = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    files.push((
                        path.display().to_string(),
                        std::fs::read_to_string(&path).unwrap(),
                    ));
                }
            }
        }
        files.extend(milepost_synth::generate(
            &milepost_synth::Options::with_programs(12),
        ));
        files
    }

    /// Fast and general agree; returns whether the fast path took it.
    fn agree(name: &str, text: &str) -> bool {
        let general = parse_general(text, Limits::default());
        match parse(text, Limits::default().max_depth) {
            None => false,
            Some(fast) => {
                match general {
                    Ok(Some(tree)) => {
                        assert_eq!(fast, tree, "fast path differs on {name}:\n{text}");
                    }
                    other => panic!(
                        "fast path accepted what the general parser gives {other:?} on {name}:\n{text}"
                    ),
                }
                true
            }
        }
    }

    #[test]
    fn agrees_with_the_general_parser_on_real_files() {
        let files = corpus();
        let fast = files
            .iter()
            .filter(|(name, text)| agree(name, text))
            .count();
        // Most real files take the fast path; the rest defer (folded `>-` summaries, for
        // example). Every synthetic file does.
        assert!(
            fast * 10 >= files.len() * 8,
            "only {fast} of {} files took the fast path",
            files.len()
        );
        for (name, text) in milepost_synth::generate(&milepost_synth::Options::with_programs(3)) {
            assert!(parse(&text, 64).is_some(), "{name} deferred");
        }
    }

    #[test]
    fn agrees_or_defers_on_mutated_files() {
        let mutations: [&dyn Fn(&str) -> String; 14] = [
            &|l| format!("{l}   "),
            &|l| format!("{l} # note"),
            &|l| format!(" {l}"),
            &|l| l.strip_prefix(' ').unwrap_or(l).to_owned(),
            &|l| l.replacen(": ", ": \"", 1) + "\"",
            &|l| l.replacen(": ", ": '", 1) + "'",
            &|l| l.replacen(": ", ":  ", 1),
            &|l| l.replacen(": ", ": a: ", 1),
            &|l| l.replacen(": ", " : ", 1),
            &|l| l.replacen("- ", "-   ", 1),
            &|l| l.replacen(", ", ",", 1),
            &|l| l.replacen('[', "[ ", 1),
            &|l| format!("{l}\n{l}"),
            &|l| l.chars().rev().collect(),
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let files = corpus();
        let mut checked = 0;
        let mut took_fast = 0;
        for (name, text) in files.iter().take(40) {
            let lines: Vec<&str> = text.lines().collect();
            for _ in 0..60 {
                let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
                for _ in 0..=(next() % 3) {
                    let i = (next() as usize) % out.len().max(1);
                    let m = mutations[(next() as usize) % mutations.len()];
                    if let Some(line) = out.get_mut(i) {
                        *line = m(line);
                    }
                }
                let mutated = out.join("\n") + "\n";
                checked += 1;
                took_fast += usize::from(agree(name, &mutated));
            }
        }
        assert!(
            checked > 1000 && took_fast > 100,
            "{checked} checked, {took_fast} fast"
        );
    }

    #[test]
    fn defers_on_what_it_does_not_read() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: b\n  c\n",
            "\"q\": 1\n",
            "a:\n\t- b\n",
            "--- \na: 1\n",
            "a: [b, [c]]\n",
            "a: {b: {c: 1}}\n",
            "- - a\n",
            "a: 1\na: 2\n",
            "just words\n",
            "a: \"\\u0041\"\n",
        ] {
            assert!(parse(text, 64).is_none(), "fast path took {text:?}");
        }
    }

    /// A generator of block YAML in the shapes portfolio files take — nested mappings and
    /// sequences, flow lists, every kind of scalar (plain words with spaces and punctuation,
    /// dates, numbers, booleans, nulls, quoted strings with escapes, `#` inside and after
    /// values, `: ` inside values), comments, blank lines, empty values — and the
    /// near-misses that must make the fast path defer (tabs, anchors, tags, block scalars,
    /// odd indentation). Whatever it writes, the fast path builds the general parser's tree
    /// or defers.
    mod generated {
        use proptest::prelude::*;

        use super::agree;

        fn scalar() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z][a-z0-9 _.-]{0,12}",
                Just("2026-11-23".to_owned()),
                Just("2026-02-30".to_owned()),
                Just("10d".to_owned()),
                Just("-3".to_owned()),
                Just("0x1F".to_owned()),
                Just("1e3".to_owned()),
                Just(".5".to_owned()),
                Just("true".to_owned()),
                Just("No".to_owned()),
                Just("~".to_owned()),
                Just("null".to_owned()),
                Just("''".to_owned()),
                Just("'it''s'".to_owned()),
                Just("\"a \\\"quoted\\\" value\"".to_owned()),
                Just("\"tab\\tand\\u00e9\"".to_owned()),
                Just("a: b".to_owned()),
                Just("a #b".to_owned()),
                Just("x # trailing comment".to_owned()),
                Just("[a, b, 'c d']".to_owned()),
                Just("[]".to_owned()),
                Just("{}".to_owned()),
                Just("{id: M1, title: x}".to_owned()),
                Just("&anchor v".to_owned()),
                Just("*anchor".to_owned()),
                Just("!!str 5".to_owned()),
                Just("|".to_owned()),
                Just(">-".to_owned()),
                Just("@at".to_owned()),
                Just("`tick`".to_owned()),
                Just("%pct".to_owned()),
                Just("- dash".to_owned()),
                Just("ünïcødé ✓".to_owned()),
            ]
        }

        fn key() -> impl Strategy<Value = String> {
            prop_oneof![
                8 => "[a-z][a-z_]{0,8}",
                1 => Just("\"quoted key\"".to_owned()),
                1 => Just("2026".to_owned()),
            ]
        }

        /// One node at `indent`, as lines (without the parent's key or dash).
        fn block(depth: u32) -> BoxedStrategy<Vec<String>> {
            let leaf = scalar().prop_map(|s| vec![s]).boxed();
            if depth == 0 {
                return leaf;
            }
            let map = prop::collection::vec((key(), block(depth - 1)), 1..4)
                .prop_map(|entries| {
                    let mut out = vec![String::new()];
                    for (k, v) in entries {
                        nest(&mut out, &format!("{k}:"), &v, "  ");
                    }
                    out
                })
                .boxed();
            let seq = prop::collection::vec(block(depth - 1), 1..4)
                .prop_map(|items| {
                    let mut out = vec![String::new()];
                    for v in items {
                        nest(&mut out, "-", &v, "  ");
                    }
                    out
                })
                .boxed();
            prop_oneof![2 => leaf, 2 => map, 1 => seq].boxed()
        }

        /// Writes `head value` (a scalar on the same line) or `head` and the nested lines.
        fn nest(out: &mut Vec<String>, head: &str, value: &[String], pad: &str) {
            if value.len() == 1 {
                out.push(format!("{head} {}", value[0]));
            } else {
                out.push(head.to_owned());
                for line in value.iter().skip(1) {
                    out.push(format!("{pad}{line}"));
                }
            }
        }

        fn document() -> impl Strategy<Value = String> {
            (
                prop::collection::vec((key(), block(3)), 1..5),
                prop::collection::vec(
                    prop_oneof![
                        Just(""),
                        Just("# a comment"),
                        Just("  # indented comment"),
                        Just("\t"),
                        Just("   "),
                    ],
                    0..3,
                ),
                any::<prop::sample::Index>(),
            )
                .prop_map(|(entries, extras, at)| {
                    let mut lines = Vec::new();
                    for (k, v) in entries {
                        let mut out = Vec::new();
                        nest(&mut out, &format!("{k}:"), &v, "  ");
                        lines.extend(out);
                    }
                    for extra in extras {
                        let i = at.index(lines.len() + 1);
                        lines.insert(i, extra.to_owned());
                    }
                    lines.join("\n") + "\n"
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

            #[test]
            fn fast_path_builds_the_general_tree_or_defers(text in document()) {
                agree("generated", &text);
            }
        }
    }
}
