"""Parser for www.lefigaro.fr article pages (layout read from pages of 2024) and its listings.

Le Figaro's body is ``div.fig-content-body``: text in ``p.fig-paragraph``,
sub-headings in ``h2.fig-body-heading``; "À lire aussi" links are
``p.fig-body-link`` and teaser boxes are ``div``s, so both stay out. The
standfirst is ``p.fig-standfirst``, the photo ``figure.fig-media`` with its
credit in ``span.fig-media__credits``. Metadata comes from the Article JSON-LD
and ``article:*`` meta tags; the topics are the ``keywords`` meta (the tag
links at the foot of the page are a subset of it).
"""

from __future__ import annotations

import re

from parsers import register
from parsers.base import Image
from parsers.cleanup import split_keywords
from parsers.extract import dedupe, text_of
from parsers.fields import FieldParser, figure_images
from parsers.jsonld import ld_text
from parsers.page import Page

BODY_SELECTOR = "div.fig-content-body > p.fig-paragraph, div.fig-content-body > h2"
LEAD_SELECTOR = "article p.fig-standfirst, p.fig-standfirst"
HEADLINE_SELECTOR = "h1.fig-headline, article h1"
#: The visible byline: ``Par Le Figaro et AFP``.
BYLINE_SELECTOR = ".fig-content-metas__authors"
TAG_LINK_SELECTOR = ".fig-tags__link"
FIGURE_SELECTOR = "article figure.fig-media"
CAPTION_SELECTOR = "figcaption"
CREDIT_SELECTOR = ".fig-media__credits"
#: Article URLs end with the publication day: ``/<rubrique>/<slug>-20241122``.
ARTICLE_PATH_RE = re.compile(r"/[^/]+-(?:19|20)\d{6}(?:\.php)?$")
_BYLINE_PREFIX_RE = re.compile(r"^\s*par\s+", re.I)


@register
class LeFigaroParser(FieldParser):
    """www.lefigaro.fr and its sub-sites (madame., etudiant., ...)."""

    name = "lefigaro"
    domains = ("www.lefigaro.fr",)
    version = "1"
    site_name = "Le Figaro"
    article_path = ARTICLE_PATH_RE
    headline_selector = HEADLINE_SELECTOR
    lead_selector = LEAD_SELECTOR
    body_selector = BODY_SELECTOR

    def authors(self, page: Page) -> tuple[str, ...]:
        names = super().authors(page)
        if names:
            return names
        byline = text_of(page.css_first(BYLINE_SELECTOR))
        return dedupe([_BYLINE_PREFIX_RE.sub("", byline)])

    def tags(self, page: Page) -> tuple[str, ...]:
        keywords = split_keywords(page.meta("keywords"))
        return keywords or dedupe(text_of(a) for a in page.css(TAG_LINK_SELECTOR))

    def section(self, page: Page) -> str | None:
        return page.meta("article:section") or ld_text(self.ld(page, "articleSection"))

    def images(self, page: Page) -> tuple[Image, ...]:
        return figure_images(
            page, page.css(FIGURE_SELECTOR), caption=CAPTION_SELECTOR, credit=CREDIT_SELECTOR
        )
