//! Hostile input: whatever is in the folder, `milepost check` answers with a located
//! finding (exit 1) or a clear refusal (exit 2) — never a panic, a hang or unbounded
//! memory. One test per case named in the foundation issue.

#![expect(
    clippy::format_push_string,
    clippy::format_collect,
    reason = "hostile inputs are built as text; clarity over allocation"
)]

mod common;

use common::{check_json, diagnostics, expect_finding, milepost, portfolio, write};

const MS: &str = "programs/alpha/milestones.yaml";

#[test]
fn malformed_yaml_is_located() {
    let dir = portfolio(&[(MS, b"milestones:\n  - id: M1\n    title: [unclosed\n")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, None);
    assert!(d["line"].as_u64().unwrap() >= 3, "{d}");
    assert!(d["hint"].is_string());
}

#[test]
fn tabs_are_located_with_a_hint() {
    let dir = portfolio(&[(MS, b"milestones:\n\t- id: M1\n")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, Some(2));
    assert!(d["hint"].as_str().unwrap().contains("spaces"));
}

#[test]
fn duplicate_keys_point_at_the_second() {
    let dir = portfolio(&[(MS, b"milestones:\n  - id: M1\n    title: A\n    title: B\n")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, Some(4));
    assert_eq!(d["related"][0]["line"], 3);
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..15 {
        let p = i - 1;
        doc.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let dir = portfolio(&[(MS, doc.as_bytes())]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, None);
    assert!(d["message"].as_str().unwrap().contains("alias"), "{d}");
}

#[test]
fn deep_nesting_is_refused_without_stack_overflow() {
    let flow = "[".repeat(100_000) + &"]".repeat(100_000);
    let block: String = (0..100_000)
        .map(|i| format!("{}- \n", " ".repeat(i % 200)))
        .collect();
    for doc in [flow, format!("milestones:\n{}", "  - ".repeat(50_000))] {
        let dir = portfolio(&[(MS, doc.as_bytes())]);
        let (code, json) = check_json(dir.path());
        assert_eq!(code, 1);
        expect_finding(&json, "yaml", MS, None);
    }
    let dir = portfolio(&[(MS, block.as_bytes())]);
    let (code, _) = check_json(dir.path());
    assert_eq!(code, 1);
}

#[test]
fn multi_megabyte_lines_and_files_load() {
    // A 4 MB title on one line.
    let long = format!(
        "milestones:\n  - id: M1\n    title: {}\n    owner: ada\n    ownr: typo\n",
        "x".repeat(4_000_000)
    );
    let dir = portfolio(&[(MS, long.as_bytes())]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "schema", MS, Some(5));
    // The human output cuts the long line instead of printing 4 MB.
    let out = milepost()
        .args(["check", "--as-of", "2026-11-23"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.stdout.len() < 10_000,
        "human output is {} bytes",
        out.stdout.len()
    );

    // A 6 MB file with 40,000 valid milestones.
    let mut big = String::from("milestones:\n");
    for i in 0..40_000 {
        big.push_str(&format!("  - id: M{i}\n    title: Milestone number {i} with a realistic title\n    owner: ada\n    duration: 1d\n    description: Some words to make the file heavier than it needs to be.\n"));
    }
    assert!(big.len() > 5_000_000);
    let dir = portfolio(&[(MS, big.as_bytes())]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["milestones"], 40_000);
}

#[test]
fn files_over_the_size_cap_are_refused() {
    let huge = vec![b'#'; 17 * 1024 * 1024];
    let dir = portfolio(&[(MS, &huge)]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, Some(1));
    assert!(d["message"].as_str().unwrap().contains("MiB"));
}

#[test]
fn invalid_utf8_is_located() {
    let dir = portfolio(&[(MS, b"milestones:\n  - id: M1\n    title: caf\xe9\n")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, Some(3));
    assert_eq!(d["column"], 15);
}

#[test]
fn utf16_is_refused_with_a_hint() {
    let text = "milestones: []\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let dir = portfolio(&[(MS, &bytes)]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, Some(1));
    assert!(d["message"].as_str().unwrap().contains("UTF-16"));
    assert!(d["hint"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn binary_files_are_refused() {
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let dir = portfolio(&[(MS, &bytes)]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "yaml", MS, None);
}

#[test]
fn empty_files_warn_or_fail_by_kind() {
    let dir = portfolio(&[(MS, b""), ("programs/alpha/raid.yaml", b"# nothing yet\n")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0, "{json}");
    let d = expect_finding(&json, "yaml", MS, Some(1));
    assert_eq!(d["severity"], "warning");

    let dir = portfolio(&[("programs/alpha/program.yaml", b"")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "yaml", "programs/alpha/program.yaml", Some(1));
}

#[test]
fn a_list_or_scalar_where_a_mapping_belongs() {
    for doc in [&b"- M1\n- M2\n"[..], b"just words\n", b"42\n"] {
        let dir = portfolio(&[(MS, doc)]);
        let (code, json) = check_json(dir.path());
        assert_eq!(code, 1);
        let d = expect_finding(&json, "schema", MS, Some(1));
        assert!(d["message"].as_str().unwrap().contains("mapping"), "{d}");
    }
    // A mapping where a list belongs, deeper down.
    let dir = portfolio(&[(MS, b"milestones:\n  id: M1\n")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "schema", MS, Some(2));
}

#[test]
fn multiple_documents_are_refused_at_the_second() {
    let dir = portfolio(&[(MS, b"milestones: []\n---\nmilestones: []\n")]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "yaml", MS, Some(2));
}

#[test]
fn custom_tags_are_refused() {
    let dir = portfolio(&[(
        MS,
        b"milestones:\n  - id: M1\n    title: !!python/object:os.system echo\n",
    )]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "yaml", MS, Some(3));
}

#[test]
fn impossible_dates_are_located() {
    let dir = portfolio(&[(
        MS,
        b"milestones:\n  - id: M1\n    title: A\n    target: 2026-02-30\n",
    )]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "schema", MS, Some(4));
    assert_eq!(d["column"], 13);
    assert_eq!(d["entity"], "alpha/M1");
}

#[test]
fn absurd_durations_are_located() {
    for bad in [
        "99999999999999999999d",
        "900w",
        "2501d",
        "-3d",
        "1.5d",
        "10days",
        "3000",
    ] {
        let doc = format!("milestones:\n  - id: M1\n    title: A\n    duration: {bad}\n");
        let dir = portfolio(&[(MS, doc.as_bytes())]);
        let (code, json) = check_json(dir.path());
        assert_eq!(code, 1, "{bad}");
        expect_finding(&json, "schema", MS, Some(4));
    }
}

#[test]
fn unknown_keys_suggest_the_right_one() {
    let dir = portfolio(&[(
        MS,
        b"milestones:\n  - id: M1\n    title: A\n    ownr: ada\n",
    )]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "schema", MS, Some(4));
    assert_eq!(d["column"], 5);
    assert!(d["hint"].as_str().unwrap().contains("`owner`"));
    // Nothing is lost: the milestone itself still loads.
    assert_eq!(json["summary"]["milestones"], 1);
}

#[test]
fn dangling_references_are_located() {
    let doc = b"milestones:\n  - id: M1\n    title: A\n    owner: zed\n    depends_on: [M9, beta/M1, alpha/M1x]\n";
    let dir = portfolio(&[(MS, doc)]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "owner-unknown", MS, Some(4));
    let refs: Vec<_> = diagnostics(&json)
        .into_iter()
        .filter(|d| d["rule"] == "ref-unknown")
        .collect();
    assert_eq!(refs.len(), 3, "{refs:?}");
    assert!(refs.iter().all(|d| d["line"] == 5));
}

#[cfg(unix)]
#[test]
fn symlinks_that_leave_or_loop_are_skipped() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "milestones: []\n").unwrap();
    let dir = portfolio(&[]);
    let raid = dir.path().join("programs/alpha/raid.yaml");
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), &raid).unwrap();
    let loop_a = dir.path().join("programs/alpha/raci.yaml");
    let loop_b = dir.path().join("programs/alpha/decisions.yaml");
    std::os::unix::fs::symlink(&loop_b, &loop_a).unwrap();
    std::os::unix::fs::symlink(&loop_a, &loop_b).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("programs/beta")).unwrap();
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1, "{json}");
    let d = expect_finding(&json, "portfolio-layout", "programs/alpha/raid.yaml", None);
    assert!(d["message"].as_str().unwrap().contains("outside"));
    expect_finding(&json, "portfolio-layout", "programs/alpha/raci.yaml", None);
    // The self-referencing program folder is read once as a folder and reported as having no program.yaml.
    expect_finding(&json, "portfolio-layout", "programs/beta", None);
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_skipped_without_blocking() {
    let dir = portfolio(&[]);
    let fifo = dir.path().join("programs/alpha/raid.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let (code, json) = check_json(dir.path());
        assert_eq!(code, 0, "{json}");
        expect_finding(&json, "portfolio-layout", "programs/alpha/raid.yaml", None);
    }
    // A device reached through a symlink is outside the portfolio; a device node inside it
    // (when we may create one) is not a regular file. Either way it is skipped.
    let dir = portfolio(&[]);
    let dev = dir.path().join("programs/alpha/raci.yaml");
    std::os::unix::fs::symlink("/dev/zero", &dev).unwrap();
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0, "{json}");
    expect_finding(&json, "portfolio-layout", "programs/alpha/raci.yaml", None);
}

#[test]
fn folders_where_files_belong() {
    let dir = portfolio(&[]);
    std::fs::create_dir_all(dir.path().join("programs/alpha/raid.yaml")).unwrap();
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    expect_finding(&json, "portfolio-layout", "programs/alpha/raid.yaml", None);
}

#[test]
fn not_a_portfolio_is_a_clear_refusal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let out = milepost().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a milepost portfolio"), "{err}");
    assert!(err.contains("help"), "{err}");

    let out = milepost()
        .arg("check")
        .arg(dir.path().join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = milepost()
        .arg("check")
        .arg(dir.path().join("notes.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = milepost()
        .args(["check", "--as-of", "2026-02-30", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn long_dependency_chains_do_not_overflow() {
    let mut doc = String::from("milestones:\n  - id: M0\n    title: start\n    duration: 1d\n");
    for i in 1..100_000 {
        doc.push_str(&format!(
            "  - id: M{i}\n    title: step\n    duration: 1d\n    depends_on: [M{}]\n",
            i - 1
        ));
    }
    let dir = portfolio(&[(MS, doc.as_bytes())]);
    let (code, json) = check_json(dir.path());
    assert!(code == 0 || code == 1, "{code}");
    assert_eq!(json["summary"]["milestones"], 100_000);
}

#[test]
fn dependency_cycles_are_reported_whole_and_located() {
    let doc = b"milestones:\n  - id: M1\n    title: A\n    depends_on: [M3]\n  - id: M2\n    title: B\n    depends_on: [M1]\n  - id: M3\n    title: C\n    depends_on: [M2]\n  - id: M4\n    title: self\n    depends_on: [M4]\n";
    let dir = portfolio(&[(MS, doc)]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let cycles: Vec<_> = diagnostics(&json)
        .into_iter()
        .filter(|d| d["rule"] == "dependency-cycle")
        .collect();
    assert_eq!(cycles.len(), 2, "{cycles:#?}");
    let three = cycles
        .iter()
        .find(|d| d["related"].as_array().unwrap().len() == 3)
        .expect("3-hop cycle");
    assert_eq!(three["file"], MS);
    let lines: Vec<u64> = three["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [4, 7, 10]);
    assert!(three["message"].as_str().unwrap().contains("alpha/M1"));
    let own = cycles
        .iter()
        .find(|d| d["related"].as_array().unwrap().len() == 1)
        .expect("self loop");
    assert_eq!(own["line"], 13);
}

#[test]
fn long_dependency_cycles_do_not_overflow() {
    let n = 100_000;
    let mut doc = String::from("milestones:\n");
    for i in 0..n {
        doc.push_str(&format!(
            "  - id: M{i}\n    title: step\n    duration: 1d\n    depends_on: [M{}]\n",
            (i + 1) % n
        ));
    }
    let dir = portfolio(&[(MS, doc.as_bytes())]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let cycles: Vec<_> = diagnostics(&json)
        .into_iter()
        .filter(|d| d["rule"] == "dependency-cycle")
        .collect();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0]["related"].as_array().unwrap().len(), n);
}

#[test]
fn every_command_refuses_a_missing_or_non_portfolio_path_cleanly() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("missing");
    let commands: [&[&str]; 7] = [
        &["check"],
        &["plan"],
        &["forecast", "--runs", "10"],
        &["render", "portfolio"],
        &["site", "--out", "/tmp/milepost-never-written"],
        &["codeowners"],
        &["explain", "--path"],
    ];
    for args in commands {
        for path in [empty.path(), missing.as_path()] {
            let out = milepost().args(args).arg(path).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{args:?} {}: {err}",
                path.display()
            );
            assert!(
                err.contains("help") || err.contains("Usage"),
                "{args:?}: no hint in {err}"
            );
            assert!(!err.contains("panicked"), "{args:?}: {err}");
        }
    }
    // Bad arguments: an impossible date, an invalid program id, an unknown format.
    for args in [
        &["plan", "--as-of", "2026-02-30", "."][..],
        &[
            "init",
            "--program",
            "no spaces allowed",
            "/tmp/milepost-init-never",
        ],
        &["check", "--format", "yaml", "."],
    ] {
        let out = milepost().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// Text from the files cannot inject anything into what milepost prints: a YAML key or a
/// title holding a newline cannot start a line (a line that begins with `::` is a GitHub
/// workflow command: fake annotations, `::add-mask::`, `::stop-commands::`), an escape
/// sequence cannot recolour the terminal, and a title cannot become a live link or a
/// tracking image in Markdown.
#[test]
fn text_from_the_files_cannot_inject_commands_or_links() {
    let dir = portfolio(&[(
        MS,
        b"milestones:\n  - id: M1\n    title: \"Design\\n::error file=README.md::pwned\\u001b[31m\"\n    owner: ada\n    duration: 5d\n    \"ownr\\n::add-mask::secret\": ada\n  - id: M2\n    title: \"![x](https://evil.example/t.png) [click](https://evil.example)\"\n    owner: bob\n    duration: 2w\n    depends_on: [M1]\n",
    )]);
    let outputs = [
        vec!["check", "--as-of", "2026-11-23"],
        vec!["plan", "--as-of", "2026-11-23"],
        vec!["forecast", "--as-of", "2026-11-23", "--runs", "50"],
        vec![
            "render",
            "summary",
            "--program",
            "alpha",
            "--as-of",
            "2026-11-23",
        ],
        vec![
            "render",
            "charter",
            "--program",
            "alpha",
            "--as-of",
            "2026-11-23",
        ],
        vec!["render", "portfolio", "--as-of", "2026-11-23"],
    ];
    for args in outputs {
        let out = milepost().args(&args).arg(dir.path()).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for line in text.lines() {
            assert!(!line.trim_start().starts_with("::"), "{args:?}: {line}");
        }
        assert!(
            !text.contains('\u{1b}'),
            "{args:?}: an escape sequence got through"
        );
        // Markdown output (the reports) must not turn a title into a link or an image; plain
        // text (tables, findings) shows it as written.
        if args[0] == "render" {
            let live = text
                .match_indices("](https://evil")
                .any(|(i, _)| !text[..i].ends_with('\\'));
            assert!(!live, "{args:?}: a live link got through");
        }
    }
}

/// Memory stays bounded whatever the shape of the input: a file of millions of tiny values is
/// refused at the value that crosses the per-file limit, and a portfolio whose files together
/// cross `limits` is refused file by file — each a located finding, the rest still read.
#[test]
fn value_and_byte_budgets_refuse_with_a_location() {
    let flood = format!(
        "milestones:\n  - id: M1\n    title: t\n    deliverables: [{}]\n",
        vec!["x"; 2_100_000].join(",")
    );
    let dir = portfolio(&[(MS, flood.as_bytes())]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = expect_finding(&json, "yaml", MS, Some(4));
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("more than 2000000 YAML values"),
        "{d}"
    );
    // The rest of the portfolio was read.
    assert_eq!(json["summary"]["programs"], 1);

    // A portfolio-wide budget from milepost.yaml: the second program does not fit.
    let dir = portfolio(&[
        (
            "milepost.yaml",
            b"name: t\nlimits:\n  max_total_values: 60\n",
        ),
        ("programs/beta/program.yaml", b"name: Beta\nowner: ada\n"),
        (
            "programs/beta/milestones.yaml",
            b"milestones:\n  - {id: B1, title: b, owner: ada, duration: 5d}\n  - {id: B2, title: b, owner: ada, duration: 5d}\n  - {id: B3, title: b, owner: ada, duration: 5d}\n",
        ),
    ]);
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1);
    let all = diagnostics(&json);
    let refused: Vec<&serde_json::Value> = all
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("more than 60 YAML values"))
        })
        .collect();
    assert!(!refused.is_empty(), "{json}");
    assert!(
        refused
            .iter()
            .all(|d| d["line"] == 1 && d["file"].is_string())
    );
    // Raised, it loads clean.
    write(
        dir.path(),
        "milepost.yaml",
        b"name: t\nlimits:\n  max_total_values: 100000\n",
    );
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0, "{json}");
}

/// Every `--format json` prints one valid JSON document whatever the exit code, with the
/// findings that stopped the work: a dependency cycle leaves nothing to plan or simulate,
/// and both commands still print JSON that says why (exit 1).
#[test]
fn json_output_survives_a_cycle_and_says_why() {
    let dir = portfolio(&[(
        MS,
        b"milestones:\n  - {id: M1, title: a, owner: ada, duration: 5d, depends_on: [M2]}\n  - {id: M2, title: b, owner: bob, duration: 5d, depends_on: [M1]}\n",
    )]);
    for args in [
        vec!["plan", "--format", "json"],
        vec!["forecast", "--format", "json", "--runs", "100"],
    ] {
        let out = milepost()
            .args(&args)
            .args(["--as-of", "2026-11-23"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        let rules: Vec<&str> = v["diagnostics"]
            .as_array()
            .unwrap_or_else(|| panic!("{args:?}: no diagnostics in {v}"))
            .iter()
            .filter_map(|d| d["rule"].as_str())
            .collect();
        assert!(rules.contains(&"dependency-cycle"), "{args:?}: {rules:?}");
    }
}
