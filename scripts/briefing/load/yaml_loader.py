"""A safe YAML loader that keeps the line and column of every key and value.

Why not `yaml.safe_load`: it forgets where values came from, silently turns `NO` into False,
`010` into 8, `1:30:00` into 5400 and `2024-02-30` into an error without a field, accepts
duplicate keys, expands aliases (a "billion laughs" file) and, with the C loader, crashes on
deeply nested input. Here the C (or pure-Python) *parser* produces events, and a small
iterative builder turns them into plain values, refusing anchors, aliases, tags and
duplicate keys, and recording a position for every path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefing.problems import Loc, Problem, error

try:
    _Parser = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Parser = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NUMBER_CHARS = 100  # far beyond any amount (the schema's limit is 10^18), far below Python's int limit

# Plain scalars that become something other than text: YAML 1.2's core schema, minus the
# surprises. Everything else (NO, on, 010, 1:30:00, 2024-02-30, 0x1F) stays text as written.
_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null"}

DataPath = tuple  # a path into the data: keys and list indexes


@dataclass
class YamlDocument:
    """A parsed file: its data, and where each value and key was written."""

    path: str
    data: Any
    lines: list[str] = field(repr=False)
    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict, repr=False)
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict, repr=False)

    def loc(self, path: DataPath) -> Loc:
        """Where the value at `path` starts (or its nearest written ancestor)."""
        path = tuple(path)
        while path not in self.values and path:
            path = path[:-1]
        line, col = self.values.get(path, (1, 1))
        return Loc(self.path, line, col)

    def key_loc(self, path: DataPath) -> Loc:
        """Where the key of the value at `path` was written; the value's place if it has none."""
        path = tuple(path)
        if path in self.keys:
            line, col = self.keys[path]
            return Loc(self.path, line, col)
        return self.loc(path)


def load_yaml_bytes(raw: bytes, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse bytes as one YAML document of plain values; all refusals come back as problems."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            error(
                Loc(display),
                f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "split it into several files",
                code="file-too-large",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                Loc(display, line, col),
                f"file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                code="file-not-utf8",
            )
        ]
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    tabs = _tabs_in_indentation(lines, display)
    if tabs:
        return None, tabs
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in lines):
        return None, [error(Loc(display), "file is empty", "remove the file or add entries to it", code="empty-file")]
    return _Builder(display, lines).build(text)


def _tabs_in_indentation(lines: list[str], display: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(lines, 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                error(
                    Loc(display, number, indent.index("\t") + 1),
                    "tab character in indentation",
                    "YAML indents with spaces only",
                    code="yaml-tab",
                )
            )
    return problems


def _resolve_plain(value: str) -> Any:
    if value in _NULLS:
        return None
    if value in ("true", "false"):
        return value == "true"
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


class _Frame:
    __slots__ = ("container", "path", "key", "key_pos")

    def __init__(self, container: Any, path: DataPath) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_pos: tuple[int, int] | None = None


class _Builder:
    """Turns parser events into plain dicts, lists and scalars, with positions."""

    def __init__(self, display: str, lines: list[str]) -> None:
        self.display = display
        self.lines = lines
        self.values: dict[DataPath, tuple[int, int]] = {}
        self.keys: dict[DataPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.reported_alias = False

    def _loc(self, pos: tuple[int, int]) -> Loc:
        return Loc(self.display, *pos)

    def build(self, text: str) -> tuple[YamlDocument | None, list[Problem]]:
        """Walk the events once; stop at the first error that leaves no sensible structure."""
        root: Any = None
        try:
            root = self._walk(text)
        except yaml.MarkedYAMLError as exc:
            self.problems.append(self._syntax_error(exc))
        except yaml.YAMLError as exc:  # reader errors: unprintable characters
            self.problems.append(
                error(self._yaml_error_loc(exc), f"YAML error: {_reader_message(exc)}", code="yaml-character")
            )
        if self.problems:
            return None, self.problems
        if root is None:
            return None, [
                error(Loc(self.display), "file is empty", "remove the file or add entries to it", code="empty-file")
            ]
        return YamlDocument(self.display, root, self.lines, self.values, self.keys), []

    def _walk(self, text: str) -> Any:
        """The document's root value, built from the parser's events; a problem found stops the walk."""
        root: Any = None
        documents = 0
        stack: list[_Frame] = []
        for event in yaml.parse(text, Loader=_Parser):
            pos = (event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problems.append(
                        error(
                            self._loc(pos),
                            "a second YAML document starts here; a registry file holds one",
                            "remove the '---' line or move the entries into their own file",
                            code="yaml-second-document",
                        )
                    )
                    break
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            frame = stack[-1] if stack else None
            if frame is not None and isinstance(frame.container, dict) and frame.key is None:
                if not self._take_key(frame, event, pos):
                    break
                continue
            value = self._value(event, pos)
            path = self._place(frame, value)
            root = value if frame is None else root
            self.values[path] = pos
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append(_Frame(value, path))
                if len(stack) > MAX_DEPTH:
                    self.problems.append(
                        error(self._loc(pos), f"nesting is deeper than {MAX_DEPTH} levels", code="yaml-too-deep")
                    )
                    break
        return root

    def _place(self, frame: _Frame | None, value: Any) -> DataPath:
        """Put a value where its frame is (the root, a mapping's key, a list's next item); its path."""
        if frame is None:
            return ()
        if isinstance(frame.container, dict):
            path = frame.path + (frame.key,)
            frame.container[frame.key] = value
            self.keys[path] = frame.key_pos
            frame.key = None
            return path
        frame.container.append(value)
        return frame.path + (len(frame.container) - 1,)

    def _syntax_error(self, exc: yaml.MarkedYAMLError) -> Problem:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or exc.context or "cannot be parsed"
        if exc.context and exc.problem and exc.context_mark and exc.context_mark != mark:
            start = exc.context_mark
            message += f" ({exc.context}, which started at line {start.line + 1}, column {start.column + 1})"
        return error(self._loc(where), f"YAML syntax error: {message}", code="yaml-syntax")

    def _take_key(self, frame: _Frame, event: yaml.Event, pos: tuple[int, int]) -> bool:
        if not isinstance(event, yaml.ScalarEvent):
            kind = "an alias" if isinstance(event, yaml.AliasEvent) else "a list or mapping"
            self.problems.append(
                error(self._loc(pos), f"a key must be plain text, not {kind}", code="yaml-complex-key")
            )
            return False
        self._refuse_decorations(event, pos)
        key = event.value
        if key in frame.container:
            first = self.keys[frame.path + (key,)]
            self.problems.append(
                error(
                    self._loc(pos),
                    f"duplicate key '{key}' (first defined at {self.display}:{first[0]}:{first[1]})",
                    "keep one of the two",
                    code="yaml-duplicate-key",
                )
            )
        frame.key = key
        frame.key_pos = pos
        return True

    def _value(self, event: yaml.Event, pos: tuple[int, int]) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self._refuse_alias(pos, event.anchor)
            return None
        self._refuse_decorations(event, pos)
        if isinstance(event, yaml.MappingStartEvent):
            return {}
        if isinstance(event, yaml.SequenceStartEvent):
            return []
        if event.tag is None and event.implicit[0]:  # a plain (unquoted) scalar
            if len(event.value) > MAX_NUMBER_CHARS and (_INT.fullmatch(event.value) or _FLOAT.fullmatch(event.value)):
                self.problems.append(
                    error(
                        self._loc(pos),
                        f"a number {len(event.value):,} characters long; the limit is {MAX_NUMBER_CHARS}",
                        "amounts go up to 10^18; if it is text, put it in quotes",
                        code="yaml-long-number",
                    )
                )
                return None
            return _resolve_plain(event.value)
        return event.value

    def _refuse_decorations(self, event: yaml.NodeEvent, pos: tuple[int, int]) -> None:
        if event.anchor is not None:
            self._refuse_alias(pos, event.anchor, anchor=True)
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                error(
                    self._loc(pos),
                    f"YAML tags are not allowed: '{shown}'",
                    "remove the tag; write plain text",
                    code="yaml-tag",
                )
            )

    def _refuse_alias(self, pos: tuple[int, int], name: str, anchor: bool = False) -> None:
        if self.reported_alias:
            return
        self.reported_alias = True
        what = f"anchor '&{name}'" if anchor else f"alias '*{name}'"
        self.problems.append(
            error(
                self._loc(pos),
                f"YAML anchors and aliases are not allowed (found {what})",
                "write each value out in full",
                code="yaml-alias",
            )
        )

    def _yaml_error_loc(self, exc: yaml.YAMLError) -> Loc:
        position = getattr(exc, "position", None)
        if position is None:
            return Loc(self.display)
        text = "\n".join(self.lines)
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        return Loc(self.display, line, col)


def _reader_message(exc: yaml.YAMLError) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, str):
        return f"character U+{ord(character):04X} is not allowed in YAML"
    if isinstance(character, int):
        return f"character U+{character:04X} is not allowed in YAML"
    return str(exc).splitlines()[0]
