"""The one page model every parser reads: the tree, JSON-LD, OpenGraph, ``<meta>``, ``<time>``.

``Page.read(html, url)`` parses a page once; everything else is read on first
use and kept: ``ld`` (the page's JSON-LD objects, sanitized by
``parsers.jsonld``), ``ld_article`` (the one describing the article), ``metas``
(every ``<meta>`` by property, name and itemprop, read in one pass) and
``metadata``, the record of what the page says about its article (title,
description, authors, times, section, tags, language, canonical URL, images,
paywall, site name), JSON-LD first, then OpenGraph and ``<meta>``, then
``<time>`` and the visible byline. Site parsers start from it and override the
fields their own selectors read better. Times keep the offset the page gave
(naive when it gave none); values of the wrong type or out of range are
dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.base import Image, ParseError
from parsers.cleanup import reversed_name, split_authors, strip_site_name, unescape
from parsers.extract import clean, dedupe, text_of, tree_of
from parsers.jsonld import (
    ld_article,
    ld_bool,
    ld_index,
    ld_keywords,
    ld_names,
    ld_resolve,
    ld_text,
    ld_types,
    load_blocks,
)
from parsers.links import absolute_url
from parsers.times import first_datetime

#: ``<meta>`` names that carry an author's name (not a profile URL).
AUTHOR_META = (
    "author",
    "article:author",
    "citation_author",
    "dc.creator",
    "DC.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
#: ``<meta>`` names of the publication time, most specific first.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dcterms.created",
    "DC.date.issued",
    "dc.date",
    "DC.date",
    "date",
)
#: ``<meta>`` names of the last modification time.
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "dcterms.modified")
#: ``<meta>`` names of the page's description (never counted as article text).
DESCRIPTION_META = ("og:description", "description", "twitter:description")
#: Visible bylines, most specific first (read only when JSON-LD and ``<meta>`` give none).
BYLINE_SELECTORS = (
    "[itemprop=author] [itemprop=name]",
    "[rel=author]",
    "[itemprop=author]",
    "a[href*='/author/'], a[href*='/authors/'], a[href*='/auteur/'], a[href*='/autor/']",
    "[class*=byline] a, [class*=author-name], [class*=author__name], [class*=authorName]",
    "[class*=byline], [class*=Byline]",
)
_ANY_BYLINE = ", ".join(BYLINE_SELECTORS)
_DECLARED_SELECTOR = (
    'meta[content], link[rel][href], script[type="application/ld+json"], '
    "time[datetime], [itemprop=datePublished][datetime]"
)
#: Every byline selector needs one of these in the page's source (``Page.may_contain``).
BYLINE_MARKS = ("uthor", "/autor/", "/auteur/", "yline")
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}")
_HOST_RE = re.compile(r"^https?://(?:www\.)?([^/]+)")


class MetaTags:
    """The page's ``<meta>`` tags, read once: content by property, name or itemprop."""

    def __init__(self, source: LexborHTMLParser | list[LexborNode]) -> None:
        """Read the ``<meta content>`` nodes of a tree (or the given ones, in page order)."""
        self._values: dict[str, list[str]] = {}  # property and name
        self._itemprops: dict[str, str] = {}
        nodes = source if isinstance(source, list) else source.css("meta[content]")
        for node in nodes:
            attrs = node.attributes  # one dict: faster than lookups through ``node.attrs``
            content = attrs.get("content") or ""
            content = " ".join(content.split()) if content.isascii() else clean(content)
            if not content:
                continue
            for attr in ("property", "name"):
                key = attrs.get(attr)
                if key:
                    values = self._values.setdefault(key, [])
                    if content not in values:
                        values.append(content)
            itemprop = attrs.get("itemprop")
            if itemprop:
                self._itemprops.setdefault(itemprop, content)

    def first(self, *keys: str) -> str | None:
        """The first content of the first key present (property or name, then itemprop)."""
        for key in keys:
            values = self._values.get(key)
            if values:
                return values[0]
            if key in self._itemprops:
                return self._itemprops[key]
        return None

    def all(self, key: str) -> list[str]:
        """Every distinct content of ``key``, in page order."""
        return list(self._values.get(key, ()))


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about its article in JSON-LD, OpenGraph, ``<meta>`` and ``<time>``."""

    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    canonical_url: str | None = None
    images: tuple[Image, ...] = ()
    site_name: str | None = None
    paywalled: bool | None = None
    ld: dict[str, Any] | None = None


#: The ``type`` of a ``<link rel="alternate">`` that names a feed.
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})


class Page:
    """One parsed page and what it declares; each part read on first use, then kept."""

    def __init__(self, tree: LexborHTMLParser, url: str = "", html: str | bytes | None = None):
        self.tree = tree
        self.url = url
        self.html = html
        self._contains: dict[tuple[str, ...], bool] = {}

    @classmethod
    def read(cls, html: str | bytes, url: str) -> Page:
        """Parse ``html``; an empty document is a ``ParseError`` (field ``html``)."""
        if not html.strip():
            raise ParseError(url, "html", "empty document")
        return cls(tree_of(html), url, html)

    def may_contain(self, *needles: str) -> bool:
        """Whether the page's source may hold one of ``needles`` (True when unknown): a test
        that spares CSS queries over the whole tree on pages that cannot match them."""
        if self.html is None:
            return True
        if needles not in self._contains:
            html = self.html
            found = any((n.encode() if isinstance(html, bytes) else n) in html for n in needles)
            self._contains[needles] = found
        return self._contains[needles]

    # --- declared data -------------------------------------------------------------------

    @cached_property
    def declared(self) -> dict[str, list[LexborNode]]:
        """The nodes a page declares itself with, found in one pass over the tree, by kind:
        ``meta``, ``link``, ``ld`` (JSON-LD scripts), ``time`` and ``stamped``
        (``[itemprop=datePublished][datetime]``), each in page order."""
        found: dict[str, list[LexborNode]] = {k: [] for k in ("meta", "link", "ld", "time")}
        found["stamped"] = []
        for node in self.tree.css(_DECLARED_SELECTOR):
            attrs = node.attributes
            tag = node.tag
            if tag == "meta" and "content" in attrs:
                found["meta"].append(node)
            elif tag == "link":
                found["link"].append(node)
            elif tag == "script":
                found["ld"].append(node)
            if "datetime" in attrs:
                if tag == "time":
                    found["time"].append(node)
                if attrs.get("itemprop") == "datePublished":
                    found["stamped"].append(node)
        return found

    @cached_property
    def ld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page, sanitized (see ``parsers.jsonld``)."""
        return load_blocks(self.declared["ld"])

    @cached_property
    def ld_article(self) -> dict[str, Any] | None:
        """The JSON-LD object describing the article (NewsArticle, Article, ...), if any."""
        return ld_article(self.ld)

    def ld_first(self, *types: str) -> dict[str, Any] | None:
        """The first JSON-LD object whose ``@type`` is one of ``types``."""
        wanted = set(types)
        return next((obj for obj in self.ld if ld_types(obj) & wanted), None)

    def ld_value(self, key: str) -> Any:
        """``key`` of the article's JSON-LD object (None without one)."""
        return self.ld_article.get(key) if self.ld_article else None

    @cached_property
    def metas(self) -> MetaTags:
        return MetaTags(self.declared["meta"])

    def link(self, rel: str) -> str | None:
        """The href of the first ``<link rel=...>`` naming ``rel``."""
        for node in self.declared["link"]:
            rels = (node.attributes.get("rel") or "").lower().split()
            if rel in rels:
                href = clean(node.attributes.get("href"))
                if href:
                    return href
        return None

    def feed_links(self) -> tuple[str, ...]:
        """The absolute URLs of the RSS and Atom feeds the head declares
        (``<link rel="alternate" type="application/rss+xml">`` or ``atom+xml``), in order."""
        found: list[str] = []
        for node in self.declared["link"]:
            rels = (node.attributes.get("rel") or "").lower().split()
            kind = (node.attributes.get("type") or "").strip().lower()
            if "alternate" in rels and kind in FEED_TYPES:
                url = self.absolute(node.attributes.get("href"))
                if url and url not in found:
                    found.append(url)
        return tuple(found)

    def declared_time(self, kind: str) -> str | None:
        """The ``datetime`` of the first ``<time>`` (``kind="time"``) or of the first
        ``[itemprop=datePublished]`` (``kind="stamped"``)."""
        nodes = self.declared[kind]
        return nodes[0].attributes.get("datetime") if nodes else None

    def meta(self, *keys: str) -> str | None:
        """First non-empty ``<meta>`` content for ``keys`` (property, name or itemprop)."""
        return self.metas.first(*keys)

    def meta_all(self, key: str) -> list[str]:
        """All non-empty contents of ``<meta property|name=key>``, in page order."""
        return self.metas.all(key)

    # --- the tree ------------------------------------------------------------------------

    def css(self, selector: str) -> list[LexborNode]:
        return self.tree.css(selector)

    def css_first(self, selector: str) -> LexborNode | None:
        return self.tree.css_first(selector)

    def absolute(self, href: str | None) -> str | None:
        """``href`` made absolute against the page URL; None for empty or non-http links."""
        return absolute_url(self.url, href)

    @cached_property
    def language(self) -> str | None:
        """``<html lang>``, else ``og:locale``/``content-language``, as ``fr``."""
        root = self.tree.css_first("html")
        lang = root.attributes.get("lang") if root is not None else None
        lang = lang or self.meta("og:locale", "content-language", "language", "inLanguage")
        if not lang:
            return None
        lang = clean(lang).replace("_", "-").split("-")[0].lower()
        return lang if _LANGUAGE_RE.fullmatch(lang) else None

    # --- the record ----------------------------------------------------------------------

    @cached_property
    def metadata(self) -> PageMetadata:
        """What the page declares about its article, JSON-LD first (see the module doc)."""
        return _read_metadata(self)


def page_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """``Page(tree).metadata``: the declared metadata of an already parsed tree."""
    return Page(tree).metadata


def _read_metadata(page: Page) -> PageMetadata:
    ld = page.ld_article
    get = page.ld_value
    site_name = page.meta("og:site_name") or ld_text(get("publisher"))
    images = _ld_images(get("image"))
    og_image = page.meta("og:image", "twitter:image")
    if og_image and all(i.url != og_image for i in images):
        images.insert(0, Image(url=og_image, caption=page.meta("og:image:alt")))
    language = page.language or (ld_text(get("inLanguage")) or "")[:2].lower() or None
    return PageMetadata(
        title=page_title(page, site_name),
        description=unescape(ld_text(get("description")) or page.meta(*DESCRIPTION_META)),
        authors=_authors(page, site_name),
        published_at=first_datetime(
            ld_text(get("datePublished")),
            *(page.meta(key) for key in PUBLISHED_META),
            page.declared_time("stamped"),
            page.declared_time("time"),
            ld_text(get("dateCreated")),
        ),
        updated_at=first_datetime(
            ld_text(get("dateModified")), *(page.meta(key) for key in MODIFIED_META)
        ),
        section=ld_text(get("articleSection")) or page.meta("article:section"),
        tags=dedupe(
            ld_keywords(page.meta("keywords"))
            or ld_keywords(get("keywords"))
            or ld_keywords(page.meta_all("article:tag"))
            or ld_keywords(page.meta("news_keywords"))
        ),
        language=language if language and _LANGUAGE_RE.fullmatch(language) else None,
        canonical_url=_canonical(page),
        images=tuple(images),
        site_name=site_name,
        paywalled=paywalled(get("isAccessibleForFree")),
        ld=ld,
    )


def paywalled(free: Any) -> bool | None:
    """``isAccessibleForFree`` read as "behind a paywall": ``false``/``"no"`` mean paywalled."""
    accessible = ld_bool(free)
    return None if accessible is None else not accessible


def page_title(page: Page, site_name: str | None) -> str | None:
    """The headline: ``og:title`` without the site's name, else JSON-LD, ``<title>``, ``h1``.

    ``og:title`` is what the newsroom wrote for sharing and is what archives
    (and fundus) keep; the ``h1`` is used when there is no metadata at all.
    """
    host = None
    canonical = page.meta("og:url") or page.link("canonical")
    match = _HOST_RE.match(canonical or "")
    if match:
        host = match.group(1).split(".")[0]
    og = unescape(page.meta("og:title", "twitter:title"))
    if og and (not site_name or og.casefold() != site_name.casefold()):  # not the site's name
        return strip_site_name(og, site_name, host)
    headline = unescape(ld_text(page.ld_value("headline")))
    if headline:
        return headline
    h1 = next((t for t in (text_of(h) for h in page.css("h1")) if t), None)
    if h1:
        return h1
    title = unescape(text_of(page.css_first("title")))
    return strip_site_name(title, site_name, host) if title else None


def _authors(page: Page, site_name: str | None) -> tuple[str, ...]:
    """JSON-LD authors (references resolved), else ``<meta>`` authors, else the byline."""
    names = ld_names(ld_resolve(page.ld_value("author"), ld_index(page.ld)))
    for key in AUTHOR_META:
        if names:
            break
        names = page.meta_all(key)
        if len(names) > 1 or key in ("citation_author", "dc.creator", "DC.creator"):
            names = [reversed_name(n) for n in names]
    names = [a for a in names if not a.startswith(("http://", "https://"))]
    if not names and not page.may_contain(*BYLINE_MARKS):
        return ()
    return split_authors(names, site_name) or byline_authors(page.tree, site_name)


def byline_authors(tree: LexborHTMLParser, site_name: str | None = None) -> tuple[str, ...]:
    """Authors from the visible byline, for pages whose metadata names none."""
    if tree.css_first(_ANY_BYLINE) is None:  # one pass over the tree for the common case
        return ()
    for selector in BYLINE_SELECTORS:
        nodes = [n for n in tree.css(selector) if n.tag != "meta" and 0 < len(text_of(n)) <= 80]
        if not nodes:
            continue
        # the first byline and its neighbours only: author links elsewhere are other stories'
        scope = nodes[0].parent.parent if nodes[0].parent is not None else None
        names = [text_of(n) for n in nodes if scope is None or _inside(n, scope)]
        authors = split_authors(names, site_name)
        if authors:
            return authors[:8]
    return ()


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    for _ in range(4):
        if parent is None:
            return False
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def _ld_images(value: Any) -> list[Image]:
    items = value if isinstance(value, list) else [value]
    images = []
    for item in items:
        if isinstance(item, str) and item.strip():
            images.append(Image(url=item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            images.append(Image(url=item["url"], caption=ld_text(item.get("caption"))))
    return images


def _canonical(page: Page) -> str | None:
    """``<link rel=canonical>``, else ``og:url``, made absolute; None when neither is an
    http(s) URL that reads (``http://[::1``, a port out of range)."""
    for href in (page.link("canonical"), page.meta("og:url")):
        url = absolute_url(page.url, href) if href else None
        if url is not None:
            return url
    return None
