"""The ``newsrack`` command: a click group and its commands; the only code that prints or exits.

Exit codes: 0 success, 1 a run finished with failures, 2 usage or config
error, 3 the archive is locked by another newsrack. Every failure is one line
on stderr (``newsrack: error: ...``, or one JSON object under ``--log-format
json``), never a traceback. Group options (``--db``, ``--config``, ``--log-*``)
are accepted after the command too. A reader that goes away (``| head``) ends
a command quietly with exit 0. JSON output has one style (``emit_json``):
indented on a terminal, one object per line when piped. Commands live in the
modules of this package, one per concern, and register here.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
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


#: Options of the group that may also be written after the command, each taking a value.
GROUP_OPTIONS = ("--config", "--db", "--log-level", "--log-format")

log = logging.getLogger("newsrack")


class NewsrackGroup(click.Group):
    """A click group that turns every NewsrackError into one stderr line and its exit code,
    takes its options after the command too, and ends quietly when stdout's reader is gone."""

    json_errors = False

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = hoist_group_options(args, self.commands)
        NewsrackGroup.json_errors = _log_format(args) == "json"
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as exc:
            if not NewsrackGroup.json_errors:
                raise
            fail(exc.format_message(), exc.exit_code)
            raise  # unreachable: fail exits

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            reader_gone()
        except NewsrackError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except click.exceptions.Exit:
            raise
        except click.ClickException as exc:
            if not NewsrackGroup.json_errors:
                raise
            fail(exc.format_message(), exc.exit_code)
        except SystemExit:
            _flush_quietly()
            raise
        except Exception as exc:
            # a bug: one line; the traceback only at --log-level debug
            log.debug("unexpected error", exc_info=True)
            fail(
                f"unexpected {type(exc).__name__}: {exc}; "
                "rerun with --log-level debug for the traceback and report it"
            )


def hoist_group_options(args: Sequence[str], commands: dict[str, click.Command]) -> list[str]:
    """``args`` with the group options written after the command moved before it."""
    args = list(args)
    index = 0
    while index < len(args):  # find the command, skipping group options and their values
        arg = args[index]
        if arg in commands:
            break
        index += 2 if arg in GROUP_OPTIONS else 1
    else:
        return args
    head, tail, rest = args[: index + 1], [], args[index + 1 :]
    moved: list[str] = []
    position = 0
    while position < len(rest):
        arg = rest[position]
        if arg == "--":
            tail.extend(rest[position:])
            break
        if arg in GROUP_OPTIONS and position + 1 < len(rest):
            moved += rest[position : position + 2]
            position += 2
            continue
        if arg.split("=", 1)[0] in GROUP_OPTIONS and "=" in arg:
            moved.append(arg)
        else:
            tail.append(arg)
        position += 1
    return [*head[:-1], *moved, head[-1], *tail]


def _log_format(args: Sequence[str]) -> str | None:
    """The ``--log-format`` the command line asks for (before the command, once hoisted)."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--log-format" and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith("--log-format="):
            found = arg.split("=", 1)[1]
    return found


def fail(message: str, code: int = 1) -> None:
    """``newsrack: error: message`` on stderr (one line; JSON under --log-format json); exit."""
    line = " ".join(message.split())
    if NewsrackGroup.json_errors:
        record = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "error",
            "logger": "newsrack",
            "message": line,
            "exit_code": code,
        }
        click.echo(json.dumps(record, ensure_ascii=False), err=True)
    else:
        click.echo(f"newsrack: error: {line}", err=True)
    sys.exit(code)


def reader_gone() -> None:
    """stdout's reader went away (``| head``): stop quietly with exit 0, as ``cat`` would."""
    _silence_stdout()
    sys.exit(0)


def _flush_quietly() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    # later writes (and the flush at exit) go nowhere instead of raising again
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def emit_json(value: Any) -> None:
    """One JSON value on stdout: indented on a terminal, on one line when piped (JSON Lines)."""
    indent = 2 if sys.stdout.isatty() else None
    click.echo(json.dumps(value, ensure_ascii=False, indent=indent))


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
    """newsrack: fetch news sites, parse their tickers and articles, archive them in SQLite.

    The options above may also follow the command (newsrack search douane
    --db archive.db). --json output is indented on a terminal and one JSON
    object per line when piped; under --log-format json, errors are JSON too.
    """
    setup_logging(log_level, log_format)
    ctx.obj = AppContext(config_path, db_path)


import scraper.cli.archive_cmds  # noqa: E402  (search, export, history, reparse, stats)
import scraper.cli.import_cmds  # noqa: E402  (import: WARC files)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="newsrack")


import scraper.cli.backfill_cmds  # noqa: E402  (backfill)
import scraper.cli.copy_cmds  # noqa: E402  (copy-archive)
import scraper.cli.daemon_cmds  # noqa: E402, F401  (daemon, status)
from scraper.cli import crawl_cmds  # noqa: E402, F401  (commands register on import)
