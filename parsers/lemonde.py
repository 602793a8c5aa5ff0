"""Parser for www.lemonde.fr article pages (layout read from pages of 2023) and its listings.

Le Monde marks its body well: ``p.article__paragraph`` for text and
``h2.article__sub-title`` for sub-headings, the chapeau in ``p.article__desc``
(``#js-summary-live`` on live pages), the photo in ``figure.article__media``.
Metadata comes from its NewsArticle JSON-LD (local times, real authors,
keywords, ``isAccessibleForFree``) with OpenGraph as fallback. The byline is
the JSON-LD ``author`` list (the visible "Par ..." line as fallback), never
``og:article:author``, which on subscriber articles says just "Le Monde".
"""

from __future__ import annotations

import re
from datetime import datetime

from parsers import register
from parsers.base import Image
from parsers.extract import dedupe, text_of
from parsers.fields import FieldParser, figure_images
from parsers.jsonld import ld_bool, ld_names, ld_text
from parsers.page import Page
from parsers.times import parse_datetime

#: Body blocks in page order: paragraphs and sub-headings.
BODY_SELECTOR = "p.article__paragraph, h2.article__sub-title"
#: The chapeau (standfirst); live pages use ``#js-summary-live``.
LEAD_SELECTOR = "p.article__desc, #js-summary-live"
HEADLINE_SELECTOR = "h1.article__title"
#: The visible byline: ``Par <a>Name</a>, <a>Name</a>``.
BYLINE_SELECTOR = "#js-authors-list a, .meta__author a"
FIGURE_SELECTOR = "figure.article__media"
CAPTION_SELECTOR = "figcaption"
CREDIT_SELECTOR = ".article__credit"
#: ``/<rubrique>/article/2023/08/30/<slug>_6187099_823448.html`` (and ``/live/``).
ARTICLE_PATH_RE = re.compile(r"/(?:article|live)/\d{4}/\d{2}/\d{2}/[^/]+_\d+_\d+\.html$")


@register
class LeMondeParser(FieldParser):
    """www.lemonde.fr (French edition) and its English edition at the same host."""

    name = "lemonde"
    domains = ("www.lemonde.fr",)
    version = "1"
    site_name = "Le Monde"
    article_path = ARTICLE_PATH_RE
    headline_selector = HEADLINE_SELECTOR
    lead_selector = LEAD_SELECTOR
    body_selector = BODY_SELECTOR

    def authors(self, page: Page) -> tuple[str, ...]:
        names = ld_names(self.ld(page, "author"))
        if not names:
            names = [text_of(a) for a in page.css(BYLINE_SELECTOR)]
        if not names:
            names = [page.meta("og:article:author") or ""]
        return dedupe(names)

    def published_at(self, page: Page) -> datetime | None:
        return parse_datetime(ld_text(self.ld(page, "datePublished"))) or parse_datetime(
            page.meta("og:article:published_time")
        )

    def updated_at(self, page: Page) -> datetime | None:
        return parse_datetime(ld_text(self.ld(page, "dateModified"))) or parse_datetime(
            page.meta("og:article:modified_time")
        )

    def section(self, page: Page) -> str | None:
        return page.meta("og:article:section", "article:section")

    def tags(self, page: Page) -> tuple[str, ...]:
        keywords = self.ld(page, "keywords")
        if isinstance(keywords, list):
            return dedupe(text for text in (ld_text(k) for k in keywords) if text)
        return super().tags(page)

    def images(self, page: Page) -> tuple[Image, ...]:
        return figure_images(
            page, page.css(FIGURE_SELECTOR), caption=CAPTION_SELECTOR, credit=CREDIT_SELECTOR
        )

    def paywalled(self, page: Page) -> bool | None:
        free = ld_bool(self.ld(page, "isAccessibleForFree"))
        if free is not None:
            return not free
        tier = page.meta("og:article:content_tier")
        return None if tier is None else tier == "locked"
