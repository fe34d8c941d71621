// Every fact's permalink (the ¶ after its heading) also copies the fact's address, and says
// so in a live region that screen readers announce. The link still goes to the anchor.
// Local file, no dependencies; `document$` is Material's page-load observable.
(function () {
  function announce(link, text) {
    var note = link.parentNode.querySelector(".copied");
    if (!note) {
      note = document.createElement("span");
      note.className = "copied";
      note.setAttribute("role", "status");
      link.parentNode.appendChild(note);
    }
    note.textContent = text;
    window.setTimeout(function () { note.textContent = ""; }, 2500);
  }

  function enhance() {
    // Material's search dialog has no accessible name; give it one.
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    document.querySelectorAll("h3.fact > a.headerlink").forEach(function (link) {
      if (link.dataset.copyLink) return;
      link.dataset.copyLink = "yes";
      link.setAttribute("title", "Copy the link to this fact");
      link.setAttribute("aria-label", "Link to this fact (copies it)");
      link.addEventListener("click", function () {
        var address = new URL(link.getAttribute("href"), window.location.href).href;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(address).then(
            function () { announce(link, "Link copied"); },
            function () { announce(link, "Link in the address bar"); }
          );
        } else {
          announce(link, "Link in the address bar");
        }
      });
    });
  }

  // On a phone the menu is a drawer: while it is closed its links are out of sight, so they are
  // kept out of the Tab order too (inert), and a keyboard reader reaches the page at once.
  var drawer = document.getElementById("__drawer");
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  function syncDrawer() {
    var menu = document.querySelector(".md-sidebar--primary");
    if (!menu || !drawer) return;
    if (narrow.matches && !drawer.checked) menu.setAttribute("inert", "");
    else menu.removeAttribute("inert");
  }
  if (drawer) drawer.addEventListener("change", syncDrawer);
  if (narrow.addEventListener) narrow.addEventListener("change", syncDrawer);

  // A code block that scrolls sideways can be scrolled with the keyboard once it has the focus.
  // So can a chart or a table too wide for a phone, in its frame. All widths are read before
  // any attribute is written: one layout, not one per frame.
  function focusableScrolling() {
    var frames = Array.prototype.slice.call(
      document.querySelectorAll(".md-typeset figure.chart, .md-typeset .md-typeset__scrollwrap"));
    var wide = frames.map(function (frame) { return frame.scrollWidth > frame.clientWidth; });
    frames.forEach(function (frame, i) {
      if (wide[i]) frame.setAttribute("tabindex", "0");
      else frame.removeAttribute("tabindex");
    });
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      if (!code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
    });
  }
  window.addEventListener("resize", focusableScrolling);

  // "Cite" under every fact: a ready citation with the fact's permanent address and today's
  // date as the access date, in plain text, BibTeX and CSL-JSON. Made here, from the page, by
  // no script but this one.
  function citations(box) {
    var address = new URL("#" + box.dataset.fact, window.location.href).href;
    var site = document.title.split(" - ").pop();
    var today = new Date();
    var accessed = today.toISOString().slice(0, 10);
    var statement = box.dataset.statement;
    var plain = "\u201c" + statement + "\u201d " + site + ". " + address + " (accessed " + accessed + ").";
    function bib(text) { return text.replace(/[\\{}]/g, function (c) { return "\\" + c; }); }
    var bibtex = "@misc{" + box.dataset.fact + ",\n  title = {" + bib(statement) + "},\n  howpublished = {" +
      bib(site) + "},\n  url = {" + address + "},\n  note = {Accessed " + accessed + "}\n}";
    var csl = JSON.stringify([{
      id: box.dataset.fact, type: "webpage", title: statement, "container-title": site, URL: address,
      accessed: {"date-parts": [[today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()]]}
    }], null, 2);
    var body = box.querySelector(".cite-body");
    body.textContent = "";
    [["Plain text", plain], ["BibTeX", bibtex], ["CSL-JSON", csl]].forEach(function (item) {
      var label = document.createElement("p");
      label.className = "cite-label";
      label.textContent = item[0];
      var pre = document.createElement("pre");
      var code = document.createElement("code");
      code.textContent = item[1];
      code.setAttribute("tabindex", "0");
      pre.appendChild(code);
      body.appendChild(label);
      body.appendChild(pre);
    });
  }

  function citeControls() {
    document.querySelectorAll("details.cite").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "yes";
      box.addEventListener("toggle", function () { if (box.open) citations(box); });
    });
  }

  // A footnote marker shows its footnote (the quote, who said it, where) while it is hovered or
  // has the focus. One preview, made when it is first wanted: nothing is done per footnote at
  // page load, however many the page has. It stays while the pointer is over it (so its link
  // can be clicked) and Escape closes it.
  var tip = null, tipFor = null, hideTimer = 0;
  function footnoteOf(marker) {
    var id = decodeURIComponent((marker.getAttribute("href") || "").replace(/^#/, ""));
    return id ? document.getElementById(id) : null;
  }
  function showTip(marker) {
    var note = footnoteOf(marker);
    if (!note) return;
    window.clearTimeout(hideTimer);
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "quote-tip md-typeset";
      tip.id = "quote-tip";
      tip.setAttribute("role", "tooltip");
      tip.addEventListener("pointerenter", function () { window.clearTimeout(hideTimer); });
      tip.addEventListener("pointerleave", function () { hideSoon(); });
      document.body.appendChild(tip);
    }
    if (tipFor !== marker) {
      tip.textContent = "";
      Array.prototype.forEach.call(note.childNodes, function (child) { tip.appendChild(child.cloneNode(true)); });
      tip.querySelectorAll(".footnote-backref").forEach(function (back) { back.remove(); });
      if (tipFor) tipFor.removeAttribute("aria-describedby");
      tipFor = marker;
      marker.setAttribute("aria-describedby", tip.id);
    }
    tip.hidden = false;
    tip.style.left = "0px";
    var box = marker.getBoundingClientRect();
    var width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left + box.width / 2 - width / 2, document.documentElement.clientWidth - width - 8));
    var below = box.bottom + tip.offsetHeight + 8 <= window.innerHeight || box.top < tip.offsetHeight + 8;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = (below ? box.bottom + 6 : box.top - tip.offsetHeight - 6) + window.scrollY + "px";
  }
  function hideTip() {
    if (tip) tip.hidden = true;
    if (tipFor) tipFor.removeAttribute("aria-describedby");
    tipFor = null;
  }
  function hideSoon() { window.clearTimeout(hideTimer); hideTimer = window.setTimeout(hideTip, 300); }
  function markerIn(event) {
    return event.target && event.target.closest ? event.target.closest("a.footnote-ref") : null;
  }
  document.addEventListener("pointerover", function (event) {
    var marker = markerIn(event);
    if (marker && event.pointerType !== "touch") showTip(marker);
  });
  document.addEventListener("pointerout", function (event) { if (markerIn(event)) hideSoon(); });
  document.addEventListener("focusin", function (event) {
    var marker = markerIn(event);
    if (marker) showTip(marker);
    else if (tip && !tip.contains(event.target)) hideTip();
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hideTip(); });

  function onPage() {
    hideTip();
    citeControls();
    enhance();
    syncDrawer();
    focusableScrolling();
  }

  if (window.document$) {
    window.document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
})();
