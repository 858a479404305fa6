//! One path model: with the portfolio in a sub-folder of a git repository, every machine
//! format locates findings relative to the repository root — run from the root, from inside
//! the portfolio, with an absolute path or with a `..` path — and every location names a
//! file that exists there. Human output is relative to where the user stands.

mod common;

use std::path::Path;

use common::{milepost, write};

/// A repository with `plans/portfolio/` holding a portfolio with a few mistakes.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let p = |f: &str| format!("plans/portfolio/{f}");
    write(dir.path(), &p("milepost.yaml"), b"name: t\n");
    write(
        dir.path(),
        &p("people.yaml"),
        b"people:\n  - id: ada\n    name: Ada\n",
    );
    write(
        dir.path(),
        &p("programs/alpha/program.yaml"),
        b"name: Alpha\nowner: ada\n",
    );
    write(
        dir.path(),
        &p("programs/alpha/milestones.yaml"),
        b"milestones:\n  - {id: M1, title: a, owner: ghost, duration: 5d}\n  - {id: M2, title: b, owner: ada, duration: 5d, depends_on: [M9]}\n",
    );
    dir
}

/// Every file location in `output` (of `format`).
fn locations(format: &str, output: &str) -> Vec<String> {
    match format {
        "github" => output
            .lines()
            .filter_map(|l| l.split("file=").nth(1))
            .map(|rest| rest.split(',').next().unwrap_or("").to_owned())
            .collect(),
        "sarif" => {
            let v: serde_json::Value = serde_json::from_str(output).unwrap();
            let mut out = Vec::new();
            for r in v["runs"][0]["results"].as_array().unwrap() {
                for l in r["locations"].as_array().into_iter().flatten() {
                    let a = &l["physicalLocation"]["artifactLocation"];
                    assert_eq!(a["uriBaseId"], "%SRCROOT%");
                    out.push(a["uri"].as_str().unwrap().to_owned());
                }
            }
            out
        }
        "junit" => {
            let doc = roxmltree::Document::parse(output).unwrap();
            doc.descendants()
                .filter_map(|n| n.attribute("file"))
                .map(str::to_owned)
                .collect()
        }
        "gitlab" => {
            let v: serde_json::Value = serde_json::from_str(output).unwrap();
            v.as_array()
                .unwrap()
                .iter()
                .map(|i| i["location"]["path"].as_str().unwrap().to_owned())
                .collect()
        }
        "markdown" => output
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|span| span.ends_with(|c: char| c.is_ascii_digit()) && span.contains(".yaml:"))
            .map(|span| span.rsplit_once(':').unwrap().0.to_owned())
            .collect(),
        "json" => {
            let v: serde_json::Value = serde_json::from_str(output).unwrap();
            v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["path"].as_str())
                .map(str::to_owned)
                .collect()
        }
        _ => unreachable!(),
    }
}

#[test]
fn machine_formats_locate_files_from_the_repository_root_wherever_milepost_runs() {
    let repo = repository();
    let root = repo.path();
    let portfolio = root.join("plans/portfolio");
    let inside = portfolio.join("programs/alpha");
    let absolute = portfolio.to_string_lossy().into_owned();
    // (working directory, PATH argument)
    let runs: [(&Path, Option<&str>); 5] = [
        (root, Some("plans/portfolio")),
        (&inside, None),
        (&inside, Some("../..")),
        (root, Some(absolute.as_str())),
        (&portfolio, Some(".")),
    ];
    for format in ["github", "sarif", "junit", "json", "gitlab", "markdown"] {
        for (cwd, path) in runs {
            let mut cmd = milepost();
            cmd.current_dir(cwd)
                .args(["check", "--as-of", "2026-11-23", "--format", format]);
            if let Some(p) = path {
                cmd.arg(p);
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{format} {cwd:?} {path:?}");
            let text = String::from_utf8(out.stdout).unwrap();
            let found = locations(format, &text);
            assert!(found.len() >= 2, "{format} {cwd:?} {path:?}: {text}");
            for f in found {
                assert!(
                    root.join(&f).is_file(),
                    "{format} from {cwd:?} with {path:?}: `{f}` is not a file under the repository root"
                );
                assert!(f.starts_with("plans/portfolio/"), "{f}");
            }
        }
    }
}

#[test]
fn human_output_is_relative_to_where_the_user_stands() {
    let repo = repository();
    let inside = repo.path().join("plans/portfolio/programs/alpha");
    let out = milepost()
        .current_dir(&inside)
        .args(["check", "--as-of", "2026-11-23"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("--> ../../programs/alpha/milestones.yaml:2:"),
        "{text}"
    );
    let out = milepost()
        .current_dir(repo.path())
        .args(["check", "--as-of", "2026-11-23", "plans/portfolio"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("--> plans/portfolio/programs/alpha/milestones.yaml:2:"),
        "{text}"
    );
}

/// `milepost check FILE` (what an editor or a pre-commit hook passes): the whole portfolio is
/// loaded and checked, and only that file's findings are reported, from anywhere and with an
/// absolute path; a file with no findings is clean; a file outside any portfolio is exit 2.
#[test]
fn checking_one_file_reports_only_that_files_findings() {
    let dir = repository();
    let root = dir.path();
    write(
        root,
        "plans/portfolio/programs/alpha/raid.yaml",
        b"risks:\n  - {id: R-1, title: r, owner: nobody, probability: low, impact: low, status: open, reviewed: 2026-11-20}\n",
    );
    let milestones = root.join("plans/portfolio/programs/alpha/milestones.yaml");
    for (at, path) in [
        (
            root.to_path_buf(),
            "plans/portfolio/programs/alpha/milestones.yaml".to_owned(),
        ),
        (
            root.join("plans/portfolio/programs"),
            "alpha/milestones.yaml".to_owned(),
        ),
        (root.join("plans"), milestones.display().to_string()),
    ] {
        let out = milepost()
            .current_dir(&at)
            .args(["check", &path, "--format", "json", "--as-of", "2026-11-23"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{path}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let files: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["file"].as_str().unwrap())
            .collect();
        assert!(!files.is_empty(), "{path}: {json:#}");
        assert!(
            files.iter().all(|f| *f == "programs/alpha/milestones.yaml"),
            "{path}: {files:?}"
        );
    }
    // people.yaml has no finding of its own: clean, although the portfolio is not.
    let out = milepost()
        .current_dir(root)
        .args([
            "check",
            "plans/portfolio/people.yaml",
            "--as-of",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("showing the findings in people.yaml only")
    );
    // A file outside any portfolio.
    write(root, "README.md", b"# hi\n");
    let out = milepost()
        .current_dir(root)
        .args(["check", "README.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
