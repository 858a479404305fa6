//! Tried as a new user would: a TPM edits the clean example portfolio the way people really
//! get it wrong, and sees exactly one clear, located message per mistake — and nothing else.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{check_at, load_texts, render};
use milepost_load::Diagnostic;

const AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 23) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

fn acme() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    files.sort();
    files
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read examples/acme") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path).expect("read file")));
        }
    }
}

/// acme with one edit: `from` (which must occur exactly once in `file`) replaced by `to`.
fn edited(file: &str, from: &str, to: &str) -> (milepost_load::Portfolio, Vec<Diagnostic>) {
    let mut files = acme();
    let (_, text) = files
        .iter_mut()
        .find(|(p, _)| p == file)
        .expect("file in acme");
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur once in {file}"
    );
    *text = text.replacen(from, to, 1);
    let portfolio = load_texts(&files);
    let diagnostics = check_at(&portfolio, AS_OF);
    (portfolio, diagnostics)
}

/// Asserts exactly one finding, of `rule`, at `file:line`, and returns its rendering.
fn one(
    edit: (milepost_load::Portfolio, Vec<Diagnostic>),
    rule: &str,
    file: &str,
    line: u32,
) -> String {
    let (portfolio, diagnostics) = edit;
    let shown = render(&portfolio, &diagnostics);
    assert_eq!(diagnostics.len(), 1, "expected one message:\n{shown}");
    let d = &diagnostics[0];
    let loc = d.location.as_ref().expect("located");
    assert_eq!(
        (d.rule, &*loc.file, loc.span.line),
        (rule, file, line),
        "{shown}"
    );
    assert!(d.hint.is_some(), "{shown}");
    shown
}

#[test]
fn acme_is_clean() {
    let portfolio = load_texts(&acme());
    let d = check_at(&portfolio, AS_OF);
    assert!(d.is_empty(), "{}", render(&portfolio, &d));
}

#[test]
fn deleting_an_owner() {
    let shown = one(
        edited(
            "programs/ledger/milestones.yaml",
            "    title: Legacy ledger decommissioned\n    owner: kenji-t\n",
            "    title: Legacy ledger decommissioned\n",
        ),
        "owner-missing",
        "programs/ledger/milestones.yaml",
        115,
    );
    insta::assert_snapshot!("deleted_owner", shown);
}

#[test]
fn misspelling_owner_is_one_schema_message_not_two() {
    one(
        edited(
            "programs/ledger/milestones.yaml",
            "    title: Legacy ledger decommissioned\n    owner: kenji-t\n",
            "    title: Legacy ledger decommissioned\n    ownr: kenji-t\n",
        ),
        "schema",
        "programs/ledger/milestones.yaml",
        117,
    );
}

#[test]
fn back_dating_a_risk_review() {
    let shown = one(
        edited(
            "programs/ledger/raid.yaml",
            "    raised: 2026-10-19\n    reviewed: 2026-11-13\n",
            "    raised: 2026-10-19\n    reviewed: 2026-10-13\n",
        ),
        "risk-stale",
        "programs/ledger/raid.yaml",
        27,
    );
    insta::assert_snapshot!("back_dated_review", shown);
}

#[test]
fn an_impossible_review_date_is_one_schema_message_not_two() {
    one(
        edited(
            "programs/ledger/raid.yaml",
            "    raised: 2026-10-19\n    reviewed: 2026-11-13\n",
            "    raised: 2026-10-19\n    reviewed: 2026-11-31\n",
        ),
        "schema",
        "programs/ledger/raid.yaml",
        27,
    );
}

#[test]
fn adding_a_cycle() {
    let shown = one(
        edited(
            "programs/merchant-portal/milestones.yaml",
            "    depends_on: [M1]\n    target: 2027-02-19\n",
            "    depends_on: [M1, M4]\n    target: 2027-02-19\n",
        ),
        "dependency-cycle",
        "programs/merchant-portal/milestones.yaml",
        18,
    );
    insta::assert_snapshot!("added_cycle", shown);
}

#[test]
fn pulling_a_target_in() {
    // checkout-v2/M5 (amber program) is forecast for mid-January; a December target cannot
    // be met. M8, which waits for M5, is not also reported: its own target still holds.
    one(
        edited(
            "programs/checkout-v2/milestones.yaml",
            "    depends_on: [M4]\n    target: 2027-01-22\n",
            "    depends_on: [M4]\n    target: 2026-12-23\n",
        ),
        "milestone-slip",
        "programs/checkout-v2/milestones.yaml",
        114,
    );
}

#[test]
fn pulling_a_target_in_on_a_green_program_also_questions_the_green() {
    // The same edit on a program declared green: the slip, and the declaration it
    // contradicts (the "green until it's red" anti-pattern), each at its own line.
    let (portfolio, d) = edited(
        "programs/ledger/milestones.yaml",
        "    depends_on: [M6]\n    target: 2027-03-05\n",
        "    depends_on: [M6]\n    target: 2027-01-04\n",
    );
    let rules: Vec<&str> = d.iter().map(|x| x.rule).collect();
    assert_eq!(
        rules,
        ["milestone-slip", "health-mismatch"],
        "{}",
        render(&portfolio, &d)
    );
}

#[test]
fn a_persons_name_or_email_where_the_id_belongs_suggests_the_id() {
    let from = "    title: Legacy ledger decommissioned\n    owner: kenji-t\n";
    // A name is not an id (it has a space): one schema finding, pointing at the id.
    let shown = one(
        edited(
            "programs/ledger/milestones.yaml",
            from,
            "    title: Legacy ledger decommissioned\n    owner: Kenji Tanaka\n",
        ),
        "schema",
        "programs/ledger/milestones.yaml",
        117,
    );
    assert!(
        shown.contains("did you mean `kenji-t`? `Kenji Tanaka` is the name of `kenji-t`"),
        "{shown}"
    );
    // An e-mail address is not an id either.
    let shown = one(
        edited(
            "programs/ledger/milestones.yaml",
            from,
            "    title: Legacy ledger decommissioned\n    owner: kenji.tanaka@acme.example\n",
        ),
        "schema",
        "programs/ledger/milestones.yaml",
        117,
    );
    assert!(shown.contains("is the e-mail of `kenji-t`"), "{shown}");
    // A valid id spelled from the name: owner-unknown, pointing at the id.
    let shown = one(
        edited(
            "programs/ledger/milestones.yaml",
            from,
            "    title: Legacy ledger decommissioned\n    owner: kenji-tanaka\n",
        ),
        "owner-unknown",
        "programs/ledger/milestones.yaml",
        117,
    );
    assert!(shown.contains("did you mean `kenji-t`?"), "{shown}");
}
