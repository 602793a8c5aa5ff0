"""End to end: the installed ``newsrack crawl`` archives a walaw-like loopback site into SQLite."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.archive_helpers import query
from tests.support.commands import site_config
from tests.support.httpserver import Page
from tests.support.walaw_cms import HOME_TICKER
from tests.support.walaw_site import BOILERPLATE, LATE_STORY, STORIES, Story, serve, site_routes

CASABLANCA = ZoneInfo("Africa/Casablanca")


def stories_timed_around(now: datetime) -> tuple[Story, ...]:
    """The stories with ticker times in the last hour, plus one shown later than now."""
    local = now.astimezone(CASABLANCA)
    timed = [
        replace(story, time=(local - timedelta(minutes=6 * (i + 1))).strftime("%H:%M"))
        for i, story in enumerate(STORIES[:-1])
    ]
    # an item whose time is later than the fetch's local time belongs to the day before
    later = (local + timedelta(minutes=95)).strftime("%H:%M")
    return (*timed, replace(STORIES[-1], time=later))


def expected_utc(shown: str, fetched: datetime) -> str:
    """The latest moment at or before ``fetched`` whose local clock read ``shown``."""
    local = fetched.astimezone(CASABLANCA)
    hour, minute = map(int, shown.split(":"))
    candidates = [
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=CASABLANCA)
        for day in (local.date(), local.date() - timedelta(days=1))
    ]
    best = max(c for c in candidates if c <= local.replace(second=59))
    return best.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def table(db, sql: str) -> list[tuple]:
    return query(db, sql)


@pytest.fixture
def walaw_site(server, tmp_path, archive_db):
    now = datetime.now(UTC)
    stories = stories_timed_around(now)
    serve(server, stories)
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))
    return server, stories, config, archive_db


def test_crawl_archives_exactly_the_ticker_and_articles_served(walaw_site, newsrack) -> None:
    server, stories, config, db = walaw_site
    before = datetime.now(UTC)
    result = newsrack("--config", str(config), "--db", str(db), "crawl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"walaw_test: ok, {1 + len(stories)} pages, {len(stories)} new articles, "
        f"{len(stories)} new ticker items, 0 errors"
    )
    ticker = table(db, "SELECT title, url, shown_time, published_at FROM ticker_items ORDER BY id")
    assert [(t, u, s) for t, u, s, _ in ticker] == [
        (s.title, server.base + s.path, s.time) for s in stories
    ]
    assert [p for *_, p in ticker] == [expected_utc(s.time, before) for s in stories]
    yesterday = datetime.fromisoformat(ticker[-1][3]).astimezone(CASABLANCA).date()
    assert yesterday == before.astimezone(CASABLANCA).date() - timedelta(days=1)

    articles = table(db, "SELECT canonical_url, title, lead, body, published_at FROM articles")
    by_url = {row[0]: row for row in articles}
    assert len(articles) == len(stories)
    for story in stories:
        # og:url names another host than the one served: the fetched URL is the key
        _canonical, title, lead, body, published = by_url[server.base + story.path]
        assert title == story.title
        assert lead == story.lead
        assert body == "\n\n".join(story.paragraphs)
        assert published == expected_utc(story.time, before)
        for furniture in BOILERPLATE:
            assert furniture not in body
    runs = table(db, "SELECT status, pages, new_articles, new_ticker_items, errors FROM runs")
    assert runs == [("ok", 1 + len(stories), len(stories), len(stories), 0)]


@pytest.mark.parametrize("markup", ["g", "h"])
def test_crawl_reads_a_cms_shaped_site_alike(server, tmp_path, newsrack, markup: str) -> None:
    """A Next.js-like (G) and a Drupal-like (H) site: front page ticker of six items, the
    other stories as dated teasers; every article archived with its exact text."""
    for path, html in site_routes(STORIES, markup).items():
        server.routes[path] = Page(html)
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))
    db = tmp_path / "archive.db"
    result = newsrack("--config", str(config), "--db", str(db), "crawl")
    assert result.returncode == 0, result.stderr
    shown = STORIES[:HOME_TICKER]
    assert result.stdout.strip() == (
        f"walaw_test: ok, {1 + len(STORIES)} pages, {len(STORIES)} new articles, "
        f"{len(shown)} new ticker items, 0 errors"
    )
    ticker = table(db, "SELECT title, url, shown_time FROM ticker_items ORDER BY id")
    assert ticker == [(s.title, server.base + s.path, s.time) for s in shown]
    articles = table(db, "SELECT url, title, lead, body FROM articles ORDER BY url")
    assert articles == sorted(
        (server.base + s.path, s.title, s.lead, "\n\n".join(s.paragraphs)) for s in STORIES
    )


def test_second_crawl_adds_nothing_and_a_new_item_adds_exactly_one(walaw_site, newsrack) -> None:
    server, stories, config, db = walaw_site
    args = ("--config", str(config), "--db", str(db), "crawl")
    assert newsrack(*args).returncode == 0
    counts = table(
        db, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM ticker_items)"
    )

    second = newsrack(*args)
    assert second.returncode == 0, second.stderr
    assert "0 new articles, 0 new ticker items" in second.stdout
    assert table(db, "SELECT count(*) FROM articles") == [(counts[0][0],)]
    assert table(db, "SELECT count(*) FROM ticker_items") == [(counts[0][1],)]
    assert server.paths().count(stories[0].path) == 1  # archived articles are not re-fetched

    late = replace(LATE_STORY, time=datetime.now(CASABLANCA).strftime("%H:%M"))
    serve(server, (late, *stories))
    third = newsrack(*args)
    assert third.returncode == 0, third.stderr
    assert "1 new articles, 1 new ticker items" in third.stdout
    assert table(db, "SELECT count(*) FROM articles") == [(counts[0][0] + 1,)]
    assert table(db, "SELECT count(*) FROM ticker_items") == [(counts[0][1] + 1,)]
    assert table(db, f"SELECT title FROM articles WHERE url LIKE '%{late.ident}'") == [
        (late.title,)
    ]


def test_fetch_json_prints_a_served_article(walaw_site, newsrack) -> None:
    server, stories, config, _db = walaw_site
    url = server.url(stories[1].path)
    result = newsrack("--config", str(config), "fetch", url, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["url"] == url
    assert data["title"] == stories[1].title
    assert data["body"] == "\n\n".join(stories[1].paragraphs)
    assert data["lead"] == stories[1].lead
    assert {"authors", "published_at"} <= data.keys()


def test_fetch_save_stores_the_article(walaw_site, newsrack) -> None:
    server, stories, config, db = walaw_site
    url = server.url(stories[2].path)
    result = newsrack("--config", str(config), "--db", str(db), "fetch", url, "--save")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(stories[2].title)
    assert table(db, "SELECT site, title FROM articles") == [("walaw_test", stories[2].title)]


def test_fetch_of_a_dead_page_is_one_line_and_exit_1(walaw_site, newsrack) -> None:
    server, _stories, config, _db = walaw_site
    result = newsrack("--config", str(config), "fetch", server.url("/articles/gone/GGGGGGGGGGGG"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "HTTP 404" in result.stderr and "/articles/gone/GGGGGGGGGGGG" in result.stderr


def test_crawl_of_a_dead_site_exits_1(tmp_path, newsrack) -> None:
    config = tmp_path / "config.toml"
    config.write_text(site_config("http://127.0.0.1:9"))  # nothing listens on port 9
    result = newsrack("--config", str(config), "--db", str(tmp_path / "a.db"), "crawl")
    assert result.returncode == 1
    assert result.stdout.startswith("walaw_test: failed, 1 pages, 0 new articles")
    assert "cannot connect" in result.stderr


def test_loopback_is_refused_unless_private_networks_are_allowed(
    walaw_site, newsrack, tmp_path
) -> None:
    server, stories, _config, _db = walaw_site
    strict = tmp_path / "strict.toml"
    strict.write_text("[fetch]\nmax_attempts = 1\n")
    result = newsrack("--config", str(strict), "fetch", server.url(stories[0].path))
    assert result.returncode == 1
    assert "non-public address 127.0.0.1" in result.stderr
    assert "allow_private_networks" in result.stderr
    assert stories[0].path not in server.paths()
