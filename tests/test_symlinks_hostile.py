"""Symbolic links and hand-written pages a pull request can carry into facts/, docs/ and templates/.

fmt (run by the pre-commit hook), new and archive never read or write through a link, and
replace files only through a temporary file of a random name; the build refuses any link in
docs/ or templates/ and any hand-written page at an address a generated page has.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import Project
from test_archive import FIXTURES, FLAGS, GAZETTE

from briefing.files import LinkRefused, linked_part, read_regular, replace_file

BASHRC = b"# the user's own shell settings\nexport PATH=$HOME/bin:$PATH\n"
SECRET = "topics:\n  - id: secret\n    title: AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\n    description: Leaked.\n"
UNCANONICAL = (
    "topics:\n  - title: Funding\n    id: funding\n    description: Money raised.\n"
    "  - description: Founding and people.\n    id: company\n    title: Company\n"
)


@pytest.fixture
def bashrc(tmp_path: Path) -> Path:
    """A file outside the project standing for ~/.bashrc."""
    path = tmp_path / "home" / ".bashrc"
    path.parent.mkdir()
    path.write_bytes(BASHRC)
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project standing for a secret (a registry-shaped one, which YAML reads)."""
    path = tmp_path / "home" / "secret.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SECRET, encoding="utf-8")
    return path


def new_entity(project: Project, name: str = "Harbour Bank") -> object:
    return project.run(
        "new", "entity", "--name", name, "--kind", "organisation", "--description", "A bank in Portville."
    )


# --- S1: the predictable temporary name --------------------------------------------------


def test_fmt_never_writes_through_a_planted_temporary_name(project: Project, bashrc: Path):
    project.write("topics.yaml", UNCANONICAL)
    (project.facts / ".topics.yaml.tmp").symlink_to(bashrc)
    result = project.run("fmt")
    assert result.returncode == 0, result.stderr
    assert "formatted facts/topics.yaml\n" in result.stdout
    assert bashrc.read_bytes() == BASHRC
    topics = project.facts / "topics.yaml"
    assert not topics.is_symlink() and "  - id: company\n" in topics.read_text(encoding="utf-8")
    assert (project.facts / ".topics.yaml.tmp").is_symlink()  # left as it was
    assert sorted(p.name for p in project.facts.iterdir() if p.name.startswith(".")) == [".topics.yaml.tmp"]


def test_new_never_writes_through_a_planted_temporary_name(project: Project, bashrc: Path):
    (project.facts / ".entities.yaml.tmp").symlink_to(bashrc)
    result = new_entity(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "added entity 'harbour-bank' to facts/entities.yaml\n"
    assert bashrc.read_bytes() == BASHRC
    assert "- id: harbour-bank\n" in (project.facts / "entities.yaml").read_text(encoding="utf-8")


def test_archive_never_writes_through_a_planted_temporary_name(project: Project, bashrc: Path):
    name = "gazette.txt"
    (project.archive / f".{name}.tmp").symlink_to(bashrc)
    result = project.run("archive", str(FIXTURES / "news-article.html"), "--archive-file", name, *GAZETTE, *FLAGS)
    assert result.returncode == 0, result.stderr
    assert bashrc.read_bytes() == BASHRC
    assert (project.archive / name).read_bytes() == (FIXTURES / "news-article.txt").read_bytes()


def test_archive_refuses_a_link_at_its_file_name(project: Project, bashrc: Path):
    name = "gazette.txt"
    (project.archive / name).symlink_to(bashrc)
    result = project.run("archive", str(FIXTURES / "news-article.html"), "--archive-file", name, *GAZETTE, *FLAGS)
    assert result.returncode == 1
    assert f"{name} is a symbolic link; nothing was written" in result.stderr
    assert "sha256" not in result.stderr  # nothing of the file it points to is told
    assert bashrc.read_bytes() == BASHRC and (project.archive / name).is_symlink()


def test_the_helper_replaces_whole_and_refuses_a_link(tmp_path: Path, bashrc: Path):
    target = tmp_path / "file.yaml"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    replace_file(target, b"new\n")
    assert target.read_bytes() == b"new\n" and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.yaml", "home"]  # no temporary left
    link = tmp_path / "link.yaml"
    link.symlink_to(bashrc)
    with pytest.raises(LinkRefused):
        replace_file(link, b"new\n")
    with pytest.raises(LinkRefused):
        read_regular(link)
    assert link.is_symlink() and bashrc.read_bytes() == BASHRC
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "home" / "created-by-a-write")
    with pytest.raises(LinkRefused):
        replace_file(dangling, b"new\n")
    assert not (tmp_path / "home" / "created-by-a-write").exists()


def test_the_helper_finds_a_link_anywhere_below_the_project(tmp_path: Path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "more").symlink_to(tmp_path / "outside")
    assert linked_part(tmp_path / "facts" / "more" / "x.yaml", tmp_path) == tmp_path / "facts" / "more"
    assert linked_part(tmp_path / "facts" / "x.yaml", tmp_path) is None


# --- S2: a registry file that is a link to a secret --------------------------------------


def test_fmt_refuses_a_linked_registry_file_and_writes_nothing(project: Project, secret: Path):
    project.write("topics.yaml", UNCANONICAL)
    before = (project.facts / "topics.yaml").read_bytes()
    (project.facts / "cluster.yaml").symlink_to(secret)
    for args in (["fmt"], ["fmt", "facts/cluster.yaml"], ["fmt", "--check"]):
        result = project.run(*args)
        assert result.returncode == 1, args
        assert "facts/cluster.yaml:1:1: error: this is a symbolic link: `briefing fmt` neither reads nor writes" in (
            result.stderr
        )
        assert "AWS_SECRET" not in result.stdout + result.stderr
        assert (project.facts / "cluster.yaml").is_symlink()
        assert secret.read_text(encoding="utf-8") == SECRET
        assert (project.facts / "topics.yaml").read_bytes() == before  # nothing written at all
    assert project.run("fmt").stderr.endswith("nothing was formatted: fix the errors above first\n")


def test_fmt_refuses_a_linked_registry_folder(project: Project, secret: Path):
    (project.facts / "more").symlink_to(secret.parent)
    result = project.run("fmt")
    assert result.returncode == 1
    assert "facts/more:1:1: error: registry folders must not be symbolic links" in result.stderr
    result = project.run("fmt", "facts/more/secret.yaml")
    assert result.returncode == 1
    assert "facts/more:1:1: error: this is a symbolic link" in result.stderr
    assert secret.read_text(encoding="utf-8") == SECRET


def test_fmt_refuses_when_facts_itself_is_a_link(project: Project, tmp_path: Path):
    moved = tmp_path / "elsewhere"
    project.facts.rename(moved)
    project.facts.symlink_to(moved)
    (moved / "topics.yaml").write_text(UNCANONICAL, encoding="utf-8")
    result = project.run("fmt", "facts/topics.yaml")
    assert result.returncode == 1
    assert "facts:1:1: error: this is a symbolic link" in result.stderr
    assert (moved / "topics.yaml").read_text(encoding="utf-8") == UNCANONICAL
    result = project.run("fmt")
    assert result.returncode == 1 and result.stderr.count("facts:1:1: error: this is a symbolic link") == 1
    assert (moved / "topics.yaml").read_text(encoding="utf-8") == UNCANONICAL


def test_what_is_not_a_regular_file_is_an_error_not_a_traceback(project: Project):
    (project.facts / "entities.yaml").unlink()
    (project.facts / "entities.yaml").mkdir()
    results = [new_entity(project)]
    os.mkfifo(project.facts / "pipe.yaml")  # git carries no named pipe; fmt is not stuck on one anyway
    results += [project.run("fmt", "facts/pipe.yaml"), project.run("fmt", "facts/gone.yaml")]
    for result in results:
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and "error" in result.stderr
    name = "gazette.txt"
    (project.archive / name).mkdir()
    result = project.run("archive", str(FIXTURES / "news-article.html"), "--archive-file", name, *GAZETTE, *FLAGS)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{name}: " in result.stderr and "nothing was written" in result.stderr


def test_new_refuses_to_read_or_replace_a_linked_registry_file(project: Project, secret: Path):
    entities = project.facts / "entities.yaml"
    entities.unlink()
    entities.symlink_to(secret)
    result = new_entity(project)
    assert result.returncode == 1
    assert "facts/entities.yaml:1:1: error: this is a symbolic link: `briefing new`" in result.stderr
    assert "AWS_SECRET" not in result.stdout + result.stderr
    assert entities.is_symlink() and secret.read_text(encoding="utf-8") == SECRET


def test_new_source_refuses_a_linked_archive_file(project: Project, bashrc: Path):
    (project.archive / "notes.txt").symlink_to(bashrc)
    result = project.run(
        "new", "source", "--title", "T", "--publisher", "P", "--published", "2024", "--kind", "news-report",
        "--archive-file", "notes.txt", "--reliability", "R.", "--summary", "S.",
    )  # fmt: skip
    assert result.returncode == 1
    assert "notes.txt is a symbolic link" in result.stderr
    assert "sources:" in (project.facts / "sources.yaml").read_text(encoding="utf-8")
    assert "notes.txt" not in (project.facts / "sources.yaml").read_text(encoding="utf-8")


# --- S6: line ends YAML does not have -----------------------------------------------------

ODD = ["\u2028", "\u2029", "\x85", "\f", "\x1c"]


def last_value(character: str) -> str:
    return (
        "topics:\n  - id: funding\n    title: Funding\n    description: Money raised.\n"
        f"  - id: company\n    title: Company\n    description: 'Founding{character}# and people.'\n"
    )


@pytest.mark.parametrize("character", ODD, ids=["LS", "PS", "NEL", "FF", "FS"])
def test_fmt_and_new_with_an_odd_line_end_in_the_last_value(project: Project, character: str):
    text = last_value(character)
    project.write("topics.yaml", text)
    loads = project.run("check").returncode == 0
    result = project.run("fmt")
    assert "Traceback" not in result.stderr
    if not loads:  # the build refuses the character: fmt says so at its place and writes nothing
        assert result.returncode == 1
        assert f"facts/topics.yaml:7:27: error: YAML error: character U+{ord(character):04X} is not allowed" in (
            result.stderr
        )
        assert (project.facts / "topics.yaml").read_text(encoding="utf-8") == text
        return
    assert result.returncode == 0, result.stderr
    formatted = (project.facts / "topics.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(formatted) == yaml.safe_load(text)  # the same values
    assert project.run("check").returncode == 0
    project.write("entities.yaml", project.facts.joinpath("entities.yaml").read_text(encoding="utf-8") + (
        f"  - id: last\n    name: Last\n    kind: place\n    description: 'A place{character}# with a hash.'\n"
    ))  # fmt: skip
    before = yaml.safe_load((project.facts / "entities.yaml").read_text(encoding="utf-8"))
    result = new_entity(project)
    assert result.returncode == 0, result.stderr
    after = yaml.safe_load((project.facts / "entities.yaml").read_text(encoding="utf-8"))
    assert after["entities"][:-1] == before["entities"] and after["entities"][-1]["id"] == "harbour-bank"


def test_a_hash_at_the_margin_inside_a_quoted_value_is_no_closing_comment(project: Project):
    text = "topics:\n  - id: funding\n    title: Funding\n    description: Money.\n"
    text += '  - id: company\n    title: Company\n    description: "Founding\n# and people."\n'
    project.write("topics.yaml", text)
    assert project.run("check").returncode == 0
    result = project.run("fmt")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((project.facts / "topics.yaml").read_text(encoding="utf-8")) == yaml.safe_load(text)


def test_fmt_refuses_to_change_a_value_it_cannot_keep(project: Project):
    text = "topics:\n  - id: funding\n    title: Funding\n    description: |+\n      Money raised.\n\n# end\n"
    project.write("topics.yaml", text)
    result = project.run("fmt")
    assert result.returncode == 1
    assert "facts/topics.yaml:4:18: error: formatting would change this value" in result.stderr
    assert (project.facts / "topics.yaml").read_text(encoding="utf-8") == text


def test_no_temporary_file_is_left_behind(project: Project):
    project.write("topics.yaml", UNCANONICAL)
    assert project.run("fmt").returncode == 0
    assert new_entity(project).returncode == 0
    assert [p for p in project.facts.rglob(".*")] == []
    assert os.listdir(project.facts)  # the registry is still there


# --- S3: links in docs/ and templates/ ---------------------------------------------------

THIRD_PARTY = "An archived article, the publisher's words, never to be republished.\n"


def source_only(project: Project) -> object:
    return project.run("build", "--source-only")


@pytest.fixture
def archived_text(site_project: Project) -> Path:
    """A third-party text outside the project (standing for an archived source)."""
    path = site_project.archive / "article.txt"
    path.write_text(THIRD_PARTY, encoding="utf-8")
    return path


def assert_nothing_built(project: Project, result) -> None:
    assert result.returncode == 1
    assert "build stopped: nothing was written" in result.stderr
    assert not (project.root / "build").exists()
    assert "never to be republished" not in result.stdout + result.stderr


def test_a_link_in_docs_is_refused_and_nothing_is_built(site_project: Project, archived_text: Path):
    docs = site_project.root / "docs"
    (docs / "article.txt").symlink_to(archived_text)
    (docs / "more").mkdir()
    (docs / "more" / "page.md").symlink_to(archived_text)
    (docs / "folder").symlink_to(archived_text.parent)
    (docs / "dangling.md").symlink_to(site_project.root / "nowhere")
    result = source_only(site_project)
    assert_nothing_built(site_project, result)
    for shown in ("docs/article.txt", "docs/more/page.md", "docs/folder", "docs/dangling.md"):
        assert f"{shown}:1:1: error: this is a symbolic link: the build reads no file through one" in result.stderr
    assert "docs/folder/" not in result.stderr  # a linked folder is not entered


def test_a_hidden_link_in_docs_is_never_copied_and_stops_nothing(site_project: Project, archived_text: Path):
    (site_project.root / "docs" / ".#methodology.md").symlink_to("user@host.1234:1700000000")  # an editor's lock
    (site_project.root / "docs" / ".secret").symlink_to(archived_text)
    result = source_only(site_project)
    assert result.returncode == 0, result.stderr
    built = site_project.root / "build"
    assert not [p for p in built.rglob("*") if p.name.startswith((".#", ".secret"))]
    assert all(
        "never to be republished" not in p.read_text("utf-8", "replace") for p in built.rglob("*") if p.is_file()
    )


def test_docs_itself_as_a_link_is_refused(site_project: Project, archived_text: Path):
    docs = site_project.root / "docs"
    for path in docs.iterdir():
        path.unlink()
    docs.rmdir()
    docs.symlink_to(archived_text.parent)
    result = source_only(site_project)
    assert_nothing_built(site_project, result)
    assert "docs:1:1: error: docs/ is a symbolic link" in result.stderr


def test_docs_dir_must_be_docs(site_project: Project, archived_text: Path):
    config = site_project.root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    assert "\ndocs_dir: docs\n" in original
    for where in (str(archived_text.parent), "../archive", ".", "docs/.."):
        config.write_text(original.replace("\ndocs_dir: docs\n", f"\ndocs_dir: {where}\n"), encoding="utf-8")
        result = source_only(site_project)
        assert_nothing_built(site_project, result)
        assert re.search(r"mkdocs\.yml:\d+:1: error: docs_dir must be docs", result.stderr), where


def test_a_linked_site_configuration_is_refused(site_project: Project, tmp_path: Path):
    config = site_project.root / "mkdocs.yml"
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_bytes(config.read_bytes())
    config.unlink()
    config.symlink_to(elsewhere)
    result = source_only(site_project)
    assert_nothing_built(site_project, result)
    assert "mkdocs.yml:1:1: error: the site configuration is a symbolic link" in result.stderr


@pytest.fixture
def own_templates(site_project: Project) -> Path:
    """The project's templates/ as a folder of its own (the fixture links the generator's)."""
    templates = site_project.root / "templates"
    templates.unlink()
    templates.mkdir()
    return templates


def test_a_link_in_templates_is_refused_and_nothing_is_read(
    site_project: Project, own_templates: Path, archived_text: Path
):
    (own_templates / "home.md.j2").symlink_to(archived_text)
    (own_templates / ".hidden.j2").symlink_to(archived_text)  # Jinja reads hidden names too
    (own_templates / "parts").symlink_to(archived_text.parent)
    result = source_only(site_project)
    assert_nothing_built(site_project, result)
    for shown in ("templates/home.md.j2", "templates/.hidden.j2", "templates/parts"):
        assert f"{shown}:1:1: error: this is a symbolic link" in result.stderr


def test_templates_linked_into_the_project_is_refused(site_project: Project, own_templates: Path):
    own_templates.rmdir()
    (site_project.root / "docs" / "home.md.j2").write_text('{% include "methodology.md" %}\n', encoding="utf-8")
    (site_project.root / "templates").symlink_to("docs")  # every file of docs/ a template
    result = source_only(site_project)
    assert_nothing_built(site_project, result)
    assert "templates:1:1: error: templates/ is a symbolic link" in result.stderr


# --- S4: hand-written pages at the generator's addresses ---------------------------------


def test_every_generated_address_is_refused_to_a_hand_written_page_in_any_spelling(site_project: Project):
    assert source_only(site_project).returncode == 0
    built = site_project.root / "build" / "docs"
    docs = site_project.root / "docs"
    hand_written = {p.relative_to(docs).as_posix() for p in docs.rglob("*")}
    generated = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    generated = [rel for rel in generated if rel not in hand_written]
    kinds = {rel.split("/")[0] for rel in generated}
    assert {"index.md", "topics", "entities", "sources", "changes", "timeline", "disagreements"} <= kinds
    assert {"changes.xml", "data", "briefing"} <= kinds  # the feed, the downloads, the generator's assets
    planted = []
    for n, rel in enumerate(generated):
        folder, _, name = rel.rpartition("/")
        if name == "index.md":  # the same address, spelt another way
            spelling = (
                [f"{folder}.md", f"{folder.upper()}/Index.md", f"{folder}/README.md", f"{folder}.markdown"][n % 4]
                if folder
                else ["INDEX.md", "README.md", "index.html"][n % 3]
            )
        else:
            spelling = rel.upper() if n % 2 else rel
        planted.append(spelling)
        path = docs / spelling
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# A page of mine\n\nHand-written words the search would index.\n", encoding="utf-8")
    for allowed in ("topics/funding/photo.png", "notes.md", "topics/notes/index.md"):
        (docs / allowed).parent.mkdir(parents=True, exist_ok=True)
        (docs / allowed).write_bytes(b"mine\n")
    before = sorted(p.relative_to(built).as_posix() for p in built.rglob("*"))
    result = source_only(site_project)
    assert result.returncode == 1
    refused = re.findall(
        r"^docs/(.+):1:1: error: this hand-written page has the address of a generated one", result.stderr, re.M
    )
    assert sorted(refused) == sorted(planted)
    assert sorted(p.relative_to(built).as_posix() for p in built.rglob("*")) == before  # build/ as it was


@pytest.mark.parametrize(
    "page",
    ["topics/funding.md", "changes.md", "Topics/Funding.md", "topics/FUNDING/index.md", "timeline/README.md",
     "disagreements.mkd", "index.md", "sources/planet.md", "entities/acme/index.md", "changes.xml",
     "briefing/briefing.css", "topics/funding", "data", "DATA/Facts.csv"],
)  # fmt: skip
def test_a_hand_written_page_at_a_generated_address(site_project: Project, page: str):
    path = site_project.root / "docs" / page
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Funding\n\nA hand-written page the search would index at the real page's address.\n")
    result = source_only(site_project)
    assert result.returncode == 1
    assert f"docs/{page}:1:1: error: this hand-written page has the address of a generated one: rename it" in (
        result.stderr
    )
    assert not (site_project.root / "build").exists()
