//! The bare floor for benchmarks: read every `.md` file under `DIR/content`,
//! render it with pulldown-cmark's `push_html`, write it to `OUT`, on the
//! rayon pool (set RAYON_NUM_THREADS). No templates, citations, links or
//! indexes: the time above this is the cost of companion's features.
//!
//!     cargo run --release --example floor -- DIR OUT

use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::Path::new(&args[1]).join("content");
    let out = std::path::PathBuf::from(&args[2]);
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()),
        );
        let rel = path.strip_prefix(&dir).unwrap().with_extension("html");
        let target = out.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, html).unwrap();
    });
    eprintln!("rendered {} files", files.len());
}
