"""Past revisions are held to the checks of their own time: the Changes page shows what readers read.

A check that came in later (history.RULES_SINCE) used to hide every revision committed before it
as "never published"; a revision that failed a check of its own time must still stay hidden.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import Project
from helpers import commit, git, problems

from briefing.load import history as history_module

FOUNDED = "Acme was founded in 2019.\n"
STAFFED = "Acme was founded in 2019 with 40 staff.\n"  # '40' is in no quote: figure-not-quoted today
NEVER = "(its text was never published: the revision that held it did not pass the checks)"
HIDDEN_SUBJECT = "(not shown: this revision did not pass the checks)"
BEFORE_FIGURES = "2024-06-02T09:00:00+00:00"  # before the figure check came in
AFTER_FIGURES = "2026-12-07T02:00:00+00:00"  # after it


@pytest.fixture
def repo(site_project: Project) -> Project:
    git(site_project.root, "init", "-q", "-b", "main")
    commit(site_project.root, "Publish the Acme briefing", "2024-06-01T09:00:00+00:00")
    return site_project


def changes(project: Project) -> str:
    result = project.run("build", "--source-only")
    assert result.returncode == 0, result.stdout + result.stderr
    return (project.root / "build" / "docs" / "changes" / "index.md").read_text(encoding="utf-8")


def there_and_back(project: Project, old: str, new: str, message: str, when: str, back: str) -> None:
    """A change committed at `when`, and undone at `back`."""
    project.edit("facts.yaml", old, new)
    commit(project.root, message, when)
    project.edit("facts.yaml", new, old)
    commit(project.root, "Back as it was", back)


def test_the_staffed_wording_fails_only_the_later_figure_check(project):
    """The premise of the tests below: today's checks refuse the wording only for its figure."""
    project.edit("facts.yaml", FOUNDED, STAFFED)
    assert [p.split(": error: ")[1] for p in problems(project, severity="error")] == [
        "fact 'acme-founded': the figure '40' is in none of its quotes"
    ]
    assert history_module.RULES_SINCE["figure-not-quoted"] > datetime.fromisoformat(BEFORE_FIGURES)
    assert history_module.RULES_SINCE["figure-not-quoted"] < datetime.fromisoformat(AFTER_FIGURES)


def test_a_revision_published_before_a_check_came_in_shows_its_text(repo):
    there_and_back(repo, FOUNDED, STAFFED, "Add the staff count", BEFORE_FIGURES, "2024-06-03T09:00:00+00:00")
    page = changes(repo)
    assert NEVER not in page and HIDDEN_SUBJECT not in page
    assert "“Add the staff count”" in page
    assert "Acme was founded in 2019 with 40 staff." in page  # the text readers read on 2 June
    # 3 June's rewording is marked against that published text
    assert "removed: </span>2019 with 40 staff.</del>" in page.split("## 3 June 2024")[1]


def test_a_revision_that_failed_a_check_of_its_own_time_stays_hidden(repo):
    there_and_back(repo, FOUNDED, STAFFED, "Add the staff count", AFTER_FIGURES, "2026-12-07T03:00:00+00:00")
    page = changes(repo)
    assert "40 staff" not in page and "Add the staff count" not in page
    assert NEVER in page and HIDDEN_SUBJECT in page


def test_a_made_up_quote_stays_hidden_however_old(repo):
    """Quotes against the archive held from the start: no date lets a made-up quote through."""
    real, made_up = "May 2024. The firm was founded in 2019.", "The firm was founded in 2019 by robots."
    there_and_back(repo, real, made_up, "A quote no source has", "2001-01-01T09:00:00+00:00", BEFORE_FIGURES)
    page = changes(repo)
    assert "robots" not in page and "A quote no source has" not in page


def test_after_a_hidden_revision_the_next_shows_what_readers_last_saw(repo):
    """Published, hidden, published: the last change is marked against the first text, not 'never published'."""
    repo.edit("facts.yaml", FOUNDED, STAFFED)
    commit(repo.root, "Staff, unchecked", AFTER_FIGURES)
    repo.edit("facts.yaml", STAFFED, "Acme was set up in 2019.\n")
    commit(repo.root, "Set up", "2026-12-07T03:00:00+00:00")
    text = (repo.facts / "facts.yaml").read_text(encoding="utf-8")
    repo.write("facts.yaml", text[: text.index("  - id: open-source-promise")])  # retracted after the hidden one
    repo.edit("facts.yaml", "Acme was set up in 2019.\n", STAFFED)
    commit(repo.root, "Staff again, unchecked; the promise retracted", "2026-12-07T04:00:00+00:00")
    text = (repo.facts / "facts.yaml").read_text(encoding="utf-8")
    repo.write("facts.yaml", text.replace(STAFFED, "Acme was set up in 2019.\n"))
    commit(repo.root, "Set up again", "2026-12-07T05:00:00+00:00")
    page = changes(repo)
    assert "40 staff" not in page
    # founded -> set up: both texts were published, though a hidden revision came between
    assert 'removed: </span>founded</del> <ins><span class="md-visually-hidden">added: </span>set up</ins>' in page
    assert "- [Ada Lovelace said Acme would open-source its arm controller in 2024.]" in page  # retracted: its text
    assert page.count(NEVER) == 2  # the two hidden rewordings, listed without their words
    topic = (repo.root / "build" / "docs" / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert "This fact said: “Ada Lovelace said Acme would open-source its arm controller in 2024.”" in topic


def test_a_field_the_schema_dropped_later_does_not_hide_an_old_revision(repo):
    """An old registry with a field today's schema no longer has still loads; after the change it does not."""
    old_field = "Acme was founded in 2019 or so.\n    original_publisher: Wire\n"
    there_and_back(repo, FOUNDED, old_field, "Or so", BEFORE_FIGURES, "2024-06-03T09:00:00+00:00")
    page = changes(repo)
    assert "Acme was founded in 2019 or so." in page and NEVER not in page


def test_a_field_unknown_at_its_own_time_is_passed_over(repo):
    unknown = "Acme was founded in 2019 or so.\n    nonsense: x\n"
    there_and_back(repo, FOUNDED, unknown, "Or so", AFTER_FIGURES, "2026-12-07T03:00:00+00:00")
    page = changes(repo)
    assert "or so" not in page and "“Or so”" not in page


def test_a_cached_snapshot_keeps_the_codes_and_decides_by_each_commits_time(repo):
    """The same tree at two times: the verdict is the commit's, not the cache's."""
    there_and_back(repo, FOUNDED, STAFFED, "Staff, old", BEFORE_FIGURES, "2024-06-03T09:00:00+00:00")
    there_and_back(repo, FOUNDED, STAFFED, "Staff, new", AFTER_FIGURES, "2026-12-07T03:00:00+00:00")
    for _ in range(2):  # cold, then warm from the parse cache
        page = changes(repo)
        assert "“Staff, old”" in page and "Staff, new" not in page
        assert page.count("Acme was founded in 2019 with 40 staff.") >= 1 and HIDDEN_SUBJECT in page


def test_a_commit_dated_before_the_one_it_follows_is_judged_at_that_ones_time(repo):
    """Backdating a commit (any committer can) does not take it back before a check."""
    repo.edit("facts.yaml", "Acme was founded in 2019.\n", "Acme was set up in 2019.\n")
    commit(repo.root, "A recent change", AFTER_FIGURES)
    repo.edit("facts.yaml", "Acme was set up in 2019.\n", STAFFED)
    commit(repo.root, "Backdated to before the figure check", BEFORE_FIGURES)
    repo.edit("facts.yaml", STAFFED, FOUNDED)
    commit(repo.root, "Back", "2026-12-07T03:00:00+00:00")
    page = changes(repo)
    assert "40 staff" not in page and "Backdated" not in page and HIDDEN_SUBJECT in page
