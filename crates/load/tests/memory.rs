//! Loading from an in-memory file set (how history loads a git tree) gives the same
//! portfolio as loading from disk.

use milepost_load::{FileSet, load, load_dir};
use milepost_synth::{Options, generate, write_to_dir};

#[test]
fn memory_and_disk_agree() {
    let files = generate(&Options::with_programs(7));
    let dir = tempfile::tempdir().unwrap();
    write_to_dir(&files, dir.path()).unwrap();
    let from_disk = load_dir(dir.path()).unwrap();
    let from_memory = load(FileSet::from_memory(
        files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes())),
    ));
    assert!(
        from_disk.diagnostics.is_empty(),
        "{:?}",
        from_disk.diagnostics
    );
    assert_eq!(from_disk.counts(), from_memory.counts());
    assert_eq!(from_disk.programs.len(), 7);
    for (a, b) in from_disk.programs.iter().zip(&from_memory.programs) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.charter.value, b.charter.value);
        let ma: Vec<_> = a.milestones.iter().map(|m| m.value.clone()).collect();
        let mb: Vec<_> = b.milestones.iter().map(|m| m.value.clone()).collect();
        assert_eq!(ma, mb);
    }
}

#[test]
fn memory_sets_report_layout_problems_too() {
    let set = FileSet::from_memory([
        ("milepost.yaml", b"name: x\n".to_vec()),
        ("programs/a/milestones.yaml", b"milestones: []\n".to_vec()),
        ("programs/a/milestone.yaml", b"milestones: []\n".to_vec()),
        ("README.md", b"# hi".to_vec()),
    ]);
    let p = load(set);
    let rules: Vec<&str> = p.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(
        rules,
        ["portfolio-layout", "portfolio-layout"],
        "{:?}",
        p.diagnostics
    );
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.hint.as_deref().unwrap_or("").contains("milestones.yaml"))
    );
}

#[test]
fn a_broken_entity_does_not_hide_its_neighbours() {
    let set = FileSet::from_memory([
        ("milepost.yaml", b"name: x\n".to_vec()),
        ("people.yaml", b"people:\n  - id: ada\n    name: Ada\n".to_vec()),
        ("programs/a/program.yaml", b"name: A\nowner: ada\nhealth: purple\n".to_vec()),
        (
            "programs/a/milestones.yaml",
            b"milestones:\n  - id: M1\n    title: ok\n  - id: M2\n    status: bogus\n    title: bad status\n  - id: M3\n    title: depends on the broken one\n    depends_on: [M2]\n".to_vec(),
        ),
    ]);
    let p = load(set);
    let program = p.program("a").unwrap();
    // The charter loads without the invalid field.
    assert!(program.charter_loaded);
    assert_eq!(program.charter.owner.as_deref(), Some("ada"));
    assert!(program.charter.health.is_none());
    // M2 keeps loading without its invalid status; M3's reference to it resolves.
    assert_eq!(program.milestones.len(), 3);
    let rules: Vec<(&str, u32)> = p
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.location.as_ref().unwrap().span.line))
        .collect();
    assert_eq!(rules, [("schema", 5), ("schema", 3)], "{:?}", p.diagnostics);
    assert!(
        p.diagnostics[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("planned, in_progress, done, cancelled"),
        "{:?}",
        p.diagnostics[0]
    );
    assert!(
        p.diagnostics[1]
            .hint
            .as_deref()
            .unwrap()
            .contains("green, amber, red"),
        "{:?}",
        p.diagnostics[1]
    );
}

/// A git tree is read like a folder: `.yml` files are read exactly like `.yaml`, and both
/// spellings of one file are one error (the `.yaml` one is read).
#[test]
fn memory_sets_read_yml_like_yaml() {
    let risk = b"risks:\n  - id: R-1\n    title: t\n    owner: ada\n    probability: low\n    impact: low\n    status: open\n".to_vec();
    let p = load(FileSet::from_memory([
        ("milepost.yml", b"name: x\n".to_vec()),
        (
            "people.yml",
            b"people:\n  - id: ada\n    name: Ada\n".to_vec(),
        ),
        ("programs/a/program.yml", b"name: A\nowner: ada\n".to_vec()),
        ("programs/a/raid.yml", risk.clone()),
    ]));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.settings.name, "x");
    assert_eq!(p.programs[0].risks.len(), 1);
    let p = load(FileSet::from_memory([
        ("milepost.yaml", b"name: x\n".to_vec()),
        ("programs/a/program.yaml", b"name: A\n".to_vec()),
        ("programs/a/raid.yaml", risk.clone()),
        ("programs/a/raid.yml", risk),
    ]));
    let layout: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("two spellings"))
        .collect();
    assert_eq!(layout.len(), 1, "{:?}", p.diagnostics);
    assert_eq!(p.programs[0].risks.len(), 1);
}

/// A parse cache gives the same portfolio as a fresh load, after an edit, an added file, a
/// removed file and a broken file, and reuses the parses of unchanged files.
#[test]
fn cached_loads_equal_fresh_loads_across_edits() {
    use milepost_load::{ParseCache, load_cached};
    let mut files: Vec<(String, String)> = generate(&Options::with_programs(4));
    let mut cache = ParseCache::default();
    let same = |files: &[(String, String)], cache: &mut ParseCache| {
        let set = || {
            FileSet::from_memory(
                files
                    .iter()
                    .map(|(p, t)| (p.clone(), t.clone().into_bytes())),
            )
        };
        let fresh = load(set());
        let cached = load_cached(set(), cache);
        assert_eq!(
            format!("{:?}", fresh.diagnostics),
            format!("{:?}", cached.diagnostics)
        );
        assert_eq!(fresh.counts(), cached.counts());
        assert_eq!(
            format!("{:?}", fresh.programs),
            format!("{:?}", cached.programs)
        );
    };
    same(&files, &mut cache);
    same(&files, &mut cache); // all from the cache
    let edited = files
        .iter()
        .position(|(p, _)| p.ends_with("milestones.yaml"))
        .unwrap();
    files[edited].1 = files[edited].1.replacen("title:", "title: Edited", 1);
    same(&files, &mut cache);
    files[edited].1.push_str("  - id: [broken\n");
    same(&files, &mut cache);
    files.remove(edited);
    same(&files, &mut cache);
    files.push((
        "programs/zz/program.yaml".to_owned(),
        "name: Late addition\nstatus: proposed\n".to_owned(),
    ));
    same(&files, &mut cache);
}
