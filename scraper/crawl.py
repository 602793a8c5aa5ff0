"""One crawl pass over a site: start pages -> ticker and article links -> new articles -> archive.

Every fetch is recorded; a page that fails to fetch or parse is counted as an
error and the pass goes on. A pass is ``ok`` when at least one start page was
read, ``failed`` when none was, ``interrupted`` when it was cancelled; the
``runs`` row says which, with its counts. Articles already in the archive are
not fetched again as new; after them come the due revisits (the site's
``revisit`` delays after first seen, fetched with conditional GET), which add a
revision only when the content changed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from parsers.base import Listing
from scraper.archive import Archive, Found, ticker_item_key
from scraper.config import SiteConfig
from scraper.errors import NewsrackError
from scraper.fetch import Fetcher, FetchResult
from scraper.ingest import (
    PageJob,
    Parsed,
    ParseFailure,
    SiteTarget,
    job_for,
    one_line,
    ready_listing,
    record_failure,
    run_parser,
    store_article,
    store_ticker_item,
)
from scraper.kinds import Discovery, ErrorKind, FetchStatus, PageKind, RunStatus
from scraper.logs import current_site
from scraper.sources import Sources
from scraper.urls import normalize_url

if TYPE_CHECKING:
    from scraper.archive import DueRevisit

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Articles fetched at once per site (the pacer still spaces requests per host).
ARTICLE_CONCURRENCY = 4

#: The cancel message of a pass cut off at its ``run_timeout``: recorded as failed, not interrupted.
RUN_TIMEOUT = "run_timeout"

#: How a crawl has a page parsed: a worker pool's ``parse``, or ``parse_here``.
ParseRunner = Callable[[PageJob], Awaitable[Parsed]]


async def parse_here(job: PageJob) -> Parsed:
    """Parse in this process, on the event loop (for single pages and tests)."""
    return run_parser(job)


@dataclass
class RunSummary:
    """The outcome of one pass over one site, as stored in ``runs``."""

    site: str
    run_id: int = 0
    status: str = RunStatus.RUNNING
    pages: int = 0
    new_articles: int = 0
    new_ticker_items: int = 0
    errors: int = 0
    revisited: int = 0
    revised: int = 0
    messages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values (``messages``: the first 20 errors)."""
        data = asdict(self)
        data["messages"] = [" ".join(m.split()) for m in self.messages[:20]]
        return data

    def line(self) -> str:
        return (
            f"{self.site}: {self.status}, {self.pages} pages, {self.new_articles} new articles, "
            f"{self.new_ticker_items} new ticker items, {self.errors} errors"
        )


class SiteCrawl:
    """One pass over one site; ``run()`` does it and returns the summary.

    ``parse`` runs a page's parse job (default: in this process); the crawl
    passes a worker pool's, so parsing never blocks the event loop. Every page
    goes to the archive through ``scraper.ingest``.
    """

    def __init__(
        self,
        site: SiteConfig,
        fetcher: Fetcher,
        archive: Archive,
        parse: ParseRunner | None = None,
    ) -> None:
        self.site = site
        self.target = SiteTarget.of(site)
        self.fetcher = fetcher
        self.clock = fetcher.clock  # one time for the pass and its fetches (simulated in tests)
        self.archive = archive
        self.parse: ParseRunner = parse or parse_here
        self.summary = RunSummary(site.name)
        self._ticker_times: dict[str, datetime] = {}
        #: How each article link was first found this pass (ticker, start page, feed...).
        self._found: dict[str, Found] = {}

    async def run(self) -> RunSummary:
        summary = self.summary
        current_site.set(self.site.name)
        summary.run_id = self.archive.start_run(self.site.name, self.clock.now(), os.getpid())
        read_any = False
        try:
            links: list[str] = []
            declared_feeds: list[str] = []
            for start_url in self.site.start_urls:
                listing = await self._read_listing(start_url)
                if listing is not None:
                    read_any = True
                    links.extend(self._ticker_and_links(listing))
                    declared_feeds.extend(listing.feeds)
            if read_any:  # a site whose start pages fail is down: its sitemaps too
                links.extend(await self._feeds_and_sitemaps(declared_feeds))
            await self._fetch_new_articles(links)
            await self._revisit_due()
            summary.status = RunStatus.OK if read_any else RunStatus.FAILED
        except asyncio.CancelledError as exc:
            timed_out = exc.args == (RUN_TIMEOUT,)
            summary.status = RunStatus.FAILED if timed_out else RunStatus.INTERRUPTED
            raise
        finally:
            self.finish_run(unfinished=RunStatus.FAILED)
        log.info("%s", summary.line(), extra={"site": self.site.name})
        return summary

    def finish_run(self, *, unfinished: RunStatus) -> None:
        """Write the pass's ``runs`` row: its status (``unfinished`` if it never got one) and
        counts. The pass owns its row; nothing else finishes it."""
        summary = self.summary
        self.archive.finish_run(
            summary.run_id,
            summary.status if summary.status != RunStatus.RUNNING else unfinished,
            self.clock.now(),
            pages=summary.pages,
            new_articles=summary.new_articles,
            new_ticker_items=summary.new_ticker_items,
            errors=summary.errors,
        )

    # --- steps -----------------------------------------------------------------------------

    async def _fetch(
        self, url: str, *, conditional: bool, xml: bool = False, quiet: bool = False
    ) -> FetchResult:
        etag = last_modified = None
        if conditional:
            etag, last_modified, _ = self.archive.validators(url)
        result = await self.fetcher.fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            delay=self.site.delay,
            obey_robots=self.site.obey_robots,
            xml=xml,
        )
        self.summary.pages += 1
        if result.status not in (FetchStatus.OK, FetchStatus.NOT_MODIFIED) and not quiet:
            self._error(result.error or f"{url}: {result.status}", url)
        return result

    async def _fetch_source(self, url: str, conditional: bool, quiet: bool) -> FetchResult:
        return await self._fetch(url, conditional=conditional, xml=True, quiet=quiet)

    def sources(self) -> Sources:
        """The site's feeds and sitemaps, fetched through this pass."""
        return Sources(
            self.site,
            self.fetcher,
            self.archive,
            self.summary.run_id,
            self._fetch_source,
            lambda message, url: self._error(message, url),
        )

    async def _feeds_and_sitemaps(self, declared_feeds: list[str]) -> list[str]:
        """The article links of the site's feeds and recent sitemaps, their dates kept as the
        fallback publication times (after the ticker's)."""
        links: list[str] = []
        for entry, via in await self.sources().recent(declared_feeds, self.clock.now()):
            url = self._normalized(entry.url)
            if url is None:
                continue
            self.note_found(url, Found(via, entry.listed_at, entry.title))
            links.append(url)
        return links

    def note_found(self, url: str, found: Found) -> None:
        """Keep how ``url`` was found first this pass, its date as the fallback time."""
        self._found.setdefault(url, found)
        if found.listed_at is not None:
            self._ticker_times.setdefault(url, found.listed_at)

    def _error(self, message: str, url: str | None = None, *, logged: bool = False) -> None:
        self.summary.errors += 1
        self.summary.messages.append(message)
        if not logged:
            log.warning("%s", message, extra={"site": self.site.name, "url": url})

    def _page_failed(self, failure: ParseFailure) -> None:
        self._error(failure.message, failure.url, logged=True)

    async def _read_listing(self, url: str) -> Listing | None:
        # conditional only if what it showed last time is remembered: a 304 stands for that
        result = await self._fetch(url, conditional=self.archive.has_listing_snapshot(url))
        if result.status == FetchStatus.NOT_MODIFIED:
            self.archive.record_page(
                result, site=self.site.name, run_id=self.summary.run_id, kind=PageKind.LISTING
            )
            # no parse, no write but last_seen; links not archived yet are tried again
            links = self.archive.listing_unchanged(self.site.name, url, self.clock.now())
            # the feeds it declared are those read for the site before
            feeds = self.archive.feeds_read(self.site.name)
            return Listing(url, article_links=tuple(links), feeds=tuple(feeds))
        if not result.ok:
            self.archive.record_page(
                result, site=self.site.name, run_id=self.summary.run_id, kind=PageKind.LISTING
            )
            return None
        parsed = await self.parse(job_for(result, self.target.parser, PageKind.LISTING))
        if not isinstance(parsed, Listing):
            failure = parsed if isinstance(parsed, ParseFailure) else not_a_listing(result)
            record_failure(
                self.archive,
                self.target,
                result,
                failure,
                self.summary.run_id,
                kind=PageKind.LISTING,
            )
            self.archive.forget_listing(url)
            self._page_failed(failure)
            return None
        self.archive.record_page(
            result, site=self.site.name, run_id=self.summary.run_id, kind=PageKind.LISTING
        )
        listing = ready_listing(parsed, self.target.tz)
        self._remember(url, listing)
        return listing

    def _remember(self, url: str, listing: Listing) -> None:
        """Keep what the listing showed, for the 304s to come."""
        items = [(_quiet_normalized(i.url), i.title) for i in listing.ticker]
        links = [u for u, _ in items if u]
        links += [u for u in map(_quiet_normalized, listing.article_links) if u]
        keys = [ticker_item_key(u, title) for u, title in items]
        self.archive.remember_listing(
            self.site.name, url, keys, list(dict.fromkeys(links)), self.clock.now()
        )

    def _ticker_and_links(self, listing: Listing) -> list[str]:
        """Store the listing's ticker; return the article URLs it links to, ticker first."""
        seen_at = self.clock.now()
        links: list[str] = []
        for item in listing.ticker:
            url = self._normalized(item.url) if item.url else None
            new, published = store_ticker_item(
                self.archive, self.target, item, url=url, seen_at=seen_at
            )
            if new:
                self.summary.new_ticker_items += 1
            if url:
                links.append(url)
                self.note_found(url, Found(Discovery.TICKER, published, item.title))
        for link in listing.article_links:
            url = self._normalized(link)
            if url:
                links.append(url)
                self._found.setdefault(url, Found(Discovery.START))
        return links

    def _normalized(self, link: str) -> str | None:
        """``link`` normalized, or None (one error line) when it cannot be (port 99999...)."""
        try:
            return normalize_url(link)
        except ValueError as exc:
            self._error(f"{link}: unusable link ({exc}); skipped", link)
            return None

    async def _fetch_new_articles(self, links: list[str]) -> None:
        unique = list(dict.fromkeys(links))
        new = [u for u in unique if self.archive.article_id_for(u) is None]
        await bounded(self._one_page(self._read_article), new[: self.site.max_articles])

    def _one_page(self, work: Callable[[T], Awaitable[None]]) -> Callable[[T], Awaitable[None]]:
        """``work`` whose unexpected failure is the page's (one line, counted); an archive
        failure (disk full...) still ends the pass."""

        async def guarded(item: T) -> None:
            try:
                await work(item)
            except NewsrackError:
                raise
            except Exception as exc:
                url = getattr(item, "url", item)
                self._error(f"{url}: unexpected {type(exc).__name__}: {one_line(str(exc))}", url)

        return guarded

    async def _read_article(self, url: str) -> None:
        result = await self._fetch(url, conditional=False)
        if not result.ok:
            self.archive.record_page(
                result, site=self.site.name, run_id=self.summary.run_id, kind=PageKind.ARTICLE
            )
            return
        parsed = await self.parse(job_for(result, self.target.parser, PageKind.ARTICLE))
        stored = store_article(
            self.archive,
            self.target,
            result,
            parsed,
            url=url,
            run_id=self.summary.run_id,
            published_at=self._ticker_times.get(url),
            found=self._found.get(url),
        )
        if stored.failure is not None:
            self._page_failed(stored.failure)
        elif stored.saved is not None and stored.saved.created:
            self.summary.new_articles += 1

    async def _revisit_due(self) -> None:
        """Fetch again, conditionally, the articles whose next revisit delay has passed."""
        due = self.archive.due_revisits(
            self.site.name,
            self.site.revisit,
            self.clock.now(),
            run_id=self.summary.run_id,
            limit=self.site.max_articles,
        )
        await bounded(self._one_page(self._revisit), due)

    async def _revisit(self, due: DueRevisit) -> None:
        result = await self._fetch(due.url, conditional=True)
        self.summary.revisited += 1
        if not result.ok:  # 304 Not Modified, or a failure already counted by _fetch
            self.archive.record_revisit(
                due.article_id,
                result,
                site=self.site.name,
                run_id=self.summary.run_id,
                served=due.served,
            )
            return
        parsed = await self.parse(job_for(result, self.target.parser, PageKind.ARTICLE))
        stored = store_article(
            self.archive,
            self.target,
            result,
            parsed,
            url=due.url,
            run_id=self.summary.run_id,
            revisit=(due.article_id, due.served),
            canonical=due.canonical_url,
        )
        if stored.failure is not None:
            self._page_failed(stored.failure)
        elif stored.saved is not None and stored.saved.revised:
            self.summary.revised += 1


def _quiet_normalized(link: str | None) -> str | None:
    """``link`` normalized, None when absent or unusable (reported once, by _normalized)."""
    try:
        return normalize_url(link) if link else None
    except ValueError:
        return None


def not_a_listing(result: FetchResult) -> ParseFailure:
    return ParseFailure(
        ErrorKind.PARSE, result.final_url, f"{result.final_url}: the parser gave no listing"
    )


async def bounded(work: Callable[[T], Awaitable[None]], items: Iterable[T]) -> None:
    """``work(item)`` for every item, at most ARTICLE_CONCURRENCY at a time."""
    gate = asyncio.Semaphore(ARTICLE_CONCURRENCY)

    async def one(item: T) -> None:
        async with gate:
            await work(item)

    # every item ends before a failure (an archive error) is raised: none is left in flight
    outcomes = await asyncio.gather(*(one(item) for item in items), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
