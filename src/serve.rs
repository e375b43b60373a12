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
use crate::error::{Error, Result};
use crate::model::Output;
use crate::session::Session;
use crate::{diagnostic, output, urls};

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
    files: RwLock<Arc<Output>>,
    /// Diagnostics of the last build, if it failed.
    failure: RwLock<String>,
    events: broadcast::Sender<&'static str>,
}

/// One build into memory: the files and the session to update them from,
/// or the diagnostics (and any hard error) as text.
fn build_once(opts: &Options) -> std::result::Result<(Output, Session, String), String> {
    let config = build::load_config(opts).map_err(|e| e.to_string())?;
    let memory = output::Memory::default();
    let compiled = build::compile(opts, &config, &memory).map_err(|e| e.to_string())?;
    let mut lines: Vec<String> = compiled.diagnostics.iter().map(|d| d.to_string()).collect();
    match compiled.rendered {
        Some(r) => {
            lines.push(format!(
                "built {} pages ({} files)",
                compiled.pages, r.files
            ));
            let session = Session::new(config, r.theme, r.prepared).map_err(|e| e.to_string())?;
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

/// Runs the server until the process is stopped.
pub fn serve(opts: &Options, port: u16, quiet: bool) -> Result<()> {
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
    let (events, _) = broadcast::channel(16);
    let served = Arc::new(Served {
        files: RwLock::new(Arc::new(Output::new())),
        failure: RwLock::new(String::new()),
        events,
    });
    let mut session = rebuild(&opts, &served, quiet);

    let runtime = tokio::runtime::Runtime::new().map_err(|e| Error::io("tokio runtime", e))?;
    runtime.block_on(async move {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::io(format!("127.0.0.1:{port}"), e))?;
        println!(
            "serving {} at http://{addr}/ (Ctrl-C to stop)",
            root.display()
        );

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
            .map_err(|e| Error::io(format!("127.0.0.1:{port}"), e))
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
    if let Some((out, script)) = session.search_index() {
        put(out, script.into_bytes());
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

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("bib" | "ris" | "txt" | "csv" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
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
