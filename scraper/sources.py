"""Where a site lists its articles besides its start pages: its feeds and its sitemaps.

``Sources`` fetches them through the crawl's own fetch (so robots.txt, pacing, the
private-network guard and the size caps apply, and every fetch is a ``pages`` row of
kind ``feed`` or ``sitemap``) and reads them with ``scraper.feeds``. Feeds are the
site's ``feeds`` key, else those its start pages declare; sitemaps are its
``sitemaps`` key, else the ``Sitemap:`` lines of its robots.txt (protego's
``sitemaps``), else, for a backfill only, ``/sitemap.xml`` (a guess: its failure is no
error). Each feed and sitemap is fetched conditionally once read: what it listed is
remembered as a listing snapshot, so a ``304`` costs no parse and still retries the
links not archived yet. ``recent`` is a pass's reading: the feeds, then the sitemaps,
following an index only to the children changed within ``lookback`` (a Google News
sitemap is read whatever its date), and keeping the news entries and the entries dated
within ``lookback``. ``every_sitemap`` is the backfill's: every child of every index,
newest first.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

from scraper.archive import Archive
from scraper.config import SiteConfig
from scraper.feeds import (
    FeedError,
    Listed,
    SitemapRead,
    SitemapRef,
    read_feed,
    read_sitemap,
    sitemap_recent,
    unpacked,
)
from scraper.fetch import Fetcher, FetchResult
from scraper.kinds import Discovery, ErrorKind, FetchStatus, PageKind
from scraper.robots import origin_of

log = logging.getLogger(__name__)

#: How deep sitemap indexes may nest (an index of indexes of sitemaps is 2).
MAX_INDEX_DEPTH = 3
#: Sitemaps read from one index at most (a site with ten years of daily sitemaps has 3,650).
MAX_CHILDREN = 10_000

#: Fetches one feed or sitemap for the crawl: (url, conditional, quiet) -> result, counted,
#: and its failure reported unless ``quiet``.
Fetch = Callable[[str, bool, bool], Awaitable[FetchResult]]
#: Reports one failure of the pass: (message, url).
Report = Callable[[str, str], None]


class Sources:
    """The feeds and sitemaps of one site, read for one pass (or one backfill)."""

    def __init__(
        self,
        site: SiteConfig,
        fetcher: Fetcher,
        archive: Archive,
        run_id: int | None,
        fetch: Fetch,
        report: Report,
    ) -> None:
        self.site = site
        self.fetcher = fetcher
        self.archive = archive
        self.run_id = run_id
        self._fetch = fetch
        self._report = report

    # --- where ---------------------------------------------------------------------------

    def feed_urls(self, declared: list[str]) -> list[str]:
        """The site's feeds: configured, else declared by its start pages."""
        return list(dict.fromkeys(self.site.feeds or declared))

    async def sitemap_urls(self, *, guess: bool = True) -> tuple[list[str], bool]:
        """The site's sitemaps and whether they are a guess (``/sitemap.xml``, only when
        ``guess``: a pass does not guess, it would ask every site for it every few minutes)."""
        if self.site.sitemaps:
            return list(self.site.sitemaps), False
        named: list[str] = []
        for start in self.site.start_urls:
            rules = await self.fetcher.robots.rules_for(start, self.site.delay or 0.0)
            if rules.parser is not None:
                named.extend(str(u) for u in rules.parser.sitemaps)
        if named or not guess:
            return list(dict.fromkeys(named)), False
        origins = dict.fromkeys(origin_of(u) + "/sitemap.xml" for u in self.site.start_urls)
        return list(origins), True

    # --- a pass --------------------------------------------------------------------------

    async def recent(
        self, declared_feeds: list[str], now: datetime
    ) -> list[tuple[Listed, Discovery]]:
        """The links a pass reads: feed entries, then recent sitemap entries, with their source
        (``feed`` or ``sitemap``)."""
        since = now - timedelta(seconds=self.site.lookback)
        found: list[tuple[Listed, Discovery]] = []
        for url in self.feed_urls(declared_feeds):
            found.extend((entry, Discovery.FEED) for entry in await self.read_feed(url))
        sitemaps, _ = await self.sitemap_urls(guess=False)
        for url in sitemaps:
            entries = await self._recent_sitemap(url, since, depth=0)
            found.extend((entry, Discovery.SITEMAP) for entry in entries)
        return found

    async def _recent_sitemap(self, url: str, since: datetime, *, depth: int) -> list[Listed]:
        read = await self.read_sitemap(url, conditional=True, since=since)
        if read is None:
            return []
        if read.children:
            if depth >= MAX_INDEX_DEPTH:
                self._report(f"{url}: sitemap indexes nested deeper than {MAX_INDEX_DEPTH}", url)
                return []
            entries: list[Listed] = []
            for child in read.children[:MAX_CHILDREN]:
                entries.extend(await self._recent_sitemap(child.url, since, depth=depth + 1))
            return entries
        return list(read.entries)

    # --- reading one ---------------------------------------------------------------------

    async def read_feed(self, url: str) -> list[Listed]:
        """A feed's entries; [] when it failed (reported) or answered 304 (the links it
        listed last time come back, undated, so those not archived yet are retried)."""
        result = await self._get(url, PageKind.FEED, conditional=True)
        if result is None:
            return []
        if result.status == FetchStatus.NOT_MODIFIED:
            return self._unchanged(url)
        try:
            body = unpacked(result.body, url, self.fetcher.config.max_bytes)
            entries = list(read_feed(body, url))
        except Exception as exc:  # (FeedError, or a library's bug on hostile bytes: the feed's)
            self._failed(result, PageKind.FEED, _message(url, exc))
            return []
        self._record(result, PageKind.FEED)
        self._remember(url, [e.url for e in entries])
        return entries

    async def read_sitemap(
        self,
        url: str,
        *,
        conditional: bool,
        guessed: bool = False,
        since: datetime | None = None,
    ) -> SitemapRead | None:
        """A sitemap or index, read; None when it failed (reported unless ``guessed``).

        Conditional: a 304 gives back what it listed last time (entries undated; an
        index's children as last chosen). ``since`` (a pass): only the children changed
        since then, and only the news entries and the entries dated since then, are given
        and remembered, so a 304 stands for the same ones.
        """
        result = await self._get(url, PageKind.SITEMAP, conditional=conditional, quiet=guessed)
        if result is None:
            return None
        if result.status == FetchStatus.NOT_MODIFIED:
            links = self._unchanged(url)
            if self.archive.get_progress(_index_key(url)) == "index":
                return SitemapRead(children=tuple(SitemapRef(e.url) for e in links))
            return SitemapRead(entries=tuple(links))
        try:
            body = unpacked(result.body, url, self.fetcher.config.max_bytes)
            read = read_sitemap(body, url)
        except Exception as exc:  # (FeedError, or a library's bug on hostile bytes: the sitemap's)
            if guessed:
                self._record(result, PageKind.SITEMAP)
            else:
                self._failed(result, PageKind.SITEMAP, _message(url, exc))
            return None
        self._record(result, PageKind.SITEMAP)
        if read.children:
            chosen = [c for c in read.children if since is None or sitemap_recent(c, since)]
            self.archive.set_progress(_index_key(url), "index", datetime.now(UTC))
            self._remember(url, [c.url for c in chosen])
            if since is not None:
                return SitemapRead(children=tuple(chosen))
        else:
            if self.archive.get_progress(_index_key(url)) is not None:
                self.archive.set_progress(_index_key(url), "urlset", datetime.now(UTC))
            if since is not None:
                kept = [e for e in read.entries if e.news or (e.listed_at and e.listed_at >= since)]
                read = SitemapRead(entries=tuple(kept))
            self._remember(url, [e.url for e in read.entries])
        return read

    async def _get(
        self, url: str, kind: PageKind, *, conditional: bool, quiet: bool = False
    ) -> FetchResult | None:
        use = conditional and self.archive.has_listing_snapshot(url)
        result = await self._fetch(url, use, quiet)
        if result.status in (FetchStatus.OK, FetchStatus.NOT_MODIFIED):
            if result.status == FetchStatus.NOT_MODIFIED:
                self._record(result, kind)
            return result
        self._record(result, kind)
        if quiet:
            log.info("%s: no sitemap there (%s)", url, result.status, extra={"url": url})
        return None

    def _record(self, result: FetchResult, kind: PageKind) -> int:
        return self.archive.record_page(result, site=self.site.name, run_id=self.run_id, kind=kind)

    def _failed(self, result: FetchResult, kind: PageKind, message: str) -> None:
        page_id = self._record(result, kind)
        self.archive.mark_page_error(page_id, ErrorKind.PARSE, message)
        self.archive.forget_listing(result.url)
        self._report(message, result.url)

    def _remember(self, url: str, links: list[str]) -> None:
        self.archive.remember_listing(
            self.site.name, url, [], list(dict.fromkeys(links)), datetime.now(UTC)
        )

    def _unchanged(self, url: str) -> list[Listed]:
        links = self.archive.listing_unchanged(self.site.name, url, datetime.now(UTC))
        return [Listed(link) for link in links]

    # --- the backfill's ------------------------------------------------------------------

    async def every_sitemap(
        self, skip: set[str], until: datetime | None = None
    ) -> AsyncIterator[tuple[str, SitemapRead]]:
        """Every sitemap holding entries (under every index), each index's children newest
        first by the lastmod it gives them (those without one last); the sitemaps in
        ``skip`` (done by an earlier run) are not fetched, nor the children an index says
        last changed before ``until``."""
        roots, guessed = await self.sitemap_urls()
        pending = [(url, 0) for url in roots]
        oldest = datetime.min.replace(tzinfo=UTC)
        while pending:
            url, depth = pending.pop(0)
            if url in skip:
                continue
            read = await self.read_sitemap(url, conditional=False, guessed=guessed and depth == 0)
            if read is None:
                continue
            if not read.children:
                yield url, read
            elif depth < MAX_INDEX_DEPTH:
                children = sorted(
                    read.children[:MAX_CHILDREN], key=lambda r: r.lastmod or oldest, reverse=True
                )
                if until is not None:
                    children = [c for c in children if c.lastmod is None or c.lastmod >= until]
                pending[:0] = [(c.url, depth + 1) for c in children]
            else:
                self._report(f"{url}: sitemap indexes nested deeper than {MAX_INDEX_DEPTH}", url)


def _message(url: str, exc: Exception) -> str:
    if isinstance(exc, FeedError):
        return str(exc)
    return f"{url}: cannot be read: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def _index_key(url: str) -> str:
    """The ``progress`` key saying whether ``url`` was last read as a sitemap ``index`` or a
    ``urlset``, so that a 304 for it gives back children or entries accordingly."""
    return f"sitemap-index:{url}"
