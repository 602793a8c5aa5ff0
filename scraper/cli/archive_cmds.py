"""Commands that read the archive: search, export, history, raw, reparse and stats.

They open an existing archive only (a missing or empty file is a one-line
error, never a new archive). Time options take a date (``2025-05-09``), an
ISO-8601 time (``2025-05-09T10:00+01:00``; no zone means UTC) or a duration
meaning "that long ago" (``36h``, ``7d``); a time outside years 1-9999 is a
usage error. An unknown ``--site`` is a usage error naming the known sites
(config's and the archive's). Every usage error is one line, exit 2. A reader
that goes away (``| head``) ends the command quietly, exit 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from scraper.archive import MAX_QUERY_CHARS, MAX_QUERY_TERMS, Archive, TimeWindow
from scraper.cli import AppContext, cli, emit_json, fail
from scraper.export import FORMATS, TABLES, export_rows, write_export
from scraper.parquet import PARQUET_TABLES, write_parquet
from scraper.revisions import count_reparse, find_article, history, reparse, revision_diffs
from scraper.search import parse_when, search
from scraper.stats import SiteStats, archive_stats
from scraper.urls import normalize_url

#: The most hits ``search --limit`` returns.
MAX_LIMIT = 10_000


def usage(message: str) -> NoReturn:
    """A usage error: one line, exit 2."""
    fail(message, 2)
    raise AssertionError("unreachable")  # fail exits


def _when(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_when(value)
    except ValueError as exc:
        usage(
            f"--{(param.name or 'when').replace('_', '-')} {value!r}: expected a date "
            f"(2025-05-09), a time (2025-05-09T10:00+01:00) or a duration ago (7d) "
            f"within years 1-9999 ({exc})"
        )


def _limit(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        usage(f"--limit {value!r}: expected a whole number from 1 to {MAX_LIMIT}")
    if not 1 <= number <= MAX_LIMIT:
        usage(f"--limit {value}: expected a whole number from 1 to {MAX_LIMIT}")
    return number


_site = click.option("--site", metavar="NAME", help="Only this site (its name in config.toml).")
_since = click.option(
    "--since", callback=_when, metavar="WHEN", help="Published (else first seen) from WHEN on."
)
_until = click.option(
    "--until", callback=_when, metavar="WHEN", help="Published (else first seen) before WHEN."
)
_seen_since = click.option(
    "--seen-since", callback=_when, metavar="WHEN", help="First seen by newsrack from WHEN on."
)
_seen_until = click.option(
    "--seen-until", callback=_when, metavar="WHEN", help="First seen by newsrack before WHEN."
)


def check_site(app: AppContext, archive: Archive, site: str | None) -> None:
    """Exit 2 naming the known sites when ``site`` is neither configured nor archived."""
    if site is None:
        return
    known = sorted(set(app.config.sites) | set(archive.known_sites()))
    if site not in known:
        usage(f"--site {site!r}: no such site; known sites: {', '.join(known) or 'none yet'}")


def _warn(line: str) -> None:
    click.echo(f"newsrack: warning: {' '.join(line.split())}", err=True)


@cli.command("search")
@click.argument("query")
@_site
@_since
@_until
@_seen_since
@_seen_until
@click.option("--raw", is_flag=True, help="QUERY is FTS5 syntax (OR, NOT, prefix*, title:word).")
@click.option(
    "--limit",
    callback=_limit,
    default="20",
    metavar="N",
    show_default=True,
    help=f"At most N hits, 1-{MAX_LIMIT}.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of hits.")
@click.pass_obj
def search_cmd(
    app: AppContext,
    query: str,
    site: str | None,
    since: str | None,
    until: str | None,
    seen_since: str | None,
    seen_until: str | None,
    raw: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search of articles (title, lead, body), best matches first.

    Every word of QUERY must match, as written: l'extinction, Inde-Pakistan and
    covid-19 are searched as words. With --raw, QUERY is FTS5 syntax: "an exact
    phrase", OR, NOT, prefix*, title:word. Accents and case are ignored. At most
    {terms} terms and {chars} characters. --since/--until filter on the
    publication time (else first seen), --seen-since/--seen-until on when
    newsrack first saw the article.
    """
    with Archive(app.db_path, create=False) as archive:
        check_site(app, archive, site)
        hits = search(
            archive, query, raw=raw, site=site, since=since, until=until,
            seen_since=seen_since, seen_until=seen_until, limit=limit,
        )  # fmt: skip
    if as_json:
        emit_json([h.to_dict() for h in hits])
        return
    if not hits:
        click.echo("no match", err=True)
        return
    for number, hit in enumerate(hits, 1):
        click.echo(f"{number}. {hit.title}  [{hit.site}, {hit.published_at or 'no date'}]")
        click.echo(f"   {hit.url}")
        click.echo(f"   {' '.join(hit.snippet.split())}")


search_cmd.help = (search_cmd.help or "").format(terms=MAX_QUERY_TERMS, chars=MAX_QUERY_CHARS)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option(
    "--table",
    type=click.Choice(TABLES),
    help="Table to export [default: articles; warc: the raw pages; parquet: "
    f"{', '.join(PARQUET_TABLES)}].",
)
@_site
@_since
@_until
@_seen_since
@_seen_until
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to FILE instead of standard output (required for parquet).",
)
@click.pass_obj
def export_cmd(
    app: AppContext,
    fmt: str,
    table: str | None,
    site: str | None,
    since: str | None,
    until: str | None,
    seen_since: str | None,
    seen_until: str | None,
    output: str | None,
) -> None:
    """Stream a table as JSON Lines, CSV or Parquet, or the raw pages as WARC, in constant memory.

    Every table can be exported; `revisions` is article_revisions with each
    article's URL and site. --since/--until filter articles and ticker items on
    publication time (else first seen), --seen-since/--seen-until on first seen;
    other tables on their own time (revisions and pages: fetched, runs: started).
    The row count goes to stderr. A damaged row is named on stderr and skipped;
    the export goes on and exits 1.

    --format warc writes every stored raw page (fetched in the time window) as a
    WARC/1.1 response record, with a warcinfo record naming newsrack: gzip-compressed
    per record unless FILE ends in .warc. newsrack keeps only some response headers:
    each record carries the status line, Content-Type, ETag, Last-Modified and
    Content-Length. --format parquet writes typed columns (UTC timestamps, lists) of
    articles, ticker_items or revisions to FILE; it needs pip install 'newsrack[parquet]'.
    """
    if fmt == "warc":
        if table not in (None, "pages"):
            usage(f"--table {table}: --format warc exports the raw pages; drop --table")
        _export_warc(app, site, TimeWindow(since, until, seen_since, seen_until), output)
        return
    table = table or "articles"
    if fmt == "parquet":
        if table not in PARQUET_TABLES:
            usage(f"--table {table}: parquet exports {', '.join(PARQUET_TABLES)}; pick one")
        if not output:
            usage("--format parquet writes a file: pass --output FILE.parquet")
    damaged: list[str] = []
    with Archive(app.db_path, create=False) as archive:
        check_site(app, archive, site)
        columns, rows = export_rows(
            archive, table, site=site, since=since, until=until,
            seen_since=seen_since, seen_until=seen_until,
        )  # fmt: skip
        out: IO[str]
        try:
            if fmt == "parquet":
                count = write_parquet(str(output), columns, rows, damaged.append)
            elif output:
                with Path(output).open("w", encoding="utf-8", newline="") as out:
                    count = write_export(out, fmt, columns, rows, damaged.append)
            else:
                count = write_export(sys.stdout, fmt, columns, rows, damaged.append)
        except BrokenPipeError:
            raise  # the reader went away: the command group ends quietly, exit 0
        except OSError as exc:
            fail(f"{output or 'stdout'}: cannot write the export: {exc.strerror or exc}")
        undecodable = archive.undecodable
    for line in damaged[:20]:
        _warn(f"{table} {line}: skipped")
    if undecodable:
        _warn(f"{undecodable} stored text values were not valid UTF-8: exported with U+FFFD")
    skipped = f", {len(damaged)} damaged rows skipped" if damaged else ""
    click.echo(f"exported {count} {table} rows{skipped}", err=True)
    if damaged or undecodable:
        sys.exit(1)


def _export_warc(app: AppContext, site: str | None, window: TimeWindow, output: str | None) -> None:
    """``export --format warc``: the raw pages fetched in ``window`` as WARC/1.1 records."""
    from scraper.warcexport import write_warc  # (warcio: only for this format)

    damaged: list[str] = []
    with Archive(app.db_path, create=False) as archive:
        check_site(app, archive, site)
        try:
            if output:
                with Path(output).open("wb") as out:
                    done = write_warc(
                        archive, out, filename=Path(output).name, site=site, window=window,
                        gzip=not output.endswith(".warc"), on_damaged=damaged.append,
                    )  # fmt: skip
            else:
                done = write_warc(
                    archive, sys.stdout.buffer, filename="-", site=site, window=window,
                    on_damaged=damaged.append,
                )  # fmt: skip
        except BrokenPipeError:
            raise
        except OSError as exc:
            fail(f"{output or 'stdout'}: cannot write the WARC file: {exc.strerror or exc}")
    for line in damaged[:20]:
        _warn(f"{line}: skipped")
    skipped = f", {done.damaged} damaged raw pages skipped" if done.damaged else ""
    click.echo(f"exported {done.records} raw pages as WARC response records{skipped}", err=True)
    if done.damaged:
        sys.exit(1)


@cli.command("history")
@click.argument("url")
@_site
@click.option("--json", "as_json", is_flag=True, help="Print the revisions as JSON.")
@click.pass_obj
def history_cmd(app: AppContext, url: str, site: str | None, as_json: bool) -> None:
    """An article's revisions, oldest first, with a word diff between consecutive ones.

    In the diff, [-words-] were removed and {+words+} added.
    """
    with Archive(app.db_path, create=False) as archive:
        check_site(app, archive, site)
        article_id, canonical, title = find_article(archive, url, site=site)
        revisions = history(archive, article_id)
    if as_json:
        records = []
        for index, revision in enumerate(revisions):
            record = revision.to_dict()
            record["diff"] = revision_diffs(revisions[index - 1], revision) if index else {}
            records.append(record)
        emit_json({"url": canonical, "revisions": records})
        return
    click.echo(f"{title}\n{canonical}\n{len(revisions)} revision(s)")
    for index, revision in enumerate(revisions):
        how = f", reparsed {revision.reparsed_at}" if revision.reparsed_at else ""
        click.echo(
            f"\nrevision {revision.number}  fetched {revision.fetched_at}{how}  "
            f"parser {revision.parser} {revision.parser_version}  "
            f"{revision.content_hash[:12]}"
        )
        if index:
            for field, diff in revision_diffs(revisions[index - 1], revision).items():
                click.echo(f"  {field}: {diff}")


@cli.command("raw")
@click.argument("url")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to FILE instead of standard output.",
)
@click.pass_obj
def raw_cmd(app: AppContext, url: str, output: str | None) -> None:
    """Write the latest stored raw page of URL, byte for byte as it was served.

    URL may be the fetched URL, where it redirected to, or any URL of an
    archived article. Where it came from (fetch time, type) goes to stderr.
    """
    try:
        candidates = [url, normalize_url(url)]
    except ValueError as exc:
        usage(f"{url!r} is not a URL ({exc}); pass the URL of a fetched page")
    with Archive(app.db_path, create=False) as archive:
        stored = archive.latest_page(candidates)
        if stored is None:
            found = archive.find_article(candidates)
            stored = archive.latest_page([found[1]]) if found else None
        if stored is None:
            fail(f"{url}: no stored raw page in {archive.path}; try `newsrack search`")
        body = archive.body(stored.body_hash)
    if body is None:
        fail(f"{url}: the raw page {stored.body_hash[:12]} is missing from {app.db_path}")
    try:
        if output:
            Path(output).write_bytes(body)
        else:
            sys.stdout.buffer.write(body)
    except OSError as exc:
        fail(f"{output or 'stdout'}: cannot write the raw page: {exc.strerror or exc}")
    click.echo(
        f"{stored.final_url or stored.url} fetched {stored.fetched_at}, "
        f"{len(body)} bytes, {stored.content_type or 'no content type'}",
        err=True,
    )


@cli.command("reparse")
@_site
@click.option(
    "--since", callback=_when, metavar="WHEN", help="Only articles fetched from this time on."
)
@click.option("--json", "as_json", is_flag=True, help="Print the counts and every failure as JSON.")
@click.pass_obj
def reparse_cmd(app: AppContext, site: str | None, since: str | None, as_json: bool) -> None:
    """Run today's parsers over the stored raw pages; a revision only where the output changed.

    How a parser fix reaches the past. Each page goes through the same steps
    as a crawled one (parser version by fetch date, times read in the site's
    configured timezone). Shows a progress bar on a terminal; exits 1 when
    some page could not be parsed.
    With --json: {"reparsed", "revised", "unchanged", "failed", "failures": [{"url",
    "message"}]}.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    counts = {"revised": 0, "unchanged": 0, "failed": 0}
    failures: list[tuple[str, str]] = []
    timezones = {name: configured.tz for name, configured in app.config.sites.items()}
    with Archive(app.db_path, create=False) as archive:
        check_site(app, archive, site)
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
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
                if outcome.status == "failed":
                    failures.append((outcome.url, outcome.message))
                progress.advance(task)
    if as_json:
        data = {"reparsed": sum(counts.values()), **counts}
        data["failures"] = [{"url": url, "message": message} for url, message in failures]
        emit_json(data)
        sys.exit(1 if counts["failed"] else 0)
    for url, message in failures[:10]:
        click.echo(f"  {' '.join(f'{url}: {message}'.split())}", err=True)
    click.echo(
        f"reparsed {sum(counts.values())} articles: {counts['revised']} revised, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
    )
    if counts["failed"]:
        sys.exit(1)


@cli.command("stats")
@_site
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.pass_obj
def stats_cmd(app: AppContext, site: str | None, as_json: bool) -> None:
    """Per-site counts, first and last fetch and error rate; archive size and compression."""
    with Archive(app.db_path, create=False) as archive:
        check_site(app, archive, site)
        stats = archive_stats(archive)
    shown = [s for s in stats.sites if site is None or s.site == site]
    if as_json:
        data = stats.to_dict()
        data["sites"] = [s for s in data["sites"] if site is None or s["site"] == site]
        emit_json(data)
        return
    _print_table(
        ("site", "articles", "revisions", "ticker", "pages", "errors", "first fetch", "last"),
        [_stats_row(s) for s in shown],
        click.echo,
    )
    click.echo(
        f"\n{stats.path}: {stats.file_bytes / 1e6:.1f} MB; {stats.bodies} distinct raw "
        f"pages, {stats.raw_bytes / 1e6:.1f} MB raw stored in "
        f"{stats.stored_bytes / 1e6:.1f} MB (zstd, {stats.compression_ratio:.1f}x)"
    )


def _stats_row(s: SiteStats) -> tuple[str, ...]:
    return (
        s.site,
        str(s.articles),
        str(s.revisions),
        str(s.ticker_items),
        str(s.pages),
        f"{s.error_rate:.1%}",
        s.first_fetch or "-",
        s.last_fetch or "-",
    )


def _print_table(
    header: tuple[str, ...], rows: list[tuple[str, ...]], echo: Callable[[str], Any]
) -> None:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
