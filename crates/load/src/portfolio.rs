//! The loaded portfolio: typed entities, each remembering where it was written.

use std::collections::{BTreeMap, HashSet};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

use milepost_model as model;
use milepost_model::{FileKind, Settings};

use crate::diagnostic::{Diagnostic, Location, Span};
use crate::yaml::Node;

/// Index of a source file in [`Portfolio::sources`].
pub type FileId = u32;

/// A loaded source file: its path, text and YAML tree.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path relative to the portfolio root, with `/` separators.
    pub path: Arc<str>,
    /// What the file holds.
    pub kind: FileKind,
    /// The file's text (empty when it could not be decoded).
    pub text: Arc<str>,
    /// The parsed YAML, when it parsed.
    pub tree: Option<Arc<Node>>,
    /// Whether an entity of this file lost its `id` to an error: a reference into the file
    /// that matches nothing may have meant it, so such references are counted in one
    /// finding instead of each being reported as unknown.
    pub unidentified: bool,
}

/// A value together with the file and JSON Pointer it was read from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// The file it was read from.
    pub file: FileId,
    /// Where in the file (`/milestones/3`); empty for a whole-file value.
    pub pointer: String,
    /// Keys of this entity that were written but dropped by a schema finding (an unknown
    /// key such as `ownr`, or a field with an invalid value). Rules use it to avoid a
    /// second finding for the same mistake (no `owner-missing` after "unknown key `ownr`").
    pub dropped: Vec<String>,
}

impl<T> Located<T> {
    /// Whether a key similar to `field` (or `field` itself) was written but dropped.
    pub fn dropped_like(&self, field: &str) -> bool {
        self.dropped.iter().any(|k| k == field)
            || crate::diagnostic::did_you_mean(field, self.dropped.iter().map(String::as_str))
                .is_some()
    }
}

impl<T> Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// One program: its charter and all its entities.
#[derive(Debug, Clone)]
pub struct Program {
    /// The program id (its folder name).
    pub id: String,
    /// The charter from program.yaml (defaults when program.yaml is missing or unreadable).
    pub charter: Located<model::Program>,
    /// Whether program.yaml was read without errors.
    pub charter_loaded: bool,
    /// Milestones, in file order.
    pub milestones: Vec<Located<model::Milestone>>,
    /// Risks.
    pub risks: Vec<Located<model::Risk>>,
    /// Assumptions.
    pub assumptions: Vec<Located<model::Assumption>>,
    /// Issues.
    pub issues: Vec<Located<model::Issue>>,
    /// Dependencies on other teams.
    pub dependencies: Vec<Located<model::Dependency>>,
    /// RACI rows.
    pub raci: Vec<Located<model::RaciActivity>>,
    /// Decisions.
    pub decisions: Vec<Located<model::Decision>>,
    /// Ids written in the files but whose entity could not be read (schema errors). References to
    /// them are not reported again as unknown.
    pub unreadable_ids: HashSet<String>,
    /// The program's files, by kind.
    pub files: BTreeMap<FileKind, FileId>,
}

/// One entity of a program's list files, borrowed: what [`Program::entities`] yields, so
/// that code that visits every kind (reference resolution, the history's semantic diff) does
/// not loop over each list by hand.
#[derive(Debug, Clone, Copy)]
pub enum ProgramEntity<'a> {
    /// A milestone (milestones.yaml).
    Milestone(&'a Located<model::Milestone>),
    /// A risk (raid.yaml).
    Risk(&'a Located<model::Risk>),
    /// An assumption (raid.yaml).
    Assumption(&'a Located<model::Assumption>),
    /// An issue (raid.yaml).
    Issue(&'a Located<model::Issue>),
    /// A dependency on another team (raid.yaml).
    Dependency(&'a Located<model::Dependency>),
    /// A RACI row (raci.yaml); its id is optional.
    Raci(&'a Located<model::RaciActivity>),
    /// A decision (decisions.yaml).
    Decision(&'a Located<model::Decision>),
}

impl<'a> ProgramEntity<'a> {
    /// The entity's id (`None` for a RACI row written without one).
    pub fn id(self) -> Option<&'a str> {
        match self {
            Self::Milestone(e) => Some(e.id.as_str()),
            Self::Risk(e) => Some(e.id.as_str()),
            Self::Assumption(e) => Some(e.id.as_str()),
            Self::Issue(e) => Some(e.id.as_str()),
            Self::Dependency(e) => Some(e.id.as_str()),
            Self::Raci(e) => e.id.as_ref().map(model::Id::as_str),
            Self::Decision(e) => Some(e.id.as_str()),
        }
    }

    /// The entity's title (a RACI row's activity).
    pub fn title(self) -> &'a str {
        match self {
            Self::Milestone(e) => &e.title,
            Self::Risk(e) => &e.title,
            Self::Assumption(e) => &e.title,
            Self::Issue(e) => &e.title,
            Self::Dependency(e) => &e.title,
            Self::Raci(e) => &e.activity,
            Self::Decision(e) => &e.title,
        }
    }

    /// The file it was read from.
    pub fn file(self) -> FileId {
        self.located(|file, _, _| file)
    }

    /// Where in its file (`/risks/2`).
    pub fn pointer(self) -> &'a str {
        self.located(|_, pointer, _| pointer)
    }

    /// Keys that were written but dropped by a schema finding.
    pub fn dropped(self) -> &'a [String] {
        self.located(|_, _, dropped| dropped)
    }

    fn located<R>(self, f: impl FnOnce(FileId, &'a str, &'a [String]) -> R) -> R {
        match self {
            Self::Milestone(e) => f(e.file, &e.pointer, &e.dropped),
            Self::Risk(e) => f(e.file, &e.pointer, &e.dropped),
            Self::Assumption(e) => f(e.file, &e.pointer, &e.dropped),
            Self::Issue(e) => f(e.file, &e.pointer, &e.dropped),
            Self::Dependency(e) => f(e.file, &e.pointer, &e.dropped),
            Self::Raci(e) => f(e.file, &e.pointer, &e.dropped),
            Self::Decision(e) => f(e.file, &e.pointer, &e.dropped),
        }
    }
}

impl Program {
    /// Every entity of the program's list files, file by file in file order: milestones,
    /// risks, assumptions, issues, dependencies, RACI rows, decisions.
    pub fn entities(&self) -> impl Iterator<Item = ProgramEntity<'_>> {
        let milestones = self.milestones.iter().map(ProgramEntity::Milestone);
        let risks = self.risks.iter().map(ProgramEntity::Risk);
        let assumptions = self.assumptions.iter().map(ProgramEntity::Assumption);
        let issues = self.issues.iter().map(ProgramEntity::Issue);
        let dependencies = self.dependencies.iter().map(ProgramEntity::Dependency);
        let raci = self.raci.iter().map(ProgramEntity::Raci);
        let decisions = self.decisions.iter().map(ProgramEntity::Decision);
        milestones
            .chain(risks)
            .chain(assumptions)
            .chain(issues)
            .chain(dependencies)
            .chain(raci)
            .chain(decisions)
    }

    pub(crate) fn new(id: String, charter_file: FileId) -> Self {
        Self {
            charter: Located {
                value: model::Program {
                    name: id.clone(),
                    ..model::Program::default()
                },
                file: charter_file,
                pointer: String::new(),
                dropped: Vec::new(),
            },
            id,
            charter_loaded: false,
            milestones: Vec::new(),
            risks: Vec::new(),
            assumptions: Vec::new(),
            issues: Vec::new(),
            dependencies: Vec::new(),
            raci: Vec::new(),
            decisions: Vec::new(),
            unreadable_ids: HashSet::new(),
            files: BTreeMap::new(),
        }
    }

    /// The milestone with this id.
    pub fn milestone(&self, id: &str) -> Option<&Located<model::Milestone>> {
        self.milestones.iter().find(|m| m.id.as_str() == id)
    }

    /// `program/id` for an entity of this program.
    pub fn qualify(&self, id: &str) -> String {
        format!("{}/{id}", self.id)
    }
}

/// A whole portfolio, as loaded.
#[derive(Debug, Clone, Default)]
pub struct Portfolio {
    /// The folder it was loaded from, if from disk.
    pub root: Option<PathBuf>,
    /// `milepost.yaml` (defaults when missing).
    pub settings: Settings,
    /// The file of `milepost.yaml`, when present.
    pub settings_file: Option<FileId>,
    /// People from people.yaml.
    pub people: Vec<Located<model::Person>>,
    /// Teams from people.yaml.
    pub teams: Vec<Located<model::Team>>,
    /// Externally measured KPIs from scorecard.yaml.
    pub scorecard: Vec<Located<model::ExternalKpi>>,
    /// The file of `scorecard.yaml`, when present.
    pub scorecard_file: Option<FileId>,
    /// Programs, sorted by id.
    pub programs: Vec<Program>,
    /// Every file read, indexed by [`FileId`].
    pub sources: Vec<Source>,
    /// Findings from loading: layout, YAML, schema, references, duplicates.
    pub diagnostics: Vec<Diagnostic>,
}

impl Portfolio {
    /// The program with this id.
    pub fn program(&self, id: &str) -> Option<&Program> {
        self.programs
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.programs[i])
    }

    /// The source file with this id.
    pub fn source(&self, file: FileId) -> &Source {
        &self.sources[file as usize]
    }

    /// The source file with this relative path.
    pub fn source_by_path(&self, path: &str) -> Option<&Source> {
        self.sources.iter().find(|s| &*s.path == path)
    }

    /// The location of the value at `pointer` in `file` (or of the deepest part of the
    /// path that exists).
    pub fn locate(&self, file: FileId, pointer: &str) -> Location {
        let source = self.source(file);
        let span = source
            .tree
            .as_deref()
            .map_or_else(Span::start_of_file, |tree| {
                let mut node = tree;
                for token in crate::yaml::pointer_tokens(pointer) {
                    match node.child(&token) {
                        Some(child) => node = child,
                        None => break,
                    }
                }
                node.span
            });
        Location {
            file: Arc::clone(&source.path),
            span,
        }
    }

    /// The location of an entity (the start of its mapping).
    pub fn location_of<T>(&self, item: &Located<T>) -> Location {
        self.locate(item.file, &item.pointer)
    }

    /// The location of one field of an entity: the field's key when written, otherwise the
    /// entity itself (so a missing `owner` points at the entity).
    pub fn field_location<T>(&self, item: &Located<T>, field: &str) -> Location {
        let source = self.source(item.file);
        let key = source
            .tree
            .as_ref()
            .and_then(|t| t.pointer(&item.pointer))
            .and_then(|n| n.entry(field));
        match key {
            Some(entry) => Location {
                file: Arc::clone(&source.path),
                span: entry.key_span,
            },
            None => self.location_of(item),
        }
    }

    /// The location of a field's value (for example the second item of `depends_on`).
    pub fn value_location<T>(&self, item: &Located<T>, sub_pointer: &str) -> Location {
        self.locate(item.file, &format!("{}{sub_pointer}", item.pointer))
    }

    /// Whether a person or team id exists.
    pub fn has_person_or_team(&self, id: &str) -> bool {
        self.people.iter().any(|p| p.id.as_str() == id)
            || self.teams.iter().any(|t| t.id.as_str() == id)
    }

    /// Counts for the summary line: programs, milestones, risks.
    pub fn counts(&self) -> Counts {
        Counts {
            programs: self.programs.len(),
            milestones: self.programs.iter().map(|p| p.milestones.len()).sum(),
            risks: self.programs.iter().map(|p| p.risks.len()).sum(),
            files: self.sources.len(),
        }
    }
}

/// How much was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Counts {
    /// Programs.
    pub programs: usize,
    /// Milestones.
    pub milestones: usize,
    /// Risks.
    pub risks: usize,
    /// Files read.
    pub files: usize,
}
