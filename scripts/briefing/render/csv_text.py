"""CSV text for the downloads and the charts' data: a byte order mark, so that a spreadsheet opened by
a double click reads curly quotes and accents as written, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

BOM = "\ufeff"  # the byte order mark: spreadsheets then read the CSV files as UTF-8


def csv_text(columns: list[str], rows: list[list] | None = None, lines: Iterable[str] = ()) -> str:
    """A CSV file: the byte order mark, a header, then `rows` or rows already written (`csv_lines`)."""
    return BOM + csv_lines([columns]) + (csv_lines(rows) if rows is not None else "".join(lines))


def csv_lines(rows: list[list]) -> str:
    """Rows as CSV text, with cells no spreadsheet runs as a formula: each row is written alone, so
    the lines of some rows joined are the lines of all of them written at once."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[_cell(value) for value in row] for row in rows])
    return out.getvalue()


def _cell(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
