"""Symbolic links and hand-written pages a pull request can carry into facts/, docs/ and templates/.

fmt (run by the pre-commit hook), new and archive never read or write through a link, and
replace files only through a temporary file of a random name; the build refuses any link in
docs/ or templates/ and any hand-written page at an address a generated page has.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import Project
from test_archive import FIXTURES, FLAGS, GAZETTE

from briefing.write.files import LinkRefused, linked_part, read_regular, replace_file

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
    text = 'topics:\n  - id: funding\n    title: Funding\n    description: Money.\n'
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
