//! One type per file kind, and [`FileKind`] to tell them apart by path.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::entities::{Assumption, Decision, Dependency, Issue, Milestone, RaciActivity, Risk};
use crate::ids::{Id, PersonRef};

/// A day of the week, as written in `calendar.workdays`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }
}

fn default_workdays() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

/// A non-working day: a date, or a date with a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Holiday {
    /// Just the date.
    Date(NaiveDate),
    /// A named date.
    Named(NamedHoliday),
}

impl Holiday {
    /// The date of the holiday.
    pub fn date(&self) -> NaiveDate {
        match self {
            Self::Date(d) => *d,
            Self::Named(n) => n.date,
        }
    }
}

/// A holiday with a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedHoliday {
    /// The date.
    pub date: NaiveDate,
    /// Its name (`Christmas Day`).
    pub name: String,
}

/// The portfolio's work calendar. All durations and slack are counted in its work days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettings {
    /// The days of the week on which work happens (default: `[mon, tue, wed, thu, fri]`).
    #[serde(default = "default_workdays")]
    pub workdays: Vec<Weekday>,
    /// Non-working dates (company holidays, shutdowns).
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

impl Default for CalendarSettings {
    fn default() -> Self {
        Self {
            workdays: default_workdays(),
            holidays: Vec::new(),
        }
    }
}

/// One item of a readiness gate template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateItem {
    /// The item id, used as the key of a milestone's `readiness` map (`security-review`).
    pub id: Id,
    /// What must be true (`Security review signed off`).
    pub title: String,
    /// Longer guidance on what counts as evidence.
    #[serde(default)]
    pub description: Option<String>,
}

/// A named readiness template: the list of items a launch must satisfy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum GateTemplate {
    /// Just the list of items.
    Items(Vec<GateItem>),
    /// A titled template with its items.
    Detailed(DetailedGate),
}

impl GateTemplate {
    /// The gate's items.
    pub fn items(&self) -> &[GateItem] {
        match self {
            Self::Items(items) => items,
            Self::Detailed(d) => &d.items,
        }
    }
}

/// A gate template with a title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailedGate {
    /// The gate's display name (`Launch readiness review`).
    #[serde(default)]
    pub title: Option<String>,
    /// The items the gate requires.
    pub items: Vec<GateItem>,
}

/// How seriously a rule's findings are taken.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Reported, never fails CI.
    Info,
    /// Reported as a warning, never fails CI.
    Warning,
    /// Fails `milepost check` (exit 1).
    Error,
}

/// Per-rule settings: its level and the rule's own thresholds (see `milepost explain RULE`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct RuleSettings {
    /// off, info, warning or error; the rule's default when omitted.
    #[serde(default)]
    pub level: Option<RuleLevel>,
    /// The rule's thresholds (for example `max_age_days: 14`).
    #[serde(flatten)]
    #[schemars(extend("additionalProperties" = { "type": ["number", "string", "boolean"] }))]
    pub options: BTreeMap<String, serde_json::Value>,
}

/// Portfolio settings (`milepost.yaml` at the root of the portfolio).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The portfolio's display name.
    pub name: String,
    /// Evaluate this portfolio as of a fixed date instead of today: for example
    /// portfolios, archives and reproducible demos. `--as-of` on the command line wins.
    /// Leave it out for a live portfolio.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// The work calendar: work days and holidays.
    #[serde(default)]
    pub calendar: CalendarSettings,
    /// Named readiness gate templates that launch milestones refer to with `gate:`.
    #[serde(default)]
    pub gates: BTreeMap<String, GateTemplate>,
    /// Per rule id: its level and thresholds.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSettings>,
    /// How much milepost reads before refusing: bounds that keep memory in check on hostile
    /// input, far above any real portfolio. Raise them only for a very large portfolio.
    #[serde(default)]
    pub limits: LoadLimits,
    /// How `milepost metrics` measures: tolerances, windows and the target of each KPI.
    #[serde(default)]
    pub metrics: MetricsSettings,
}

/// How the delivery KPIs are measured (`metrics:` in milepost.yaml). Every field has a
/// default: the example targets of the TPM KPI framework.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Milestone variance tolerance, in work days (default 10: ±2 weeks). `--tolerance`
    /// wins.
    #[serde(default)]
    #[schemars(range(max = 1000))]
    pub tolerance_days: Option<u32>,
    /// Days after going live within which a sev1/sev2 incident or a rollback makes a launch
    /// unsuccessful (default 14).
    #[serde(default)]
    #[schemars(range(min = 1, max = 365))]
    pub launch_window_days: Option<u32>,
    /// Days within which a dependency should be resolved after it was raised (default 28:
    /// four weeks).
    #[serde(default)]
    #[schemars(range(min = 1, max = 3650))]
    pub dependency_window_days: Option<u32>,
    /// Per KPI id (`milestone-variance`): its target, replacing the default.
    #[serde(default)]
    pub targets: BTreeMap<String, KpiTarget>,
}

/// A KPI's target: a floor (`min`), a ceiling (`max`), or both. Shares are written as
/// fractions (`0.8` for 80 %).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiTarget {
    /// The value must be at least this.
    #[serde(default)]
    pub min: Option<f64>,
    /// The value must be at most this.
    #[serde(default)]
    pub max: Option<f64>,
    /// The value should move this way over time (`down` for risk exposure).
    #[serde(default)]
    pub trend: Option<TrendDirection>,
}

/// Which way a KPI should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    /// Falling (exposure, failures).
    Down,
    /// Rising (throughput).
    Up,
}

impl TrendDirection {
    /// `down` or `up`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Down => "down",
            Self::Up => "up",
        }
    }
}

impl KpiTarget {
    /// Whether `value` is within the floor and the ceiling (true when neither is set).
    pub fn met_by(&self, value: f64) -> bool {
        self.min.is_none_or(|m| value >= m - 1e-9) && self.max.is_none_or(|m| value <= m + 1e-9)
    }
}

/// `scorecard.yaml` at the root of the portfolio: KPIs measured outside the plan (surveys,
/// reporting quality, engagement, hiring, capacity planning), each with dated values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardFile {
    /// The externally measured KPIs.
    #[serde(default)]
    pub kpis: Vec<ExternalKpi>,
}

/// A KPI measured outside the plan (`kpis:` in scorecard.yaml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalKpi {
    /// A stable id (`stakeholder-satisfaction`).
    pub id: Id,
    /// Its name.
    pub name: String,
    /// What the number is: `share` (a fraction, 0–1), `score`, `days` or `count`.
    #[serde(default)]
    pub unit: ExternalUnit,
    /// How it is measured, and by whom (`quarterly sponsor survey, 1–5`).
    #[serde(default)]
    pub source: Option<String>,
    /// The target.
    #[serde(default)]
    pub target: Option<KpiTarget>,
    /// The measurements, one per date.
    #[serde(default)]
    pub values: Vec<DatedValue>,
}

/// What an external KPI's number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExternalUnit {
    /// A fraction from 0 to 1, shown as a percentage.
    Share,
    /// A score on a scale (a survey's 1–5).
    #[default]
    Score,
    /// A number of days.
    Days,
    /// A count.
    Count,
}

impl ExternalUnit {
    /// The name used in reports and JSON (`share`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Share => "share",
            Self::Score => "score",
            Self::Days => "days",
            Self::Count => "count",
        }
    }
}

/// One measurement of an external KPI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedValue {
    /// The day it was measured.
    pub date: NaiveDate,
    /// The value.
    pub value: f64,
    /// What stands behind it (`n = 14 sponsors`).
    #[serde(default)]
    pub note: Option<String>,
}

/// Bounds on how much of a portfolio is read (see `limits` in milepost.yaml). Past a bound,
/// the file that crosses it is refused with a located finding instead of exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadLimits {
    /// Most YAML values (scalars, lists and mappings) in one file. Default 2,000,000: a
    /// milestones file of 200,000 milestones.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_file_values: Option<u64>,
    /// Most YAML values in the whole portfolio. Default 6,000,000: several times a
    /// 100,000-milestone portfolio.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_total_values: Option<u64>,
    /// Most bytes of YAML read in the whole portfolio. Default 268,435,456 (256 MiB).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_total_bytes: Option<u64>,
}

impl LoadLimits {
    /// The default of `max_file_values`.
    pub const DEFAULT_FILE_VALUES: u64 = 2_000_000;
    /// The default of `max_total_values`.
    pub const DEFAULT_TOTAL_VALUES: u64 = 6_000_000;
    /// The default of `max_total_bytes`.
    pub const DEFAULT_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

    /// `max_file_values`, or its default.
    pub fn file_values(&self) -> u64 {
        self.max_file_values.unwrap_or(Self::DEFAULT_FILE_VALUES)
    }

    /// `max_total_values`, or its default.
    pub fn total_values(&self) -> u64 {
        self.max_total_values.unwrap_or(Self::DEFAULT_TOTAL_VALUES)
    }

    /// `max_total_bytes`, or its default.
    pub fn total_bytes(&self) -> u64 {
        self.max_total_bytes.unwrap_or(Self::DEFAULT_TOTAL_BYTES)
    }
}

/// A person who can own, approve or be informed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The id used everywhere else (`ada`).
    pub id: Id,
    /// Full name.
    pub name: String,
    /// Work e-mail address.
    #[serde(default)]
    #[schemars(email)]
    pub email: Option<String>,
    /// The team the person belongs to (team id).
    #[serde(default)]
    pub team: Option<PersonRef>,
    /// Job title or role (`Staff TPM`).
    #[serde(default)]
    pub role: Option<String>,
    /// The person's forge handle (`@ada` on GitHub), used for CODEOWNERS.
    #[serde(default)]
    pub handle: Option<String>,
}

/// A team that can own work or provide dependencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// The id used everywhere else (`payments`).
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The team lead (person id).
    #[serde(default)]
    pub lead: Option<PersonRef>,
    /// The team's forge handle (`@acme/payments`), used for CODEOWNERS.
    #[serde(default)]
    pub handle: Option<String>,
}

/// People and teams (`people.yaml` at the root of the portfolio).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct People {
    /// Everyone who can be named as owner, approver, sponsor or RACI member.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Teams that can own work or provide dependencies.
    #[serde(default)]
    pub teams: Vec<Team>,
}

/// `programs/<id>/milestones.yaml`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestonesFile {
    /// The program's milestones and launches.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// `programs/<id>/raid.yaml`: risks, assumptions, issues and dependencies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaidFile {
    /// Things that may happen and would hurt.
    #[serde(default)]
    pub risks: Vec<Risk>,
    /// Things the plan takes to be true.
    #[serde(default)]
    pub assumptions: Vec<Assumption>,
    /// Things that have happened and hurt.
    #[serde(default)]
    pub issues: Vec<Issue>,
    /// Things needed from other teams.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

/// `programs/<id>/raci.yaml`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaciFile {
    /// The RACI matrix, one row per activity.
    #[serde(default)]
    pub raci: Vec<RaciActivity>,
}

/// `programs/<id>/decisions.yaml`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionsFile {
    /// The decision log.
    #[serde(default)]
    pub decisions: Vec<Decision>,
}

/// The kinds of file in a portfolio. Each has its own JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `milepost.yaml`
    Settings,
    /// `people.yaml`
    People,
    /// `programs/<id>/program.yaml`
    Program,
    /// `programs/<id>/milestones.yaml`
    Milestones,
    /// `programs/<id>/raid.yaml`
    Raid,
    /// `programs/<id>/raci.yaml`
    Raci,
    /// `programs/<id>/decisions.yaml`
    Decisions,
    /// `scorecard.yaml`
    Scorecard,
}

impl FileKind {
    /// Every file kind, in a stable order.
    pub const ALL: [FileKind; 8] = [
        Self::Settings,
        Self::People,
        Self::Scorecard,
        Self::Program,
        Self::Milestones,
        Self::Raid,
        Self::Raci,
        Self::Decisions,
    ];

    /// The kinds that live in a program folder.
    pub const PROGRAM_FILES: [FileKind; 5] = [
        Self::Program,
        Self::Milestones,
        Self::Raid,
        Self::Raci,
        Self::Decisions,
    ];

    /// The file name (`milestones.yaml`).
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Settings => "milepost.yaml",
            Self::People => "people.yaml",
            Self::Program => "program.yaml",
            Self::Milestones => "milestones.yaml",
            Self::Raid => "raid.yaml",
            Self::Raci => "raci.yaml",
            Self::Decisions => "decisions.yaml",
            Self::Scorecard => "scorecard.yaml",
        }
    }

    /// A short stable name (`milestones`), used for the schema file name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Settings => "milepost",
            Self::People => "people",
            Self::Program => "program",
            Self::Milestones => "milestones",
            Self::Raid => "raid",
            Self::Raci => "raci",
            Self::Decisions => "decisions",
            Self::Scorecard => "scorecard",
        }
    }

    /// The file name with the other common spelling of the extension (`milestones.yml`):
    /// read exactly like [`file_name`](Self::file_name).
    pub fn alt_file_name(self) -> &'static str {
        match self {
            Self::Settings => "milepost.yml",
            Self::People => "people.yml",
            Self::Program => "program.yml",
            Self::Milestones => "milestones.yml",
            Self::Raid => "raid.yml",
            Self::Raci => "raci.yml",
            Self::Decisions => "decisions.yml",
            Self::Scorecard => "scorecard.yml",
        }
    }

    /// Whether `name` is this kind's file name, in either spelling.
    pub fn is_file_name(self, name: &str) -> bool {
        name == self.file_name() || name == self.alt_file_name()
    }

    /// The file kind of a program-folder file name (`raid.yaml` or `raid.yml`), if it is one.
    pub fn from_program_file_name(name: &str) -> Option<FileKind> {
        Self::PROGRAM_FILES
            .into_iter()
            .find(|k| k.is_file_name(name))
    }

    /// Whether files of this kind live at the portfolio root (milepost.yaml, people.yaml,
    /// scorecard.yaml) rather than in a program folder.
    pub fn is_root(self) -> bool {
        matches!(self, Self::Settings | Self::People | Self::Scorecard)
    }

    /// The file kind of a file at the portfolio root (`milepost.yaml`, `people.yml`…), if it
    /// is one.
    pub fn from_root_file_name(name: &str) -> Option<FileKind> {
        [Self::Settings, Self::People, Self::Scorecard]
            .into_iter()
            .find(|k| k.is_file_name(name))
    }

    /// The glob an editor uses to associate files with this kind's schema.
    pub fn glob(self) -> &'static str {
        match self {
            Self::Settings => "milepost.yaml",
            Self::People => "people.yaml",
            Self::Program => "programs/*/program.yaml",
            Self::Milestones => "programs/*/milestones.yaml",
            Self::Raid => "programs/*/raid.yaml",
            Self::Raci => "programs/*/raci.yaml",
            Self::Decisions => "programs/*/decisions.yaml",
            Self::Scorecard => "scorecard.yaml",
        }
    }
}

/// An id of a person or team, re-exported for convenience where the difference does not matter.
pub type OwnerRef = PersonRef;
