"""The one path from a fetched page to the archive: version by date, decode, parse, localize, store.

``crawl`` (new articles and revisits), ``fetch --save`` and ``reparse`` all come
through here, and so will backfills and WARC imports. A page's body is decoded
with the encoding its fetch chose (``page_html``); ``run_parser`` picks the
parser version valid on the fetch date, once, and runs it; whatever a parser
raises on one page (``ParseError``, ``RecursionError``, ``TypeError``...) comes
back as a ``ParseFailure`` of that page, never as an exception, so a pass goes
on. ``run_parser`` takes and returns plain picklable values, so it can run in a
worker process. ``ready_article`` is the only place where times are localized:
a naive time (the page gave no offset) is read in the site's timezone, aware
ones are converted to UTC, and values out of range (year 1 in +05:00, 9999 in
-05:00) are dropped; text SQLite cannot store (lone surrogates) is replaced and
integers beyond 64 bits dropped. ``store_article`` then writes the raw page,
the article and its revision in one transaction, or records the page with its
error kind and logs one line naming the kind and the URL. ``site_for_url``
says which configured site a page of a one-off command belongs to, as a
crawl would file it; ``target_for`` where such a page (``fetch``, a WARC
import) goes when no site is configured for it.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import parsers
from parsers.base import Article, Listing, ParseError, TickerItem
from scraper.errors import NewsrackError
from scraper.kinds import ErrorKind, PageKind
from scraper.timeutil import resolve_shown_time
from scraper.urls import canonical_url, normalize_url

if TYPE_CHECKING:
    from scraper.archive import Archive, Found, SavedArticle
    from scraper.config import SiteConfig
    from scraper.results import FetchResult

log = logging.getLogger(__name__)

#: SQLite's INTEGER range: larger values a page claims (comment counts) are dropped.
_INT64 = 2**63


@dataclass(frozen=True)
class SiteTarget:
    """Where a page goes: the site's name, its parser's name and its timezone.

    ``tz`` None means the timezone is unknown (a site no longer configured):
    naive times are then dropped rather than guessed, so a stored time is kept.
    """

    name: str
    parser: str
    tz: tzinfo | None = UTC

    @classmethod
    def of(cls, site: SiteConfig) -> SiteTarget:
        """The target of a configured site."""
        return cls(site.name, site.parser, site.tz)


def site_for_url(sites: Iterable[SiteConfig], url: str) -> SiteConfig | None:
    """The configured site a page at ``url`` belongs to, as a crawl would file it.

    A site matches when one of its start URLs has the page's scheme, host
    (``www.`` aside) and port, and a path that is a prefix of the page's (a
    start page's file name aside: ``/fr/index.html`` stands for ``/fr/``).
    The longest prefix wins; None when no site matches.
    """
    page = _origin_and_path(url)
    if page is None:
        return None
    best: tuple[int, SiteConfig] | None = None
    for site in sites:
        for start in site.start_urls:
            origin = _origin_and_path(start)
            if origin is None or origin[0] != page[0]:
                continue
            prefix = _directory(origin[1])
            under = page[1] == prefix.rstrip("/") or page[1].startswith(prefix)
            if under and (best is None or len(prefix) > best[0]):
                best = (len(prefix), site)
    return best[1] if best else None


def target_for(
    sites: Iterable[SiteConfig],
    url: str,
    *,
    site: SiteConfig | None = None,
    parser: str | None = None,
) -> tuple[SiteTarget, SiteConfig | None]:
    """Where a page outside a crawl (``fetch``, ``parse``, a WARC import) goes, and its site.

    ``site`` when given, else the configured site a crawl would file it under
    (``site_for_url``), else its host name, read by ``parsers.for_url``;
    ``parser`` overrides the parser.
    """
    site = site or site_for_url(sites, url)
    if site is not None:
        target = SiteTarget.of(site)
    else:
        host = urlsplit(url).hostname or "unknown"
        target = SiteTarget(host, parsers.for_url(url).name)
    if parser:
        target = SiteTarget(target.name, parser, target.tz)
    return target, site


def _origin_and_path(url: str) -> tuple[tuple[str, str, int], str] | None:
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    return (scheme, host, port), parts.path or "/"


def _directory(path: str) -> str:
    """A start page's path as a prefix: itself as a folder, or its folder when it names a file."""
    if path.endswith("/"):
        return path
    head, _, last = path.rpartition("/")
    return f"{head}/" if "." in last else f"{path}/"


@dataclass(frozen=True)
class PageJob:
    """One page to parse, as picklable values: parser name, kind, UTF-8 HTML, URL, fetch time."""

    parser: str
    kind: PageKind
    html: bytes
    url: str
    fetched_at: datetime


@dataclass(frozen=True)
class ParseFailure:
    """A page that gave nothing to store: its kind and one line naming the URL and the cause.

    ``kind`` (the ``pages.error_kind`` it is recorded with) is ``parse`` when the
    parser raised or gave values that cannot be stored, ``timeout`` when it ran
    past ``[fetch] parse_timeout`` and its worker was replaced.
    """

    kind: ErrorKind
    url: str
    message: str


Parsed = Article | Listing | ParseFailure


@dataclass(frozen=True)
class StoredArticle:
    """What ``store_article`` did: the archive's answer, or the page's failure."""

    saved: SavedArticle | None
    failure: ParseFailure | None = None
    page_id: int | None = None


# --- decode and parse -----------------------------------------------------------------------


def page_html(body: bytes, encoding: str | None) -> bytes:
    """The raw body as UTF-8 bytes (what parsers read fastest), decoded with ``encoding``.

    A byte-order mark is dropped; bytes that do not decode are replaced; an
    unknown encoding name is read as UTF-8.
    """
    name = _codec_name(encoding)
    for bom, bom_codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            body, name = body[len(bom) :], bom_codec
            break
    if name in ("utf-8", "ascii"):
        try:
            body.decode("utf-8")
            return body  # already what parsers want: no copy
        except UnicodeDecodeError:
            pass
    return body.decode(name, errors="replace").encode("utf-8", errors="replace")


def _codec_name(encoding: str | None) -> str:
    try:
        return codecs.lookup(encoding or "utf-8").name
    except (LookupError, ValueError):
        return "utf-8"


def job_for(result: FetchResult, parser: str, kind: PageKind) -> PageJob:
    """The parse job of a successful fetch."""
    return PageJob(
        parser,
        kind,
        page_html(result.body, result.encoding),
        result.final_url,
        result.fetched_at,
    )


def run_parser(job: PageJob) -> Parsed:
    """Parse one page with the version of its parser valid on its fetch date; never raises.

    Whatever the parser raises (a ``ParseError``, or a ``RecursionError`` on
    JSON-LD nested deep, a ``TypeError`` on JSON of the wrong type...) is the
    page's failure, returned as a ``ParseFailure``.
    """
    try:
        parser = parsers.get(job.parser).for_date(job.fetched_at)
        if job.kind == PageKind.LISTING:
            return parser.parse_listing(job.html, job.url, job.fetched_at)
        return parser.parse_article(job.html, job.url, job.fetched_at)
    except ParseError as exc:
        return ParseFailure(ErrorKind.PARSE, job.url, one_line(str(exc)))
    except Exception as exc:  # (any parser bug is this page's failure, not the pass's)
        return ParseFailure(ErrorKind.PARSE, job.url, parser_crash(job, exc))


def parser_crash(job: PageJob, exc: BaseException) -> str:
    """One line for a parser that raised something else than ParseError."""
    detail = one_line(str(exc))[:200]
    kind = type(exc).__name__
    return f"{job.url}: parser {job.parser} failed on this page: {kind}: {detail}"


def one_line(text: str) -> str:
    """``text`` with its whitespace runs (newlines too) made single spaces."""
    return " ".join(text.split())


# --- localize and make storable -------------------------------------------------------------


def to_utc(moment: datetime | None, tz: tzinfo | None) -> datetime | None:
    """An aware UTC datetime: a naive one is read in ``tz`` (dropped when ``tz`` is None);
    None when the moment has no UTC equivalent (year 1 east of UTC, 9999 west of it)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        if tz is None:
            return None
        moment = moment.replace(tzinfo=tz)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def ready_article(article: Article, tz: tzinfo | None) -> Article:
    """The article as the archive stores it: times localized to UTC, text and numbers storable."""
    article = _storable(article)
    return dataclasses.replace(
        article,
        published_at=to_utc(article.published_at, tz),
        updated_at=to_utc(article.updated_at, tz),
    )


def ready_listing(listing: Listing, tz: tzinfo | None) -> Listing:
    """The listing with its ticker items' and teasers' full timestamps localized to UTC,
    text storable."""
    listing = _storable(listing)
    items = tuple(
        dataclasses.replace(item, published_at=to_utc(item.published_at, tz))
        for item in listing.ticker
    )
    teasers = tuple(
        dataclasses.replace(teaser, published_at=to_utc(teaser.published_at, tz))
        for teaser in listing.teasers
    )
    return dataclasses.replace(listing, ticker=items, teasers=teasers)


def _text(value: str) -> str:
    """``value`` with lone surrogates (which UTF-8 and SQLite refuse) replaced by U+FFFD."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
    return value


def _storable(value: Any) -> Any:
    """Strings surrogate-free, integers within 64 bits, through tuples and dataclasses."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -_INT64 <= value < _INT64 else None
    if isinstance(value, tuple):
        return tuple(_storable(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = _storable(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


# --- store ----------------------------------------------------------------------------------


def store_ticker_item(
    archive: Archive, site: SiteTarget, item: TickerItem, *, url: str | None, seen_at: datetime
) -> tuple[bool, datetime | None]:
    """Store one ticker item of a listing seen at ``seen_at``; (whether it is new, its time).

    Its time is its own full timestamp (already UTC after ``ready_listing``), else
    its ``HH:MM`` read in the site's timezone (UTC when that is unknown) on the day
    that puts it at or before ``seen_at``.
    """
    published = item.published_at or resolve_shown_time(
        item.shown_time, seen_at, site.tz or UTC
    )
    new = archive.save_ticker_item(
        site.name, item, url=url, published_at=published, seen_at=seen_at
    )
    return new, published


def store_article(
    archive: Archive,
    site: SiteTarget,
    result: FetchResult,
    parsed: Parsed,
    *,
    url: str,
    run_id: int | None = None,
    published_at: datetime | None = None,
    revisit: tuple[int, int] | None = None,
    canonical: str | None = None,
    found: Found | None = None,
) -> StoredArticle:
    """Archive a fetched article page as ``parsed`` read it, in one transaction.

    ``url`` is the URL asked for; ``published_at`` a time to use when the page
    gives none (its ticker's); ``revisit`` is ``(article_id, revisits served)``
    when the page is a revisit, whose article is then kept under ``canonical``;
    ``found`` how its link was found (feed, sitemap...), with the date and title given.
    A ``ParseFailure`` (or an article the archive cannot store) records the
    page with its error kind and one warning line.
    """
    if isinstance(parsed, Article):
        article = ready_article(parsed, site.tz)
        try:
            saved = archive.save_article(
                article,
                site=site.name,
                url=normalize_url(url),
                canonical_url=canonical or canonical_url(result.final_url, article.canonical_url),
                fetched_at=result.fetched_at,
                page=result,
                run_id=run_id,
                published_at=published_at,
                revisits_done=revisit[1] if revisit else None,
                found=found,
            )
        except NewsrackError:
            raise  # the archive's own failure (disk full, locked...): not this page's
        except Exception as exc:  # (a value the page carried that cannot be stored)
            kind = type(exc).__name__
            message = f"{result.final_url}: cannot store what the parser read: {kind}: {exc}"
            parsed = ParseFailure(ErrorKind.PARSE, result.final_url, one_line(message))
        else:
            return StoredArticle(saved)
    elif isinstance(parsed, Listing):
        parsed = ParseFailure(
            ErrorKind.PARSE, result.final_url, f"{result.final_url}: a listing, not an article"
        )
    return StoredArticle(
        None, parsed, record_failure(archive, site, result, parsed, run_id, revisit)
    )


def record_failure(
    archive: Archive,
    site: SiteTarget,
    result: FetchResult,
    failure: ParseFailure,
    run_id: int | None,
    revisit: tuple[int, int] | None = None,
    kind: PageKind = PageKind.ARTICLE,
) -> int:
    """Record the fetched page with its error kind and say so in one line; the ``pages`` id."""
    if revisit is not None:
        page_id = archive.record_revisit(
            revisit[0], result, site=site.name, run_id=run_id, served=revisit[1]
        )
    else:
        page_id = archive.record_page(result, site=site.name, run_id=run_id, kind=kind)
    archive.mark_page_error(page_id, failure.kind, failure.message)
    log_failure(site.name, failure)
    return page_id


def log_failure(site: str, failure: ParseFailure) -> None:
    """One warning line naming the failure's kind and URL."""
    log.warning(
        "%s error: %s",
        failure.kind,
        failure.message,
        extra={"site": site, "url": failure.url, "error_kind": str(failure.kind)},
    )
