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

#: Zero-width marks and soft hyphens, deleted from text.
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
    """Collapse every run of white space (nbsp included) to one space; drop zero-width marks.

    ``str.split()`` splits on exactly the characters ``re``'s ``\\s`` matches, so this is
    ``re.sub(r"\\s+", " ", text).strip()`` (content hashes depend on it) at a third of the cost.
    """
    if not text:
        return ""
    if not text.isascii() and (
        "\u200b" in text
        or "\u200c" in text
        or "\u200d" in text
        or "\u2060" in text
        or "\ufeff" in text
        or "\u00ad" in text
    ):  # six substring tests: a tenth of a regex search, on every French line
        text = _ZERO_WIDTH_RE.sub("", text)
    return " ".join(text.split())


def text_of(node: LexborNode | None) -> str:
    """The cleaned text of ``node`` and its descendants ('' for None)."""
    if node is None:
        return ""
    return clean(node.text(deep=True, separator=""))


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
