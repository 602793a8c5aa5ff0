"""Full-text search of the archive: quoted terms by default, FTS5 syntax with ``raw``; time words.

The index (``articles_fts``, tokenizer ``unicode61 remove_diacritics 2``, so
"ain sebaa" finds "Aïn Sebaâ") covers title, lead and body and is kept in step
by triggers; bm25 weighs a title hit above a lead hit above a body hit. Without
``raw`` every term is searched as written (``l'extinction``, ``covid-19``); a
query SQLite cannot read, or too long a query, is a ``QueryError``. The SQL
lives in ``scraper.archive``. ``parse_when`` reads the CLI's time options:
dates, ISO-8601 times and durations meaning "that long ago" (``7d``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scraper.archive import Archive, TimeWindow, in_utc_range, utc_text
from scraper.config import parse_duration


def parse_when(text: str, now: datetime | None = None) -> str:
    """``2025-05-09``, ``2025-05-09T10:00+01:00`` or ``7d`` (ago) -> UTC text.

    ValueError for anything else, and for times outside years 1-9999 once in UTC.
    """
    text = text.strip()
    try:
        seconds = parse_duration(text)
    except ValueError:
        pass
    else:
        try:
            moment = (now or datetime.now(UTC)) - timedelta(seconds=seconds)
        except OverflowError:
            raise ValueError(f"{text!r} reaches before year 1") from None
        return utc_text(moment) or ""
    moment = datetime.fromisoformat(text)
    if not in_utc_range(moment):
        raise ValueError(f"{text!r} is outside years 1-9999 in UTC")
    return utc_text(moment) or ""


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
    raw: bool = False,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    seen_since: str | None = None,
    seen_until: str | None = None,
    limit: int = 20,
    highlight: tuple[str, str] = ("[", "]"),
) -> list[Hit]:
    """The best ``limit`` articles matching ``query``, best first."""
    rows = archive.search_articles(
        query,
        raw=raw,
        site=site,
        window=TimeWindow(since, until, seen_since, seen_until),
        limit=limit,
        highlight=highlight,
    )
    return [Hit(**row) for row in rows]


def like_search(archive: Archive, words: list[str], *, limit: int = 20) -> list[tuple[str, str]]:
    """The baseline FTS is measured against: every word by ``LIKE`` (a full scan)."""
    return archive.like_search(words, limit=limit)
