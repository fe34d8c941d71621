"""What the commands share: the common flags, the project's options, and printing problems and reports."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from briefing.files import linked_part, replace_file
from briefing.load.model import Registry
from briefing.load.validation import load_schema
from briefing.pipeline import Options, Report
from briefing.problems import Loc, Problem, format_github, format_problem
from briefing.project import Settings, find_root, read_settings


def add_common(parser: argparse.ArgumentParser) -> None:
    """The flags of every command that reads the project: where it is, the archive, strictness, the output form."""
    parser.add_argument(
        "--root",
        type=Path,
        help="project folder (default: the nearest folder up from here with mkdocs.yml and facts/)",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        help="folder of archived source texts (default: $BRIEFING_SOURCES, else briefing.toml's archive)",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings and unverified quotes as errors")
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
        help="how to print problems (default: github inside GitHub Actions)",
    )


def add_command(
    commands: argparse._SubParsersAction, name: str, help: str, run: Callable[..., int], flags: bool = True
) -> argparse.ArgumentParser:
    """A command's parser, with the common flags (unless not `flags`); `run` takes the project's options
    and the arguments (cli.main makes the options: a command of a project reads its settings first)."""
    parser = commands.add_parser(name, help=help)
    if flags:
        add_common(parser)
    parser.set_defaults(run=run, project=True)
    return parser


def project_settings(args: argparse.Namespace) -> tuple[Path, Settings | None]:
    """The project's root and settings (briefing.toml, BRIEFING_SITE_URL); None, the problems printed, if wrong."""
    # Absolute: the engine runs in a folder of its own, where a path from here would name nothing.
    root = Path(os.path.abspath(getattr(args, "root", None) or find_root(Path.cwd())))
    settings, problems = read_settings(root, os.environ)  # BRIEFING_SITE_URL: where a deployment publishes it
    if problems:
        print_problems(problems, Registry(), github=False)
        return root, None
    return root, settings


def project_options(args: argparse.Namespace) -> Options | None:
    """The options a command runs with, from its flags and the project's settings; None if the settings are wrong."""
    root, settings = project_settings(args)
    if settings is None:
        return None
    sources = args.sources or Path(os.environ.get("BRIEFING_SOURCES") or settings.archive)
    site_dir = getattr(args, "site_dir", Path("site"))
    return Options(root=root, sources=sources, strict=args.strict, site_dir=site_dir, settings=settings)


def print_problems(problems: list[Problem], registry: Registry, github: bool) -> None:
    """Print problems the way the reader needs them: annotated source lines, or GitHub commands."""
    lines = {doc.path: doc.lines for doc in registry.documents}
    for problem in problems:
        if github:
            print(format_github(problem))
        else:
            print(format_problem(problem, lines.get(problem.loc.path)), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if problems and not github:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def print_report(report: Report, github: bool) -> None:
    """A report's notes, its problems, then why nothing was written (if so); all on standard error but
    the problems in GitHub's form."""
    for note in report.notes:
        print(note, file=sys.stderr)
    print_problems(report.problems, report.registry, github)
    for failure in report.failures:
        print(failure, file=sys.stderr, flush=True)


def archive_name_problem(name: str) -> str | None:
    """The schema's rule for an archive file name, applied before anything is read."""
    rule = load_schema()["definitions"]["source"]["properties"]["archive"]["properties"]["file"]
    return None if re.search(rule["pattern"], name) else rule["errorMessage"]


def refuse_link(path: Path, root: Path, command: str, said: set[Path] | None = None) -> bool:
    """Say so, at its path, if `path` or a folder on the way to it from the project is a symbolic link."""
    link = linked_part(path, root)
    if link is None:
        return False
    if said is not None and link in said:
        return True
    if said is not None:
        said.add(link)
    shown = Path(os.path.relpath(link, root)).as_posix()
    problem = Problem(
        Loc(shown),
        f"this is a symbolic link: `briefing {command}` neither reads nor writes through one",
        hint="put the file itself here (a link could point anywhere); nothing was written",
        code="linked-input",
    )
    print(format_problem(problem), file=sys.stderr)
    return True


def report_changed_value(where: Loc, action: str) -> None:
    """The rewrite would change what the file says (a form the editor cannot keep); nothing was written."""
    problem = Problem(
        where,
        f"{action} would change this value",
        hint="write it more plainly (a |+ block's trailing blank lines cannot be kept); nothing was written",
        code="value-would-change",
    )
    print(format_problem(problem), file=sys.stderr)


def report_lost_comment(display: str, line: int, col: int, text: str) -> None:
    """A comment the rewrite would drop: where it is and what to do; nothing was written."""
    problem = Problem(
        Loc(display, line, col),
        f"rewriting this file would lose the comment {text!r}",
        hint="comments inside { } cannot be kept: move it onto a line of its own above, or write the "
        "mapping as a block; nothing was written",
        code="comment-would-be-lost",
    )
    print(format_problem(problem), file=sys.stderr)


def write_or_say(path: Path, text: str, display: str) -> bool:
    """Replace a registry file with `text`; if it cannot be written, say so at its path."""
    try:
        replace_file(path, text.encode("utf-8"))
    except OSError as exc:
        print(f"{display}: error: not written: {exc}", file=sys.stderr)
        return False
    return True


def seconds(text: str) -> float:
    """A deadline: a number of seconds above 0 and at most a day."""
    value = float(text)
    if not 0 < value <= 86400:
        raise ValueError(text)
    return value


def add_fetch_flags(parser: argparse.ArgumentParser) -> None:
    """The options of a command that fetches addresses a page wrote (archive, linkcheck)."""
    parser.add_argument(
        "--deadline",
        type=seconds,
        default=30.0,
        metavar="SECONDS",
        help="for each fetch, redirects included (default: 30)",
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="also fetch loopback, private and link-local addresses (refused by default; for tests and intranets)",
    )
