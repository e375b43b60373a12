//! The pictures of the analysis on the shipped companion: the tension
//! map, the co-occurrence heat map, the participant × tension matrix and
//! the references by year. Each is inline SVG with a title, a description
//! and a table or list beside it, and every element that counts quotes
//! links to exactly those quotes.

use std::collections::BTreeMap;

use crate::common::{attr_values, built_shipped_site, check_links, read};

/// The `<svg class="chart chart-<kind>"…>…</svg>` of a page.
fn svg<'a>(html: &'a str, kind: &str) -> &'a str {
    let start = html
        .find(&format!("<svg class=\"chart chart-{kind}"))
        .unwrap_or_else(|| panic!("no {kind} picture"));
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

/// The quote links listed under the element with id `id` on a page: the
/// `<li>`s up to the next heading.
fn listed_under(html: &str, id: &str) -> Vec<String> {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no id {id}"));
    let rest = &html[at..];
    let rest = &rest[rest.find('>').unwrap()..];
    let end = rest
        .find("<h3")
        .or_else(|| rest.find("</section>"))
        .unwrap();
    attr_values(&rest[..end], "href")
        .into_iter()
        .filter(|h| h.contains("quotes/"))
        .collect()
}

/// Each cell of a heat map: its count and its link (if any).
fn cells(svg: &str) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        if !part.contains("chart-count") && !part.contains("chart-heat") {
            continue;
        }
        let text = &part[part.find('>').unwrap() + 1..part.find("</text>").unwrap()];
        if let Ok(n) = text.trim().parse::<usize>() {
            out.push((n, None));
        }
    }
    out
}

#[test]
fn pictures_of_the_analysis_link_to_what_they_count() {
    let (_dir, site) = built_shipped_site();
    let tensions = read(&site.join("tensions/index.html"));
    let map = svg(&tensions, "tension-map");
    for must in [
        "role=\"group\"",
        "aria-labelledby=\"tension-map-picture-title\"",
        "<desc id=\"tension-map-picture-desc\">5 tensions in 3 levels",
    ] {
        assert!(map.contains(must), "{must} in {map}");
    }
    // Every tension of the list is a link in the map, with its count.
    for (href, label) in [
        ("agency-dependency/index.html", "7 quotes"),
        ("power/index.html", "2 quotes"),
        ("values-pragmatism/index.html", "1 quote"),
    ] {
        assert!(map.contains(&format!("href=\"{href}\"")), "{href}");
        assert!(map.contains(&format!(">{label}<")), "{label}");
    }
    // A pole links to where its quotes start on the tension's page.
    assert!(map.contains("href=\"agency-dependency/index.html#pole-agency\""));
    let ad = read(&site.join("tensions/agency-dependency/index.html"));
    assert!(ad.contains("<h3 id=\"pole-agency\">Leaning to agency</h3>"));

    // The heat map: a cell counting quotes coded with both tensions links
    // to a list of exactly that many quotes, each carrying both tensions.
    let heat = svg(&tensions, "heat-map");
    assert!(heat.contains("href=\"agency-dependency/index.html#with-power\""));
    let shared = listed_under(&ad, "with-power");
    assert_eq!(shared.len(), 2, "{shared:?}");
    for q in &shared {
        let quote = read(
            &site
                .join("tensions/agency-dependency")
                .join(q.replace("index.html", ""))
                .join("index.html"),
        );
        assert!(
            quote.contains("href=\"../../tensions/power/index.html\""),
            "{q} is coded power"
        );
        assert!(quote.contains("href=\"../../tensions/agency-dependency/index.html\""));
    }
    // The table beside it has the same numbers as the picture.
    let table = &tensions[tensions.find("<table class=\"cooccurrence\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let table_counts: Vec<usize> = table
        .split("<td>")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].parse().unwrap())
        .collect();
    let picture_counts: Vec<usize> = cells(heat).into_iter().map(|(n, _)| n).collect();
    assert_eq!(picture_counts, table_counts);
    assert_eq!(table_counts.len(), 25);

    // The matrix: Colin's quotes by tension, each list as long as its cell.
    let people = read(&site.join("participants/index.html"));
    let matrix = svg(&people, "heat-map");
    assert!(matrix.contains("href=\"colin/index.html#tension-agency-dependency\""));
    let colin = read(&site.join("participants/colin/index.html"));
    let listed = listed_under(&colin, "tension-agency-dependency");
    let table = &people[people.find("<table class=\"matrix\"").unwrap()..];
    let row = &table[table.find(">Colin</a></th>").unwrap()..];
    let first: usize = row[row.find("<td>").unwrap() + 4..row.find("</td>").unwrap()]
        .parse()
        .unwrap();
    assert_eq!(listed.len(), first, "Colin × Agency/Dependency: {listed:?}");
    assert!(first > 0);

    // On a tension page, the years of the works it cites: each bar leads
    // to a work of that year in its works cited.
    let years = svg(&ad, "histogram");
    let bars = attr_values(years, "href");
    assert!(!bars.is_empty());
    for bar in &bars {
        let id = bar.strip_prefix("#cited-").expect("a work cited here");
        let item = &ad[ad
            .find(&format!("<li id=\"cited-{id}\">"))
            .unwrap_or_else(|| panic!("{id}"))..];
        let item = &item[..item.find("</li>").unwrap()];
        let year = years[years.find(&format!("href=\"{bar}\"")).unwrap()..]
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split(':').next())
            .unwrap()
            .to_string();
        assert!(item.contains(&year), "{id} is from {year}: {item}");
    }

    // References by year: a bar per year, linking to the year's works.
    let refs = read(&site.join("references/index.html"));
    let years = svg(&refs, "histogram");
    let bars: Vec<String> = attr_values(years, "href");
    assert!(!bars.is_empty());
    for bar in &bars {
        let id = bar.strip_prefix('#').expect("bars link within the page");
        assert!(refs.contains(&format!("<h3 id=\"{id}\">")), "{id}");
    }
}

/// Every link the pictures and the lists they point to make reaches a
/// page and an id on it.
#[test]
fn every_link_of_every_picture_resolves() {
    let (_dir, site) = built_shipped_site();
    let (links, problems) = check_links(&site, "/companion/");
    assert!(problems.is_empty(), "{problems:#?}");
    let mut from_pictures: BTreeMap<&str, usize> = BTreeMap::new();
    for page in [
        "tensions/index.html",
        "participants/index.html",
        "references/index.html",
    ] {
        let html = read(&site.join(page));
        let mut n = 0;
        for kind in ["tension-map", "heat-map", "histogram"] {
            if let Some(start) = html.find(&format!("<svg class=\"chart chart-{kind}")) {
                let end = start + html[start..].find("</svg>").unwrap();
                n += attr_values(&html[start..end], "href").len();
            }
        }
        assert!(n > 0, "{page} has linked pictures");
        assert!(links.iter().any(|l| l.from == page));
        from_pictures.insert(page, n);
    }
    assert!(
        from_pictures["tensions/index.html"] > 20,
        "{from_pictures:?}"
    );
}
