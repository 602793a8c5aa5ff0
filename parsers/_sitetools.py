"""Building blocks shared by the hand-written site parsers (Le Monde, Figaro, Echos, Euronews).

A site parser subclasses ``FieldParser`` and overrides one method per field
(``title``, ``lead``, ``sections``, ``authors``, ``published_at``...), each
reading a ``Page`` (the parsed tree, its JSON-LD and ``<meta>`` tags) with the
site's selectors kept as named constants in its own module. ``parse_article``
picks the layout version for the fetch date (``SiteParser.for_date``) and runs
the field methods; an empty page, or one without title or body text, is a
``ParseError`` naming the URL and the field, while other fields may come out
empty (``Article.missing`` records them). This module reads nothing and knows
no site.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.base import Article, Image, Listing, ParseError, Section, SiteParser, TickerItem
from parsers.extract import (
    clean,
    dedupe,
    html_language,
    join_url,
    json_ld,
    ld_names,
    ld_text,
    ld_types,
    link_href,
    meta,
    meta_all,
    parse_datetime,
    text_of,
    tree_of,
    url_host,
)

log = logging.getLogger(__name__)

#: Tags that open a new section when met among the body's blocks.
HEADING_TAGS = frozenset({"h2", "h3", "h4"})
#: ``srcset`` candidates: ``url 640w`` (or ``2x``).
_SRCSET_RE = re.compile(r"(\S+)\s+(\d+(?:\.\d+)?)[wx]")


@dataclass
class Page:
    """One article page as the field methods see it: tree, URL, JSON-LD and ``<meta>``."""

    url: str
    tree: LexborHTMLParser
    _ld: list[dict[str, Any]] | None = field(default=None, repr=False)

    @classmethod
    def read(cls, html: str | bytes, url: str) -> Page:
        """Parse ``html``; an empty document is a ``ParseError`` (field ``html``)."""
        if not html.strip():
            raise ParseError(url, "html", "empty document")
        try:
            tree = tree_of(html)
        except (TypeError, ValueError, RuntimeError) as exc:  # pragma: no cover - lexbor is lenient
            raise ParseError(url, "html", f"unreadable: {exc}") from exc
        return cls(url=url, tree=tree)

    @property
    def ld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page (read once)."""
        if self._ld is None:
            self._ld = json_ld(self.tree)
        return self._ld

    def ld_first(self, *types: str) -> dict[str, Any] | None:
        """The first JSON-LD object whose ``@type`` is one of ``types``."""
        wanted = set(types)
        return next((obj for obj in self.ld if ld_types(obj) & wanted), None)

    def meta(self, *keys: str) -> str | None:
        """First non-empty ``<meta>`` content for ``keys`` (property, name or itemprop)."""
        return meta(self.tree, *keys)

    def meta_all(self, key: str) -> list[str]:
        """All non-empty contents of ``<meta property|name=key>``."""
        return meta_all(self.tree, key)

    def css(self, selector: str) -> list[LexborNode]:
        return self.tree.css(selector)

    def css_first(self, selector: str) -> LexborNode | None:
        return self.tree.css_first(selector)

    def absolute(self, href: str | None) -> str | None:
        """``href`` made absolute against the page URL; None for empty or non-http links."""
        href = clean(href)
        if not href or href.startswith(("data:", "javascript:", "mailto:")):
            return None
        url = join_url(self.url, href)
        return url if url and url.split(":", 1)[0].lower() in ("http", "https") else None


class FieldParser(SiteParser):
    """A site parser written as one method per field; subclasses override what differs.

    The defaults read what most news pages declare (OpenGraph, JSON-LD,
    ``<html lang>``); a site module overrides them with its own selectors.
    ``timezone`` turns the rare naive timestamp into an aware one.
    """

    timezone: ClassVar[str] = "UTC"
    site_name: ClassVar[str | None] = None
    #: The site's headline, lead (standfirst) and body blocks (paragraphs and sub-headings).
    headline_selector: ClassVar[str] = "h1"
    lead_selector: ClassVar[str | None] = None
    body_selector: ClassVar[str | None] = None

    # --- dispatch ------------------------------------------------------------------------

    def parse_article(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Article:
        """Read an article page with the layout version valid on ``fetched_at``.

        When that version cannot read the page (a page fetched without a date, or
        around a redesign) the other versions are tried, newest first; the
        ``parser_version`` of the result says which one read it.
        """
        chosen = self.for_date(fetched_at)
        if chosen is not self:
            return _first_that_reads(self, chosen, lambda p: p.parse_article(html, url, fetched_at))
        return self.read_article(Page.read(html, url), fetched_at)

    def parse_listing(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Listing:
        """The ticker and article links of a listing page, read by the version of ``fetched_at``."""
        chosen = self.for_date(fetched_at)
        if chosen is not self:
            return chosen.parse_listing(html, url, fetched_at)
        page = Page.read(html, url)
        return Listing(url=url, ticker=self.ticker(page), article_links=self.article_links(page))

    # --- the article ---------------------------------------------------------------------

    def read_article(self, page: Page, fetched_at: datetime | None = None) -> Article:
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
            site_name=self.site_name or page.meta("og:site_name"),
            parser=self.name,
            parser_version=self.version,
        )

    def title(self, page: Page) -> str | None:
        article = self.ld_article(page) or {}
        return (
            page.meta("og:title")
            or ld_text(article.get("headline"))
            or text_of(page.css_first(self.headline_selector))
            or None
        )

    def lead(self, page: Page) -> str | None:
        marked = text_of(page.css_first(self.lead_selector)) if self.lead_selector else ""
        return marked or page.meta("og:description", "description")

    def sections(self, page: Page) -> tuple[Section, ...]:
        if self.body_selector is None:
            raise NotImplementedError(f"{type(self).__name__} sets no body_selector")
        return collect_sections(page.css(self.body_selector))

    def authors(self, page: Page) -> tuple[str, ...]:
        article = self.ld_article(page)
        return tuple(dedupe(ld_names(article.get("author")))) if article else ()

    def published_at(self, page: Page) -> datetime | None:
        article = self.ld_article(page) or {}
        return self.aware(
            page.meta("article:published_time") or ld_text(article.get("datePublished"))
        )

    def updated_at(self, page: Page) -> datetime | None:
        article = self.ld_article(page) or {}
        modified = page.meta("article:modified_time") or ld_text(article.get("dateModified"))
        return self.aware(modified)

    def section(self, page: Page) -> str | None:
        return page.meta("article:section")

    def tags(self, page: Page) -> tuple[str, ...]:
        return split_keywords(page.meta("keywords"))

    def language(self, page: Page) -> str | None:
        return html_language(page.tree)

    def canonical_url(self, page: Page) -> str | None:
        return page.absolute(link_href(page.tree, "canonical") or page.meta("og:url"))

    def images(self, page: Page) -> tuple[Image, ...]:
        return ()

    def paywalled(self, page: Page) -> bool | None:
        article = self.ld_article(page)
        free = ld_bool(article.get("isAccessibleForFree")) if article else None
        return None if free is None else not free

    # --- listings ------------------------------------------------------------------------

    #: Path of an article on this site (a listing keeps the links that match).
    article_path: ClassVar[re.Pattern[str]] = re.compile(r"$^")

    def ticker(self, page: Page) -> tuple[TickerItem, ...]:
        return ()

    def article_links(self, page: Page) -> tuple[str, ...]:
        """Links to this site's articles (``article_path``), absolute, each once, page excluded."""
        own = page.url.split("#")[0]
        found = []
        for anchor in page.css("a[href]"):
            url = page.absolute(anchor.attributes.get("href"))
            if not url:
                continue
            url = url.split("#")[0]
            try:
                path = urlsplit(url).path
            except ValueError:
                continue
            if url != own and self.owns(url_host(url)) and self.article_path.search(path):
                found.append(url)
        return dedupe(found)

    # --- helpers -------------------------------------------------------------------------

    def owns(self, host: str | None) -> bool:
        """Whether ``host`` is one of this site's domains (or a subdomain of one)."""
        host = (host or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def ld_article(self, page: Page) -> dict[str, Any] | None:
        """The page's JSON-LD article object (NewsArticle, Article, ...), if any."""
        return page.ld_first("NewsArticle", "Article", "ReportageNewsArticle", "LiveBlogPosting")

    def aware(self, value: str | datetime | None) -> datetime | None:
        """A timestamp with an offset: naive ones are read in the site's ``timezone``."""
        stamp = parse_datetime(value) if isinstance(value, str) else value
        if stamp is None:
            return None
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=self.zone)
        return stamp

    @cached_property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.timezone)


def _first_that_reads(
    site: SiteParser, chosen: SiteParser, read: Callable[[SiteParser], Article]
) -> Article:
    """``read(chosen)``, else the other versions newest first; the first error if none reads."""
    try:
        return read(chosen)
    except ParseError as first:
        for other in reversed(site.versions()):
            if other is chosen or other is site:
                continue
            try:
                article = read(other)
            except ParseError:
                continue
            log.info(
                "%s: %s: layout %s failed (%s), read by %s",
                site.name,
                first.url,
                chosen.version,
                first.field,
                other.version,
            )
            return article
        raise


# --- field helpers -----------------------------------------------------------------------


def collect_sections(
    blocks: Iterable[LexborNode],
    *,
    headings: frozenset[str] = HEADING_TAGS,
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
        if node.tag in headings:
            if paragraphs:
                sections.append(Section(headline, tuple(paragraphs)))
            headline, paragraphs = text, []
        else:
            paragraphs.append(text)
    if paragraphs:
        sections.append(Section(headline, tuple(paragraphs)))
    return tuple(sections)


def block_text(node: LexborNode) -> str:
    """A block's text, ``<br>`` read as a space, scripts and styles skipped; tree untouched."""
    parts: list[str] = []
    for piece in node.traverse(include_text=True):
        if piece.tag == "br":
            parts.append(" ")
        elif piece.tag == "-text":
            parent = piece.parent
            if parent is None or parent.tag not in _HIDDEN_TAGS:
                parts.append(piece.text_content or "")
    return clean("".join(parts))


_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript"})


def split_keywords(text: str | None, sep: str = ",") -> tuple[str, ...]:
    """``"a, b ,c"`` -> ``("a", "b", "c")``, empties dropped, each once."""
    if not text:
        return ()
    return dedupe(clean(part) for part in text.split(sep))


def ld_bool(value: Any) -> bool | None:
    """A JSON-LD boolean, which sites write as ``true``, ``"True"`` or ``"false"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def img_url(page: Page, img: LexborNode) -> str | None:
    """The largest candidate of an ``<img>``: from ``srcset``, else ``src``/``data-src``."""
    attrs = img.attributes
    best: tuple[float, str] | None = None
    for key in ("srcset", "data-srcset"):
        for match in _SRCSET_RE.finditer(attrs.get(key) or ""):
            size = float(match.group(2))
            if best is None or size > best[0]:
                best = (size, match.group(1))
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


#: A live entry's shown time: ``9h05``, ``09:05``, ``9 h 05``.
SHOWN_TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])\s?[h:H]\s?([0-5]\d)\b")


def shown_time(text: str) -> str | None:
    """``"9h05 - ..."`` -> ``"09:05"``; None when the text does not start with a time."""
    match = SHOWN_TIME_RE.match(text)
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def at_time_of_day(day: date, shown: str, zone: tzinfo) -> datetime:
    """The moment ``shown`` (``"HH:MM"``) on ``day`` in ``zone``."""
    hours, minutes = (int(x) for x in shown.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone)
