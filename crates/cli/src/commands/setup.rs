//! What `milepost init --editor … --ci …` writes: editor settings that map the portfolio's
//! files to its JSON Schemas (for yaml-language-server and `JetBrains` IDEs), and a CI workflow that
//! runs the pull-request gate and the scheduled full check.
//!
//! Every path is written relative to the repository root (the workspace an editor opens),
//! with the portfolio's own path as a prefix when it lives in a sub-folder.

use std::fmt::Write as _;

use milepost_model::FileKind;
use milepost_model::schema::schema_file_name;

/// The editors `init --editor` can set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Editor {
    /// Visual Studio Code (and forks) with the Red Hat YAML extension.
    Vscode,
    /// Neovim ≥ 0.11 with yaml-language-server and `milepost lsp` (`.nvim.lua`, read when
    /// `exrc` is set).
    Neovim,
    /// Helix, with yaml-language-server and `milepost lsp` (`.helix/languages.toml`).
    Helix,
    /// The IDEA family of IDEs (`.idea/jsonSchemas.xml`).
    Jetbrains,
    /// Zed (`.zed/settings.json`).
    Zed,
}

/// The CI systems `init --ci` writes a workflow for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// GitHub Actions (`.github/workflows/milepost.yml`, with the milepost action).
    Github,
    /// GitLab CI (`.gitlab-ci.yml`).
    Gitlab,
}

/// The file globs of each kind, under the portfolio prefix (`portfolio/` or empty).
fn globs(prefix: &str, kind: FileKind) -> Vec<String> {
    let names = [kind.file_name(), kind.alt_file_name()];
    names
        .iter()
        .map(|name| match kind {
            k if k.is_root() => format!("{prefix}{name}"),
            _ => format!("{prefix}programs/*/{name}"),
        })
        .collect()
}

/// `(schema path from the repository root, globs)` for every kind.
fn mappings(prefix: &str) -> Vec<(String, Vec<String>)> {
    FileKind::ALL
        .iter()
        .map(|&k| {
            (
                format!("{prefix}schemas/{}", schema_file_name(k)),
                globs(prefix, k),
            )
        })
        .collect()
}

fn yaml_schemas_json(prefix: &str) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (schema, globs) in mappings(prefix) {
        map.insert(format!("./{schema}"), globs.into());
    }
    serde_json::Value::Object(map)
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The files an editor needs, `(path from the repository root, text)`.
pub fn editor_files(editor: Editor, prefix: &str) -> Vec<(String, String)> {
    match editor {
        Editor::Vscode => vec![
            (
                ".vscode/settings.json".to_owned(),
                pretty(&serde_json::json!({ "yaml.schemas": yaml_schemas_json(prefix) })),
            ),
            (
                ".vscode/extensions.json".to_owned(),
                pretty(&serde_json::json!({ "recommendations": ["redhat.vscode-yaml"] })),
            ),
        ],
        Editor::Zed => vec![(
            ".zed/settings.json".to_owned(),
            pretty(&serde_json::json!({
                "lsp": { "yaml-language-server": { "settings": { "yaml": {
                    "schemas": yaml_schemas_json(prefix)
                } } } }
            })),
        )],
        Editor::Neovim => {
            let mut lua = String::from(
                "-- milepost: the portfolio's JSON Schemas for yaml-language-server.\n\
                 -- Neovim reads this file when `exrc` is on (`vim.o.exrc = true` in your init.lua)\n\
                 -- and you trust it (`:trust`). Needs Neovim 0.11+ and yaml-language-server on PATH\n\
                 -- (`npm install -g yaml-language-server`).\n\
                 vim.lsp.config('yamlls', {\n  settings = {\n    yaml = {\n      schemas = {\n",
            );
            for (schema, globs) in mappings(prefix) {
                let list: Vec<String> = globs.iter().map(|g| format!("'{g}'")).collect();
                let _ = writeln!(lua, "        ['./{schema}'] = {{ {} }},", list.join(", "));
            }
            lua.push_str("      },\n    },\n  },\n})\nvim.lsp.enable('yamlls')\n");
            lua.push_str(
                "-- milepost's own language server: the whole check, the plan and the references\n\
                 -- (`milepost` on PATH).\n\
                 vim.lsp.config('milepost', {\n  cmd = { 'milepost', 'lsp' },\n  filetypes = { 'yaml' },\n  root_markers = { 'milepost.yaml' },\n})\n\
                 vim.lsp.enable('milepost')\n",
            );
            vec![(".nvim.lua".to_owned(), lua)]
        }
        Editor::Helix => {
            let mut toml = String::from(
                "# milepost: the portfolio's JSON Schemas for yaml-language-server.\n\
                 # Needs yaml-language-server on PATH (`npm install -g yaml-language-server`).\n\
                 [language-server.yaml-language-server.config.yaml.schemas]\n",
            );
            for (schema, globs) in mappings(prefix) {
                let list: Vec<String> = globs.iter().map(|g| format!("\"{g}\"")).collect();
                let _ = writeln!(toml, "\"{schema}\" = [{}]", list.join(", "));
            }
            toml.push_str(
                "\n# milepost's own language server: the whole check, the plan and the references\n\
                 # (`milepost` on PATH).\n\
                 [language-server.milepost]\ncommand = \"milepost\"\nargs = [\"lsp\"]\n\n\
                 [[language]]\nname = \"yaml\"\nlanguage-servers = [\"yaml-language-server\", \"milepost\"]\n",
            );
            vec![(".helix/languages.toml".to_owned(), toml)]
        }
        Editor::Jetbrains => {
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"JsonSchemaMappingsProjectConfiguration\">\n    <state>\n      <map>\n",
            );
            for (kind, (schema, globs)) in FileKind::ALL.iter().zip(mappings(prefix)) {
                let name = format!("milepost {}", kind.file_name());
                let _ = write!(
                    xml,
                    "        <entry key=\"{name}\">\n          <value>\n            <SchemaInfo>\n              <option name=\"name\" value=\"{name}\" />\n              <option name=\"relativePathToSchema\" value=\"{schema}\" />\n              <option name=\"applicationDefined\" value=\"true\" />\n              <option name=\"patterns\">\n                <list>\n"
                );
                for g in globs {
                    let _ = write!(
                        xml,
                        "                  <Item>\n                    <option name=\"pattern\" value=\"true\" />\n                    <option name=\"path\" value=\"{g}\" />\n                    <option name=\"mappingKind\" value=\"Pattern\" />\n                  </Item>\n"
                    );
                }
                xml.push_str("                </list>\n              </option>\n            </SchemaInfo>\n          </value>\n        </entry>\n");
            }
            xml.push_str("      </map>\n    </state>\n  </component>\n</project>\n");
            vec![(".idea/jsonSchemas.xml".to_owned(), xml)]
        }
    }
}

/// The version the generated CI installs (this build's).
fn version() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

/// The CI files, `(path from the repository root, text)`; `path` is the portfolio folder from
/// the repository root (`.` at the root).
pub fn ci_files(ci: Ci, path: &str) -> Vec<(String, String)> {
    let v = version();
    match ci {
        Ci::Github => vec![(
            ".github/workflows/milepost.yml".to_owned(),
            format!(
                "# milepost: the pull-request gate (findings this change introduces or touches) and
# the scheduled full check of the whole portfolio. See docs/ci.md in milepost's repository.
name: milepost
on:
  pull_request:
  schedule:
    - cron: \"0 6 * * 1-5\"
  push:
    branches: [main]
permissions:
  contents: read
  security-events: write
  actions: read
jobs:
  gate:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: milepost-dev/milepost@{v}
        with:
          path: {path}
  full:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: milepost-dev/milepost@{v}
        with:
          path: {path}
          fail-on: warning
"
            ),
        )],
        Ci::Gitlab => vec![(
            ".gitlab-ci.yml".to_owned(),
            format!(
                "# milepost: the merge-request gate (Code Quality and JUnit reports) and the
# scheduled full check. See docs/ci.md in milepost's repository.
.milepost:
  image: rust:1.95
  variables:
    GIT_DEPTH: 0
    MILEPOST_VERSION: {v}
  cache:
    key: milepost-$MILEPOST_VERSION
    paths: [.milepost/]
  before_script:
    - test -x .milepost/bin/milepost || cargo install --locked --root .milepost --git https://github.com/milepost-dev/milepost --tag \"$MILEPOST_VERSION\" milepost
    - export PATH=\"$PWD/.milepost/bin:$PATH\"

milepost:gate:
  extends: .milepost
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
  script:
    - git fetch --no-tags origin \"$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"
    - BASE=\"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"
    - milepost check {path} --base \"$BASE\" --format gitlab > gl-code-quality-report.json || true
    - milepost check {path} --base \"$BASE\" --format junit > milepost-junit.xml || true
    - milepost check {path} --base \"$BASE\"
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
      junit: milepost-junit.xml

milepost:full:
  extends: .milepost
  rules:
    - if: $CI_PIPELINE_SOURCE == \"schedule\"
  script:
    - milepost check {path} --fail-on warning
"
            ),
        )],
    }
}
