//! Plans into milepost: Jira CSV, MS Project XML (MSPDI) and a simple CSV.
//!
//! Each reader turns its source into an [`Imported`] plan: milestones with the fields an
//! import owns (`title`, `owner`, `kind`, `duration`, `depends_on`, `target`, `status`,
//! `started`, `completed`), what it knows of the program and calendar, and every problem at
//! its line and column. [`merge`] then writes it into a program folder, three ways: what the
//! source changed since the last import is updated, what the TPM changed or added by hand is
//! kept.

pub mod csv;
pub mod jira;
pub mod merge;
pub mod mspdi;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use milepost_load::Portfolio;
use serde_json::Value;

use crate::SourceProblem;

/// The import formats (`milepost import --from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Jira's CSV export.
    JiraCsv,
    /// MS Project XML.
    Mspdi,
    /// The simple documented CSV.
    Csv,
}

impl Format {
    /// The name used on the command line and in the import record.
    pub fn name(self) -> &'static str {
        match self {
            Format::JiraCsv => "jira-csv",
            Format::Mspdi => "mspdi",
            Format::Csv => "csv",
        }
    }
}

/// The fields an import owns, in the order they are written.
pub const OWNED_FIELDS: &[&str] = &[
    "title",
    "owner",
    "kind",
    "duration",
    "depends_on",
    "target",
    "status",
    "started",
    "completed",
];

/// One imported milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedMilestone {
    /// Its id in the program (the join key of a re-import).
    pub id: String,
    /// Where it is in the source (line).
    pub line: u32,
    /// Owned fields present in the source, canonical values (`duration` as `"5d"`, dates as
    /// `YYYY-MM-DD`, `depends_on` as a list of ids).
    pub fields: BTreeMap<&'static str, Value>,
}

/// What the source says about the program itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgramInfo {
    /// A name for a new program.
    pub name: Option<String>,
    /// The owner (a person id).
    pub owner: Option<String>,
    /// When work starts.
    pub start: Option<NaiveDate>,
    /// The committed finish.
    pub target: Option<NaiveDate>,
}

/// A source read into milepost's terms.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Milestones in source order.
    pub milestones: Vec<ImportedMilestone>,
    /// The program.
    pub program: ProgramInfo,
    /// Non-working days of the source's calendar.
    pub holidays: Vec<NaiveDate>,
    /// The source's work week (Monday first), when it has one.
    pub workdays: Option<[bool; 7]>,
    /// Everything that could not be mapped as it stands.
    pub problems: Vec<SourceProblem>,
    /// The owned fields this source can say anything about (its format and columns): a
    /// field it cannot express is never removed from a milestone because the source lacks it.
    pub carried: std::collections::BTreeSet<&'static str>,
    /// People named in the source but not found in people.yaml or the mapping: name → the
    /// first place they appear.
    pub unknown_people: BTreeMap<String, (u32, u32)>,
}

impl Imported {
    /// Settles what milepost cannot say as the source says it: an event (no duration) is
    /// never "in progress" — it happens at an instant — so an in-progress event (a Jira epic
    /// whose stories are under way, a Project milestone at 50 %) is imported as planned; its
    /// dependencies carry the progress.
    pub fn settle(&mut self) {
        for m in &mut self.milestones {
            let event = m
                .fields
                .get("duration")
                .and_then(Value::as_str)
                .is_none_or(|d| d == "0d");
            if event && m.fields.get("status").and_then(Value::as_str) == Some("in_progress") {
                m.fields.remove("status");
                m.fields.remove("started");
            }
        }
    }

    /// Whether any problem is an error (then nothing is written).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.level == crate::Level::Error)
    }
}

/// Whether a text is a valid milepost id (`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`): the model's
/// id rule, as the loader checks it.
pub use milepost_load::is_valid_program_id as valid_id;

/// Maps names in a source to people.yaml ids: an explicit mapping first, then an id, an
/// e-mail address or a full name (case-insensitive) from people.yaml, or a team id or name.
#[derive(Debug, Clone, Default)]
pub struct People {
    mapping: BTreeMap<String, String>,
    known: BTreeMap<String, String>,
}

impl People {
    /// The resolver for a portfolio and a mapping (source name → person id).
    pub fn new(portfolio: Option<&Portfolio>, mapping: BTreeMap<String, String>) -> People {
        let mut known = BTreeMap::new();
        if let Some(p) = portfolio {
            for person in &p.people {
                let id = person.id.as_str().to_owned();
                known.insert(id.to_lowercase(), id.clone());
                known.insert(person.name.to_lowercase(), id.clone());
                if let Some(email) = &person.email {
                    known.insert(email.to_lowercase(), id.clone());
                }
            }
            for team in &p.teams {
                let id = team.id.as_str().to_owned();
                known.insert(id.to_lowercase(), id.clone());
                known.insert(team.name.to_lowercase(), id);
            }
        }
        People { mapping, known }
    }

    /// The person id for a name in the source, if known.
    pub fn resolve(&self, name: &str) -> Option<String> {
        let name = name.trim();
        if let Some(id) = self.mapping.get(name) {
            return Some(id.clone());
        }
        self.known.get(&name.to_lowercase()).cloned()
    }
}

/// Parses a date in the forms sources write: ISO (`2026-12-04`, with a time or not), Jira's
/// default `04/Dec/26 10:15 AM` (with or without the time), or a custom `strftime` format.
pub fn parse_date(text: &str, custom: Option<&str>) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(format) = custom {
        if let Ok(d) = NaiveDate::parse_from_str(text, format) {
            return Some(d);
        }
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Some(dt.date());
        }
        return None;
    }
    if let Some(day) = text.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        && (text.len() == 10 || matches!(text.as_bytes()[10], b' ' | b'T'))
    {
        return Some(d);
    }
    // Jira: 04/Dec/26 10:15 AM, 04/Dec/26.
    let day_part = text.split_whitespace().next().unwrap_or("");
    for format in ["%d/%b/%y", "%d/%b/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(day_part, format) {
            return Some(d);
        }
    }
    None
}

/// A duration in work days as milepost writes it.
pub fn days(n: u32) -> Value {
    Value::String(format!("{n}d"))
}

/// Where each field of a CSV record starts (line, column in characters), given the text and
/// the byte offset where the record starts. Quoted fields may span lines.
pub(crate) fn field_places(text: &str, start: usize, line: u32) -> Vec<(u32, u32)> {
    let mut places = Vec::new();
    let mut line = line;
    let mut column = 1u32;
    let mut chars = text.get(start..).unwrap_or("").chars().peekable();
    let mut at_field_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if at_field_start {
            places.push((line, column));
            at_field_start = false;
            if c == '"' {
                quoted = true;
                column += 1;
                continue;
            }
        }
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    column += 2;
                    continue;
                }
                quoted = false;
            } else if c == '\n' {
                line += 1;
                column = 1;
                continue;
            }
            column += 1;
            continue;
        }
        match c {
            ',' => {
                at_field_start = true;
                column += 1;
            }
            '\n' => return places,
            '\r' => {}
            _ => column += 1,
        }
    }
    if at_field_start {
        places.push((line, column));
    }
    places
}

/// A CSV file read into rows with the place of every field.
pub(crate) struct Table {
    pub header: Vec<String>,
    pub header_places: Vec<(u32, u32)>,
    pub rows: Vec<Row>,
}

/// One CSV record.
pub(crate) struct Row {
    pub line: u32,
    pub fields: Vec<String>,
    pub places: Vec<(u32, u32)>,
}

impl Row {
    /// The place of field `i` (or of the row start).
    pub fn place(&self, i: usize) -> (u32, u32) {
        self.places.get(i).copied().unwrap_or((self.line, 1))
    }
}

/// Reads a CSV text (a UTF-8 byte-order mark is skipped), or a problem at its place.
pub(crate) fn read_table(text: &str) -> Result<Table, SourceProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => records.push(r),
            Err(e) => {
                let (line, column) = e.position().map_or((1, 1), |p| (p.line() as u32, 1));
                return Err(SourceProblem::error(
                    line,
                    column,
                    format!("this is not CSV: {e}"),
                    Some("save the sheet as CSV (UTF-8, comma-separated)".to_owned()),
                ));
            }
        }
    }
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Err(SourceProblem::error(
            1,
            1,
            "the file is empty",
            Some("the first row names the columns".to_owned()),
        ));
    };
    let place_of = |r: &::csv::StringRecord| {
        let pos = r.position();
        let (byte, line) = pos.map_or((0, 1), |p| (p.byte() as usize, p.line() as u32));
        field_places(text, byte, line)
    };
    let header_places = place_of(&header);
    let rows = records
        .filter(|r| r.iter().any(|f| !f.trim().is_empty()))
        .map(|r| Row {
            line: r.position().map_or(1, |p| p.line() as u32),
            places: place_of(&r),
            fields: r.iter().map(str::to_owned).collect(),
        })
        .collect();
    Ok(Table {
        header: header.iter().map(|h| h.trim().to_owned()).collect(),
        header_places,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_places_follow_quotes_and_line_breaks() {
        let text = "a,b\n\"x,\"\"y\"\"\nz\",w\n";
        let places = field_places(text, 4, 2);
        assert_eq!(places, vec![(2, 1), (3, 4)]);
        assert_eq!(field_places("a,,c", 0, 1), vec![(1, 1), (1, 3), (1, 4)]);
    }

    #[test]
    fn dates_in_jira_and_iso_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(parse_date("2026-12-04", None), Some(d));
        assert_eq!(parse_date("2026-12-04 10:15", None), Some(d));
        assert_eq!(parse_date("2026-12-04T10:15:00.000+0000", None), Some(d));
        assert_eq!(parse_date("04/Dec/26 10:15 AM", None), Some(d));
        assert_eq!(parse_date("04/Dec/26", None), Some(d));
        assert_eq!(parse_date("12/04/2026", None), None);
        assert_eq!(parse_date("4.12.2026", Some("%d.%m.%Y")), Some(d));
        assert_eq!(parse_date("2026-13-01", None), None);
        assert_eq!(
            parse_date("2026年12月4日", None),
            None,
            "no panic on a multi-byte cell"
        );
    }

    #[test]
    fn ids() {
        assert!(valid_id("PAY-12"));
        assert!(valid_id("M1"));
        assert!(!valid_id("-x"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
    }
}
