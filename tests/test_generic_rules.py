"""The generic parser's general rules, one test (or a few) per rule, on HTML written here.

Each rule is stated for the web at large, not for a page of the corpus: generated
ids are no class words, a figure framing a quotation is text, a layout table's
cells are paragraphs, and so on. The pages in ``tests/fixtures/generic`` exercise
the same rules together, in several languages and scripts.
"""

from __future__ import annotations

import pytest

from parsers.boilerplate import words_of
from parsers.extract import tree_of
from parsers.maintext import find_main_text, strip_boilerplate

PROSE = (
    "A paragraph of real prose, long enough to count, with commas, clauses, and a point "
    "that the reader follows to its end."
)


def _body(html: str) -> str:
    tree = tree_of(html)
    strip_boilerplate(tree)
    return find_main_text(tree).body


@pytest.mark.parametrize(
    ("marker", "words"),
    [
        ("block-c7bade55-970b-4fe0-b18a-852d64d121ac", {"block"}),
        ("c0cecd73-c1c9-4a00-9066-28832d68d09e", set()),
        ("ad-slot-1", {"ad", "slot", "adslot"}),
        ("ad300x250", {"ad", "x", "adx"}),
    ],
)
def test_generated_ids_give_no_class_words(marker: str, words: set[str]) -> None:
    assert words_of(marker) == words


def test_a_paragraph_with_a_generated_id_is_not_taken_for_an_ad() -> None:
    odd = "An odd paragraph, with an id a content system generated, that still belongs here."
    html = f"<article><p>{PROSE}</p><p id='p-3b18a-852d64d1'>{odd}</p><p>{PROSE}</p></article>"
    assert odd in _body(html)


def test_a_figure_framing_a_quotation_is_text() -> None:
    quote = "We will keep the old bridge open to walkers and cyclists for as long as it stands."
    html = (
        f"<article><p>{PROSE}</p><figure><blockquote><p>{quote}</p></blockquote>"
        f"<figcaption>The mayor</figcaption></figure><p>{PROSE}</p>"
        "<figure><img src='a.jpg'><p>A photograph of the bridge at dusk, from the east.</p>"
        "</figure></article>"
    )
    body = _body(html)
    assert quote in body
    assert "The mayor" not in body
    assert "dusk" not in body
