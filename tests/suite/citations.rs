//! Citations end to end: the three bibliography formats, the paper's
//! author-date style, links both ways between citations and references,
//! downloads that read back, and Highwire tags.

use std::collections::BTreeMap;

use crate::common::{check_links, snapshot};
use crate::site::SiteTest;
use companion::bibliography::{self, Format, Reference};

const YAML: &str = r#"references:
- id: huxham2005
  type: book
  author: [{family: Huxham, given: C}, {family: Vangen, given: S}]
  issued: 2005
  title: "Managing to collaborate: the theory and practice of collaborative advantage"
  publisher: Routledge
  publisher-place: London
- id: big-society
  type: article-journal
  author: [{family: Alcock, given: P}]
  issued: 2010
  title: "Building the Big Society: a new policy environment for the third sector in England"
  container-title: Voluntary Sector Review
  volume: 1
  issue: 3
  page: 379-389
- id: strategic-unity
  type: article-journal
  author: [{family: Alcock, given: P}]
  issued: 2010
  title: "A strategic unity: defining the third sector in the UK"
  container-title: Voluntary Sector Review
  volume: 1
  issue: 1
  page: 5-24
- id: hogg2011
  type: article-journal
  author: [{family: Hogg, given: E}, {family: Baines, given: S}]
  issued: 2011
  title: "Changing responsibilities and roles of the voluntary and community sector in the welfare mix: a review"
  container-title: Social Policy & Society
  volume: 10
  issue: 3
  page: 341-352
- id: bachmann2009
  type: article-journal
  author: [{family: Bachmann, given: MO}, {family: O'Brien, given: M}, {family: Husbands, given: C}]
  issued: 2009
  title: "Integrating children's services in England: national evaluation of children's trusts"
  container-title: Child Care, Health & Development
  volume: 35
  issue: 2
  page: 257-265
  DOI: 10.1111/j.1365-2214.2008.00928.x
- id: ospina2010
  type: article-journal
  author: [{family: Ospina, given: SM}, {family: Saz-Carranza, given: A}]
  issued: 2010
  title: Paradox and collaboration in network management
  container-title: Administration and Society
  volume: 42
  issue: 4
  page: 404-440
- id: dfe2012
  type: webpage
  author: [{literal: Department for Education}]
  issued: 2012
  title: A new approach for Children's Trust Boards
  URL: http://www.education.gov.uk/a00202982/anewapproach
"#;

const BIB: &str = r#"@book{huxham2005,
  author = {Huxham, C and Vangen, S},
  title = {Managing to collaborate: the theory and practice of collaborative advantage},
  publisher = {Routledge}, location = {London}, year = {2005}
}
@article{big-society,
  author = {Alcock, P},
  title = {Building the {Big Society}: a new policy environment for the third sector in {England}},
  journaltitle = {Voluntary Sector Review}, volume = {1}, number = {3}, pages = {379--389}, date = {2010}
}
@article{strategic-unity,
  author = {Alcock, P},
  title = {A strategic unity: defining the third sector in the {UK}},
  journal = {Voluntary Sector Review}, volume = {1}, number = {1}, pages = {5--24}, year = {2010}
}
@article{hogg2011,
  author = {Hogg, E and Baines, S},
  title = {Changing responsibilities and roles of the voluntary and community sector in the welfare mix: a review},
  journal = {Social Policy \& Society}, volume = {10}, number = {3}, pages = {341--352}, year = {2011}
}
@article{bachmann2009,
  author = {Bachmann, MO and O'Brien, M and Husbands, C},
  title = {Integrating children's services in {England}: national evaluation of children's trusts},
  journal = {Child Care, Health \& Development}, volume = {35}, number = {2}, pages = {257--265}, year = {2009},
  doi = {10.1111/j.1365-2214.2008.00928.x}
}
@article{ospina2010,
  author = {Ospina, SM and Saz-Carranza, A},
  title = {Paradox and collaboration in network management},
  journal = {Administration and Society}, volume = {42}, number = {4}, pages = {404--440}, year = {2010}
}
@online{dfe2012,
  author = {{Department for Education}},
  title = {A new approach for {Children's Trust Boards}},
  url = {http://www.education.gov.uk/a00202982/anewapproach}, year = {2012}
}
"#;

const JSON: &str = r#"[
  {"id": "huxham2005", "type": "book", "author": [{"family": "Huxham", "given": "C"}, {"family": "Vangen", "given": "S"}],
   "issued": {"date-parts": [[2005]]}, "title": "Managing to collaborate: the theory and practice of collaborative advantage",
   "publisher": "Routledge", "publisher-place": "London"},
  {"id": "big-society", "type": "article-journal", "author": [{"family": "Alcock", "given": "P"}], "issued": {"date-parts": [["2010"]]},
   "title": "Building the Big Society: a new policy environment for the third sector in England",
   "container-title": "Voluntary Sector Review", "volume": "1", "issue": "3", "page": "379\u2013389"},
  {"id": "strategic-unity", "type": "article-journal", "author": [{"family": "Alcock", "given": "P"}], "issued": {"date-parts": [[2010]]},
   "title": "A strategic unity: defining the third sector in the UK", "container-title": "Voluntary Sector Review",
   "volume": 1, "issue": 1, "page": "5-24"},
  {"id": "hogg2011", "type": "article-journal", "author": [{"family": "Hogg", "given": "E"}, {"family": "Baines", "given": "S"}],
   "issued": {"date-parts": [[2011]]},
   "title": "Changing responsibilities and roles of the voluntary and community sector in the welfare mix: a review",
   "container-title": "Social Policy & Society", "volume": "10", "issue": "3", "page": "341-352"},
  {"id": "bachmann2009", "type": "article-journal", "author": [{"family": "Bachmann", "given": "MO"}, {"family": "O'Brien", "given": "M"}, {"family": "Husbands", "given": "C"}],
   "issued": {"date-parts": [[2009]]}, "title": "Integrating children's services in England: national evaluation of children's trusts",
   "container-title": "Child Care, Health & Development", "volume": "35", "issue": "2", "page": "257-265",
   "DOI": "10.1111/j.1365-2214.2008.00928.x"},
  {"id": "ospina2010", "type": "article-journal", "author": [{"family": "Ospina", "given": "SM"}, {"family": "Saz-Carranza", "given": "A"}],
   "issued": {"date-parts": [[2010]]}, "title": "Paradox and collaboration in network management",
   "container-title": "Administration and Society", "volume": "42", "issue": "4", "page": "404-440"},
  {"id": "dfe2012", "type": "webpage", "author": [{"literal": "Department for Education"}], "issued": {"date-parts": [[2012]]},
   "title": "A new approach for Children's Trust Boards", "URL": "http://www.education.gov.uk/a00202982/anewapproach"}
]
"#;

/// Notes that cite in every Pandoc form: 11 occurrences in all (5 on the
/// home page, 5 in `more`, 1 in the annotation).
const NOTES: &[(&str, &str)] = &[
    (
        "content/index.md",
        "---\ntitle: Home\n---\n# Start\n\nAs [@huxham2005] show, and [@big-society; @hogg2011] agree.\n\n## Later\n\n@bachmann2009 evaluated the trusts; see also [see @ospina2010, p. 414].\n",
    ),
    (
        "content/notes/more.md",
        "---\ntitle: More\n---\nFirst the strategic unity paper [@strategic-unity], then [@huxham2005, pp. 217-234],\nthe year alone [-@huxham2005, p. 217], @bachmann2009 [p. 258] again,\nand policy [@dfe2012]. `[@huxham2005]` in code is no citation, nor is a@b.org.\n",
    ),
    (
        "content/references/huxham2005.md",
        "---\nkey: huxham2005\n---\nAn annotation that cites [@ospina2010] and links [[more]].\n",
    ),
];
const OCCURRENCES: usize = 11;

fn companion_with(bib_name: &str, bib_text: &str) -> SiteTest {
    let book = format!(
        "[site]\ntitle = \"T\"\nbase-url = \"https://example.org/c/\"\n\n[bibliography]\nfiles = [\"{bib_name}\"]\n\n[paper]\ntitle = \"Collaborating across sector boundaries: a story of tensions and dilemmas\"\nauthors = [\"Jacklin-Jarvis, Carol\"]\njournal = \"Voluntary Sector Review\"\ndate = \"2015\"\nvolume = \"6\"\nissue = \"3\"\npages = \"285-302\"\ndoi = \"10.1332/204080515X14448338369886\"\n"
    );
    let mut files: Vec<(&str, &str)> = vec![("book.toml", &book), (bib_name, bib_text)];
    files.extend_from_slice(NOTES);
    let test = SiteTest::new().files(&files);
    let built = test.build();
    assert!(
        built.diagnostics.is_empty(),
        "{bib_name}: {}",
        built.stderr()
    );
    test
}

/// The text of every `<span class="citation">` of a page, tags removed.
fn citations(html: &str) -> Vec<String> {
    html.split("<span class=\"citation\">")
        .skip(1)
        .map(|rest| strip_tags(&rest[..rest.find("</span>").unwrap()]))
        .collect()
}

fn strip_tags(s: &str) -> String {
    crate::common::text_of(s)
}

#[test]
fn the_three_formats_build_byte_identical_sites() {
    let yaml = companion_with("refs.yaml", YAML);
    let bib = companion_with("refs.bib", BIB);
    let json = companion_with("refs.json", JSON);
    let a = yaml.snapshot();
    assert!(a.contains_key("references/huxham2005/index.html"));
    assert_eq!(a, bib.snapshot(), "YAML and BibTeX");
    assert_eq!(a, json.snapshot(), "YAML and CSL-JSON");
}

#[test]
fn citations_render_in_the_papers_style() {
    let test = companion_with("refs.yaml", YAML);
    let home = test.page("index.html");
    assert_eq!(
        citations(&home),
        [
            "(Huxham and Vangen, 2005)",
            "(Alcock, 2010a; Hogg and Baines, 2011)",
            "Bachmann et al. (2009)",
            "(see Ospina and Saz-Carranza, 2010, p. 414)",
        ]
    );
    let more = test.page("notes/more/index.html");
    assert_eq!(
        citations(&more),
        [
            // Cited first, still 2010b: suffixes follow the bibliography, not the page.
            "(Alcock, 2010b)",
            "(Huxham and Vangen, 2005, pp. 217–234)",
            "(2005, p. 217)",
            "Bachmann et al. (2009, p. 258)",
            "(Department for Education, 2012)",
        ]
    );
    assert!(more.contains("<code>[@huxham2005]</code>"));
    assert!(!more.contains("???"));
}

#[test]
fn every_citation_links_to_its_reference_and_back() {
    let test = companion_with("refs.yaml", YAML);
    let site = test.output();
    let (links, problems) = check_links(&site, "/c/");
    assert!(problems.is_empty(), "{problems:#?}");
    let index = test.page("references/index.html");
    let cited_by: Vec<String> = crate::common::attr_values(&index, "href")
        .into_iter()
        .filter(|h| h.contains("#cite-"))
        .collect();
    assert_eq!(
        cited_by.len(),
        OCCURRENCES,
        "one 'cited by' link per occurrence"
    );
    // Each of them lands on a distinct citation element (checked to exist above).
    let distinct: std::collections::BTreeSet<_> = cited_by.iter().collect();
    assert_eq!(distinct.len(), OCCURRENCES);
    // And every citation on the citing pages is one of those targets.
    let cites = citation_anchors(&site);
    assert_eq!(cites, OCCURRENCES);
    assert!(links
        .iter()
        .any(|l| l.href.ends_with("references/huxham2005/index.html")));

    let home = test.page("index.html");
    assert!(home.contains(
        "<a class=\"cite\" id=\"cite-huxham2005-1\" href=\"references/huxham2005/index.html\" title=\"Huxham, C, Vangen, S, 2005, Managing to collaborate: the theory and practice of collaborative advantage, London: Routledge\">Huxham and Vangen, 2005</a>"
    ), "citation link with the entry as tooltip");
    // The reference page lists where it is cited, with section and locator.
    let page = test.page("references/huxham2005/index.html");
    assert!(page.contains("<a class=\"cited-by\" href=\"../../index.html#cite-huxham2005-1\">Home</a> › Start</li>"), "{page}");
    assert!(page.contains("<a class=\"cited-by\" href=\"../../notes/more/index.html#cite-huxham2005-2\">More</a>, p. 217</li>"), "{page}");
    // The annotation is on the page, with its own citation and link.
    assert!(page.contains("An annotation that cites"));
    assert!(page.contains("href=\"../../notes/more/index.html\" title=\"More\">More</a>"));
    let ospina = test.page("references/ospina2010/index.html");
    assert!(
        ospina.contains(
            "href=\"../huxham2005/index.html#cite-ospina2010-1\">Managing to collaborate"
        ),
        "{ospina}"
    );
}

#[test]
fn index_lists_entries_in_style_order_with_doi_and_url_links() {
    let test = companion_with("refs.yaml", YAML);
    let index = test.page("references/index.html");
    let order: Vec<usize> = [
        "Alcock, P, 2010a",
        "Alcock, P, 2010b",
        "Bachmann, MO",
        "Department for Education",
        "Hogg, E",
        "Huxham, C",
        "Ospina, SM",
    ]
    .iter()
    .map(|s| index.find(s).unwrap_or_else(|| panic!("{s} missing")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "style order: {order:?}"
    );
    assert!(index.contains("<li id=\"ref-bachmann2009\">"));
    assert!(index.contains("<a href=\"https://doi.org/10.1111/j.1365-2214.2008.00928.x\">"));
    assert!(index.contains("<a href=\"http://www.education.gov.uk/a00202982/anewapproach\">"));
    // Per-page bibliography at the foot of a citing page.
    let home = test.page("index.html");
    let works = &home[home.find("id=\"works-cited\"").expect("works cited")..];
    let works = &works[..works.find("</section>").unwrap()];
    for key in [
        "big-society",
        "bachmann2009",
        "hogg2011",
        "huxham2005",
        "ospina2010",
    ] {
        assert!(
            works.contains(&format!("href=\"references/{key}/index.html\"")),
            "{key}"
        );
    }
    assert!(
        !works.contains("strategic-unity/"),
        "only what the page cites"
    );
}

fn refs_of(text: &str, format: Format) -> BTreeMap<String, Reference> {
    let (refs, diags) = match format {
        Format::Bibtex => bibliography::bibtex::parse("x", text),
        f => bibliography::csl::parse("x", text, f),
    };
    assert!(diags.is_empty(), "{diags:?}");
    refs.into_iter().map(|(r, _)| (r.key.clone(), r)).collect()
}

/// RIS as tag → values, per record.
fn ris_records(text: &str) -> Vec<BTreeMap<String, Vec<String>>> {
    let mut out = Vec::new();
    let mut current = BTreeMap::new();
    for line in text.lines() {
        let (tag, value) = line
            .split_once("  - ")
            .unwrap_or((line.trim_end_matches("  -"), ""));
        if tag == "ER" {
            out.push(std::mem::take(&mut current));
        } else {
            current
                .entry(tag.to_string())
                .or_insert_with(Vec::new)
                .push(value.to_string());
        }
    }
    out
}

#[test]
fn downloads_read_back_to_the_same_keys_and_fields() {
    let test = companion_with("refs.yaml", YAML);
    let source = refs_of(YAML, Format::Yaml);
    assert_eq!(
        refs_of(&test.page("references/references.bib"), Format::Bibtex),
        source
    );
    assert_eq!(
        refs_of(&test.page("references/references.json"), Format::Json),
        source
    );
    let ris = ris_records(&test.page("references/references.ris"));
    assert_eq!(ris.len(), source.len());
    for rec in &ris {
        let r = &source[&rec["ID"][0]];
        assert_eq!(rec["TI"], [r.field("title").unwrap()]);
        assert_eq!(rec["PY"], [r.year().unwrap().to_string()]);
        let authors: Vec<String> = r.names["author"].iter().map(|n| n.inverted()).collect();
        assert_eq!(rec["AU"], authors);
        if let Some(p) = r.field("page") {
            let (sp, ep) = p.split_once('-').unwrap();
            assert_eq!((rec["SP"][0].as_str(), rec["EP"][0].as_str()), (sp, ep));
        }
    }
    // One entry's own files.
    let one = refs_of(
        &test.page("references/bachmann2009/bachmann2009.bib"),
        Format::Bibtex,
    );
    assert_eq!(one["bachmann2009"], source["bachmann2009"]);
    let page = test.page("references/bachmann2009/index.html");
    for f in ["bachmann2009.bib", "bachmann2009.ris", "bachmann2009.json"] {
        assert!(page.contains(&format!("href=\"{f}\" download")), "{f}");
    }
}

#[test]
fn highwire_tags_describe_the_reference_or_the_paper() {
    let test = companion_with("refs.yaml", YAML);
    let page = test.page("references/bachmann2009/index.html");
    for tag in [
        "<meta name=\"citation_title\" content=\"Integrating children&#39;s services in England: national evaluation of children&#39;s trusts\">",
        "<meta name=\"citation_author\" content=\"Bachmann, MO\">",
        "<meta name=\"citation_author\" content=\"Husbands, C\">",
        "<meta name=\"citation_publication_date\" content=\"2009\">",
        "<meta name=\"citation_journal_title\" content=\"Child Care, Health &amp; Development\">",
        "<meta name=\"citation_firstpage\" content=\"257\">",
        "<meta name=\"citation_lastpage\" content=\"265\">",
        "<meta name=\"citation_doi\" content=\"10.1111/j.1365-2214.2008.00928.x\">",
    ] {
        assert!(page.contains(tag), "{tag}");
    }
    assert!(
        !page.contains("Jacklin-Jarvis, Carol\">"),
        "a reference page describes the reference"
    );
    let home = test.page("index.html");
    for tag in [
        "<meta name=\"citation_title\" content=\"Collaborating across sector boundaries: a story of tensions and dilemmas\">",
        "<meta name=\"citation_author\" content=\"Jacklin-Jarvis, Carol\">",
        "<meta name=\"citation_journal_title\" content=\"Voluntary Sector Review\">",
        "<meta name=\"citation_volume\" content=\"6\">",
        "<meta name=\"citation_issue\" content=\"3\">",
        "<meta name=\"citation_firstpage\" content=\"285\">",
        "<meta name=\"citation_doi\" content=\"10.1332/204080515X14448338369886\">",
    ] {
        assert!(home.contains(tag), "{tag}");
    }
    let cite_box = &home[home
        .find("<aside class=\"cite-this\"")
        .expect("cite this box")..];
    assert!(cite_box.contains("‘Home’, in <i>T</i>, <a href=\"https://example.org/c/\">"));
    // The paper as its own reference list writes an entry, DOI included.
    assert!(
        cite_box.contains("Jacklin-Jarvis, C, 2015, Collaborating across sector boundaries"),
        "{cite_box}"
    );
    assert!(cite_box.contains(
        "<a href=\"https://doi.org/10.1332/204080515X14448338369886\">https://doi.org/10.1332/204080515X14448338369886</a>"
    ), "{cite_box}");
}

#[test]
fn style_is_configurable() {
    let mut files: Vec<(&str, &str)> = vec![
        (
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"apa\"\n",
        ),
        ("refs.yaml", YAML),
    ];
    files.extend_from_slice(NOTES);
    let test = SiteTest::new().files(&files);
    test.build().succeeded();
    let home = test.page("index.html");
    assert_eq!(citations(&home)[0], "(Huxham & Vangen, 2005)");

    // A project's own .csl file.
    let csl = companion::csl::DEFAULT_STYLE.replace("delimiter=\"; \"", "delimiter=\" | \"");
    test.change_files(&[
        ("styles/mine.csl", &csl),
        ("book.toml", "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"styles/mine.csl\"\n"),
    ]);
    test.build().succeeded();
    assert_eq!(
        citations(&test.page("index.html"))[1],
        "(Alcock, 2010a | Hogg and Baines, 2011)"
    );

    test.change_files(&[("book.toml", "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"no-such-style\"\n")]);
    let r = test.run(&["build"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no bundled style `no-such-style`"),
        "{}",
        r.stderr
    );
}

/// The real Zotero exports in `tests/data/realworld/` read without error
/// and keep their edge cases.
#[test]
fn real_zotero_exports_import() {
    let dir = crate::common::repo().join("tests/data/realworld");
    assert!(
        dir.is_dir(),
        "the real-world exports are expected at {}",
        dir.display()
    );
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let big = refs_of(&read("zotero-big-library.biblatex.bib"), Format::Bibtex);
    assert_eq!(big.len(), 1241);
    let particles = refs_of(&read("name-particles-313.bib"), Format::Bibtex);
    assert_eq!(particles.len(), 51);
    let zotero = refs_of(&read("zotero-user-library-1179.csl.json"), Format::Json);
    assert_eq!(zotero.len(), 26);
    assert!(zotero.contains_key("timeusa2019a"));
    let dates = refs_of(&read("date-edge-cases-811.csl.json"), Format::Json);
    assert_eq!(dates.len(), 15);
    let accents = refs_of(&read("latex-accents-152.bib"), Format::Bibtex);
    let r = accents.values().next().unwrap();
    assert!(
        r.names["author"]
            .iter()
            .any(|n| n.given.as_deref() == Some("Časlav")),
        "{:?}",
        r.names
    );
    // Escaped braces balanced BibTeX's way (`\vphantom{\{}\}`).
    let braces = refs_of(&read("brace-balancer.bib"), Format::Bibtex);
    assert_eq!(braces.len(), 1);
    assert!(braces.values().next().unwrap().field("title").is_some());
    let oecd = refs_of(&read("html-entities-253.bib"), Format::Bibtex);
    let r = oecd.values().next().unwrap();
    assert_eq!(r.names["author"][0].literal.as_deref(), Some("OECD"));
}

/// The shipped companion cites all works of the paper's reference list,
/// and its citation index has one "cited by" link per citation.
#[test]
fn shipped_companion_cites_every_reference_both_ways() {
    let test = SiteTest::shipped();
    test.build().clean();
    let site = test.output();
    let index = std::fs::read_to_string(site.join("references/index.html")).unwrap();
    // The paper's 68 references and the 5 works its text cites without listing.
    assert_eq!(
        index.matches("<li id=\"ref-").count(),
        73,
        "all entries listed"
    );
    let cited_by = index.matches("<a class=\"cited-by\"").count();
    let cites = citation_anchors(&site);
    assert!(cites >= 68, "{cites}");
    assert_eq!(cited_by, cites);
    // Every entry is cited at least once.
    for entry in index.split("<li id=\"ref-").skip(1) {
        let entry = &entry[..entry.find("</ol>").unwrap_or(entry.len())];
        assert!(
            entry.contains("class=\"cited-by\""),
            "uncited: {}",
            &entry[..40]
        );
    }
    let (_, problems) = check_links(&site, "/companion/");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn numeric_styles_number_by_first_citation_and_note_styles_are_refused() {
    let refs = "- id: zed2010\n  type: book\n  author: [{family: Zed, given: A}]\n  issued: 2010\n  title: Zed book\n- id: abel2011\n  type: book\n  author: [{family: Abel, given: B}]\n  issued: 2011\n  title: Abel book\n- id: pc\n  type: personal_communication\n  author: [{family: Cole, given: C}]\n  issued: 2012\n  title: A letter\n";
    let test = SiteTest::new()
        .file(
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"ieee\"\n",
        )
        .file("refs.yaml", refs)
        .file(
            "content/index.md",
            "---\ntitle: Home\n---\nFirst [@abel2011], then [@zed2010, p. 4] and [@pc].\n",
        );
    test.build().succeeded();
    let home = test.page("index.html");
    let cites = citations(&home);
    assert_eq!(cites[0], "[1]", "{cites:?}");
    assert!(cites[1].starts_with("[2"), "{cites:?}");

    // APA leaves personal communications out of its list: the entry still
    // has text for its tooltip and pages.
    test.change_files(&[(
        "book.toml",
        "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"apa\"\n",
    )]);
    test.build().succeeded();
    let home = test.page("index.html");
    assert!(home.contains("title=\"Cole, C, 2012, A letter\""), "{home}");

    test.change_files(&[("book.toml", "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"chicago-notes\"\n")]);
    let r = test.run(&["build"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("footnotes"), "{}", r.stderr);
}

/// How many citation anchors (`<a class="cite" id="cite-…">`) the pages of
/// `site` hold.
fn citation_anchors(site: &std::path::Path) -> usize {
    snapshot(site)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(_, bytes)| {
            String::from_utf8(bytes)
                .unwrap()
                .matches("<a class=\"cite\" id=\"cite-")
                .count()
        })
        .sum()
}

/// Year suffixes stay when other works of the bibliography are told apart
/// by given names: two Latour 1987 works cited, two uncited Haraway 1994
/// works by `Haraway, Donna Jeanne` and `Haraway, D.` (real entries), all
/// listed. Each citation carries its suffix, the same as its entry's, and
/// the entries keep their authors' given names.
#[test]
fn year_suffixes_survive_given_name_disambiguation_elsewhere() {
    let bib = std::fs::read_to_string(
        crate::common::repo().join("tests/data/realworld/latour-haraway-excerpt.bib"),
    )
    .unwrap();
    for (style, sep) in [("apa", ", "), ("chicago-author-date", " ")] {
        let test = SiteTest::new()
        .file("book.toml", &format!("[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.bib\"]\nstyle = \"{style}\"\nnocite = [\"*\"]\n"))
        .file("refs.bib", &bib)
        .file("content/index.md", "---\ntitle: Home\n---\nSee [@Latour1987ScienceAction] and [@Latour1987EnlightenmentCritique].\n");
        test.build().succeeded();
        let home = test.page("index.html");
        let mut cites: Vec<String> = citations(&home)
            .iter()
            .map(|c| c.trim_matches(['(', ')']).to_string())
            .collect();
        // Each citation's tooltip is its entry: the suffix must agree.
        for (cite, chunk) in cites.iter().zip(home.split("class=\"cite\"").skip(1)) {
            let suffix = &cite[cite.len() - 5..];
            let title = &chunk[chunk.find("title=\"").unwrap()..];
            let title = &title[..title.find("\">").unwrap()];
            assert!(title.contains(suffix), "{style}: {cite} vs {title}");
        }
        cites.sort();
        assert_eq!(
            cites,
            [format!("Latour{sep}1987a"), format!("Latour{sep}1987b")],
            "{style}"
        );
        let list = strip_tags(&test.page("references/index.html"));
        assert!(list.contains("Haraway, D"), "{style}: {list}");
        assert!(
            !list.contains("Haraway."),
            "{style}: given names kept: {list}"
        );
    }
    // APA's list order puts the book (1987) before the article (1987-03),
    // as Pandoc does: the book is 1987a.
    let test = SiteTest::new()
        .file("book.toml", "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.bib\"]\nstyle = \"apa\"\nnocite = [\"*\"]\n")
        .file("refs.bib", &bib)
        .file("content/index.md", "---\ntitle: Home\n---\nSee [@Latour1987ScienceAction] and [@Latour1987EnlightenmentCritique].\n");
    test.build().succeeded();
    assert_eq!(
        citations(&test.page("index.html")),
        ["(Latour, 1987a)", "(Latour, 1987b)"]
    );
}

/// Only cited works are listed by default, as with Pandoc and LaTeX;
/// `nocite` lists more, by key or `"*"` for all; an unknown `nocite` key
/// is an error with a did-you-mean.
#[test]
fn only_cited_works_are_listed_unless_nocite_says_more() {
    let refs = "- id: cited2001\n  type: book\n  author: [{family: Able, given: Ann}]\n  issued: 2001\n  title: Cited\n- id: named2002\n  type: book\n  author: [{family: Best, given: Bo}]\n  issued: 2002\n  title: Named\n- id: other2003\n  type: book\n  author: [{family: Cole, given: Cy}]\n  issued: 2003\n  title: Other\n";
    let listed = |nocite: &str| {
        let test = SiteTest::new()
            .file(
                "book.toml",
                &format!(
                    "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\n{nocite}"
                ),
            )
            .file("refs.yaml", refs)
            .file(
                "content/index.md",
                "---\ntitle: Home\n---\nAs [@cited2001] shows.\n",
            );
        let r = test.run(&["build"]);
        let index = std::fs::read_to_string(test.root().join("site/references/index.html"))
            .unwrap_or_default();
        let ids: Vec<String> = index
            .split("<li id=\"ref-")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect();
        let pages: Vec<bool> = ["cited2001", "named2002", "other2003"]
            .iter()
            .map(|k| {
                test.root()
                    .join(format!("site/references/{k}/index.html"))
                    .exists()
            })
            .collect();
        (r, ids, pages)
    };
    let (r, ids, pages) = listed("");
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(ids, ["cited2001"]);
    assert_eq!(pages, [true, false, false]);
    let (r, ids, _) = listed("nocite = [\"named2002\"]\n");
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(ids, ["cited2001", "named2002"]);
    let (r, ids, pages) = listed("nocite = [\"*\"]\n");
    assert_eq!(r.code, 0);
    assert_eq!(ids, ["cited2001", "named2002", "other2003"]);
    assert_eq!(pages, [true, true, true]);
    assert!(
        r.stderr.contains(
            "2 references are listed by `nocite = [\"*\"]` but never cited: named2002, other2003"
        ),
        "{}",
        r.stderr
    );
    let (r, _, _) = listed("nocite = [\"nmaed2002\"]\n");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("book.toml:6:12: error: `nocite` names `nmaed2002`, which no bibliography file holds\n  = help: did you mean `named2002`?"),
        "{}",
        r.stderr
    );
}

/// `companion styles` lists every bundled style with its class and whether
/// a site can use it; an unknown name gets the closest names.
#[test]
fn styles_are_listed_and_misspelt_names_get_suggestions() {
    let test = SiteTest::empty();
    let r = test.run(&["styles"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = |name: &str| {
        r.stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} listed:\n{}", r.stdout))
            .split_whitespace()
            .skip(1)
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("voluntary-sector-review"), "author-date yes");
    assert_eq!(line("chicago-author-date"), "author-date yes");
    assert_eq!(line("nlm-citation-sequence"), "numeric yes");
    assert_eq!(line("chicago-notes"), "note no:");
    assert!(r.stdout.lines().count() > 50);

    for (name, help) in [
        (
            "chicago",
            "did you mean one of `chicago-author-date`, `chicago-notes`",
        ),
        ("harvard", "did you mean `harvard-cite-them-right`?"),
        ("APA", "did you mean `apa`?"),
    ] {
        let test = SiteTest::new()
        .file("book.toml", &format!("[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"{name}\"\n"))
        .file("refs.yaml", "- id: a\n  type: book\n  title: A\n")
        .file("content/index.md", "---\ntitle: Home\n---\n[@a]\n");
        let r = test.run(&["build"]);
        assert_eq!(r.code, 2);
        assert!(
            r.stderr
                .contains(&format!("no bundled style `{name}`\n  = help: {help}")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("`companion styles` lists them all"));
    }
}

/// Numeric styles: the reference list of `vancouver` shows the authors
/// (its author macro leaves `cs:name` out), a narrative citation is the
/// authors followed by the number, and a work listed only by `nocite` is
/// formatted by the style too.
#[test]
fn numeric_styles_keep_authors_and_name_them_in_narrative_citations() {
    let refs = "- id: mol2008\n  type: book\n  author: [{family: Mol, given: Annemarie}]\n  issued: 2008\n  title: The logic of care\n  publisher: Routledge\n- id: berg1997\n  type: article-journal\n  author: [{family: Berg, given: Marc}, {family: Mol, given: Annemarie}]\n  issued: 1997\n  title: Differences in medicine\n  container-title: Social Studies of Science\n  volume: 27\n  page: 1-40\n- id: law2004\n  type: book\n  author: [{family: Law, given: John}, {family: Mol, given: Annemarie}, {family: Moser, given: Ingunn}]\n  issued: 2004\n  title: After method\n  publisher: Routledge\n- id: uncited2000\n  type: book\n  author: [{family: Zed, given: Zoe}]\n  issued: 2000\n  title: Never cited\n  publisher: Press\n";
    for (style, open, close) in [("vancouver", "(", ")"), ("ieee", "[", "]")] {
        let test = SiteTest::new()
        .file("book.toml", &format!("[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"{style}\"\nnocite = [\"uncited2000\"]\n"))
        .file("refs.yaml", refs)
        .file("content/index.md", "---\ntitle: Home\n---\nFollowing @mol2008 [pp. 196-223] and @berg1997 [chap. 3], with @law2004, we treat [@mol2008].\n");
        let built = test.build();
        assert!(built.diagnostics.is_empty(), "{style}: {}", built.stderr());
        let cites = citations(&test.page("index.html"));
        assert!(
            cites[0].starts_with(&format!("Mol {open}1")),
            "{style}: {cites:?}"
        );
        assert!(cites[0].ends_with(close), "{style}: {cites:?}");
        assert!(
            cites[1].starts_with(&format!("Berg and Mol {open}2")),
            "{style}: {cites:?}"
        );
        assert!(
            cites[2].starts_with(&format!("Law et al. {open}3")),
            "{style}: {cites:?}"
        );
        let list = strip_tags(&test.page("references/index.html"));
        for family in ["Mol", "Berg", "Law", "Zed"] {
            assert!(list.contains(family), "{style}: {family} in {list}");
        }
        assert!(
            !list.contains("Zed, Zoe, 2000"),
            "{style}: formatted by the style: {list}"
        );
    }
    // The shipped companion (CSL-YAML) in Vancouver keeps every author.
    let test = SiteTest::shipped();
    let book = std::fs::read_to_string(test.root().join("book.toml")).unwrap();
    std::fs::write(
        test.root().join("book.toml"),
        book.replace(
            "[bibliography]\n",
            "[bibliography]\nstyle = \"vancouver\"\n",
        ),
    )
    .unwrap();
    test.build().succeeded();
    let list = strip_tags(&test.page("references/index.html"));
    assert!(list.contains("Huxham C, Vangen S."), "{list}");
}

/// Title case keeps small words small after a comma, as CSL's title case
/// does ("Practices, Techniques, and Bodies", not "…, And Bodies").
#[test]
fn title_case_keeps_small_words_after_a_comma() {
    let test = SiteTest::new()
        .file("book.toml", "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"chicago-author-date\"\n")
        .file("refs.yaml", "- id: berg1998\n  type: book\n  author: [{family: Berg, given: Marc}]\n  issued: 1998\n  title: \"Differences in medicine: unraveling practices, techniques, and bodies\"\n  publisher: Duke University Press\n")
        .file("content/index.md", "---\ntitle: Home\n---\n[@berg1998]\n");
    test.build().succeeded();
    let list = strip_tags(&test.page("references/index.html"));
    assert!(
        list.contains("Differences in Medicine: Unraveling Practices, Techniques, and Bodies."),
        "{list}"
    );
}

/// Each entry and citation stands alone on a page a reader reaches from a
/// link: a repeated author is named, not replaced by `———` (Turabian) or
/// nothing (AAA); no citation reads `ebd.` (ibid.); and two undated works by
/// one author read apart even in a style that gives them no date text
/// (`Smith ()` twice in Annual Reviews) or its own (`n. d.`, `[S.d.]`).
#[test]
fn entries_and_citations_stand_alone_on_their_pages() {
    let refs = "- id: mol2008\n  type: book\n  author: [{family: Mol, given: Annemarie}]\n  issued: 2008\n  title: The logic of care\n  publisher: Routledge\n- id: mol2002\n  type: book\n  author: [{family: Mol, given: Annemarie}]\n  issued: 2002\n  title: The body multiple\n  publisher: Duke\n- id: und1\n  type: book\n  author: [{family: Smith, given: John}]\n  title: An undated book\n  publisher: P\n- id: und2\n  type: book\n  author: [{family: Smith, given: John}]\n  title: Another undated book\n  publisher: P\n";
    let note = "---\ntitle: Home\n---\nAs @mol2008 shows [@mol2008, p. 3]; see @mol2002, @und1 and @und2 [@und1; @und2].\n";
    for (style, nd) in [
        ("turabian-author-date", "n.d."),
        ("american-anthropological-association", "n.d."),
        ("annual-reviews-author-date", "n.d."),
        ("american-meteorological-society", "n.d."),
        ("deutsche-sprache", "o.\u{a0}J."),
        ("deutsche-gesellschaft-für-psychologie", "n. d."),
        ("associacao-brasileira-de-normas-tecnicas", "[S.d.]"),
    ] {
        let test = SiteTest::new()
        .file("book.toml", &format!("[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"{style}\"\n"))
        .file("refs.yaml", refs)
        .file("content/index.md", note);
        let built = test.build();
        assert!(built.diagnostics.is_empty(), "{style}: {}", built.stderr());
        let cites: Vec<String> = citations(&test.page("index.html"))
            .iter()
            .map(|c| strip_tags(c))
            .collect();
        assert!(cites[0].starts_with("Mol (2008"), "{style}: {cites:?}");
        assert!(
            cites
                .iter()
                .all(|c| !c.contains("bd.") && !c.contains("bid")),
            "{style}: {cites:?}"
        );
        let (a, b) = (format!("{nd}-a"), format!("{nd}-b"));
        assert!(
            cites[3].contains(&a) && cites[4].contains(&b),
            "{style}: {cites:?}"
        );
        assert!(
            cites[5].contains(&a) && cites[5].contains(&b),
            "{style}: {cites:?}"
        );
        for (slug, shows) in [("mol2002", "Mol"), ("mol2008", "Mol"), ("und2", "Smith")] {
            let page = test.page(&format!("references/{slug}/index.html"));
            let at = page.find("class=\"entry\"").expect("an entry");
            let entry = strip_tags(&page[at..at + page[at..].find("</p>").unwrap()]);
            assert!(
                entry.to_lowercase().contains(&shows.to_lowercase()),
                "{style}: {slug}: {entry}"
            );
        }
        let list = strip_tags(&test.page("references/index.html"));
        assert!(
            !list.contains("———") && !list.contains("——"),
            "{style}: {list}"
        );
        assert_eq!(
            list.matches("Smith").count() + list.matches("SMITH").count(),
            2,
            "{style}: {list}"
        );
    }
}

/// hayagriva leaves a group's delimiter before a part that prints nothing
/// (Chicago: `Past and Present 6 : 1–40` for an article without an issue;
/// APA: `(2013,)` for a document dated by its year alone).
/// The stray space goes; a space the style writes itself (ISO 690's
/// `London : Routledge`) and one inside a title stay.
#[test]
fn no_stray_space_before_punctuation_the_style_never_spaces() {
    let refs = "- id: latour1986\n  type: article-journal\n  author: [{family: Latour, given: Bruno}]\n  issued: 1986\n  title: 'Visualisation et cognition : les choses ensemble'\n  container-title: Knowledge and Society\n  volume: 6\n  page: 1-40\n- id: mol2008\n  type: book\n  author: [{family: Mol, given: Annemarie}]\n  issued: 2008\n  title: The logic of care\n  publisher: Routledge\n  publisher-place: London\n- id: kommune2013\n  type: document\n  author: [{literal: Fredensborg Kommune}]\n  issued: 2013\n  title: Invitation til borgermøde\n";
    for (style, wanted) in [
        (
            "apa",
            &["Fredensborg Kommune. (2013). Invitation til borgermøde."][..],
        ),
        (
            "chicago-author-date",
            &["Knowledge and Society 6: 1–40", "cognition : les"][..],
        ),
        (
            "iso-690-numeric",
            &["London\u{a0}: Routledge", "cognition : les"][..],
        ),
    ] {
        let test = SiteTest::new()
        .file("book.toml", &format!("[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"{style}\"\n"))
        .file("refs.yaml", refs)
        .file("content/index.md", "---\ntitle: Home\n---\n[@latour1986; @mol2008; @kommune2013]\n");
        let built = test.build();
        assert!(built.diagnostics.is_empty(), "{style}: {}", built.stderr());
        let list = strip_tags(&test.page("references/index.html"));
        for w in wanted {
            // Chicago sets titles in title case.
            let found = list.to_lowercase().contains(&w.to_lowercase());
            assert!(found, "{style}: `{w}` in {list}");
        }
        assert!(!list.contains(" 6 :"), "{style}: {list}");
        assert!(!list.contains(",)"), "{style}: {list}");
    }
}

/// One author's works of one year follow their titles in APA, whatever
/// their kinds: a document's date key shows its month and day, which it
/// lacks, and those missing parts no longer sort it after a book.
#[test]
fn one_authors_works_of_one_year_follow_their_titles() {
    let refs = "- id: kommuneplan\n  type: book\n  author: [{literal: Fredensborg Kommune}]\n  issued: 2013\n  title: Kommuneplan 2013\n  publisher: Fredensborg Kommune\n- id: borgermode\n  type: document\n  author: [{literal: Fredensborg Kommune}]\n  issued: 2013\n  title: Borgermøde 4 februar 2013\n- id: talepapir\n  type: document\n  author: [{literal: Fredensborg Kommune}]\n  issued: 2013\n  title: '\"Talepapir\" til borgmesteren'\n- id: byens\n  type: report\n  author: [{literal: Fredensborg Kommune}]\n  issued: 2013\n  title: Byens Hus\n";
    let test = SiteTest::new()
        .file(
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\nstyle = \"apa\"\n",
        )
        .file("refs.yaml", refs)
        .file(
            "content/index.md",
            "---\ntitle: Home\n---\n[@kommuneplan; @borgermode; @talepapir; @byens]\n",
        );
    test.build().clean();
    let list = strip_tags(&test.page("references/index.html"));
    let at = |title: &str| {
        list.find(title)
            .unwrap_or_else(|| panic!("{title} in {list}"))
    };
    assert!(at("Borgermøde") < at("Byens Hus"), "{list}");
    assert!(at("Byens Hus") < at("Kommuneplan"), "{list}");
    assert!(at("Kommuneplan") < at("Talepapir"), "{list}");
    for (letter, title) in [
        ('a', "Borgermøde"),
        ('b', "Byens"),
        ('c', "Kommuneplan"),
        ('d', "Talepapir"),
    ] {
        assert!(
            list.contains(&format!("(2013{letter}). {title}"))
                || list.contains(&format!("(2013{letter}). “{title}"))
                || list.contains(&format!("(2013{letter}). \"{title}")),
            "{letter} {title}: {list}"
        );
    }
}
