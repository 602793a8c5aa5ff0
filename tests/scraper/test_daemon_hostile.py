"""A daemon with a hostile site and a healthy one, for a minute: the healthy site never notices.

The hostile site serves every page that once crashed or froze a parser or the
fetcher (``tests.support.hostile_pages``: deep, mistyped, out-of-range and
surrogate JSON-LD; plus charsets the HTML standard overrides, a NUL byte, a
line built to make a byline regex backtrack, a megabyte paragraph, deep nesting
and a robots.txt asking a day between requests). The property: the healthy
site archives all its articles on schedule, every hostile run ends ``ok`` or
``failed`` with its errors recorded (one at SIGTERM may be ``interrupted``),
nothing logs a traceback, and SIGTERM exits 0.
"""

from __future__ import annotations

import itertools
import sqlite3
import time
from datetime import datetime

import pytest

from tests.support.daemons import DaemonProcess, runs
from tests.support.hostile_pages import HOSTILE_PAGES
from tests.support.httpserver import Page, TestServer
from tests.support.walaw_site import STORIES, serve

pytestmark = pytest.mark.slow

SECONDS = 60
HEALTHY_EVERY = 2.0
PARAGRAPH = "<p>Un paragraphe ordinaire d'article, assez long pour compter comme du texte.</p>"


def plain(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article><h1>Titre</h1>{body}</article></body></html>"


def hostile_routes() -> dict[str, Page]:
    """Every hostile page under an article-shaped path, and a front page linking them all."""
    pages = dict(HOSTILE_PAGES)
    pages["meta-utf-16"] = plain(PARAGRAPH * 4, '<meta charset="utf-16">')
    pages["meta-utf-7"] = plain("+ADw-script+AD4-alert(1)+ADw-/script+AD4-" + PARAGRAPH * 4)
    pages["byline-backtracking"] = plain("<p>By " + "A" * 40 + "!</p>" + PARAGRAPH * 4)
    pages["separators"] = plain("<p>" + "- " * 50_000 + "</p>" + PARAGRAPH * 4)
    pages["megabyte-paragraph"] = plain("<p>" + "mot " * 250_000 + "</p>")
    pages["nested-10000"] = plain("<div>" * 10_000 + PARAGRAPH + "</div>" * 10_000)
    routes = {
        f"/2025/05/{name}-{i:06d}": Page(html) for i, (name, html) in enumerate(pages.items())
    }
    routes["/2025/05/one-nul-000999"] = Page(plain(PARAGRAPH * 4).replace("<h1>", "\x00<h1>"))
    links = "".join(f'<a href="{path}">{path}</a>' for path in routes)
    routes["/"] = Page(f"<html><body>{links}</body></html>")
    routes["/robots.txt"] = Page(
        "User-agent: *\nCrawl-delay: 86400\n", headers={"Content-Type": "text/plain"}
    )
    return routes


def test_a_hostile_site_never_stops_the_healthy_one(server, tmp_path) -> None:
    serve(server, STORIES[:3])
    with TestServer() as hostile:
        hostile.routes.update(hostile_routes())
        config = tmp_path / "config.toml"
        config.write_text(
            "[fetch]\nallow_private_networks = true\ndelay = 0\nmax_attempts = 1\ntimeout = 10\n"
            "max_crawl_delay = 0.05\nparse_timeout = 5\n"
            "[daemon]\nshutdown_grace = 10\n"
            f'[sites.healthy]\nparser = "walaw"\nstart_urls = ["{server.base}/"]\n'
            f'timezone = "Africa/Casablanca"\nevery = "{HEALTHY_EVERY:g}s"\n'
            f'[sites.hostile]\nparser = "generic"\nstart_urls = ["{hostile.base}/"]\n'
            'every = "3s"\nrevisit = ["0s"]\n'
        )
        db = tmp_path / "archive.db"
        daemon = DaemonProcess(config, db, "--log-level", "info")
        time.sleep(SECONDS)
        stopped_at = datetime.now().astimezone()
        assert daemon.stop(timeout=30) == 0, daemon.stderr()[-3000:]

    log = daemon.stderr()
    assert "Traceback" not in log, log[-3000:]
    assert " ERROR " not in log, [line for line in log.splitlines() if " ERROR " in line][:5]

    with sqlite3.connect(db) as conn:
        healthy_urls = {u for (u,) in conn.execute("SELECT url FROM articles WHERE site='healthy'")}
        failures = conn.execute(
            "SELECT url, error_kind, error FROM pages WHERE site = 'hostile' "
            "AND error_kind IS NOT NULL"
        ).fetchall()
        hostile_archived = conn.execute(
            "SELECT count(*) FROM articles WHERE site = 'hostile'"
        ).fetchone()[0]
    assert healthy_urls == {server.url(story.path) for story in STORIES[:3]}

    # on schedule: passes of the healthy site start every 2 s, none a whole interval late
    starts = [datetime.fromisoformat(r[1].replace("Z", "+00:00")) for r in runs(db, "healthy")]
    assert len(starts) >= SECONDS / HEALTHY_EVERY * 0.75, len(starts)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    assert max(gaps) < 2 * HEALTHY_EVERY, gaps
    assert all(r[3] == "ok" for r in runs(db, "healthy")[:-1])

    # every hostile run ended ok or failed, its errors counted; the one cut by SIGTERM aside
    hostile_runs = runs(db, "hostile")
    assert len(hostile_runs) >= 3
    for run in hostile_runs:
        finished = datetime.fromisoformat(run[2].replace("Z", "+00:00")) if run[2] else None
        cut = run[3] == "interrupted" and (finished is None or finished >= stopped_at)
        assert run[3] in ("ok", "failed") or cut, run
    assert hostile_archived + len({url for url, _, _ in failures}) >= 10
    for url, kind, error in failures:  # one recorded line each, naming its page
        assert kind and error and "\n" not in error and url in error, (url, kind, error)
