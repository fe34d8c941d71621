"""`briefing fmt`: registry files rewritten in the canonical form (key order, quoting); --check only reports."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from briefing.commands.common import (
    add_command,
    print_problems,
    refuse_link,
    report_changed_value,
    report_lost_comment,
    write_or_say,
)
from briefing.files import read_regular
from briefing.load.discovery import find_registry_files
from briefing.load.model import Registry
from briefing.load.yaml_loader import load_yaml_bytes
from briefing.pipeline import Options


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = add_command(commands, "fmt", "write registry files in the canonical form (key order, quoting)", run)
    parser.add_argument("paths", nargs="*", type=Path, help="files to format (default: every registry file)")
    parser.add_argument("--check", action="store_true", help="only report files that are not in the canonical form")


def run(options: Options, args: argparse.Namespace) -> int:
    return fmt(options, args.paths, args.check)


def fmt(options: Options, paths: list[Path], check: bool) -> int:
    """Rewrite registry files in the canonical form; with `check`, only say which are not.

    Every file is read and formatted first; if any has a problem, none is written. A symbolic
    link in facts/ is neither read nor written through: it is an error at its path.
    """
    if paths:
        targets, problems = paths, []
    else:
        targets, problems = find_registry_files(options.facts_dir, options.root)
    failed = bool(problems)
    print_problems(problems, Registry(), github=False)
    formatted_files: list[tuple[Path, str, str]] = []
    links: set[Path] = set()  # each said once
    for path in targets:
        display = Path(os.path.relpath(path, options.root)).as_posix()
        if refuse_link(path, options.root, "fmt", links):
            failed = True
            continue
        formatted = _formatted(path, display)
        if formatted is None:
            failed = True
        elif formatted != "" and check:
            print(f"{display}: not in the canonical form (run `briefing fmt`)", file=sys.stderr)
            failed = True
        elif formatted != "":
            formatted_files.append((path, display, formatted))
    if failed:
        if formatted_files:
            print("nothing was formatted: fix the errors above first", file=sys.stderr)
        return 1
    for path, display, formatted in formatted_files:
        if not write_or_say(path, formatted, display):
            return 1
        print(f"formatted {display}")
    return 0


def _formatted(path: Path, display: str) -> str | None:
    """A file's text in the canonical form; "" if it is in it already; None (the problem said) if it cannot be."""
    from briefing.tools.editing import LostComment, changed_value, format_text

    try:
        raw = read_regular(path)
    except OSError as exc:
        print(f"{display}: error: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return None
    doc, problems = load_yaml_bytes(raw, display)
    if doc is None:  # never hand the round-trip parser what the build refuses
        print_problems(problems, Registry(), github=False)
        return None
    text = raw.decode("utf-8")
    try:
        formatted = format_text(text)
    except LostComment as lost:
        report_lost_comment(display, lost.line, lost.col, lost.text)
        return None
    changed = changed_value(text, formatted, display)
    if changed:
        report_changed_value(changed, "formatting")
        return None
    return "" if formatted == text else formatted
