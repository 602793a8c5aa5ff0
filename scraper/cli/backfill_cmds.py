"""``newsrack backfill SITE``: walk a site's past into the archive (``scraper.backfill``).

One site at a time, holding the archive's lock like a crawl, with the same
fetcher, parse pool and ingest path. A rich progress bar on a terminal (pages
read, new articles, pages/s); one summary line at the end either way. Exit 0
when the walk ran, 1 when it ended with page errors, 2 on a bad option, 3 when
another process holds the archive.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, date, datetime, time

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from scraper.archive import Archive
from scraper.backfill import OnPage, SiteBackfill
from scraper.cli import AppContext, cli
from scraper.config import SiteConfig
from scraper.crawl import RunSummary
from scraper.fetch import Fetcher
from scraper.lock import ArchiveLock
from scraper.parsepool import ParsePool

#: The largest --pages accepted.
MAX_PAGES = 1_000_000


@cli.command()
@click.argument("site_name", metavar="SITE")
@click.option(
    "--until",
    "until_day",
    metavar="DATE",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Stop at articles older than this day (YYYY-MM-DD, in the site's timezone).",
)
@click.option(
    "--pages",
    type=click.IntRange(1, MAX_PAGES),
    metavar="N",
    help="Read at most N pages (listing pages and sitemaps) this run; the next run goes on.",
)
@click.option(
    "--listing",
    "listings",
    multiple=True,
    metavar="URL",
    help="Also walk this paginated listing (a section's first page); repeatable.",
)
@click.pass_obj
def backfill(
    app: AppContext,
    site_name: str,
    until_day: datetime | None,
    pages: int | None,
    listings: tuple[str, ...],
) -> None:
    """Walk SITE's past, newest first: its paginated archive listings (walaw's
    "Dernières nouvelles" / "Latest news", page after page, and any --listing),
    then every sitemap under its sitemap indexes (newest first by lastmod).

    Politeness as in a crawl (robots.txt, per-host delay). Articles already
    archived are never fetched. Resumable: the position is kept in the archive
    after every page, so a killed backfill goes on where it stopped; a walk that
    reached its end starts again from the newest next time.
    """
    site = app.config.site(site_name)
    for url in listings:
        _check_listing(url)
    until = _start_of(until_day.date(), site) if until_day else None
    live = sys.stderr.isatty()
    with ArchiveLock(app.db_path, "backfill"), Archive(app.db_path) as archive:
        # holding the lock, no other pass is in flight: a 'running' row was left by a kill
        archive.close_running_runs(datetime.now(UTC), "interrupted")
        if live:
            summary = _with_progress(app, site, archive, until, pages, listings)
        else:
            summary = asyncio.run(_run(app, site, archive, until, pages, listings, None))
    click.echo(summary.line())
    if summary.errors:
        sys.exit(1)


def _check_listing(url: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(
            f"{url!r}: an http(s) URL of a listing's first page", param_hint="--listing"
        )


def _start_of(day: date, site: SiteConfig) -> datetime:
    """Midnight of ``day`` in the site's timezone."""
    return datetime.combine(day, time(0, 0), tzinfo=site.tz)


async def _run(
    app: AppContext,
    site: SiteConfig,
    archive: Archive,
    until: datetime | None,
    pages: int | None,
    listings: tuple[str, ...],
    on_page: OnPage | None,
) -> RunSummary:
    fetch = app.config.fetch
    with ParsePool(fetch.parse_workers, timeout=fetch.parse_timeout) as pool:
        async with Fetcher(fetch) as fetcher:
            walk = SiteBackfill(
                site, fetcher, archive, pool.parse,
                until=until, pages=pages, listings=listings, on_page=on_page,
            )  # fmt: skip
            return await walk.run()


def _with_progress(
    app: AppContext,
    site: SiteConfig,
    archive: Archive,
    until: datetime | None,
    pages: int | None,
    listings: tuple[str, ...],
) -> RunSummary:
    """The backfill under a rich progress bar on stderr: pages read (of --pages), new articles."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} pages"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        bar = progress.add_task(f"backfill {site.name}", total=pages, rate="")

        def on_page(done: int, new: int, url: str) -> None:
            elapsed = progress.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:.1f} pages/s" if elapsed > 0 else ""
            progress.update(
                bar, completed=done, description=f"backfill {site.name}: {new} new", rate=rate
            )

        return asyncio.run(_run(app, site, archive, until, pages, listings, on_page))
