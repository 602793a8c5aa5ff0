"""The generic parser, for any site without its own: page metadata plus the main text.

Metadata comes from JSON-LD, OpenGraph, ``<meta>`` and ``<time>`` (the page
model, ``parsers.page``); the body is chosen by ``parsers.bodyselect`` among
readings of the page (the best-scored run of paragraphs once navigation, share
bars, related links, notices and comments are removed; a lighter reading when
that pick is scant; every line of text as a last resort, flagged
``body_confidence`` in ``Article.missing``). The lead is the standfirst as
printed (``parsers.standfirst``), or None; the meta description goes to
``description`` and is never text. ``ParseError`` only for a page with no text
at all. A page with a body but no title gives an article with an empty title.
Times come back as the page gives them (naive when it gives no offset: ingest
localizes them); with no date in the page, a date in the URL gives the day, at
naive midnight. Listing pages yield the links that look like articles (an href
is resolved only when its text can hold such a path). No rule here names a site.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from parsers import register
from parsers.base import Article, Listing, ParseError, SiteParser
from parsers.bodyselect import DOUBTFUL_BODY, choose_body, drop_lines, is_text
from parsers.extract import tree_of, url_host
from parsers.headline import printed_headline
from parsers.links import absolute_url, href_path_text, is_rooted, origin, without_fragment
from parsers.page import Page
from parsers.standfirst import choose_standfirst, page_text, standfirst_candidates

#: Path shapes of article pages on most news sites (a dated path, an id, or a long slug).
ARTICLE_PATH_RE = re.compile(
    r"/(?:19|20)\d{2}/\d{1,2}/|[-_/]\d{5,}(?:\.html?)?/?$|/[a-z0-9]+(?:[-_][a-z0-9]+){4,}(?:\.html?)?/?$",
    re.I,
)


#: A date in an article's URL: ``/2024/03/04/`` or ``-20240304``.
URL_DATE_RE = re.compile(
    r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)|[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)"
)


def url_date(url: str) -> datetime | None:
    """The publication day a URL carries, as naive midnight (None when it has none)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    match = URL_DATE_RE.search(path)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


@register
class GenericParser(SiteParser):
    """Any site: JSON-LD/OpenGraph metadata and the main text by paragraph density."""

    name = "generic"
    domains = ()
    version = "3"

    def parse_article(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Article:
        tree = tree_of(html)
        page = Page(tree, url)
        meta = page.metadata
        title = printed_headline(page, meta.title, meta.site_name) or meta.title or ""
        candidates = standfirst_candidates(tree)
        text = page_text(tree) if candidates else ""
        pick = choose_body(html, tree, title)
        firsts = tuple(p for s in pick.sections[:2] for p in s.paragraphs[:3])
        lead = choose_standfirst(candidates, text, title, firsts)
        not_body = {title, *meta.authors}  # the headline, or a byline of bare names, again
        sections = drop_lines(pick.sections, not_body, lead)
        if not lead and (not sections or not is_text(pick, sections)):
            reason = "no text found" + ("" if title else ", and no title either")
            raise ParseError(url, "body", reason)
        paragraphs = [p for s in sections for p in s.paragraphs]
        article = Article(
            url=url,
            title=title,
            lead=lead,
            description=meta.description,
            body="\n\n".join(paragraphs),
            sections=sections,
            authors=meta.authors,
            published_at=meta.published_at or url_date(url),
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
        if pick.confident:
            return article
        return replace(article, missing=(*article.missing, DOUBTFUL_BODY))

    def parse_listing(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Listing:
        tree = tree_of(html)
        host = url_host(url)
        base_origin = origin(url)
        feeds = Page(tree, url).feed_links()
        links: dict[str, None] = {}
        seen: set[str] = set()
        for anchor in tree.css("a[href]"):
            href = (anchor.attributes.get("href") or "").strip()
            if href in seen:
                continue
            seen.add(href)
            if is_rooted(href) and not ARTICLE_PATH_RE.search(href_path_text(href)):
                continue  # its path is in its text, and it is not an article's: skip the join
            target = without_fragment(absolute_url(url, href, base_origin) or "")
            if not target or url_host(target) != host:
                continue
            if ARTICLE_PATH_RE.search(urlsplit(target).path):
                links[target] = None
        return Listing(url=url, ticker=(), article_links=tuple(links), feeds=feeds)
