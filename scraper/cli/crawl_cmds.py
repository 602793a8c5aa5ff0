"""Commands that fetch: ``crawl`` (one pass, for cron), ``fetch URL`` (one-off) and ``sites``."""

from __future__ import annotations

import asyncio
import json
import sys
from urllib.parse import urlsplit

import click

import parsers
from parsers.base import Article, ParseError
from scraper.archive import Archive
from scraper.cli import AppContext, cli, fail
from scraper.config import SiteConfig
from scraper.crawl import crawl_sites
from scraper.errors import ConfigError
from scraper.fetch import Fetcher, FetchResult
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
@click.pass_obj
def crawl(app: AppContext, site_names: tuple[str, ...]) -> None:
    """One pass over the enabled sites (or the SITEs named): the cron entry point.

    Prints one line per site; exits 1 when a site failed entirely.
    """
    sites = selected_sites(app, site_names)
    with Archive(app.db_path) as archive:

        async def run() -> list:
            async with Fetcher(app.config.fetch) as fetcher:
                return await crawl_sites(sites, fetcher, archive)

        summaries = asyncio.run(run())
    for summary in summaries:
        click.echo(summary.line())
        for message in summary.messages[:5]:
            click.echo(f"  {' '.join(message.split())}", err=True)
    if any(s.status == "failed" for s in summaries):
        sys.exit(1)


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

    async def get() -> FetchResult:
        async with Fetcher(app.config.fetch) as fetcher:
            return await fetcher.fetch(url)

    result = asyncio.run(get())
    if not result.ok:
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
