//! An iCalendar feed (RFC 5545) of milestones and launches.
//!
//! One all-day event per milestone in scope: on its **target** (the commitment) when it has
//! one, else on its planned finish; the description carries both, the slip, the owner and the
//! status. Cancelled milestones stay in the feed as `STATUS:CANCELLED` so that a subscribed
//! calendar removes them instead of keeping a stale copy (a cancelled milestone without a
//! target has no date and is left out).
//!
//! The `UID` of an event is built from the portfolio, program and milestone ids only, so two
//! exports of the same milestone carry the same UID and calendar clients update the event
//! instead of duplicating it. `DTSTAMP` is the as-of date: the same plan gives the same bytes.

use std::fmt::Write as _;

use chrono::{Days, NaiveDate};
use milepost_model::{MilestoneKind, MilestoneStatus};

use super::{ExportError, Item, Source, status_word};

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets (never inside a UTF-8 sequence), with CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// A lower-case slug of a name, for UIDs.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "portfolio".to_owned()
    } else {
        out
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The stable UID of a milestone's event.
pub fn uid(portfolio_name: &str, program: &str, milestone: &str) -> String {
    format!("{program}.{milestone}.{}@milepost", slug(portfolio_name))
}

/// Renders the feed.
pub fn render(source: &Source<'_>) -> Result<String, ExportError> {
    let items = source.items()?;
    let mut out = header(source);
    let stamp = stamp(source);
    for item in &items {
        event(&mut out, source, item, &stamp);
    }
    line(&mut out, "END:VCALENDAR");
    Ok(out)
}

/// The feed of the programs in scope and each program's own feed (in portfolio order), as
/// [`render`] gives them, with each event rendered once (the portfolio's feed is every
/// program's events in order) and the programs in parallel: what a site publishes.
pub fn feeds(source: &Source<'_>) -> Result<(String, Vec<(usize, String)>), ExportError> {
    use rayon::prelude::*;
    let stamp = stamp(source);
    let programs: Vec<usize> = source.scoped_programs().map(|(i, _)| i).collect();
    let bodies: Vec<(usize, String)> = programs
        .par_iter()
        .map(|&i| {
            let one = [i];
            let scoped = source.scoped(Some(&one));
            let mut body = String::new();
            for item in &scoped.items()? {
                event(&mut body, &scoped, item, &stamp);
            }
            Ok((i, body))
        })
        .collect::<Result<_, ExportError>>()?;
    // No program (an empty scope) still needs the schedule to say "no feed".
    source
        .plan
        .schedule
        .as_ref()
        .ok_or(ExportError::NoSchedule)?;
    let mut all = header(source);
    all.reserve(bodies.iter().map(|(_, b)| b.len()).sum::<usize>() + 16);
    for (_, body) in &bodies {
        all.push_str(body);
    }
    line(&mut all, "END:VCALENDAR");
    let each = bodies
        .into_par_iter()
        .map(|(i, body)| {
            let one = [i];
            let mut feed = header(&source.scoped(Some(&one)));
            feed.push_str(&body);
            line(&mut feed, "END:VCALENDAR");
            (i, feed)
        })
        .collect();
    Ok((all, each))
}

/// `DTSTAMP` of every event: the as-of date.
fn stamp(source: &Source<'_>) -> String {
    format!("{}T000000Z", date(source.plan.as_of))
}

/// The calendar's properties, up to its first event.
fn header(source: &Source<'_>) -> String {
    let plan = source.plan;
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(
        &mut out,
        &format!(
            "PRODID:-//milepost//milepost {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
    );
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    let title = source.title();
    line(&mut out, &format!("X-WR-CALNAME:{}", text(&title)));
    line(
        &mut out,
        &format!(
            "X-WR-CALDESC:{}",
            text(&format!(
                "Milestones and launches of {title}: targets, planned dates as of {}",
                plan.as_of
            ))
        ),
    );
    line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT12H");
    line(&mut out, "X-PUBLISHED-TTL:PT12H");
    out
}

fn event(out: &mut String, source: &Source<'_>, item: &Item<'_>, stamp: &str) {
    let m = item.milestone;
    let planned = item.schedule.map(|s| s.earliest_finish);
    let Some(day) = m.target.or(planned) else {
        return;
    };
    let launch = m.kind == MilestoneKind::Launch;
    line(out, "BEGIN:VEVENT");
    line(
        out,
        &format!(
            "UID:{}",
            uid(source.name(), &item.program.id, m.id.as_str())
        ),
    );
    line(out, &format!("DTSTAMP:{stamp}"));
    line(out, &format!("DTSTART;VALUE=DATE:{}", date(day)));
    let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
    line(out, &format!("DTEND;VALUE=DATE:{}", date(next)));
    let what = if launch { "Launch" } else { "Milestone" };
    line(
        out,
        &format!(
            "SUMMARY:{}",
            text(&format!(
                "{what}: {} ({})",
                m.title, item.program.charter.name
            ))
        ),
    );
    let mut description = format!("{} — {}", item.qualified(), status_word(m.status));
    if let Some(owner) = &m.owner {
        let owner = owner.to_string();
        let name = source.person_name(&owner).unwrap_or(&owner);
        let _ = write!(description, "\nOwner: {name}");
    }
    if let Some(target) = m.target {
        let _ = write!(description, "\nTarget: {target}");
    }
    if let Some(s) = item.schedule {
        let _ = write!(
            description,
            "\nPlanned: {} – {}",
            s.earliest_start, s.earliest_finish
        );
        if let Some(slip) = s.slip_days {
            let _ = match slip {
                0 => write!(description, " (on target)"),
                n if n > 0 => write!(description, " ({n} work days late)"),
                n => write!(description, " ({} work days early)", -n),
            };
        }
        if s.critical {
            let _ = write!(description, "\nOn the critical path");
        }
    }
    if m.target.is_some() {
        let _ = write!(description, "\nThe event is on the target date.");
    } else {
        let _ = write!(
            description,
            "\nNo target: the event is on the planned finish."
        );
    }
    let _ = write!(description, "\nAs of {}", source.plan.as_of);
    line(out, &format!("DESCRIPTION:{}", text(&description)));
    line(
        out,
        &format!(
            "CATEGORIES:{},{}",
            text(&item.program.id),
            if launch { "launch" } else { "milestone" }
        ),
    );
    line(
        out,
        if m.status == MilestoneStatus::Cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        },
    );
    line(out, "TRANSP:TRANSPARENT");
    line(out, "END:VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let content = format!("DESCRIPTION:{}", "é".repeat(60));
        line(&mut out, &content);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), content);
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn the_site_feeds_are_the_feeds_rendered_one_by_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
        let portfolio = milepost_load::load_dir(&root).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let plan = milepost_plan::PortfolioPlan::build(&portfolio, as_of);
        for scope in [None, Some(&[1, 3, 4][..])] {
            let source = Source::new(&portfolio, &plan, scope);
            let (all, each) = feeds(&source).unwrap();
            assert_eq!(all, render(&source).unwrap());
            let expected: Vec<usize> = source.scoped_programs().map(|(i, _)| i).collect();
            assert_eq!(each.iter().map(|(i, _)| *i).collect::<Vec<_>>(), expected);
            for (i, feed) in &each {
                let one = [*i];
                assert_eq!(*feed, render(&source.scoped(Some(&one))).unwrap());
                assert!(feed.contains("BEGIN:VEVENT"), "program {i} has events");
            }
        }
    }

    #[test]
    fn names_are_looked_up_by_id_people_first() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
        let portfolio = milepost_load::load_dir(&root).unwrap();
        let plan = milepost_plan::PortfolioPlan::build(&portfolio, NaiveDate::MIN);
        let source = Source::new(&portfolio, &plan, None);
        for p in &portfolio.people {
            assert_eq!(source.person_name(p.id.as_str()), Some(p.name.as_str()));
            assert_eq!(source.person_email(p.id.as_str()), p.email.as_deref());
        }
        for t in &portfolio.teams {
            let first = portfolio
                .people
                .iter()
                .find(|p| p.id.as_str() == t.id.as_str());
            let name = first.map_or(t.name.as_str(), |p| p.name.as_str());
            assert_eq!(source.person_name(t.id.as_str()), Some(name));
        }
        assert_eq!(source.person_name("nobody-at-all"), None);

        // An id listed twice (a `check` error) reads as its first entry, address included.
        let twice = milepost_load::load(milepost_load::FileSet::from_memory([
            ("milepost.yaml", b"name: Twice\n".to_vec()),
            (
                "people.yaml",
                b"people:\n  - id: ada\n    name: Ada First\n  - id: ada\n    name: Ada Second\n    email: ada@example.com\n"
                    .to_vec(),
            ),
        ]));
        let plan = milepost_plan::PortfolioPlan::build(&twice, NaiveDate::MIN);
        let source = Source::new(&twice, &plan, None);
        assert_eq!(source.person_name("ada"), Some("Ada First"));
        assert_eq!(source.person_email("ada"), None);
    }

    #[test]
    fn uids_depend_on_ids_only() {
        assert_eq!(
            uid("Acme Corp", "ledger", "M4"),
            "ledger.M4.acme-corp@milepost"
        );
    }
}
