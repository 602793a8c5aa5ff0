"""A pass reads the site's feed and news sitemap; ``backfill`` reads every sitemap of its index.

The loopback site (``tests/support/news_site.py``) links 5 articles on its front
page, 30 in its RSS feed, 40 in its Google News sitemap and 60 in a monthly
gzip sitemap reached through the sitemap index named in robots.txt, with
overlaps. The installed ``crawl`` must archive exactly the front, feed and news
articles (0-49), ``backfill`` exactly the rest (50-99), each article's
``published_at`` being the page's own time or, where it prints none, the
listing's; a second ``crawl`` sends conditional requests for every listing,
gets 304s and adds nothing.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.support.archive_helpers import query
from tests.support.commands import site_config
from tests.support.httpserver import Page, TestServer
from tests.support.news_site import ALL, FEED, FRONT, NEWS, serve_news_site

LISTINGS = ("/", "/feed.xml", "/sitemap_index.xml", "/news-sitemap.xml")


def _run(newsrack, config: Path, db: Path, *args: str):
    result = newsrack("--config", str(config), "--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    return result


def _utc(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_crawl_reads_feed_and_news_sitemap_backfill_the_rest_then_304s(
    server: TestServer, tmp_path: Path, newsrack
) -> None:
    site = serve_news_site(server)
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base, name="news", parser="generic"))
    db = tmp_path / "a.db"

    first = _run(newsrack, config, db, "crawl")
    assert "50 new articles" in first.stdout and "0 errors" in first.stdout
    crawled = set(FRONT) | set(FEED) | set(NEWS)
    urls = {u for (u,) in query(db, "SELECT url FROM articles")}
    assert urls == {site.url(i) for i in crawled}
    assert "/sitemaps/2025-03.xml.gz" not in server.paths()  # two months old: not a pass's

    via = dict(query(db, "SELECT url, discovered_via FROM articles"))
    assert {via[site.url(i)] for i in FRONT} == {"start"}
    assert {via[site.url(i)] for i in set(FEED) - set(FRONT)} == {"feed"}
    assert {via[site.url(i)] for i in set(NEWS) - set(FEED)} == {"sitemap"}

    second = _run(newsrack, config, db, "backfill", "news")
    assert "50 new articles" in second.stdout
    assert {u for (u,) in query(db, "SELECT url FROM articles")} == {site.url(i) for i in ALL}
    assert query(db, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(100, 100)]
    # every article asked for once, whichever lists named it
    article_requests = [p for p in server.paths() if p.startswith("/2025/")]
    assert sorted(article_requests) == sorted(site.path(i) for i in ALL)

    # the page's own time where it prints one, else the feed's or sitemap's
    rows = query(db, "SELECT url, published_at, listed_at, listed_title FROM articles")
    for url, published, listed, title in rows:
        i = int(url.rsplit("-", 1)[1])
        assert published == _utc(site.published(i)), url
        if i not in FRONT:
            assert listed == _utc(site.published(i)), url
        if i in set(FEED) - set(FRONT) or i in set(NEWS) - set(FEED):
            assert title == site.title(i), url

    seen = len(server.requests)
    third = _run(newsrack, config, db, "crawl")
    assert "0 new articles" in third.stdout and "0 errors" in third.stdout
    later = server.requests[seen:]
    for path in LISTINGS:
        asked = [r for r in later if r.path == path]
        assert asked and all("If-None-Match" in r.headers for r in asked), path
    assert not [r for r in later if r.path.startswith("/2025/")]  # nothing fetched again
    assert query(db, "SELECT count(*) FROM articles") == [(100,)]
    statuses = query(
        db,
        "SELECT DISTINCT url, status FROM pages WHERE kind IN ('feed', 'sitemap', 'listing') "
        "AND run_id = (SELECT max(id) FROM runs)",
    )
    assert {status for _, status in statuses} == {"not_modified"}


def test_a_broken_feed_or_sitemap_is_that_documents_error_and_the_pass_goes_on(
    server: TestServer, tmp_path: Path, newsrack
) -> None:
    site = serve_news_site(server)
    server.routes["/feed.xml"] = Page("<html><body>plus de flux ici</body></html>")
    server.routes["/news-sitemap.xml"] = Page(
        gzip.compress(b"<urlset/>")[:10] + b"\xff" * 64,
        headers={"Content-Type": "application/gzip"},
    )
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base, name="news", parser="generic"))
    db = tmp_path / "a.db"
    result = newsrack("--config", str(config), "--db", str(db), "crawl")
    assert result.returncode == 0, result.stderr
    assert "news: ok" in result.stdout and "5 new articles" in result.stdout
    assert "2 errors" in result.stdout
    errors = query(db, "SELECT url, error_kind FROM pages WHERE error IS NOT NULL ORDER BY url")
    assert errors == [
        (server.url("/feed.xml"), "parse"),
        (server.url("/news-sitemap.xml"), "parse"),
    ]
    stderr = result.stderr.splitlines()
    assert any("/feed.xml: not a readable feed" in line for line in stderr)
    assert any("/news-sitemap.xml: a damaged gzip file" in line for line in stderr)
    assert {u for (u,) in query(db, "SELECT url FROM articles")} == {site.url(i) for i in FRONT}


def test_feeds_and_sitemaps_named_in_config_are_read_without_discovery(
    server: TestServer, tmp_path: Path, newsrack
) -> None:
    site = serve_news_site(server)
    del server.routes["/robots.txt"]  # no Sitemap: line to find
    server.routes["/"] = Page(
        "<html><body>"
        + "".join(f'<a href="{site.path(i)}">{site.title(i)}</a>' for i in FRONT)
        + "</body></html>"
    )  # and no <link rel="alternate"> either
    extra = (
        f'feeds = ["{server.base}/feed.xml"]\n'
        f'sitemaps = ["{server.base}/news-sitemap.xml"]\nlookback = "1h"\n'
    )
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base, name="news", parser="generic", extra=extra))
    db = tmp_path / "a.db"
    result = newsrack("--config", str(config), "--db", str(db), "crawl")
    assert result.returncode == 0, result.stderr
    crawled = set(FRONT) | set(FEED) | set(NEWS)
    assert {u for (u,) in query(db, "SELECT url FROM articles")} == {site.url(i) for i in crawled}
    assert "/sitemap_index.xml" not in server.paths()
