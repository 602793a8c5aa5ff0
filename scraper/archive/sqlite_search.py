"""Full-text search on SQLite: FTS5 over title, lead and body, ranked by bm25(10, 4, 1).

A query is quoted term by term with sqlite-utils' ``quote_fts`` (as Datasette
does), so ``l'extinction``, ``Inde-Pakistan`` and ``covid-19`` are words, not
FTS5 syntax; ``raw=True`` passes FTS5 syntax through. A query is capped
(``MAX_QUERY_TERMS`` terms, ``MAX_QUERY_CHARS`` characters, see ``reading``). A
query SQLite cannot read, or one with no word to look for, is a ``QueryError``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from scraper.archive.connection import ArchiveConnection
from scraper.archive.reading import (
    ARTICLE_TIME,
    NO_WINDOW,
    ArchiveReading,
    TimeWindow,
    window_sql,
)
from scraper.archive.sqlerrors import archive_error
from scraper.archive.values import repair_text
from scraper.errors import QueryError


class SqliteSearch(ArchiveReading, ArchiveConnection):
    """Search on the FTS5 table ``articles_fts``."""

    def fts_query(self, text: str, *, raw: bool = False) -> str:
        """The FTS5 MATCH expression for a user's query; QueryError when it is too long, has
        too many terms, or has no word to look for."""
        text = repair_text(text).replace("\x00", " ")  # FTS5 reads a NUL as the end of the query
        match = text if raw else self.db.quote_fts(text)
        self.check_query(text, len(match.split()))
        return match

    def search_articles(
        self,
        query: str,
        *,
        raw: bool = False,
        site: str | None = None,
        window: TimeWindow = NO_WINDOW,
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
            window_sql(ARTICLE_TIME, window.since, window.until),
            window_sql("a.first_seen", window.seen_since, window.seen_until),
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

