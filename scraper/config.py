"""Read config.toml into frozen dataclasses, checking every key; a bad one is one ConfigError line.

Every section and key is optional except each site's ``parser`` and
``start_urls``. An unknown key, a wrong type, an unknown parser, a bad URL,
timezone, duration or cron expression is refused with a message naming the
file, the key and what is expected, so an operator can fix it from the line alone.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import parsers
from scraper.errors import ConfigError

DEFAULT_CONFIG_NAME = "config.toml"
DEFAULT_ARCHIVE = Path("data/archive.db")
DEFAULT_REVISIT = ("15m", "1h", "6h", "1d", "3d", "7d")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_SITE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def parse_duration(text: str) -> float:
    """``"90s"``, ``"10m"``, ``"6h"``, ``"1d"`` -> seconds; ValueError otherwise."""
    match = _DURATION_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def format_duration(seconds: float) -> str:
    """Seconds as the shortest exact duration string (``600`` -> ``"10m"``)."""
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNITS[unit] == 0:
            return f"{int(seconds // _UNITS[unit])}{unit}"
    return f"{seconds:g}s"


@dataclass(frozen=True)
class FetchConfig:
    """``[fetch]``: how politely and how patiently pages are requested."""

    user_agent: str = "newsrack/0.1 (+https://example.org/contact)"
    timeout: float = 20.0
    deadline: float = 60.0
    max_attempts: int = 4
    max_retry_after: float = 120.0
    delay: float = 1.0
    max_bytes: int = 10_000_000
    obey_robots: bool = True
    allow_private_networks: bool = False
    max_connections: int = 20
    max_connections_per_host: int = 2
    robots_ttl: float = 3600.0


@dataclass(frozen=True)
class DaemonConfig:
    """``[daemon]``: shutdown grace and per-run limits of ``newsrack daemon``."""

    shutdown_grace: float = 10.0
    run_timeout: float = 900.0
    misfire_grace: float = 300.0
    jitter: float = 0.0


@dataclass(frozen=True)
class SiteConfig:
    """``[sites.NAME]``: one site to crawl, its parser, start pages and schedule."""

    name: str
    parser: str
    start_urls: tuple[str, ...]
    timezone: str = "UTC"
    every: float | None = 600.0
    cron: str | None = None
    revisit: tuple[float, ...] = tuple(parse_duration(d) for d in DEFAULT_REVISIT)
    enabled: bool = True
    delay: float | None = None
    obey_robots: bool | None = None
    max_articles: int = 500

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def schedule(self) -> str:
        """The schedule as written in config: ``every 10m`` or ``cron */10 6-23 * * *``."""
        if self.cron:
            return f"cron {self.cron}"
        return f"every {format_duration(self.every or 600.0)}"


@dataclass(frozen=True)
class Config:
    """The whole configuration; ``path`` is None when no file was read (defaults only)."""

    path: Path | None = None
    archive_path: Path = DEFAULT_ARCHIVE
    fetch: FetchConfig = field(default_factory=FetchConfig)
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    sites: Mapping[str, SiteConfig] = field(default_factory=dict)

    def site(self, name: str) -> SiteConfig:
        try:
            return self.sites[name]
        except KeyError:
            known = ", ".join(self.sites) or "none configured"
            where = self.path or DEFAULT_CONFIG_NAME
            raise ConfigError(f"{where}: no site named {name!r}; known sites: {known}") from None


# --- validation ----------------------------------------------------------------------------

Check = Callable[[Any], Any]


class _Bad(Exception):
    """A value failed a check; carries what was expected."""


def _number(minimum: float = 0.0) -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise _Bad(f"a number >= {minimum:g}")
        return float(value)

    return check


def _integer(minimum: int = 0) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _Bad(f"a whole number >= {minimum}")
        return value

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad("true or false")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad("a non-empty string")
    return value


def _url(value: Any) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Bad('an http(s) URL such as "https://example.org/"')
    return value


def _url_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _Bad('a non-empty list of http(s) URLs, e.g. ["https://example.org/"]')
    return tuple(_url(v) for v in value)


def _timezone(value: Any) -> str:
    try:
        ZoneInfo(_text(value))
    except (ZoneInfoNotFoundError, ValueError, _Bad):
        raise _Bad('an IANA timezone such as "Africa/Casablanca" or "UTC"') from None
    return value


def _duration(value: Any) -> float:
    try:
        return parse_duration(value)
    except ValueError:
        raise _Bad('a duration such as "90s", "10m", "6h" or "1d"') from None


def _positive_duration(value: Any) -> float:
    seconds = _duration(value)
    if seconds <= 0:
        raise _Bad('a duration above zero such as "10m"')
    return seconds


def _duration_list(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise _Bad('a list of durations such as ["15m", "1h", "1d"]')
    return tuple(_duration(v) for v in value)


def _cron(value: Any) -> str:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(_text(value))
    except (ValueError, _Bad):
        raise _Bad('a 5-field cron expression such as "*/10 6-23 * * *"') from None
    return value


def _parser_name(value: Any) -> str:
    if not isinstance(value, str) or value not in parsers.names():
        raise _Bad(f"one of the parsers: {', '.join(parsers.names())}")
    return value


_FETCH_KEYS: dict[str, Check] = {
    "user_agent": _text,
    "timeout": _number(0.01),
    "deadline": _number(0.01),
    "max_attempts": _integer(1),
    "max_retry_after": _number(0),
    "delay": _number(0),
    "max_bytes": _integer(1024),
    "obey_robots": _boolean,
    "allow_private_networks": _boolean,
    "max_connections": _integer(1),
    "max_connections_per_host": _integer(1),
    "robots_ttl": _number(0),
}
_DAEMON_KEYS: dict[str, Check] = {
    "shutdown_grace": _number(0),
    "run_timeout": _number(1),
    "misfire_grace": _number(1),
    "jitter": _number(0),
}
_SITE_KEYS: dict[str, Check] = {
    "parser": _parser_name,
    "start_urls": _url_list,
    "timezone": _timezone,
    "every": _positive_duration,
    "cron": _cron,
    "revisit": _duration_list,
    "enabled": _boolean,
    "delay": _number(0),
    "obey_robots": _boolean,
    "max_articles": _integer(0),
}
_ARCHIVE_KEYS: dict[str, Check] = {"path": _text}
_TOP_KEYS = ("archive", "fetch", "daemon", "sites")


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{...}"
    return repr(value)


def _checked(where: str, table: Any, keys: dict[str, Check], section: str) -> dict[str, Any]:
    """Values of ``table`` run through ``keys``' checks; ConfigError on the first bad one."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [{section}] must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        check = keys.get(key)
        if check is None:
            raise ConfigError(
                f"{where}: [{section}] unknown key {key!r}; expected one of: {', '.join(keys)}"
            )
        try:
            values[key] = check(value)
        except _Bad as bad:
            raise ConfigError(
                f"{where}: [{section}] {key} = {_show(value)}: expected {bad}"
            ) from None
    return values


def _site(where: str, name: str, table: Any) -> SiteConfig:
    section = f"sites.{name}"
    if not _SITE_NAME_RE.match(name):
        raise ConfigError(f"{where}: [{section}]: site names use letters, digits, '_', '-', '.'")
    values = _checked(where, table, _SITE_KEYS, section)
    for required in ("parser", "start_urls"):
        if required not in values:
            raise ConfigError(f"{where}: [{section}] {required} is missing: it is required")
    if "cron" in values and "every" in values:
        raise ConfigError(f"{where}: [{section}] has both every and cron: keep one of them")
    if "cron" in values:
        values["every"] = None
    return SiteConfig(name=name, **values)


def parse_config(data: dict[str, Any], where: str, base_dir: Path | None = None) -> Config:
    """Build a Config from parsed TOML ``data``; ``where`` names the file in errors."""
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(
                f"{where}: unknown section [{key}]; expected one of: {', '.join(_TOP_KEYS)}"
            )
    archive = _checked(where, data.get("archive", {}), _ARCHIVE_KEYS, "archive")
    archive_path = Path(archive.get("path", DEFAULT_ARCHIVE)).expanduser()
    if base_dir is not None and not archive_path.is_absolute():
        archive_path = base_dir / archive_path
    sites_table = data.get("sites", {})
    if not isinstance(sites_table, dict):
        raise ConfigError(f"{where}: [sites] must hold tables such as [sites.example]")
    sites = {name: _site(where, name, table) for name, table in sites_table.items()}
    return Config(
        path=Path(where) if base_dir is not None else None,
        archive_path=archive_path,
        fetch=FetchConfig(**_checked(where, data.get("fetch", {}), _FETCH_KEYS, "fetch")),
        daemon=DaemonConfig(**_checked(where, data.get("daemon", {}), _DAEMON_KEYS, "daemon")),
        sites=sites,
    )


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load ``path``, else ``$NEWSRACK_CONFIG``, else ``./config.toml`` if present, else defaults.

    A path that was asked for explicitly (argument or environment) must exist.
    """
    explicit = path or os.environ.get("NEWSRACK_CONFIG")
    file = Path(explicit) if explicit else Path(DEFAULT_CONFIG_NAME)
    if not file.exists():
        if explicit:
            raise ConfigError(f"{file}: no such config file; pass --config PATH to an existing one")
        return Config()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read: {exc}") from exc
    return parse_config(data, str(file), base_dir=file.resolve().parent)


def archive_path(config: Config, override: str | os.PathLike[str] | None = None) -> Path:
    """The archive file: ``--db``, else ``$NEWSRACK_DB``, else config's ``[archive] path``."""
    chosen = override or os.environ.get("NEWSRACK_DB")
    return Path(chosen).expanduser() if chosen else config.archive_path
