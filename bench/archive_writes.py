"""Archive write path: raw sqlite3 (``Archive.save_article``) against sqlite-utils inserts.

Why the hot path stays on raw ``sqlite3``: one archived article is a page row, a
body row (once per hash), an article row, a revision row and its URLs, in ONE
``BEGIN IMMEDIATE`` transaction. sqlite-utils' ``Table.insert`` commits each
call itself (``with db.conn:``), so the same rows through it are four to six
commits per article and lose the one-transaction-per-page crash promise. Both
runs use the same synthetic pages (bench/archive.py's text maker), WAL and
``synchronous=NORMAL``, FTS triggers on, in fresh files, alternating in rounds.

    .venv/bin/python -m bench.archive_writes [--articles 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
import zstandard

from bench.archive import TextMaker, page_for
from parsers.base import Article
from scraper.archive import Archive, article_hash, utc_text

_compressor = zstandard.ZstdCompressor(level=3)


def make(count: int) -> list[tuple[Article, object]]:
    rng = random.Random(20250509)
    maker = TextMaker(rng)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    items = []
    for i in range(count):
        at = start + timedelta(minutes=i)
        url = f"https://news.example/a{i}"
        title, lead = maker.sentence(9)[:-1], maker.sentence(25)
        body = maker.paragraphs(rng.randint(200, 500))
        article = Article(url=url, title=title, lead=lead, body=body, parser="walaw",
                          parser_version="1", published_at=at)  # fmt: skip
        items.append((article, page_for(url, title, lead, body, at)))
    return items


def save_all(location: Path | str, items) -> float:
    """Seconds to save ``items`` through ``Archive.save_article`` (raw sqlite3 on SQLite)."""
    with Archive(location) as archive:
        t0 = time.perf_counter()
        for article, page in items:
            archive.save_article(
                article, site="bench", url=article.url, canonical_url=article.url,
                fetched_at=page.fetched_at, page=page,
            )  # fmt: skip
        return time.perf_counter() - t0


def with_sqlite_utils(db: Path, items) -> float:
    Archive(db).close()  # the same schema, WAL and triggers
    data = sqlite_utils.Database(db)
    data.execute("PRAGMA synchronous = NORMAL")
    pages, bodies, articles = data["pages"], data["bodies"], data["articles"]
    revisions, urls = data["article_revisions"], data["article_urls"]
    t0 = time.perf_counter()
    for article, page in items:
        now = utc_text(page.fetched_at)
        digest = hashlib.sha256(page.body).hexdigest()
        stored = _compressor.compress(page.body)
        bodies.insert({"hash": digest, "compression": "zstd", "size": len(page.body),
                       "stored_size": len(stored), "data": stored}, ignore=True)  # fmt: skip
        page_id = pages.insert({"site": "bench", "kind": "article", "url": page.url,
                                "final_url": page.final_url, "status": page.status,
                                "http_status": page.http_status, "fetched_at": now,
                                "bytes": len(page.body), "body_hash": digest}).last_pk  # fmt: skip
        content = article_hash(article)
        article_id = articles.insert({
            "site": "bench", "url": article.url, "canonical_url": article.url,
            "title": article.title, "lead": article.lead, "body": article.main_text,
            "authors": json.dumps([]), "published_at": utc_text(article.published_at),
            "parser": article.parser, "parser_version": article.parser_version,
            "first_seen": now, "last_seen": now, "last_fetched": now,
            "content_hash": content, "revisions": 1,
        }).last_pk  # fmt: skip
        revisions.insert({"article_id": article_id, "fetched_at": now, "content_hash": content,
                          "title": article.title, "lead": article.lead,
                          "body": article.main_text, "page_id": page_id})  # fmt: skip
        urls.insert({"url": article.url, "article_id": article_id}, ignore=True)
    elapsed = time.perf_counter() - t0
    data.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = make(args.articles)
    results: dict[str, list[float]] = {"raw sqlite3 (save_article)": [], "sqlite-utils insert": []}
    with tempfile.TemporaryDirectory() as folder:
        for round_no in range(args.rounds):
            for label, run in (("raw sqlite3 (save_article)", save_all),
                               ("sqlite-utils insert", with_sqlite_utils)):  # fmt: skip
                elapsed = run(Path(folder) / f"{round_no}-{label[:3]}.db", items)
                results[label].append(args.articles / elapsed)
    print(f"\n## Archive write path: {args.articles:,} articles x {args.rounds} rounds\n")
    print("| path | articles/s (median) | runs |\n|---|---|---|")
    for label, rates in results.items():
        runs = ", ".join(f"{r:,.0f}" for r in rates)
        print(f"| {label} | {statistics.median(rates):,.0f} | {runs} |")


if __name__ == "__main__":
    main()
