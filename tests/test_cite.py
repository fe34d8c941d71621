"""Citing the briefing (issue 23, item 5): the editors and year in every format, BibTeX that LaTeX
and BibTeX read as the words written, and copy buttons a keyboard reaches.

BibTeX is read back by a strict reader written here (no BibTeX library is locked): it counts
braces as BibTeX does, ignoring backslashes, and turns the escapes back into text; a special
character left bare ($ opens LaTeX's math mode, % comments out the rest of the line) fails.
"""

# ruff: noqa: F811  (the fixtures imported from test_browser are parameters of the tests here)
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, make_project
from helpers import serve
from test_browser import any_url, site_url, zensical_url  # noqa: F401 (fixtures)

from briefing.load.registry import load_registry
from briefing.project import read_settings
from briefing.render.pages import render_site
from briefing.render.references import BIB_SPECIAL, bib_text

SCRIPT = REPO / "scripts" / "briefing" / "assets" / "briefing.js"
# Every LaTeX special character, braces unbalanced both ways, a backslash before a brace, and
# what would end the field or the entry early.
HOSTILE = [
    "Cost $ 5 % of 100 & more # _ ^ ~ \\ { }",
    "}} , note = {pwned}, @misc{x,",
    "a \\{ b \\} c \\\\",
    "{{{ open",
    "close }}}",
    "100% \\textbf{bold} $x^2$ ~~",
    "line one\nline two\ttab",
]
TEXT_ESCAPES = {v: k for k, v in BIB_SPECIAL.items()}


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """Entries as (type, key, fields); raises ValueError where BibTeX would stop or misread."""
    entries, at = [], 0
    while True:
        start = text.find("@", at)
        if start < 0:
            if text[at:].strip():
                raise ValueError(f"text outside an entry: {text[at:]!r}")
            return entries
        if text[at:start].strip():
            raise ValueError(f"text outside an entry: {text[at:start]!r}")
        head = re.compile(r"@(\w+)\{([A-Za-z0-9_:.-]+),\s*").match(text, start)
        if not head:
            raise ValueError(f"bad entry head at {start}")
        fields: dict[str, str] = {}
        at = head.end()
        while True:
            if at >= len(text):
                raise ValueError("entry never closed")
            if text[at] == "}":
                at += 1
                break
            name = re.compile(r"(\w+)\s*=\s*\{").match(text, at)
            if not name:
                raise ValueError(f"bad field at {at}: {text[at : at + 30]!r}")
            depth, i = 1, name.end()
            while depth:  # BibTeX counts every brace, a backslash before it or not
                if i >= len(text):
                    raise ValueError("field never closed")
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            if name[1] in fields:
                raise ValueError(f"field {name[1]} twice")
            fields[name[1]] = text[name.end() : i - 1]
            at = re.compile(r"\s*,?\s*").match(text, i).end()
        entries.append((head[1], head[2], fields))


def latex_text(value: str) -> str:
    """The words LaTeX prints for a field: every escape undone; a bare special character is an error."""
    out, i = [], 0
    while i < len(value):
        for escape, char in TEXT_ESCAPES.items():
            if value.startswith(escape, i):
                out.append(char)
                i += len(escape)
                break
        else:
            if value[i] in "$%&#_^~\\{}":
                raise ValueError(f"bare {value[i]!r} in {value!r}")
            out.append(value[i])
            i += 1
    return "".join(out)


def test_the_strict_reader_refuses_what_the_old_escaping_let_through():
    """The reader is strict enough: the Cite box's old BibTeX (only \\ { } escaped) fails it."""
    old = "$5 \\{ note"  # the old script's bib("$5 { note")
    with pytest.raises(ValueError, match="bare"):
        latex_text(old)
    with pytest.raises(ValueError, match="entry never closed"):
        parse_bibtex("@misc{k,\n  title = {" + old + "}\n}\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_python_bibtex_reads_back_as_written(text):
    entry = "@online{k,\n  title = {" + bib_text(text) + "},\n  note = {x}\n}\n"
    [(kind, key, fields)] = parse_bibtex(entry)
    assert (kind, key, list(fields)) == ("online", "k", ["title", "note"])
    assert latex_text(fields["title"]) == " ".join(text.split())


def _script_table() -> dict[str, str]:
    line = next(x for x in SCRIPT.read_text(encoding="utf-8").splitlines() if "var BIB_SPECIAL =" in x)
    return json.loads(line.split("=", 1)[1].strip().rstrip(";"))


def test_one_escaping_rule_for_the_cite_box_and_sources_bib():
    assert _script_table() == BIB_SPECIAL


@pytest.mark.skipif(not shutil.which("node"), reason="node runs the page's own escaping function")
def test_the_cite_box_escapes_as_sources_bib_does():
    """The page's bib() itself, run by node on the same hostile texts: the same output as Python's."""
    source = SCRIPT.read_text(encoding="utf-8")
    table = re.search(r"^  var BIB_SPECIAL = .*$", source, re.M)[0]
    function = re.search(r"^  function bib\(text\) \{\n.*?\n  \}$", source, re.M | re.S)[0]
    program = f"{table}\n{function}\nprocess.stdout.write(JSON.stringify({json.dumps(HOSTILE)}.map(bib)));"
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [bib_text(t) for t in HOSTILE]


# --- the editors: briefing.toml, validated, at their line -------------------------------------


def settings_problems(tmp_path: Path, body: str) -> list[str]:
    (tmp_path / "briefing.toml").write_text("[briefing]\n" + body, encoding="utf-8")
    settings, problems = read_settings(tmp_path)
    return [f"{p.loc.line}:{p.loc.col}: {p.message}" for p in problems]


def test_editors_are_read_as_written(tmp_path):
    (tmp_path / "briefing.toml").write_text('[briefing]\neditors = ["A. Name", "Zoë O\'Brien & Co"]\n', "utf-8")
    settings, problems = read_settings(tmp_path)
    assert problems == [] and settings.editors == ("A. Name", "Zoë O'Brien & Co")


@pytest.mark.parametrize(
    "value, message",
    [
        ('"A. Name"', "2:11: setting 'editors' must be a list of names, not text"),
        ("[1]", "2:11: setting 'editors': name 1 must be text, not a number"),
        ('["A", ""]', "2:11: setting 'editors': name 2 '' is empty"),
        ('["A\\nB"]', "2:11: setting 'editors': name 1 'A\\nB' contains the invisible or control character U+000A"),
        ('["A\\u202eB"]', "2:11: setting 'editors': name 1 'A\\u202eB' contains the invisible or control"),
        ('["A  B"]', "2:11: setting 'editors': name 1 'A  B' must be a name on one line"),
        ('["A", "A"]', "2:11: setting 'editors': name 2 'A' is there twice"),
        ('["' + "x" * 201 + '"]', "is 201 characters long; the limit is 200"),
        ("[" + ", ".join(f'"N{i}"' for i in range(51)) + "]", "names 51 editors; the limit is 50"),
    ],
)
def test_bad_editors_are_located_errors(tmp_path, value, message):
    found = settings_problems(tmp_path, f"editors = {value}\n")
    assert len(found) == 1 and message in found[0], found


# --- the Cite box on the page ------------------------------------------------------------------

HOSTILE_EDITOR = 'Eve "</details><script>alert(1)</script> {x} $ & Co'


class CiteBoxes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "details" and ("class", "cite") in attrs:
            self.boxes.append(dict(attrs))


def rendered_boxes(project, settings_text: str) -> list[dict[str, str]]:
    (project.root / "briefing.toml").write_text(settings_text, encoding="utf-8")
    settings, problems = read_settings(project.root)
    assert problems == []
    registry, problems = load_registry(project.facts, project.root)
    assert problems == []
    page = render_site(registry, settings=settings)["topics/funding/index.md"]
    parser = CiteBoxes()
    parser.feed(page)
    return parser.boxes


def test_every_cite_box_carries_the_editors_and_the_year(project):
    boxes = rendered_boxes(project, f'[briefing]\neditors = [{json.dumps(HOSTILE_EDITOR)}, "B. Name"]\n')
    assert boxes and all(json.loads(b["data-editors"]) == [HOSTILE_EDITOR, "B. Name"] for b in boxes)
    assert {b["data-year"] for b in boxes} == {"2024"}  # the briefing's as_of


def test_without_editors_the_box_says_none(project):
    boxes = rendered_boxes(project, "[briefing]\n")
    assert boxes and {b["data-editors"] for b in boxes} == {"[]"}


# --- in a browser: the buttons, from the keyboard, at a phone's width and a desktop's ---------

STATEMENT_TAIL = " Costs: {x} $ % & # _ ^ ~ \\ }."


@pytest.fixture(scope="module")
def cite_site(tmp_path_factory):
    """The fixture briefing with editors and a statement carrying every LaTeX special, served locally."""
    project = make_project(tmp_path_factory.mktemp("cite"), with_site_config=True)
    statement = "Acme raised 2 billion yuan in a round led by Harbour Capital."
    project.edit("facts.yaml", f"statement: {statement}", f"statement: {json.dumps(statement + STATEMENT_TAIL)}")
    (project.root / "briefing.toml").write_text(
        f'[briefing]\neditors = [{json.dumps(HOSTILE_EDITOR)}, "B. Name"]\n', encoding="utf-8"
    )
    result = project.run("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    yield from serve(project.root / "site")


def open_cite(page, url: str, query: str = "", fact: str = "may-2024-round") -> None:
    page.goto(url + "topics/funding/" + query)
    box = page.locator(f"details.cite[data-fact='{fact}']")
    box.locator("summary").focus()
    page.keyboard.press("Enter")  # opens the box, as a reader with a keyboard does
    box.locator(".cite-copy").first.wait_for()  # made on the box's toggle event, which follows the key press


def cite_page(browser, url: str, width: int, scheme: str = "light", **opened):
    """A reader's window allowed the clipboard, with the Cite box open (`opened`: open_cite's query and fact)."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = context.new_page()
    open_cite(page, url, **opened)
    return context, page


def tab_to_button(page, name: str) -> None:
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == name:
            assert page.evaluate("document.activeElement.tagName") == "BUTTON"
            return
    pytest.fail(f"no button {name!r} within 12 Tab presses")


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_copy_buttons_put_each_format_on_the_clipboard(browser, cite_site, width):
    context, page = cite_page(
        browser, cite_site, width, query="?ref=}}%20note={x}"
    )  # a link's query is not the fact's address
    status = page.locator("details.cite[data-fact='may-2024-round'] .cite-status")
    assert status.get_attribute("aria-live") == "polite"
    copied = {}
    for name in ("Plain text", "BibTeX", "CSL-JSON"):
        tab_to_button(page, f"Copy {name}")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "s => document.querySelector(s).textContent === 'Copied'",
            arg="details.cite[data-fact='may-2024-round'] .cite-status",
        )
        copied[name] = page.evaluate("navigator.clipboard.readText()")
    context.close()
    statement = "Acme raised 2 billion yuan in a round led by Harbour Capital." + STATEMENT_TAIL
    address = cite_site + "topics/funding/#may-2024-round"
    assert copied["Plain text"].startswith(f"{HOSTILE_EDITOR} and B. Name (eds.). \u201c{statement}\u201d ")
    assert ", 2024. " + address + " (accessed " in copied["Plain text"]
    [(kind, key, fields)] = parse_bibtex(copied["BibTeX"])
    assert (kind, key) == ("misc", "may-2024-round")
    assert latex_text(fields["title"]) == statement
    assert fields["editor"] == "{" + bib_text(HOSTILE_EDITOR) + "} and {B. Name}"
    assert fields["year"] == "2024" and fields["url"] == address
    [item] = json.loads(copied["CSL-JSON"])
    assert item["title"] == statement and item["issued"] == {"date-parts": [[2024]]}
    assert item["editor"] == [{"literal": HOSTILE_EDITOR}, {"literal": "B. Name"}]


@pytest.mark.browser
def test_without_a_clipboard_the_text_is_selected(browser, cite_site):
    """No clipboard API (an insecure page, an old browser): the button selects the text and says so."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: undefined});"
        "document.execCommand = function () { return false; };"
    )
    page = context.new_page()
    open_cite(page, cite_site)
    tab_to_button(page, "Copy BibTeX")
    page.keyboard.press("Enter")
    status = page.locator("details.cite[data-fact='may-2024-round'] .cite-status")
    assert status.text_content().startswith("Selected: press Ctrl+C")
    selected = page.evaluate("window.getSelection().toString()")
    assert selected.startswith("@misc{may-2024-round,") and parse_bibtex(selected)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_open_cite_box_passes_axe(browser, cite_site, scheme, width):
    """The buttons and the live region, once shown, in both palettes: contrast, names, 24 px targets."""
    from helpers import axe_file

    context, page = cite_page(browser, cite_site, width, scheme)
    tab_to_button(page, "Copy BibTeX")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('details.cite[open] .cite-status').textContent === 'Copied'")
    page.add_script_tag(path=str(axe_file()))
    result = page.evaluate(
        "() => axe.run('details.cite[open]', {resultTypes: ['violations'], runOnly: {type: 'tag',"
        " values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    box = page.locator("details.cite[open] .cite-copy").first.bounding_box()
    context.close()
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]] == []
    assert box["height"] >= 24


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_the_real_briefing_cite_box_copies_on_both_engines(browser, any_url, width):
    """The real site, as MkDocs and Zensical build it: the box opens, its button copies parseable BibTeX."""
    context, page = cite_page(browser, any_url, width, fact="march-2025-round-amount")
    tab_to_button(page, "Copy BibTeX")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('details.cite[open] .cite-status').textContent === 'Copied'")
    [(kind, key, fields)] = parse_bibtex(page.evaluate("navigator.clipboard.readText()"))
    context.close()
    assert (kind, key) == ("misc", "march-2025-round-amount")
    assert fields["url"] == any_url + "topics/funding/#march-2025-round-amount" and fields["year"].isdigit()
    assert latex_text(fields["title"]) and latex_text(fields["howpublished"])
