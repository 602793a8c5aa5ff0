"""Commands that read the archive: ``search``, ``export``, ``history``, ``reparse`` and ``stats``.

They open an existing archive only (a missing file is a one-line error, not a
new empty archive). Time options take a date (``2025-05-09``), an ISO-8601
time (``2025-05-09T10:00+01:00``; no zone means UTC) or a duration meaning
"that long ago" (``36h``, ``7d``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO

import click

from scraper.archive import Archive
from scraper.cli import AppContext, cli, emit_json, fail
from scraper.export import FORMATS, TABLES, export_rows, write_export
from scraper.revisions import count_reparse, find_article, history, reparse, revision_diffs
from scraper.search import parse_when, search
from scraper.stats import archive_stats


def _when(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_when(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: expected a date (2025-05-09), a time (2025-05-09T10:00+01:00) "
            "or a duration ago (7d)",
            param=param,
        ) from None


def _site_option(help_text: str = "Only this site (its name in config.toml).") -> click.Option:
    return click.option("--site", metavar="NAME", help=help_text)


_since = click.option("--since", callback=_when, metavar="WHEN", help="From this time on.")
_until = click.option("--until", callback=_when, metavar="WHEN", help="Before this time.")


@cli.command("search")
@click.argument("query")
@_site_option()
@_since
@_until
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of hits.")
@click.pass_obj
def search_cmd(
    app: AppContext,
    query: str,
    site: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search of articles (title, lead, body), best matches first.

    QUERY is FTS5 syntax: words (all must match), "an exact phrase", OR, NOT,
    prefix*, title:word. Accents and case are ignored. --since/--until filter on
    the publication time (else first seen).
    """
    with Archive(app.db_path, create=False) as archive:
        hits = search(archive, query, site=site, since=since, until=until, limit=limit)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no match", err=True)
        return
    for number, hit in enumerate(hits, 1):
        click.echo(f"{number}. {hit.title}  [{hit.site}, {hit.published_at or 'no date'}]")
        click.echo(f"   {hit.url}")
        click.echo(f"   {' '.join(hit.snippet.split())}")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--table", type=click.Choice(list(TABLES)), default="articles", show_default=True)
@_site_option()
@_since
@_until
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to FILE instead of standard output.",
)
@click.pass_obj
def export_cmd(
    app: AppContext,
    fmt: str,
    table: str,
    site: str | None,
    since: str | None,
    until: str | None,
    output: str | None,
) -> None:
    """Stream a table as JSON Lines or CSV, in constant memory.

    --since/--until filter articles and ticker items on publication time (else
    first seen), revisions on fetch time. The row count goes to stderr.
    """
    with Archive(app.db_path, create=False) as archive:
        columns, rows = export_rows(archive, table, site=site, since=since, until=until)
        out: IO[str]
        try:
            if output:
                with Path(output).open("w", encoding="utf-8", newline="") as out:
                    count = write_export(out, fmt, columns, rows)
            else:
                count = write_export(sys.stdout, fmt, columns, rows)
                sys.stdout.flush()
        except BrokenPipeError:
            # the reader had enough (`| head`): stop quietly, as cat would
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        except OSError as exc:
            fail(f"{output or 'stdout'}: cannot write the export: {exc.strerror or exc}")
    click.echo(f"exported {count} {table} rows", err=True)


@cli.command("history")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print the revisions as JSON.")
@click.pass_obj
def history_cmd(app: AppContext, url: str, as_json: bool) -> None:
    """An article's revisions, oldest first, with a word diff between consecutive ones.

    In the diff, [-words-] were removed and {+words+} added.
    """
    with Archive(app.db_path, create=False) as archive:
        article_id, canonical, title = find_article(archive, url)
        revisions = history(archive, article_id)
    if as_json:
        records = []
        for index, revision in enumerate(revisions):
            record = revision.to_dict()
            record["diff"] = revision_diffs(revisions[index - 1], revision) if index else {}
            records.append(record)
        click.echo(json.dumps({"url": canonical, "revisions": records}, ensure_ascii=False))
        return
    click.echo(f"{title}\n{canonical}\n{len(revisions)} revision(s)")
    for index, revision in enumerate(revisions):
        how = f", reparsed {revision.reparsed_at}" if revision.reparsed_at else ""
        click.echo(
            f"\nrevision {revision.number}  fetched {revision.fetched_at}{how}  "
            f"parser {revision.parser} {revision.parser_version}  {revision.content_hash[:12]}"
        )
        if index:
            for field, diff in revision_diffs(revisions[index - 1], revision).items():
                click.echo(f"  {field}: {diff}")


@cli.command("reparse")
@_site_option()
@click.option(
    "--since", callback=_when, metavar="WHEN", help="Only articles fetched from this time on."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the counts and failures as one JSON object."
)
@click.pass_obj
def reparse_cmd(app: AppContext, site: str | None, since: str | None, as_json: bool) -> None:
    """Run today's parsers over the stored raw pages; a revision only where the output changed.

    How a parser fix reaches the past. Each page goes through the same steps
    as a crawled one (parser version by fetch date, times read in the site's
    configured timezone). Shows a progress bar on a terminal; exits 1 when
    some page could not be parsed.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    counts = {"revised": 0, "unchanged": 0, "failed": 0}
    failures: list[str] = []
    timezones = {name: configured.tz for name, configured in app.config.sites.items()}
    with Archive(app.db_path, create=False) as archive:
        total = count_reparse(archive, site=site, since=since)
        progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not sys.stderr.isatty(),
            transient=True,
        )
        with progress:
            task = progress.add_task("reparsing", total=total)
            for outcome in reparse(archive, site=site, since=since, timezones=timezones):
                counts[outcome.status] += 1
                if outcome.status == "failed":
                    failures.append(" ".join(f"{outcome.url}: {outcome.message}".split()))
                progress.advance(task)
    if as_json:
        emit_json({"reparsed": sum(counts.values()), **counts, "failures": failures})
    else:
        for line in failures[:10]:
            click.echo(f"  {line}", err=True)
        click.echo(
            f"reparsed {sum(counts.values())} articles: {counts['revised']} revised, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        )
    if counts["failed"]:
        sys.exit(1)


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.pass_obj
def stats_cmd(app: AppContext, as_json: bool) -> None:
    """Per-site counts, first and last fetch and error rate; archive size and compression."""
    with Archive(app.db_path, create=False) as archive:
        stats = archive_stats(archive)
    if as_json:
        click.echo(json.dumps(stats.to_dict(), indent=2))
        return
    header = ("site", "articles", "revisions", "ticker", "pages", "errors", "first fetch", "last")
    rows = [
        (
            s.site,
            str(s.articles),
            str(s.revisions),
            str(s.ticker_items),
            str(s.pages),
            f"{s.error_rate:.1%}",
            s.first_fetch or "-",
            s.last_fetch or "-",
        )
        for s in stats.sites
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    click.echo(
        f"\n{stats.path}: {stats.file_bytes / 1e6:.1f} MB; {stats.bodies} distinct raw pages, "
        f"{stats.raw_bytes / 1e6:.1f} MB raw stored in {stats.stored_bytes / 1e6:.1f} MB "
        f"(zstd, {stats.compression_ratio:.1f}x)"
    )
