"""Parser for www.lesechos.fr article pages and its "le fil info" live page (layout of 2024).

Les Echos builds its pages with styled-components, so class names are hashes
that change with every deploy; this parser keys on structure instead: the
article's ``header`` holds the headline, the chapeau (its ``p``) and the topic
links (in the ``role=group`` toolbar); the text is the direct ``p``/``h2``/``h3``
children of ``div.post-paywall`` (the one stable class). Credits close the
photo caption in parentheses. On the live page every entry opens with a time
(``9h05 - La Bourse de Paris ouvre dans le vert``): ``parse_listing`` returns
those entries as the ticker, dated with the page's own publication day and
no offset (the page shows local times; ingest applies the site's timezone).
"""

from __future__ import annotations

import re
from datetime import datetime

from parsers import register
from parsers.base import Image, TickerItem
from parsers.extract import clean, dedupe, text_of
from parsers.fields import FieldParser, block_text, img_url
from parsers.page import Page
from parsers.times import CLOCK, at_time_of_day, hhmm

BODY_SELECTOR = (
    "article div.post-paywall > p, article div.post-paywall > h2, article div.post-paywall > h3"
)
LEAD_SELECTOR = "article header > p"
HEADLINE_SELECTOR = "article header h1, h1"
TOPIC_SELECTOR = 'article header [role="group"] a[href]'
FIGURE_SELECTOR = "article figure"
#: Entries of the live page: every block of the text, boxes included.
LIVE_ENTRY_SELECTOR = "article div.post-paywall p, article div.post-paywall h3"
#: ``9h05 - Title`` (also ``9h05 : Title``, ``9h05 Title``).
LIVE_ENTRY_RE = re.compile(rf"^\s*{CLOCK}(?:\s*[-–—:])?\s+(\S.*)$")
#: Fewer timed entries than this and the page is not a live page.
MIN_LIVE_ENTRIES = 2
#: Article URLs end with a numeric id: ``/<rubrique>/<sous-rubrique>/<slug>-2108558``.
ARTICLE_PATH_RE = re.compile(r"/[^/]+-\d{6,8}$")
#: A photo credit closing the caption: ``... au premier semestre. (Fred Scheiber/SIPA)``.
CREDIT_RE = re.compile(r"\s*\(([^()]+)\)\s*$")


@register
class LesEchosParser(FieldParser):
    """www.lesechos.fr: articles, and the "le fil info" live page as a ticker."""

    name = "lesechos"
    domains = ("www.lesechos.fr",)
    version = "1"
    site_name = "Les Echos"
    article_path = ARTICLE_PATH_RE
    headline_selector = HEADLINE_SELECTOR
    lead_selector = LEAD_SELECTOR
    body_selector = BODY_SELECTOR

    def tags(self, page: Page) -> tuple[str, ...]:
        return dedupe(text_of(a) for a in page.css(TOPIC_SELECTOR))

    def images(self, page: Page) -> tuple[Image, ...]:
        images: list[Image] = []
        for figure in page.css(FIGURE_SELECTOR):
            img = figure.css_first("img")
            url = img_url(page, img) if img is not None else None
            if not url or any(i.url == url for i in images):
                continue
            caption = text_of(figure.css_first("figcaption"))
            credit = None
            match = CREDIT_RE.search(caption)
            if match:
                credit = clean(match.group(1))
                caption = caption[: match.start()].strip()
            images.append(Image(url=url, caption=caption or None, credit=credit))
        return tuple(images)

    # --- the live page -------------------------------------------------------------------

    def ticker(self, page: Page) -> tuple[TickerItem, ...]:
        """The timed entries of a live page, newest first as shown; () on other pages.

        An entry's ``url`` is its own link when it has one, else the live page
        (where the entry is read).

        ``published_at`` is the shown time, naive (the page gives no offset), on the
        day the page says it was published; without that date it stays None.
        """
        day = self.published_at(page)
        items = []
        for node in page.css(LIVE_ENTRY_SELECTOR):
            text = block_text(node)
            match = LIVE_ENTRY_RE.match(text)
            if not match:
                continue
            shown = hhmm(match)
            link = node.css_first("a[href]")
            url = page.absolute(link.attributes.get("href")) if link is not None else None
            published = self.entry_time(day, shown)
            items.append(TickerItem(clean(match.group(3)), url or page.url, shown, published))
        return tuple(items) if len(items) >= MIN_LIVE_ENTRIES else ()

    @staticmethod
    def entry_time(day: datetime | None, shown: str) -> datetime | None:
        """``shown`` on the day ``day`` names (as the page wrote it), naive; None without one."""
        return at_time_of_day(day.date(), shown) if day is not None else None
