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
//! errors, broken]`). Settings files are not stored (their calendar is not serialized; there
//! are few versions of them).
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

use git2::Oid;
use milepost_model::FileKind;
use serde_json::{Map, Value};

use super::parse::{CacheKey, ParsedFile};
use crate::entity::{Entity, EntityKind};

/// Where and how big the persistent parse cache is (see [`crate::History::set_cache`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    /// The cache folder (created when first written).
    pub dir: PathBuf,
    /// The most bytes the folder's stores may take together.
    pub max_bytes: u64,
}

impl Cache {
    /// The default bound on the cache folder: 256 MiB.
    pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

    /// A cache in `dir` with the default size bound.
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: dir.into(),
            max_bytes: Self::DEFAULT_MAX_BYTES,
        }
    }
}

const MAGIC: &str = "milepost parse cache";
/// Bump when the payload's shape or the meaning of a parse changes.
const FORMAT: u32 = 1;
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

/// FNV-1a, 64 bits: a checksum, not a defence against tampering.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn file_code(kind: FileKind) -> Option<&'static str> {
    (kind != FileKind::Settings).then(|| kind.file_name())
}

fn file_kind(code: &str) -> Option<FileKind> {
    FileKind::from_program_file_name(code)
        .or_else(|| FileKind::from_root_file_name(code).filter(|k| *k != FileKind::Settings))
}

/// One repository's store, as read at the start of a walk, and what the walk adds to it.
pub(super) struct Store {
    path: PathBuf,
    cache: Cache,
    stamp: String,
    /// The parsed versions read from the store.
    pub(super) known: HashMap<CacheKey, Arc<ParsedFile>>,
    /// The store as it will be written.
    writer: Writer,
    /// Versions added by this walk.
    added: usize,
    /// Keys used by this walk (hits and additions), for a store over its bound.
    used: Vec<CacheKey>,
    /// The store file's length and modification time when read.
    seen: Option<(u64, std::time::SystemTime)>,
    /// Whether the store on disk did not read back (it is rewritten).
    pub(super) corrupt: bool,
}

impl Store {
    /// Opens the store of the repository whose git folder is `git_dir`.
    pub(super) fn open(cache: &Cache, git_dir: &Path) -> Store {
        let canonical = git_dir
            .canonicalize()
            .unwrap_or_else(|_| git_dir.to_path_buf());
        let name = format!(
            "{:016x}.{EXTENSION}",
            fnv(canonical.to_string_lossy().as_bytes())
        );
        let path = cache.dir.join(name);
        let mut store = Store {
            path,
            cache: cache.clone(),
            stamp: stamp(),
            known: HashMap::new(),
            writer: Writer::default(),
            added: 0,
            used: Vec::new(),
            seen: None,
            corrupt: false,
        };
        if let Ok(bytes) = std::fs::read(&store.path) {
            store.seen = metadata(&store.path);
            match decode(&bytes, &store.stamp) {
                Some(decoded) => {
                    store.known = decoded.files;
                    store.writer = decoded.writer;
                }
                None => store.corrupt = true,
            }
        }
        store
    }

    /// The stored parse of a version, if any (and notes the use).
    pub(super) fn get(&mut self, key: &CacheKey) -> Option<Arc<ParsedFile>> {
        let hit = self.known.get(key).cloned();
        if hit.is_some() {
            self.used.push(*key);
        }
        hit
    }

    /// Adds a version parsed by this walk.
    pub(super) fn add(&mut self, key: CacheKey, parsed: &ParsedFile) {
        if file_code(key.1).is_none() || self.known.contains_key(&key) || self.writer.has(&key) {
            return;
        }
        self.writer.add(key, parsed);
        self.used.push(key);
        self.added += 1;
    }

    /// Writes the store if this walk added to it (or it was corrupt). Errors are ignored.
    pub(super) fn save(mut self) {
        if self.added == 0 && !self.corrupt {
            return;
        }
        // Another run replaced the store since it was read: keep its entries too.
        if metadata(&self.path) != self.seen
            && let Ok(bytes) = std::fs::read(&self.path)
            && let Some(theirs) = decode(&bytes, &self.stamp)
        {
            self.writer.merge(&theirs.writer);
        }
        let mut bytes = self.writer.encode(&self.stamp);
        if bytes.len() as u64 > self.cache.max_bytes {
            // Over the bound: keep what this run used.
            let mut kept = Writer::default();
            for key in &self.used {
                if let Some(p) = self.known.get(key) {
                    kept.add(*key, p);
                } else {
                    kept.copy_from(&self.writer, key);
                }
            }
            bytes = kept.encode(&self.stamp);
            if bytes.len() as u64 > self.cache.max_bytes {
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
        let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(&bytes));
        if written.is_err() || std::fs::rename(&tmp, &self.path).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return;
        }
        evict(&self.cache, &self.path);
    }
}

fn metadata(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// Deletes the least recently written stores (not `keep`) until the folder fits its bound.
fn evict(cache: &Cache, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(&cache.dir) else {
        return;
    };
    let mut stores: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .filter_map(Result::ok)
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
    /// Entity JSON → its index.
    index: HashMap<Box<[u8]>, u32>,
    /// The index of an entity allocation already written (the allocation is kept alive
    /// here, so its address cannot be reused by another entity while it is a key).
    by_address: HashMap<usize, (Arc<Entity>, u32)>,
    /// File versions, each a compact JSON line.
    files: Vec<(CacheKey, Box<[u8]>)>,
    keys: HashMap<CacheKey, usize>,
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
        if let Some(i) = self.index.get(&json) {
            return *i;
        }
        let i = self.entities.len() as u32;
        self.entities.push(json.clone());
        self.index.insert(json, i);
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
            .map(|(name, e)| (name.as_str(), self.entity(e)))
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

    /// Adds the file versions of `other` this store does not have.
    fn merge(&mut self, other: &Writer) {
        for (key, _) in &other.files {
            self.copy_from(other, key);
        }
    }

    fn encode(&self, stamp: &str) -> Vec<u8> {
        let size: usize = self.entities.iter().map(|e| e.len() + 1).sum::<usize>()
            + self.files.iter().map(|f| f.1.len() + 1).sum::<usize>()
            + 64;
        let mut payload = Vec::with_capacity(size);
        let _ = writeln!(payload, "E {}", self.entities.len());
        for e in &self.entities {
            payload.extend_from_slice(e);
            payload.push(b'\n');
        }
        let _ = writeln!(payload, "F {}", self.files.len());
        for (_, f) in &self.files {
            payload.extend_from_slice(f);
            payload.push(b'\n');
        }
        let mut out = Vec::with_capacity(payload.len() + 128);
        let _ = write!(
            out,
            "{MAGIC}\n{stamp}\n{} {:016x}\n",
            payload.len(),
            fnv(&payload)
        );
        out.extend_from_slice(&payload);
        out
    }
}

/// A file version line: blob, file, entities by name, unreadable ids, errors, broken.
type FileLine = (String, String, Vec<(String, u32)>, Vec<String>, Vec<String>, bool);

struct Decoded {
    files: HashMap<CacheKey, Arc<ParsedFile>>,
    writer: Writer,
}

/// Reads a store back; `None` unless every part of it reads exactly.
fn decode(bytes: &[u8], stamp: &str) -> Option<Decoded> {
    let mut header = bytes.splitn(4, |b| *b == b'\n');
    if header.next()? != MAGIC.as_bytes() || header.next()? != stamp.as_bytes() {
        return None;
    }
    let sums = std::str::from_utf8(header.next()?).ok()?;
    let payload = header.next()?;
    let (len, sum) = sums.split_once(' ')?;
    if len.parse::<usize>().ok()? != payload.len() || u64::from_str_radix(sum, 16).ok()? != fnv(payload)
    {
        return None;
    }
    let mut lines = payload.split(|b| *b == b'\n');
    let count = |line: Option<&[u8]>, tag: &str| -> Option<usize> {
        std::str::from_utf8(line?)
            .ok()?
            .strip_prefix(tag)?
            .parse()
            .ok()
    };
    let n = count(lines.next(), "E ")?;
    let mut writer = Writer::default();
    let mut entities = Vec::with_capacity(n);
    for _ in 0..n {
        let line = lines.next()?;
        let (kind, fields): (EntityKind, Map<String, Value>) =
            serde_json::from_slice(line).ok()?;
        entities.push(Arc::new(Entity { kind, fields }));
        writer.intern(line.into());
    }
    let m = count(lines.next(), "F ")?;
    let mut files = HashMap::with_capacity(m);
    for _ in 0..m {
        let line = lines.next()?;
        let (blob, code, refs, unreadable, errors, broken): FileLine =
            serde_json::from_slice(line).ok()?;
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
        files.insert(key, Arc::new(parsed));
        writer.push(key, line.into());
    }
    if lines.next() != Some(b"") || lines.next().is_some() {
        return None;
    }
    Some(Decoded { files, writer })
}
