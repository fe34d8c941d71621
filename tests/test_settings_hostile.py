"""Hostile settings: briefing.toml, BRIEFING_SITE_URL and `briefing init`'s arguments are input.

Whoever can change them must not put markup on a page, crash a command, or make `init` write
half a project; numbers in the registry must not crash a build; unknown ids must not make a
check slow. Every refusal is a located error, all of them in one run, and nothing is written.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
import yaml
from conftest import BRIEFING, REPO, Project, run_briefing
from helpers import Scan, commit, git, problems, snapshot

from briefing.check import references
from briefing.problems import Loc
from briefing.project import languages, read_settings, site_url_problem, subject_problem
from briefing.tools.init import project_files, subject_id, write_project

SKELETON = REPO / "scripts" / "briefing" / "skeleton"


def run(command: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """COMMAND in `cwd`, with none of the settings the environment could give; `briefing` in this process."""
    dropped = ("BRIEFING_SOURCES", "GITHUB_ACTIONS", "BRIEFING_SITE_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    full = {k: v for k, v in os.environ.items() if k not in dropped}
    if command[0] == BRIEFING:
        return run_briefing(command[1:], cwd, {**full, **(env or {})})
    return subprocess.run(command, cwd=cwd, env={**full, **(env or {})}, capture_output=True, text=True, timeout=600)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


# --- the subject: `briefing init --subject` -------------------------------------------------

# Accepted: the most awkward subject the rule lets through (quotes for YAML and TOML, a
# backslash, template and Markdown syntax, '&' before a space and at the end).
AWKWARD = "Q & A 'x' {{ 7*7 }} {% if 1 %}y{% endif %} \\ *b* [l](javascript:alert(1)) {as_of} &"
AWKWARD_URL = "https://example.org/a;b,c(d)*+$!~:@/"

REFUSED_SUBJECTS = {
    "Acme</title><script>alert(1)</script>": "contains '<'",
    'Acme" onmouseover="alert(1)': "contains '\"'",
    "Acme > Beta": "contains '>'",
    "AT&T": "contains '&' before",
    "A&lt;script&gt;": "contains '&' before",
    "Acme\u202eX": "U+202E",  # right-to-left override
    "Acme\x7f": "U+007F",  # DEL
    "Acme\u200bX": "U+200B",  # zero-width space
    "Acme\u2028X": "U+2028",  # line separator
    "Acme\u00a0X": "U+00A0",  # no-break space
    "Acme\nX": "U+000A",
    "Acme  X": "single spaces",
    "x" * 201: "the limit is 200",
    " ": "empty",
}


@pytest.mark.parametrize("subject", list(REFUSED_SUBJECTS), ids=range(len(REFUSED_SUBJECTS)))
def test_init_refuses_a_subject_with_markup_or_invisible_characters(tmp_path, subject):
    result = run([BRIEFING, "init", str(tmp_path / "new"), "--subject", subject], tmp_path)
    no_traceback(result)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("error: --subject: ") and "nothing was written" in result.stderr
    assert REFUSED_SUBJECTS[subject] in result.stderr
    assert not (tmp_path / "new").exists()


def test_the_subject_rule_is_the_settings_rule(tmp_path):
    """A subject init refuses, briefing.toml refuses too, at its line."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "briefing.toml").write_text('# settings\n[briefing]\nsubject = "Acme\\u202e<b>"\n', encoding="utf-8")
    settings, found = read_settings(root)
    assert [str(p) for p in found] == [
        "briefing.toml:3:11: error: setting 'subject': the subject contains the invisible or control character U+202E"
    ]
    assert subject_problem(AWKWARD) is None


def build_new_project(folder: Path, subject: str, site_url: str) -> Path:
    result = run([BRIEFING, "init", str(folder), "--subject", subject], folder.parent)
    assert result.returncode == 0, result.stderr
    toml = folder / "briefing.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'site_url = "{site_url}"\n', encoding="utf-8")
    # The line above lands in [briefing]: the skeleton's file ends inside that table.
    built = run([BRIEFING, "build", "--strict"], folder)
    assert built.returncode == 0, built.stdout + built.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def init_sites(tmp_path_factory) -> tuple[Path, Path]:
    hostile = build_new_project(tmp_path_factory.mktemp("awkward") / "briefing", AWKWARD, AWKWARD_URL)
    baseline = build_new_project(tmp_path_factory.mktemp("plain") / "briefing", "Acme", "https://example.org/b/")
    return hostile, baseline


class Head(HTMLParser):
    """The <title> text, and the canonical and og:url addresses, as a browser reads them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.in_title, self.canonical, self.og_url = "", False, None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.in_title = tag == "title"
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        if tag == "meta" and attrs.get("property") == "og:url":
            self.og_url = attrs["content"]

    def handle_endtag(self, tag):
        self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def test_an_accepted_subject_and_address_put_no_markup_on_any_page(init_sites):
    """Built with Material, whose <title> and aria-label take the site's name unescaped."""
    hostile, baseline = init_sites
    slug = subject_id(AWKWARD)  # the subject's entity page is named after it
    pages = sorted(p.relative_to(hostile).as_posix() for p in hostile.rglob("*.html"))
    plain = sorted(p.relative_to(baseline).as_posix().replace("/acme/", f"/{slug}/") for p in baseline.rglob("*.html"))
    assert f"entities/{slug}/index.html" in pages and pages == plain
    for rel in pages:
        page = Scan((hostile / rel).read_text(encoding="utf-8"))
        base = Scan((baseline / rel.replace(slug, "acme")).read_text(encoding="utf-8"))
        assert sorted(page.tags) == sorted(base.tags), rel
        assert sorted(page.elements) == sorted(base.elements), rel
        assert page.handlers == [] and page.js_links == [], rel
    home = Head((hostile / "index.html").read_text(encoding="utf-8"))
    assert home.title == f"{AWKWARD} at a glance - {AWKWARD} briefing"  # shown literally
    assert home.canonical == home.og_url == AWKWARD_URL
    sitemap = (hostile / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{AWKWARD_URL}</loc>" in sitemap


# --- where init writes ----------------------------------------------------------------------


def test_init_under_a_file_or_in_proc_is_a_clear_error_and_writes_nothing(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n", encoding="utf-8")
    under_file = run([BRIEFING, "init", str(blocker / "deeper" / "new"), "--subject", "Acme"], tmp_path)
    no_traceback(under_file)
    assert under_file.returncode == 2
    assert under_file.stderr == f"error: {blocker} is a file, so no folder can be made under it; nothing was written\n"
    assert blocker.read_text(encoding="utf-8") == "mine\n"
    in_proc = run([BRIEFING, "init", "/proc/briefing-settings-test", "--subject", "Acme"], tmp_path)
    no_traceback(in_proc)
    assert in_proc.returncode == 2
    assert in_proc.stderr.startswith("error: cannot write /proc/briefing-settings-test (")
    assert in_proc.stderr.endswith("; nothing was written\n")
    assert not Path("/proc/briefing-settings-test").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_write_that_fails_half_way_leaves_nothing(tmp_path):
    files = {"a.txt": b"x", "clash": b"a file", "clash/inside.txt": b"cannot be written", ".ci/run": b"#!/bin/sh\n"}
    new = tmp_path / "made" / "deeper" / "new"
    why = write_project(new, files)
    assert why is not None and why.startswith(f"cannot write {new / 'clash'} (")
    assert list(tmp_path.iterdir()) == []  # the folders it made are gone too
    empty = tmp_path / "empty"
    empty.mkdir()
    assert write_project(empty, files) is not None
    assert empty.is_dir() and list(empty.iterdir()) == []  # an empty folder given is left empty


def test_a_placeholder_in_the_subject_stays_as_written():
    files = project_files("Acme {sha256} {subject_id}")
    assert b'name: "Acme {sha256} {subject_id}"' in files["facts/entities.yaml"]


# --- site_url, in briefing.toml and BRIEFING_SITE_URL ---------------------------------------

REFUSED_URLS = {
    'https://example.org/x/#"><script>alert(1)</script>': "must not contain '\"'",
    "https://example.org/x/'onmouseover=alert(1)//": "must not contain '''",
    "javascript://example.org/%0aalert(1)": "absolute http:// or https:// address",
    "JavaScript:alert(1)": "absolute http:// or https:// address",
    "data:text/html,<script>alert(1)</script>": "absolute http:// or https:// address",
    "//example.org/briefing/": "absolute http:// or https:// address",
    "example.org/briefing/": "absolute http:// or https:// address",
    "https://user:secret@example.org/": "user name or password",
    "https://example.org/?q=1": "no query (?) or fragment (#)",
    "https://example.org/#top": "no query (?) or fragment (#)",
    "https://example.org/a b/": "must not contain U+0020",
    "https://example.org/\u0001/": "must not contain U+0001",
    "https://example.org/\u202e/": "not an address of a host",
    "https://exa<mple.org/": "must not contain '<'",
    "https://example.org/a&b": "not an address of a host",
    "https://example.org:99999/": "the port 99999",
    "https://example.org/../x/": "'.' or '..'",
    "https:///path": "not an address of a host",
    "https://" + "a" * 600: "the limit is 500",
}


@pytest.mark.parametrize("url", list(REFUSED_URLS), ids=range(len(REFUSED_URLS)))
def test_a_site_url_that_is_not_a_plain_address_is_refused(tmp_path, url):
    assert REFUSED_URLS[url] in (site_url_problem(url) or "")
    root = tmp_path / "p"
    root.mkdir()
    quoted = url.replace("\\", "\\\\").replace('"', '\\"').replace("\u0001", "\\u0001")
    (root / "briefing.toml").write_text(f'[briefing]\n\nsite_url = "{quoted}"\n', encoding="utf-8")
    _, found = read_settings(root)
    assert len(found) == 1 and str(found[0].loc) == "briefing.toml:3:12"
    assert found[0].message.startswith("setting 'site_url': ") and REFUSED_URLS[url] in found[0].message
    _, from_environment = read_settings(tmp_path, {"BRIEFING_SITE_URL": url})
    assert len(from_environment) == 1 and from_environment[0].loc.path == "BRIEFING_SITE_URL"
    assert from_environment[0].message.startswith("the environment variable BRIEFING_SITE_URL ")


def test_a_hostile_site_url_stops_the_build_before_anything_is_written(site_project: Project):
    root = site_project.root
    (root / "briefing.toml").write_text(
        '[briefing]\nsite_url = "https://example.org/x/#\\"><script>alert(1)</script>"\n', encoding="utf-8"
    )
    before = snapshot(root)
    result = site_project.run("build", "--strict")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.startswith("briefing.toml:2:12: error: setting 'site_url': must not contain '\"'")
    assert snapshot(root) == before and not (root / "site").exists()
    (root / "briefing.toml").unlink()
    from_ci = site_project.run("build", "--strict", env={"BRIEFING_SITE_URL": "javascript://x/%0aalert(1)"})
    no_traceback(from_ci)
    assert from_ci.returncode == 1
    assert from_ci.stderr.startswith(
        "BRIEFING_SITE_URL:1:1: error: the environment variable BRIEFING_SITE_URL must be an absolute http://"
    )
    assert not (root / "site").exists()


def test_plain_addresses_are_accepted(tmp_path):
    for url in ("https://example.org/briefing/", "http://127.0.0.1:8000/", "HTTPS://Example.ORG", "https://a.b/%7Ex/"):
        assert site_url_problem(url) is None, url
    settings, found = read_settings(tmp_path, {"BRIEFING_SITE_URL": "https://example.org/b/"})
    assert found == [] and settings.site_url == "https://example.org/b/"


def test_og_url_is_escaped_whatever_the_address():
    """mkdocs.yml's own site_url is not checked (mkdocs.yml is trusted like code): the page escapes it anyway."""
    asset = (REPO / "scripts" / "briefing" / "assets" / "main.html").read_text(encoding="utf-8")
    loader = jinja2.DictLoader({"main.html": asset, "base.html": "{% block extrahead %}{% endblock %}"})
    environment = jinja2.Environment(loader=loader)
    environment.filters["url"] = lambda value: value
    hostile = 'https://example.org/"><script>alert(1)</script>'
    page = {"canonical_url": hostile, "meta": {}}
    text = environment.get_template("main.html").render(page=page, config={"site_name": "A", "site_description": "B"})
    head = Head(text)
    assert head.og_url == hostile and Scan(text).tags.count("script") == 0


# --- language --------------------------------------------------------------------------------


def test_a_language_the_theme_lacks_is_a_located_error_with_a_hint(project: Project):
    (project.root / "briefing.toml").write_text('[briefing]\nlanguage = "en-GB"\n', encoding="utf-8")
    result = project.run("check")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "briefing.toml:2:12: error: setting 'language' is 'en-GB', which the theme has no translation for [bad-setting]",
        "  hint: did you mean 'en'?",
    ]


def test_the_languages_are_the_installed_theme_s(tmp_path):
    import material

    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    assert languages() == sorted(p.stem for p in folder.glob("*.html") if p.stem != "custom")
    assert {"en", "pt-BR", "zh-TW"} <= set(languages())
    for language, hint in (("pt-br", "did you mean 'pt-BR'?"), ("zh_TW", "did you mean 'zh-TW'?"), ("fr-CA", "'fr'")):
        (tmp_path / "briefing.toml").write_text(f'[briefing]\nlanguage = "{language}"\n', encoding="utf-8")
        _, found = read_settings(tmp_path)
        assert len(found) == 1 and hint in found[0].hint, language
    for language in ("../../../base", "en.html", "en/../de", ""):  # the theme opens partials/languages/<it>.html
        (tmp_path / "briefing.toml").write_text(f'[briefing]\nlanguage = "{language}"\n', encoding="utf-8")
        _, found = read_settings(tmp_path)
        assert len(found) == 1 and "not a language tag" in found[0].message, language


# --- every key, every problem in one run -----------------------------------------------------


def test_every_problem_in_briefing_toml_is_reported_at_once_at_its_line(project: Project):
    (project.root / "briefing.toml").write_text(
        "# Settings.\n"
        "[briefing]\n"
        'subject = "Acme"\n'
        "listing_limt = 100\n"
        "nav_limit = true\n"
        'search_quotes_limit = "2000"\n'
        "listing_limit = 0\n"
        'archive = ["a"]\n'
        "colour = 1\n"
        "\n"
        "[extra]\n"
        "x = 1\n",
        encoding="utf-8",
    )
    result = project.run("check")
    no_traceback(result)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "briefing.toml:11:1: error: unknown table or key 'extra': the settings go in one [briefing] table [settings-unknown-table]",
        "briefing.toml:4:1: error: unknown setting 'listing_limt' [unknown-setting]",
        "briefing.toml:5:13: error: setting 'nav_limit' must be a whole number, not true or false [bad-setting]",
        "briefing.toml:6:23: error: setting 'search_quotes_limit' must be a whole number, not text [bad-setting]",
        "briefing.toml:7:17: error: setting 'listing_limit' must be from 1 to 1,000,000, not 0 [bad-setting]",
        "briefing.toml:8:11: error: setting 'archive' must be text, not a list [bad-setting]",
        "briefing.toml:9:1: error: unknown setting 'colour' [unknown-setting]",
    ]
    assert "  hint: did you mean 'listing_limit'?" in result.stderr
    assert "  hint: use one of: subject, site_url, archive, language," in result.stderr


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[briefing]\nsubject = "a\n', "briefing.toml:2:13: error: not valid TOML: Illegal character '\\n'"),
        ("[briefing]\nlisting_limit = 10_000_000_000\n", "briefing.toml:2:17: error: setting 'listing_limit' must be"),
        ('briefing = "x"\n', "briefing.toml:1:1: error: 'briefing' must be a [briefing] table"),
        ('[briefing]\n"site_url" = 1\n', "briefing.toml:2:14: error: setting 'site_url' must be text, not a number"),
        ("briefing.nav_limit = 0\n", "briefing.toml:1:22: error: setting 'nav_limit' must be from 1"),
        ("[briefing]\n'\u202e' = 1\n", "briefing.toml:2:1: error: unknown setting '\\u202e'"),
    ],
)
def test_bad_settings_files_are_located(tmp_path, text, expected):
    (tmp_path / "briefing.toml").write_text(text, encoding="utf-8")
    _, found = read_settings(tmp_path)
    assert len(found) == 1 and str(found[0]).startswith(expected), str(found[0])


def test_a_settings_file_that_is_not_utf8_or_too_large(tmp_path):
    (tmp_path / "briefing.toml").write_bytes(b'[briefing]\nsubject = "\xff"\n')
    _, found = read_settings(tmp_path)
    assert [str(p) for p in found] == ["briefing.toml:2:1: error: file is not UTF-8"]
    (tmp_path / "briefing.toml").write_text("#" * 70_000 + "\n", encoding="utf-8")
    _, found = read_settings(tmp_path)
    assert [str(p) for p in found] == ["briefing.toml:1:1: error: file is 70,001 bytes; the limit is 65,536"]


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("9" * 401, "facts/facts.yaml:8:21: error: a number 401 characters long; the limit is 100"),
        ("9" * 5001, "facts/facts.yaml:8:21: error: a number 5,001 characters long; the limit is 100"),
        ("1" + "0" * 120 + ".5", "facts/facts.yaml:8:21: error: a number 123 characters long; the limit is 100"),
        (
            "1000000000000000001",
            "facts/facts.yaml:8:21: error: fact 'may-2024-round': field 'amount' must be at most "
            "1000000000000000000, not 1000000000000000001",
        ),
        ("1.0e400", "facts/facts.yaml:8:21: error: fact 'may-2024-round': field 'amount' must be at most"),
    ],
)
def test_an_amount_too_large_is_a_located_error(project: Project, amount, expected):
    project.edit("facts.yaml", "amount: 2000000000,", f"amount: {amount},")
    result = project.run("check")
    no_traceback(result)
    assert result.returncode == 1
    assert expected in result.stderr


def test_the_largest_amount_is_accepted(project: Project):
    project.edit("facts.yaml", "amount: 2000000000,", "amount: 1000000000000000000,")
    found = [p for p in problems(project) if p.startswith("facts/facts.yaml:8:21: ")]
    assert found == [
        "facts/facts.yaml:8:21: error: the amount 1,000,000,000,000,000,000 CNY is in none of the quotes it rests on"
    ]


def test_an_over_long_number_once_committed_does_not_break_later_builds(site_project: Project):
    """The history reads every past registry: one that did not load is passed over."""
    root = site_project.root
    git(root, "init", "-q", "-b", "main")
    commit(root, "Publish", "2024-06-01T09:00:00+00:00")
    site_project.edit("facts.yaml", "amount: 2000000000,", f"amount: {'9' * 5001},")
    commit(root, "A mistake", "2024-06-02T09:00:00+00:00")
    site_project.edit("facts.yaml", f"amount: {'9' * 5001},", "amount: 2000000000,")
    commit(root, "Mended", "2024-06-03T09:00:00+00:00")
    result = site_project.run("build", "--source-only")
    no_traceback(result)
    assert result.returncode == 0, result.stderr


# --- unknown ids -----------------------------------------------------------------------------


def test_did_you_mean_is_worked_out_once_per_id_and_for_twenty_ids_at_most(monkeypatch):
    class Entry:
        def __init__(self, i: str) -> None:
            self.id = i

    defined = [Entry(f"entity-{n}") for n in range(500)]
    ids = references.Ids("entity", defined, set())
    compared = []
    real = difflib.SequenceMatcher.set_seq2
    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq2", lambda self, b: compared.append(b) or real(self, b))
    unknown = [f"entity-{n}x" for n in range(1000)]
    found = [p for _ in range(2) for ref in unknown for p in ids.check(ref, Loc("facts/facts.yaml", 3, 5))]
    assert len(found) == 2000
    hinted = [p for p in found if p.hint]
    assert len({p.message for p in hinted}) == 20 and len(hinted) == 40  # the same twenty, each time
    assert found[0].hint.startswith("did you mean 'entity-0'") and found[1000].hint == found[0].hint
    assert found[20].hint is None and found[20].message == "unknown entity 'entity-20x'"
    assert len(compared) <= 20 * (len(defined) + 1)  # not 1,000 x 500 comparisons


def test_a_thousand_unknown_ids_in_one_fact_are_all_reported(project: Project):
    refs = ", ".join(f"ghost-{n}" for n in range(1000))
    project.edit("facts.yaml", "entities: [acme, harbour-capital]", f"entities: [acme, {refs}]")
    unknown = [p for p in problems(project) if "unknown entity 'ghost-" in p]
    assert len(unknown) == 1000


# --- the skeleton ----------------------------------------------------------------------------


def test_the_skeleton_says_how_to_install_the_generator_and_locks_pip():
    readme = (SKELETON / "README.md").read_text(encoding="utf-8")
    assert "pip install briefing-site" not in readme
    assert "GENERATOR='git+https://" in readme and ".whl" in readme
    assert (SKELETON / "requirements-pip.txt").read_bytes() == (REPO / "requirements-pip.txt").read_bytes()
    assert project_files("Acme")["requirements-pip.txt"] == (REPO / "requirements-pip.txt").read_bytes()
    workflow = yaml.safe_load((SKELETON / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    commands = "\n".join(step.get("run", "") for step in workflow["jobs"]["build"]["steps"])
    locked = commands.index("--require-hashes -r requirements-pip.txt")
    assert locked < commands.index('install --disable-pip-version-check "$GENERATOR"') < commands.index("bash .ci/run")
    assert "${{" not in commands  # the variable reaches the shell as an environment variable, not as code


def test_the_skeleton_makefile_installs_the_locked_pip_before_the_generator(tmp_path):
    """With a stand-in Python that records what pip is asked to do, and hands `briefing` to the real one."""
    new = tmp_path / "new"
    assert run([BRIEFING, "init", str(new), "--subject", "Acme"], tmp_path).returncode == 0
    log = tmp_path / "pip.log"
    venv_python = (
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        'case "$*" in *GENERATOR-WHEEL*) printf \'#!/bin/sh\\nexec "%s" "$@"\\n\' '
        f'"{BRIEFING}" > .venv/bin/briefing; chmod +x .venv/bin/briefing;; esac\n'
    )
    fake = tmp_path / "python3"
    fake.write_text(
        "#!/bin/sh\nmkdir -p .venv/bin\ncat > .venv/bin/python <<'EOF'\n" + venv_python + "EOF\n"
        "chmod +x .venv/bin/python\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    missing = run(["make", "--no-print-directory", "site", f"PYTHON={fake}"], new)
    assert missing.returncode != 0 and "GENERATOR='git+https://" in missing.stdout
    assert not log.exists()
    made = run(["make", "--no-print-directory", "site", f"PYTHON={fake}", "GENERATOR=GENERATOR-WHEEL"], new)
    assert made.returncode == 0, made.stdout + made.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert [re.sub(r" --disable-pip-version-check --no-input", "", c) for c in calls] == [
        "-m pip install --require-hashes -r requirements-pip.txt",
        "-m pip install GENERATOR-WHEEL",
    ]
    assert (new / "site" / "index.html").is_file()
    assert "<title>Acme at a glance - Acme briefing</title>" in (new / "site" / "index.html").read_text(
        encoding="utf-8"
    )
