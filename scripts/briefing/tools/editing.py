"""Editing registry files as text: the canonical format, and adding an entry (entries.py makes it), comments kept.

Both work on ruamel.yaml's round-trip model, so comments and flow style survive. The
canonical form is what `briefing fmt` writes: keys in the schema's order (id first), plain
scalars where YAML allows them and quotes only where it needs them, no line wrapping.
Input is first read by the safe loader, so nothing here parses what the build would refuse.
"""

from __future__ import annotations

import io
import re
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString

from briefing.load.validation import load_schema
from briefing.load.yaml_loader import load_yaml_bytes
from briefing.problems import Loc

HEADER = "# yaml-language-server: $schema=registry.schema.json\n"


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never wrap: a contributor's line breaks are theirs, diffs stay small
    yaml.preserve_quotes = False
    return yaml


class LostComment(ValueError):
    """A comment the round-trip model cannot keep (inside a flow mapping): say where, write nothing."""

    def __init__(self, line: int, col: int, text: str) -> None:
        super().__init__(f"{line}:{col}: the comment {text!r} cannot be kept here")
        self.line, self.col, self.text = line, col, text


def format_text(text: str) -> str:
    """The canonical form of one registry file's text; raises LostComment rather than drop one."""
    body, trailer = _split_trailer(text)
    yaml = _yaml()
    data = yaml.load(body)
    _reorder(data, load_schema())
    return _kept(text, _dump(yaml, data) + trailer)


def add_entry(text: str | None, section: str, entry: dict[str, Any], header: str = "") -> str:
    """The file's text with `entry` appended to `section` (created if absent), in canonical form."""
    body, trailer = _split_trailer(text or "")
    yaml = _yaml()
    data = yaml.load(body) if body else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise ValueError("this file is not a mapping of sections")
    if section not in data or data[section] is None:
        data[section] = CommentedSeq()
    if not isinstance(data[section], CommentedSeq):
        raise ValueError(f"'{section}' in this file is not a list of entries")
    node = _commented(entry)
    node.fa.set_block_style()  # an entry is always written as a block, one field a line
    data[section].append(node)
    _reorder(data, load_schema())
    out = _dump(yaml, data)
    return _kept(text or "", out + trailer) if text else HEADER + header + out


def _split_trailer(text: str) -> tuple[str, str]:
    """The file's closing comments (at the margin, after the last entry) apart from the rest.

    The round-trip model hangs them on the last entry, where a new entry would follow them.
    Lines end at '\n' only, as in YAML (U+2028, U+0085 or a form feed inside a value ends no
    line), and a '#' at the margin is a comment only where YAML says so, not inside a quoted value.
    """
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    margin = {line for line, col, _ in comments(text) if col == 1}
    end = len(lines)
    while end and (not lines[end - 1].strip(" \t\r\n") or end in margin):
        end -= 1
    trailer = "".join(lines[end:])
    if not end or not trailer.strip():
        return text, ""
    return "".join(lines[:end]), trailer.rstrip("\n") + "\n"


def changed_value(before: str, after: str, display: str, added: str | None = None) -> Loc | None:
    """Where `after` says something `before` does not (`added`'s last entry aside), read as the build reads.

    The round-trip model cannot keep every form (a |+ block's last blank lines): rather than
    write a file that says something else, the command refuses. None if both say the same.
    """
    old, _ = load_yaml_bytes(before.encode("utf-8"), display)
    new, _ = load_yaml_bytes(after.encode("utf-8"), display)
    blank = all(not line.strip() or line.lstrip().startswith("#") for line in before.split("\n"))
    if new is None or (old is None and not blank):
        return Loc(display)
    before_data = old.data if old else None
    data = new.data
    if added and isinstance(data, dict) and isinstance(data.get(added), list) and data[added]:
        data = {**data, added: data[added][:-1]}
        if not data[added] and not (isinstance(before_data, dict) and before_data.get(added)):  # came with it
            data = {k: v for k, v in data.items() if k != added}
            if isinstance(before_data, dict) and added in before_data:
                data[added] = before_data[added]
    path = _first_difference(before_data if before_data is not None else {}, data)
    return None if path is None else old.loc(path) if old else Loc(display)


def _first_difference(a: Any, b: Any, path: tuple = ()) -> tuple | None:
    """The first path at which two loaded values differ (keys in any order), or None."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return next((p for k in a if (p := _first_difference(a[k], b[k], (*path, k))) is not None), None)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = enumerate(zip(a, b, strict=True))
        return next((p for n, (x, y) in pairs if (p := _first_difference(x, y, (*path, n))) is not None), None)
    return None if type(a) is type(b) and a == b else path


def _dump(yaml: YAML, data: Any) -> str:
    _unflow_commented(data)
    _quote_ambiguous(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _unflow_commented(node: Any, column: int = 0) -> None:
    """A [flow, list] with comments among its items becomes a block list, each comment kept.

    A comment after an item ('[a,  # why') stays on that item's line; one on a line of its own
    stays on its own line, above the next item. `column` is where the node's owner key starts
    in the canonical layout (a block list's items start 4 further in, a mapping's keys 2).
    """
    if isinstance(node, CommentedSeq):
        if node.fa.flow_style() and any(node.ca.items.values()):
            node.fa.set_block_style()
            for index, slots in sorted(node.ca.items.items()):
                for token in list(slots[1] or []) if len(slots) > 1 else []:
                    previous = node.lc.data.get(index - 1) if index else None
                    if previous and token.start_mark.line == previous[0]:
                        slots[1].remove(token)
                        end = column + 4 + len(str(node[index - 1]))
                        node.yaml_add_eol_comment(token.value.strip(), index - 1, end + 2)
                    else:
                        token.start_mark.column = column + 2
        for item in node:
            _unflow_commented(item, column + 4 if isinstance(item, CommentedMap) else column + 2)
    elif isinstance(node, CommentedMap):
        for value in node.values():
            _unflow_commented(value, column if isinstance(value, CommentedSeq) else column + 2)


# What a YAML 1.1 reader (PyYAML, many tools) takes for a boolean, null, number or time when
# written plain; ruamel writes YAML 1.2, where these are text. Written quoted, every reader agrees.
_YAML11 = pyyaml.resolver.Resolver()
_YAML11_Y_N = {"y", "Y", "n", "N"}  # booleans in the YAML 1.1 spec, though not in PyYAML
_TEXT = "tag:yaml.org,2002:str"


def _quote_ambiguous(node: Any) -> None:
    items = (
        node.items() if isinstance(node, CommentedMap) else enumerate(node) if isinstance(node, CommentedSeq) else []
    )
    for key, value in list(items):
        if isinstance(value, str) and not isinstance(value, ScalarString):
            if value in _YAML11_Y_N or _YAML11.resolve(pyyaml.ScalarNode, value, (True, False)) != _TEXT:
                node[key] = SingleQuotedScalarString(value)
        else:
            _quote_ambiguous(value)


def comments(text: str) -> list[tuple[int, int, str]]:
    """Every comment in a YAML text, as (line, column, text), 1-based."""
    spans = [(t.start_mark.index, t.end_mark.index) for t in pyyaml.scan(text) if isinstance(t, pyyaml.ScalarToken)]
    found = []
    start = 0
    for match in re.finditer(r"(?:^|(?<=[ \t]))#[^\n]*", text, re.M):
        if any(a <= match.start() < b for a, b in spans[start:]):
            continue
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append((line, col, match.group(0).rstrip()))
    return found


def _kept(before: str, after: str) -> str:
    """`after`, if it still has every comment of `before`; otherwise LostComment for the first one lost."""
    remaining = [text for _, _, text in comments(after)]
    for line, col, text in comments(before):
        if text in remaining:
            remaining.remove(text)
        else:
            raise LostComment(line, col, text)
    return after


def _commented(value: Any) -> Any:
    """Plain values as ruamel nodes: short lists of ids and small mappings in flow style."""
    if isinstance(value, dict):
        node = CommentedMap((k, _commented(v)) for k, v in value.items())
        if all(not isinstance(v, (dict, list)) for v in value.values()) and len(value) <= 4 and "quote" not in value:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        node = CommentedSeq(_commented(v) for v in value)
        if all(isinstance(v, str) and len(v) < 60 for v in value):
            node.fa.set_flow_style()
        return node
    return value


def _resolve(schema: dict, root: dict) -> dict:
    """A subschema with its $ref followed and its allOf parts merged (for properties and items)."""
    while "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):  # a JSON pointer into this schema
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    for part in schema.get("allOf", []):
        part = _resolve(part, root)
        schema = {**part, **{k: v for k, v in schema.items() if k != "allOf"}}
    return schema


def _reorder(node: Any, schema: dict, root: dict | None = None) -> None:
    """Put mapping keys in the schema's order, recursively; unknown keys stay, last."""
    root = root or schema
    schema = _resolve(schema, root)
    if isinstance(node, CommentedMap):
        properties = schema.get("properties", {})
        for key in [k for k in properties if k in node] + [k for k in node if k not in properties]:
            node.move_to_end(key)
        for key, value in node.items():
            if key in properties:
                _reorder(value, properties[key], root)
    elif isinstance(node, CommentedSeq) and isinstance(schema.get("items"), dict):
        for item in node:
            _reorder(item, schema["items"], root)
