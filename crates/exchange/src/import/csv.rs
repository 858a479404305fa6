//! The simple CSV a spreadsheet can write (`--from csv`).
//!
//! One header row, then one row per milestone. Columns, in any order (names are matched
//! without regard to case, spaces or underscores):
//!
//! | column | required | value |
//! |---|---|---|
//! | `id` | yes | the milestone id (`M1`) |
//! | `title` | yes | what is delivered |
//! | `owner` | | a person: id, e-mail or full name from people.yaml (or the mapping) |
//! | `duration` | | work days: `10d`, `2w`, `7` |
//! | `depends_on` | | ids separated by `;`, `,` or spaces; `program/M4` across programs |
//! | `target` | | `YYYY-MM-DD` |
//! | `status` | | `planned`, `in_progress`, `done`, `cancelled` |
//! | `kind` | | `milestone` or `launch` |
//! | `started`, `completed` | | `YYYY-MM-DD` |
//!
//! Other columns are reported as not imported. Empty cells mean "not set".

use std::collections::{BTreeMap, HashSet};

use milepost_model::Duration;
use serde_json::Value;

use super::{Imported, ImportedMilestone, People, Row, days, parse_date, read_table, valid_id};
use crate::SourceProblem;

const COLUMNS: &[&str] = &[
    "id",
    "title",
    "owner",
    "duration",
    "depends_on",
    "target",
    "status",
    "kind",
    "started",
    "completed",
];

fn normalise(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Reads the CSV text.
pub fn read(text: &str, people: &People) -> Imported {
    let mut out = Imported::default();
    let table = match read_table(text) {
        Ok(t) => t,
        Err(p) => {
            out.problems.push(p);
            return out;
        }
    };
    let mut column: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in table.header.iter().enumerate() {
        let name = normalise(h);
        let (line, col) = table.header_places.get(i).copied().unwrap_or((1, 1));
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if column.contains_key(c) => out.problems.push(SourceProblem::error(
                line,
                col,
                format!("the column `{h}` appears twice"),
                None,
            )),
            Some(c) => {
                column.insert(c, i);
                out.carried.insert(c);
            }
            None => out.problems.push(SourceProblem::warning(
                line,
                col,
                format!("the column `{h}` is not imported"),
                Some(format!("the columns are: {}", COLUMNS.join(", "))),
            )),
        }
    }
    for required in ["id", "title"] {
        if !column.contains_key(required) {
            out.problems.push(SourceProblem::error(
                1,
                1,
                format!("the header has no `{required}` column"),
                Some(format!(
                    "the first row names the columns: {}",
                    COLUMNS.join(", ")
                )),
            ));
        }
    }
    if out.has_errors() {
        return out;
    }
    let cell = |row: &Row, name: &str| -> Option<(String, (u32, u32))> {
        let i = *column.get(name)?;
        let v = row.fields.get(i)?.trim();
        (!v.is_empty()).then(|| (v.to_owned(), row.place(i)))
    };
    let ids: HashSet<String> = table
        .rows
        .iter()
        .filter_map(|r| cell(r, "id").map(|(v, _)| v))
        .collect();
    let mut seen = HashSet::new();
    for row in &table.rows {
        let Some((id, (line, col))) = cell(row, "id") else {
            let (line, col) = row.place(column["id"]);
            out.problems.push(SourceProblem::error(
                line,
                col,
                "this row has no id",
                Some(
                    "every row needs an id (`M1`): it is how a re-import finds the milestone"
                        .to_owned(),
                ),
            ));
            continue;
        };
        if !valid_id(&id) {
            out.problems.push(SourceProblem::error(
                line,
                col,
                format!("`{id}` is not a valid id"),
                Some("ids start with a letter or digit and use letters, digits, `.`, `_` and `-` (64 at most)".to_owned()),
            ));
            continue;
        }
        if !seen.insert(id.clone()) {
            out.problems.push(SourceProblem::error(
                line,
                col,
                format!("the id `{id}` appears twice"),
                None,
            ));
            continue;
        }
        let mut fields = BTreeMap::new();
        match cell(row, "title") {
            Some((title, _)) => {
                fields.insert("title", Value::String(title));
            }
            None => out.problems.push(SourceProblem::error(
                line,
                row.place(column["title"]).1,
                format!("`{id}` has no title"),
                None,
            )),
        }
        if let Some((owner, (l, c))) = cell(row, "owner") {
            match people.resolve(&owner) {
                Some(id) => {
                    fields.insert("owner", Value::String(id));
                }
                None => {
                    out.unknown_people.entry(owner).or_insert((l, c));
                }
            }
        }
        if let Some((d, (l, c))) = cell(row, "duration") {
            match Duration::parse(&d) {
                Ok(d) => {
                    fields.insert("duration", days(d.days()));
                }
                Err(e) => out.problems.push(SourceProblem::error(
                    l,
                    c,
                    format!("`{d}` is not a duration: {e}"),
                    Some("write work days (`10d`), weeks (`2w`) or a number of days".to_owned()),
                )),
            }
        }
        if let Some((deps, (l, c))) = cell(row, "depends_on") {
            let mut list = Vec::new();
            for dep in deps
                .split(|c: char| c == ';' || c == ',' || c.is_whitespace())
                .filter(|d| !d.is_empty())
            {
                let known = match dep.split_once('/') {
                    Some((p, i)) => valid_id(p) && valid_id(i),
                    None => ids.contains(dep),
                };
                if known {
                    list.push(Value::String(dep.to_owned()));
                } else {
                    out.problems.push(SourceProblem::error(
                        l,
                        c,
                        format!("`{id}` depends on `{dep}`, which is not a row of this file"),
                        Some("name another row's id, or `program/id` for another program's milestone".to_owned()),
                    ));
                }
            }
            if !list.is_empty() {
                fields.insert("depends_on", Value::Array(list));
            }
        }
        for name in ["target", "started", "completed"] {
            if let Some((d, (l, c))) = cell(row, name) {
                match parse_date(&d, None) {
                    Some(d) => {
                        fields.insert(
                            match name {
                                "target" => "target",
                                "started" => "started",
                                _ => "completed",
                            },
                            Value::String(d.to_string()),
                        );
                    }
                    None => out.problems.push(SourceProblem::error(
                        l,
                        c,
                        format!("`{d}` is not a date"),
                        Some("write YYYY-MM-DD (for example 2027-03-31)".to_owned()),
                    )),
                }
            }
        }
        if let Some((s, (l, c))) = cell(row, "status") {
            match normalise(&s).as_str() {
                v @ ("planned" | "in_progress" | "done" | "cancelled") => {
                    fields.insert("status", Value::String(v.to_owned()));
                }
                _ => out.problems.push(SourceProblem::error(
                    l,
                    c,
                    format!("`{s}` is not a status"),
                    Some("write planned, in_progress, done or cancelled".to_owned()),
                )),
            }
        }
        if let Some((k, (l, c))) = cell(row, "kind") {
            match normalise(&k).as_str() {
                "milestone" => {}
                "launch" => {
                    fields.insert("kind", Value::String("launch".to_owned()));
                }
                _ => out.problems.push(SourceProblem::error(
                    l,
                    c,
                    format!("`{k}` is not a kind"),
                    Some("write milestone or launch".to_owned()),
                )),
            }
        }
        out.milestones.push(ImportedMilestone { id, line, fields });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_locates_bad_cells() {
        let text = "id,title,duration,depends_on,target,status,colour\n\
                    M1,Design,5d,,2027-01-15,done,red\n\
                    M2,\"Build, test\",2w,M1,2027-13-01,in progress,\n\
                    M3,Ship,0d,M9,,,\n";
        let imported = read(text, &People::default());
        assert_eq!(imported.milestones.len(), 3);
        assert_eq!(imported.milestones[1].fields["title"], "Build, test");
        assert_eq!(imported.milestones[1].fields["duration"], "10d");
        assert_eq!(imported.milestones[1].fields["status"], "in_progress");
        let problems: Vec<String> = imported
            .problems
            .iter()
            .map(|p| format!("{}:{} {:?} {}", p.line, p.column, p.level, p.message))
            .collect();
        assert_eq!(
            problems,
            vec![
                "1:44 Warning the column `colour` is not imported",
                "3:24 Error `2027-13-01` is not a date",
                "4:12 Error `M3` depends on `M9`, which is not a row of this file",
            ]
        );
    }
}
