"""The CLI through its real entry point: messages, exit codes, and nothing written on failure."""

from __future__ import annotations

import os

import yaml
from helpers import snapshot


def test_check_passes_on_a_clean_registry(project):
    result = project.run("check", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 4 facts, 2 sources, 4 entities\n"
    assert result.stderr == ""


def test_check_reports_every_problem_with_location_line_and_caret(project):
    project.edit(
        "facts.yaml",
        '      - source: wire\n        quote: "May 2024.',
        '      - source: wires\n        quote: "May 2024.',
    )
    project.edit("entities.yaml", "kind: place", "kind: plase")
    result = project.run("check")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "facts/entities.yaml:15:11: error: entity 'portville': field 'kind' is 'plase'; use one of: organisation, "
        "person, place, model, product, programme, policy [not-a-choice]\n"
        "  15 |     kind: plase\n"
        "     |           ^\n"
        "  hint: did you mean 'place'?\n"
        "facts/facts.yaml:31:17: error: unknown source 'wires' [unknown-id]\n"
        "  31 |       - source: wires\n"
        "     |                 ^\n"
        "  hint: did you mean 'wire'?\n"
        "2 error(s), 0 warning(s)\n"
    )


def test_no_traceback_for_unreadable_yaml(project):
    project.write("broken.yaml", "facts:\n  - id: [unclosed\n")
    (project.facts / "binary.yaml").write_bytes(b"\x00\xff\xfe")
    result = project.run("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "facts/binary.yaml:1:2: error: file is not UTF-8: byte 0xff cannot be decoded" in result.stderr
    assert "facts/broken.yaml:3:1: error: YAML syntax error" in result.stderr


def test_github_annotations(project):
    project.edit(
        "facts.yaml",
        '      - source: wire\n        quote: "May 2024.',
        '      - source: wires\n        quote: "May 2024.',
    )
    result = project.run("check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=facts/facts.yaml,line=31,col=17::unknown source 'wires' [unknown-id] (hint: did you mean 'wire'?)\n"
    )


def test_build_source_only_writes_the_site_source_and_touches_no_hand_written_page(site_project):
    docs = snapshot(site_project.root / "docs")
    result = site_project.run("build", "--source-only")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote the site source, ")
    source = site_project.root / "build"
    assert (source / "mkdocs.yml").is_file()
    assert (source / "docs" / "index.md").is_file()
    assert (source / "docs" / "sources" / "planet" / "index.md").is_file()
    assert (source / "docs" / "methodology.md").read_bytes() == docs["methodology.md"]  # copied as it is
    assert snapshot(site_project.root / "docs") == docs
    assert not (site_project.root / "site").exists()


def test_the_site_source_needs_no_hooks_and_names_every_page(site_project):
    """build/mkdocs.yml is the project's settings with the navigation and folders: nothing of MkDocs' own."""
    assert site_project.run("build", "--source-only").returncode == 0
    config = yaml.safe_load((site_project.root / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config and "watch" not in config
    assert (config["docs_dir"], config["site_dir"]) == ("docs", "../site")
    text = yaml.safe_dump(config["nav"])
    for page in ("index.md", "topics/funding/index.md", "entities/acme/index.md", "methodology.md"):
        assert page in text


def test_a_hand_written_page_in_a_generated_page_s_place_is_refused(site_project):
    (site_project.root / "docs" / "timeline").mkdir()
    (site_project.root / "docs" / "timeline" / "index.md").write_text("# Mine\n", encoding="utf-8")
    result = site_project.run("build", "--strict")
    assert result.returncode == 1
    assert (
        "docs/timeline/index.md:1:1: error: this hand-written page has the address of a generated one: rename it"
        in result.stderr
    )
    assert not (site_project.root / "build").exists()


def test_unknown_source_id_fails_the_build_and_leaves_build_and_site_as_they_were(built_site):
    project = built_site
    source, site = snapshot(project.root / "build"), snapshot(project.root / "site")
    assert "index.html" in site and "docs/index.md" in source

    project.edit(
        "facts.yaml",
        '      - source: wire\n        quote: "May 2024.',
        '      - source: no-such-source\n        quote: "May 2024.',
    )
    result = project.run("build", "--strict")
    assert result.returncode == 1
    assert "facts/facts.yaml:31:17: error: unknown source 'no-such-source'" in result.stderr
    assert "build stopped: nothing was written" in result.stderr
    assert snapshot(project.root / "build") == source
    assert snapshot(project.root / "site") == site


def test_mkdocs_failure_leaves_the_previous_source_and_site(built_site):
    project = built_site
    source, site = snapshot(project.root / "build"), snapshot(project.root / "site")
    # A valid registry change, but a hand-written page with a broken link makes mkdocs --strict fail.
    project.edit("facts.yaml", "statement: Acme was founded in 2019.", "statement: Acme was set up in 2019.")
    methodology = project.root / "docs" / "methodology.md"
    methodology.write_text(methodology.read_text(encoding="utf-8") + "\n[broken](nowhere.md)\n", encoding="utf-8")
    result = project.run("build", "--strict")
    assert result.returncode == 1
    assert "mkdocs build failed: build/ and site/ are as they were" in result.stderr
    # MkDocs' own warning, counted by --strict (with --quiet it was dropped uncounted), and none of its notes
    assert (
        "WARNING -  Doc file 'methodology.md' contains a link 'nowhere.md', but the target is not found"
        in result.stderr
    )
    assert "INFO" not in result.stderr
    assert snapshot(project.root / "build") == source
    assert snapshot(project.root / "site") == site
    assert not list(project.root.glob(".site-*")) and not list((project.root / ".cache" / "build").glob("*"))


def test_linkcheck_command(built_site):
    result = built_site.run("linkcheck")
    assert result.returncode == 0, result.stderr
    assert "0 broken internal links" in result.stdout


def test_an_output_folder_over_an_input_is_refused_before_anything_is_touched(built_site):
    site_project = built_site
    (site_project.facts / "draft.yaml").write_text("# uncommitted work\n", encoding="utf-8")
    everything = snapshot(site_project.root.parent)
    archive = site_project.archive.as_posix()
    for site_dir, why in [
        ("facts", "the build would replace facts/, an input"),
        ("facts/site", "the build would replace facts/, an input"),
        ("docs", "the build would replace docs/, an input"),
        ("docs/generated", "the build would replace docs/, an input"),
        ("templates", "the build would replace templates/, an input"),
        (".", "it holds the whole project"),
        ("..", "it holds the whole project"),
        (archive, "the build would replace the archive folder, an input"),
        (archive + "/copy", "the build would replace the archive folder, an input"),
    ]:
        result = site_project.run("build", "--site-dir", site_dir)
        assert result.returncode == 2, site_dir
        assert result.stderr == f"error: --site-dir {site_dir}: {why}; nothing was touched\n"
    assert snapshot(site_project.root.parent) == everything


def test_new_source_refuses_an_archive_name_before_reading_it(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n", encoding="utf-8")
    result = project.run(
        "new", "source", "--title", "T", "--publisher", "P", "--published", "2024", "--kind", "news-report",
        "--reliability", "R.", "--summary", "S.", "--archive-file", "../../secret.txt",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "error: --archive-file '../../secret.txt' is not a plain file name inside the archive folder "
        "(no folders, '..', backslashes or leading dot)\n"
    )
    assert "sha256" not in result.stdout + result.stderr


def test_a_project_named_by_a_relative_root_builds_from_any_folder(site_project):
    """`--root ../x` from elsewhere: the engine runs in a folder of its own, so the project's paths must not
    be relative to the folder the command was started in (MkDocs, then Zensical, were given paths from it)."""
    from conftest import run_briefing

    outside = site_project.root.parent / "elsewhere"
    outside.mkdir()
    env = {**os.environ, "BRIEFING_SOURCES": str(site_project.archive)}
    env.pop("GITHUB_ACTIONS", None)
    result = run_briefing(["build", "--strict", "--root", "../project"], outside, env)
    assert result.returncode == 0, result.stderr
    assert (site_project.root / "site" / "index.html").is_file()
    assert not (outside / "site").exists() and not (outside / "build").exists()
