"""The daemon parses in worker processes: a page that parses too long delays no other site, is
its own ``timeout`` error, and cannot hold SIGTERM past ``shutdown_grace``.

Real ``newsrack daemon`` processes, real signals, loopback sites. The slow pages
are nested ``<div>``s: Lexbor's parse time grows about quadratically with depth
(20,000 levels take seconds, 100,000 over a minute).
"""

from __future__ import annotations

import itertools
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from tests.support.commands import NEWSRACK
from tests.support.daemons import DaemonProcess, alive, cpu_seconds, descendants, runs, wait_for
from tests.support.httpserver import Page, TestServer
from tests.support.walaw_site import STORIES, site_routes

FETCH = "[fetch]\nallow_private_networks = true\ndelay = 0\nmax_attempts = 1\ntimeout = 30\n"


def nested(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + "<p>texte</p>" + "</div>" * depth + "</body></html>"


def slow_site(server: TestServer, depth: int, count: int) -> list[str]:
    """A generic site whose listing links ``count`` article pages nested ``depth`` deep."""
    paths = [f"/2025/05/slow-{n}" for n in range(count)]
    links = "".join(f'<a href="{path}">{path}</a>' for path in paths)
    server.routes["/"] = Page(f"<html><body>{links}</body></html>")
    for path in paths:
        server.routes[path] = Page(nested(depth))
    return [server.url(path) for path in paths]


def sites(fast_base: str, slow_base: str, slow_every: str = "1s") -> str:
    return (
        f'[sites.fast]\nparser = "walaw"\nstart_urls = ["{fast_base}/"]\nevery = "1s"\n'
        f'[sites.slow]\nparser = "generic"\nstart_urls = ["{slow_base}/"]\nevery = "{slow_every}"\n'
    )


def timeouts(db) -> list[tuple[str, str]]:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            sql = "SELECT url, error_kind FROM pages WHERE error_kind = 'timeout' ORDER BY id"
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []


@pytest.fixture
def start_daemon(tmp_path) -> Iterator[Callable[[str], DaemonProcess]]:
    if not NEWSRACK.exists():
        pytest.skip("newsrack is not installed beside the interpreter: pip install -e .")
    started: list[DaemonProcess] = []

    def start(config_text: str) -> DaemonProcess:
        config = tmp_path / "config.toml"
        config.write_text(config_text)
        daemon = DaemonProcess(config, tmp_path / "archive.db")
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        if daemon.proc.poll() is None:
            daemon.proc.kill()
            daemon.proc.wait()


def test_slow_pages_are_timeouts_and_the_other_site_keeps_its_schedule(
    start_daemon, tmp_path
) -> None:
    db = tmp_path / "archive.db"
    with TestServer() as fast, TestServer() as slow:
        for path, html in site_routes(STORIES[:3]).items():
            fast.routes[path] = Page(html)
        slow_urls = slow_site(slow, depth=20_000, count=2)
        daemon = start_daemon(
            FETCH
            + "parse_timeout = 1\nparse_workers = 3\n"
            + "[daemon]\nshutdown_grace = 1\n"
            + sites(fast.base, slow.base)
        )
        # the pool is up and the slow pages hold workers from here on
        wait_for(lambda: timeouts(db), 30, "a timed-out parse")
        since = time.monotonic()
        # two more passes of the slow site: each of its pages timed out again
        wait_for(lambda: len(timeouts(db)) >= 6, 30, "six timed-out parses")
        wait_for(lambda: len(runs(db, "fast")) >= 8, 15, "eight passes of the fast site")
        assert daemon.stop() == 0, daemon.stderr()

    # the fast site went on every second, however long the slow pages held their workers:
    # no pass started more than one interval late (a pass that overran skips one start)
    polls = [r.at for r in fast.requests if r.path == "/" and r.at >= since]
    gaps = [b - a for a, b in itertools.pairwise(polls)]
    assert len(polls) >= 4 and all(gap < 2.5 for gap in gaps), gaps
    fast_runs = runs(db, "fast")
    assert all(r[3] == "ok" and r[4] == 0 for r in fast_runs if r[2]), fast_runs
    starts = [datetime.fromisoformat(r[1]) for r in fast_runs]
    assert all((b - a).total_seconds() <= 3 for a, b in itertools.pairwise(starts[1:])), fast_runs
    # each slow page is a parse error of kind timeout, of that page, pass after pass
    assert {url for url, _ in timeouts(db)} == set(slow_urls)
    slow_runs = [r for r in runs(db, "slow") if r[3] != "interrupted"]
    assert slow_runs and all(r[3] == "ok" and r[4] == 2 for r in slow_runs), slow_runs
    log = daemon.stderr()
    assert "parse took longer than parse_timeout = 1s; skipped" in log
    assert "Traceback" not in log and " ERROR " not in log


def test_sigterm_exits_within_the_grace_while_a_worker_parses_a_deep_page(
    start_daemon, tmp_path
) -> None:
    db = tmp_path / "archive.db"
    with TestServer() as fast, TestServer() as slow:
        for path, html in site_routes(STORIES[:3]).items():
            fast.routes[path] = Page(html)
        (deep_url,) = slow_site(slow, depth=100_000, count=1)  # 1.1 MB; about 75 s to parse
        daemon = start_daemon(
            FETCH
            + "parse_timeout = 600\nparse_workers = 2\n"
            + "[daemon]\nshutdown_grace = 1\nrun_timeout = 900\n"
            + sites(fast.base, slow.base, slow_every="1h")
        )
        path = deep_url.removeprefix(slow.base)
        wait_for(lambda: any(r.path == path for r in slow.requests), 15, "the deep page's fetch")

        def busy_worker() -> bool:  # a worker has been parsing for a while
            return any(cpu_seconds(pid) > 0.5 for pid in descendants(daemon.proc.pid))

        wait_for(busy_worker, 20, "a worker to be busy parsing the deep page")
        below = descendants(daemon.proc.pid)
        before = len(runs(db, "fast"))
        wait_for(lambda: len(runs(db, "fast")) >= before + 2, 5, "the fast site meanwhile")

        daemon.proc.send_signal(signal.SIGTERM)
        began = time.monotonic()
        code = daemon.proc.wait(30)
        took = time.monotonic() - began

    assert code == 0, daemon.stderr()
    assert took < 1 + 2.5, took  # the grace, plus closing up
    # the workers (and the forkserver) were killed, not awaited
    wait_for(lambda: not any(alive(pid) for pid in below), 3, "the workers to be gone")
    slow_runs = runs(db, "slow")
    assert [r[3] for r in slow_runs] == ["interrupted"], slow_runs
    assert all(r[3] != "running" for r in runs(db))
    assert "Traceback" not in daemon.stderr() and " ERROR " not in daemon.stderr()


def test_sighup_changing_the_pool_replaces_it_and_the_sites_go_on(start_daemon, tmp_path) -> None:
    db = tmp_path / "archive.db"
    config = tmp_path / "config.toml"
    with TestServer() as fast, TestServer() as slow:
        for path, html in site_routes(STORIES[:3]).items():
            fast.routes[path] = Page(html)
        slow_site(slow, depth=20_000, count=1)
        text = FETCH + "parse_timeout = 1\nparse_workers = 2\n" + sites(fast.base, slow.base)
        daemon = start_daemon(text)
        wait_for(lambda: timeouts(db), 30, "a timed-out parse")

        config.write_text(text.replace("parse_workers = 2", "parse_workers = 1"))
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "parse pool replaced" in daemon.stderr(), 5, "the new pool")
        count = len(timeouts(db))
        before = len(runs(db, "fast"))
        wait_for(lambda: len(timeouts(db)) > count, 15, "a timeout with the new pool")
        wait_for(lambda: len(runs(db, "fast")) >= before + 3, 10, "the fast site to go on")
        assert daemon.stop() == 0, daemon.stderr()
    assert "parse pool replaced (1 workers, parse_timeout 1s)" in daemon.stderr()
    assert all(r[3] == "ok" for r in runs(db, "fast") if r[2]), runs(db, "fast")
    assert "Traceback" not in daemon.stderr()
