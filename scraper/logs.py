"""Logging setup: human lines or JSON lines on stderr, each naming the site and URL it is about.

``setup_logging(level, fmt)`` installs one stderr handler on the root logger.
Log calls pass ``extra={"url": ...}`` (and ``"site"`` when they know it); a
filter fills in the site from ``current_site``, a context variable that a crawl
pass sets, so every line written while a site is crawled, fetch lines
included, names that site without the fetcher knowing about sites (and
APScheduler's lines about a job, such as a skipped run, name the job's site). Human lines
read ``2026-11-27 23:40:01 WARNING walaw_fr https://...: message``; JSON lines
carry ``time, level, logger, site, url, message`` and any other extra fields.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from apscheduler.job import Job

LOG_FORMATS = ("human", "json")
#: Libraries that log every job run or request at info.
NOISY = ("apscheduler", "httpx", "httpcore")

#: The site being crawled in this task, for log lines that do not name it themselves.
current_site: ContextVar[str | None] = ContextVar("newsrack_site", default=None)

#: LogRecord attributes that are not extra fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class SiteFilter(logging.Filter):
    """Give every record ``site`` and ``url`` attributes (None when unknown)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "site", None) is None:
            record.site = current_site.get() or _job_site(record)
        if not hasattr(record, "url"):
            record.url = None
        return True


def _job_site(record: logging.LogRecord) -> str | None:
    """The site of an APScheduler line about a job ("skipped", "missed"): the job id is it."""
    args = record.args if isinstance(record.args, tuple) else ()
    if args and isinstance(args[0], Job):
        return str(args[0].id)
    return None


class HumanFormatter(logging.Formatter):
    """``time LEVEL site url: message`` (``-`` for an unknown site; the URL only when the
    message does not already name it)."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%d %H:%M:%S")
        where = getattr(record, "site", None) or "-"
        message = record.getMessage()
        url = getattr(record, "url", None)
        if url and url not in message:  # messages that name their URL need no prefix
            where = f"{where} {url}"
        line = f"{when} {record.levelname} {where}: {message}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, site, url, message, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "site": getattr(record, "site", None),
            "url": getattr(record, "url", None),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in data:
                data[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def setup_logging(level: str = "warning", fmt: str = "human", stream: TextIO | None = None) -> None:
    """Send log records at ``level`` and above to ``stream`` (stderr) as ``fmt`` lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else HumanFormatter())
    handler.addFilter(SiteFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper()))
    # at info, one line per pass is ours to write; the per-job and per-request lines of
    # the libraries come back with --log-level debug
    quiet = logging.WARNING if root.level == logging.INFO else logging.NOTSET
    for name in NOISY:
        logging.getLogger(name).setLevel(quiet)
