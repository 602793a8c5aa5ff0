"""``newsrack import``: pages from WARC files into the archive, as a crawl would have stored them.

Each file is read from where a previous import of it stopped (its position is
kept in the archive), with a progress bar (bytes read, records, records per
second) on a terminal; a file imported before is named and passed over. The
summary line goes to stdout; exit 1 when some page failed to parse (it is
recorded with its error), 2 when a file is not WARC or an option is wrong.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

import parsers
from scraper.archive import Archive
from scraper.cli import AppContext, cli, fail
from scraper.lock import ArchiveLock
from scraper.warcimport import WarcImporter


@cli.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False),
    metavar="FILE.warc[.gz]...",
)  # fmt: skip
@click.option(
    "--site", "site_name", metavar="NAME", help="File every page under this configured site."
)
@click.option(
    "--parser",
    "parser_name",
    metavar="NAME",
    help="Parser for every page (default: the site's; else chosen by the page's host).",
)
@click.pass_obj
def import_cmd(
    app: AppContext, files: tuple[str, ...], site_name: str | None, parser_name: str | None
) -> None:
    """Archive the HTML pages of WARC files (CC-NEWS, wget, Heritrix, newsrack export).

    Only HTTP 200 responses with an HTML body are archived; other records are
    counted by reason. Each page goes to --site, else to the configured site
    whose start URL it falls under, else to its host name (parser chosen by
    host); it is parsed and stored as a crawl would, dated by its WARC-Date.
    Pages already in the archive are skipped: importing a file twice adds
    nothing, and a killed import resumes where it stopped.
    """
    if site_name and parser_name:
        fail("--site and --parser: pass one of them (a site brings its parser)", 2)
    if parser_name is not None and parser_name not in parsers.names():
        fail(f"--parser {parser_name!r}: no such parser; choose from "
             f"{', '.join(parsers.names())}", 2)  # fmt: skip
    site = app.config.site(site_name) if site_name else None
    failures = 0
    with ArchiveLock(app.db_path, "import"), Archive(app.db_path) as archive:
        importer = WarcImporter(
            archive, app.config.sites.values(), site=site, parser=parser_name,
            max_bytes=app.config.fetch.max_bytes,
        )  # fmt: skip
        for name in files:
            path = Path(name)
            before = importer.counts.records
            if not _import_one(importer, path):
                click.echo(f"{path}: already imported into {archive.path}; nothing to do", err=True)
                continue
            click.echo(f"{path}: {importer.counts.records - before} records read", err=True)
        counts = importer.counts
        failures = counts.failed
    for message in counts.failures[:10]:
        click.echo(f"  {' '.join(message.split())}", err=True)
    click.echo(f"imported {counts.line()}")
    if failures:
        sys.exit(1)


def _import_one(importer: WarcImporter, path: Path) -> bool:
    """Import one file under a progress bar (on a terminal); False if it was already done."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[records]} records, {task.fields[rate]:.0f}/s"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    started, first = time.monotonic(), importer.counts.records
    with progress:
        task = progress.add_task(path.name, total=path.stat().st_size, records=0, rate=0.0)

        def advance(offset: int) -> None:
            done = importer.counts.records - first
            rate = done / max(time.monotonic() - started, 1e-6)
            progress.update(task, completed=offset, records=done, rate=rate)

        return importer.import_file(path, advance)
