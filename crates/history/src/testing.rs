//! Test support: a temporary git repository built with git2, commit by commit, with
//! scripted authors, dates, messages and trailers (enabled by the `test-support` feature).
//!
//! ```ignore
//! let mut repo = TestRepo::init(dir.path());
//! repo.write("milepost.yaml", "name: Test\n");
//! repo.commit("Ada Lovelace <ada@example.com>", "2026-11-02T10:00:00+01:00", "Start (#1)");
//! ```
//!
//! Files are kept in memory and written to the working tree too, so the working tree
//! matches `HEAD` after each commit (and can then be edited to test uncommitted changes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};

/// A repository under construction.
pub struct TestRepo {
    /// The repository.
    pub repo: Repository,
    /// Its working tree.
    pub dir: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
}

impl std::fmt::Debug for TestRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestRepo")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Parses `Name <email>` and an RFC 3339 date into a git signature.
pub fn signature(who: &str, when: &str) -> Signature<'static> {
    let (name, email) = who
        .split_once('<')
        .map_or((who, "nobody@example.com"), |(n, e)| {
            (n.trim(), e.trim_end_matches('>'))
        });
    let t = chrono::DateTime::parse_from_rfc3339(when).expect("an RFC 3339 date");
    let offset = t.offset().local_minus_utc() / 60;
    Signature::new(name, email, &Time::new(t.timestamp(), offset)).expect("signature")
}

enum Node {
    File(Vec<u8>),
    Dir(BTreeMap<String, Node>),
}

impl TestRepo {
    /// A new repository in `dir` whose first branch is `main`.
    pub fn init(dir: &Path) -> TestRepo {
        let mut opts = RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(dir, &opts).expect("git init");
        TestRepo {
            repo,
            dir: dir.to_path_buf(),
            files: BTreeMap::new(),
        }
    }

    /// Sets a file (path relative to the repository root) for the next commit, and writes it
    /// to the working tree.
    pub fn write(&mut self, path: &str, text: &str) -> &mut Self {
        self.files.insert(path.to_owned(), text.as_bytes().to_vec());
        let full = self.dir.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
        self
    }

    /// Sets several files.
    pub fn write_all(&mut self, files: &[(&str, &str)]) -> &mut Self {
        for (p, t) in files {
            self.write(p, t);
        }
        self
    }

    /// Removes a file for the next commit, and from the working tree.
    pub fn remove(&mut self, path: &str) -> &mut Self {
        self.files.remove(path);
        let _ = std::fs::remove_file(self.dir.join(path));
        self
    }

    /// The tree of the current files.
    pub fn tree(&self) -> Oid {
        let mut root: BTreeMap<String, Node> = BTreeMap::new();
        for (path, bytes) in &self.files {
            let mut parts: Vec<&str> = path.split('/').collect();
            let file = parts.pop().expect("file name");
            let mut dir = &mut root;
            for part in parts {
                let node = dir
                    .entry(part.to_owned())
                    .or_insert_with(|| Node::Dir(BTreeMap::new()));
                dir = match node {
                    Node::Dir(d) => d,
                    Node::File(_) => panic!("{part} is a file"),
                };
            }
            dir.insert(file.to_owned(), Node::File(bytes.clone()));
        }
        self.write_tree(&root)
    }

    fn write_tree(&self, dir: &BTreeMap<String, Node>) -> Oid {
        let mut builder = self.repo.treebuilder(None).expect("treebuilder");
        for (name, node) in dir {
            match node {
                Node::File(bytes) => {
                    let blob = self.repo.blob(bytes).expect("blob");
                    builder.insert(name, blob, 0o100_644).expect("insert");
                }
                Node::Dir(d) => {
                    let tree = self.write_tree(d);
                    builder.insert(name, tree, 0o040_000).expect("insert");
                }
            }
        }
        builder.write().expect("write tree")
    }

    fn head_commit(&self) -> Option<Oid> {
        self.repo.head().ok().and_then(|h| h.target())
    }

    /// Commits the current files on the current branch; `who` is `Name <email>` (author and
    /// committer), `when` an RFC 3339 date.
    pub fn commit(&mut self, who: &str, when: &str, message: &str) -> Oid {
        self.commit_as(who, who, when, message)
    }

    /// Commits with a separate committer (as a forge does when it merges).
    pub fn commit_as(&mut self, author: &str, committer: &str, when: &str, message: &str) -> Oid {
        let parents: Vec<Oid> = self.head_commit().into_iter().collect();
        self.commit_with_parents(author, committer, when, message, &parents, true)
    }

    /// Commits the current files as a child of `HEAD` without moving the branch (a commit of
    /// a pull-request branch); merge it with [`TestRepo::merge`].
    pub fn side_commit(&mut self, who: &str, when: &str, message: &str) -> Oid {
        let parents: Vec<Oid> = self.head_commit().into_iter().collect();
        self.commit_with_parents(who, who, when, message, &parents, false)
    }

    /// A merge commit of `side` into the current branch, with the current files as its tree
    /// (`Merge pull request #7 from …`).
    pub fn merge(&mut self, side: Oid, who: &str, when: &str, message: &str) -> Oid {
        let mut parents: Vec<Oid> = self.head_commit().into_iter().collect();
        parents.push(side);
        self.commit_with_parents(who, who, when, message, &parents, true)
    }

    /// A commit with a (fake) GPG signature in its `gpgsig` header.
    pub fn signed_commit(&mut self, who: &str, when: &str, message: &str) -> Oid {
        let sig = signature(who, when);
        let tree = self.repo.find_tree(self.tree()).expect("tree");
        let parents: Vec<git2::Commit<'_>> = self
            .head_commit()
            .map(|p| self.repo.find_commit(p).expect("parent"))
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let buffer = self
            .repo
            .commit_create_buffer(&sig, &sig, message, &tree, &refs)
            .expect("commit buffer");
        let content = std::str::from_utf8(&buffer).expect("utf-8 commit");
        let gpg = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEtest\n=abcd\n-----END PGP SIGNATURE-----";
        let id = self
            .repo
            .commit_signed(content, gpg, None)
            .expect("signed commit");
        self.move_branch(id);
        id
    }

    fn commit_with_parents(
        &mut self,
        author: &str,
        committer: &str,
        when: &str,
        message: &str,
        parents: &[Oid],
        move_branch: bool,
    ) -> Oid {
        let tree = self.repo.find_tree(self.tree()).expect("tree");
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).expect("parent"))
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let id = self
            .repo
            .commit(
                None,
                &signature(author, when),
                &signature(committer, when),
                message,
                &tree,
                &refs,
            )
            .expect("commit");
        if move_branch {
            self.move_branch(id);
        }
        id
    }

    /// Points the current branch (or a detached `HEAD`) at `id`.
    fn move_branch(&self, id: Oid) {
        let head = self.repo.find_reference("HEAD").expect("HEAD");
        match head.symbolic_target().ok().flatten() {
            Some(branch) => {
                self.repo
                    .reference(branch, id, true, "test commit")
                    .expect("update branch");
            }
            None => self.repo.set_head_detached(id).expect("detach"),
        }
    }

    /// Creates a branch (`refs/heads/NAME`) at a commit.
    pub fn branch(&self, name: &str, at: Oid) {
        self.repo
            .branch(name, &self.repo.find_commit(at).expect("commit"), true)
            .expect("branch");
    }

    /// Creates a lightweight tag at a commit.
    pub fn tag(&self, name: &str, at: Oid) {
        self.repo
            .reference(&format!("refs/tags/{name}"), at, true, "tag")
            .expect("tag");
    }

    /// Checks out nothing, but points `HEAD` at a branch (`refs/heads/NAME`).
    pub fn switch(&self, name: &str) {
        self.repo
            .set_head(&format!("refs/heads/{name}"))
            .expect("set HEAD");
    }

    /// Detaches `HEAD` at its current commit.
    pub fn detach(&self) {
        let id = self.head_commit().expect("a commit");
        self.repo.set_head_detached(id).expect("detach");
    }

    /// Makes the repository look like a shallow clone cut at `boundary` (its parents are no
    /// longer part of the history), the way `git clone --depth` leaves it.
    pub fn make_shallow(&self, boundary: Oid) {
        std::fs::write(self.repo.path().join("shallow"), format!("{boundary}\n"))
            .expect("write .git/shallow");
    }
}

/// The folder of the scripted portfolio inside its repository.
pub const SCRIPTED_PREFIX: &str = "portfolio";

/// The commits of [`scripted`], in order.
#[derive(Debug, Clone, Copy)]
pub struct ScriptedCommits {
    /// 2026-10-01, Ada: the portfolio (#1).
    pub start: Oid,
    /// 2026-10-15, Bob, squash (#42), trailers: ledger/M2 target 2026-11-06 → 2026-11-20.
    pub slip: Oid,
    /// 2026-10-19, Dan, on a pull-request branch: ledger/M1 owner ada → bob, risk R-2 added.
    pub side: Oid,
    /// 2026-10-20, Carol: `Merge pull request #7 from acme/owners`.
    pub merge: Oid,
    /// 2026-10-25, Bob: raid.yaml does not parse.
    pub broken: Oid,
    /// 2026-10-28, Ada, signed (#44): raid.yaml fixed (R-1 mitigating, issues), D-1
    /// committed, DEC-1 decided.
    pub fix: Oid,
    /// 2026-11-02, Ada (#45): M1 and the M4 launch done, a scope line added.
    pub done: Oid,
}

const SETTINGS: &str = "name: Scripted portfolio\ncalendar:\n  holidays:\n    - 2026-11-11\ngates:\n  launch-readiness:\n    - id: security-review\n      title: Security review signed off\n    - id: runbook\n      title: Runbook published\n";
const PEOPLE: &str = "people:\n  - id: ada\n    name: Ada Lovelace\n    handle: ada-l\n  - id: bob\n    name: Bob Stone\n    handle: \"@bobstone\"\n  - id: carol\n    name: Carol Diaz\nteams:\n  - id: payments\n    name: Payments\n    handle: \"@acme/payments\"\n";
const LEDGER: &str = "name: Ledger\nstatus: active\nowner: ada\nsponsor: bob\nstart: 2026-10-01\ntarget: 2026-12-18\nscope:\n  in:\n    - Double-entry ledger\n    - Nightly reconciliation\n  out:\n    - Multi-currency\n";
const PAYOUTS: &str = "name: Payouts\nstatus: proposed\nowner: payments\nsponsor: carol\n";
const M1: &str = "  - id: M1\n    title: Ledger schema\n    owner: ada\n    duration: 5d\n    target: 2026-10-30\n    deliverables: [Schema migration]\n";
const M1_BOB: &str = "  - id: M1\n    title: Ledger schema\n    owner: bob\n    duration: 5d\n    target: 2026-10-30\n    deliverables: [Schema migration]\n";
const M1_DONE: &str = "  - id: M1\n    title: Ledger schema\n    owner: bob\n    duration: 5d\n    target: 2026-10-30\n    status: done\n    completed: 2026-10-29\n    deliverables: [Schema migration]\n";
const M3: &str = "  - id: M3\n    title: Ledger launch\n    kind: launch\n    owner: ada\n    duration: 0d\n    depends_on: [M2]\n    target: 2026-12-18\n    gate: launch-readiness\n";
const M4: &str = "  - id: M4\n    title: Pilot launch\n    kind: launch\n    owner: ada\n    target: 2026-10-28\n    gate: launch-readiness\n";
const M4_DONE: &str = "  - id: M4\n    title: Pilot launch\n    kind: launch\n    owner: ada\n    target: 2026-10-28\n    status: done\n    completed: 2026-10-28\n    gate: launch-readiness\n    readiness:\n      security-review:\n        status: done\n        evidence: https://example.com/sec\n      runbook:\n        status: waived\n        approver: bob\n";
const R1: &str = "  - id: R-1\n    title: Reconciliation job overruns its window\n    owner: bob\n    probability: medium\n    impact: high\n    status: open\n    mitigation: Partition the job by account range\n    raised: 2026-10-01\n";
const R1_MITIGATING: &str = "  - id: R-1\n    title: Reconciliation job overruns its window\n    owner: bob\n    probability: medium\n    impact: high\n    status: mitigating\n    mitigation: Partition the job by account range\n    due: 2026-11-13\n    raised: 2026-10-01\n";
const R2: &str = "  - id: R-2\n    title: Card-events vendor misses the feed date\n    owner: ada\n    probability: high\n    impact: critical\n    status: open\n";
const D1: &str = "dependencies:\n  - id: D-1\n    title: Card events from payments\n    provider: payments\n    owner: ada\n    needed_by: 2026-11-02\n    raised: 2026-09-21\n    status: requested\n";
const D1_COMMITTED: &str = "dependencies:\n  - id: D-1\n    title: Card events from payments\n    provider: payments\n    owner: ada\n    needed_by: 2026-11-02\n    raised: 2026-09-21\n    status: committed\n";
const ISSUES: &str = "issues:\n  - id: I-1\n    title: Staging database full\n    owner: bob\n    status: resolved\n    raised: 2026-10-20\n    escalated_to: carol\n    escalated_on: 2026-10-22\n    resolved: 2026-10-27\n  - id: I-2\n    title: Vendor sandbox down\n    owner: ada\n    status: escalated\n    raised: 2026-10-26\n    escalated_to: carol\n    escalated_on: 2026-10-26\n";
const DEC1: &str = "decisions:\n  - id: DEC-1\n    title: Build or buy the ledger\n    status: proposed\n    owner: ada\n    raised: 2026-10-01\n";
const DEC1_DECIDED: &str = "decisions:\n  - id: DEC-1\n    title: Build or buy the ledger\n    status: decided\n    owner: ada\n    raised: 2026-10-01\n    decided: 2026-10-28\n    decided_by: bob\n    outcome: Build\n";

fn milestones(items: &[&str], m2_target: &str) -> String {
    let m2 = format!(
        "  - id: M2\n    title: Ledger cut-over\n    owner: bob\n    duration: 5d\n    depends_on: [M1]\n    target: {m2_target}\n"
    );
    let mut out = String::from("milestones:\n");
    out.push_str(items[0]);
    out.push_str(&m2);
    for item in &items[1..] {
        out.push_str(item);
    }
    out
}

/// Builds the scripted history the tests of this crate and of the CLI read: a portfolio in
/// `portfolio/` with programs `ledger` and `payouts`, seven commits (see
/// [`ScriptedCommits`]), on branch `main`. The calendar has a holiday on 2026-11-11, so
/// 2026-11-06 → 2026-11-20 is +9 work days.
pub fn scripted(dir: &Path) -> (TestRepo, ScriptedCommits) {
    let p = |f: &str| format!("{SCRIPTED_PREFIX}/{f}");
    let mut r = TestRepo::init(dir);
    r.write("README.md", "# Acme plans\n");
    r.write(&p("milepost.yaml"), SETTINGS);
    r.write(&p("people.yaml"), PEOPLE);
    r.write(&p("programs/ledger/program.yaml"), LEDGER);
    r.write(&p("programs/payouts/program.yaml"), PAYOUTS);
    r.write(
        &p("programs/ledger/milestones.yaml"),
        &milestones(&[M1, M3, M4], "2026-11-06"),
    );
    r.write(
        &p("programs/ledger/raid.yaml"),
        &format!("risks:\n{R1}{D1}"),
    );
    r.write(&p("programs/ledger/decisions.yaml"), DEC1);
    let start = r.commit(
        "Ada Lovelace <ada@example.com>",
        "2026-10-01T09:00:00+02:00",
        "Start the portfolio (#1)",
    );
    r.write(
        &p("programs/ledger/milestones.yaml"),
        &milestones(&[M1, M3, M4], "2026-11-20"),
    );
    let slip = r.commit_as(
        "Bob Stone <bob@example.com>",
        "GitHub <noreply@github.com>",
        "2026-10-15T14:00:00+02:00",
        "Slip the ledger cut-over two weeks (#42)\n\nThe vendor moved the card-events feed.\n\nReviewed-by: Ada Lovelace <ada@example.com>\nApproved-by: Carol Diaz <carol@example.com>\n",
    );
    r.write(
        &p("programs/ledger/milestones.yaml"),
        &milestones(&[M1_BOB, M3, M4], "2026-11-20"),
    );
    r.write(
        &p("programs/ledger/raid.yaml"),
        &format!("risks:\n{R1}{R2}{D1}"),
    );
    let side = r.side_commit(
        "Dan Ops <dan@example.com>",
        "2026-10-19T10:00:00+00:00",
        "Hand M1 to Bob; add the vendor risk",
    );
    let merge = r.merge(
        side,
        "Carol Diaz <carol@example.com>",
        "2026-10-20T09:30:00+00:00",
        "Merge pull request #7 from acme/owners\n\nHand M1 to Bob\n\nApproved-by: Bob Stone <bob@example.com>\n",
    );
    r.write(
        &p("programs/ledger/raid.yaml"),
        "risks:\n  - id: R-1\n    title: [unclosed\n",
    );
    let broken = r.commit(
        "Bob Stone <bob@example.com>",
        "2026-10-25T18:00:00+02:00",
        "WIP: rework the RAID log",
    );
    r.write(
        &p("programs/ledger/raid.yaml"),
        &format!("risks:\n{R1_MITIGATING}{R2}{ISSUES}{D1_COMMITTED}"),
    );
    r.write(&p("programs/ledger/decisions.yaml"), DEC1_DECIDED);
    let fix = r.signed_commit(
        "Ada Lovelace <ada@example.com>",
        "2026-10-28T11:00:00+01:00",
        "Review risks; decide build vs buy (#44)",
    );
    r.write(
        &p("programs/ledger/milestones.yaml"),
        &milestones(&[M1_DONE, M3, M4_DONE], "2026-11-20"),
    );
    r.write(
        &p("programs/ledger/program.yaml"),
        &LEDGER.replace(
            "    - Nightly reconciliation\n",
            "    - Nightly reconciliation\n    - Audit trail\n",
        ),
    );
    let done = r.commit(
        "Ada Lovelace <ada@example.com>",
        "2026-11-02T09:00:00+01:00",
        "M1 and the pilot are done; add the audit trail to scope (#45)",
    );
    (
        r,
        ScriptedCommits {
            start,
            slip,
            side,
            merge,
            broken,
            fix,
            done,
        },
    )
}

/// On top of [`scripted`]: branch `feature` from `main` with one commit (2026-11-20, Bob,
/// "Rework the ledger plan") that moves ledger/M2 to 2026-12-04 (+10 work days), downgrades
/// R-1's impact to medium, hands M3 to bob, adds a 40-day milestone M5 (which takes over the
/// critical path) and a scope-out line; `HEAD` is left on `feature`. Then, uncommitted in
/// the working tree, decision DEC-2 is added.
pub fn feature_branch(repo: &mut TestRepo) -> Oid {
    let p = |f: &str| format!("{SCRIPTED_PREFIX}/{f}");
    let main = repo.head_commit().expect("main");
    repo.branch("feature", main);
    repo.switch("feature");
    let m3_bob = M3.replace("    owner: ada\n", "    owner: bob\n");
    let m5 = "  - id: M5\n    title: Ledger archive\n    owner: ada\n    duration: 40d\n    target: 2027-02-26\n";
    repo.write(
        &p("programs/ledger/milestones.yaml"),
        &milestones(&[M1_DONE, &m3_bob, M4_DONE, m5], "2026-12-04"),
    );
    repo.write(
        &p("programs/ledger/raid.yaml"),
        &format!(
            "risks:\n{}{R2}{ISSUES}{D1_COMMITTED}",
            R1_MITIGATING.replace("impact: high", "impact: medium")
        ),
    );
    repo.write(
        &p("programs/ledger/program.yaml"),
        &LEDGER
            .replace(
                "    - Nightly reconciliation\n",
                "    - Nightly reconciliation\n    - Audit trail\n",
            )
            .replace(
                "    - Multi-currency\n",
                "    - Multi-currency\n    - Crypto settlement\n",
            ),
    );
    let id = repo.commit(
        "Bob Stone <bob@example.com>",
        "2026-11-20T16:00:00+01:00",
        "Rework the ledger plan",
    );
    // Uncommitted: a new decision in the working tree only.
    let decisions = format!(
        "{DEC1_DECIDED}  - id: DEC-2\n    title: Archive to cold storage?\n    status: proposed\n    owner: ada\n    raised: 2026-11-20\n"
    );
    let full = repo.dir.join(p("programs/ledger/decisions.yaml"));
    std::fs::write(full, decisions).expect("write");
    id
}
