"""How each site is doing, from the archive alone: last and next run, 24-hour counts, parser health.

``site_statuses(archive, config, now)`` reads ``runs``, ``pages`` and
``articles`` with indexed queries (cheap on a months-old archive) and returns
one ``SiteStatus`` per configured site (and per site the archive knows that
config no longer names). Parser health is the share of the site's recent
article pages (the last ``RECENT`` fetched) that came out broken: a parse
error, or an article missing its title, body or date (``missing_fields``; a
date the ticker supplied counts as present). It
is flagged when that share rises by ``DROP`` or more over the site's own
history (the ``HISTORY`` article pages before), which is what a redesign that
breaks a parser looks like. The next run is the daemon's schedule as config
states it: one interval after the last run, or the cron expression's next time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from parsers.base import ESSENTIAL_FIELDS
from scraper.archive import Archive, parse_utc_text, utc_text
from scraper.config import Config, SiteConfig
from scraper.schedule import next_run

log = logging.getLogger(__name__)

RECENT = 50
HISTORY = 500
DROP = 0.2
MIN_RECENT = 5
MIN_HISTORY = 20
#: A run starting later than now plus this is from a clock once wrong, not a real run.
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class Health:
    """Parser health over recent article pages, against the site's history."""

    recent: int = 0
    recent_broken: float | None = None
    history: int = 0
    history_broken: float | None = None
    missing: dict[str, float] = field(default_factory=dict)
    parse_errors: float | None = None
    flagged: bool = False


@dataclass(frozen=True)
class SiteStatus:
    """One site at a glance; times are UTC ISO-8601 text, rates are shares 0..1."""

    site: str
    schedule: str
    enabled: bool
    configured: bool
    last_started: str | None
    last_status: str | None
    last_duration: float | None
    next_run: str | None
    runs_24h: int
    failed_24h: int
    new_articles_24h: int
    new_ticker_items_24h: int
    pages_24h: int
    errors_24h: int
    error_rate: float | None
    health: Health
    damaged_rows: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)



def parser_health(archive: Archive, site: str) -> Health:
    return _parser_health(archive, site)[0]


def _parser_health(archive: Archive, site: str) -> tuple[Health, int]:
    """Health, and how many damaged rows (missing_fields not a JSON list) were passed over."""
    parsed = []
    damaged = 0
    for row in archive.recent_article_pages(site, RECENT + HISTORY):
        try:
            fields = json.loads(row["missing_fields"] or "[]")
            missing = {str(name) for name in fields} & set(ESSENTIAL_FIELDS)
        except (TypeError, ValueError):
            damaged += 1
            log.warning(
                "%s: pages row %s: its article's missing_fields is not a JSON list; skipped",
                site, row["id"],
            )  # fmt: skip
            continue
        if row["published_at"]:  # a date from the ticker counts: the archive has one
            missing.discard("published_at")
        parsed.append((row["error_kind"] == "parse", missing))
    recent, history = parsed[:RECENT], parsed[RECENT:]
    if not recent:
        return Health(), damaged

    def broken(sample: list[tuple[bool, set[str]]]) -> float | None:
        if not sample:
            return None
        return sum(1 for error, missing in sample if error or missing) / len(sample)

    recent_broken, history_broken = broken(recent), broken(history)
    flagged = (
        len(recent) >= MIN_RECENT
        and len(history) >= MIN_HISTORY
        and recent_broken is not None
        and history_broken is not None
        and recent_broken - history_broken >= DROP
    )
    health = Health(
        recent=len(recent),
        recent_broken=recent_broken,
        history=len(history),
        history_broken=history_broken,
        missing={
            name: sum(1 for _, missing in recent if name in missing) / len(recent)
            for name in ESSENTIAL_FIELDS
        },
        parse_errors=sum(1 for error, _ in recent if error) / len(recent),
        flagged=flagged,
    )
    return health, damaged


def site_status(
    archive: Archive, name: str, site: SiteConfig | None, now: datetime, daemon_running: bool
) -> SiteStatus:
    last = archive.last_run(name)
    damaged = 0
    try:
        started = parse_utc_text(last["started_at"]) if last else None
        finished = parse_utc_text(last["finished_at"]) if last else None
    except ValueError as exc:
        damaged += 1
        log.warning("%s: runs row %s: %s; its times are left out", name, last and last["id"], exc)
        started = finished = None
    shown_start = last["started_at"] if last and started else None  # shown even if future
    if started is not None and started > now + FUTURE_SLACK:
        damaged += 1
        log.warning(
            "%s: runs row %s starts in the future (%s): a clock was wrong; not trusted for "
            "the next run", name, last and last["id"], last and last["started_at"],
        )  # fmt: skip
        started = finished = None
    duration = None
    if started is not None:
        duration = ((finished or now) - started).total_seconds()
    day = archive.runs_summary(name, utc_text(now - timedelta(hours=24)) or "")
    health, damaged_health = _parser_health(archive, name)
    upcoming = next_run(site, started, now) if site is not None and daemon_running else None
    return SiteStatus(
        site=name,
        schedule=site.schedule if site else "not in config",
        enabled=bool(site and site.enabled),
        configured=site is not None,
        last_started=shown_start,
        last_status=last["status"] if last else None,
        last_duration=round(duration, 1) if duration is not None else None,
        next_run=utc_text(upcoming),
        runs_24h=day["runs"],
        failed_24h=day["failed"],
        new_articles_24h=day["articles"],
        new_ticker_items_24h=day["ticker"],
        pages_24h=day["pages"],
        errors_24h=day["errors"],
        error_rate=round(day["errors"] / day["pages"], 4) if day["pages"] else None,
        health=health,
        damaged_rows=damaged + damaged_health,
    )


def site_statuses(
    archive: Archive, config: Config, now: datetime | None = None, daemon_running: bool = False
) -> list[SiteStatus]:
    """Every configured site, then every site only the archive knows, in that order."""
    now = now or datetime.now(UTC)
    names = list(config.sites)
    for site in archive.run_sites():
        if site not in config.sites:
            names.append(site)
    return [
        site_status(archive, name, config.sites.get(name), now, daemon_running) for name in names
    ]
