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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

import parsers
from parsers.base import Article, Listing, ParseError, SiteParser
from scraper.archive import Archive, ticker_item_key
from scraper.config import SiteConfig
from scraper.fetch import Fetcher, FetchResult
from scraper.logs import current_site
from scraper.timeutil import localize, resolve_shown_time
from scraper.urls import canonical_url, normalize_url

if TYPE_CHECKING:
    from scraper.archive import DueRevisit

log = logging.getLogger(__name__)

#: Articles fetched at once per site (the pacer still spaces requests per host).
ARTICLE_CONCURRENCY = 4


@dataclass
class RunSummary:
    """The outcome of one pass over one site, as stored in ``runs``."""

    site: str
    run_id: int = 0
    status: str = "running"
    pages: int = 0
    new_articles: int = 0
    new_ticker_items: int = 0
    errors: int = 0
    revisited: int = 0
    revised: int = 0
    messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.site}: {self.status}, {self.pages} pages, {self.new_articles} new articles, "
            f"{self.new_ticker_items} new ticker items, {self.errors} errors"
        )


class SiteCrawl:
    """One pass over one site; ``run()`` does it and returns the summary."""

    def __init__(self, site: SiteConfig, fetcher: Fetcher, archive: Archive) -> None:
        self.site = site
        self.fetcher = fetcher
        self.archive = archive
        self.parser: SiteParser = parsers.get(site.parser)
        self.summary = RunSummary(site.name)
        self._ticker_times: dict[str, datetime] = {}

    async def run(self) -> RunSummary:
        summary = self.summary
        current_site.set(self.site.name)
        summary.run_id = self.archive.start_run(self.site.name, datetime.now(UTC), os.getpid())
        read_any = False
        try:
            links: list[str] = []
            for start_url in self.site.start_urls:
                listing = await self._read_listing(start_url)
                if listing is not None:
                    read_any = True
                    links.extend(self._ticker_and_links(listing))
            await self._fetch_new_articles(links)
            await self._revisit_due()
            summary.status = "ok" if read_any else "failed"
        except asyncio.CancelledError:
            summary.status = "interrupted"
            raise
        finally:
            self.archive.finish_run(
                summary.run_id,
                summary.status if summary.status != "running" else "failed",
                datetime.now(UTC),
                pages=summary.pages,
                new_articles=summary.new_articles,
                new_ticker_items=summary.new_ticker_items,
                errors=summary.errors,
            )
        log.info("%s", summary.line(), extra={"site": self.site.name})
        return summary

    # --- steps -----------------------------------------------------------------------------

    async def _fetch(self, url: str, *, conditional: bool) -> FetchResult:
        etag = last_modified = None
        if conditional:
            etag, last_modified, _ = self.archive.validators(url)
        result = await self.fetcher.fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            delay=self.site.delay,
            obey_robots=self.site.obey_robots,
        )
        self.summary.pages += 1
        if result.status not in ("ok", "not_modified"):
            self._error(result.error or f"{url}: {result.status}", url)
        return result

    def _error(self, message: str, url: str | None = None) -> None:
        self.summary.errors += 1
        self.summary.messages.append(message)
        log.warning("%s", message, extra={"site": self.site.name, "url": url})

    async def _read_listing(self, url: str) -> Listing | None:
        # conditional only if what it showed last time is remembered: a 304 stands for that
        result = await self._fetch(url, conditional=self.archive.has_listing_snapshot(url))
        page_id = self.archive.record_page(
            result, site=self.site.name, run_id=self.summary.run_id, kind="listing"
        )
        if result.status == "not_modified":
            # no parse, no write but last_seen; links not archived yet are tried again
            links = self.archive.listing_unchanged(self.site.name, url, datetime.now(UTC))
            return Listing(url, article_links=tuple(links))
        if not result.ok:
            return None
        try:
            listing = self.parser.for_date(result.fetched_at).parse_listing(
                result.html_bytes(), result.final_url, result.fetched_at
            )
        except ParseError as exc:
            self.archive.mark_page_error(page_id, "parse", str(exc))
            self.archive.forget_listing(url)
            self._error(str(exc), url)
            return None
        self._remember(url, listing)
        return listing

    def _remember(self, url: str, listing: Listing) -> None:
        """Keep what the listing showed, for the 304s to come."""
        items = [(normalize_url(i.url) if i.url else None, i.title) for i in listing.ticker]
        links = [u for u, _ in items if u] + [normalize_url(u) for u in listing.article_links]
        keys = [ticker_item_key(u, title) for u, title in items]
        self.archive.remember_listing(
            self.site.name, url, keys, list(dict.fromkeys(links)), datetime.now(UTC)
        )

    def _ticker_and_links(self, listing: Listing) -> list[str]:
        """Store the listing's ticker; return the article URLs it links to, ticker first."""
        seen_at = datetime.now(UTC)
        links: list[str] = []
        for item in listing.ticker:
            url = normalize_url(item.url) if item.url else None
            published = localize(item.published_at, self.site.tz) or resolve_shown_time(
                item.shown_time, seen_at, self.site.tz
            )
            if self.archive.save_ticker_item(
                self.site.name, item, url=url, published_at=published, seen_at=seen_at
            ):
                self.summary.new_ticker_items += 1
            if url:
                links.append(url)
                if published is not None:
                    self._ticker_times.setdefault(url, published)
        links.extend(normalize_url(link) for link in listing.article_links)
        return links

    async def _fetch_new_articles(self, links: list[str]) -> None:
        unique = list(dict.fromkeys(links))
        new = [u for u in unique if self.archive.article_id_for(u) is None]
        await _bounded(self._read_article, new[: self.site.max_articles])

    async def _read_article(self, url: str) -> None:
        result = await self._fetch(url, conditional=False)
        if not result.ok:
            self.archive.record_page(
                result, site=self.site.name, run_id=self.summary.run_id, kind="article"
            )
            return
        try:
            article = self._parse_article(result)
        except ParseError as exc:
            page_id = self.archive.record_page(
                result, site=self.site.name, run_id=self.summary.run_id, kind="article"
            )
            self.archive.mark_page_error(page_id, "parse", str(exc))
            self._error(str(exc), url)
            return
        saved = self.archive.save_article(
            article,
            site=self.site.name,
            url=normalize_url(url),
            canonical_url=canonical_url(result.final_url, article.canonical_url),
            fetched_at=result.fetched_at,
            page=result,
            run_id=self.summary.run_id,
            published_at=self._ticker_times.get(url),
        )
        if saved.created:
            self.summary.new_articles += 1

    def _parse_article(self, result: FetchResult) -> Article:
        """The article on a fetched page, by the parser version of its fetch date; a time
        given without an offset is read in the site's timezone. ParseError passes through."""
        article = self.parser.for_date(result.fetched_at).parse_article(
            result.html_bytes(), result.final_url, result.fetched_at
        )
        if article.published_at is not None and article.published_at.tzinfo is None:
            article = replace(article, published_at=localize(article.published_at, self.site.tz))
        return article

    async def _revisit_due(self) -> None:
        """Fetch again, conditionally, the articles whose next revisit delay has passed."""
        due = self.archive.due_revisits(
            self.site.name,
            self.site.revisit,
            datetime.now(UTC),
            run_id=self.summary.run_id,
            limit=self.site.max_articles,
        )
        await _bounded(self._revisit, due)

    async def _revisit(self, due: DueRevisit) -> None:
        result = await self._fetch(due.url, conditional=True)
        self.summary.revisited += 1
        record = {"site": self.site.name, "run_id": self.summary.run_id, "served": due.served}
        if not result.ok:  # 304 Not Modified, or a failure already counted by _fetch
            self.archive.record_revisit(due.article_id, result, **record)
            return
        try:
            article = self._parse_article(result)
        except ParseError as exc:
            page_id = self.archive.record_revisit(due.article_id, result, **record)
            self.archive.mark_page_error(page_id, "parse", str(exc))
            self._error(str(exc), due.url)
            return
        saved = self.archive.save_article(
            article,
            site=self.site.name,
            url=due.url,
            canonical_url=due.canonical_url,
            fetched_at=result.fetched_at,
            page=result,
            run_id=self.summary.run_id,
            revisits_done=due.served,
        )
        if saved.revised:
            self.summary.revised += 1


T = TypeVar("T")


async def _bounded(work: Callable[[T], Awaitable[None]], items: Iterable[T]) -> None:
    """``work(item)`` for every item, at most ARTICLE_CONCURRENCY at a time."""
    gate = asyncio.Semaphore(ARTICLE_CONCURRENCY)

    async def one(item: T) -> None:
        async with gate:
            await work(item)

    await asyncio.gather(*(one(item) for item in items))


async def crawl_sites(
    sites: list[SiteConfig], fetcher: Fetcher, archive: Archive
) -> list[RunSummary]:
    """One pass over each site, all sites concurrently; summaries in ``sites`` order."""
    return list(await asyncio.gather(*(SiteCrawl(site, fetcher, archive).run() for site in sites)))
