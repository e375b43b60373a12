// Enhancements; every page works without them.
// - A dark/light toggle, remembered across pages and visits.
// - Citation previews on hover and focus (without JavaScript the entry is
//   the link's tooltip).
// - The arrow keys move to the previous and next page in reading order.
(function () {
  "use strict";
  var KEY = "companion-theme";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  function apply(theme) {
    if (theme === "dark" || theme === "light") {
      root.setAttribute("data-theme", theme);
    }
    var current = root.getAttribute("data-theme");
    var light = document.getElementById("syntax-light");
    var dark = document.getElementById("syntax-dark");
    if (current && light && dark) {
      light.media = current === "light" ? "all" : "not all";
      dark.media = current === "dark" ? "all" : "not all";
    }
    var button = document.getElementById("theme-toggle");
    if (button) {
      var isDark = current ? current === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
      button.setAttribute("aria-pressed", isDark ? "true" : "false");
    }
  }

  apply(stored());
  var button = document.getElementById("theme-toggle");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = button.getAttribute("aria-pressed") === "true" ? "light" : "dark";
      try {
        window.localStorage.setItem(KEY, next);
      } catch (e) {
        // Private browsing: the choice holds for this page only.
      }
      apply(next);
    });
  }

  var tip = null;
  function show(link) {
    var text = link.getAttribute("data-entry");
    if (!text) {
      return;
    }
    hide();
    tip = document.createElement("span");
    tip.className = "cite-preview";
    tip.setAttribute("role", "tooltip");
    tip.id = "cite-preview";
    tip.textContent = text;
    link.setAttribute("aria-describedby", "cite-preview");
    link.parentNode.insertBefore(tip, link.nextSibling);
  }
  function hide() {
    if (tip) {
      var link = tip.previousSibling;
      if (link && link.removeAttribute) {
        link.removeAttribute("aria-describedby");
      }
      tip.parentNode.removeChild(tip);
      tip = null;
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("a.cite[title]"), function (link) {
    link.setAttribute("data-entry", link.getAttribute("title"));
    link.removeAttribute("title");
    link.addEventListener("mouseenter", function () { show(link); });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("mouseleave", hide);
    link.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      hide();
      return;
    }
    // Left and right arrows: the previous and next page, unless a field,
    // a modifier or a scrolled box wants the key.
    var step = { ArrowLeft: "prev", ArrowRight: "next" }[e.key];
    var target = e.target;
    if (!step || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) {
      return;
    }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var link = document.querySelector('.prev-next a[data-step="' + step + '"]');
    if (link) {
      window.location.href = link.href;
    }
  });
})();
