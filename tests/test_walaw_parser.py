"""The walaw parser reads three different plausible markups of the same content alike."""

from __future__ import annotations

import pytest

import parsers
from parsers.base import ParseError
from tests.walaw_site import BOILERPLATE, MARKUPS, STORIES, home_a

BASE = "https://fr.walaw.press"
PARSER = parsers.get("walaw")


@pytest.mark.parametrize("markup", sorted(MARKUPS))
@pytest.mark.parametrize("story", [STORIES[0], STORIES[3], STORIES[7]], ids=lambda s: s.ident)
def test_article_fields_are_exact_in_every_markup(markup: str, story) -> None:
    html = MARKUPS[markup](story, STORIES)
    article = PARSER.parse_article(html, BASE + story.path)
    assert article.title == story.title
    assert article.lead == story.lead
    assert article.paragraphs == story.paragraphs
    assert article.comment_count == story.comments
    assert article.language == "fr"
    assert article.parser == "walaw"
    for furniture in BOILERPLATE:
        assert furniture not in article.body
    for other in STORIES:
        if other is not story:
            assert other.title not in article.body


@pytest.mark.parametrize("markup", sorted(MARKUPS))
def test_article_page_carries_the_whole_ticker(markup: str) -> None:
    story = STORIES[2]
    listing = PARSER.parse_listing(MARKUPS[markup](story, STORIES), BASE + story.path)
    assert [(t.shown_time, t.title, t.url) for t in listing.ticker] == [
        (s.time, s.title, BASE + s.path) for s in STORIES
    ]


def test_home_page_ticker_and_links() -> None:
    listing = PARSER.parse_listing(home_a(STORIES), "http://127.0.0.1:8000/")
    assert len(listing.ticker) == len(STORIES)
    assert listing.ticker[0].shown_time == "12:00"
    assert listing.ticker[0].url == "http://127.0.0.1:8000" + STORIES[0].path
    # teasers link to articles already in the ticker: not repeated as article links
    assert listing.article_links == ()


def test_links_without_a_time_are_article_links_not_ticker_items() -> None:
    html = (
        "<html><body><ul>"
        '<li><span>09:15</span><a href="/articles/un_titre/GMQMMWGMMPMW">Un titre</a></li>'
        '</ul><div><h3><a href="/articles/autre_sujet/FLPQRSWXGMLP">Autre sujet du jour</a>'
        "</h3><p>Publié le 09/05/2025 11:07</p></div>"
        '<div><a href="/articles/troisieme/SSRRQQPPMMGG">Troisième titre 2 min</a></div>'
        "</body></html>"
    )
    listing = PARSER.parse_listing(html, BASE + "/")
    assert [(t.shown_time, t.title) for t in listing.ticker] == [("09:15", "Un titre")]
    assert listing.article_links == (
        BASE + "/articles/autre_sujet/FLPQRSWXGMLP",
        BASE + "/articles/troisieme/SSRRQQPPMMGG",
    )


def test_glued_time_in_link_text_is_split_from_the_title() -> None:
    html = '<div><a href="/articles/x/GMQMMWGMMPMW">11:07Crise : une réunion</a></div>'
    listing = PARSER.parse_listing(html, BASE + "/")
    assert listing.ticker[0].shown_time == "11:07"
    assert listing.ticker[0].title == "Crise : une réunion"


@pytest.mark.parametrize(
    ("html", "field"),
    [("", "title"), ("<html><body><h1>Titre seul</h1></body></html>", "body")],
)
def test_unreadable_pages_raise_parse_error_naming_the_field(html: str, field: str) -> None:
    with pytest.raises(ParseError) as caught:
        PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert caught.value.field == field
    assert BASE in str(caught.value)


def test_registry_picks_walaw_for_every_edition_and_generic_elsewhere() -> None:
    for host in ("fr.walaw.press", "en.walaw.press", "it.walaw.press", "walaw.press"):
        assert parsers.for_url(f"https://{host}/articles/a/GMQMMWGMMPMW").name == "walaw"
    assert parsers.for_url("https://example.org/a").name == "generic"
    assert parsers.for_url("https://notwalaw.press/").name == "generic"
