"""One ingest path: the same page stored by ``crawl``, ``fetch --save`` and ``reparse`` gives
identical article rows, and a time the page gives without an offset is the site's local time."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from parsers.base import Article
from scraper.config import SiteConfig
from scraper.ingest import ready_article, site_for_url, to_utc
from tests.support.commands import site_config
from tests.support.httpserver import Page
from tests.support.walaw_site import STORIES, article_a, home_a

#: Every column of an article row that says what was read, not when it was seen.
CONTENT_COLUMNS = (
    "site, url, canonical_url, title, lead, body, authors, published_at, updated_at, section, "
    "tags, language, images, paywalled, comment_count, missing_fields, parser, parser_version, "
    "content_hash"
)
#: What the page says, with no offset: 10:07 in Casablanca (UTC+1 in May 2025).
LOCAL_STAMP = "2025-05-09T10:07:00"


def article_rows(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT {CONTENT_COLUMNS} FROM articles ORDER BY url").fetchall()


def with_naive_time(html: str) -> str:
    """The page with an ``article:published_time`` that has no offset, as many CMSs write it."""
    meta = f'<meta property="article:published_time" content="{LOCAL_STAMP}">'
    return html.replace("</head>", meta + "</head>", 1)


@pytest.fixture
def one_story_site(server, tmp_path):
    story = STORIES[0]
    server.routes["/"] = Page(home_a((story,)))
    server.routes[story.path] = Page(with_naive_time(article_a(story, (story,))))
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))  # walaw parser, Africa/Casablanca
    return server, story, config


def test_crawl_fetch_save_and_reparse_store_identical_rows(one_story_site, newsrack, tmp_path):
    server, story, config = one_story_site
    url = server.url(story.path)
    crawled, fetched, reparsed = (tmp_path / f"{name}.db" for name in ("c", "f", "r"))

    assert newsrack("--config", str(config), "--db", str(crawled), "crawl").returncode == 0
    saved = newsrack("--config", str(config), "--db", str(fetched), "fetch", url, "--save")
    assert saved.returncode == 0, saved.stderr

    # an archive written by an older parser: same raw page, other content, no time
    shutil.copy(crawled, reparsed)
    with sqlite3.connect(reparsed) as conn:
        conn.execute(
            "UPDATE articles SET title = 'old', lead = NULL, body = 'old', published_at = NULL, "
            "comment_count = NULL, parser_version = '0', content_hash = 'old'"
        )
    again = newsrack("--config", str(config), "--db", str(reparsed), "reparse")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "reparsed 1 articles: 1 revised, 0 unchanged, 0 failed\n"

    rows = article_rows(crawled)
    assert len(rows) == 1
    assert article_rows(fetched) == rows
    assert article_rows(reparsed) == rows
    local = datetime.fromisoformat(LOCAL_STAMP).replace(tzinfo=ZoneInfo("Africa/Casablanca"))
    published = rows[0][CONTENT_COLUMNS.split(", ").index("published_at")]
    assert published == local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert published == "2025-05-09T09:07:00Z"  # not 10:07Z: the page's clock is Morocco's


def test_fetch_prints_the_local_time_it_stores(one_story_site, newsrack) -> None:
    server, story, config = one_story_site
    shown = newsrack("--config", str(config), "fetch", server.url(story.path), "--json")
    assert shown.returncode == 0, shown.stderr
    assert '"published_at": "2025-05-09T09:07:00+00:00"' in shown.stdout.replace(
        '"published_at":"', '"published_at": "'
    )


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2025, 5, 9, 10, 7), datetime(2025, 5, 9, 9, 7, tzinfo=UTC)),  # naive: local
        (datetime(2025, 5, 9, 10, 7, tzinfo=UTC), datetime(2025, 5, 9, 10, 7, tzinfo=UTC)),
        (datetime.fromisoformat("9999-12-31T23:59:59-05:00"), None),  # past year 9999 in UTC
        (datetime.fromisoformat("0001-01-01T00:00:00+05:00"), None),  # before year 1 in UTC
        (None, None),
    ],
)
def test_times_are_localized_once_and_out_of_range_ones_dropped(moment, expected) -> None:
    assert to_utc(moment, ZoneInfo("Africa/Casablanca")) == expected


def test_a_naive_time_of_an_unknown_timezone_is_dropped_not_guessed() -> None:
    assert to_utc(datetime(2025, 5, 9, 10, 7), None) is None
    # naive midnight of year 1 read east of UTC is before year 1 in UTC: dropped
    assert to_utc(datetime(1, 1, 1), ZoneInfo("Asia/Tokyo")) is None


def test_values_sqlite_cannot_hold_are_replaced_or_dropped() -> None:
    article = Article(
        url="http://x.test/a",
        title="Titre \ud800 brisé",
        body="Corps",
        authors=("A \udfff",),
        comment_count=10**30,
        published_at=datetime.fromisoformat("9999-12-31T23:59:59-05:00"),
        parser="generic",
    )
    ready = ready_article(article, UTC)
    assert ready.title == "Titre \ufffd brisé" and ready.authors == ("A \ufffd",)
    assert ready.comment_count is None and ready.published_at is None
    assert ready.body == "Corps" and ready.parser == "generic"


SITES = [
    SiteConfig("home", "walaw", ("https://www.news.test/",)),
    SiteConfig("english", "generic", ("https://news.test/en/index.html",)),
    SiteConfig("sport", "generic", ("https://news.test/en/sport",)),
    SiteConfig("local", "generic", ("http://127.0.0.1:8702/",)),
]


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://news.test/2025/05/a", "home"),  # www. aside
        (
            "https://news.test/en/2025/a",
            "english",
        ),  # a start page's file name stands for its folder
        ("https://news.test/en/sport/a", "sport"),  # the longest prefix wins
        ("https://news.test/en/sportif/a", "english"),  # a prefix ends at a slash
        ("http://news.test/2025/05/a", None),  # another scheme
        ("http://127.0.0.1:8701/a", None),  # another port
        ("http://127.0.0.1:8702/a", "local"),
        ("http://[::1/a", None),  # not a URL
    ],
)
def test_a_page_belongs_to_the_site_of_its_origin_and_longest_path_prefix(url, site) -> None:
    found = site_for_url(SITES, url)
    assert (found.name if found else None) == site
