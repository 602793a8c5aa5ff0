"""The values every parser returns (Article, TickerItem, Listing) and the SiteParser base class.

A parser is a pure function of (html, url, fetched_at): it does no I/O, reads no
config and never imports ``scraper``. Every failure it raises is a ``ParseError``
naming the URL and the field that could not be read. A site parser may hold
several layout versions, each valid until a date; the fetch date picks one, so a
redesign does not break the reading of pages archived before it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

#: Fields whose emptiness is recorded as parser health (see ``Article.missing``).
HEALTH_FIELDS: tuple[str, ...] = ("title", "body", "published_at", "authors", "lead")
#: The HEALTH_FIELDS without which an article is broken (``status`` rates parser health on them):
#: many pages rightly have no byline or printed standfirst.
ESSENTIAL_FIELDS: tuple[str, ...] = ("title", "body", "published_at")


class ParseError(ValueError):
    """A page could not be read: names the URL and the missing or broken field."""

    def __init__(self, url: str, field_name: str, reason: str = "not found") -> None:
        self.url = url
        self.field = field_name
        self.reason = reason
        super().__init__(f"{url}: cannot read {field_name}: {reason}")


@dataclass(frozen=True)
class Image:
    """An image of an article, with its caption and credit when the page gives them."""

    url: str
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class Section:
    """A run of body paragraphs, under a sub-heading (``headline``) or none."""

    headline: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """One article page as read by a parser.

    ``lead`` is the standfirst as printed on the page (or None); ``description``
    the page's meta description, never counted as text. ``body`` is the
    article's paragraphs, separated by a blank line; ``sections`` keeps the same
    paragraphs grouped under their sub-headings; ``text`` is what a reader reads
    (lead, sub-headings, paragraphs in page order). ``missing`` lists the
    HEALTH_FIELDS that came out empty (parser health).
    """

    url: str
    title: str
    body: str
    lead: str | None = None
    description: str | None = None
    sections: tuple[Section, ...] = ()
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    canonical_url: str | None = None
    images: tuple[Image, ...] = ()
    paywalled: bool | None = None
    comment_count: int | None = None
    site_name: str | None = None
    parser: str = ""
    parser_version: str = ""
    missing: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.missing:
            empty = tuple(name for name in HEALTH_FIELDS if not getattr(self, name))
            object.__setattr__(self, "missing", empty)

    @property
    def main_text(self) -> str:
        """Sub-headings and paragraphs in page order (the text without the lead)."""
        if not self.sections:
            return self.body
        blocks: list[str] = []
        for section in self.sections:
            if section.headline:
                blocks.append(section.headline)
            blocks.extend(section.paragraphs)
        return "\n\n".join(blocks)

    @property
    def text(self) -> str:
        """What a reader reads: lead, sub-headings and paragraphs in page order."""
        main = self.main_text
        if not self.lead:
            return main
        return f"{self.lead}\n\n{main}" if main else self.lead

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body's paragraphs, in order."""
        return tuple(p for p in self.body.split("\n\n") if p)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: datetimes as ISO-8601, tuples as lists."""
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class TickerItem:
    """One entry of a site's "latest news" list: the time as shown, a title and a link.

    ``shown_time`` is the text the site printed (``"11:07"``); the parser does not
    know the site's timezone, so turning it into a timestamp is the caller's job.
    ``published_at`` is set only when the page itself gives a full timestamp.
    """

    title: str
    url: str | None
    shown_time: str | None = None
    published_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Teaser:
    """An article as a listing page announces it: headline, link, the first lines of its
    text as shown (cut where the page cuts them) and the date shown, when there is one."""

    title: str
    url: str
    excerpt: str | None = None
    published_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Listing:
    """A listing (front, section or archive) page: its ticker, the article links it shows,
    its teasers, the link to its next (older) page and the feeds it declares."""

    url: str
    ticker: tuple[TickerItem, ...] = ()
    article_links: tuple[str, ...] = ()
    teasers: tuple[Teaser, ...] = ()
    next_url: str | None = None
    #: RSS/Atom feeds named by ``<link rel="alternate">`` in the page's head.
    feeds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


class SiteParser:
    """Base of every parser: subclasses set ``name``, ``domains`` and ``version``.

    ``domains`` are host names (``"lemonde.fr"`` matches ``www.lemonde.fr`` too).
    Sites with several layouts override ``versions``: ``(valid_until, parser)``
    pairs, oldest first, the last one with ``valid_until=None``; ``for_date`` picks.
    """

    name: ClassVar[str] = ""
    domains: ClassVar[tuple[str, ...]] = ()
    version: ClassVar[str] = "1"
    valid_until: ClassVar[date | None] = None

    def versions(self) -> tuple[SiteParser, ...]:
        """All layout versions of this site, oldest first (just ``self`` by default)."""
        return (self,)

    def for_date(self, when: date | datetime | None) -> SiteParser:
        """The version of this parser that reads pages fetched on ``when``."""
        versions = self.versions()
        if when is None:
            return versions[-1]
        day = when.date() if isinstance(when, datetime) else when
        for candidate in versions:
            if candidate.valid_until is None or day < candidate.valid_until:
                return candidate
        return versions[-1]

    def archive_listings(self, start_url: str) -> tuple[str, ...]:
        """The first pages of the paginated listings through which the site's past can be
        walked from ``start_url`` (newest first, each page linking to the next); none by
        default (the backfill then reads the sitemaps only)."""
        return ()

    def parse_article(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Article:
        raise NotImplementedError

    def parse_listing(
        self, html: str | bytes, url: str, fetched_at: datetime | None = None
    ) -> Listing:
        raise NotImplementedError
