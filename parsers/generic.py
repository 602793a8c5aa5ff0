"""The generic parser, for any site without its own: page metadata plus the main text.

Metadata comes from JSON-LD, OpenGraph, ``<meta>`` and ``<time>``
(``parsers.metadata``); the body is the densest run of paragraphs once
navigation, share bars, related links, notices and comments are removed
(``parsers.maintext``). Listing pages yield the links that look like articles.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from parsers import register
from parsers.base import Article, Listing, ParseError, SiteParser
from parsers.extract import dedupe, text_of, tree_of
from parsers.maintext import find_main_text, strip_boilerplate
from parsers.metadata import page_metadata

#: Path shapes of article pages on most news sites (a dated path, an id, or a long slug).
ARTICLE_PATH_RE = re.compile(
    r"/(?:19|20)\d{2}/\d{1,2}/|[-_/]\d{5,}(?:\.html?)?/?$|/[a-z0-9]+(?:[-_][a-z0-9]+){4,}(?:\.html?)?/?$",
    re.I,
)


@register
class GenericParser(SiteParser):
    """Any site: JSON-LD/OpenGraph metadata and the main text by paragraph density."""

    name = "generic"
    domains = ()
    version = "1"

    def parse_article(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Article:
        tree = tree_of(html)
        meta = page_metadata(tree)
        headings = [text_of(h) for h in tree.css("h1") if text_of(h)]
        title = meta.title or (headings[0] if headings else None)
        if headings and meta.title and not any(h == meta.title for h in headings):
            # og:title often carries " - Site name"; an h1 that it starts with is the real title
            title = next((h for h in headings if meta.title.startswith(h)), meta.title)
        if not title:
            raise ParseError(url, "title", "no JSON-LD headline, og:title, <title> or h1")
        strip_boilerplate(tree)
        main = find_main_text(tree)
        if not main.sections:
            raise ParseError(url, "body", "no run of paragraphs found")
        return Article(
            url=url,
            title=title,
            lead=meta.description,
            body=main.body,
            sections=main.sections,
            authors=meta.authors,
            published_at=meta.published_at,
            updated_at=meta.updated_at,
            section=meta.section,
            tags=meta.tags,
            language=meta.language,
            canonical_url=meta.canonical_url,
            images=meta.images,
            paywalled=meta.paywalled,
            site_name=meta.site_name,
            parser=self.name,
            parser_version=self.version,
        )

    def parse_listing(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Listing:
        tree = tree_of(html)
        host = urlsplit(url).hostname
        links = []
        for anchor in tree.css("a[href]"):
            target = urljoin(url, anchor.attributes.get("href") or "").split("#")[0]
            parts = urlsplit(target)
            if (
                parts.scheme in ("http", "https")
                and parts.hostname == host
                and (ARTICLE_PATH_RE.search(parts.path))
            ):
                links.append(target)
        return Listing(url=url, ticker=(), article_links=dedupe(links))
