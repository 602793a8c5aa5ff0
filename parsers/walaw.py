"""Parser for walaw.press (fr/en/it editions), the seed site, written on structure not class names.

What is known of the site (``shared/corpus/README.md``): article URLs are
``/articles/<slug>/<id>``; every page opens with the site-wide ticker, items of a
local ``HH:MM`` time beside a link to an article, newest first; then the
headline, a lead paragraph, the body paragraphs and ``Commentaires (N)``
(``Comments (N)``, ``Commenti (N)``). The real markup is unknown, so this module
keys on that structure only: a ticker item is an article link whose own item
(the largest block holding that one link) shows a bare time (``11:07``,
``11h07``, a ``<time>``), in the link, beside it or just before it; a link whose
item also shows a date or a relative day is a dated teaser, and any article link
without a time is an article link. Articles are read by ``parsers.walaw_page``
(headline, text column, paragraphs); the lead is the first paragraph of the
column, whether the page marks it or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import register
from parsers.base import Article, Listing, ParseError, Section, TickerItem
from parsers.cleanup import split_authors
from parsers.extract import clean, dedupe, text_of, url_host
from parsers.fields import FieldParser
from parsers.jsonld import ld_text
from parsers.links import absolute_url, is_rooted, origin, split_plain, without_fragment
from parsers.page import BYLINE_MARKS, PUBLISHED_META, Page
from parsers.times import CLOCK, first_datetime, hhmm, parse_datetime
from parsers.walaw_listing import next_page
from parsers.walaw_listing import teasers as listing_teasers
from parsers.walaw_page import BodyReader, comment_count, find_headline, text_column

#: An article's path: ``/articles/<slug>/<id>`` (ids seen are 12 capital letters).
ARTICLE_PATH_RE = re.compile(r"^/(?:[a-z]{2}/)?articles/[^/?#]+/[A-Za-z0-9]{6,}/?$")
#: What an href must hold to be able to lead to an article path (tested before resolving).
_ARTICLE_MARK = "articles/"
_MAY_LEAD_SELECTOR = f'a[href*="{_ARTICLE_MARK}"]'
_RELATIVE_SELECTOR = ', a[href]:not([href^="/"]):not([href^="http" i]), a[href^="//"]'
#: A clock time as a ticker shows it: ``11:07`` (also ``11h07``), not part of a date or duration.
TIME_RE = re.compile(rf"(?<![\d:/.,]){CLOCK}(?![\d:/]|\s?(?:min|sec))")
#: A time closing a link's text (``Crise ... 11:07`` or ``(11:07)``).
_TRAILING_TIME_RE = re.compile(rf"\(?(?<![\d:]){CLOCK}\)?\s*$")
#: A node whose whole text is a time (``11:07``, ``11h07 -``).
_BARE_TIME_RE = re.compile(rf"^\s*{CLOCK}\s*[-–—|:·•]?\s*$")
#: Month names and their usual abbreviations (fr, en, it), each a whole word.
_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "janv|févr|avr|juil|sept|déc|january|february|march|april|may|june|july|august|"
    "september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec|"
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|dicembre|"
    "gen|mag|giu|lug|ago|set|ott|dic"
)
#: A date next to the time means a dated teaser, not a ticker item: ``09/05/2025``,
#: ``2025-05-09``, ``9 mai 2025``, ``May 9``, or a day named relatively (``Hier à 18:30``).
DATE_RE = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    rf"|\b\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\b"
    rf"|\b(?:{_MONTHS})\b\.?\s+\d{{1,2}}\b"
    r"|\b(?:hier|avant-hier|aujourd’hui|aujourd'hui|yesterday|today|ieri|oggi)\b",
    re.I,
)
#: How far up from a link its item block may reach.
ITEM_LEVELS = 3
#: Text around a time that may stay in a ticker item besides the time itself.
_MAX_TIME_LABEL = 24
_HOSTS = ("walaw.press",)
#: The paginated "latest news" listing of each edition (page N at ``<path>/N``).
_ARCHIVE_LISTINGS = {"fr": "/dernières-nouvelles", "en": "/latest-news"}


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
class WalawParser(FieldParser):
    """fr.walaw.press, en.walaw.press, it.walaw.press."""

    name = "walaw"
    domains = _HOSTS
    version = "2"
    site_name = None  # the page's own ``og:site_name`` first, else "Walaw"

    # --- listing -------------------------------------------------------------------------

    def read_listing(self, page: Page) -> Listing:
        """The ticker (article links shown with a bare time, each once), the other article
        links of a page (the page itself excluded), its teasers and its next page
        (``parsers.walaw_listing``)."""
        links_of = ArticleLinks(page.url)
        items = linked_items(page.tree, links_of)
        ticker = tuple(
            TickerItem(i.title, i.url, i.shown_time, i.published_at) for i in items if i.shown_time
        )
        skip = {t.url for t in ticker if t.url} | {without_fragment(page.url)}
        links = dedupe(i.url for i in items if i.url not in skip)
        return Listing(
            url=page.url,
            ticker=_dedupe_ticker(ticker),
            article_links=links,
            teasers=listing_teasers(
                page, links_of.selector, links_of.resolve, links_of.targets, {links_of.own}
            ),
            next_url=next_page(page),
        )

    def archive_listings(self, start_url: str) -> tuple[str, ...]:
        """ "Dernières nouvelles" (fr, and a host that names no edition) or "Latest news" (en),
        page 1; each page links to the next."""
        parts = urlsplit(start_url)
        path = _ARCHIVE_LISTINGS.get(_edition_language(start_url) or "fr")
        if parts.scheme not in ("http", "https") or not parts.netloc or path is None:
            return ()
        return (f"{parts.scheme}://{parts.netloc}{path}",)

    # --- article -------------------------------------------------------------------------

    def read_article(self, page: Page) -> Article:
        """The article: counter read first, ticker removed, then headline, column and body by
        structure (``parsers.walaw_page``), metadata from the page model."""
        url = page.url
        links = ArticleLinks(url)  # one resolver: each href of the page resolved once
        comments = comment_count(page.tree)
        self.remove_ticker(page.tree, links)
        meta = page.metadata
        headline = find_headline(page, links.is_other_article)
        title = text_of(headline) or meta.title
        if not title:
            raise ParseError(url, "title", "no h1, og:title or JSON-LD headline")
        column = text_column(headline) if headline is not None else page.tree.body
        sections = self.body_sections(column, headline, links) or self.ld_body(page)
        if not sections:
            raise ParseError(url, "body", "no run of paragraphs in the main column")
        paragraphs = [p for s in sections for p in s.paragraphs]
        lead = None
        if len(paragraphs) > 1:  # the standfirst, marked or not, is the first paragraph
            lead = paragraphs.pop(0)
            sections = _without_first_paragraph(sections)
        return Article(
            url=url,
            title=title,
            lead=lead,
            description=self.description(page),
            body="\n\n".join(paragraphs),
            sections=sections,
            authors=self.authors(page),
            published_at=self.published_in(page, column),
            updated_at=meta.updated_at,
            section=meta.section,
            tags=meta.tags,
            language=self.language(page),
            canonical_url=meta.canonical_url,
            images=meta.images,
            paywalled=meta.paywalled,
            comment_count=comments,
            site_name=meta.site_name or "Walaw",
            parser=self.name,
            parser_version=self.version,
        )

    @staticmethod
    def remove_ticker(tree: LexborHTMLParser, links: ArticleLinks) -> None:
        """Take the site-wide ticker out: it is never body text, and its ``<time>``s are not
        the article's date."""
        for item in linked_items(tree, links, stamps=False):
            if item.shown_time and item.item.css_first("h1") is None:  # a self-linked headline
                item.item.decompose()
                if item.time_node is not None:
                    item.time_node.decompose()

    @staticmethod
    def body_sections(
        column: LexborNode | None, headline: LexborNode | None, links: ArticleLinks
    ) -> tuple[Section, ...]:
        """The paragraphs of the headline's column, from the headline to the comment counter."""
        if column is None:
            return ()
        return BodyReader(headline, links.is_other_article).read(column)

    def authors(self, page: Page) -> tuple[str, ...]:
        """The declared authors, else a visible byline (``rel=author``, ``.author``, ...)."""
        if page.metadata.authors or not page.may_contain(*BYLINE_MARKS):
            return page.metadata.authors
        nodes = page.css("[rel=author], [itemprop=author], [class*=author], [class*=byline]")
        return split_authors([text_of(n) for n in nodes if 0 < len(text_of(n)) <= 80])

    def language(self, page: Page) -> str | None:
        """The page's language, else the edition's (``fr.``, ``en.``, ``it.``)."""
        return page.metadata.language or _edition_language(page.url)

    @staticmethod
    def published_in(page: Page, column: LexborNode | None) -> datetime | None:
        """When the page says the article was published: JSON-LD, ``<meta>``, ``itemprop``,
        else a ``<time datetime>`` of the headline's column, not the page's first one (which
        may be a teaser's in a sidebar)."""
        own = column.css_first("time[datetime]") if column is not None else None
        return first_datetime(
            ld_text(page.ld_value("datePublished")),
            *(page.meta(key) for key in PUBLISHED_META),
            page.declared_time("stamped"),
            own.attributes.get("datetime") if own is not None else None,
            ld_text(page.ld_value("dateCreated")),
        )

    @staticmethod
    def ld_body(page: Page) -> tuple[Section, ...]:
        """The JSON-LD ``articleBody`` cut at line breaks: for a page whose text is rendered by
        script and absent from the HTML."""
        text = page.ld_value("articleBody")
        lines = text.splitlines() if isinstance(text, str) else []
        paragraphs = tuple(p for p in (clean(line) for line in lines) if p)
        return (Section(None, paragraphs),) if paragraphs else ()


# --- structure helpers ------------------------------------------------------------------


def is_article_url(url: str, page_url: str, page_host: str | None = None) -> bool:
    """Whether ``url`` is a walaw article: ``/articles/<slug>/<id>`` on this host or walaw.press.

    ``page_host`` (``url_host(page_url)``) may be passed by callers testing many URLs.
    """
    split = split_plain(url)
    if split is None:
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        path, host = parts.path, url_host(url)
    else:
        host, path = split
    if not ARTICLE_PATH_RE.match(path):
        return False
    page_host = url_host(page_url) if page_host is None else page_host
    return host == page_host or any(host == h or host.endswith("." + h) for h in _HOSTS)


def linked_items(
    tree: LexborHTMLParser, article_url: ArticleLinks, *, stamps: bool = True
) -> list[_LinkedItem]:
    """Every article link of the page with its item block and, for ticker items, the time
    (and, with ``stamps``, the full timestamp of a ``<time datetime>`` beside it)."""
    found: list[_LinkedItem] = []
    linked = [(a, url) for a in tree.css(article_url.selector) if (url := article_url(a))]
    article_url.index_targets(linked)
    for anchor, url in linked:
        item = _item_block(anchor, url, article_url)
        link_text = article_url.text(anchor)
        shown, title = _time_in_link(link_text)
        published = None
        if shown is None:
            shown, published = _time_beside(item, article_url.text(item), link_text, stamps)
        time_node = None
        if shown is None:
            time_node = _time_node_before(item)
            match = _BARE_TIME_RE.match(text_of(time_node)) if time_node is not None else None
            shown = hhmm(match) if match else None
            time_node = time_node if match else None
        if not title:
            title = anchor.attributes.get("title") or _heading_in(item) or ""
        title = clean(title)
        if title:
            found.append(_LinkedItem(url, title, shown, published, item, time_node))
    return found


def _time_in_link(text: str) -> tuple[str | None, str]:
    """A time leading (``11:07Crise ...``) or ending the link's own text: (``"11:07"``, title)."""
    match = TIME_RE.match(text)
    if match:
        rest = text[match.end() :].lstrip(" -–—|:·•")
        if rest:
            return hhmm(match), rest
    if not text or not (text[-1].isdigit() or text[-1] == ")"):
        return None, text  # a trailing time ends in a digit or its parenthesis (text is clean)
    match = _TRAILING_TIME_RE.search(text)
    if match and match.start() > 0 and not DATE_RE.search(text[: match.start()][-_MAX_TIME_LABEL:]):
        rest = text[: match.start()].rstrip(" -–—|:·•(")
        if rest:
            return hhmm(match), rest
    return None, text


def _time_node_before(block: LexborNode) -> LexborNode | None:
    """The node just before the item block, where flat tickers put the time
    (``<span>11:07</span> - <a>...``), separators skipped; None when it is a link."""
    node = block.prev
    while node is not None and not node.is_element_node and _SEPARATOR_RE.match(text_of(node)):
        node = node.prev
    if node is None or (node.is_element_node and node.tag == "a"):
        return None
    return node


#: Text between a flat ticker's time and its link: nothing, or a dash, bar or bullet.
_SEPARATOR_RE = re.compile(r"^[\s\-–—|:·•]*$")


def _time_beside(
    item: LexborNode, item_text: str, link_text: str, stamps: bool = True
) -> tuple[str | None, datetime | None]:
    """A bare time shown in the item block beside the link, with a full timestamp if given."""
    if len(item_text) > len(link_text) + _MAX_TIME_LABEL + 2:
        return None, None  # more beside the link than a time label: a teaser
    rest = clean(item_text.replace(link_text, " ", 1))
    if not rest or len(rest) > _MAX_TIME_LABEL or DATE_RE.search(rest):
        return None, None
    match = TIME_RE.search(rest)
    if not match:
        return None, None
    time_node = item.css_first("time") if stamps else None
    published = None
    if time_node is not None:
        published = parse_datetime(time_node.attributes.get("datetime"))
    return hhmm(match), published


class ArticleLinks:
    """Resolves the hrefs of one page to the walaw articles they point to (None for other
    links), each distinct href once: tickers repeat the same links in every block.

    Only an href that can lead to ``/articles/<slug>/<id>`` is resolved: one holding
    ``articles/``, or a relative one on a page under ``/articles/``; menus, footers and
    share links cost a substring test.
    """

    def __init__(self, page_url: str) -> None:
        self.page_url = page_url
        self.own = without_fragment(page_url)
        self._origin = origin(page_url)
        self._host = url_host(page_url)
        self._relative_may_lead = _ARTICLE_MARK in page_url
        #: The anchors that may lead to an article, picked by Lexbor (a superset: ``resolve``
        #: decides): hrefs holding ``articles/``, and relative ones on a page under it.
        self.selector = _MAY_LEAD_SELECTOR + (_RELATIVE_SELECTOR if self._relative_may_lead else "")
        self._seen: dict[str, str | None] = {}
        self._targets: dict[int, list[str]] = {}
        self._texts: dict[int, str] = {}

    def __call__(self, anchor: LexborNode) -> str | None:
        return self.resolve(anchor.attributes.get("href"))

    def resolve(self, href: str | None) -> str | None:
        """The article URL ``href`` leads to (no fragment), or None."""
        href = (href or "").strip()
        if href in self._seen:
            return self._seen[href]
        url = None
        if _ARTICLE_MARK in href or (self._relative_may_lead and not is_rooted(href)):
            url = without_fragment(absolute_url(self.page_url, href, self._origin) or "")
            url = url if is_article_url(url, self.page_url, self._host) else None
        self._seen[href] = url
        return url

    def index_targets(self, linked: list[tuple[LexborNode, str]]) -> None:
        """Record, for the ancestors of every article link up to ``ITEM_LEVELS`` up, the
        distinct articles they link to (two at most: more tells nothing more). One pass
        over the links, however many share a block."""
        for anchor, url in linked:
            node = anchor.parent
            for _ in range(ITEM_LEVELS):
                if node is None:
                    break
                found = self._targets.setdefault(node.mem_id, [])
                if url not in found and len(found) < 2:
                    found.append(url)
                node = node.parent

    def targets(self, node: LexborNode) -> list[str]:
        """The distinct articles ``node`` links to (two at most); see ``index_targets``."""
        return self._targets.get(node.mem_id, [])

    def text(self, node: LexborNode) -> str:
        """``node``'s clean text, read once per node (items are read from several links)."""
        key = node.mem_id
        if key not in self._texts:
            self._texts[key] = text_of(node)
        return self._texts[key]

    def is_other_article(self, href: str) -> bool:
        """Whether ``href`` leads to a walaw article other than this page."""
        url = self.resolve(href)
        return url is not None and url != self.own


def _item_block(anchor: LexborNode, url: str, article_url: ArticleLinks) -> LexborNode:
    """The largest ancestor (up to ``ITEM_LEVELS`` up) that still holds links to this
    article only."""
    block = anchor
    node = anchor.parent
    for _ in range(ITEM_LEVELS):
        if node is None or node.tag in ("body", "html", "main", "article", "ul", "ol"):
            break
        if (
            article_url.targets(node) != [url]
            or len(article_url.text(node)) > len(article_url.text(block)) + 200
        ):
            break
        block = node
        node = node.parent
    return block


def _heading_in(node: LexborNode) -> str | None:
    heading = node.css_first("h2, h3, h4, h5, strong")
    return text_of(heading) or None


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
