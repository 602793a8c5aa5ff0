"""A failure is the page's: hostile pages beside a healthy site in one ``newsrack crawl``.

Pages whose parse raises (JSON-LD nested 100,000 deep, JSON of the wrong
types, dates past year 9999 in UTC) or whose text SQLite cannot hold (lone
surrogates) are each archived or recorded as that page's parse error with one
log line; the hostile site's pass and the healthy site's pass both end ``ok``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

import parsers
from parsers.base import Article, SiteParser
from scraper.archive import Archive
from scraper.ingest import PageJob, SiteTarget, job_for, run_parser, store_article
from scraper.kinds import ErrorKind
from tests.support.archive_helpers import page
from tests.support.commands import site_config
from tests.support.httpserver import Page, TestServer
from tests.support.walaw_site import STORIES, site_routes

PARAGRAPHS = "".join(
    f"<p>Paragraphe {i} d'un article ordinaire, assez long pour compter comme du texte.</p>"
    for i in range(6)
)


def article(head: str, title: str = "Un titre d'article ordinaire pour ce test") -> str:
    return (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>{head}</head>"
        f"<body><article><h1>{title}</h1>{PARAGRAPHS}</article></body></html>"
    )


def ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


HOSTILE = {
    "/2025/05/deep": article(ld("[" * 100_000 + "]" * 100_000)),
    "/2025/05/wrong-types": article(
        ld(
            '{"@context": "https://schema.org", "@type": "NewsArticle", "@id": ["a", {"b": 1}], '
            '"headline": {"x": 1}, "author": {"@id": {"x": 1}}, "datePublished": ["2025"]}'
        )
    ),
    "/2025/05/far-dates": article(
        '<meta property="article:published_time" content="9999-12-31T23:59:59-05:00">'
        + ld('{"@type": "NewsArticle", "dateModified": "0001-01-01T00:00:00+05:00"}')
    ),
    "/2025/05/surrogates": article(
        ld('{"@type": "NewsArticle", "headline": "Titre \\ud800 brisé", "author": "A \\udfff"}')
    ),
}
FINE = "/2025/05/fine"
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def two_sites(server, tmp_path):
    for path, html in site_routes(STORIES[:3]).items():
        server.routes[path] = Page(html)
    with TestServer() as hostile:
        links = "".join(f'<a href="{path}">{path}</a>' for path in (*HOSTILE, FINE))
        hostile.routes["/"] = Page(f"<html><body>{links}</body></html>")
        for path, html in HOSTILE.items():
            hostile.routes[path] = Page(html)
        hostile.routes[FINE] = Page(article(""))
        config = tmp_path / "config.toml"
        config.write_text(
            "[fetch]\nallow_private_networks = true\ndelay = 0\nmax_attempts = 1\ntimeout = 5\n"
            f'[sites.healthy]\nparser = "walaw"\nstart_urls = ["{server.base}/"]\n'
            f'timezone = "Africa/Casablanca"\n'
            f'[sites.hostile]\nparser = "generic"\nstart_urls = ["{hostile.base}/"]\n'
        )
        yield server, hostile, config, tmp_path / "archive.db"


def test_hostile_pages_fail_alone_and_the_healthy_site_archives_everything(
    two_sites, newsrack
) -> None:
    server, hostile, config, db = two_sites
    result = newsrack("--config", str(config), "--db", str(db), "--log-format", "json", "crawl")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    logged = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    summaries = sorted(result.stdout.splitlines())
    assert summaries[0].startswith("healthy: ok, 4 pages, 3 new articles")
    assert summaries[1].startswith("hostile: ok, 6 pages")

    with sqlite3.connect(db) as conn:
        healthy = conn.execute("SELECT url FROM articles WHERE site = 'healthy'").fetchall()
        archived = {u for (u,) in conn.execute("SELECT url FROM articles WHERE site = 'hostile'")}
        failed = dict(
            conn.execute(
                "SELECT url, error_kind || ' ' || error FROM pages "
                "WHERE site = 'hostile' AND error_kind IS NOT NULL"
            ).fetchall()
        )
        runs = conn.execute("SELECT site, status, errors FROM runs ORDER BY site").fetchall()
    assert sorted(u for (u,) in healthy) == sorted(server.url(s.path) for s in STORIES[:3])
    assert hostile.url(FINE) in archived
    for path in HOSTILE:  # each page archived, or recorded as its own parse error: never both
        url = hostile.url(path)
        assert (url in archived) != (url in failed), path
        if url in failed:
            assert failed[url].startswith(f"parse {url}: ")
    # the raising parses of today's parsers are among the failures; one JSON line for each
    errors = [r for r in logged if r.get("error_kind") == "parse"]
    assert sorted(r["url"] for r in errors) == sorted(failed)
    assert all(r["level"] == "warning" and r["site"] == "hostile" for r in errors)
    assert runs == [("healthy", "ok", 0), ("hostile", "ok", len(failed))]


def test_text_sqlite_cannot_hold_is_replaced_not_fatal(two_sites, newsrack) -> None:
    _, hostile, config, db = two_sites
    url = hostile.url("/2025/05/surrogates")
    result = newsrack("--config", str(config), "--db", str(db), "fetch", url, "--save")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        (title,) = conn.execute("SELECT title FROM articles").fetchone()
    assert "\ud800" not in title


class Exploding(SiteParser):
    """A parser with a bug: it raises what no page should make a parser raise."""

    name = "test_exploding"

    def parse_article(self, html, url, fetched_at=None) -> Article:
        raise RecursionError("maximum recursion depth exceeded")


def test_any_exception_of_a_parser_is_recorded_as_the_page_s_parse_error(tmp_path) -> None:
    if Exploding.name not in parsers.names():
        parsers.register(Exploding)
    url = "http://example.test/2025/05/a"
    fetched = page(url, "<html><body><p>x</p></body></html>")
    parsed = run_parser(job_for(fetched, Exploding.name, "article"))
    with Archive(tmp_path / "a.db") as archive:
        stored = store_article(archive, SiteTarget("s", Exploding.name), fetched, parsed, url=url)
    assert stored.saved is None and stored.failure is not None
    assert stored.failure.kind == ErrorKind.PARSE
    assert stored.failure.message == (
        f"{url}: parser test_exploding failed on this page: "
        "RecursionError: maximum recursion depth exceeded"
    )
    with sqlite3.connect(tmp_path / "a.db") as conn:
        rows = conn.execute("SELECT url, status, error_kind, error FROM pages").fetchall()
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert rows == [(url, "ok", "parse", stored.failure.message)]
    assert articles == 0


def test_a_parse_error_is_returned_as_the_page_s_failure_naming_its_url() -> None:
    job = PageJob("generic", "article", b"<html></html>", "http://x.test/", datetime.now(UTC))
    failure = run_parser(job)  # an empty page: a ParseError, returned, not raised
    assert not isinstance(failure, Article)
    assert failure.kind == ErrorKind.PARSE and failure.message.startswith("http://x.test/: ")


@pytest.mark.parametrize(
    ("fixture", "fetched", "version"),
    [("v1_2024", datetime(2024, 6, 1, tzinfo=UTC), "1"), ("v1_1_2026", datetime.now(UTC), "1.1")],
)
def test_the_parser_version_is_the_one_valid_on_the_fetch_date(fixture, fetched, version) -> None:
    html = (FIXTURES / "euronews" / f"{fixture}.html").read_bytes()
    url = "https://www.euronews.com/2024/06/01/a-story"
    parsed = run_parser(PageJob("euronews", "article", html, url, fetched))
    assert isinstance(parsed, Article)
    assert parsed.parser_version == version


def test_a_ticker_item_with_a_time_past_9999_keeps_its_title_and_link(
    server, tmp_path, newsrack
) -> None:
    stamps = [("9999-12-31T23:59:59-05:00", "11:07"), ("2025-05-09T11:00:00", "11:00")]
    items = "".join(
        f'<li><time datetime="{stamp}">{shown}</time> '
        f'<a href="/articles/un_titre_du_fil_numero_{i}/ABCDEFGHIJK{i}">'
        f"Un titre du fil {i}</a></li>"
        for i, (stamp, shown) in enumerate(stamps)
    )
    server.routes["/"] = Page(f'<html><body><div class="latest-news"><ul>{items}</ul></div>')
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))  # walaw, Africa/Casablanca
    db = tmp_path / "a.db"
    result = newsrack("--config", str(config), "--db", str(db), "crawl")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT title, shown_time, published_at FROM ticker_items ORDER BY id"
        ).fetchall()
    assert [(t, s) for t, s, _ in rows] == [
        ("Un titre du fil 0", "11:07"),
        ("Un titre du fil 1", "11:00"),
    ]
    assert rows[0][2].endswith(":07:00Z")  # from the time shown, not the impossible stamp
    assert rows[1][2] == "2025-05-09T10:00:00Z"  # a naive stamp is Casablanca's time
