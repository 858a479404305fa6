//! Finding the files of a portfolio, on disk or in memory.
//!
//! A portfolio is a folder with `milepost.yaml` and/or `programs/<id>/program.yaml`.
//! Discovery looks only where files are expected (two levels, no recursion) and refuses
//! to follow anything that could hang or escape: symlinks are followed only when their
//! target stays inside the portfolio root, symlink loops are reported and skipped, and
//! anything that is not a regular file (FIFOs, sockets, devices) is skipped *before* it
//! is opened, so reading can never block. Files are read later, in parallel, with a size
//! cap ([`MAX_FILE_BYTES`]).
//!
//! The in-memory form ([`FileSet::from_memory`]) takes `(path, bytes)` pairs, which is how
//! the history crate loads a portfolio straight from a git tree.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use milepost_model::FileKind;

use crate::diagnostic::{Diagnostic, Location, Span};

/// The largest file milepost reads (16 MiB). A real program file is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The rule id of findings about the portfolio's folder layout.
pub const LAYOUT_RULE: &str = "portfolio-layout";

/// Why a portfolio could not be loaded at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path does not exist.
    #[error("`{0}` does not exist")]
    NotFound(PathBuf),
    /// The path is not a folder.
    #[error("`{0}` is not a folder")]
    NotADirectory(PathBuf),
    /// The folder has neither `milepost.yaml` nor `programs/`.
    #[error(
        "`{0}` is not a milepost portfolio: it has neither milepost.yaml nor a programs/ folder"
    )]
    NotAPortfolio(PathBuf),
    /// The folder could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl LoadError {
    /// How to get past the error.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::NotFound(_) | Self::NotADirectory(_) => {
                "pass the folder that holds milepost.yaml and programs/"
            }
            Self::NotAPortfolio(_) => {
                "pass the folder that holds milepost.yaml and programs/, or create one with `milepost init DIR`"
            }
            Self::Io { .. } => "check the path and its permissions",
        }
    }
}

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    /// A regular file on disk, read when loading.
    Disk(PathBuf),
    /// Bytes already in memory (a git blob, a test).
    Memory(Arc<[u8]>),
}

/// One portfolio file to load.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// The path relative to the root, with `/` separators.
    pub path: Arc<str>,
    /// What the file holds.
    pub kind: FileKind,
    /// The program the file belongs to (its folder name), for program files.
    pub program: Option<String>,
    /// Its bytes.
    pub content: Content,
}

/// The files of a portfolio, plus findings about its layout.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    /// The root folder, when loaded from disk.
    pub root: Option<PathBuf>,
    /// The files, in path order.
    pub files: Vec<FileEntry>,
    /// Program folders found (ids), in order, including those without program.yaml.
    pub programs: Vec<String>,
    /// Layout findings (skipped files, stray files, missing program.yaml).
    pub diagnostics: Vec<Diagnostic>,
}

/// What a directory entry turned out to be, after following a safe symlink.
enum Entry {
    File,
    Dir,
    Skip,
}

fn layout_at(path: &str) -> Location {
    Location {
        file: Arc::from(path),
        span: Span::start_of_file(),
    }
}

/// Whether `name` can be a program id (a program folder name): letters, digits, `.`, `_`
/// and `-`, starting with a letter or digit, at most 64 characters — the model's id rule.
pub fn is_valid_program_id(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

impl FileSet {
    /// Discovers a portfolio on disk.
    ///
    /// # Errors
    /// A [`LoadError`] when the path is missing, not a folder or not a portfolio.
    pub fn from_dir(root: &Path) -> Result<FileSet, LoadError> {
        let meta = fs::metadata(root).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound(root.to_path_buf()),
            _ => LoadError::Io {
                path: root.to_path_buf(),
                source: e,
            },
        })?;
        if !meta.is_dir() {
            return Err(LoadError::NotADirectory(root.to_path_buf()));
        }
        let canon_root = fs::canonicalize(root).map_err(|e| LoadError::Io {
            path: root.to_path_buf(),
            source: e,
        })?;
        let has = |name: &str| fs::symlink_metadata(root.join(name)).is_ok();
        if !has("milepost.yaml") && !has("milepost.yml") && !has("programs") {
            return Err(LoadError::NotAPortfolio(root.to_path_buf()));
        }
        let mut set = FileSet {
            root: Some(root.to_path_buf()),
            ..FileSet::default()
        };
        for kind in [FileKind::Settings, FileKind::People, FileKind::Scorecard] {
            let present: Vec<&str> = [kind.file_name(), kind.alt_file_name()]
                .into_iter()
                .filter(|n| fs::symlink_metadata(root.join(n)).is_ok())
                .collect();
            let Some(&name) = present.first() else {
                continue;
            };
            if let Some(other) = present.get(1) {
                set.diagnostics.push(both_spellings(other, name));
            }
            let path = root.join(name);
            match set.classify(&canon_root, &path, name) {
                Entry::File => set.push(name.to_owned(), kind, None, Content::Disk(path)),
                Entry::Dir => set.diagnostics.push(folder_where_file_belongs(name)),
                Entry::Skip => {}
            }
        }
        let programs_dir = root.join("programs");
        if fs::symlink_metadata(&programs_dir).is_ok() {
            match set.classify(&canon_root, &programs_dir, "programs") {
                Entry::Dir => set.discover_programs(&canon_root, &programs_dir)?,
                Entry::File => set.diagnostics.push(
                    Diagnostic::error(LAYOUT_RULE, "`programs` is a file, expected a folder")
                        .at(layout_at("programs"))
                        .hint("programs live in folders: programs/<program-id>/program.yaml"),
                ),
                Entry::Skip => {}
            }
        }
        Ok(set)
    }

    fn discover_programs(&mut self, canon_root: &Path, dir: &Path) -> Result<(), LoadError> {
        for name in sorted_names(dir)? {
            let rel = format!("programs/{name}");
            let path = dir.join(&name);
            match self.classify(canon_root, &path, &rel) {
                Entry::Dir => {
                    if !is_valid_program_id(&name) {
                        self.diagnostics.push(
                            Diagnostic::error(LAYOUT_RULE, format!("program folder name `{name}` is not a valid program id"))
                                .at(layout_at(&rel))
                                .hint("rename the folder using letters, digits, `.`, `_` and `-` only (for example `checkout-v2`)"),
                        );
                        continue;
                    }
                    self.programs.push(name.clone());
                    self.discover_program_files(canon_root, &path, &name)?;
                }
                Entry::File => {
                    if is_yaml_name(&name) {
                        self.diagnostics.push(
                            Diagnostic::warning(LAYOUT_RULE, format!("`{rel}` is not inside a program folder and was not read"))
                                .at(layout_at(&rel))
                                .hint("each program has its own folder: programs/<program-id>/program.yaml"),
                        );
                    }
                }
                Entry::Skip => {}
            }
        }
        Ok(())
    }

    fn discover_program_files(
        &mut self,
        canon_root: &Path,
        dir: &Path,
        program: &str,
    ) -> Result<(), LoadError> {
        let mut has_program_yaml = false;
        let mut read: Vec<(FileKind, String)> = Vec::new();
        for name in sorted_names(dir)? {
            let rel = format!("programs/{program}/{name}");
            let path = dir.join(&name);
            let kind = FileKind::from_program_file_name(&name);
            let is_yaml = is_yaml_name(&name);
            if kind.is_none() && !is_yaml {
                continue;
            }
            // `raid.yaml` and `raid.yml` side by side: `.yaml` is read, the other refused.
            if let Some(k) = kind
                && let Some((_, first)) = read.iter().find(|(r, _)| *r == k)
            {
                let first = format!("programs/{program}/{first}");
                self.diagnostics.push(both_spellings(&rel, &first));
                continue;
            }
            if let Some(k) = kind {
                read.push((k, name.clone()));
            }
            match self.classify(canon_root, &path, &rel) {
                Entry::File => match kind {
                    Some(kind) => {
                        has_program_yaml |= kind == FileKind::Program;
                        self.push(rel, kind, Some(program.to_owned()), Content::Disk(path));
                    }
                    None => self.diagnostics.push(unknown_program_file(&rel, &name)),
                },
                Entry::Dir if kind.is_some() => {
                    self.diagnostics.push(folder_where_file_belongs(&rel));
                }
                Entry::Dir | Entry::Skip => {}
            }
        }
        if !has_program_yaml {
            self.diagnostics.push(missing_program_yaml(program));
        }
        Ok(())
    }

    /// Decides what a path is, following a symlink only when it stays inside the root, and
    /// records a finding for anything skipped.
    fn classify(&mut self, canon_root: &Path, path: &Path, rel: &str) -> Entry {
        let Ok(meta) = fs::symlink_metadata(path) else {
            return Entry::Skip;
        };
        let meta = if meta.file_type().is_symlink() {
            match fs::canonicalize(path) {
                Err(e) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            LAYOUT_RULE,
                            format!("skipped `{rel}`: the symlink cannot be followed ({e})"),
                        )
                        .at(layout_at(rel))
                        .hint("fix or remove the symlink (it may loop or point at nothing)"),
                    );
                    return Entry::Skip;
                }
                Ok(target) if !target.starts_with(canon_root) => {
                    self.diagnostics.push(
                        Diagnostic::warning(LAYOUT_RULE, format!("skipped `{rel}`: the symlink points outside the portfolio"))
                            .at(layout_at(rel))
                            .hint("milepost reads only files inside the portfolio folder; copy the file in instead"),
                    );
                    return Entry::Skip;
                }
                Ok(target) => match fs::metadata(target) {
                    Ok(m) => m,
                    Err(_) => return Entry::Skip,
                },
            }
        } else {
            meta
        };
        if meta.is_dir() {
            Entry::Dir
        } else if meta.is_file() {
            Entry::File
        } else {
            self.diagnostics.push(
                Diagnostic::warning(
                    LAYOUT_RULE,
                    format!("skipped `{rel}`: not a regular file (a FIFO, socket or device)"),
                )
                .at(layout_at(rel))
                .hint("replace it with a regular YAML file or remove it"),
            );
            Entry::Skip
        }
    }

    /// Keeps only the files of the given kinds (for example what planning needs:
    /// settings, charters and milestones), so the rest is never read.
    #[must_use]
    pub fn only(mut self, kinds: &[FileKind]) -> FileSet {
        self.files.retain(|f| kinds.contains(&f.kind));
        self
    }

    fn push(&mut self, path: String, kind: FileKind, program: Option<String>, content: Content) {
        self.files.push(FileEntry {
            path: Arc::from(path),
            kind,
            program,
            content,
        });
    }

    /// Builds a file set from `(relative path, bytes)` pairs, for example the blobs of a git
    /// tree. Paths use `/`; files outside the portfolio layout are ignored, like on disk.
    pub fn from_memory<P: AsRef<str>, B: Into<Arc<[u8]>>>(
        files: impl IntoIterator<Item = (P, B)>,
    ) -> FileSet {
        let mut set = FileSet::default();
        let mut entries: Vec<(String, B)> = files
            .into_iter()
            .map(|(p, b)| (p.as_ref().trim_start_matches("./").to_owned(), b))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut programs: Vec<String> = Vec::new();
        let mut with_program_yaml: std::collections::HashSet<String> =
            std::collections::HashSet::new();
        // The first file of each kind (per program): a second spelling is refused.
        let mut first_of: std::collections::HashMap<(FileKind, Option<String>), String> =
            std::collections::HashMap::new();
        for (path, bytes) in entries {
            let parts: Vec<&str> = path.split('/').collect();
            match parts.as_slice() {
                [name] if FileKind::from_root_file_name(name).is_some() => {
                    let kind = FileKind::from_root_file_name(name).unwrap_or(FileKind::Settings);
                    if let Some(first) = first_of.get(&(kind, None)) {
                        set.diagnostics.push(both_spellings(&path, first));
                        continue;
                    }
                    first_of.insert((kind, None), path.clone());
                    set.push(path.clone(), kind, None, Content::Memory(bytes.into()));
                }
                ["programs", program, name] => {
                    let program = (*program).to_owned();
                    let kind = FileKind::from_program_file_name(name);
                    let is_yaml = is_yaml_name(name);
                    if kind.is_none() && !is_yaml {
                        continue;
                    }
                    if !is_valid_program_id(&program) {
                        continue;
                    }
                    if programs.last() != Some(&program) {
                        programs.push(program.clone());
                    }
                    if let Some(k) = kind {
                        let key = (k, Some(program.clone()));
                        if let Some(first) = first_of.get(&key) {
                            set.diagnostics.push(both_spellings(&path, first));
                            continue;
                        }
                        first_of.insert(key, path.clone());
                    }
                    match kind {
                        Some(kind) => {
                            if kind == FileKind::Program {
                                with_program_yaml.insert(program.clone());
                            }
                            set.push(
                                path.clone(),
                                kind,
                                Some(program),
                                Content::Memory(bytes.into()),
                            );
                        }
                        None => set.diagnostics.push(unknown_program_file(&path, name)),
                    }
                }
                _ => {}
            }
        }
        for program in &programs {
            if !with_program_yaml.contains(program) {
                set.diagnostics.push(missing_program_yaml(program));
            }
        }
        set.programs = programs;
        set
    }
}

/// Both spellings of one file: the `.yaml` one is read, the other refused (error).
fn both_spellings(refused: &str, read: &str) -> Diagnostic {
    Diagnostic::error(
        LAYOUT_RULE,
        format!(
            "`{refused}` and `{read}` are the same file in two spellings; only `{read}` was read"
        ),
    )
    .at(layout_at(refused))
    .hint("keep one of them: merge the content into one file and delete the other")
}

/// Whether a file name has a YAML extension (`.yaml` or `.yml`, any case).
fn is_yaml_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn sorted_names(dir: &Path) -> Result<Vec<String>, LoadError> {
    let read = fs::read_dir(dir).map_err(|e| LoadError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut names: Vec<String> = read
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

fn folder_where_file_belongs(rel: &str) -> Diagnostic {
    Diagnostic::error(
        LAYOUT_RULE,
        format!("`{rel}` is a folder, expected a YAML file"),
    )
    .at(layout_at(rel))
    .hint("replace the folder with a file of that name")
}

fn missing_program_yaml(program: &str) -> Diagnostic {
    Diagnostic::error(
        LAYOUT_RULE,
        format!("program folder `programs/{program}` has no program.yaml"),
    )
    .at(layout_at(&format!("programs/{program}")))
    .entity(program)
    .hint("add programs/<id>/program.yaml with at least `name:`; it is the program's charter")
}

fn unknown_program_file(rel: &str, name: &str) -> Diagnostic {
    let names = FileKind::PROGRAM_FILES.map(FileKind::file_name);
    let stem = name.trim_end_matches(".yml").trim_end_matches(".yaml");
    let suggestion = names
        .iter()
        .find(|n| n.trim_end_matches(".yaml") == stem)
        .copied()
        .or_else(|| crate::diagnostic::did_you_mean(name, names));
    let hint = match suggestion {
        Some(s) => format!(
            "did you mean `{s}`? A program folder holds {}",
            names.join(", ")
        ),
        None => format!("a program folder holds {}", names.join(", ")),
    };
    Diagnostic::warning(
        LAYOUT_RULE,
        format!("`{rel}` is not a milepost file and was not read"),
    )
    .at(layout_at(rel))
    .hint(hint)
}

/// Reads a file's bytes, refusing files over [`MAX_FILE_BYTES`]. Returns the bytes or a
/// message saying why they could not be read.
pub fn read_content(content: &Content) -> Result<Arc<[u8]>, String> {
    match content {
        Content::Memory(bytes) => {
            if bytes.len() as u64 > MAX_FILE_BYTES {
                Err(too_large())
            } else {
                Ok(Arc::clone(bytes))
            }
        }
        Content::Disk(path) => {
            let file = fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
            // Sized from the file's length (a special file says 0 and grows as it is read).
            let size = file.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES);
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
            file.take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read the file: {e}"))?;
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(too_large());
            }
            Ok(bytes.into())
        }
    }
}

fn too_large() -> String {
    format!(
        "the file is larger than {} MiB and was not read",
        MAX_FILE_BYTES / 1024 / 1024
    )
}
