"""The standfirst as printed: the short paragraph a page sets between headline and body.

The generic parser's ``lead`` is this visible text, never the meta description
(that goes to ``Article.description``). A standfirst is a block the page names
so (``chapo``, ``standfirst``, ``dek``, ``intro``, ``summary``...) that stands
before the body's first paragraph or opens it, reads as prose (30 to 800
characters, few links) and is not the body container itself; failing that, the
body's first block when it repeats the meta description and the page marks it
as a standfirst. No rule names a site.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.boilerplate import marker_words
from parsers.maintext import STANDFIRST_WORDS, link_density

__all__ = ["find_standfirst"]

#: Elements that may carry a standfirst's class.
_CANDIDATES = "p[class], div[class], h2[class], span[class], section[class], p[id], div[id]"
_MIN, _MAX = 30, 800
#: Words that name a standfirst; "description" and "summary" name teaser blurbs too
#: often to be trusted on a block that holds other blocks.
_STRONG = frozenset({"standfirst", "chapo", "chapeau", "dek", "deck", "subheadline", "lede"})


def _text(node: LexborNode) -> str:
    return " ".join(node.text(deep=True, separator=" ").split())


def _before(a: LexborNode, b: LexborNode) -> bool:
    """Whether ``a`` ends before ``b`` starts in document order (neither inside the other)."""
    line: set[int] = set()
    node: LexborNode | None = b
    while node is not None:
        line.add(node.mem_id)
        node = node.parent
    if a.mem_id in line:
        return False  # a holds b
    for inner in b.traverse(include_text=False):
        if inner.mem_id == a.mem_id:
            return False  # a is part of b
    node = a
    while node is not None:  # forward from a, siblings first, then the parents' siblings
        sibling = node.next
        while sibling is not None:
            if sibling.mem_id in line:
                return True
            sibling = sibling.next
        node = node.parent
    return False


def find_standfirst(tree: LexborHTMLParser, body_first: LexborNode | None) -> str | None:
    """The standfirst's text, or None. ``body_first`` is the body's first paragraph block."""
    scope = tree.body
    if scope is None:
        return None
    for node in scope.css(_CANDIDATES)[:400]:
        words = marker_words(node)
        if words.isdisjoint(STANDFIRST_WORDS):
            continue
        text = _text(node)
        if not _MIN <= len(text) <= _MAX:
            continue
        if node.css_first("p, div, li") is not None and words.isdisjoint(_STRONG):
            continue
        if link_density(node, len(text)) > 0.3:
            continue
        if body_first is not None and not _before(node, body_first):
            continue
        return text
    return None
