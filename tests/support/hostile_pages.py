"""Hostile pages: what a page can hold that once crashed or froze a parser, as data and strategies.

Fixed cases (``HOSTILE_PAGES``: JSON-LD nested 100,000 deep, ``@id`` that is a
list or an object, dates at the calendar's ends, lone surrogates, wrong JSON
types) and a hypothesis strategy (``hostile_page``) that mixes the same
ingredients at random into a page with a headline, paragraphs and a walaw-like
ticker. ``check_output`` states what a parser's result must be whatever the
page: text encodable as UTF-8, JSON-ready, every time movable to UTC and
localizable in any timezone. Shared by the parser tests and by crawl tests
that push such pages through a whole pass.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

#: Dates a page can declare that no datetime arithmetic survives (or that are no date).
HOSTILE_DATES = (
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01T00:00:00",
    "2024-02-30T10:00:00",
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "Mon, 01 Jan 0001 00:00:00 +1400",
    "9999999999",
    "1e309",
    "-1",
    "",
)
#: Lone surrogates, as JSON escapes (how they reach a page's JSON-LD).
SURROGATES = ("\ud800", "a\udfffb", "\udc00\ud83d", "\ud83d")
LD_KEYS = (
    "@type",
    "@id",
    "@graph",
    "headline",
    "name",
    "author",
    "datePublished",
    "dateModified",
    "dateCreated",
    "description",
    "keywords",
    "image",
    "url",
    "caption",
    "isAccessibleForFree",
    "publisher",
    "inLanguage",
    "articleSection",
    "articleBody",
    "itemListElement",
)
LD_TYPES: tuple[Any, ...] = ("NewsArticle", "Article", "WebPage", "BreadcrumbList", 3, None)
#: Zones at both ends of the offsets in use: a naive time must localize in either.
EXTREME_ZONES = (ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Etc/GMT+12"))
URLS = (
    "https://fr.walaw.press/articles/un-sujet/GMQMMWGMMPMW",
    "https://www.example.org/section/2025/01/02/some-article-123456",
)


def _nested(depth: int, obj: bool) -> str:
    if obj:
        return '{"@type":"NewsArticle","headline":' + '{"a":' * depth + "1" + "}" * (depth + 1)
    return "[" * depth + "]" * depth


def _page(ld_blocks: list[str], date: str, ticker_date: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in ld_blocks)
    ticker = "".join(
        f'<li><time datetime="{d}">{t}</time><a href="/articles/sujet-{i}/GMQMMWGMMPM{c}">'
        f"Titre du sujet {i}</a></li>"
        for i, (d, t, c) in enumerate(
            [
                (ticker_date, "11:07", "A"),
                ("2025-05-09T10:00:00+01:00", "10:00", "B"),
                ("", "09:15", "C"),
            ]
        )
    )
    return (
        f'<html lang="fr"><head><meta property="og:title" content="Un titre">'
        f'<meta property="article:published_time" content="{date}">'
        f'<meta property="article:modified_time" content="{date}">'
        f'<meta name="date" content="{date}">{scripts}</head><body>'
        f'<div class="latest"><ul>{ticker}</ul></div><article><h1>Un titre</h1>'
        f'<time datetime="{date}">9 mai</time>'
        "<p>Le conseil municipal a voté le budget après une longue séance.</p>"
        "<p>Les élus de l’opposition ont demandé plus de moyens pour les écoles.</p>"
        "<p>Le maire a promis une réponse avant la fin du mois, sans plus de détails.</p>"
        "</article></body></html>"
    )


def _fixed_cases() -> dict[str, str]:
    article = {"@type": "NewsArticle", "headline": "Un titre"}
    cases = {
        "ld-nested-100000-list": [_nested(100_000, obj=False)],
        "ld-nested-100000-object": [_nested(100_000, obj=True)],
        "ld-nested-990": [_nested(990, obj=True)],
        "ld-id-list": [
            json.dumps([{**article, "author": {"@id": ["a"]}}, {"@id": ["a"], "name": "N"}])
        ],
        "ld-id-object": [
            json.dumps([{**article, "author": [{"@id": {"x": 1}}]}, {"@id": {"x": 1}}])
        ],
        "ld-dates-at-ends": [
            json.dumps(
                {**article, "datePublished": HOSTILE_DATES[0], "dateModified": HOSTILE_DATES[1]}
            )
        ],
        "ld-surrogates": [
            '{"@type":"NewsArticle","headline":"a\\ud800b","author":{"name":"\\udc00"},'
            '"description":"\\ud83d","keywords":["\\udfff"],"articleBody":"x\\ud800"}'
        ],
        "ld-wrong-types": [
            json.dumps(
                {
                    "@type": ["NewsArticle", 3],
                    "headline": 5,
                    "author": [1, {"name": 3}, [[]]],
                    "datePublished": 12,
                    "keywords": {"a": 1},
                    "image": [3, {"url": 5}],
                    "isAccessibleForFree": {},
                    "publisher": [1],
                    "inLanguage": 7,
                    "articleSection": [{}],
                    "description": [1, 2],
                    "articleBody": ["x"],
                    "@graph": 5,
                }
            ),
            json.dumps({"@type": "BreadcrumbList", "itemListElement": {"name": 1}}),
            json.dumps({"@type": "BreadcrumbList", "itemListElement": [1, {"name": [{}]}]}),
        ],
    }
    pages = {name: _page(blocks, "2025-05-09T10:00:00+01:00", "") for name, blocks in cases.items()}
    counter = _page([json.dumps(article)], "2025-05-09T10:00:00+01:00", "")
    for i, (link, og) in enumerate(
        [("http://[::1", "https://x.example:99999/a"), ("javascript:x()", "//[::1]:99999/")]
    ):
        pages[f"canonical-unreadable-{i}"] = counter.replace(
            "</head>",
            f'<link rel="canonical" href="{link}"><meta property="og:url" content="{og}"></head>',
        )
    for digits in (20, 5000):  # int() refuses 4,300+ digits; SQLite refuses 20
        pages[f"comment-counter-{digits}-digits"] = counter.replace(
            "</article>", f"<div>Commentaires ({'9' * digits})</div></article>"
        )
    for i, date in enumerate(HOSTILE_DATES):
        pages[f"meta-and-time-date-{i}"] = _page([json.dumps(article)], date, date)
    return pages


#: Named hostile pages, each of which once crashed some parser.
HOSTILE_PAGES: dict[str, str] = _fixed_cases()

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(HOSTILE_DATES),
    st.sampled_from(SURROGATES),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(LD_KEYS) | st.text(max_size=4), inner, max_size=5),
    ),
    max_leaves=25,
)


@st.composite
def ld_object(draw: st.DrawFn) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "@type": draw(st.sampled_from(LD_TYPES) | st.lists(st.sampled_from(LD_TYPES)))
    }
    obj.update(draw(st.dictionaries(st.sampled_from(LD_KEYS), _values, max_size=10)))
    return obj


@st.composite
def ld_block(draw: st.DrawFn) -> str:
    """One JSON-LD block: random objects of wrong types, or nesting far too deep."""
    if draw(st.integers(0, 9)) == 0:
        return _nested(draw(st.sampled_from([50, 2_000, 100_000])), obj=draw(st.booleans()))
    data: Any = draw(st.one_of(ld_object(), st.lists(ld_object(), max_size=3)))
    if draw(st.booleans()):
        data = {"@context": "https://schema.org", "@graph": data}
    return json.dumps(data, allow_nan=True)


@st.composite
def hostile_page(draw: st.DrawFn) -> str:
    """A page with a headline and paragraphs whose JSON-LD, meta and ``<time>`` are hostile."""
    blocks = draw(st.lists(ld_block(), min_size=1, max_size=3))
    date = draw(st.sampled_from(HOSTILE_DATES) | st.text(max_size=30))
    ticker_date = draw(st.sampled_from(HOSTILE_DATES))
    return _page(blocks, date.replace('"', ""), ticker_date)


def check_output(result: Any) -> None:
    """A parser's result is usable whatever the page: UTF-8 text, JSON-ready, counts and
    times in range."""
    data = result.to_dict()
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # a lone surrogate raises here
    canonical = getattr(result, "canonical_url", None)
    if canonical is not None:
        assert urlsplit(canonical).scheme in ("http", "https")
        urlsplit(canonical).port  # noqa: B018  (raises on a port out of range)
    count = getattr(result, "comment_count", None)
    assert count is None or 0 <= count < 2**63, "a count SQLite cannot store"
    for stamp in _times(result):
        if stamp.tzinfo is not None:
            stamp.astimezone(UTC)
        else:
            for zone in EXTREME_ZONES:
                stamp.replace(tzinfo=zone).astimezone(UTC)


def _times(result: Any) -> list[datetime]:
    stamps = [getattr(result, n, None) for n in ("published_at", "updated_at")]
    stamps += [item.published_at for item in getattr(result, "ticker", ())]
    return [s for s in stamps if isinstance(s, datetime)]
