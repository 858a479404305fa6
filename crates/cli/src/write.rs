//! Every file milepost writes goes through here: `render --out`, `site --out`, `init`,
//! `schema --out`, `codeowners --out`.
//!
//! - **A file** is written to a temporary file created in the target's folder with a random
//!   name, exclusively (`O_CREAT | O_EXCL`: a planted file or symbolic link with that name
//!   makes the creation fail instead of being followed), then renamed over the target. A
//!   reader sees the old file or the new one, never half of one; a replaced file keeps its
//!   permissions; a failure (a full disk, a file-size limit) removes the temporary file.
//! - **A site** is built whole in a fresh temporary folder beside `--out` and then exchanged
//!   with it in one `renameat2(RENAME_EXCHANGE)`, so a reader never sees old and new pages
//!   mixed and two concurrent runs cannot interleave pages (the last exchange wins, whole).
//!   milepost replaces only a folder it created (it leaves a `.milepost-site` marker) or an
//!   empty one.
//! - **Signals.** Ctrl-C or `SIGTERM` while writing removes the temporary files and folders
//!   before exiting (code 130); `SIGXFSZ` (a file-size limit) becomes an ordinary write
//!   error, so the same clean-up runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::CliError;

/// The marker file a generated site folder holds.
pub const SITE_MARKER: &str = ".milepost-site";

/// Temporary files and folders to remove if the process is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn track(path: &Path) {
    pending().push(path.to_path_buf());
}

fn untrack(path: &Path) {
    pending().retain(|p| p != path);
}

/// Installs the signal handling described in the module docs. Called once, from `main`.
pub fn install_signal_cleanup() {
    use signal_hook::consts::{SIGINT, SIGTERM, SIGXFSZ};
    // A file-size limit: make the write fail with EFBIG instead of killing the process.
    let _ = signal_hook::flag::register(SIGXFSZ, std::sync::Arc::default());
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            for path in pending().drain(..) {
                if path.is_dir() {
                    let _ = std::fs::remove_dir_all(&path);
                } else {
                    let _ = std::fs::remove_file(&path);
                }
            }
            std::process::exit(130);
        }
    });
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `bytes` to `path` atomically and safely (see the module docs). Creates the folder
/// when it is missing.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let err = |source: std::io::Error| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = folder_of(path);
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A new file gets the usual mode (0666 less the umask), not the temporary file's 0600:
    // reports and scaffolds are read by other people and by CI.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(err)?;
    track(tmp.path());
    let result = (|| {
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        // Keep the permissions of the file being replaced (0600 stays 0600).
        if let Ok(meta) = std::fs::symlink_metadata(path)
            && meta.is_file()
        {
            tmp.as_file().set_permissions(meta.permissions())?;
        }
        Ok(())
    })();
    let tmp_path = tmp.path().to_path_buf();
    let result = result.and_then(|()| tmp.persist(path).map(drop).map_err(|e| e.error));
    // On failure `tmp` (or the persist error's file) was dropped, which removed it.
    untrack(&tmp_path);
    result.map_err(err)
}

/// Writes a file inside a folder that [`replace_dir`] is building: the folder is new and
/// private until it is swapped in whole, so its files need neither a temporary file each nor
/// a flush each ([`replace_dir`] flushes the file system once before the swap). A site of
/// thousands of pages is written in a fraction of the time.
pub fn write_in_build(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let err = |source: std::io::Error| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(folder_of(path)).map_err(err)?;
    std::fs::write(path, bytes).map_err(err)
}

/// Builds a folder with `build` (given a fresh temporary folder beside `out`) and puts it in
/// place of `out` whole (see the module docs). Returns what `build` returned.
pub fn replace_dir<T>(
    out: &Path,
    build: impl FnOnce(&Path) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let err = |source: std::io::Error| CliError::Write {
        path: out.to_path_buf(),
        source,
    };
    if out.exists() && !replaceable(out) {
        return Err(CliError::usage(
            format!(
                "`{}` exists and was not created by `milepost site`",
                out.display()
            ),
            "milepost replaces the --out folder as a whole; pass a new or empty folder, or one an earlier `milepost site` wrote",
        ));
    }
    let parent = folder_of(out);
    std::fs::create_dir_all(parent).map_err(err)?;
    let tmp = tempfile::Builder::new()
        .prefix(".milepost-site-")
        .tempdir_in(parent)
        .map_err(err)?;
    track(tmp.path());
    let result = build(tmp.path()).and_then(|value| {
        std::fs::write(
            tmp.path().join(SITE_MARKER),
            b"generated by milepost site\n",
        )
        .map_err(err)?;
        // One flush for every file written into the folder, before it becomes visible.
        let dir = std::fs::File::open(tmp.path()).map_err(err)?;
        rustix::fs::syncfs(&dir).map_err(|e| err(e.into()))?;
        swap_in(tmp.path(), out).map_err(err)?;
        Ok(value)
    });
    untrack(tmp.path());
    // After a swap the temporary folder holds the old site; either way it goes (what a
    // failed parallel removal leaves, the temporary folder's own clean-up removes).
    let _ = remove_tree(tmp.path());
    drop(tmp);
    result
}

/// Removes the folder `path` and everything in it, sub-folders in parallel: the old site of
/// thousands of pages goes in about half the time. Symbolic links are removed, never
/// followed.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(path)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(path)
}

/// Whether `out` may be replaced: an empty folder, or one holding the site marker.
fn replaceable(out: &Path) -> bool {
    if !out.is_dir() || std::fs::symlink_metadata(out).is_ok_and(|m| m.is_symlink()) {
        return false;
    }
    out.join(SITE_MARKER).is_file()
        || std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none())
}

/// Puts the folder `new` at `out`: one atomic exchange when `out` exists, a rename otherwise.
fn swap_in(new: &Path, out: &Path) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(new, out);
    }
    let exchanged = rustix::fs::renameat_with(
        rustix::fs::CWD,
        new,
        rustix::fs::CWD,
        out,
        rustix::fs::RenameFlags::EXCHANGE,
    );
    if exchanged.is_ok() {
        return Ok(());
    }
    // A file system without exchange: move the old one aside, then the new one in.
    let aside = tempfile::Builder::new()
        .prefix(".milepost-site-old-")
        .tempdir_in(folder_of(out))?;
    let old = aside.path().join("site");
    std::fs::rename(out, &old)?;
    std::fs::rename(new, out)?;
    std::fs::rename(&old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planted_link_is_not_followed_and_modes_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.md");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "do not touch").unwrap();
        // The old predictable name, planted as a link to another file.
        std::os::unix::fs::symlink(&victim, dir.path().join(".report.md.tmp-1")).unwrap();
        write_file(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "do not touch");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // No temporary file is left behind.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names.len(),
            3,
            "report.md, victim.txt and the planted link: {names:?}"
        );
    }

    #[test]
    fn a_tree_is_removed_without_following_links() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("keep");
        std::fs::create_dir(&keep).unwrap();
        std::fs::write(keep.join("page.html"), "kept").unwrap();
        let tree = dir.path().join("old");
        for program in ["a", "b", "c"] {
            let folder = tree.join("programs").join(program);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("summary.html"), program).unwrap();
        }
        std::fs::write(tree.join("index.html"), "index").unwrap();
        std::os::unix::fs::symlink(&keep, tree.join("programs/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(
            std::fs::read_to_string(keep.join("page.html")).unwrap(),
            "kept"
        );
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should go: the rename fails.
        let target = dir.path().join("out.md");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        assert!(write_file(&target, b"new").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the folder remains");
    }

    #[test]
    fn a_site_is_replaced_whole_and_only_when_it_is_ours() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let build = |pages: &'static [&'static str]| {
            move |tmp: &Path| -> Result<(), CliError> {
                for p in pages {
                    std::fs::write(tmp.join(p), p).unwrap();
                }
                Ok(())
            }
        };
        replace_dir(&out, build(&["a.html", "b.html"])).unwrap();
        replace_dir(&out, build(&["a.html", "c.html"])).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [SITE_MARKER, "a.html", "c.html"],
            "no page of the old site"
        );
        // No temporary folder is left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A failing build leaves the old site as it was.
        let failed = replace_dir(&out, |_| -> Result<(), CliError> {
            Err(CliError::usage("boom", "none"))
        });
        assert!(failed.is_err());
        assert!(out.join("c.html").is_file());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A folder milepost did not create is not replaced.
        let theirs = dir.path().join("docs");
        std::fs::create_dir(&theirs).unwrap();
        std::fs::write(theirs.join("index.md"), "mine").unwrap();
        assert!(replace_dir(&theirs, build(&["a.html"])).is_err());
        assert_eq!(
            std::fs::read_to_string(theirs.join("index.md")).unwrap(),
            "mine"
        );
    }
}
