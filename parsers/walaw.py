"""Parser for walaw.press (fr/en/it editions), the seed site, written on structure not class names.

What is known of the site (``shared/corpus/README.md``): article URLs are
``/articles/<slug>/<id>``; every page opens with the site-wide ticker, items of a
local ``HH:MM`` time beside a link to an article, newest first; then the one
``h1`` headline, a lead paragraph, the body paragraphs and ``Commentaires (N)``.
The real markup is unknown, so this parser keys on that structure only: a ticker
item is an article link whose own item (the smallest block holding that one
link) shows a bare time; any other article link is an article link. The lead is
the block the page marks as one (chapo, lead, intro...), else the first paragraph
of the run; the body is the paragraphs after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import register
from parsers.base import Article, Listing, ParseError, Section, SiteParser, TickerItem
from parsers.extract import clean, dedupe, join_url, parse_datetime, text_of, tree_of, url_host
from parsers.maintext import (
    collect_sections,
    find_main_text,
    is_furniture,
    link_density,
    strip_boilerplate,
)
from parsers.metadata import page_metadata, split_authors

#: An article's path: ``/articles/<slug>/<id>`` (ids seen are 12 capital letters).
ARTICLE_PATH_RE = re.compile(r"^/(?:[a-z]{2}/)?articles/[^/?#]+/[A-Za-z0-9]{6,}/?$")
#: A clock time as a ticker shows it: ``11:07`` (also ``11h07``), not part of a date or duration.
TIME_RE = re.compile(r"(?<![\d:/.,])([01]?\d|2[0-3])\s?[:hH]\s?([0-5]\d)(?![\d:/]|\s?(?:min|sec))")
#: A time closing a link's text (``Crise ... 11:07`` or ``(11:07)``).
_TRAILING_TIME_RE = re.compile(r"\(?(?<![\d:])([01]?\d|2[0-3])\s?[:hH]\s?([0-5]\d)\)?\s*$")
#: A node whose whole text is a time (``11:07``, ``11h07 -``).
_BARE_TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])\s?[:hH]\s?([0-5]\d)\s*[-–—|:·•]?\s*$")
#: A date next to the time means a dated teaser, not a ticker item.
DATE_RE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")
#: ``Commentaires (N)`` on fr, ``Comments (N)`` on en, ``Commenti (N)`` on it.
COMMENTS_RE = re.compile(r"\b(?:Commentaires?|Comments?|Commenti)\s*\(\s*(\d+)\s*\)", re.I)
#: A block marked as the article's lead (chapeau) by its class or id.
LEAD_SELECTOR = (
    "[class*=chapo], [class*=chapeau], [class*=lead], [class*=intro], [class*=standfirst], "
    "[class*=summary], [class*=excerpt], [class*=resume], [itemprop=description]"
)
#: Text around a time that may stay in a ticker item besides the time itself.
_MAX_TIME_LABEL = 24
#: Shortest text that counts as a body paragraph.
MIN_PARAGRAPH = 25
_HOSTS = ("walaw.press",)
_ROOT_HIDING_ATTRS = ("hidden", "aria-hidden", "role")


@dataclass(frozen=True)
class _LinkedItem:
    """An article link found on a page, with its item block and the time shown there."""

    url: str
    title: str
    shown_time: str | None
    published_at: datetime | None
    item: LexborNode
    time_node: LexborNode | None = None


@register
class WalawParser(SiteParser):
    """fr.walaw.press, en.walaw.press, it.walaw.press."""

    name = "walaw"
    domains = _HOSTS
    version = "1"

    # --- listing -------------------------------------------------------------------------

    def parse_listing(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Listing:
        tree = tree_of(html)
        items = linked_items(tree, url)
        ticker = tuple(
            TickerItem(i.title, i.url, i.shown_time, i.published_at) for i in items if i.shown_time
        )
        skip = {t.url for t in ticker} | {url.split("#")[0]}
        links = dedupe(i.url for i in items if i.url not in skip)
        return Listing(url=url, ticker=_dedupe_ticker(ticker), article_links=links)

    # --- article -------------------------------------------------------------------------

    def parse_article(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Article:
        tree = tree_of(html)
        meta = page_metadata(tree)
        comment_count = self.comment_count(tree)
        for item in linked_items(tree, url):
            if item.shown_time:  # the site-wide ticker is never body text
                item.item.decompose()
                if item.time_node is not None:
                    item.time_node.decompose()
        title = self.title(tree) or meta.title
        if not title:
            raise ParseError(url, "title", "no h1, og:title or JSON-LD headline")
        marked_lead = self.marked_lead(tree, title)
        _unhide_root(tree)
        strip_boilerplate(tree)
        sections = self.body_sections(tree)
        if not sections:
            raise ParseError(url, "body", "no run of paragraphs in the main column")
        paragraphs = [p for s in sections for p in s.paragraphs]
        lead = marked_lead
        if lead is None and len(paragraphs) > 1:  # the first paragraph is the lead
            lead = paragraphs.pop(0)
            sections = _without_first_paragraph(sections)
        authors = meta.authors or self.byline(tree)
        return Article(
            url=url,
            title=title,
            lead=lead,
            body="\n\n".join(paragraphs),
            sections=sections,
            authors=authors,
            published_at=meta.published_at,
            updated_at=meta.updated_at,
            section=meta.section,
            tags=meta.tags,
            language=meta.language or _edition_language(url),
            canonical_url=meta.canonical_url,
            images=meta.images,
            paywalled=meta.paywalled,
            comment_count=comment_count,
            site_name=meta.site_name or "Walaw",
            parser=self.name,
            parser_version=self.version,
        )

    @staticmethod
    def title(tree: LexborHTMLParser) -> str | None:
        """The headline: the ``h1`` (see ``_headline``)."""
        return text_of(_headline(tree)) or None

    @staticmethod
    def body_sections(tree: LexborHTMLParser) -> tuple[Section, ...]:
        """The paragraph run of the main column: the column that holds the ``h1``."""
        column = _headline_column(tree)
        if column is None:
            return find_main_text(tree).sections or _loose_paragraphs(tree)
        main = find_main_text(tree, root=column)
        if main.container is None or not _is_inside(main.container, column):
            return collect_sections(column, min_paragraph=MIN_PARAGRAPH)
        return main.sections

    @staticmethod
    def marked_lead(tree: LexborHTMLParser, title: str) -> str | None:
        """A lead the page marks as such (class chapo/lead/intro...), removed from the tree."""
        for node in tree.css(LEAD_SELECTOR):
            if node.tag in ("html", "body", "meta", "main", "article", "section"):
                continue
            text = text_of(node)
            if len(text) >= 40 and text != title and len(node.css("p")) <= 1:
                node.decompose()
                return text
        return None

    @staticmethod
    def comment_count(tree: LexborHTMLParser) -> int | None:
        """N of ``Commentaires (N)`` (or its en/it forms) anywhere on the page."""
        body = tree.body
        text = body.text(deep=True, separator=" ") if body is not None else ""
        match = COMMENTS_RE.search(text)
        return int(match.group(1)) if match else None

    @staticmethod
    def byline(tree: LexborHTMLParser) -> tuple[str, ...]:
        """Authors from a visible byline (``rel=author``, ``.author``, ``.byline``)."""
        nodes = tree.css("[rel=author], [itemprop=author], [class*=author], [class*=byline]")
        return split_authors([text_of(n) for n in nodes if 0 < len(text_of(n)) <= 80])


# --- structure helpers ------------------------------------------------------------------


def is_article_url(url: str, page_url: str) -> bool:
    """Whether ``url`` is a walaw article: ``/articles/<slug>/<id>`` on this host or walaw.press."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not ARTICLE_PATH_RE.match(parts.path):
        return False
    host = url_host(url)
    page_host = url_host(page_url)
    return host == page_host or any(host == h or host.endswith("." + h) for h in _HOSTS)


def linked_items(tree: LexborHTMLParser, page_url: str) -> list[_LinkedItem]:
    """Every article link of the page with its item block and, for ticker items, the time."""
    found: list[_LinkedItem] = []
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        url = (join_url(page_url, href) or "").split("#")[0]
        if not is_article_url(url, page_url):
            continue
        item = _item_block(anchor, url, page_url)
        link_text = text_of(anchor)
        shown, title = _time_in_link(link_text)
        published = None
        if shown is None:
            shown, published = _time_beside(item, link_text)
        time_node = None
        if shown is None:
            time_node = _time_node_before(item)
            match = _BARE_TIME_RE.match(text_of(time_node)) if time_node is not None else None
            shown = _hhmm(match) if match else None
            time_node = time_node if match else None
        if not title:
            title = anchor.attributes.get("title") or _heading_in(item) or ""
        title = clean(title)
        if title:
            found.append(_LinkedItem(url, title, shown, published, item, time_node))
    return found


def _time_in_link(text: str) -> tuple[str | None, str]:
    """A time leading (``11:07Crise ...``) or ending the link's own text: (``"11:07"``, title)."""
    if DATE_RE.search(text):
        return None, text
    match = TIME_RE.match(text)
    if match:
        rest = text[match.end() :].lstrip(" -–—|:·•")
        if rest:
            return _hhmm(match), rest
    match = _TRAILING_TIME_RE.search(text)
    if match and match.start() > 0:
        rest = text[: match.start()].rstrip(" -–—|:·•(")
        if rest:
            return _hhmm(match), rest
    return None, text


def _hhmm(match: re.Match[str]) -> str:
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _time_node_before(block: LexborNode) -> LexborNode | None:
    """The node just before the item block, where flat tickers put the time
    (``<span>11:07</span><a>...``); None when it is a link."""
    node = block.prev
    while node is not None and not text_of(node) and not node.is_element_node:
        node = node.prev
    if node is None or (node.is_element_node and node.tag == "a"):
        return None
    return node


def _time_beside(item: LexborNode, link_text: str) -> tuple[str | None, datetime | None]:
    """A bare time shown in the item block beside the link, with a full timestamp if given."""
    time_node = item.css_first("time")
    published = None
    if time_node is not None:
        published = parse_datetime(time_node.attributes.get("datetime"))
    rest = text_of(item).replace(link_text, " ", 1)
    rest = clean(rest)
    if not rest or len(rest) > _MAX_TIME_LABEL or DATE_RE.search(rest):
        return None, None
    match = TIME_RE.search(rest)
    if not match:
        return None, None
    return _hhmm(match), published


def _item_block(anchor: LexborNode, url: str, page_url: str) -> LexborNode:
    """The largest ancestor (up to 3 levels) that still holds links to this article only."""
    block = anchor
    node = anchor.parent
    for _ in range(3):
        if node is None or node.tag in ("body", "html", "main", "article", "ul", "ol"):
            break
        others = {
            (join_url(page_url, a.attributes.get("href")) or "").split("#")[0]
            for a in node.css("a[href]")
        }
        others = {u for u in others if is_article_url(u, page_url)}
        if others != {url} or len(text_of(node)) > len(text_of(block)) + 200:
            break
        block = node
        node = node.parent
    return block


def _headline(tree: LexborHTMLParser) -> LexborNode | None:
    """The headline ``h1``: the one in the article or main column, else outside the header,
    the longest when several qualify."""
    headings = [h for h in tree.css("h1") if text_of(h)]
    if not headings:
        return None
    in_article = [h for h in headings if _has_ancestor(h, ("article", "main"))]
    outside_header = [h for h in headings if not _has_ancestor(h, ("header", "nav"))]
    pool = in_article or outside_header or headings
    return max(pool, key=lambda h: len(text_of(h)))


def _headline_column(tree: LexborHTMLParser) -> LexborNode | None:
    """The nearest ancestor of the (first) ``h1`` that holds body paragraphs; None if only body."""
    heading = _headline(tree)
    node = heading.parent if heading is not None else None
    while node is not None and node.tag not in ("body", "html"):
        if any(len(text_of(p)) >= MIN_PARAGRAPH for p in node.css("p")):
            return node
        node = node.parent
    return None


#: Elements that may hold a bare run of text (paragraphs written as ``<div>`` or ``<br>`` runs).
_TEXT_HOLDERS = "div, section, td, span, font, center, article"
_INLINE_TAGS = frozenset(
    {
        "a",
        "b",
        "i",
        "em",
        "strong",
        "span",
        "br",
        "small",
        "sup",
        "sub",
        "u",
        "mark",
        "q",
        "cite",
        "abbr",
        "time",
        "font",
        "-text",
        "-comment",
    }
)


def _loose_paragraphs(tree: LexborHTMLParser) -> tuple[Section, ...]:
    """Body text not written as ``<p>``: blocks of inline text after the headline, split at
    ``<br>``, without link-heavy blocks."""
    heading = _headline(tree)
    if heading is None:
        return ()
    paragraphs: list[str] = []
    taken: dict[int, LexborNode] = {}
    after_heading = False
    for node in tree.body.css(f"h1, {_TEXT_HOLDERS}") if tree.body is not None else []:
        if node.mem_id == heading.mem_id:
            after_heading = True
            continue
        if not after_heading or node.tag == "h1" or _has_ancestor_in(node, taken):
            continue
        if any(child.tag not in _INLINE_TAGS for child in node.iter(include_text=True)):
            continue
        text = text_of(node)
        if not text or link_density(node, len(text)) > 0.5:
            continue
        taken[node.mem_id] = node
        for br in node.css("br"):
            br.replace_with("\n")
        for piece in node.text(deep=True).split("\n"):
            text = clean(piece)
            if len(text) >= MIN_PARAGRAPH and not is_furniture(text):
                paragraphs.append(text)
    return (Section(None, tuple(paragraphs)),) if paragraphs else ()


def _has_ancestor_in(node: LexborNode, marked: dict[int, LexborNode]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in marked:
            return True
        parent = parent.parent
    return False


def _is_inside(node: LexborNode, ancestor: LexborNode) -> bool:
    while node is not None:
        if node.mem_id == ancestor.mem_id:
            return True
        node = node.parent
    return False


def _heading_in(node: LexborNode) -> str | None:
    heading = node.css_first("h2, h3, h4, h5, strong")
    return text_of(heading) or None


def _unhide_root(tree: LexborHTMLParser) -> None:
    """Drop ``hidden``/``aria-hidden``/``role`` from ``<html>``: a page never hides its root.

    ``maintext.strip_boilerplate`` removes ``[hidden]``, ``[aria-hidden=true]`` and
    ``[role=navigation]`` nodes, and selectolax refuses to remove the root
    (SelectolaxError) when a broken page puts one of those on ``<html>``.
    """
    root = tree.root
    if root is None:
        return
    for name in _ROOT_HIDING_ATTRS:
        if name in root.attrs:
            del root.attrs[name]


def _has_ancestor(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _dedupe_ticker(items: tuple[TickerItem, ...]) -> tuple[TickerItem, ...]:
    seen: set[str | None] = set()
    kept = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            kept.append(item)
    return tuple(kept)


def _without_first_paragraph(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    first = sections[0]
    rest = Section(first.headline, first.paragraphs[1:])
    return tuple(s for s in (rest, *sections[1:]) if s.paragraphs)


def _edition_language(url: str) -> str | None:
    host = url_host(url)
    prefix = host.split(".")[0]
    return prefix if prefix in ("fr", "en", "it") else None
