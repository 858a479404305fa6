//! Rows for Jira's CSV importer (*System → External system import → CSV*).
//!
//! One `Epic` per program and one issue per milestone that is not cancelled (`Task`, or
//! `Task` labelled `launch` for a launch), linked to its epic by `Parent Id`. The columns are
//! the ones Jira's importer maps without a custom field:
//!
//! `Issue Id, Parent Id, Issue Type, Summary, Epic Name, Description, Assignee, Status,
//! Due date, Start date, Resolved, Original Estimate, Labels…, Inward issue link (Blocks)…`
//!
//! (`Start date` maps to a date custom field of that name, `Resolved` to the resolution date;
//! leave them unmapped in the importer's wizard if the instance has neither.)
//!
//! - `Issue Id` is a row number, only used inside the file (for `Parent Id` and links); the
//!   milepost id rides along as the label `milepost:<program>/<id>`, so that `milepost import
//!   --from jira-csv` of Jira's own export later finds the same milestones.
//! - A dependency is "is blocked by" (`Inward issue link (Blocks)`, one column per link, the
//!   header repeated as Jira expects for several values); dependencies on milestones outside
//!   the export are named in the description instead.
//! - Dates use Jira's default import format `dd/MMM/yy h:mm a`; `Original Estimate` is in
//!   seconds (8 hours per work day); `Assignee` is the e-mail address from people.yaml when
//!   there is one (Jira matches users by it), else the person id.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use milepost_model::{MilestoneKind, MilestoneStatus};

use super::{ExportError, Source};

/// Jira's default CSV date format, at midnight.
pub fn jira_date(d: NaiveDate) -> String {
    format!("{} 12:00 AM", d.format("%d/%b/%y"))
}

/// Renders the CSV.
pub fn render(source: &Source<'_>) -> Result<String, ExportError> {
    let items = source.items()?;
    let plan = source.plan;
    let items: Vec<_> = items
        .into_iter()
        .filter(|i| i.task.is_some() && i.milestone.status != MilestoneStatus::Cancelled)
        .collect();
    // Row numbers: epics first, then milestones.
    let programs: Vec<_> = source.scoped_programs().collect();
    let epic_row: HashMap<usize, usize> = programs
        .iter()
        .enumerate()
        .map(|(n, (pi, _))| (*pi, n + 1))
        .collect();
    let task_row: HashMap<usize, usize> = items
        .iter()
        .enumerate()
        .filter_map(|(n, i)| i.task.map(|t| (t, programs.len() + n + 1)))
        .collect();
    let max_links = items
        .iter()
        .filter_map(|i| i.task)
        .map(|t| {
            plan.tasks[t]
                .deps
                .iter()
                .filter(|d| task_row.contains_key(d))
                .count()
        })
        .max()
        .unwrap_or(0);

    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec![
        "Issue Id",
        "Parent Id",
        "Issue Type",
        "Summary",
        "Epic Name",
        "Description",
        "Assignee",
        "Status",
        "Due date",
        "Start date",
        "Resolved",
        "Original Estimate",
        "Labels",
        "Labels",
    ];
    header.extend(std::iter::repeat_n("Inward issue link (Blocks)", max_links));
    let write = |w: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        // Writing into memory cannot fail.
        let _ = w.write_record(row);
    };
    write(
        &mut writer,
        &header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>(),
    );
    let assignee = |owner: Option<String>| -> String {
        owner
            .map(|o| source.person_email(&o).map_or(o.clone(), str::to_owned))
            .unwrap_or_default()
    };
    for (pi, program) in &programs {
        let c = &program.charter;
        let mut description = c.summary.clone().unwrap_or_default();
        if description.is_empty() {
            description = format!("Program `{}` exported from milepost.", program.id);
        }
        let mut row = vec![
            epic_row[pi].to_string(),
            String::new(),
            "Epic".to_owned(),
            c.name.clone(),
            c.name.clone(),
            description,
            assignee(c.owner.as_ref().map(ToString::to_string)),
            match c.status {
                milepost_model::ProgramStatus::Done => "Done",
                milepost_model::ProgramStatus::Active => "In Progress",
                _ => "To Do",
            }
            .to_owned(),
            c.target.map(jira_date).unwrap_or_default(),
            c.start.map(jira_date).unwrap_or_default(),
            String::new(),
            String::new(),
            "milepost".to_owned(),
            format!("milepost:{}", program.id),
        ];
        row.extend(std::iter::repeat_n(String::new(), max_links));
        write(&mut writer, &row);
    }
    for item in &items {
        let Some(task) = item.task else { continue };
        let m = item.milestone;
        let mut description = m.description.clone().unwrap_or_default();
        let outside: Vec<String> = plan.tasks[task]
            .deps
            .iter()
            .filter(|d| !task_row.contains_key(d))
            .map(|d| plan.name(source.portfolio, *d))
            .collect();
        if !outside.is_empty() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            let _ = write!(
                description,
                "Depends on milestones outside this export: {}",
                outside.join(", ")
            );
        }
        let kind = if m.kind == MilestoneKind::Launch {
            "launch"
        } else {
            "milestone"
        };
        let mut row = vec![
            task_row[&task].to_string(),
            epic_row[&item.program_index].to_string(),
            "Task".to_owned(),
            m.title.clone(),
            String::new(),
            description,
            assignee(m.owner.as_ref().map(ToString::to_string)),
            match m.status {
                MilestoneStatus::Done => "Done",
                MilestoneStatus::InProgress => "In Progress",
                _ => "To Do",
            }
            .to_owned(),
            m.target.map(jira_date).unwrap_or_default(),
            m.started.map(jira_date).unwrap_or_default(),
            m.completed
                .filter(|_| m.status == MilestoneStatus::Done)
                .map(jira_date)
                .unwrap_or_default(),
            if m.duration.days() == 0 {
                String::new()
            } else {
                (u64::from(m.duration.days()) * 8 * 3600).to_string()
            },
            kind.to_owned(),
            format!("milepost:{}", item.qualified()),
        ];
        let mut links: Vec<String> = plan.tasks[task]
            .deps
            .iter()
            .filter_map(|d| task_row.get(d).map(ToString::to_string))
            .collect();
        links.resize(max_links, String::new());
        row.extend(links);
        write(&mut writer, &row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_use_jiras_default_import_format() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(super::jira_date(d), "04/Dec/26 12:00 AM");
    }
}
