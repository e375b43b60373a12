//! `companion serve` on 127.0.0.1: serves the site from memory, rebuilds
//! when a note changes, tells open pages to reload, and keeps serving the
//! last good build (with the errors on show) while the sources are broken.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A plain HTTP/1.1 GET: status code and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw[9..12].parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `companion serve` on a free port of 127.0.0.1, once it listens.
fn start(root: &std::path::Path, stderr: Stdio) -> (Server, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_companion"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap(),
    );
    eventually("the server listens", || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    (server, port)
}

#[test]
fn serves_rebuilds_reloads_and_survives_broken_sources() {
    let dir = common::project(&[
        ("book.toml", common::BOOK),
        (
            "content/index.md",
            "---\ntitle: First title\n---\nSee [[other]].\n",
        ),
        ("content/other.md", "---\ntitle: Other\n---\nText.\n"),
    ]);
    let (_server, port) = start(dir.path(), Stdio::null());

    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("<title>First title · Fixture</title>"));
    assert!(home.contains("<script src=\"/__companion/live.js\"></script>"));
    assert_eq!(get(port, "/other/").0, 200);
    assert_eq!(get(port, "/other").0, 301);
    assert_eq!(get(port, "/missing/").0, 404);
    assert!(!dir.path().join("site").exists(), "serve writes nothing");

    // An open page listens for reloads.
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        events,
        "GET /__companion/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut events = BufReader::new(events);
    std::thread::sleep(Duration::from_millis(300));

    common::write_files(
        dir.path(),
        &[(
            "content/index.md",
            "---\ntitle: Second title\n---\nSee [[other]].\n",
        )],
    );
    eventually("the change is served", || {
        get(port, "/").1.contains("<title>Second title")
    });
    let mut line = String::new();
    let mut saw_reload = false;
    while events.read_line(&mut line).unwrap_or(0) > 0 {
        if line.trim() == "event: reload" {
            saw_reload = true;
            break;
        }
        line.clear();
    }
    assert!(saw_reload, "a reload event was sent");

    // Broken sources: errors on show, the last good build still served.
    common::write_files(
        dir.path(),
        &[("content/bad.md", "---\ntitle: Bad\n---\n[[nowhere]]\n")],
    );
    eventually("the failure is reported", || {
        get(port, "/__companion/status")
            .1
            .contains("content/bad.md:4:1: error: link to unknown note `[[nowhere]]`")
    });
    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("<title>Second title"));

    // Fixed again: the failure clears.
    std::fs::remove_file(dir.path().join("content/bad.md")).unwrap();
    eventually("the failure clears", || {
        get(port, "/__companion/status").1.is_empty()
    });
}

/// An edit to one note's prose re-renders that page alone (and the search
/// index); an edit that changes what other pages show (here a new link,
/// which adds a back-link to its target) goes through a full build.
#[test]
fn prose_edits_rebuild_one_page_and_other_edits_everything() {
    let dir = common::project(&[
        ("book.toml", common::BOOK),
        (
            "content/index.md",
            "---\ntitle: Home\n---\nSee [[other]].\n",
        ),
        ("content/other.md", "---\ntitle: Other\n---\nFirst words.\n"),
    ]);
    let logs = tempfile::tempdir().unwrap();
    let log_path = logs.path().join("serve.log");
    let log_file = std::fs::File::create(&log_path).unwrap();
    let (_server, port) = start(dir.path(), Stdio::from(log_file));
    let log = || std::fs::read_to_string(&log_path).unwrap();
    assert!(!get(port, "/").1.contains("id=\"linked-from\""));
    std::thread::sleep(Duration::from_millis(300));

    common::write_files(
        dir.path(),
        &[(
            "content/other.md",
            "---\ntitle: Other\n---\nSecond thoughts.\n",
        )],
    );
    eventually("the edited page is served", || {
        get(port, "/other/").1.contains("Second thoughts.")
    });
    eventually("the search index follows", || {
        get(port, "/assets/search-index.js").1.contains("thought")
    });
    assert!(log().contains("rebuilt other/index.html in "), "{}", log());
    assert_eq!(log().matches("built 4 pages").count(), 1, "{}", log());

    common::write_files(
        dir.path(),
        &[(
            "content/other.md",
            "---\ntitle: Other\n---\nBack [[index]].\n",
        )],
    );
    eventually("the new back-link is on the home page", || {
        get(port, "/").1.contains("id=\"linked-from\"")
    });
    assert_eq!(log().matches("built 4 pages").count(), 2, "{}", log());
}
