"""Read RSS/Atom feeds (feedparser) and sitemaps (ultimate-sitemap-parser) from fetched bytes.

No I/O here: the crawl and the backfill fetch every feed and sitemap through
our ``Fetcher`` (robots.txt, pacing, private-network guard, size caps) and hand
the bytes over. A gzip file (``sitemap-2025-03.xml.gz``) is unpacked under the
same ``max_bytes`` cap as any body. Feeds are read by ``feedparser.parse`` on
the bytes; sitemaps by usp's ``sitemap_from_str`` (urlsets, Google News
``<news:news>``, text and RSS sitemaps). usp keeps only the ``<loc>`` of a
sitemap index's children (and gives them back unfetched), so their
``<lastmod>``, which decides what a pass reads, is read with defusedxml from the
same index. Each link comes out as a ``Listed``: URL, the title and date given
with it (UTC), and whether it is a news entry. A body that is no feed or
sitemap raises ``FeedError`` naming the URL. The three libraries are imported on
first use: usp brings ``requests`` (0.1-0.2 s), which every parse worker (it imports
the command) would otherwise pay at start, inside its first page's parse timeout.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from scraper.bodies import BoundedDecoder, DecodeError

log = logging.getLogger(__name__)
# usp logs every parse at INFO, and its failures as warnings, with a placeholder URL of its own;
# we report a failure ourselves (FeedError naming the real URL)
logging.getLogger("usp").setLevel(logging.ERROR)

_GZIP_MAGIC = b"\x1f\x8b"
#: The URL usp's ``sitemap_from_str`` gives the sitemap it reads (and names in its reasons).
_USP_PLACEHOLDER = "http://usp-local-dummy.local/"
_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})""")
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class FeedError(ValueError):
    """A fetched feed or sitemap could not be read: the message names the URL and why."""


@dataclass(frozen=True)
class Listed:
    """An article link as a feed or sitemap gives it: title and date (UTC) when given."""

    url: str
    title: str | None = None
    listed_at: datetime | None = None
    #: A Google News entry (``<news:news>``): a pass always reads these.
    news: bool = False


@dataclass(frozen=True)
class SitemapRef:
    """A child of a sitemap index and the ``<lastmod>`` the index gives it (UTC)."""

    url: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class SitemapRead:
    """A sitemap read: its entries (a urlset) or its children (an index)."""

    entries: tuple[Listed, ...] = ()
    children: tuple[SitemapRef, ...] = ()


def unpacked(body: bytes, url: str, max_bytes: int) -> bytes:
    """``body`` unpacked when it is a gzip file, at most ``max_bytes`` once unpacked."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    decoder = BoundedDecoder("gzip")
    out: list[bytes] = []
    size = 0
    try:
        for piece in (*decoder.feed(body), *decoder.finish()):
            size += len(piece)
            if size > max_bytes:
                raise FeedError(
                    f"{url}: unpacks to more than max_bytes = {max_bytes}; "
                    "raise [fetch] max_bytes to read it"
                )
            out.append(piece)
    except DecodeError as exc:
        raise FeedError(f"{url}: a damaged gzip file: {exc}") from exc
    return b"".join(out)


def read_feed(body: bytes, url: str) -> tuple[Listed, ...]:
    """The entries of an RSS or Atom feed, in feed order, each link once, made absolute."""
    import feedparser  # (on first use: see the module docstring)

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom entries"
        raise FeedError(f"{url}: not a readable feed: {_one_line(str(reason))}")
    found: dict[str, Listed] = {}
    for entry in parsed.entries:
        link = _absolute(url, entry.get("link"))
        if link is None or link in found:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        title = _one_line(entry.get("title") or "") or None
        found[link] = Listed(link, title, _from_struct(stamp))
    return tuple(found.values())


def read_sitemap(body: bytes, url: str) -> SitemapRead:
    """A sitemap (urlset, news, text or RSS) or a sitemap index, from its unpacked bytes."""
    from usp.objects.sitemap import AbstractIndexSitemap, InvalidSitemap
    from usp.tree import sitemap_from_str

    text = body.decode(_xml_encoding(body), errors="replace")
    if not text.strip():
        raise FeedError(f"{url}: an empty sitemap")
    tree = sitemap_from_str(text)
    if isinstance(tree, InvalidSitemap):
        reason = _one_line(tree.reason.replace(f" from {_USP_PLACEHOLDER}", ""))
        raise FeedError(f"{url}: not a readable sitemap: {reason}")
    if isinstance(tree, AbstractIndexSitemap):
        return SitemapRead(children=_index_children(body, url))
    found: dict[str, Listed] = {}
    for page in tree.pages:
        link = _absolute(url, page.url)
        if link is None or link in found:
            continue
        story = page.news_story
        if story is not None:
            stamp = _utc(story.publish_date) or _utc(page.last_modified)
            found[link] = Listed(link, _one_line(story.title or "") or None, stamp, news=True)
        else:
            found[link] = Listed(link, None, _utc(page.last_modified))
    return SitemapRead(entries=tuple(found.values()))


def _index_children(body: bytes, url: str) -> tuple[SitemapRef, ...]:
    """Every ``<sitemap>`` of an index with its ``<lastmod>`` (usp drops the lastmod)."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(body)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise FeedError(f"{url}: a sitemap index that cannot be read: {exc}") from exc
    children: dict[str, SitemapRef] = {}
    for node in root.iter(f"{_SITEMAP_NS}sitemap"):
        link = _absolute(url, node.findtext(f"{_SITEMAP_NS}loc"))
        if link and link not in children:
            lastmod = node.findtext(f"{_SITEMAP_NS}lastmod")
            children[link] = SitemapRef(link, parse_lastmod(lastmod))
    return tuple(children.values())


def parse_lastmod(value: str | None) -> datetime | None:
    """A W3C datetime (``2025-05-09``, ``2025-05-09T11:07:00+01:00``) as UTC; None if unreadable
    (a date alone is midnight UTC; a time without offset is read as UTC)."""
    text = (value or "").strip()
    if not text or len(text) > 40:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _utc(stamp)


def _utc(stamp: datetime | None) -> datetime | None:
    if stamp is None:
        return None
    try:
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _from_struct(stamp: object) -> datetime | None:
    """feedparser's UTC ``time.struct_time`` as an aware datetime."""
    if stamp is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(stamp), UTC)  # type: ignore[arg-type]
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _absolute(base: str, link: object) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        url = urljoin(base, link.strip())
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def _xml_encoding(body: bytes) -> str:
    match = _ENCODING_RE.match(body[:300])
    name = match[1].decode("ascii") if match else "utf-8"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def sitemap_recent(ref: SitemapRef, since: datetime) -> bool:
    """Whether an index child changed at or after ``since`` (one without lastmod has not)."""
    return ref.lastmod is not None and ref.lastmod >= since
