"""Crawl throughput on loopback: newsrack against Scrapy 2.x, same pages, same server, same run.

A walaw-like site of ``--pages`` articles (plus one listing that links them all)
is served gzip-compressed, keep-alive, by a small asyncio HTTP/1.1 server in its
own process, so its CPU is nobody's. Each crawler then runs in a child process
of its own (alternating, ``--repeat`` times) and reports the wall time and the
CPU seconds (``time.process_time``) of its crawl alone, imports excluded:

* newsrack: ``SiteCrawl`` as ``newsrack crawl`` runs it: robots.txt, fetch,
  charset, walaw parser, archive (pages row, zstd raw body, article, revision,
  FTS5 index, ticker items), one transaction per page;
* Scrapy: a spider with the same concurrency, robots.txt obeyed, the same
  walaw parser (selectolax) on ``response.body``, and a pipeline writing ticker
  items and articles to SQLite (WAL, ``synchronous = NORMAL``, one transaction
  per item, no FTS, no raw bodies: less work than newsrack's archive).

Run it from a venv that has both (Scrapy is a bench-only dependency)::

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e '.[bench]'
    .venv-bench/bin/python bench/crawl.py --pages 2000 --repeat 3

Delay is 0 and private networks are allowed for both (loopback); nothing leaves
127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONCURRENCY_PER_HOST = 8
CONCURRENCY_TOTAL = 16


# --- the site ------------------------------------------------------------------------------


def site_pages(count: int) -> dict[str, bytes]:
    """Path -> HTML bytes: a listing of ``count`` articles, and the articles."""
    from tests.support.walaw_site import STORIES, article_a, home_a

    letters = "BCDFGHJKLMNPQRSTVWXZ"
    stories = []
    for n in range(count):
        base = STORIES[n % len(STORIES)]
        ident = "".join(letters[(n // 20**k) % 20] for k in range(12))
        minute = 59 - (n % 60)
        stories.append(
            replace(
                base,
                ident=ident,
                time=f"{11 - (n // 60) % 12:02d}:{minute:02d}",
                title=f"{base.title} ({n})",
            )
        )
    stories_t = tuple(stories)
    pages = {"/": home_a(stories_t).encode()}
    ticker = stories_t[:30]
    for story in stories_t:
        pages[story.path] = article_a(story, ticker).encode()
    return pages


def serve(count: int, port_out: multiprocessing.connection.Connection) -> None:
    """Serve the site on 127.0.0.1 (any free port, sent back through ``port_out``)."""
    pages = site_pages(count)
    packed = {path: gzip.compress(body, 6) for path, body in pages.items()}

    def answer(path: str, accept_gzip: bool) -> bytes:
        body = packed.get(path) if accept_gzip else pages.get(path)
        if body is None:
            return (
                b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                b"Content-Length: 9\r\n\r\nnot found"
            )
        coding = b"Content-Encoding: gzip\r\n" if accept_gzip else b""
        return (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + coding
            + b"Content-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                accept = any(
                    h.lower().startswith("accept-encoding:") and "gzip" in h.lower()
                    for h in lines[1:]
                )
                writer.write(answer(path, accept))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


# --- the crawlers (each runs in a child process) --------------------------------------------


def run_newsrack(base: str, count: int, db: str) -> dict[str, float]:
    import scraper.crawl
    from scraper.archive import Archive
    from scraper.config import FetchConfig, SiteConfig
    from scraper.crawl import SiteCrawl
    from scraper.fetch import Fetcher

    scraper.crawl.ARTICLE_CONCURRENCY = CONCURRENCY_PER_HOST  # as many as Scrapy's
    config = FetchConfig(
        delay=0.0,
        allow_private_networks=True,
        max_connections=CONCURRENCY_TOTAL,
        max_connections_per_host=CONCURRENCY_PER_HOST,
    )
    site = SiteConfig(name="bench", parser="walaw", start_urls=(base + "/",), max_articles=count)

    async def crawl() -> int:
        async with Fetcher(config) as fetcher:
            with Archive(db) as archive:
                summary = await SiteCrawl(site, fetcher, archive).run()
        return summary.new_articles

    cpu, wall = time.process_time(), time.perf_counter()
    articles = asyncio.run(crawl())
    return {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "articles": articles,
    }


def run_scrapy(base: str, count: int, db: str) -> dict[str, float]:
    import sqlite3

    import scrapy
    from scrapy.crawler import CrawlerProcess

    import parsers

    parser = parsers.get("walaw")
    result: dict[str, float] = {"articles": 0}

    class SQLitePipeline:
        def open_spider(self, spider: scrapy.Spider | None = None) -> None:
            self.conn = sqlite3.connect(db, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute(
                "CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE, title TEXT, "
                "lead TEXT, body TEXT, authors TEXT, published_at TEXT, language TEXT, "
                "fetched_at TEXT)"
            )
            self.conn.execute(
                "CREATE TABLE ticker_items (id INTEGER PRIMARY KEY, url TEXT UNIQUE, "
                "title TEXT, shown_time TEXT, first_seen TEXT)"
            )

        def close_spider(self, spider: scrapy.Spider | None = None) -> None:
            result["articles"] = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            self.conn.close()

        def process_item(self, item: dict, spider: scrapy.Spider | None = None) -> dict:
            self.conn.execute("BEGIN IMMEDIATE")
            if item["kind"] == "article":
                self.conn.execute(
                    "INSERT OR IGNORE INTO articles (url, title, lead, body, authors, "
                    "published_at, language, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        item["url"],
                        item["title"],
                        item["lead"],
                        item["body"],
                        json.dumps(item["authors"]),
                        item["published_at"],
                        item["language"],
                        item["fetched_at"],
                    ),
                )
            else:
                self.conn.execute(
                    "INSERT OR IGNORE INTO ticker_items (url, title, shown_time, first_seen) "
                    "VALUES (?, ?, ?, ?)",
                    (item["url"], item["title"], item["shown_time"], item["fetched_at"]),
                )
            self.conn.execute("COMMIT")
            return item

    class WalawSpider(scrapy.Spider):
        name = "walaw_bench"
        start_urls = (base + "/",)

        def parse(self, response):  # the listing
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            listing = parser.parse_listing(response.body, response.url)
            for item in listing.ticker:
                yield {
                    "kind": "ticker",
                    "url": item.url,
                    "title": item.title,
                    "shown_time": item.shown_time,
                    "fetched_at": now,
                }
            links = [i.url for i in listing.ticker if i.url] + list(listing.article_links)
            for link in links[:count]:
                yield response.follow(link, self.parse_article)

        def parse_article(self, response):
            article = parser.parse_article(response.body, response.url)
            yield {
                "kind": "article",
                "url": response.url,
                "title": article.title,
                "lead": article.lead,
                "body": article.body,
                "authors": list(article.authors),
                "published_at": article.published_at.isoformat() if article.published_at else None,
                "language": article.language,
                "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }

    sys.modules["__main__"].SQLitePipeline = SQLitePipeline  # type: ignore[attr-defined]
    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": CONCURRENCY_TOTAL,
            "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY_PER_HOST,
            "DOWNLOAD_DELAY": 0,
            "TELNETCONSOLE_ENABLED": False,
            "ITEM_PIPELINES": {"__main__.SQLitePipeline": 100},
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
            "USER_AGENT": "newsrack-bench (scrapy)",
        }
    )
    process.crawl(WalawSpider)
    cpu, wall = time.process_time(), time.perf_counter()
    process.start()
    result.update(cpu=time.process_time() - cpu, wall=time.perf_counter() - wall)
    return result


# --- the run -------------------------------------------------------------------------------


def child(tool: str, base: str, count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                tool,
                "--base",
                base,
                "--pages",
                str(count),
                "--db",
                os.path.join(tmp, f"{tool}.db"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if out.returncode != 0:
        raise SystemExit(f"{tool} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=["newsrack", "scrapy"])
    ap.add_argument("--base")
    ap.add_argument("--db")
    args = ap.parse_args()
    if args.child:
        run = run_newsrack if args.child == "newsrack" else run_scrapy
        print(json.dumps(run(args.base, args.pages, args.db)))
        return

    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(args.pages, send), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{receive.recv()}"
    import scrapy

    sizes = [len(b) for b in site_pages(args.pages).values()]
    runs: dict[str, list[dict[str, float]]] = {"newsrack": [], "scrapy": []}
    try:
        for _ in range(args.repeat):
            for tool in runs:
                runs[tool].append(child(tool, base, args.pages))
    finally:
        server.terminate()
    pages = args.pages + 1  # the listing too (robots.txt not counted)
    print(
        f"{args.pages} articles + 1 listing, {statistics.mean(sizes) / 1024:.1f} KiB of HTML "
        f"per page (gzip on the wire), concurrency {CONCURRENCY_PER_HOST} per host, delay 0, "
        f"median of {args.repeat} runs; Python {sys.version.split()[0]}, Scrapy "
        f"{scrapy.__version__}"
    )
    print()
    print("| crawler | articles stored | wall s | pages/s | CPU s | CPU s / 1,000 pages |")
    print("|---|---:|---:|---:|---:|---:|")
    medians = {}
    for tool, results in runs.items():
        wall = statistics.median(r["wall"] for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        stored = int(statistics.median(r["articles"] for r in results))
        medians[tool] = (wall, cpu)
        print(
            f"| {tool} | {stored} | {wall:.2f} | {pages / wall:.0f} | {cpu:.2f} | "
            f"{1000 * cpu / pages:.3f} |"
        )
    (n_wall, n_cpu), (s_wall, s_cpu) = medians["newsrack"], medians["scrapy"]
    print()
    print(
        f"newsrack / Scrapy: pages per second x{s_wall / n_wall:.2f}, "
        f"pages per CPU second x{s_cpu / n_cpu:.2f}"
    )


if __name__ == "__main__":
    main()
