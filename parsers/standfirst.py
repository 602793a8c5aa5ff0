"""The standfirst as printed: the short paragraph a page sets between headline and body.

The generic parser's ``lead`` is this visible text, never the meta description
(that goes to ``Article.description``). A standfirst is a block the page names
so (``chapo``, ``standfirst``, ``dek``, ``intro``, ``summary``...) that stands
after the headline and before the body's first paragraph (or opens the body),
reads as prose (30 to 800 characters, few links) and, when it holds more than
two blocks, names itself unmistakably (``chapo``, ``standfirst``, ``dek``). Candidates are
read before boilerplate is stripped (the ``<header>`` that holds a standfirst
goes with the page's header) and placed by their position in the page's text.
No rule names a site.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.boilerplate import marker_words
from parsers.maintext import STANDFIRST_WORDS, link_density

__all__ = ["choose_standfirst", "page_text", "standfirst_candidates"]

#: Elements that may carry a standfirst's class.
_CANDIDATES = "p[class], div[class], h2[class], span[class], section[class], p[id], div[id]"
_MIN, _MAX = 30, 800
#: Blocks read at most (a listing page has thousands).
_MAX_NODES = 400
#: Characters of a paragraph looked for in the page's text to place it.
_PROBE = 60
#: Words that name a standfirst; "description" and "summary" name teaser blurbs too
#: often to be trusted on a block that holds other blocks.
_STRONG = frozenset({"standfirst", "chapo", "chapeau", "dek", "deck", "subheadline", "lede"})


def _text(node: LexborNode) -> str:
    return " ".join(node.text(deep=True, separator=" ").split())


def standfirst_candidates(tree: LexborHTMLParser) -> list[str]:
    """Texts of the blocks named as a standfirst, in page order, read before any stripping
    (a standfirst often sits in the ``<header>`` that stripping removes with the page's)."""
    scope = tree.body
    if scope is None:
        return []
    found = []
    for node in scope.css(_CANDIDATES)[:_MAX_NODES]:
        words = marker_words(node)
        if words.isdisjoint(STANDFIRST_WORDS):
            continue
        text = _text(node)
        if not _MIN <= len(text) <= _MAX or text in found:
            continue
        if words.isdisjoint(_STRONG) and len(node.css("p, div, li")) > 2:
            continue  # a "summary" of several blocks: a teaser list, a table of contents
        if link_density(node, len(text)) > 0.3:
            continue
        found.append(text)
    return found


def page_text(tree: LexborHTMLParser) -> str:
    """The page's text as one line (to tell what comes before what)."""
    body = tree.body
    return " ".join(body.text(deep=True, separator=" ").split()) if body is not None else ""


def choose_standfirst(
    candidates: list[str], text: str, headline: str | None, first_paragraphs: tuple[str, ...]
) -> str | None:
    """The first candidate printed after the headline and before the body's first paragraph."""
    if not candidates:
        return None
    body_at = -1
    for paragraph in first_paragraphs[:2]:
        body_at = text.find(paragraph[:_PROBE])
        if body_at >= 0:
            break
    if body_at < 0:
        return None
    head_at = text.find(headline) if headline else -1
    for candidate in candidates:
        at = text.find(candidate)
        if at < 0 or at > body_at or (head_at >= 0 and at < head_at):
            continue
        if at == body_at or candidate not in first_paragraphs[:3]:
            return candidate
    return None
