"""Walk a site's past, newest first: its paginated archive listings, then every sitemap.

``SiteBackfill`` is a crawl pass (same fetcher, pacing, robots.txt, parse pool
and ingest path; one ``runs`` row) that reads, instead of the start pages:

1. the parser's archive listings (``SiteParser.archive_listings``: walaw's
   ``/dernières-nouvelles``, ``/latest-news``) and any listing given with
   ``--listing`` (a category), page after page through each page's
   ``next_url``, newest first; the teasers' dates (the site's timezone) are kept
   with their links and fill ``published_at`` where the article gives none;
2. every sitemap under the site's sitemap indexes (not only the recent ones),
   each index's children newest first by their ``lastmod``, each sitemap's
   entries newest first.

It stops at ``pages`` pages (listing pages and sitemaps alike), or where a
listing shows only articles older than ``until``; entries older than ``until``
are skipped. Articles already archived are never fetched. The position (the
next listing page; the sitemaps done) is kept in the archive's ``progress``
table after each page's articles are stored, so a killed backfill resumes where
it was; a walk that reached its end clears its position, so the next run
starts again from the newest (and fetches only what is new).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from datetime import datetime

import parsers
from parsers.base import Listing
from scraper.archive import Archive, Found
from scraper.config import SiteConfig
from scraper.crawl import ParseRunner, RunSummary, SiteCrawl, bounded, not_a_listing
from scraper.feeds import Listed
from scraper.fetch import Fetcher
from scraper.ingest import ParseFailure, job_for, ready_listing, record_failure
from scraper.kinds import Discovery, PageKind, RunStatus
from scraper.logs import current_site

log = logging.getLogger(__name__)

#: Told after every page read: (pages read, new articles, the page's URL).
OnPage = Callable[[int, int, str], None]


class SiteBackfill(SiteCrawl):
    """One backfill of one site; ``run()`` does it and returns the summary."""

    def __init__(
        self,
        site: SiteConfig,
        fetcher: Fetcher,
        archive: Archive,
        parse: ParseRunner | None = None,
        *,
        until: datetime | None = None,
        pages: int | None = None,
        listings: tuple[str, ...] = (),
        on_page: OnPage | None = None,
    ) -> None:
        super().__init__(site, fetcher, archive, parse)
        self.until = until
        self.max_pages = pages
        self.extra_listings = listings
        self.on_page = on_page
        self.pages_read = 0
        self.stopped = ""

    async def run(self) -> RunSummary:
        summary = self.summary
        current_site.set(self.site.name)
        summary.run_id = self.archive.start_run(self.site.name, self.clock.now(), os.getpid())
        try:
            for first in self.listing_starts():
                if self._budget_spent():
                    break
                await self._walk_listing(first)
            if not self._budget_spent():
                await self._walk_sitemaps()
            summary.status = RunStatus.OK
        finally:
            self.finish_run(unfinished=RunStatus.INTERRUPTED)
        log.info("backfill %s", summary.line(), extra={"site": self.site.name})
        return summary

    def listing_starts(self) -> list[str]:
        """The first page of every listing walked: the parser's archives, then ``--listing``."""
        parser = parsers.get(self.site.parser)
        starts = [u for s in self.site.start_urls for u in parser.archive_listings(s)]
        return list(dict.fromkeys([*starts, *self.extra_listings]))

    def _keep(self, key: str, position: dict[str, object]) -> None:
        """Store the walk's position (``{}``: start from the newest next time)."""
        value = json.dumps(position, ensure_ascii=False)
        self.archive.set_progress(key, value, self.clock.now())

    def _budget_spent(self) -> bool:
        return self.max_pages is not None and self.pages_read >= self.max_pages

    def _page_done(self, url: str) -> None:
        self.pages_read += 1
        if self.on_page is not None:
            self.on_page(self.pages_read, self.summary.new_articles, url)

    # --- paginated listings --------------------------------------------------------------

    async def _walk_listing(self, first: str) -> None:
        key = f"backfill:{self.site.name}:listing:{first}"
        url: str | None = _position(self.archive.get_progress(key), "next") or first
        while url is not None and not self._budget_spent():
            listing = await self._archive_page(url)
            if listing is None:
                self._page_done(url)
                return  # a page that failed stops this walk; its position is kept for a retry
            links, older = self._teaser_links(listing)
            await self._fetch_all(links)
            self._page_done(url)
            url = None if older else listing.next_url
            if url is None:
                self._keep(key, {})
                self.stopped = "until" if older else "end"
            else:
                self._keep(key, {"next": url})

    async def _archive_page(self, url: str) -> Listing | None:
        """One archive listing page, fetched unconditionally (its next link is needed)."""
        result = await self._fetch(url, conditional=False)
        kind = PageKind.LISTING
        run_id = self.summary.run_id
        if not result.ok:
            self.archive.record_page(result, site=self.site.name, run_id=run_id, kind=kind)
            return None
        parsed = await self.parse(job_for(result, self.target.parser, kind))
        if not isinstance(parsed, Listing):
            failure = parsed if isinstance(parsed, ParseFailure) else not_a_listing(result)
            record_failure(self.archive, self.target, result, failure, run_id, kind=kind)
            self._page_failed(failure)
            return None
        self.archive.record_page(result, site=self.site.name, run_id=run_id, kind=kind)
        return ready_listing(parsed, self.target.tz)

    def _teaser_links(self, listing: Listing) -> tuple[list[str], bool]:
        """The page's article links (teasers, else its plain article links) not older than
        ``until``, and whether the page reached ``until`` (all its dated teasers older)."""
        links: list[str] = []
        dated = older = 0
        for teaser in listing.teasers:
            when = teaser.published_at
            if when is not None:
                dated += 1
                if self.until is not None and when < self.until:
                    older += 1
                    continue
            url = self._normalized(teaser.url)
            if url:
                self.note_found(url, Found(Discovery.LISTING, when, teaser.title))
                links.append(url)
        if not listing.teasers:
            ticker = {t.url for t in listing.ticker}
            for link in listing.article_links:
                url = self._normalized(link) if link not in ticker else None
                if url:
                    self.note_found(url, Found(Discovery.LISTING))
                    links.append(url)
        return links, dated > 0 and older == dated

    async def _fetch_all(self, links: list[str]) -> None:
        new = [u for u in dict.fromkeys(links) if self.archive.article_id_for(u) is None]
        await bounded(self._one_page(self._read_article), new)

    # --- sitemaps ------------------------------------------------------------------------

    async def _walk_sitemaps(self) -> None:
        key = f"backfill:{self.site.name}:sitemaps"
        done: list[str] = _position(self.archive.get_progress(key), "done") or []
        sources = self.sources()
        complete = True
        async for url, read in sources.every_sitemap(set(done), self.until):
            entries = sorted(read.entries, key=_newest_first)
            links = []
            for entry in entries:
                if self.until is not None and entry.listed_at and entry.listed_at < self.until:
                    continue
                link = self._normalized(entry.url)
                if link:
                    self.note_found(link, Found(Discovery.SITEMAP, entry.listed_at, entry.title))
                    links.append(link)
            await self._fetch_all(links)
            done.append(url)
            self._keep(key, {"done": done})
            self._page_done(url)
            if self._budget_spent():
                complete = False
                break
        if complete:
            self._keep(key, {})
            self.stopped = self.stopped or "end"


def _newest_first(entry: Listed) -> tuple[int, float]:
    if entry.listed_at is None:
        return (1, 0.0)
    return (0, -entry.listed_at.timestamp())


def _position(value: str | None, field: str) -> object:
    """A field of a stored JSON position; None when absent or unreadable (start over)."""
    try:
        data = json.loads(value) if value else {}
    except ValueError:
        return None
    return data.get(field) if isinstance(data, dict) else None
