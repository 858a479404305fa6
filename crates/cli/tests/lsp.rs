//! `milepost lsp` driven as an editor drives it: a scripted client speaks the protocol to
//! the real binary over stdio, on a copy of `examples/acme`, and checks each capability —
//! diagnostics as you type (unsaved text wins), completion, go to definition across
//! programs, references, symbols, hover with the plan, and the "did you mean" quick fix.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A minimal LSP client: Content-Length frames over the child's stdio.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for responses.
    notifications: Vec<Value>,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("milepost"))
            .args(["lsp", "--as-of", "2026-11-23"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start milepost lsp");
        let stdin = child.stdin.take().unwrap();
        let incoming = common::read_frames(child.stdout.take().unwrap());
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            notifications: Vec::new(),
        };
        let root_uri = url_dir(root);
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
        );
        assert_eq!(init["capabilities"]["definitionProvider"], true, "{init:#}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "call sites read better with json! inline"
    )]
    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "call sites read better with json! inline"
    )]
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let message = self
                .incoming
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|e| panic!("no answer to {method}: {e}"));
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method}: {message:#}");
                return message["result"].clone();
            }
            self.notifications.push(message);
        }
    }

    /// The next diagnostics published for `uri` that satisfy `wanted`.
    fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let matches = |n: &Value| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
        };
        // The latest already seen first.
        if let Some(n) = self.notifications.iter().rev().find(|n| matches(n)) {
            let list = n["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if wanted(&list) {
                self.notifications.clear();
                return list;
            }
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match self
                .incoming
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(n) if matches(&n) => {
                    let list = n["params"]["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    if wanted(&list) {
                        return list;
                    }
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!("no matching diagnostics for {uri}")
                }
            }
        }
    }

    /// The first edit of the code action titled `title` for the finding `diagnostic`.
    fn action(&mut self, uri: &str, diagnostic: &Value, title: &str) -> Value {
        let actions = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
        );
        let action = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no action {title:?}: {actions:#}"));
        action["edit"]["changes"][uri][0].clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "{status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("milepost lsp did not exit after `exit`");
    }
}

fn url_dir(path: &Path) -> String {
    format!("file://{}/", path.display())
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn acme() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("acme");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    common::copy_dir(&source, &root);
    (dir, root)
}

/// 0-based `(line, character)` of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let line = text[..at].matches('\n').count() as u32;
    let column = text[..at]
        .rsplit('\n')
        .next()
        .unwrap()
        .encode_utf16()
        .count() as u32;
    (line, column)
}

#[test]
fn every_capability_over_stdio() {
    let (_dir, root) = acme();
    let ledger = root.join("programs/ledger/milestones.yaml");
    let ledger_uri = url(&ledger);
    let text = std::fs::read_to_string(&ledger).unwrap();
    let mut client = Client::start(&root);

    // The clean example publishes nothing for the file; an unknown owner typed in the
    // buffer (not saved) is an error at the value, within one round trip.
    client.open(&ledger_uri, &text);
    let broken = text.replacen("    owner: kenji-t\n", "    owner: ghost\n", 1);
    client.change(&ledger_uri, 2, &broken);
    let found = client.diagnostics(&ledger_uri, |d| {
        d.iter().any(|x| x["code"] == "owner-unknown")
    });
    let unknown = found.iter().find(|x| x["code"] == "owner-unknown").unwrap();
    let (line, column) = position(&broken, "ghost");
    assert_eq!(
        unknown["range"]["start"],
        json!({"line": line, "character": column}),
        "{unknown:#}"
    );
    assert_eq!(
        unknown["range"]["end"],
        json!({"line": line, "character": column + 5})
    );
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "milepost");
    assert!(
        unknown["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules.md#owner-unknown"),
        "{unknown:#}"
    );
    // Fixing it clears the file.
    client.change(&ledger_uri, 3, &text);
    client.diagnostics(&ledger_uri, <[Value]>::is_empty);

    // Completion after `owner: ` lists people and teams with their names.
    let typing = text.replacen("    owner: kenji-t\n", "    owner: \n", 1);
    client.change(&ledger_uri, 4, &typing);
    let (line, _) = position(&typing, "    owner: \n");
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": ledger_uri}, "position": {"line": line, "character": 11}}),
    );
    let labels: Vec<(&str, &str)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap(),
                i["detail"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(labels.contains(&("kenji-t", "Kenji Tanaka")), "{labels:?}");
    assert!(
        labels.contains(&("payments", "team: Payments")),
        "{labels:?}"
    );
    // …and `status: ` offers the milestone statuses from the schema.
    let (sline, _) = position(&typing, "    status: done");
    let statuses = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": ledger_uri}, "position": {"line": sline, "character": 12}}),
    );
    let values: Vec<&str> = statuses
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["planned", "in_progress", "done", "cancelled"]);
    client.change(&ledger_uri, 5, &text);

    // Go to definition on `ledger/M4`, typed into another program's buffer, lands on M4's
    // id in ledger's file.
    let checkout = root.join("programs/checkout-v2/milestones.yaml");
    let checkout_uri = url(&checkout);
    let checkout_text = std::fs::read_to_string(&checkout).unwrap().replacen(
        "    depends_on: [M4]\n",
        "    depends_on: [M4, ledger/M4]\n",
        1,
    );
    client.open(&checkout_uri, &checkout_text);
    let (line, column) = position(&checkout_text, "ledger/M4");
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": checkout_uri}, "position": {"line": line, "character": column + 3}}),
    );
    let (m4_line, m4_column) = position(&text, "  - id: M4\n");
    assert_eq!(definition["uri"], ledger_uri.as_str(), "{definition:#}");
    assert_eq!(
        definition["range"]["start"],
        json!({"line": m4_line, "character": m4_column + 8})
    );
    // Completion in `depends_on` offers other programs' milestones as `program/id`.
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": checkout_uri}, "position": {"line": line, "character": column}}),
    );
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "ledger/M4"),
        "{items:#}"
    );

    // References to ledger/M4: the new one in checkout-v2 and ledger's own `depends_on`.
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": ledger_uri}, "position": {"line": m4_line, "character": m4_column + 8}, "context": {"includeDeclaration": false}}),
    );
    let files: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert!(files.contains(&checkout_uri.as_str()), "{references:#}");
    assert!(files.contains(&ledger_uri.as_str()), "{references:#}");

    // Closing the buffer drops its unsaved `ledger/M4` dependency: the plan is the disk's.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": checkout_uri}}),
    );

    // Hover on M4 shows its plan: dates, slack, whether it is critical.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": ledger_uri}, "position": {"line": m4_line, "character": m4_column + 8}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    // The same numbers as `milepost plan`.
    let plan = Command::new(assert_cmd::cargo::cargo_bin("milepost"))
        .args(["plan", "--format", "json", "--as-of", "2026-11-23"])
        .arg(&root)
        .output()
        .unwrap();
    let plan: Value = serde_json::from_slice(&plan.stdout).unwrap();
    let m4 = plan["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "ledger/M4")
        .unwrap();
    assert!(shown.contains("**ledger/M4** Dual-write"), "{shown}");
    let planned = format!(
        "planned {} → {}",
        m4["earliest_start"].as_str().unwrap(),
        m4["earliest_finish"].as_str().unwrap()
    );
    assert!(shown.contains(&planned), "{shown}");
    let slack = format!("slack {} work days", m4["slack_days"]);
    assert!(shown.contains(&slack), "{shown}");
    assert_eq!(
        shown.contains("**critical**"),
        m4["critical"] == true,
        "{shown}"
    );
    let driver = format!("driven by {}", m4["driving_dependency"].as_str().unwrap());
    assert!(shown.contains(&driver), "{shown}");
    // A person's hover says who they are.
    let (kline, kcol) = position(&text, "kenji-t");
    let person = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": ledger_uri}, "position": {"line": kline, "character": kcol + 1}}),
    );
    let who = person["contents"]["value"].as_str().unwrap();
    assert!(who.contains("Kenji Tanaka"), "{who}");
    assert!(who.contains("- owns ledger/M2, ledger/M4, "), "{who}");
    assert!(who.contains("- accountable for ledger/RACI-1"), "{who}");

    // In milepost.yaml: rule ids under `rules:`, then a rule's options.
    let settings = root.join("milepost.yaml");
    let settings_uri = url(&settings);
    let settings_text = format!(
        "{}\nrules:\n  risk-st\n",
        std::fs::read_to_string(&settings).unwrap().trim_end()
    );
    client.open(&settings_uri, &settings_text);
    let (rline, _) = position(&settings_text, "  risk-st");
    let rules = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": settings_uri}, "position": {"line": rline, "character": 9}}),
    );
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "risk-stale"),
        "{rules:#}"
    );
    let options_text = settings_text.replace("  risk-st\n", "  risk-stale:\n    \n");
    client.change(&settings_uri, 2, &options_text);
    let options = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": settings_uri}, "position": {"line": rline + 1, "character": 4}}),
    );
    let names: Vec<&str> = options
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"level") && names.contains(&"max_age_days"),
        "{names:?}"
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": settings_uri}}),
    );

    // Symbols: the file's milestones in order; the workspace by name.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": ledger_uri}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names[0].starts_with("M1 "), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("M4 Dual-write")),
        "{names:?}"
    );
    let found = client.request("workspace/symbol", json!({"query": "dual-write"}));
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"].as_str().unwrap().starts_with("ledger/M4")),
        "{found:#}"
    );

    // The "did you mean" quick fix repairs a misspelt key.
    let misspelt = text.replacen("    owner: kenji-t\n", "    ownr: kenji-t\n", 1);
    client.change(&ledger_uri, 6, &misspelt);
    let found = client.diagnostics(&ledger_uri, |d| d.iter().any(|x| x["code"] == "schema"));
    let schema = found
        .iter()
        .find(|x| x["code"] == "schema")
        .unwrap()
        .clone();
    let edit = client.action(&ledger_uri, &schema, "Replace with `owner`");
    let fixed = apply(&misspelt, &edit);
    assert_eq!(fixed, text);
    client.change(&ledger_uri, 7, &fixed);
    client.diagnostics(&ledger_uri, <[Value]>::is_empty);

    // A missing required field gets an action that adds it on its own line.
    let untitled = text.replacen(
        "    title: Dual-write to ledger v2 in production (shadow)\n",
        "",
        1,
    );
    client.change(&ledger_uri, 8, &untitled);
    let is_missing = |x: &Value| x["message"].as_str().unwrap().contains("missing `title`");
    let found = client.diagnostics(&ledger_uri, |d| d.iter().any(is_missing));
    let missing = found.iter().find(|x| is_missing(x)).unwrap().clone();
    let edit = client.action(&ledger_uri, &missing, "Add `title`");
    assert_eq!(edit["newText"], "\n    title: ", "{edit:#}");
    client.change(&ledger_uri, 9, &text);
    client.diagnostics(&ledger_uri, <[Value]>::is_empty);

    // A stale risk gets "reviewed today": the as-of date replaces the old one.
    let raid = root.join("programs/ledger/raid.yaml");
    let raid_uri = url(&raid);
    let raid_text = std::fs::read_to_string(&raid).unwrap();
    let (rev_line, _) = position(&raid_text, "    reviewed: ");
    let old_review = line_of(&raid_text, rev_line).to_owned();
    let stale = raid_text.replacen(&old_review, "    reviewed: 2026-01-05", 1);
    client.open(&raid_uri, &stale);
    let found = client.diagnostics(&raid_uri, |d| d.iter().any(|x| x["code"] == "risk-stale"));
    let finding = found
        .iter()
        .find(|x| x["code"] == "risk-stale")
        .unwrap()
        .clone();
    let edit = client.action(&raid_uri, &finding, "Mark reviewed today (2026-11-23)");
    let reviewed = apply(&stale, &edit);
    assert!(
        reviewed.contains("    reviewed: 2026-11-23\n"),
        "{reviewed}"
    );
    client.change(&raid_uri, 2, &reviewed);
    client.diagnostics(&raid_uri, |d| d.iter().all(|x| x["code"] != "risk-stale"));

    client.stop();
}

fn line_of(text: &str, line: u32) -> &str {
    text.split('\n').nth(line as usize).unwrap_or("")
}

/// Applies one single-line text edit.
fn apply(text: &str, edit: &Value) -> String {
    let line = edit["range"]["start"]["line"].as_u64().unwrap() as usize;
    let start = edit["range"]["start"]["character"].as_u64().unwrap() as usize;
    let end = edit["range"]["end"]["character"].as_u64().unwrap() as usize;
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let l = &lines[line];
    let units: Vec<u16> = l.encode_utf16().collect();
    let new = format!(
        "{}{}{}",
        String::from_utf16_lossy(&units[..start]),
        edit["newText"].as_str().unwrap(),
        String::from_utf16_lossy(&units[end..])
    );
    lines[line] = new;
    lines.join("\n")
}

/// A broken buffer (invalid YAML, binary noise) never kills the server: it reports and
/// keeps answering.
#[test]
fn a_broken_buffer_never_kills_the_server() {
    let (_dir, root) = acme();
    let ledger = root.join("programs/ledger/milestones.yaml");
    let ledger_uri = url(&ledger);
    let text = std::fs::read_to_string(&ledger).unwrap();
    let mut client = Client::start(&root);
    client.open(&ledger_uri, &text);
    for (version, junk) in [
        "milestones: [\n  - id: {\n",
        "\u{0}\u{1}\u{2}: ::: ]]]",
        "milestones:\n  - id: M1\n    depends_on: [M1, M1, ledger/M1, /, //, ledger/]\n",
        "",
    ]
    .iter()
    .enumerate()
    {
        client.change(&ledger_uri, version as i64 + 2, junk);
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": ledger_uri}, "position": {"line": 0, "character": 3}}),
        );
        let _ = hover;
    }
    client.change(&ledger_uri, 99, &text);
    client.diagnostics(&ledger_uri, <[Value]>::is_empty);
    client.stop();
}

/// Without a portfolio at the workspace root, the first file opened finds its portfolio.
#[test]
fn the_portfolio_is_found_upwards_from_an_open_file() {
    let (dir, root) = acme();
    let ledger = root.join("programs/ledger/milestones.yaml");
    let ledger_uri = url(&ledger);
    let text = std::fs::read_to_string(&ledger).unwrap();
    let mut client = Client::start(&dir.path().canonicalize().unwrap());
    client.open(
        &ledger_uri,
        &text.replacen("    owner: kenji-t\n", "    owner: ghost\n", 1),
    );
    client.diagnostics(&ledger_uri, |d| {
        d.iter().any(|x| x["code"] == "owner-unknown")
    });
    client.stop();
}

/// An edit that changes the plan's uncertainty is first published with the last forecast
/// (provisional), then, once the editor is quiet, with the exact one: the diagnostics end up
/// equal to `milepost check` on the same text.
#[test]
fn a_plan_edit_converges_to_the_exact_check() {
    let (dir, root) = acme();
    let ledger = root.join("programs/ledger/milestones.yaml");
    let ledger_uri = url(&ledger);
    let text = std::fs::read_to_string(&ledger).unwrap();
    let mut client = Client::start(&root);
    client.open(&ledger_uri, &text);
    let uncertain = text.replacen(
        "    estimate: {optimistic: 15d, likely: 15d, pessimistic: 25d}\n",
        "    estimate: {optimistic: 15d, likely: 15d, pessimistic: 90d}\n",
        1,
    );
    assert_ne!(uncertain, text);
    client.change(&ledger_uri, 2, &uncertain);
    // What `milepost check` says about the same text, from a copy on disk.
    let copy = dir.path().join("copy");
    common::copy_dir(&root, &copy);
    std::fs::write(copy.join("programs/ledger/milestones.yaml"), &uncertain).unwrap();
    let check = Command::new(assert_cmd::cargo::cargo_bin("milepost"))
        .args(["check", "--format", "json", "--as-of", "2026-11-23"])
        .arg(&copy)
        .output()
        .unwrap();
    let check: Value = serde_json::from_slice(&check.stdout).unwrap();
    let mut expected: Vec<(String, u64)> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "programs/ledger/milestones.yaml")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    expected.sort();
    assert!(
        expected.iter().any(|(rule, _)| rule == "forecast-late"),
        "{check:#}"
    );
    let seen = |d: &[Value]| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = d
            .iter()
            .map(|x| {
                (
                    x["code"].as_str().unwrap().to_owned(),
                    x["range"]["start"]["line"].as_u64().unwrap() + 1,
                )
            })
            .collect();
        v.sort();
        v
    };
    let found = client.diagnostics(&ledger_uri, |d| seen(d) == expected);
    assert_eq!(seen(&found), expected);
    client.stop();
}
