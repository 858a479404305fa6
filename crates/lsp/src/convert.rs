//! Between milepost's places (a path relative to the portfolio, a 1-based line and a
//! column counted in characters) and the protocol's (a file URI, 0-based lines and columns
//! counted in UTF-16 code units).

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Url};
use milepost_load::Span;

/// The URI of `relative` (a portfolio path with `/` separators) under `root`.
pub fn url(root: &Path, relative: &str) -> Option<Url> {
    let path: PathBuf = relative
        .split('/')
        .fold(root.to_path_buf(), |dir, part| dir.join(part));
    Url::from_file_path(path).ok()
}

/// The portfolio path (relative, `/` separators) of a URI under `root`, when it is inside.
pub fn relative(root: &Path, url: &Url) -> Option<String> {
    let path = url.to_file_path().ok()?;
    let rest = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The text of line `line` (0-based) of `text`, without its line break.
pub fn line_of(text: &str, line: u32) -> &str {
    text.split('\n')
        .nth(line as usize)
        .map_or("", |l| l.strip_suffix('\r').unwrap_or(l))
}

/// UTF-16 code units in the first `chars` characters of `line`.
fn utf16_of(line: &str, chars: u32) -> u32 {
    line.chars()
        .take(chars as usize)
        .map(|c| c.len_utf16() as u32)
        .sum()
}

/// Characters in the first `units` UTF-16 code units of `line`.
pub fn chars_of(line: &str, units: u32) -> u32 {
    let mut used = 0;
    let mut chars = 0;
    for c in line.chars() {
        if used >= units {
            break;
        }
        used += c.len_utf16() as u32;
        chars += 1;
    }
    chars
}

/// The protocol range of a milepost span in `text`.
pub fn range(text: &str, span: Span) -> Range {
    let line = span.line.saturating_sub(1);
    let content = line_of(text, line);
    let start = span.column.saturating_sub(1);
    Range {
        start: Position {
            line,
            character: utf16_of(content, start),
        },
        end: Position {
            line,
            character: utf16_of(content, start + span.len),
        },
    }
}

/// Whether the protocol position `pos` falls in `span` (both ends included).
pub fn contains(text: &str, span: Span, pos: Position) -> bool {
    let r = range(text, span);
    r.start.line == pos.line
        && r.start.character <= pos.character
        && pos.character <= r.end.character
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let text = "a: 1\ntitle: Zürich 🚀 launch\n";
        // `launch` starts after 16 characters (1-based column 17); the rocket before it is
        // two UTF-16 units, so it starts at unit 17.
        let r = range(text, Span::new(2, 17, 6));
        assert_eq!(
            (r.start.line, r.start.character, r.end.character),
            (1, 17, 23)
        );
        assert_eq!(chars_of(line_of(text, 1), 17), 16);
        assert!(contains(text, Span::new(2, 17, 6), Position::new(1, 20)));
    }

    #[test]
    fn paths_round_trip() {
        let root = std::env::temp_dir().join("portfolio");
        let u = url(&root, "programs/a/milestones.yaml").unwrap();
        assert_eq!(
            relative(&root, &u).as_deref(),
            Some("programs/a/milestones.yaml")
        );
        let outside = Url::from_file_path(std::env::temp_dir().join("elsewhere.yaml")).unwrap();
        assert_eq!(relative(&root, &outside), None);
    }
}
