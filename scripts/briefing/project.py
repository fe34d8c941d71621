"""The project a command runs in: its root, found as git finds a repository, and its settings.

A briefing project is a folder with `briefing.toml` (the few settings below), `facts/`,
`mkdocs.yml` and `docs/`. Every command finds the root by walking up from the folder it is
started in, so it works from `facts/` or `docs/` alike and writes only under the root.

The settings are input like the registry: whoever can change briefing.toml (or the
BRIEFING_SITE_URL a deployment sets) must not be able to put markup on a page or crash a
build. Every key is checked, all problems are reported in one run, each at its line.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import unquote

from briefing.problems import Loc, Problem, error, package_folder

PROJECT_FILE = "briefing.toml"
SITE_URL_VARIABLE = "BRIEFING_SITE_URL"
MAX_SETTINGS_BYTES = 64 * 1024
MAX_SUBJECT = 200
MAX_NUMBER = 1_000_000
MAX_ARCHIVE = 1000
MAX_EDITORS = 50
SEARCHES = ("pagefind", "builtin")  # the site's search: Pagefind with the site's own box, or the engine's own


@dataclass(frozen=True)
class Settings:
    """What a briefing sets in briefing.toml; every field has the default a new project gets."""

    subject: str = ""  # what the briefing is about, in words ("Zhipu AI")
    site_url: str = ""  # where the site is published; sitemaps and canonical links need it
    archive: str = "../shared/sources"  # the folder of archived source texts, from the root
    language: str = "en"  # the site's language, for the theme
    listing_limit: int = 150  # facts on one page before a listing is split by year, then month
    nav_limit: int = 60  # entities or sources named one by one in the menus; more: from their index
    search_quotes_limit: int = 2000  # up to this many facts, search finds a fact by its quotes' words
    editors: tuple[str, ...] = ()  # who edits the briefing, as each name is written: every citation names them
    repository: str = ""  # the project's repository (https): every fact links to a prefilled issue there
    search: str = "builtin"  # "pagefind": the site's own search box over a Pagefind index; "builtin": the engine's

    def searches_quotes(self, facts: int) -> bool:
        """Whether search finds a fact by its quotes' words: Pagefind fetches only the chunks a query needs, so always."""
        return self.search == "pagefind" or facts <= self.search_quotes_limit


DEFAULTS = Settings()


def find_root(start: Path) -> Path:
    """The nearest folder from `start` up with briefing.toml (or, for older projects, mkdocs.yml and facts/)."""
    folders = (start, *start.parents)
    for folder in folders:
        if (folder / PROJECT_FILE).is_file():
            return folder
    for folder in folders:
        if (folder / "mkdocs.yml").is_file() and (folder / "facts").is_dir():
            return folder
    return start


def read_settings(root: Path, environ: Mapping[str, str] | None = None) -> tuple[Settings, list[Problem]]:
    """The project's settings (BRIEFING_SITE_URL in `environ` overriding site_url); problems name where."""
    settings, problems = _read_file(root / PROJECT_FILE)
    override = (environ or {}).get(SITE_URL_VARIABLE)
    if override:  # where a deployment publishes the site (the CI workflow sets it)
        why = site_url_problem(override)
        if why:
            problems.append(
                error(
                    Loc(SITE_URL_VARIABLE),
                    f"the environment variable {SITE_URL_VARIABLE} {why}",
                    code="settings-site-url-variable",
                )
            )
        else:
            settings = replace(settings, site_url=override)
    return (Settings(), problems) if problems else (settings, [])


def setting_place(root: Path, key: str) -> Loc:
    """Where briefing.toml gives `key` its value, for a problem the setting leads to; the file if it does not."""
    try:
        return _Places((root / PROJECT_FILE).read_text(encoding="utf-8")).value(key)
    except (OSError, UnicodeDecodeError):
        return Loc(PROJECT_FILE)


def _read_file(path: Path) -> tuple[Settings, list[Problem]]:
    if not path.is_file():
        return Settings(), []
    raw = path.read_bytes()
    if len(raw) > MAX_SETTINGS_BYTES:
        return Settings(), [
            error(
                Loc(PROJECT_FILE),
                f"file is {len(raw):,} bytes; the limit is {MAX_SETTINGS_BYTES:,}",
                code="settings-too-large",
            )
        ]
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return Settings(), [error(Loc(PROJECT_FILE, line), "file is not UTF-8", code="settings-not-utf8")]
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = Loc(PROJECT_FILE, int(found[1]), int(found[2])) if found else Loc(PROJECT_FILE)
        return Settings(), [
            error(where, f"not valid TOML: {re.sub(r' [(]at .*[)]$', '', str(exc))}", code="settings-not-toml")
        ]
    places = _Places(text)
    problems = [
        error(
            places.key(key, top=True),
            f"unknown table or key {_shown(key)}: the settings go in one [briefing] table",
            code="settings-unknown-table",
        )
        for key in data
        if key != "briefing"
    ]
    section = data.get("briefing", {})
    if not isinstance(section, dict):
        return Settings(), [
            *problems,
            error(places.key("briefing", top=True), "'briefing' must be a [briefing] table", code="settings-not-table"),
        ]
    known = {f.name: f.default for f in fields(Settings)}
    values = {}
    for key, value in section.items():
        why, hint = _setting_problem(key, value, known)
        if why:
            at = places.key(key) if why.startswith("unknown") else places.value(key)
            problems.append(
                error(at, why, hint, code="unknown-setting" if why.startswith("unknown") else "bad-setting")
            )
        else:
            values[key] = tuple(value) if isinstance(known[key], tuple) else value
    return Settings(**values), problems


def _setting_problem(key: str, value: object, known: dict) -> tuple[str | None, str | None]:
    """Why one [briefing] key cannot be used, and a hint; (None, None) if it can."""
    if key not in known:
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(known)
        return f"unknown setting {_shown(key)}", hint
    default = known[key]
    if isinstance(default, tuple):
        return editors_problem(value), 'for example editors = ["A. Name", "B. Name"]'
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            return f"setting '{key}' must be a whole number, not {_kind(value)}", f"for example {key} = {default}"
        if not 1 <= value <= MAX_NUMBER:
            return f"setting '{key}' must be from 1 to {MAX_NUMBER:,}, not {value}", None
        return None, None
    if not isinstance(value, str):
        return f"setting '{key}' must be text, not {_kind(value)}", f'put it in quotes: {key} = "..."'
    if key == "language":
        return language_problem(value)
    if key == "search" and value not in SEARCHES:
        why = f"setting 'search' is {_shown(value)}; it must be one of: {', '.join(SEARCHES)}"
        return why, 'for example search = "pagefind"'
    why = hint = None
    if key == "subject" and value:
        why = subject_problem(value)
    elif key == "site_url" and value:
        why = site_url_problem(value)
        hint = 'for example site_url = "https://example.org/briefing/"'
    elif key == "repository" and value:
        why = repository_problem(value)
        hint = 'for example repository = "https://github.com/owner/briefing"'
    elif key == "archive" and (not value.strip() or len(value) > MAX_ARCHIVE or _bad_character(value)):
        why = f"must be a folder's path on one line, of at most {MAX_ARCHIVE} characters"
    return (f"setting '{key}': {why}", hint) if why else (None, None)


def editors_problem(editors: object) -> str | None:
    """Why `editors` cannot name the briefing's editors; None if it can.

    Each name goes into every citation (plain text, BibTeX, CSL-JSON) as it is written: so a
    name on one line, with nothing invisible in it, and each name once.
    """
    if not isinstance(editors, list):
        return f"setting 'editors' must be a list of names, not {_kind(editors)}"
    if len(editors) > MAX_EDITORS:
        return f"setting 'editors' names {len(editors)} editors; the limit is {MAX_EDITORS}"
    for number, name in enumerate(editors, 1):
        if not isinstance(name, str):
            return f"setting 'editors': name {number} must be text, not {_kind(name)}"
        why = _name_problem(name)
        if why:
            return f"setting 'editors': name {number} {_shown(name)} {why}"
        if name in editors[: number - 1]:
            return f"setting 'editors': name {number} {_shown(name)} is there twice"
    return None


def _name_problem(name: str) -> str | None:
    """Why a text cannot be a name on one line; None if it can."""
    if not name.strip():
        return "is empty"
    if len(name) > MAX_SUBJECT:
        return f"is {len(name)} characters long; the limit is {MAX_SUBJECT}"
    bad = _bad_character(name)
    if bad:
        return f"contains the invisible or control character U+{ord(bad):04X}"
    if name != " ".join(name.split()):
        return "must be a name on one line, with single spaces and none at either end"
    return None


def subject_problem(subject: str) -> str | None:
    """Why a subject cannot name a briefing; None if it can.

    The subject becomes the site's name, which the theme puts into <title> and attributes
    without escaping: so no markup characters, and no invisible ones that reorder or hide text.
    """
    why = _name_problem(subject)
    if why:
        return f"the subject {why}"
    markup = next((ch for ch in subject if ch in '<>"'), None)
    if markup:
        return f"the subject contains '{markup}': the theme shows the site's name unescaped, so <, > and \" are refused"
    if re.search(r"&(?!\s|$)", subject):
        return (
            "the subject contains '&' before a letter, digit or sign: write '&' only before a space ('Smith & Jones')"
        )
    return None


_URL = re.compile(
    r"(?i:https?)://"
    r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
    r"(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<path>/(?:[A-Za-z0-9._~!$()*+,;=:@/-]|%[0-9A-Fa-f]{2})*)?",
    re.ASCII,
)


def site_url_problem(url: str) -> str | None:
    """Why an address cannot be where the site is published; None if it can.

    It becomes canonical links, og:url and the sitemap, which the theme writes unescaped: so only
    an absolute http(s) address of a host and a plain path, nothing that could end an attribute.
    """
    if len(url) > 500:
        return f"is {len(url)} characters long; the limit is 500"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        return f"must be an absolute http:// or https:// address, not {_shown(url)}"
    bad = next((ch for ch in url if ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch in "\"'<>`\\"), None)
    if bad:
        return f"must not contain {_character(bad)}: {_shown(url)}"
    rest = url.split("://", 1)[1] if "://" in url else ""
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority:
        return "must not carry a user name or password (user@host)"
    if "?" in url or "#" in url:
        return "must be the site's address alone, with no query (?) or fragment (#)"
    match = _URL.fullmatch(url)
    if not match or not match["host"]:
        return f"is not an address of a host with a plain path: {_shown(url)}"
    if match["port"] and not 1 <= int(match["port"]) <= 65535:
        return f"has the port {match['port']}, which does not exist"
    if any(unquote(part) in (".", "..") for part in (match["path"] or "").split("/")):
        return "must not have '.' or '..' in its path (nor '%2e' for a dot, which browsers read as one)"
    return None


def repository_problem(url: str) -> str | None:
    """Why an address cannot be the repository readers report errors to; None if it can: https only."""
    if not url.lower().startswith("https://"):
        return f"must be an https:// address, not {_shown(url)}"
    return site_url_problem(url)


def languages() -> list[str]:
    """The languages the installed theme (mkdocs-material) has a translation for."""
    try:
        folder = package_folder("material") / "templates" / "partials" / "languages"
    except RuntimeError:
        return []
    return sorted(p.stem for p in folder.glob("*.html") if p.stem != "custom")


def language_problem(language: str) -> tuple[str | None, str | None]:
    """Why the theme cannot show the site in `language`, and the nearest it can; (None, None) if it can."""
    known = languages()
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}", language, re.ASCII):
        return f"setting 'language' is {_shown(language)}, which is not a language tag", 'for example language = "en"'
    if not known or language in known:
        return None, None
    lowered = {k.lower(): k for k in known}
    primary = language.replace("_", "-").split("-")[0].lower()
    close = [lowered[language.lower().replace("_", "-")]] if language.lower().replace("_", "-") in lowered else []
    close = close or ([lowered[primary]] if primary in lowered else [])
    close = close or difflib.get_close_matches(language, known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(known)
    return f"setting 'language' is {_shown(language)}, which the theme has no translation for", hint


# Letters and signs that print as nothing: a name of them would read as blank (Hangul fillers, braille blank).
BLANK_LOOKING = "\u115f\u1160\u3164\uffa0\u2800"


def _bad_character(text: str) -> str | None:
    """The first control, format (bidi, zero-width), separator, unassigned or blank-looking character; None if none."""
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] == "C" or category in ("Zl", "Zp") or (category == "Zs" and ch != " ") or ch in BLANK_LOOKING:
            return ch
    return None


def _character(ch: str) -> str:
    return f"U+{ord(ch):04X}" if ch.isspace() or not ch.isprintable() else f"'{ch}'"


def _shown(text: str) -> str:
    """A value in a message, short and with nothing invisible left in it."""
    text = text if len(text) <= 80 else text[:77] + "..."
    return repr(text).encode("ascii", "backslashreplace").decode("ascii")


def _kind(value: object) -> str:
    names = {bool: "true or false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


class _Places:
    """Where a key of briefing.toml is written: tomllib gives no positions, so a small scan finds its line."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def key(self, key: str, top: bool = False) -> Loc:
        """The line and column of `key`'s first assignment, or the file if the scan cannot find it."""
        found = self._find(key, top)
        return Loc(PROJECT_FILE, found[0], found[1]) if found else Loc(PROJECT_FILE)

    def value(self, key: str) -> Loc:
        """Where the value given to `key` starts."""
        found = self._find(key, top=False)
        return Loc(PROJECT_FILE, found[0], found[2]) if found else Loc(PROJECT_FILE)

    def _find(self, key: str, top: bool) -> tuple[int, int, int] | None:
        name = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""
        table = rf"^\s*\[\s*{name}\s*\]" if top else None
        assignment = re.compile(rf"^(\s*(?:briefing\s*\.\s*)?)({name})\s*=\s*")
        for number, line in enumerate(self.lines, 1):
            if table and re.match(table, line):
                return number, line.index("[") + 1, line.index("[") + 1
            match = assignment.match(line)
            if match:
                return number, match.start(2) + 1, match.end() + 1
        for number, line in enumerate(self.lines, 1):  # an inline table: briefing = {key = ...}
            match = re.search(rf"[{{,]\s*({name})\s*=\s*", line)
            if match:
                return number, match.start(1) + 1, match.end() + 1
        return None
