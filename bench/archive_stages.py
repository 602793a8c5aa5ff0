"""Where the archive's time goes for one crawled page: FTS5, zstd, the per-page transaction.

Takes the web-shaped pages of ``bench/crawl.py`` (60 KB, 330 links), parses
each once (outside the timing), then archives them as the crawl does
(``scraper.ingest.store_article``: page row, zstd body, article, revision,
FTS5, one ``BEGIN IMMEDIATE`` transaction per page) into fresh files, and
times (CPU, ``time.process_time``) the whole write and its parts: the same
writes with the FTS5 triggers dropped, zstd and sha256 of the bodies alone,
and an empty ``BEGIN IMMEDIATE``/``COMMIT``. ``--body-words`` pads each
article to a real article's length (the test stories are short)::

    .venv/bin/python -m bench.archive_stages --pages 2000 --body-words 700
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import zstandard

from bench.crawl import site_pages
from parsers.base import Article
from scraper.archive import Archive
from scraper.fetch import FetchResult
from scraper.ingest import PageJob, SiteTarget, run_parser, store_article
from scraper.kinds import PageKind

BASE = "https://fr.walaw.press"


def pages(count: int, words: int) -> list[tuple[FetchResult, Article]]:
    rng = random.Random(12)
    vocabulary = [f"mot{n}" for n in range(20_000)]
    out = []
    now = datetime.now(UTC)
    for path, body in site_pages(count, "web").items():
        if path == "/":
            continue
        url = BASE + path
        parsed = run_parser(PageJob("walaw", PageKind.ARTICLE, body, url, now))
        assert isinstance(parsed, Article), parsed
        if words:
            text = " ".join(rng.choice(vocabulary) for _ in range(words))
            parsed = replace(parsed, body=f"{parsed.body}\n\n{text}", sections=())
        result = FetchResult(
            url=url, final_url=url, status="ok", fetched_at=now, http_status=200, body=body,
            text=None, encoding="utf-8", content_type="text/html; charset=utf-8",
        )  # fmt: skip
        out.append((result, parsed))
    return out


def archive_all(db: Path, items: list[tuple[FetchResult, Article]], fts: bool) -> float:
    target = SiteTarget("bench", "walaw", UTC)
    with Archive(db) as archive:
        if not fts:
            for trigger in ("articles_ai", "articles_ad", "articles_au"):
                archive.conn.execute(f"DROP TRIGGER {trigger}")
        start = time.process_time()
        for result, article in items:
            store_article(archive, target, result, article, url=result.url)
        return time.process_time() - start


def empty_transactions(db: Path, count: int) -> float:
    with Archive(db) as archive:
        start = time.process_time()
        for _ in range(count):
            with archive.transaction():
                pass
        return time.process_time() - start


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cli.add_argument("--pages", type=int, default=2000)
    cli.add_argument("--body-words", type=int, default=700)
    cli.add_argument("--rounds", type=int, default=3)
    opts = cli.parse_args()
    items = pages(opts.pages, opts.body_words)
    bodies = [result.body for result, _ in items]
    compressor = zstandard.ZstdCompressor(level=3)
    rows: dict[str, list[float]] = {}
    for _ in range(opts.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            rows.setdefault("store_article, FTS5 on (as crawled)", []).append(
                archive_all(Path(tmp) / "a.db", items, fts=True)
            )
            rows.setdefault("store_article, FTS5 triggers dropped", []).append(
                archive_all(Path(tmp) / "b.db", items, fts=False)
            )
            rows.setdefault("empty BEGIN IMMEDIATE / COMMIT", []).append(
                empty_transactions(Path(tmp) / "c.db", len(items))
            )
        start = time.process_time()
        for body in bodies:
            compressor.compress(body)
        rows.setdefault("zstd level 3 of the raw page", []).append(time.process_time() - start)
        start = time.process_time()
        for body in bodies:
            hashlib.sha256(body).hexdigest()
        rows.setdefault("sha256 of the raw page", []).append(time.process_time() - start)
    size = statistics.mean(len(b) for b in bodies) / 1024
    text = statistics.mean(len(a.text) for _, a in items)
    print(
        f"{len(items)} pages of {size:.0f} KiB, article text {text:.0f} chars; "
        f"CPU ms per page, median of {opts.rounds} rounds"
    )
    print("| stage | ms / page |")
    print("|---|---:|")
    for name, values in rows.items():
        print(f"| {name} | {1000 * statistics.median(values) / len(items):.3f} |")


if __name__ == "__main__":
    main()
