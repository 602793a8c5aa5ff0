"""Backfill throughput on loopback: ``newsrack backfill`` over a walaw-like paginated archive.

A site of ``--pages`` "Dernières nouvelles" pages of ten teasers each (markup P
of ``tests/support/walaw_listings.py``) and their articles is served by the
tests' threaded HTTP server on 127.0.0.1; the installed ``newsrack backfill``
runs as a subprocess, as a user runs it ([fetch] delay = 0, private networks
allowed), twice: the first run archives every article, the second walks the
same pages and fetches no article. Prints listing pages/s and articles/s of
each run (wall time of the command, startup included).

    .venv/bin/python bench/backfill.py --pages 50
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.commands import NEWSRACK, site_config
from tests.support.httpserver import Page, TestServer
from tests.support.walaw_listings import archive_stories, listing_routes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50, help="listing pages (ten articles each)")
    args = parser.parse_args()
    dated = archive_stories(args.pages * 10, newest=datetime(2025, 5, 20, 18, 0))
    with TestServer() as server, tempfile.TemporaryDirectory() as work:
        for path, html in listing_routes(dated, "p").items():
            server.routes[path] = Page(html)
        config = Path(work) / "config.toml"
        config.write_text(site_config(server.base))
        db = Path(work) / "a.db"
        print(f"backfill: {args.pages} listing pages, {len(dated)} articles, loopback")
        print(f"{'run':<8}{'seconds':>9}{'pages/s':>9}{'articles':>10}{'articles/s':>12}")
        for run in ("first", "second"):
            before = _count(db)
            started = time.perf_counter()
            result = subprocess.run(
                [str(NEWSRACK), "--config", str(config), "--db", str(db), "--log-level",
                 "error", "backfill", "walaw_test"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            seconds = time.perf_counter() - started
            if result.returncode != 0:
                sys.exit(f"backfill failed: {result.stderr.strip()}")
            new = _count(db) - before
            print(
                f"{run:<8}{seconds:>9.2f}{args.pages / seconds:>9.1f}{new:>10}"
                f"{new / seconds:>12.1f}"
            )


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


if __name__ == "__main__":
    main()
