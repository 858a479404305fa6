//! The persistent parse cache: parsed file versions kept between runs, keyed by blob id.
//!
//! A blob id names a file's exact bytes, so the parse of a blob never changes for a given
//! milepost build: a warm walk takes each version it has seen before from here instead of
//! reading and parsing it again. One store file per repository (named by a hash of the
//! repository's git folder) under the cache folder the caller gives — the CLI gives
//! `$XDG_CACHE_HOME/milepost`, never a folder inside the repository.
//!
//! **Format.** Three header lines — a magic line, the build stamp (format, crate version and
//! the running executable's size and modification time, so a rebuilt or upgraded milepost
//! starts afresh), the payload's length and FNV-1a checksum — then the payload: `E n` and
//! `n` entities (each `[kind, fields]` as compact JSON, stored once however many versions
//! share it), then `F m` and `m` file versions (`[blob, file, [[name, entity]…], unreadable,
//! errors, broken]`), then `C k` and `k` commits (`{c: id, t: portfolio tree, d: date, m:
//! merge, x: {b: the tree compared with, f: changed files, r: renamed programs, i: commit
//! metadata}}`). Settings files are not stored (their calendar is not serialized; there are
//! few versions of them). Commits are stored for first-parent walks of the whole portfolio:
//! a commit id names its whole history, so what it changed against its first parent's tree
//! never changes either (the tree compared with is stored, and must match, for the root of
//! a shallow clone that is later deepened).
//!
//! **Safety.** A store that does not read back exactly (bad magic, another build, wrong
//! length or checksum, a line that does not parse, an entity index out of range) is ignored
//! as a whole and rewritten: a corrupt cache costs a cold run, never a wrong answer. A store
//! is written to a temporary file in the same folder and renamed over the old one, so a
//! reader sees a whole store or the previous one; when another run replaced the store since
//! it was read, its entries are merged in before the rename (concurrent runs lose nothing
//! but, at worst, each other's last entries). Errors writing the cache are ignored: a
//! read-only cache folder makes every run cold, not failed.
//!
//! **Size.** The folder is kept under [`Cache::max_bytes`]: a store that would be bigger
//! keeps only the versions this run used (or is not written), and the least recently
//! written stores of other repositories are deleted until the folder fits.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use git2::Oid;
use milepost_model::FileKind;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::parse::{CacheKey, ParsedFile};
use super::trees::FileChange;
use crate::cache::Cache;
use crate::commit::CommitInfo;
use crate::diff::Change;
use crate::entity::{Entity, EntityKind};

const MAGIC: &str = "milepost parse cache";
/// Bump when the payload's shape or the meaning of a parse changes.
const FORMAT: u32 = 3;
/// Store files end with this.
const EXTENSION: &str = "parsed";

/// The build stamp: a store written by another build is not read.
fn stamp() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}.{modified}", m.len())
        })
        .unwrap_or_default();
    format!("{FORMAT} {} {exe}", env!("CARGO_PKG_VERSION"))
}

/// FNV-1a, 64 bits (for names and entity sharing).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The payload's checksum: FNV-style over 8-byte words, fed in pieces of any length (the
/// writer hashes the payload piece by piece, the reader all at once). It detects a
/// damaged or truncated store; it is not a defence against tampering.
#[derive(Clone, Copy)]
struct Checksum {
    hash: u64,
    len: u64,
    word: [u8; 8],
    filled: usize,
}

impl Checksum {
    fn new() -> Checksum {
        Checksum {
            hash: 0xcbf2_9ce4_8422_2325,
            len: 0,
            word: [0; 8],
            filled: 0,
        }
    }

    fn mix(&mut self, word: u64) {
        self.hash = (self.hash ^ word)
            .wrapping_mul(0x0100_0000_01b3)
            .rotate_left(23);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.filled > 0 {
            let take = (8 - self.filled).min(bytes.len());
            self.word[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 8 {
                return;
            }
            self.mix(u64::from_le_bytes(self.word));
            self.filled = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.mix(u64::from_le_bytes(w.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        self.word[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// `(length, checksum)`.
    fn finish(mut self) -> (u64, u64) {
        if self.filled > 0 {
            let mut last = [0; 8];
            last[..self.filled].copy_from_slice(&self.word[..self.filled]);
            self.mix(u64::from_le_bytes(last));
        }
        self.mix(self.len);
        (self.len, self.hash)
    }
}

fn file_code(kind: FileKind) -> Option<&'static str> {
    (kind != FileKind::Settings).then(|| kind.file_name())
}

fn file_kind(code: &str) -> Option<FileKind> {
    FileKind::from_program_file_name(code)
        .or_else(|| FileKind::from_root_file_name(code).filter(|k| *k != FileKind::Settings))
}

/// What a walk keeps of one commit (ids as hex).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct CommitLine {
    /// The commit.
    c: String,
    /// Its portfolio tree.
    t: Option<String>,
    /// Its day.
    d: NaiveDate,
    /// Whether it is a merge.
    m: bool,
    /// Its first parent (none for a root commit). Read back only outside shallow clones,
    /// where parents are what the commit says they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<String>,
    /// What it changed, once compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x: Option<Compared>,
    /// Its semantic changes, once diffed on a walk of the whole history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    s: Option<Settled>,
}

/// The files a commit left unparseable: `(path, messages)`.
pub(super) type Unparsed = Vec<(String, Vec<String>)>;

/// A commit's semantic changes as a walk of the whole first-parent history from the commit
/// `w` (the oldest one present: the root, or a shallow clone's boundary) found them. They
/// follow from the commit and its ancestry alone — the versions before it, the files that
/// did not parse, the calendar in force — so they hold for any such walk from the same `w`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Settled {
    w: String,
    /// The changes, in order.
    c: Vec<Change>,
    /// The files it left unparseable.
    p: Unparsed,
}

/// What a commit changed against the tree `b`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Compared {
    b: Option<String>,
    /// `[path, file, program, old blob, new blob, old path]`.
    f: Vec<ChangeLine>,
    r: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    i: Option<CommitInfo>,
}

type ChangeLine = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn hex(id: Option<Oid>) -> Option<String> {
    id.map(|i| i.to_string())
}

fn oid(text: Option<&String>) -> Result<Option<Oid>, git2::Error> {
    text.map(|t| Oid::from_str(t)).transpose()
}

impl CommitLine {
    /// A commit's entry: its tree, day and merge flag.
    pub(super) fn new(id: Oid) -> CommitLine {
        CommitLine {
            c: id.to_string(),
            t: None,
            d: NaiveDate::MIN,
            m: false,
            p: None,
            x: None,
            s: None,
        }
    }

    /// Its semantic changes and unparseable files on a walk of the whole history from
    /// `from` (see [`Settled`]), if recorded.
    pub(super) fn settled(&self, from: Oid) -> Option<(&[Change], &Unparsed)> {
        let s = self.s.as_ref()?;
        (Oid::from_str(&s.w).ok()? == from).then_some((&s.c, &s.p))
    }

    /// Records its semantic changes on a walk of the whole history from `from`.
    pub(super) fn set_settled(&mut self, from: Oid, changes: Vec<Change>, problems: Unparsed) {
        self.s = Some(Settled {
            w: from.to_string(),
            c: changes,
            p: problems,
        });
    }

    /// Its first parent, if recorded.
    pub(super) fn parent(&self) -> Option<Oid> {
        Oid::from_str(self.p.as_ref()?).ok()
    }

    /// Its tree, day and merge flag.
    pub(super) fn meta(&self) -> Option<(Option<Oid>, NaiveDate, bool)> {
        Some((oid(self.t.as_ref()).ok()?, self.d, self.m))
    }

    /// Sets its tree, day, merge flag and first parent.
    pub(super) fn set_meta(
        &mut self,
        tree: Option<Oid>,
        date: NaiveDate,
        merge: bool,
        parent: Option<Oid>,
    ) {
        self.t = hex(tree);
        self.d = date;
        self.m = merge;
        self.p = hex(parent);
    }

    /// Records what it changed against `base`.
    pub(super) fn set_compared(
        &mut self,
        base: Option<Oid>,
        files: &[FileChange],
        renames: &[(String, String)],
        info: Option<&CommitInfo>,
    ) {
        self.x = Some(Compared {
            b: hex(base),
            f: files
                .iter()
                .map(|f| {
                    (
                        f.path.clone(),
                        f.kind.file_name().to_owned(),
                        f.program.clone(),
                        hex(f.old),
                        hex(f.new),
                        f.old_path.clone(),
                    )
                })
                .collect(),
            r: renames.to_vec(),
            i: info.cloned(),
        });
    }

    /// What it changed against `base`, if recorded against that tree: the files, the
    /// renamed programs and the commit's metadata (present when anything changed).
    #[expect(
        clippy::type_complexity,
        reason = "a private triple, named at its one use"
    )]
    pub(super) fn compared(
        &self,
        base: Option<Oid>,
    ) -> Option<(Vec<FileChange>, Vec<(String, String)>, Option<CommitInfo>)> {
        let x = self.x.as_ref()?;
        if oid(x.b.as_ref()).ok()? != base {
            return None;
        }
        let files =
            x.f.iter()
                .map(|(path, kind, program, old, new, old_path)| {
                    Some(FileChange {
                        path: path.clone(),
                        kind: FileKind::from_program_file_name(kind)
                            .or_else(|| FileKind::from_root_file_name(kind))?,
                        program: program.clone(),
                        old: oid(old.as_ref()).ok()?,
                        new: oid(new.as_ref()).ok()?,
                        old_path: old_path.clone(),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
        let changed = !files.is_empty() || !x.r.is_empty();
        if changed && x.i.is_none() {
            return None;
        }
        Some((files, x.r.clone(), x.i.clone()))
    }
}

/// One repository's store, as read at the start of a walk, and what the walk adds to it.
pub(super) struct Store {
    path: PathBuf,
    cache: Cache,
    stamp: String,
    /// The parsed versions read from the store, decoded when first asked for (a walk whose
    /// commits are all settled never needs them).
    known: Option<HashMap<CacheKey, Arc<ParsedFile>>>,
    /// The store's bytes and where its (checked) payload starts, until `known` is decoded
    /// from them.
    raw: Option<(Vec<u8>, usize)>,
    /// The commits read from the store.
    pub(super) commits: HashMap<Oid, CommitLine>,
    /// What this walk adds (merged into the store on disk when saved).
    fresh: Writer,
    /// Versions added by this walk.
    added: usize,
    /// Keys used by this walk (hits and additions), for a store over its bound.
    used: Vec<CacheKey>,
    /// Whether the store on disk did not read back (it is rewritten).
    pub(super) corrupt: bool,
}

impl Store {
    /// Opens the store of the portfolio at `prefix` in the repository whose git folder is
    /// `git_dir`.
    pub(super) fn open(cache: &Cache, git_dir: &Path, prefix: &str) -> Store {
        let canonical = git_dir
            .canonicalize()
            .unwrap_or_else(|_| git_dir.to_path_buf());
        let name = format!(
            "{:016x}.{EXTENSION}",
            fnv(format!("{}\0{prefix}", canonical.to_string_lossy()).as_bytes())
        );
        let path = cache.dir.join(name);
        let mut store = Store {
            path,
            cache: cache.clone(),
            stamp: stamp(),
            known: None,
            raw: None,
            commits: HashMap::new(),
            fresh: Writer::default(),
            added: 0,
            used: Vec::new(),
            corrupt: false,
        };
        if let Ok(bytes) = std::fs::read(&store.path) {
            // The structure and the commits now; the versions when first needed.
            let read = payload(&bytes, &store.stamp).and_then(|payload| {
                let start = bytes.len() - payload.len();
                Some((decode_commits(&sections(payload)?.commits)?, start))
            });
            match read {
                Some((commits, start)) => {
                    store.commits = commits;
                    store.raw = Some((bytes, start));
                }
                None => store.corrupt = true,
            }
        }
        store
    }

    /// The stored versions, decoded on first use (none when they do not read back; the
    /// store is then rewritten).
    fn known(&mut self) -> &HashMap<CacheKey, Arc<ParsedFile>> {
        if self.known.is_none() {
            let files = self.raw.take().and_then(|(bytes, start)| {
                let s = sections(&bytes[start..]);
                let files = s.and_then(|s| decode_files(&s.entities, &s.files));
                self.corrupt |= files.is_none();
                files
            });
            self.known = Some(files.unwrap_or_default());
        }
        self.known.get_or_insert_default()
    }

    /// The stored parse of a version, if any (and notes the use).
    pub(super) fn get(&mut self, key: &CacheKey) -> Option<Arc<ParsedFile>> {
        let hit = self.known().get(key).cloned();
        if hit.is_some() {
            self.used.push(*key);
        }
        hit
    }

    /// Adds a version parsed by this walk.
    pub(super) fn add(&mut self, key: CacheKey, parsed: &ParsedFile) {
        if file_code(key.1).is_none() || self.known().contains_key(&key) || self.fresh.has(&key) {
            return;
        }
        self.fresh.add(key, parsed);
        self.used.push(key);
        self.added += 1;
    }

    /// Adds (or replaces) a commit's entry.
    pub(super) fn add_commit(&mut self, id: Oid, line: &CommitLine) {
        if let Ok(bytes) = serde_json::to_vec(line) {
            self.fresh.push_commit(id, bytes.into_boxed_slice());
            self.added += 1;
        }
    }

    /// Writes the store if this walk added to it (or it was corrupt): the store as it is on
    /// disk now (another run may have replaced it since it was read) and this walk's
    /// additions. Errors are ignored.
    pub(super) fn save(&mut self) {
        if self.added == 0 && !self.corrupt {
            return;
        }
        // Nothing (readable) on disk: this walk's additions are the store, as they are.
        let mut writer = match std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| Writer::read(&bytes, &self.stamp))
        {
            Some(mut on_disk) => {
                on_disk.merge(&self.fresh);
                on_disk
            }
            None => std::mem::take(&mut self.fresh),
        };
        let mut sums = writer.sums();
        if sums.0 > self.cache.max_bytes {
            // Over the bound: keep what this run used.
            let mut kept = Writer::default();
            for key in &self.used {
                if let Some(p) = self.known.as_ref().and_then(|k| k.get(key)) {
                    kept.add(*key, p);
                } else {
                    kept.copy_from(&writer, key);
                }
            }
            for (id, line) in &writer.commits {
                kept.push_commit(*id, line.clone());
            }
            writer = kept;
            sums = writer.sums();
            if sums.0 > self.cache.max_bytes {
                let _ = std::fs::remove_file(&self.path);
                return;
            }
        }
        if std::fs::create_dir_all(&self.cache.dir).is_err() {
            return;
        }
        let tmp = self.cache.dir.join(format!(
            ".{}.{}.{:x}.tmp",
            self.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id(),
            fnv(format!("{:?}", std::thread::current().id()).as_bytes())
        ));
        let written = std::fs::File::create(&tmp).and_then(|f| writer.write(&self.stamp, sums, f));
        if written.is_err() || std::fs::rename(&tmp, &self.path).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return;
        }
        evict(&self.cache, &self.path);
    }
}

/// A temporary store file this old was left by a run that was killed while writing it.
const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes the least recently written stores (not `keep`) until the folder fits its bound,
/// and temporary files that runs killed while writing left behind.
fn evict(cache: &Cache, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(&cache.dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    let entries: Vec<_> = entries.filter_map(Result::ok).collect();
    for e in &entries {
        let stale = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .is_some_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE_TEMPORARY));
        if stale && e.path().extension().is_some_and(|x| x == "tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
    let mut stores: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .iter()
        .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((m.modified().ok()?, m.len(), e.path()))
        })
        .collect();
    let mut total: u64 = stores.iter().map(|s| s.1).sum();
    stores.sort();
    for (_, len, path) in stores {
        if total <= cache.max_bytes {
            break;
        }
        if path != keep && std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

/// A store being built: entities once each, then file versions referring to them.
#[derive(Default)]
struct Writer {
    /// Each entity as compact JSON `[kind, fields]`.
    entities: Vec<Box<[u8]>>,
    /// The hash of an entity's JSON → its index (on a collision the second entity is
    /// simply stored again: sharing saves space, it is not needed to be right).
    index: HashMap<u64, u32>,
    /// The index of an entity allocation already written (the allocation is kept alive
    /// here, so its address cannot be reused by another entity while it is a key).
    by_address: HashMap<usize, (Arc<Entity>, u32)>,
    /// File versions, each a compact JSON line.
    files: Vec<(CacheKey, Box<[u8]>)>,
    keys: HashMap<CacheKey, usize>,
    /// Commits, each a compact JSON line.
    commits: Vec<(Oid, Box<[u8]>)>,
    commit_keys: HashMap<Oid, usize>,
}

/// The most entity allocations remembered by address before the map is emptied (entities
/// are then matched by their JSON, which is slower but as exact).
const ADDRESSES: usize = 16_384;

impl Writer {
    fn has(&self, key: &CacheKey) -> bool {
        self.keys.contains_key(key)
    }

    fn entity(&mut self, entity: &Arc<Entity>) -> u32 {
        let address = Arc::as_ptr(entity) as usize;
        if let Some((_, i)) = self.by_address.get(&address) {
            return *i;
        }
        let json: Box<[u8]> = serde_json::to_vec(&(entity.kind, &entity.fields))
            .unwrap_or_default()
            .into_boxed_slice();
        let i = self.intern(json);
        if self.by_address.len() >= ADDRESSES {
            self.by_address.clear();
        }
        self.by_address.insert(address, (Arc::clone(entity), i));
        i
    }

    fn intern(&mut self, json: Box<[u8]>) -> u32 {
        let hash = fnv(&json);
        if let Some(&i) = self.index.get(&hash)
            && self.entities[i as usize] == json
        {
            return i;
        }
        let i = self.entities.len() as u32;
        self.entities.push(json);
        self.index.entry(hash).or_insert(i);
        i
    }

    fn add(&mut self, key: CacheKey, parsed: &ParsedFile) {
        let Some(code) = file_code(key.1) else {
            return;
        };
        if self.has(&key) {
            return;
        }
        let refs: Vec<(&str, u32)> = parsed
            .entities
            .iter()
            .map(|(name, e)| (&**name, self.entity(e)))
            .collect();
        let line = serde_json::to_vec(&(
            key.0.to_string(),
            code,
            refs,
            &parsed.unreadable,
            &parsed.errors,
            parsed.broken,
        ))
        .unwrap_or_default();
        self.push(key, line.into_boxed_slice());
    }

    fn push(&mut self, key: CacheKey, line: Box<[u8]>) {
        self.keys.insert(key, self.files.len());
        self.files.push((key, line));
    }

    fn push_commit(&mut self, id: Oid, line: Box<[u8]>) {
        if let Some(&at) = self.commit_keys.get(&id) {
            self.commits[at].1 = line;
        } else {
            self.commit_keys.insert(id, self.commits.len());
            self.commits.push((id, line));
        }
    }

    /// Copies a file version of `other` (and its entities) into this store.
    fn copy_from(&mut self, other: &Writer, key: &CacheKey) {
        if self.has(key) {
            return;
        }
        let Some(&at) = other.keys.get(key) else {
            return;
        };
        let Ok(mut line) = serde_json::from_slice::<FileLine>(&other.files[at].1) else {
            return;
        };
        for (_, e) in &mut line.2 {
            match other.entities.get(*e as usize) {
                Some(json) => *e = self.intern(json.clone()),
                None => return,
            }
        }
        if let Ok(bytes) = serde_json::to_vec(&line) {
            self.push(*key, bytes.into_boxed_slice());
        }
    }

    /// Adds the file versions of `other` this store does not have, and its commits (a
    /// commit of both: `other`'s entry, the newer).
    fn merge(&mut self, other: &Writer) {
        for (key, _) in &other.files {
            self.copy_from(other, key);
        }
        for (id, line) in &other.commits {
            self.push_commit(*id, line.clone());
        }
    }

    /// The payload's pieces, in order.
    fn pieces(&self) -> impl Iterator<Item = std::borrow::Cow<'_, [u8]>> {
        use std::borrow::Cow;
        fn line(l: &[u8]) -> [Cow<'_, [u8]>; 2] {
            [Cow::Borrowed(l), Cow::Borrowed(&b"\n"[..])]
        }
        let section = |tag: &str, n: usize| Cow::Owned(format!("{tag} {n}\n").into_bytes());
        std::iter::once(section("E", self.entities.len()))
            .chain(self.entities.iter().flat_map(|e| line(e)))
            .chain(std::iter::once(section("F", self.files.len())))
            .chain(self.files.iter().flat_map(|f| line(&f.1)))
            .chain(std::iter::once(section("C", self.commits.len())))
            .chain(self.commits.iter().flat_map(|c| line(&c.1)))
    }

    /// The payload's length and checksum.
    fn sums(&self) -> (u64, u64) {
        let mut sum = Checksum::new();
        for piece in self.pieces() {
            sum.update(&piece);
        }
        sum.finish()
    }

    /// Writes the store: the header, then the payload piece by piece (no copy of it is
    /// built in memory).
    fn write(
        &self,
        stamp: &str,
        sums: (u64, u64),
        out: impl std::io::Write,
    ) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        write!(out, "{MAGIC}\n{stamp}\n{} {:016x}\n", sums.0, sums.1)?;
        for piece in self.pieces() {
            out.write_all(&piece)?;
        }
        out.flush()
    }
}

/// A file version line: blob, file, entities by name, unreadable ids, errors, broken.
type FileLine = (
    String,
    String,
    Vec<(String, u32)>,
    Vec<String>,
    Vec<String>,
    bool,
);

/// A [`FileLine`] read in place (its strings without escapes).
type FileLineRef<'a> = (
    &'a str,
    &'a str,
    Vec<(&'a str, u32)>,
    Vec<String>,
    Vec<String>,
    bool,
);

#[cfg(test)]
struct Decoded {
    files: HashMap<CacheKey, Arc<ParsedFile>>,
}

/// The checked payload of a store; `None` unless the header, length and checksum match.
fn payload<'a>(bytes: &'a [u8], stamp: &str) -> Option<&'a [u8]> {
    let mut header = bytes.splitn(4, |b| *b == b'\n');
    if header.next()? != MAGIC.as_bytes() || header.next()? != stamp.as_bytes() {
        return None;
    }
    let sums = std::str::from_utf8(header.next()?).ok()?;
    let payload = header.next()?;
    let (len, sum) = sums.split_once(' ')?;
    let mut check = Checksum::new();
    check.update(payload);
    (check.finish() == (len.parse().ok()?, u64::from_str_radix(sum, 16).ok()?)).then_some(payload)
}

/// `E 12` → 12.
fn count(line: Option<&[u8]>, tag: &str) -> Option<usize> {
    std::str::from_utf8(line?)
        .ok()?
        .strip_prefix(tag)?
        .parse()
        .ok()
}

impl Writer {
    /// A store's lines as a writer (to add to it), without building its entities.
    fn read(bytes: &[u8], stamp: &str) -> Option<Writer> {
        let mut lines = payload(bytes, stamp)?.split(|b| *b == b'\n');
        let mut writer = Writer::default();
        for _ in 0..count(lines.next(), "E ")? {
            writer.intern(lines.next()?.into());
        }
        for _ in 0..count(lines.next(), "F ")? {
            let line = lines.next()?;
            let (blob, code, ..): FileLine = serde_json::from_slice(line).ok()?;
            writer.push((Oid::from_str(&blob).ok()?, file_kind(&code)?), line.into());
        }
        for _ in 0..count(lines.next(), "C ")? {
            let line = lines.next()?;
            let commit: CommitLine = serde_json::from_slice(line).ok()?;
            writer.push_commit(Oid::from_str(&commit.c).ok()?, line.into());
        }
        Some(writer)
    }
}

/// Every item when each one is there (`None` otherwise).
fn all<T>(items: Vec<Option<T>>) -> Option<Vec<T>> {
    items.into_iter().collect()
}

/// Every entry when each one is there (`None` otherwise), in a map sized up front.
fn all_keyed<K: std::hash::Hash + Eq, V>(items: Vec<Option<(K, V)>>) -> Option<HashMap<K, V>> {
    let mut out = HashMap::with_capacity(items.len());
    for item in items {
        let (key, value) = item?;
        out.insert(key, value);
    }
    Some(out)
}

/// A store's lines by section.
struct Sections<'a> {
    entities: Vec<&'a [u8]>,
    files: Vec<&'a [u8]>,
    commits: Vec<&'a [u8]>,
}

/// A payload's sections; `None` unless each holds the lines it announces and nothing
/// follows.
fn sections(payload: &[u8]) -> Option<Sections<'_>> {
    let mut lines = payload.split(|b| *b == b'\n');
    let n = count(lines.next(), "E ")?;
    let entities: Vec<&[u8]> = lines.by_ref().take(n).collect();
    let m = count(lines.next(), "F ")?;
    let files: Vec<&[u8]> = lines.by_ref().take(m).collect();
    let k = count(lines.next(), "C ")?;
    let commits: Vec<&[u8]> = lines.by_ref().take(k).collect();
    if entities.len() != n || files.len() != m || commits.len() != k {
        return None;
    }
    if lines.next() != Some(b"") || lines.next().is_some() {
        return None;
    }
    Some(Sections {
        entities,
        files,
        commits,
    })
}

/// Reads a store back; `None` unless every part of it reads exactly.
#[cfg(test)]
fn decode(bytes: &[u8], stamp: &str) -> Option<Decoded> {
    let s = sections(payload(bytes, stamp)?)?;
    decode_commits(&s.commits)?;
    Some(Decoded {
        files: decode_files(&s.entities, &s.files)?,
    })
}

/// The stored file versions, their entities shared; `None` unless every line reads.
fn decode_files(
    entity_lines: &[&[u8]],
    file_lines: &[&[u8]],
) -> Option<HashMap<CacheKey, Arc<ParsedFile>>> {
    // Decoded in parallel: the lines are independent (files refer to entities by index).
    // (Collected line for line, then checked: an indexed collect writes each result in
    // place, where collecting `Option`s would grow and copy vectors.)
    let entities: Vec<Arc<Entity>> = all(entity_lines
        .par_iter()
        .map(|line| {
            let (kind, fields): (EntityKind, Map<String, Value>) =
                serde_json::from_slice(line).ok()?;
            Some(Arc::new(Entity { kind, fields }))
        })
        .collect())?;
    // Entity names repeat in every version of a file: each thread shares one allocation per
    // name it meets.
    all_keyed(
        file_lines
            .par_iter()
            .map_init(HashMap::<String, Arc<str>>::new, |names, line| {
                let mut name = |text: &str| -> Arc<str> {
                    if let Some(shared) = names.get(text) {
                        return Arc::clone(shared);
                    }
                    let shared: Arc<str> = Arc::from(text);
                    names.insert(text.to_owned(), Arc::clone(&shared));
                    shared
                };
                // Names without escapes are read in place; otherwise as owned text.
                let (blob, code, refs, unreadable, errors, broken) =
                    if let Ok(borrowed) = serde_json::from_slice::<FileLineRef<'_>>(line) {
                        let (blob, code, refs, unreadable, errors, broken) = borrowed;
                        let refs: Vec<(Arc<str>, u32)> =
                            refs.into_iter().map(|(n, i)| (name(n), i)).collect();
                        let (blob, code) = (blob.to_owned(), code.to_owned());
                        (blob, code, refs, unreadable, errors, broken)
                    } else {
                        let (blob, code, refs, unreadable, errors, broken): FileLine =
                            serde_json::from_slice(line).ok()?;
                        let refs = refs.into_iter().map(|(n, i)| (name(&n), i)).collect();
                        (blob, code, refs, unreadable, errors, broken)
                    };
                let key = (Oid::from_str(&blob).ok()?, file_kind(&code)?);
                let parsed = ParsedFile {
                    entities: refs
                        .into_iter()
                        .map(|(name, i)| Some((name, Arc::clone(entities.get(i as usize)?))))
                        .collect::<Option<_>>()?,
                    unreadable,
                    errors,
                    broken,
                    calendar: None,
                    layout: None,
                };
                Some((key, Arc::new(parsed)))
            })
            .collect(),
    )
}

/// The stored commits; `None` unless every line reads.
fn decode_commits(commit_lines: &[&[u8]]) -> Option<HashMap<Oid, CommitLine>> {
    all_keyed(
        commit_lines
            .par_iter()
            .map(|line| {
                let commit: CommitLine = serde_json::from_slice(line).ok()?;
                commit.meta()?;
                Some((Oid::from_str(&commit.c).ok()?, commit))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(title: &str) -> Arc<Entity> {
        let mut fields = Map::new();
        fields.insert("title".to_owned(), Value::String(title.to_owned()));
        Arc::new(Entity {
            kind: EntityKind::Milestone,
            fields,
        })
    }

    fn parsed(entities: &[(&str, &Arc<Entity>)]) -> ParsedFile {
        ParsedFile {
            entities: entities
                .iter()
                .map(|(n, e)| (Arc::from(*n), Arc::clone(e)))
                .collect(),
            ..ParsedFile::default()
        }
    }

    fn bytes(writer: &Writer) -> Vec<u8> {
        let mut out = Vec::new();
        writer.write("stamp", writer.sums(), &mut out).unwrap();
        out
    }

    #[test]
    fn a_store_reads_back_exactly_and_shares_entities() {
        let (m1, m2, m2b) = (entity("One"), entity("Two"), entity("Two, later"));
        let k1 = (
            Oid::from_str("1111111111111111111111111111111111111111").unwrap(),
            FileKind::Milestones,
        );
        let k2 = (
            Oid::from_str("2222222222222222222222222222222222222222").unwrap(),
            FileKind::Milestones,
        );
        let mut w = Writer::default();
        w.add(k1, &parsed(&[("M1", &m1), ("M2", &m2)]));
        w.add(k2, &parsed(&[("M1", &m1), ("M2", &m2b)]));
        assert_eq!(w.entities.len(), 3, "M1 is stored once");
        let decoded = decode(&bytes(&w), "stamp").expect("reads back");
        let (a, b) = (&decoded.files[&k1], &decoded.files[&k2]);
        assert_eq!(a.entities[1].1.fields, m2.fields);
        assert_eq!(b.entities[1].1.fields, m2b.fields);
        assert!(
            Arc::ptr_eq(&a.entities[0].1, &b.entities[0].1),
            "shared once read"
        );
        // Another build's stamp is not read.
        assert!(decode(&bytes(&w), "other").is_none());
    }

    #[test]
    fn names_read_back_exactly_whether_escaped_or_not() {
        let m1 = entity("One");
        let names = [
            "M1",
            "R-\"quoted\"",
            "back\\slash",
            "tab\there",
            "Ünïcode ✓",
        ];
        let mut w = Writer::default();
        let mut keys = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let key = (
                Oid::from_str(&format!("{:040x}", i + 1)).unwrap(),
                FileKind::Raid,
            );
            w.add(key, &parsed(&[(name, &m1), ("M1", &m1)]));
            keys.push(key);
        }
        let decoded = decode(&bytes(&w), "stamp").expect("reads back");
        for (key, name) in keys.iter().zip(names) {
            let file = &decoded.files[key];
            assert_eq!(&*file.entities[0].0, name);
            assert_eq!(&*file.entities[1].0, "M1");
        }
    }

    #[test]
    fn a_well_formed_store_with_wrong_content_is_not_read() {
        let m1 = entity("One");
        let key = (
            Oid::from_str("1111111111111111111111111111111111111111").unwrap(),
            FileKind::Raid,
        );
        for line in [
            // An entity index out of range.
            r#"["1111111111111111111111111111111111111111","raid.yaml",[["R-1",7]],[],[],false]"#,
            // Not a blob id.
            r#"["zz","raid.yaml",[["R-1",0]],[],[],false]"#,
            // Not a file milepost reads.
            r#"["1111111111111111111111111111111111111111","notes.txt",[["R-1",0]],[],[],false]"#,
            // Not the shape of a file line.
            r#"{"blob":"1111111111111111111111111111111111111111"}"#,
        ] {
            let mut w = Writer::default();
            w.entity(&m1);
            w.push(key, line.as_bytes().into());
            // The checksum is right: the content itself is checked.
            assert!(decode(&bytes(&w), "stamp").is_none(), "{line}");
        }
    }

    #[test]
    fn the_checksum_does_not_depend_on_how_the_payload_is_cut() {
        let text: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = Checksum::new();
        whole.update(&text);
        let expected = whole.finish();
        for cut in [1, 3, 7, 8, 9, 100, 999] {
            let mut parts = Checksum::new();
            for piece in text.chunks(cut) {
                parts.update(piece);
            }
            assert_eq!(parts.finish(), expected, "{cut}");
        }
        let mut changed = text.clone();
        changed[500] ^= 1;
        let mut other = Checksum::new();
        other.update(&changed);
        assert_ne!(other.finish(), expected);
    }
}
