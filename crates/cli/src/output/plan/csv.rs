//! `plan --format csv`: one row per milestone, RFC 4180 quoting.

use std::io::Write;

use milepost_plan::PlanView as View;

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes the view as CSV with a header row.
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    writeln!(
        out,
        "id,title,owner,status,duration_days,earliest_start,earliest_finish,latest_start,latest_finish,slack_days,free_slack_days,critical,on_critical_path,target,slip_days"
    )?;
    for r in &view.milestones {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            field(&r.id),
            field(&r.title),
            field(r.owner.as_deref().unwrap_or("")),
            r.status,
            r.duration_days,
            r.earliest_start,
            r.earliest_finish,
            r.latest_start,
            r.latest_finish,
            r.slack_days,
            r.free_slack_days,
            r.critical,
            r.on_critical_path,
            r.target.map(|d| d.to_string()).unwrap_or_default(),
            r.slip_days.map(|d| d.to_string()).unwrap_or_default(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(super::field("plain"), "plain");
        assert_eq!(super::field("a, \"b\""), "\"a, \"\"b\"\"\"");
    }
}
