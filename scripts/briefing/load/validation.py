"""The schema: read as editors read it, applied to one file, and its errors said in a contributor's words."""

from __future__ import annotations

import copy
import difflib
import json
import re
from functools import cache
from typing import Any

import fastjsonschema
import jsonschema

from briefing.load.model import parse_date
from briefing.load.yaml_loader import YamlDocument
from briefing.problems import Loc, Problem, error
from briefing.vocabulary import SCHEMA_PATH

# The schema ships with the tool: facts/ holds it so that editors find it beside the data.
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SECTIONS = ("briefing", "topics", "sources", "entities", "facts", "disagreements", "coverage", "retractions")
_SINGULAR = {
    "topics": "topic",
    "sources": "source",
    "entities": "entity",
    "facts": "fact",
    "disagreements": "disagreement",
    "variants": "variant",
    "citations": "citation",
    "key_numbers": "key number",
    "coverage": "coverage entry",
    "retractions": "retraction",
    "corrections": "correction",
    "omitted": "omission",
}


@cache
def load_schema() -> dict[str, Any]:
    """The JSON Schema that both the build and contributors' editors use, read as editors read it."""
    return _whole_value_patterns(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _whole_value_patterns(node: Any) -> Any:
    """A pattern's final `$` as JSON Schema (ECMA-262) means it: the end of the value.

    Python's `$` also matches before a final newline, so "corporate\n" would pass as an id.
    """
    if isinstance(node, dict):
        return {
            key: _anchor_end(value) if key == "pattern" and isinstance(value, str) else _whole_value_patterns(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_whole_value_patterns(item) for item in node]
    return node


def _anchor_end(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + "\\Z"
    return pattern


FORMATS = jsonschema.FormatChecker(formats=())


@cache
def _fast_validator():
    # compile() rewrites the $refs of the dict it is given: let it have its own copy.
    return fastjsonschema.compile(copy.deepcopy(load_schema()), formats={"partial-date": _is_real_date})


@FORMATS.checks("partial-date")
def _is_real_date(value: object) -> bool:
    """A date that matches the pattern but names no real day (2024-02-30) is refused too."""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return True
    text = str(value)
    if not text[:4].isdigit() or any(not part.isdigit() for part in text.split("-")):
        return True  # the pattern reports it
    return parse_date(text) is not None


ItemKey = tuple[str, int | None]  # (section, index in it), or (section, None) for briefing and whole sections


def validate_document(
    doc: YamlDocument, validator: jsonschema.Draft7Validator
) -> tuple[list[Problem], dict[ItemKey, list[tuple[tuple, jsonschema.ValidationError]]]]:
    """Schema problems of one file, and the errors of each entry, with paths relative to the entry.

    A compiled validator answers first (about 15 times faster); only a file it rejects is
    validated again by `validator`, which lists every error with its path.
    """
    try:
        _fast_validator()(doc.data)
        return [], {}
    except fastjsonschema.JsonSchemaException:
        pass
    problems = []
    by_item: dict[ItemKey, list[tuple[tuple, jsonschema.ValidationError]]] = {}
    for err in validator.iter_errors(doc.data):
        path = tuple(err.absolute_path)
        problems += _schema_problems(doc, err, path)
        if len(path) >= 2 and isinstance(path[1], int):
            by_item.setdefault((path[0], path[1]), []).append((path[2:], err))
        else:
            by_item.setdefault((path[0] if path else "", None), []).append((path[1:], err))
    return problems, by_item


def _schema_problems(doc: YamlDocument, err: jsonschema.ValidationError, path: tuple) -> list[Problem]:
    """What one schema error says, in the contributor's words, at the value (or key) it is about."""
    what, named, at = _describe(doc, path), _named(path), doc.loc(path)
    kind, instance, limit = err.validator, err.instance, err.validator_value
    if kind == "additionalProperties":
        return _unknown_fields(doc, err, path, what)
    if kind == "type":
        return [_wrong_type(err, path, what, named, at)]
    if kind == "pattern":
        return _bad_pattern(err, what, named, at)
    if kind == "enum":
        return [_not_a_choice(instance, limit, what, named, at)]
    if kind in ("minItems", "minLength") and not instance:
        return [error(at, f"{what}: {named} is empty", code="empty-value")]
    if kind == "required":
        missing = err.message.split("'")[1]
        return [error(at, f"{what}: missing required field '{missing}'", code="missing-field")]
    if kind == "format":
        return [error(at, f"{what}: {named} {_shown(instance)} is not a real date", code="not-a-date")]
    if kind == "minItems":
        return [error(at, f"{what}: {named} needs at least {limit} items", code="too-few-items")]
    if kind == "maxLength":
        return [error(at, f"{what}: {named} is {len(instance)} characters long; the limit is {limit}", code="too-long")]
    if kind == "uniqueItems":
        return [error(at, f"{what}: {named} lists the same item twice", code="repeated-item")]
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return [error(at, f"{what}: {named} must be {bound} {limit}, not {instance}", code="out-of-range")]
    if kind == "minProperties":
        return [error(at, f"{what}: is empty", code="empty-entry")]
    return [error(at, f"{what}: {named}: {err.message}", code="schema")]


def _named(path: tuple) -> str:
    """The value a path ends at, as a message names it: "field 'date'", "item 2 of 'entities'"."""
    if path and isinstance(path[-1], str):
        return f"field '{path[-1]}'"
    if len(path) >= 3 and isinstance(path[-2], str):
        return f"item {path[-1] + 1} of '{path[-2]}'"
    return "value"


def _unknown_fields(doc: YamlDocument, err: jsonschema.ValidationError, path: tuple, what: str) -> list[Problem]:
    """Each field the schema does not define, at its key, with the closest defined one."""
    allowed = sorted(err.schema.get("properties", {}))
    out = []
    for key in sorted(set(err.instance) - set(allowed)):
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
        out.append(error(doc.key_loc(path + (key,)), f"{what}: unknown field '{key}'", hint, code="unknown-field"))
    return out


def _wrong_type(err: jsonschema.ValidationError, path: tuple, what: str, named: str, at: Loc) -> Problem:
    """A value of the wrong type; a number or true/false where text is wanted is told to take quotes."""
    if path == ():
        hint = "start with one of: " + ", ".join(f"'{s}:'" for s in SECTIONS)
        return error(at, "a registry file must be a mapping of sections", hint, code="file-not-mapping")
    instance = err.instance
    wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    names = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
    hint = None
    if "string" in wanted and isinstance(instance, (int, float)) and not isinstance(instance, bool):
        hint = f'put it in quotes: "{instance}"'
    elif "string" in wanted and isinstance(instance, bool):
        hint = "put it in quotes"
    return error(at, f"{what}: {named} must be {names}, not {_shown(instance)}", hint, code="wrong-type")


def _bad_pattern(err: jsonschema.ValidationError, what: str, named: str, at: Loc) -> list[Problem]:
    """A value that does not have its field's form; blank text and invisible characters said as such."""
    instance = err.instance
    message = err.schema.get("errorMessage", f"does not match {err.validator_value}")
    if message == "is blank":  # only white space; an empty value is reported as empty
        return [error(at, f"{what}: {named} is blank", code="blank-value")] if instance else []
    bad = _bad_character(instance)
    if bad and "control" in message:
        message = f"contains the invisible character U+{ord(bad):04X}, which is not allowed"
        hint = "delete it and retype the text around it"
        return [error(at, f"{what}: {named} {message}", hint, code="invisible-character")]
    return [error(at, f"{what}: {named} {_shown(instance)} {message}", code="bad-value")]


def _not_a_choice(instance: Any, choices: list, what: str, named: str, at: Loc) -> Problem:
    """A value that is not one of its field's choices, with the closest one."""
    shown = [str(c) for c in choices]
    close = difflib.get_close_matches(str(instance), shown, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else None
    return error(
        at, f"{what}: {named} is {_shown(instance)}; use one of: {', '.join(shown)}", hint, code="not-a-choice"
    )


_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
}


def _shown(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _bad_character(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    for ch in text:
        code = ord(ch)
        if (code < 32 and ch not in "\t\n") or 0x7F <= code <= 0x9F or code in (0x061C, 0x200E, 0x200F):
            return ch
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            return ch
    return None


def _describe(doc: YamlDocument, path: tuple) -> str:
    """Name the entry a path is in: "fact 'march-round'", "source #2", "briefing" or "file"."""
    if not path:
        return "file"
    section = path[0]
    if section == "briefing" or len(path) < 2 or not isinstance(path[1], int):
        return str(section)
    item = doc.data.get(section, [])[path[1]] if isinstance(doc.data, dict) else None
    name = _SINGULAR.get(section, section)
    if isinstance(item, dict) and isinstance(item.get("id"), str) and ID_PATTERN.fullmatch(item["id"]):
        return f"{name} '{item['id']}'"
    return f"{name} #{path[1] + 1}"
