//! `companion serve` on 127.0.0.1: serves the site from memory, rebuilds
//! when a note changes, tells open pages to reload, and keeps serving the
//! last good build (with the errors on show) while the sources are broken.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
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
    let (status, _, body) = get_with_headers(port, path);
    (status, body)
}

/// A plain HTTP/1.1 GET: status code, headers (names in lower case) and body.
fn get_with_headers(port: u16, path: &str) -> (u16, Vec<(String, String)>, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    let status = raw[9..12].parse().unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `companion serve ARGS` with its standard output read line by line.
fn spawn(
    root: &std::path::Path,
    args: &[&str],
    stderr: Stdio,
    env: &[(&str, &str)],
) -> (Server, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_companion"))
        .arg("--root")
        .arg(root)
        .arg("serve")
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Server(child), rx)
}

/// The port from serve's `serving … at http://HOST:PORT/` line.
fn listening_port(lines: &mpsc::Receiver<String>) -> u16 {
    let line = lines
        .recv_timeout(Duration::from_secs(60))
        .expect("serve prints where it listens");
    let url = line.split(" at http://").nth(1).expect(&line);
    let authority = url.split('/').next().unwrap();
    authority.rsplit_once(':').unwrap().1.parse().expect(&line)
}

/// `companion serve --port 0`: the server picks a free port itself and
/// prints it, so tests running side by side never share one.
fn start(root: &std::path::Path, stderr: Stdio) -> (Server, u16) {
    let (server, lines) = spawn(root, &["--port", "0"], stderr, &[]);
    let port = listening_port(&lines);
    (server, port)
}

#[test]
fn serves_rebuilds_reloads_and_survives_broken_sources() {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
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

    crate::common::write_files(
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
    crate::common::write_files(
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
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
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

    crate::common::write_files(
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
        get(port, "/assets/search/t0.js").1.contains("\"thought\"")
    });
    // The word the edit took out is gone, and the result shows the new text.
    let terms = get(port, "/assets/search/t0.js").1;
    assert!(!terms.contains("\"first\""), "{terms}");
    assert!(get(port, "/assets/search/d0.js")
        .1
        .contains("\"e\":\"Second thoughts.\""));
    assert!(log().contains("rebuilt other/index.html in "), "{}", log());
    assert!(log().contains("updated the search index in "), "{}", log());
    assert_eq!(log().matches("built 5 pages").count(), 1, "{}", log());

    crate::common::write_files(
        dir.path(),
        &[(
            "content/other.md",
            "---\ntitle: Other\n---\nBack [[index]].\n",
        )],
    );
    eventually("the new back-link is on the home page", || {
        get(port, "/").1.contains("id=\"linked-from\"")
    });
    assert_eq!(log().matches("built 5 pages").count(), 2, "{}", log());
}

/// Data files come with the content types a static host sends, so a CSV
/// or a PDF behaves in preview as it will once published.
#[test]
fn data_files_are_served_with_their_content_types() {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        (
            "content/index.md",
            "---\ntitle: Home\n---\n[a](data/a.csv) [b](data/b.json) [c](data/c.svg) [d](data/d.pdf) [e](data/e.txt) [f](data/f.xlsx)\n",
        ),
        ("content/data/a.csv", "a,b\n1,2\n"),
        ("content/data/b.json", "{}"),
        ("content/data/c.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("content/data/d.pdf", "%PDF-1.4\n"),
        ("content/data/e.txt", "text"),
        ("content/data/f.xlsx", "PK"),
    ]);
    let (_server, port) = start(dir.path(), Stdio::null());
    let kind = |path: &str| {
        let (status, headers, _) = get_with_headers(port, path);
        assert_eq!(status, 200, "{path}");
        headers
            .into_iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v)
            .unwrap()
    };
    assert_eq!(kind("/data/a.csv"), "text/csv; charset=utf-8");
    assert_eq!(kind("/data/b.json"), "application/json; charset=utf-8");
    assert_eq!(kind("/data/c.svg"), "image/svg+xml; charset=utf-8");
    assert_eq!(kind("/data/d.pdf"), "application/pdf");
    assert_eq!(kind("/data/e.txt"), "text/plain; charset=utf-8");
    assert_eq!(
        kind("/data/f.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(kind("/"), "text/html; charset=utf-8");
}

/// A taken port is a clear error with a way out, before any build.
#[test]
fn a_taken_port_says_so_and_suggests_another() {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        ("content/index.md", "---\ntitle: Home\n---\nHi.\n"),
    ]);
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let r = crate::common::run_within(
        dir.path(),
        &["serve", "--port", &port.to_string()],
        Duration::from_secs(60),
        "serve on a taken port",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("error: port {port} is in use on 127.0.0.1")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("`--port {}`", port + 1)) && r.stderr.contains("`--port 0`"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("built "),
        "no build before the port: {}",
        r.stderr
    );
}

/// `--host` other than loopback warns that the site is exposed; `--open`
/// hands the address to the reader's browser (`$BROWSER`).
#[test]
fn host_warns_off_loopback_and_open_starts_the_browser() {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        ("content/index.md", "---\ntitle: Home\n---\nHi.\n"),
    ]);
    let logs = tempfile::tempdir().unwrap();
    let opened = logs.path().join("opened.txt");
    let browser = logs.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let log_path = logs.path().join("serve.log");
    let (_server, lines) = spawn(
        dir.path(),
        &["--port", "0", "--host", "0.0.0.0", "--open"],
        Stdio::from(std::fs::File::create(&log_path).unwrap()),
        &[("BROWSER", browser.to_str().unwrap())],
    );
    let port = listening_port(&lines);
    assert_eq!(get(port, "/").0, 200, "reachable through loopback");
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains(
            "warning: serving on 0.0.0.0: every machine that can reach this one can read the site"
        ),
        "{log}"
    );
    let url = format!("http://127.0.0.1:{port}/");
    eventually("the browser is started with the address", || {
        std::fs::read_to_string(&opened).is_ok_and(|t| t.trim() == url)
    });

    // On loopback (the default) there is no warning.
    let quiet_log = logs.path().join("quiet.log");
    let (_server, lines) = spawn(
        dir.path(),
        &["--port", "0"],
        Stdio::from(std::fs::File::create(&quiet_log).unwrap()),
        &[],
    );
    listening_port(&lines);
    assert!(!std::fs::read_to_string(&quiet_log)
        .unwrap()
        .contains("warning"));
}
