"""Small selectolax helpers every parser uses: the tree from bytes, clean text, links, dedupe.

Everything here is pure and cheap. The page model (JSON-LD, ``<meta>``,
metadata) is ``parsers.page``, times are ``parsers.times``, links are resolved
by ``parsers.links``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SPACE_RE = re.compile(r"\s+")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def tree_of(html: str | bytes) -> LexborHTMLParser:
    """Parse ``html``; bytes are read as UTF-8 (the fetcher hands parsers UTF-8).

    A ``str`` holding lone surrogates (text decoded with ``surrogateescape``) is
    passed through; Lexbor reads them as U+FFFD, so no surrogate reaches a parser.
    """
    if isinstance(html, str):
        html = html.encode("utf-8", "surrogatepass")
    return LexborHTMLParser(html)


def clean(text: str | None) -> str:
    """Collapse every run of white space (nbsp included) to one space; drop zero-width marks."""
    if not text:
        return ""
    return _SPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text)).strip()


def text_of(node: LexborNode | None) -> str:
    """The cleaned text of ``node`` and its descendants ('' for None)."""
    if node is None:
        return ""
    return clean(node.text(deep=True, separator=""))


def link_href(tree: LexborHTMLParser, rel: str) -> str | None:
    """The href of the first ``<link rel=...>`` naming ``rel``."""
    for node in tree.css("link[rel][href]"):
        rels = (node.attributes.get("rel") or "").lower().split()
        if rel in rels:
            href = clean(node.attributes.get("href"))
            if href:
                return href
    return None


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    """Items in first-seen order, each once, empties dropped."""
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return tuple(seen)


def url_host(url: str) -> str:
    """The lower-cased host of ``url``, no trailing dot; '' when it has none or is unreadable."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
