"""Builders for archive tests: fetch results and articles as the crawl would hand them over."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from parsers.base import Article
from scraper.archive import Archive
from scraper.fetch import FetchResult
from tests.support.archives import is_pg, pg_query

T0 = datetime(2025, 5, 9, 10, 0, tzinfo=UTC)


def page(
    url: str,
    body: str | bytes = "<html><body><p>hello</p></body></html>",
    *,
    at: datetime = T0,
    status: str = "ok",
    etag: str | None = None,
) -> FetchResult:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return FetchResult(
        url=url,
        final_url=url,
        status=status,
        fetched_at=at,
        http_status=200 if status == "ok" else 304,
        body=raw if status == "ok" else b"",
        text=raw.decode("utf-8") if status == "ok" else None,
        encoding="utf-8",
        content_type="text/html; charset=utf-8",
        etag=etag,
    )


def article(
    url: str, title: str = "Titre", body: str = "Un corps.", lead: str | None = "Chapeau."
) -> Article:
    return Article(url=url, title=title, body=body, lead=lead, parser="walaw", parser_version="1")


def save(
    archive: Archive,
    url: str,
    *,
    title: str = "Titre",
    body: str = "Un corps.",
    lead: str | None = "Chapeau.",
    at: datetime = T0,
    site: str = "s",
    html: str | None = None,
    published_at: datetime | None = None,
    run_id: int | None = None,
) -> Any:
    return archive.save_article(
        article(url, title, body, lead),
        site=site,
        url=url,
        canonical_url=url,
        fetched_at=at,
        page=page(url, html or f"<html><h1>{title}</h1><p>{body}</p></html>", at=at),
        published_at=published_at,
        run_id=run_id,
    )


def later(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def query(db: Path | str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (``?`` placeholders) from the archive at ``db``, on either engine."""
    if is_pg(db):
        return pg_query(str(db), sql, params)
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
