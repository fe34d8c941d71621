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
  function focusableScrolling() {
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      if (!code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
    });
    // So can a chart or a table too wide for a phone, in its frame.
    document.querySelectorAll(".md-typeset figure.chart, .md-typeset .md-typeset__scrollwrap").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth) frame.setAttribute("tabindex", "0");
      else frame.removeAttribute("tabindex");
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

  function onPage() {
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
