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

  if (window.document$) {
    window.document$.subscribe(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", enhance);
  }
})();
