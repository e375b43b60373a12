//! Writes a synthetic companion of N notes for benchmarks, in this
//! project's own content model, deterministic from a seed:
//!
//!     cargo run --release --example gen_corpus -- DIR N [SEED]
//!
//! Notes of 300–1,500 words with headings, lists, tables, block quotes and
//! the odd code block; 3–15 citations each in every Pandoc form; links to
//! other notes; N/2 references (half CSL-YAML, half BibTeX); 5·N quotes
//! over 8 tensions and 40 participants.

use std::fmt::Write as _;
use std::path::Path;

/// A small, fixed pseudo-random generator (SplitMix64), so the corpus is
/// the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

const WORDS: &[&str] = &[
    "collaboration",
    "partnership",
    "voluntary",
    "sector",
    "public",
    "agency",
    "tension",
    "power",
    "dependency",
    "values",
    "pragmatism",
    "distinctive",
    "integration",
    "policy",
    "children",
    "services",
    "local",
    "authority",
    "commissioning",
    "trust",
    "board",
    "meeting",
    "decision",
    "resources",
    "funding",
    "practice",
    "theory",
    "leadership",
    "network",
    "identity",
    "voice",
    "the",
    "of",
    "and",
    "in",
    "to",
    "a",
    "with",
    "for",
    "on",
    "as",
    "by",
    "that",
    "this",
    "which",
    "participants",
    "organisations",
    "context",
    "asymmetry",
    "dilemma",
    "trade-off",
    "compromise",
];
const TENSIONS: usize = 8;
const PARTICIPANTS: usize = 40;

fn words(rng: &mut Rng, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out
}

fn sentence(rng: &mut Rng) -> String {
    let n = rng.range(8, 20);
    let mut s = words(rng, n);
    let first = s.remove(0).to_ascii_uppercase();
    s.insert(0, first);
    s.push('.');
    s
}

fn key(i: usize) -> String {
    format!("author{i}{}", 1990 + i % 30)
}

/// One citation in a random Pandoc form.
fn citation(rng: &mut Rng, refs: usize) -> String {
    let k = key(rng.below(refs));
    match rng.below(6) {
        0 => format!("[@{k}]"),
        1 => format!("[@{k}; @{}]", key(rng.below(refs))),
        2 => format!("[see @{k}, p. {}]", rng.range(1, 400)),
        3 => format!("[@{k}, pp. {}-{}]", rng.range(1, 100), rng.range(101, 300)),
        4 => format!("@{k}"),
        _ => format!("[-@{k}]"),
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(1).expect("usage: gen_corpus DIR N [SEED]"));
    let n: usize = args.get(2).expect("N").parse().expect("N is a number");
    let seed: u64 = args
        .get(3)
        .map_or(1, |s| s.parse().expect("SEED is a number"));
    let mut rng = Rng(seed);
    let refs = (n / 2).max(2);
    let content = dir.join("content");

    write(
        &dir.join("book.toml"),
        "[site]\ntitle = \"Synthetic companion\"\nbase-url = \"https://example.org/bench/\"\n\n[bibliography]\nfiles = [\"refs.yaml\", \"refs.bib\"]\n",
    );
    write(
        &content.join("index.md"),
        "---\ntitle: Synthetic companion\n---\nSee [[n0]].\n",
    );

    // References: the first half in CSL-YAML, the second in BibTeX.
    let mut yaml = String::from("references:\n");
    let mut bib = String::new();
    for i in 0..refs {
        let len = rng.range(4, 10);
        let title = words(&mut rng, len);
        let year = 1990 + i % 30;
        if i < refs / 2 {
            let _ = write!(
                yaml,
                "- id: {}\n  type: article-journal\n  author: [{{family: Author{i}, given: A}}, {{family: Second{}, given: B}}]\n  issued: {year}\n  title: \"{title}\"\n  container-title: Journal of Things\n  volume: {}\n  issue: {}\n  page: {}-{}\n",
                key(i),
                i % 7,
                i % 50 + 1,
                i % 4 + 1,
                i % 300 + 1,
                i % 300 + 20
            );
        } else {
            let _ = write!(
                bib,
                "@book{{{},\n  author = {{Author{i}, A and Second{}, B}},\n  title = {{{title}}},\n  publisher = {{Press}},\n  location = {{London}},\n  year = {{{year}}}\n}}\n\n",
                key(i),
                i % 7
            );
        }
    }
    write(&dir.join("refs.yaml"), &yaml);
    write(&dir.join("refs.bib"), &bib);

    for t in 0..TENSIONS {
        write(
            &content.join(format!("tensions/t{t}.md")),
            &format!(
                "---\ntitle: Tension {t}\nkind: tension\npoles: [pole{t}a, pole{t}b]\nlevel: {}\nrelated: [t{}]\n---\n{}\n",
                ["experienced", "inherent", "management"][t % 3],
                (t + 1) % TENSIONS,
                sentence(&mut rng)
            ),
        );
    }
    for p in 0..PARTICIPANTS {
        write(
            &content.join(format!("participants/p{p}.md")),
            &format!(
                "---\ntitle: Participant {p}\nkind: participant\nrole: Role {}\n---\n",
                p % 5
            ),
        );
    }
    for q in 0..5 * n {
        let t = rng.below(TENSIONS);
        let pole = if rng.below(2) == 0 { "a" } else { "b" };
        let metaphor = if q % 10 == 0 {
            format!("metaphor: \"{}\"\n", words(&mut rng, 3))
        } else {
            String::new()
        };
        write(
            &content.join(format!("quotes/q{q}.md")),
            &format!(
                "---\ntitle: Quote {q}\nkind: quote\nspeaker: p{}\ntensions:\n  - id: t{t}\n    pole: pole{t}{pole}\n{metaphor}section: Findings\n---\n{}\n",
                rng.below(PARTICIPANTS),
                sentence(&mut rng)
            ),
        );
    }
    for i in 0..n {
        let target = rng.range(300, 1500);
        let mut body = String::new();
        let mut count = 0;
        let mut cites = rng.range(3, 15);
        let mut section = 0;
        while count < target {
            match rng.below(10) {
                0 => {
                    section += 1;
                    let _ = write!(body, "## Section {section} {}\n\n", words(&mut rng, 3));
                    count += 5;
                }
                1 => {
                    for _ in 0..rng.range(2, 5) {
                        let _ = writeln!(body, "- {}", sentence(&mut rng));
                    }
                    body.push('\n');
                    count += 40;
                }
                2 if rng.below(4) == 0 => {
                    body.push_str("| a | b |\n|---|---|\n");
                    for _ in 0..3 {
                        let _ =
                            writeln!(body, "| {} | {} |", words(&mut rng, 2), words(&mut rng, 2));
                    }
                    body.push('\n');
                    count += 15;
                }
                3 => {
                    let _ = write!(body, "> {}\n\n", sentence(&mut rng));
                    count += 14;
                }
                4 if rng.below(8) == 0 => {
                    body.push_str("```rust\nfn main() { println!(\"hello\"); }\n```\n\n");
                    count += 5;
                }
                _ => {
                    let mut para = String::new();
                    for _ in 0..rng.range(3, 6) {
                        para.push_str(&sentence(&mut rng));
                        para.push(' ');
                    }
                    if cites > 0 {
                        para.push_str(&citation(&mut rng, refs));
                        para.push(' ');
                        cites -= 1;
                    }
                    if i > 0 && rng.below(3) == 0 {
                        let _ = write!(para, "See [[n{}]]. ", rng.below(i));
                    }
                    let _ = write!(body, "{}\n\n", para.trim_end());
                    count += 70;
                }
            }
        }
        while cites > 0 {
            let _ = write!(body, "Also {}.\n\n", citation(&mut rng, refs));
            cites -= 1;
        }
        write(
            &content.join(format!("notes/n{i}.md")),
            &format!(
                "---\ntitle: Note {i}\nsummary: {}\n---\n{body}",
                words(&mut rng, 8)
            ),
        );
    }
    eprintln!(
        "wrote {n} notes, {refs} references, {} quotes into {}",
        5 * n,
        dir.display()
    );
}
