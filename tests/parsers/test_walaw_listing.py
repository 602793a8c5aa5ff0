"""walaw's archive listing pages read alike in every plausible markup: teasers and next page.

Each markup (``tests/support/walaw_listings.py``) renders the same ten dated
stories per page with the site-wide ticker; the parser must give back exactly
the ten teasers (headline, link, the excerpt without its ``......``, the local
time shown), not the ticker's links as teasers, and the link to the next page,
none on the last one.
"""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import unquote

import pytest

import parsers
from parsers.walaw_listing import teaser_date
from tests.support.walaw_listings import (
    LISTING_MARKUPS,
    archive_stories,
    page_path,
)

BASE = "https://fr.walaw.press"
PARSER = parsers.get("walaw")
DATED = archive_stories(50)
PAGES = [DATED[i : i + 10] for i in range(0, 50, 10)]


@pytest.mark.parametrize("markup", sorted(LISTING_MARKUPS))
@pytest.mark.parametrize("number", [1, 3, 5])
def test_teasers_and_next_page_in_every_markup(markup: str, number: int) -> None:
    html = LISTING_MARKUPS[markup](PAGES[number - 1], number, 5, DATED)
    listing = PARSER.parse_listing(html, BASE + page_path(number))
    expected = PAGES[number - 1]
    assert [t.url for t in listing.teasers] == [BASE + d.story.path for d in expected]
    assert [t.title for t in listing.teasers] == [d.story.title for d in expected]
    assert [t.published_at for t in listing.teasers] == [d.when for d in expected]
    for teaser, dated in zip(listing.teasers, expected, strict=True):
        assert teaser.excerpt and dated.story.lead.startswith(teaser.excerpt)
        assert "..." not in teaser.excerpt
    if number < 5:
        assert listing.next_url is not None
        assert unquote(listing.next_url) == BASE + page_path(number + 1)
    else:
        assert listing.next_url is None
    # the site-wide ticker is still read as the ticker, not as teasers of this page
    assert [t.url for t in listing.ticker] == [BASE + d.story.path for d in DATED[:5]]


def test_a_front_page_without_pagination_has_no_next_url() -> None:
    html = '<html><body><a href="/articles/x/ABCDEFGH">Un titre</a></body></html>'
    listing = PARSER.parse_listing(html, BASE + "/")
    assert listing.next_url is None and listing.teasers == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publié le 09/05/2025 11:07", datetime(2025, 5, 9, 11, 7)),
        ("2025-05-09", datetime(2025, 5, 9)),
        ("1er mai 2025 à 08h30", datetime(2025, 5, 1, 8, 30)),
        ("May 9 2025", None),  # month first without a comma: not a form we read
        ("31/02/2025", None),  # no such day
        ("01/01/0001 00:00", datetime(1, 1, 1)),
        ("31/12/9999 23:59", datetime(9999, 12, 31, 23, 59)),
        ("9 mai 99999", None),
    ],
)
def test_teaser_dates(text: str, expected: datetime | None) -> None:
    assert teaser_date(text) == expected


def test_hostile_listing_pages_stay_linear() -> None:
    digits = "1" * 50_000 + "/" * 50_000
    started = time.perf_counter()
    assert teaser_date(digits) is None
    many = "".join(
        f'<div><a href="/articles/s/ABCDEF{i:06d}">T{i}</a><p>{"mot " * 10}</p></div>'
        for i in range(3000)
    )
    pages = "".join(f'<a href="/dernières-nouvelles/{i}">{i}</a>' for i in range(2000))
    listing = PARSER.parse_listing(f"<html><body>{many}{pages}</body></html>", BASE + "/x/1")
    assert len(listing.teasers) == 3000
    assert listing.next_url == BASE + "/x/2" or listing.next_url is None
    assert time.perf_counter() - started < 10
