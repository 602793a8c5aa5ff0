"""``newsrack fetch URL`` on a faulty server: exit 1, one stderr line naming the URL and failure."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from tests.support import faults
from tests.support.faults import ARTICLE, Sent
from tests.support.httpserver import Page

CONFIG = (
    "[fetch]\nallow_private_networks = true\ndelay = 0\nmax_attempts = 1\ntimeout = 0.3\n"
    "max_bytes = 100000\n"
)


@pytest.fixture
def faulty(server, tmp_path):
    server.routes["/robots.txt"] = Page("User-agent: *\nDisallow: /private\n", 200, {})
    server.routes["/stall"] = faults.stall(2.0)
    server.routes["/huge"] = faults.endless(Sent())
    server.routes["/private/a"] = Page(ARTICLE)
    server.routes["/challenge"] = faults.CLOUDFLARE_CHALLENGE
    server.routes["/gone"] = Page("gone", 410, {"Content-Type": "text/plain"})
    server.routes["/doc.pdf"] = Page(b"%PDF-1.7", 200, {"Content-Type": "application/pdf"})
    server.routes["/loop"] = faults.redirect("/loop")
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    return server, config


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/stall", "timed out waiting for data (read timeout) after 0.3s"),
        ("/huge", "too large: body exceeds max_bytes = 100000 (decompressed)"),
        ("/private/a", "disallowed by robots.txt; not fetched"),
        ("/challenge", "blocked: Cloudflare challenge (cf-mitigated: challenge)"),
        ("/gone", "HTTP 410 Gone"),
        ("/doc.pdf", "not HTML (application/pdf); skipped"),
        ("/loop", "redirect loop"),
    ],
)
def test_fetch_failure_is_one_line_naming_url_and_failure(faulty, path, message) -> None:
    server, config = faulty
    url = server.url(path)
    result = CliRunner().invoke(cli, ["--config", str(config), "fetch", url])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"newsrack: error: {url}: ")
    assert message in lines[0]


def test_fetch_save_records_a_failure_too(faulty, newsrack, tmp_path) -> None:
    server, config = faulty
    db = tmp_path / "a.db"
    result = newsrack(
        "--config", str(config), "--db", str(db), "fetch", server.url("/gone"), "--save"
    )
    assert result.returncode == 1
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT url, status, http_status, error_kind FROM pages").fetchall()
    assert row == [(server.url("/gone"), "error", 410, "http_status")]
