//! Turning bytes into text, with located refusals for what is not UTF-8 YAML.

use crate::diagnostic::Span;

/// Why bytes are not UTF-8 text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

#[expect(clippy::naive_bytecount, reason = "runs once, on an error path")]
fn position(bytes: &[u8], offset: usize) -> Span {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Span::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
        1,
    )
}

/// Decodes UTF-8 (with or without BOM). Refuses UTF-16/32, binary content (NUL bytes)
/// and invalid UTF-8, each at the position of the first offending byte.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || (bytes.len() >= 4
            && ((bytes[0] == 0 && bytes[1] != 0) || (bytes[0] != 0 && bytes[1] == 0))
            && (bytes[2] == 0) != (bytes[3] == 0));
    if utf16 {
        return Err(DecodeError {
            span: Span::start_of_file(),
            message: "the file is UTF-16 encoded".to_owned(),
            hint: "save the file as UTF-8 (in most editors: File → Save with Encoding → UTF-8)"
                .to_owned(),
        });
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        return Err(DecodeError {
            span: position(bytes, nul),
            message: "the file contains binary data (a NUL byte), not YAML text".to_owned(),
            hint: "replace it with a UTF-8 YAML file".to_owned(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(DecodeError {
            span: position(bytes, e.valid_up_to()),
            message: "the file is not valid UTF-8".to_owned(),
            hint: "save the file as UTF-8; the first invalid byte is at this position".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_invalid_utf8() {
        let err = decode(b"a: 1\nb: caf\xe9\n").unwrap_err();
        assert_eq!((err.span.line, err.span.column), (2, 7));
    }

    #[test]
    fn refuses_utf16_and_binary_accepts_bom() {
        assert!(
            decode(&[0xFF, 0xFE, b'a', 0])
                .unwrap_err()
                .message
                .contains("UTF-16")
        );
        assert!(decode(b"a\0b").unwrap_err().message.contains("binary"));
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1").unwrap(), "a: 1");
    }
}
