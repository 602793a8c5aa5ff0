"""Table export and archive copies: the archive's bulk reads and writes, in shared SQL.

Export: every table, streamed as dicts in constant memory (sqlite-utils'
``Database.query`` on SQLite, a single-row-mode stream on PostgreSQL). Time
filters are [since, until) windows on UTC text: ``since``/``until`` on
publication (else first seen), ``seen_since``/``seen_until`` on first seen.
Copy (``newsrack copy-archive``): each table in key order, in batches; each batch
is one transaction that also records, in the destination's ``meta`` table, the
last key copied, so an interrupted copy resumes where it stopped. The search
caps (``MAX_QUERY_TERMS``, ``MAX_QUERY_CHARS``) live here, shared by both engines'
search modules: ``snippet()`` over 1,000 terms took 46 s on a 5-article archive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from scraper.archive.queries import ArchiveQueries
from scraper.archive.values import repair_text
from scraper.errors import QueryError

MAX_QUERY_TERMS = 32
MAX_QUERY_CHARS = 500
_WORD_RE = re.compile(r"\w")

#: The time an article is filtered on: its publication, else when it was first seen.
ARTICLE_TIME = "coalesce(a.published_at, a.first_seen)"


@dataclass(frozen=True)
class TimeWindow:
    """[since, until) on publication (else first seen) and [seen_since, seen_until) on first
    seen, as UTC text; None means open."""

    since: str | None = None
    until: str | None = None
    seen_since: str | None = None
    seen_until: str | None = None

    @property
    def on_seen(self) -> bool:
        return bool(self.seen_since or self.seen_until)

    @property
    def on_time(self) -> bool:
        return bool(self.since or self.until)


def window_sql(column: str | None, since: str | None, until: str | None) -> tuple[str, list[str]]:
    sql, params = "", []
    if column and since:
        sql += f" AND {column} >= ?"
        params.append(since)
    if column and until:
        sql += f" AND {column} < ?"
        params.append(until)
    return sql, params


#: No time filter.
NO_WINDOW = TimeWindow()


@dataclass(frozen=True)
class ExportTable:
    """How one exportable table is read: its SELECT (ending in ``WHERE true``), the columns
    filtered on, and the order."""

    select: str
    site_column: str | None
    time_column: str | None
    seen_column: str | None
    order: str


#: Every table in the order a copy fills it (parents before children), with its key column.
COPY_TABLES: dict[str, str] = {
    "meta": "key", "runs": "id", "bodies": "hash", "pages": "id", "articles": "id",
    "article_urls": "url", "article_revisions": "id", "ticker_items": "id",
    "ticker_titles": "id", "listing_snapshots": "url", "progress": "key",
}  # fmt: skip
#: The ``meta`` key under which a copy records the last key of ``table`` it copied.
COPY_PROGRESS = "copy:{table}"


def _plain(table: str, *, site: bool, time: str | None, seen: str | None) -> ExportTable:
    return ExportTable(
        f'SELECT * FROM "{table}" t WHERE true', "t.site" if site else None,
        f"t.{time}" if time else None, f"t.{seen}" if seen else None, f"t.{COPY_TABLES[table]}",
    )  # fmt: skip


EXPORT_TABLES: dict[str, ExportTable] = {
    "articles": ExportTable(
        "SELECT a.id, a.site, a.url, a.canonical_url, a.title, a.lead, a.body, a.description, "
        "a.authors, a.published_at, a.updated_at, a.section, a.tags, a.language, a.images, "
        "a.paywalled, a.comment_count, a.missing_fields, a.first_seen, a.last_seen, "
        "a.last_fetched, a.content_hash, a.parser, a.parser_version, a.revisions "
        "FROM articles a WHERE true",
        "a.site", "coalesce(a.published_at, a.first_seen)", "a.first_seen", "a.id",
    ),
    "ticker_items": ExportTable(
        "SELECT t.id, t.site, t.title, t.url, t.shown_time, t.published_at, t.first_seen, "
        "t.last_seen FROM ticker_items t WHERE true",
        "t.site", "coalesce(t.published_at, t.first_seen)", "t.first_seen", "t.id",
    ),
    "revisions": ExportTable(
        "SELECT r.id, r.article_id, a.site, a.canonical_url AS url, r.fetched_at, "
        "r.reparsed_at, r.content_hash, r.parser, r.parser_version, r.title, r.lead, r.body "
        "FROM article_revisions r JOIN articles a ON a.id = r.article_id WHERE true",
        "a.site", "r.fetched_at", "r.fetched_at", "r.id",
    ),
    "article_revisions": _plain("article_revisions", site=False, time="fetched_at",
                                seen="fetched_at"),
    "article_urls": _plain("article_urls", site=False, time=None, seen=None),
    "ticker_titles": _plain("ticker_titles", site=False, time="first_seen", seen="first_seen"),
    "pages": _plain("pages", site=True, time="fetched_at", seen="fetched_at"),
    "bodies": _plain("bodies", site=False, time=None, seen=None),
    "runs": _plain("runs", site=True, time="started_at", seen="started_at"),
    "listing_snapshots": _plain("listing_snapshots", site=True, time="seen_at", seen="seen_at"),
    "progress": _plain("progress", site=False, time="updated_at", seen="updated_at"),
    "meta": _plain("meta", site=False, time=None, seen=None),
}  # fmt: skip


class ArchiveReading(ArchiveQueries):
    """Export and copy, on top of the named queries (each engine adds its search)."""

    #: The engine's case-insensitive LIKE (SQLite's LIKE already ignores ASCII case).
    LIKE: ClassVar[str] = "LIKE"

    def like_search(self, words: list[str], *, limit: int = 20) -> list[tuple[str, str]]:
        """The baseline search is measured against: every word by LIKE, newest first."""
        text = "(title || ' ' || coalesce(lead, '') || ' ' || body)"
        clause = " AND ".join(f"{text} {self.LIKE} ?" for _ in words)
        rows = self._read(
            f"SELECT canonical_url, title FROM articles WHERE {clause} "
            "ORDER BY published_at DESC NULLS LAST LIMIT ?",
            [*(f"%{w}%" for w in words), limit],
        )
        return [(r[0], r[1]) for r in rows]

    def check_query(self, text: str, terms: int) -> str:
        """``text`` repaired; QueryError when it is too long, has too many terms, or has no
        word to look for (the caps both engines' searches apply)."""
        text = repair_text(text)
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(
                f"search query of {len(text)} characters; at most {MAX_QUERY_CHARS} are allowed"
            )
        if terms > MAX_QUERY_TERMS:
            raise QueryError(
                f"search query of {terms} terms; at most {MAX_QUERY_TERMS} are allowed"
            )
        if not _WORD_RE.search(text):
            raise QueryError(f"search query {text!r} has no word to look for")
        return text

    def export_columns(self, table: str) -> list[str]:
        """The column names ``export_stream`` yields for ``table``, in order."""
        return self._columns(EXPORT_TABLES[table].select)

    def export_stream(
        self, table: str, *, site: str | None = None, window: TimeWindow = NO_WINDOW
    ) -> Iterator[dict[str, Any]]:
        """The rows of ``table`` with the filters applied, as dicts, lazily (constant memory).

        QueryError when the table has no column for a filter given.
        """
        spec = EXPORT_TABLES[table]
        sql, params = spec.select, []
        if site:
            if spec.site_column is None:
                raise QueryError(f"table {table} has no site column; drop --site")
            sql += f" AND {spec.site_column} = ?"
            params.append(site)
        if (window.on_time and spec.time_column is None) or (
            window.on_seen and spec.seen_column is None
        ):
            raise QueryError(f"table {table} has no time column; drop the time filters")
        for extra, extra_params in (
            window_sql(spec.time_column, window.since, window.until),
            window_sql(spec.seen_column, window.seen_since, window.seen_until),
        ):
            sql += extra
            params += extra_params
        return self._stream(f"{sql} ORDER BY {spec.order}", params)

    # --- copy-archive -----------------------------------------------------------------------

    def count_rows(self, table: str) -> int:
        """How many rows ``table`` holds (a copy's progress total)."""
        row = self._read_one(f'SELECT count(*) FROM "{table}"')
        return int(row[0]) if row else 0

    def copy_rows_after(self, table: str, after: Any, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` rows of ``table`` (every column) whose key follows ``after``, in
        key order (``after`` None: from the first). ``meta`` rows of a copy are left out."""
        key = COPY_TABLES[table]
        sql, params = f'SELECT * FROM "{table}" WHERE true', []
        if table == "meta":
            sql += " AND key NOT LIKE 'copy:%'"
        if after is not None:
            sql += f" AND {key} > ?"
            params.append(after)
        return list(self._stream(f"{sql} ORDER BY {key} LIMIT ?", [*params, limit]))

    def copy_progress(self, table: str) -> Any:
        """The last key of ``table`` a copy into this archive stored, or None."""
        row = self._read_one(
            "SELECT value FROM meta WHERE key = ?", (COPY_PROGRESS.format(table=table),)
        )
        return json.loads(row[0]) if row and row[0] else None

    def copy_rows_in(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Store rows read by ``copy_rows_after`` from another archive, as they are (ids
        kept), and note the last key copied, in one transaction. Rows already here are kept."""
        if not rows:
            return
        key = COPY_TABLES[table]
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        with self.transaction() as conn:
            conn.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING',
                [tuple(row[c] for c in columns) for row in rows],
            )
            if table == "ticker_items":
                # the insert trigger wrote each item's current title; ticker_titles is
                # copied next, as it was (every title with its own sightings)
                conn.executemany(
                    "DELETE FROM ticker_titles WHERE ticker_item_id = ?",
                    [(row["id"],) for row in rows],
                )
            self._after_copy(conn, table)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (COPY_PROGRESS.format(table=table), json.dumps(rows[-1][key])),
            )
