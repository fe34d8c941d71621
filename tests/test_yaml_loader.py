"""The line-keeping loader: positions, refusals, and no implicit type surprises."""

from __future__ import annotations

import pytest

from briefing.load.yaml_loader import MAX_DEPTH, MAX_FILE_BYTES, load_yaml_bytes


def load(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_yaml_bytes(raw, "facts/x.yaml")


def messages(text: str | bytes) -> list[str]:
    doc, problems = load(text)
    assert doc is None, "expected the file to be refused"
    return [str(p) for p in problems]


def test_keeps_line_and_column_of_values_and_keys():
    doc, problems = load("facts:\n  - id: a\n    statement: >-\n      folded\n      text\n")
    assert problems == []
    assert doc.data == {"facts": [{"id": "a", "statement": "folded text"}]}
    assert str(doc.loc(("facts", 0, "id"))) == "facts/x.yaml:2:9"
    assert str(doc.key_loc(("facts", 0, "statement"))) == "facts/x.yaml:3:5"
    assert str(doc.loc(("facts", 0, "statement"))) == "facts/x.yaml:3:16"
    # a path that was never written falls back to its nearest written ancestor
    assert str(doc.loc(("facts", 0, "missing"))) == "facts/x.yaml:2:5"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NO", "NO"),
        ("on", "on"),
        ("yes", "yes"),
        ("010", "010"),
        ("0x1F", "0x1F"),
        ("1:30:00", "1:30:00"),
        ("2024-02-30", "2024-02-30"),
        ("2025-03-04", "2025-03-04"),
        (".inf", ".inf"),
        ("12", 12),
        ("-3", -3),
        ("1.5", 1.5),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ('"12"', "12"),
        ("'true'", "true"),
    ],
)
def test_plain_scalars_stay_as_written_unless_unambiguous(text, expected):
    doc, problems = load(f"value: {text}\n")
    assert problems == []
    assert doc.data["value"] == expected
    assert type(doc.data["value"]) is type(expected)


def test_duplicate_key_names_both_lines():
    assert messages("facts: []\ntopics: []\nfacts: []\n") == [
        "facts/x.yaml:3:1: error: duplicate key 'facts' (first defined at facts/x.yaml:1:1)"
    ]


def test_nested_duplicate_key():
    assert messages("facts:\n  - id: a\n    topic: x\n    id: b\n") == [
        "facts/x.yaml:4:5: error: duplicate key 'id' (first defined at facts/x.yaml:2:5)"
    ]


def test_billion_laughs_is_refused_at_load_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    assert messages("\n".join(lines) + "\n") == [
        "facts/x.yaml:1:4: error: YAML anchors and aliases are not allowed (found anchor '&a')"
    ]


def test_alias_without_anchor_is_refused():
    assert messages("a: *nothing\n")[0].startswith("facts/x.yaml:1:4: error:")


def test_deep_nesting_is_refused_without_crashing():
    deep = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert messages(deep) == [f"facts/x.yaml:1:{3 + MAX_DEPTH}: error: nesting is deeper than {MAX_DEPTH} levels"]


def test_deep_block_nesting_is_refused():
    assert messages("- " * 100_000 + "x\n") == [
        f"facts/x.yaml:1:{2 * MAX_DEPTH + 1}: error: nesting is deeper than {MAX_DEPTH} levels"
    ]


def test_file_over_size_cap():
    assert messages(b"# " + b"x" * MAX_FILE_BYTES + b"\n") == [
        f"facts/x.yaml:1:1: error: file is {MAX_FILE_BYTES + 3:,} bytes; the limit is {MAX_FILE_BYTES:,}"
    ]


def test_bytes_that_are_not_utf8():
    assert messages(b"facts:\n  - id: caf\xe9\n") == [
        "facts/x.yaml:2:12: error: file is not UTF-8: byte 0xe9 cannot be decoded"
    ]


def test_tabs_in_indentation():
    assert messages("facts:\n\t- id: a\n") == ["facts/x.yaml:2:1: error: tab character in indentation"]


@pytest.mark.parametrize(
    "text, tag",
    [
        ("a: !!python/object:os.system x\n", "!!python/object:os.system"),
        ("a: !!python/object/apply:os.system ['ls']\n", "!!python/object/apply:os.system"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !custom x\n", "!custom"),
    ],
)
def test_tags_are_refused(text, tag):
    assert messages(text) == [f"facts/x.yaml:1:4: error: YAML tags are not allowed: '{tag}'"]


def test_several_documents_in_one_file():
    assert messages("facts: []\n---\ntopics: []\n") == [
        "facts/x.yaml:2:1: error: a second YAML document starts here; a registry file holds one"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_file(text):
    assert messages(text) == ["facts/x.yaml:1:1: error: file is empty"]


def test_syntax_error_has_a_location():
    (message,) = messages("facts:\n  - id: a\n   topic: b\n")
    assert message.startswith("facts/x.yaml:3:")
    assert "YAML syntax error" in message


def test_control_character_is_refused_by_the_parser():
    assert messages("a: x\x01y\n") == ["facts/x.yaml:1:5: error: YAML error: character U+0001 is not allowed in YAML"]


def test_mapping_as_key_is_refused():
    assert messages("? [a, b]\n: c\n") == ["facts/x.yaml:1:3: error: a key must be plain text, not a list or mapping"]
