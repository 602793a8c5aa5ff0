"""``Archive``: the one interface the rest of newsrack uses, whatever the engine behind it.

``Archive(location)`` opens a SQLite file (a path) or a PostgreSQL database (a
``postgresql://USER@HOST:PORT/DB`` URL) and returns the implementation for it,
``SqliteArchive`` or ``PostgresArchive``; both fill in every method named here, so
crawl, daemon, search, export, history, reparse, stats and status run on either.
Nothing outside the archive package imports an engine's module.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scraper.archive.reading import NO_WINDOW, TimeWindow

if TYPE_CHECKING:
    from parsers.base import Article, TickerItem
    from scraper.archive.queries import DueRevisit, ReparseCandidate, StoredPage
    from scraper.archive.values import Found
    from scraper.archive.writes import SavedArticle
    from scraper.fetch import FetchResult

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(location: str | os.PathLike[str]) -> bool:
    """Whether an archive location names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and location.lower().startswith(POSTGRES_SCHEMES)


class Archive(ABC):
    """One open archive. ``Archive(path)`` or ``Archive("postgresql://...")``; ``create=False``
    for reading commands (never creates a file or a schema). A context manager."""

    path: Any
    undecodable: int

    def __new__(cls, location: str | os.PathLike[str] | Path, *, create: bool = True) -> Any:
        if cls is Archive:
            if is_postgres_url(location):
                from scraper.archive.postgres import PostgresArchive

                cls = PostgresArchive
            else:
                from scraper.archive.store import SqliteArchive

                cls = SqliteArchive
        return super().__new__(cls)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def storage_bytes(self) -> int: ...

    # --- writes ---------------------------------------------------------------------------
    @abstractmethod
    def start_run(self, site: str, started_at: datetime, pid: int | None = None) -> int: ...

    @abstractmethod
    def finish_run(
        self, run_id: int, status: str, finished_at: datetime, *, pages: int,
        new_articles: int, new_ticker_items: int, errors: int,
    ) -> None: ...  # fmt: skip

    @abstractmethod
    def close_running_runs(
        self, finished_at: datetime, status: str, pid: int | None = None
    ) -> int: ...

    @abstractmethod
    def record_page(
        self, result: FetchResult, *, site: str | None, run_id: int | None, kind: str
    ) -> int: ...

    @abstractmethod
    def mark_page_error(self, page_id: int, kind: str, message: str) -> None: ...

    @abstractmethod
    def save_article(
        self, article: Article, *, site: str, url: str, canonical_url: str,
        fetched_at: datetime, page: FetchResult | None = None, run_id: int | None = None,
        published_at: datetime | None = None, revisits_done: int | None = None,
        page_id: int | None = None, reparsed_at: datetime | None = None,
        found: Found | None = None,
    ) -> SavedArticle: ...  # fmt: skip

    @abstractmethod
    def write_reparsed(
        self, article_id: int, article: Article, *, page_id: int, fetched_at: str,
        reparsed_at: datetime,
    ) -> bool: ...  # fmt: skip

    @abstractmethod
    def save_ticker_item(
        self, site: str, item: TickerItem, *, url: str | None, published_at: datetime | None,
        seen_at: datetime,
    ) -> bool: ...  # fmt: skip

    @abstractmethod
    def record_revisit(
        self, article_id: int, page: FetchResult, *, site: str, run_id: int | None, served: int
    ) -> int: ...

    @abstractmethod
    def remember_listing(
        self, site: str, url: str, ticker_keys: list[str], links: list[str], seen_at: datetime
    ) -> None: ...

    @abstractmethod
    def forget_listing(self, url: str) -> None: ...

    @abstractmethod
    def set_progress(self, key: str, value: str, at: datetime) -> None: ...

    @abstractmethod
    def get_progress(self, key: str) -> str | None: ...

    @abstractmethod
    def feeds_read(self, site: str, limit: int = 50) -> list[str]: ...

    @abstractmethod
    def has_page(self, url: str, fetched_at: datetime, body_hash: str) -> bool: ...

    @abstractmethod
    def ticker_found(self, site: str, url: str) -> Found | None: ...

    @abstractmethod
    def listing_unchanged(self, site: str, url: str, seen_at: datetime) -> list[str]: ...

    # --- named reads ----------------------------------------------------------------------
    @abstractmethod
    def body(self, body_hash: str) -> bytes | None: ...

    @abstractmethod
    def latest_page(self, urls: list[str]) -> StoredPage | None: ...

    @abstractmethod
    def validators(self, url: str) -> tuple[str | None, str | None, str | None]: ...

    @abstractmethod
    def has_listing_snapshot(self, url: str) -> bool: ...

    @abstractmethod
    def article_id_for(self, url: str) -> int | None: ...

    @abstractmethod
    def find_article(
        self, urls: list[str], *, site: str | None = None
    ) -> tuple[int, str, str | None] | None: ...

    @abstractmethod
    def article_revisions(self, article_id: int) -> list[dict[str, Any]]: ...

    @abstractmethod
    def count_reparse(self, *, site: str | None = None, since: str | None = None) -> int: ...

    @abstractmethod
    def reparse_candidates(
        self, *, site: str | None = None, since: str | None = None
    ) -> list[ReparseCandidate]: ...

    @abstractmethod
    def due_revisits(
        self, site: str, delays: tuple[float, ...], now: datetime, *, run_id: int | None = None,
        limit: int,
    ) -> list[DueRevisit]: ...  # fmt: skip

    @abstractmethod
    def known_sites(self) -> list[str]: ...

    @abstractmethod
    def run_sites(self) -> list[str]: ...

    @abstractmethod
    def last_run(self, site: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def last_run_started(self, site: str, *, not_after: datetime | None = None) -> str | None: ...

    @abstractmethod
    def page(self, page_id: int) -> dict[str, Any] | None: ...

    @abstractmethod
    def runs_summary(self, site: str, since: str) -> dict[str, int]: ...

    @abstractmethod
    def recent_article_pages(self, site: str, limit: int) -> list[dict[str, Any]]: ...

    @abstractmethod
    def site_counts(self) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def body_totals(self) -> tuple[int, int, int]: ...

    # --- search, export, copy -------------------------------------------------------------
    @abstractmethod
    def search_articles(
        self, query: str, *, raw: bool = False, site: str | None = None,
        window: TimeWindow = NO_WINDOW, limit: int = 20,
        highlight: tuple[str, str] = ("[", "]"),
    ) -> list[dict[str, Any]]: ...  # fmt: skip

    @abstractmethod
    def like_search(self, words: list[str], *, limit: int = 20) -> list[tuple[str, str]]: ...

    @abstractmethod
    def export_columns(self, table: str) -> list[str]: ...

    @abstractmethod
    def export_stream(
        self, table: str, *, site: str | None = None, window: TimeWindow = NO_WINDOW
    ) -> Iterator[dict[str, Any]]: ...

    @abstractmethod
    def copy_rows_after(self, table: str, after: Any, limit: int) -> list[dict[str, Any]]: ...

    @abstractmethod
    def copy_rows_in(self, table: str, rows: list[dict[str, Any]]) -> None: ...

    @abstractmethod
    def copy_progress(self, table: str) -> Any: ...

    @abstractmethod
    def count_rows(self, table: str) -> int: ...
