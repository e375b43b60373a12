//! Helpers shared by the integration tests: run the binary on a copy of a
//! project, snapshot an output folder, and check every link in a built site.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const BOOK: &str = "[site]\ntitle = \"Fixture\"\n";

/// The result of one run of the binary.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `companion ARGS` with `--root root`.
pub(crate) fn run(root: &Path, args: &[&str]) -> Run {
    run_env(root, args, &[])
}

pub(crate) fn run_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_companion"));
    cmd.arg("--root").arg(root).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `companion ARGS` in the folder `cwd`, as a person at a shell
/// there would (no `--root`).
pub(crate) fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_companion"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs the binary like [`run`], but kills it and fails the test if it
/// has not finished within `limit` (`what` says what would hang).
pub(crate) fn run_within(
    root: &Path,
    args: &[&str],
    limit: std::time::Duration,
    what: &str,
) -> Run {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_companion"))
        .arg("--root")
        .arg(root)
        .args(args)
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap())
        .spawn()
        .expect("the binary runs");
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        code: status.code().expect("exited, not killed"),
        stdout: std::fs::read_to_string(out.path()).unwrap(),
        stderr: std::fs::read_to_string(err.path()).unwrap(),
    }
}

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively (files and folders only).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let ty = entry.file_type().unwrap();
        if ty.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if ty.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary project holding a copy of the shipped `book.toml`,
/// `content/` and `themes/`.
pub(crate) fn shipped_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("book.toml"), dir.path().join("book.toml")).unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    if repo().join("themes").exists() {
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    }
    dir
}

/// A temporary project from `(path, text)` pairs.
pub(crate) fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    dir
}

pub(crate) fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

/// Writes a fake previous build (with our marker) to compare against later.
pub(crate) fn previous_output(out: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::create_dir_all(out.join("old")).unwrap();
    std::fs::write(out.join(".companion-output"), "marker\n").unwrap();
    std::fs::write(out.join("index.html"), "previous build\n").unwrap();
    std::fs::write(out.join("old/index.html"), "previous page\n").unwrap();
    snapshot(out)
}

/// Names in `dir` that start with `.` and are not expected.
pub(crate) fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-") || n.contains(".old-"))
        .collect()
}

/// Values of `attr="…"` in an HTML text (our output always double-quotes).
pub(crate) fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let end = after.find('"').expect("closed attribute");
        out.push(unescape(&after[..end]));
        rest = &after[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// One internal link in a built site.
#[derive(Debug)]
pub(crate) struct Link {
    pub from: String,
    pub href: String,
}

/// Every page of the listing at `url` (`references/`) in `site`, one after
/// the other: page 1 at `url`, page n at `<url>page/n/`.
pub(crate) fn listing(site: &Path, url: &str) -> String {
    let mut all = std::fs::read_to_string(site.join(url).join("index.html")).unwrap();
    for n in 2.. {
        match std::fs::read_to_string(site.join(format!("{url}page/{n}/index.html"))) {
            Ok(page) => all.push_str(&page),
            Err(_) => break,
        }
    }
    all
}

/// Checks every `href` and `src` in every HTML file of `site`: internal
/// ones must be relative and must reach a file, and their fragment an `id`
/// on the target page. `404.html` is checked against its `<base href>` path
/// `base_path` (such as `/` or `/repo/`). Returns the internal links seen and
/// the problems found.
pub(crate) fn check_links(site: &Path, base_path: &str) -> (Vec<Link>, Vec<String>) {
    let files = snapshot(site);
    let mut links = Vec::new();
    let mut problems = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let mut refs = attr_values(&html, "href");
        refs.extend(attr_values(&html, "src"));
        for href in refs {
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            if path == "404.html" && href.starts_with(base_path) {
                continue; // the <base href> itself
            }
            if href.starts_with('/') {
                problems.push(format!("{path}: root-absolute link {href}"));
                continue;
            }
            let (target, frag) = match href.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(percent_decode(f))),
                None => (href.clone(), None),
            };
            let dir = if path == "404.html" {
                String::new()
            } else {
                path.rsplit_once('/')
                    .map_or(String::new(), |(d, _)| format!("{d}/"))
            };
            let mut resolved = if target.is_empty() {
                path.clone()
            } else {
                normalise(&format!("{dir}{}", percent_decode(&target)))
            };
            if resolved.is_empty() || resolved.ends_with('/') {
                resolved.push_str("index.html");
            }
            let Some(bytes) = files.get(&resolved) else {
                problems.push(format!("{path}: {href} → {resolved} does not exist"));
                continue;
            };
            if let Some(frag) = frag {
                let target_html = String::from_utf8_lossy(bytes);
                if !attr_values(&target_html, "id").contains(&frag) {
                    problems.push(format!("{path}: {href} → no id {frag:?} in {resolved}"));
                    continue;
                }
            }
            links.push(Link {
                from: path.clone(),
                href,
            });
        }
    }
    (links, problems)
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// The shipped companion, built into a temporary folder: the folder and
/// its `site/`.
pub(crate) fn built_shipped_site() -> (tempfile::TempDir, PathBuf) {
    let dir = shipped_project();
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    (dir, site)
}

pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";

/// The flags every headless Chromium here runs with.
pub(crate) const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/// A chromedriver on a free port of 127.0.0.1, stopped when dropped.
pub(crate) struct Chromedriver {
    child: std::process::Child,
    pub port: u16,
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Chromedriver {
    /// Starts chromedriver on a port it picks itself (`--port=0`) and reads
    /// the port from its first lines, so tests running side by side never
    /// race for one.
    pub(crate) fn start() -> Chromedriver {
        use std::io::BufRead;
        let mut child = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let port = line
                    .split("started successfully on port ")
                    .nth(1)
                    .and_then(|p| p.trim_end_matches('.').parse::<u16>().ok());
                if let (Some(port), false) = (port, sent) {
                    let _ = tx.send(port);
                    sent = true;
                }
                // Keep reading so chromedriver never blocks on a full pipe.
            }
        });
        let port = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("chromedriver says which port it listens on");
        Chromedriver { child, port }
    }

    /// A WebDriver session in headless Chromium with a fresh profile.
    pub(crate) async fn session(&self, profile: &Path) -> fantoccini::Client {
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push("--window-size=1200,900".into());
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": CHROMIUM, "args": args }),
        );
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

/// The text of some HTML: tags removed, the entities the build writes
/// decoded.
pub(crate) fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of a file, or a failure naming it.
pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The data a search script carries: `window.companionSearch = {…};`
/// (`search-index.js`) or `window.companionSearch.load("t0", {…});` (a
/// shard).
pub(crate) fn search_data(js: &str) -> serde_json::Value {
    let json = match js.strip_prefix("window.companionSearch = ") {
        Some(rest) => rest.trim_end().trim_end_matches(';'),
        None => {
            let rest = js.strip_prefix("window.companionSearch.load(").unwrap();
            let rest = &rest[rest.find(", ").unwrap() + 2..];
            rest.trim_end().trim_end_matches(';').trim_end_matches(')')
        }
    };
    serde_json::from_str(&json.replace("<\\/", "</")).unwrap()
}

/// Every document of a site's search index, in order: its `t` (title), `u`
/// (URL), `k` (kind) and `e` (excerpt).
pub(crate) fn search_docs(site: &Path) -> Vec<serde_json::Value> {
    let mut docs = Vec::new();
    for n in 0.. {
        let Ok(js) = std::fs::read_to_string(site.join(format!("assets/search/d{n}.js"))) else {
            break;
        };
        docs.extend(search_data(&js).as_array().unwrap().iter().cloned());
    }
    docs
}

/// Every term of a site's search index with the documents that have it
/// (by number in [`search_docs`]).
pub(crate) fn search_terms(site: &Path) -> BTreeMap<String, Vec<usize>> {
    let mut terms = BTreeMap::new();
    for n in 0.. {
        let Ok(js) = std::fs::read_to_string(site.join(format!("assets/search/t{n}.js"))) else {
            break;
        };
        for (term, postings) in search_data(&js).as_object().unwrap() {
            let mut doc = 0;
            let docs = postings
                .as_str()
                .unwrap()
                .split(',')
                .map(|p| {
                    doc += usize::from_str_radix(p, 36).unwrap() / 10;
                    doc
                })
                .collect();
            terms.insert(term.clone(), docs);
        }
    }
    terms
}
