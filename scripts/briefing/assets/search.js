/* The site's search box, the same on both engines, over Pagefind's index (briefing.toml: search = "pagefind").
 *
 * Pagefind's script (pagefind/pagefind.js) and its index are fetched only when a reader turns to
 * search: the button in the header, "/" or Ctrl+K, or a link with ?q=. Results are built as
 * elements with text: a page's title and words never become markup. Pagefind's excerpts mark the
 * words found with <mark>; that one element is kept, everything else stays text.
 */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="briefing/search.js"]');
  var root = new URL("../", script ? script.src : location.href);  // the site's root: this file is in briefing/
  var FACETS = [["kind", "Kind of page"], ["topic", "Topic"], ["entity", "Entity"], ["source", "Source"], ["verdict", "Verdict"]];
  var SHOWN = 20;  // results drawn at once; the count says how many there are
  var pagefind = null, dialog, input, count, list, filterBox, opener, searchId = 0;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    dialog = element("dialog", { class: "briefing-search", "aria-labelledby": "briefing-search-label" });
    var bar = element("div", { role: "search", class: "briefing-search__bar" });
    bar.appendChild(element("label", { for: "briefing-search-input", id: "briefing-search-label" }, "Search the briefing"));
    input = element("input", {
      id: "briefing-search-input", type: "search", autocomplete: "off", spellcheck: "false",
      "aria-describedby": "briefing-search-count", "aria-controls": "briefing-search-results",
    });
    bar.appendChild(input);
    var close = element("button", { type: "button", class: "briefing-search__close" }, "Close");
    close.addEventListener("click", function () { dialog.close(); });
    bar.appendChild(close);
    dialog.appendChild(bar);
    filterBox = element("details", { class: "briefing-search__filters" });
    filterBox.appendChild(element("summary", {}, "Filters"));
    dialog.appendChild(filterBox);
    count = element("p", { id: "briefing-search-count", class: "briefing-search__count", role: "status", "aria-live": "polite" });
    dialog.appendChild(count);
    list = element("ol", { id: "briefing-search-results", class: "briefing-search__results", "aria-label": "Results" });
    dialog.appendChild(list);
    document.body.appendChild(dialog);
    input.addEventListener("input", search);
    filterBox.addEventListener("change", search);
    dialog.addEventListener("keydown", arrows);
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();  // a click on the backdrop
      if (event.target.closest && event.target.closest(".briefing-search__results a")) dialog.close();
    });
    dialog.addEventListener("close", function () { if (opener && opener.focus) opener.focus(); });
  }

  function button() {
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var open = element("button", {
      type: "button", class: "md-header__button md-icon briefing-search-button",
      "aria-label": "Search", title: "Search (/ or Ctrl+K)", "aria-keyshortcuts": "/ Control+K",
    });
    open.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
      + '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';
    open.addEventListener("click", function () { show(); });
    header.insertBefore(open, header.querySelector(".md-header__source"));
  }

  function show(query) {
    if (!dialog) build();
    opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    if (query !== undefined) input.value = query;
    input.focus();
    load().then(function () { if (input.value || checked().length) search(); });
  }

  function load() {
    if (pagefind) return pagefind;
    count.textContent = "Loading the search…";
    pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
      return module.options({ baseUrl: root.pathname, excerptLength: 24 }).then(function () { return module.init(); })
        .then(function () { return module.filters(); })
        .then(function (filters) { drawFilters(filters); count.textContent = ""; return module; });
    });
    pagefind.catch(function () {
      count.textContent = "The search could not be loaded: it needs the site served (not opened as files).";
      pagefind = null;
    });
    return pagefind;
  }

  function drawFilters(filters) {
    FACETS.forEach(function (facet) {
      var values = Object.keys(filters[facet[0]] || {}).sort(function (a, b) { return a.localeCompare(b); });
      if (!values.length) return;
      var group = element("fieldset", { class: "briefing-search__facet" });
      group.appendChild(element("legend", {}, facet[1]));
      values.forEach(function (value) {
        var label = element("label");
        var box = element("input", { type: "checkbox", "data-facet": facet[0] });
        box.value = value;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " (" + filters[facet[0]][value] + ")"));
        group.appendChild(label);
      });
      filterBox.appendChild(group);
    });
  }

  function checked() {
    return Array.prototype.slice.call(filterBox.querySelectorAll("input:checked"));
  }

  function search() {
    var id = ++searchId, query = input.value.trim(), chosen = checked();
    var filters = {};
    chosen.forEach(function (box) { (filters[box.dataset.facet] = filters[box.dataset.facet] || { any: [] }).any.push(box.value); });
    if (!query && !chosen.length) { list.textContent = ""; count.textContent = ""; return; }
    load().then(function (module) {
      return module.search(query || null, { filters: filters });
    }).then(function (found) {
      if (id !== searchId || !found) return;
      return Promise.all(found.results.slice(0, SHOWN).map(function (r) { return r.data(); })).then(function (pages) {
        if (id !== searchId) return;
        draw(pages, found.results.length);
      });
    }).catch(function () {
      if (id === searchId) count.textContent = "The search failed: try again.";
    });
  }

  function draw(pages, total) {
    list.textContent = "";
    pages.forEach(function (page) {
      var item = element("li", { class: "briefing-search__result" });
      var link = element("a", { href: page.url, class: "briefing-search__page" }, page.meta && page.meta.title || page.url);
      item.appendChild(link);
      var parts = (page.sub_results || []).filter(function (sub) { return sub.url.indexOf("#") > 0; }).slice(0, 5);
      if (parts.length) {
        var subs = element("ul", { class: "briefing-search__parts" });
        parts.forEach(function (sub) {
          var li = element("li");
          li.appendChild(element("a", { href: sub.url }, sub.title));
          li.appendChild(excerpt(sub.excerpt));
          subs.appendChild(li);
        });
        item.appendChild(subs);
      } else {
        item.appendChild(excerpt(page.excerpt));
      }
      list.appendChild(item);
    });
    count.textContent = total === 0 ? "No results" : total === 1 ? "1 result" : total + " results"
      + (total > pages.length ? ", the first " + pages.length + " shown" : "");
  }

  function excerpt(text) {
    // Pagefind's excerpt: the page's words (their < > & as references) with <mark> around what was found.
    var paragraph = element("p", { class: "briefing-search__excerpt" }), marked = false;
    String(text || "").split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === "<mark>" || piece === "</mark>") { marked = piece === "<mark>"; return; }
      if (!piece) return;
      var words = document.createTextNode(decoded(piece));
      if (marked) { var mark = element("mark"); mark.appendChild(words); paragraph.appendChild(mark); }
      else paragraph.appendChild(words);
    });
    return paragraph;
  }

  var decoder = document.createElement("textarea");
  function decoded(text) {  // character references to characters; a textarea's content is never markup
    decoder.innerHTML = text;
    return decoder.value;
  }

  function arrows(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (at < 0 && event.key === "ArrowUp") return;
    event.preventDefault();
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)].focus();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target, typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    var shortcut = (event.key === "/" && !typing) || ((event.ctrlKey || event.metaKey) && (event.key === "k" || event.key === "K"));
    if (!shortcut || event.altKey || (dialog && dialog.open)) return;
    event.preventDefault();
    show();
  });

  function start() {
    button();
    var query = new URLSearchParams(location.search).get("q");
    if (query) show(query);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
