//! History mining speed on generated histories: 1,000 and 20,000 commits over a
//! 100-program portfolio from `milepost-synth`, each commit changing three files (a
//! milestone target, a risk review date, a program's health) in one to three programs.
//!
//! The repository is built with git2 in a temporary folder (objects in memory, then written
//! as one pack, as a clone would have them). Each measurement opens the repository afresh
//! and walks the whole first-parent history cold (no parse cache carried over):
//!
//! - `walk`: every commit's semantic changes (what `audit` and `metrics` read);
//! - `log`: one milestone's history (`milepost log prog-0042/M3`, one program's files);
//! - `trees`: the tree comparison alone, no parsing (the `git log --name-only` part).
//!
//! Run with `cargo bench -p milepost-history`; `MILEPOST_BENCH_KEEP=DIR` keeps the generated
//! repositories for running other tools on the same history.

use std::io::Write as _;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};
use milepost_history::{History, WalkOptions};
use milepost_synth::{Options, generate};

/// The allocator of the `milepost` binary, so the figures are the command's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `SplitMix64`, as in milepost-synth: deterministic choices without a dependency.
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
        (self.next() % n as u64) as usize
    }
}

/// Replaces the value of the `nth` line starting with `key` (after indentation).
fn set_nth(text: &str, key: &str, nth: usize, value: &str) -> String {
    let mut seen = 0;
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) {
            if seen == nth {
                let indent = &line[..line.len() - trimmed.len()];
                out.push_str(indent);
                out.push_str(key);
                out.push(' ');
                out.push_str(value);
                out.push('\n');
                seen += 1;
                continue;
            }
            seen += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn date(day: usize) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
        + chrono::Days::new((day % 300) as u64);
    d.format("%Y-%m-%d").to_string()
}

/// Builds a repository with `commits` commits in `dir`; returns the tip.
fn build(dir: &std::path::Path, commits: usize) -> Oid {
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = Repository::init_opts(dir, &opts).unwrap();
    let odb = repo.odb().unwrap();
    let mempack = odb.add_new_mempack_backend(1000).unwrap();
    let files = generate(&Options::with_programs(100));
    let mut texts: Vec<(String, String)> = files;
    // Index: program → (path index of program.yaml, milestones.yaml, raid.yaml).
    let find =
        |texts: &[(String, String)], path: &str| texts.iter().position(|(p, _)| p == path).unwrap();
    let write_program = |repo: &Repository, texts: &[(String, String)], p: usize| -> Oid {
        let prefix = format!("programs/prog-{p:04}/");
        let mut b = repo.treebuilder(None).unwrap();
        for (path, text) in texts.iter().filter(|(path, _)| path.starts_with(&prefix)) {
            let blob = repo.blob(text.as_bytes()).unwrap();
            b.insert(&path[prefix.len()..], blob, 0o100_644).unwrap();
        }
        b.write().unwrap()
    };
    let mut program_trees: Vec<Oid> = (0..100).map(|p| write_program(&repo, &texts, p)).collect();
    let root = |repo: &Repository, texts: &[(String, String)], program_trees: &[Oid]| -> Oid {
        let mut programs = repo.treebuilder(None).unwrap();
        for (p, t) in program_trees.iter().enumerate() {
            programs
                .insert(format!("prog-{p:04}"), *t, 0o040_000)
                .unwrap();
        }
        let programs = programs.write().unwrap();
        let mut b = repo.treebuilder(None).unwrap();
        for name in ["milepost.yaml", "people.yaml"] {
            let text = &texts[texts.iter().position(|(p, _)| p == name).unwrap()].1;
            b.insert(name, repo.blob(text.as_bytes()).unwrap(), 0o100_644)
                .unwrap();
        }
        b.insert("programs", programs, 0o040_000).unwrap();
        b.write().unwrap()
    };
    let mut rng = Rng(7);
    let mut parent: Option<Oid> = None;
    for i in 0..commits {
        if i > 0 {
            let mut touched = Vec::new();
            for f in 0..3 {
                let p = rng.below(100);
                let base = format!("programs/prog-{p:04}/");
                match f {
                    0 => {
                        let k = find(&texts, &format!("{base}milestones.yaml"));
                        let text = set_nth(&texts[k].1, "target:", rng.below(10), &date(i));
                        texts[k].1 = text;
                    }
                    1 => {
                        let k = find(&texts, &format!("{base}raid.yaml"));
                        let text = set_nth(&texts[k].1, "reviewed:", rng.below(8), &date(i));
                        texts[k].1 = text;
                    }
                    _ => {
                        let k = find(&texts, &format!("{base}program.yaml"));
                        let health = ["green", "amber", "red"][i % 3];
                        let text = set_nth(&texts[k].1, "health:", 0, health);
                        texts[k].1 = text;
                    }
                }
                touched.push(p);
            }
            for p in touched {
                program_trees[p] = write_program(&repo, &texts, p);
            }
        }
        let tree = repo.find_tree(root(&repo, &texts, &program_trees)).unwrap();
        let sig = Signature::new(
            &format!("Dev {}", i % 17),
            &format!("dev{}@example.com", i % 17),
            &Time::new(1_790_000_000 + i as i64 * 3600, 60),
        )
        .unwrap();
        let parents: Vec<git2::Commit<'_>> = parent
            .map(|p| repo.find_commit(p).unwrap())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let message = format!("Update plan {i} (#{})", i + 1);
        parent = Some(
            repo.commit(None, &sig, &sig, &message, &tree, &refs)
                .unwrap(),
        );
    }
    let mut pack = git2::Buf::new();
    mempack.dump(&repo, &mut pack).unwrap();
    let mut writer = odb.packwriter().unwrap();
    writer.write_all(&pack).unwrap();
    writer.commit().unwrap();
    mempack.reset().unwrap();
    let tip = parent.unwrap();
    repo.reference("refs/heads/main", tip, true, "bench")
        .unwrap();
    tip
}

#[expect(clippy::print_stderr, reason = "how long the setup took, for the note")]
fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    for commits in [1_000usize, 20_000] {
        let dir = tempfile::tempdir().unwrap();
        // MILEPOST_BENCH_KEEP=DIR keeps the repositories (DIR/commits-N) for side-by-side
        // runs of other tools, e.g. `git -C DIR/commits-20000 log --name-only`.
        let path = match std::env::var_os("MILEPOST_BENCH_KEEP") {
            Some(keep) => std::path::Path::new(&keep).join(format!("commits-{commits}")),
            None => dir.path().to_path_buf(),
        };
        let _ = std::fs::remove_dir_all(path.join(".git"));
        std::fs::create_dir_all(&path).unwrap();
        let started = std::time::Instant::now();
        let tip = build(&path, commits);
        eprintln!("built {commits} commits in {:.1?}", started.elapsed());
        group.bench_with_input(BenchmarkId::new("walk", commits), &path, |b, path| {
            b.iter(|| {
                let h = History::open(path).unwrap();
                let walk = h.walk(tip, &WalkOptions::default()).unwrap();
                assert_eq!(walk.walked, commits);
                walk.commits.len()
            });
        });
        group.bench_with_input(BenchmarkId::new("log", commits), &path, |b, path| {
            b.iter(|| {
                let h = History::open(path).unwrap();
                h.entity_log(tip, "prog-0042/M3", true)
                    .unwrap()
                    .events
                    .len()
            });
        });
        group.bench_with_input(BenchmarkId::new("trees", commits), &path, |b, path| {
            b.iter(|| {
                let h = History::open(path).unwrap();
                let walk = h
                    .walk(
                        tip,
                        &WalkOptions {
                            program: Some("no-such-program".to_owned()),
                            ..WalkOptions::default()
                        },
                    )
                    .unwrap();
                walk.walked
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
