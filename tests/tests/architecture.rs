//! The layering of `docs/architecture.md`, enforced.
//!
//! - **Crate edges.** Each crate sits on a layer; a crate may depend (normal
//!   `[dependencies]`) only on crates of lower layers. `rules` and `history` share a layer
//!   and do not know each other; `synth` (synthetic portfolios) is a development tool that no
//!   library may depend on outside `[dev-dependencies]`.
//! - **Module cycles.** Inside a crate, the top-level modules (`src/x.rs`, `src/x/…`) form a
//!   graph through their `crate::y` references; it must have no cycle. A child module
//!   reaching its parent (`super::`) is part of one module and does not count, nor do
//!   `#[cfg(test)]` sections.
//!
//! The test reads the files as text: no extra tool, and it fails with the offending edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A crate may depend on crates of strictly lower layers.
const LAYERS: &[(&str, u8)] = &[
    ("milepost-model", 0),
    ("milepost-load", 1),
    ("milepost-plan", 2),
    ("milepost-rules", 3),
    ("milepost-history", 3),
    ("milepost-exchange", 3),
    ("milepost-session", 4),
    ("milepost-render", 5),
    ("milepost-lsp", 5),
    ("milepost", 6),
];

/// Crates no library may depend on (only as a dev-dependency).
const DEV_ONLY: &[&str] = &["milepost-synth"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

fn crate_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(workspace().join("crates"))
        .expect("crates/ exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// The package name and its `milepost*` normal dependencies, read from a manifest.
fn manifest(dir: &Path) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).expect("readable manifest");
    let mut name = String::new();
    let mut section = String::new();
    let mut deps = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            line.trim_matches(|c| c == '[' || c == ']')
                .clone_into(&mut section);
            continue;
        }
        if section == "package"
            && let Some(v) = line.strip_prefix("name")
        {
            v.trim_start_matches([' ', '='])
                .trim_matches('"')
                .clone_into(&mut name);
        }
        if section == "dependencies"
            && line.starts_with("milepost")
            && let Some(dep) = line.split(['.', ' ', '=']).next()
        {
            deps.push(dep.to_owned());
        }
    }
    (name, deps)
}

fn layer(name: &str) -> Option<u8> {
    LAYERS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
}

#[test]
fn crates_depend_only_on_lower_layers() {
    let mut bad = Vec::new();
    let mut seen = 0;
    for dir in crate_dirs() {
        let (name, deps) = manifest(&dir);
        if DEV_ONLY.contains(&name.as_str()) {
            assert!(
                deps.is_empty(),
                "{name} must not depend on milepost crates: {deps:?}"
            );
            continue;
        }
        let Some(own) = layer(&name) else {
            panic!("crate `{name}` has no layer: add it to LAYERS and docs/architecture.md");
        };
        seen += 1;
        for dep in deps {
            if DEV_ONLY.contains(&dep.as_str()) {
                bad.push(format!(
                    "{name} → {dep} (a development tool: dev-dependencies only)"
                ));
                continue;
            }
            match layer(&dep) {
                Some(l) if l < own => {}
                Some(l) => bad.push(format!("{name} (layer {own}) → {dep} (layer {l})")),
                None => bad.push(format!("{name} → {dep} (unknown crate)")),
            }
        }
    }
    assert!(seen >= 8, "found only {seen} layered crates");
    assert!(
        bad.is_empty(),
        "edges docs/architecture.md does not allow:\n{}",
        bad.join("\n")
    );
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.expect("readable").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for the crate root).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_owned())
}

/// The code of a file without comments (a doc link is not a dependency) and without its
/// `#[cfg(test)]` sections (by convention at the end).
fn code_of(text: &str) -> String {
    let text = text.find("#[cfg(test)]").map_or(text, |i| &text[..i]);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules named by `crate::x` paths in `code`, including grouped imports
/// (`use crate::{a::B, c};`).
fn referenced(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // Top-level items of the group: split on commas at brace depth 0.
            let mut depth = 0;
            let mut start = 0;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.insert(ident(group[start..j].trim()));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(group[start..j].trim()));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(after));
        }
        rest = after;
    }
    out.remove("");
    out
}

/// The module graph of one crate: module → modules it references.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let Some(from) = module_of(src, f) else {
            continue;
        };
        let text = std::fs::read_to_string(f).expect("readable source");
        let targets = graph.entry(from.clone()).or_default();
        for to in referenced(&code_of(&text)) {
            if to != from && modules.contains(&to) {
                targets.insert(to);
            }
        }
    }
    graph
}

/// One cycle of the graph, if there is any (iterative depth-first search).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark: BTreeMap<&str, Mark> = graph.keys().map(|k| (k.as_str(), Mark::New)).collect();
    for root in graph.keys() {
        if mark[root.as_str()] != Mark::New {
            continue;
        }
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(
            root.as_str(),
            graph[root].iter().map(String::as_str).collect(),
        )];
        mark.insert(root, Mark::Open);
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(to) = next.pop() {
                match mark.get(to).copied().unwrap_or(Mark::Done) {
                    Mark::Open => {
                        let start = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let mut cycle: Vec<String> = stack[start..]
                            .iter()
                            .map(|(n, _)| (*n).to_owned())
                            .collect();
                        cycle.push(to.to_owned());
                        return Some(cycle);
                    }
                    Mark::New => {
                        mark.insert(to, Mark::Open);
                        let succ = graph
                            .get(to)
                            .map(|s| s.iter().map(String::as_str).collect())
                            .unwrap_or_default();
                        stack.push((to, succ));
                    }
                    Mark::Done => {}
                }
            } else {
                mark.insert(node, Mark::Done);
                stack.pop();
            }
        }
    }
    None
}

#[test]
fn no_module_cycles_in_any_crate() {
    let mut cycles = Vec::new();
    let mut crates = crate_dirs();
    crates.push(workspace().join("tests"));
    for dir in crates {
        let graph = module_graph(&dir.join("src"));
        if let Some(cycle) = find_cycle(&graph) {
            cycles.push(format!("{}: {}", dir.display(), cycle.join(" → ")));
        }
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let edges = |pairs: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            g.entry((*a).to_owned())
                .or_default()
                .insert((*b).to_owned());
            g.entry((*b).to_owned()).or_default();
        }
        g
    };
    assert_eq!(find_cycle(&edges(&[("a", "b"), ("b", "c")])), None);
    let cycle = find_cycle(&edges(&[("a", "b"), ("b", "c"), ("c", "a")])).expect("a cycle");
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4);
    assert_eq!(
        referenced("use crate::{a::B, c, d::{e, f}};\nlet x = crate::g::h();"),
        ["a", "c", "d", "g"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    );
}
