//! Stamps the binary with the commit it was built from and that commit's date (not the
//! wall clock: the same commit builds the same binary), for `milepost --version`.
//! Outside a git checkout (a source tarball) both are `unknown`.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn main() {
    let commit = std::env::var("MILEPOST_COMMIT")
        .ok()
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    let date = std::env::var("MILEPOST_BUILD_DATE")
        .ok()
        .or_else(|| git(&["log", "-1", "--format=%cs"]))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=MILEPOST_COMMIT={commit}");
    println!("cargo:rustc-env=MILEPOST_BUILD_DATE={date}");
    println!("cargo:rerun-if-env-changed=MILEPOST_COMMIT");
    println!("cargo:rerun-if-env-changed=MILEPOST_BUILD_DATE");
    // Rebuild the stamp when HEAD moves.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        let dir = Path::new(&dir);
        println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={}", dir.join(head).display());
        }
    }
}
