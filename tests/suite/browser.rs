//! What only a browser shows, in headless Debian Chromium driven through
//! chromedriver (W3C WebDriver): a citation click lands on its reference
//! with the entry in view, the "cited by" link comes back, search finds a
//! quote, the dark-mode choice survives a reload, and no page logs a
//! console error. The site is opened from `file://`, the hardest case for
//! relative links and scripts.
//!
//! They need Debian's `chromium` and `chromium-driver`, so `cargo test`
//! reports them as ignored; `cargo test -- --include-ignored` runs them
//! (`.ci/run` installs both first), and then a missing browser is a failure.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{built_shipped_site, Chromedriver, CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS};
use fantoccini::{Client, Locator};

/// Fails the test when the browser it was asked to use is missing.
fn require_browser() {
    assert!(
        Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
        "this test needs {CHROMIUM} and {CHROMEDRIVER}: apt-get install chromium chromium-driver"
    );
}

fn url(site: &Path, page: &str) -> String {
    format!("file://{}/{page}", site.display())
}

async fn in_view(c: &Client, selector: &str) -> bool {
    let script = "const e = document.querySelector(arguments[0]); if (!e) return false; \
                  const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;";
    c.execute(script, vec![serde_json::json!(selector)])
        .await
        .unwrap()
        == serde_json::json!(true)
}

async fn wait_for_url(c: &Client, ends_with: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = c.current_url().await.unwrap().to_string();
        if now.ends_with(ends_with) {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "still at {now}, expected …{ends_with}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver"]
async fn a_reader_follows_citations_searches_and_keeps_dark_mode() {
    require_browser();
    let (_dir, site) = built_shipped_site();
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let c = driver.session(profile.path()).await;

    // A citation leads to its reference, with the entry in view.
    c.goto(&url(&site, "paper/collaboration-theory/index.html"))
        .await
        .unwrap();
    c.find(Locator::Css("#cite-huxham2005-1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_url(&c, "references/huxham2005/index.html").await;
    assert!(in_view(&c, "#ref-huxham2005").await, "the entry is in view");

    // Its "cited by" link returns to the citing place.
    c.find(Locator::Css(
        "a.cited-by[href$='collaboration-theory/index.html#cite-huxham2005-1']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_url(
        &c,
        "paper/collaboration-theory/index.html#cite-huxham2005-1",
    )
    .await;
    assert!(
        in_view(&c, "#cite-huxham2005-1").await,
        "the citation is in view"
    );

    // With JavaScript, a citation previews its entry on focus.
    c.execute(
        "document.querySelector('#cite-huxham2005-2').focus();",
        vec![],
    )
    .await
    .unwrap();
    let preview = c
        .execute(
            "const p = document.querySelector('.cite-preview'); return p ? p.textContent : null;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        preview
            .as_str()
            .is_some_and(|t| t.starts_with("Huxham, C, Vangen, S, 2005")),
        "preview: {preview}"
    );

    // Search finds a quote by a phrase from it.
    c.goto(&url(&site, "search/index.html")).await.unwrap();
    c.find(Locator::Css("#search-input"))
        .await
        .unwrap()
        .send_keys("straddling different realities")
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let links = c.find_all(Locator::Css("#search-results a")).await.unwrap();
        let mut hrefs = Vec::new();
        for l in links {
            hrefs.push(l.attr("href").await.unwrap().unwrap_or_default());
        }
        if hrefs
            .iter()
            .any(|h| h.contains("quotes/eric-straddling-realities/"))
        {
            break;
        }
        assert!(Instant::now() < deadline, "search results: {hrefs:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The dark-mode choice survives a reload.
    c.goto(&url(&site, "index.html")).await.unwrap();
    c.find(Locator::Css("#theme-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.refresh().await.unwrap();
    let theme = c
        .execute(
            "return document.documentElement.getAttribute('data-theme');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(theme, serde_json::json!("dark"));
    let pressed = c
        .find(Locator::Css("#theme-toggle"))
        .await
        .unwrap()
        .attr("aria-pressed")
        .await
        .unwrap();
    assert_eq!(pressed.as_deref(), Some("true"));
    c.close().await.unwrap();
}

/// Page `page` of `site` loaded in headless Chromium, scripts run: the
/// DOM on standard output, the console log on standard error.
fn dump_dom(site: &Path, page: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(CHROMIUM)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(url(site, page))
        .output()
        .expect("chromium runs")
}

/// A reader who types a name without its accents finds it, and the other
/// way round: `zoe` finds `Zoë`, `oberg` finds `Øberg`, `café` finds
/// `cafe`.
#[test]
#[ignore = "needs chromium and chromedriver"]
fn search_finds_words_whatever_their_accents() {
    require_browser();
    let test = crate::site::SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .file(
            "content/notes/zoe.md",
            "---\ntitle: A talk with Zoë\n---\nZoë Øberg met us in the cafe.\n",
        );
    test.build().clean();
    let site = test.output();
    for (query, found) in [
        ("zoe", true),
        ("Zo%C3%AB", true),
        ("oberg", true),
        ("%C3%98berg", true),
        ("caf%C3%A9", true),
        ("zebra", false),
    ] {
        let dom = String::from_utf8_lossy(
            &dump_dom(&site, &format!("search/index.html?q={query}")).stdout,
        )
        .into_owned();
        let results = &dom[dom.find("id=\"search-results\"").expect("the results list")..];
        let results = &results[..results.find("</ol>").unwrap_or(results.len())];
        assert_eq!(
            results.contains("notes/zoe/"),
            found,
            "{query}: {}",
            &results[..results.len().min(600)]
        );
    }
}

/// The result links of a search page, as Chromium leaves it.
fn results(site: &Path, query: &str) -> Vec<String> {
    let dom =
        String::from_utf8_lossy(&dump_dom(site, &format!("search/index.html?{query}")).stdout)
            .into_owned();
    let list = &dom[dom.find("id=\"search-results\"").expect("the results list")..];
    let list = &list[..list.find("</ol>").unwrap()];
    list.split("<a href=\"../")
        .skip(1)
        .map(|a| a[..a.find("index.html").unwrap()].to_string())
        .collect()
}

/// Words are stemmed on both sides (`partnerships` finds `partnership`),
/// every word of a query must match, the word being typed matches as a
/// prefix, and the tension filter lists the quotes coded with it, alone or
/// with words.
#[test]
#[ignore = "needs chromium and chromedriver"]
fn search_stems_words_and_filters_quotes_by_tension() {
    require_browser();
    let test = crate::site::SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .file("content/notes/a.md", "---\ntitle: A\n---\nThe partnership was walking a fine line.\n")
        .file("content/notes/b.md", "---\ntitle: B\n---\nPartnerships of councils.\n")
        .file("content/tensions/ad.md", "---\ntitle: Agency/Dependency\nkind: tension\npoles: [a, d]\nlevel: experienced\n---\n")
        .file("content/tensions/uv.md", "---\ntitle: Unity/Diversity\nkind: tension\npoles: [u, v]\nlevel: experienced\n---\n")
        .file("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n")
        .file("content/quotes/q1.md", "---\ntitle: One\nkind: quote\nspeaker: fiona\ntensions: [ad]\n---\nFunding from the council.\n")
        .file("content/quotes/q2.md", "---\ntitle: Two\nkind: quote\nspeaker: fiona\ntensions: [uv]\n---\nThe council again.\n")
        .file("content/quotes/q3.md", "---\ntitle: Three\nkind: quote\nspeaker: fiona\ntensions: [ad, uv]\n---\nA different view.\n");
    test.build().clean();
    let site = test.output();
    let mut both = results(&site, "q=partnerships");
    both.sort();
    assert_eq!(both, ["notes/a/", "notes/b/"], "stemmed on both sides");
    assert_eq!(
        results(&site, "q=partnership%20walks"),
        ["notes/a/"],
        "every word"
    );
    assert_eq!(
        results(&site, "q=walki"),
        ["notes/a/"],
        "the word being typed"
    );
    assert!(
        results(&site, "q=walki%20").is_empty(),
        "a finished word is whole"
    );
    let mut ad = results(&site, "tension=Agency%2FDependency");
    ad.sort();
    assert_eq!(ad, ["quotes/q1/", "quotes/q3/"], "the filter alone");
    assert_eq!(
        results(&site, "q=council&tension=Unity%2FDiversity"),
        ["quotes/q2/"],
        "words and the filter"
    );
    // Councils are in the note and two quotes: the filter keeps quotes only.
    assert_eq!(results(&site, "q=council").len(), 3);
}

/// Every kind of page loads without a console error (scripts included).
#[test]
#[ignore = "needs chromium and chromedriver"]
fn no_page_logs_a_console_error() {
    require_browser();
    let (_dir, site) = built_shipped_site();
    for page in [
        "index.html",
        "tensions/index.html",
        "tensions/agency-dependency/index.html",
        "quotes/fiona-roller-coaster/index.html",
        "participants/fiona/index.html",
        "references/index.html",
        "references/huxham2005/index.html",
        "policy/index.html",
        "a-z/index.html",
        "search/index.html?q=roller",
        "404.html",
    ] {
        let out = dump_dom(&site, page);
        let log = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<&str> = log
            .lines()
            .filter(|l| l.contains(":CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
            .collect();
        assert!(errors.is_empty(), "{page}: {errors:#?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("</html>"),
            "{page} rendered"
        );
    }
}

/// On a phone (390 px) no page scrolls sideways, long URLs and the
/// pictures included, and the Menu link leads to the site's tree; on a
/// desktop (1280 px) the tree sits beside the text; the → key goes to the
/// next page in reading order.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver"]
async fn pages_fit_a_phone_and_a_desktop_and_arrows_turn_pages() {
    require_browser();
    let (_dir, site) = built_shipped_site();
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let c = driver.session(profile.path()).await;
    let pages = [
        "index.html",
        "tensions/index.html",
        "participants/index.html",
        "references/index.html",
        "references/huxham2005/index.html",
        "tensions/distinctiveness-incorporation/index.html",
        "print/index.html",
        "paper/introduction/index.html",
    ];
    let number = |v: serde_json::Value| v.as_f64().unwrap();
    c.set_window_size(390, 900).await.unwrap();
    for page in pages {
        c.goto(&url(&site, page)).await.unwrap();
        let wide = c
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, inner) = (number(wide[0].clone()), number(wide[1].clone()));
        if scroll > inner {
            // Name the elements that stick out, for whoever fixes it.
            let wide = c
                .execute(
                    "return Array.from(document.querySelectorAll('body *')) \
                     .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible') \
                     .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + ' ' + \
                     Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 60));",
                    vec![],
                )
                .await
                .unwrap();
            panic!("{page} scrolls sideways at 390 px: {scroll} > {inner}: {wide}");
        }
    }
    c.goto(&url(&site, "paper/introduction/index.html"))
        .await
        .unwrap();
    c.find(Locator::Css("a.menu-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_url(&c, "#site-menu").await;
    assert!(in_view(&c, "#site-menu").await, "the menu is in view");

    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&url(&site, "paper/introduction/index.html"))
        .await
        .unwrap();
    let beside = c
        .execute(
            "const s = document.querySelector('.sidebar').getBoundingClientRect(); \
             const m = document.querySelector('main').getBoundingClientRect(); \
             const cur = document.querySelector('.sidebar [aria-current=page]'); \
             return [s.right <= m.left, s.top < 200, cur ? cur.textContent : null, \
                     getComputedStyle(document.querySelector('.menu-link')).display];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        beside,
        serde_json::json!([true, true, "Introduction", "none"]),
        "the sidebar beside the text, the current page marked, no Menu link"
    );
    c.execute(
        "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));",
        vec![],
    )
    .await
    .unwrap();
    wait_for_url(&c, "paper/context/index.html").await;
    c.close().await.unwrap();
}
