"""Commands that fetch or parse: ``crawl`` (one pass, for cron), ``fetch URL`` (one-off),
``parse PATH|-`` (a local page) and ``sites``. Every page they store goes through
``scraper.ingest``, as the crawl's do.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from parsers.base import Article
from scraper.archive import Archive
from scraper.charset import decode_html
from scraper.cli import AppContext, cli, emit_json, fail
from scraper.config import SiteConfig
from scraper.crawl import RunSummary, SiteCrawl
from scraper.errors import ConfigError, NewsrackError
from scraper.fetch import Fetcher, FetchResult
from scraper.ingest import (
    PageJob,
    ParseFailure,
    SiteTarget,
    job_for,
    ready_article,
    run_parser,
    store_article,
    target_for,
)
from scraper.kinds import PageKind, RunStatus
from scraper.lock import ArchiveLock
from scraper.parsepool import ParsePool
from scraper.urls import url_problem

log = logging.getLogger(__name__)


def selected_sites(app: AppContext, names: tuple[str, ...]) -> list[SiteConfig]:
    """The sites named (enabled or not), or every enabled site when none is named."""
    config = app.config
    if names:  # each site once, whatever the command line repeats
        return [config.site(name) for name in dict.fromkeys(names)]
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
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print each site's summary as a JSON object when it finishes (one per line if piped).",
)
@click.pass_obj
def crawl(app: AppContext, site_names: tuple[str, ...], quiet: bool, as_json: bool) -> None:
    """One pass over the enabled sites (or the SITEs named, each once): the cron entry point.

    Prints one line per site as it finishes (a progress bar on a terminal);
    a page that cannot be fetched or parsed is an error of that page, logged
    and counted, and the pass goes on. Exits 1 when a site failed entirely
    (no start page read), 3 when a daemon holds the archive.
    """
    sites = selected_sites(app, site_names)
    if quiet:
        root = logging.getLogger()
        root.setLevel(max(root.level, logging.ERROR))
    live = not quiet and not as_json and sys.stdout.isatty()
    with ArchiveLock(app.db_path, "crawl"), Archive(app.db_path) as archive:
        # holding the lock, no pass of another process can be in flight: rows still
        # 'running' are left by one that died (kill -9, power cut)
        archive.close_running_runs(datetime.now(UTC), "interrupted")
        if live:
            summaries = _crawl_with_progress(app, sites, archive)
        else:
            report = _json_report if as_json else _plain_report(quiet)
            summaries = asyncio.run(_crawl(app, sites, archive, report))
    if any(s.status == RunStatus.FAILED for s in summaries):
        sys.exit(1)


async def _crawl(
    app: AppContext,
    sites: list[SiteConfig],
    archive: Archive,
    done: Callable[[RunSummary], None],
    crawls: list[SiteCrawl] | None = None,
) -> list[RunSummary]:
    """One pass over each site, concurrently; ``done`` hears of each as it finishes.

    Pages are parsed in a pool of ``[fetch] parse_workers`` processes, each
    page within ``[fetch] parse_timeout``. A pass that raises is that site's
    failure: the others go on, with the shared fetcher open until every pass
    has ended.
    """
    fetch = app.config.fetch
    with ParsePool(fetch.parse_workers, timeout=fetch.parse_timeout) as pool:
        return await _crawl_with(app, sites, archive, done, crawls, pool)


async def _crawl_with(
    app: AppContext,
    sites: list[SiteConfig],
    archive: Archive,
    done: Callable[[RunSummary], None],
    crawls: list[SiteCrawl] | None,
    pool: ParsePool,
) -> list[RunSummary]:
    async with Fetcher(app.config.fetch) as fetcher:
        passes = [SiteCrawl(site, fetcher, archive, pool.parse) for site in sites]
        if crawls is not None:
            crawls.extend(passes)

        async def one(crawl: SiteCrawl) -> RunSummary:
            try:
                summary = await crawl.run()
            except NewsrackError:
                raise  # the archive's failure (disk full...): the command's, once all passes end
            except Exception as exc:  # the site's failure, not the other sites'
                summary = crawl.summary
                summary.status = RunStatus.FAILED
                summary.errors += 1
                message = f"{crawl.site.name}: pass stopped: {type(exc).__name__}: {exc}"
                summary.messages.append(" ".join(message.split()))
                log.error("%s", summary.messages[-1], extra={"site": crawl.site.name})
            done(summary)
            return summary

        # every pass ends before the fetcher closes, whatever another one raised
        outcomes = await asyncio.gather(*(one(c) for c in passes), return_exceptions=True)
    summaries: list[RunSummary] = []
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
        summaries.append(outcome)
    return summaries


def _plain_report(quiet: bool) -> Callable[[RunSummary], None]:
    def report(summary: RunSummary) -> None:
        if quiet and summary.status != RunStatus.FAILED:
            return
        click.echo(summary.line(), err=quiet)
        if quiet:  # warnings are not logged under --quiet: say what went wrong here
            for message in summary.messages[:5]:
                click.echo(f"  {' '.join(message.split())}", err=True)

    return report


def _json_report(summary: RunSummary) -> None:
    emit_json(summary.to_dict())
    sys.stdout.flush()


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
            style = "red" if summary.status == RunStatus.FAILED else ""
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


def _print_article(article: Article, as_json: bool) -> None:
    if as_json:
        emit_json(article.to_dict())
    else:
        click.echo(_article_text(article))


def _check_url(url: str) -> None:
    problem = url_problem(url)
    if problem:
        fail(problem, 2)


def _check_parser(parser_name: str | None) -> None:
    if parser_name is not None and parser_name not in parsers.names():
        raise click.BadParameter(
            f"unknown parser {parser_name!r}; choose from {', '.join(parsers.names())}",
            param_hint="--parser",
        )


def _target(
    app: AppContext, url: str, site_name: str | None, parser_name: str | None
) -> tuple[SiteTarget, SiteConfig | None]:
    """Where a one-off page goes: ``--site``, else the configured site a crawl would file it
    under (scheme, host, port, longest path prefix), else its host with ``parsers.for_url``;
    ``--parser`` overrides the parser."""
    site = app.config.site(site_name) if site_name else None
    return target_for(app.config.sites.values(), url, site=site, parser=parser_name)


_JSON_HELP = "Print the article as JSON (indented on a terminal, one line when piped)."
_SITE_HELP = "File the page under this configured site (default: the site whose start URL "
_SITE_HELP += "matches scheme, host, port and the longest path prefix)."


@cli.command()
@click.argument("url")
@click.option("--site", "site_name", metavar="NAME", help=_SITE_HELP)
@click.option(
    "--parser",
    "parser_name",
    metavar="NAME",
    help="Parser to use (default: the site's; for no configured site, chosen by the host).",
)
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@click.option("--save", is_flag=True, help="Also store the page and article in the archive.")
@click.pass_obj
def fetch(
    app: AppContext,
    url: str,
    site_name: str | None,
    parser_name: str | None,
    as_json: bool,
    save: bool,
) -> None:
    """Fetch one URL, parse it as an article and print it.

    The page belongs to the configured site whose start URL has its scheme,
    host and port and the longest path prefix (or --site NAME); that site's
    parser reads it (or --parser NAME) and its timezone dates it. A URL of no
    configured site is read by the parser made for its host (else generic)
    and filed under its host name. --save stores it as a crawl would.
    """
    _check_url(url)
    _check_parser(parser_name)
    target, site = _target(app, url, site_name, parser_name)

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
                archive.record_page(result, site=target.name, run_id=None, kind=PageKind.ARTICLE)
        fail(result.error or f"{url}: {result.status}")
    parsed = run_parser(job_for(result, target.parser, PageKind.ARTICLE))
    if save:
        with Archive(app.db_path) as archive:
            stored = store_article(archive, target, result, parsed, url=url)
        if stored.failure is not None:
            fail(stored.failure.message)
    if not isinstance(parsed, Article):
        fail(parsed.message if isinstance(parsed, ParseFailure) else f"{url}: no article")
        return
    _print_article(ready_article(parsed, target.tz), as_json)


@cli.command("parse")
@click.argument("path", metavar="PATH|-")
@click.option("--url", required=True, help="The page's URL: for its links and parser choice.")
@click.option(
    "--site",
    "site_name",
    metavar="NAME",
    help="Read it as a page of this configured site (default: chosen by URL, as for fetch).",
)
@click.option("--parser", "parser_name", metavar="NAME", help="Parser to use (default: as fetch).")
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@click.pass_obj
def parse_cmd(
    app: AppContext,
    path: str,
    url: str,
    site_name: str | None,
    parser_name: str | None,
    as_json: bool,
) -> None:
    """Parse a local HTML file (or standard input, -) as an article of URL and print it.

    The parser and timezone are chosen as for fetch; nothing is fetched or stored.
    """
    _check_url(url)
    _check_parser(parser_name)
    target, _ = _target(app, url, site_name, parser_name)
    raw = _read_input(path)
    text, _encoding = decode_html(raw)
    job = PageJob(
        target.parser,
        PageKind.ARTICLE,
        text.encode("utf-8", errors="replace"),
        url,
        datetime.now(UTC),
    )
    parsed = run_parser(job)
    if not isinstance(parsed, Article):
        fail(parsed.message if isinstance(parsed, ParseFailure) else f"{url}: no article")
        return
    _print_article(ready_article(parsed, target.tz), as_json)


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        fail(f"{path}: is a folder; give an HTML file or - for standard input", 2)
    except OSError as exc:
        fail(f"{path}: cannot read it: {exc.strerror or exc}; give an HTML file or -", 2)
    return b""


@cli.command()
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per site (one per line if piped)."
)
@click.pass_obj
def sites(app: AppContext, as_json: bool) -> None:
    """List the configured sites with their parser, schedule, timezone and start URLs."""
    config = app.config
    if as_json:
        for site in config.sites.values():
            emit_json(_site_dict(site))
        return
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


def _site_dict(site: SiteConfig) -> dict[str, Any]:
    return {
        "name": site.name,
        "parser": site.parser,
        "start_urls": list(site.start_urls),
        "timezone": site.timezone,
        "schedule": site.schedule,
        "every": site.every if not site.cron else None,
        "cron": site.cron,
        "revisit": list(site.revisit),
        "enabled": site.enabled,
    }
