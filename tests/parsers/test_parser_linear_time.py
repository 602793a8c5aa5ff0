"""Every parser reads adversarial pages in bounded time: no regex or tree walk blows up.

Each page puts one adversarial text (long runs of capitals, separators,
digits, clock times, dates and names; a 100 KB paragraph; 10,000 nested
elements; thousands of links in one block; hrefs shaped like a site's article
paths) where parsers look: headline, paragraphs, bylines, ``<meta>``, link
texts and hrefs. Both ``parse_article`` and ``parse_listing`` of every
registered parser run in a forked child killed at ``DEADLINE`` seconds, so an
exponential case fails fast instead of hanging the suite. The bound is
generous (the pages take milliseconds when linear); it tells linear from
exponential or quadratic, not fast from slow.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time

import pytest

import parsers
from parsers.base import ParseError

#: Seconds a parser may take on one page (linear parsing takes a few milliseconds).
DEADLINE = 3.0
URL = "https://fr.walaw.press/articles/un-sujet/GMQMMWGMMPMW"
_PROSE = "<p>Le conseil municipal a voté le budget après une longue séance de nuit.</p>"

#: Adversarial lines: each placed in every spot of ``_pages``.
LINES = {
    "capitals": "By " + "A" * 5000 + "!",
    "capitals-short": "By " + "A" * 40 + "!",
    "spaced-capitals": "By " + "A " * 3000 + "!",
    "names": "Par " + "Jean-Pierre Dupont, " * 500 + "!",
    "name-words": "By " + "Ab " * 40 + "!",
    "separators": " - | : · • / " * 2000,
    "digits": "1" * 20000,
    "clock-times": "11:07 " * 3000,
    "glued-times": "11h0711h07" * 2000,
    "dates": "09/05/2025 " * 3000,
    "months": "9 mai " * 3000,
    "parentheses": "(" * 5000 + "a" * 5000,
    "comment-counters": "Commentaires " * 3000 + "(",
    "paragraph-100kb": "Le conseil municipal a voté le budget après une longue séance, " * 1600,
    "at-signs": "x@" * 15000,
    "dashes": "a-" * 20000,
}


def _pages(text: str) -> dict[str, str]:
    head = text[:5000]
    return {
        "body": f"<html><body><h1>{head}</h1><p>{text}</p>{_PROSE}<p>{text}</p></body></html>",
        "meta": (
            f'<html><head><meta property="og:title" content="{text}">'
            f'<meta name="author" content="{text}"><meta name="keywords" content="{text}">'
            f'<meta property="article:published_time" content="{text}"><title>{text}</title>'
            f'</head><body><h1>Un titre</h1><div class="byline">{head}</div>{_PROSE}{_PROSE}'
            "</body></html>"
        ),
        "links": (
            f'<html><body><ul><li><span>{head}</span><a href="/articles/{text[:300]}/GMQMMWGMMPMW">'
            f'{text}</a></li></ul><a href="/{text}">x</a><img srcset="{text}" src="/i.jpg">'
            f"<h1>Un titre</h1>{_PROSE}<p>{text}</p></body></html>"
        ),
    }


def _structure_pages() -> dict[str, str]:
    nested = "<div>" * 10_000 + _PROSE * 2 + "</div>" * 10_000
    many = "".join(f'<a href="/articles/s{i}/ABCDEFGHIJ{i:02d}">Titre {i}</a>' for i in range(5000))
    hrefs = "".join(
        f'<a href="{h}">x</a>'
        for h in (
            "/x/article/2023/08/30/" + "a_1" * 20000,
            "/" + "a-" * 30000 + "!",
            "/" + "-1" * 30000 + "!",
            "/" + "a-20" * 20000,
            "/2024/04/30/" + "a" * 60000 + "/x/",
        )
    )
    return {
        "nested-10000": f"<html><body><h1>Un titre</h1>{nested}</body></html>",
        "links-5000-in-one-block": f"<html><body><h1>T</h1><div>{many}</div>{_PROSE}</body></html>",
        "article-path-hrefs": f"<html><body><h1>Un titre</h1>{hrefs}{_PROSE}{_PROSE}</body></html>",
    }


CASES: dict[str, str] = {
    f"{name}/{spot}": page for name, text in LINES.items() for spot, page in _pages(text).items()
}
CASES.update(_structure_pages())
#: (parser, case) pairs known to blow up in code another change fixes; strict: they flip.
KNOWN_SLOW = {
    ("generic", "capitals-short/body"): "H4 fixes bodylines",
    ("generic", "capitals-short/links"): "H4 fixes bodylines",
}


def _read(name: str, entry: str, html: str) -> None:
    with contextlib.suppress(ParseError):
        getattr(parsers.get(name), entry)(html, URL)


def within_deadline(name: str, entry: str, html: str) -> float | None:
    """Seconds ``entry`` of parser ``name`` took on ``html`` in a forked child; None when it
    had not finished at ``DEADLINE`` (the child is then killed). A crash fails the test."""
    child = multiprocessing.get_context("fork").Process(target=_read, args=(name, entry, html))
    start = time.monotonic()
    child.start()
    child.join(DEADLINE)
    took = time.monotonic() - start
    if child.is_alive():
        child.kill()
        child.join()
        return None
    assert child.exitcode == 0, f"{name}.{entry} raised on the page (exit {child.exitcode})"
    return took


def _params() -> list[object]:
    params = []
    for name in parsers.names():
        for case in CASES:
            marks = []
            if (name, case) in KNOWN_SLOW:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_SLOW[name, case]))
            params.append(pytest.param(name, case, marks=marks, id=f"{name}-{case}"))
    return params


@pytest.mark.slow
@pytest.mark.parametrize(("name", "case"), _params())
def test_parser_reads_adversarial_page_in_bounded_time(name: str, case: str) -> None:
    for entry in ("parse_article", "parse_listing"):
        took = within_deadline(name, entry, CASES[case])
        assert took is not None, f"{name}.{entry} on {case}: still running after {DEADLINE} s"
