"""Parsing off the event loop: a page that parses too long is its own ``timeout`` error, its
worker is replaced, workers are recycled, and the crawl's other pages are archived meanwhile."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

from parsers.base import Article
from scraper.archive import Archive
from scraper.config import load_config
from scraper.crawl import SiteCrawl
from scraper.fetch import Fetcher
from scraper.ingest import PageJob, ParseFailure
from scraper.kinds import ErrorKind
from scraper.parsepool import ParsePool
from tests.support.commands import site_config
from tests.support.httpserver import Page, TestServer
from tests.support.walaw_site import STORIES, site_routes

#: Lexbor's parse time grows about quadratically with nesting: this page takes seconds.
NESTED = "<html><body>" + "<div>" * 20_000 + "<p>texte</p>" + "</div>" * 20_000 + "</body></html>"
PARAGRAPHS = "".join(f"<p>Paragraphe {i} d'un article ordinaire du site.</p>" for i in range(5))
ORDINARY = f"<html><body><article><h1>Un article ordinaire</h1>{PARAGRAPHS}</article></body></html>"
#: Seconds a parse may take in these tests: 100 times an ordinary page's, a tenth of NESTED's.
LIMIT = 1.0


def job(html: str, path: str = "/2025/05/a") -> PageJob:
    return PageJob("generic", "article", html.encode(), f"http://x.test{path}", datetime.now(UTC))


def test_a_page_past_the_limit_is_a_timeout_and_its_worker_is_replaced() -> None:
    async def run() -> tuple[object, object, int]:
        with ParsePool(1, timeout=LIMIT) as pool:
            slow = await pool.parse(job(NESTED, "/2025/05/slow"))
            after = await pool.parse(job(ORDINARY))
            return slow, after, pool.workers_started

    slow, after, started = asyncio.run(run())
    assert isinstance(slow, ParseFailure) and slow.kind == ErrorKind.TIMEOUT
    assert slow.message == (
        "http://x.test/2025/05/slow: parse took longer than parse_timeout = 1s; skipped"
    )
    assert isinstance(after, Article) and after.title == "Un article ordinaire"
    assert started == 2  # the stuck worker was killed and replaced


def test_workers_are_recycled_after_max_pages() -> None:
    async def run() -> tuple[list[object], int]:
        with ParsePool(1, timeout=LIMIT * 10, max_pages=2) as pool:
            answers = [await pool.parse(job(ORDINARY)) for _ in range(5)]
            return answers, pool.workers_started

    answers, started = asyncio.run(run())
    assert all(isinstance(a, Article) for a in answers)
    assert started == 3  # pages 1-2, 3-4, 5


def test_the_crawl_archives_other_pages_while_one_times_out(server, tmp_path) -> None:
    links = "".join(f'<a href="/2025/05/{n}">{n}</a>' for n in ("slow", "one", "two"))
    server.routes["/"] = Page(f"<html><body>{links}</body></html>")
    server.routes["/2025/05/slow"] = Page(NESTED)
    server.routes["/2025/05/one"] = Page(ORDINARY)
    server.routes["/2025/05/two"] = Page(ORDINARY.replace("ordinaire", "banal"))
    config_file = tmp_path / "config.toml"
    config_file.write_text(site_config(server.base, name="site", parser="generic"))
    config = load_config(config_file)
    db = tmp_path / "a.db"

    async def run() -> str:
        with ParsePool(2, timeout=LIMIT) as pool, Archive(db) as archive:
            async with Fetcher(config.fetch) as fetcher:
                crawl = SiteCrawl(config.site("site"), fetcher, archive, pool.parse)
                return (await crawl.run()).line()

    assert asyncio.run(run()) == ("site: ok, 4 pages, 2 new articles, 0 new ticker items, 1 errors")
    with sqlite3.connect(db) as conn:
        titles = sorted(t for (t,) in conn.execute("SELECT title FROM articles"))
        errors = conn.execute(
            "SELECT url, error_kind FROM pages WHERE error_kind IS NOT NULL"
        ).fetchall()
    assert titles == ["Un article banal", "Un article ordinaire"]
    assert errors == [(server.url("/2025/05/slow"), "timeout")]


def test_installed_crawl_records_a_slow_page_as_timeout_beside_a_healthy_site(
    server, tmp_path, newsrack
) -> None:
    for path, html in site_routes(STORIES[:3]).items():
        server.routes[path] = Page(html)
    with TestServer() as slow_site:
        slow_site.routes["/"] = Page('<html><body><a href="/2025/05/slow">x</a></body></html>')
        slow_site.routes["/2025/05/slow"] = Page(NESTED)
        config = tmp_path / "config.toml"
        config.write_text(
            site_config(server.base, name="healthy", fetch_extra=f"parse_timeout = {LIMIT}")
            + f'[sites.slow]\nparser = "generic"\nstart_urls = ["{slow_site.base}/"]\n'
        )
        db = tmp_path / "a.db"
        result = newsrack("--config", str(config), "--db", str(db), "crawl")
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == [
        "healthy: ok, 4 pages, 3 new articles, 3 new ticker items, 0 errors",
        "slow: ok, 2 pages, 0 new articles, 0 new ticker items, 1 errors",
    ]
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and "timeout error" in warnings[0]
    assert "parse took longer than parse_timeout = 1s" in warnings[0]
    with sqlite3.connect(db) as conn:
        errors = conn.execute("SELECT site, url, error_kind FROM pages WHERE error_kind NOT NULL")
        assert errors.fetchall() == [("slow", slow_site.url("/2025/05/slow"), "timeout")]
