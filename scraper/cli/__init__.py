"""The ``newsrack`` command: a click group and its commands; the only code that prints or exits.

Exit codes: 0 success, 1 a run finished with failures, 2 usage or config
error, 3 the archive is locked by another newsrack. Every failure is one line
on stderr (``newsrack: error: ...``), never a traceback. Commands live in the
modules of this package, one per concern, and register here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from scraper import __version__
from scraper.config import Config, archive_path, load_config
from scraper.errors import NewsrackError
from scraper.logs import LOG_FORMATS, setup_logging


@dataclass
class AppContext:
    """What the group's options resolve to; config is read on first use."""

    config_path: str | None
    db_override: str | None
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def db_path(self) -> Path | str:  # a postgresql:// URL stays a str
        return archive_path(self.config, self.db_override)


class NewsrackGroup(click.Group):
    """A click group that turns every NewsrackError into one stderr line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsrackError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)


def fail(message: str, code: int = 1) -> None:
    """Print ``newsrack: error: message`` (one line) and exit with ``code``."""
    click.echo(f"newsrack: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


LOG_LEVELS = ("debug", "info", "warning", "error")


@click.group(cls=NewsrackGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    envvar="NEWSRACK_CONFIG",
    type=click.Path(dir_okay=False),
    help="config.toml to use [env NEWSRACK_CONFIG; default ./config.toml].",
)
@click.option(
    "--db",
    "db_path",
    envvar="NEWSRACK_DB",
    type=click.Path(dir_okay=False),
    help="Archive file, or postgresql:// URL [env NEWSRACK_DB; default: [archive] of the config].",
)
@click.option(
    "--log-level",
    type=click.Choice(LOG_LEVELS),
    default="warning",
    show_default=True,
    help="Least severe log messages shown on stderr.",
)
@click.option(
    "--log-format",
    type=click.Choice(LOG_FORMATS),
    default="human",
    show_default=True,
    help="Log lines for people, or one JSON object per line for log collectors.",
)
@click.version_option(__version__, prog_name="newsrack")
@click.pass_context
def cli(
    ctx: click.Context,
    config_path: str | None,
    db_path: str | None,
    log_level: str,
    log_format: str,
) -> None:
    """newsrack: fetch news sites, parse their tickers and articles, archive them in SQLite."""
    setup_logging(log_level, log_format)
    ctx.obj = AppContext(config_path, db_path)


import scraper.cli.archive_cmds  # noqa: E402  (search, export, history, reparse, stats)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="newsrack")


import scraper.cli.copy_cmds  # noqa: E402  (copy-archive)
import scraper.cli.daemon_cmds  # noqa: E402, F401  (daemon, status)
from scraper.cli import crawl_cmds  # noqa: E402, F401  (commands register on import)
