"""Text from git shown to readers and on terminals, as one plain line: a commit's subject, a feed title."""

from __future__ import annotations

import unicodedata

from briefing.problems import BIDI

MAX_SUBJECT = 300  # characters of a commit's subject shown


def plain_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """One line of text: control and line-separating characters as spaces, direction marks and
    non-characters dropped, at most `limit` characters."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif code in BIDI or unicodedata.category(ch) in ("Cs", "Cn") or (code & 0xFFFE) == 0xFFFE:
            continue
        else:
            out.append(ch)
    line = "".join(out).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"
