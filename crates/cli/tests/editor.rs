//! The editor experience with a real `yaml-language-server` (1.25, installed from npm by
//! `.ci/run` into `target/yls`), driven over stdio as an editor drives it, on files of every
//! kind of the portfolio `milepost init` writes, with the schemas it writes: completion offers
//! keys, enum values and snippets and never inserts `null`; hover shows the descriptions; a
//! typo'd key, a wrong enum, a bad date, a bad duration and a typo'd rule option each give a
//! readable diagnostic.
//!
//! Without the server the test says so and passes, except under CI (`CI` set).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn server() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/yls/node_modules/yaml-language-server/bin/yaml-language-server");
    path.is_file().then_some(path)
}

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    settings: Value,
}

impl Client {
    fn start(bin: &Path, root: &Path, settings: Value) -> Client {
        let mut child = Command::new("node")
            .arg(bin)
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start yaml-language-server");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let incoming = common::read_frames(stdout);
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            settings,
        };
        let root_uri = uri(root);
        client.request(
            "initialize",
            &json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "portfolio"}],
                "capabilities": {
                    "workspace": {"configuration": true, "didChangeConfiguration": {"dynamicRegistration": true}},
                    "textDocument": {
                        "completion": {"completionItem": {"snippetSupport": true, "documentationFormat": ["markdown", "plaintext"]}},
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {}
                    }
                }
            }),
        );
        client.notify("initialized", &json!({}));
        let settings = client.settings.clone();
        client.notify(
            "workspace/didChangeConfiguration",
            &json!({"settings": settings}),
        );
        client.settle();
        client
    }

    /// Waits until the server has pulled its settings (`workspace/configuration`), as an
    /// editor's first requests come after it has, then lets it apply them.
    fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut configured = false;
        while Instant::now() < deadline {
            let wait = if configured {
                Duration::from_millis(500)
            } else {
                Duration::from_secs(1)
            };
            match self.incoming.recv_timeout(wait) {
                Ok(message) => {
                    if message["method"] == "workspace/configuration" {
                        configured = true;
                    }
                    self.answer(&message);
                }
                Err(_) if configured => return,
                Err(_) => {}
            }
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Answers the server's own requests (configuration, registrations) while waiting.
    fn answer(&mut self, message: &Value) {
        let Some(id) = message.get("id").cloned() else {
            return;
        };
        let result = match message["method"].as_str() {
            Some("workspace/configuration") => {
                let items = message["params"]["items"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                Value::Array(
                    items
                        .iter()
                        .map(|i| match i["section"].as_str() {
                            Some("yaml") => self.settings["yaml"].clone(),
                            Some(other) => self.settings.get(other).cloned().unwrap_or(json!({})),
                            None => self.settings.clone(),
                        })
                        .collect(),
                )
            }
            _ => Value::Null,
        };
        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
    }

    fn request(&mut self, method: &str, params: &Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .incoming
                .recv_timeout(left)
                .expect("a response in time");
            if message.get("method").is_some() {
                self.answer(&message);
                continue;
            }
            if message["id"] == json!(id) {
                return message["result"].clone();
            }
        }
    }

    /// Waits for the diagnostics of `uri` (the first non-empty set, or an empty one after
    /// a quiet period).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last: Vec<Value> = Vec::new();
        while Instant::now() < deadline {
            let Ok(message) = self.incoming.recv_timeout(Duration::from_secs(3)) else {
                break;
            };
            if message.get("id").is_some() && message.get("method").is_some() {
                self.answer(&message);
                continue;
            }
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                last = message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if !last.is_empty() {
                    break;
                }
            }
        }
        last
    }

    fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            &json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        uri
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The position of the end of the first line containing `needle`.
fn at_end_of(text: &str, needle: &str) -> Value {
    let (line, content) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` in the text"));
    json!({"line": line, "character": content.chars().count()})
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.get("items").unwrap_or(result);
    items
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_owned))
        .collect()
}

fn inserts(result: &Value) -> Vec<String> {
    let items = result.get("items").unwrap_or(result);
    items
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|i| {
            i["insertText"]
                .as_str()
                .or_else(|| i["textEdit"]["newText"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn yaml_language_server_completes_hovers_and_diagnoses_with_the_schemas() {
    let Some(bin) = server() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "yaml-language-server is not installed in target/yls: .ci/run installs it"
        );
        return;
    };
    // yaml-language-server matches `**` in its globs without dot folders, like most glob
    // libraries: no `.tmp…` folder in the workspace's path.
    let dir = tempfile::Builder::new()
        .prefix("milepost-yls-")
        .tempdir()
        .unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let init = common::milepost()
        .current_dir(dir.path())
        .args(["init", "p", "--editor", "vscode"])
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0));
    let root = dir.path().canonicalize().unwrap();
    // The workspace settings `init --editor vscode` wrote, as VS Code would pass them.
    let vscode: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(".vscode/settings.json")).unwrap())
            .unwrap();
    let mut schemas = serde_json::Map::new();
    for (schema, globs) in vscode["yaml.schemas"].as_object().unwrap() {
        let globs: Vec<Value> = globs
            .as_array()
            .unwrap()
            .iter()
            .map(|g| Value::String(g.as_str().unwrap().to_owned()))
            .collect();
        schemas.insert(
            uri(&root.join(schema.trim_start_matches("./"))),
            Value::Array(globs),
        );
    }
    let settings = json!({"yaml": {
        "schemas": schemas, "validate": true, "completion": true, "hover": true,
        "format": {"enable": false}, "schemaStore": {"enable": false}
    }});
    let mut client = Client::start(&bin, &root, settings);

    // Milestones: completion of keys, enum values and the new-item snippet; hover.
    let milestones = root.join("p/programs/first-program/milestones.yaml");
    let text =
        "milestones:\n  - id: M1\n    title: Design\n    owner: alex\n    status: \n    \n  - \n";
    let u = client.open(&milestones, text);
    let keys = client.request(
        "textDocument/completion",
        &json!({"textDocument": {"uri": u}, "position": {"line": 5, "character": 4}}),
    );
    let key_labels = labels(&keys);
    for key in ["duration", "depends_on", "target", "estimate", "kind"] {
        assert!(
            key_labels.contains(&key.to_owned()),
            "{key}: {key_labels:?}"
        );
    }
    for insert in inserts(&keys) {
        assert!(
            !insert.contains("null"),
            "a completion inserts null: {insert}"
        );
    }
    let values = client.request(
        "textDocument/completion",
        &json!({"textDocument": {"uri": u}, "position": at_end_of(text, "status: ")}),
    );
    let value_labels = labels(&values);
    for v in ["planned", "in_progress", "done", "cancelled"] {
        assert!(
            value_labels.contains(&v.to_owned()),
            "{v}: {value_labels:?}"
        );
    }
    let items = client.request(
        "textDocument/completion",
        &json!({"textDocument": {"uri": u}, "position": {"line": 6, "character": 4}}),
    );
    assert!(
        labels(&items).iter().any(|l| l == "New milestone"),
        "{:?}",
        labels(&items)
    );
    let hover = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": 5}}),
    );
    assert!(hover.to_string().contains("What is delivered"), "{hover}");
    let hover = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": u}, "position": {"line": 3, "character": 5}}),
    );
    assert!(hover.to_string().contains("person or team"), "{hover}");

    // Diagnostics: a typo'd key, a wrong enum, a bad date, a bad duration.
    let bad = root.join("p/programs/first-program/raid.yaml");
    let bad_text = "risks:\n  - id: R-1\n    title: Late vendor\n    ownr: alex\n    probability: medium\n    impact: huge\n    status: open\n    raised: 2026-13-45\n";
    let bu = client.open(&bad, bad_text);
    let found = client.diagnostics(&bu);
    let messages: Vec<String> = found
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    let all = messages.join("\n");
    assert!(all.contains("ownr"), "typo'd key: {all}");
    assert!(
        all.contains("Value must be \"low\" | \"medium\""),
        "wrong enum: {all}"
    );
    assert!(all.contains("is not a RFC3339 date"), "bad date: {all}");
    assert!(
        all.contains("Property ownr is not allowed"),
        "typo'd key: {all}"
    );

    let durations = root.join("p/programs/first-program/decisions.yaml");
    let m2 = root.join("p/programs/second/milestones.yaml");
    std::fs::create_dir_all(m2.parent().unwrap()).unwrap();
    let _ = durations;
    let dtext = "milestones:\n  - id: M1\n    title: Build\n    duration: 10days\n";
    let du = client.open(&m2, dtext);
    let found = client.diagnostics(&du);
    let all: String = found
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        all.contains("a whole number of work days or weeks"),
        "bad duration, in words: {all}"
    );

    // Every other kind: completion offers its keys (and the new-item snippet for lists),
    // never a `null`.
    for (path, text, line, expected) in [
        (
            "p/programs/first-program/program.yaml",
            "name: P\nstatus: active\n\n",
            2,
            &["owner", "sponsor", "target", "status_update"][..],
        ),
        ("p/people.yaml", "people:\n  - \n", 1, &["New person"][..]),
        (
            "p/programs/first-program/raci.yaml",
            "raci:\n  - \n",
            1,
            &["New RACI row"][..],
        ),
        (
            "p/programs/first-program/decisions.yaml",
            "decisions:\n  - \n",
            1,
            &["New decision"][..],
        ),
        (
            "p/programs/third/raid.yaml",
            "risks: []\ndependencies:\n  - \n",
            2,
            &["New dependency"][..],
        ),
    ] {
        let file = root.join(path);
        let u = client.open(&file, text);
        let character = text.lines().nth(line).map_or(0, |l| l.chars().count());
        let result = client.request(
            "textDocument/completion",
            &json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}}),
        );
        let got = labels(&result);
        for e in expected {
            assert!(got.contains(&(*e).to_owned()), "{path}: {e} in {got:?}");
        }
        for insert in inserts(&result) {
            assert!(!insert.contains(": null"), "{path}: inserts null: {insert}");
        }
        client.notify(
            "textDocument/didClose",
            &json!({"textDocument": {"uri": u}}),
        );
    }

    // milepost.yaml: a typo'd rule option.
    let settings_file = root.join("p/milepost.yaml");
    let stext =
        "name: P\nrules:\n  risk-stale:\n    max_age_dayz: 3\n  risk-stael:\n    level: warning\n";
    let su = client.open(&settings_file, stext);
    let found = client.diagnostics(&su);
    let all: String = found
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("max_age_dayz"), "typo'd option: {all}");
    assert!(all.contains("risk-stael"), "typo'd rule: {all}");
    let options = client.request(
        "textDocument/completion",
        &json!({"textDocument": {"uri": su}, "position": {"line": 3, "character": 4}}),
    );
    let option_labels = labels(&options);
    // Another milepost.yaml (the glob matches it too): its top-level keys.
    let other = root.join("elsewhere/p/milepost.yaml");
    let ou = client.open(&other, "name: P\n\n");
    let top = client.request(
        "textDocument/completion",
        &json!({"textDocument": {"uri": ou}, "position": {"line": 1, "character": 0}}),
    );
    let top_labels = labels(&top);
    for key in ["calendar", "gates", "as_of", "limits"] {
        assert!(
            top_labels.contains(&key.to_owned()),
            "{key}: {top_labels:?}"
        );
    }
    assert!(
        option_labels.contains(&"max_age_days".to_owned())
            && option_labels.contains(&"level".to_owned()),
        "{option_labels:?}"
    );
}
