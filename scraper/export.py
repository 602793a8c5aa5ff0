"""Export archive tables as JSON Lines or CSV, streamed row by row in constant memory.

Every table can be exported (``EXPORT_TABLES``); ``revisions`` is
``article_revisions`` with the article's URL and site. In JSON Lines the JSON
list columns (authors, tags, images, missing_fields) become arrays and BLOBs
(raw bodies) base64 text, as Datasette shows them. Rows are read lazily through
the archive (sqlite-utils' ``Database.query``), so a million-article archive
exports with the memory of one row. A damaged row (a list column that is not
JSON) is skipped and reported, once per row, through ``on_damaged``; the export
goes on. Filters: site; [since, until) on publication (else first seen) and
[seen_since, seen_until) on first seen, or on each table's own time column.
"""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from scraper.archive import EXPORT_TABLES, Archive, TimeWindow

#: Every ``export --format``: the text formats here, ``warc`` (scraper.warcexport) and
#: ``parquet`` (scraper.parquet).
FORMATS = ("jsonl", "csv", "warc", "parquet")
TABLES = tuple(EXPORT_TABLES)
_JSON_LIST_COLUMNS = frozenset({"authors", "tags", "images", "missing_fields"})


def export_rows(
    archive: Archive,
    table: str,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    seen_since: str | None = None,
    seen_until: str | None = None,
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """(column names, a lazy iterator of rows as dicts) for ``table`` with the filters applied."""
    window = TimeWindow(since, until, seen_since, seen_until)
    rows = archive.export_stream(table, site=site, window=window)
    return archive.export_columns(table), rows


def _plain(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def write_export(
    out: IO[str],
    fmt: str,
    columns: list[str],
    rows: Iterator[dict[str, Any]],
    on_damaged: Callable[[str], None] | None = None,
) -> int:
    """Write the rows to ``out`` as ``jsonl`` or ``csv`` (with a header); returns the count
    written. A row that cannot be written is passed over, named to ``on_damaged``."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_plain(row[name]) for name in columns])
            count += 1
        return count
    lists = [name for name in columns if name in _JSON_LIST_COLUMNS]
    for row in rows:
        record = {name: _plain(row[name]) for name in columns}
        try:
            for name in lists:
                if record[name]:
                    record[name] = json.loads(record[name])
        except (TypeError, ValueError):
            if on_damaged is not None:
                key = row.get("id", "?")
                on_damaged(f"row id {key}: {name} is not JSON ({str(record[name])[:40]!r})")
            continue
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count
