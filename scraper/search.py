"""Full-text search of the archive: FTS5 ``MATCH``, ranked by bm25, with snippets and filters.

The index (``articles_fts``, tokenizer ``unicode61 remove_diacritics 2``, so
"ain sebaa" finds "Aïn Sebaâ") covers title, lead and body and is kept in step
by triggers; bm25 weighs a title hit above a lead hit above a body hit. A
query SQLite cannot read (``"unclosed``, ``AND AND``) is a ``QueryError``.
Time filters (``parse_when``) accept dates, ISO-8601 times and durations
meaning "that long ago" (``7d``), and compare as UTC text.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scraper.archive import Archive, archive_error, utc_text
from scraper.config import parse_duration
from scraper.errors import QueryError

#: The time an article is filtered on: its publication, else when it was first seen.
ARTICLE_TIME = "coalesce(a.published_at, a.first_seen)"


def parse_when(text: str, now: datetime | None = None) -> str:
    """``2025-05-09``, ``2025-05-09T10:00+01:00`` or ``7d`` (ago) -> UTC text; ValueError."""
    text = text.strip()
    try:
        seconds = parse_duration(text)
    except ValueError:
        pass
    else:
        return utc_text((now or datetime.now(UTC)) - timedelta(seconds=seconds)) or ""
    moment = datetime.fromisoformat(text)
    return utc_text(moment) or ""


def time_filters(column: str, since: str | None, until: str | None) -> tuple[str, list[str]]:
    """SQL (``AND ...``) and parameters restricting ``column`` to [since, until)."""
    sql, params = "", []
    if since:
        sql += f" AND {column} >= ?"
        params.append(since)
    if until:
        sql += f" AND {column} < ?"
        params.append(until)
    return sql, params


@dataclass(frozen=True)
class Hit:
    """One search result."""

    url: str
    title: str | None
    published_at: str | None
    site: str
    snippet: str
    rank: float

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "title": self.title,
            "published_at": self.published_at,
            "site": self.site,
            "snippet": self.snippet,
        }


def search(
    archive: Archive,
    query: str,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
    highlight: tuple[str, str] = ("[", "]"),
) -> list[Hit]:
    """The best ``limit`` articles matching the FTS5 ``query``, best first."""
    sql = (
        "SELECT a.canonical_url, a.title, a.published_at, a.site, "
        "snippet(articles_fts, -1, ?, ?, '…', 16), articles_fts.rank "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ?"
    )
    params: list[object] = [highlight[0], highlight[1], query]
    if site:
        sql += " AND a.site = ?"
        params.append(site)
    extra, extra_params = time_filters(ARTICLE_TIME, since, until)
    sql += extra + " ORDER BY articles_fts.rank LIMIT ?"
    params += [*extra_params, limit]
    try:
        rows = archive.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "fts5" in text or "no such column" in text or "unterminated" in text:
            raise QueryError(
                f"cannot read the search query {query!r}: {text}; quote words that contain "
                'punctuation, e.g. "covid-19"'
            ) from exc
        raise archive_error(archive.path, exc) from exc
    except sqlite3.Error as exc:
        raise archive_error(archive.path, exc) from exc
    return [Hit(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def like_search(archive: Archive, words: list[str], *, limit: int = 20) -> list[tuple[str, str]]:
    """The baseline FTS is measured against: every word by ``LIKE``, newest first (a full scan)."""
    text = "(title || ' ' || coalesce(lead, '') || ' ' || body)"
    clause = " AND ".join(f"{text} LIKE ?" for _ in words)
    rows = archive.conn.execute(
        f"SELECT canonical_url, title FROM articles WHERE {clause} "
        "ORDER BY published_at DESC LIMIT ?",
        [*(f"%{w}%" for w in words), limit],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]
