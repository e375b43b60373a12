// Search in the browser: the index is built with the site (search-index.js)
// and queried with elasticlunr. Results are written as text, never HTML.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var data = window.companionSearch;
  if (!box || !data || !window.elasticlunr) {
    return;
  }
  var index = window.elasticlunr.Index.load(data.index);
  var input = document.getElementById("search-input");
  var filter = document.getElementById("search-tension");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var root = box.getAttribute("data-root") || "";
  var indexHtml = box.getAttribute("data-index-html") === "true";

  data.tensions.forEach(function (t) {
    var option = document.createElement("option");
    option.value = t;
    option.textContent = t;
    filter.appendChild(option);
  });

  // Accents off, as the index was built (src/render/search.rs, `fold`):
  // compatibility decomposition without combining marks, then letters that
  // do not decompose.
  var folded = { "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i" };
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[øØæÆœŒßłŁđĐı]/g, function (c) {
      return folded[c];
    });
  }

  function href(url) {
    return root + encodeURI(url) + (indexHtml ? "index.html" : (url ? "" : "./"));
  }

  function run() {
    var query = fold(input.value.trim());
    var tension = filter.value;
    list.textContent = "";
    if (!query && !tension) {
      status.textContent = "";
      return;
    }
    var hits = query
      ? index.search(query, {
          fields: { title: { boost: 3 }, people: { boost: 2 }, body: { boost: 1 } },
          bool: "AND",
          expand: true
        })
      : data.docs.map(function (_, i) { return { ref: String(i) }; });
    hits = hits.filter(function (h) {
      return !tension || data.docs[Number(h.ref)].tensions.indexOf(tension) >= 0;
    });
    status.textContent = hits.length === 1 ? "1 result" : hits.length + " results";
    hits.slice(0, 50).forEach(function (h) {
      var doc = data.docs[Number(h.ref)];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = href(doc.url);
      link.textContent = doc.title;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + doc.kind;
      var excerpt = document.createElement("p");
      excerpt.textContent = doc.excerpt;
      item.appendChild(link);
      item.appendChild(kind);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  input.addEventListener("input", run);
  filter.addEventListener("change", run);
  document.getElementById("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    run();
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    input.value = params.get("q");
  }
  if (params.get("tension")) {
    filter.value = params.get("tension");
  }
  run();
})();
