"""``newsrack backfill`` walks a walaw-like site's "Dernières nouvelles", page after page.

A loopback site serves five listing pages of ten teasers each (dated in the
site's timezone, newest first, each page linking to the next) and the fifty
articles, which print no date of their own: the installed command must archive
exactly those fifty, with the teasers' times converted to UTC. Killed with a
real SIGKILL midway and run again, it ends with the same fifty, no duplicate,
and a further run fetches no article again. Also: ``--until`` stops the walk,
a bad option is one line and exit 2.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.archive_helpers import query
from tests.support.commands import NEWSRACK, site_config
from tests.support.faults import slow
from tests.support.httpserver import Page, TestServer
from tests.support.walaw_listings import archive_stories, listing_routes

TZ = ZoneInfo("Africa/Casablanca")
DATED = archive_stories(50)


def _serve(server: TestServer, markup: str = "p", delay: float = 0.0) -> None:
    for path, html in listing_routes(DATED, markup).items():
        page = Page(html)
        server.routes[path] = slow(delay, page) if delay and "/articles/" in path else page


def _config(tmp_path: Path, server: TestServer) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))
    return config


def _article_requests(server: TestServer) -> list[str]:
    return [p for p in server.paths() if p.startswith("/articles/")]


def _expected_rows(server: TestServer) -> list[tuple[str, str, str, str]]:
    rows = []
    for dated in DATED:
        utc = dated.when.replace(tzinfo=TZ).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append((server.url(dated.story.path), dated.story.title, utc, "listing"))
    return sorted(rows)


@pytest.mark.parametrize("markup", ["p", "q"])
def test_backfill_archives_the_fifty_articles_of_five_pages_with_utc_times(
    server, tmp_path, newsrack, markup
) -> None:
    _serve(server, markup)
    db = tmp_path / "a.db"
    result = newsrack("--config", str(_config(tmp_path, server)), "--db", str(db),
                      "backfill", "walaw_test", "--pages", "5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "50 new articles" in result.stdout
    rows = query(db, "SELECT url, title, published_at, discovered_via FROM articles")
    assert sorted(rows) == _expected_rows(server)
    assert query(db, "SELECT count(*) FROM articles WHERE listed_at = published_at") == [(50,)]
    # each listing page read once, each article once; no ticker link taken for a teaser
    assert sorted(_article_requests(server)) == sorted(d.story.path for d in DATED)


def test_a_killed_backfill_resumes_and_ends_with_the_fifty_no_duplicates(
    server, tmp_path, newsrack
) -> None:
    _serve(server, delay=0.05)
    config = _config(tmp_path, server)
    db = tmp_path / "a.db"
    args = [str(NEWSRACK), "--config", str(config), "--db", str(db), "backfill", "walaw_test"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    process = subprocess.Popen([*args, "--pages", "5"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _count(db) < 15:
            assert process.poll() is None, "the backfill ended before it could be killed"
            assert time.monotonic() < deadline, "no progress within 60 s"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    killed_at = _count(db)
    assert 15 <= killed_at < 50
    position = query(db, "SELECT value FROM progress WHERE key LIKE 'backfill:walaw_test:%'")
    assert position and "dernières-nouvelles" in position[0][0]

    result = newsrack("--config", str(config), "--db", str(db), "backfill", "walaw_test",
                      "--pages", "5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(50, 50)]
    assert sorted(r[:3] for r in query(db, "SELECT url, title, published_at FROM articles")) == [
        r[:3] for r in _expected_rows(server)
    ]
    # the killed run is recorded as interrupted, not left running
    assert query(db, "SELECT status FROM runs ORDER BY id") == [("interrupted",), ("ok",)]
    fetched = _article_requests(server)
    # at most the articles in flight at the kill were asked for twice
    assert len(fetched) - 50 <= 4 and set(fetched) == {d.story.path for d in DATED}

    before = len(_article_requests(server))
    again = newsrack("--config", str(config), "--db", str(db), "backfill", "walaw_test")
    assert again.returncode == 0, again.stderr
    assert "0 new articles" in again.stdout
    assert len(_article_requests(server)) == before  # no article fetched again


def test_until_stops_at_the_first_page_older_than_the_day(server, tmp_path, newsrack) -> None:
    _serve(server)
    db = tmp_path / "a.db"
    # stories are three hours apart from 2025-05-20 18:00: 14 of them are on or after the 19th
    result = newsrack("--config", str(_config(tmp_path, server)), "--db", str(db),
                      "backfill", "walaw_test", "--until", "2025-05-19")  # fmt: skip
    assert result.returncode == 0, result.stderr
    on_or_after = [d for d in DATED if d.when.date().isoformat() >= "2025-05-19"]
    assert query(db, "SELECT count(*) FROM articles") == [(len(on_or_after),)]
    listing_pages = [p for p in server.paths() if "nouvelles" in p]
    assert len(listing_pages) == 3  # page 3 holds only older teasers: the walk stops there


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backfill", "nosuch"], "no site named 'nosuch'"),
        (["backfill", "walaw_test", "--pages", "0"], "--pages"),
        (["backfill", "walaw_test", "--until", "2025-02-30"], "--until"),
        (["backfill", "walaw_test", "--listing", "ftp://x/"], "--listing"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(server, tmp_path, newsrack, args, message) -> None:
    result = newsrack("--config", str(_config(tmp_path, server)), "--db",
                      str(tmp_path / "a.db"), *args)  # fmt: skip
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0
