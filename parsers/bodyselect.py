"""Choose an article's body among candidate readings of a page, and say when it is doubtful.

The first reading strips every block whose class names a widget, then takes the
best-scored container (``parsers.maintext``). When that pick lies far from the
printed headline (it neither holds it nor sits within its four nearest
ancestors), the best container under those ancestors wins if it holds 30% of
the pick's text. A pick that is empty or scant (under 200 characters) is read
again with only the never-text and furniture tags stripped; that reading wins
at three times the text. When no reading finds a container, the lightly
stripped page's body lines are the answer, and failing those every line of
text of the page (a page with text gets an answer). Such bodies are flagged:
``Article.missing`` then names ``DOUBTFUL_BODY``. ``drop_lines`` takes the
headline, bylines, the standfirst and a second printed copy of the article out.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.base import Section
from parsers.bodylines import has_letters, text_weight
from parsers.extract import tree_of
from parsers.maintext import (
    NEVER_TEXT,
    MainText,
    collect_sections,
    find_main_text,
    repeats_lead,
    strip_boilerplate,
)

__all__ = ["DOUBTFUL_BODY", "BodyPick", "choose_body", "drop_lines", "is_text"]

#: The ``missing`` entry of an article whose body was found with little evidence.
DOUBTFUL_BODY = "body_confidence"
#: A body shorter than this (characters, CJK twice) is doubtful: it is looked for again
#: in the lightly stripped page (a longer pick there is bound to be more than a short post).
_SCANT = 200
#: Ancestors of the headline within which the body is expected.
_LEVELS = 4
#: Headings read to find the headline.
_HEADINGS = 100
#: The text near the headline wins at this share of the far pick's length.
_RATIO = 0.3
#: A paragraph this long (characters) given twice is the same text twice.
_REPEAT = 50
#: Lines of text shorter than this in all are no article (a gallery's "Home" link).
_NO_TEXT = 25


@dataclass(frozen=True)
class BodyPick:
    """The chosen body: its sections, and whether the evidence for it is good."""

    sections: tuple[Section, ...]
    confident: bool


def _length(sections: tuple[Section, ...]) -> int:
    """The body's length, CJK characters counted twice (``text_weight``)."""
    return sum(text_weight(p) for s in sections for p in s.paragraphs)


def is_text(pick: BodyPick, sections: tuple[Section, ...]) -> bool:
    """Whether ``sections`` (the pick once headline and bylines are out) are text at all:
    a doubtful pick of a menu item or two ("Home") is no article."""
    return pick.confident or _length(sections) >= _NO_TEXT


def _chain(node: LexborNode) -> set[int]:
    ids = set()
    current: LexborNode | None = node
    while current is not None:
        ids.add(current.mem_id)
        current = current.parent
    return ids


def _near_headline(tree: LexborHTMLParser, container: LexborNode, headline: str) -> MainText | None:
    """The text found near the printed headline, when the pick lies far from it.

    Far: the pick neither holds the headline nor sits within the headline's
    ``_LEVELS`` nearest ancestors. The text near it is the best container
    under the highest of those ancestors.
    """
    body = tree.body
    if body is None:
        return None
    heading = None
    for node in body.css("h1, h2, h3")[:_HEADINGS]:
        if " ".join(node.text(deep=True).split()) == headline:
            heading = node
            break
    if heading is None or container.mem_id in _chain(heading):
        return None
    picked = _chain(container)
    top = None
    node = heading.parent
    for _ in range(_LEVELS):
        if node is None or node.tag in ("body", "html"):
            break
        if node.mem_id in picked:
            return None  # the pick is near the headline
        top, node = node, node.parent
    if top is None:
        return None
    near = find_main_text(tree, root=top)
    if not near.sections or near.container is None or near.container.mem_id in picked:
        return None  # nothing there, or the same text seen wider
    if container.mem_id in _chain(near.container):
        return None
    return near


def choose_body(html: str | bytes, tree: LexborHTMLParser, headline: str | None = None) -> BodyPick:
    """The best body of the page ``html`` (``tree`` is its parse, stripped here in place)."""
    strip_boilerplate(tree)
    found = find_main_text(tree)
    length = _length(found.sections)
    if headline and found.container is not None:
        near = _near_headline(tree, found.container, headline)
        if near is not None and _length(near.sections) >= _RATIO * length:
            found, length = near, _length(near.sections)
    if found.sections and length >= _SCANT:
        return BodyPick(found.sections, True)
    light = tree_of(html)
    strip_boilerplate(light, light=True)
    other = find_main_text(light)
    other_length = _length(other.sections)
    if other.sections and other_length > 3 * length:
        return BodyPick(other.sections, other_length >= _SCANT)
    if found.sections:
        return BodyPick(found.sections, False)
    body = light.body
    lines = collect_sections(body) if body is not None else ()
    if _length(lines) >= _NO_TEXT:
        return BodyPick(lines, False)
    bare = tree_of(html)  # furniture tags may wrap the whole page (an ASP.NET <form>)
    for node in bare.css(NEVER_TEXT):
        node.decompose()
    return BodyPick(_text_lines(bare.body), False)


def _text_lines(body: LexborNode | None) -> tuple[Section, ...]:
    """Every line of text of ``body`` that holds a letter, as one section (the last resort)."""
    if body is None:
        return ()
    lines = []
    for line in body.text(deep=True, separator="\n").splitlines():
        line = " ".join(line.split())
        if len(line) > 1 and has_letters(line) and (not lines or lines[-1] != line):
            lines.append(line)
    if sum(text_weight(line) for line in lines) < _NO_TEXT:
        return ()  # a menu item or two: the page has no text of its own
    return (Section(None, tuple(lines)),)


def _second_copies(paragraphs: list[str]) -> set[int]:
    """Positions of paragraphs that repeat, in a run of different ones, text given before:
    the article printed twice (a preview, a print copy). A refrain repeated stays."""
    seen: set[str] = set()
    again = []
    for paragraph in paragraphs:
        again.append(len(paragraph) >= _REPEAT and paragraph in seen)
        seen.add(paragraph)
    copies = set()
    for i, repeated in enumerate(again):
        if not repeated:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(again) and again[j] and paragraphs[j] != paragraphs[i]:
                copies.add(i)
                break
    return copies


def drop_lines(
    sections: tuple[Section, ...], not_body: set[str], lead: str | None
) -> tuple[Section, ...]:
    """The sections without the headline or byline again, nor the standfirst (``lead``),
    nor a paragraph of some length a second time."""
    kept: list[Section] = []
    checks = 3
    copies = _second_copies([p for s in sections for p in s.paragraphs])
    index = -1
    for section in sections:
        paragraphs = []
        for paragraph in section.paragraphs:
            index += 1
            if paragraph in not_body or index in copies:
                continue
            if checks > 0:
                checks -= 1
                if lead and repeats_lead(paragraph, lead):
                    continue
            paragraphs.append(paragraph)
        if paragraphs:
            kept.append(Section(section.headline, tuple(paragraphs)))
    return tuple(kept)
