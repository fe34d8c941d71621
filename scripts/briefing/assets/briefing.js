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
  // kept out of the Tab order too (inert), and a keyboard reader reaches the page at once. The
  // theme opens it with a <label> that has no tab stop; a real button takes its place (the label
  // stays, hidden, for a page without this script), says whether the menu is open, and moves the
  // focus into the menu. Escape, or the focus leaving the menu, closes it and the focus returns.
  var drawer = document.getElementById("__drawer");
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  function drawerOpen() { return !!drawer && drawer.checked && narrow.matches; }
  function setDrawer(open) {
    if (!drawer || drawer.checked === open) return;
    drawer.checked = open;
    drawer.dispatchEvent(new Event("change", {bubbles: true}));  // the theme listens for it
  }
  function syncDrawer() {
    var menu = document.querySelector(".md-sidebar--primary");
    var button = document.querySelector(".briefing-menu");
    if (button) button.setAttribute("aria-expanded", drawerOpen() ? "true" : "false");
    if (!menu || !drawer) return;
    if (narrow.matches && !drawer.checked) menu.setAttribute("inert", "");
    else menu.removeAttribute("inert");
    syncPanels(menu);
  }
  // Inside the drawer a section's links are a panel that slides over the list: a closed panel
  // waits off to the side, and an open one covers the list under it. Neither is in sight, so
  // neither is in the Tab order (only what this marks is unmarked again).
  function syncPanels(menu) {
    menu.querySelectorAll("[data-briefing-inert]").forEach(function (element) {
      element.removeAttribute("inert");
      element.removeAttribute("data-briefing-inert");
    });
    if (!narrow.matches) return;
    function hide(element) {
      if (!element) return;
      element.setAttribute("inert", "");
      element.setAttribute("data-briefing-inert", "");
    }
    menu.querySelectorAll("input.md-nav__toggle").forEach(function (toggle) {
      var item = toggle.parentNode;
      var panel = item.querySelector(":scope > nav.md-nav");
      if (!panel) return;
      if (!toggle.checked) { hide(panel); return; }
      hide(item.querySelector(":scope > label.md-nav__link"));
      Array.prototype.forEach.call(item.parentNode.children, function (sibling) { if (sibling !== item) hide(sibling); });
      var list = item.parentNode.parentNode;
      hide(list && list.querySelector(":scope > label.md-nav__title"));
    });
  }
  function menuButton() {
    var label = document.querySelector(".md-header label.md-header__button[for='__drawer']");
    var menu = document.querySelector(".md-sidebar--primary");
    if (!label || !menu || document.querySelector(".briefing-menu")) return;
    if (!menu.id) menu.id = "briefing-menu";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon briefing-menu";
    button.setAttribute("aria-label", "Menu");
    button.setAttribute("aria-controls", menu.id);
    button.setAttribute("aria-expanded", "false");
    var icon = label.querySelector("svg");
    if (icon) button.appendChild(icon.cloneNode(true));
    button.addEventListener("click", function () {
      var open = !drawerOpen();
      setDrawer(open);
      if (open) firstInMenu(menu).focus({preventScroll: true});
    });
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
    // A section's panel has a heading with a back arrow, a <label> too: it becomes a button.
    menu.querySelectorAll("label.md-nav__link[for='__toc']").forEach(function (opener) {
      opener.setAttribute("tabindex", "0");  // the page's own contents, a panel like a section's
    });
    menu.querySelectorAll("label.md-nav__title[for^='__nav'], label.md-nav__title[for='__toc']").forEach(function (back) {
      back.setAttribute("tabindex", "0");
      back.setAttribute("role", "button");
      back.setAttribute("aria-label", "Back from " + back.textContent.trim());
      back.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        event.stopPropagation();  // the theme clicks a focused label on Enter too: once is enough
        back.click();
        var item = back.closest(".md-nav__item");
        var opener = item && item.querySelector(":scope > label.md-nav__link[tabindex]");
        if (opener) opener.focus({preventScroll: true});
      });
    });
    // A section opened from the keyboard slides its panel over the list: the focus goes with it.
    menu.addEventListener("change", function (event) {
      var toggle = event.target;
      syncPanels(menu);
      if (!drawerOpen() || !toggle.checked || !/^__(nav|toc)/.test(toggle.id)) return;
      var opener = document.activeElement;
      if (!opener || opener.getAttribute("for") !== toggle.id) return;
      var back = toggle.parentNode.querySelector(":scope > nav.md-nav > label.md-nav__title[tabindex]");
      if (back) back.focus({preventScroll: true});
    });
  }
  // Where the focus goes when the menu opens: the panel on show (the open section's, with its
  // back button first), not the links hidden under it.
  function firstInMenu(menu) {
    var open = menu.querySelectorAll("input.md-nav__toggle[id^='__nav']:checked");
    var panel = open.length ? open[open.length - 1].parentNode.querySelector(":scope > nav.md-nav") : null;
    return (panel && panel.querySelector("label.md-nav__title[tabindex]")) ||
      menu.querySelector("a[href], label[tabindex]") || menu;
  }
  function closeDrawer() {
    setDrawer(false);
    var button = document.querySelector(".briefing-menu");
    if (button) button.focus();
  }
  if (drawer) drawer.addEventListener("change", syncDrawer);
  if (narrow.addEventListener) narrow.addEventListener("change", syncDrawer);
  document.addEventListener("focusin", function (event) {
    if (!drawerOpen()) return;
    var inside = event.target.closest && event.target.closest(".md-sidebar--primary, .briefing-menu");
    if (!inside) setDrawer(false);  // tabbed past the menu's end: the page behind it is the page again
  });

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

  // "Cite" under every fact: a ready citation with the fact's permanent address, the briefing's
  // editors and year, and today's date as the access date, in plain text, BibTeX and CSL-JSON,
  // each with a button that copies it. Made here, from the page, by no script but this one.
  // LaTeX's special characters in BibTeX: the same table as sources.bib's (render/references.py,
  // BIB_SPECIAL; tests/test_cite.py holds the two equal). Braces become commands, since BibTeX
  // counts every brace, escaped or not.
  var BIB_SPECIAL = {"%": "\\%", "&": "\\&", "$": "\\$", "#": "\\#", "_": "\\_", "{": "\\textbraceleft{}", "}": "\\textbraceright{}", "\\": "\\textbackslash{}", "~": "\\~{}", "^": "\\^{}"};
  function bib(text) {
    return text.split(/\s+/).filter(Boolean).join(" ").replace(/[%&$#_{}\\~^]/g, function (c) { return BIB_SPECIAL[c]; });
  }
  function names(list) {
    return list.length < 2 ? list.join("") : list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }
  function citations(box) {
    // The page's canonical address (with a published site_url), else this one: never the query a
    // link brought the reader in with, which is not the fact's address and may be anyone's words.
    var canonical = document.querySelector("link[rel='canonical']");
    var page = new URL(canonical ? canonical.href : window.location.href);
    page.search = "";
    page.hash = "#" + box.dataset.fact;
    var address = page.href;
    var site = document.title.split(" - ").pop();
    var today = new Date();
    var accessed = today.toISOString().slice(0, 10);
    var statement = box.dataset.statement;
    var year = box.dataset.year || "";
    var editors = [];
    try { editors = JSON.parse(box.dataset.editors || "[]"); } catch (error) { editors = []; }
    var plain = (editors.length ? names(editors) + (editors.length > 1 ? " (eds.). " : " (ed.). ") : "") +
      "\u201c" + statement + "\u201d " + site + (year ? ", " + year : "") + ". " + address +
      " (accessed " + accessed + ").";
    var fields = [["title", bib(statement)]];
    if (editors.length) fields.push(["editor", editors.map(function (name) { return "{" + bib(name) + "}"; }).join(" and ")]);
    if (year) fields.push(["year", year]);
    fields.push(["howpublished", bib(site)], ["url", address.replace(/\{/g, "%7B").replace(/\}/g, "%7D")],
      ["urldate", accessed], ["note", "Accessed " + accessed]);
    var bibtex = "@misc{" + box.dataset.fact + ",\n" +
      fields.map(function (f) { return "  " + f[0] + " = {" + f[1] + "}"; }).join(",\n") + "\n}";
    var item = {id: box.dataset.fact, type: "webpage", title: statement, "container-title": site, URL: address};
    if (editors.length) item.editor = editors.map(function (name) { return {literal: name}; });
    if (year) item.issued = {"date-parts": [[Number(year)]]};
    item.accessed = {"date-parts": [[today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()]]};
    var csl = JSON.stringify([item], null, 2);
    var body = box.querySelector(".cite-body");
    body.textContent = "";
    var status = document.createElement("p");
    status.className = "cite-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    [["Plain text", plain], ["BibTeX", bibtex], ["CSL-JSON", csl]].forEach(function (format) {
      var label = document.createElement("p");
      label.className = "cite-label";
      label.textContent = format[0];
      var pre = document.createElement("pre");
      var code = document.createElement("code");
      code.textContent = format[1];
      code.setAttribute("tabindex", "0");
      pre.appendChild(code);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-copy";
      button.textContent = "Copy " + format[0];
      button.addEventListener("click", function () { copyCitation(code, format[1], status); });
      body.appendChild(label);
      body.appendChild(pre);
      body.appendChild(button);
    });
    body.appendChild(status);
  }
  // The clipboard where the browser offers it; otherwise the text is selected for Ctrl+C (and the
  // old copy command tried), and the live region says which happened.
  function copyCitation(code, text, status) {
    function say(words) {
      status.textContent = words;
      window.clearTimeout(status.timer);
      status.timer = window.setTimeout(function () { status.textContent = ""; }, 4000);
    }
    function select() {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      say(copied ? "Copied" : "Selected: press Ctrl+C (\u2318C on a Mac) to copy");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say("Copied"); }, select);
    } else {
      select();
    }
  }

  function citeControls() {
    document.querySelectorAll("details.cite").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "yes";
      box.addEventListener("toggle", function () { if (box.open) citations(box); });
    });
  }

  // A footnote marker shows its footnote (the quote, who said it, where) while it is hovered or
  // has the focus, and a tap shows it in place instead of jumping to the list at the page's end.
  // One preview, made when it is first wanted: nothing is done per footnote at page load, however
  // many the page has. It stays while the pointer is over it (so its link can be clicked); its
  // close button, Escape, or a tap anywhere else closes it.
  var tip = null, tipBody = null, tipFor = null, hideTimer = 0, lastPointer = "", quiet = null;
  function footnoteOf(marker) {
    var id = decodeURIComponent((marker.getAttribute("href") || "").replace(/^#/, ""));
    return id ? document.getElementById(id) : null;
  }
  function makeTip() {
    tip = document.createElement("div");
    tip.className = "quote-tip md-typeset";
    tip.id = "quote-tip";
    tip.setAttribute("role", "tooltip");
    tip.tabIndex = -1;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "quote-tip__close";
    close.setAttribute("aria-label", "Close the footnote");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { closeTip(true); });
    tipBody = document.createElement("div");
    tip.appendChild(close);
    tip.appendChild(tipBody);
    tip.addEventListener("pointerenter", function () { window.clearTimeout(hideTimer); });
    tip.addEventListener("pointerleave", function (event) { if (event.pointerType !== "touch") hideSoon(); });
    document.body.appendChild(tip);
  }
  function showTip(marker) {
    var note = footnoteOf(marker);
    if (!note) return;
    window.clearTimeout(hideTimer);
    if (!tip) makeTip();
    if (tipFor !== marker) {
      tipBody.textContent = "";
      Array.prototype.forEach.call(note.childNodes, function (child) { tipBody.appendChild(child.cloneNode(true)); });
      tipBody.querySelectorAll(".footnote-backref").forEach(function (back) { back.remove(); });
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
  // Closed by the reader: the focus, if it was in the preview, goes back to its marker (which
  // does not open it again).
  function closeTip(returnFocus) {
    var marker = tipFor;
    var had = tip && tip.contains(document.activeElement);
    hideTip();
    if (marker && (returnFocus || had)) { quiet = marker; marker.focus(); quiet = null; }
  }
  function hideSoon() { window.clearTimeout(hideTimer); hideTimer = window.setTimeout(hideTip, 300); }
  function markerIn(event) {
    return event.target && event.target.closest ? event.target.closest("a.footnote-ref") : null;
  }
  document.addEventListener("pointerover", function (event) {
    var marker = markerIn(event);
    if (marker && event.pointerType !== "touch") showTip(marker);
  });
  document.addEventListener("pointerout", function (event) {
    if (markerIn(event) && event.pointerType !== "touch") hideSoon();
  });
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    if (tip && !tip.hidden && !tip.contains(event.target) && !markerIn(event)) hideTip();
  });
  document.addEventListener("click", function (event) {
    var marker = markerIn(event);
    if (!marker || (event.pointerType || lastPointer) !== "touch" || !footnoteOf(marker)) return;
    event.preventDefault();  // a tap previews the footnote here instead of jumping to the list
    showTip(marker);
    tip.focus({preventScroll: true});  // a screen reader reads it; closing brings the focus back
  });
  document.addEventListener("focusin", function (event) {
    var marker = markerIn(event);
    if (marker && marker !== quiet) showTip(marker);
    else if (!marker && tip && !tip.contains(event.target)) hideTip();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (tip && !tip.hidden) closeTip(false);
    else if (drawerOpen()) closeDrawer();
  });

  function onPage() {
    hideTip();
    citeControls();
    enhance();
    menuButton();
    syncDrawer();
    focusableScrolling();
  }

  if (window.document$) {
    window.document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
})();
