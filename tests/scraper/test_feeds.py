"""``scraper.feeds`` reads RSS, Atom, sitemaps, news sitemaps, indexes and gzip files from bytes.

Each case is a document as a site would serve it; hostile ones (entity
expansion, a gzip bomb, deep nesting, dates at year 1 and 9999, huge values,
garbage) must give a ``FeedError`` naming the URL, or a reading that drops only
the bad value, in bounded time.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import time
from datetime import UTC, datetime

import pytest

from parsers.page import Page
from scraper.feeds import (
    FeedError,
    SitemapRef,
    parse_lastmod,
    read_feed,
    read_sitemap,
    sitemap_recent,
    unpacked,
)

URL = "https://news.example/feed"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def test_rss_entries_with_titles_dates_and_relative_links() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        b"<item><title>  Un   titre </title><link>/a/2025/un</link>"
        b"<pubDate>Tue, 20 May 2025 18:00:00 +0100</pubDate></item>"
        b"<item><title>Deux</title><link>https://news.example/a/2025/deux</link></item>"
        b"<item><title>Sans lien</title></item>"
        b"<item><title>Doublon</title><link>/a/2025/un</link></item>"
        b"</channel></rss>"
    )
    entries = read_feed(rss, URL)
    assert [(e.url, e.title, e.listed_at) for e in entries] == [
        ("https://news.example/a/2025/un", "Un titre", datetime(2025, 5, 20, 17, 0, tzinfo=UTC)),
        ("https://news.example/a/2025/deux", "Deux", None),
    ]


def test_atom_entries() -> None:
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>x</title><entry><title>Atome</title>"
        b'<link href="https://news.example/a/atome"/><updated>2025-05-09T11:07:00Z</updated>'
        b"</entry></feed>"
    )
    (entry,) = read_feed(atom, URL)
    assert (entry.url, entry.title) == ("https://news.example/a/atome", "Atome")
    assert entry.listed_at == datetime(2025, 5, 9, 11, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body><p>Pas un flux</p></body></html>", b"\x00\xff" * 100, b"[1, 2, 3]"],
)
def test_what_is_no_feed_is_one_error_naming_the_url(body: bytes) -> None:
    with pytest.raises(FeedError, match=re.escape(f"{URL}: not a readable feed")):
        read_feed(body, URL)


def test_news_sitemap_and_plain_urlset() -> None:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS} {NEWS_NS}>'
        "<url><loc>https://news.example/a/1</loc><news:news><news:publication>"
        "<news:name>N</news:name><news:language>fr</news:language></news:publication>"
        "<news:publication_date>2025-05-20T18:00:00+01:00</news:publication_date>"
        "<news:title>Le titre</news:title></news:news></url>"
        "<url><loc>https://news.example/a/2</loc><lastmod>2025-05-01</lastmod></url>"
        "<url><loc>https://news.example/a/3</loc><lastmod>9999-12-31T23:59:59+14:00</lastmod></url>"
        "</urlset>"
    ).encode()
    read = read_sitemap(xml, "https://news.example/news.xml")
    assert read.children == ()
    first, second, third = read.entries
    assert (first.news, first.title) == (True, "Le titre")
    assert first.listed_at == datetime(2025, 5, 20, 17, 0, tzinfo=UTC)
    assert (second.news, second.listed_at) == (False, datetime(2025, 5, 1, tzinfo=UTC))
    assert third.url == "https://news.example/a/3"  # its date is out of range: dropped or kept


def test_index_children_with_their_lastmod_and_gzip() -> None:
    index = (
        f'<?xml version="1.0"?><sitemapindex {NS}>'
        "<sitemap><loc>https://news.example/s/news.xml</loc>"
        "<lastmod>2025-05-20T10:00:00Z</lastmod></sitemap>"
        "<sitemap><loc>https://news.example/s/2025-03.xml.gz</loc><lastmod>2025-03-31</lastmod>"
        "</sitemap><sitemap><loc>https://news.example/s/undated.xml</loc></sitemap>"
        "</sitemapindex>"
    ).encode()
    read = read_sitemap(unpacked(gzip.compress(index), "u", 1_000_000), "https://news.example/i")
    assert read.entries == ()
    assert read.children == (
        SitemapRef("https://news.example/s/news.xml", datetime(2025, 5, 20, 10, tzinfo=UTC)),
        SitemapRef("https://news.example/s/2025-03.xml.gz", datetime(2025, 3, 31, tzinfo=UTC)),
        SitemapRef("https://news.example/s/undated.xml", None),
    )
    since = datetime(2025, 5, 18, tzinfo=UTC)
    assert [sitemap_recent(c, since) for c in read.children] == [True, False, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-09", datetime(2025, 5, 9, tzinfo=UTC)),
        ("2025-05-09T11:07:00+01:00", datetime(2025, 5, 9, 10, 7, tzinfo=UTC)),
        ("2025-05-09T11:07:00Z", datetime(2025, 5, 9, 11, 7, tzinfo=UTC)),
        ("0001-01-01T00:00:00+05:00", None),  # before year 1 in UTC
        ("9999-12-31T23:59:59-05:00", None),  # after 9999 in UTC
        ("hier", None),
        ("2" * 10_000, None),
        (None, None),
    ],
)
def test_lastmod_dates(text: str | None, expected: datetime | None) -> None:
    assert parse_lastmod(text) == expected


def test_entity_expansion_is_refused() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f"<sitemapindex {NS}><sitemap><loc>&lol3;</loc></sitemap></sitemapindex>"
    ).encode()
    with pytest.raises(FeedError, match=re.escape("https://news.example/i")):
        read_sitemap(laughs, "https://news.example/i")


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<" + b" " * 50_000_000)
    started = time.perf_counter()
    with pytest.raises(FeedError, match="unpacks to more than max_bytes = 1000000"):
        unpacked(bomb, "https://news.example/s.xml.gz", 1_000_000)
    assert time.perf_counter() - started < 5
    with pytest.raises(FeedError, match="damaged gzip"):
        unpacked(bomb[:10] + b"\xff" * 100, "https://news.example/s.xml.gz", 1_000_000)


def test_deep_nesting_and_many_entries_stay_bounded() -> None:
    deep = (f"<urlset {NS}>" + "<url>" * 20_000 + "</url>" * 20_000 + "</urlset>").encode()
    many = (
        f"<urlset {NS}>"
        + "".join(f"<url><loc>https://news.example/a/{i}</loc></url>" for i in range(50_000))
        + "</urlset>"
    ).encode()
    started = time.perf_counter()
    with contextlib.suppress(FeedError):  # read or refused, in bounded time
        read_sitemap(deep, "https://news.example/deep")
    assert len(read_sitemap(many, "https://news.example/many").entries) == 50_000
    assert time.perf_counter() - started < 30


def test_a_page_declares_its_feeds() -> None:
    html = (
        "<html><head>"
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="https://news.example/atom">'
        '<link rel="alternate" hreflang="en" href="/en/">'
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        "</head><body></body></html>"
    )
    page = Page.read(html, "https://news.example/fr/")
    assert page.feed_links() == ("https://news.example/rss.xml", "https://news.example/atom")
