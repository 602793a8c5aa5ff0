"""A crawl pass reads its time from its fetcher's clock: on simulated time, every time it stores
(run start, fetch times, first seen, ticker times resolved from HH:MM) is exact."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

from scraper.archive import Archive
from scraper.clock import SimulatedClock
from scraper.config import SiteConfig
from scraper.crawl import SiteCrawl
from scraper.fetch import Fetcher
from tests.support.fetchkit import FAST_RETRY, fetch_config
from tests.support.walaw_site import STORIES, serve

#: 00:20 in Casablanca (UTC+1 then): a ticker's 23:55 is yesterday evening, its 00:05 today.
START = datetime(2025, 5, 8, 23, 20, tzinfo=UTC)


def test_a_pass_on_simulated_time_stores_exact_times(server, tmp_path) -> None:
    stories = (replace(STORIES[0], time="00:05"), replace(STORIES[1], time="23:55"))
    serve(server, stories)
    site = SiteConfig(
        name="walaw_test",
        parser="walaw",
        start_urls=(server.url("/"),),
        timezone="Africa/Casablanca",
    )
    db = tmp_path / "archive.db"

    async def run():
        clock = SimulatedClock(START)
        async with Fetcher(fetch_config(max_attempts=1), retry=FAST_RETRY, clock=clock) as fetcher:
            with Archive(db) as archive:
                return await SiteCrawl(site, fetcher, archive).run()

    summary = asyncio.run(run())

    assert summary.new_articles == 2
    with sqlite3.connect(db) as conn:
        started = conn.execute("SELECT started_at FROM runs").fetchall()
        fetched = {t for (t,) in conn.execute("SELECT fetched_at FROM pages")}
        first_seen = {t for (t,) in conn.execute("SELECT first_seen FROM articles")}
        ticker = dict(conn.execute("SELECT title, published_at FROM ticker_items").fetchall())
    assert started == [("2025-05-08T23:20:00Z",)]
    assert fetched == first_seen == {"2025-05-08T23:20:00Z"}
    assert ticker == {
        stories[0].title: "2025-05-08T23:05:00Z",  # 00:05 local, today
        stories[1].title: "2025-05-08T22:55:00Z",  # 23:55 local, the day before
    }
