"""The rendering's shortcuts give what the long way gives: addresses kept whole when nothing in them
needs encoding (escaping._requote), and each search filter's values once, in order (facets)."""

from __future__ import annotations

import random
import re
from urllib.parse import quote

from briefing.render import escaping
from briefing.render.facets import _add


def _old_requote(part: str) -> str:
    """escaping._requote as it was: every run of characters through urllib's quote."""
    return re.sub(r"%(?![0-9A-Fa-f]{2})|[^%]+", lambda m: quote(m.group(0), safe=escaping._URL_SAFE), part)


ALPHABET = list("aZ09-._~:/?#@$&+,;=*%%%%AfG ()[]<>\"'`\\^{}|!\n\t\u00e9\u4e2d\u200b\U0001f600")


def test_requote_keeps_what_it_kept_and_encodes_what_it_encoded():
    rng = random.Random(26)
    parts = ["", "%", "%2", "%2D", "%2d%", "%zz", "a%20b", "caf\u00e9", "%E4%B8%AD", "a b", "%%41"]
    parts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    for part in parts:
        assert escaping._requote(part) == _old_requote(part), part


def test_an_address_is_encoded_as_before():
    for url in [
        'https://example.org/a b/<x>?q="1"#:~:text=a%2Db,c',
        "https://example.org/%zz/caf\u00e9?x=%41",
        "https://example.org/path(1)/[2]#frag'ment",
    ]:
        parts = escaping.urlsplit(url)
        old = escaping.urlunsplit(
            (
                parts.scheme,
                parts.netloc,
                _old_requote(parts.path),
                _old_requote(parts.query),
                _old_requote(parts.fragment),
            )
        )
        assert escaping.href(url) == escaping.html_text(old)


def test_filter_values_are_kept_once_in_the_order_first_seen():
    values: dict = {}
    for name, value in [
        ("entity", "B"),
        ("entity", "A"),
        ("entity", "B"),
        ("topic", None),
        ("topic", ""),
        ("entity", "C"),
    ]:
        _add(values, name, value)
    assert {name: list(found) for name, found in values.items()} == {"entity": ["B", "A", "C"]}
