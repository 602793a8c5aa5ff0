"""The generic parser on pages we wrote (``tests/fixtures/generic``), compared exactly.

Each ``<name>.html`` is parsed as ``https://example.test/<name>`` and its
``Article.to_dict()`` must equal ``<name>.json``. The pages gather what real
sites do without copying any: JSON-LD ``@graph`` with author references, no
JSON-LD at all, paragraphs nested in wrapper ``div``s, bare text ``div``s,
share bars, related links, cookie and newsletter notices, comments, captions;
and, beyond Latin scripts and ``<p>`` bodies, a Chinese page of short paragraphs
that open with a time, a Chinese news flash whose every paragraph is under 25
characters, a Japanese body of ``<br><br>`` lines under a dateline,
a Korean page closing on its reporter's line, an Arabic page laid out in a
table, a Russian page with
a generated-id paragraph, a pull quote and a contact address, and a Spanish
live report whose entries carry a widget's class name, and an English live
blog whose entries open with permalinked headings; a Portuguese page whose
share and related blocks are named in Portuguese.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import parsers
from parsers.extract import tree_of
from parsers.generic import ARTICLE_PATH_RE, url_date
from parsers.maintext import collect_sections, find_main_text, strip_boilerplate

FIXTURES = Path(__file__).parent.parent / "fixtures" / "generic"
CASES = sorted(p.stem for p in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("name", CASES)
def test_fixture_parses_to_expected_json(name: str) -> None:
    html = (FIXTURES / f"{name}.html").read_bytes()
    article = parsers.get("generic").parse_article(html, f"https://example.test/{name}")
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert article.to_dict() == expected


def test_a_page_without_paragraphs_is_a_parse_error() -> None:
    html = (FIXTURES / "no_body.html").read_bytes()
    with pytest.raises(parsers.ParseError, match="body"):
        parsers.get("generic").parse_article(html, "https://example.test/gallery")


def test_str_and_bytes_give_the_same_article() -> None:
    html = (FIXTURES / "news_jsonld_graph.html").read_bytes()
    generic = parsers.get("generic")
    url = "https://example.test/a"
    assert generic.parse_article(html, url) == generic.parse_article(html.decode("utf-8"), url)


def test_times_come_back_as_the_page_gives_them() -> None:
    """An offset the page gives is kept; a time without one stays naive (ingest localizes)."""
    html = (FIXTURES / "news_jsonld_graph.html").read_bytes()
    article = parsers.get("generic").parse_article(html, "https://example.test/a")
    assert article.published_at is not None
    assert article.published_at.utcoffset() is not None
    body = "<div>" + PROSE * 3 + "</div>"
    stamp = '<meta property="article:published_time" content="2023-07-01T12:00:00">'
    naive = f"{stamp}<h1>T</h1>{body}"
    found = parsers.get("generic").parse_article(naive, "https://x.example/a").published_at
    assert found == datetime(2023, 7, 1, 12, 0)


def test_unknown_sites_fall_back_to_generic() -> None:
    assert parsers.for_url("https://news.example.org/2024/01/02/story").name == "generic"


PAGE = """<html><body>
<div class="share-zone">{body}</div>
<div class="teasers"><article><a href="/other"><h3>Another story entirely, with a headline</h3></a>
<p>A short blurb that sends the reader to that other story.</p></article></div>
</body></html>"""
PROSE = "<p>{}</p>".format(
    "A paragraph of real prose, long enough to count, with commas, clauses, and a point."
)


def test_a_widget_named_wrapper_that_holds_the_article_survives() -> None:
    tree = tree_of(PAGE.format(body=PROSE * 6))
    strip_boilerplate(tree)
    main = find_main_text(tree)
    assert len(main.paragraphs) == 6
    assert "blurb" not in main.body


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Ferries double their crossings",
        "Lire aussi : les martinets",
        "Lesen Sie auch: Lange Nacht der Museen",
        "Advertisement",
        "Publicité",
        "Commentaires (3)",
        "© 2024 The Herald. All rights reserved.",
        "Photo: Harbour Authority",
        "Reporting by Ana Ruiz; Editing by Tom Bell",
        "3 hours ago",
        "Sign up to our newsletter for the latest news.",
        "Got a story? Get in touch with our news team.",
        "21:00 Sophie Bateman",
        "* * *",
    ],
)
def test_furniture_lines_are_left_out(line: str) -> None:
    tree = tree_of(f"<div>{PROSE * 3}<p>{line}</p></div>")
    sections = collect_sections(tree.css_first("div"))
    assert line not in [p for s in sections for p in s.paragraphs]
    assert len(sections[0].paragraphs) == 3


def test_sections_follow_sub_headings() -> None:
    tree = tree_of(f"<div>{PROSE}<h2>Part two</h2>{PROSE}<h2>Empty part</h2></div>")
    sections = collect_sections(tree.css_first("div"))
    assert [s.headline for s in sections] == [None, "Part two"]


def test_listing_links_look_like_articles() -> None:
    html = b"""<a href="/2024/03/04/bridge-reopens">a</a><a href="/about">b</a>
    <a href="https://elsewhere.example/2024/03/04/x">c</a><a href="/news/story-123456.html">d</a>"""
    listing = parsers.get("generic").parse_listing(html, "https://herald.example/")
    assert listing.article_links == (
        "https://herald.example/2024/03/04/bridge-reopens",
        "https://herald.example/news/story-123456.html",
    )
    assert ARTICLE_PATH_RE.search("/2024/03/04/bridge-reopens")


def test_a_page_without_title_still_gives_its_body() -> None:
    html = "<div>" + PROSE * 3 + "</div>"
    article = parsers.get("generic").parse_article(html, "https://example.test/untitled")
    assert article.title == ""
    assert "title" in article.missing
    assert len(article.paragraphs) == 3


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://x.example/2024/03/04/story", "2024-03-04"),
        ("https://x.example/news/story-20241122", "2024-11-22"),
        ("https://x.example/a/2024/13/45/story", None),
        ("https://x.example/news/story-123456.html", None),
    ],
)
def test_url_date(url: str, day: str | None) -> None:
    found = url_date(url)
    assert (found.date().isoformat() if found else None) == day


def test_date_from_dublin_core_meta_then_from_the_url() -> None:
    body = "<div>" + PROSE * 3 + "</div>"
    generic = parsers.get("generic")
    dc = f'<meta name="DC.date.issued" content="2023-07-01T12:00:00+02:00"><h1>T</h1>{body}'
    assert generic.parse_article(dc, "https://x.example/a").published_at == datetime(
        2023, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))
    )
    bare = f"<h1>T</h1>{body}"
    found = generic.parse_article(bare, "https://x.example/2022/05/06/a").published_at
    assert found == datetime(2022, 5, 6)  # a day, at naive midnight: the site's timezone applies


@pytest.mark.parametrize(
    "line",
    [
        "Par ailleurs, le gouvernement a annoncé une réforme.",
        "De acuerdo con el informe, la cifra subió.",
        "By the time they arrived, it was over.",
        "It was founded in 2019.",
        "The meeting is on 3 May 2024.",
        "Publicado en 2019, el libro se vendió mucho.",
        "She decided to subscribe to the magazine in 1998.",
        "Live music returned to the square on Friday.",
        "Il y a 20 ans, la ville était différente.",
    ],
)
def test_prose_that_looks_like_a_byline_or_date_stays(line: str) -> None:
    tree = tree_of(f"<div>{PROSE * 3}<p>{line}</p></div>")
    sections = collect_sections(tree.css_first("div"))
    assert line in sections[0].paragraphs


@pytest.mark.parametrize(
    "line", ["By Jane Doe and John Smith", "Par Jeanne Martin · 2 mai 2023", "Published 3 May 2024"]
)
def test_bylines_and_datelines_are_left_out(line: str) -> None:
    tree = tree_of(f"<div>{PROSE * 3}<p>{line}</p></div>")
    sections = collect_sections(tree.css_first("div"))
    assert line not in sections[0].paragraphs
