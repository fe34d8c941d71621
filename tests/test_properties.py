"""Property tests: escaping round-trips any text, and no registry can make the build raise."""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path

from fixture_registry import ARCHIVE, FILES
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_pages import site_markdown

from briefing.pipeline import Options, gather
from briefing.render.escaping import md_text
from briefing.render.pages import render_site

MD = site_markdown()

# Any printable text, weighted towards the characters Markdown, its extensions and HTML care about.
SPECIALS = "\\`*_{}[]()#+-.!|<>&;:\"'=~^$%@/ \n\t0123456789"
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(SPECIALS),
        st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
    ),
    max_size=80,
)

# The places the generator puts registry text in a page.
CONTEXTS = [
    "{}",
    "- {}",
    "### {} {{ #an-id }}",
    "| a | b |\n|---|---|\n| {} | y |",
    "> “{}”",
    "text[^1]\n\n[^1]: [Source](s.md#a), 2024: “{}”",
    "Term\n:   {}",
    "**{}**",
    "[{}](page.md#anchor)",
    # raw HTML blocks (fact blocks, list lines, table rows): Markdown passes them through
    '<p class="fact-about">About: <a href="x/">{0}</a><span hidden>{0}</span></p>',
    '<ul>\n<li>{} (<a href="x/">in context</a>)</li>\n</ul>',
]


def tags(out: str) -> list[str]:
    return sorted(re.findall(r"<([a-z0-9]+)", out))


def visible(out: str) -> str:
    out = re.sub(r'<a class="footnote-backref".*?</a>', "", out)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", out)).split())


@settings(max_examples=300, deadline=None)
@given(text=TEXT, context=st.sampled_from(CONTEXTS))
def test_escaped_text_renders_as_itself_with_no_new_tags(text, context):
    assume(text.strip())  # the schema refuses blank text
    rendered = MD.reset().convert(context.format(md_text(text)))
    plain = MD.reset().convert(context.format("PLACEHOLDER"))
    assert tags(rendered) == tags(plain)
    expected = visible(plain).replace("PLACEHOLDER", " ".join(text.split()))
    assert visible(rendered) == " ".join(expected.split())


# --- random registries -------------------------------------------------------------------

LINE_EDITS = st.sampled_from(["delete", "duplicate", "replace-value", "insert-text", "indent", "dedent"])
NOISE = st.text(alphabet=st.sampled_from("abc-:[]{}#&*!|>'\"\t 0123\\%@`"), max_size=12)


@st.composite
def mutated_registry(draw) -> dict[str, str]:
    """The fixture registry with a few random edits to random lines of random files."""
    files = dict(FILES)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        lines = files[name].split("\n")
        index = draw(st.integers(0, len(lines) - 1))
        edit, noise = draw(LINE_EDITS), draw(NOISE)
        line = lines[index]
        if edit == "delete":
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, line)
        elif edit == "replace-value" and ":" in line:
            lines[index] = line.split(":", 1)[0] + ": " + noise
        elif edit == "insert-text":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + noise + line[at:]
        elif edit == "indent":
            lines[index] = "  " + line
        elif edit == "dedent":
            lines[index] = line[2:]
        files[name] = "\n".join(lines)
    return files


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=mutated_registry())
def test_any_registry_builds_or_fails_with_located_errors(files):
    root = Path(tempfile.mkdtemp())
    try:
        (root / "facts").mkdir()
        (root / "archive").mkdir()
        for name, text in ARCHIVE.items():
            (root / "archive" / name).write_text(text, encoding="utf-8")
        for name, text in files.items():
            (root / "facts" / name).write_text(text, encoding="utf-8")
        registry, problems = gather(Options(root, root / "archive", strict=True, site_dir=root / "site"))
        for problem in problems:
            assert problem.loc.path.startswith("facts/"), str(problem)
            assert problem.loc.line >= 1 and problem.loc.col >= 1, str(problem)
            assert problem.message
        if not any(p.severity == "error" for p in problems):
            pages = render_site(registry)
            assert "index.md" in pages
    finally:
        shutil.rmtree(root)


# --- figures: what the reader reads is what is written, whatever the form -----------------

CURRENCY_FORMS = [("US${}", "USD"), ("HK${}", "HKD"), ("S${}", "SGD"), ("{} yuan", "CNY"), ("RMB{}", "CNY"),
                  ("{} RMB", "CNY"), ("{} Hong Kong dollars", "HKD"), ("€{}", "EUR"), ("¥{}", "¥"), ("{} dollars", "dollars")]  # fmt: skip
SCALE_FORMS = [(" billion", 9), ("bn", 9), ("B", 9), (" million", 6), ("m", 6), (" trillion", 12), ("tn", 12)]


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(0, 10**6),
    cents=st.one_of(st.none(), st.integers(1, 99)),
    currency=st.sampled_from(CURRENCY_FORMS),
    scale=st.sampled_from(SCALE_FORMS),
    fullwidth=st.booleans(),
)
def test_any_written_amount_is_read_as_its_value_and_currency(whole, cents, currency, scale, fullwidth):
    """Every way the news writes an amount reads back exactly, fullwidth digits too; nothing is left unread."""
    from decimal import Decimal

    from briefing.check.figures import figures, unread

    number = f"{whole:,}" + (f".{cents:02d}" if cents else "")
    if fullwidth:
        number = number.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    form, code = currency
    text = "Acme raised " + form.format(number + scale[0]) + " in May."
    read = figures(text)
    expected = Decimal(f"{whole}.{cents or 0:02d}").scaleb(scale[1])
    assert [(f.value, f.currency) for f in read] == [(expected, code)], text
    assert unread(text) == [], text


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["can't", "won't", "Zhipu's", "it's", "rock'n'roll", "can", "won", "Zhipu", "list", "t", "s"]), min_size=3, max_size=10), data=st.data())  # fmt: skip
def test_a_quote_found_never_starts_or_ends_inside_a_contraction(words, data):
    """Wherever a quote is found, the archive's characters just outside it are not letters joined by an apostrophe."""
    from briefing.check.matching import ArchivedText

    text = ArchivedText(" ".join(w.replace("'", data.draw(st.sampled_from(["'", "\u2019"]))) for w in words) + ".")
    start = data.draw(st.integers(0, len(text.text) - 1))
    end = data.draw(st.integers(start + 1, len(text.text)))
    quote = text.text[start:end]
    span = text.find(quote)
    if span is not None:
        before, after = text.text[: span.start], text.text[span.end :]
        assert not (before[-1:] in ("'", "\u2019") and before[-2:-1].isalpha()), (quote, text.text)
        assert not (after[:1] in ("'", "\u2019") and after[1:2].isalpha()), (quote, text.text)
        assert not (before[-1:].isalpha() and text.text[span.start].isalpha()), (quote, text.text)
        assert not (after[:1].isalpha() and text.text[span.end - 1].isalpha()), (quote, text.text)
        inside = text.text[span.start : span.end]
        assert not (inside[-1] in ("'", "\u2019") and after[:1].isalpha() and inside[-2:-1].isalpha()), quote
        assert not (inside[0] in ("'", "\u2019") and before[-1:].isalpha() and inside[1:2].isalpha()), quote
