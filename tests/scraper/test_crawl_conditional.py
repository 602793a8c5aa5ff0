"""Conditional GET of listing pages: a 304 costs no parse and no write beyond ``last_seen``."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import replace

import pytest

from parsers.walaw import WalawParser
from scraper.archive import Archive
from scraper.config import SiteConfig
from scraper.crawl import SiteCrawl
from scraper.fetch import Fetcher
from tests.support import faults
from tests.support.fetchkit import FAST_RETRY, fetch_config
from tests.support.httpserver import Page
from tests.support.walaw_site import STORIES, home_a, site_routes

ETAG = '"home-v1"'
LAST_MODIFIED = "Wed, 21 Oct 2025 07:28:00 GMT"


def crawl_once(server, db) -> object:
    site = SiteConfig(
        name="walaw_test",
        parser="walaw",
        start_urls=(server.url("/"),),
        timezone="Africa/Casablanca",
    )

    async def run():
        async with Fetcher(fetch_config(max_attempts=1), retry=FAST_RETRY) as fetcher:
            with Archive(db) as archive:
                return await SiteCrawl(site, fetcher, archive).run()

    return asyncio.run(run())


@pytest.fixture
def counted_listing_parses(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = WalawParser.parse_listing

    def counting(self, html, url, fetched_at=None):
        calls.append(url)
        return original(self, html, url, fetched_at)

    monkeypatch.setattr(WalawParser, "parse_listing", counting)
    return calls


def rows(db, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_an_unchanged_listing_is_a_304_that_only_bumps_last_seen(
    server, tmp_path, counted_listing_parses
) -> None:
    stories = STORIES[:4]
    for path, html in site_routes(stories).items():
        server.routes[path] = Page(html)
    server.routes["/"] = faults.conditional(home_a(stories), ETAG, LAST_MODIFIED)
    db = tmp_path / "a.db"

    first = crawl_once(server, db)
    assert (first.status, first.new_articles, first.new_ticker_items) == ("ok", 4, 4)
    assert counted_listing_parses == [server.url("/")]
    seen_before = rows(db, "SELECT item_key, last_seen FROM ticker_items ORDER BY id")
    counts_before = rows(
        db, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM bodies)"
    )
    requests_before = len(server.requests)

    time.sleep(1.1)  # last_seen has a resolution of one second
    second = crawl_once(server, db)
    assert (second.status, second.pages, second.new_articles, second.errors) == ("ok", 1, 0, 0)
    assert counted_listing_parses == [server.url("/")]  # not parsed again
    assert [r.path for r in server.requests[requests_before:]] == ["/robots.txt", "/"]
    assert server.requests[-1].headers["If-None-Match"] == ETAG
    assert server.requests[-1].headers["If-Modified-Since"] == LAST_MODIFIED
    seen_after = rows(db, "SELECT item_key, last_seen FROM ticker_items ORDER BY id")
    assert [k for k, _ in seen_after] == [k for k, _ in seen_before]
    assert all(
        after > before for (_, before), (_, after) in zip(seen_before, seen_after, strict=True)
    )
    assert rows(db, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM bodies)") == (
        counts_before
    )
    assert rows(db, "SELECT status, http_status, bytes FROM pages ORDER BY id DESC LIMIT 1") == [
        ("not_modified", 304, 0)
    ]


def test_a_304_retries_the_articles_that_failed_last_time(server, tmp_path) -> None:
    stories = STORIES[:3]
    for path, html in site_routes(stories).items():
        server.routes[path] = Page(html)
    server.routes["/"] = faults.conditional(home_a(stories), ETAG, LAST_MODIFIED)
    broken = stories[1].path
    server.routes[broken] = Page("down", 500, {"Content-Type": "text/plain"})
    db = tmp_path / "a.db"

    first = crawl_once(server, db)
    assert (first.new_articles, first.errors) == (2, 1)

    server.routes[broken] = Page(site_routes(stories)[broken])
    second = crawl_once(server, db)
    assert (second.new_articles, second.errors) == (1, 0)
    assert server.requests[-1].path == broken
    assert rows(db, "SELECT count(*) FROM articles") == [(3,)]


def test_a_changed_listing_is_parsed_again(server, tmp_path, counted_listing_parses) -> None:
    stories = STORIES[:3]
    for path, html in site_routes(stories).items():
        server.routes[path] = Page(html)
    server.routes["/"] = faults.conditional(home_a(stories), ETAG, LAST_MODIFIED)
    db = tmp_path / "a.db"
    crawl_once(server, db)

    more = (replace(STORIES[3]), *stories)
    for path, html in site_routes(more).items():
        server.routes[path] = Page(html)
    server.routes["/"] = faults.conditional(home_a(more), '"home-v2"', LAST_MODIFIED)
    second = crawl_once(server, db)
    assert (second.new_articles, second.new_ticker_items) == (1, 1)
    assert len(counted_listing_parses) == 2
