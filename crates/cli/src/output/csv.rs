//! CSV shared by every command that writes it (`plan`, `audit`): RFC 4180 quoting by the
//! `csv` crate, and cells of text that came from the portfolio or from git made inert for
//! spreadsheets.
//!
//! A commit author, a title or an owner's name is attacker-controlled text in an evidence
//! file an auditor opens in a spreadsheet. As OWASP recommends against CSV injection, a text
//! cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`,
//! so that it is shown as text instead of being evaluated as a formula. Control characters
//! in text are shown escaped (a quoted line break would still start a new line in a log).
//! Numbers and dates milepost computes are written as they are.

use std::borrow::Cow;
use std::io::Write;

/// A CSV writer over `out`.
pub fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().from_writer(out)
}

/// A cell of text from the portfolio or git, made safe to open in a spreadsheet.
pub fn text(cell: &str) -> Cow<'_, str> {
    let cell = super::printable(cell);
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        cell
    }
}

/// The `csv` crate's errors as I/O errors (they wrap one, or are a bug).
pub fn io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            text("=HYPERLINK(\"http://evil\")"),
            "'=HYPERLINK(\"http://evil\")"
        );
        assert_eq!(text("+1"), "'+1");
        assert_eq!(text("-2+3"), "'-2+3");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(text("a\n::error::x"), "a\\n::error::x");
    }
}
