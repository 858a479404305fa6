//! `plan --format json` (a contract): `{"milestones": [...], "critical_path": [...], "finish"}`,
//! plus `diagnostics` — the problems that skew or stop the plan (a dependency cycle, an
//! error in a file it reads), in the shape of `check --format json` — when there are any, so
//! a machine reading the output sees why it is empty or partial.

use std::io::Write;

use milepost_load::Diagnostic;
use milepost_plan::PlanView as View;
use serde::Serialize;

use crate::output::json::{JsonDiagnostic, to_json};

/// A view and the problems behind it.
#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    version: u32,
    #[serde(flatten)]
    view: &'a T,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// Writes `view` as one JSON object, with the problems that skew it.
pub fn render_with<T: Serialize>(
    out: &mut dyn Write,
    view: &T,
    problems: &[Diagnostic],
) -> std::io::Result<()> {
    let doc = Document {
        version: crate::output::json::VERSION,
        view,
        diagnostics: problems.iter().map(to_json).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes the plan view as one JSON object, with the problems that skew it: the bytes of
/// [`render_with`], with the milestones (nearly all of a large plan's output) serialized in
/// parallel, in chunks, and spliced into the document in order.
pub fn render(out: &mut dyn Write, view: &View, problems: &[Diagnostic]) -> std::io::Result<()> {
    use rayon::prelude::*;
    /// Rows below this many are written the plain way (nothing to gain).
    const PARALLEL_FROM: usize = 2_000;
    const CHUNK: usize = 512;
    if view.milestones.len() < PARALLEL_FROM {
        return render_with(out, view, problems);
    }
    // The document without its milestones: `"milestones": []` is where they go. (A `"` in
    // a string is escaped, so the pattern, a newline and two spaces before it, can only be
    // the key.)
    let skeleton = View {
        as_of: view.as_of,
        program: view.program.clone(),
        milestones: Vec::new(),
        critical_path: view.critical_path.clone(),
        finish: view.finish,
        non_workdays: view.non_workdays.clone(),
        holidays: view.holidays.clone(),
    };
    let mut head = Vec::new();
    render_with(&mut head, &skeleton, problems)?;
    let key = b"\n  \"milestones\": []";
    let Some(at) = head.windows(key.len()).position(|w| w == key) else {
        return render_with(out, view, problems);
    };
    let chunks: Vec<Vec<u8>> = view
        .milestones
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(i, rows)| {
            let mut buf = Vec::with_capacity(rows.len() * 700);
            for (j, row) in rows.iter().enumerate() {
                buf.extend_from_slice(if i == 0 && j == 0 {
                    b"\n    "
                } else {
                    b",\n    "
                });
                // A pretty printer two levels deep: the row's fields are indented as in the
                // whole document.
                let mut formatter = serde_json::ser::PrettyFormatter::new();
                let mut sink = std::io::sink();
                serde_json::ser::Formatter::begin_array(&mut formatter, &mut sink)?;
                serde_json::ser::Formatter::begin_array(&mut formatter, &mut sink)?;
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
                row.serialize(&mut ser)?;
            }
            Ok(buf)
        })
        .collect::<std::io::Result<_>>()?;
    let split = at + key.len() - 1;
    out.write_all(&head[..split])?;
    for chunk in &chunks {
        out.write_all(chunk)?;
    }
    out.write_all(b"\n  ")?;
    out.write_all(&head[split..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use milepost_model::MilestoneStatus;
    use milepost_plan::PlanRow;

    fn view(rows: usize) -> View {
        let day = |n: i64| {
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() + chrono::Duration::days(n % 400)
        };
        View {
            as_of: day(0),
            program: None,
            milestones: (0..rows)
                .map(|i| PlanRow {
                    id: format!("p{}/M{i}", i % 7),
                    program: format!("p{}", i % 7),
                    // Quotes, backslashes, line breaks and non-ASCII in titles.
                    title: format!("Milestone \"{i}\" \\ naïve\nline"),
                    owner: (i % 3 != 0).then(|| format!("owner-{i}")),
                    status: if i % 5 == 0 {
                        MilestoneStatus::Done
                    } else {
                        MilestoneStatus::Planned
                    },
                    event: i % 11 == 0,
                    duration_days: (i % 13) as u32,
                    earliest_start: day(i as i64),
                    earliest_finish: day(i as i64 + 3),
                    latest_start: day(i as i64 + 1),
                    latest_finish: day(i as i64 + 4),
                    slack_days: (i % 9) as i64 - 2,
                    free_slack_days: (i % 4) as i64,
                    critical: i % 9 < 3,
                    on_critical_path: i % 17 == 0,
                    target: (i % 2 == 0).then(|| day(i as i64 + 10)),
                    slip_days: (i % 2 == 0).then_some(-3),
                    depends_on: (0..i % 4).map(|d| format!("p0/M{d}")).collect(),
                    driving_dependency: (i % 4 > 0).then(|| "p0/M0".to_owned()),
                })
                .collect(),
            critical_path: vec!["p0/M0".to_owned(), "p1/M\"1\"".to_owned()],
            finish: Some(day(500)),
            non_workdays: vec![5, 6],
            holidays: vec![day(30)],
        }
    }

    #[test]
    fn the_parallel_writer_gives_the_bytes_of_the_plain_one() {
        let problem = Diagnostic::error(
            "dependency-cycle",
            "a message with \"milestones\": [] in it",
        );
        for rows in [0, 1, 1_999, 2_000, 2_001, 5_000] {
            for problems in [&[][..], std::slice::from_ref(&problem)] {
                let v = view(rows);
                let (mut fast, mut plain) = (Vec::new(), Vec::new());
                render(&mut fast, &v, problems).unwrap();
                render_with(&mut plain, &v, problems).unwrap();
                assert!(fast == plain, "{rows} rows, {} problems", problems.len());
            }
        }
    }
}
