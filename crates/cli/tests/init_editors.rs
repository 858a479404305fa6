//! `milepost init --editor … --ci …`: the editor settings map every file kind to the schemas
//! written into the portfolio, the CI workflow runs the gate on the right folder, and in an
//! existing portfolio only what is missing is added.

mod common;

use std::path::Path;

use common::milepost;

fn init(root: &Path, args: &[&str]) -> String {
    let out = milepost().current_dir(root).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A git repository with the portfolio in `portfolio/`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

const KINDS: [(&str, &str); 8] = [
    ("milepost.schema.json", "portfolio/milepost.yaml"),
    ("people.schema.json", "portfolio/people.yaml"),
    ("scorecard.schema.json", "portfolio/scorecard.yaml"),
    ("program.schema.json", "portfolio/programs/*/program.yaml"),
    (
        "milestones.schema.json",
        "portfolio/programs/*/milestones.yaml",
    ),
    ("raid.schema.json", "portfolio/programs/*/raid.yaml"),
    ("raci.schema.json", "portfolio/programs/*/raci.yaml"),
    (
        "decisions.schema.json",
        "portfolio/programs/*/decisions.yaml",
    ),
];

#[test]
fn each_editor_maps_every_kind_to_its_schema() {
    for (editor, file) in [
        ("vscode", ".vscode/settings.json"),
        ("zed", ".zed/settings.json"),
        ("neovim", ".nvim.lua"),
        ("helix", ".helix/languages.toml"),
        ("jetbrains", ".idea/jsonSchemas.xml"),
    ] {
        let dir = repo();
        init(dir.path(), &["init", "portfolio", "--editor", editor]);
        let text = std::fs::read_to_string(dir.path().join(file))
            .unwrap_or_else(|e| panic!("{editor}: {file}: {e}"));
        for (schema, glob) in KINDS {
            assert!(
                text.contains(&format!("portfolio/schemas/{schema}")),
                "{editor}: {schema}\n{text}"
            );
            assert!(text.contains(glob), "{editor}: {glob}\n{text}");
            assert!(dir.path().join("portfolio/schemas").join(schema).is_file());
        }
        // Neovim and Helix also start milepost's own language server.
        match editor {
            "neovim" => assert!(
                text.contains("cmd = { 'milepost', 'lsp' }")
                    && text.contains("vim.lsp.enable('milepost')"),
                "{text}"
            ),
            "helix" => assert!(
                text.contains(
                    "[language-server.milepost]\ncommand = \"milepost\"\nargs = [\"lsp\"]"
                ) && text.contains("language-servers = [\"yaml-language-server\", \"milepost\"]"),
                "{text}"
            ),
            _ => {}
        }
        // Each format parses.
        match file.rsplit('.').next() {
            Some("json") => {
                serde_json::from_str::<serde_json::Value>(&text).unwrap();
            }
            Some("xml") => {
                roxmltree::Document::parse(&text).unwrap();
            }
            _ => {}
        }
        // The portfolio it created checks clean, and the schemas it wrote are the published ones.
        let check = milepost()
            .current_dir(dir.path())
            .args(["check", "portfolio"])
            .output()
            .unwrap();
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        let published =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/program.schema.json");
        assert_eq!(
            std::fs::read_to_string(published).unwrap(),
            std::fs::read_to_string(dir.path().join("portfolio/schemas/program.schema.json"))
                .unwrap()
        );
    }
}

#[test]
fn each_ci_runs_the_gate_on_the_portfolio_folder() {
    let dir = repo();
    init(dir.path(), &["init", "portfolio", "--ci", "github"]);
    let gh = std::fs::read_to_string(dir.path().join(".github/workflows/milepost.yml")).unwrap();
    assert!(
        gh.contains("path: portfolio") && gh.contains("fetch-depth: 0"),
        "{gh}"
    );
    assert!(gh.contains(&format!(
        "milepost-dev/milepost@v{}",
        env!("CARGO_PKG_VERSION")
    )));
    let dir = repo();
    init(dir.path(), &["init", "portfolio", "--ci", "gitlab"]);
    let gl = std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap();
    assert!(
        gl.contains("milepost check portfolio --base \"$BASE\"") && gl.contains("codequality"),
        "{gl}"
    );
    // At the repository root the path is `.`.
    let dir = repo();
    init(dir.path(), &["init", ".", "--ci", "github"]);
    let gh = std::fs::read_to_string(dir.path().join(".github/workflows/milepost.yml")).unwrap();
    assert!(gh.contains("path: .\n"), "{gh}");
}

#[test]
fn in_an_existing_portfolio_only_what_is_missing_is_added() {
    let dir = repo();
    init(dir.path(), &["init", "portfolio"]);
    // A user's own VS Code settings stay as they are.
    std::fs::create_dir_all(dir.path().join(".vscode")).unwrap();
    std::fs::write(
        dir.path().join(".vscode/settings.json"),
        "{\"editor.tabSize\": 2}\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("portfolio/schemas/raid.schema.json")).unwrap();
    let milestones = std::fs::read_to_string(
        dir.path()
            .join("portfolio/programs/first-program/milestones.yaml"),
    )
    .unwrap();
    let out = init(
        dir.path(),
        &[
            "init",
            "portfolio",
            "--editor",
            "vscode",
            "--editor",
            "helix",
            "--ci",
            "github",
        ],
    );
    assert!(
        out.contains("kept") && out.contains(".vscode/settings.json"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".vscode/settings.json")).unwrap(),
        "{\"editor.tabSize\": 2}\n"
    );
    assert!(dir.path().join(".vscode/extensions.json").is_file());
    assert!(dir.path().join(".helix/languages.toml").is_file());
    assert!(dir.path().join(".github/workflows/milepost.yml").is_file());
    assert!(
        dir.path()
            .join("portfolio/schemas/raid.schema.json")
            .is_file(),
        "the missing schema is added"
    );
    assert_eq!(
        std::fs::read_to_string(
            dir.path()
                .join("portfolio/programs/first-program/milestones.yaml")
        )
        .unwrap(),
        milestones,
        "the portfolio's files are not touched"
    );
    // Without --editor or --ci, an existing portfolio is refused.
    let again = milepost()
        .current_dir(dir.path())
        .args(["init", "portfolio"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}
