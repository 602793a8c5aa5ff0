"""``newsrack fetch URL`` on a faulty server: exit 1, one stderr line naming the URL and failure."""

from __future__ import annotations

import json
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


# --- which site a fetched page belongs to ---------------------------------------------------

ARTICLE_PATH = "/articles/un_article_de_test_du_second_site/ABCDEFGHIJKL"


def generic_article(title: str) -> str:
    paragraphs = "".join(
        f"<p>Paragraphe {i} d'un article du second site, assez long pour compter.</p>"
        for i in range(5)
    )
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}"


@pytest.fixture
def two_sites_one_host(server, tmp_path):
    """Sites on 127.0.0.1: one per port, and on the second port one more under ``/en/``."""
    from tests.support.httpserver import TestServer

    with TestServer() as second:
        server.routes[ARTICLE_PATH] = Page(generic_article("Sur le premier site"))
        second.routes[ARTICLE_PATH] = Page(generic_article("Sur le second site"))
        second.routes["/en" + ARTICLE_PATH] = Page(generic_article("On the English edition"))
        config = tmp_path / "config.toml"
        config.write_text(
            CONFIG
            + f'[sites.first]\nparser = "walaw"\nstart_urls = ["{server.base}/"]\n'
            + f'[sites.second]\nparser = "generic"\nstart_urls = ["{second.base}/"]\n'
            + f'[sites.second_en]\nparser = "generic"\nstart_urls = ["{second.base}/en/"]\n'
        )
        yield server, second, config, tmp_path / "a.db"


def stored(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT site, parser, title FROM articles ORDER BY id").fetchall()


def test_fetch_files_a_page_under_the_site_of_its_port_and_path(two_sites_one_host, newsrack):
    first, second, config, db = two_sites_one_host
    base = ("--config", str(config), "--db", str(db))
    for url in (
        first.url(ARTICLE_PATH),
        second.url(ARTICLE_PATH),
        second.url("/en" + ARTICLE_PATH),
    ):
        result = newsrack(*base, "fetch", url, "--save")
        assert result.returncode in (0, 1), result.stderr
    rows = stored(db)
    # the first site's walaw parser never reads the second site's pages, nor files them
    assert ("second", "generic", "Sur le second site") in rows
    assert ("second_en", "generic", "On the English edition") in rows  # longest path prefix
    assert all(site == "first" for site, parser, _ in rows if parser == "walaw")
    with sqlite3.connect(db) as conn:
        revisions = conn.execute("SELECT max(revisions) FROM articles").fetchone()[0]
    assert revisions == 1  # no false second revision of another site's article


def test_site_and_parser_options_say_where_a_page_goes(two_sites_one_host, newsrack) -> None:
    first, second, config, db = two_sites_one_host
    base = ("--config", str(config), "--db", str(db))
    url = second.url(ARTICLE_PATH)
    named = newsrack(*base, "fetch", url, "--save", "--site", "second_en")
    assert named.returncode == 0, named.stderr
    assert stored(db) == [("second_en", "generic", "Sur le second site")]
    unknown = newsrack(*base, "fetch", url, "--site", "nosuch")
    assert unknown.returncode == 2
    assert "no site named 'nosuch'; known sites: first, second, second_en" in unknown.stderr
    overridden = newsrack(*base, "fetch", first.url(ARTICLE_PATH), "--parser", "generic", "--json")
    assert overridden.returncode == 0, overridden.stderr
    assert json.loads(overridden.stdout)["parser"] == "generic"  # not the first site's walaw


def test_a_url_of_no_configured_site_is_read_by_the_registry_s_choice(server, tmp_path, newsrack):
    server.routes[ARTICLE_PATH] = Page(generic_article("Un site inconnu"))
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "a.db"
    result = newsrack("--config", str(config), "--db", str(db), "fetch", server.url(ARTICLE_PATH))
    assert result.returncode == 0, result.stderr
    saved = newsrack(
        "--config", str(config), "--db", str(db), "fetch", server.url(ARTICLE_PATH), "--save"
    )
    assert saved.returncode == 0, saved.stderr
    assert stored(db) == [("127.0.0.1", "generic", "Un site inconnu")]


def test_fetch_help_says_how_the_site_is_chosen(newsrack) -> None:
    shown = " ".join(newsrack("fetch", "--help").stdout.split())
    assert "scheme, host and port and the longest path prefix" in shown
    assert "--site NAME" in shown and "--parser NAME" in shown


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://[::1", "not a valid URL (Invalid IPv6 URL)"),
        ("http://xn--n3h.localhost/", "not a valid international domain name"),
        ("http://127.0.0.1:99999/", "not a valid URL (Port out of range"),
        ("ftp://example.org/", "not an http or https URL"),
    ],
)
def test_a_bad_url_is_one_line_and_exit_2(newsrack, tmp_path, url, said) -> None:
    result = newsrack("--db", str(tmp_path / "a.db"), "fetch", url)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"newsrack: error: {url}: ")
    assert said in result.stderr and "please report" not in result.stderr
