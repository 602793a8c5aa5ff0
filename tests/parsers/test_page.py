"""The page model (``parsers.page``), its JSON-LD reader and its times: one reading of each thing.

What every parser now shares: metadata from JSON-LD first, then OpenGraph,
``<meta>`` and ``<time>``; ``isAccessibleForFree`` read one way; JSON-LD
bounded in depth and free of surrogates; times as the page gives them (naive
without an offset), dropped at the calendar's ends; the clock pattern.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

import parsers
from parsers.jsonld import MAX_DEPTH, ld_bool, sanitize
from parsers.page import Page, page_metadata
from parsers.times import CLOCK, at_time_of_day, hhmm, parse_datetime

URL = "https://news.example.org/2025/05/09/un-sujet"


def _page(head: str = "", body: str = "") -> Page:
    html = f"<html lang='fr-FR'><head>{head}</head><body>{body}</body></html>"
    return Page.read(html, URL)


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_metadata_reads_json_ld_first_then_meta_then_time() -> None:
    article = {
        "@type": "NewsArticle",
        "headline": "Titre JSON-LD",
        "description": "Le résumé.",
        "author": [{"@id": "#a"}],
        "datePublished": "2025-05-09T10:00:00+01:00",
        "keywords": ["budget", "ville"],
    }
    head = (
        _ld({"@graph": [article, {"@id": "#a", "name": "Salma Benali"}]})
        + '<meta property="og:title" content="Titre | Le Site">'
        + '<meta property="og:site_name" content="Le Site">'
        + '<meta property="article:modified_time" content="2025-05-09T11:00:00">'
        + '<link rel="canonical" href="https://news.example.org/a">'
    )
    meta = _page(head, '<time datetime="2020-01-01T00:00:00Z">x</time>').metadata
    assert meta.title == "Titre"
    assert meta.description == "Le résumé."
    assert meta.authors == ("Salma Benali",)
    assert meta.published_at == datetime(2025, 5, 9, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert meta.updated_at == datetime(2025, 5, 9, 11, 0)  # no offset given: naive
    assert meta.tags == ("budget", "ville")
    assert meta.language == "fr"
    assert meta.canonical_url == "https://news.example.org/a"
    assert meta.site_name == "Le Site"


def test_a_time_element_dates_a_page_without_metadata() -> None:
    meta = _page(body='<time datetime="2025-05-09T08:30:00+02:00">9 mai</time>').metadata
    assert meta.published_at == datetime(2025, 5, 9, 6, 30, tzinfo=UTC)


def test_page_metadata_of_a_tree_is_the_page_models() -> None:
    page = _page(_ld({"@type": "Article", "headline": "Un titre"}))
    assert page_metadata(page.tree) == Page(page.tree).metadata


@pytest.mark.parametrize(
    ("value", "paywalled"),
    [(False, True), ("false", True), ("no", True), ("False", True), (True, False), ("yes", False)],
)
def test_is_accessible_for_free_is_read_one_way_by_every_parser(
    value: object, paywalled: bool
) -> None:
    head = _ld({"@type": "NewsArticle", "headline": "Un titre", "isAccessibleForFree": value})
    assert _page(head).metadata.paywalled is paywalled
    assert ld_bool(value) is (not paywalled)


def test_json_ld_deeper_than_the_bound_is_cut_and_surrogates_replaced() -> None:
    deep: object = "fond"
    for _ in range(MAX_DEPTH + 10):
        deep = [deep]
    cleaned = sanitize({"headline": "a\ud800b", "x": deep, "\udc00": 1})
    assert cleaned["headline"] == "a\ufffdb"
    assert "\ufffd" in cleaned
    depth, node = 0, cleaned["x"]
    while isinstance(node, list):
        depth, node = depth + 1, node[0] if node else None
    assert depth < MAX_DEPTH


def test_json_ld_nested_beyond_what_json_reads_is_skipped() -> None:
    page = _page(
        "<script type='application/ld+json'>" + "[" * 100_000 + "]" * 100_000 + "</script>"
    )
    assert page.ld == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2025-05-09T10:00:00+01:00",
            datetime(2025, 5, 9, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2025-05-09 10:00:00", datetime(2025, 5, 9, 10, 0)),
        ("2025-05-09T10:00:00Z", datetime(2025, 5, 9, 10, 0, tzinfo=UTC)),
        (
            "2025-05-09T10:00:00+0100",
            datetime(2025, 5, 9, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("Fri, 09 May 2025 10:00:00 GMT", datetime(2025, 5, 9, 10, 0, tzinfo=UTC)),
        ("1746784800", datetime(2025, 5, 9, 10, 0, tzinfo=UTC)),
        ("9999-12-31T23:59:59-05:00", None),
        ("0001-01-01T00:00:00+05:00", None),
        ("9999-12-31T23:59:59", None),
        ("0001-01-01", None),
        ("2024-02-30", None),
        ("demain", None),
    ],
)
def test_parse_datetime_keeps_what_the_page_gives_and_drops_the_calendars_ends(
    text: str, expected: datetime | None
) -> None:
    assert parse_datetime(text) == expected


def test_parse_datetime_takes_only_text() -> None:
    assert parse_datetime(12) is None
    assert parse_datetime(["2025-05-09"]) is None


@pytest.mark.parametrize(
    ("text", "shown"),
    [("9h05 - La Bourse", "09:05"), ("11:07 Crise", "11:07"), ("9 h 05", "09:05"), ("24:00", None)],
)
def test_one_clock_pattern(text: str, shown: str | None) -> None:
    match = re.match(rf"{CLOCK}\b", text)
    assert (hhmm(match) if match else None) == shown


def test_no_parser_module_writes_its_own_clock_pattern() -> None:
    """The HH:MM pattern is ``times.CLOCK``; parsers compose from it, never copy it."""
    import inspect

    from parsers import cleanup, lesechos, walaw

    assert CLOCK in walaw.TIME_RE.pattern
    assert CLOCK in lesechos.LIVE_ENTRY_RE.pattern
    for module in (walaw, lesechos, cleanup):
        assert re.search(r"\[01\]\?\\d\|2\[0-3\]", inspect.getsource(module)) is None


def test_a_shown_time_on_the_calendars_last_day_is_dropped() -> None:
    assert at_time_of_day(datetime(9999, 12, 31).date(), "23:59") is None
    assert at_time_of_day(datetime(2025, 5, 9).date(), "09:05") == datetime(2025, 5, 9, 9, 5)


def test_site_parsers_return_times_as_the_page_gives_them() -> None:
    """No parser converts: an offset stays as given, a time without one stays naive."""
    body = "<h1>Un titre</h1><p class='article__paragraph'>Un paragraphe de texte.</p>"
    for stamp, expected in (
        ("2025-05-09T10:00:00", datetime(2025, 5, 9, 10, 0)),
        (
            "2025-05-09T10:00:00+02:00",
            datetime(2025, 5, 9, 10, 0, tzinfo=timezone(timedelta(hours=2))),
        ),
    ):
        head = _ld({"@type": "NewsArticle", "headline": "Un titre", "datePublished": stamp})
        html = f"<html><head>{head}</head><body>{body}</body></html>"
        article = parsers.get("lemonde").parse_article(html, URL)
        assert article.published_at == expected
        assert (article.published_at.tzinfo is None) is (expected.tzinfo is None)
