"""`briefing archive`: a saved page's, a PDF's or an address's main text kept in the archive folder, and
its source added with what the page says of itself."""

from __future__ import annotations

import argparse
import sys

from briefing.check.quotes import sha256_of
from briefing.commands.common import add_command, add_fetch_flags, archive_name_problem
from briefing.commands.new import add_source_flags, new
from briefing.files import read_regular, replace_file
from briefing.pipeline import Options


def add_parser(commands: argparse._SubParsersAction) -> None:
    help = "keep a saved page's, a PDF's or an address's main text in the archive, and add its source"
    parser = add_command(commands, "archive", help, archive, flags=False)
    parser.add_argument("location", help="a saved .html or .pdf file, or an http(s) address")
    add_fetch_flags(parser)
    add_source_flags(parser)


def archive(options: Options, args: argparse.Namespace) -> int:
    """Keep a page's main text in the archive folder, then add its source with what the page says of itself."""
    from briefing.tools.archive import ArchiveError, extract, file_name, read, retrieved_today

    try:
        data, kind, url = read(args.location, args.deadline, args.allow_private)
        page = extract(data, kind, url)
        for note in page.notes:  # what the page claims of itself, not recorded
            print(f"note: {note}", file=sys.stderr)
    except ArchiveError as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 1
    name = args.archive_file or file_name(page)
    problem = archive_name_problem(name)
    if problem:
        print(f"error: --archive-file {name!r} {problem}", file=sys.stderr)
        return 2
    target = options.archive_dir / name
    if target.is_symlink():
        print(f"error: {target.as_posix()} is a symbolic link; nothing was written: remove it", file=sys.stderr)
        return 1
    try:
        held = read_regular(target) if target.exists() else None
        if held is not None and held != page.data:
            print(
                f"error: {target.as_posix()} holds another text (sha256 {sha256_of(held)}); "
                f"nothing was written: choose another --archive-file",
                file=sys.stderr,
            )
            return 1
        created = held is None
        if created:
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, page.data)
    except OSError as exc:
        print(f"error: {target.as_posix()}: {exc.strerror or exc}; nothing was written", file=sys.stderr)
        return 1
    print(f"archived {len(page.text):,} characters as {target.as_posix()} (sha256 {page.sha256})")
    found = {"title": page.title, "publisher": page.publisher, "author": page.author, "published": page.published}
    found["url"] = page.url
    found["retrieved"] = retrieved_today()  # unless --retrieved says when the saved page was taken
    told = {key: value for key, value in vars(args).items()}
    told.update({key: value for key, value in found.items() if value and not told.get(key)})
    told["archive_file"] = name
    status = new(options, "source", argparse.Namespace(**told))
    if status != 0 and created:
        target.unlink()  # the source was not added: the archive is as it was
        print(f"removed {target.as_posix()} again, as the source was not added", file=sys.stderr)
    return status
