//! The time from a `didChange` to the published diagnostics of the edited file, on a
//! generated 1,000-program portfolio (5,000+ files), through the server's own message loop;
//! and the server's resident memory once it has analysed the portfolio.
//!
//! ```sh
//! cargo bench -p milepost-lsp --bench lsp
//! ```

#![expect(clippy::print_stdout, reason = "a benchmark reports")]

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

/// Waits for the diagnostics of `uri` that reflect the edit: with an `owner-unknown`
/// finding or without one (a later publish of an earlier edit does not count).
fn wait_for(client: &Connection, uri: &str, unknown_owner: bool) -> Value {
    loop {
        match client.receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(Message::Notification(n))
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
            {
                let has = n.params["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|x| x["code"] == "owner-unknown"));
                if has == unknown_owner {
                    return n.params;
                }
            }
            Ok(_) => {}
            Err(e) => panic!("no diagnostics for {uri}: {e}"),
        }
    }
}

/// Drains messages until the server has been quiet for `quiet` (an exact analysis after a
/// provisional one has been published, or there was none).
fn settle(client: &Connection, quiet: Duration) {
    while client.receiver.recv_timeout(quiet).is_ok() {}
}

/// Sends version `version` of the file and times until its diagnostics are published,
/// starting from a quiet server.
fn edit(client: &Connection, uri: &str, version: i32, text: &str, unknown: bool) -> Duration {
    settle(client, Duration::from_millis(400));
    let started = std::time::Instant::now();
    client
        .sender
        .send(Message::Notification(Notification::new(
            "textDocument/didChange".to_owned(),
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        )))
        .unwrap();
    wait_for(client, uri, unknown);
    started.elapsed()
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let files = milepost_synth::generate(&milepost_synth::Options::with_programs(1000));
    milepost_synth::write_to_dir(&files, dir.path()).unwrap();
    let root = dir.path().canonicalize().unwrap();
    let (server, client) = Connection::memory();
    let before = rss_mb();
    let thread = std::thread::spawn(move || {
        let options = milepost_lsp::Options {
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23),
            debounce: Some(Duration::ZERO),
        };
        milepost_lsp::run(&server, &options).unwrap();
    });
    let root_uri = lsp_types::Url::from_directory_path(&root)
        .unwrap()
        .to_string();
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".to_owned(),
            json!({"capabilities": {}, "rootUri": root_uri}),
        )))
        .unwrap();
    loop {
        if let Ok(Message::Response(_)) = client.receiver.recv() {
            break;
        }
    }
    client
        .sender
        .send(Message::Notification(Notification::new(
            "initialized".to_owned(),
            json!({}),
        )))
        .unwrap();
    let (path, text) = files
        .iter()
        .find(|(p, _)| p.ends_with("milestones.yaml"))
        .cloned()
        .unwrap();
    let uri = lsp_types::Url::from_file_path(root.join(&path))
        .unwrap()
        .to_string();
    let started = std::time::Instant::now();
    client
        .sender
        .send(Message::Notification(Notification::new(
            "textDocument/didOpen".to_owned(),
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        )))
        .unwrap();
    // The first analysis (all files parsed), then every keystroke reuses the unchanged ones.
    let broken = text.replacen("owner: ", "owner: nobody-", 1);
    client
        .sender
        .send(Message::Notification(Notification::new(
            "textDocument/didChange".to_owned(),
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": broken}]}),
        )))
        .unwrap();
    wait_for(&client, &uri, true);
    println!(
        "first analysis of {} files: {:.0} ms; resident memory {:.0} MB (before the server: {:.0} MB)",
        files.len(),
        started.elapsed().as_secs_f64() * 1000.0,
        rss_mb(),
        before
    );
    let mut version = 2;
    let mut group = c.benchmark_group("lsp");
    group.sample_size(10);
    // An owner edit leaves the plan alone; a duration edit moves it: published with the last
    // forecast, then made exact when the editor is quiet (outside the timing: `edit` starts
    // from a quiet server). Each edit alternates with the original text, and each version
    // differs in its findings, so every one is published.
    let longer_broken =
        text.replacen("duration: ", "duration: 1", 1)
            .replacen("owner: ", "owner: nobody-", 1);
    for (name, changed) in [
        (
            "didChange of an owner → publishDiagnostics, 1,000 programs",
            &broken,
        ),
        (
            "didChange of a duration → publishDiagnostics, 1,000 programs",
            &longer_broken,
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        version += 1;
                        let unknown = version % 2 == 0;
                        let next = if unknown { changed } else { &text };
                        edit(&client, &uri, version, next, unknown)
                    })
                    .sum()
            });
        });
    }
    group.finish();
    println!("resident memory after the edits: {:.0} MB", rss_mb());
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(2),
            "shutdown".to_owned(),
            Value::Null,
        )))
        .unwrap();
    client
        .sender
        .send(Message::Notification(Notification::new(
            "exit".to_owned(),
            Value::Null,
        )))
        .unwrap();
    let _ = thread.join();
}

criterion_group!(benches, bench);
criterion_main!(benches);
