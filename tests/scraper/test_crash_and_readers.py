"""A crawl killed with SIGKILL at random moments loses nothing; readers never see "locked".

Both run the installed ``newsrack`` against a loopback site of a few hundred
articles in markup A, as cron would, and inspect the archive with plain sqlite3.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.support.commands import NEWSRACK, site_config
from tests.support.httpserver import Page
from tests.support.walaw_site import Story, article_a, home_a

ARTICLES = 300
READER_ARTICLES = 100


def many_stories(count: int) -> tuple[Story, ...]:
    return tuple(
        Story(
            f"{(600 - i) // 60 % 24:02d}:{(600 - i) % 60:02d}",
            f"depeche_numero_{i}",
            f"K{i:07d}",
            f"Dépêche numéro {i} sur le tramway de Rabat",
            f"Le chapeau de la dépêche {i}, qui résume l’essentiel.",
            (f"Premier paragraphe de la dépêche {i}.", f"Second paragraphe, où Aïn Sebaâ {i}."),
        )
        for i in range(count)
    )


@pytest.fixture
def big_site(server, tmp_path, request):
    stories = many_stories(getattr(request, "param", ARTICLES))
    server.routes["/"] = Page(home_a(stories))
    for story in stories:
        server.routes[story.path] = Page(article_a(story, stories[:5]))
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base, extra="max_articles = 1000"))
    if not NEWSRACK.exists():
        pytest.skip(f"newsrack is not installed beside {NEWSRACK.parent}")
    return config, tmp_path / "archive.db"


def start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    return subprocess.Popen(
        [str(NEWSRACK), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def count(db: Path, table: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_at_random_moments_then_a_full_run_leaves_every_row_exactly_once(
    big_site,
) -> None:
    config, db = big_site
    args = ("--config", str(config), "--db", str(db), "crawl")
    rng = random.Random(os.environ.get("NEWSRACK_KILL_SEED", "5"))
    killed_mid_crawl = 0
    for _ in range(5):
        before = count(db, "articles")
        target = min(ARTICLES - 1, before + rng.randint(5, 60))
        proc = start(*args)
        deadline = time.monotonic() + 20
        while proc.poll() is None and count(db, "articles") < target:
            assert time.monotonic() < deadline, "the crawl made no progress"
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.03))  # land anywhere in a page's writes
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        killed_mid_crawl += proc.returncode == -9 and count(db, "articles") < ARTICLES
    assert killed_mid_crawl >= 3  # the kills did land while articles were being written

    final = subprocess.run([str(NEWSRACK), *args], capture_output=True, text=True, timeout=60)
    assert final.returncode == 0, final.stderr
    assert final.stdout.startswith("walaw_test: ok,")

    conn = sqlite3.connect(db)
    one = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    assert one("PRAGMA integrity_check") == [("ok",)]
    assert one("PRAGMA foreign_key_check") == []
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    assert one("SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [
        (ARTICLES, ARTICLES)
    ]
    assert one("SELECT count(*), count(DISTINCT item_key) FROM ticker_items") == [
        (ARTICLES, ARTICLES)
    ]
    assert one("SELECT count(*), count(DISTINCT article_id) FROM article_revisions") == [
        (ARTICLES, ARTICLES)
    ]
    assert one("SELECT min(revisions), max(revisions) FROM articles") == [(1, 1)]
    # every article has its page and raw body
    assert one(
        "SELECT count(*) FROM article_revisions r JOIN pages p ON p.id = r.page_id "
        "JOIN bodies b ON b.hash = p.body_hash"
    ) == [(ARTICLES,)]
    assert one("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ain sebaa'") == [
        (ARTICLES,)
    ]
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("big_site", [READER_ARTICLES], indirect=True)
def test_searches_in_another_process_never_see_a_locked_database(big_site) -> None:
    config, db = big_site
    config.write_text(config.read_text() + 'revisit = ["0s"]\n')  # every pass rewrites
    args = ("--config", str(config), "--db", str(db), "crawl")
    first = subprocess.run([str(NEWSRACK), *args], capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    stop = threading.Event()
    passes: list[subprocess.CompletedProcess[str]] = []

    def writer() -> None:
        while not stop.is_set():
            passes.append(
                subprocess.run([str(NEWSRACK), *args], capture_output=True, text=True, timeout=60)
            )

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        searches = []
        while len(searches) < 8:
            done = subprocess.run(
                [str(NEWSRACK), "--db", str(db), "search", "tramway", "--json", "--limit", "3"],
                capture_output=True,
                text=True,
                timeout=60,
            )
            searches.append(done)
            assert "locked" not in done.stderr, done.stderr
            assert done.returncode == 0, done.stderr
            assert len(json.loads(done.stdout)) == 3
    finally:
        stop.set()
        thread.join()
    assert passes and all(p.returncode == 0 for p in passes), [p.stderr for p in passes]
    assert count(db, "pages") > 2 * READER_ARTICLES  # the writer really was writing meanwhile
