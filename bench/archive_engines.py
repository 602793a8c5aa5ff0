"""The archive on SQLite beside PostgreSQL: articles saved per second, and search latency.

The same synthetic articles (bench/archive_writes.py's maker: 200-500 word bodies,
a raw page each) go through ``Archive.save_article`` (one transaction per article,
the freshness rule, the search index by trigger) into a fresh SQLite file and a
fresh schema of a PostgreSQL database on loopback; then the same one- and
two-word queries run through ``search_articles`` on each (median and p95 of
wall time). PostgreSQL here is the test cluster of ``.ci/postgres`` (fsync off:
a lower bound for a durable server); SQLite runs WAL with synchronous=NORMAL.

    .venv/bin/python -m bench.archive_engines --pg postgresql://... [--articles 3000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from bench.archive_writes import make, save_all
from scraper.archive import Archive


def search_times(location: Path | str, queries: list[str]) -> list[float]:
    with Archive(location, create=False) as archive:
        archive.search_articles(queries[0])  # warm
        times = []
        for query in queries:
            t0 = time.perf_counter()
            archive.search_articles(query, limit=20)
            times.append(time.perf_counter() - t0)
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--pg", default=os.environ.get("NEWSRACK_TEST_PG"))
    args = parser.parse_args()
    if not args.pg:
        parser.error("--pg postgresql://... (or NEWSRACK_TEST_PG) is needed")
    import psycopg

    items = make(args.articles)
    rng = random.Random(7)
    words = [w for article, _ in items[:200] for w in article.title.split() if len(w) > 3]
    queries = [rng.choice(words) for _ in range(args.queries // 2)]
    queries += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(args.queries // 2)]
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    pg = f"{args.pg}{'&' if '?' in args.pg else '?'}options={quote(f'-csearch_path={schema}')}"
    rows = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            for label, location in (("SQLite", Path(folder) / "a.db"), ("PostgreSQL", pg)):
                elapsed = save_all(location, items)
                times = sorted(search_times(location, queries))
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                rows.append((label, args.articles / elapsed, statistics.median(times), p95))
    finally:
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"\n## Archive engines: {args.articles:,} articles, {len(queries)} searches\n")
    print("| engine | articles/s saved | search median ms | search p95 ms |\n|---|---|---|---|")
    for label, rate, median, p95 in rows:
        print(f"| {label} | {rate:,.0f} | {median * 1000:.1f} | {p95 * 1000:.1f} |")


if __name__ == "__main__":
    main()
