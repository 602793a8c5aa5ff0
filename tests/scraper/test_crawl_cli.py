"""``newsrack crawl`` as the cron entry point: --quiet, a progress bar on a terminal, the lock."""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
from datetime import UTC, datetime

import pytest

from scraper.archive import Archive
from tests.support.commands import NEWSRACK, site_config
from tests.support.httpserver import Page
from tests.support.walaw_site import STORIES, site_routes


@pytest.fixture
def site(server, tmp_path):
    for path, html in site_routes(STORIES[:3]).items():
        server.routes[path] = Page(html)
    server.routes[STORIES[1].path] = Page("gone", 404, {"Content-Type": "text/plain"})
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))
    return ("--config", str(config), "--db", str(tmp_path / "archive.db"))


def test_quiet_is_silent_when_nothing_failed_even_with_page_errors(site, newsrack) -> None:
    result = newsrack(*site, "crawl", "--quiet")
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")
    loud = newsrack(*site, "crawl")
    assert loud.stdout.startswith("walaw_test: ok")
    assert "HTTP 404" in loud.stderr


def test_quiet_prints_a_failed_site_on_stderr(tmp_path, newsrack) -> None:
    config = tmp_path / "config.toml"
    config.write_text(site_config("http://127.0.0.1:9", extra="", fetch_extra=""))
    result = newsrack("--config", str(config), "--db", str(tmp_path / "a.db"), "crawl", "-q")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("walaw_test:")] == [
        "walaw_test: failed, 1 pages, 0 new articles, 0 new ticker items, 1 errors"
    ]
    # what went wrong, once
    errors = [line for line in lines if "cannot connect" in line]
    assert len(errors) == 1 and errors[0].startswith("  http://127.0.0.1:9/: cannot connect")


def test_a_terminal_gets_a_progress_bar_and_the_summary(site) -> None:
    if not NEWSRACK.exists():
        pytest.skip("newsrack is not installed beside the interpreter")
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    env.update(TERM="xterm", COLUMNS="120")
    proc = subprocess.Popen(
        [str(NEWSRACK), *site, "crawl"], stdout=secondary, stderr=secondary, env=env
    )
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(primary)
    assert proc.wait(30) == 0
    text = output.decode("utf-8", "replace")
    assert "walaw_test: ok, 4 pages, 2 new articles, 3 new ticker items, 1 errors" in text
    assert "\x1b[?25l" in text  # the live bar hides the cursor while it draws


def test_runs_left_running_by_a_dead_process_are_closed_as_interrupted(site, newsrack) -> None:
    db = site[-1]
    with Archive(db) as archive:
        stale = archive.start_run("walaw_test", datetime.now(UTC), pid=999_999)
    result = newsrack(*site, "crawl", "--quiet")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, status FROM runs ORDER BY id").fetchall()
    assert rows == [(stale, "interrupted"), (stale + 1, "ok")]


def test_each_error_is_one_log_line_naming_site_and_url(tmp_path, newsrack) -> None:
    config = tmp_path / "config.toml"
    config.write_text(site_config("http://127.0.0.1:9", extra="", fetch_extra=""))
    result = newsrack("--config", str(config), "--db", str(tmp_path / "a.db"), "crawl")
    assert result.returncode == 1
    assert result.stdout.startswith("walaw_test: failed, 1 pages")
    errors = [line for line in result.stderr.splitlines() if "cannot connect" in line]
    assert len(errors) == 1
    assert " WARNING walaw_test: http://127.0.0.1:9/: cannot connect" in errors[0]
