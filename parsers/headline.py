"""The headline as printed: the page's ``h1``, or the heading that its declared titles name.

Pages declare their title in ``og:title``, JSON-LD ``headline`` and ``<title>``,
often with the site's name around it; the headline a reader sees is the ``h1``
(or, on pages without one, a heading of another rank). A heading is taken when
a declared title names it (equal, or one contains the other once case, spaces
and punctuation are set aside); with no declared title, the page's only ``h1``
is. A heading that links to the site's home page is the site's name, not a
headline. Otherwise the declared title stands, site-name suffixes removed by
``parsers.metadata``. Pure functions of a tree; no rule names a site.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from parsers.cleanup import strip_site_name
from parsers.extract import clean
from parsers.page import Page

__all__ = ["printed_headline"]

_KEY_RE = re.compile(r"\W+")
#: The scheme and host of an absolute link, to read its path.
_PATH_RE = re.compile(r"^(?:https?:)?//[^/?#]*")
#: Headings read, in the order they are trusted.
_HEADINGS = ("h1", "h2", "h3")
#: A heading longer than this is a paragraph set in large type, not a headline.
_MAX_HEADLINE = 300
#: Headings of one rank read at most (a listing page has hundreds of ``h2``).
_MAX_PER_RANK = 40


def _key(text: str) -> str:
    return _KEY_RE.sub("", text.casefold())


def _names(heading: str, declared: list[str]) -> bool:
    """Whether a declared title names ``heading`` (equal, or contains it as a whole part)."""
    key = _key(heading)
    if len(key) < 4:
        return False
    for title in declared:
        other = _key(title)
        if not other:
            continue
        if key == other:
            return True
        if key in other and len(key) >= 0.4 * len(other):
            return True  # "Headline | Site" declares "Headline"
        if other in key and len(other) >= 0.6 * len(key):
            return True  # a heading that adds a kicker or a label to the declared title
    return False


def _without_kicker(heading: str, declared: list[str]) -> str:
    """The heading without a kicker or date before the declared title ("Tunisie | Title")."""
    folded = heading.casefold()
    for title in declared:
        title = title.strip()
        if len(title) >= 0.5 * len(heading) and title != heading:
            at = folded.rfind(title.casefold())
            if at > 0 and at + len(title) == len(heading):
                return heading[at:]
    return heading


def _links_home(node: LexborNode) -> bool:
    """Whether a heading is a link to a site's home page (a blog's name set in an ``h1``)."""
    link = node.css_first("a[href]")
    if link is None or len(link.text(deep=True).strip()) < 0.8 * len(node.text(deep=True).strip()):
        return False
    href = (link.attributes.get("href") or "").strip()
    path = _PATH_RE.sub("", href)
    return path in ("", "/", "#") or path.startswith(("/index.", "/?", "/#"))


def printed_headline(
    page: Page, declared_title: str | None, site_name: str | None = None
) -> str | None:
    """The headline as the page prints it, or None when no heading can be trusted."""
    tree = page.tree
    declared = [
        t
        for t in (
            declared_title,
            page.meta("og:title", "twitter:title"),
            clean((tree.css_first("title") or _Empty()).text()),
        )
        if t
    ]
    h1s = []
    for rank in _HEADINGS:
        for node in tree.css(rank)[:_MAX_PER_RANK]:
            text = clean(node.text(deep=True, separator=" "))
            if not text or len(text) > _MAX_HEADLINE or _links_home(node):
                continue
            text = strip_site_name(text, site_name)
            if rank == "h1":
                h1s.append(text)
            if declared and _names(text, declared):
                return _without_kicker(text, declared)
    if not declared and len(h1s) == 1:
        return h1s[0]
    return None


class _Empty:
    def text(self) -> str:
        return ""
