//! Records the Git commit the binary is built from, when it is built from a
//! checkout of this repository (as `cargo install --git` does), so that
//! `companion new` can pin the Pages workflow to the same commit.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    out.status.success().then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    // Only this repository's own checkout: not a parent repository that
    // happens to hold an unpacked copy of the crate.
    let Some(top) = git(&manifest, &["rev-parse", "--show-toplevel"]) else {
        return;
    };
    let same = |a: &Path, b: &Path| a.canonicalize().ok() == b.canonicalize().ok();
    if !same(Path::new(&top), &manifest) {
        return;
    }
    let Some(commit) = git(&manifest, &["rev-parse", "--verify", "HEAD^{commit}"]) else {
        return;
    };
    if commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        println!("cargo:rustc-env=COMPANION_GIT_COMMIT={commit}");
    }
    // Run again when HEAD moves; only files that exist, or cargo would
    // rebuild every time.
    let resolve = |p: String| {
        let p = PathBuf::from(p);
        if p.is_absolute() {
            p
        } else {
            manifest.join(p)
        }
    };
    let mut watch = Vec::new();
    if let Some(dir) = git(&manifest, &["rev-parse", "--git-dir"]).map(resolve) {
        watch.push(dir.join("HEAD"));
    }
    if let Some(common) = git(&manifest, &["rev-parse", "--git-common-dir"]).map(resolve) {
        watch.push(common.join("packed-refs"));
        if let Some(head_ref) = git(&manifest, &["symbolic-ref", "-q", "HEAD"]) {
            watch.push(common.join(head_ref));
        }
    }
    for path in watch.into_iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
