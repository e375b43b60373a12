//! A huge note and pathological Markdown finish within time and
//! memory limits, or fail with a clear error; never a crash. Each build is
//! a real process whose peak resident memory is read from the kernel.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Exit code, standard error, wall time and peak RSS (MiB) of `companion
/// build` on the project at `root`.
#[allow(unsafe_code)] // wait4 reports the peak memory
fn build(root: &Path) -> (i32, String, Duration, u64) {
    let err = tempfile::NamedTempFile::new().unwrap();
    let started = Instant::now();
    // Reaped by `wait4` below, which also reports its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_companion"))
        .arg("--root")
        .arg(root)
        .args(["--quiet", "build"])
        .stdout(Stdio::null())
        .stderr(Stdio::from(err.reopen().unwrap()))
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 reaps the child spawned above.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let elapsed = started.elapsed();
    assert!(libc::WIFEXITED(status), "killed by a signal: {status}");
    let stderr = std::fs::read_to_string(err.path()).unwrap();
    (
        libc::WEXITSTATUS(status),
        stderr,
        elapsed,
        usage.ru_maxrss as u64 / 1024,
    )
}

fn note(body: &str) -> tempfile::TempDir {
    crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        (
            "content/index.md",
            &format!("---\ntitle: Home\n---\n{body}\n"),
        ),
    ])
}

#[test]
fn pathological_markdown_finishes_within_limits() {
    for (name, body) in [
        ("10,000 nested lists", "- ".repeat(10_000) + "x"),
        ("10,000 nested block quotes", ">".repeat(10_000) + " deep"),
        ("50,000 unclosed link openers", "[a](<b".repeat(50_000)),
        ("10,000 footnote starts", "[^".repeat(10_000)),
        ("50,000 brackets before a key", "[".repeat(50_000) + "x"),
        ("20,000 emphasis openers", "*a **b ".repeat(20_000)),
    ] {
        let dir = note(&body);
        let (code, stderr, took, rss) = build(dir.path());
        eprintln!(
            "{name}: exit {code}, {:.2} s, {rss} MiB",
            took.as_secs_f64()
        );
        assert_eq!(code, 0, "{name}: {stderr}");
        assert!(took < Duration::from_secs(60), "{name} took {took:?}");
        assert!(rss < 1024, "{name} used {rss} MiB");
        assert!(dir.path().join("site/index.html").is_file());
    }
}

#[test]
fn a_60_mb_note_is_refused_with_its_size() {
    let dir = note(&"Plain words in a long paragraph. ".repeat(2_000_000));
    let (code, stderr, took, rss) = build(dir.path());
    eprintln!(
        "60 MB note: exit {code}, {:.2} s, {rss} MiB",
        took.as_secs_f64()
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "content/index.md:1:1: error: file is 62 MB, over the 32 MB limit for one file"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("no home page"),
        "no follow-on error: {stderr}"
    );
    assert!(rss < 256, "the file is not read: {rss} MiB");
    assert!(!dir.path().join("site").exists());
}
