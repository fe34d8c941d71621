"""The measurements' own bookkeeping: a run of one size adds its rows to docs/performance.md's search table."""

from __future__ import annotations

from benchmarks.search import END, START, Row, table, update


def _row(size: int, search: str, first: float = 4.0) -> Row:
    return Row(size, search, 2**20, 2**10, 80 * 2**10, 150 * 2**10, first, 9.0, 10)


def test_a_run_of_one_size_keeps_the_other_sizes_rows_in_order(tmp_path):
    page = tmp_path / "performance.md"
    page.write_text(
        "# Performance\n\n" + START + table([_row(1000, "A"), _row(1000, "B"), _row(10000, "A")]) + END + "\nafter\n"
    )
    update(page, table([_row(100000, "A", 61.0), _row(100000, "B", float("nan"))]))
    text = page.read_text(encoding="utf-8")
    rows = [line for line in text.split(START)[1].split(END)[0].splitlines() if line.startswith("| 1")]
    assert [row.split(" | ")[0:2] for row in rows] == [
        ["| 1,000", "A"], ["| 1,000", "B"], ["| 10,000", "A"], ["| 100,000", "A"], ["| 100,000", "B"]
    ]  # fmt: skip
    assert "Rows for 1,000, 10,000 facts are from an earlier run." in text
    assert "| 61.0 s |" in rows[3] and "| none in 5 min |" in rows[4]
    assert text.startswith("# Performance\n") and text.endswith(END + "\nafter\n")
    update(page, table([_row(1000, "A", 3.0)]))  # measured again: its rows are replaced, not added
    again = [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("| 1,000 |")]
    assert again == [line for line in table([_row(1000, "A", 3.0)]).splitlines() if line.startswith("| 1,000 |")]
