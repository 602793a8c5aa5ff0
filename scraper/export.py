"""Export archive tables as JSON Lines or CSV, streamed row by row in constant memory.

Three tables can be exported: ``articles`` (JSON list columns become arrays in
JSONL), ``ticker_items`` and ``revisions`` (``article_revisions`` with the
article's URL and site). Rows are read from one cursor and written as they
come, so a million-article archive exports with the memory of one row.
Filters: site, and a [since, until) window on publication time (else first
seen) for articles and ticker items, on fetch time for revisions.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from scraper.archive import Archive, archive_error
from scraper.search import time_filters

FORMATS = ("jsonl", "csv")
_JSON_LIST_COLUMNS = frozenset({"authors", "tags", "images", "missing_fields"})


@dataclass(frozen=True)
class ExportTable:
    """How one exportable table is selected."""

    select: str
    site_column: str
    time_column: str
    order: str


TABLES: dict[str, ExportTable] = {
    "articles": ExportTable(
        "SELECT a.id, a.site, a.url, a.canonical_url, a.title, a.lead, a.body, a.authors, "
        "a.published_at, a.updated_at, a.section, a.tags, a.language, a.images, a.paywalled, "
        "a.comment_count, a.missing_fields, a.first_seen, a.last_seen, a.last_fetched, "
        "a.content_hash, a.parser, a.parser_version, a.revisions FROM articles a WHERE 1",
        "a.site",
        "coalesce(a.published_at, a.first_seen)",
        "a.id",
    ),
    "ticker_items": ExportTable(
        "SELECT t.id, t.site, t.title, t.url, t.shown_time, t.published_at, t.first_seen, "
        "t.last_seen FROM ticker_items t WHERE 1",
        "t.site",
        "coalesce(t.published_at, t.first_seen)",
        "t.id",
    ),
    "revisions": ExportTable(
        "SELECT r.id, r.article_id, a.site, a.canonical_url AS url, r.fetched_at, "
        "r.reparsed_at, r.content_hash, r.parser, r.parser_version, r.title, r.lead, r.body "
        "FROM article_revisions r JOIN articles a ON a.id = r.article_id WHERE 1",
        "a.site",
        "r.fetched_at",
        "r.id",
    ),
}


def export_rows(
    archive: Archive,
    table: str,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """(column names, a lazy iterator of rows) for ``table`` with the filters applied."""
    spec = TABLES[table]
    sql, params = spec.select, []
    if site:
        sql += f" AND {spec.site_column} = ?"
        params.append(site)
    extra, extra_params = time_filters(spec.time_column, since, until)
    sql += extra + f" ORDER BY {spec.order}"
    params += extra_params
    try:
        cursor = archive.conn.execute(sql, params)
    except sqlite3.Error as exc:
        raise archive_error(archive.path, exc) from exc
    columns = [d[0] for d in cursor.description]

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            while batch := cursor.fetchmany(100):
                yield from batch
        except sqlite3.Error as exc:
            raise archive_error(archive.path, exc) from exc

    return columns, rows()


def write_export(
    out: IO[str], fmt: str, columns: list[str], rows: Iterator[tuple[Any, ...]]
) -> int:
    """Write the rows to ``out`` as ``jsonl`` or ``csv`` (with a header); returns the count."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
        return count
    lists = [name in _JSON_LIST_COLUMNS for name in columns]
    for row in rows:
        record = {
            name: (json.loads(value) if is_list and value else value)
            for name, value, is_list in zip(columns, row, lists, strict=True)
        }
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count
