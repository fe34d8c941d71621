"""Problems found in the registry: values with a location, collected and reported together."""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

# Characters that reorder the text around them on screen (Unicode's bidirectional controls).
BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}

# Every kind of problem the tool reports, by its code, with what it means. Tests and tools may
# match on a code; a message's words may change. tests/test_problem_codes.py holds the code base
# and CONTRIBUTING.md's list to this table.
CODES = {
    # reading YAML (load/yaml_loader.py)
    "file-too-large": "a registry file is larger than the limit",
    "file-not-utf8": "a registry file is not UTF-8 text",
    "empty-file": "a registry file holds nothing",
    "yaml-tab": "a tab character in a line's indentation",
    "yaml-syntax": "the YAML cannot be parsed",
    "yaml-character": "a character YAML does not allow",
    "yaml-second-document": "a second YAML document in one file",
    "yaml-too-deep": "lists or mappings nested deeper than the limit",
    "yaml-complex-key": "a key that is a list or a mapping",
    "yaml-duplicate-key": "the same key twice in one mapping",
    "yaml-long-number": "a number with more digits than the limit",
    "yaml-tag": "a YAML tag (!!python/object and the like)",
    "yaml-alias": "a YAML anchor or alias",
    # which files are the registry (load/discovery.py, load/registry.py)
    "file-name-not-utf8": "a registry file's name is not UTF-8",
    "registry-suffix": "a registry file's suffix is not lowercase .yaml or .yml",
    "linked-registry-folder": "a folder under facts/ is a symbolic link",
    "schema-copy-differs": "facts/registry.schema.json, the editors' copy of the schema, is not the build's",
    "linked-registry-file": "a registry file is a symbolic link, or reached through one",
    "no-registry-files": "facts/ holds no registry file",
    "unreadable-file": "a registry file cannot be read",
    # the schema (load/validation.py)
    "file-not-mapping": "a registry file is not a mapping of sections",
    "unknown-field": "a field the schema does not define (often a typo)",
    "missing-field": "a required field is missing",
    "wrong-type": "a value of the wrong type (text, number, list, mapping)",
    "blank-value": "a text value that is only white space",
    "invisible-character": "a control or bidirectional character in a text",
    "bad-value": "a value that does not have the form its field needs (an id, a URL, a date...)",
    "not-a-date": "a date that names no real day",
    "not-a-choice": "a value that is not one of its field's choices",
    "empty-value": "an empty text or list",
    "too-few-items": "a list with fewer items than its field needs",
    "too-long": "a text longer than its field's limit",
    "repeated-item": "a list that names the same item twice",
    "out-of-range": "a number below or above its field's bounds",
    "empty-entry": "an entry with no fields",
    "schema": "any other way a file breaks the schema",
    # ids and references (check/references.py, check/speakers.py)
    "no-briefing": "no registry file has a 'briefing:' section",
    "second-briefing": "a second 'briefing:' section",
    "duplicate-id": "two entries of one kind with the same id",
    "unknown-id": "a reference to an id that is not defined",
    "control-fact-unrelated": "controlled_by points to a fact that does not name both entities",
    "key-number-without-value": "a key number's fact has no value",
    "quote-too-short": "a quote too short to be evidence",
    "too-many-words": "a quote or an omission's excerpt longer than the word limit",
    "converted-source-not-cited": "a converted figure's source is not cited by its fact",
    "quote-cited-twice": "a fact cites the same quote twice",
    "unused-source": "a source no fact cites",
    "unused-entity": "an entity no fact names",
    "unused-topic": "a topic with no facts",
    "based-on-itself": "a source based on itself",
    "claim-without-party-words": "a claim shown as a party's with no citation of that party's words",
    # figures and dates (check/statements.py)
    "unreadable-figure": "something in a statement looks like a figure but cannot be read",
    "figure-not-quoted": "a statement's figure is in none of its quotes",
    "figure-currency": "a statement's figure has another currency than its quote's",
    "qualifier-dropped": "a statement drops its source's qualifier ('over', 'about')",
    "qualifier-changed": "a statement's qualifier is not one its source's supports",
    "amount-not-quoted": "a fact's value is in none of its quotes",
    "amount-currency": "a fact's value has another currency than its quote's",
    "amount-qualifier": "a fact's value has a qualifier its quote does not support",
    "year-not-quoted": "a year in a statement is neither the fact's date nor in its quotes",
    "month-not-quoted": "a month in a statement is neither the fact's date nor in its quotes",
    "derived-without-figure": "a derived entry gives no figure",
    # disagreements (check/disagreements.py)
    "single-version": "a disagreement with one version that is not marked erroneous",
    "erroneous-without-version": "an 'erroneous' verdict with no version ranked erroneous",
    # quotes against the archive (check/quotes.py; why a quote is not found: check/misquotes.py)
    "archive-folder-missing": "the archive folder is missing: quotes go unverified",
    "archive-name": "an archive file name that is not a plain name in the archive folder",
    "archive-linked": "an archive file is a symbolic link",
    "archive-missing": "an archive file is not in the archive folder",
    "archive-changed": "an archive file does not match its recorded sha256",
    "archive-not-utf8": "an archive file is not UTF-8 text",
    "quote-not-found": "a quote's words are not in its source's archived text (past the first 20: any quote not found)",
    "quote-cut-mid-word": "a quote stands in its source only cut inside a word or a number",
    "quote-look-alike": "a quote stands in its source only if look-alike characters (fullwidth, ligatures) count",
    # what the sources carry (check/evidence.py)
    "same-document": "two sources with the same archived text (one document is one source)",
    "speaker-not-in-paragraph": "a speaker not named in the quote's paragraph",
    "vague-via": "a via that names no particular document or outlet",
    "via-not-in-paragraph": "a via not named in the quote's paragraph",
    "version-only-context": "a disagreement's version whose citations are all context",
    "no-supporting-citation": "a fact whose citations are all context",
    "source-lacks-figures": "a cited source carries none of the statement's figures",
    "source-lacks-dates": "a cited source dates its words otherwise than the statement",
    # the newsroom's rules (check/standards.py)
    "hedge-dropped": "a quote hedges and the statement does not",
    "unattributed-hedge": "'reportedly' and the like without saying who reports it",
    "opens-on-pointer": "a statement opens on 'This', 'It', 'The same'...",
    "own-words-undated": "an outlet's own words in a fact with no date",
    "own-words-misdated": "an outlet's own description dated otherwise than its article",
    "unknown-investor": "an investor that is not a defined entity",
    "investor-is-subject": "the briefing's subject listed among its own investors",
    "investor-kind": "an investor that is not an organisation or a person",
    "investor-not-entity": "an investor not among the fact's entities",
    "preferred-without-reason": "a version ranked preferred without a reason",
    "erroneous-words-unquoted": "a version ranked erroneous that does not quote the wrong words",
    "claim-words-unquoted": "a claim's quoted words are in none of its quotes",
    "repeats-erroneous-words": "a text repeats the wording of a version ranked erroneous",
    "id-spells-erroneous-words": "an id spells the wording of a version ranked erroneous",
    # coverage of the archived texts (check/coverage.py)
    "excerpt-not-found": "an omission's excerpt is not in its source's archived text",
    "excerpt-across-sentences": "an omission's excerpt runs across two sentences",
    "excerpt-ambiguous": "an omission's excerpt stands in more than one sentence",
    "omitted-twice": "a sentence listed as omitted twice",
    "omitted-but-quoted": "a sentence both quoted and listed as omitted",
    # corrections and retractions (check/corrections.py)
    "retraction-of-present-fact": "a retraction names a fact that is still in the registry",
    "correction-missing": "a fact's statement or value changed without a correction",
    "retraction-missing": "a fact was retracted without a reason",
    "dated-after-today": "a correction or a retraction is dated after today",
    "retraction-unknown": "a retraction names a fact no revision in the history published and removed",
    "dated-before-fact": "a correction or a retraction is dated before its fact was first published",
    # settings (project.py)
    "settings-too-large": "briefing.toml is larger than the limit",
    "settings-not-utf8": "briefing.toml is not UTF-8",
    "settings-not-toml": "briefing.toml is not valid TOML",
    "settings-unknown-table": "a table or key outside [briefing]",
    "settings-not-table": "'briefing' is not a table",
    "unknown-setting": "a setting the tool does not know",
    "bad-setting": "a setting with a value it cannot take",
    "settings-site-url-variable": "BRIEFING_SITE_URL is not an absolute http(s) address",
    # the site's configuration and hand-written pages (load/config.py, render/site_source.py)
    "config-linked": "mkdocs.yml is a symbolic link",
    "config-unreadable": "mkdocs.yml cannot be read",
    "config-not-utf8": "mkdocs.yml is not UTF-8",
    "config-not-yaml": "mkdocs.yml is not plain YAML",
    "config-not-mapping": "mkdocs.yml is not a mapping of settings",
    "config-hooks": "mkdocs.yml has hooks (code the build would run)",
    "config-docs-dir": "mkdocs.yml's docs_dir is not docs",
    "linked-folder": "docs/ or templates/ is a symbolic link",
    "linked-page": "a hand-written page or template is a symbolic link",
    "linked-docs": "docs/ is a symbolic link",
    "page-address-taken": "a hand-written page has the address of a generated one",
    "active-content": "a hand-written page has something a reader's browser would run or fetch",
    # the build's own files (load/cache.py, write/output.py)
    "cache-tracked": "a file under .cache/ is tracked by git",
    "not-own-path": "a path under .cache/ is not what the build left there",
    "cache-folder-kind": "a folder the build writes into is not a folder of its own",
    "lock-unopenable": "the build lock cannot be opened",
    "lock-foreign": "the build lock is not a file of the build's own",
    "record-kind": "the build record is not a plain file",
    "record-foreign": "the build record was not written by a build of yours",
    "record-unreadable": "the build record cannot be read",
    "record-bad-move": "the build record names a move the build never makes",
    "search-index-failed": "Pagefind could not index the built site (write/search.py)",
    "search-site-link": "the built site holds a symbolic link Pagefind would read through",
    # commands that rewrite files (commands/common.py)
    "linked-input": "a file the command would read or write is a symbolic link",
    "value-would-change": "rewriting the file would change a value",
    "comment-would-be-lost": "rewriting the file would lose a comment",
}


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a file, 1-based, so a contributor's editor can jump to it."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where."""

    loc: Loc
    message: str
    severity: Severity = "error"
    hint: str | None = None
    code: str = ""  # the kind of problem, one of CODES: stable, unlike the message's words

    def __str__(self) -> str:
        """`path:line:col: error: message`, without the code (see `format_problem`)."""
        return f"{self.loc}: {self.severity}: {self.message}"


def error(loc: Loc, message: str, hint: str | None = None, *, code: str = "") -> Problem:
    """Shorthand for the common case."""
    return Problem(loc, message, "error", hint, code)


def warning(loc: Loc, message: str, hint: str | None = None, *, code: str = "") -> Problem:
    """Shorthand for something worth fixing that does not stop a normal build."""
    return Problem(loc, message, "warning", hint, code)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order by file and position so the report reads like the files do."""
    return sorted(problems, key=lambda p: (p.loc, p.message))


def with_code(problem: Problem) -> str:
    """`path:line:col: error: message [code]`: the code last, so that what parses the prefix still does."""
    return f"{problem} [{problem.code}]" if problem.code else str(problem)


def terminal_safe(text: str) -> str:
    """`text` with its control, line-breaking and direction characters written as escapes (\\x1b,
    \\n, \\u202e): a file name or a value quoted in a report cannot start a line that CI reads
    as a command, move a terminal's cursor, or reorder what a contributor reads."""
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if ch != "\t" and (unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ord(ch) in BIDI)
        else ch
        for ch in text
    )


def format_problem(problem: Problem, source_lines: list[str] | None = None) -> str:
    """Render `path:line:col: error: message [code]`, the offending line with a caret, and the hint;
    all of it terminal_safe."""
    out = [with_code(problem)]
    if source_lines and 0 < problem.loc.line <= len(source_lines):
        text = source_lines[problem.loc.line - 1].rstrip("\n")
        if len(text) <= 200:
            number = str(problem.loc.line)
            out.append(f"  {number} | {text}")
            out.append(f"  {' ' * len(number)} | {' ' * (problem.loc.col - 1)}^")
    if problem.hint:
        out.append(f"  hint: {problem.hint}")
    return "\n".join(terminal_safe(line) for line in out)


def format_github(problem: Problem) -> str:
    """Render a GitHub Actions workflow command, so the problem shows on the pull request's diff."""

    def esc(text: str) -> str:
        return terminal_safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

    def esc_prop(text: str) -> str:
        return esc(text).replace(":", "%3A").replace(",", "%2C")

    message = problem.message + (f" [{problem.code}]" if problem.code else "")
    message += f" (hint: {problem.hint})" if problem.hint else ""
    loc = problem.loc
    return f"::{problem.severity} file={esc_prop(loc.path)},line={loc.line},col={loc.col}::{esc(message)}"


# Where the generator's templates are in a clone (an editable install): where a briefing project
# keeps them, and a wheel carries them inside the package (pyproject.toml).
_IN_A_CLONE = {"briefing.templates": "templates"}


def package_folder(name: str) -> Path:
    """Where one of the generator's data folders is (briefing.templates, briefing.schema, ...)."""
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    clone = Path(__file__).resolve().parent.parent.parent / _IN_A_CLONE.get(name, "")
    if name in _IN_A_CLONE and clone.is_dir():
        return clone
    raise RuntimeError(f"the generator's {name} folder is missing: reinstall it")
