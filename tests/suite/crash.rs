//! A build killed while it writes (SIGINT or SIGKILL, at several moments)
//! leaves the previous output byte-identical, or the complete new one, and
//! the next build cleans up after it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{leftovers, snapshot};

/// A project of `n` notes with some prose each: enough files that writing
/// takes a while.
fn big_project(n: usize, word: &str) -> tempfile::TempDir {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        ("content/index.md", "---\ntitle: Home\n---\nNotes below.\n"),
    ]);
    let para = format!("{word} words about collaboration across sectors. ").repeat(40);
    for i in 0..n {
        let text = format!("---\ntitle: Note {i}\n---\n# Part\n\n{para}\n\n[[index]]\n");
        let path = dir.path().join(format!("content/notes/n{i}.md"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn rewrite_notes(root: &Path, n: usize, word: &str) {
    let para = format!("{word} words about collaboration across sectors. ").repeat(40);
    for i in 0..n {
        let text = format!("---\ntitle: Note {i}\n---\n# Part\n\n{para}\n\n[[index]]\n");
        std::fs::write(root.join(format!("content/notes/n{i}.md")), text).unwrap();
    }
}

/// The staging folders beside the output.
fn staging(root: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".site.staging-")
        })
        .map(|e| e.path())
        .collect()
}

/// Whether this build writes pages: a new staging folder (not one left by
/// an earlier kill) already holds rendered pages.
fn writing_started(root: &Path, earlier: &[std::path::PathBuf]) -> bool {
    staging(root)
        .iter()
        .any(|p| !earlier.contains(p) && std::fs::read_dir(p).is_ok_and(|d| d.count() > 1))
}

#[test]
fn a_killed_build_leaves_the_previous_or_the_new_output_and_is_cleaned_up() {
    const N: usize = 600;
    let dir = big_project(N, "First");
    let root = dir.path();
    assert_eq!(crate::common::run(root, &["build"]).code, 0);
    let previous = snapshot(&root.join("site"));

    // The complete new output, built elsewhere from the changed notes.
    rewrite_notes(root, N, "Second");
    let other = tempfile::tempdir().unwrap();
    let new_site = other.path().join("site");
    let r = crate::common::run(root, &["build", "--output", new_site.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let next = snapshot(&new_site);
    assert_ne!(previous, next);

    let mut saw_previous = 0;
    for (signal, delay_ms) in [
        ("INT", 0),
        ("KILL", 0),
        ("INT", 20),
        ("KILL", 50),
        ("KILL", 100),
        ("INT", 200),
        ("KILL", 400),
        ("KILL", 3000),
    ] {
        let earlier = staging(root);
        let mut child = Command::new(env!("CARGO_BIN_EXE_companion"))
            .arg("--root")
            .arg(root)
            .args(["--quiet", "build"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !writing_started(root, &earlier) && child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "no staging folder appeared");
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        let signo = if signal == "INT" {
            libc::SIGINT
        } else {
            libc::SIGKILL
        };
        // SAFETY: signals the child spawned above, not yet reaped.
        #[allow(unsafe_code)]
        let sent = unsafe { libc::kill(child.id() as libc::pid_t, signo) };
        assert_eq!(sent, 0);
        child.wait().unwrap();

        let now = snapshot(&root.join("site"));
        eprintln!(
            "SIG{signal} after {delay_ms} ms: {}",
            if now == previous {
                "previous output"
            } else {
                "new output"
            }
        );
        if now == previous {
            saw_previous += 1;
        } else {
            assert!(
                now == next,
                "SIG{signal} after {delay_ms} ms: a mixed output"
            );
            // The build finished first: start from the previous output again.
            rewrite_notes(root, N, "First");
            assert_eq!(crate::common::run(root, &["build"]).code, 0);
            assert_eq!(snapshot(&root.join("site")), previous);
            rewrite_notes(root, N, "Second");
        }
    }
    assert!(
        saw_previous >= 3,
        "most kills land while writing: {saw_previous}"
    );

    // The next build removes what the killed ones left and succeeds.
    assert_eq!(crate::common::run(root, &["build"]).code, 0);
    assert_eq!(snapshot(&root.join("site")), next);
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}
