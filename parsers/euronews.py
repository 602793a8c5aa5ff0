"""Parser for euronews.com article pages in every language edition (fr., www., de., ...).

All editions share one layout, which changed between the pages of 2024 and
those of 2026, hence two versions picked by fetch date:

- ``1`` (to 2025-01-01): metadata in a NewsArticle JSON-LD (authors, dates) and
  ``date.available``/``keywords`` meta tags; the summary is ``p.c-article-summary``.
- ``1.1`` (from then): no article JSON-LD any more; ``article:author``,
  ``article:published_time`` and one ``article:tag`` per topic; the summary is
  an ``h2.c-article-summary``; photos inside the text are image widgets.

The switch date is an estimate (the corpus holds one page of each layout,
2024-04-30 and 2026-01-06); 1.1 falls back on 1's sources where its own are
absent, so a page dated on the wrong side still reads. Body text is the direct
``p``/``h2``/``h3`` children of ``div.c-article-content`` (widgets, ads and
related-story boxes are ``div``s).
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime

from parsers import register
from parsers.base import Image, SiteParser
from parsers.cleanup import split_keywords
from parsers.extract import dedupe, text_of
from parsers.fields import FieldParser, figure_images, img_url
from parsers.jsonld import ld_text
from parsers.page import Page
from parsers.times import parse_datetime

BODY_SELECTOR = "div.c-article-content > p, div.c-article-content > h2, div.c-article-content > h3"
HEADLINE_SELECTOR = "h1.c-article-redesign-title, h1"
MAIN_IMAGE_SELECTOR = ".c-article-image-video img, img.c-article-media__img"
MAIN_CAPTION_SELECTOR = ".c-article-caption__text"
MAIN_COPYRIGHT_SELECTOR = ".c-article-caption__copyright"
MAIN_CREDIT_SELECTOR = ".c-article-caption__credit"
WIDGET_FIGURE_SELECTOR = "div.c-article-content figure.widget__figure"
WIDGET_CAPTION_SELECTOR = ".widget__captionText"
WIDGET_CREDIT_SELECTOR = ".widget__captionCredit"
PROFILE_LINK_SELECTOR = 'a[href*="/profiles/"]'
#: Article URLs carry the day: ``/<rubrique>/2024/04/30/<slug>`` or ``/2024/04/30/<slug>``.
ARTICLE_PATH_RE = re.compile(r"/(?:19|20)\d{2}/\d{2}/\d{2}/[^/]+/?$")


class EuronewsV1(FieldParser):
    """Euronews pages of 2024 (NewsArticle JSON-LD, ``p.c-article-summary``)."""

    name = "euronews"
    domains = ("euronews.com",)
    version = "1"
    valid_until = date(2025, 1, 1)
    site_name = "Euronews"
    article_path = ARTICLE_PATH_RE
    headline_selector = HEADLINE_SELECTOR
    lead_selector = "p.c-article-summary"
    body_selector = BODY_SELECTOR

    def published_at(self, page: Page) -> datetime | None:
        return parse_datetime(page.meta("date.available")) or parse_datetime(
            ld_text(self.ld(page, "datePublished"))
        )

    def updated_at(self, page: Page) -> datetime | None:
        return parse_datetime(page.meta("date.modified")) or parse_datetime(
            ld_text(self.ld(page, "dateModified"))
        )

    def section(self, page: Page) -> str | None:
        """The first breadcrumb after "home" (Green, Culture, News...)."""
        crumbs = page.ld_first("BreadcrumbList") or {}
        items = crumbs.get("itemListElement")
        if isinstance(items, list) and len(items) > 1 and isinstance(items[1], dict):
            name = ld_text(items[1].get("name"))
            return html.unescape(name) if name else None
        return page.meta("article:vertical")

    def tags(self, page: Page) -> tuple[str, ...]:
        return split_keywords(page.meta("keywords", "news_keywords"))

    def images(self, page: Page) -> tuple[Image, ...]:
        main = self.main_image(page)
        widgets = figure_images(
            page,
            page.css(WIDGET_FIGURE_SELECTOR),
            caption=WIDGET_CAPTION_SELECTOR,
            credit=WIDGET_CREDIT_SELECTOR,
        )
        return (main, *widgets) if main is not None else widgets

    def main_image(self, page: Page) -> Image | None:
        """The lead photo (or video poster) with its caption and credit."""
        img = page.css_first(MAIN_IMAGE_SELECTOR)
        url = img_url(page, img) if img is not None else None
        if not url:
            return None
        text = text_of(page.css_first(MAIN_CAPTION_SELECTOR))
        credit = text_of(page.css_first(MAIN_CREDIT_SELECTOR))
        # the caption reads "<caption> - <copyright notice> <credit>": peel from the end
        for tail in (credit, text_of(page.css_first(MAIN_COPYRIGHT_SELECTOR))):
            if tail and text.endswith(tail):
                text = text[: -len(tail)].rstrip()
        caption = text.rstrip(" -–")
        return Image(url=url, caption=caption or None, credit=credit or None)

    def paywalled(self, page: Page) -> bool | None:
        """Euronews has no paywall."""
        return False


class EuronewsV1_1(EuronewsV1):
    """Euronews pages from 2025 on (``article:*`` meta tags, ``h2.c-article-summary``)."""

    version = "1.1"
    valid_until = None

    lead_selector = "h2.c-article-summary, p.c-article-summary"

    def authors(self, page: Page) -> tuple[str, ...]:
        names = dedupe(page.meta_all("article:author"))
        if not names:
            names = dedupe(text_of(a) for a in page.css(PROFILE_LINK_SELECTOR))
        return names or super().authors(page)

    def published_at(self, page: Page) -> datetime | None:
        return parse_datetime(page.meta("article:published_time")) or super().published_at(page)

    def updated_at(self, page: Page) -> datetime | None:
        return parse_datetime(page.meta("article:modified_time")) or super().updated_at(page)

    def tags(self, page: Page) -> tuple[str, ...]:
        return dedupe(page.meta_all("article:tag")) or super().tags(page)


@register
class EuronewsParser(EuronewsV1_1):
    """euronews.com, every language edition: dispatches to the layout of the fetch date."""

    def versions(self) -> tuple[SiteParser, ...]:
        return _VERSIONS


_VERSIONS: tuple[SiteParser, ...] = (EuronewsV1(), EuronewsV1_1())
