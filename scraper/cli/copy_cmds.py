"""``newsrack copy-archive SRC DEST``: one archive into another, on either engine, resumably.

SRC and DEST are each a SQLite file or a ``postgresql://`` URL, so this moves an
archive onto a server (and back, or from server to server). A progress bar per
table on a terminal; a copy stopped anyhow resumes where it stopped when run
again. The copying itself is ``scraper.archive_copy``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from scraper.archive import Archive, is_postgres_url
from scraper.archive_copy import DEFAULT_BATCH, copy_table, plan_copy
from scraper.cli import cli, fail
from scraper.lock import ArchiveLock


def _location(value: str) -> Path | str:
    return value if is_postgres_url(value) else Path(value).expanduser()


@cli.command("copy-archive")
@click.argument("source", metavar="SRC")
@click.argument("dest", metavar="DEST")
@click.option(
    "--batch",
    type=click.IntRange(1, 100_000),
    default=DEFAULT_BATCH,
    show_default=True,
    help="Rows per transaction (and per resume point).",
)
def copy_archive_cmd(source: str, dest: str, batch: int) -> None:
    """Copy the archive SRC into DEST (each a SQLite file or a postgresql:// URL).

    Every table, ids kept; DEST is created (a new file, or the tables in an empty
    database) and must hold no other archive. Stop whatever writes to SRC first (a
    copy is a snapshot: rows changed after they were copied are not copied again).
    Resumable: run the same command again after an interruption and it goes on
    after the last batch stored. Prints the rows copied per table; exits 0 when DEST
    then holds as many rows as SRC.
    """
    src, dst = _location(source), _location(dest)
    if str(src) == str(dst) or (
        isinstance(src, Path) and isinstance(dst, Path) and dst.exists()
        and src.exists() and src.resolve() == dst.resolve()
    ):  # fmt: skip
        fail(f"{source}: SRC and DEST are the same archive", 2)
    with Archive(src, create=False) as archive_from, ArchiveLock(dst, "copy-archive"), Archive(
        dst
    ) as archive_to:
        plans = plan_copy(archive_from, archive_to)
        progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not sys.stderr.isatty(),
        )
        copied: dict[str, int] = {}
        with progress:
            for plan in plans:
                task = progress.add_task(plan.table, total=plan.total, completed=plan.done)
                copied[plan.table] = copy_table(
                    archive_from, archive_to, plan.table, batch=batch,
                    on_batch=lambda rows, task=task: progress.advance(task, rows),
                )  # fmt: skip
        short = [p.table for p in plans if archive_to.count_rows(p.table) < p.total]
        where_from, where_to = archive_from.path, archive_to.path
    for plan in plans:
        click.echo(f"{plan.table}: {copied[plan.table]} copied, {plan.total} in {where_from}")
    if short:
        fail(f"{where_to}: fewer rows than {where_from} in {', '.join(short)}; run again")
    click.echo(f"copied {sum(copied.values())} rows from {where_from} to {where_to}")
