"""Read config.toml into frozen dataclasses, checking every key; a bad one is one ConfigError line.

Each key is written once, as a dataclass field whose default is the default and
whose metadata holds its check (``setting(default, check)``): the validation
tables are derived from the dataclasses, so a key cannot be documented in one
place and checked in another. A field without a default is required. Every
check knows its range: numbers are finite and bounded, durations bounded (the
bounds are said in the message), user agents one printable ASCII line, URLs
parse with a valid port, site names are identifiers. An unknown key, a wrong
type or an out-of-range value is refused with one line naming the file, the
``[section] key`` and what is expected, so an operator can fix it from the
line alone. Every site's trigger is built (``schedule.check_trigger``) while loading, so
a config that loads is one the daemon can schedule.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import parsers
from scraper.archive.interface import is_postgres_url
from scraper.errors import ConfigError
from scraper.urls import url_problem

DEFAULT_CONFIG_NAME = "config.toml"
_DURATION_RE = re.compile(r"\s*(\d{1,15}(?:\.\d{1,9})?)\s*([smhd])\s*")
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_SITE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
HOUR, DAY = 3600.0, 86400.0
#: The shortest ``every``: more often is a denial of service, not a schedule.
MIN_EVERY = 1.0
#: The longest ``every`` and ``revisit`` delay.
MAX_DURATION = 3650 * DAY
MAX_USER_AGENT = 512
CHECK = "check"

Check = Callable[[Any], Any]


def parse_duration(text: str) -> float:
    """``"90s"``, ``"10m"``, ``"6h"``, ``"1d"`` -> seconds; ValueError otherwise."""
    match = _DURATION_RE.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def format_duration(seconds: float) -> str:
    """Seconds as the shortest exact duration string (``600`` -> ``"10m"``)."""
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNITS[unit] == 0:
            return f"{int(seconds // _UNITS[unit])}{unit}"
    return f"{seconds:g}s"


# --- checks: each takes a TOML value and returns the config value or raises _Bad -------------


class _Bad(Exception):
    """A value failed a check; carries what was expected."""


def _number(minimum: float, maximum: float, unit: str = "") -> Check:
    after = f" {unit}" if unit else ""

    def check(value: Any) -> float:
        # the chained comparison refuses nan and infinities (and ints too big for a float)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad(f"a number from {minimum:g} to {maximum:g}{after}")
        if not minimum <= value <= maximum:
            raise _Bad(f"a finite number from {minimum:g} to {maximum:g}{after}")
        return float(value)

    return check


def _positive(maximum: float, unit: str = "seconds") -> Check:
    expected = f"a finite number above 0 and at most {maximum:g} {unit}"

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad(expected)
        if not 0 < value <= maximum:
            raise _Bad(expected)
        return float(value)

    return check


def _integer(minimum: int, maximum: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise _Bad(f"a whole number from {minimum} to {maximum}")
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


def _user_agent(value: Any) -> str:
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > MAX_USER_AGENT
        or not all(" " <= char <= "~" for char in value)
    ):
        raise _Bad(
            f"one line of printable ASCII (no newline, no accents), at most {MAX_USER_AGENT} "
            'characters, such as "newsrack/0.1 (+https://example.org/contact)"'
        )
    return value


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\x00" in value or len(value) > 4096:
        raise _Bad('a file path without NUL characters, such as "data/archive.db"')
    return value


def _url(value: Any) -> str:
    expected = (
        'an http(s) URL with a host and a port from 1 to 65535, such as "https://example.org/"'
    )
    if not isinstance(value, str) or len(value) > 2048 or not value.isprintable() or " " in value:
        raise _Bad(expected)
    problem = url_problem(value)  # the same check as a fetch's, so both agree on every URL
    if problem is not None:
        raise _Bad(f"{expected} ({problem.split(': ', 1)[-1]})")
    return value


def _url_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not 1 <= len(value) <= 1000:
        raise _Bad('a list of 1 to 1000 http(s) URLs, e.g. ["https://example.org/"]')
    return tuple(_url(v) for v in value)


def _optional_urls(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > 1000:
        raise _Bad(
            'a list of up to 1000 http(s) URLs, e.g. ["https://example.org/feed.xml"] '
            "([] or no key: discovered)"
        )
    return tuple(_url(v) for v in value)


def _timezone(value: Any) -> str:
    try:
        ZoneInfo(_text(value))
    except (ZoneInfoNotFoundError, ValueError, OSError, _Bad):
        raise _Bad('an IANA timezone such as "Africa/Casablanca" or "UTC"') from None
    return value


def _duration(minimum: float, maximum: float) -> Check:
    expected = (
        f"a duration from {format_duration(minimum) if minimum else '0s'} to "
        f'{format_duration(maximum)}, such as "90s", "10m", "6h" or "1d"'
    )

    def check(value: Any) -> float:
        try:
            seconds = parse_duration(value)
        except ValueError:
            raise _Bad(expected) from None
        if not minimum <= seconds <= maximum:
            raise _Bad(expected)
        return seconds

    return check


def _duration_list(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) > 100:
        raise _Bad('a list of up to 100 durations such as ["15m", "1h", "1d"]')
    return tuple(_duration(0.0, MAX_DURATION)(v) for v in value)


def _cron(value: Any) -> str:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(_text(value))
    except (ValueError, TypeError, _Bad):
        raise _Bad('a 5-field cron expression such as "*/10 6-23 * * *"') from None
    return value


def _parser_name(value: Any) -> str:
    if not isinstance(value, str) or value not in parsers.names():
        raise _Bad(f"one of the parsers: {', '.join(parsers.names())}")
    return value


def setting(default: Any = MISSING, check: Check = _text, *, factory: Any = MISSING) -> Any:
    """A config key: its default (none: required) and its check, written once together."""
    if factory is not MISSING:
        return field(default_factory=factory, metadata={CHECK: check})
    return field(default=default, metadata={CHECK: check})


def default_workers() -> int:
    """Parse workers by default: one per core."""
    return max(1, os.cpu_count() or 1)


# --- the configuration ---------------------------------------------------------------------


def _archive_url(value: Any) -> str | None:
    if (
        not isinstance(value, str)
        or not is_postgres_url(value)
        or len(value) > 4096
        or not all(" " < char <= "~" for char in value)
    ):
        raise _Bad(
            'a PostgreSQL URL, such as "postgresql://newsrack@127.0.0.1:5432/newsrack" '
            "(leave it out to use the SQLite file of `path`)"
        )
    return value


@dataclass(frozen=True)
class ArchiveConfig:
    """``[archive]``: where the archive file lives (relative to the config file), or the
    PostgreSQL database that holds it (``url``, which then wins over ``path``)."""

    path: str = setting("data/archive.db", _path)
    url: str | None = setting(None, _archive_url)


@dataclass(frozen=True)
class FetchConfig:
    """``[fetch]``: how politely and how patiently pages are requested (seconds, bytes)."""

    user_agent: str = setting("newsrack/0.1 (+https://example.org/contact)", _user_agent)
    timeout: float = setting(20.0, _positive(HOUR))
    deadline: float = setting(60.0, _positive(DAY))
    max_attempts: int = setting(4, _integer(1, 100))
    max_retry_after: float = setting(120.0, _number(0, DAY, "seconds"))
    delay: float = setting(1.0, _number(0, HOUR, "seconds"))
    #: A robots.txt ``Crawl-delay`` longer than this is cut to it (and logged).
    max_crawl_delay: float = setting(60.0, _number(0, DAY, "seconds"))
    max_bytes: int = setting(10_000_000, _integer(1024, 2**31))
    obey_robots: bool = setting(True, _boolean)
    allow_private_networks: bool = setting(False, _boolean)
    max_connections: int = setting(20, _integer(1, 10_000))
    max_connections_per_host: int = setting(2, _integer(1, 1000))
    robots_ttl: float = setting(3600.0, _number(0, 30 * DAY, "seconds"))
    #: Seconds one page's parse may take before its worker is replaced.
    parse_timeout: float = setting(10.0, _positive(HOUR))
    #: Parse worker processes; the default is the number of cores.
    parse_workers: int = setting(check=_integer(1, 1024), factory=default_workers)


@dataclass(frozen=True)
class DaemonConfig:
    """``[daemon]``: shutdown grace and per-run limits of ``newsrack daemon`` (seconds)."""

    shutdown_grace: float = setting(10.0, _number(0, HOUR, "seconds"))
    run_timeout: float = setting(900.0, _number(1, 7 * DAY, "seconds"))
    misfire_grace: float = setting(300.0, _number(1, DAY, "seconds"))
    jitter: float = setting(0.0, _number(0, DAY, "seconds"))


@dataclass(frozen=True)
class SiteConfig:
    """``[sites.NAME]``: one site to crawl, its parser, start pages and schedule.

    ``every`` is the interval between passes; when ``cron`` is set, the cron
    expression (in ``timezone``) decides instead and ``every`` is unused.
    """

    name: str
    parser: str = setting(check=_parser_name)
    start_urls: tuple[str, ...] = setting(check=_url_list)
    timezone: str = setting("UTC", _timezone)
    every: float = setting(600.0, _duration(MIN_EVERY, MAX_DURATION))
    cron: str | None = setting(None, _cron)
    revisit: tuple[float, ...] = setting(
        tuple(parse_duration(d) for d in ("15m", "1h", "6h", "1d", "3d", "7d")), _duration_list
    )
    enabled: bool = setting(True, _boolean)
    delay: float | None = setting(None, _number(0, HOUR, "seconds"))
    obey_robots: bool | None = setting(None, _boolean)
    max_articles: int = setting(500, _integer(0, 100_000))
    #: RSS/Atom feeds read by every pass; empty: those the start pages link to.
    feeds: tuple[str, ...] = setting((), _optional_urls)
    #: Sitemaps (or sitemap indexes); empty: robots.txt's ``Sitemap:`` lines, else /sitemap.xml.
    sitemaps: tuple[str, ...] = setting((), _optional_urls)
    #: A pass reads news sitemaps and the sitemaps (and entries) changed this recently.
    lookback: float = setting(2 * DAY, _duration(HOUR, 366 * DAY))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def schedule(self) -> str:
        """The schedule as written in config: ``every 10m`` or ``cron */10 6-23 * * *``."""
        if self.cron:
            return f"cron {self.cron}"
        return f"every {format_duration(self.every)}"


DEFAULT_ARCHIVE = Path(ArchiveConfig().path)


@dataclass(frozen=True)
class Config:
    """The whole configuration; ``path`` is None when no file was read (defaults only)."""

    path: Path | None = None
    archive_path: Path = DEFAULT_ARCHIVE
    archive_url: str | None = None
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


def keys_of(cls: type) -> dict[str, Check]:
    """The keys of a config table and their checks, read off its dataclass."""
    return {f.name: f.metadata[CHECK] for f in fields(cls) if CHECK in f.metadata}


def required_keys(cls: type) -> list[str]:
    """The keys of a config table that have no default."""
    return [
        f.name
        for f in fields(cls)
        if CHECK in f.metadata and f.default is MISSING and f.default_factory is MISSING
    ]


_TABLES: dict[str, type] = {
    "archive": ArchiveConfig,
    "fetch": FetchConfig,
    "daemon": DaemonConfig,
    "sites": SiteConfig,
}


def _show(value: Any) -> str:
    """A value as TOML-ish text on one line, cut if long (escapes newlines and controls)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float) and not math.isfinite(value):
        text = str(value)
    else:
        text = repr(value)
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= 80 else text[:77] + "..."


def _name(key: str) -> str:
    """A table or key name as TOML writes it: bare if it can be, else quoted and escaped."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", key) else _show(key)


def _checked(where: str, table: Any, cls: type, section: str) -> dict[str, Any]:
    """Values of ``table`` run through ``cls``' checks; ConfigError on the first bad one."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [{section}] must be a table")
    keys = keys_of(cls)
    values: dict[str, Any] = {}
    for key, value in table.items():
        check = keys.get(key)
        if check is None:
            raise ConfigError(
                f"{where}: [{section}] unknown key {_name(key)}; expected one of: {', '.join(keys)}"
            )
        try:
            values[key] = check(value)
        except _Bad as bad:
            raise ConfigError(
                f"{where}: [{section}] {key} = {_show(value)}: expected {bad}"
            ) from None
    return values


def _site(where: str, name: str, table: Any) -> SiteConfig:
    if not _SITE_NAME_RE.fullmatch(name):
        raise ConfigError(
            f"{where}: [sites.{_name(name)}]: a site name is 1 to 64 ASCII letters, digits, "
            "'_', '-' or '.', starting with a letter or digit; rename the table"
        )
    section = f"sites.{name}"
    values = _checked(where, table, SiteConfig, section)
    for required in required_keys(SiteConfig):
        if required not in values:
            raise ConfigError(f"{where}: [{section}] {required} is missing: it is required")
    if "cron" in values and "every" in values:
        raise ConfigError(f"{where}: [{section}] has both every and cron: keep one of them")
    site = SiteConfig(name=name, **values)
    _check_schedule(where, section, site)
    return site


def _check_schedule(where: str, section: str, site: SiteConfig) -> None:
    """Build the site's trigger now, so a config that loads is one the daemon can schedule."""
    from scraper.schedule import ScheduleError, check_trigger

    try:
        check_trigger(site, datetime.now(UTC))
    except ScheduleError as exc:
        raise ConfigError(f"{where}: [{section}] {exc}") from None


def parse_config(data: dict[str, Any], where: str, base_dir: Path | None = None) -> Config:
    """Build a Config from parsed TOML ``data``; ``where`` names the file in errors."""
    for key in data:
        if key not in _TABLES:
            raise ConfigError(
                f"{where}: unknown section [{_name(key)}]; expected one of: {', '.join(_TABLES)}"
            )
    archive = ArchiveConfig(**_checked(where, data.get("archive", {}), ArchiveConfig, "archive"))
    archive_path = Path(archive.path).expanduser()
    if base_dir is not None and not archive_path.is_absolute():
        archive_path = base_dir / archive_path
    sites_table = data.get("sites", {})
    if not isinstance(sites_table, dict):
        raise ConfigError(f"{where}: [sites] must hold tables such as [sites.example]")
    sites = {name: _site(where, name, table) for name, table in sites_table.items()}
    return Config(
        path=Path(where) if base_dir is not None else None,
        archive_path=archive_path,
        archive_url=archive.url,
        fetch=FetchConfig(**_checked(where, data.get("fetch", {}), FetchConfig, "fetch")),
        daemon=DaemonConfig(**_checked(where, data.get("daemon", {}), DaemonConfig, "daemon")),
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


def archive_path(config: Config, override: str | os.PathLike[str] | None = None) -> Path | str:
    """The archive: ``--db``, else ``$NEWSRACK_DB``, else config's ``[archive] url``, else its
    ``path``. A file is a Path; a ``postgresql://`` URL stays the str it is."""
    chosen = override or os.environ.get("NEWSRACK_DB")
    if chosen:
        return str(chosen) if is_postgres_url(str(chosen)) else Path(chosen).expanduser()
    return config.archive_url or config.archive_path
