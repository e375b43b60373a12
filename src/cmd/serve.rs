//! `companion serve`: the site from memory on 127.0.0.1, rebuilt when a
//! source changes, with live reload.
//!
//! Every rebuild runs the whole pipeline into memory. A good build replaces
//! what is served and tells open pages to reload (server-sent events); a
//! failed one prints its diagnostics, keeps the last good build on the
//! wire, and shows the errors in open pages. Nothing is written to disk.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use tokio::sync::broadcast;

use std::collections::BTreeSet;

use crate::build::{self, Options};
use crate::cmd::session::Session;
use crate::error::{Error, Result};
use crate::model::Files;
use crate::{diagnostic, urls, write};

const LIVE_JS: &str = r#"(function () {
  "use strict";
  function show(text) {
    var box = document.getElementById("companion-build-errors");
    if (!text) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "companion-build-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#3b0d0d;color:#fff;font:13px/1.4 monospace;z-index:1000;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last build failed; this is the previous build.\n\n" + text;
  }
  var events = new EventSource("/__companion/events");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("failed", function (e) { show(e.data); });
  fetch("/__companion/status").then(function (r) { return r.text(); }).then(show);
})();
"#;

/// What the server holds: the last good build and the last failure.
struct Served {
    files: RwLock<Arc<Files>>,
    /// Diagnostics of the last build, if it failed.
    failure: RwLock<String>,
    events: broadcast::Sender<&'static str>,
}

/// One build into memory: the files and the session to update them from,
/// or the diagnostics (and any hard error) as text.
fn build_once(opts: &Options) -> std::result::Result<(Files, Session, String), String> {
    let config = build::load_config(opts).map_err(|e| e.to_string())?;
    let memory = write::Memory::default();
    let compiled = build::compile(opts, &config, &memory, true).map_err(|e| e.to_string())?;
    let mut lines: Vec<String> = compiled.diagnostics.iter().map(|d| d.to_string()).collect();
    match compiled.rendered {
        Some(r) => {
            lines.push(format!(
                "built {} pages ({} files)",
                compiled.pages, r.files
            ));
            let session =
                Session::new(config, r.theme, r.prepared, r.search).map_err(|e| e.to_string())?;
            Ok((memory.into_files(), session, lines.join("\n")))
        }
        None => {
            lines.push(diagnostic::failure_summary(&compiled.diagnostics, "build"));
            Err(lines.join("\n"))
        }
    }
}

/// Whether a changed path can change the site (the output of `build`,
/// `target/` and hidden files cannot).
fn relevant(path: &Path, root: &Path, output: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    !(path.starts_with(output)
        || rel.starts_with("target")
        || rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
}

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Listen {
    /// Host name or address to listen on; 127.0.0.1 unless asked.
    pub host: String,
    /// Port; 0 lets the system pick a free one (printed once listening).
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// Binds the listening socket, with an error a person can act on when the
/// port is taken or the host is not this machine's.
fn bind(listen: &Listen) -> Result<std::net::TcpListener> {
    let Listen { host, port, .. } = listen;
    let at = format!("{host}:{port}");
    std::net::TcpListener::bind((host.as_str(), *port)).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {port} is in use on {host} (another `companion serve`?)\n  = help: \
                 choose another with `--port {}`, or `--port 0` for any free port",
                port.saturating_add(1)
            ),
            std::io::ErrorKind::AddrNotAvailable => format!(
                "{host} is not an address of this machine\n  = help: leave out `--host` to \
                 serve on 127.0.0.1, or give `--host 0.0.0.0` for every address"
            ),
            std::io::ErrorKind::PermissionDenied => format!(
                "no permission to listen on port {port}\n  = help: ports below 1024 need \
                 privileges; choose one above, such as `--port 3000`"
            ),
            _ => format!("cannot listen on {at}: {e}"),
        };
        Error::Config(format!("error: {why}"))
    })
}

/// The address to print and open: a wildcard address is reached through
/// the loopback address of its family.
fn public_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => {
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        }
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => {
            std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        }
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// Opens `url` in the reader's default browser: `$BROWSER` when set, else
/// the system's opener. A machine without one gets a warning, not a failure.
fn open_browser(url: &str) {
    let mut command = if let Some(browser) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        std::process::Command::new(browser)
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap the opener in the background; its exit status says little.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!(
            "warning: cannot open a browser here ({e}); open {url} yourself\n  = help: set \
             BROWSER to the browser's command"
        ),
    }
}

/// Runs the server until the process is stopped.
pub fn serve(opts: &Options, listen: &Listen, quiet: bool) -> Result<()> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let opts = Options {
        root: root.clone(),
        ..opts.clone()
    };
    let config = build::load_config(&opts)?;
    let output: PathBuf = build::output_dir(&opts, &config);
    // Bind before the first build, so a taken port fails at once.
    let std_listener = bind(listen)?;
    let addr = std_listener
        .local_addr()
        .map_err(|e| Error::io(&listen.host, e))?;
    std_listener
        .set_nonblocking(true)
        .map_err(|e| Error::io(&listen.host, e))?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: serving on {}: every machine that can reach this one can read the site, \
             drafts and all\n  = help: leave out `--host` to serve on 127.0.0.1 only",
            addr.ip()
        );
    }
    let (events, _) = broadcast::channel(16);
    let served = Arc::new(Served {
        files: RwLock::new(Arc::new(Files::new())),
        failure: RwLock::new(String::new()),
        events,
    });
    let mut session = rebuild(&opts, &served, quiet);

    let runtime = tokio::runtime::Runtime::new().map_err(|e| Error::io("tokio runtime", e))?;
    let url = public_url(addr);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(std_listener)
            .map_err(|e| Error::io(addr.to_string(), e))?;
        // Tests and scripts read the address from this line (`--port 0`).
        println!("serving {} at {url} (Ctrl-C to stop)", root.display());
        if listen.open {
            open_browser(&url);
        }

        // Watch the project; rebuild on a quiet moment after changes.
        let (tx, rx) = std::sync::mpsc::channel();
        let mut debouncer =
            notify_debouncer_full::new_debouncer(Duration::from_millis(200), None, tx).map_err(
                |e| Error::Config(format!("error: cannot watch {}: {e}", root.display())),
            )?;
        debouncer
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|e| Error::Config(format!("error: cannot watch {}: {e}", root.display())))?;
        let watched = served.clone();
        std::thread::spawn(move || {
            let _keep = debouncer;
            for result in rx {
                let Ok(events) = result else { continue };
                // Reads (the build's own included) change nothing.
                let changed: BTreeSet<&PathBuf> = events
                    .iter()
                    .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                    .flat_map(|e| e.paths.iter())
                    .filter(|p| relevant(p, &opts.root, &output))
                    .collect();
                if changed.is_empty() {
                    continue;
                }
                // One note edited: re-render its page alone if nothing
                // else shows what changed.
                if let Some(s) = session.as_mut() {
                    let real: Vec<&PathBuf> = changed
                        .iter()
                        .copied()
                        .filter(|p| s.affects(&opts.root, p))
                        .collect();
                    if real.is_empty() {
                        continue;
                    }
                    if let [path] = real[..] {
                        if update_one(s, &opts.root, path, &watched, quiet) {
                            continue;
                        }
                    }
                }
                if !quiet {
                    let mut names = changed.iter().map(|p| {
                        p.strip_prefix(&opts.root)
                            .unwrap_or(p)
                            .display()
                            .to_string()
                    });
                    let first = names.next().unwrap_or_default();
                    let more = match changed.len() {
                        1 => String::new(),
                        n => format!(" and {} more", n - 1),
                    };
                    eprintln!("{first}{more} changed: full build");
                }
                session = rebuild(&opts, &watched, quiet);
            }
        });

        let app = Router::new()
            .route("/__companion/events", get(events_stream))
            .route(
                "/__companion/live.js",
                get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], LIVE_JS) }),
            )
            .route("/__companion/status", get(status))
            .fallback(get(file))
            .with_state(served);
        axum::serve(listener, app)
            .await
            .map_err(|e| Error::io(addr.to_string(), e))
    })
}

/// A full build; the session to update from next, if it succeeded.
fn rebuild(opts: &Options, served: &Served, quiet: bool) -> Option<Session> {
    let start = Instant::now();
    match build_once(opts) {
        Ok((files, session, summary)) => {
            *served.files.write().expect("not poisoned") = Arc::new(files);
            served.failure.write().expect("not poisoned").clear();
            if !quiet {
                eprintln!("{summary} in {:.2} s", start.elapsed().as_secs_f64());
            }
            let _ = served.events.send("reload");
            Some(session)
        }
        Err(text) => {
            eprintln!("{text}\n(still serving the last good build)");
            *served.failure.write().expect("not poisoned") = text;
            let _ = served.events.send("failed");
            None
        }
    }
}

/// Re-renders the one page an edit changed, reloads the browser, then
/// brings the search index up to date. False if a full build is needed.
fn update_one(
    session: &mut Session,
    root: &Path,
    path: &Path,
    served: &Served,
    quiet: bool,
) -> bool {
    let start = Instant::now();
    let Some((out, html)) = session.update(root, path) else {
        return false;
    };
    let put = |out: String, bytes: Vec<u8>| {
        let mut files = served.files.write().expect("not poisoned");
        Arc::make_mut(&mut files).insert(out, bytes);
    };
    put(out.clone(), html.into_bytes());
    let _ = served.events.send("reload");
    if !quiet {
        eprintln!("rebuilt {out} in {:.3} s", start.elapsed().as_secs_f64());
    }
    let start = Instant::now();
    if let Some(files) = session.search_index() {
        for (out, script) in files {
            put(out, script.into_bytes());
        }
        if !quiet {
            eprintln!(
                "updated the search index in {:.3} s",
                start.elapsed().as_secs_f64()
            );
        }
    }
    true
}

async fn status(State(served): State<Arc<Served>>) -> String {
    served.failure.read().expect("not poisoned").clone()
}

async fn events_stream(
    State(served): State<Arc<Served>>,
) -> Sse<impl futures_util::Stream<Item = std::result::Result<Event, std::convert::Infallible>>> {
    let rx = served.events.subscribe();
    let stream = futures_util::stream::unfold((rx, served), |(mut rx, served)| async move {
        loop {
            match rx.recv().await {
                Ok(kind) => {
                    let data = if kind == "failed" {
                        served.failure.read().expect("not poisoned").clone()
                    } else {
                        String::new()
                    };
                    let event = Event::default().event(kind).data(data);
                    return Some((Ok(event), (rx, served)));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The `Content-Type` of an output file, from its extension: the common
/// web types a static host such as GitHub Pages sends, UTF-8 for text.
fn content_type(path: &str) -> String {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    let mime = match ext.to_ascii_lowercase().as_str() {
        // Bibliography downloads and Markdown read as text in a browser.
        "bib" | "md" => "text/plain".to_string(),
        "ris" => "application/x-research-info-systems".to_string(),
        "js" | "mjs" => "text/javascript".to_string(),
        _ => mime_guess::from_ext(ext)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    };
    let textual = mime.starts_with("text/")
        || matches!(
            mime.as_str(),
            "application/json" | "application/xml" | "image/svg+xml"
        );
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

/// Adds the live-reload script to an HTML page.
fn with_live_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let tag = "<script src=\"/__companion/live.js\"></script>\n";
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

async fn file(State(served): State<Arc<Served>>, uri: Uri) -> Response {
    let files = served.files.read().expect("not poisoned").clone();
    let path = urls::decode(uri.path().trim_start_matches('/'));
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    let respond = |status: StatusCode, path: &str, bytes: &[u8]| {
        let body = if path.ends_with(".html") {
            with_live_reload(bytes)
        } else {
            bytes.to_vec()
        };
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, content_type(path))
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::from(body))
            .expect("a valid response")
    };
    if let Some(bytes) = files.get(&path) {
        return respond(StatusCode::OK, &path, bytes);
    }
    if files.contains_key(&format!("{path}/index.html")) {
        let location = format!("/{}/", urls::encode(&path, true));
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    match files.get("404.html") {
        Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", bytes),
        None => {
            let failure = served.failure.read().expect("not poisoned").clone();
            (StatusCode::NOT_FOUND, format!("no page here\n\n{failure}")).into_response()
        }
    }
}
