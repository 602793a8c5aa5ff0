"""Full-text search and table export: the archive's two bulk reads, with their filters.

Search: a query is quoted term by term with sqlite-utils' ``quote_fts`` (as
Datasette does), so ``l'extinction``, ``Inde-Pakistan`` and ``covid-19`` are
words, not FTS5 syntax; ``raw=True`` passes FTS5 syntax through. A query is
capped (``MAX_QUERY_TERMS`` terms, ``MAX_QUERY_CHARS`` characters): ``snippet()``
over 1,000 terms took 46 s on a 5-article archive. A query SQLite cannot read,
or one with no word to look for, is a ``QueryError``. Export: every table,
streamed as dicts through sqlite-utils' ``Database.query`` in constant memory.
Time filters are [since, until) windows on UTC text: ``since``/``until`` on
publication (else first seen), ``seen_since``/``seen_until`` on first seen.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scraper.archive.queries import ArchiveQueries
from scraper.archive.sqlerrors import archive_error
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


def _window(column: str | None, since: str | None, until: str | None) -> tuple[str, list[str]]:
    sql, params = "", []
    if column and since:
        sql += f" AND {column} >= ?"
        params.append(since)
    if column and until:
        sql += f" AND {column} < ?"
        params.append(until)
    return sql, params


@dataclass(frozen=True)
class ExportTable:
    """How one exportable table is read: its SELECT (ending in ``WHERE 1``), the columns
    filtered on, and the order."""

    select: str
    site_column: str | None
    time_column: str | None
    seen_column: str | None
    order: str


def _plain(table: str, *, site: bool, time: str | None, seen: str | None) -> ExportTable:
    return ExportTable(
        f'SELECT * FROM "{table}" t WHERE 1', "t.site" if site else None,
        f"t.{time}" if time else None, f"t.{seen}" if seen else None, "t.rowid",
    )  # fmt: skip


EXPORT_TABLES: dict[str, ExportTable] = {
    "articles": ExportTable(
        "SELECT a.id, a.site, a.url, a.canonical_url, a.title, a.lead, a.body, a.description, "
        "a.authors, a.published_at, a.updated_at, a.section, a.tags, a.language, a.images, "
        "a.paywalled, a.comment_count, a.missing_fields, a.first_seen, a.last_seen, "
        "a.last_fetched, a.content_hash, a.parser, a.parser_version, a.revisions "
        "FROM articles a WHERE 1",
        "a.site", "coalesce(a.published_at, a.first_seen)", "a.first_seen", "a.id",
    ),
    "ticker_items": ExportTable(
        "SELECT t.id, t.site, t.title, t.url, t.shown_time, t.published_at, t.first_seen, "
        "t.last_seen FROM ticker_items t WHERE 1",
        "t.site", "coalesce(t.published_at, t.first_seen)", "t.first_seen", "t.id",
    ),
    "revisions": ExportTable(
        "SELECT r.id, r.article_id, a.site, a.canonical_url AS url, r.fetched_at, "
        "r.reparsed_at, r.content_hash, r.parser, r.parser_version, r.title, r.lead, r.body "
        "FROM article_revisions r JOIN articles a ON a.id = r.article_id WHERE 1",
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
    """Search and export, on top of the named queries."""

    def fts_query(self, text: str, *, raw: bool = False) -> str:
        """The FTS5 MATCH expression for a user's query; QueryError when it is too long, has
        too many terms, or has no word to look for."""
        text = repair_text(text)
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(
                f"search query of {len(text)} characters; at most {MAX_QUERY_CHARS} are allowed"
            )
        match = text if raw else self.db.quote_fts(text)
        terms = len(match.split())
        if terms > MAX_QUERY_TERMS:
            raise QueryError(
                f"search query of {terms} terms; at most {MAX_QUERY_TERMS} are allowed"
            )
        if not _WORD_RE.search(text):
            raise QueryError(f"search query {text!r} has no word to look for")
        return match

    def search_articles(
        self,
        query: str,
        *,
        raw: bool = False,
        site: str | None = None,
        window: TimeWindow = TimeWindow(),
        limit: int = 20,
        highlight: tuple[str, str] = ("[", "]"),
    ) -> list[dict[str, Any]]:
        """The best ``limit`` articles matching ``query``, best first: url, title,
        published_at, site, snippet, rank."""
        match = self.fts_query(query, raw=raw)
        sql = (
            "SELECT a.canonical_url AS url, a.title, a.published_at, a.site, "
            "snippet(articles_fts, -1, ?, ?, '…', 16) AS snippet, articles_fts.rank AS rank "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ?"
        )
        params: list[Any] = [highlight[0], highlight[1], match]
        if site:
            sql += " AND a.site = ?"
            params.append(site)
        for extra, extra_params in (
            _window(ARTICLE_TIME, window.since, window.until),
            _window("a.first_seen", window.seen_since, window.seen_until),
        ):
            sql += extra
            params += extra_params
        sql += " ORDER BY articles_fts.rank LIMIT ?"
        params.append(limit)
        try:
            cursor = self.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "fts5" in text or "no such column" in text or "unterminated" in text:
                raise QueryError(
                    f"cannot read the search query {query!r}: {text}; without --raw every "
                    "word is searched as written"
                ) from exc
            raise archive_error(self.path, exc) from exc
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc

    def like_search(self, words: list[str], *, limit: int = 20) -> list[tuple[str, str]]:
        """The baseline FTS is measured against: every word by ``LIKE``, newest first."""
        text = "(title || ' ' || coalesce(lead, '') || ' ' || body)"
        clause = " AND ".join(f"{text} LIKE ?" for _ in words)
        rows = self._read(
            f"SELECT canonical_url, title FROM articles WHERE {clause} "
            "ORDER BY published_at DESC LIMIT ?",
            [*(f"%{w}%" for w in words), limit],
        )
        return [(r[0], r[1]) for r in rows]

    def export_columns(self, table: str) -> list[str]:
        """The column names ``export_stream`` yields for ``table``, in order."""
        spec = EXPORT_TABLES[table]
        try:
            cursor = self.conn.execute(f"{spec.select} LIMIT 0")
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        return [d[0] for d in cursor.description]

    def export_stream(
        self, table: str, *, site: str | None = None, window: TimeWindow = TimeWindow()
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
            _window(spec.time_column, window.since, window.until),
            _window(spec.seen_column, window.seen_since, window.seen_until),
        ):
            sql += extra
            params += extra_params
        return self._stream(f"{sql} ORDER BY {spec.order}", params)
