"""The headline as printed (``parsers.headline``): the h1 the declared titles name."""

from __future__ import annotations

import pytest

from parsers.extract import tree_of
from parsers.headline import printed_headline
from parsers.page import Page


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # the printed h1, not the shortened social title, when <title> names it
        (
            '<meta property="og:title" content="Bridge reopens"><title>Harbour bridge reopens'
            " after repair | The Herald</title>",
            "<h1>Harbour bridge reopens after repair</h1>",
            "Harbour bridge reopens after repair",
        ),
        # a blog's name in an h1 linking home is not the post's headline
        (
            "<title>Nur mein Standpunkt | Blogposting 01/23/2020</title>",
            '<h1><a href="https://blog.example/">Nur mein Standpunkt</a></h1>'
            "<h2>Blogposting 01/23/2020</h2>",
            "Blogposting 01/23/2020",
        ),
        # a kicker before the declared title is not part of the headline
        (
            '<meta property="og:title" content="Große Aufgaben für die neue Regierung">',
            "<h1><span>Tunesien</span> Große Aufgaben für die neue Regierung</h1>",
            "Große Aufgaben für die neue Regierung",
        ),
        # no declared title: the only h1
        ("", "<h1>Le retour des hirondelles</h1>", "Le retour des hirondelles"),
    ],
)
def test_printed_headline(head: str, body: str, expected: str) -> None:
    assert printed_headline(Page(tree_of(_page(head, body))), None) == expected


def test_no_heading_the_declared_titles_name_gives_none() -> None:
    tree = tree_of(_page("<title>Weather today</title>", "<h1>Site menu</h1><h1>Other</h1>"))
    assert printed_headline(Page(tree), "Weather today") is None


def test_many_headings_and_long_ones_stay_cheap() -> None:
    body = "<h2>" + "x" * 400 + "</h2>" + "<h3>teaser</h3>" * 5000 + "<h3>Weather today</h3>"
    tree = tree_of(_page("<title>Weather today</title>", body))
    # only the first 40 headings of a rank are read
    assert printed_headline(Page(tree), None) is None
