"""The field-method base of every site parser: one method per field, reading one ``Page``.

A site parser subclasses ``FieldParser`` and overrides the fields its pages
hold differently (``title``, ``lead``, ``sections``, ``authors``,
``published_at``...), each reading the page model (``parsers.page.Page``), with
the site's selectors kept as named constants in its own module. ``lead`` is the
standfirst as printed (a selector, or None); ``description`` is the page's meta
description, never counted as text; ``sections`` are the body's paragraphs under
their sub-headings (``HEADING_TAGS``). ``parse_article`` reads the page with
this parser's own layout: the caller (ingest) picks the layout version for the
fetch date once, with ``SiteParser.for_date``. An empty page, or one without
title or body text, is a ``ParseError`` naming the URL and the field; other
fields may come out empty (``Article.missing`` records them). Times are
returned as the page gives them. The text-block helpers (``block_text``,
``collect_sections``) are shared with the walaw reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from selectolax.lexbor import LexborNode

from parsers.base import Article, Image, Listing, ParseError, Section, SiteParser, TickerItem
from parsers.cleanup import split_keywords
from parsers.extract import clean, dedupe, text_of, url_host
from parsers.jsonld import ld_names, ld_text
from parsers.links import absolute_url, href_path_text, is_rooted, origin, without_fragment
from parsers.page import Page, paywalled
from parsers.times import parse_datetime

#: Sub-headings: each opens a new section of the body (``h1`` is the headline).
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Elements whose text is never read as article text.
HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript"})
#: A ``srcset`` candidate's descriptor: ``640w`` (or ``2x``).
_DESCRIPTOR_RE = re.compile(r"\d{1,6}(?:\.\d{1,6})?[wx]")
#: The article JSON-LD types a site parser reads its fields from.
ARTICLE_LD_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "LiveBlogPosting")


class FieldParser(SiteParser):
    """A site parser written as one method per field; subclasses override what differs.

    The defaults read what most news pages declare (OpenGraph, JSON-LD,
    ``<html lang>``); a site module overrides them with its own selectors.
    """

    site_name: ClassVar[str | None] = None
    #: The site's headline, lead (standfirst) and body blocks (paragraphs and sub-headings).
    headline_selector: ClassVar[str] = "h1"
    lead_selector: ClassVar[str | None] = None
    body_selector: ClassVar[str | None] = None
    #: Path of an article on this site (a listing keeps the links that match).
    article_path: ClassVar[re.Pattern[str]] = re.compile(r"$^")

    # --- entry points --------------------------------------------------------------------

    def parse_article(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Article:
        """Read an article page with this layout version (the caller picked it by date)."""
        return self.read_article(Page.read(html, url))

    def parse_listing(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Listing:
        """The ticker and article links of a listing page, and the feeds it declares."""
        page = Page.read(html, url)
        listing = self.read_listing(page)
        return replace(listing, feeds=listing.feeds or page.feed_links())

    # --- the article ---------------------------------------------------------------------

    def read_article(self, page: Page) -> Article:
        """Run every field method on ``page``; title and body are required."""
        title = self.title(page)
        if not title:
            raise ParseError(page.url, "title", "no headline in meta, JSON-LD or h1")
        sections = self.sections(page)
        paragraphs = [p for s in sections for p in s.paragraphs]
        if not paragraphs:
            raise ParseError(page.url, "body", "no paragraph in the article body")
        return Article(
            url=page.url,
            title=title,
            body="\n\n".join(paragraphs),
            lead=self.lead(page),
            description=self.description(page),
            sections=sections,
            authors=self.authors(page),
            published_at=self.published_at(page),
            updated_at=self.updated_at(page),
            section=self.section(page),
            tags=self.tags(page),
            language=self.language(page),
            canonical_url=self.canonical_url(page),
            images=self.images(page),
            paywalled=self.paywalled(page),
            comment_count=self.comment_count(page),
            site_name=self.site_name or page.meta("og:site_name"),
            parser=self.name,
            parser_version=self.version,
        )

    def title(self, page: Page) -> str | None:
        return (
            page.meta("og:title")
            or ld_text(self.ld(page, "headline"))
            or text_of(page.css_first(self.headline_selector))
            or None
        )

    def lead(self, page: Page) -> str | None:
        """The standfirst as printed on the page, or None (never the meta description)."""
        if self.lead_selector is None:
            return None
        return block_text(page.css_first(self.lead_selector)) or None

    def description(self, page: Page) -> str | None:
        """The page's meta description (JSON-LD, OpenGraph, ``<meta name=description>``)."""
        return page.metadata.description

    def sections(self, page: Page) -> tuple[Section, ...]:
        if self.body_selector is None:
            raise NotImplementedError(f"{type(self).__name__} sets no body_selector")
        return collect_sections(page.css(self.body_selector))

    def authors(self, page: Page) -> tuple[str, ...]:
        return dedupe(ld_names(self.ld(page, "author")))

    def published_at(self, page: Page) -> datetime | None:
        return parse_datetime(page.meta("article:published_time")) or parse_datetime(
            ld_text(self.ld(page, "datePublished"))
        )

    def updated_at(self, page: Page) -> datetime | None:
        return parse_datetime(page.meta("article:modified_time")) or parse_datetime(
            ld_text(self.ld(page, "dateModified"))
        )

    def section(self, page: Page) -> str | None:
        return page.meta("article:section")

    def tags(self, page: Page) -> tuple[str, ...]:
        return split_keywords(page.meta("keywords"))

    def language(self, page: Page) -> str | None:
        return page.language

    def canonical_url(self, page: Page) -> str | None:
        return page.absolute(page.link("canonical") or page.meta("og:url"))

    def images(self, page: Page) -> tuple[Image, ...]:
        return ()

    def paywalled(self, page: Page) -> bool | None:
        return paywalled(self.ld(page, "isAccessibleForFree"))

    def comment_count(self, page: Page) -> int | None:
        return None

    # --- listings ------------------------------------------------------------------------

    def read_listing(self, page: Page) -> Listing:
        links = self.article_links(page)
        return Listing(url=page.url, ticker=self.ticker(page), article_links=links)

    def ticker(self, page: Page) -> tuple[TickerItem, ...]:
        return ()

    def article_links(self, page: Page) -> tuple[str, ...]:
        """Links to this site's articles (``article_path``), absolute, each once, page excluded.

        An href is resolved only when its own text can hold an article path (cheap test
        first: most links of a page are menus and footers).
        """
        own = without_fragment(page.url)
        base_origin = origin(page.url)
        found: dict[str, None] = {}
        seen: set[str] = set()
        for anchor in page.css("a[href]"):
            href = anchor.attributes.get("href") or ""
            if href in seen:
                continue
            seen.add(href)
            if is_rooted(href) and not self.article_path.search(href_path_text(href)):
                continue
            url = absolute_url(page.url, href, base_origin)
            if url is None:
                continue
            url = without_fragment(url)
            if url != own and self.owns(url_host(url)) and self.article_path.search(_path(url)):
                found[url] = None
        return tuple(found)

    # --- helpers -------------------------------------------------------------------------

    def owns(self, host: str | None) -> bool:
        """Whether ``host`` is one of this site's domains (or a subdomain of one)."""
        host = (host or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def ld(self, page: Page, key: str) -> object:
        """``key`` of the page's JSON-LD article object (one of ``ARTICLE_LD_TYPES``)."""
        article = page.ld_first(*ARTICLE_LD_TYPES)
        return article.get(key) if article is not None else None


def _path(url: str) -> str:
    """The path of an absolute URL (``https://host/path?q`` -> ``/path``)."""
    start = url.find("/", url.find("//") + 2)
    if start < 0:
        return "/"
    end = len(url)
    for mark in "?#":
        cut = url.find(mark, start)
        if 0 <= cut < end:
            end = cut
    return url[start:end]


# --- text blocks -------------------------------------------------------------------------


def collect_sections(
    blocks: Iterable[LexborNode],
    *,
    keep: Callable[[LexborNode, str], bool] | None = None,
) -> tuple[Section, ...]:
    """Group body blocks (in page order) into sections: a heading opens one, text fills it.

    ``keep(node, text)`` may reject a block (a "read also" line, an ad label).
    A heading followed by no paragraph leaves no section; the text before the
    first heading is a section without headline.
    """
    sections: list[Section] = []
    headline: str | None = None
    paragraphs: list[str] = []
    for node in blocks:
        text = block_text(node)
        if not text or (keep is not None and not keep(node, text)):
            continue
        if node.tag in HEADING_TAGS:
            if paragraphs:
                sections.append(Section(headline, tuple(paragraphs)))
            headline, paragraphs = text, []
        else:
            paragraphs.append(text)
    if paragraphs:
        sections.append(Section(headline, tuple(paragraphs)))
    return tuple(sections)


def block_text(node: LexborNode | None) -> str:
    """A block's text, ``<br>`` read as a space, scripts and styles skipped; tree untouched."""
    if node is None:
        return ""
    parts: list[str] = []
    for piece in node.traverse(include_text=True):
        if piece.tag == "br":
            parts.append(" ")
        elif piece.tag == "-text":
            parent = piece.parent
            if parent is None or parent.tag not in HIDDEN_TAGS:
                parts.append(piece.text_content or "")
    return clean("".join(parts))


def img_url(page: Page, img: LexborNode) -> str | None:
    """The largest candidate of an ``<img>``: from ``srcset``, else ``src``/``data-src``."""
    attrs = img.attributes
    best: tuple[float, str] | None = None
    for key in ("srcset", "data-srcset"):
        for candidate in (attrs.get(key) or "").split(","):
            parts = candidate.split()
            if len(parts) < 2 or not _DESCRIPTOR_RE.fullmatch(parts[-1]):
                continue
            size = float(parts[-1][:-1])
            if best is None or size > best[0]:
                best = (size, parts[0])
    if best is not None:
        return page.absolute(best[1])
    for key in ("src", "data-src", "data-lazy", "data-lazy-src"):
        url = page.absolute(attrs.get(key))
        if url:
            return url
    return None


def figure_images(
    page: Page,
    figures: Iterable[LexborNode],
    *,
    caption: str,
    credit: str | None = None,
) -> tuple[Image, ...]:
    """Images from figure-like blocks: the first ``img``, caption and credit by selector.

    The credit's text is cut from the caption when the caption holds both.
    """
    images: list[Image] = []
    seen: set[str] = set()
    for fig in figures:
        img = fig.css_first("img")
        url = img_url(page, img) if img is not None else None
        if not url or url in seen:
            continue
        seen.add(url)
        cap_node = fig.css_first(caption)
        cap = text_of(cap_node) or clean(img.attributes.get("alt") if img is not None else None)
        cred = text_of(fig.css_first(credit)) if credit else ""
        if cred and cap.endswith(cred):
            cap = cap[: -len(cred)].strip()
        images.append(Image(url=url, caption=cap or None, credit=cred or None))
    return tuple(images)
