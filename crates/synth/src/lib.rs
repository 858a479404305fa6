//! Synthetic milepost portfolios of any size, for benchmarks and scale tests.
//!
//! [`generate`] returns the files of a portfolio as `(relative path, text)` pairs;
//! [`write_to_dir`] puts them on disk (the `milepost-synth` binary does that from the
//! command line). The shapes follow the bundled example: each program has a charter,
//! milestones in a few parallel chains with occasional links to an *earlier* program
//! (so the graph stays acyclic and cross-program paths exist), a RAID log, RACI rows and
//! decisions. Everything is deterministic for a given [`Options::seed`], and valid: a
//! generated portfolio checks clean as of [`Options::as_of`].

pub mod history;

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Days, NaiveDate};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Number of programs.
    pub programs: usize,
    /// Milestones per program.
    pub milestones_per_program: usize,
    /// Risks per program.
    pub risks_per_program: usize,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
    /// The date the portfolio is "current" at: reviews are recent, targets ahead.
    pub as_of: NaiveDate,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            programs: 100,
            milestones_per_program: 10,
            risks_per_program: 8,
            seed: 42,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        }
    }
}

impl Options {
    /// Default shapes with `programs` programs.
    pub fn with_programs(programs: usize) -> Self {
        Self {
            programs,
            ..Self::default()
        }
    }
}

/// A small deterministic generator (`SplitMix64`); no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PEOPLE_PER_PROGRAM: usize = 3;
const TEAMS: usize = 12;
const VERBS: [&str; 8] = [
    "Design",
    "Build",
    "Migrate",
    "Harden",
    "Pilot",
    "Roll out",
    "Integrate",
    "Validate",
];
const NOUNS: [&str; 8] = [
    "API",
    "ledger sync",
    "checkout flow",
    "risk model",
    "mobile SDK",
    "data pipeline",
    "admin console",
    "billing engine",
];

fn person(i: usize) -> String {
    format!("p{i:05}")
}

/// Generates a portfolio's files as `(relative path, YAML text)` pairs.
pub fn generate(options: &Options) -> Vec<(String, String)> {
    let mut rng = Rng(options.seed);
    let mut files = Vec::with_capacity(options.programs * 5 + 2);
    let people_count = (options.programs * PEOPLE_PER_PROGRAM).max(10);
    files.push((
        "milepost.yaml".to_owned(),
        "name: Synthetic portfolio\ncalendar:\n  workdays: [mon, tue, wed, thu, fri]\n  holidays:\n    - 2026-12-25\n    - date: 2027-01-01\n      name: New Year's Day\ngates:\n  launch-readiness:\n    - id: security-review\n      title: Security review signed off\n    - id: load-test\n      title: Load test at 2x peak\n    - id: runbook\n      title: Runbook published\n".to_owned(),
    ));
    let mut people = String::from("people:\n");
    for i in 0..people_count {
        let _ = writeln!(
            people,
            "  - id: {}\n    name: Person {i}\n    email: p{i}@example.com\n    team: team-{}",
            person(i),
            i % TEAMS
        );
    }
    people.push_str("teams:\n");
    for t in 0..TEAMS {
        let _ = writeln!(
            people,
            "  - id: team-{t}\n    name: Team {t}\n    lead: {}",
            person(t)
        );
    }
    files.push(("people.yaml".to_owned(), people));

    let as_of = options.as_of;
    let date = |offset: i64| -> NaiveDate {
        if offset >= 0 {
            as_of + Days::new(offset as u64)
        } else {
            as_of - Days::new(offset.unsigned_abs())
        }
    };
    let m = options.milestones_per_program.max(1);
    for p in 0..options.programs {
        let id = format!("prog-{p:04}");
        let owner = person(p * PEOPLE_PER_PROGRAM % people_count);
        let sponsor = person((p * PEOPLE_PER_PROGRAM + 1) % people_count);
        let member = person((p * PEOPLE_PER_PROGRAM + 2) % people_count);
        let noun = rng.pick(&NOUNS);
        let program = format!(
            "name: {noun} program {p}\nsummary: Deliver the {noun} improvements for segment {p}.\nstatus: active\nhealth: green\nsponsor: {sponsor}\nowner: {owner}\nstart: {start}\ntarget: {target}\nobjectives:\n  - Cut {noun} latency by 30%\n  - Retire the legacy {noun}\nscope:\n  in:\n    - New {noun}\n  out:\n    - Legacy reporting\nsuccess_metrics:\n  - metric: p95 latency (ms)\n    baseline: 800\n    target: 550\nstakeholders:\n  - team-{team}\n  - id: {sponsor}\n    role: approves launch\npriority:\n  value: 8\n  time_criticality: 5\n  risk_reduction: 3\n  size: 5\n",
            start = date(-60),
            target = date(400 + (m as i64) * 3),
            team = p % TEAMS,
        );
        files.push((format!("programs/{id}/program.yaml"), program));

        let mut ms = String::from("milestones:\n");
        for k in 0..m {
            let duration = 1 + rng.below(10);
            let _ = write!(
                ms,
                "  - id: M{k}\n    title: {} {} {k}\n    owner: {}\n    duration: {duration}d\n    estimate:\n      optimistic: {}d\n      likely: {duration}d\n      pessimistic: {}d\n",
                rng.pick(&VERBS),
                noun,
                if k % 2 == 0 { &owner } else { &member },
                duration.saturating_sub(1),
                duration * 2,
            );
            let mut deps: Vec<String> = Vec::new();
            if k >= 3 {
                deps.push(format!("M{}", k - 3));
            }
            if k >= 1 && rng.below(2) == 0 {
                deps.push(format!("M{}", k - 1 - rng.below(k.min(3))));
            }
            if p > 0 && k == m / 2 && rng.below(3) == 0 {
                let other = rng.below(p);
                deps.push(format!("prog-{other:04}/M{}", rng.below(m / 2 + 1)));
            }
            deps.dedup();
            if !deps.is_empty() {
                let _ = writeln!(ms, "    depends_on: [{}]", deps.join(", "));
            }
            let _ = writeln!(
                ms,
                "    target: {}\n    status: planned",
                date(380 + (k as i64) * 3)
            );
        }
        files.push((format!("programs/{id}/milestones.yaml"), ms));

        let mut raid = String::from("risks:\n");
        for r in 0..options.risks_per_program {
            let _ = writeln!(
                raid,
                "  - id: R-{r}\n    title: {noun} vendor may slip delivery {r}\n    owner: {owner}\n    probability: {}\n    impact: {}\n    status: mitigating\n    mitigation: Weekly vendor sync and a fallback path\n    contingency: Ship behind a flag\n    due: {}\n    raised: {}\n    reviewed: {}\n    milestones: [M{}]",
                rng.pick(&["low", "medium", "high"]),
                rng.pick(&["low", "medium", "high", "critical"]),
                date(30 + r as i64),
                date(-40),
                date(-2),
                rng.below(m),
            );
        }
        let _ = writeln!(
            raid,
            "assumptions:\n  - id: A-1\n    title: Traffic grows under 20% this year\n    owner: {owner}\n    status: open\n    validate_by: {}\nissues:\n  - id: I-1\n    title: Staging environment is flaky\n    owner: {member}\n    severity: medium\n    status: open\n    raised: {}\ndependencies:\n  - id: D-1\n    title: Auth scopes from platform\n    provider: team-{}\n    owner: {owner}\n    needed_by: {}\n    raised: {}\n    status: committed\n    milestone: M0",
            date(60),
            date(-3),
            (p + 1) % TEAMS,
            date(90),
            date(-10),
        );
        files.push((format!("programs/{id}/raid.yaml"), raid));

        files.push((
            format!("programs/{id}/raci.yaml"),
            format!(
                "raci:\n  - activity: Approve launch\n    milestone: M{last}\n    responsible: [{owner}]\n    accountable: {sponsor}\n    consulted: [team-{t}]\n    informed: [{member}]\n  - activity: Weekly status\n    responsible: [{member}]\n    accountable: {owner}\n",
                last = m - 1,
                t = p % TEAMS
            ),
        ));
        files.push((
            format!("programs/{id}/decisions.yaml"),
            format!(
                "decisions:\n  - id: DEC-1\n    title: Build or buy the {noun}\n    status: decided\n    owner: {owner}\n    raised: {}\n    decided: {}\n    decided_by: {sponsor}\n    options: [Build, Buy]\n    outcome: Build\n    rationale: Core to the product\n  - id: DEC-2\n    title: Rollout order\n    status: proposed\n    owner: {owner}\n    raised: {}\n    needed_by: {}\n",
                date(-50),
                date(-45),
                date(-5),
                date(20)
            ),
        ));
    }
    files
}

/// Writes generated files under `dir`.
///
/// # Errors
/// Any I/O error creating folders or writing files.
pub fn write_to_dir(files: &[(String, String)], dir: &Path) -> std::io::Result<()> {
    for (path, text) in files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_and_sized() {
        let a = generate(&Options::with_programs(5));
        let b = generate(&Options::with_programs(5));
        assert_eq!(a, b);
        assert_eq!(a.len(), 2 + 5 * 5);
    }
}
