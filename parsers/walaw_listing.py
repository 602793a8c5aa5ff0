"""walaw's archive listings: the teasers of a listing page and the link to its next (older) page.

walaw's past is reached through paginated listings (``/dernières-nouvelles/N``,
``/latest-news/N``, ``/categorie/<slug>/<ID>/N``), newest first, each teaser a
headline linking to an article, the first lines of its text cut with ``......``
and maybe a date. The markup is unknown, so this reads structure: a teaser is an
article link whose own block (the largest ancestor, up to ``ITEM_LEVELS`` up,
linking to that article only) holds more text than its headline; its date is a
``<time datetime>`` in the block, else a date written in the block's text
(``09/05/2025 11:07``, ``2025-05-09``, ``9 mai 2025 à 11h07``), naive (the
caller knows the site's timezone). The next page is, in this order: ``<link
rel="next">``, an ``<a rel="next">``, a link whose text says "next" (``Suivant``,
``Next``, ``»``...), a link to this listing's page N + 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborNode

from parsers.base import Teaser
from parsers.extract import clean, text_of, url_host
from parsers.page import Page
from parsers.times import CLOCK, parse_datetime

#: How far up from a link a teaser's block may reach.
ITEM_LEVELS = 3
#: Where a teaser's excerpt is cut.
CUT_RE = re.compile(r"\s*(?:\.{3,}|…+)\s*$")
#: Tags that close a teaser's block (a whole list or column is not one teaser).
_STOP_TAGS = frozenset({"body", "html", "main", "ul", "ol", "section", "nav"})
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "article", "section"})
_MONTH_NUMBERS = {
    "janvier": 1, "janv": 1, "january": 1, "jan": 1, "gennaio": 1,
    "février": 2, "fevrier": 2, "févr": 2, "february": 2, "feb": 2, "febbraio": 2,
    "mars": 3, "march": 3, "mar": 3, "marzo": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4, "aprile": 4,
    "mai": 5, "may": 5, "maggio": 5,
    "juin": 6, "june": 6, "jun": 6, "giugno": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7, "luglio": 7,
    "août": 8, "aout": 8, "august": 8, "aug": 8, "agosto": 8,
    "septembre": 9, "sept": 9, "september": 9, "sep": 9, "settembre": 9,
    "octobre": 10, "october": 10, "oct": 10, "ottobre": 10,
    "novembre": 11, "november": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "december": 12, "dec": 12, "dicembre": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
#: An optional clock time after a date: ``11:07``, ``à 11h07``, ``- 11:07``, ``, 11:07``.
_AFTER = rf"(?:[\sT,\-–à|]{{1,6}}{CLOCK})?"
_NUMERIC_RE = re.compile(rf"(?<!\d)(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{4}})(?!\d){_AFTER}")
_ISO_RE = re.compile(rf"(?<!\d)(\d{{4}})-(\d{{2}})-(\d{{2}})(?!\d){_AFTER}")
_WORDS_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er)?\s+({_MONTH_ALT})\.?\s+(\d{{4}})(?!\d){_AFTER}", re.I
)
#: What a "next page" link says.
_NEXT_WORDS = frozenset(
    {"suivant", "suivante", "page suivante", "next", "next page", "successivo", "successiva",
     "pagina successiva", "»", "›", "→", ">", ">>", "suivant »", "next »", "suivant ›", "next ›",
     "plus anciens", "articles plus anciens", "older", "older posts"}
)  # fmt: skip
_PAGE_RE = re.compile(r"^(.*?)/(\d{1,6})/?$")

#: Resolves an href of the page to the article it leads to, or None.
Resolver = Callable[[str | None], str | None]
#: The distinct articles a node links to (two at most).
Targets = Callable[[LexborNode], list[str]]


def teasers(
    page: Page, selector: str, resolve: Resolver, targets: Targets, skip: set[str]
) -> tuple[Teaser, ...]:
    """The teasers of a listing page, in page order, each article once (``skip``: none of
    these, the ticker's links). ``selector`` picks the anchors that may lead to an article,
    ``resolve`` says which, ``targets`` which articles a node links to (indexed once)."""
    found: dict[str, Teaser] = {}
    for anchor in page.css(selector):
        url = resolve(anchor.attributes.get("href"))
        if url is None or url in skip or url in found:
            continue
        block = _block(anchor, url, targets)
        headline = block.css_first("h1, h2, h3, h4")
        title = text_of(headline) if headline is not None else text_of(anchor)
        if not title:
            continue
        whole = text_of(block)
        rest = clean(whole.replace(title, " ", 1))
        if len(rest) < 20:
            continue  # a headline alone (or with a time): a plain link, not a teaser
        stamp = _block_time(block, rest)
        excerpt = _excerpt(block, title)
        found[url] = Teaser(title, url, excerpt or None, stamp)
    return tuple(found.values())


def _block(anchor: LexborNode, url: str, targets: Targets) -> LexborNode:
    """The largest ancestor (up to ITEM_LEVELS up) whose article links all lead to ``url``."""
    block = anchor
    node = anchor.parent
    for _ in range(ITEM_LEVELS):
        if node is None or node.tag in _STOP_TAGS or targets(node) != [url]:
            break
        block = node
        node = node.parent
    return block


def _excerpt(block: LexborNode, title: str) -> str:
    """The longest paragraph-like text of the block other than the headline, cut marks dropped."""
    best = ""
    for node in block.css("p, div, span"):
        if any(child.tag in _BLOCK_TAGS for child in node.iter()):
            continue  # a wrapper: its inner blocks are read instead
        text = text_of(node)
        if text and title not in text and len(text) > len(best) and not _is_date_only(text):
            best = text
    return CUT_RE.sub("", best)


def _is_date_only(text: str) -> bool:
    return len(text) <= 40 and teaser_date(text) is not None


def _block_time(block: LexborNode, text: str) -> datetime | None:
    node = block.css_first("time[datetime]")
    if node is not None:
        stamp = parse_datetime(node.attributes.get("datetime"))
        if stamp is not None:
            return stamp
    return teaser_date(text)


def teaser_date(text: str) -> datetime | None:
    """The first date (with its time, if written after it) in ``text``, naive; None if none
    or if it is no calendar date (31/02)."""
    candidates: list[tuple[int, datetime | None]] = []
    match = _NUMERIC_RE.search(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        candidates.append((match.start(), _moment(year, month, day, match[4], match[5])))
    match = _ISO_RE.search(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        candidates.append((match.start(), _moment(year, month, day, match[4], match[5])))
    match = _WORDS_RE.search(text)
    if match:
        month = _MONTH_NUMBERS[match[2].lower()]
        moment = _moment(int(match[3]), month, int(match[1]), match[4], match[5])
        candidates.append((match.start(), moment))
    dated = sorted((start, m) for start, m in candidates if m is not None)
    return dated[0][1] if dated else None


def _moment(
    year: int, month: int, day: int, hour: str | None, minute: str | None
) -> datetime | None:
    try:
        return datetime(year, month, day, int(hour or 0), int(minute or 0))
    except ValueError:
        return None


def next_page(page: Page) -> str | None:
    """The URL of the listing's next (older) page, on the same host, or None."""
    own = page.url
    host = url_host(own)

    def usable(href: str | None) -> str | None:
        url = page.absolute(href)
        if not url or url_host(url) != host or _same_page(url, own):
            return None
        return url.split("#")[0]

    declared = usable(page.link("next"))
    if declared:
        return declared
    anchors = page.css("a[href]")
    for anchor in anchors:
        if "next" in (anchor.attributes.get("rel") or "").lower().split():
            url = usable(anchor.attributes.get("href"))
            if url:
                return url
    for anchor in anchors:
        words = (text_of(anchor) or anchor.attributes.get("aria-label") or "").lower()
        if words.strip(" ") in _NEXT_WORDS:
            url = usable(anchor.attributes.get("href"))
            if url:
                return url
    wanted = _following_path(own)
    for anchor in anchors:
        url = usable(anchor.attributes.get("href"))
        if url and _path(url) == wanted:
            return url
    return None


def _path(url: str) -> str:
    """The URL's path, unquoted, without its last slash ("" when the URL cannot be split)."""
    return unquote(_split(url)[0]).rstrip("/")


def _split(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracketed host that is no IPv6 address...
        return "", ""
    return parts.path, parts.query


def _same_page(a: str, b: str) -> bool:
    return _path(a) == _path(b) and _split(a)[1] == _split(b)[1]


def _following_path(url: str) -> str:
    """The path of page N + 1 of the listing at ``url`` (page 1 when it has no number)."""
    path = _path(url)
    match = _PAGE_RE.match(path)
    if match:
        return f"{match[1]}/{int(match[2]) + 1}"
    return f"{path}/2"
