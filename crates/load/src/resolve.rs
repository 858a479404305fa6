//! Reference resolution and duplicate detection.
//!
//! After every file is read, each reference is checked against what exists: person and
//! team ids against people.yaml (`owner-unknown`), milestone references within and across
//! programs, decision `supersedes`, gate templates and gate items (`ref-unknown`), and ids
//! that appear twice (`id-duplicate`). Each finding points at the offending value and
//! suggests the closest existing id.

use std::collections::{HashMap, HashSet};

use milepost_model::{EntityRef, FileKind, PersonRef, Ref};

use crate::diagnostic::{Diagnostic, Location, Suggester, did_you_mean};
use crate::portfolio::{Located, Portfolio, ProgramEntity};

/// A reference to an entity or program that does not exist.
pub const REF_UNKNOWN_RULE: &str = "ref-unknown";
/// A person or team id that is not in people.yaml.
pub const OWNER_UNKNOWN_RULE: &str = "owner-unknown";
/// An id defined twice.
pub const ID_DUPLICATE_RULE: &str = "id-duplicate";

struct Ctx<'p> {
    portfolio: &'p Portfolio,
    people: HashSet<&'p str>,
    out: Vec<Diagnostic>,
    suggester: Suggester,
    /// people.yaml, when it exists but could not be read: references to people are then
    /// counted here instead of each being reported.
    people_unreadable: Option<std::sync::Arc<str>>,
    people_skipped: usize,
}

/// The files that exist but could not be read at all (a YAML error, an encoding, a limit),
/// by (program, kind): references into them cannot be checked.
fn unreadable_files(p: &Portfolio) -> HashMap<(Option<&str>, FileKind), std::sync::Arc<str>> {
    let failed: HashSet<&str> = p
        .diagnostics
        .iter()
        .filter(|d| d.rule == crate::YAML_RULE && d.severity == crate::Severity::Error)
        .filter_map(|d| d.location.as_ref().map(|l| &*l.file))
        .collect();
    p.sources
        .iter()
        .filter(|s| (s.tree.is_none() && failed.contains(&*s.path)) || s.unidentified)
        .map(|s| {
            let program = s
                .path
                .strip_prefix("programs/")
                .and_then(|rest| rest.split('/').next());
            ((program, s.kind), std::sync::Arc::clone(&s.path))
        })
        .collect()
}

/// The one finding for references into a file that could not be read.
fn not_checked(file: &std::sync::Arc<str>, count: usize, what: &str) -> Diagnostic {
    let rule = if what == "people and teams" {
        OWNER_UNKNOWN_RULE
    } else {
        REF_UNKNOWN_RULE
    };
    Diagnostic::warning(
        rule,
        format!(
            "{} to {what} in {file} could not be checked: the file, or an id in it, could not be read",
            if count == 1 {
                "1 reference".to_owned()
            } else {
                format!("{count} references")
            }
        ),
    )
    .at_span(file, crate::Span::start_of_file())
    .hint(format!(
        "fix the error in {file} first; its references are checked once it reads"
    ))
}

impl Ctx<'_> {
    fn person<T>(
        &mut self,
        item: &Located<T>,
        sub: &str,
        id: &PersonRef,
        role: &str,
        entity: &str,
    ) {
        if self.people.contains(id.as_str()) {
            return;
        }
        if self.people_unreadable.is_some() {
            // people.yaml could not be read (or one of its ids): `id` may be the one lost.
            self.people_skipped += 1;
            return;
        }
        let people = &self.people;
        let by_name = person_named(self.portfolio, id.as_str());
        let suggestion = self.suggester.suggest("people", id.as_str(), || {
            // In a stable order, so that the same file always gets the same suggestion.
            let mut sorted: Vec<&str> = people.iter().copied().collect();
            sorted.sort_unstable();
            sorted
        });
        let hint = match (by_name, suggestion) {
            (Some((person, how)), _) => named_hint(id.as_str(), person, how),
            (None, Some(s)) => format!(
                "did you mean `{s}`? Every {role} must be a person or team id from people.yaml"
            ),
            (None, None) => {
                format!("add `{id}` to people.yaml, or use an existing person or team id")
            }
        };
        self.out.push(
            Diagnostic::error(
                OWNER_UNKNOWN_RULE,
                format!("{role} `{id}` of {entity} is not in people.yaml"),
            )
            .at(self.portfolio.value_location(item, sub))
            .entity(entity)
            .hint(hint),
        );
    }

    fn persons<T>(
        &mut self,
        item: &Located<T>,
        field: &str,
        ids: &[PersonRef],
        role: &str,
        entity: &str,
    ) {
        for (i, id) in ids.iter().enumerate() {
            self.person(item, &format!("/{field}/{i}"), id, role, entity);
        }
    }

    fn opt_person<T>(
        &mut self,
        item: &Located<T>,
        field: &str,
        id: Option<&PersonRef>,
        role: &str,
        entity: &str,
    ) {
        if let Some(id) = id {
            self.person(item, &format!("/{field}"), id, role, entity);
        }
    }
}

/// What a program-local id names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Milestone,
    Risk,
    Assumption,
    Issue,
    Dependency,
    Decision,
    Raci,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Milestone => "milestone",
            Kind::Risk => "risk",
            Kind::Assumption => "assumption",
            Kind::Issue => "issue",
            Kind::Dependency => "dependency",
            Kind::Decision => "decision",
            Kind::Raci => "RACI row",
        }
    }
}

pub(crate) fn resolve(portfolio: &mut Portfolio) {
    let found = find(portfolio);
    // A person's name or e-mail written where an id belongs (`owner: Dev Sharma`) is not an
    // id, so the schema check dropped it: point at the person's id instead of the id syntax.
    let named: Vec<(usize, String)> = portfolio
        .diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let value = d.rejected_id.as_deref()?;
            let (id, how) = person_named(portfolio, value)?;
            Some((i, named_hint(value, id, how)))
        })
        .collect();
    for (i, hint) in named {
        portfolio.diagnostics[i].hint = Some(hint);
    }
    portfolio.diagnostics.extend(found);
}

/// How a reference matched a person: by their name or their e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamedBy {
    Name,
    Email,
}

/// Letters and digits only, lower case: `Dev Sharma`, `dev-sharma` and `dev.sharma` agree.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The one person whose name, e-mail or e-mail's local part is `value` (ignoring case,
/// spaces and punctuation), if exactly one is.
fn person_named<'p>(portfolio: &'p Portfolio, value: &str) -> Option<(&'p str, NamedBy)> {
    let folded = fold(value);
    if folded.is_empty() {
        return None;
    }
    let lower = value.trim().to_lowercase();
    let mut found: Option<(&str, NamedBy)> = None;
    for person in &portfolio.people {
        let by_name = fold(&person.name) == folded;
        let by_email = person.email.as_deref().is_some_and(|e| {
            let e = e.to_lowercase();
            e == lower
                || e.split('@')
                    .next()
                    .is_some_and(|local| fold(local) == folded)
        });
        let how = match (by_name, by_email) {
            (true, _) => NamedBy::Name,
            (false, true) => NamedBy::Email,
            (false, false) => continue,
        };
        if found.is_some_and(|(id, _)| id != person.id.as_str()) {
            return None; // two people match: no guess
        }
        found = Some((person.id.as_str(), how));
    }
    found
}

fn named_hint(value: &str, id: &str, how: NamedBy) -> String {
    let what = match how {
        NamedBy::Name => "the name",
        NamedBy::Email => "the e-mail",
    };
    format!(
        "did you mean `{id}`? `{value}` is {what} of `{id}` in people.yaml; references use the person's id"
    )
}

fn find<'p>(portfolio: &'p Portfolio) -> Vec<Diagnostic> {
    let unreadable = unreadable_files(portfolio);
    let mut ctx = Ctx {
        portfolio,
        people: HashSet::new(),
        out: Vec::new(),
        suggester: Suggester::default(),
        people_unreadable: unreadable.get(&(None, FileKind::People)).cloned(),
        people_skipped: 0,
    };
    let p = ctx.portfolio;
    // References into unreadable files, counted per file.
    let skipped: std::cell::RefCell<std::collections::BTreeMap<std::sync::Arc<str>, usize>> =
        std::cell::RefCell::default();

    // People and teams: one namespace, since references do not say which they mean.
    let mut first: HashMap<&str, Location> = HashMap::new();
    for (id, loc) in p
        .people
        .iter()
        .map(|x| (x.id.as_str(), p.field_location(x, "id")))
        .chain(
            p.teams
                .iter()
                .map(|x| (x.id.as_str(), p.field_location(x, "id"))),
        )
    {
        if let Some(prev) = first.get(id) {
            ctx.out.push(
                Diagnostic::error(
                    ID_DUPLICATE_RULE,
                    format!("person or team id `{id}` is defined twice"),
                )
                .at(loc)
                .related(prev.clone(), "first defined here")
                .hint("people and teams share one set of ids; rename one of them"),
            );
        } else {
            first.insert(id, loc);
            ctx.people.insert(id);
        }
    }
    // Scorecard KPIs: one namespace of their own.
    let mut kpis: HashMap<&str, Location> = HashMap::new();
    for kpi in &p.scorecard {
        let loc = p.field_location(kpi, "id");
        if let Some(prev) = kpis.get(kpi.id.as_str()) {
            ctx.out.push(
                Diagnostic::error(
                    ID_DUPLICATE_RULE,
                    format!("KPI id `{}` is defined twice in scorecard.yaml", kpi.id),
                )
                .at(loc)
                .related(prev.clone(), "first defined here")
                .hint("give each KPI one entry, with all its measurements under `values`"),
            );
        } else {
            kpis.insert(kpi.id.as_str(), loc);
        }
    }
    for person in &p.people {
        let entity = format!("person `{}`", person.id);
        ctx.opt_person(person, "team", person.team.as_ref(), "team", &entity);
    }
    for team in &p.teams {
        let entity = format!("team `{}`", team.id);
        ctx.opt_person(team, "lead", team.lead.as_ref(), "lead", &entity);
    }

    // Every id in every program, by program: id → (kind, location).
    let mut ids: HashMap<&str, HashMap<&str, Kind>> = HashMap::new();
    for program in &p.programs {
        let mut seen: HashMap<&str, (Kind, crate::portfolio::FileId, &str)> = HashMap::new();
        let mut add = |id: &'p str,
                       kind: Kind,
                       file: crate::portfolio::FileId,
                       pointer: &'p str,
                       out: &mut Vec<Diagnostic>| {
            if let Some((prev_kind, prev_file, prev_ptr)) = seen.get(id) {
                let loc = p.locate(file, &format!("{pointer}/id"));
                let prev = p.locate(*prev_file, &format!("{prev_ptr}/id"));
                let by = if *prev_kind == kind {
                    format!("by two {}s", kind.noun())
                } else {
                    format!("by a {} and a {}", prev_kind.noun(), kind.noun())
                };
                out.push(
                    Diagnostic::error(
                        ID_DUPLICATE_RULE,
                        format!("id `{id}` is used twice in program `{}` ({by})", program.id),
                    )
                    .at(loc)
                    .related(prev, "first defined here")
                    .entity(program.qualify(id))
                    .hint("ids must be unique within a program so that `program/id` names one thing; rename this one"),
                );
            } else {
                seen.insert(id, (kind, file, pointer));
            }
        };
        for item in program.entities() {
            let Some(id) = item.id() else { continue };
            let kind = match item {
                ProgramEntity::Milestone(_) => Kind::Milestone,
                ProgramEntity::Risk(_) => Kind::Risk,
                ProgramEntity::Assumption(_) => Kind::Assumption,
                ProgramEntity::Issue(_) => Kind::Issue,
                ProgramEntity::Dependency(_) => Kind::Dependency,
                ProgramEntity::Raci(_) => Kind::Raci,
                ProgramEntity::Decision(_) => Kind::Decision,
            };
            add(id, kind, item.file(), item.pointer(), &mut ctx.out);
        }
        ids.insert(
            program.id.as_str(),
            seen.into_iter()
                .map(|(k, (kind, _, _))| (k, kind))
                .collect(),
        );
    }
    let program_ids: Vec<&str> = p.programs.iter().map(|x| x.id.as_str()).collect();
    // One bounded "did you mean" for every reference (see `Suggester`).
    let suggester = std::cell::RefCell::new(Suggester::default());

    // Resolves `M3` or `other/M3` to an entity of `want` kind.
    let check_ref = |out: &mut Vec<Diagnostic>,
                     from: &str,
                     item_loc: &dyn Fn() -> Location,
                     r: &Ref,
                     want: Kind,
                     role: &str,
                     entity: &str| {
        let Some(EntityRef { program, id }) = r.parts() else {
            return;
        };
        let target_program = program.unwrap_or(from);
        let Some(target_ids) = ids.get(target_program) else {
            let renamed_to = p.programs.iter().find(|x| {
                x.charter
                    .renamed_from
                    .as_ref()
                    .is_some_and(|r| r.as_str() == target_program)
            });
            let close = suggester
                .borrow_mut()
                .suggest("programs", target_program, || program_ids.iter().copied());
            let hint = match (renamed_to, close) {
                (Some(to), _) => format!(
                    "program `{target_program}` was renamed to `{}` (`renamed_from` in programs/{}/program.yaml): write `{}/{id}`",
                    to.id, to.id, to.id
                ),
                (None, Some(s)) => {
                    format!("did you mean `{s}/{id}`? No folder programs/{target_program}/ exists")
                }
                (None, None) => format!(
                    "no folder programs/{target_program}/ exists; check the program id before the `/`"
                ),
            };
            out.push(
                Diagnostic::error(
                    REF_UNKNOWN_RULE,
                    format!("{role} `{r}` of {entity} names an unknown program `{target_program}`"),
                )
                .at(item_loc())
                .entity(entity)
                .hint(hint),
            );
            return;
        };
        match target_ids.get(id) {
            Some(kind) if *kind == want => {}
            Some(kind) => out.push(
                Diagnostic::error(
                    REF_UNKNOWN_RULE,
                    format!(
                        "{role} `{r}` of {entity} is a {}, not a {}",
                        kind.noun(),
                        want.noun()
                    ),
                )
                .at(item_loc())
                .entity(entity)
                .hint(format!("refer to a {} id", want.noun())),
            ),
            None => {
                let unreadable_id = p
                    .program(target_program)
                    .is_some_and(|tp| tp.unreadable_ids.contains(id));
                if unreadable_id {
                    return;
                }
                let kind = match want {
                    Kind::Milestone => FileKind::Milestones,
                    Kind::Decision => FileKind::Decisions,
                    Kind::Raci => FileKind::Raci,
                    Kind::Risk | Kind::Assumption | Kind::Issue | Kind::Dependency => {
                        FileKind::Raid
                    }
                };
                if let Some(file) = unreadable.get(&(Some(target_program), kind)) {
                    *skipped.borrow_mut().entry(file.clone()).or_default() += 1;
                    return;
                }
                let close = suggester.borrow_mut().suggest(
                    &format!("{target_program} {}", want.noun()),
                    id,
                    || {
                        // In a stable order, so that the same file always gets the same
                        // suggestion.
                        let mut ids: Vec<&str> = target_ids
                            .iter()
                            .filter(|(_, k)| **k == want)
                            .map(|(i, _)| *i)
                            .collect();
                        ids.sort_unstable();
                        ids
                    },
                );
                let hint = match close {
                    Some(s) if program.is_some() => format!("did you mean `{target_program}/{s}`?"),
                    Some(s) => format!("did you mean `{s}`?"),
                    None if program.is_none() => format!(
                        "program `{from}` has no {} `{id}`; to refer to another program write `program-id/{id}`",
                        want.noun()
                    ),
                    None => format!("program `{target_program}` has no {} `{id}`", want.noun()),
                };
                out.push(
                    Diagnostic::error(
                        REF_UNKNOWN_RULE,
                        format!("{role} `{r}` of {entity} does not exist"),
                    )
                    .at(item_loc())
                    .entity(entity)
                    .hint(hint),
                );
            }
        }
    };

    let gates = &p.settings.gates;
    for program in &p.programs {
        let charter = &program.charter;
        let pid = program.id.as_str();
        if program.charter_loaded {
            let entity = format!("program `{pid}`");
            ctx.opt_person(
                charter,
                "sponsor",
                charter.sponsor.as_ref(),
                "sponsor",
                &entity,
            );
            ctx.opt_person(charter, "owner", charter.owner.as_ref(), "owner", &entity);
            for (i, s) in charter.stakeholders.iter().enumerate() {
                let sub = match s {
                    milepost_model::Stakeholder::Id(_) => format!("/stakeholders/{i}"),
                    milepost_model::Stakeholder::WithRole(_) => format!("/stakeholders/{i}/id"),
                };
                ctx.person(charter, &sub, s.id(), "stakeholder", &entity);
            }
            for (r, retro) in charter.retrospectives.iter().enumerate() {
                if let Some(m) = &retro.milestone {
                    let loc =
                        || p.value_location(charter, &format!("/retrospectives/{r}/milestone"));
                    check_ref(
                        &mut ctx.out,
                        pid,
                        &loc,
                        m,
                        Kind::Milestone,
                        "retrospective",
                        &entity,
                    );
                }
                for (a, action) in retro.actions.iter().enumerate() {
                    if let Some(owner) = &action.owner {
                        ctx.person(
                            charter,
                            &format!("/retrospectives/{r}/actions/{a}/owner"),
                            owner,
                            "action owner",
                            &entity,
                        );
                    }
                }
            }
        }
        for m in &program.milestones {
            let entity = program.qualify(&m.id);
            ctx.opt_person(m, "owner", m.owner.as_ref(), "owner", &entity);
            for (i, dep) in m.depends_on.iter().enumerate() {
                let loc = || p.value_location(m, &format!("/depends_on/{i}"));
                check_ref(
                    &mut ctx.out,
                    pid,
                    &loc,
                    dep,
                    Kind::Milestone,
                    "dependency",
                    &entity,
                );
            }
            let gate = m.gate.as_ref().map(|g| (g, gates.get(g.as_str())));
            let settings_unreadable = unreadable.get(&(None, FileKind::Settings));
            if let (Some((_, None)), Some(file)) = (gate, settings_unreadable) {
                *skipped.borrow_mut().entry(file.clone()).or_default() += 1;
            } else if let Some((name, None)) = gate {
                let hint = match did_you_mean(name, gates.keys().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if gates.is_empty() => {
                        "define the gate template under `gates:` in milepost.yaml".to_owned()
                    }
                    None => format!(
                        "gates defined in milepost.yaml: {}",
                        gates.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                ctx.out.push(
                    Diagnostic::error(
                        REF_UNKNOWN_RULE,
                        format!("gate `{name}` of {entity} is not defined in milepost.yaml"),
                    )
                    .at(p.value_location(m, "/gate"))
                    .entity(&entity)
                    .hint(hint),
                );
            }
            for (item_id, r) in &m.readiness {
                let sub = format!(
                    "/readiness/{}",
                    item_id.replace('~', "~0").replace('/', "~1")
                );
                ctx.opt_person(
                    m,
                    &format!("{}/owner", &sub[1..]),
                    r.owner.as_ref(),
                    "readiness owner",
                    &entity,
                );
                ctx.opt_person(
                    m,
                    &format!("{}/approver", &sub[1..]),
                    r.approver.as_ref(),
                    "readiness approver",
                    &entity,
                );
                if let Some((name, Some(template))) = gate {
                    let items = template.items();
                    let known = items.iter().any(|it| it.id.as_str() == item_id);
                    if let (false, Some(file)) = (known, settings_unreadable) {
                        *skipped.borrow_mut().entry(file.clone()).or_default() += 1;
                    } else if !known {
                        let hint =
                            match did_you_mean(item_id, items.iter().map(|it| it.id.as_str())) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => format!(
                                    "gate `{name}` has items: {}",
                                    items
                                        .iter()
                                        .map(|it| it.id.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            };
                        let key_loc = p
                            .source(m.file)
                            .tree
                            .as_ref()
                            .and_then(|t| t.pointer(&format!("{}/readiness", m.pointer)))
                            .and_then(|n| n.entry(item_id))
                            .map_or_else(
                                || p.value_location(m, &sub),
                                |e| Location {
                                    file: p.source(m.file).path.clone(),
                                    span: e.key_span,
                                },
                            );
                        ctx.out.push(
                            Diagnostic::error(REF_UNKNOWN_RULE, format!("readiness item `{item_id}` of {entity} is not an item of gate `{name}`"))
                                .at(key_loc)
                                .entity(&entity)
                                .hint(hint),
                        );
                    }
                }
            }
        }
        for r in &program.risks {
            let entity = program.qualify(&r.id);
            ctx.opt_person(r, "owner", r.owner.as_ref(), "owner", &entity);
            ctx.opt_person(
                r,
                "accepted_by",
                r.accepted_by.as_ref(),
                "accepted_by",
                &entity,
            );
            for (i, m) in r.milestones.iter().enumerate() {
                let loc = || p.value_location(r, &format!("/milestones/{i}"));
                check_ref(
                    &mut ctx.out,
                    pid,
                    &loc,
                    m,
                    Kind::Milestone,
                    "linked milestone",
                    &entity,
                );
            }
        }
        for a in &program.assumptions {
            let entity = program.qualify(&a.id);
            ctx.opt_person(a, "owner", a.owner.as_ref(), "owner", &entity);
        }
        for issue in &program.issues {
            let entity = program.qualify(&issue.id);
            ctx.opt_person(issue, "owner", issue.owner.as_ref(), "owner", &entity);
            ctx.opt_person(
                issue,
                "escalated_to",
                issue.escalated_to.as_ref(),
                "escalated_to",
                &entity,
            );
            for (i, m) in issue.milestones.iter().enumerate() {
                let loc = || p.value_location(issue, &format!("/milestones/{i}"));
                check_ref(
                    &mut ctx.out,
                    pid,
                    &loc,
                    m,
                    Kind::Milestone,
                    "linked milestone",
                    &entity,
                );
            }
        }
        for d in &program.dependencies {
            let entity = program.qualify(&d.id);
            ctx.opt_person(d, "provider", d.provider.as_ref(), "provider", &entity);
            ctx.opt_person(d, "owner", d.owner.as_ref(), "owner", &entity);
            if let Some(m) = &d.milestone {
                let loc = || p.value_location(d, "/milestone");
                check_ref(
                    &mut ctx.out,
                    pid,
                    &loc,
                    m,
                    Kind::Milestone,
                    "milestone",
                    &entity,
                );
            }
        }
        for (i, row) in program.raci.iter().enumerate() {
            let entity = match &row.id {
                Some(id) => program.qualify(id),
                None => format!("{pid} RACI row {} (`{}`)", i + 1, row.activity),
            };
            ctx.persons(row, "responsible", &row.responsible, "responsible", &entity);
            match &row.accountable {
                Some(milepost_model::OneOrMany::One(one)) => {
                    ctx.person(row, "/accountable", one, "accountable", &entity);
                }
                Some(milepost_model::OneOrMany::Many(many)) => {
                    ctx.persons(row, "accountable", many, "accountable", &entity);
                }
                None => {}
            }
            ctx.persons(row, "consulted", &row.consulted, "consulted", &entity);
            ctx.persons(row, "informed", &row.informed, "informed", &entity);
            if let Some(m) = &row.milestone {
                let loc = || p.value_location(row, "/milestone");
                check_ref(
                    &mut ctx.out,
                    pid,
                    &loc,
                    m,
                    Kind::Milestone,
                    "milestone",
                    &entity,
                );
            }
        }
        for d in &program.decisions {
            let entity = program.qualify(&d.id);
            ctx.opt_person(d, "owner", d.owner.as_ref(), "owner", &entity);
            ctx.opt_person(
                d,
                "decided_by",
                d.decided_by.as_ref(),
                "decided_by",
                &entity,
            );
            if let Some(s) = &d.supersedes {
                let loc = || p.value_location(d, "/supersedes");
                check_ref(
                    &mut ctx.out,
                    pid,
                    &loc,
                    s,
                    Kind::Decision,
                    "supersedes",
                    &entity,
                );
            }
        }
    }
    if let Some(file) = &ctx.people_unreadable
        && ctx.people_skipped > 0
    {
        ctx.out
            .push(not_checked(file, ctx.people_skipped, "people and teams"));
    }
    for (file, count) in skipped.into_inner() {
        let what = if file.ends_with("milepost.yaml") || file.ends_with("milepost.yml") {
            "gate templates"
        } else {
            "its entities"
        };
        ctx.out.push(not_checked(&file, count, what));
    }
    ctx.out
}
