"""Commands that fetch: ``crawl`` (one pass, for cron), ``fetch URL`` (one-off) and ``sites``."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

import parsers
from parsers.base import Article, ParseError
from scraper.archive import Archive
from scraper.cli import AppContext, cli, fail
from scraper.config import SiteConfig
from scraper.crawl import RunSummary, SiteCrawl
from scraper.errors import ConfigError
from scraper.fetch import Fetcher, FetchResult
from scraper.lock import ArchiveLock
from scraper.urls import canonical_url, normalize_url, same_host


def selected_sites(app: AppContext, names: tuple[str, ...]) -> list[SiteConfig]:
    """The sites named (enabled or not), or every enabled site when none is named."""
    config = app.config
    if names:
        return [config.site(name) for name in names]
    sites = [s for s in config.sites.values() if s.enabled]
    if not sites:
        where = config.path or "config.toml"
        raise ConfigError(
            f"{where}: no enabled site; add a [sites.NAME] table with a parser and start_urls"
        )
    return sites


@cli.command()
@click.argument("site_names", metavar="[SITE]...", nargs=-1)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print only errors (failed sites, what went wrong), so cron mails only on trouble.",
)
@click.pass_obj
def crawl(app: AppContext, site_names: tuple[str, ...], quiet: bool) -> None:
    """One pass over the enabled sites (or the SITEs named): the cron entry point.

    Prints one line per site as it finishes (a progress bar on a terminal);
    exits 1 when a site failed entirely, 3 when a daemon holds the archive.
    """
    sites = selected_sites(app, site_names)
    if quiet:
        root = logging.getLogger()
        root.setLevel(max(root.level, logging.ERROR))
    live = not quiet and sys.stdout.isatty()
    with ArchiveLock(app.db_path, "crawl"), Archive(app.db_path) as archive:
        # holding the lock, no pass of another process can be in flight: rows still
        # 'running' are left by one that died (kill -9, power cut)
        archive.close_running_runs(datetime.now(UTC), "interrupted")
        if live:
            summaries = _crawl_with_progress(app, sites, archive)
        else:
            summaries = asyncio.run(_crawl(app, sites, archive, _plain_report(quiet)))
    if any(s.status == "failed" for s in summaries):
        sys.exit(1)


async def _crawl(
    app: AppContext,
    sites: list[SiteConfig],
    archive: Archive,
    done: Callable[[RunSummary], None],
    crawls: list[SiteCrawl] | None = None,
) -> list[RunSummary]:
    """One pass over each site, concurrently; ``done`` hears of each as it finishes."""
    async with Fetcher(app.config.fetch) as fetcher:
        passes = [SiteCrawl(site, fetcher, archive) for site in sites]
        if crawls is not None:
            crawls.extend(passes)

        async def one(crawl: SiteCrawl) -> RunSummary:
            summary = await crawl.run()
            done(summary)
            return summary

        return list(await asyncio.gather(*(one(c) for c in passes)))


def _plain_report(quiet: bool) -> Callable[[RunSummary], None]:
    def report(summary: RunSummary) -> None:
        if quiet and summary.status != "failed":
            return
        click.echo(summary.line(), err=quiet)
        if quiet:  # warnings are not logged under --quiet: say what went wrong here
            for message in summary.messages[:5]:
                click.echo(f"  {' '.join(message.split())}", err=True)

    return report


def _crawl_with_progress(
    app: AppContext, sites: list[SiteConfig], archive: Archive
) -> list[RunSummary]:
    """The crawl under a rich progress bar (sites done, pages fetched), lines printed above it."""
    console = Console()
    crawls: list[SiteCrawl] = []
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        bar = progress.add_task("crawling", total=len(sites))

        def done(summary: RunSummary) -> None:
            style = "red" if summary.status == "failed" else ""
            progress.console.print(summary.line(), style=style, highlight=False)
            progress.advance(bar)

        async def run() -> list[RunSummary]:
            async def tick() -> None:
                while True:
                    pages = sum(c.summary.pages for c in crawls)
                    progress.update(bar, description=f"crawling, {pages} pages")
                    await asyncio.sleep(0.2)

            ticker = asyncio.create_task(tick())
            try:
                return await _crawl(app, sites, archive, done, crawls)
            finally:
                ticker.cancel()

        return asyncio.run(run())


def _article_text(article: Article) -> str:
    lines = [article.title, "=" * min(len(article.title), 80)]
    for label, value in (
        ("url", article.url),
        ("published", article.published_at.isoformat() if article.published_at else None),
        ("authors", ", ".join(article.authors) or None),
        ("section", article.section),
        ("parser", f"{article.parser} {article.parser_version}"),
    ):
        if value:
            lines.append(f"{label}: {value}")
    if article.lead:
        lines += ["", article.lead]
    lines += ["", article.body]
    return "\n".join(lines)


@cli.command()
@click.argument("url")
@click.option("--parser", "parser_name", help="Parser to use (default: chosen by the URL's host).")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.option("--save", is_flag=True, help="Also store the page and article in the archive.")
@click.pass_obj
def fetch(app: AppContext, url: str, parser_name: str | None, as_json: bool, save: bool) -> None:
    """Fetch one URL, parse it as an article and print it."""
    if parser_name is not None and parser_name not in parsers.names():
        raise click.BadParameter(
            f"unknown parser {parser_name!r}; choose from {', '.join(parsers.names())}",
            param_hint="--parser",
        )

    site = _configured_site(app, url)

    async def get() -> FetchResult:
        async with Fetcher(app.config.fetch) as fetcher:
            return await fetcher.fetch(
                url,
                delay=site.delay if site else None,
                obey_robots=site.obey_robots if site else None,
            )

    result = asyncio.run(get())
    if not result.ok:
        if save:  # every fetch is a pages row, failures too
            with Archive(app.db_path) as archive:
                archive.record_page(result, site=_site_for(app, url), run_id=None, kind="article")
        fail(result.error or f"{url}: {result.status}")
    parser = parsers.get(parser_name or _parser_for(app, result.final_url))
    try:
        article = parser.for_date(result.fetched_at).parse_article(
            result.html_bytes(), result.final_url, result.fetched_at
        )
    except ParseError as exc:
        fail(str(exc))
    if save:
        site = _site_for(app, result.final_url)
        with Archive(app.db_path) as archive:
            archive.save_article(
                article,
                site=site,
                url=normalize_url(url),
                canonical_url=canonical_url(result.final_url, article.canonical_url),
                fetched_at=result.fetched_at,
                page=result,
            )
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(_article_text(article))


def _configured_site(app: AppContext, url: str) -> SiteConfig | None:
    """The configured site whose start URLs share ``url``'s host."""
    for site in app.config.sites.values():
        if any(same_host(start, url) for start in site.start_urls):
            return site
    return None


def _parser_for(app: AppContext, url: str) -> str:
    """The parser of the configured site at ``url``'s host, else the registry's choice."""
    site = _configured_site(app, url)
    return site.parser if site else parsers.for_url(url).name


def _site_for(app: AppContext, url: str) -> str:
    """The configured site at ``url``'s host, else the host itself."""
    site = _configured_site(app, url)
    return site.name if site else urlsplit(url).hostname or "unknown"


@cli.command()
@click.pass_obj
def sites(app: AppContext) -> None:
    """List the configured sites with their parser, schedule and start URLs."""
    config = app.config
    if not config.sites:
        click.echo("no sites configured")
        return
    width = max(len(name) for name in config.sites)
    for site in config.sites.values():
        state = "" if site.enabled else " (disabled)"
        click.echo(
            f"{site.name:<{width}}  {site.parser:<10} {site.schedule:<22} "
            f"{site.timezone:<18} {' '.join(site.start_urls)}{state}"
        )
