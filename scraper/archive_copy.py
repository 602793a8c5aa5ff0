"""Copying one archive into another (SQLite -> PostgreSQL and back), resumably, table by table.

Tables go parents first (``COPY_TABLES``), each in key order, in batches; every
batch is one transaction in the destination that also records the last key
copied (in its ``meta`` table), so a copy killed at any point resumes after the
last batch that committed: rows are never copied twice, ids are kept, and the
destination's search index and ticker title history follow by trigger. The
destination must be empty, or the destination of an earlier copy being resumed
(a copy into an archive that has rows of its own would mix two archives). A
copy is a snapshot: nothing may write to the source meanwhile (rows changed after
they were copied are not copied again). No SQL here: the archive package does
the reads and writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scraper.archive import COPY_TABLES, Archive
from scraper.errors import ArchiveError

DEFAULT_BATCH = 500


@dataclass(frozen=True)
class TablePlan:
    """One table's copy: rows in the source, and rows the destination already holds."""

    table: str
    total: int
    done: int


def plan_copy(source: Archive, dest: Archive) -> list[TablePlan]:
    """Each table's totals; ArchiveError when ``dest`` holds an archive of its own."""
    plans, resumed, foreign = [], False, []
    for table in COPY_TABLES:
        held = dest.count_rows(table)
        progress = dest.copy_progress(table)
        resumed = resumed or progress is not None
        if table == "meta":
            held -= sum(1 for t in COPY_TABLES if dest.copy_progress(t) is not None)
        if held and progress is None:
            foreign.append(table)
        plans.append(TablePlan(table, source.count_rows(table), max(held, 0)))
    if foreign and not resumed:
        raise ArchiveError(
            f"{dest.path}: already holds an archive ({', '.join(foreign)} have rows); "
            "copy into an empty database or a new file"
        )
    return plans


def copy_table(
    source: Archive,
    dest: Archive,
    table: str,
    *,
    batch: int = DEFAULT_BATCH,
    on_batch: Callable[[int], None] = lambda rows: None,
) -> int:
    """Copy the rows of ``table`` the destination lacks, after its last copied key; how many."""
    after = dest.copy_progress(table)
    copied = 0
    while True:
        rows = source.copy_rows_after(table, after, batch)
        if not rows:
            return copied
        dest.copy_rows_in(table, rows)
        after = rows[-1][COPY_TABLES[table]]
        copied += len(rows)
        on_batch(len(rows))
