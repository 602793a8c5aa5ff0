"""Commands for running unattended: ``daemon`` (the schedules) and ``status`` (site health)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scraper.archive import Archive, is_postgres_url
from scraper.cli import AppContext, cli, emit_json
from scraper.daemon import run_daemon
from scraper.errors import ArchiveError, ConfigError
from scraper.kinds import RunStatus
from scraper.lock import ArchiveLock, holder
from scraper.schedule import enabled_sites, in_future, parse_time
from scraper.status import SiteStatus, site_statuses


@cli.command()
@click.pass_obj
def daemon(app: AppContext) -> None:
    """Run every enabled site on its schedule until SIGTERM or SIGINT.

    SIGHUP re-reads the config. Holds the archive's lock: a second daemon or a
    `newsrack crawl` on the same archive exits 3. Use --log-level info to log
    every pass.
    """
    config = app.config
    if not enabled_sites(config):
        where = config.path or "config.toml"
        raise ConfigError(
            f"{where}: no enabled site to schedule; add a [sites.NAME] table with a parser "
            "and start_urls"
        )
    with ArchiveLock(app.db_path, "daemon"), Archive(app.db_path) as archive:
        run_daemon(config, archive, app.config_path)


def _ago(text: str | None, now: datetime) -> str:
    moment = parse_time(text)
    if moment is None:
        return "never" if not text else "unreadable time"
    if in_future(moment, now):
        return f"dated {moment:%Y-%m-%d} (future: a clock was wrong)"
    return _span((now - moment).total_seconds()) + " ago"


def _until(text: str | None, now: datetime) -> str:
    moment = parse_time(text)
    if moment is None:
        return "-"
    seconds = (moment - now).total_seconds()
    return "due" if seconds <= 1 else "in " + _span(seconds)


def _span(seconds: float) -> str:
    seconds = max(0.0, seconds)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def _health(status: SiteStatus) -> Text:
    health = status.health
    if not health.recent:
        return Text("no articles yet", style="dim")
    text = f"{_pct(health.recent_broken)} broken of last {health.recent}"
    if health.history_broken is not None:
        text += f" (was {_pct(health.history_broken)})"
    if health.flagged:
        return Text("PARSER DROP: " + text, style="bold red")
    return Text(text, style="yellow" if health.recent_broken else "green")


def _last(status: SiteStatus, now: datetime) -> Text:
    if not status.last_started:
        return Text("never", style="dim")
    style = {
        RunStatus.OK: "green",
        RunStatus.FAILED: "red",
        RunStatus.INTERRUPTED: "yellow",
        RunStatus.RUNNING: "cyan",
    }
    duration = f" {status.last_duration:.1f}s" if status.last_duration is not None else ""
    return Text.assemble(
        f"{_ago(status.last_started, now)} ",
        (status.last_status or "?", style.get(status.last_status or "", "")),
        duration,
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object for scripts.")
@click.pass_obj
def status(app: AppContext, as_json: bool) -> None:
    """Per site: last run, next run, new items in 24 h, error rate and parser health."""
    now = datetime.now(UTC)
    if not is_postgres_url(app.db_path) and not Path(app.db_path).exists():
        raise ArchiveError(
            f"{app.db_path}: no archive there yet; run newsrack crawl or newsrack daemon "
            "first, or pass --db PATH"
        )
    # H1 (archive): read-only open (works in a read-only folder, never writes a schema into an
    # empty file); the lock holder is named with its role, a crawl is not "daemon running".
    lock = holder(app.db_path)
    daemon_pid = lock.pid if lock and lock.role == "daemon" else None
    with Archive(app.db_path, create=False) as archive:
        statuses = site_statuses(archive, app.config, now, daemon_running=daemon_pid is not None)
        where = str(archive.path)  # a URL without its password
    if as_json:
        data = {
            "now": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "archive": where,
            "daemon_pid": daemon_pid,
            "lock": {"pid": lock.pid, "role": lock.role, "since": lock.since} if lock else None,
            "sites": [s.to_dict() for s in statuses],
        }
        emit_json(data)
        return
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    who = f"running, pid {daemon_pid}" if daemon_pid else "not running (next runs unknown)"
    held = f"; locked by {lock.describe()}" if lock and not daemon_pid else ""
    console.print(f"archive {where}; daemon {who}{held}")
    if not statuses:
        console.print("no sites configured and no runs archived")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("site", "last run", "next", "runs 24h", "new 24h", "errors", "parser health"):
        table.add_column(column)
    for s in statuses:
        runs = f"{s.runs_24h}" + (f", {s.failed_24h} failed" if s.failed_24h else "")
        table.add_row(
            s.site if s.enabled else f"{s.site} ({'disabled' if s.configured else 'gone'})",
            _last(s, now),
            _until(s.next_run, now),
            Text(runs, style="red" if s.failed_24h else ""),
            f"{s.new_articles_24h} art, {s.new_ticker_items_24h} tick",
            _pct(s.error_rate),
            _health(s),
        )
    console.print(table)
