// Search in the browser, with no server. The build writes the index in
// pieces (src/render/search.rs): search-index.js says where each run of
// terms is; a query loads the term shards its words need
// (assets/search/t<n>.js) and the document shards of the results it shows
// (assets/search/d<n>.js), each as a script, so search works from file://.
// Words are split and stemmed by elasticlunr's English pipeline, as the
// index was. Results are written as text, never HTML.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var data = window.companionSearch;
  if (!box || !data || !window.elasticlunr) {
    return;
  }
  var input = document.getElementById("search-input");
  var filter = document.getElementById("search-tension");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var root = box.getAttribute("data-root") || "";
  var indexHtml = box.getAttribute("data-index-html") === "true";
  var pipeline = window.elasticlunr().pipeline;
  var SHOWN = 50;

  data.tensions.forEach(function (t, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = t;
    filter.appendChild(option);
  });

  // Shards, loaded once each: name -> promise of its data.
  var shards = {};
  data.load = function (name, payload) {
    if (shards[name]) {
      shards[name].resolve(payload);
    }
  };
  function shard(name) {
    if (!shards[name]) {
      var entry = {};
      entry.promise = new Promise(function (resolve, reject) {
        entry.resolve = resolve;
        var script = document.createElement("script");
        script.src = root + "assets/search/" + name + ".js";
        script.onerror = function () { reject(new Error("cannot load " + script.src)); };
        document.head.appendChild(script);
      });
      shards[name] = entry;
    }
    return shards[name].promise;
  }

  // The term shard that holds `term`: the last whose first term is not
  // after it (terms are in JavaScript's string order).
  function shardOf(term) {
    var lo = 0;
    var hi = data.first.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (data.first[mid] <= term) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  // A posting list: document -> weight (gaps times ten plus the weight,
  // base 36, comma-separated).
  function decode(text) {
    var out = new Map();
    var doc = 0;
    text.split(",").forEach(function (part) {
      var n = parseInt(part, 36);
      doc += Math.floor(n / 10);
      out.set(doc, n % 10);
    });
    return out;
  }

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

  // The documents that have `term` (or, when `prefix`, a term starting
  // with it), with their weights: document -> weight.
  function lookup(term, prefix) {
    var from = shardOf(term);
    var names = ["t" + from];
    // A prefix's terms may run on into the next shard or two.
    for (var i = from + 1; prefix && i < data.first.length && i <= from + 2; i++) {
      if (data.first[i].indexOf(term) !== 0) { break; }
      names.push("t" + i);
    }
    return Promise.all(names.map(shard)).then(function (loaded) {
      var docs = new Map();
      loaded.forEach(function (terms) {
        Object.keys(terms).forEach(function (t) {
          var exact = t === term;
          if (!exact && !(prefix && t.indexOf(term) === 0)) { return; }
          decode(terms[t]).forEach(function (w, d) {
            // A word that only starts with what was typed counts less.
            var score = exact ? w : w / 2;
            if (!(docs.get(d) >= score)) { docs.set(d, score); }
          });
        });
      });
      return docs;
    });
  }

  function href(url) {
    return root + encodeURI(url) + (indexHtml ? "index.html" : (url ? "" : "./"));
  }

  function show(hits, docs) {
    list.textContent = "";
    status.textContent = hits.length === 1 ? "1 result" : hits.length + " results";
    hits.slice(0, SHOWN).forEach(function (h) {
      var doc = docs[h.doc];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = href(doc.u);
      link.textContent = doc.t;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + doc.k;
      var excerpt = document.createElement("p");
      excerpt.textContent = doc.e;
      item.appendChild(link);
      item.appendChild(kind);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  // The best score of each document over several lookups.
  function best(maps) {
    var out = new Map();
    maps.forEach(function (m) {
      m.forEach(function (w, d) {
        if (!(out.get(d) >= w)) { out.set(d, w); }
      });
    });
    return out;
  }

  // The word being typed, `token` (its stem `term`, if it is not a stop
  // word): terms that start with it or with its stem, and terms it starts
  // with, less three letters at most ("walki" finds "walking", whose term
  // is "walk").
  function typed(token, term) {
    var parts = [lookup(token, true)];
    if (term && term !== token) {
      parts.push(lookup(term, true));
    }
    for (var k = Math.max(3, token.length - 3); k < token.length; k++) {
      parts.push(lookup(token.slice(0, k), false).then(function (m) {
        var half = new Map();
        m.forEach(function (w, d) { half.set(d, w / 2); });
        return half;
      }));
    }
    return Promise.all(parts).then(best);
  }

  var latest = 0;
  function run() {
    var run = ++latest;
    var raw = fold(input.value);
    var tokens = window.elasticlunr.tokenizer(raw).map(function (t) {
      return window.elasticlunr.trimmer(t);
    }).filter(function (t) { return t; });
    var tension = filter.value;
    // While typing, the last word may be the start of a longer one.
    var typing = raw.length > 0 && !/\s$/.test(raw);
    var wanted = [];
    tokens.forEach(function (token, i) {
      var term = pipeline.run([token])[0];
      if (typing && i === tokens.length - 1 && token.length >= 2) {
        wanted.push(typed(token, term));
      } else if (term) {
        wanted.push(lookup(term, false));
      }
    });
    if (tension) {
      wanted.push(lookup("~" + tension, false));
    }
    if (!wanted.length) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    Promise.all(wanted).then(function (sets) {
      if (run !== latest) { return; }
      // Every word must match; rarer words count more.
      var scores = new Map();
      sets[0].forEach(function (w, d) { scores.set(d, 0); });
      sets.forEach(function (set) {
        var idf = Math.log(1 + (data.n - set.size + 0.5) / (set.size + 0.5));
        scores.forEach(function (s, d) {
          if (set.has(d)) { scores.set(d, s + set.get(d) * idf); } else { scores.delete(d); }
        });
      });
      var hits = [];
      scores.forEach(function (s, d) { hits.push({ doc: d, score: s }); });
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      var needed = {};
      hits.slice(0, SHOWN).forEach(function (h) { needed[Math.floor(h.doc / data.per)] = true; });
      return Promise.all(Object.keys(needed).map(function (n) {
        return shard("d" + n).then(function (docs) {
          return { base: Number(n) * data.per, docs: docs };
        });
      })).then(function (loaded) {
        if (run !== latest) { return; }
        var docs = {};
        loaded.forEach(function (part) {
          part.docs.forEach(function (doc, i) { docs[part.base + i] = doc; });
        });
        show(hits, docs);
      });
    }).catch(function (e) {
      if (run === latest) { status.textContent = "Search could not load its index: " + e.message; }
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
    var wanted = params.get("tension");
    data.tensions.forEach(function (t, i) {
      if (t === wanted || String(i) === wanted) { filter.value = String(i); }
    });
  }
  run();
})();
